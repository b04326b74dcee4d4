import type { Normalize, Rng, Step } from '../../support/harness';
import { showReply } from '../../support/resp-reader';
import { unordered } from '../../support/harness';

/**
 * Random SORT / SORT_RO calls over lists, sets and sorted sets ("o:" prefix) built by the same
 * run, with BY/GET patterns reading "w:" strings and "h:" hash fields, LIMIT, ASC/DESC, ALPHA and
 * STORE. Where Redis's order is unspecified we compare a normalised reply and never STORE:
 * - a set in "don't sort" mode (BY without '*') replies in hash order: compared as a multiset, or
 *   only its length under LIMIT;
 * - ALPHA with a BY pattern has ties (equal or missing values) whose order follows the source's
 *   order (sets and zsets: hash order) or Redis's pqsort (under LIMIT).
 * Elements are chosen so that ALPHA without BY never ties: one NUL-containing element, and no
 * element equal to its prefix.
 */

const LISTS = ['o:l0', 'o:l1', 'o:l2'];
const SETS = ['o:s0', 'o:s1'];
const ZSETS = ['o:z0', 'o:z1'];
const OTHER = ['o:str', 'o:hash', 'o:none'];
const DESTS = ['o:d0', 'o:d1', 'o:l2', 'o:s1', 'o:z1', 'o:str'];

const ELEMENTS = [
  'a', 'b', 'c', 'B', 'ab', '', 'q\x00r', '\xff', '0', '1', '-1', '2', '10', '7', '-0', '1.5', '1e2', '01', '3', 'zz',
];

const NUMERIC = ['0', '1', '-1', '2', '10', '7', '3', '1.5', '100', '-3'];

function element(r: Rng, numeric: boolean): string {
  return numeric || r.chance(0.4) ? r.pick(NUMERIC) : r.pick(ELEMENTS);
}

function weight(r: Rng): string {
  const p = r.next();
  if (p < 0.6) return String(r.int(-5, 5));
  if (p < 0.8) return r.pick(['1.5', '-0.5', '1e3', ' 2', '', 'inf', '-inf']);
  return r.pick(['x', 'y', 'z', 'abc', 'ab', '\x00', 'nan', '1 ']);
}

function sourceKey(r: Rng): string {
  const p = r.next();
  if (p < 0.4) return r.pick(LISTS);
  if (p < 0.65) return r.pick(SETS);
  if (p < 0.92) return r.pick(ZSETS);
  return r.pick(OTHER);
}

function fill(r: Rng): string[] {
  const p = r.next();
  const numeric = r.chance(0.5);
  const els: string[] = [];
  for (let i = r.int(1, 6); i > 0; i--) els.push(element(r, numeric));
  if (p < 0.35) return [r.pick(['RPUSH', 'LPUSH']), r.pick(LISTS), ...els];
  if (p < 0.6) return ['SADD', r.pick(SETS), ...els];
  if (p < 0.85) {
    const argv = ['ZADD', r.pick(ZSETS)];
    for (const e of els) argv.push(String(r.int(-3, 3)), e);
    return argv;
  }
  if (p < 0.9) return ['SET', 'o:str', 'v'];
  if (p < 0.93) return ['HSET', 'o:hash', 'f', 'v'];
  return r.chance(0.5) ? [r.pick(['DEL', 'LPOP', 'ZPOPMIN']), sourceKey(r)] : ['SREM', r.pick(SETS), element(r, false), element(r, true)];
}

function pattern(r: Rng): string {
  const p = r.next();
  if (p < 0.35) return 'w:*';
  if (p < 0.55) return r.pick(['h:*->f', 'h:*->g']);
  if (p < 0.7) return r.pick(['nosort', 'x', '']);
  if (p < 0.8) return r.pick(['*', 'w:*:x', 'h:*->', 'h:*->nof', 'o:*']);
  return 'w:*';
}

function getPattern(r: Rng): string {
  const p = r.next();
  if (p < 0.3) return '#';
  if (p < 0.6) return 'w:*';
  if (p < 0.85) return r.pick(['h:*->f', 'h:*->g']);
  return r.pick(['nostar', '*', 'h:*->', 'o:*']);
}

function limitArg(r: Rng): string {
  const p = r.next();
  if (p < 0.8) return String(r.int(-2, 7));
  return r.pick(['100', '-100', '9223372036854775807', '-9223372036854775808', 'x', '1.5']);
}

const lengthOnly: Normalize = (rep) => (rep.t === 'array' && rep.v ? { len: rep.v.length } : showReply(rep));

function sortCall(r: Rng): Step {
  const ro = r.chance(0.2);
  const src = sourceKey(r);
  const argv = [ro ? 'SORT_RO' : 'SORT', src];
  let by: string | null = null;
  let alpha = false;
  let limited = false;
  let store = false;
  const opts: string[][] = [];
  if (r.chance(0.5)) {
    by = pattern(r);
    opts.push([r.pick(['BY', 'by']), by]);
  }
  if (r.chance(0.4)) {
    opts.push([r.pick(['LIMIT', 'limit']), limitArg(r), limitArg(r)]);
    limited = true;
  }
  for (let i = r.chance(0.4) ? r.int(1, 3) : 0; i > 0; i--) opts.push(['GET', getPattern(r)]);
  if (r.chance(0.4)) opts.push([r.pick(['ASC', 'DESC', 'desc'])]);
  if (r.chance(0.45)) {
    opts.push([r.pick(['ALPHA', 'alpha'])]);
    alpha = true;
  }
  if (r.chance(0.25)) {
    opts.push(['STORE', r.pick(DESTS)]);
    store = true;
  }
  const dontsort = by !== null && by.split('\x00')[0].indexOf('*') < 0;
  const isSet = SETS.includes(src);
  const isList = LISTS.includes(src);
  let normalize: Normalize | undefined;
  if (dontsort && isSet && !(store && !ro)) normalize = limited ? lengthOnly : unordered;
  if (alpha && by !== null && !dontsort) {
    if (limited) normalize = lengthOnly;
    else if (!isList) normalize = unordered;
  }
  // A stored result in unspecified order would make the datasets differ: reply only.
  const kept = normalize && store ? opts.filter((o) => o[0] !== 'STORE') : opts;
  // Options in a random order (Redis accepts any order).
  for (let i = kept.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [kept[i], kept[j]] = [kept[j], kept[i]];
  }
  for (const o of kept) argv.push(...o);
  // A trailing bare keyword: always a syntax error.
  if (r.chance(0.03)) argv.push(r.pick(['NOSUCH', 'LIMIT', 'BY', 'GET', 'STORE']));
  return { argv, normalize };
}

export function genSort(r: Rng): Step {
  const p = r.int(0, 100);
  let argv: string[];
  if (p < 30) argv = fill(r);
  else if (p < 38) argv = ['SET', 'w:' + element(r, false), weight(r)];
  else if (p < 45) argv = ['HSET', 'h:' + element(r, false), r.pick(['f', 'g']), weight(r)];
  else if (p < 46) argv = ['DEL', 'w:' + element(r, false), 'h:' + element(r, false)];
  else if (p < 96) return sortCall(r);
  else if (p < 98) argv = ['LRANGE', r.pick(DESTS), '0', '-1'];
  else argv = r.pick([['SORT'], ['SORT_RO'], ['TYPE', r.pick(DESTS)], ['OBJECT', 'ENCODING', r.pick(ZSETS)]]);
  return { argv };
}
