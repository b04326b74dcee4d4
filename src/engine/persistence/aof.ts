import type { Engine } from '../server';
import type { Client } from '../client';
import { OBJ_HASH, OBJ_LIST, OBJ_SET, OBJ_STREAM, OBJ_STRING, OBJ_ZSET, type RObj } from '../object';
import { FLAG_DELETED, formatID, type Stream } from '../types/stream';
import { stringValue } from '../types/string';
import { formatDouble17g } from '../util/numbers';
import { bytesToBinary, binaryToBytes } from '../util/bytes';
import type { ListValue } from '../types/list';
import type { RSet } from '../types/set';
import type { ZSet } from '../types/zset';
import type { HashValue } from '../types/hash';
import { Snapshot } from './snapshot';

/**
 * The append-only file, Redis 7.0's multi-part way (aof.c): in `appenddirname` a base file (an
 * RDB when aof-use-rdb-preamble is yes, else commands), incremental files of commands, and a
 * manifest naming them in order. Every write the engine propagates is appended as RESP, with a
 * SELECT when the db changes; appendfsync decides when it is made durable: `always` before the
 * client hears the reply, `everysec` once a second, `no` when the storage pleases.
 *
 * BGREWRITEAOF starts a new incremental file at once (new writes go there), writes a new base from
 * a copy-on-write snapshot in slices, then swaps the manifest and deletes the old files.
 */

type FileType = 'b' | 'h' | 'i';
interface AofFile {
  name: string;
  seq: number;
  type: FileType;
}

/** The manifest: one base, history files waiting for deletion, incremental files in order. */
export interface Manifest {
  base: AofFile | null;
  history: AofFile[];
  incr: AofFile[];
}

export function emptyManifest(): Manifest {
  return { base: null, history: [], incr: [] };
}

/** getAofManifestAsString: "file <name> seq <n> type <t>" lines. */
export function manifestText(m: Manifest): string {
  const line = (f: AofFile): string => `file ${quoteName(f.name)} seq ${f.seq} type ${f.type}\n`;
  let s = '';
  if (m.base) s += line(m.base);
  for (const f of m.history) s += line(f);
  for (const f of m.incr) s += line(f);
  return s;
}

/** aofLoadManifestFromFile: the manifest's lines, or an error text as Redis logs it. */
export function parseManifest(text: string): Manifest | string {
  const m = emptyManifest();
  let maxIncrSeq = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = splitWords(line);
    if (words === null || words.length % 2 !== 0) return 'Invalid AOF manifest file format';
    const f: Partial<AofFile> = {};
    for (let i = 0; i < words.length; i += 2) {
      if (words[i] === 'file') f.name = words[i + 1];
      else if (words[i] === 'seq') f.seq = Number(words[i + 1]);
      else if (words[i] === 'type') f.type = words[i + 1] as FileType;
    }
    if (!f.name || !f.seq || !f.type || !['b', 'h', 'i'].includes(f.type)) return 'Invalid AOF manifest file format';
    if (f.type === 'b') {
      if (m.base) return 'Found duplicate base file information';
      m.base = f as AofFile;
    } else if (f.type === 'h') {
      m.history.push(f as AofFile);
    } else {
      if (f.seq! <= maxIncrSeq) return 'Found a non-monotonic sequence number';
      maxIncrSeq = f.seq!;
      m.incr.push(f as AofFile);
    }
  }
  return m;
}

function quoteName(name: string): string {
  return /^[A-Za-z0-9._-]+$/.test(name) ? name : JSON.stringify(name);
}

function splitWords(line: string): string[] | null {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    if (m[1] !== undefined) {
      try {
        out.push(JSON.parse('"' + m[1] + '"'));
      } catch {
        return null;
      }
    } else out.push(m[2]);
  }
  return out;
}

/** catAppendOnlyGenericCommand: a command as RESP, the form it takes in the file. */
export function respCommand(argv: readonly string[]): string {
  let s = '*' + argv.length + '\r\n';
  for (const a of argv) s += '$' + a.length + '\r\n' + a + '\r\n';
  return s;
}

/** AOF_REWRITE_ITEMS_PER_CMD: a rewritten collection goes out in commands of at most this many items. */
const ITEMS_PER_CMD = 64;

