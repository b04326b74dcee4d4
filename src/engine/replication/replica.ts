import type { Client } from '../client';
import { respCommand } from '../persistence/aof';
import { loadRdb } from '../persistence/rdb';
import { binaryToBytes, bytesToBinary } from '../util/bytes';
import type { Replication } from './replication';

/**
 * The replica side of replication (Redis's replication.c, slave half): the link to our master and
 * its state machine —
 *
 *   connect → connecting → handshake (PING, AUTH, REPLCONF listening-port / capa) → PSYNC
 *     → +FULLRESYNC: sync (receive the RDB, load it) → connected
 *     → +CONTINUE:   connected at once, the stream continues from our offset
 *
 * Once connected, the master's stream runs through a client flagged as our master (its replies
 * are not sent, writes are allowed on a read-only replica); the bytes it applied are passed on
 * unchanged to our own backlog and replicas, so a chain shares one offset space. A broken link is
 * retried from the cron, with PSYNC from where we stopped.
 */

/** ROLE's names for the link's states ('none' when not a replica). */
export type LinkState = 'none' | 'connect' | 'connecting' | 'handshake' | 'sync' | 'connected';

/** A connection the host opened for us (TCP under Node, a MessagePort between workers). */
export interface OutboundConnection {
  write(bytes: Uint8Array): void;
  close(): void;
}

/** What the engine is told about an outbound connection. */
export interface OutboundHandlers {
  connected(): void;
  data(bytes: Uint8Array): void;
  closed(): void;
}

/** The host's way to open connections: null when it cannot (the link then stays in "connect"). */
export type Dialer = (host: string, port: number, handlers: OutboundHandlers) => OutboundConnection | null;

/** What a PSYNC can ask to continue: a history, where we are in it, and the db its stream had selected. */
export interface CachedMaster {
  replid: string;
  offset: number;
  db: number;
}

/** The replies the handshake waits for, in order. */
type Expect = 'pong' | 'auth' | 'port' | 'ip' | 'capa' | 'psync';

export class ReplicaLink {
  state: LinkState = 'connect';
  private conn: OutboundConnection | null = null;
  /** Bytes received and not consumed yet (handshake lines, the RDB). */
  private inbuf = '';
  private expecting: Expect[] = [];
  /** The master's replication ID and the offset its RDB corresponds to (+FULLRESYNC). */
  private fullSyncReplid = '';
  private fullSyncOffset = 0;
  /** RDB transfer: total size (-1 for an EOF-marked diskless transfer) and what was read. */
  transferSize = -1;
  transferRead = 0;
  private eofMark = '';
  private transferParts: string[] = [];
  private transferTail = '';
  private transferStarted = 0;
  /** The client running our master's stream. */
  master: Client | null = null;
  /** Stream bytes handed to the master client (read) and those it applied (reploff). */
  private readOffset = 0;
  reploff = 0;
  private unapplied = '';
  /** ms of the last data from the master (master_last_io_seconds_ago). */
  lastIo = 0;
  /** ms when the link went down, 0 if never up (master_link_down_since_seconds). */
  downSince = 0;
  /** What we can ask the next master to continue from (PSYNC replid offset+1). */
  private cached: CachedMaster | null;

  constructor(
    private readonly repl: Replication,
    readonly host: string,
    readonly port: number,
    cached: CachedMaster | null,
  ) {
    this.cached = cached;
  }

  /** Our history from the RDB we started with: the first PSYNC asks to continue it. */
  restoreCached(replid: string, offset: number, db: number): void {
    this.cached = { replid, offset, db };
  }

  private get engine() {
    return this.repl.engine;
  }

  private setState(state: LinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.repl.emit({ what: 'link', state, host: this.host, port: this.port });
  }

  /** Our history for a later PSYNC: the cached master, or what the current master client applied. */
  cachedMaster(): CachedMaster | null {
    if (this.state === 'connected') return { replid: this.repl.replid, offset: this.repl.masterReplOffset, db: this.master?.db.id ?? 0 };
    return this.cached;
  }

  // ---- connecting ----

  /** connectWithMaster */
  connect(): void {
    if (this.state !== 'connect' || this.engine.dial === null) return;
    this.setState('connecting');
    this.inbuf = '';
    const conn = this.engine.dial(this.host, this.port, {
      connected: () => { if (this.conn === conn) this.onConnected(); },
      data: (bytes) => { if (this.conn === conn) this.onData(bytes); },
      closed: () => { if (this.conn === conn) this.onClosed(); },
    });
    if (conn === null) {
      this.setState('connect');
      return;
    }
    this.conn = conn;
    this.lastIo = this.engine.clock();
  }

