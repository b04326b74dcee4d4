import { OBJ_ZSET, type RObj } from '../object';
import { encodeListpack } from '../persistence/listpack';
import { binaryToBytes } from '../util/bytes';
import { formatDouble17g } from '../util/numbers';
import { mixDigest, xorDigest } from '../util/sha1';
import { rdbLenSize, rdbRawStringSize } from '../persistence/rdb-size';
import { DICT_ENTRY_SIZE, DICT_SIZE, ROBJ_SIZE, jeSize, lpEntrySize, lpScoreSize, sdsCopySize, slotsAfterAdd, slotsAfterRemove } from '../memory';
import type { DataType } from './index';

/**
 * Sorted sets (t_zset.c). A ZSet holds a Map member → score (O(1) ZSCORE) and a skiplist with
 * spans ordered by (score, member bytes) like Redis's zskiplist (O(log n) insert, delete, rank,
 * and range lookups by score or lex). Redis's two encodings behave the same for every command;
 * `listpack` only records which one Redis would be using (OBJECT ENCODING, sizes): a zset starts
 * as a listpack and becomes a skiplist once it grows past zset-max-listpack-entries or gets a
 * member longer than zset-max-listpack-value; it never goes back by itself.
 */

const MAX_LEVEL = 32;

export class ZNode {
  ele: string;
  score: number;
  backward: ZNode | null = null;
  /** Position in the owning ZSet's slots array (ZSCAN's cursor order). */
  slot = -1;
  forward: (ZNode | null)[];
  span: number[];
  constructor(level: number, ele: string, score: number) {
    this.ele = ele;
    this.score = score;
    this.forward = new Array(level).fill(null);
    this.span = new Array(level).fill(0);
  }
}

/** Binary string comparison, as memcmp then length (sdscmp). */
export function cmpBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A score range (zrangespec). */
export interface ScoreRange { min: number; max: number; minex: boolean; maxex: boolean }

/** A lex bound: kind -1 = "-" (below everything), 1 = "+" (above everything), 0 = a string. */
export interface LexBound { kind: number; s: string; ex: boolean }
export interface LexRange { min: LexBound; max: LexBound }

function lexCmpBound(value: string, b: LexBound): number {
  if (b.kind !== 0) return -b.kind;
  return cmpBytes(value, b.s);
}

export function scoreGteMin(v: number, r: ScoreRange): boolean { return r.minex ? v > r.min : v >= r.min; }
export function scoreLteMax(v: number, r: ScoreRange): boolean { return r.maxex ? v < r.max : v <= r.max; }
export function lexGteMin(v: string, r: LexRange): boolean {
  const c = lexCmpBound(v, r.min);
  return r.min.ex ? c > 0 : c >= 0;
}
export function lexLteMax(v: string, r: LexRange): boolean {
  const c = lexCmpBound(v, r.max);
  return r.max.ex ? c < 0 : c <= 0;
}

/** Whether a lex range can hold anything at all (sdscmplex of its bounds). */
function lexRangeEmpty(r: LexRange): boolean {
  const a = r.min, b = r.max;
  let c: number;
  if (a.kind === b.kind && a.kind !== 0) c = 0;
  else if (a.kind === -1 || b.kind === 1) c = -1;
  else if (a.kind === 1 || b.kind === -1) c = 1;
  else c = cmpBytes(a.s, b.s);
  return c > 0 || (c === 0 && (a.ex || b.ex));
}

let seed = 0x2545f491;
function randomLevel(): number {
  let level = 1;
  for (;;) {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    if ((seed & 0xffff) < 0xffff * 0.25 && level < MAX_LEVEL) level++;
    else return level;
  }
}

/** Scratch arrays for insert/delete (no reentrancy). */
const UPDATE: ZNode[] = [];
const RANK: number[] = [];
for (let i = 0; i < MAX_LEVEL; i++) { UPDATE.push(null as unknown as ZNode); RANK.push(0); }

/** Redis's zskiplist: ranks are 1-based as in Redis. */
export class SkipList {
  header = new ZNode(MAX_LEVEL, '', 0);
  tail: ZNode | null = null;
  length = 0;
  level = 1;
  /** Running tallies for the memory model: the nodes' allocations and their members' sds. */
  nodeBytes = 0;
  sdsBytes = 0;

  private lt(x: ZNode, score: number, ele: string): boolean {
    return x.score < score || (x.score === score && cmpBytes(x.ele, ele) < 0);
  }

  insert(score: number, ele: string): ZNode {
    const update = UPDATE;
    const rank = RANK;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let f = x.forward[i];
      while (f !== null && this.lt(f, score, ele)) {
        rank[i] += x.span[i];
        x = f;
        f = x.forward[i];
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        update[i].span[i] = this.length;
      }
      this.level = level;
    }
    const n = new ZNode(level, ele, score);
    for (let i = 0; i < level; i++) {
      n.forward[i] = update[i].forward[i];
      update[i].forward[i] = n;
      n.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    n.backward = update[0] === this.header ? null : update[0];
    if (n.forward[0] !== null) n.forward[0].backward = n;
    else this.tail = n;
    this.length++;
    this.nodeBytes += jeSize(24 + 16 * level);
    this.sdsBytes += sdsCopySize(ele.length);
    return n;
  }

