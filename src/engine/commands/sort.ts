import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_HASH, OBJ_LIST, OBJ_SET, OBJ_STRING, OBJ_ZSET } from '../object';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../notify';
import { string2d, string2ll } from '../util/numbers';
import { stringValue } from '../types/string';
import { ListValue } from '../types/list';
import type { RSet } from '../types/set';
import type { ZSet, ZNode } from '../types/zset';
import type { HashValue } from '../types/hash';
import { argIs } from '../util/bytes';

/**
 * SORT and SORT_RO (sort.c, Redis 7.0): numeric or ALPHA ordering of a list, set or sorted set,
 * optionally by external keys or hash fields (BY pattern), with LIMIT, GET patterns and STORE.
 *
 * Redis's rules reproduced here:
 * - BY with a pattern lacking '*' means "don't sort": lists and zsets keep their own order (DESC
 *   reverses it, LIMIT picks the range directly); a set keeps its iteration order, except with
 *   STORE, where it is sorted ALPHA so the stored result is deterministic.
 * - Numeric scores are read with strtod: leading blanks and an empty string are accepted (0),
 *   trailing characters, NaN, overflow and underflow are errors. Equal scores fall back to
 *   comparing the elements byte by byte.
 * - ALPHA compares with strcoll (the C locale: bytes up to the first NUL) when replying, and with
 *   a binary comparison when storing. With BY, a missing key sorts first.
 * - Redis's qsort (glibc's merge sort) is stable; a BY sort restricted by LIMIT uses Redis's
 *   pqsort, whose order among equal elements we do not reproduce.
 */

const NOT_DOUBLE = "One or more scores can't be converted into double";
const NOT_INT = 'value is not an integer or out of range';
const DBL_MIN = 2.2250738585072014e-308;

/** A binary string as C sees it: up to the first NUL byte. */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** memcmp-then-length comparison (compareStringObjects). */
function cmpBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C locale: strcmp on the NUL-terminated strings. */
function cmpColl(a: string, b: string): number {
  return cmpBinary(cstr(a), cstr(b));
}

function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13);
}

/**
 * SORT's score parsing: strtod(ptr, &eptr) with eptr[0] == '\0', no ERANGE and no NaN.
 * Returns null when the value is not acceptable.
 */
function sortScore(s: string): number | null {
  const t = cstr(s);
  if (t.length === 0) return 0; // nothing converted, eptr at the terminator
  let i = 0;
  while (i < t.length && isSpace(t.charCodeAt(i))) i++;
  if (i === t.length) return null; // nothing converted: eptr at the first blank
  const v = string2d(t.slice(i));
  if (v === null || Number.isNaN(v)) return null;
  if (v !== 0 && Math.abs(v) < DBL_MIN) return null; // glibc: ERANGE on a subnormal result
  return v;
}

interface SortItem {
  obj: string;
  score: number;
  /** The BY value for ALPHA with a pattern; null when the key or field is missing. */
  cmpobj: string | null;
}

/**
 * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by the
 * element, and "->field" after it reads a hash field. Missing keys, wrong types and patterns
 * without '*' give null.
 */
