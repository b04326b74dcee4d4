import { OBJ_LIST, type RObj } from '../object';
import { binaryToBytes } from '../util/bytes';
import { string2ll } from '../util/numbers';
import { mixDigest } from '../util/sha1';
import { lzfCompress } from '../util/lzf';
import { rdbLenSize } from '../persistence/rdb-size';
import { ROBJ_SIZE, jeSize, lpEntrySize } from '../memory';
import type { DataType } from './index';

/**
 * List values (t_list.c / quicklist.c). The elements are binary strings in a growable ring
 * buffer: O(1) push and pop at both ends and O(1) access by index; inserting or removing in the
 * middle moves the shorter side, O(n).
 *
 * Redis 7.0 holds every list as a quicklist (a linked list of listpack nodes): OBJECT ENCODING
 * always says "quicklist", whatever list-max-listpack-size is (the listpack encoding for small
 * lists came with 7.2). The node layout only matters for the RDB size (DEBUG OBJECT
 * serializedlength) and the memory estimate, which we compute for the layout tail pushes would
 * give (see nodeLayout). list-compress-depth (compressed inner nodes) is not modelled.
 */
export class ListValue {
  private buf: (string | undefined)[];
  private head = 0;
  private mask: number;
  private n = 0;
  /** The quicklist fill (list-max-listpack-size) the list was created with, as Redis keeps it. */
  fill: number;
  /** Running tally for the memory model: the elements' listpack entries. */
  lpBytes = 0;

  constructor(fill = -2, capacity = 8) {
    let cap = 8;
    while (cap < capacity) cap *= 2;
    this.buf = new Array(cap);
    this.mask = cap - 1;
    this.fill = fill;
  }

  static from(items: readonly string[], fill = -2): ListValue {
    const l = new ListValue(fill, items.length);
    for (const s of items) l.pushTail(s);
    return l;
  }

  get length(): number { return this.n; }

  private grow(): void {
    const old = this.buf;
    const cap = old.length;
    const nb: (string | undefined)[] = new Array(cap * 2);
    for (let i = 0; i < this.n; i++) nb[i] = old[(this.head + i) & this.mask];
    this.buf = nb;
    this.head = 0;
    this.mask = cap * 2 - 1;
  }

