import { OBJ_STREAM } from '../object';
import { string2ll } from '../util/numbers';
import { jeSize, ROBJ_SIZE } from '../memory';
import type { DataType } from './index';
import { mixDigest } from '../util/sha1';
import { binaryToBytes } from '../util/bytes';
import { streamSerializedLength } from '../persistence/rdb-stream';

/**
 * Stream values (t_stream.c, Redis 7.0).
 *
 * Layout, as Redis keeps it so that sizes and approximate trimming come out the same:
 * - `Stream.nodes` is Redis's radix tree of listpacks, as an array of `StreamNode` sorted by their
 *   master ID (the ID of the first entry appended to the node). Every entry of a node is smaller
 *   than the next node's master ID, so a range lookup is a binary search over nodes then inside one
 *   (O(log n)); an append goes to the tail node (O(1)).
 * - A node holds its entries in ID order in parallel arrays (`ids`, `fields` as flat
 *   [field, value, ...], `flags`), deleted entries included (flag STREAM_ITEM_FLAG_DELETED) until
 *   the whole node goes. `count` is its live entries, `deleted` the tombstones, and `lpBytes()` the
 *   exact size Redis's listpack would have: a new node starts when the tail's bytes plus the new
 *   entry's field and value lengths reach stream-node-max-bytes, or when it holds
 *   stream-node-max-entries entries (live and deleted). XDEL of a node's last live entry frees it;
 *   `~` trimming only ever removes whole nodes.
 * - Stream metadata: length, lastId, firstId (recorded-first-entry-id), maxDeletedEntryId,
 *   entriesAdded.
 * - `groups`: consumer groups by name (Redis keeps them in a rax: list them with `sortedGroups()`).
 *   A group has lastId, entriesRead (-1 = unknown), its PEL (every pending ID → NACK, in ID order)
 *   and its consumers (name → Consumer, sorted by `sortedConsumers()`); a consumer has seenTime and
 *   its own PEL, which shares the NACK objects of the group's PEL. A NACK has its delivery time,
 *   delivery count and owning consumer.
 *
 * IDs are 128-bit (ms, seq), both unsigned 64-bit. Each half is a JS number when below 2^53 and a
 * bigint above (always normalised that way, so === and < work); everyday IDs never touch bigint.
 * The counters entriesAdded / entriesRead are C long longs the same way (`I64`).
 *
 * Walking it (RDB, DUMP, digest): `for (const n of s.nodes)` gives each listpack in ID order with
 * its master ID, master fields and every entry (`ids[i]`, `fields[i]`, `flags[i]`: SAMEFIELDS when
 * the entry's field names equal the master fields, DELETED for tombstones); the delta encoding
 * is entry ID minus `master`. To rebuild one, `new StreamNode(master, masterFields)`, `append`
 * each entry in order, `markDeleted(i)` the tombstones, and push it onto `nodes` (then set the
 * stream's length and metadata). Groups: `sortedGroups()`, `g.pel.all()` (NACKs in ID order),
 * `g.sortedConsumers()` with `consumer.pel.all()`.
 */

/** One half of an ID: a number below 2^53, else a bigint (never both for the same value). */
export type U64 = number | bigint;
export interface StreamID { readonly ms: U64; readonly seq: U64 }

export const U64_MAX = 18446744073709551615n;
export const ZERO_ID: StreamID = { ms: 0, seq: 0 };
export const MAX_ID: StreamID = { ms: U64_MAX, seq: U64_MAX };

/** A bigint in u64 range as a U64 (a number when it is safe). */
export function u64(v: bigint): U64 {
  return v <= 9007199254740991n ? Number(v) : v;
}

export function cmpID(a: StreamID, b: StreamID): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function idIsZero(id: StreamID): boolean {
  return id.ms === 0 && id.seq === 0;
}

export function idIsMax(id: StreamID): boolean {
  return id.ms === U64_MAX && id.seq === U64_MAX;
}

export function formatID(id: StreamID): string {
  return id.ms + '-' + id.seq;
}

function incU64(v: U64): U64 {
  return typeof v === 'number' ? (v < 9007199254740991 ? v + 1 : 9007199254740992n) : v + 1n;
}

