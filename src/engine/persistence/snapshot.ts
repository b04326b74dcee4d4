import type { Db } from '../keyspace';
import type { RObj } from '../object';
import type { Engine } from '../server';
import { Crc64 } from './crc64';
import { le64 } from '../util/bytes';
import {
  RDB_OPCODE_AUX as OPCODE_AUX, RDB_OPCODE_EOF as OPCODE_EOF, RDB_OPCODE_EXPIRETIME_MS as OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ as OPCODE_FREQ, RDB_OPCODE_FUNCTION2 as OPCODE_FUNCTION2, RDB_OPCODE_IDLE as OPCODE_IDLE,
  RDB_OPCODE_RESIZEDB as OPCODE_RESIZEDB, RDB_OPCODE_SELECTDB as OPCODE_SELECTDB, RDB_VERSION,
} from './rdb';

/**
 * An RDB snapshot being written (rdbSaveRio), in slices and copy-on-write, so that BGSAVE does
 * not stop the server yet saves the dataset exactly as it was when it started:
 *
 * - at the start every db's key and object arrays are copied (cheap: references), and each
 *   object is marked with this snapshot's epoch;
 * - step() encodes the next frozen keys within a time budget, clearing their marks;
 * - before a marked object changes (Db.lookupWrite, overwrite, TTL change), the keyspace calls
 *   beforeChange(), which encodes it as it still is and keeps those bytes for when step()
 *   reaches it. Objects created after the start carry no mark and are not saved.
 *
 * A SAVE is the same, run to the end at once.
 */

/** What goes into the file besides the keys. */
export interface SnapshotOptions {
  /** AUX fields after the header, in order (redis-ver, redis-bits, ctime, used-mem, aof-base). */
  aux: [string, string][];
  /** Function libraries' code (FUNCTION2 records). */
  functions: string[];
  /** Save each key's idle time (LRU policies) or access counter (LFU policies). */
  lru: 'idle' | 'freq' | null;
  /** rdbchecksum: the CRC-64 at the end, or zeros. */
  checksum: boolean;
}

/** What the snapshot needs from the RDB codec (persistence/rdb.ts). */
export interface RdbCodec {
  /** The object's RDB type byte followed by its value, as a binary string (a DUMP payload's body). */
  encodeObject(o: RObj): string;
  /** An RDB string (length-prefixed, int-encoded or LZF-compressed as Redis would). */
  encodeString(s: string): string;
  /** An RDB length. */
  encodeLength(n: number): string;
}


let nextEpoch = 1;

interface FrozenDb {
  db: Db;
  keys: string[];
  objs: RObj[];
  volatile: number;
}

export class Snapshot {
  readonly epoch = nextEpoch++;
  readonly startedAt: number;
  private readonly frozen: FrozenDb[] = [];
  /** Entries encoded early because their object was about to change: object → [ttl, type, value]. */
  private readonly stash = new Map<RObj, [number, string]>();
  private readonly parts: string[] = [];
  private readonly crc = new Crc64();
  private dbIndex = 0;
  private keyIndex = -1;
  readonly keysTotal: number;
  keysDone = 0;
  done = false;

  private readonly lru: 'idle' | 'freq' | null;
  private readonly checksum: boolean;

  constructor(
    private readonly engine: Engine,
    private readonly codec: RdbCodec,
    opts: SnapshotOptions,
  ) {
    this.lru = opts.lru;
    this.checksum = opts.checksum;
    this.startedAt = engine.clock();
    let total = 0;
    for (const db of engine.dbs) {
      if (db.size === 0) continue;
      const objs = db.objs.slice();
      for (const o of objs) o.saveEpoch = this.epoch;
      this.frozen.push({ db, keys: db.keys.slice(), objs, volatile: db.expiresCount });
      total += objs.length;
    }
    this.keysTotal = total;
    let head = 'REDIS' + String(RDB_VERSION).padStart(4, '0');
    for (const [k, v] of opts.aux) head += String.fromCharCode(OPCODE_AUX) + codec.encodeString(k) + codec.encodeString(v);
    for (const code of opts.functions) head += String.fromCharCode(OPCODE_FUNCTION2) + codec.encodeString(code);
    this.emit(head);
  }

  /** The object is about to change: if this snapshot still has to save it, encode it now. */
  beforeChange(o: RObj): void {
    if (o.saveEpoch !== this.epoch) return;
    o.saveEpoch = 0;
    this.stash.set(o, [o.expireAt, this.codec.encodeObject(o)]);
  }

  /** Encode frozen keys until budgetMs has passed; true once the whole file is built. */
  step(budgetMs: number): boolean {
    if (this.done) return true;
    const t0 = this.engine.monotonic();
    let n = 0;
    while (this.dbIndex < this.frozen.length) {
      const f = this.frozen[this.dbIndex];
      if (this.keyIndex < 0) {
        this.emit(
          String.fromCharCode(OPCODE_SELECTDB) + this.codec.encodeLength(f.db.id) +
          String.fromCharCode(OPCODE_RESIZEDB) + this.codec.encodeLength(f.keys.length) + this.codec.encodeLength(f.volatile),
        );
        this.keyIndex = 0;
      }
      while (this.keyIndex < f.keys.length) {
        const i = this.keyIndex++;
        this.emit(this.entry(f.keys[i], f.objs[i]));
        this.keysDone++;
        // Look at the clock every 64 keys only.
        if ((++n & 63) === 0 && this.engine.monotonic() - t0 >= budgetMs) return false;
      }
      this.dbIndex++;
      this.keyIndex = -1;
    }
    this.emit(String.fromCharCode(OPCODE_EOF));
    this.parts.push(this.checksum ? this.crc.littleEndian() : '\0'.repeat(8));
    this.done = true;
    this.stash.clear();
    return true;
  }

  /** The finished file. */
  bytes(): Uint8Array {
    let len = 0;
    for (const p of this.parts) len += p.length;
    const out = new Uint8Array(len);
    let at = 0;
    for (const p of this.parts) {
      for (let i = 0; i < p.length; i++) out[at++] = p.charCodeAt(i);
    }
    return out;
  }

  /** Stop (BGSAVE failed or was cancelled): release the marks. */
  abort(): void {
    for (const f of this.frozen) for (const o of f.objs) if (o.saveEpoch === this.epoch) o.saveEpoch = 0;
    this.stash.clear();
    this.done = true;
  }

  /** rdbSaveKeyValuePair: [EXPIRETIME_MS ms] TYPE key VALUE, as the object was at the start. */
  private entry(key: string, o: RObj): string {
    let expireAt: number;
    let obj: string;
    const early = this.stash.get(o);
    if (early !== undefined) {
      this.stash.delete(o);
      [expireAt, obj] = early;
    } else {
      o.saveEpoch = 0;
      expireAt = o.expireAt;
      obj = this.codec.encodeObject(o);
    }
    let s = '';
    if (expireAt !== -1) s += String.fromCharCode(OPCODE_EXPIRETIME_MS) + le64(expireAt);
    if (this.lru === 'idle') s += String.fromCharCode(OPCODE_IDLE) + this.codec.encodeLength(Math.floor(this.engine.objectIdleMs(o) / 1000));
    else if (this.lru === 'freq') s += String.fromCharCode(OPCODE_FREQ, this.engine.lfuDecrAndReturn(o));
    return s + obj[0] + this.codec.encodeString(key) + obj.slice(1);
  }

  private emit(s: string): void {
    this.parts.push(s);
    this.crc.updateBinary(s);
  }
}