  /** Give memory back once the list is much smaller than its buffer. */
  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap <= 64 || this.n * 8 > cap) return;
    const ncap = Math.max(8, cap >> 2);
    const nb: (string | undefined)[] = new Array(ncap);
    for (let i = 0; i < this.n; i++) nb[i] = this.buf[(this.head + i) & this.mask];
    this.buf = nb;
    this.head = 0;
    this.mask = ncap - 1;
  }

  pushHead(s: string): void {
    if (this.n === this.buf.length) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = s;
    this.n++;
    this.lpBytes += lpEntrySize(s);
  }

  pushTail(s: string): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & this.mask] = s;
    this.n++;
    this.lpBytes += lpEntrySize(s);
  }

  popHead(): string | undefined {
    if (this.n === 0) return undefined;
    const s = this.buf[this.head]!;
    this.lpBytes -= lpEntrySize(s);
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.n--;
    this.maybeShrink();
    return s;
  }

  popTail(): string | undefined {
    if (this.n === 0) return undefined;
    const i = (this.head + this.n - 1) & this.mask;
    const s = this.buf[i]!;
    this.lpBytes -= lpEntrySize(s);
    this.buf[i] = undefined;
    this.n--;
    this.maybeShrink();
    return s;
  }

  /** The element at 0 <= i < length. */
  get(i: number): string {
    return this.buf[(this.head + i) & this.mask] as string;
  }

  /** Replace the element at 0 <= i < length (LSET). */
  set(i: number, s: string): void {
    this.lpBytes += lpEntrySize(s) - lpEntrySize(this.get(i));
    this.put(i, s);
  }

  private put(i: number, s: string): void {
    this.buf[(this.head + i) & this.mask] = s;
  }

  /** Insert s so that it ends at index 0 <= i <= length. */
  insert(i: number, s: string): void {
    if (i === 0) return this.pushHead(s);
    if (i === this.n) return this.pushTail(s);
    if (this.n === this.buf.length) this.grow();
    if (i < this.n - i) {
      // move the first i elements one step towards the head
      this.head = (this.head - 1) & this.mask;
      for (let k = 0; k < i; k++) this.put(k, this.get(k + 1));
    } else {
      for (let k = this.n; k > i; k--) this.buf[(this.head + k) & this.mask] = this.buf[(this.head + k - 1) & this.mask];
    }
    this.n++;
    this.put(i, s);
    this.lpBytes += lpEntrySize(s);
  }

  /** Remove the element at 0 <= i < length. */
  removeAt(i: number): void {
    this.lpBytes -= lpEntrySize(this.get(i));
    if (i < this.n - 1 - i) {
      for (let k = i; k > 0; k--) this.put(k, this.get(k - 1));
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
    } else {
      for (let k = i; k < this.n - 1; k++) this.put(k, this.get(k + 1));
      this.buf[(this.head + this.n - 1) & this.mask] = undefined;
    }
    this.n--;
    this.maybeShrink();
  }

  /**
   * Remove the elements equal to s, at most max of them (0 = all), from the head (or from the
   * tail when fromTail). One pass, O(n). Returns how many were removed.
   */
  removeValue(s: string, max: number, fromTail: boolean): number {
    const n = this.n;
    const keep: boolean[] = new Array(n);
    let removed = 0;
    if (fromTail) {
      for (let i = n - 1; i >= 0; i--) {
        const hit = (max === 0 || removed < max) && this.get(i) === s;
        if (hit) removed++;
        keep[i] = !hit;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const hit = (max === 0 || removed < max) && this.get(i) === s;
        if (hit) removed++;
        keep[i] = !hit;
      }
    }
    if (removed === 0) return 0;
    this.lpBytes -= removed * lpEntrySize(s);
    let w = 0;
    for (let i = 0; i < n; i++) if (keep[i]) this.put(w++, this.get(i));
    for (let i = w; i < n; i++) this.buf[(this.head + i) & this.mask] = undefined;
    this.n = w;
    this.maybeShrink();
    return removed;
  }

  /** Drop `left` elements from the head and `right` from the tail. */
  trim(left: number, right: number): void {
    left = Math.min(left, this.n);
    for (let k = 0; k < left; k++) {
      const i = (this.head + k) & this.mask;
      this.lpBytes -= lpEntrySize(this.buf[i]!);
      this.buf[i] = undefined;
    }
    this.head = (this.head + left) & this.mask;
    this.n -= left;
    right = Math.min(right, this.n);
    for (let k = this.n - right; k < this.n; k++) {
      const i = (this.head + k) & this.mask;
      this.lpBytes -= lpEntrySize(this.buf[i]!);
      this.buf[i] = undefined;
    }
    this.n -= right;
    this.maybeShrink();
  }

  /** Elements from index start to end inclusive (valid indexes), as an array. */
  range(start: number, end: number): string[] {
    const out: string[] = new Array(Math.max(0, end - start + 1));
    for (let i = start; i <= end; i++) out[i - start] = this.get(i);
    return out;
  }

  toArray(): string[] {
    return this.range(0, this.n - 1);
  }

  clone(): ListValue {
    const l = new ListValue(this.fill, this.n);
    for (let i = 0; i < this.n; i++) l.pushTail(this.get(i));
    return l;
  }
}

// ---- listpack sizes and bytes (listpack.c), for the RDB size ----

/** lpEncodeBacklen: how many bytes the back-length of an entry of l bytes takes. */
function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** The integer a listpack stores an element as (lpStringToInt64), or null for a string entry. */
function lpInt(s: string): number | bigint | null {
  if (s.length === 0 || s.length > 20) return null;
  return string2ll(s);
}