function decU64(v: U64): U64 {
  return typeof v === 'number' ? v - 1 : u64(v - 1n);
}

/** streamIncrID: the next ID, or null after the last possible one. */
export function incrID(id: StreamID): StreamID | null {
  if (id.seq === U64_MAX) {
    if (id.ms === U64_MAX) return null;
    return { ms: incU64(id.ms), seq: 0 };
  }
  return { ms: id.ms, seq: incU64(id.seq) };
}

/** streamDecrID: the previous ID, or null before 0-0. */
export function decrID(id: StreamID): StreamID | null {
  if (id.seq === 0) {
    if (id.ms === 0) return null;
    return { ms: decU64(id.ms), seq: u64(U64_MAX) };
  }
  return { ms: id.ms, seq: decU64(id.seq) };
}

/**
 * string2ull as Redis's stream ID parser uses it, on a C string (cut at the first NUL): string2ll
 * when that parses (negative → invalid), else strtoull (leading blanks, a sign, no trailing junk,
 * no overflow; "-N" wraps like C's strtoull).
 */
export function string2ull(s: string): U64 | null {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  if (i >= s.length) return null;
  // Fast path: plain digits that fit a double exactly.
  let v = 0;
  let j = i;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  let big: bigint;
  if (v <= 9007199254740991) big = BigInt(v);
  else {
    big = BigInt(s.slice(i));
    if (big > U64_MAX) return null;
  }
  if (neg) {
    // string2ll accepts "-N" (N ≤ 2^63) and Redis then rejects it as negative; past that strtoull wraps.
    if (big === 0n) return 0;
    if (big <= 9223372036854775808n) return null;
    return u64((1n << 64n) - big);
  }
  return u64(big);
}

/** A C long long counter (entries-added, entries-read): a number when safe, else a bigint. */
export type I64 = number | bigint;

function normI64(r: bigint): I64 {
  return r >= -9007199254740991n && r <= 9007199254740991n ? Number(r) : r;
}

/** a + b with C's 64-bit wrap-around. */
export function addI64(a: I64, b: I64): I64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normI64(BigInt.asIntN(64, BigInt(a) + BigInt(b)));
}

/** a - b with C's 64-bit wrap-around. */
export function subI64(a: I64, b: I64): I64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normI64(BigInt.asIntN(64, BigInt(a) - BigInt(b)));
}

/** STREAM_ITEM_FLAG_* as stored in the listpack. */
export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

/** Bytes of a listpack integer entry holding v (encoding + back-length). */
function lpIntSize(v: number | bigint): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** Bytes of a listpack entry holding the string s (lpAppend stores integer-looking strings as integers). */
function lpEntrySize(s: string): number {
  const len = s.length;
  const c = len > 0 ? s.charCodeAt(0) : 0;
  const v = len > 0 && len <= 20 && ((c >= 48 && c <= 57) || c === 45) ? string2ll(s) : null;
  if (v !== null) return lpIntSize(v);
  const body = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return body + (body <= 127 ? 1 : body < 16383 ? 2 : body < 2097151 ? 3 : body < 268435455 ? 4 : 5);
}

/** a - b as C's int64_t of a uint64_t difference (the ms/seq deltas an entry stores). */
function delta(a: U64, b: U64): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return BigInt.asIntN(64, BigInt(a) - BigInt(b));
}

/** One listpack of the stream's radix tree. */
export class StreamNode {
  readonly master: StreamID;
  readonly masterFields: string[];
  readonly ids: StreamID[] = [];
  /** Per entry: [field, value, field, value, ...]. */
  readonly fields: string[][] = [];
  readonly flags: number[] = [];
  /** Live entries. */
  count = 0;
  /** Entries flagged deleted. */
  deleted = 0;
  /** Listpack bytes apart from the count and deleted entries (which change size in place). */
  private bytesRest: number;
  /** The allocation lpNew made for the node (stream-node-max-bytes, at most 4096). */
  capacity = 4096;
  /** Shrunk to fit when the next node was started (lpShrinkToFit). */
  shrunk = false;