  private deleteNode(x: ZNode, update: ZNode[]): void {
    for (let i = 0; i < this.level; i++) {
      if (update[i].forward[i] === x) {
        update[i].span[i] += x.span[i] - 1;
        update[i].forward[i] = x.forward[i];
      } else {
        update[i].span[i]--;
      }
    }
    if (x.forward[0] !== null) x.forward[0].backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.forward[this.level - 1] === null) this.level--;
    this.length--;
    this.nodeBytes -= jeSize(24 + 16 * x.forward.length);
    this.sdsBytes -= sdsCopySize(x.ele.length);
  }

  /** Delete (score, ele); returns its node, or null when it was not there. */
  delete(score: number, ele: string): ZNode | null {
    const update = UPDATE;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && this.lt(f, score, ele)) { x = f; f = x.forward[i]; }
      update[i] = x;
    }
    const n = x.forward[0];
    if (n !== null && n.score === score && n.ele === ele) {
      this.deleteNode(n, update);
      return n;
    }
    return null;
  }

  /** 1-based rank of (score, ele), 0 when absent. */
  rank(score: number, ele: string): number {
    let r = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f !== null && (f.score < score || (f.score === score && cmpBytes(f.ele, ele) <= 0))) {
        r += x.span[i];
        x = f;
        f = x.forward[i];
      }
      if (x !== this.header && x.ele === ele) return r;
    }
    return 0;
  }

  /** The node at 1-based rank, or null. */
  byRank(rank: number): ZNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] !== null && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = x.forward[i]!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  first(): ZNode | null { return this.header.forward[0]; }

  /** First node with score in range, or null. */
  firstInRange(r: ScoreRange): ZNode | null {
    if (r.min > r.max || (r.min === r.max && (r.minex || r.maxex))) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] !== null && !scoreGteMin(x.forward[i]!.score, r)) x = x.forward[i]!;
    }
    const n = x.forward[0];
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  /** Last node with score in range, or null. */
  lastInRange(r: ScoreRange): ZNode | null {
    if (r.min > r.max || (r.min === r.max && (r.minex || r.maxex))) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] !== null && scoreLteMax(x.forward[i]!.score, r)) x = x.forward[i]!;
    }
    return x !== this.header && scoreGteMin(x.score, r) ? x : null;
  }

  /** zslIsInLexRange: the range is not empty and overlaps [head, tail]. */
  isInLex(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.tail, h = this.header.forward[0];
    return t !== null && lexGteMin(t.ele, r) && h !== null && lexLteMax(h.ele, r);
  }

  firstInLex(r: LexRange): ZNode | null {
    if (!this.isInLex(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] !== null && !lexGteMin(x.forward[i]!.ele, r)) x = x.forward[i]!;
    }
    const n = x.forward[0];
    return n !== null && lexLteMax(n.ele, r) ? n : null;
  }

  lastInLex(r: LexRange): ZNode | null {
    if (!this.isInLex(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.forward[i] !== null && lexLteMax(x.forward[i]!.ele, r)) x = x.forward[i]!;
    }
    return x !== this.header && lexGteMin(x.ele, r) ? x : null;
  }

  /** 1-based rank of a node known to be in the list. */
  rankOf(n: ZNode): number { return this.rank(n.score, n.ele); }
}

export class ZSet {
  dict = new Map<string, number>();
  zsl = new SkipList();
  listpack = true;
  /**
   * Every node in a dense array (removal moves the last one into the hole). ZSCAN walks it from
   * the end towards 0, so a member present for the whole scan is never skipped.
   */
  slots: ZNode[] = [];
  /** Running tally for the memory model: the members' and scores' listpack entries. */
  lpBytes = 0;
  /** The skiplist encoding's dict bucket count, as Redis's would have it. */
  buckets = 0;

  get size(): number { return this.dict.size; }

  /** Insert a member known to be absent. */
  insert(ele: string, score: number): void {
    if (score === 0 && this.listpack) score = 0; // a listpack stores -0 as 0
    this.dict.set(ele, score);
    this.lpBytes += lpEntrySize(ele) + lpScoreSize(score);
    this.buckets = slotsAfterAdd(this.buckets, this.dict.size);
    const n = this.zsl.insert(score, ele);
    n.slot = this.slots.length;
    this.slots.push(n);
  }

  /** Change a present member's score. */
  update(ele: string, oldScore: number, score: number): void {
    if (score === 0 && this.listpack) score = 0;
    this.lpBytes += lpScoreSize(score) - lpScoreSize(oldScore);
    const old = this.zsl.delete(oldScore, ele)!;
    const n = this.zsl.insert(score, ele);
    n.slot = old.slot;
    this.slots[n.slot] = n;
    this.dict.set(ele, score);
  }