/** Encoding + data bytes of one listpack entry (without its back-length). */
function entryBodySize(s: string): number {
  const v = lpInt(s);
  if (v !== null) {
    if (v >= 0 && v <= 127) return 1;
    if (v >= -4096 && v <= 4095) return 2;
    if (v >= -32768 && v <= 32767) return 3;
    if (v >= -8388608 && v <= 8388607) return 4;
    if (v >= -2147483648 && v <= 2147483647) return 5;
    return 9;
  }
  const len = s.length;
  if (len < 64) return 1 + len;
  if (len < 4096) return 2 + len;
  return 5 + len;
}

function entrySize(s: string): number {
  const b = entryBodySize(s);
  return b + backlenSize(b);
}

/** Write one entry at out[p]; returns the next position. */
function writeEntry(out: Uint8Array, p: number, s: string): number {
  const start = p;
  const v = lpInt(s);
  if (v !== null) {
    let x = BigInt(v);
    if (v >= 0 && v <= 127) out[p++] = Number(x);
    else if (v >= -4096 && v <= 4095) {
      if (x < 0n) x += 1n << 13n;
      out[p++] = Number(x >> 8n) | 0xc0;
      out[p++] = Number(x & 255n);
    } else {
      let bytes: number;
      if (v >= -32768 && v <= 32767) { out[p++] = 0xf1; bytes = 2; }
      else if (v >= -8388608 && v <= 8388607) { out[p++] = 0xf2; bytes = 3; }
      else if (v >= -2147483648 && v <= 2147483647) { out[p++] = 0xf3; bytes = 4; }
      else { out[p++] = 0xf4; bytes = 8; }
      if (x < 0n) x += 1n << BigInt(bytes * 8);
      for (let k = 0; k < bytes; k++) { out[p++] = Number(x & 255n); x >>= 8n; }
    }
  } else {
    const len = s.length;
    if (len < 64) out[p++] = 0x80 | len;
    else if (len < 4096) { out[p++] = 0xe0 | (len >> 8); out[p++] = len & 255; }
    else {
      out[p++] = 0xf0;
      out[p++] = len & 255; out[p++] = (len >>> 8) & 255; out[p++] = (len >>> 16) & 255; out[p++] = (len >>> 24) & 255;
    }
    for (let k = 0; k < len; k++) out[p++] = s.charCodeAt(k);
  }
  // back-length, most significant 7-bit group first
  const l = p - start;
  const n = backlenSize(l);
  for (let k = n - 1; k >= 0; k--) {
    const group = Math.floor(l / 2 ** (7 * k)) & 127;
    out[p++] = k === n - 1 ? group : group | 128;
  }
  return p;
}

/** A listpack holding items[from, to). */
export function listpackBytes(items: ListValue, from: number, to: number, total: number): Uint8Array {
  const out = new Uint8Array(total);
  out[0] = total & 255; out[1] = (total >>> 8) & 255; out[2] = (total >>> 16) & 255; out[3] = (total >>> 24) & 255;
  const count = Math.min(to - from, 65535);
  out[4] = count & 255; out[5] = count >> 8;
  let p = 6;
  for (let i = from; i < to; i++) p = writeEntry(out, p, items.get(i));
  out[p] = 0xff;
  return out;
}

const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;

/**
 * _quicklistNodeAllowInsert and quicklistNodeExceedsLimit as 7.0.15 has them: whether an element
 * of sz bytes still goes into a node of nodeBytes bytes and nodeCount elements.
 */
function nodeAllowsInsert(nodeBytes: number, nodeCount: number, fill: number, sz: number): boolean {
  const newSz = nodeBytes + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const off = Math.min(-fill - 1, OPTIMIZATION_LEVEL.length - 1);
    return newSz <= OPTIMIZATION_LEVEL[off];
  }
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return nodeCount + 1 <= (fill === 0 ? 1 : fill);
}

/**
 * The nodes the list would have if built by tail pushes: [from, to, listpack bytes] each.
 * Exact for lists that fit in one node (the common case) and for lists built by RPUSH; otherwise
 * an approximation: Redis's real layout depends on history (LPUSH fills nodes from the head,
 * LINSERT splits nodes, pops, LTRIM and LREM leave them partly empty, merges happen on insert).
 */
