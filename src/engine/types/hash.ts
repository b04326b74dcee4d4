import { OBJ_HASH, type RObj } from '../object';
import { binaryToBytes } from '../util/bytes';
import { string2ll } from '../util/numbers';
import { mixDigest, xorDigest } from '../util/sha1';
import { rdbLenSize, rdbRawStringSize } from '../persistence/rdb-size';
import { DICT_ENTRY_SIZE, DICT_SIZE, ROBJ_SIZE, dictSlots, jeSize, lpEntrySize, sdsCopySize, slotsAfterAdd, slotsAfterRemove } from '../memory';
import type { DataType } from './index';

/**
 * Hash values (t_hash.c). Redis keeps a small hash as a listpack (field, value, field, value...
 * in insertion order) and converts it for good to a hash table once it has more than
 * hash-max-listpack-entries fields or a field or value longer than hash-max-listpack-value bytes.
 *
 * We mirror the two encodings with two layouts, both O(1) per access:
 * - "listpack": one insertion-ordered Map field → value. Updating a field keeps its place,
 *   deleting then re-adding moves it to the end: exactly a listpack's order, which HGETALL,
 *   HKEYS, HVALS, HSCAN and HRANDFIELD show.
 * - "hashtable": dense arrays of fields and values plus a Map field → slot. Deletion moves the
 *   last pair into the hole, so random picks are O(1) and HSCAN can walk a cursor from the end
 *   towards 0 that never misses a pair present for the whole scan (as Db.scan does for keys).
 * Fields and values are binary strings.
 */
export class HashValue {
  /** listpack encoding: the ordered map; null once converted. */
  lp: Map<string, string> | null = new Map();
  /** hashtable encoding: field → slot in fields/vals. */
  idx: Map<string, number> | null = null;
  fields: string[] = [];
  vals: string[] = [];
  /** Running tallies for the memory model, whatever the encoding: the pairs' sds allocations... */
  sdsBytes = 0;
  /** ...and their listpack entries. */
  lpBytes = 0;
  /** The hashtable encoding's bucket count, as Redis's dict would have it. */
  buckets = 0;

  get size(): number {
    return this.lp !== null ? this.lp.size : this.fields.length;
  }

  get isListpack(): boolean {
    return this.lp !== null;
  }

  get(field: string): string | undefined {
    if (this.lp !== null) return this.lp.get(field);
    const i = this.idx!.get(field);
    return i === undefined ? undefined : this.vals[i];
  }

  has(field: string): boolean {
    return this.lp !== null ? this.lp.has(field) : this.idx!.has(field);
  }

  /** Set field to value; true when the field is new. (No encoding checks: see hashSet.) */
  set(field: string, value: string): boolean {
    this.sdsBytes += sdsCopySize(value.length);
    this.lpBytes += lpEntrySize(value);
    if (this.lp !== null) {
      const old = this.lp.get(field);
      this.lp.set(field, value);
      if (old !== undefined) {
        this.untally(old);
        return false;
      }
      this.tallyField(field);
      return true;
    }
    const i = this.idx!.get(field);
    if (i !== undefined) {
      this.untally(this.vals[i]);
      this.vals[i] = value;
      return false;
    }
    this.tallyField(field);
    this.idx!.set(field, this.fields.length);
    this.fields.push(field);
    this.vals.push(value);
    this.buckets = slotsAfterAdd(this.buckets, this.fields.length);
    return true;
  }

  private tallyField(field: string): void {
    this.sdsBytes += sdsCopySize(field.length);
    this.lpBytes += lpEntrySize(field);
  }

  private untally(s: string): void {
    this.sdsBytes -= sdsCopySize(s.length);
    this.lpBytes -= lpEntrySize(s);
  }