function lookupByPattern(c: Client, pattern: string, subst: string): string | null {
  if (pattern.charCodeAt(0) === 35 && (pattern.length === 1 || pattern.charCodeAt(1) === 0)) return subst;
  const cp = cstr(pattern);
  const p = cp.indexOf('*');
  if (p < 0) return null;
  const f = cp.indexOf('->', p + 1);
  let field: string | null = null;
  let fieldlen = 0;
  if (f >= 0 && f + 2 < cp.length) {
    field = pattern.slice(f + 2);
    fieldlen = field.length;
  }
  const postfixlen = pattern.length - (p + 1) - (field !== null ? fieldlen + 2 : 0);
  const key = pattern.slice(0, p) + subst + pattern.slice(p + 1, p + 1 + postfixlen);
  const o = c.db.lookupRead(key);
  if (o === undefined) return null;
  if (field !== null) {
    if (o.type !== OBJ_HASH) return null;
    const v = (o.value as HashValue).get(field);
    return v === undefined ? null : v;
  }
  if (o.type !== OBJ_STRING) return null;
  return stringValue(o);
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];

  for (let j = 2; j < argv.length; j++) {
    const a = argv[j];
    const left = argv.length - j - 1;
    if (argIs(a, 'asc')) desc = false;
    else if (argIs(a, 'desc')) desc = true;
    else if (argIs(a, 'alpha')) alpha = true;
    else if (argIs(a, 'limit') && left >= 2) {
      const s = string2ll(argv[j + 1]);
      if (s === null) return c.reply.err(NOT_INT);
      const n = string2ll(argv[j + 2]);
      if (n === null) return c.reply.err(NOT_INT);
      limitStart = Number(s);
      limitCount = Number(n);
      j += 2;
    } else if (!readonly && argIs(a, 'store') && left >= 1) {
      storekey = argv[++j];
    } else if (argIs(a, 'by') && left >= 1) {
      sortby = argv[++j];
      if (cstr(sortby).indexOf('*') < 0) dontsort = true;
    } else if (argIs(a, 'get') && left >= 1) {
      gets.push(argv[++j]);
    } else {
      return c.reply.syntaxErr();
    }
  }

  const sortval = c.db.lookupRead(argv[1]);
  if (sortval !== undefined && sortval.type !== OBJ_SET && sortval.type !== OBJ_LIST && sortval.type !== OBJ_ZSET) {
    return c.reply.wrongType();
  }
  const type = sortval === undefined ? OBJ_LIST : sortval.type;

  // A set in "don't sort" mode is sorted anyway when storing, so the result is deterministic.
  if (dontsort && type === OBJ_SET && storekey !== null) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }

  // zsetConvert(sortval, OBJ_ENCODING_SKIPLIST): SORT leaves a sorted set skiplist-encoded.
  if (sortval !== undefined && type === OBJ_ZSET) (sortval.value as ZSet).listpack = false;

  let vectorlen: number;
  if (sortval === undefined) vectorlen = 0;
  else if (type === OBJ_LIST) vectorlen = (sortval.value as ListValue).length;
  else if (type === OBJ_SET) vectorlen = (sortval.value as RSet).size;
  else vectorlen = (sortval.value as ZSet).size;

  let start = limitStart < 0 ? 0 : limitStart;
  let end = limitCount < 0 ? vectorlen - 1 : start + limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  if ((type === OBJ_ZSET || type === OBJ_LIST) && dontsort && (start !== 0 || end !== vectorlen - 1)) {
    vectorlen = end - start + 1;
  }

  const vector: SortItem[] = [];
  const item = (obj: string): SortItem => ({ obj, score: 0, cmpobj: null });

  if (sortval !== undefined && type === OBJ_LIST && dontsort) {
    const l = sortval.value as ListValue;
    if (end >= start) {
      const llen = l.length;
      if (desc) for (let i = llen - start - 1; vector.length < vectorlen && i >= 0; i--) vector.push(item(l.get(i)));
      else for (let i = start; vector.length < vectorlen && i < llen; i++) vector.push(item(l.get(i)));
      end -= start;
      start = 0;
    }
  } else if (sortval !== undefined && type === OBJ_LIST) {
    const l = sortval.value as ListValue;
    for (let i = 0; i < l.length; i++) vector.push(item(l.get(i)));
  } else if (sortval !== undefined && type === OBJ_SET) {
    for (const m of (sortval.value as RSet).ordered()) vector.push(item(m));
  } else if (sortval !== undefined && type === OBJ_ZSET && dontsort) {
    const z = sortval.value as ZSet;
    const nodes: ZNode[] = [];
    if (vectorlen > 0) {
      if (desc) {
        for (let x = z.zsl.tail; x !== null && nodes.length < start + vectorlen; x = x.backward) nodes.push(x);
      } else {
        for (let x = z.zsl.first(); x !== null && nodes.length < start + vectorlen; x = x.forward[0]) nodes.push(x);
      }
    }
    for (let i = start; i < nodes.length; i++) vector.push(item(nodes[i].ele));
    end -= start;
    start = 0;
  } else if (sortval !== undefined && type === OBJ_ZSET) {
    for (const x of (sortval.value as ZSet).entries()) vector.push(item(x.ele));
  }

  let convError = false;
  if (!dontsort) {
    for (const v of vector) {
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(c, sortby, v.obj);
        if (byval === null) continue;
      } else {
        byval = v.obj;
      }
      if (alpha) {
        if (sortby !== null) v.cmpobj = byval;
      } else {
        const d = sortScore(byval);
        if (d === null) convError = true;
        else v.score = d;
      }
    }
    const byPattern = sortby !== null;
    const store = storekey !== null;
    const sign = desc ? -1 : 1;
    let cmp: (a: SortItem, b: SortItem) => number;
    if (!alpha) {
      cmp = (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : cmpBinary(a.obj, b.obj));
    } else if (byPattern) {
      cmp = (a, b) => {
        let r: number;
        if (a.cmpobj === null || b.cmpobj === null) r = a.cmpobj === b.cmpobj ? 0 : a.cmpobj === null ? -1 : 1;
        else r = store ? cmpBinary(a.cmpobj, b.cmpobj) : cmpColl(a.cmpobj, b.cmpobj);
        return sign * r;
      };
    } else {
      cmp = store ? (a, b) => sign * cmpBinary(a.obj, b.obj) : (a, b) => sign * cmpColl(a.obj, b.obj);
    }
    vector.sort(cmp);
  }

  const count = end - start + 1;
  const outputlen = gets.length ? gets.length * count : count;
  if (convError) return c.reply.err(NOT_DOUBLE);

  if (storekey === null) {
    c.reply.arrayLen(outputlen);
    for (let j = start; j <= end; j++) {
      const obj = vector[j].obj;
      if (!gets.length) c.reply.bulk(obj);
      for (const g of gets) {
        const val = lookupByPattern(c, g, obj);
        if (val === null) c.reply.nil();
        else c.reply.bulk(val);
      }
    }
    return;
  }

  const out = new ListValue(c.server.config.num('list-max-listpack-size'));
  for (let j = start; j <= end; j++) {
    const obj = vector[j].obj;
    if (!gets.length) out.pushTail(obj);
    for (const g of gets) out.pushTail(lookupByPattern(c, g, obj) ?? '');
  }
  const db = c.db;
  if (outputlen) {
    db.lookupWrite(storekey); // setKey looks the key up for writing first (lazy expiry)
    db.setKey(storekey, OBJ_LIST, out);
    c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'sortstore', storekey, db.id);
    c.server.dirty += outputlen;
  } else if (db.delete(storekey)) {
    c.server.signalModifiedKey(db, storekey);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', storekey, db.id);
    c.server.dirty++;
  }
  c.reply.int(outputlen);
}

