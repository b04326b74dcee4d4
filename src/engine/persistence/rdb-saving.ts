import type { Client } from '../client';
import type { Engine } from '../server';
import { MemoryStorage, type Storage } from './storage';
import { Snapshot, type RdbCodec, type SnapshotOptions } from './snapshot';
import { RdbWriter, writeObject } from './rdb';
import { functionsOf } from '../scripting/functions';
import { memoryFacts } from '../commands/server';

/**
 * rdbPopulateSaveInfo: with a replication history (a backlog, or a master link) the RDB says which
 * db the stream last selected, the replication ID and offset, so a restarted node can continue it.
 */
function replicationAux(e: Engine): [string, string][] {
  const repl = e.replication;
  let db: number;
  if (repl.link === null) {
    if (repl.backlog === null) return [];
    db = repl.seldb === -1 ? 0 : repl.seldb;
  } else {
    if (repl.link.master === null) return [];
    db = repl.link.master.db.id;
  }
  return [['repl-stream-db', String(db)], ['repl-id', repl.replid], ['repl-offset', String(repl.masterReplOffset)]];
}

/** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points wait this long (s) to retry. */
const BGSAVE_RETRY_DELAY = 5;

/**
 * RDB snapshots for one server (Redis's rdb.c around rdbSave/rdbSaveBackground): SAVE, BGSAVE,
 * save points, and the figures INFO persistence shows. The bytes come from a Snapshot; where they
 * go is the host's Storage (files or IndexedDB).
 */
export class RdbSaving {
  private readonly engine: Engine;
  storage: Storage;
  private readonly codec: RdbCodec;
  /** The BGSAVE being written, or null. */
  snapshot: Snapshot | null = null;
  /** A BGSAVE asked for while one could not start (BGSAVE SCHEDULE, inside EXEC). */
  scheduled = false;
  /** Unix seconds of the last successful save (at start-up the data counts as saved). */
  lastSave: number;
  lastBgsaveTry = 0;
  lastBgsaveOk = true;
  lastBgsaveSeconds = -1;
  saves = 0;
  /** server.dirty when the running BGSAVE started: what it saved is subtracted when it succeeds. */
  private dirtyBeforeBgsave = 0;
  /** Time a BGSAVE slice may take before the event loop gets a turn (ms; keys go in groups of 64). */
  sliceMs = 4;
  /** Why the last save failed, for the log and the page. */
  lastError = '';
  /** Where the running snapshot goes: a file (BGSAVE) or only to replicas (diskless sync). */
  private target: 'disk' | 'replicas' = 'disk';

  constructor(engine: Engine, storage?: Storage) {
    this.engine = engine;
    this.storage = storage ?? new MemoryStorage();
    this.lastSave = Math.floor(engine.clock() / 1000);
    const compression = (): boolean => engine.config.bool('rdbcompression');
    this.codec = {
      encodeObject(o) {
        const w = new RdbWriter(compression());
        writeObject(w, o);
        return w.toString();
      },
      encodeString(s) {
        const w = new RdbWriter(compression());
        w.string(s);
        return w.toString();
      },
      encodeLength(n) {
        const w = new RdbWriter(false);
        w.len(n);
        return w.toString();
      },
    };
  }

  private filename(): string {
    return this.engine.config.str('dbfilename');
  }

  /** What the file holds besides keys: AUX fields as Redis 7.0 writes them without replication
   *  info, the function libraries, LRU/LFU data under such a maxmemory-policy, the checksum. */
  snapshotOptions(aofBase = false): SnapshotOptions {
    const e = this.engine;
    const policy = e.config.str('maxmemory-policy');
    return {
      aux: [
        ['redis-ver', e.version],
        ['redis-bits', '64'],
        ['ctime', String(Math.floor(e.clock() / 1000))],
        ['used-mem', String(memoryFacts(e).used)],
        // An AOF base is saved without replication info (rdbSaveRio with a NULL rsi).
        ...(aofBase ? [] : replicationAux(e)),
        ['aof-base', aofBase ? '1' : '0'],
      ],
      functions: [...functionsOf(e).ctx.libraries.values()].map((lib) => lib.code),
      lru: policy.endsWith('-lru') ? 'idle' : policy.endsWith('-lfu') ? 'freq' : null,
      checksum: e.config.bool('rdbchecksum'),
    };
  }

  /** A snapshot of the dataset as it is now, to be written in slices (BGSAVE, an AOF rewrite's base). */
  newSnapshot(aofBase = false): Snapshot {
    return new Snapshot(this.engine, this.codec, this.snapshotOptions(aofBase));
  }

  /** The whole dataset as an RDB file, now (SAVE, DEBUG RELOAD, the page's download). */
  encodeNow(aofBase = false): Uint8Array {
    const snap = this.newSnapshot(aofBase);
    snap.step(Infinity);
    return snap.bytes();
  }

