import { Client, type ConnectionInfo, type Transport } from './client';
import { CommandTable, type Command } from './commands/table';
import { ALL_COMMANDS } from './commands';
import { Config } from './config';
import { Db } from './keyspace';
import { ProtocolError } from './resp/parser';
import type { RObj } from './object';
import { REDIS_VERSION } from './version';
import { asciiLower, asciiUpper } from './util/bytes';
import { NOTIFY_KEYEVENT, NOTIFY_KEYSPACE } from './notify';
import { Blocking, replyTo } from './blocking';
import { Watches } from './multi';
import { PubSub } from './pubsub';
import { Tracking } from './tracking';
import { RdbSaving } from './persistence/rdb-saving';
import { Aof } from './persistence/aof';
import type { Snapshot } from './persistence/snapshot';
import type { Storage } from './persistence/storage';
import { loadRdb, type RdbFile } from './persistence/rdb';
import { monitorLine } from './monitor';
import { Replication } from './replication/replication';
import type { Dialer } from './replication/replica';
import { MemoryTracker } from './memory';
import { objectAllocated } from './types';
import { EVICT_FAIL, Evictor, OOM_ERROR, evictKey, type EvictionStep } from './eviction';
import { declaredScriptFlags } from './scripting/eval';
import { functionsOf, SCRIPT_FLAG_ALLOW_OOM, SCRIPT_FLAG_NO_WRITES } from './scripting/functions';

export { REDIS_VERSION } from './version';

/** What the host gives the engine: time, randomness, timers. Defaults use the JS globals. */
export interface EngineOptions {
  /** Wall clock in ms (Redis's mstime). */
  clock?: () => number;
  /** Monotonic clock in ms with sub-ms precision, for durations. */
  monotonic?: () => number;
  /** Uniform random in [0, 1). */
  random?: () => number;
  /** Synchronous sleep (DEBUG SLEEP). */
  sleep?: (ms: number) => void;
  /** Initial configuration, as on redis-server's command line. */
  config?: Record<string, string>;
  /** Facts for INFO server. */
  platform?: { os?: string; arch?: number; processId?: number; executable?: string; configFile?: string };
  /** CPU time used by the process so far, in microseconds (Node: process.cpuUsage()), for INFO cpu. */
  cpuUsage?: () => { user: number; sys: number };
  /** Where the RDB and AOF go (files, IndexedDB); in memory when not given. */
  storage?: Storage;
  /** SHUTDOWN finished its saving: the host stops (the Node server exits, the worker restarts it). */
  onShutdown?: () => void;
  /** Open a connection to another server (a replica to its master); without it REPLICAOF never connects. */
  dial?: Dialer;
  /** Where the server's log lines go (redis-server's log file). */
  log?: (line: string) => void;
  /**
   * A hard ceiling on the engine's estimated memory (used_memory), in bytes; 0 = none. Not a
   * Redis option: the host sets it (the browser worker does, so a runaway DEBUG POPULATE or
   * script cannot take the tab down); commands that may grow memory are refused past it.
   */
  memoryCeiling?: number;
}

/** Structured events for observers (the UI's visualizers, tests). */
export type EngineEvent =
  | { type: 'keyspace'; db: number; key: string; event: string }
  | { type: 'command'; client: number; db: number; argv: string[] }
  | { type: 'client'; client: number; what: 'connected' | 'closed' }
  | { type: 'persistence'; what: 'bgsave-started' | 'bgsave-progress' | 'bgsave-finished'; keys: number; done?: number; ok?: boolean; error?: string };

export interface Stats {
  startTime: number;
  totalCommandsProcessed: number;
  totalConnectionsReceived: number;
  rejectedConnections: number;
  expiredKeys: number;
  expiredStalePerc: number;
  expiredTimeCapReachedCount: number;
  evictedKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  netInputBytes: number;
  netOutputBytes: number;
  totalErrorReplies: number;
  /** errorstats: error code ("ERR", "WRONGTYPE") → count */
  errorCodes: Map<string, number>;
  /** ops/sec samples for instantaneous_ops_per_sec */
  opsSamples: number[];
  lastSampleTime: number;
  lastSampleCount: number;
}

const LRU_CLOCK_MAX = (1 << 24) - 1;
const LFU_INIT_VAL = 5;
const ACTIVE_EXPIRE_KEYS_PER_LOOP = 20;

/** shared.roslaveerr and shared.noreplicaserr. */
const READONLY_ERROR = "READONLY You can't write against a read only replica.";
const NOREPLICAS_ERROR = 'NOREPLICAS Not enough good replicas to write.';

/**
 * The Redis server: databases, clients, command dispatch, the cron. Pure TypeScript: the host
 * (Node TCP server, Web Worker) feeds it bytes through Client objects and drives cron() at hz.
 */