  delete(field: string): boolean {
    if (this.lp !== null) {
      const old = this.lp.get(field);
      if (old === undefined) return false;
      this.lp.delete(field);
      this.untally(field);
      this.untally(old);
      return true;
    }
    const idx = this.idx!;
    const i = idx.get(field);
    if (i === undefined) return false;
    this.untally(field);
    this.untally(this.vals[i]);
    idx.delete(field);
    const last = this.fields.length - 1;
    if (i !== last) {
      const f = this.fields[last];
      this.fields[i] = f;
      this.vals[i] = this.vals[last];
      idx.set(f, i);
    }
    this.fields.pop();
    this.vals.pop();
    this.buckets = slotsAfterRemove(this.buckets, this.fields.length);
    return true;
  }

  /** hashTypeConvert to OBJ_ENCODING_HT (never back). */
  toHashtable(): void {
    if (this.lp === null) return;
    const idx = new Map<string, number>();
    const fields: string[] = [];
    const vals: string[] = [];
    for (const [f, v] of this.lp) {
      idx.set(f, fields.length);
      fields.push(f);
      vals.push(v);
    }
    this.lp = null;
    this.idx = idx;
    this.fields = fields;
    this.vals = vals;
    this.buckets = dictSlots(fields.length); // dictExpand to the listpack's length
  }

  /** Every pair in the hash's iteration order. */
  forEach(fn: (field: string, value: string) => void): void {
    if (this.lp !== null) {
      for (const [f, v] of this.lp) fn(f, v);
    } else {
      for (let i = 0; i < this.fields.length; i++) fn(this.fields[i], this.vals[i]);
    }
  }

  /** Fields and values as parallel arrays in iteration order (the live arrays for a hashtable: read only). */
  arrays(): [string[], string[]] {
    if (this.lp === null) return [this.fields, this.vals];
    return [[...this.lp.keys()], [...this.lp.values()]];
  }

  /**
   * One HSCAN step over a hashtable-encoded hash from cursor (0 = start): visits up to count
   * pairs and returns the next cursor (0 = done).
   */
  scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    let pos = cursor === 0 ? this.fields.length : Math.min(cursor, this.fields.length);
    let n = 0;
    while (pos > 0 && n < count) {
      pos--;
      visit(this.fields[pos], this.vals[pos]);
      n++;
    }
    return pos;
  }

  /** A deep copy keeping the encoding (hashTypeDup). */
  dup(): HashValue {
    const h = new HashValue();
    h.sdsBytes = this.sdsBytes;
    h.lpBytes = this.lpBytes;
    h.buckets = dictSlots(this.size);
    if (this.lp !== null) {
      h.lp = new Map(this.lp);
    } else {
      h.lp = null;
      h.idx = new Map(this.idx!);
      h.fields = this.fields.slice();
      h.vals = this.vals.slice();
    }
    return h;
  }
}

export function isHash(o: RObj): boolean {
  return o.type === OBJ_HASH;
}

// ---- listpack byte layout (listpack.c), for DEBUG OBJECT's serializedlength ----

/** The string as a listpack integer (lpStringToInt64), or null. */
function lpInt(s: string): bigint | null {
  if (s.length === 0 || s.length >= 21) return null;
  const v = string2ll(s);
  return v === null ? null : BigInt(v);
}

