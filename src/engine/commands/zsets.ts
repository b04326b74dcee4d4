import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_SET, OBJ_ZSET, type RObj } from '../object';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../notify';
import { string2d, string2ll, formatDouble17g } from '../util/numbers';
import { argPositive, argMpop, keysAfterNumkeys } from './args';
import { parseTimeout } from '../blocking';
import { collectionScanArgs } from './keys';
import { compileGlob } from '../util/glob';
import type { RSet } from '../types/set';
import {
  ZSet, lexGteMin, lexLteMax, scoreGteMin, scoreLteMax,
  type LexBound, type LexRange, type ScoreRange, type ZNode,
} from '../types/zset';
import { argIs } from '../util/bytes';

/**
 * The sorted set commands (t_zset.c): ZADD/ZINCRBY, the readers (ZCARD, ZSCORE, ZMSCORE, ZRANK,
 * ZCOUNT, ZLEXCOUNT), the ZRANGE family (by rank, score or lex, forward or reversed, ZRANGESTORE),
 * the removers (ZREM, ZREMRANGEBY*) and ZPOPMIN/ZPOPMAX.
 */

const NOT_FLOAT = 'value is not a valid float';
const NAN_ERR = 'resulting score is not a number (NaN)';
const RANGE_FLOAT = 'min or max is not a float';
const RANGE_LEX = 'min or max not valid string range item';

/** getLongFromObjectOrReply: a 64-bit integer as a JS number (clamped far beyond any length), or null. */
function argLong(c: Client, s: string): number | null {
  const v = string2ll(s);
  if (v === null) {
    c.reply.err('value is not an integer or out of range');
    return null;
  }
  return Number(v);
}

const STRTOD_DEC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const STRTOD_HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/;
const STRTOD_INF = /^[+-]?(?:inf|infinity)$/i;

/**
 * strtod followed by Redis's `eptr[0] != '\0' || isnan` check (zslParseRange): the C string ends
 * at the first NUL, leading white space is skipped, overflow gives ±inf, "" is 0.
 */
function strtodRange(arg: string): number | null {
  const nul = arg.indexOf('\0');
  let s = nul >= 0 ? arg.slice(0, nul) : arg;
  if (s.length === 0) return 0;
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.indexOf(s[i]) >= 0) i++;
  s = s.slice(i);
  if (STRTOD_DEC.test(s)) return Number(s);
  if (STRTOD_INF.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  const m = STRTOD_HEX.exec(s);
  if (m && (m[2].length > 0 || m[3].length > 0)) {
    const mant = Number(BigInt('0x' + (m[2] + m[3] || '0')));
    const exp = (m[4] ? parseInt(m[4], 10) : 0) - 4 * m[3].length;
    const v = mant * Math.pow(2, Math.max(-1074, Math.min(1024, exp)));
    return m[1] === '-' ? -v : v;
  }
  return null;
}

/** zslParseRange */
function parseScoreRange(minArg: string, maxArg: string): ScoreRange | null {
  const r: ScoreRange = { min: 0, max: 0, minex: false, maxex: false };
  let a = minArg;
  if (a.charCodeAt(0) === 40) { r.minex = true; a = a.slice(1); }
  const min = strtodRange(a);
  if (min === null) return null;
  let b = maxArg;
  if (b.charCodeAt(0) === 40) { r.maxex = true; b = b.slice(1); }
  const max = strtodRange(b);
  if (max === null) return null;
  r.min = min;
  r.max = max;
  return r;
}

/** zslParseLexRangeItem */
function parseLexItem(s: string): LexBound | null {
  const c0 = s.length > 0 ? s.charCodeAt(0) : 0;
  const endsAfterFirst = s.length === 1 || s.charCodeAt(1) === 0;
  switch (c0) {
    case 43: return endsAfterFirst ? { kind: 1, s: '', ex: true } : null; // +
    case 45: return endsAfterFirst ? { kind: -1, s: '', ex: true } : null; // -
    case 40: return { kind: 0, s: s.slice(1), ex: true }; // (
    case 91: return { kind: 0, s: s.slice(1), ex: false }; // [
    default: return null;
  }
}

function parseLexRange(minArg: string, maxArg: string): LexRange | null {
  const min = parseLexItem(minArg);
  if (min === null) return null;
  const max = parseLexItem(maxArg);
  if (max === null) return null;
  return { min, max };
}

/** The zset at key for reading: the ZSet, undefined when missing, null after a WRONGTYPE reply. */
export function readZset(c: Client, key: string): ZSet | undefined | null {
  const o = c.db.lookupRead(key);
  if (o === undefined) return undefined;
  if (o.type !== OBJ_ZSET) {
    c.reply.wrongType();
    return null;
  }
  return o.value as ZSet;
}

function writeZset(c: Client, key: string): ZSet | undefined | null {
  const o = c.db.lookupWrite(key);
  if (o === undefined) return undefined;
  if (o.type !== OBJ_ZSET) {
    c.reply.wrongType();
    return null;
  }
  return o.value as ZSet;
}

function maxEntries(c: Client): number { return c.server.config.num('zset-max-listpack-entries'); }
function maxValue(c: Client): number { return c.server.config.num('zset-max-listpack-value'); }

// zsetAdd flags and results
const IN_INCR = 1, IN_NX = 2, IN_XX = 4, IN_GT = 8, IN_LT = 16;
const OUT_NOP = 1, OUT_NAN = 2, OUT_ADDED = 4, OUT_UPDATED = 8;

let addedScore = 0;

/** zsetAdd: returns its out flags; the resulting score is left in addedScore. */
function zsetAdd(c: Client, z: ZSet, score: number, ele: string, flags: number): number {
  if (Number.isNaN(score)) return OUT_NAN;
  const cur = z.dict.get(ele);
  if (cur !== undefined) {
    if (flags & IN_NX) return OUT_NOP;
    if (flags & IN_INCR) {
      score += cur;
      if (Number.isNaN(score)) return OUT_NAN;
    }
    if (((flags & IN_LT) && score >= cur) || ((flags & IN_GT) && score <= cur)) return OUT_NOP;
    addedScore = score;
    if (score !== cur) {
      z.update(ele, cur, score);
      return OUT_UPDATED;
    }
    return 0;
  }
  if (flags & IN_XX) return OUT_NOP;
  if (z.listpack && (z.size + 1 > maxEntries(c) || ele.length > maxValue(c))) z.listpack = false;
  z.insert(ele, score);
  addedScore = score;
  return OUT_ADDED;
}