/** sortGetKeys: the sorted key, and the destination of the last STORE. */
function sortGetKeys(argv: string[]): number[] | null {
  const keys = [1];
  let store = -1;
  const skips: [string, number][] = [['limit', 2], ['get', 1], ['by', 1]];
  for (let i = 2; i < argv.length; i++) {
    for (const [name, skip] of skips) {
      if (argIs(argv[i], name)) {
        i += skip;
        break;
      } else if (argIs(argv[i], 'store') && i + 1 < argv.length) {
        store = i + 1;
        break;
      }
    }
  }
  if (store >= 0) keys.push(store);
  return keys;
}

const SYNTAX = 'key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]';

export const sortCommands: CommandSpec[] = [
  {
    name: 'sort', arity: -2, flags: 'write denyoom movablekeys', keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    summary: 'Orders the elements of a list, set or sorted set, optionally storing the result as a list.',
    complexity: 'O(N+M*log(M)): N elements in the source, M returned.',
    syntax: SYNTAX + ' [STORE destination]',
    acl: '-@keyspace @set @sortedset @list @dangerous',
    getKeys: sortGetKeys,
    handler: (c, argv) => sortGeneric(c, argv, false),
  },
  {
    name: 'sort_ro', arity: -2, flags: 'readonly movablekeys', keys: [1, 1, 1], group: 'generic', since: '7.0.0',
    summary: 'Orders the elements of a list, set or sorted set without writing anything.',
    complexity: 'O(N+M*log(M)): N elements in the source, M returned.',
    syntax: SYNTAX,
    acl: '-@keyspace @set @sortedset @list @dangerous',
    getKeys: (argv) => (argv.length >= 2 ? [1] : null),
    handler: (c, argv) => sortGeneric(c, argv, true),
  },
];