export class Engine {
  readonly config: Config;
  readonly dbs: Db[];
  readonly clients = new Map<number, Client>();
  readonly commands: CommandTable;
  readonly stats: Stats;
  readonly clock: () => number;
  readonly monotonic: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number) => void;
  readonly platform: NonNullable<EngineOptions['platform']>;
  readonly cpuUsage: (() => { user: number; sys: number }) | null;
  private readonly onShutdown: (() => void) | null;
  /** SHUTDOWN is saving; the server stops once it is done. */
  shuttingDown = false;
  /** Changes since the last save (Redis's server.dirty). */
  dirty = 0;
  /** Time cached at the start of each command, so a key cannot expire mid-command. */
  private cmdTime = -1;
  private nextClientId = 1;
  private nextFd = 8;
  private activeExpireEnabled = true;
  private lfu = false;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  /** Clients that have replies waiting (their own or pushed by others). */
  private readonly pending = new Set<Client>();
  /** The client whose command is running. */
  current: Client | null = null;
  /** Command names as clients spell them → commands (dispatch's cache; QUIT is never in it). */
  private readonly commandByName = new Map<string, Command>();
  /** Run id, 40 hex chars, new at every start. */
  readonly runId: string;
  /** The Redis version we answer as (HELLO, INFO); commands read it here, not by importing this module. */
  readonly version = REDIS_VERSION;
  /** Clients blocked on keys (BLPOP & co.). */
  readonly blocking: Blocking = new Blocking(this);
  /** WATCHed keys (MULTI/EXEC). */
  readonly watches: Watches = new Watches(this);
  /** Channels, patterns and shard channels. */
  readonly pubsub: PubSub = new PubSub(this);
  /** Client side caching: CLIENT TRACKING's table, prefixes and invalidation messages. */
  readonly tracking: Tracking = new Tracking(this);
  /**
   * The client whose command is being processed (Redis's server.current_client): unlike `current`,
   * it stays the caller while a script's commands run. Null outside processCommand.
   */
  currentClient: Client | null = null;
  /** Clients in MONITOR mode, in the order they started. */
  readonly monitors = new Set<Client>();
  /**
   * A script or function that has run past busy-reply-threshold and yields to the event loop:
   * other clients get BUSY for anything without the allow_busy flag, and the client that runs it
   * reads no further input until it ends.
   */
  busy: { kind: 'eval' | 'function'; client: Client } | null = null;
  /** RDB snapshots: SAVE, BGSAVE, save points. */
  readonly rdb: RdbSaving;
  /** The append-only file. */
  readonly aof: Aof;
  /** Replication: our ID and offset, backlog, replicas, and the link to our master (replication/). */
  readonly replication: Replication;
  /** The host's way to open outbound connections, or null. */
  readonly dial: Dialer | null;
  private readonly logLine: ((line: string) => void) | null;
  /**
   * The snapshot being written in the background (a BGSAVE, or an AOF rewrite's base), which
   * objects must be offered to before they change (copy-on-write). One at a time, like Redis's
   * single child process.
   */
  cowSnapshot: Snapshot | null = null;
  /** Replies held until the AOF is durable (appendfsync always), in order. */
  private replyGate: Promise<void> | null = null;
  /** Nesting of call(): propagation waits for the outermost command (EXEC, a script) to end. */
  private callDepth = 0;
  /** Writes waiting for the end of the current execution unit (server.also_propagate). */
  private alsoPropagate: { dbid: number; argv: string[]; replicasOnly: boolean }[] = [];
  private readonly propagationConsumers = new Set<(dbid: number, argv: string[], replicasOnly: boolean) => void>();
  /** EXEC, looked up once (call() must not propagate it). */
  private execCommand: Command | undefined;
  /** CLIENT PAUSE in force: whether every command waits or only writes, and until when (ms). */
  pause: { all: boolean; end: number } | null = null;
  /** Clients whose command waits for the pause to end (BLOCKED_POSTPONE), first come first. */
  readonly postponed: Client[] = [];
  /** Resumes a script suspended in the event loop (scripting/run.ts); the host's timer calls it. */
  suspendedScript: (() => void) | null = null;
  /** used_memory, kept as data changes (memory.ts). */
  readonly memory: MemoryTracker = new MemoryTracker(this, objectAllocated);
  /** maxmemory's eviction pool and cycles (eviction.ts). */
  readonly evictor: Evictor = new Evictor(this);
  /** Whether the running command started out of memory (server.pre_command_oom_state): scripts check it. */
  preCommandOom = false;
  /** maxmemory in bytes (cached: it is read before every command). */
  private maxmemoryBytes = 0;
  /** The host's hard ceiling on estimated memory (EngineOptions.memoryCeiling), 0 = none. */
  memoryCeiling = 0;
  /** Clients replaying the AOF (Redis's mustObeyClient): no OOM checks, no evictions for them. */
  private readonly loaders = new WeakSet<Client>();

  constructor(opts: EngineOptions = {}) {
    this.clock = opts.clock ?? (() => Date.now());
    this.monotonic = opts.monotonic ?? (() => performance.now());
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? busySleep(this.monotonic);
    this.platform = opts.platform ?? {};
    this.cpuUsage = opts.cpuUsage ?? null;
    this.onShutdown = opts.onShutdown ?? null;
    this.config = new Config(opts.config);
    this.config.onChange = (name) => this.configChanged(name);
    this.lfu = this.policyIsLfu();
    this.maxmemoryBytes = Number(this.config.int64('maxmemory'));
    this.memoryCeiling = opts.memoryCeiling ?? 0;
    this.commands = new CommandTable(ALL_COMMANDS);
    this.execCommand = this.commands.get('exec');
    this.rdb = new RdbSaving(this, opts.storage);
    this.aof = new Aof(this);
    this.dial = opts.dial ?? null;
    this.logLine = opts.log ?? null;
    this.dbs = [];
    for (let i = 0; i < this.config.num('databases'); i++) this.dbs.push(new Db(i, this));
    const now = this.clock();
    this.stats = {
      startTime: now,
      totalCommandsProcessed: 0,
      totalConnectionsReceived: 0,
      rejectedConnections: 0,
      expiredKeys: 0,
      expiredStalePerc: 0,
      expiredTimeCapReachedCount: 0,
      evictedKeys: 0,
      keyspaceHits: 0,
      keyspaceMisses: 0,
      netInputBytes: 0,
      netOutputBytes: 0,
      totalErrorReplies: 0,
      errorCodes: new Map(),
      opsSamples: [],
      lastSampleTime: now,
      lastSampleCount: 0,
    };
    let id = '';
    for (let i = 0; i < 40; i++) id += '0123456789abcdef'[Math.floor(this.random() * 16)];
    this.runId = id;
    this.replication = new Replication(this);
  }

  // ---- time ----

  /** The time commands see: fixed while a command runs (Redis's server.mstime). */
  commandTime(): number {
    return this.cmdTime >= 0 ? this.cmdTime : this.clock();
  }

  /** The LRU clock: seconds, 24 bits, like Redis's LRU_CLOCK(). */
  lruClock(): number {
    // Inside a command this is the command's cached time, as Redis reads its cached server.lruclock
    // rather than the system clock on every key access.
    return Math.floor(this.commandTime() / 1000) & LRU_CLOCK_MAX;
  }

  /** Idle time of an object in ms (estimateObjectIdleTime). */
  objectIdleMs(o: RObj): number {
    const now = this.lruClock();
    return (now >= o.lru ? now - o.lru : LRU_CLOCK_MAX - o.lru + now) * 1000;
  }

  /** Record an access to o: the LRU clock, or under an LFU policy Redis's updateLFU. */
  touchObject(o: RObj): void {
    if (!this.lfuPolicy()) {
      o.lru = this.lruClock();
      return;
    }
    let counter = this.lfuDecrAndReturn(o);
    if (counter < 255) {
      // LFULogIncr: the more hits already counted, the less likely one more counts.
      const base = Math.max(0, counter - LFU_INIT_VAL);
      if (this.random() < 1 / (base * this.config.num('lfu-log-factor') + 1)) counter++;
    }
    o.lru = (this.lfuMinutes() << 8) | counter;
  }

  /** Whether maxmemory-policy is an LFU one: objects' lru field then holds LFU data.
   *  Cached (it is asked on every key access) and refreshed when the policy changes. */
  lfuPolicy(): boolean {
    return this.lfu;
  }

  private policyIsLfu(): boolean {
    return (this.config.raw('maxmemory-policy') as string).endsWith('-lfu');
  }

  /** The lru field of a new object (createObject): the LRU clock, or LFU's initial counter. */
  newObjectLru(): number {
    return this.lfuPolicy() ? (this.lfuMinutes() << 8) | LFU_INIT_VAL : this.lruClock();
  }

  /** LFUDecrAndReturn: o's access counter, decayed by one per lfu-decay-time minutes unaccessed. */
  lfuDecrAndReturn(o: RObj): number {
    const ldt = o.lru >>> 8;
    const counter = o.lru & 255;
    const decay = this.config.num('lfu-decay-time');
    if (decay === 0) return counter;
    const now = this.lfuMinutes();
    const periods = Math.floor((now >= ldt ? now - ldt : 65535 - ldt + now) / decay);
    return periods > counter ? 0 : counter - periods;
  }

  /** LFUGetTimeInMinutes: 16 bits of minutes. */
  private lfuMinutes(): number {
    return Math.floor(this.commandTime() / 60000) & 65535;
  }

  // ---- clients ----

  /** A new connection. The host passes the client's bytes to client.feed(). */
  connect(transport: Transport, info: ConnectionInfo = {}): Client {
    const c = new Client(this, this.nextClientId++, transport, info, this.nextFd++);
    this.clients.set(c.id, c);
    this.stats.totalConnectionsReceived++;
    this.emit({ type: 'client', client: c.id, what: 'connected' });
    return c;
  }

  freeClient(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    this.blocking.unblock(c, false);
    this.watches.unwatchAll(c);
    this.pubsub.unsubscribeAll(c, false);
    if (c.tracking.on) this.tracking.disable(c);
    this.monitors.delete(c);
    if (c.replica !== null) this.replication.detach(c);
    if (c.isMaster) this.replication.link?.masterFreed(c);
    this.releasePostponed(c);
    this.clients.delete(c.id);
    this.pending.delete(c);
    this.emit({ type: 'client', client: c.id, what: 'closed' });
  }

  /** Close a client's connection now, its pending replies discarded (CLIENT KILL, timeouts, a replica that must resync). */
  closeClient(c: Client): void {
    if (c.closed) return;
    this.freeClient(c);
    c.transport.close();
  }

  /** disconnectAllBlockedClients: a master turning replica unblocks everyone blocked on keys. */
  disconnectBlockedClients(): void {
    for (const c of [...this.blocking.blocked]) {
      replyTo(c, () => c.reply.error('UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)'));
      this.blocking.unblock(c);
      this.closeAfterReply(c);
    }
  }

  /**
   * checkAlreadyExpired: whether an expire time set now means the key is gone at once. Not on a
   * replica: its master's DEL removes the key, so both stay the same meanwhile.
   */
  alreadyExpired(when: number | bigint): boolean {
    return when <= this.commandTime() && this.replication.link === null;
  }

  /** A line for the server's log. */
  log(line: string): void {
    this.logLine?.(line);
  }

  /** Close a client once its pending replies are out (CLIENT KILL, protocol errors, QUIT). */
  closeAfterReply(c: Client): void {
    c.closeAfterReply = true;
    this.pending.add(c);
  }

  /** Mark a client as having replies to send (used when one client writes to another). */
  wake(c: Client): void {
    this.pending.add(c);
  }

  authRequired(): boolean {
    return this.config.str('requirepass') !== '';
  }

  /** Run every complete command in c's query buffer. */
  processInput(c: Client): void {
    this.pending.add(c);
    if (c.postponedArgv !== null) {
      // A command that waited for CLIENT PAUSE to end runs first (it may wait again).
      if (c.postponed) return;
      const argv = c.postponedArgv;
      c.postponedArgv = null;
      this.processCommand(c, argv);
    }
    while (!c.closeAfterReply && !c.closed && c.blocked === null && c.postponedArgv === null && !c.ioWait && this.busy?.client !== c) {
      let argv: string[] | null;
      try {
        argv = c.parser.next();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        // Under CLIENT REPLY OFF/SKIP Redis drops this error text too.
        if (!c.replyOff && !c.replySkip) c.reply.err(e.message);
        this.closeAfterReply(c);
        break;
      }
      if (argv === null) break;
      this.processCommand(c, argv);
    }
  }

  /** Send every pending reply to its transport, and close clients that asked for it. */
  flushReplies(): void {
    // processUnblockedClients: a client served or timed out runs the commands it buffered meanwhile.
    const unblocked = this.blocking.unblocked;
    while (unblocked.length > 0) {
      const c = unblocked.shift()!;
      if (!c.closed && c.blocked === null) this.processInput(c);
    }
    // beforeSleep: invalidations left pending (by a script that outlived the busy threshold: they
    // follow its reply), then BCAST clients get the keys modified under their prefixes this turn.
    if (this.tracking.hasPending() && this.busy === null) this.tracking.handlePending();
    this.tracking.broadcastInvalidationMessages();
    this.replication.beforeSleep();
    // beforeSleep: the AOF is written before any reply goes out; under appendfsync always the
    // replies wait until it is durable (and later turns' replies queue behind them).
    const durable = this.aof.flush();
    if (durable !== null || this.replyGate !== null) {
      const batch: [Client, Uint8Array | null, boolean][] = [];
      for (const c of this.pending) {
        if (c.closed) continue;
        batch.push([c, c.reply.len > 0 ? c.reply.take() : null, c.closeAfterReply]);
      }
      this.pending.clear();
      const gate = (this.replyGate ?? Promise.resolve()).then(() => durable ?? undefined).then(() => {
        for (const [c, bytes, close] of batch) this.sendReply(c, bytes, close);
        if (this.replyGate === gate) this.replyGate = null;
      });
      this.replyGate = gate;
      return;
    }
    for (const c of this.pending) {
      if (c.closed) continue;
      this.sendReply(c, c.reply.len > 0 ? c.reply.take() : null, c.closeAfterReply);
    }
    this.pending.clear();
  }

  private sendReply(c: Client, bytes: Uint8Array | null, close: boolean): void {
    if (c.closed) return;
    if (bytes !== null) {
      this.stats.netOutputBytes += bytes.length;
      c.transport.write(bytes);
    }
    if (close) this.closeClient(c);
  }

  /** A client that runs the commands of an AOF file (CLIENT_ID_AOF): its replies are dropped. */
  loaderClient(): Client {
    const c = this.connect({ write: () => {}, close: () => {} }, { addr: '', laddr: '' });
    this.loaders.add(c);
    c.replyOff = true;
    c.setAuthenticated(true);
    return c;
  }

  /** Run one command read from the AOF; an error text when it is unknown or fails to run. */
  runLoaded(loader: Client, argv: string[]): string | null {
    const cmd = this.commands.get(asciiLower(argv[0]));
    if (cmd === undefined) return `Unknown command '${cString(argv[0], 128)}' reading the append only file`;
    this.processCommand(loader, argv);
    return null;
  }

  /** Load an AOF's RDB preamble (its base) into the dataset; an error text when it is broken. */
  loadRdbPreamble(bytes: Uint8Array): string | null {
    try {
      loadRdb(this, bytes);
      return null;
    } catch (e) {
      return `Bad file format reading the append only file's RDB preamble: ${(e as Error).message}`;
    }
  }

  /**
   * processCommand: look the command up, check arity and auth, then call it.
   * The checks and error texts follow Redis 7.0's order.
   */
  processCommand(c: Client, argv: string[]): void {
    const replyStart = c.reply.len;
    const outerCurrent = this.currentClient;
    this.currentClient = c;
    try {
      this.dispatch(c, argv);
    } finally {
      this.currentClient = outerCurrent;
    }
    // handleClientsBlockedOnKeys: keys this command made ready serve the clients waiting on them.
    if (this.blocking.hasReady()) this.blocking.handleClientsBlockedOnKeys();
    // CLIENT REPLY OFF / SKIP: what this command wrote is dropped.
    if (c.replyOff || c.replySkip) {
      c.reply.len = replyStart;
      // Pushes still reach a muted client (7.0.15's CLIENT_PUSHING): put back those just dropped.
      this.pubsub.restoreMutedPushes(c);
    }
    c.replySkip = c.replySkipNext;
    c.replySkipNext = false;
    // Invalidations of keys the command itself changed follow its reply (they get through REPLY OFF).
    if (this.tracking.hasPending() && this.busy === null) this.tracking.handlePending();
    this.tracking.afterCommand(c);
  }

  private dispatch(c: Client, argv: string[]): void {
    const now = this.clock();
    c.lastInteraction = now;
    // The name as sent ("SET", "set", "Set") → its command, without lower-casing it each time.
    let cmd = this.commandByName.get(argv[0]);
    if (cmd === undefined) {
      const name = asciiLower(argv[0]);
      if (name === 'quit') {
        // Redis 7.0 answers QUIT before any other check, even without AUTH; MONITOR still sees it.
        if (this.monitors.size > 0) this.feedMonitors(c, argv);
        c.reply.ok();
        this.closeAfterReply(c);
        return;
      }
      cmd = this.commands.get(name);
      if (cmd !== undefined && this.commandByName.size < 1024) this.commandByName.set(argv[0], cmd);
    }
    if (cmd !== undefined && cmd.subcommands !== null && argv.length >= 2) {
      const sub = cmd.subcommands.get(asciiLower(argv[1]));
      if (sub === undefined) {
        c.lastCmd = null; // CLIENT LIST shows cmd=NULL after an unknown (sub)command, as Redis does
        this.rejectCommand(c, `ERR unknown subcommand '${cString(argv[1], 128)}'. Try ${asciiUpper(argv[0])} HELP.`);
        return;
      }
      cmd = sub;
    }
    if (cmd === undefined) {
      c.lastCmd = null;
      let args = '';
      for (let i = 1; i < argv.length && args.length < 128; i++) {
        args += "'" + cString(argv[i], 128 - args.length) + "' ";
      }
      this.rejectCommand(c, `ERR unknown command '${cString(argv[0], 128)}', with args beginning with: ${args}`);
      return;
    }
    c.lastCmd = cmd;
    const arity = cmd.spec.arity;
    if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
      this.rejectCommand(c, `ERR wrong number of arguments for '${cmd.fullname}' command`, cmd);
      return;
    }
    if (cmd.flags.has('protected') && !this.debugAllowed(c)) {
      const opt = 'enable-debug-command';
      this.rejectCommand(
        c,
        `ERR ${asciiUpper(cmd.fullname)} command not allowed. If the ${opt} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`,
        cmd,
      );
      return;
    }
    // authRequired(c): a connection that never logged in runs freely while the default user needs no password.
    if (!c.authenticated && this.authRequired() && !cmd.flags.has('no_auth')) {
      this.rejectCommand(c, 'NOAUTH Authentication required.', cmd);
      return;
    }
    if (c.multi !== null && cmd.flags.has('no_multi')) {
      this.rejectCommand(c, 'ERR Command not allowed inside a transaction', cmd);
      return;
    }
    // maxmemory: evict first; a command that may grow memory is refused if that was not enough
    // (and anything queued in MULTI). Not while a busy script yields (its writes must not mix
    // with evictions' DELs).
    if ((this.maxmemoryBytes !== 0 || this.memoryCeiling !== 0) && this.memoryRejects(c, cmd, argv)) return;
    // Keep the tracking table within tracking-table-max-keys.
    if (this.tracking.clients > 0) this.tracking.limitUsedSlots();
    // writeCommandsDeniedByDiskError: a failed BGSAVE (with save points and
    // stop-writes-on-bgsave-error) or a failing AOF stops writes, and PING, until saving works.
    if (cmd.fullname === 'ping' || this.isWriteCall(c, cmd)) {
      const diskError = this.diskError();
      if (diskError !== null) {
        this.rejectCommand(c, diskError, cmd);
        return;
      }
    }
    // min-replicas-to-write and read-only replicas (apart: most servers need neither).
    const repl = this.replication;
    if ((repl.link !== null || repl.minReplicasToWrite !== 0) && this.replicationRejects(c, cmd)) return;
    // RESP2 subscribers can only manage subscriptions; RESP3 multiplexes pushes and replies.
    if (c.reply.resp === 2 && c.inPubSub() && !PUBSUB_CONTEXT_COMMANDS.has(cmd.spec.name)) {
      this.rejectCommand(
        c,
        `ERR Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        cmd,
      );
      return;
    }
    // replica-serve-stale-data no: with the link down only "stale" commands (INFO, REPLICAOF...) run.
    if (repl.link !== null && repl.link.state !== 'connected' && !this.config.bool('replica-serve-stale-data') && !cmd.flags.has('stale')) {
      this.rejectCommand(c, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", cmd);
      return;
    }
    if (this.busy !== null && !cmd.flags.has('allow_busy')) {
      const kill = this.busy.kind === 'eval' ? 'SCRIPT KILL' : 'FUNCTION KILL';
      this.rejectCommand(c, `BUSY Redis is busy running a script. You can only call ${kill} or SHUTDOWN NOSAVE.`, cmd);
      return;
    }
    // A MONITOR client is flagged as a replica, and replicas may not touch the keyspace.
    if ((c.monitor || c.replica !== null) && (mayReplicate(cmd) || cmd.flags.has('readonly'))) {
      this.rejectCommand(c, "ERR Replica can't interact with the keyspace", cmd);
      return;
    }
    // CLIENT PAUSE: the command waits, with everything the client sends after it. Replicas (and
    // so MONITOR clients) are never paused.
    if (this.pause !== null && !c.monitor && this.pausedFor(c, cmd)) {
      c.postponed = true;
      c.postponedArgv = argv;
      this.postponed.push(c);
      return;
    }
    if (c.multi !== null && !MULTI_IMMEDIATE_COMMANDS.has(cmd.fullname)) {
      c.multi.push({ cmd, argv });
      c.reply.status('QUEUED');
      return;
    }
    this.call(c, cmd, argv, now);
  }

  /**
   * performEvictions before a command, and the OOM refusals (under maxmemory or the host's ceiling).
   * Returns whether c's command was refused. Not while a busy script yields (its writes must not
   * mix with evictions' DELs), nor for our master or the AOF loader.
   */
  private memoryRejects(c: Client, cmd: Command, argv: string[]): boolean {
    if (this.busy !== null || c.isMaster || this.loaders.has(c)) return false;
    const reject = this.mayGrowMemory(c, cmd, argv);
    if (this.maxmemoryBytes !== 0) {
      const outOfMemory = this.evictor.perform() === EVICT_FAIL;
      if (outOfMemory && reject) {
        this.rejectCommand(c, OOM_ERROR, cmd);
        return true;
      }
      this.preCommandOom = outOfMemory;
    }
    if (reject && this.memoryCeilingReached()) {
      this.rejectCommand(c, this.ceilingError(), cmd);
      return true;
    }
    return false;
  }

  /**
   * Writes refused for replication's sake: NOREPLICAS when min-replicas-to-write is not met, and
   * READONLY on a read-only replica (its master and the AOF loader excepted). Whether c's command
   * was refused.
   */
  private replicationRejects(c: Client, cmd: Command): boolean {
    if (c.isMaster || !this.isWriteCall(c, cmd)) return false;
    if (this.replication.notEnoughGoodReplicas()) {
      this.rejectCommand(c, NOREPLICAS_ERROR, cmd);
      return true;
    }
    if (this.readOnlyReplicaFor(c)) {
      this.rejectCommand(c, READONLY_ERROR, cmd);
      return true;
    }
    return false;
  }

  /** is_write_command: a write, or an EXEC whose queue holds one. */
  private isWriteCall(c: Client, cmd: Command): boolean {
    return cmd.flags.has('write') || (cmd === this.execCommand && c.multi !== null && c.multi.some((q) => q.cmd.flags.has('write')));
  }

  /** Writes from c are refused here: a read-only replica, and c neither its master nor the AOF loader. */
  private readOnlyReplicaFor(c: Client): boolean {
    return this.replication.link !== null && !c.isMaster && !this.mustObey(c) && this.config.bool('replica-read-only');
  }

  /**
   * The OOM check's reject_cmd_on_oom: denyoom commands (EVAL/FCALL by their script's flags, EXEC
   * by what it queued), and anything but EXEC/DISCARD/QUIT/RESET inside MULTI.
   */
  private mayGrowMemory(c: Client, cmd: Command, argv: string[]): boolean {
    if (c.multi !== null && !OOM_EXEMPT_IN_MULTI.has(cmd.fullname)) return true;
    if (cmd === this.execCommand) return c.multi !== null && c.multi.some((q) => this.isDenyoom(q.cmd, q.argv));
    return this.isDenyoom(cmd, argv);
  }

  /** getCommandFlags(c) & CMD_DENYOOM: a script's declared flags decide for EVAL and FCALL. */
  isDenyoom(cmd: Command, argv: string[]): boolean {
    const name = cmd.fullname;
    if (name === 'eval' || name === 'evalsha' || name === 'eval_ro' || name === 'evalsha_ro') {
      const f = declaredScriptFlags(this, argv[1], name.startsWith('evalsha'));
      return f !== null && !f.allowOom && !f.noWrites;
    }
    if (name === 'fcall' || name === 'fcall_ro') {
      const fn = functionsOf(this).ctx.findFunction(argv[1]);
      return fn !== undefined && (fn.flags & (SCRIPT_FLAG_ALLOW_OOM | SCRIPT_FLAG_NO_WRITES)) === 0;
    }
    return cmd.flags.has('denyoom');
  }

  /** mustObeyClient: the AOF loader runs whatever the file says, whatever the memory. */
  mustObey(c: Client): boolean {
    return this.loaders.has(c);
  }

  /** maxmemory in bytes (0 = no limit). */
  maxmemory(): number {
    return this.maxmemoryBytes;
  }

  /** Whether estimated memory is past the host's hard ceiling (EngineOptions.memoryCeiling). */
  memoryCeilingReached(): boolean {
    return this.memoryCeiling !== 0 && this.memory.used() > this.memoryCeiling;
  }

  /** The error for commands refused at the host's ceiling. */
  ceilingError(): string {
    return `OOM command not allowed: the server's estimated memory (${this.memory.used()} bytes) is over this host's safety limit (${this.memoryCeiling} bytes). Free some keys (DEL, FLUSHDB) or set maxmemory with an eviction policy.`;
  }

  /** performEvictions' deletion of one key (see eviction.ts). */
  deleteEvicted(db: Db, key: string, lazy: boolean): void {
    evictKey(this, db, key, lazy);
  }

  /** Observe every eviction step (sampled keys, pool, victim, why): for visualizers and tests. */
  onEviction(listener: (step: EvictionStep) => void): () => void {
    return this.evictor.onStep(listener);
  }

  /** Whether CLIENT PAUSE holds cmd back: every command under ALL, under WRITE those that may
   *  change data or be replicated, including an EXEC whose queue holds one. */
  private pausedFor(c: Client, cmd: Command): boolean {
    if (!this.clientsPaused()) return false;
    if (this.pause!.all) return true;
    if (mayReplicate(cmd)) return true;
    return cmd.fullname === 'exec' && c.multi !== null && c.multi.some((q) => mayReplicate(q.cmd));
  }

  /** CLIENT PAUSE: hold back every command (all) or the writing ones until end (ms); a second pause
   *  keeps the later end and the stricter mode. */
  pauseClients(all: boolean, end: number): void {
    if (this.pause === null) this.pause = { all, end };
    else {
      this.pause.all ||= all;
      this.pause.end = Math.max(this.pause.end, end);
    }
  }

  /** CLIENT UNPAUSE, or the pause's end: the postponed clients run their commands, in order. */
  unpauseClients(): void {
    this.pause = null;
    for (const c of this.postponed.splice(0)) this.resumePostponed(c);
  }

  /** checkClientPauseTimeoutAndReturnIfPaused: ends a pause whose time is up. */
  clientsPaused(): boolean {
    if (this.pause === null) return false;
    if (this.clock() >= this.pause.end) {
      this.unpauseClients();
      return false;
    }
    return true;
  }

  /** Whether a CLIENT PAUSE (WRITE or ALL) is in force: the master sends its replicas no PING then. */
  clientsPausedForWrites(): boolean {
    return this.pause !== null && this.clientsPaused();
  }

  /** Take c off the postponed list (CLIENT UNBLOCK, disconnect): its command is run again, or dropped if it left. */
  releasePostponed(c: Client): void {
    const i = this.postponed.indexOf(c);
    if (i < 0) return;
    this.postponed.splice(i, 1);
    if (!c.closed) this.resumePostponed(c);
  }

  private resumePostponed(c: Client): void {
    c.postponed = false;
    this.blocking.unblocked.push(c);
    this.wake(c);
  }

  /**
   * Hold c (it runs no further commands) until work finishes, then let done() write its reply and
   * send it: SAVE answers once the snapshot is durable.
   */
  waitForIo(c: Client, work: Promise<unknown>, done: (ok: boolean, error: string) => void): void {
    c.ioWait = true;
    const finish = (ok: boolean, error: string): void => {
      c.ioWait = false;
      if (c.closed) return;
      done(ok, error);
      this.blocking.unblocked.push(c);
      this.wake(c);
      this.flushReplies();
    };
    work.then(
      () => finish(true, ''),
      (e) => finish(false, String((e as Error)?.message ?? e)),
    );
  }

  /** Persistence progress for observers (the snapshot visualizer). */
  emitPersistence(e: Omit<Extract<EngineEvent, { type: 'persistence' }>, 'type'>): void {
    if (this.listeners.size > 0) this.emit({ type: 'persistence', ...e });
  }

  /**
   * Start-up loading: the RDB file from storage replaces the (empty) dataset, as Redis loads
   * dump.rdb. A missing file is an empty start; a broken one is reported and changes nothing.
   */
  async loadFromStorage(): Promise<{ source: 'rdb' | 'aof' | 'none'; keys: number; error?: string }> {
    const count = (): number => this.dbs.reduce((n, db) => n + db.size, 0);
    if (this.config.bool('appendonly')) {
      // loadDataFromDisk: with the AOF on, it alone is the truth (the RDB is not read).
      const r = await this.aof.load();
      if (r.error) return { source: 'aof', keys: count(), error: r.error };
      await this.aof.openAtStartup();
      this.dirty = 0;
      return { source: r.found ? 'aof' : 'none', keys: count() };
    }
    const name = this.config.str('dbfilename');
    let bytes: Uint8Array | null;
    try {
      bytes = await this.rdb.storage.read(name);
    } catch (e) {
      return { source: 'none', keys: 0, error: `Can't read ${name}: ${(e as Error).message}` };
    }
    if (bytes === null) return { source: 'none', keys: 0 };
    let file: RdbFile;
    try {
      file = loadRdb(this, bytes, { keepExpired: this.replication.link !== null });
    } catch (e) {
      return { source: 'none', keys: 0, error: `Bad file format reading ${name}: ${(e as Error).message}` };
    }
    this.replication.restoreFromRdb(file.aux);
    let keys = 0;
    for (const db of this.dbs) keys += db.size;
    return { source: 'rdb', keys };
  }

  /**
   * prepareForShutdown + finishShutdown: stop background saves, make the AOF durable, save the RDB
   * when save points are set (or SAVE, never with NOSAVE), then tell the host to stop. A failed
   * save cancels the shutdown unless FORCE. c waits meanwhile; it gets a reply only on failure.
   */
  shutdown(c: Client, opts: { save: boolean; nosave: boolean; force: boolean }): void {
    this.shuttingDown = true;
    this.rdb.abortBackground();
    this.aof.abortRewrite();
    const points = (this.config.raw('save') as unknown[]).length > 0;
    const save = !opts.nosave && (opts.save || points);
    const work = (async (): Promise<void> => {
      await this.aof.flushAndSync();
      if (!this.aof.lastWriteOk) throw new Error(this.aof.lastError);
      if (save) await this.rdb.storage.replace(this.config.str('dbfilename'), this.rdb.encodeNow());
    })();
    let failed = false;
    this.waitForIo(c, work, (ok) => {
      if (ok || opts.force) return;
      failed = true;
      this.shuttingDown = false;
      c.reply.err('Errors trying to SHUTDOWN. Check logs.');
    });
    void work.then(
      () => this.finishShutdown(),
      () => {
        if (opts.force && !failed) this.finishShutdown();
      },
    );
  }

  private finishShutdown(): void {
    if (!this.shuttingDown) return;
    for (const c of [...this.clients.values()]) this.closeClient(c);
    this.onShutdown?.();
  }

  /**
   * Replace the dataset with an RDB file from outside (the page's "Open dump.rdb"), as a restart
   * on that file would: a broken file changes nothing. The file becomes the saved snapshot, and
   * with the AOF on a rewrite makes the AOF hold the new data too.
   */
  importRdb(bytes: Uint8Array): { keys?: number; error?: string } {
    try {
      loadRdb(this, bytes);
    } catch (e) {
      return { error: (e as Error).message };
    }
    this.dirty = 0;
    void this.rdb.storage.replace(this.config.str('dbfilename'), bytes).catch(() => {});
    if (this.aof.state !== 'off') this.aof.startRewrite();
    return { keys: this.dbs.reduce((n, db) => n + db.size, 0) };
  }

  /** An EXEC is running its queue (server.in_exec); set by EXEC. */
  inExecNesting = 0;

  inExec(): boolean {
    return this.inExecNesting > 0;
  }

  /**
   * scriptVerifyWriteCommandAllow's server-state checks, for a write from a script run by c:
   * READONLY on a read-only replica, MISCONF while persisting fails, NOREPLICAS. Null when allowed.
   */
  scriptWriteDenied(c: Client): string | null {
    if (this.readOnlyReplicaFor(c)) return READONLY_ERROR;
    const disk = this.diskError();
    if (disk !== null) return disk;
    if (this.replication.notEnoughGoodReplicas()) return NOREPLICAS_ERROR;
    return null;
  }

  /** The MISCONF error writes get while persisting fails, or null. */
  private diskError(): string | null {
    if (
      !this.rdb.lastBgsaveOk && this.config.bool('stop-writes-on-bgsave-error') &&
      (this.config.raw('save') as unknown[]).length > 0
    ) {
      return (
        "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
        'Commands that may modify the data set are disabled, because this instance is configured to report errors ' +
        'during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs ' +
        'for details about the RDB error.'
      );
    }
    if (this.aof.state !== 'off' && !this.aof.lastWriteOk) return `MISCONF Errors writing to the AOF file: ${this.aof.lastError}`;
    return null;
  }

  /** discardTransaction: forget the queue, the dirty flags and the watched keys. */
  discardTransaction(c: Client): void {
    c.multi = null;
    c.dirtyCas = false;
    c.dirtyExec = false;
    this.watches.unwatchAll(c);
  }

  private debugAllowed(c: Client): boolean {
    const mode = this.config.str('enable-debug-command');
    return mode === 'yes' || (mode === 'local' && c.local);
  }

  /** rejectCommand: an error before the command ran (counted as rejected, not failed). */
  private rejectCommand(c: Client, msg: string, cmd?: Command): void {
    if (cmd) cmd.rejectedCalls++;
    // flagTransaction: a command that could not be queued makes EXEC fail.
    if (c.multi !== null) c.dirtyExec = true;
    if (cmd?.spec.name === 'exec' && cmd.parent === null) {
      // execCommandAbort: a rejected EXEC ends the transaction; the reason keeps its code unless ERR.
      this.discardTransaction(c);
      msg = 'EXECABORT Transaction discarded because of: ' + (msg.startsWith('ERR ') ? msg.slice(4) : msg);
    }
    // The args come from the user: no newlines may reach the protocol.
    c.reply.error(msg.replace(/[\r\n]/g, ' '));
  }

  /** errorstats: count an error reply by its code (the first word). */
  countError(msg: string): void {
    this.stats.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp < 0 ? msg : msg.slice(0, sp);
    this.stats.errorCodes.set(code, (this.stats.errorCodes.get(code) ?? 0) + 1);
  }

  /** call(): run the command with the time frozen, then account for it. */
  call(c: Client, cmd: Command, argv: string[], now: number = this.clock()): void {
    const reply = c.reply;
    const errorsBefore = reply.errors;
    const dirtyBefore = this.dirty;
    const outerTime = this.cmdTime;
    const outerClient = this.current;
    const outerCmd = c.cmd;
    const outerPrevent = c.preventPropagation;
    this.cmdTime = now;
    this.current = c;
    c.argv = argv;
    c.cmd = cmd;
    c.preventPropagation = false;
    this.callDepth++;
    if (outerClient === null) this.pubsub.forgetMutedPushes(); // a new top-level command
    const t0 = this.monotonic();
    const replyStart = reply.len;
    try {
      cmd.spec.handler!(c, argv);
    } catch (e) {
      // A bug or a limit of the JS runtime (e.g. a string too long for V8) must not take the
      // server down: drop the partial reply and answer with an error instead.
      reply.len = replyStart;
      reply.err(`internal error in '${cmd.fullname}': ${String((e as Error)?.message ?? e).replace(/[\r\n]/g, ' ')}`);
    } finally {
      this.cmdTime = outerTime;
      this.current = outerClient;
      c.cmd = outerCmd;
      this.callDepth--;
    }
    // Client side caching remembers the keys a tracking client read (for a script: its caller).
    if (this.tracking.clients > 0 && cmd.flags.has('readonly')) this.tracking.afterReadOnlyCommand(c, cmd, argv);
    cmd.usec += Math.round((this.monotonic() - t0) * 1000);
    cmd.calls++;
    this.stats.totalCommandsProcessed++;
    if (reply.errors !== errorsBefore) cmd.failedCalls++;
    // A write reaches the AOF and replicas as c.argv, which the command may have rewritten to its
    // effect (EXPIRE → PEXPIREAT). EXEC never propagates itself: its commands do, wrapped below.
    if (this.dirty > dirtyBefore && !c.preventPropagation && cmd !== this.execCommand) this.propagate(c.db.id, c.argv);
    c.preventPropagation = outerPrevent;
    if (this.callDepth === 0 && this.alsoPropagate.length > 0) this.propagatePending();
    // The offset WAIT waits for: the stream's end once this top-level command propagated.
    if (this.callDepth === 0) c.woff = this.replication.masterReplOffset;
    if (this.listeners.size > 0) this.emit({ type: 'command', client: c.id, db: c.db.id, argv });
    // MONITOR sees the command once it ran (SELECT shows its new db), as sent (not rewritten);
    // never admin commands, nor skip_monitor ones (EVAL & co. feed monitors themselves).
    if (this.monitors.size > 0 && !cmd.flags.has('admin') && !cmd.flags.has('skip_monitor')) this.feedMonitors(c, argv);
  }

  /**
   * replicationFeedMonitors: send a command's line to every MONITOR client. EVAL, EVALSHA, FCALL
   * and their _RO forms call this before running the script, so the script's commands follow it.
   */
  feedMonitors(c: Client, argv: readonly string[]): void {
    if (this.monitors.size === 0) return;
    // The script client (createScriptClient) is the only one with id 0: Redis shows it as "lua".
    const peer = c.id === 0 ? 'lua' : c.addr;
    const line = monitorLine(Math.floor(this.clock() * 1000), c.db.id, peer, argv);
    for (const m of this.monitors) {
      if (!m.monitor) {
        this.monitors.delete(m); // left MONITOR mode through RESET
        continue;
      }
      if (m.replyOff) continue;
      m.reply.raw(line);
      this.wake(m);
    }
  }

  // ---- hooks other modules call ----

  /**
   * A key was written: WATCH, client tracking and the UI hear about it. `by` is the client that
   * wrote it, null for expiry and eviction (BCAST's NOLOOP compares it).
   */
  signalModifiedKey(db: Db, key: string, by: Client | null = this.current): void {
    this.watches.touch(db, key);
    this.tracking.invalidateKey(by, key);
    this.blocking.signalStreamWaiters(db, key);
  }

  keyAdded(db: Db, key: string): void {
    // dbAdd's signalKeyAsReady: a new key may serve clients blocked on it.
    this.blocking.signalKeyAsReady(db, key);
  }
  keyDeleted(db: Db, key: string, _o: RObj): void {
    this.blocking.signalStreamWaiters(db, key);
  }

  /** notifyKeyspaceEvent: publish __keyspace@db__:key / __keyevent@db__:event when enabled. */
  notifyKeyspaceEvent(type: number, event: string, key: string, dbid: number): void {
    if (this.listeners.size > 0) this.emit({ type: 'keyspace', db: dbid, key, event });
    const flags = this.config.raw('notify-keyspace-events') as number;
    if (!(flags & type)) return;
    if (!(flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) || !this.pubsub.hasSubscribers()) return;
    if (flags & NOTIFY_KEYSPACE) this.pubsub.publish('__keyspace@' + dbid + '__:' + key, event);
    if (flags & NOTIFY_KEYEVENT) this.pubsub.publish('__keyevent@' + dbid + '__:' + event, key);
  }

  /**
   * alsoPropagate: a write to be replayed by the AOF and replicas (one stream for both). Inside a
   * command it waits for the outermost command to end; outside one (expiry in the cron) it goes out
   * at once. Costs nothing while nobody consumes the stream.
   */
  propagate(dbid: number, argv: string[], replicasOnly = false): void {
    if (this.propagationConsumers.size === 0) return;
    this.alsoPropagate.push({ dbid, argv, replicasOnly });
    if (this.callDepth === 0) this.propagatePending();
  }

  /**
   * propagatePendingCommands: send what the execution unit (a command, EXEC, a script) wrote; more
   * than one write is wrapped in MULTI/EXEC so that consumers apply it atomically (Redis 7.0).
   */
  private propagatePending(): void {
    const ops = this.alsoPropagate;
    if (ops.length === 0) return;
    this.alsoPropagate = [];
    const wrap = ops.length > 1;
    for (const consume of this.propagationConsumers) {
      if (wrap) consume(ops[0].dbid, ['MULTI'], false);
      for (const op of ops) consume(op.dbid, op.argv, op.replicasOnly);
      if (wrap) consume(ops[ops.length - 1].dbid, ['EXEC'], false);
    }
  }

  /**
   * Run fn as one unit of propagation, like a command: what it propagates goes out together at
   * the end (wrapped in MULTI/EXEC when more than one write), e.g. serving one blocked client.
   */
  propagationUnit(fn: () => void): void {
    this.callDepth++;
    try {
      fn();
    } finally {
      this.callDepth--;
    }
    if (this.callDepth === 0 && this.alsoPropagate.length > 0) this.propagatePending();
  }

  /**
   * Receive the propagated stream (AOF, replicas, tests): (db, argv) per write, SELECTs are the
   * consumer's job (each tracks the db it last selected, as Redis's AOF and replicas do).
   * replicasOnly marks what Redis sends to replicas but not to the AOF (PUBLISH).
   */
  onPropagate(consume: (dbid: number, argv: string[], replicasOnly: boolean) => void): () => void {
    this.propagationConsumers.add(consume);
    return () => this.propagationConsumers.delete(consume);
  }

  /** Whether keys may be deleted on expiry now: not while clients are paused (the dataset stays
   *  static, as Redis does); expired keys then only read as missing. */
  expireEnabled(): boolean {
    return this.pause === null || !this.clientsPaused();
  }

  setActiveExpire(on: boolean): void {
    this.activeExpireEnabled = on;
  }

  // ---- events ----

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  // ---- cron ----

  /** serverCron: the host calls this every 1000/hz ms. */
  cron(): void {
    const now = this.clock();
    this.cmdTime = now;
    try {
      // While a script is suspended (busy), Redis serves only file events: no expiry, saves or
      // client timeouts in between its commands.
      if (this.suspendedScript !== null) {
        this.sampleOps(now);
        return;
      }
      // Replicas never expire keys themselves: their master's DELs do.
      if (this.activeExpireEnabled && this.expireEnabled() && this.replication.link === null) this.activeExpireCycle();
      this.memory.cron();
      this.memory.used(); // keeps used_memory_peak (Redis samples it in serverCron too)
      if (this.evictor.running) this.evictor.perform();
      this.sampleOps(now);
      this.closeTimedOutClients(now);
      this.rdb.cron();
      this.aof.cron();
      this.replication.cron();
      // Also here, so a lowered tracking-table-max-keys applies while the server is idle.
      if (this.tracking.clients > 0) this.tracking.limitUsedSlots();
      this.blocking.handleTimeouts(now);
      // Keys the cron deleted (expiry, eviction) wake their stream readers, as beforeSleep does.
      if (this.blocking.hasReady()) this.blocking.handleClientsBlockedOnKeys();
    } finally {
      this.cmdTime = -1;
    }
    this.flushReplies();
  }

  /** Unblock the blocked clients whose timeout has passed, and send their replies (the host's timer). */
  handleBlockedTimeouts(): void {
    if (this.rdb.busy()) this.rdb.step();
    if (this.aof.busy()) this.aof.step();
    if (this.pause !== null) this.clientsPaused();
    if (this.suspendedScript !== null) this.suspendedScript();
    if (this.evictor.running) this.evictor.perform();
    this.blocking.handleTimeouts(this.clock());
    this.flushReplies();
  }

  /** Milliseconds until the next blocked client's timeout (for the host's timer), or null when none. */
  nextTimerDelay(): number | null {
    if (this.suspendedScript !== null || this.rdb.busy() || this.aof.busy() || this.evictor.running) return 0;
    let d = this.blocking.nextDeadline();
    // The end of a pause releases the postponed clients.
    if (this.pause !== null && this.postponed.length > 0 && (d === null || this.pause.end < d)) d = this.pause.end;
    return d === null ? null : Math.max(0, d - this.clock());
  }

  /** Milliseconds between cron runs for the current hz (clamped to 1..500 as Redis does). */
  cronInterval(): number {
    const hz = Math.min(500, Math.max(1, this.config.num('hz')));
    return 1000 / hz;
  }

  /**
   * activeExpireCycle (slow cycle): walk each db's volatile keys from where the last cycle stopped
   * (Redis's expires cursor), 20 per loop, deleting the expired ones; go on while more than the
   * acceptable share of a loop was stale, within a time budget of 25% of a cron period.
   */
  activeExpireCycle(): void {
    const effort = this.config.num('active-expire-effort') - 1;
    const perLoop = ACTIVE_EXPIRE_KEYS_PER_LOOP + (ACTIVE_EXPIRE_KEYS_PER_LOOP / 4) * effort;
    const acceptableStale = 10 - effort;
    const budgetMs = ((25 + 2 * effort) * 10) / Math.min(500, Math.max(1, this.config.num('hz')));
    const t0 = this.monotonic();
    const now = this.commandTime();
    for (const db of this.dbs) {
      for (;;) {
        const n = db.vkeys.length;
        if (n === 0) break;
        const samples = Math.min(n, perLoop);
        let expired = 0;
        let i = db.expireCursor < n ? db.expireCursor : 0;
        for (let s = 0; s < samples && db.vkeys.length > 0; s++) {
          if (i >= db.vkeys.length) i = 0;
          if (now > db.vobjs[i].expireAt) {
            // The last volatile key moves into slot i: look at i again next.
            db.deleteExpired(db.vkeys[i]);
            expired++;
          } else {
            i++;
          }
        }
        db.expireCursor = i;
        if (this.monotonic() - t0 > budgetMs) {
          this.stats.expiredTimeCapReachedCount++;
          return;
        }
        if (expired * 100 <= samples * acceptableStale) break;
      }
    }
  }

  private sampleOps(now: number): void {
    const dt = now - this.stats.lastSampleTime;
    if (dt < 100) return;
    const ops = this.stats.totalCommandsProcessed - this.stats.lastSampleCount;
    this.stats.opsSamples.push(Math.round((ops * 1000) / dt));
    if (this.stats.opsSamples.length > 16) this.stats.opsSamples.shift();
    this.stats.lastSampleTime = now;
    this.stats.lastSampleCount = this.stats.totalCommandsProcessed;
  }

  private closeTimedOutClients(now: number): void {
    const timeout = this.config.num('timeout');
    if (timeout <= 0) return;
    for (const c of this.clients.values()) {
      // Blocked clients wait for their own timeout, not the idle one (clientsCronHandleTimeout).
      if (c.blocked === null && now - c.lastInteraction > timeout * 1000) this.closeClient(c);
    }
  }

  private configChanged(name: string): void {
    if (name === 'maxmemory-policy') {
      this.lfu = this.policyIsLfu();
      this.evictor.resetPool(); // LRU and LFU scores do not compare
    } else if (name === 'maxmemory') {
      this.maxmemoryBytes = Number(this.config.int64('maxmemory'));
      // Redis starts evicting at once when the new limit is below used memory.
      if (this.maxmemoryBytes !== 0 && this.memory.usedForMaxmemory() > this.maxmemoryBytes) this.evictor.running = true;
    } else if (name === 'requirepass') {
      // A new password does not log out clients that are already in; the parser's limits for the
      // others follow whether a password is needed now.
      for (const c of this.clients.values()) c.parser.limits.unauthenticated = !c.authenticated && this.authRequired();
    } else if (name === 'appendonly') {
      if (this.config.bool('appendonly')) this.aof.enable();
      else this.aof.disable();
    } else if (name === 'repl-backlog-size') {
      this.replication.resizeBacklog();
    } else if (name === 'min-replicas-to-write') {
      this.replication.minReplicasToWrite = this.config.num(name);
    } else if (name === 'proto-max-bulk-len') {
      for (const c of this.clients.values()) c.parser.limits.maxBulkLen = this.config.num(name);
    }
  }
}