/** A new, empty zset object value: a listpack unless the config or the first member rules it out. */
function newZset(c: Client, firstLen: number): ZSet {
  const z = new ZSet();
  if (maxEntries(c) === 0 || maxValue(c) < firstLen) z.listpack = false;
  return z;
}

/** zsetConvertToListpackIfNeeded, for a freshly built destination set (a listpack stores -0 as 0). */
export function convertIfNeeded(c: Client, z: ZSet): void {
  if (z.listpack) return;
  if (z.size > maxEntries(c)) return;
  for (const ele of z.dict.keys()) if (ele.length > maxValue(c)) return;
  z.listpack = true;
  const negZero: string[] = [];
  for (const [ele, sc] of z.dict) if (Object.is(sc, -0)) negZero.push(ele);
  for (const ele of negZero) z.update(ele, -0, 0);
}

/** zaddGenericCommand */
export function zaddGeneric(c: Client, argv: string[], flags: number): void {
  const key = argv[1];
  let ch = false;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const o = argv[idx];
    if (argIs(o, 'nx')) flags |= IN_NX;
    else if (argIs(o, 'xx')) flags |= IN_XX;
    else if (argIs(o, 'ch')) ch = true;
    else if (argIs(o, 'incr')) flags |= IN_INCR;
    else if (argIs(o, 'gt')) flags |= IN_GT;
    else if (argIs(o, 'lt')) flags |= IN_LT;
    else break;
  }
  const incr = (flags & IN_INCR) !== 0;
  const nx = (flags & IN_NX) !== 0, xx = (flags & IN_XX) !== 0;
  const gt = (flags & IN_GT) !== 0, lt = (flags & IN_LT) !== 0;
  let elements = argv.length - idx;
  if (elements % 2 || !elements) return c.reply.syntaxErr();
  elements /= 2;
  if (nx && xx) return c.reply.err('XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return c.reply.err('GT, LT, and/or NX options at the same time are not compatible');
  }
  if (incr && elements > 1) return c.reply.err('INCR option supports a single increment-element pair');
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) {
    const v = string2d(argv[idx + j * 2]);
    if (v === null) return c.reply.err(NOT_FLOAT);
    scores.push(v);
  }
  let z = writeZset(c, key);
  if (z === null) return;
  let added = 0, updated = 0, processed = 0;
  let score = 0;
  if (z === undefined) {
    if (xx) {
      if (incr) c.reply.nil();
      else c.reply.int(0);
      return;
    }
    z = newZset(c, argv[idx + 1].length);
    c.db.setKey(key, OBJ_ZSET, z);
  }
  let failed = false;
  for (let j = 0; j < elements; j++) {
    const out = zsetAdd(c, z, scores[j], argv[idx + 1 + j * 2], flags);
    if (out & OUT_NAN) {
      c.reply.err(NAN_ERR);
      failed = true;
      break;
    }
    if (out & OUT_ADDED) added++;
    if (out & OUT_UPDATED) updated++;
    if (!(out & OUT_NOP)) processed++;
    score = addedScore;
  }
  if (!failed) {
    c.server.dirty += added + updated;
    if (incr) {
      if (processed) c.reply.double(score);
      else c.reply.nil();
    } else {
      c.reply.int(ch ? added + updated : added);
    }
  }
  if (added || updated) {
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key, c.db.id);
  }
}

/** Delete key after its zset became empty. */
function deleteIfEmpty(c: Client, key: string, z: ZSet): boolean {
  if (z.size !== 0) return false;
  c.db.delete(key);
  return true;
}

// ---- ZRANGE and friends ----

const RANK = 0, SCORE = 1, LEX = 2;
const AUTO = -1, FORWARD = 0, REVERSE = 1;

/** Collects a range's results, then replies with them or stores them (zrange_result_handler). */
class RangeResult {
  eles: string[] = [];
  scores: number[] = [];
  add(n: ZNode): void {
    this.eles.push(n.ele);
    this.scores.push(n.score);
  }
}

function emitRange(c: Client, res: RangeResult, withScores: boolean): void {
  const n = res.eles.length;
  const resp3 = c.reply.resp > 2;
  c.reply.arrayLen(withScores && !resp3 ? n * 2 : n);
  for (let i = 0; i < n; i++) {
    if (withScores && resp3) c.reply.arrayLen(2);
    c.reply.bulk(res.eles[i]);
    if (withScores) c.reply.double(res.scores[i]);
  }
}

/**
 * The ZRANGESTORE destination. A rank range knows its length up front and Redis creates the set
 * for it (zsetTypeCreate: a skiplist when longer than zset-max-listpack-entries, so a -0 score is
 * kept); score and lex ranges start as a listpack that converts as it grows.
 */
function storeRange(c: Client, dst: string, res: RangeResult, byRank: boolean): void {
  const n = res.eles.length;
  if (n) {
    const z = new ZSet();
    if (byRank && n > maxEntries(c)) z.listpack = false;
    const me = maxEntries(c), mv = maxValue(c);
    for (let i = 0; i < n; i++) {
      const ele = res.eles[i];
      if (z.listpack && (z.size + 1 > me || ele.length > mv)) z.listpack = false;
      z.insert(ele, res.scores[i]);
    }
    c.db.lookupWrite(dst); // setKey looks the key up for writing first (lazy expiry)
    c.db.setKey(dst, OBJ_ZSET, z);
    c.reply.int(n);
    c.server.notifyKeyspaceEvent(NOTIFY_ZSET, 'zrangestore', dst, c.db.id);
    c.server.dirty++;
  } else {
    c.reply.int(0);
    if (c.db.delete(dst)) {
      c.server.signalModifiedKey(c.db, dst);
      c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', dst, c.db.id);
      c.server.dirty++;
    }
  }
}

function rangeByRank(z: ZSet, start: number, end: number, rev: boolean, res: RangeResult): void {
  const llen = z.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return;
  if (end >= llen) end = llen - 1;
  let rangelen = end - start + 1;
  let ln = rev ? z.zsl.byRank(llen - start) : z.zsl.byRank(start + 1);
  while (rangelen-- > 0 && ln !== null) {
    res.add(ln);
    ln = rev ? ln.backward : ln.forward[0];
  }
}