export class Aof {
  private readonly engine: Engine;
  /** AOF_OFF, AOF_ON, or AOF_WAIT_REWRITE (turned on at runtime: on once the first base is written). */
  state: 'off' | 'on' | 'wait-rewrite' = 'off';
  manifest: Manifest = emptyManifest();
  /** Commands not yet handed to storage (aof_buf). */
  private buf = '';
  private selectedDb = -1;
  /** Writes handed to storage but not yet fsynced (everysec counts them). */
  private unsynced = false;
  private lastFsync = 0;
  /** Bytes whose append failed, per file, written first by the next append there. */
  private readonly retry = new Map<string, Uint8Array>();
  /** appendfsync always: replies of failed appends, released once a later append carried their bytes. */
  private durableWaiters: (() => void)[] = [];
  /** Storage operations not finished yet (INFO's aof_pending_bio_fsync is 1 while there are). */
  inFlight = 0;
  /** The storage work in flight, in order: an append, a sync, a manifest swap. */
  private chain: Promise<void> = Promise.resolve();
  /** Bytes of the current incremental files plus the base (aof_current_size), and the base alone. */
  currentSize = 0;
  baseSize = 0;
  /** Size when the last rewrite ended (auto-aof-rewrite-percentage compares with it). */
  private rewriteBaseSize = 0;
  rewrite: { snapshot: Snapshot | null; commands: string | null; startedAt: number; name: string } | null = null;
  rewriteScheduled = false;
  rewrites = 0;
  lastRewriteSeconds = -1;
  lastBgrewriteOk = true;
  lastWriteOk = true;
  lastError = '';
  private stopConsuming: (() => void) | null = null;

  constructor(engine: Engine) {
    this.engine = engine;
  }

  private get dir(): string {
    return this.engine.config.str('appenddirname');
  }

  private get prefix(): string {
    return this.engine.config.str('appendfilename');
  }

  private path(name: string): string {
    return this.dir + '/' + name;
  }

  private get manifestName(): string {
    return this.prefix + '.manifest';
  }

  private storage() {
    return this.engine.rdb.storage;
  }

  // ---- writing ----

  /** Start consuming the propagated stream (after loading, so the load is not appended again). */
  private consume(): void {
    if (this.stopConsuming) return;
    this.stopConsuming = this.engine.onPropagate((dbid, argv, replicasOnly) => {
      if (!replicasOnly) this.feed(dbid, argv);
    });
  }

  /** feedAppendOnlyFile */
  feed(dbid: number, argv: readonly string[]): void {
    if (this.state === 'off') return;
    if (dbid !== this.selectedDb) {
      this.buf += respCommand(['SELECT', String(dbid)]);
      this.selectedDb = dbid;
    }
    this.buf += respCommand(argv);
  }

  /** Bytes waiting to be written (aof_buffer_length). */
  get bufferLength(): number {
    return this.buf.length;
  }

  /**
   * flushAppendOnlyFile, at the end of an event-loop turn: hand the buffer to storage. Under
   * appendfsync always the returned promise resolves once it is durable, and the engine holds the
   * turn's replies until then.
   */
  flush(): Promise<void> | null {
    if (this.buf.length === 0 || this.state === 'off') return null;
    const bytes = binaryToBytes(this.buf);
    this.buf = '';
    const incr = this.manifest.incr[this.manifest.incr.length - 1];
    if (incr === undefined) return null;
    const always = this.engine.config.str('appendfsync') === 'always';
    this.currentSize += bytes.length;
    let resolve: (() => void) | null = null;
    const durable = always ? new Promise<void>((r) => (resolve = r)) : null;
    this.appendTo(this.path(incr.name), bytes, always, resolve);
    this.unsynced = !always;
    return durable;
  }

  /**
   * Append bytes to file after what is queued. A failed append is not lost: its bytes stay in
   * `retry` and go out first with the next append to that file (the cron retries too), so the
   * file keeps every write in order once storage works again — meanwhile writes get MISCONF.
   * Replies waiting under appendfsync always are released only when their bytes are durable.
   */
  private appendTo(file: string, bytes: Uint8Array, sync: boolean, durable: (() => void) | null = null): void {
    void this.queue(async () => {
      const pending = this.retry.get(file);
      const data = pending === undefined ? bytes : concatBytes(pending, bytes);
      try {
        await this.storage().append(file, data);
        if (sync) await this.storage().sync(file);
      } catch (e) {
        this.retry.set(file, data);
        // These bytes are not durable yet: their replies wait for the append that carries them.
        if (durable !== null) this.durableWaiters.push(durable);
        throw e;
      }
      this.retry.delete(file);
      // This append carried its own bytes and every failed one before it: their replies may go.
      durable?.();
      if (this.retry.size === 0) for (const resolve of this.durableWaiters.splice(0)) resolve();
    });
  }