export function nodeLayout(l: ListValue): [number, number, number][] {
  const nodes: [number, number, number][] = [];
  let from = 0;
  let bytes = 7; // header + end byte
  for (let i = 0; i < l.length; i++) {
    const s = l.get(i);
    if (i > from && !nodeAllowsInsert(bytes, i - from, l.fill, s.length)) {
      nodes.push([from, i, bytes]);
      from = i;
      bytes = 7;
    }
    bytes += entrySize(s);
  }
  if (l.length > from) nodes.push([from, l.length, bytes]);
  return nodes;
}

/** rdbSaveObject for a quicklist (RDB_TYPE_LIST_QUICKLIST_2), list-compress-depth 0. */
function listSerializedLength(o: RObj, compression: boolean): number {
  const l = o.value as ListValue;
  const nodes = nodeLayout(l);
  let size = rdbLenSize(nodes.length);
  for (const [from, to, bytes] of nodes) {
    size += 1; // container: packed
    if (compression && bytes > 20) {
      const c = lzfCompress(listpackBytes(l, from, to, bytes), bytes - 4);
      if (c !== null) {
        size += 1 + rdbLenSize(c.length) + rdbLenSize(bytes) + c.length;
        continue;
      }
    }
    size += rdbLenSize(bytes) + bytes;
  }
  return size;
}

/**
 * How many quicklist nodes the list takes, from its tallies: nodes fill up to the fill's byte
 * limit (8KB for the default -2) or, for a positive fill, its element count (and 8KB at most).
 * Exact for lists built by pushes at one end; a fair estimate otherwise.
 */
function estimateNodes(l: ListValue): number {
  if (l.length === 0) return 0;
  const avgEntry = l.lpBytes / l.length;
  let limit: number;
  let byCount = 1;
  if (l.fill < 0) {
    limit = OPTIMIZATION_LEVEL[Math.min(-l.fill - 1, OPTIMIZATION_LEVEL.length - 1)];
  } else {
    limit = SIZE_SAFETY_LIMIT;
    byCount = Math.ceil(l.length / Math.max(1, l.fill));
  }
  // A node takes entries while header + entries + the next one + 8 stays within the limit.
  const perNode = Math.max(1, Math.floor((limit - 7 - SIZE_ESTIMATE_OVERHEAD) / Math.max(1, avgEntry)));
  return Math.max(byCount, Math.ceil(l.length / perNode));
}

/**
 * objectComputeSize for a quicklist: the robj and the quicklist struct, plus per node its struct
 * and its listpack allocation (MEMORY USAGE averages the first nodes; ours are all alike).
 */
function listMemory(o: RObj): number {
  const l = o.value as ListValue;
  const nodes = estimateNodes(l);
  if (nodes === 0) return ROBJ_SIZE + 40;
  return ROBJ_SIZE + 40 + nodes * (40 + jeSize(Math.round(7 + l.lpBytes / nodes)));
}

/** What jemalloc hands out: the quicklist struct and the node structs take 48-byte classes. */
function listAllocated(o: RObj): number {
  const l = o.value as ListValue;
  const nodes = estimateNodes(l);
  if (nodes === 0) return ROBJ_SIZE + jeSize(40);
  return ROBJ_SIZE + jeSize(40) + nodes * (jeSize(40) + jeSize(Math.round(7 + l.lpBytes / nodes)));
}

/** Lists as a DataType (see types/index.ts). */
export const listType: DataType = {
  encoding: () => 'quicklist',
  copy: (o) => (o.value as ListValue).clone(),
  digest(digest, o) {
    const l = o.value as ListValue;
    for (let i = 0; i < l.length; i++) mixDigest(digest, binaryToBytes(l.get(i)));
  },
  serializedLength: listSerializedLength,
  memory: listMemory,
  allocated: listAllocated,
};

export function isList(o: RObj): boolean {
  return o.type === OBJ_LIST;
}
