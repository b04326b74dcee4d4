import { scanPage, type Rng, type Step } from '../../support/harness';

/**
 * Random sorted set commands over a small key space ("z:" prefix), valid and invalid calls mixed.
 * Scores come from a pool with many ties (so members order equal scores), infinities, -0 and
 * extremes; members are short strings (some binary, some integer-looking, a few long ones that
 * turn a listpack into a skiplist). One key holds a string, for WRONGTYPE.
 */

const KEYS = Array.from({ length: 8 }, (_, i) => 'z:' + i);

/**
 * Keys whose members all have score 0: the lex commands act on these only, since on a skiplist
 * with mixed scores Redis's lex answers depend on its random levels.
 */
const LEX_KEYS = ['z:l0', 'z:l1', 'z:l2'];

function lexKey(r: Rng): string {
  return r.chance(0.95) ? r.pick(LEX_KEYS) : 'z:lnone';
}

/** A key for commands that keep every score 0 when they are 0 (readers, removers). */
function anyKey(r: Rng): string {
  return r.chance(0.3) ? lexKey(r) : key(r);
}

function key(r: Rng): string {
  const p = r.next();
  if (p < 0.93) return r.pick(KEYS);
  if (p < 0.97) return 'z:str';
  return r.pick(['z:none', 'z:\x00\xff']);
}

const SCORES = [
  '0', '1', '1', '2', '2', '3', '-1', '-2', '10', '1.5', '-1.5', '0.1', '1.1', '2.5', '100', '-0', '+inf', '-inf',
  'inf', '1e308', '-1e308', '5e-324', '1e-300', '3.14159', '0x10', '1E3', '.5', '9007199254740993',
];
const BAD_SCORES = ['nan', 'x', '', ' 1', '1 ', '1e400', '(1', '1.2.3'];

function score(r: Rng): string {
  const p = r.next();
  if (p < 0.5) return String(r.int(-5, 5));
  if (p < 0.93) return r.pick(SCORES);
  return r.pick(BAD_SCORES);
}

const MEMBERS = ['a', 'b', 'c', 'd', 'e', 'f', 'aa', 'ab', 'b\x00', '\x00', '\xff', 'A', '1', '10', '-1', 'x y', '', 'zz'];

function member(r: Rng): string {
  const p = r.next();
  if (p < 0.9) return r.pick(MEMBERS);
  if (p < 0.97) return String(r.int(0, 30));
  return 'long' + 'x'.repeat(r.int(60, 70));
}

/** A rank index. */
function index(r: Rng): string {
  const p = r.next();
  if (p < 0.85) return String(r.int(-12, 12));
  if (p < 0.95) return r.pick(['9223372036854775807', '-9223372036854775808', '100', '-100']);
  return r.pick(['x', '', '1.5', '9223372036854775808']);
}

/** A score range bound. */
function scoreBound(r: Rng): string {
  const p = r.next();
  const base = p < 0.6 ? String(r.int(-4, 4)) : p < 0.9 ? r.pick(['-inf', '+inf', 'inf', '1.5', '-0', '0', '1e308', '5e-324'])
    : r.pick(['nan', 'x', '', ' 2', '1e400', '0x2', '(', '((1']);
  return r.chance(0.3) ? '(' + base : base;
}

/** A lex range bound. */
function lexBound(r: Rng): string {
  const p = r.next();
  if (p < 0.2) return r.pick(['-', '+']);
  if (p < 0.9) return r.pick(['[', '(']) + r.pick(MEMBERS);
  return r.pick(['a', '', '--', '+a', '[', '(']);
}

function limit(r: Rng): string[] {
  if (!r.chance(0.3)) return [];
  const off = r.chance(0.85) ? String(r.int(0, 6)) : r.pick(['-1', '100', 'x']);
  const cnt = r.chance(0.85) ? String(r.int(-1, 6)) : r.pick(['-5', '0', 'y']);
  return ['LIMIT', off, cnt];
}