function rangeByScore(z: ZSet, r: ScoreRange, offset: number, limit: number, rev: boolean, res: RangeResult): void {
  if (offset > 0 && offset >= z.size) return;
  let ln = rev ? z.zsl.lastInRange(r) : z.zsl.firstInRange(r);
  // Skip offset elements (a negative offset skips everything, as in Redis's loop).
  if (offset < 0) return;
  while (ln !== null && offset-- > 0) ln = rev ? ln.backward : ln.forward[0];
  while (ln !== null && limit-- !== 0) {
    if (rev ? !scoreGteMin(ln.score, r) : !scoreLteMax(ln.score, r)) break;
    res.add(ln);
    ln = rev ? ln.backward : ln.forward[0];
  }
}

function rangeByLex(z: ZSet, r: LexRange, offset: number, limit: number, rev: boolean, res: RangeResult): void {
  if (offset > 0 && offset >= z.size) return;
  let ln = rev ? z.lastInLex(r) : z.firstInLex(r);
  if (offset < 0) return;
  while (ln !== null && offset-- > 0) ln = rev ? ln.backward : ln.forward[0];
  while (ln !== null && limit-- !== 0) {
    if (rev ? !lexGteMin(ln.ele, r) : !lexLteMax(ln.ele, r)) break;
    res.add(ln);
    ln = rev ? ln.backward : ln.forward[0];
  }
}