  /** Run storage work after what is already in flight; failures are recorded (aof_last_write_status). */
  private queue(work: () => Promise<void>): Promise<void> {
    this.inFlight++;
    const run = this.chain.then(work).then(
      () => {
        this.inFlight--;
        this.lastWriteOk = true;
      },
      (e) => {
        this.inFlight--;
        this.lastWriteOk = false;
        this.lastError = String((e as Error)?.message ?? e);
      },
    );
    this.chain = run;
    return run;
  }

  /** serverCron's AOF duties: everysec fsync, a scheduled or automatic rewrite, rewrite slices. */
  cron(): void {
    // A failed append is tried again (with nothing new) once the queue is idle.
    if (this.retry.size > 0 && this.inFlight === 0) {
      for (const file of this.retry.keys()) this.appendTo(file, new Uint8Array(0), this.engine.config.str('appendfsync') === 'always');
    }
    if (this.state !== 'off' && this.unsynced && this.engine.config.str('appendfsync') === 'everysec') {
      const now = this.engine.clock();
      if (now - this.lastFsync >= 1000) {
        this.lastFsync = now;
        this.unsynced = false;
        const incr = this.manifest.incr[this.manifest.incr.length - 1];
        if (incr) void this.queue(() => this.storage().sync(this.path(incr.name)));
      }
    }
    if (this.rewrite === null && this.engine.cowSnapshot === null) {
      if (this.rewriteScheduled) this.startRewrite();
      else if (this.state === 'on') this.autoRewrite();
    }
  }

  /** auto-aof-rewrite-percentage / -min-size: rewrite when the file grew that much since the last one. */
  private autoRewrite(): void {
    const pct = this.engine.config.num('auto-aof-rewrite-percentage');
    if (pct === 0 || this.currentSize <= this.engine.config.num('auto-aof-rewrite-min-size')) return;
    const base = this.rewriteBaseSize || 1;
    if (((this.currentSize - base) * 100) / base >= pct) this.startRewrite();
  }

  // ---- turning it on and off ----

  /** CONFIG SET appendonly yes (startAppendOnly): on once a rewrite has written the first base. */
  enable(): void {
    if (this.state !== 'off') return;
    this.state = 'wait-rewrite';
    this.consume();
    if (this.engine.cowSnapshot !== null) this.rewriteScheduled = true;
    else this.startRewrite();
  }

  /** Write what is buffered and fsync it; resolves when durable (SHUTDOWN). */
  flushAndSync(): Promise<void> {
    if (this.state === 'off') return this.chain;
    this.flush();
    const incr = this.manifest.incr[this.manifest.incr.length - 1];
    if (incr) void this.queue(() => this.storage().sync(this.path(incr.name)));
    return this.chain;
  }

  /** CONFIG SET appendonly no (stopAppendOnly): flush, fsync, stop appending. */
  disable(): void {
    if (this.state === 'off') return;
    this.flush();
    const incr = this.manifest.incr[this.manifest.incr.length - 1];
    if (incr) void this.queue(() => this.storage().sync(this.path(incr.name)));
    this.abortRewrite();
    this.state = 'off';
    this.stopConsuming?.();
    this.stopConsuming = null;
    this.selectedDb = -1;
  }

  // ---- rewriting ----

  /** rewriteAppendOnlyFileBackground; false when one is running already. */
  startRewrite(): boolean {
    if (this.rewrite !== null) return false;
    if (this.engine.cowSnapshot !== null) {
      this.rewriteScheduled = true;
      return true;
    }
    this.rewriteScheduled = false;
    // New writes go to a new incremental file from now on; the old ones become history with the old base.
    this.flush();
    const seq = (this.manifest.incr[this.manifest.incr.length - 1]?.seq ?? 0) + 1;
    const incr: AofFile = { name: `${this.prefix}.${seq}.incr.aof`, seq, type: 'i' };
    this.manifest.incr.push(incr);
    this.selectedDb = -1;
    // The file exists before the manifest names it: a crash in between must not leave a manifest
    // pointing at nothing (Redis opens it with O_CREAT first, too).
    void this.queue(() => this.storage().append(this.path(incr.name), new Uint8Array(0)));
    void this.writeManifest();
    const preamble = this.engine.config.bool('aof-use-rdb-preamble');
    const baseSeq = (this.manifest.base?.seq ?? 0) + 1;
    const name = `${this.prefix}.${baseSeq}.base.${preamble ? 'rdb' : 'aof'}`;
    if (preamble) {
      const snapshot = this.engine.rdb.newSnapshot(true);
      this.engine.cowSnapshot = snapshot;
      this.rewrite = { snapshot, commands: null, startedAt: this.engine.clock(), name };
    } else {
      // Written at once: the command form has no copy-on-write (small datasets; say so in INFO).
      this.rewrite = { snapshot: null, commands: rewriteAsCommands(this.engine), startedAt: this.engine.clock(), name };
    }
    return true;
  }

