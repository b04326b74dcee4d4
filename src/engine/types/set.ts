import { binaryToBytes } from '../util/bytes';
import { OBJ_SET, type RObj } from '../object';
import { cmpInt64, string2ll, type Int64 } from '../util/numbers';
import { xorDigest } from '../util/sha1';
import { rdbLenSize, rdbRawStringSize } from '../persistence/rdb-size';
import { DICT_ENTRY_SIZE, DICT_SIZE, ROBJ_SIZE, dictSlots, jeSize, sdsCopySize, slotsAfterAdd, slotsAfterRemove } from '../memory';
import type { DataType } from './index';

/**
 * Set values (t_set.c), as Redis 7.0 keeps them: encoding "intset" while every member is an
 * integer in canonical form (string2ll) and there are at most set-max-intset-entries of them,
 * else "hashtable" (never back, except where Redis builds a new set: SPOP with a large count and
 * the *STORE commands). 7.0 has no listpack sets.
 *
 * Members are binary strings in a dense array with a member → index map: O(1) add, remove,
 * membership and random picks (deletion moves the last member into the hole). SSCAN walks the
 * array from the end towards 0, so a member present for the whole scan is never skipped.
 * An intset's members come out sorted ascending (Redis's intset is a sorted array): the sorted
 * order is computed on demand and cached until the next change.
 */
export class RSet {
  members: string[] = [];
  index = new Map<string, number>();
  /** OBJ_ENCODING_INTSET (true) or OBJ_ENCODING_HT. */
  intset = true;
  /** The intset's element width in bytes (2, 4 or 8): it grows with members, never shrinks. */
  width = 2;
  /** Running tally for the memory model: the members' sds allocations (hashtable encoding). */
  sdsBytes = 0;
  /** The hashtable encoding's bucket count, as Redis's dict would have it. */
  buckets = 0;
  private sorted: string[] | null = null;

  get size(): number { return this.members.length; }

  has(m: string): boolean { return this.index.has(m); }

  /**
   * setTypeAdd: add m (false if already there). maxIntset is set-max-intset-entries: an intset
   * with a non-integer member or more entries than that becomes a hashtable.
   */
  add(m: string, maxIntset: number): boolean {
    if (this.index.has(m)) return false;
    if (this.intset) {
      const v = string2ll(m);
      if (v === null) this.intset = false;
      else {
        const w = intWidth(v);
        if (w > this.width) this.width = w;
      }
    }
    this.index.set(m, this.members.length);
    this.members.push(m);
    this.sdsBytes += sdsCopySize(m.length);
    this.buckets = slotsAfterAdd(this.buckets, this.members.length);
    if (this.intset && this.members.length > maxIntset) this.intset = false;
    this.sorted = null;
    return true;
  }

  /** setTypeRemove: remove m (false if it was not there). */
  remove(m: string): boolean {
    const i = this.index.get(m);
    if (i === undefined) return false;
    this.index.delete(m);
    this.sdsBytes -= sdsCopySize(m.length);
    const last = this.members.length - 1;
    if (i !== last) {
      const mv = this.members[last];
      this.members[i] = mv;
      this.index.set(mv, i);
    }
    this.members.pop();
    this.buckets = slotsAfterRemove(this.buckets, this.members.length);
    this.sorted = null;
    return true;
  }

  /** The member at a uniformly random position (the set must not be empty). */
  random(rnd: () => number): string {
    return this.members[Math.floor(rnd() * this.members.length)];
  }

  /**
   * The members in the order Redis's iterator yields them: ascending for an intset; for a
   * hashtable, our own order (Redis's hash order is not reproduced).
   */
  ordered(): readonly string[] {
    if (!this.intset) return this.members;
    if (this.sorted === null) this.sorted = sortIntegers(this.members);
    return this.sorted;
  }

  /**
   * Re-derive the encoding from the contents, as for a set Redis builds anew with setTypeCreate
   * + setTypeAdd (SPOP's "keep the remaining" strategy): intset iff every member is an integer
   * and there are at most maxIntset of them.
   */
  recode(maxIntset: number): void {
    this.intset = canonicalIntset(this.members, maxIntset);
    this.width = 2;
    if (this.intset) for (const m of this.members) this.width = Math.max(this.width, intWidth(string2ll(m)!));
    this.sorted = null;
  }