  /**
   * SAVE: encode at once (the data cannot change meanwhile), then answer the client when the
   * storage says it is durable; the client reads no further commands until then.
   */
  save(c: Client): void {
    if (this.snapshot !== null) return c.reply.err('Background save already in progress');
    let bytes: Uint8Array;
    try {
      bytes = this.encodeNow();
    } catch (e) {
      this.lastError = String((e as Error).message ?? e);
      return c.reply.err(this.lastError);
    }
    const dirtyAtSave = this.engine.dirty;
    this.engine.waitForIo(c, this.storage.replace(this.filename(), bytes), (ok, err) => {
      if (!ok) {
        // rdbSave's failure answers a bare -ERR and leaves the BGSAVE status alone, as in Redis.
        this.lastError = err;
        c.reply.error('ERR');
        return;
      }
      this.engine.dirty -= dirtyAtSave;
      this.lastSave = Math.floor(this.engine.clock() / 1000);
      this.lastBgsaveOk = true;
      this.saves++;
      c.reply.ok();
    });
  }

  /** rdbSaveBackground: start a BGSAVE; false when one is already running. */
  startBackground(): boolean {
    if (this.engine.cowSnapshot !== null) return false;
    this.target = 'disk';
    this.scheduled = false;
    this.dirtyBeforeBgsave = this.engine.dirty;
    this.lastBgsaveTry = Math.floor(this.engine.clock() / 1000);
    this.snapshot = this.newSnapshot();
    this.engine.cowSnapshot = this.snapshot;
    this.engine.emitPersistence({ what: 'bgsave-started', keys: this.snapshot.keysTotal });
    return true;
  }

  /**
   * startBgsaveForReplication: a snapshot for replicas, to disk (a BGSAVE that also feeds them) or
   * straight to them (diskless: no file, and it doesn't count as a save). False when a save runs.
   */
  startForReplication(target: 'disk' | 'replicas'): boolean {
    if (target === 'disk') return this.startBackground();
    if (this.engine.cowSnapshot !== null) return false;
    this.target = 'replicas';
    this.snapshot = this.newSnapshot();
    this.engine.cowSnapshot = this.snapshot;
    this.engine.emitPersistence({ what: 'bgsave-started', keys: this.snapshot.keysTotal });
    return true;
  }

  /** Whether a background save runs, and where it goes (rdb_child_type), or null. */
  replicationTarget(): 'disk' | 'replicas' | null {
    return this.snapshot === null ? null : this.target;
  }

  /** Whether a background save runs (hasActiveChildProcess, for the RDB). */
  running(): boolean {
    return this.snapshot !== null;
  }

  /** Work on the running BGSAVE for one slice; the host calls this while busy() says so. */
  step(): void {
    const snap = this.snapshot;
    if (snap === null || snap.done) return;
    if (!snap.step(this.sliceMs)) {
      this.engine.emitPersistence({ what: 'bgsave-progress', done: snap.keysDone, keys: snap.keysTotal });
      return;
    }
    // The dataset may change freely again; only the write is left.
    if (this.engine.cowSnapshot === snap) this.engine.cowSnapshot = null;
    const bytes = snap.bytes();
    if (this.target === 'replicas') {
      this.snapshot = null;
      this.engine.emitPersistence({ what: 'bgsave-finished', ok: true, error: '', keys: snap.keysTotal });
      this.engine.replication.snapshotDone(bytes, true);
      return;
    }
    this.storage.replace(this.filename(), bytes).then(
      () => {
        const mine = this.snapshot === snap;
        this.finishBackground(snap, true, '');
        if (mine) this.engine.replication.snapshotDone(bytes, false);
      },
      (e) => {
        const mine = this.snapshot === snap;
        this.finishBackground(snap, false, String((e as Error)?.message ?? e));
        if (mine) this.engine.replication.snapshotDone(null, false);
      },
    );
  }

  /** Whether a BGSAVE slice is waiting to run. */
  busy(): boolean {
    return this.snapshot !== null && !this.snapshot.done;
  }

  private finishBackground(snap: Snapshot, ok: boolean, err: string): void {
    if (this.snapshot !== snap) return;
    this.snapshot = null;
    const now = this.engine.clock();
    this.lastBgsaveSeconds = Math.round((now - snap.startedAt) / 1000);
    if (ok) {
      this.engine.dirty -= this.dirtyBeforeBgsave;
      this.lastSave = Math.floor(now / 1000);
      this.lastBgsaveOk = true;
      this.saves++;
    } else {
      this.lastBgsaveOk = false;
      this.lastError = err;
    }
    this.engine.emitPersistence({ what: 'bgsave-finished', ok, error: err, keys: snap.keysTotal });
  }

  /** Stop a running BGSAVE (FLUSHALL, SHUTDOWN NOSAVE): the file in storage is left as it was. */
  abortBackground(): void {
    if (this.snapshot === null) return;
    this.snapshot.abort();
    if (this.engine.cowSnapshot === this.snapshot) this.engine.cowSnapshot = null;
    // Redis kills its child with SIGUSR1 here, which is not counted as a failed save.
    this.snapshot = null;
    // Replicas waiting on it are dropped; they reconnect and sync again.
    this.engine.replication.snapshotDone(null, this.target === 'replicas');
  }

  /** serverCron's save points: the first "seconds changes" pair that is due starts a BGSAVE. */
  cron(): void {
    if (this.engine.cowSnapshot !== null || this.snapshot !== null) return;
    if (this.scheduled) {
      this.startBackground();
      return;
    }
    const now = Math.floor(this.engine.clock() / 1000);
    const points = this.engine.config.raw('save') as [number, number][];
    for (const [seconds, changes] of points) {
      if (
        this.engine.dirty >= changes && now - this.lastSave > seconds &&
        (now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveOk)
      ) {
        this.startBackground();
        return;
      }
    }
  }
}