  /** Whether a rewrite slice is waiting to run. */
  busy(): boolean {
    const rw = this.rewrite;
    return rw !== null && (rw.snapshot !== null ? !rw.snapshot.done : rw.commands !== null);
  }

  /** Work on the running rewrite for one slice; finishes it when the base is complete. */
  step(): void {
    const rw = this.rewrite;
    if (rw === null) return;
    let bytes: Uint8Array;
    if (rw.snapshot !== null) {
      if (rw.snapshot.done) return;
      if (!rw.snapshot.step(this.engine.rdb.sliceMs)) return;
      bytes = rw.snapshot.bytes();
      this.engine.cowSnapshot = null;
    } else {
      if (rw.commands === null) return;
      bytes = binaryToBytes(rw.commands);
      rw.commands = null;
    }
    const oldIncr = this.manifest.incr.slice(0, -1);
    const oldBase = this.manifest.base;
    void this.queue(async () => {
      await this.storage().replace(this.path(rw.name), bytes);
      // backgroundRewriteDoneHandler: the new base replaces the old one and the increments it covers.
      const seq = Number(rw.name.split('.').slice(-3, -2)[0]);
      this.manifest.base = { name: rw.name, seq, type: 'b' };
      this.manifest.incr = this.manifest.incr.filter((f) => !oldIncr.includes(f));
      this.manifest.history = [...(oldBase ? [oldBase] : []), ...oldIncr].map((f) => ({ ...f, type: 'h' as const }));
      await this.writeManifestNow();
      for (const f of this.manifest.history) {
        // The new base holds what a failed append to an old file still had to write.
        this.retry.delete(this.path(f.name));
        await this.storage().remove(this.path(f.name));
      }
      if (this.retry.size === 0) for (const resolve of this.durableWaiters.splice(0)) resolve();
      this.manifest.history = [];
      await this.writeManifestNow();
    }).then(() => this.finishRewrite(rw, bytes.length));
  }

  private finishRewrite(rw: NonNullable<Aof['rewrite']>, baseBytes: number): void {
    if (this.rewrite !== rw) return;
    this.rewrite = null;
    this.lastRewriteSeconds = Math.round((this.engine.clock() - rw.startedAt) / 1000);
    this.lastBgrewriteOk = this.lastWriteOk;
    if (!this.lastWriteOk) return;
    this.rewrites++;
    this.baseSize = baseBytes;
    this.currentSize = baseBytes;
    this.rewriteBaseSize = baseBytes;
    if (this.state === 'wait-rewrite') this.state = 'on';
  }

  abortRewrite(): void {
    const rw = this.rewrite;
    if (rw === null) return;
    rw.snapshot?.abort();
    if (this.engine.cowSnapshot === rw.snapshot) this.engine.cowSnapshot = null;
    this.rewrite = null;
  }

  private writeManifest(): Promise<void> {
    return this.queue(() => this.writeManifestNow());
  }

  private async writeManifestNow(): Promise<void> {
    await this.storage().replace(this.path(this.manifestName), binaryToBytes(manifestText(this.manifest)));
  }

  // ---- loading ----