  /** An independent copy, same encoding and intset width (setTypeDup). */
  dup(): RSet {
    const s = new RSet();
    s.members = this.members.slice();
    s.index = new Map(this.index);
    s.intset = this.intset;
    s.width = this.width;
    s.sdsBytes = this.sdsBytes;
    s.buckets = dictSlots(this.members.length);
    s.sorted = this.sorted;
    return s;
  }
}

/** createIntsetObject: an empty set that starts as an intset (the *STORE commands' result). */
export function newIntsetSet(): RSet {
  return new RSet();
}

/** setTypeCreate: a new set for a first member: an intset if it is an integer, else a hashtable. */
export function createSetFor(first: string): RSet {
  const s = new RSet();
  if (string2ll(first) === null) s.intset = false;
  return s;
}

function canonicalIntset(members: readonly string[], maxIntset: number): boolean {
  if (members.length > maxIntset) return false;
  for (const m of members) if (string2ll(m) === null) return false;
  return true;
}

/** _intsetValueEncoding: bytes needed for v. */
function intWidth(v: Int64): number {
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

function sortIntegers(members: readonly string[]): string[] {
  const pairs = members.map((m) => [string2ll(m)!, m] as [Int64, string]);
  pairs.sort((a, b) => cmpInt64(a[0], b[0]));
  return pairs.map((p) => p[1]);
}

export function setValue(o: RObj): RSet {
  return o.value as RSet;
}

export function setEncoding(o: RObj): 'intset' | 'hashtable' {
  return (o.value as RSet).intset ? 'intset' : 'hashtable';
}

/** The intset blob Redis saves in RDB (RDB_TYPE_SET_INTSET): little-endian header and values. */
function intsetBlob(s: RSet): string {
  const w = s.width;
  const sorted = s.ordered();
  const bytes = new Uint8Array(8 + sorted.length * w);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, w, true);
  dv.setUint32(4, sorted.length, true);
  let at = 8;
  for (const m of sorted) {
    const v = string2ll(m)!;
    if (w === 2) dv.setInt16(at, Number(v), true);
    else if (w === 4) dv.setInt32(at, Number(v), true);
    else dv.setBigInt64(at, BigInt(v), true);
    at += w;
  }
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}


/** Sets as a DataType (see types/index.ts). */
export const setType: DataType = {
  encoding: setEncoding,
  copy: (o) => (o.value as RSet).dup(),
  digest(digest, o) {
    // xorObjectDigest: each member's sha1 xored in, no mixing (order-independent).
    for (const m of (o.value as RSet).members) xorDigest(digest, binaryToBytes(m));
  },
  serializedLength(o, compression) {
    const s = o.value as RSet;
    if (s.intset) return rdbRawStringSize(intsetBlob(s), compression);
    let n = rdbLenSize(s.size);
    for (const m of s.members) n += rdbRawStringSize(m, compression);
    return n;
  },
  /**
   * An estimate: robj + intset blob; or robj + dict (56 bytes) + bucket table + a 24-byte
   * dictEntry and an sds per member. Rehashing states and the dict's exact table size after
   * shrinking are not modelled.
   */
  memory(o) {
    const s = o.value as RSet;
    if (s.intset) return ROBJ_SIZE + jeSize(8 + s.size * s.width);
    return ROBJ_SIZE + DICT_SIZE + 8 * s.buckets + s.size * DICT_ENTRY_SIZE + s.sdsBytes;
  },
  allocated(o) {
    const s = o.value as RSet;
    if (s.intset) return ROBJ_SIZE + jeSize(8 + s.size * s.width);
    return ROBJ_SIZE + jeSize(DICT_SIZE) + jeSize(8 * s.buckets) + s.size * jeSize(DICT_ENTRY_SIZE) + s.sdsBytes;
  },
};

export function isSet(o: RObj): boolean {
  return o.type === OBJ_SET;
}