  constructor(master: StreamID, masterFields: string[]) {
    this.master = master;
    this.masterFields = masterFields;
    // header (6) + end byte (1) + num-fields + the fields + the master terminator "0".
    let n = 7 + lpIntSize(masterFields.length) + 2;
    for (const f of masterFields) n += lpEntrySize(f);
    this.bytesRest = n;
  }

  /** lpBytes of the listpack Redis would hold. */
  lpBytes(): number {
    return this.bytesRest + lpIntSize(this.count) + lpIntSize(this.deleted);
  }

  /** The number of entries, deleted ones included. */
  get size(): number {
    return this.ids.length;
  }

  append(id: StreamID, fv: string[]): void {
    const nf = fv.length / 2;
    const mf = this.masterFields;
    let same = nf === mf.length;
    for (let i = 0; same && i < nf; i++) if (fv[2 * i] !== mf[i]) same = false;
    let n = 2 + lpIntSize(delta(id.ms, this.master.ms)) + lpIntSize(delta(id.seq, this.master.seq));
    if (same) {
      for (let i = 0; i < nf; i++) n += lpEntrySize(fv[2 * i + 1]);
      n += lpIntSize(nf + 3);
    } else {
      n += lpIntSize(nf);
      for (const s of fv) n += lpEntrySize(s);
      n += lpIntSize(2 * nf + 4);
    }
    this.bytesRest += n;
    this.ids.push(id);
    this.fields.push(fv);
    this.flags.push(same ? FLAG_SAMEFIELDS : 0);
    this.count++;
  }

  /** Mark entry i deleted (its flag keeps its size). */
  markDeleted(i: number): void {
    this.flags[i] |= FLAG_DELETED;
    this.count--;
    this.deleted++;
  }

  isDeleted(i: number): boolean {
    return (this.flags[i] & FLAG_DELETED) !== 0;
  }

  /** The index of the first entry with an ID >= id (this.size when none). */
  lowerBound(id: StreamID): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpID(this.ids[mid], id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  lastID(): StreamID {
    return this.ids[this.ids.length - 1];
  }

  /** What the allocator holds for the listpack: its preallocation while it is the tail, else its size. */
  allocated(): number {
    const bytes = this.lpBytes();
    return jeSize(this.shrunk || bytes > this.capacity ? bytes : Math.max(this.capacity, 7));
  }
}

/** A live entry as the iterators hand it out. */
export interface StreamEntry { id: StreamID; fields: string[] }

/** A pending entry: delivered to a consumer and not yet acknowledged (streamNACK). */
export class NACK {
  readonly id: StreamID;
  deliveryTime: number;
  deliveryCount: number;
  consumer: Consumer;
  constructor(id: StreamID, consumer: Consumer, deliveryTime: number) {
    this.id = id;
    this.consumer = consumer;
    this.deliveryTime = deliveryTime;
    this.deliveryCount = 1;
  }
}

/**
 * A pending entries list: ID → NACK with ordered iteration. A sorted array (appends are the usual
 * case: IDs are delivered in order) with a map for lookups. A removal only flags its slot dead
 * (re-adding the same ID revives it); dead slots are dropped once they are half the array.
 */
export class PEL {
  private readonly map = new Map<string, NACK>();
  private order: NACK[] = [];
  private live: boolean[] = [];
  private dead = 0;

  get size(): number {
    return this.map.size;
  }

  get(id: StreamID): NACK | undefined {
    return this.map.get(formatID(id));
  }

  /** Insert (the ID must not be present). */
  add(nack: NACK): void {
    this.map.set(formatID(nack.id), nack);
    const o = this.order;
    const n = o.length;
    if (n === 0 || cmpID(o[n - 1].id, nack.id) < 0) {
      o.push(nack);
      this.live.push(true);
      return;
    }
    const i = this.lowerBound(nack.id);
    if (i < n && cmpID(o[i].id, nack.id) === 0) {
      o[i] = nack;
      this.live[i] = true;
      this.dead--;
      return;
    }
    o.splice(i, 0, nack);
    this.live.splice(i, 0, true);
  }