  /**
   * loadAppendOnlyFiles at start-up: the manifest's base then its incremental files, in order,
   * through a client that runs each command. A truncated last command is cut off when
   * aof-load-truncated is yes (as Redis does), else an error. Returns how many commands ran.
   */
  async load(): Promise<{ found: boolean; commands: number; error?: string }> {
    const storage = this.storage();
    const text = await storage.read(this.path(this.manifestName));
    if (text === null) return { found: false, commands: 0 };
    const parsed = parseManifest(bytesToBinary(text));
    if (typeof parsed === 'string') return { found: true, commands: 0, error: parsed };
    this.manifest = parsed;
    const files = [...(parsed.base ? [parsed.base] : []), ...parsed.incr];
    let commands = 0;
    const loader = this.engine.loaderClient();
    let size = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const bytes = await storage.read(this.path(f.name));
      if (bytes === null) {
        return { found: true, commands, error: `Can't open the append-only file ${f.name}: No such file or directory` };
      }
      size += bytes.length;
      if (f.type === 'b') this.baseSize = bytes.length;
      const data = bytesToBinary(bytes);
      if (data.startsWith('REDIS')) {
        const err = this.engine.loadRdbPreamble(bytes);
        if (err) return { found: true, commands, error: err };
        continue;
      }
      const r = runAofCommands(this.engine, loader, data, i === files.length - 1 && this.engine.config.bool('aof-load-truncated'));
      commands += r.commands;
      if (r.error) return { found: true, commands, error: `${r.error} (file ${f.name})` };
      if (r.truncatedAt !== undefined) {
        // Cut the partial command off the file, so the next appends follow a whole one.
        await storage.replace(this.path(f.name), bytes.subarray(0, r.truncatedAt));
        size -= bytes.length - r.truncatedAt;
      }
    }
    this.engine.freeClient(loader);
    this.currentSize = size;
    this.rewriteBaseSize = size;
    return { found: true, commands };
  }

  /** aofOpenIfNeededOnServerStart: with appendonly yes, make sure there is a base, an incremental file and a manifest. */
  async openAtStartup(): Promise<void> {
    if (!this.engine.config.bool('appendonly')) return;
    this.state = 'on';
    this.consume();
    if (this.manifest.base === null && this.manifest.incr.length === 0) {
      const preamble = this.engine.config.bool('aof-use-rdb-preamble');
      const name = `${this.prefix}.1.base.${preamble ? 'rdb' : 'aof'}`;
      const bytes = preamble ? this.engine.rdb.encodeNow(true) : binaryToBytes(rewriteAsCommands(this.engine));
      await this.storage().replace(this.path(name), bytes);
      this.manifest.base = { name, seq: 1, type: 'b' };
      this.baseSize = bytes.length;
      this.currentSize = bytes.length;
      this.rewriteBaseSize = bytes.length;
    }
    if (this.manifest.incr.length === 0) {
      const incr: AofFile = { name: `${this.prefix}.1.incr.aof`, seq: 1, type: 'i' };
      await this.storage().append(this.path(incr.name), new Uint8Array(0));
      this.manifest.incr.push(incr);
    }
    // aofDelHistoryFiles: what a rewrite left behind when it was interrupted.
    for (const f of this.manifest.history) await this.storage().remove(this.path(f.name));
    this.manifest.history = [];
    await this.writeManifestNow();
  }
}

/**
 * Run the commands of an AOF text through the loader client. A command cut short at the end is
 * either tolerated (truncatedAt = where the last whole command ended) or an error.
 */
function runAofCommands(
  engine: Engine, loader: Client, data: string, tolerateTruncation: boolean,
): { commands: number; error?: string; truncatedAt?: number } {
  let pos = 0;
  let commands = 0;
  let lastGood = 0;
  const truncated = (): { commands: number; error?: string; truncatedAt?: number } =>
    tolerateTruncation
      ? { commands, truncatedAt: lastGood }
      : { commands, error: 'Unexpected end of file reading the append only file' };
  while (pos < data.length) {
    if (data[pos] === '#') {
      // Annotations (aof-timestamp-enabled) are skipped.
      const eol = data.indexOf('\n', pos);
      if (eol < 0) return truncated();
      pos = eol + 1;
      lastGood = pos;
      continue;
    }
    if (data[pos] !== '*') return { commands, error: 'Bad file format reading the append only file' };
    const eol = data.indexOf('\r\n', pos);
    if (eol < 0) return truncated();
    const argc = Number(data.slice(pos + 1, eol));
    if (!Number.isInteger(argc) || argc < 1) return { commands, error: 'Bad file format reading the append only file' };
    pos = eol + 2;
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      if (pos >= data.length) return truncated();
      if (data[pos] !== '$') return { commands, error: 'Bad file format reading the append only file' };
      const e = data.indexOf('\r\n', pos);
      if (e < 0) return truncated();
      const len = Number(data.slice(pos + 1, e));
      if (!Number.isInteger(len) || len < 0) return { commands, error: 'Bad file format reading the append only file' };
      if (e + 2 + len + 2 > data.length) return truncated();
      argv.push(data.slice(e + 2, e + 2 + len));
      pos = e + 2 + len + 2;
    }
    const err = engine.runLoaded(loader, argv);
    if (err !== null) return { commands, error: err };
    commands++;
    lastGood = pos;
  }
  if (loader.multi !== null) {
    // A MULTI without its EXEC at the end: the transaction never completed; Redis drops it (revert).
    return tolerateTruncation ? { commands, truncatedAt: lastGood } : { commands, error: 'Revert incomplete MULTI/EXEC transaction in AOF file' };
  }
  return { commands };
}

