import type { Client } from '../client';
import type { Engine } from '../server';
import { respCommand } from '../persistence/aof';
import { string2ll } from '../util/numbers';
import { Backlog, REPL_BACKLOG_MIN_SIZE, STANDARD_BLOCK_SIZE, PROTO_REPLY_CHUNK_BYTES, LIST_NODE_SIZE, REPL_BUF_BLOCK_HEADER } from './backlog';
import { ReplicaLink, type LinkState } from './replica';

/**
 * Replication, both sides, as Redis's replication.c: this server's replication ID and offset, the
 * backlog, the replicas attached to it (master side), and the link to its own master when it is a
 * replica (replica.ts). Replicas of a replica get the master's stream byte for byte (a chain shares
 * one replication ID and one offset space), so any node can take over as master (PSYNC2).
 *
 * The stream is the engine's propagation stream (the one the AOF gets), written as RESP with a
 * SELECT whenever the db changes. The full sync sends an RDB made like a BGSAVE (a consistent
 * snapshot written in slices, copy-on-write), framed as "$<len>\r\n" or, diskless, "$EOF:<mark>\r\n".
 */

/** What a replica connection is doing, as INFO replication names it. */
export type ReplicaState = 'wait_bgsave' | 'send_bulk' | 'online';

/** A client that is one of our replicas (it sent SYNC or PSYNC). */
export interface ReplicaInfo {
  state: ReplicaState;
  /** SLAVE_STATE_WAIT_BGSAVE_START: waiting for a snapshot to be started (diskless delay, another save). */
  waitingStart: boolean;
  /** REPLCONF listening-port (0 until told). */
  listeningPort: number;
  /** REPLCONF ip-address. */
  announcedIp: string;
  /** REPLCONF capa eof / psync2. */
  capaEof: boolean;
  capaPsync2: boolean;
  /** Sent SYNC, not PSYNC: no +FULLRESYNC line. */
  oldSync: boolean;
  /** The offset its snapshot corresponds to (psync_initial_offset). */
  initialOffset: number;
  /** Stream bytes that arrived after its snapshot began, sent after the RDB. */
  pending: string[];
  /** Their total length. */
  pendingBytes: number;
  /**
   * Stream bytes queued in its reply buffer so far. The buffer holds the stream after anything
   * else (+FULLRESYNC, the RDB), so min(reply.len, this) of them are not sent yet: with
   * pendingBytes, where the replica stands in the shared replication buffer.
   */
  streamQueued: number;
  /** Diskless: the command stream starts once the replica acknowledges having loaded the RDB. */
  streamOnAck: boolean;
  /** REPLCONF ACK: offset and when (ms). */
  ackOffset: number;
  ackTime: number;
  /** Disk or diskless transfer of the snapshot this replica waits for. */
  diskless: boolean;
}

/** A client blocked in WAIT. */
interface Waiter {
  client: Client;
  offset: number;
  numreplicas: number;
}

/** Redis's CONFIG_RUN_ID_SIZE ids: 40 hex chars. */
const ZERO_ID = '0'.repeat(40);

/** The events the replication views need (state changes, offsets, sync progress). */
export type ReplicationEvent =
  | { what: 'replica'; client: number; state: ReplicaState | 'gone'; addr: string; port: number }
  | { what: 'full-sync'; client: number; offset: number; bytes: number; diskless: boolean }
  | { what: 'partial-sync'; client: number; offset: number; bytes: number }
  | { what: 'link'; state: LinkState; host: string; port: number }
  | { what: 'sync-progress'; read: number; total: number }
  | { what: 'synced'; kind: 'full' | 'partial'; offset: number; replid: string };

/** getMemoryOverheadData's and freeMemoryGetNotCountedMemory's replication figures. */
export interface ReplicationMemory {
  /** mem_total_replication_buffers (server.repl_buffer_mem) */
  buffers: number;
  /** mem_replication_backlog / MEMORY STATS replication.backlog */
  backlog: number;
  /** mem_clients_slaves / clients.slaves: the shared buffer beyond the backlog's size, while replicas are attached. */
  replicas: number;
  /** The part of mem_not_counted_for_evict that is the replication buffer. */
  notCounted: number;
}