function zaddOptions(r: Rng): string[] {
  const opts: string[] = [];
  if (r.chance(0.2)) opts.push(r.pick(['NX', 'XX', 'nx', 'xx']));
  if (r.chance(0.2)) opts.push(r.pick(['GT', 'LT', 'gt']));
  if (r.chance(0.15)) opts.push('CH');
  if (r.chance(0.1)) opts.push('INCR');
  return opts;
}

function pairs(r: Rng): string[] {
  const out: string[] = [];
  for (let i = r.int(1, 4); i > 0; i--) out.push(score(r), member(r));
  if (r.chance(0.03)) out.pop();
  return out;
}

function zrangeOptions(r: Rng): string[] {
  const opts: string[] = [];
  const by = r.next();
  if (by < 0.3) opts.push('BYSCORE');
  else if (by < 0.5) opts.push('BYLEX');
  if (r.chance(0.3)) opts.push('REV');
  opts.push(...limit(r));
  if (r.chance(0.3)) opts.push('WITHSCORES');
  for (let i = opts.length - 1; i > 0; i--) {
    if (r.chance(0.3)) { const j = r.int(0, i); [opts[i], opts[j]] = [opts[j], opts[i]]; }
  }
  return opts;
}

function rangeArgs(r: Rng, opts: string[]): string[] {
  if (opts.includes('BYSCORE')) return [scoreBound(r), scoreBound(r)];
  if (opts.includes('BYLEX')) return [lexBound(r), lexBound(r)];
  return [index(r), index(r)];
}

function command(r: Rng): string[] {
  switch (r.int(0, 32)) {
    case 0: case 1: case 2: case 3: return ['ZADD', key(r), ...zaddOptions(r), ...pairs(r)];
    case 4: return ['ZINCRBY', key(r), score(r), member(r)];
    case 5: return ['ZCARD', anyKey(r)];
    case 6: return ['ZSCORE', anyKey(r), member(r)];
    case 7: return ['ZMSCORE', anyKey(r), member(r), member(r)];
    case 8: return [r.pick(['ZRANK', 'ZREVRANK']), anyKey(r), member(r)];
    case 9: case 10: case 11: {
      const opts = zrangeOptions(r);
      return ['ZRANGE', opts.includes('BYLEX') ? lexKey(r) : anyKey(r), ...rangeArgs(r, opts), ...opts];
    }
    case 12: return ['ZREVRANGE', anyKey(r), index(r), index(r), ...(r.chance(0.4) ? ['WITHSCORES'] : [])];
    case 13: return [r.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']), key(r), scoreBound(r), scoreBound(r),
      ...(r.chance(0.4) ? ['WITHSCORES'] : []), ...limit(r)];
    case 14: return [r.pick(['ZRANGEBYLEX', 'ZREVRANGEBYLEX']), lexKey(r), lexBound(r), lexBound(r), ...limit(r)];
    case 15: return ['ZCOUNT', key(r), scoreBound(r), scoreBound(r)];
    case 16: return ['ZLEXCOUNT', lexKey(r), lexBound(r), lexBound(r)];
    case 17: case 18: return ['ZREM', anyKey(r), member(r), ...(r.chance(0.5) ? [member(r)] : [])];
    case 19: return ['ZREMRANGEBYRANK', anyKey(r), index(r), index(r)];
    case 20: return ['ZREMRANGEBYSCORE', anyKey(r), scoreBound(r), scoreBound(r)];
    case 21: return ['ZREMRANGEBYLEX', lexKey(r), lexBound(r), lexBound(r)];
    case 22: return [r.pick(['ZPOPMIN', 'ZPOPMAX']), anyKey(r), ...(r.chance(0.5) ? [r.pick(['0', '1', '2', '5', '-1', 'x'])] : [])];
    case 23: {
      const opts = zrangeOptions(r).filter((o) => o !== 'WITHSCORES');
      if (opts.includes('BYLEX') || r.chance(0.3)) return ['ZRANGESTORE', lexKey(r), lexKey(r), ...rangeArgs(r, opts), ...opts];
      return ['ZRANGESTORE', key(r), key(r), ...rangeArgs(r, opts), ...opts];
    }
    case 24: return ['OBJECT', 'ENCODING', anyKey(r)];
    case 25: return ['ZADD', key(r), ...pairs(r), ...pairs(r), ...pairs(r)];
    case 26: return ['EXISTS', key(r)];
    case 27: return ['SET', 'z:str', 'x'];
    case 28: case 29: {
      const out = ['ZADD', lexKey(r)];
      if (r.chance(0.2)) out.push(r.pick(['NX', 'XX', 'CH']));
      for (let i = r.int(1, 4); i > 0; i--) out.push(r.pick(['0', '0', '-0']), member(r));
      return out;
    }
    default: return ['ZRANGE', key(r), '0', '-1', 'WITHSCORES'];
  }
}