/** rewriteAppendOnlyFileRio: the dataset as commands (aof-use-rdb-preamble no). */
export function rewriteAsCommands(engine: Engine): string {
  let out = '';
  const now = engine.clock();
  for (const db of engine.dbs) {
    if (db.size === 0) continue;
    out += respCommand(['SELECT', String(db.id)]);
    for (let i = 0; i < db.keys.length; i++) {
      const key = db.keys[i];
      const o = db.objs[i];
      if (o.expireAt !== -1 && o.expireAt < now) continue;
      out += rewriteObject(key, o);
      if (o.expireAt !== -1) out += respCommand(['PEXPIREAT', key, String(o.expireAt)]);
    }
  }
  return out;
}

function rewriteObject(key: string, o: RObj): string {
  switch (o.type) {
    case OBJ_STRING:
      return respCommand(['SET', key, stringValue(o)]);
    case OBJ_LIST:
      return batched('RPUSH', key, (o.value as ListValue).toArray(), 1);
    case OBJ_SET:
      return batched('SADD', key, [...(o.value as RSet).members], 1);
    case OBJ_ZSET: {
      const args: string[] = [];
      for (const n of (o.value as ZSet).entries()) args.push(formatDouble17g(n.score), n.ele);
      return batched('ZADD', key, args, 2);
    }
    case OBJ_HASH: {
      const args: string[] = [];
      (o.value as HashValue).forEach((f, v) => args.push(f, v));
      return batched('HMSET', key, args, 2);
    }
    case OBJ_STREAM:
      return rewriteStream(key, o.value as Stream);
    default:
      throw new Error(`cannot rewrite objects of type ${o.type}`);
  }
}

/**
 * rewriteStreamObject: XADD per entry (an empty stream: XADD MAXLEN 0 of a dummy entry), XSETID
 * with the stream's metadata, then per group XGROUP CREATE, and per consumer its pending entries
 * as XCLAIM ... TIME RETRYCOUNT JUSTID FORCE (or XGROUP CREATECONSUMER when it has none).
 */
function rewriteStream(key: string, s: Stream): string {
  let out = '';
  if (s.length > 0) {
    for (const n of s.nodes) {
      for (let i = 0; i < n.ids.length; i++) {
        if (n.flags[i] & FLAG_DELETED) continue;
        out += respCommand(['XADD', key, formatID(n.ids[i]), ...n.fields[i]]);
      }
    }
  } else {
    out += respCommand(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  out += respCommand(['XSETID', key, formatID(s.lastId), 'ENTRIESADDED', String(s.entriesAdded), 'MAXDELETEDID', formatID(s.maxDeletedEntryId)]);
  for (const g of s.sortedGroups()) {
    out += respCommand(['XGROUP', 'CREATE', key, g.name, formatID(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
    for (const c of g.sortedConsumers()) {
      let any = false;
      for (const nack of c.pel.all()) {
        any = true;
        out += respCommand(['XCLAIM', key, g.name, c.name, '0', formatID(nack.id), 'TIME', String(nack.deliveryTime),
          'RETRYCOUNT', String(nack.deliveryCount), 'JUSTID', 'FORCE']);
      }
      if (!any) out += respCommand(['XGROUP', 'CREATECONSUMER', key, g.name, c.name]);
    }
  }
  return out;
}

/** Commands of at most ITEMS_PER_CMD items (an item is `width` arguments). */
function batched(cmd: string, key: string, args: string[], width: number): string {
  let out = '';
  const per = ITEMS_PER_CMD * width;
  for (let i = 0; i < args.length; i += per) out += respCommand([cmd, key, ...args.slice(i, i + per)]);
  return out;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