export class Replication {
  readonly engine: Engine;
  replid: string;
  replid2 = ZERO_ID;
  masterReplOffset = 0;
  secondReplidOffset = -1;
  backlog: Backlog | null = null;
  /** Our replicas, in attach order (INFO's slave0, slave1, ...). */
  readonly replicas: Client[] = [];
  /** The db the stream last selected (-1: the next command sends a SELECT). */
  seldb = -1;
  /** When the last replica went away (for repl-backlog-ttl), ms; 0 while any is attached. */
  noReplicasSince = 0;
  /** The link to our master when we are a replica. */
  link: ReplicaLink | null = null;
  /** Clients blocked in WAIT. */
  private waiters: Waiter[] = [];
  /** Ask replicas for their offset at the end of this event-loop turn (WAIT). */
  private getAckPending = false;
  /** Seconds since the last PING to replicas (sent every repl-ping-replica-period). */
  private pingTicks = 0;
  /** When replicationCron last ran (ms): it runs once a second, from the engine cron. */
  private lastCron = 0;
  /** INFO stats. */
  syncFull = 0;
  syncPartialOk = 0;
  syncPartialErr = 0;
  /** FAILOVER: where it stands (INFO master_failover_state), its target, deadline (ms, 0 = none), FORCE. */
  failoverState: 'no-failover' | 'waiting-for-sync' | 'failover-in-progress' = 'no-failover';
  private failoverTarget: { host: string; port: number } | null = null;
  private failoverEnd = 0;
  private failoverForce = false;
  private readonly listeners = new Set<(e: ReplicationEvent) => void>();
  /** min-replicas-to-write, cached: dispatch looks at it before every command. */
  minReplicasToWrite: number;
  /** Unsubscribes feed() from the engine's propagation, or null while not subscribed. */
  private stopFeeding: (() => void) | null = null;

  constructor(engine: Engine) {
    this.engine = engine;
    this.replid = randomId(engine);
    this.minReplicasToWrite = engine.config.num('min-replicas-to-write');
    // replicaof in the configuration: a replica from the start (the cron connects).
    const configured = engine.config.str('replicaof');
    if (configured !== '') {
      const at = configured.lastIndexOf(' ');
      this.link = new ReplicaLink(this, configured.slice(0, at), Number(configured.slice(at + 1)), null);
    }
  }

  /** Whether this server is a replica (server.masterhost != NULL). */
  isReplica(): boolean {
    return this.link !== null;
  }

