/**
 * The memory model: what Redis 7.0 would allocate (through jemalloc) for the structures we
 * mirror, and the running total behind INFO's used_memory, MEMORY STATS and maxmemory.
 *
 * Nothing here measures the JavaScript heap. Each data type keeps O(1) running tallies of its
 * elements (count, sds bytes, listpack entry bytes, skiplist node bytes) and turns them into
 * Redis's figures; the engine charges each key's cost to `MemoryTracker` as the keyspace's write
 * path touches it, so reading used_memory is O(keys touched since the last read). See
 * docs/memory.md for the model and how close it gets to a real redis-server.
 */
import type { Engine } from './server';
import type { Db } from './keyspace';
import type { RObj } from './object';
import { string2ll } from './util/numbers';

/** jemalloc's size class for an allocation of n bytes. */
export function jeSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const p = 2 ** Math.floor(Math.log2(n - 1));
  const step = p / 4;
  return Math.ceil(n / step) * step;
}

/** sdsZmallocSize of an sds holding len bytes. */
export function sdsSize(len: number): number {
  const hdr = len < 256 ? 3 : len < 65536 ? 5 : len < 4294967296 ? 9 : 17;
  return jeSize(hdr + len + 1);
}

/**
 * The allocation of an sds made by sdsnewlen/sdsdup from len bytes: keys, and the members of hash
 * tables, sets and skiplists. Those pick the smallest header, SDS_TYPE_5's single byte below 32
 * bytes (sdsSize's figures are for strings built to grow, which start at SDS_TYPE_8).
 */
export function sdsCopySize(len: number): number {
  return len < 32 ? jeSize(len + 2) : sdsSize(len);
}

/** sizeof(robj) */
export const ROBJ_SIZE = 16;
/** sizeof(dictEntry): what MEMORY USAGE counts per entry (jemalloc gives it 32). */
export const DICT_ENTRY_SIZE = 24;
/** sizeof(dict) in 7.0 */
export const DICT_SIZE = 56;

/** The bucket count of a Redis dict holding n entries: the power of two >= n, at least 4. */
export function dictSlots(n: number): number {
  if (n === 0) return 0;
  if (n <= 4) return 4;
  return n > 2 ** 30 ? 2 ** Math.ceil(Math.log2(n)) : 1 << (32 - Math.clz32(n - 1));
}

/** A dict's buckets after an add: it doubles once it holds more entries than buckets (_dictExpandIfNeeded). */
export function slotsAfterAdd(slots: number, n: number): number {
  return n > slots ? dictSlots(n) : slots;
}

/** A dict's buckets after a removal resizes it (htNeedsResize + dictResize): under 10% full, it shrinks to fit. */
export function slotsAfterRemove(slots: number, n: number): number {
  return slots > 4 && n * 10 < slots ? dictSlots(Math.max(n, 1)) : slots;
}

/** Bytes of one listpack entry holding s (encoding, data and back-length), as lpInsert writes it. */
export function lpEntrySize(s: string): number {
  const len = s.length;
  let body: number;
  const c = len > 0 ? s.charCodeAt(0) : 0;
  // Only strings that look like integers can take an integer entry (lpStringToInt64).
  const v = len > 0 && len <= 20 && ((c >= 48 && c <= 57) || c === 45) ? string2ll(s) : null;
  if (v !== null) {
    if (v >= 0 && v <= 127) body = 1;
    else if (v >= -4096 && v <= 4095) body = 2;
    else if (v >= -32768 && v <= 32767) body = 3;
    else if (v >= -8388608 && v <= 8388607) body = 4;
    else if (v >= -2147483648 && v <= 2147483647) body = 5;
    else body = 9;
  } else {
    body = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  }
  return body + (body <= 127 ? 1 : body < 16383 ? 2 : body < 2097151 ? 3 : body < 268435455 ? 4 : 5);
}