/** zrangeGenericCommand: argStart is the source key's index; dst is set for ZRANGESTORE. */
function zrangeGeneric(c: Client, argv: string[], argStart: number, dst: string | null, rangetype: number, direction: number): void {
  const store = dst !== null;
  const key = argv[argStart];
  let minidx = argStart + 1, maxidx = argStart + 2;
  let withScores = false;
  let offset = 0, limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (!store && argIs(a, 'withscores')) withScores = true;
    else if (argIs(a, 'limit') && left >= 2) {
      const o = argLong(c, argv[j + 1]);
      if (o === null) return;
      const l = argLong(c, argv[j + 2]);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (direction === AUTO && argIs(a, 'rev')) direction = REVERSE;
    else if (rangetype === AUTO && argIs(a, 'bylex')) rangetype = LEX;
    else if (rangetype === AUTO && argIs(a, 'byscore')) rangetype = SCORE;
    else return c.reply.syntaxErr();
  }
  if (direction === AUTO) direction = FORWARD;
  if (rangetype === AUTO) rangetype = RANK;
  if (limit !== -1 && rangetype === RANK) {
    return c.reply.err('syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && rangetype === LEX) {
    return c.reply.err('syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  const rev = direction === REVERSE;
  if (rev && rangetype !== RANK) { const t = maxidx; maxidx = minidx; minidx = t; }
  let start = 0, end = 0;
  let srange: ScoreRange | null = null;
  let lrange: LexRange | null = null;
  if (rangetype === RANK) {
    const s = argLong(c, argv[minidx]);
    if (s === null) return;
    const e = argLong(c, argv[maxidx]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (rangetype === SCORE) {
    srange = parseScoreRange(argv[minidx], argv[maxidx]);
    if (srange === null) return c.reply.err(RANGE_FLOAT);
  } else {
    lrange = parseLexRange(argv[minidx], argv[maxidx]);
    if (lrange === null) return c.reply.err(RANGE_LEX);
  }
  const z = readZset(c, key);
  if (z === null) return;
  const res = new RangeResult();
  if (z !== undefined) {
    if (rangetype === RANK) rangeByRank(z, start, end, rev, res);
    else if (rangetype === SCORE) rangeByScore(z, srange!, offset, limit, rev, res);
    else rangeByLex(z, lrange!, offset, limit, rev, res);
  }
  if (store) storeRange(c, dst, res, rangetype === RANK);
  else emitRange(c, res, withScores);
}

// ---- ZREMRANGEBY* ----

function zremrangeGeneric(c: Client, argv: string[], rangetype: number): void {
  const key = argv[1];
  let start = 0, end = 0;
  let srange: ScoreRange | null = null;
  let lrange: LexRange | null = null;
  if (rangetype === RANK) {
    const s = argLong(c, argv[2]);
    if (s === null) return;
    const e = argLong(c, argv[3]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (rangetype === SCORE) {
    srange = parseScoreRange(argv[2], argv[3]);
    if (srange === null) return c.reply.err(RANGE_FLOAT);
  } else {
    lrange = parseLexRange(argv[2], argv[3]);
    if (lrange === null) return c.reply.err(RANGE_LEX);
  }
  const z = writeZset(c, key);
  if (z === null) return;
  if (z === undefined) return c.reply.int(0);
  const res = new RangeResult();
  if (rangetype === RANK) {
    const llen = z.size;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return c.reply.int(0);
    rangeByRank(z, start, end, false, res);
  } else if (rangetype === SCORE) {
    rangeByScore(z, srange!, 0, -1, false, res);
  } else {
    rangeByLex(z, lrange!, 0, -1, false, res);
  }
  for (const ele of res.eles) z.remove(ele);
  const deleted = res.eles.length;
  if (deleted) {
    const removed = deleteIfEmpty(c, key, z);
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_ZSET, ['zremrangebyrank', 'zremrangebyscore', 'zremrangebylex'][rangetype], key, c.db.id);
    if (removed) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  }
  c.server.dirty += deleted;
  c.reply.int(deleted);
}

// ---- ZPOPMIN / ZPOPMAX ----

function zpopMinMax(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) return c.reply.syntaxErr();
  let count = -1;
  if (argv.length === 3) {
    const v = argPositive(c, argv[2]);
    if (v === null) return;
    count = v;
  }
  const nested = c.reply.resp > 2 && count !== -1;
  const key = argv[1];
  const z = writeZset(c, key);
  if (z === null) return;
  if (z === undefined) return c.reply.emptyArray();
  if (count === 0) return c.reply.emptyArray();
  if (count === -1) count = 1;
  let rangelen = Math.min(count, z.size);
  c.reply.arrayLen(nested ? rangelen : rangelen * 2);
  while (rangelen-- > 0) {
    const n = max ? z.zsl.tail! : z.zsl.first()!;
    const ele = n.ele, score = n.score;
    z.remove(ele);
    c.server.dirty++;
    if (nested) c.reply.arrayLen(2);
    c.reply.bulk(ele);
    c.reply.double(score);
  }
  c.server.notifyKeyspaceEvent(NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', key, c.db.id);
  if (deleteIfEmpty(c, key, z)) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  c.server.signalModifiedKey(c.db, key);
}

// ---- ZUNION / ZINTER / ZDIFF (+STORE), ZINTERCARD ----

const OP_UNION = 0, OP_INTER = 1, OP_DIFF = 2;
const AGGR_SUM = 0, AGGR_MIN = 1, AGGR_MAX = 2;

/** One input of a set operation: a zset, a plain set (every score 1) or a missing key. */
interface OpSrc { z: ZSet | null; set: RSet | null; weight: number; obj: RObj | null }

function srcSize(s: OpSrc): number { return s.z ? s.z.size : s.set ? s.set.size : 0; }

function srcFind(s: OpSrc, ele: string): number | undefined {
  if (s.z) return s.z.dict.get(ele);
  if (s.set) return s.set.has(ele) ? 1 : undefined;
  return undefined;
}

function srcEach(s: OpSrc, fn: (ele: string, score: number) => boolean | void): void {
  if (s.z) {
    for (let x = s.z.zsl.first(); x !== null; x = x.forward[0]) if (fn(x.ele, x.score) === false) return;
  } else if (s.set) {
    for (const m of s.set.ordered()) if (fn(m, 1) === false) return;
  }
}

function aggregate(target: number, val: number, aggr: number): number {
  if (aggr === AGGR_SUM) {
    const t = target + val;
    return Number.isNaN(t) ? 0 : t;
  }
  if (aggr === AGGR_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

/** zunionInterDiffGenericCommand */
function zsetOp(c: Client, argv: string[], dst: string | null, numIdx: number, op: number, cardOnly: boolean): void {
  const num = string2ll(argv[numIdx]);
  if (num === null) return c.reply.err('value is not an integer or out of range');
  const name = (dst !== null ? ['zunionstore', 'zinterstore', 'zdiffstore'] : cardOnly ? ['', 'zintercard'] : ['zunion', 'zinter', 'zdiff'])[op];
  if (num < 1) return c.reply.err(`at least 1 input key is needed for '${name}' command`);
  if (num > argv.length - (numIdx + 1)) return c.reply.syntaxErr();
  const setnum = Number(num);
  const src: OpSrc[] = [];
  let j = numIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const o = c.db.lookupRead(argv[j]);
    if (o === undefined) src.push({ z: null, set: null, weight: 1, obj: null });
    else if (o.type === OBJ_ZSET) src.push({ z: o.value as ZSet, set: null, weight: 1, obj: o });
    else if (o.type === OBJ_SET) src.push({ z: null, set: o.value as RSet, weight: 1, obj: o });
    else return c.reply.wrongType();
  }
  let aggr = AGGR_SUM;
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const a = argv[j];
    if (op !== OP_DIFF && !cardOnly && remaining >= setnum + 1 && argIs(a, 'weights')) {
      j++; remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = string2d(argv[j]);
        if (w === null) return c.reply.err('weight value is not a float');
        src[i].weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && argIs(a, 'aggregate')) {
      j++; remaining--;
      const v = argv[j];
      if (argIs(v, 'sum')) aggr = AGGR_SUM;
      else if (argIs(v, 'min')) aggr = AGGR_MIN;
      else if (argIs(v, 'max')) aggr = AGGR_MAX;
      else return c.reply.syntaxErr();
      j++; remaining--;
    } else if (remaining >= 1 && dst === null && !cardOnly && argIs(a, 'withscores')) {
      j++; remaining--;
      withScores = true;
    } else if (cardOnly && remaining >= 2 && argIs(a, 'limit')) {
      j++; remaining--;
      const l = argPositive(c, argv[j], "LIMIT can't be negative");
      if (l === null) return;
      limit = l;
      j++; remaining--;
    } else {
      return c.reply.syntaxErr();
    }
  }
  if (op !== OP_DIFF) src.sort((x, y) => srcSize(x) - srcSize(y));
  const out = new ZSet();
  out.listpack = false;
  let cardinality = 0;
  if (op === OP_INTER) {
    if (srcSize(src[0]) > 0) {
      srcEach(src[0], (ele, sc) => {
        let score = src[0].weight * sc;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < setnum; k++) {
          let value: number | undefined;
          if (src[k].obj === src[0].obj) value = sc;
          else value = srcFind(src[k], ele);
          if (value === undefined) break;
          score = aggregate(score, value * src[k].weight, aggr);
        }
        if (k === setnum && cardOnly) {
          cardinality++;
          if (limit && cardinality >= limit) return false;
        } else if (k === setnum) {
          out.insert(ele, score);
        }
        return true;
      });
    }
  } else if (op === OP_UNION) {
    const acc = new Map<string, number>();
    for (let i = 0; i < setnum; i++) {
      srcEach(src[i], (ele, sc) => {
        let score = src[i].weight * sc;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(ele);
        acc.set(ele, cur === undefined ? score : aggregate(cur, score, aggr));
      });
    }
    for (const [ele, sc] of acc) out.insert(ele, sc);
  } else {
    if (srcSize(src[0]) > 0) {
      srcEach(src[0], (ele, sc) => {
        for (let k = 1; k < setnum; k++) if (srcFind(src[k], ele) !== undefined) return;
        out.insert(ele, sc);
      });
    }
  }
  if (dst !== null) {
    if (out.size) {
      convertIfNeeded(c, out);
      c.db.lookupWrite(dst); // setKey looks the key up for writing first (lazy expiry)
      c.db.setKey(dst, OBJ_ZSET, out);
      c.reply.int(out.size);
      c.server.notifyKeyspaceEvent(NOTIFY_ZSET, op === OP_UNION ? 'zunionstore' : op === OP_INTER ? 'zinterstore' : 'zdiffstore', dst, c.db.id);
      c.server.dirty++;
    } else {
      c.reply.int(0);
      if (c.db.delete(dst)) {
        c.server.signalModifiedKey(c.db, dst);
        c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', dst, c.db.id);
        c.server.dirty++;
      }
    }
  } else if (cardOnly) {
    c.reply.int(cardinality);
  } else {
    const res = new RangeResult();
    for (let x = out.zsl.first(); x !== null; x = x.forward[0]) res.add(x);
    emitRange(c, res, withScores);
  }
}

// ---- BZPOPMIN / BZPOPMAX / BZMPOP ----

/**
 * genericZpopCommand with the key emitted: BZPOPMIN/BZPOPMAX reply [key, member, score]; BZMPOP
 * (nested) replies like ZMPOP, [key, [[member, score] ...]].
 */
function zpopWithKey(c: Client, key: string, z: ZSet, max: boolean, count: number, nested: boolean): void {
  let rangelen = Math.min(count, z.size);
  if (nested) {
    c.reply.arrayLen(2);
    c.reply.bulk(key);
    c.reply.arrayLen(rangelen);
  } else {
    c.reply.arrayLen(rangelen * 2 + 1);
    c.reply.bulk(key);
  }
  while (rangelen-- > 0) {
    const n = max ? z.zsl.tail! : z.zsl.first()!;
    const ele = n.ele, score = n.score;
    z.remove(ele);
    c.server.dirty++;
    if (nested) c.reply.arrayLen(2);
    c.reply.bulk(ele);
    c.reply.double(score);
  }
  c.server.notifyKeyspaceEvent(NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', key, c.db.id);
  if (deleteIfEmpty(c, key, z)) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  c.server.signalModifiedKey(c.db, key);
}

/** ZPOPMIN/ZPOPMAX key [count]: what a pop is replicated as (ZMPOP, BZPOPMIN, ...). */
function zpopArgv(key: string, max: boolean, count: number | null): string[] {
  const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
  return count === null ? [name, key] : [name, key, String(count)];
}

/** blockingGenericZpopCommand: pop from the first non-empty zset among keys, else block. */
function blockingZpop(c: Client, keys: string[], max: boolean, timeoutArg: string, count: number, nested: boolean): void {
  const deadline = parseTimeout(c, timeoutArg);
  if (deadline === null) return;
  for (const key of keys) {
    const o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== OBJ_ZSET) return c.reply.wrongType();
    const z = o.value as ZSet;
    if (z.size === 0) continue;
    // Replicated as the pop it did: ZPOPMIN/ZPOPMAX key, or with the count popped (BZMPOP).
    c.argv = zpopArgv(key, max, nested ? Math.min(count, z.size) : null);
    return zpopWithKey(c, key, z, max, count, nested);
  }
  c.server.blocking.block(c, {
    db: c.db, keys, type: OBJ_ZSET, deadline,
    // serveClientBlockedOnSortedSet: served after the command that filled the zset, outside any
    // call, so the pop is propagated here, on its own.
    serve: (rc: Client, key: string, o: RObj) => {
      const z = o.value as ZSet;
      rc.server.propagate(rc.db.id, zpopArgv(key, max, nested ? Math.min(count, z.size) : null));
      zpopWithKey(rc, key, z, max, count, nested);
    },
  });
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
function bzmpop(c: Client, argv: string[]): void {
  const args = argMpop(c, argv, 2, 'min', 'max');
  if (args === null) return;
  blockingZpop(c, args.keys, args.second, argv[1], args.count, true);
}

// ---- ZMPOP ----

function zmpop(c: Client, argv: string[]): void {
  const args = argMpop(c, argv, 1, 'min', 'max');
  if (args === null) return;
  const max = args.second;
  const count = args.count;
  let key = '';
  let z: ZSet | undefined;
  for (const k of args.keys) {
    key = k;
    const o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== OBJ_ZSET) return c.reply.wrongType();
    z = o.value as ZSet;
    break;
  }
  if (z === undefined) return c.reply.nullArray();
  let rangelen = Math.min(count, z.size);
  c.argv = zpopArgv(key, max, rangelen); // replicated as ZPOPMIN/ZPOPMAX key count
  c.reply.arrayLen(2);
  c.reply.bulk(key);
  c.reply.arrayLen(rangelen);
  while (rangelen-- > 0) {
    const n = max ? z.zsl.tail! : z.zsl.first()!;
    const ele = n.ele, score = n.score;
    z.remove(ele);
    c.server.dirty++;
    c.reply.arrayLen(2);
    c.reply.bulk(ele);
    c.reply.double(score);
  }
  c.server.notifyKeyspaceEvent(NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', key, c.db.id);
  if (deleteIfEmpty(c, key, z)) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  c.server.signalModifiedKey(c.db, key);
}

// ---- ZRANDMEMBER ----

const LONG_MAX = 9223372036854775807n;

function zrandmember(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const v = string2ll(argv[2]);
    if (v === null) return c.reply.err('value is not an integer or out of range');
    if (v < -LONG_MAX) return c.reply.err('value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    let withScores = false;
    if (argv.length > 4 || (argv.length === 4 && !argIs(argv[3], 'withscores'))) return c.reply.syntaxErr();
    if (argv.length === 4) {
      withScores = true;
      if (v < -LONG_MAX / 2n || v > LONG_MAX / 2n) return c.reply.err('value is out of range');
    }
    return zrandmemberCount(c, argv[1], v, withScores);
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  if (z === undefined) return c.reply.nil();
  const n = z.zsl.byRank(1 + Math.floor(c.server.random() * z.size))!;
  c.reply.bulk(n.ele);
}

function zrandmemberCount(c: Client, key: string, l: number | bigint, withScores: boolean): void {
  const o = c.db.lookupRead(key);
  if (o === undefined) return c.reply.emptyArray();
  if (o.type !== OBJ_ZSET) return c.reply.wrongType();
  const z = o.value as ZSet;
  const size = z.size;
  const uniq = l >= 0;
  const count = Number(uniq ? l : -l);
  if (count === 0) return c.reply.emptyArray();
  const resp3 = c.reply.resp > 2;
  const pick = (): ZNode => z.zsl.byRank(1 + Math.floor(c.server.random() * size))!;
  if (!uniq || count === 1) {
    c.reply.arrayLen(withScores && !resp3 ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      const n = pick();
      if (withScores && resp3) c.reply.arrayLen(2);
      c.reply.bulk(n.ele);
      if (withScores) c.reply.double(n.score);
    }
    return;
  }
  const res = new RangeResult();
  if (count >= size) {
    // The whole set, highest score first (Redis serves it as a reversed range by score).
    for (let x = z.zsl.tail; x !== null; x = x.backward) res.add(x);
  } else {
    // Distinct picks: a partial Fisher-Yates over ranks.
    const ranks = Array.from({ length: size }, (_, i) => i + 1);
    for (let i = 0; i < count; i++) {
      const k = i + Math.floor(c.server.random() * (size - i));
      const t = ranks[i]; ranks[i] = ranks[k]; ranks[k] = t;
      res.add(z.zsl.byRank(ranks[i])!);
    }
  }
  emitRange(c, res, withScores);
}

// ---- ZSCAN ----

function zscan(c: Client, argv: string[]): void {
  const scan = collectionScanArgs(c, argv, OBJ_ZSET);
  if (scan === null) return;
  const { cursor, count, pattern } = scan;
  const z = scan.o.value as ZSet;
  const match = pattern === null ? null : compileGlob(pattern);
  const items: string[] = [];
  const emit = (x: ZNode): void => {
    if (match === null || match(x.ele)) items.push(x.ele, formatDouble17g(x.score));
  };
  let next = 0;
  if (z.listpack) {
    // Not a hashtable: everything in one call, in order, cursor 0 (as Redis does).
    for (let x = z.zsl.first(); x !== null; x = x.forward[0]) emit(x);
  } else {
    let pos = cursor === 0 ? z.size : Math.min(cursor, z.size);
    let n = 0;
    while (pos > 0 && n < count) { emit(z.slots[--pos]); n++; }
    next = pos;
  }
  c.reply.arrayLen(2);
  c.reply.bulk(String(next));
  c.reply.bulks(items);
}

const RANGE_COMPLEXITY = 'O(log(N)+M) with N the number of members and M the number returned';

export const zsetCommands: CommandSpec[] = [
  {
    name: 'zadd', arity: -4, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Adds members with scores to a sorted set, or updates their scores, creating the key if needed.',
    complexity: 'O(log(N)) per member added or updated, N the size of the sorted set',
    syntax: 'key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]',
    handler(c, argv) { zaddGeneric(c, argv, 0); },
  },
  {
    name: 'zincrby', arity: 4, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: "Adds an increment to a member's score in a sorted set (the member is added when missing).",
    complexity: 'O(log(N)), N the size of the sorted set', syntax: 'key increment member',
    handler(c, argv) { zaddGeneric(c, argv, IN_INCR); },
  },
  {
    name: 'zcard', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Returns how many members a sorted set has.', complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      const z = readZset(c, argv[1]);
      if (z === null) return;
      c.reply.int(z === undefined ? 0 : z.size);
    },
  },
  {
    name: 'zscore', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: "Returns a member's score in a sorted set, or nil.", complexity: 'O(1)', syntax: 'key member',
    handler(c, argv) {
      const z = readZset(c, argv[1]);
      if (z === null) return;
      const s = z === undefined ? undefined : z.dict.get(argv[2]);
      if (s === undefined) c.reply.nil();
      else c.reply.double(s);
    },
  },
  {
    name: 'zmscore', arity: -3, flags: 'readonly fast', keys: [1, 1, 1], group: 'sorted-set', since: '6.2.0',
    summary: 'Returns the scores of several members of a sorted set (nil for missing ones).',
    complexity: 'O(N), N the number of members asked for', syntax: 'key member [member ...]',
    handler(c, argv) {
      const z = readZset(c, argv[1]);
      if (z === null) return;
      c.reply.arrayLen(argv.length - 2);
      for (let j = 2; j < argv.length; j++) {
        const s = z === undefined ? undefined : z.dict.get(argv[j]);
        if (s === undefined) c.reply.nil();
        else c.reply.double(s);
      }
    },
  },
  {
    name: 'zrank', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: "Returns a member's position in a sorted set ordered by ascending score.",
    complexity: 'O(log(N))', syntax: 'key member',
    handler(c, argv) { zrankGeneric(c, argv, false); },
  },
  {
    name: 'zrevrank', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: "Returns a member's position in a sorted set ordered by descending score.",
    complexity: 'O(log(N))', syntax: 'key member',
    handler(c, argv) { zrankGeneric(c, argv, true); },
  },
  {
    name: 'zrange', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Returns members of a sorted set in a range of positions, scores or lexicographic values.',
    complexity: RANGE_COMPLEXITY,
    syntax: 'key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]',
    handler(c, argv) { zrangeGeneric(c, argv, 1, null, AUTO, AUTO); },
  },
  {
    name: 'zrangestore', arity: -5, flags: 'write denyoom', keys: [1, 2, 1], group: 'sorted-set', since: '6.2.0',
    summary: 'Stores a range of a sorted set (as ZRANGE selects it) in another key.',
    complexity: RANGE_COMPLEXITY,
    syntax: 'dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]',
    handler(c, argv) { zrangeGeneric(c, argv, 2, argv[1], AUTO, AUTO); },
  },
  {
    name: 'zrevrange', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Returns members of a sorted set in a range of positions, highest score first.',
    complexity: RANGE_COMPLEXITY, syntax: 'key start stop [WITHSCORES]',
    handler(c, argv) { zrangeGeneric(c, argv, 1, null, RANK, REVERSE); },
  },
  {
    name: 'zrangebyscore', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'sorted-set', since: '1.0.5',
    summary: 'Returns members of a sorted set whose scores fall in a range, lowest first.',
    complexity: RANGE_COMPLEXITY, syntax: 'key min max [WITHSCORES] [LIMIT offset count]',
    handler(c, argv) { zrangeGeneric(c, argv, 1, null, SCORE, FORWARD); },
  },
  {
    name: 'zrevrangebyscore', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'sorted-set', since: '2.2.0',
    summary: 'Returns members of a sorted set whose scores fall in a range, highest first.',
    complexity: RANGE_COMPLEXITY, syntax: 'key max min [WITHSCORES] [LIMIT offset count]',
    handler(c, argv) { zrangeGeneric(c, argv, 1, null, SCORE, REVERSE); },
  },
  {
    name: 'zrangebylex', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'sorted-set', since: '2.8.9',
    summary: 'Returns members of a sorted set in a lexicographic range (for members of equal score).',
    complexity: RANGE_COMPLEXITY, syntax: 'key min max [LIMIT offset count]',
    handler(c, argv) { zrangeGeneric(c, argv, 1, null, LEX, FORWARD); },
  },
  {
    name: 'zrevrangebylex', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'sorted-set', since: '2.8.9',
    summary: 'Returns members of a sorted set in a lexicographic range, in reverse order.',
    complexity: RANGE_COMPLEXITY, syntax: 'key max min [LIMIT offset count]',
    handler(c, argv) { zrangeGeneric(c, argv, 1, null, LEX, REVERSE); },
  },
  {
    name: 'zcount', arity: 4, flags: 'readonly fast', keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: 'Counts the members of a sorted set whose scores fall in a range.',
    complexity: 'O(log(N))', syntax: 'key min max',
    handler(c, argv) {
      const r = parseScoreRange(argv[2], argv[3]);
      if (r === null) return c.reply.err(RANGE_FLOAT);
      const z = readZset(c, argv[1]);
      if (z === null) return;
      if (z === undefined) return c.reply.int(0);
      const first = z.zsl.firstInRange(r);
      if (first === null) return c.reply.int(0);
      const last = z.zsl.lastInRange(r)!;
      c.reply.int(z.zsl.rankOf(last) - z.zsl.rankOf(first) + 1);
    },
  },
  {
    name: 'zlexcount', arity: 4, flags: 'readonly fast', keys: [1, 1, 1], group: 'sorted-set', since: '2.8.9',
    summary: 'Counts the members of a sorted set in a lexicographic range.',
    complexity: 'O(log(N))', syntax: 'key min max',
    handler(c, argv) {
      const r = parseLexRange(argv[2], argv[3]);
      if (r === null) return c.reply.err(RANGE_LEX);
      const z = readZset(c, argv[1]);
      if (z === null) return;
      if (z === undefined) return c.reply.int(0);
      const first = z.firstInLex(r);
      if (first === null) return c.reply.int(0);
      if (z.listpack) {
        let n = 0;
        for (let x: ZNode | null = first; x !== null && lexLteMax(x.ele, r); x = x.forward[0]) n++;
        return c.reply.int(n);
      }
      const rf = z.zsl.rankOf(first);
      const last = z.lastInLex(r);
      c.reply.int(last === null ? z.size - rf + 1 : z.zsl.rankOf(last) - rf + 1);
    },
  },
  {
    name: 'zrem', arity: -3, flags: 'write fast', keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Removes members from a sorted set; the key goes when it is left empty.',
    complexity: 'O(M*log(N)), M the members removed', syntax: 'key member [member ...]',
    handler(c, argv) {
      const key = argv[1];
      const z = writeZset(c, key);
      if (z === null) return;
      if (z === undefined) return c.reply.int(0);
      let deleted = 0;
      let removed = false;
      for (let j = 2; j < argv.length; j++) {
        if (z.remove(argv[j])) deleted++;
        if (z.size === 0) {
          c.db.delete(key);
          removed = true;
          break;
        }
      }
      if (deleted) {
        c.server.notifyKeyspaceEvent(NOTIFY_ZSET, 'zrem', key, c.db.id);
        if (removed) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
        c.server.signalModifiedKey(c.db, key);
        c.server.dirty += deleted;
      }
      c.reply.int(deleted);
    },
  },
  {
    name: 'zremrangebyrank', arity: 4, flags: 'write', keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: 'Removes the members of a sorted set in a range of positions.',
    complexity: RANGE_COMPLEXITY, syntax: 'key start stop',
    handler(c, argv) { zremrangeGeneric(c, argv, RANK); },
  },
  {
    name: 'zremrangebyscore', arity: 4, flags: 'write', keys: [1, 1, 1], group: 'sorted-set', since: '1.2.0',
    summary: 'Removes the members of a sorted set whose scores fall in a range.',
    complexity: RANGE_COMPLEXITY, syntax: 'key min max',
    handler(c, argv) { zremrangeGeneric(c, argv, SCORE); },
  },
  {
    name: 'zremrangebylex', arity: 4, flags: 'write', keys: [1, 1, 1], group: 'sorted-set', since: '2.8.9',
    summary: 'Removes the members of a sorted set in a lexicographic range.',
    complexity: RANGE_COMPLEXITY, syntax: 'key min max',
    handler(c, argv) { zremrangeGeneric(c, argv, LEX); },
  },
  {
    name: 'zpopmin', arity: -2, flags: 'write fast', keys: [1, 1, 1], group: 'sorted-set', since: '5.0.0',
    summary: 'Removes and returns the members with the lowest scores of a sorted set.',
    complexity: 'O(log(N)*M), M the number popped', syntax: 'key [count]',
    handler(c, argv) { zpopMinMax(c, argv, false); },
  },
  {
    name: 'zpopmax', arity: -2, flags: 'write fast', keys: [1, 1, 1], group: 'sorted-set', since: '5.0.0',
    summary: 'Removes and returns the members with the highest scores of a sorted set.',
    complexity: 'O(log(N)*M), M the number popped', syntax: 'key [count]',
    handler(c, argv) { zpopMinMax(c, argv, true); },
  },
  {
    name: 'zunion', arity: -3, flags: 'readonly movablekeys', keys: [0, 0, 0], group: 'sorted-set', since: '6.2.0',
    summary: 'Returns the union of sorted sets (and sets), with weights and an aggregate for the scores.',
    complexity: 'O(N)+O(M*log(M)), N the input sizes summed, M the result size',
    syntax: 'numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]',
    getKeys: (argv) => keysAfterNumkeys(argv, 1),
    handler(c, argv) { zsetOp(c, argv, null, 1, OP_UNION, false); },
  },
  {
    name: 'zinter', arity: -3, flags: 'readonly movablekeys', keys: [0, 0, 0], group: 'sorted-set', since: '6.2.0',
    summary: 'Returns the intersection of sorted sets (and sets), with weights and an aggregate for the scores.',
    complexity: 'O(N*K)+O(M*log(M)), N the smallest input, K the number of inputs, M the result size',
    syntax: 'numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]',
    getKeys: (argv) => keysAfterNumkeys(argv, 1),
    handler(c, argv) { zsetOp(c, argv, null, 1, OP_INTER, false); },
  },
  {
    name: 'zdiff', arity: -3, flags: 'readonly movablekeys', keys: [0, 0, 0], group: 'sorted-set', since: '6.2.0',
    summary: 'Returns the members of the first sorted set that are in none of the others.',
    complexity: 'O(L+(N-K)log(N)), L the input sizes summed, N the first input, K the result size',
    syntax: 'numkeys key [key ...] [WITHSCORES]',
    getKeys: (argv) => keysAfterNumkeys(argv, 1),
    handler(c, argv) { zsetOp(c, argv, null, 1, OP_DIFF, false); },
  },
  {
    name: 'zunionstore', arity: -4, flags: 'write denyoom movablekeys', keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: 'Stores the union of sorted sets (and sets) in a key.',
    complexity: 'O(N)+O(M*log(M)), N the input sizes summed, M the result size',
    syntax: 'destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]',
    getKeys: (argv) => keysAfterNumkeys(argv, 2, true),
    handler(c, argv) { zsetOp(c, argv, argv[1], 2, OP_UNION, false); },
  },
  {
    name: 'zinterstore', arity: -4, flags: 'write denyoom movablekeys', keys: [1, 1, 1], group: 'sorted-set', since: '2.0.0',
    summary: 'Stores the intersection of sorted sets (and sets) in a key.',
    complexity: 'O(N*K)+O(M*log(M)), N the smallest input, K the number of inputs, M the result size',
    syntax: 'destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]',
    getKeys: (argv) => keysAfterNumkeys(argv, 2, true),
    handler(c, argv) { zsetOp(c, argv, argv[1], 2, OP_INTER, false); },
  },
  {
    name: 'zdiffstore', arity: -4, flags: 'write denyoom movablekeys', keys: [1, 1, 1], group: 'sorted-set', since: '6.2.0',
    summary: 'Stores the members of the first sorted set that are in none of the others in a key.',
    complexity: 'O(L+(N-K)log(N)), L the input sizes summed, N the first input, K the result size',
    syntax: 'destination numkeys key [key ...]',
    getKeys: (argv) => keysAfterNumkeys(argv, 2, true),
    handler(c, argv) { zsetOp(c, argv, argv[1], 2, OP_DIFF, false); },
  },
  {
    name: 'zintercard', arity: -3, flags: 'readonly movablekeys', keys: [0, 0, 0], group: 'sorted-set', since: '7.0.0',
    summary: 'Counts the members common to several sorted sets, optionally stopping at a limit.',
    complexity: 'O(N*K), N the smallest input, K the number of inputs',
    syntax: 'numkeys key [key ...] [LIMIT limit]',
    getKeys: (argv) => keysAfterNumkeys(argv, 1),
    handler(c, argv) { zsetOp(c, argv, null, 1, OP_INTER, true); },
  },
  {
    name: 'bzpopmin', arity: -3, flags: 'write noscript blocking fast', keys: [1, -2, 1], group: 'sorted-set', since: '5.0.0',
    summary: 'Pops the lowest scored member of the first non-empty sorted set among the keys, waiting for one up to a timeout.',
    complexity: 'O(log(N)), N the size of the sorted set', syntax: 'key [key ...] timeout',
    handler(c, argv) { blockingZpop(c, argv.slice(1, -1), false, argv[argv.length - 1], 1, false); },
  },
  {
    name: 'bzpopmax', arity: -3, flags: 'write noscript blocking fast', keys: [1, -2, 1], group: 'sorted-set', since: '5.0.0',
    summary: 'Pops the highest scored member of the first non-empty sorted set among the keys, waiting for one up to a timeout.',
    complexity: 'O(log(N)), N the size of the sorted set', syntax: 'key [key ...] timeout',
    handler(c, argv) { blockingZpop(c, argv.slice(1, -1), true, argv[argv.length - 1], 1, false); },
  },
  {
    name: 'bzmpop', arity: -5, flags: 'write blocking movablekeys', keys: [0, 0, 0], group: 'sorted-set', since: '7.0.0',
    summary: 'Like ZMPOP, but waits up to a timeout for one of the sorted sets to get a member.',
    complexity: 'O(K)+O(M*log(N)), K the keys given, M the members popped',
    syntax: 'timeout numkeys key [key ...] MIN|MAX [COUNT count]',
    getKeys: (argv) => keysAfterNumkeys(argv, 2),
    handler: bzmpop,
  },
  {
    name: 'zmpop', arity: -4, flags: 'write movablekeys', keys: [0, 0, 0], group: 'sorted-set', since: '7.0.0',
    summary: 'Pops the lowest or highest scored members from the first non-empty sorted set of several keys.',
    complexity: 'O(K)+O(M*log(N)), K the keys given, M the members popped',
    syntax: 'numkeys key [key ...] MIN|MAX [COUNT count]',
    getKeys: (argv) => keysAfterNumkeys(argv, 1),
    handler: zmpop,
  },
  {
    name: 'zrandmember', arity: -2, flags: 'readonly', keys: [1, 1, 1], group: 'sorted-set', since: '6.2.0',
    summary: 'Returns random members of a sorted set, distinct for a positive count, repeatable for a negative one.',
    complexity: 'O(N), N the number of members returned', syntax: 'key [count [WITHSCORES]]',
    tips: 'nondeterministic_output',
    handler: zrandmember,
  },
  {
    name: 'zscan', arity: -3, flags: 'readonly', keys: [1, 1, 1], group: 'sorted-set', since: '2.8.0',
    summary: 'Iterates over the members and scores of a sorted set with a cursor.',
    complexity: 'O(1) per call, O(N) for a whole iteration', syntax: 'key cursor [MATCH pattern] [COUNT count]',
    tips: 'nondeterministic_output',
    handler: zscan,
  },
];

function zrankGeneric(c: Client, argv: string[], rev: boolean): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  if (z === undefined) return c.reply.nil();
  const r = z.rank(argv[2]);
  if (r < 0) return c.reply.nil();
  c.reply.int(rev ? z.size - 1 - r : r);
}