  /** Remove a member; returns whether it was there. */
  remove(ele: string): boolean {
    const s = this.dict.get(ele);
    if (s === undefined) return false;
    this.dict.delete(ele);
    this.lpBytes -= lpEntrySize(ele) + lpScoreSize(s);
    this.buckets = slotsAfterRemove(this.buckets, this.dict.size);
    const n = this.zsl.delete(s, ele)!;
    const last = this.slots.pop()!;
    if (last !== n) {
      last.slot = n.slot;
      this.slots[n.slot] = last;
    }
    return true;
  }

  /** 0-based rank (ascending), or -1. */
  rank(ele: string): number {
    const s = this.dict.get(ele);
    if (s === undefined) return -1;
    return this.zsl.rank(s, ele) - 1;
  }

  /**
   * First member in a lex range. A listpack is scanned from its head (zzlFirstInLexRange), a
   * skiplist searched (zslFirstInLexRange): the two differ only when scores differ, where Redis's
   * answer depends on its encoding (and, for a skiplist, on its random levels).
   */
  firstInLex(r: LexRange): ZNode | null {
    if (!this.listpack) return this.zsl.firstInLex(r);
    if (!this.zsl.isInLex(r)) return null;
    for (let x = this.zsl.first(); x !== null; x = x.forward[0]) {
      if (lexGteMin(x.ele, r)) return lexLteMax(x.ele, r) ? x : null;
    }
    return null;
  }

  lastInLex(r: LexRange): ZNode | null {
    if (!this.listpack) return this.zsl.lastInLex(r);
    if (!this.zsl.isInLex(r)) return null;
    for (let x = this.zsl.tail; x !== null; x = x.backward) {
      if (lexLteMax(x.ele, r)) return lexGteMin(x.ele, r) ? x : null;
    }
    return null;
  }

  /** Members in ascending order. */
  *entries(): IterableIterator<ZNode> {
    for (let x = this.zsl.first(); x !== null; x = x.forward[0]) yield x;
  }

  copy(): ZSet {
    const z = new ZSet();
    z.listpack = this.listpack;
    // Appending in order: inserting ascending keeps every insert at the tail.
    for (let x = this.zsl.first(); x !== null; x = x.forward[0]) z.insert(x.ele, x.score);
    return z;
  }
}

/** The text a listpack stores for a score: "%.17g" (integers then take an integer entry). */
function scoreText(score: number): string {
  return formatDouble17g(score === 0 ? 0 : score);
}

/** The zset's listpack blob, byte for byte (member, score, member, score... in order). */
export function listpackBlob(z: ZSet): string {
  const items: string[] = [];
  for (const x of z.entries()) items.push(x.ele, scoreText(x.score));
  return encodeListpack(items);
}

export function zsetEncoding(o: RObj): string {
  return (o.value as ZSet).listpack ? 'listpack' : 'skiplist';
}

/** Sorted sets as a DataType (see types/index.ts). */
export const zsetType: DataType = {
  encoding: zsetEncoding,
  copy: (o) => (o.value as ZSet).copy(),
  digest(digest, o) {
    const z = o.value as ZSet;
    for (const x of z.entries()) {
      const ele = new Uint8Array(20);
      mixDigest(ele, binaryToBytes(x.ele));
      mixDigest(ele, binaryToBytes(formatDouble17g(x.score)));
      xorDigest(digest, ele);
    }
  },
  serializedLength(o, compression) {
    const z = o.value as ZSet;
    if (z.listpack) return rdbRawStringSize(listpackBlob(z), compression);
    let n = rdbLenSize(z.size);
    for (const x of z.entries()) n += rdbRawStringSize(x.ele, compression) + 8;
    return n;
  },
  memory(o) {
    const z = o.value as ZSet;
    if (z.listpack) return ROBJ_SIZE + jeSize(7 + z.lpBytes);
    // objectComputeSize: robj, zset, skiplist, dict + its buckets, the header node, then per
    // member a dictEntry, its sds (shared by dict and skiplist) and its node.
    return ROBJ_SIZE + 16 + 32 + DICT_SIZE + 8 * z.buckets + jeSize(24 + 16 * 32) +
      z.size * DICT_ENTRY_SIZE + z.zsl.sdsBytes + z.zsl.nodeBytes;
  },
  allocated(o) {
    const z = o.value as ZSet;
    if (z.listpack) return ROBJ_SIZE + jeSize(7 + z.lpBytes);
    return ROBJ_SIZE + jeSize(16) + jeSize(32) + jeSize(DICT_SIZE) + jeSize(8 * z.buckets) + jeSize(24 + 16 * 32) +
      z.size * jeSize(DICT_ENTRY_SIZE) + z.zsl.sdsBytes + z.zsl.nodeBytes;
  },
};

export function isZset(o: RObj): boolean {
  return o.type === OBJ_ZSET;
}