/**
 * Commands Redis 7.0 flags MAY_REPLICATE: they may propagate without being writes. COMMAND INFO
 * does not show this flag in 7.0, so it is kept here rather than in the command specs.
 */
const MAY_REPLICATE_COMMANDS = new Set(['eval', 'evalsha', 'fcall', 'pfcount', 'publish', 'spublish']);

/** is_may_replicate_command: writes, and commands that may propagate (PUBLISH, EVAL, ...). */
export function mayReplicate(cmd: Command): boolean {
  return cmd.flags.has('write') || MAY_REPLICATE_COMMANDS.has(cmd.fullname);
}

/** What a RESP2 client with subscriptions may still run. */
const PUBSUB_CONTEXT_COMMANDS = new Set([
  'ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset',
]);

/** Commands MULTI lets through when out of memory (processCommand's reject_cmd_on_oom). */
const OOM_EXEMPT_IN_MULTI = new Set(['exec', 'discard', 'quit', 'reset']);

/** Commands that run at once inside MULTI instead of being queued. */
const MULTI_IMMEDIATE_COMMANDS = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** printf's "%.*s": at most n chars, cut at the first NUL. */
function cString(s: string, n: number): string {
  const nul = s.indexOf('\0');
  const end = Math.min(n, nul < 0 ? s.length : nul);
  return end < s.length ? s.slice(0, end) : s;
}

function busySleep(monotonic: () => number): (ms: number) => void {
  return (ms) => {
    const until = monotonic() + ms;
    while (monotonic() < until) { /* DEBUG SLEEP blocks the server, as in Redis */ }
  };
}
