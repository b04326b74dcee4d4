import { ReplyWriter } from './resp/writer';
import { RequestParser } from './resp/parser';
import type { Db } from './keyspace';
import type { Engine } from './server';
import type { Command } from './commands/table';
import type { BlockState } from './blocking';
import type { QueuedCommand, WatchedKey } from './multi';
import type { ReplicaInfo } from './replication/replication';
import type { ClientTracking } from './tracking';

/** Where a connection's reply bytes go: a TCP socket, a MessagePort, a simulated link, a test. */
export interface Transport {
  write(bytes: Uint8Array): void;
  close(): void;
}

export interface ConnectionInfo {
  /** Peer address "ip:port" as CLIENT LIST shows it. */
  addr?: string;
  /** Local address "ip:port". */
  laddr?: string;
  /** Whether the peer is on this machine (enable-debug-command local). */
  local?: boolean;
}

/** One client connection and its state, like Redis's client struct. */
export class Client {
  readonly id: number;
  readonly server: Engine;
  readonly transport: Transport;
  db: Db;
  name = '';
  readonly reply = new ReplyWriter();
  readonly parser = new RequestParser();
  authenticated: boolean;
  readonly createdAt: number;
  lastInteraction: number;
  /** The command being run, or the last one run (CLIENT LIST cmd=). */
  lastCmd: Command | null = null;
  /** The command running now (Redis's c->cmd): inside EXEC, the queued command, not EXEC. */
  cmd: Command | null = null;
  /** Arguments of the command being run. */
  argv: string[] = [];
  readonly addr: string;
  readonly laddr: string;
  readonly local: boolean;
  /** A fake file descriptor, as CLIENT LIST shows it. */
  readonly fd: number;
  /** CLIENT REPLY OFF is in force. */
  replyOff = false;
  /** The reply of the command being run is dropped (it follows CLIENT REPLY SKIP). */
  replySkip = false;
  /** CLIENT REPLY SKIP was just run: drop the next command's reply. */
  replySkipNext = false;
  noEvict = false;
  closeAfterReply = false;
  closed = false;
  /** What the client is blocked on (BLPOP & co.), or null. */
  blocked: BlockState | null = null;
  /** The running command asked not to be propagated as itself (preventCommandPropagation: EVAL
   *  propagates its effects instead). Reset by call() for every command. */
  preventPropagation = false;
  /** Waiting for storage (SAVE): no further commands run until its reply is written. */
  ioWait = false;
  /** The command held back by CLIENT PAUSE (BLOCKED_POSTPONE); it runs first when released. */
  postponedArgv: string[] | null = null;
  /** Still waiting for the pause to end. */
  postponed = false;
  /** Blocking commands answer at once as if timed out (inside EXEC and scripts: CLIENT_DENY_BLOCKING). */
  denyBlocking = false;

  // ---- MULTI/EXEC (multi.ts) ----
  /** Commands queued since MULTI, or null outside a transaction. */
  multi: QueuedCommand[] | null = null;
  /** A queued command failed to queue: EXEC answers EXECABORT (CLIENT_DIRTY_EXEC). */
  dirtyExec = false;
  /** A watched key was touched: EXEC answers a null array (CLIENT_DIRTY_CAS). */
  dirtyCas = false;
  /** Keys this client WATCHes. */
  watched: WatchedKey[] = [];

  // ---- pub/sub (pubsub.ts) ----
  /** Channels subscribed with SUBSCRIBE, in subscription order. */
  readonly channels = new Set<string>();
  /** Patterns subscribed with PSUBSCRIBE, in subscription order. */
  readonly patterns = new Set<string>();
  /** Shard channels subscribed with SSUBSCRIBE. */
  readonly shardChannels = new Set<string>();

  /** CLIENT TRACKING: client side caching state (tracking.ts). */
  readonly tracking: ClientTracking = {
    on: false, bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedir: false, redirect: 0, prefixes: new Set(),
  };