  private write(argv: string[]): void {
    this.conn?.write(binaryToBytes(respCommand(argv)));
  }

  private onConnected(): void {
    this.setState('handshake');
    this.lastIo = this.engine.clock();
    this.expecting = ['pong'];
    this.write(['PING']);
  }

  /** After PONG: AUTH, REPLCONF listening-port (and ip-address), REPLCONF capa, sent together. */
  private sendHandshake(): void {
    const cfg = this.engine.config;
    const pass = cfg.str('masterauth');
    if (pass !== '') {
      const user = cfg.str('masteruser');
      this.write(user !== '' ? ['AUTH', user, pass] : ['AUTH', pass]);
      this.expecting.push('auth');
    }
    const port = cfg.num('replica-announce-port') || cfg.num('port');
    this.write(['REPLCONF', 'listening-port', String(port)]);
    this.expecting.push('port');
    const ip = cfg.str('replica-announce-ip');
    if (ip !== '') {
      this.write(['REPLCONF', 'ip-address', ip]);
      this.expecting.push('ip');
    }
    this.write(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    this.expecting.push('capa');
  }

  private sendPsync(): void {
    const c = this.cached;
    const argv = c !== null ? ['PSYNC', c.replid, String(c.offset + 1)] : ['PSYNC', '?', '-1'];
    // Handing over in a FAILOVER: the target is to promote itself first.
    if (this.repl.failoverState === 'failover-in-progress') argv.push('FAILOVER');
    this.write(argv);
    this.expecting.push('psync');
  }

  // ---- receiving ----

  private onData(bytes: Uint8Array): void {
    this.lastIo = this.engine.clock();
    if (this.state === 'connected') {
      this.feedMaster(bytes);
      return;
    }
    this.inbuf += bytesToBinary(bytes);
    this.consume();
  }

  /** Handshake replies and the RDB transfer, as far as the bytes go. */
  private consume(): void {
    while (this.conn !== null) {
      if (this.state === 'handshake') {
        // Lines end in \n (with a \r before it, normally). A master preparing the RDB sends bare
        // newlines to keep the link alive, even before its +FULLRESYNC: skip them.
        const eol = this.inbuf.indexOf('\n');
        if (eol < 0) return;
        const line = this.inbuf.slice(0, eol > 0 && this.inbuf.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
        this.inbuf = this.inbuf.slice(eol + 1);
        if (line === '') continue;
        this.handshakeReply(line);
        continue;
      }
      if (this.state === 'sync') {
        if (!this.transfer()) return;
        continue;
      }
      if (this.state === 'connected') {
        const rest = this.inbuf;
        this.inbuf = '';
        if (rest.length > 0) this.feedMaster(binaryToBytes(rest));
      }
      return;
    }
  }

  private handshakeReply(line: string): void {
    const what = this.expecting.shift();
    switch (what) {
      case 'pong':
        // -NOAUTH and -NOPERM are fine here: AUTH comes next.
        if (line.startsWith('-') && !line.startsWith('-NOAUTH') && !line.startsWith('-NOPERM') && !line.startsWith('-ERR operation not permitted')) {
          return this.fail(`Error reply to PING from master: '${line}'`);
        }
        this.sendHandshake();
        return;
      case 'auth':
        if (line.startsWith('-')) return this.fail(`Unable to AUTH to MASTER: ${line}`);
        return;
      case 'port':
      case 'ip':
      case 'capa':
        // Errors are only logged by Redis (an old master may not know these options).
        if (this.expecting.length === 0) this.sendPsync();
        return;
      case 'psync':
        return this.psyncReply(line);
      default:
        return;
    }
  }

  /** slaveTryPartialResynchronization's reading half. */
  private psyncReply(line: string): void {
    if (this.repl.failoverState === 'failover-in-progress') {
      if (line.startsWith('+FULLRESYNC') || line.startsWith('+CONTINUE')) this.repl.clearFailover();
      else return this.repl.abortFailover('Failover target rejected psync request');
    }
    if (line.startsWith('+FULLRESYNC')) {
      const [, replid, offset] = line.split(' ');
      this.fullSyncReplid = replid ?? '';
      this.fullSyncOffset = Number(offset ?? 0);
      this.cached = null;
      this.transferSize = -1;
      this.transferRead = 0;
      this.transferParts = [];
      this.eofMark = '';
      this.transferStarted = 0;
      this.setState('sync');
      return;
    }
    if (line.startsWith('+CONTINUE')) {
      const newId = line.slice('+CONTINUE'.length).trim();
      const cached = this.cached!;
      if (newId !== '' && newId !== cached.replid) {
        // The master's history has a new ID: ours follows, the old one stays valid up to here.
        this.repl.replid2 = cached.replid;
        this.repl.secondReplidOffset = cached.offset + 1;
        this.repl.replid = newId;
        this.repl.disconnectReplicas();
      } else {
        this.repl.replid = cached.replid;
      }
      this.repl.masterReplOffset = cached.offset;
      if (this.repl.backlog === null) this.repl.createBacklog();
      this.cached = null;
      this.startStream(cached.offset, cached.db);
      this.repl.emit({ what: 'synced', kind: 'partial', offset: cached.offset, replid: this.repl.replid });
      return;
    }
    // -NOMASTERLINK, -LOADING: the master is not ready; try again later. Anything else too.
    this.fail(`Unexpected reply to PSYNC from master: ${line}`);
  }

  /** readSyncBulkPayload: true when the transfer finished (or failed) and the state moved on. */
  private transfer(): boolean {
    if (this.transferStarted === 0) {
      // Newlines keep the link alive while the master prepares the RDB.
      let i = 0;
      while (i < this.inbuf.length && this.inbuf.charCodeAt(i) === 10) i++;
      if (i > 0) this.inbuf = this.inbuf.slice(i);
      const eol = this.inbuf.indexOf('\r\n');
      if (eol < 0) return false;
      const header = this.inbuf.slice(0, eol);
      this.inbuf = this.inbuf.slice(eol + 2);
      if (header.startsWith('-')) {
        this.fail(`MASTER aborted replication with an error: ${header.slice(1)}`);
        return true;
      }
      if (!header.startsWith('$')) {
        this.fail(`Bad protocol from MASTER, the first byte is not '$' (we received '${header}'), are you sure the host and port are right?`);
        return true;
      }
      if (header.startsWith('$EOF:')) {
        this.eofMark = header.slice(5);
        this.transferSize = -1;
      } else {
        this.transferSize = Number(header.slice(1));
      }
      this.transferStarted = this.engine.clock();
    }
    if (this.eofMark !== '') {
      // Diskless: the payload ends with the 40-byte mark. Keep the last 40 bytes apart to spot it.
      const data = this.transferTail + this.inbuf;
      this.inbuf = '';
      const end = data.indexOf(this.eofMark);
      if (end < 0) {
        const keep = Math.max(0, data.length - this.eofMark.length);
        this.transferParts.push(data.slice(0, keep));
        this.transferTail = data.slice(keep);
        this.transferRead += keep;
        this.repl.emit({ what: 'sync-progress', read: this.transferRead, total: -1 });
        return false;
      }
      this.transferParts.push(data.slice(0, end));
      this.transferRead += end;
      this.transferTail = '';
      this.inbuf = data.slice(end + this.eofMark.length);
    } else {
      const need = this.transferSize - this.transferRead;
      const take = Math.min(need, this.inbuf.length);
      this.transferParts.push(this.inbuf.slice(0, take));
      this.inbuf = this.inbuf.slice(take);
      this.transferRead += take;
      this.repl.emit({ what: 'sync-progress', read: this.transferRead, total: this.transferSize });
      if (this.transferRead < this.transferSize) return false;
    }
    this.loadTransfer(this.transferParts.join(''));
    this.transferParts = [];
    return true;
  }

  /** The RDB arrived: replace the dataset with it and start applying the stream. */
  private loadTransfer(rdb: string): void {
    const repl = this.repl;
    // Our replicas had another history: they must sync again, from us.
    repl.disconnectReplicas();
    const engine = this.engine;
    try {
      loadRdb(engine, rdb, { keepExpired: true });
    } catch (e) {
      this.fail(`Failed trying to load the MASTER synchronization DB from socket: ${(e as Error).message}`);
      return;
    }
    repl.replid = this.fullSyncReplid;
    repl.masterReplOffset = this.fullSyncOffset;
    repl.clearReplid2();
    // A fresh history: the backlog restarts at the new offset.
    repl.createBacklog();
    if (engine.aof.state !== 'off') engine.aof.startRewrite();
    this.startStream(this.fullSyncOffset, 0);
    repl.emit({ what: 'synced', kind: 'full', offset: this.fullSyncOffset, replid: repl.replid });
  }

  /** replicationCreateMasterClient: from here on the bytes are commands from our master. */
  private startStream(offset: number, db: number): void {
    const engine = this.engine;
    const conn = this.conn!;
    this.master = engine.connect({ write: () => {}, close: () => conn.close() }, { addr: `${this.host}:${this.port}` });
    // After a partial resync the stream goes on in the db it had selected.
    this.master.db = engine.dbs[db] ?? engine.dbs[0];
    this.master.isMaster = true;
    this.master.setAuthenticated(true);
    this.readOffset = offset;
    this.reploff = offset;
    this.unapplied = '';
    this.setState('connected');
    this.downSince = 0;
    this.sendAck();
    const rest = this.inbuf;
    this.inbuf = '';
    if (rest.length > 0) this.feedMaster(binaryToBytes(rest));
  }

  /** Run the master's commands and pass what they applied down our own chain. */
  private feedMaster(bytes: Uint8Array): void {
    const mc = this.master;
    if (mc === null || mc.closed) return;
    this.readOffset += bytes.length;
    this.unapplied += bytesToBinary(bytes);
    mc.parser.feed(bytes);
    this.engine.processInput(mc);
    this.applied();
    this.engine.flushReplies();
  }

  /** Bytes the master client has consumed since the last call go to our backlog and replicas. */
  private applied(): void {
    const mc = this.master!;
    const now = this.readOffset - mc.parser.pending;
    const n = now - this.reploff;
    if (n <= 0) return;
    const data = this.unapplied.slice(0, n);
    this.unapplied = this.unapplied.slice(n);
    this.reploff = now;
    this.repl.feedProxied(data);
  }

  /** The offset to acknowledge while the master client runs a command of `commandBytes` bytes (GETACK). */
  offsetBefore(commandBytes: number): number {
    const mc = this.master;
    if (mc === null) return this.reploff;
    return this.readOffset - mc.parser.pending - commandBytes;
  }

  /** replicationSendAck */
  sendAck(offset = this.reploff): void {
    if (this.state !== 'connected') return;
    this.write(['REPLCONF', 'ACK', String(offset)]);
  }

  // ---- failures and the cron ----

  private fail(reason: string): void {
    this.engine.log(reason);
    this.dropConnection();
  }

  /** The connection is gone (or given up): keep what we have for a PSYNC, and retry from the cron. */
  private dropConnection(): void {
    if (this.state === 'connected') {
      const db = this.master?.db.id ?? 0;
      this.teardown();
      this.cached = { replid: this.repl.replid, offset: this.repl.masterReplOffset, db };
      this.downSince = this.engine.clock();
    } else {
      this.teardown();
    }
    this.expecting = [];
    this.inbuf = '';
    this.transferStarted = 0;
    this.setState('connect');
  }

  /** Stop using the connection: what the master client applied is passed on, then it goes, and the socket. */
  private teardown(): void {
    const conn = this.conn;
    this.conn = null;
    if (this.state === 'connected' && this.master !== null) this.applied();
    const mc = this.master;
    this.master = null;
    if (mc !== null && !mc.closed) this.engine.freeClient(mc);
    conn?.close();
  }

  /** Our master client was closed from here (CLIENT KILL TYPE master): the link goes with it. */
  masterFreed(c: Client): void {
    if (c === this.master) this.dropConnection();
  }

  private onClosed(): void {
    this.engine.log(`Connection with master lost.`);
    this.dropConnection();
  }

  /** REPLICAOF elsewhere or NO ONE: close without retrying. */
  close(): void {
    this.teardown();
    this.state = 'none';
  }

  /** Once a second: reconnect, time out a silent master, acknowledge our offset. */
  cron(): void {
    const now = this.engine.clock();
    const timeout = this.engine.config.num('repl-timeout') * 1000;
    if (this.state === 'connect') {
      this.connect();
      return;
    }
    if (this.state !== 'none' && now - this.lastIo > timeout) {
      this.fail(this.state === 'connected' ? 'MASTER timeout: no data nor PING received...' : 'Timeout connecting to the MASTER...');
      return;
    }
    if (this.state === 'connected') this.sendAck();
  }

  /** For INFO: whether a full sync is being received. */
  syncing(): boolean {
    return this.state === 'sync';
  }
}