/** Bytes of a listpack entry holding a zset score (its %.17g text, or an integer entry). */
export function lpScoreSize(score: number): number {
  if (Number.isInteger(score) && Math.abs(score) < 2 ** 53) {
    // An integer entry (and its 1-byte back-length), sized from the value without printing it.
    if (score >= 0 && score <= 127) return 2;
    if (score >= -4096 && score <= 4095) return 3;
    if (score >= -32768 && score <= 32767) return 4;
    if (score >= -8388608 && score <= 8388607) return 5;
    if (score >= -2147483648 && score <= 2147483647) return 6;
    return 10;
  }
  // %.17g text: at most 17 digits + sign, point and exponent; the shortest form is a fair estimate.
  const t = String(score);
  return Math.min(24, t.length + 2) + 1;
}

/**
 * The browser worker's default hard ceiling on estimated used_memory (EngineOptions.memoryCeiling).
 * Our JS objects take a few times what Redis would allocate, so 256MB estimated stays well within
 * what a tab can hold.
 */
export const BROWSER_MEMORY_CEILING = 256 * 1024 * 1024;

/** What an empty Redis 7.0 reports as used_memory_startup (command table, shared objects, Lua...). */
export const STARTUP_MEMORY = 876_120;
/** One idle client: the client struct and its (shrunk) buffers, as clientsCron leaves them. */
export const CLIENT_BASE_MEMORY = 1_800;
/** functions.caches of an empty 7.0 server (MEMORY STATS). */
export const FUNCTIONS_CACHES = 200;

/**
 * Redis reads a pipelining client 16KB at a time (PROTO_IOBUF_LEN), so its query buffer holds
 * about that much of small commands however many are queued. Our host hands over whole socket
 * chunks (up to 64KB): count what Redis would hold, not the chunk. More than a chunk pending is a
 * big argument being received, which Redis too buffers whole.
 */
function queryBufferBytes(pending: number): number {
  if (pending <= PROTO_IOBUF_LEN) return pending;
  return pending > 65536 ? pending : PROTO_IOBUF_LEN;
}

const PROTO_IOBUF_LEN = 16 * 1024;

/** The per-key bytes charged beyond the value: its dictEntry in the main dict and the key sds. */
export function keyMemory(key: string): number {
  return jeSize(DICT_ENTRY_SIZE) + sdsCopySize(key.length);
}

/**
 * The running total of the dataset's memory. Keys charge their key bytes when added and release
 * everything when deleted; a value that changes (looked up for writing, overwritten, given a TTL)
 * is marked dirty and re-measured from its O(1) tallies the next time anyone asks for the total.
 */
export class MemoryTracker {
  /** Sum over live keys of keyMemory(key) + o.mem. */
  private dataset = 0;
  /** Values changed since the last settle (each at most once: RObj.memDirty). */
  private dirty: RObj[] = [];
  /** used_memory_peak (CONFIG RESETSTAT sets it back to 0). */
  peak = 0;

  /**
   * measure: a value's allocated bytes plus its expires entry (objectAllocated in types/index.ts;
   * passed in so that this module does not import the types, which import it).
   */
  constructor(private readonly engine: Engine, private readonly measure: (o: RObj) => number) {}

  /** A key entered a db: charge its key bytes and measure its value at the next settle. */
  keyAdded(key: string, o: RObj): void {
    this.dataset += keyMemory(key);
    o.mem = 0;
    this.markDirty(o);
  }

  /** A key left its db: release what it was charged. */
  keyDeleted(key: string, o: RObj): void {
    this.dataset -= keyMemory(key) + o.mem;
    o.mem = 0;
  }

  /** A db was emptied at once (FLUSHDB, FLUSHALL, a load replacing the data): release every key. */
  dbFlushed(keys: readonly string[], objs: readonly RObj[]): void {
    for (let i = 0; i < keys.length; i++) {
      this.dataset -= keyMemory(keys[i]) + objs[i].mem;
      objs[i].mem = 0;
      objs[i].slot = -1;
    }
  }