  /** A MONITOR client: it is sent every command run, and runs nothing else. */
  monitor = false;

  /** Set once the client sent SYNC/PSYNC: it is one of our replicas (CLIENT_SLAVE). */
  replica: ReplicaInfo | null = null;
  /** What REPLCONF told us before SYNC/PSYNC. */
  readonly replConf = { listeningPort: 0, ip: '', capaEof: false, capaPsync2: false };
  /** The client that runs our master's stream (CLIENT_MASTER): no replies, writes always allowed. */
  isMaster = false;
  /** The replication offset right after this client's last command (WAIT waits for it). */
  woff = 0;

  constructor(server: Engine, id: number, transport: Transport, info: ConnectionInfo, fd: number) {
    this.server = server;
    this.id = id;
    this.transport = transport;
    this.db = server.dbs[0];
    this.authenticated = !server.authRequired();
    this.createdAt = server.clock();
    this.lastInteraction = this.createdAt;
    this.addr = info.addr ?? '127.0.0.1:' + (40000 + (id % 20000));
    this.laddr = info.laddr ?? '127.0.0.1:' + server.config.num('port');
    this.local = info.local ?? true;
    this.fd = fd;
    this.parser.limits.unauthenticated = !this.authenticated;
    this.reply.onError = (msg) => server.countError(msg);
    this.parser.limits.maxBulkLen = server.config.num('proto-max-bulk-len');
  }

  /** Bytes from the peer: parse and run every complete command, then send the replies. */
  feed(bytes: Uint8Array): void {
    if (this.closed) return;
    this.server.stats.netInputBytes += bytes.length;
    this.parser.feed(bytes);
    this.server.processInput(this);
    this.server.flushReplies();
  }

  /** The peer went away. */
  disconnected(): void {
    this.server.freeClient(this);
  }

  setAuthenticated(ok: boolean): void {
    this.authenticated = ok;
    this.parser.limits.unauthenticated = !ok && this.server.authRequired();
  }

  /** CLIENT LIST flags=: Redis's letters in Redis's order, "N" when none. Pub/sub, MULTI, blocking add theirs. */
  flagLetters(): string {
    let f = '';
    if (this.replica !== null && !this.monitor) f += 'S';
    if (this.isMaster) f += 'M';
    if (this.monitor) f += 'O';
    if (this.inPubSub()) f += 'P';
    if (this.multi !== null) f += 'x';
    if (this.blocked !== null || this.postponed) f += 'b';
    if (this.tracking.on) f += 't';
    if (this.tracking.brokenRedir) f += 'R';
    if (this.tracking.bcast) f += 'B';
    if (this.dirtyCas) f += 'd';
    if (this.closeAfterReply) f += 'c';
    if (this.noEvict) f += 'e';
    return f || 'N';
  }

  /** getClientType: what CLIENT LIST/KILL TYPE match (pub/sub and replication refine it). */
  clientType(): 'normal' | 'master' | 'replica' | 'pubsub' {
    if (this.isMaster) return 'master';
    if (this.monitor || this.replica !== null) return 'replica'; // Redis flags a monitor as a slave too
    return this.inPubSub() ? 'pubsub' : 'normal';
  }

  /** CLIENT_PUBSUB: subscribed to at least one channel, pattern or shard channel. */
  inPubSub(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  /**
   * RESET (clearClientConnectionState): db 0, RESP2, the default user's auth, no name, CLIENT REPLY
   * back on, no transaction, no watched keys, no subscriptions, no MONITOR, no tracking. Redis 7.0
   * keeps NO-EVICT.
   */
  resetState(): void {
    this.server.discardTransaction(this);
    if (this.tracking.on) this.server.tracking.disable(this);
    this.server.pubsub.unsubscribeAll(this, false);
    this.monitor = false;
    this.db = this.server.dbs[0];
    this.reply.resp = 2;
    this.setAuthenticated(!this.server.authRequired());
    this.name = '';
    this.replyOff = false;
    this.replySkipNext = false;
  }
}