  on(listener: (e: ReplicationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: ReplicationEvent): void {
    for (const l of this.listeners) l(e);
  }

  // ---- the stream ----

  /** replicationFeedSlaves: a propagated write becomes stream bytes. A replica proxies its master instead. */
  private feed(dbid: number, argv: readonly string[]): void {
    if (this.link !== null) return;
    if (this.backlog === null && this.replicas.length === 0) return;
    let data = '';
    if (this.seldb !== dbid) {
      data = respCommand(['SELECT', String(dbid)]);
      this.seldb = dbid;
    }
    data += respCommand(argv);
    if (data.length <= STANDARD_BLOCK_SIZE) this.feedStream(data);
    else this.feedPieces(data, argv);
  }

  /**
   * A command too long for one block: feed it in the pieces Redis feeds (replicationFeedSlaves
   * writes each argument apart from its "$len" header), so that an argument over 16KB gets a block
   * of its own size as in Redis. Runs of small pieces are joined (up to a block: same blocks).
   */
  private feedPieces(data: string, argv: readonly string[]): void {
    // data is [SELECT]*N\r\n then each argument as $len\r\n<arg>\r\n.
    let at = data.length;
    for (const a of argv) at -= 5 + String(a.length).length + a.length;
    let runStart = 0;
    for (const a of argv) {
      const argStart = at + 3 + String(a.length).length;
      const end = argStart + a.length + 2;
      if (a.length > PROTO_REPLY_CHUNK_BYTES) {
        this.feedStream(data.slice(runStart, argStart));
        this.feedStream(a);
        runStart = argStart + a.length;
      } else if (end - runStart > STANDARD_BLOCK_SIZE) {
        this.feedStream(data.slice(runStart, at));
        runStart = at;
      }
      at = end;
    }
    this.feedStream(data.slice(runStart));
  }

  /** Append bytes to the stream: the backlog, the online replicas, and those still syncing (buffered). */
  feedStream(data: string): void {
    if (data.length === 0) return;
    const backlog = this.backlog;
    this.masterReplOffset += data.length;
    for (const r of this.replicas) {
      const info = r.replica!;
      if (info.state === 'online' && !info.streamOnAck) {
        this.send(r, data);
        info.streamQueued += data.length;
      } else {
        info.pending.push(data);
        info.pendingBytes += data.length;
      }
    }
    // Appended once the replicas have it queued: the blocks they still send from stay.
    backlog?.append(data);
  }

  /** The stream a replica of a replica gets: our master's, in pieces of at most a block (as Redis reads it, 16KB at a time). */
  feedProxied(data: string): void {
    for (let i = 0; i < data.length; i += PROTO_REPLY_CHUNK_BYTES) {
      this.feedStream(data.length <= PROTO_REPLY_CHUNK_BYTES ? data : data.slice(i, i + PROTO_REPLY_CHUNK_BYTES));
    }
  }

  /**
   * The offset of the first stream byte replica c has not sent yet, or of the last byte when it
   * sent everything (it then references the last block); Infinity when it references no block
   * (waiting for a snapshot to start, or nothing was fed since its snapshot began).
   */
  replicaStreamPosition(c: Client): number {
    const r = c.replica;
    if (r === null || r.waitingStart) return Infinity;
    const start = r.initialOffset + 1;
    if (start > this.masterReplOffset) return Infinity;
    const unsent = r.pendingBytes + Math.min(c.reply.len, r.streamQueued);
    return Math.min(this.masterReplOffset, Math.max(start, this.masterReplOffset + 1 - unsent));
  }

  /** The oldest stream byte any replica still needs (the backlog keeps the blocks from there). */
  private pinnedFrom(): number {
    let min = Infinity;
    for (const c of this.replicas) min = Math.min(min, this.replicaStreamPosition(c));
    return min;
  }

  /** CLIENT LIST's oll and omem of a replica: the blocks of the shared buffer it still references. */
  replicaOutput(c: Client): { blocks: number; bytes: number } {
    if (this.backlog === null || c.replica === null) return { blocks: 0, bytes: 0 };
    return this.backlog.replicaOutput(this.replicaStreamPosition(c));
  }

  /**
   * The replication buffer in getMemoryOverheadData's terms: the backlog's share is the buffer up
   * to repl-backlog-size (plus Redis's estimate of its block index), the replicas' the rest while
   * any is attached. And freeMemoryGetNotCountedMemory's: maxmemory ignores the buffer beyond the
   * backlog's size and an estimate of its blocks' headers.
   */
  memory(): ReplicationMemory {
    const b = this.backlog;
    if (b === null) return { buffers: 0, backlog: 0, replicas: 0, notCounted: 0 };
    const buffers = b.bufferMemory();
    const size = this.engine.config.num('repl-backlog-size');
    let backlog = buffers;
    let replicas = 0;
    if (this.replicas.length > 0 && buffers > size) {
      replicas = buffers - size;
      backlog = size;
    }
    backlog += b.indexMemory();
    let notCounted = 0;
    if (buffers > size) {
      const counted = size + (Math.floor(size / PROTO_REPLY_CHUNK_BYTES) + 1) * (REPL_BUF_BLOCK_HEADER + LIST_NODE_SIZE);
      if (buffers > counted) notCounted = buffers - counted;
    }
    return { buffers, backlog, replicas, notCounted };
  }

  private send(c: Client, data: string): void {
    c.reply.raw(data);
    this.engine.wake(c);
  }

  // ---- master side: SYNC / PSYNC ----

  /** syncCommand: SYNC, or PSYNC replid offset. */
  sync(c: Client, argv: string[]): void {
    if (c.replica !== null) return; // already a replica: ignore
    // PSYNC replid offset FAILOVER: our master hands over to us, if we share its history.
    if (argv.length > 3 && argv[0].toLowerCase() === 'psync' && argv[3].toLowerCase() === 'failover') {
      if (argv[1] !== this.replid) {
        c.reply.err('PSYNC FAILOVER replid must match my replid.');
        return;
      }
      this.unsetMaster();
      this.engine.log(`MASTER MODE enabled (failover request from 'id=${c.id} addr=${c.addr}')`);
    }
    if (this.failoverState !== 'no-failover') {
      c.reply.error("NOMASTERLINK Can't SYNC while failing over");
      return;
    }
    if (this.link !== null && this.link.state !== 'connected') {
      c.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
      return;
    }
    if (c.reply.len > 0) {
      c.reply.err('SYNC and PSYNC are invalid with pending output');
      return;
    }
    const psync = argv[0].toLowerCase() === 'psync';
    if (psync) {
      const offset = string2ll(argv[2]);
      if (offset === null) {
        c.reply.err('value is not an integer or out of range');
        return;
      }
      if (this.tryPartial(c, argv[1], Number(offset))) {
        this.syncPartialOk++;
        return;
      }
      if (argv[1] !== '?') this.syncPartialErr++;
    }
    this.syncFull++;
    this.attach(c, 'wait_bgsave', 0, !psync);
    // createReplicationBacklog on the first replica: a new history starts with a new ID.
    if (this.replicas.length === 1 && this.backlog === null) {
      this.replid = randomId(this.engine);
      this.clearReplid2();
      this.createBacklog();
    }
    this.maybeStartSnapshot(c);
  }

  /** masterTryPartialResynchronization */
  private tryPartial(c: Client, replid: string, offset: number): boolean {
    const knownHistory = replid === this.replid || (replid === this.replid2 && offset <= this.secondReplidOffset);
    if (!knownHistory || this.backlog === null || !this.backlog.covers(offset)) return false;
    this.attach(c, 'online', offset - 1, false);
    const data = this.backlog.from(offset);
    c.reply.raw(c.replConf.capaPsync2 ? `+CONTINUE ${this.replid}\r\n` : '+CONTINUE\r\n');
    c.reply.raw(data);
    c.replica!.streamQueued += data.length;
    this.emit({ what: 'partial-sync', client: c.id, offset, bytes: data.length });
    return true;
  }

  /** c becomes one of our replicas (CLIENT_SLAVE), with what its REPLCONFs told us. */
  private attach(c: Client, state: ReplicaState, initialOffset: number, oldSync: boolean): void {
    const conf = c.replConf;
    c.replica = {
      state, waitingStart: state === 'wait_bgsave', listeningPort: conf.listeningPort, announcedIp: conf.ip,
      capaEof: conf.capaEof, capaPsync2: conf.capaPsync2, oldSync, initialOffset, pending: [], pendingBytes: 0, streamQueued: 0,
      streamOnAck: false, ackOffset: 0, ackTime: this.engine.clock(), diskless: false,
    };
    this.replicas.push(c);
    this.noReplicasSince = 0;
    this.emit({ what: 'replica', client: c.id, state, addr: c.addr, port: conf.listeningPort });
  }

  /** A replica connection closed (freeClient). */
  detach(c: Client): void {
    const i = this.replicas.indexOf(c);
    if (i < 0) return;
    this.replicas.splice(i, 1);
    if (this.replicas.length === 0) this.noReplicasSince = this.engine.clock();
    this.emit({ what: 'replica', client: c.id, state: 'gone', addr: c.addr, port: c.replica!.listeningPort });
    // freeReplicaReferencedReplBuffer: the blocks only it held on to go (histlen trims).
    this.backlog?.trim();
    this.checkWaiters();
  }

  createBacklog(): void {
    this.setBacklog(new Backlog(this.engine.config.num('repl-backlog-size'), this.masterReplOffset));
  }

  /**
   * The stream is fed only while there is a backlog (replicas come with one): without it the
   * engine's propagation costs nothing (Engine.propagate returns early with no consumer).
   */
  private setBacklog(b: Backlog | null): void {
    if (b !== null) b.pinnedFrom = () => this.pinnedFrom();
    this.backlog = b;
    if (b !== null && this.stopFeeding === null) {
      this.stopFeeding = this.engine.onPropagate((dbid, argv) => this.feed(dbid, argv));
    } else if (b === null && this.stopFeeding !== null) {
      this.stopFeeding();
      this.stopFeeding = null;
    }
  }

  /** The snapshot in progress (a BGSAVE with replicas attached) or one to start now. */
  private maybeStartSnapshot(c: Client): void {
    const rdb = this.engine.rdb;
    const diskless = this.engine.config.bool('repl-diskless-sync') && c.replica!.capaEof;
    // A disk save already running can serve this replica too: it gets the state at its start,
    // and the stream since then (copied from a replica waiting on the same save).
    const running = rdb.replicationTarget();
    if (running === 'disk' && !diskless) {
      const peer = this.replicas.find((r) => r !== c && r.replica!.state === 'wait_bgsave' && !r.replica!.waitingStart && !r.replica!.diskless);
      if (peer !== undefined) {
        this.setupFullResync(c, peer.replica!.initialOffset, false);
        c.replica!.pending = [...peer.replica!.pending];
        c.replica!.pendingBytes = peer.replica!.pendingBytes;
        return;
      }
    }
    if (rdb.running()) return; // wait for it to end (replicationCron starts ours)
    if (diskless && this.engine.config.num('repl-diskless-sync-delay') > 0) return; // more replicas may come
    this.startSnapshot(diskless);
  }

  /** startBgsaveForReplication: every replica waiting to start gets +FULLRESYNC and this snapshot. */
  private startSnapshot(diskless: boolean): void {
    const waiting = this.replicas.filter((r) => r.replica!.waitingStart && (this.engine.config.bool('repl-diskless-sync') && r.replica!.capaEof) === diskless);
    if (waiting.length === 0) return;
    if (!this.engine.rdb.startForReplication(diskless ? 'replicas' : 'disk')) return;
    for (const r of waiting) this.setupFullResync(r, this.masterReplOffset, diskless);
  }

  /** replicationSetupSlaveForFullResync */
  private setupFullResync(c: Client, offset: number, diskless: boolean): void {
    const r = c.replica!;
    r.waitingStart = false;
    r.initialOffset = offset;
    r.diskless = diskless;
    r.pending = [];
    r.pendingBytes = 0;
    // The stream after a full sync starts with a SELECT.
    this.seldb = -1;
    if (!r.oldSync) {
      c.reply.raw(`+FULLRESYNC ${this.replid} ${offset}\r\n`);
      this.engine.wake(c);
    }
  }

  /** The replication snapshot (or a disk BGSAVE replicas wait on) is done: send it (RDB bytes, or null on failure). */
  snapshotDone(bytes: Uint8Array | null, diskless: boolean): void {
    for (const c of [...this.replicas]) {
      const r = c.replica!;
      if (r.state !== 'wait_bgsave' || r.waitingStart || r.diskless !== diskless) continue;
      if (bytes === null) {
        // The save failed: drop the replica, it will try again.
        this.engine.closeClient(c);
        continue;
      }
      if (diskless) {
        const mark = randomId(this.engine);
        c.reply.raw(`$EOF:${mark}\r\n`);
        c.reply.rawBytes(bytes);
        c.reply.raw(mark);
        // The replica loads the RDB before it reads more: the stream waits for its first ACK.
        r.streamOnAck = true;
      } else {
        c.reply.raw(`$${bytes.length}\r\n`);
        c.reply.rawBytes(bytes);
      }
      r.state = 'online';
      r.ackTime = this.engine.clock();
      this.emit({ what: 'full-sync', client: c.id, offset: r.initialOffset, bytes: bytes.length, diskless });
      this.emit({ what: 'replica', client: c.id, state: 'online', addr: c.addr, port: r.listeningPort });
      if (!r.streamOnAck) this.flushPending(c);
      this.engine.wake(c);
    }
    // Replicas that could not join this snapshot start the next one.
    this.startWaitingSnapshots();
  }

  private flushPending(c: Client): void {
    const r = c.replica!;
    for (const data of r.pending) c.reply.raw(data);
    r.streamQueued += r.pendingBytes;
    r.pending = [];
    r.pendingBytes = 0;
    this.engine.wake(c);
  }

  private startWaitingSnapshots(): void {
    if (this.engine.rdb.running()) return;
    const waiting = this.replicas.filter((r) => r.replica!.waitingStart);
    if (waiting.length === 0) return;
    const disklessOn = this.engine.config.bool('repl-diskless-sync');
    const delay = this.engine.config.num('repl-diskless-sync-delay') * 1000;
    const now = this.engine.clock();
    const diskless = waiting.filter((r) => disklessOn && r.replica!.capaEof);
    const disk = waiting.filter((r) => !(disklessOn && r.replica!.capaEof));
    if (disk.length > 0) {
      this.startSnapshot(false);
      return;
    }
    // Diskless: wait repl-diskless-sync-delay after the last replica arrived (or until enough came).
    const maxReplicas = this.engine.config.num('repl-diskless-sync-max-replicas');
    const idle = Math.min(...diskless.map((r) => now - r.createdAt));
    if (idle >= delay || (maxReplicas > 0 && diskless.length >= maxReplicas)) this.startSnapshot(true);
  }

  // ---- REPLCONF ----

  /** REPLCONF ACK from a replica. */
  ack(c: Client, offset: number): void {
    const r = c.replica;
    if (r === null) return;
    if (offset > r.ackOffset) r.ackOffset = offset;
    r.ackTime = this.engine.clock();
    if (r.streamOnAck && r.state === 'online') {
      r.streamOnAck = false;
      this.flushPending(c);
    }
    this.checkWaiters();
  }

  // ---- WAIT ----

  /** replicationCountAcksByOffset */
  countAcks(offset: number): number {
    let n = 0;
    for (const c of this.replicas) if (c.replica!.state === 'online' && c.replica!.ackOffset >= offset) n++;
    return n;
  }

  /** WAIT numreplicas timeout: answered now, or blocked until enough replicas acknowledge. */
  wait(c: Client, numreplicas: number, deadline: number): void {
    const offset = c.woff;
    const acked = this.countAcks(offset);
    if (acked >= numreplicas || c.denyBlocking) {
      c.reply.int(acked);
      return;
    }
    this.waiters.push({ client: c, offset, numreplicas });
    this.engine.blocking.block(c, {
      db: c.db, keys: [], type: -1, deadline,
      serve: () => {},
      timedOut: (bc) => {
        this.removeWaiter(bc);
        bc.reply.int(this.countAcks(offset));
      },
    });
    this.getAckPending = true;
  }

  private removeWaiter(c: Client): void {
    this.waiters = this.waiters.filter((w) => w.client !== c);
  }

  /** processClientsWaitingReplicas */
  private checkWaiters(): void {
    if (this.waiters.length === 0) return;
    for (const w of [...this.waiters]) {
      if (w.client.closed || w.client.blocked === null) {
        this.removeWaiter(w.client);
        continue;
      }
      const acked = this.countAcks(w.offset);
      if (acked < w.numreplicas) continue;
      this.removeWaiter(w.client);
      w.client.reply.int(acked);
      this.engine.blocking.unblock(w.client);
    }
  }

  /** beforeSleep: WAIT asked for acks, so send REPLCONF GETACK * down the stream (no SELECT). */
  beforeSleep(): void {
    if (this.getAckPending && this.link === null && !this.engine.clientsPausedForWrites()) {
      this.getAckPending = false;
      if (this.replicas.length > 0) this.feedStream(respCommand(['REPLCONF', 'GETACK', '*']));
    }
    this.updateFailover();
  }

  // ---- FAILOVER ----

  /** FAILOVER [TO host port [FORCE]] [TIMEOUT ms] | FAILOVER ABORT */
  failover(c: Client, argv: string[]): void {
    if (argv.length === 2 && argv[1].toLowerCase() === 'abort') {
      if (this.failoverState === 'no-failover') return c.reply.err('No failover in progress.');
      this.abortFailover('Failover manually aborted');
      return c.reply.ok();
    }
    let timeout = 0;
    let force = false;
    let target: { host: string; port: number } | null = null;
    for (let j = 1; j < argv.length; j++) {
      const a = argv[j].toLowerCase();
      if (a === 'timeout' && j + 1 < argv.length && timeout === 0) {
        const t = string2ll(argv[j + 1]);
        if (t === null) return c.reply.err('value is not an integer or out of range');
        if (t <= 0) return c.reply.err('FAILOVER timeout must be greater than 0');
        timeout = Number(t);
        j++;
      } else if (a === 'to' && j + 2 < argv.length && target === null) {
        const port = string2ll(argv[j + 2]);
        if (port === null) return c.reply.err('value is not an integer or out of range');
        target = { host: argv[j + 1], port: Number(port) };
        j += 2;
      } else if (a === 'force' && !force) {
        force = true;
      } else {
        return c.reply.syntaxErr();
      }
    }
    if (this.failoverState !== 'no-failover') return c.reply.err('FAILOVER already in progress.');
    if (this.link !== null) return c.reply.err('FAILOVER is not valid when server is a replica.');
    if (this.replicas.length === 0) return c.reply.err('FAILOVER requires connected replicas.');
    if (force && (timeout === 0 || target === null)) {
      return c.reply.err('FAILOVER with force option requires both a timeout and target HOST and IP.');
    }
    if (target !== null) {
      const replica = this.findReplica(target.host, target.port);
      if (replica === null) return c.reply.err('FAILOVER target HOST and PORT is not a replica.');
      if (replica.replica!.state !== 'online') return c.reply.err('FAILOVER target replica is not online.');
      this.engine.log(`FAILOVER requested to ${target.host}:${target.port}.`);
    } else {
      this.engine.log('FAILOVER requested to any replica.');
    }
    this.failoverTarget = target;
    this.failoverEnd = timeout > 0 ? this.engine.clock() + timeout : 0;
    this.failoverForce = force;
    this.failoverState = 'waiting-for-sync';
    // Writes wait while the replica catches up (Redis's PAUSE_DURING_FAILOVER, a CLIENT PAUSE WRITE).
    this.engine.pauseClients(false, Infinity);
    c.reply.ok();
  }

  /** findReplica: by the address it announced (or connected from) and its listening port. */
  private findReplica(host: string, port: number): Client | null {
    for (const c of this.replicas) {
      const r = c.replica!;
      const ip = replicaIp(c);
      if (ip.toLowerCase() === host.toLowerCase() && r.listeningPort === port) return c;
    }
    return null;
  }

  /** updateFailoverStatus: once the target (or any replica) has our whole stream, hand over to it. */
  private updateFailover(): void {
    if (this.failoverState !== 'waiting-for-sync') return;
    const now = this.engine.clock();
    if (this.failoverEnd !== 0 && this.failoverEnd <= now) {
      if (this.failoverForce && this.failoverTarget !== null) {
        this.engine.log(`FAILOVER to ${this.failoverTarget.host}:${this.failoverTarget.port} time out exceeded, failing over.`);
        this.failoverState = 'failover-in-progress';
        this.setMaster(this.failoverTarget.host, this.failoverTarget.port);
      } else {
        this.abortFailover('Replica never caught up before timeout');
      }
      return;
    }
    let replica: Client | null = null;
    if (this.failoverTarget !== null) {
      replica = this.findReplica(this.failoverTarget.host, this.failoverTarget.port);
    } else {
      for (const c of this.replicas) {
        if (c.replica!.ackOffset === this.masterReplOffset) {
          replica = c;
          this.failoverTarget = { host: replicaIp(c), port: c.replica!.listeningPort };
          break;
        }
      }
    }
    if (replica !== null && replica.replica!.ackOffset === this.masterReplOffset && this.failoverTarget !== null) {
      this.failoverState = 'failover-in-progress';
      this.engine.log(`Failover target ${this.failoverTarget.host}:${this.failoverTarget.port} is synced, failing over.`);
      this.setMaster(this.failoverTarget.host, this.failoverTarget.port);
    }
  }

  /** The target answered our PSYNC FAILOVER: done (clearFailoverState). */
  clearFailover(): void {
    this.failoverState = 'no-failover';
    this.failoverTarget = null;
    this.failoverEnd = 0;
    this.failoverForce = false;
    this.engine.unpauseClients();
  }

  /** abortFailover: back to master if we had already turned replica. */
  abortFailover(why: string): void {
    if (this.failoverState === 'no-failover') return;
    const t = this.failoverTarget;
    this.engine.log(t !== null ? `FAILOVER to ${t.host}:${t.port} aborted: ${why}` : `FAILOVER to any replica aborted: ${why}`);
    if (this.failoverState === 'failover-in-progress') this.unsetMaster();
    this.clearFailover();
  }

  // ---- min-replicas-to-write ----

  /** refreshGoodSlavesCount: replicas online whose last ack is at most min-replicas-max-lag seconds old. */
  goodReplicas(): number {
    const maxLag = this.engine.config.num('min-replicas-max-lag');
    const now = this.engine.clock();
    let n = 0;
    for (const c of this.replicas) {
      const r = c.replica!;
      if (r.state === 'online' && Math.floor((now - r.ackTime) / 1000) <= maxLag) n++;
    }
    return n;
  }

  /** Whether writes are refused for lack of good replicas (checkGoodReplicasStatus). */
  notEnoughGoodReplicas(): boolean {
    const min = this.minReplicasToWrite;
    if (this.link !== null || min === 0 || this.engine.config.num('min-replicas-max-lag') === 0) return false;
    return this.goodReplicas() < min;
  }

  // ---- roles ----

  /** shiftReplicationId: a new history begins here; the old one stays valid up to our offset. */
  shiftReplid(): void {
    this.replid2 = this.replid;
    this.secondReplidOffset = this.masterReplOffset + 1;
    this.replid = randomId(this.engine);
  }

  clearReplid2(): void {
    this.replid2 = ZERO_ID;
    this.secondReplidOffset = -1;
  }

  /** Close every replica's connection (they reconnect and resync, partially when they can). */
  disconnectReplicas(): void {
    for (const c of [...this.replicas]) this.engine.closeClient(c);
  }

  /** REPLICAOF host port. */
  setMaster(host: string, port: number): void {
    const wasMaster = this.link === null;
    // replicationCacheMasterUsingMyself: our own history lets the new master continue it.
    const cached = wasMaster ? { replid: this.replid, offset: this.masterReplOffset, db: 0 } : this.link!.cachedMaster();
    this.link?.close();
    if (wasMaster) {
      // Clients blocked on keys are told the instance changed role, as Redis does.
      this.engine.disconnectBlockedClients();
    }
    this.disconnectReplicas();
    this.link = new ReplicaLink(this, host, port, cached);
    this.emit({ what: 'link', state: this.link.state, host, port });
    this.link.connect();
  }

  /** REPLICAOF NO ONE: become a master, keeping the history so replicas can continue with us. */
  unsetMaster(): void {
    const link = this.link;
    if (link === null) return;
    this.link = null;
    link.close();
    // The offset is what we applied from our master.
    this.shiftReplid();
    this.disconnectReplicas();
    this.seldb = -1;
    if (this.backlog === null) this.createBacklog();
    this.emit({ what: 'link', state: 'none', host: link.host, port: link.port });
  }

  /** replicationCron, once a second. */
  cron(): void {
    const now = this.engine.clock();
    if (now - this.lastCron < 1000) return;
    this.lastCron = now;
    this.link?.cron();
    // Master side: PING the replicas every repl-ping-replica-period seconds (part of the stream).
    if (this.link === null && this.replicas.length > 0 && !this.engine.clientsPausedForWrites()) {
      const period = this.engine.config.num('repl-ping-replica-period');
      this.pingTicks = (this.pingTicks + 1) % period;
      if (this.pingTicks === 0) this.feedStream(respCommand(['ping']));
    }
    // Replicas waiting for a snapshot get a newline now and then, so they don't time out.
    for (const c of this.replicas) {
      const r = c.replica!;
      if (r.state === 'wait_bgsave' && (r.waitingStart || !r.diskless)) this.send(c, '\n');
    }
    // Drop the backlog once no replica has been attached for repl-backlog-ttl seconds.
    const ttl = this.engine.config.num('repl-backlog-ttl');
    if (this.link === null && this.backlog !== null && this.replicas.length === 0 && ttl > 0 && this.noReplicasSince > 0 &&
      now - this.noReplicasSince > ttl * 1000) {
      this.replid = randomId(this.engine);
      this.clearReplid2();
      this.setBacklog(null);
    }
    this.startWaitingSnapshots();
  }

  /**
   * Start-up with an RDB that carries replication info (repl-id, repl-offset, repl-stream-db): a
   * replica continues its history with a PSYNC; a master keeps it as its secondary ID, so its
   * former replicas can continue with it after a restart.
   */
  restoreFromRdb(aux: Map<string, string>): void {
    const id = aux.get('repl-id');
    const offset = Number(aux.get('repl-offset') ?? -1);
    const db = Number(aux.get('repl-stream-db') ?? -1);
    if (id === undefined || id.length !== 40 || !(offset >= 0) || !(db >= 0)) return;
    if (this.link !== null) {
      this.replid = id;
      this.masterReplOffset = offset;
      this.link.restoreCached(id, offset, db);
      return;
    }
    if (this.backlog === null) this.createBacklog();
    this.replid2 = id;
    this.secondReplidOffset = offset + 1;
    this.masterReplOffset += offset;
    this.setBacklog(new Backlog(this.engine.config.num('repl-backlog-size'), this.masterReplOffset));
    this.noReplicasSince = this.engine.clock();
  }

  /** CONFIG SET repl-backlog-size (resizeReplicationBacklog raises it to 16KB at least). */
  resizeBacklog(): void {
    const size = this.engine.config.num('repl-backlog-size');
    if (size < REPL_BACKLOG_MIN_SIZE) {
      this.engine.config.set('repl-backlog-size', String(REPL_BACKLOG_MIN_SIZE)); // calls us again
      return;
    }
    this.backlog?.resize(size);
  }
}

/** A replica's address as INFO, ROLE and FAILOVER name it: REPLCONF ip-address, else its peer's IP. */
export function replicaIp(c: Client): string {
  return c.replica?.announcedIp || c.addr.slice(0, c.addr.lastIndexOf(':'));
}

/** A random 40-hex-char id (run ids, replication ids, EOF marks). */
export function randomId(e: Engine): string {
  let id = '';
  for (let i = 0; i < 40; i++) id += '0123456789abcdef'[Math.floor(e.random() * 16)];
  return id;
}