  /** o's value may have changed size. */
  markDirty(o: RObj): void {
    if (o.memDirty) return;
    o.memDirty = true;
    this.dirty.push(o);
    // Nobody asked for the total in a while (no maxmemory, no INFO): settle now rather than hold
    // on to values that may have been deleted since.
    if (this.dirty.length >= 65536) this.settle();
  }

  /** Re-measure the values changed since the last call. */
  settle(): void {
    const d = this.dirty;
    if (d.length === 0) return;
    for (let i = 0; i < d.length; i++) {
      const o = d[i];
      o.memDirty = false;
      if (o.slot === -1) continue; // deleted meanwhile: already released
      const now = this.measure(o);
      this.dataset += now - o.mem;
      o.mem = now;
    }
    d.length = 0;
  }

  /** The dataset's bytes: keys, values, expires entries (not the dicts' bucket arrays). */
  datasetBytes(): number {
    this.settle();
    return this.dataset;
  }

  /** Bucket arrays of every db's main and expires dicts (as allocated). */
  dictBytes(): number {
    let n = 0;
    for (const db of this.engine.dbs) n += dbDictBytes(db);
    return n;
  }

  /**
   * databasesCron's tryResizeHashTables: the db dicts under 10% full shrink to fit (deletions leave
   * their buckets in place until then). Not while a snapshot is written (Redis avoids touching
   * memory while a child process shares it).
   */
  cron(): void {
    if (this.engine.cowSnapshot !== null) return;
    for (const db of this.engine.dbs) {
      db.mainSlots = slotsAfterRemove(db.mainSlots, db.size);
      db.expiresSlots = slotsAfterRemove(db.expiresSlots, db.expiresCount);
    }
  }

  /**
   * Client structs, their query buffers and pending replies: all clients (`replicas`), or all but
   * the replicas (mem_clients_normal). A replica's output is the shared replication buffer,
   * counted apart (replication.memory()); Redis streams the RDB to it from the file or the
   * child's pipe, never holding it whole, so its own reply bytes are not counted.
   */
  clientBytes(replicas = true): number {
    let n = 0;
    for (const c of this.engine.clients.values()) {
      if (c.replica !== null) {
        if (replicas) n += CLIENT_BASE_MEMORY + queryBufferBytes(c.parser.pending);
        continue;
      }
      n += CLIENT_BASE_MEMORY + queryBufferBytes(c.parser.pending) + c.reply.len;
    }
    return n;
  }

  /** used_memory: startup + clients + the replication buffer + dicts + dataset. */
  used(): number {
    const repl = this.engine.replication.memory();
    const n = STARTUP_MEMORY + this.clientBytes() + repl.backlog + repl.replicas + this.dictBytes() + this.datasetBytes();
    if (n > this.peak) this.peak = n;
    return n;
  }

  /**
   * What maxmemory compares with (getMaxmemoryState): used_memory less what Redis does not count
   * towards it (freeMemoryGetNotCountedMemory: the replication buffer beyond the backlog's size).
   */
  usedForMaxmemory(): number {
    const used = this.used();
    const notCounted = this.engine.replication.memory().notCounted;
    return used > notCounted ? used - notCounted : 0;
  }
}

/** The bucket arrays of a db's two dicts, as jemalloc allocates them. */
export function dbDictBytes(db: Db): number {
  const m = db.mainSlots;
  const e = db.expiresSlots;
  return (m ? jeSize(8 * m) : 0) + (e ? jeSize(8 * e) : 0);
}

/**
 * MEMORY STATS' overhead.hashtable.main of a db: Redis's formula (entries and robjs at their
 * struct sizes, plus the bucket array), not the allocator's figure.
 */
export function dbMainOverhead(db: Db): number {
  return db.size * (DICT_ENTRY_SIZE + ROBJ_SIZE) + db.mainSlots * 8;
}

/** MEMORY STATS' overhead.hashtable.expires of a db. */
export function dbExpiresOverhead(db: Db): number {
  return db.expiresCount * DICT_ENTRY_SIZE + db.expiresSlots * 8;
}
