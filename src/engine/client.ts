import { ReplyWriter } from './resp/writer';
import { RequestParser } from './resp/parser';
import type { Db } from './keyspace';
import type { Engine } from './server';
import type { Command } from './commands/table';
import type { BlockState } from './blocking';

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
    if (this.blocked !== null) f += 'b';
    if (this.closeAfterReply) f += 'c';
    if (this.noEvict) f += 'e';
    return f || 'N';
  }

  /** getClientType: what CLIENT LIST/KILL TYPE match (pub/sub and replication refine it). */
  clientType(): 'normal' | 'master' | 'replica' | 'pubsub' {
    return 'normal';
  }

  /**
   * RESET (clearClientConnectionState): db 0, RESP2, the default user's auth, no name, CLIENT REPLY
   * back on. Redis 7.0 keeps NO-EVICT. MULTI, pub/sub, tracking and MONITOR add their resets here.
   */
  resetState(): void {
    this.db = this.server.dbs[0];
    this.reply.resp = 2;
    this.setAuthenticated(!this.server.authRequired());
    this.name = '';
    this.replyOff = false;
    this.replySkipNext = false;
  }
}