  remove(id: StreamID): NACK | undefined {
    const key = formatID(id);
    const nack = this.map.get(key);
    if (nack === undefined) return undefined;
    this.map.delete(key);
    this.live[this.lowerBound(id)] = false;
    this.dead++;
    if (this.dead > 32 && this.dead * 2 > this.order.length) {
      const o: NACK[] = [];
      for (let i = 0; i < this.order.length; i++) if (this.live[i]) o.push(this.order[i]);
      this.order = o;
      this.live = o.map(() => true);
      this.dead = 0;
    }
    return nack;
  }

  /** First position whose ID is >= id. */
  private lowerBound(id: StreamID): number {
    const o = this.order;
    let lo = 0;
    let hi = o.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmpID(o[mid].id, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** NACKs with start <= ID <= end, in ID order (end null = to the last). */
  *range(start: StreamID, end: StreamID | null = null): Generator<NACK> {
    const o = this.order;
    for (let i = this.lowerBound(start); i < o.length; i++) {
      if (!this.live[i]) continue;
      const n = o[i];
      if (end !== null && cmpID(n.id, end) > 0) return;
      yield n;
    }
  }

  /** The node count of the radix tree Redis keeps this PEL in. */
  raxNodes(): number {
    const keys: string[] = [];
    for (let i = 0; i < this.order.length; i++) if (this.live[i]) keys.push(idKey(this.order[i].id));
    return raxNodeCount(keys);
  }

  /** Every NACK, in ID order. */
  all(): Generator<NACK> {
    return this.range(ZERO_ID);
  }

  first(): NACK | undefined {
    for (let i = 0; i < this.order.length; i++) if (this.live[i]) return this.order[i];
    return undefined;
  }

  last(): NACK | undefined {
    for (let i = this.order.length - 1; i >= 0; i--) if (this.live[i]) return this.order[i];
    return undefined;
  }
}

export class Consumer {
  readonly name: string;
  seenTime: number;
  readonly pel = new PEL();
  constructor(name: string, seenTime: number) {
    this.name = name;
    this.seenTime = seenTime;
  }
}

/** SCG_INVALID_ENTRIES_READ */
export const INVALID_ENTRIES_READ = -1;

export class ConsumerGroup {
  readonly name: string;
  lastId: StreamID;
  /** Entries read by the group (-1: unknown). */
  entriesRead: I64;
  readonly pel = new PEL();
  readonly consumers = new Map<string, Consumer>();
  constructor(name: string, lastId: StreamID, entriesRead: I64) {
    this.name = name;
    this.lastId = lastId;
    this.entriesRead = entriesRead;
  }

  /** Consumers in Redis's rax order (bytewise). */
  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

export class Stream {
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamID = ZERO_ID;
  firstId: StreamID = ZERO_ID;
  maxDeletedEntryId: StreamID = ZERO_ID;
  entriesAdded: I64 = 0;
  readonly groups = new Map<string, ConsumerGroup>();

  /** Groups in Redis's rax order (bytewise). */
  sortedGroups(): ConsumerGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Append an entry with the given ID (already checked to be greater than lastId), starting a new
   * node the way streamAppendItem does (maxBytes, maxEntries: the stream-node-max-* settings).
   */
  append(id: StreamID, fv: string[], maxBytes: number, maxEntries: number): void {
    let tail = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1] : null;
    if (tail !== null) {
      let totelelen = 0;
      for (const s of fv) totelelen += s.length;
      const nodeMax = maxBytes === 0 || maxBytes > 1 << 30 ? 1 << 30 : maxBytes;
      if (tail.lpBytes() + totelelen >= nodeMax) tail = null;
      else if (maxEntries !== 0 && tail.count + tail.deleted >= maxEntries) tail = null;
    }
    if (tail === null) {
      if (this.nodes.length > 0) this.nodes[this.nodes.length - 1].shrunk = true;
      const names: string[] = [];
      for (let i = 0; i < fv.length; i += 2) names.push(fv[i]);
      tail = new StreamNode(id, names);
      if (maxBytes > 0 && maxBytes < 4096) tail.capacity = maxBytes;
      this.nodes.push(tail);
    }
    tail.append(id, fv);
    this.lastId = id;
    this.length++;
    this.entriesAdded = addI64(this.entriesAdded, 1);
    if (this.length === 1) this.firstId = id;
  }

  /** The index of the node that may hold id: the last one whose master ID is <= id (0 if none). */
  private nodeFor(id: StreamID): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cmpID(nodes[mid].master, id) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Live entries with start <= ID <= end, ascending (or descending when rev). */
  *range(start: StreamID, end: StreamID, rev = false): Generator<StreamEntry> {
    if (this.nodes.length === 0 || cmpID(start, end) > 0) return;
    const nodes = this.nodes;
    if (!rev) {
      const first = this.nodeFor(start);
      for (let ni = first; ni < nodes.length; ni++) {
        const n = nodes[ni];
        for (let i = ni === first ? n.lowerBound(start) : 0; i < n.size; i++) {
          const id = n.ids[i];
          if (cmpID(id, end) > 0) return;
          if (!n.isDeleted(i)) yield { id, fields: n.fields[i] };
        }
      }
    } else {
      for (let ni = this.nodeFor(end); ni >= 0; ni--) {
        const n = nodes[ni];
        let i = n.lowerBound(end);
        if (i === n.size || cmpID(n.ids[i], end) > 0) i--;
        for (; i >= 0; i--) {
          const id = n.ids[i];
          if (cmpID(id, start) < 0) return;
          if (!n.isDeleted(i)) yield { id, fields: n.fields[i] };
        }
      }
    }
  }

  /** The live entry with this ID, or undefined. */
  get(id: StreamID): StreamEntry | undefined {
    if (this.nodes.length === 0) return undefined;
    const n = this.nodes[this.nodeFor(id)];
    const i = n.lowerBound(id);
    if (i < n.size && cmpID(n.ids[i], id) === 0 && !n.isDeleted(i)) return { id, fields: n.fields[i] };
    return undefined;
  }

  /** streamDeleteItem: flag the entry deleted (freeing its node when it was the last live one). */
  delete(id: StreamID): boolean {
    if (this.nodes.length === 0) return false;
    const ni = this.nodeFor(id);
    const n = this.nodes[ni];
    const i = n.lowerBound(id);
    if (i >= n.size || cmpID(n.ids[i], id) !== 0 || n.isDeleted(i)) return false;
    if (n.count === 1) this.nodes.splice(ni, 1);
    else n.markDeleted(i);
    this.length--;
    return true;
  }

  /**
   * streamGetEdgeID: the first (or last) ID, live only when skipTombstones, else the node's edge
   * entry whatever its flag; MAX_ID (first) or ZERO_ID (last) when there is none.
   */
  edgeID(first: boolean, skipTombstones: boolean): StreamID {
    if (skipTombstones) {
      const it = first ? this.range(ZERO_ID, MAX_ID) : this.range(ZERO_ID, MAX_ID, true);
      const r = it.next();
      if (!r.done) return r.value.id;
    } else if (this.nodes.length > 0) {
      // The iterator without tombstone skipping still skips nothing; the first node's first entry.
      const n = first ? this.nodes[0] : this.nodes[this.nodes.length - 1];
      if (n.size > 0) return first ? n.ids[0] : n.lastID();
    }
    return first ? MAX_ID : ZERO_ID;
  }

  /** streamLastValidID: the last live entry's ID (lastId when the tail entries were deleted... as Redis). */
  lastValidID(): StreamID {
    return this.edgeID(false, true);
  }

  /**
   * streamTrim: MAXLEN (minId null) or MINID trimming; approx removes whole nodes only; limit
   * (0 = none) caps the entries removed. Returns how many were removed.
   */
  trim(maxlen: number, minId: StreamID | null, approx: boolean, limit: number): number {
    let deleted = 0;
    while (this.nodes.length > 0) {
      if (minId === null && this.length <= maxlen) break;
      const n = this.nodes[0];
      const entries = n.count;
      if (limit && deleted + entries > limit) break;
      const removeNode = minId === null ? this.length - entries >= maxlen : cmpID(n.lastID(), minId) < 0;
      if (removeNode) {
        this.nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      for (let i = 0; i < n.size; i++) {
        const stop = minId === null ? this.length <= maxlen : cmpID(n.ids[i], minId) >= 0;
        if (stop) break;
        if (!n.isDeleted(i)) {
          n.markDeleted(i);
          this.length--;
          deleted++;
        }
      }
      break;
    }
    if (deleted > 0 || this.length === 0) this.firstId = this.length > 0 ? this.edgeID(true, true) : ZERO_ID;
    return deleted;
  }

  /** streamRangeHasTombstones: may [start, end] hold a deleted entry? (end null = to the last) */
  rangeHasTombstones(start: StreamID | null, end: StreamID | null): boolean {
    const md = this.maxDeletedEntryId;
    if (this.length === 0 || idIsZero(md)) return false;
    if (cmpID(this.firstId, md) > 0) return false;
    const s = start ?? ZERO_ID;
    const e = end ?? MAX_ID;
    return cmpID(s, md) <= 0 && cmpID(md, e) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry: the entries-read counter of id, or -1 when unknown. */
  estimateDistanceFromFirstEverEntry(id: StreamID): I64 {
    if (!this.entriesAdded) return 0;
    if (!this.length && cmpID(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = cmpID(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = cmpID(id, this.firstId);
    if (idIsZero(this.maxDeletedEntryId) || cmpID(this.maxDeletedEntryId, this.firstId) < 0) {
      if (cmpFirst < 0) return subI64(this.entriesAdded, this.length);
      if (cmpFirst === 0) return addI64(subI64(this.entriesAdded, this.length), 1);
    }
    return INVALID_ENTRIES_READ;
  }

  /** The radix tree's key count (XINFO radix-tree-keys): one per node. */
  get raxKeys(): number {
    return this.nodes.length;
  }

  /** The radix tree's node count (XINFO radix-tree-nodes). */
  raxNodes(): number {
    return raxNodeCount(this.nodes.map((n) => idKey(n.master)));
  }

  /** An independent copy (COPY). */
  dup(): Stream {
    const s = new Stream();
    for (const n of this.nodes) {
      const m = new StreamNode(n.master, n.masterFields);
      m.capacity = n.capacity;
      m.shrunk = n.shrunk;
      for (let i = 0; i < n.size; i++) m.append(n.ids[i], n.fields[i]);
      for (let i = 0; i < n.size; i++) if (n.isDeleted(i)) m.markDeleted(i);
      s.nodes.push(m);
    }
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedEntryId = this.maxDeletedEntryId;
    s.entriesAdded = this.entriesAdded;
    for (const g of this.groups.values()) {
      const ng = new ConsumerGroup(g.name, g.lastId, g.entriesRead);
      const consumers = new Map<Consumer, Consumer>();
      for (const c of g.consumers.values()) {
        const nc = new Consumer(c.name, c.seenTime);
        consumers.set(c, nc);
        ng.consumers.set(nc.name, nc);
      }
      for (const nack of g.pel.all()) {
        const owner = consumers.get(nack.consumer)!;
        const nn = new NACK(nack.id, owner, nack.deliveryTime);
        nn.deliveryCount = nack.deliveryCount;
        ng.pel.add(nn);
        owner.pel.add(nn);
      }
      s.groups.set(ng.name, ng);
    }
    return s;
  }
}

/** streamEncodeID: the big-endian 128-bit radix tree key of an ID. */
export function idKey(id: StreamID): string {
  return u64Bytes(id.ms) + u64Bytes(id.seq);
}

function u64Bytes(v: U64): string {
  let hi: number;
  let lo: number;
  if (typeof v === 'number') {
    hi = Math.floor(v / 4294967296);
    lo = v % 4294967296;
  } else {
    hi = Number(v >> 32n);
    lo = Number(v & 0xffffffffn);
  }
  return String.fromCharCode(hi >>> 24, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255);
}

/**
 * The node count of a rax holding these sorted, distinct 16-byte keys: a compressed trie (one
 * node per run of single-child levels, one per branching level, one per key end), as rax.c
 * shapes it; an empty rax is its root alone.
 */
export function raxNodeCount(keys: readonly string[]): number {
  if (keys.length === 0) return 1;
  const count = (lo: number, hi: number, d: number): number => {
    if (d === 16) return 1;
    if (keys[lo].charCodeAt(d) === keys[hi - 1].charCodeAt(d)) {
      let m = d + 1;
      while (m < 16 && keys[lo].charCodeAt(m) === keys[hi - 1].charCodeAt(m)) m++;
      return 1 + (m === 16 ? 1 : branch(lo, hi, m));
    }
    return branch(lo, hi, d);
  };
  const branch = (lo: number, hi: number, d: number): number => {
    let n = 1;
    let i = lo;
    while (i < hi) {
      let j = i + 1;
      while (j < hi && keys[j].charCodeAt(d) === keys[i].charCodeAt(d)) j++;
      n += count(i, j, d + 1);
      i = j;
    }
    return n;
  };
  return count(0, keys.length, 0);
}

/** sizeof(stream), sizeof(streamCG), sizeof(streamNACK), sizeof(streamConsumer) in Redis 7.0. */
const STREAM_SIZE = 80;
const CG_SIZE = 40;
const NACK_SIZE = 24;
const CONSUMER_SIZE = 24;

/** streamRadixTreeMemoryUsage as 7.0 computes it: 16 bytes per key, 4 + 30 longs per node. */
function raxMemory(elements: number, nodes: number): number {
  return elements * 16 + nodes * (4 + 240);
}

/**
 * objectComputeSize for a stream: MEMORY USAGE with `samples` listpacks measured (the rest
 * estimated from their average; 0 = all). DataType.memory uses the default 5.
 */
export function streamMemory(s: Stream, samples = 5): number {
  if (samples === 0) samples = Infinity;
  let size = ROBJ_SIZE + STREAM_SIZE + raxMemory(s.nodes.length, s.raxNodes());
  const nodes = s.nodes;
  let lpsize = 0;
  let k = 0;
  for (; k < samples && k < nodes.length; k++) lpsize += nodes[k].allocated();
  if (nodes.length <= k) size += lpsize;
  else size += Math.floor(lpsize / k) * (nodes.length - 1) + nodes[nodes.length - 1].allocated();
  for (const g of s.groups.values()) {
    size += CG_SIZE + raxMemory(g.pel.size, g.pel.raxNodes()) + NACK_SIZE * g.pel.size;
    for (const c of g.consumers.values()) size += CONSUMER_SIZE + c.name.length + raxMemory(c.pel.size, c.pel.raxNodes());
  }
  return size;
}

export const streamType: DataType = {
  encoding: () => 'stream',
  copy: (o) => (o.value as Stream).dup(),
  // xorObjectDigest: each live entry's "ms.seq" ID, then its fields and values, in order (groups
  // are not part of the digest).
  digest(digest, o) {
    for (const n of (o.value as Stream).nodes) {
      for (let i = 0; i < n.ids.length; i++) {
        if (n.flags[i] & FLAG_DELETED) continue;
        const id = n.ids[i];
        mixDigest(digest, binaryToBytes(id.ms + '.' + id.seq));
        for (const s of n.fields[i]) mixDigest(digest, binaryToBytes(s));
      }
    }
  },
  serializedLength(o, compression) {
    return streamSerializedLength(o.value as Stream, compression);
  },
  memory: (o, samples) => streamMemory(o.value as Stream, samples),
  /** For used_memory: every listpack, and the radix trees at about two nodes per key (O(nodes + groups)). */
  allocated(o) {
    const s = o.value as Stream;
    let n = ROBJ_SIZE + jeSize(STREAM_SIZE) + raxMemory(s.nodes.length, 2 * s.nodes.length + 1);
    for (const node of s.nodes) n += node.allocated();
    for (const g of s.groups.values()) {
      n += jeSize(CG_SIZE) + (NACK_SIZE + 16 + 2 * 244) * g.pel.size;
      n += (jeSize(CONSUMER_SIZE) + 244) * g.consumers.size;
    }
    return n;
  },
};

export function isStream(type: number): boolean {
  return type === OBJ_STREAM;
}