/** Keys for a set operation: numkeys (sometimes wrong), then the keys; a plain set now and then. */
function opKeys(r: Rng, family: (r: Rng) => string): string[] {
  const n = r.int(1, 3);
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(family === key && r.chance(0.08) ? 'z:set' : family(r));
  const num = r.chance(0.93) ? String(n) : r.pick(['0', '-1', 'x', String(n + 2)]);
  return [num, ...keys];
}

function opOptions(r: Rng, n: number, diff: boolean, store: boolean): string[] {
  const out: string[] = [];
  if (!diff && r.chance(0.3)) {
    out.push('WEIGHTS');
    for (let i = 0; i < n; i++) out.push(r.pick(['1', '2', '0', '-1', '0.5', 'inf', '-inf', 'x']));
  }
  if (!diff && r.chance(0.3)) out.push('AGGREGATE', r.pick(['SUM', 'MIN', 'MAX', 'sum', 'avg']));
  if (!store && r.chance(0.4)) out.push('WITHSCORES');
  if (r.chance(0.03)) out.push('junk');
  return out;
}

function setOp(r: Rng): string[] {
  const op = r.pick(['ZUNION', 'ZINTER', 'ZDIFF', 'ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE', 'ZINTERCARD']);
  const store = op.endsWith('STORE');
  // Keep score-0 keys and mixed keys apart when writing to a key.
  const lex = r.chance(0.3);
  const fam = lex ? lexKey : key;
  const nk = opKeys(r, fam);
  const n = Number(nk[0]) > 0 && Number(nk[0]) <= 3 ? Number(nk[0]) : 1;
  if (op === 'ZINTERCARD') return [op, ...nk, ...(r.chance(0.4) ? ['LIMIT', r.pick(['0', '1', '2', '-1', 'x'])] : [])];
  const opts = opOptions(r, n, op.startsWith('ZDIFF'), store);
  if (store) {
    // Weights/sums could make a score-0 key non-zero: only ZDIFFSTORE or plain ZINTER/UNION into lex keys.
    if (lex && (op !== 'ZDIFFSTORE' && opts.length)) return [op, key(r), ...nk, ...opts];
    return [op, fam(r), ...nk, ...opts];
  }
  return [op, ...nk, ...opts];
}

export function genZsets(r: Rng): Step {
  const p = r.next();
  if (p < 0.08) return { argv: setOp(r) };
  if (p < 0.1) {
    const fam = r.chance(0.3) ? lexKey : key;
    const nk = opKeys(r, fam);
    const where = r.chance(0.95) ? r.pick(['MIN', 'MAX', 'min']) : 'MID';
    const count = r.chance(0.5) ? ['COUNT', r.pick(['1', '2', '5', '0', '-1', 'x'])] : [];
    return { argv: ['ZMPOP', ...nk, where, ...count] };
  }
  if (p < 0.105) {
    return { argv: ['ZSCAN', anyKey(r), '0', ...(r.chance(0.3) ? ['MATCH', r.pick(['*', 'a*', '?', '*b*'])] : []), 'COUNT', '1000'], normalize: scanPage };
  }
  if (p < 0.11) return { argv: ['SADD', 'z:set', r.pick(['a', 'b', '1', '10', 'zz', 'q'])] };
  if (p < 0.12) {
    // Whole-set picks are deterministic; so are errors.
    const k = anyKey(r);
    return { argv: ['ZRANDMEMBER', k, r.pick(['0', '100', '1000', 'x', '-9223372036854775808']), ...(r.chance(0.5) ? ['WITHSCORES'] : [])] };
  }
  return { argv: command(r) };
}