function pushLE(out: number[], v: bigint, bytes: number): void {
  for (let i = 0; i < bytes; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
}

/** lpEncodeBacklen */
function pushBacklen(out: number[], l: number): void {
  if (l <= 127) out.push(l);
  else if (l < 16383) out.push(l >>> 7, (l & 127) | 128);
  else if (l < 2097151) out.push(l >>> 14, ((l >>> 7) & 127) | 128, (l & 127) | 128);
  else if (l < 268435455) out.push(l >>> 21, ((l >>> 14) & 127) | 128, ((l >>> 7) & 127) | 128, (l & 127) | 128);
  else {
    out.push(Math.floor(l / 2 ** 28), ((l >>> 21) & 127) | 128, ((l >>> 14) & 127) | 128, ((l >>> 7) & 127) | 128, (l & 127) | 128);
  }
}

/** One listpack entry (encoding, data, backlen) for s. */
function pushEntry(out: number[], s: string): void {
  const start = out.length;
  const v = lpInt(s);
  if (v !== null) {
    if (v >= 0n && v <= 127n) out.push(Number(v));
    else if (v >= -4096n && v <= 4095n) {
      const u = Number(v < 0n ? (1n << 13n) + v : v);
      out.push((u >> 8) | 0xc0, u & 0xff);
    } else if (v >= -32768n && v <= 32767n) {
      out.push(0xf1);
      pushLE(out, v < 0n ? (1n << 16n) + v : v, 2);
    } else if (v >= -8388608n && v <= 8388607n) {
      out.push(0xf2);
      pushLE(out, v < 0n ? (1n << 24n) + v : v, 3);
    } else if (v >= -2147483648n && v <= 2147483647n) {
      out.push(0xf3);
      pushLE(out, v < 0n ? (1n << 32n) + v : v, 4);
    } else {
      out.push(0xf4);
      pushLE(out, v < 0n ? (1n << 64n) + v : v, 8);
    }
  } else {
    const n = s.length;
    if (n < 64) out.push(n | 0x80);
    else if (n < 4096) out.push((n >> 8) | 0xe0, n & 0xff);
    else {
      out.push(0xf0);
      pushLE(out, BigInt(n), 4);
    }
    for (let i = 0; i < n; i++) out.push(s.charCodeAt(i));
  }
  pushBacklen(out, out.length - start);
}

/** The listpack Redis would hold for this hash, as a binary string. */
export function listpackBytes(h: HashValue): string {
  const body: number[] = [];
  h.forEach((f, v) => {
    pushEntry(body, f);
    pushEntry(body, v);
  });
  const total = 6 + body.length + 1;
  const n = h.size * 2;
  const head: number[] = [];
  pushLE(head, BigInt(total), 4);
  pushLE(head, BigInt(n < 65535 ? n : 65535), 2);
  let s = '';
  for (const b of head) s += String.fromCharCode(b);
  for (let i = 0; i < body.length; i += 8192) s += String.fromCharCode(...body.slice(i, i + 8192));
  return s + '\xff';
}

/** OBJECT ENCODING */
export function hashEncoding(o: RObj): string {
  return (o.value as HashValue).isListpack ? 'listpack' : 'hashtable';
}

/** Hashes as a DataType (see types/index.ts). */
export const hashType: DataType = {
  encoding: hashEncoding,
  copy: (o) => (o.value as HashValue).dup(),
  digest(digest, o) {
    // xorObjectDigest: per pair, mix field then value into a fresh digest, xor'ed in.
    (o.value as HashValue).forEach((f, v) => {
      const ele = new Uint8Array(20);
      mixDigest(ele, binaryToBytes(f));
      mixDigest(ele, binaryToBytes(v));
      xorDigest(digest, ele);
    });
  },
  serializedLength(o, compression) {
    const h = o.value as HashValue;
    if (h.isListpack) return rdbRawStringSize(listpackBytes(h), compression);
    let n = rdbLenSize(h.size);
    h.forEach((f, v) => {
      n += rdbRawStringSize(f, compression) + rdbRawStringSize(v, compression);
    });
    return n;
  },
  memory(o) {
    const h = o.value as HashValue;
    if (h.isListpack) return ROBJ_SIZE + jeSize(7 + h.lpBytes);
    // objectComputeSize: robj, dict, bucket array, then per pair a dictEntry and two sds.
    return ROBJ_SIZE + DICT_SIZE + 8 * h.buckets + h.size * DICT_ENTRY_SIZE + h.sdsBytes;
  },
  allocated(o) {
    const h = o.value as HashValue;
    if (h.isListpack) return ROBJ_SIZE + jeSize(7 + h.lpBytes);
    return ROBJ_SIZE + jeSize(DICT_SIZE) + jeSize(8 * h.buckets) + h.size * jeSize(DICT_ENTRY_SIZE) + h.sdsBytes;
  },
};
