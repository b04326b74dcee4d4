import type { Rng, Step } from '../../support/harness';

/**
 * Random string commands over a small key space ("s:" prefix), valid and invalid calls mixed, so
 * that SET, APPEND, SETRANGE, the counters and the readers act on each other's results. TTLs are
 * at least 100 s (nothing expires during a run); absolute times in the past only come with GETEX,
 * which deletes the key at once on both servers.
 */

const KEYS = Array.from({ length: 12 }, (_, i) => 's:' + i);

function key(r: Rng): string {
  return r.chance(0.97) ? r.pick(KEYS) : r.pick(['s:none', '', 's:\x00\xff']);
}

const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const TEXT = ['hello', 'world', 'foo bar', utf8('héllo'), utf8('日本語'), utf8('🎉x'), 'ohmytext', 'mynewtext', 'abcabc'];
const NUMERIC = [
  '0', '1', '-1', '42', '9999', '10000', '-10000', '9223372036854775807', '-9223372036854775808',
  '9223372036854775806', '-9223372036854775807', '9223372036854775808', '4611686018427387904', '9007199254740993',
  '-0', '0x10', ' 1', '1 ', '1e5', '01', '+1', '1.5', '-2.25', '0.1', '3.0', '1e308', '-1e308', '1e4932', 'inf',
  '-inf', 'nan', '0.000000000000000001', '.5', '5.', '1e-5', '123456789.123456789',
];

function binary(r: Rng, max: number): string {
  let s = '';
  for (let i = r.int(1, max); i > 0; i--) s += String.fromCharCode(r.int(0, 255));
  return s;
}

/** A value: numbers (valid and not), text, UTF-8, binary, empty, long. */
function value(r: Rng): string {
  const p = r.next();
  if (p < 0.3) return String(r.int(-1000, 1000));
  if (p < 0.5) return r.pick(NUMERIC);
  if (p < 0.7) return r.pick(TEXT);
  if (p < 0.8) return binary(r, 20);
  if (p < 0.85) return '';
  if (p < 0.9) return r.pick(['a', 'b', 'x']).repeat(r.int(40, 60));
  return String(r.int(-1e9, 1e9)) + r.pick(['', '.5', '.25', 'e3', '0']);
}

/** An integer argument: mostly small, sometimes at the 64-bit limits, sometimes not an integer. */
function intArg(r: Rng): string {
  const p = r.next();
  if (p < 0.6) return String(r.int(-100, 100));
  if (p < 0.75) return String(r.int(-1e12, 1e12));
  if (p < 0.9) {
    return r.pick(['9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807',
      '4611686018427387904', '-4611686018427387904', '9007199254740993', '0']);
  }
  return r.pick(['9223372036854775808', '-9223372036854775809', 'x', '', '1.5', '-0', '01', '+1', ' 1', '1e3', '0x1']);
}

/** An increment for INCRBYFLOAT. */
function floatArg(r: Rng): string {
  const p = r.next();
  if (p < 0.3) return String(r.int(-100, 100));
  if (p < 0.6) return (r.int(-100000, 100000) / r.pick([10, 100, 1000, 7, 3])).toString();
  if (p < 0.7) return r.pick(['0.1', '0.2', '-0.3', '1e-10', '1e10', '1e20', '1.5e300', '-1e308', '1e4000', '-1e4000']);
  if (p < 0.8) return r.pick(['0x10', '0x1p-4', '-0x.8', '1E3', '.5', '5.', '-0', '+2', '00.100']);
  return r.pick(['inf', '-inf', 'nan', '', ' 1', '1 ', 'x', '1e', '1e99999', '1e-99999', '0x', '1.2.3']);
}

/** A GETRANGE index. */
function index(r: Rng): string {
  const p = r.next();
  if (p < 0.7) return String(r.int(-30, 30));
  if (p < 0.85) return String(r.int(-200, 200));
  return r.pick(['9223372036854775807', '-9223372036854775808', '99999999999999999999', 'x', '', '1.0']);
}

/**
 * A SETRANGE offset: small, sometimes up to 2000; huge ones only past the 512MB limit (refused
 * before anything is allocated) or with an empty value.
 */
function offset(r: Rng): string {
  const p = r.next();
  if (p < 0.75) return String(r.int(0, 40));
  if (p < 0.88) return String(r.int(0, 2000));
  return r.pick(['-1', 'x', '', '1.5', '536870912', '536870913', '9223372036854775807', '99999999999999999999', '-9223372036854775808']);
}

/** A TTL SETEX/PSETEX refuse (never a short valid one: it could expire mid-run). */
function badTtl(r: Rng): string {
  return r.pick(['0', '-1', '-100', 'x', '', '1.5', '01', '+5', '9223372036854775', '9223372036854775807', '-9223372036854775808', '99999999999999999999']);
}

const NOW_S = Math.floor(Date.now() / 1000);

/** An expire option for SET / GETEX: long TTLs, or invalid values and conflicts. */
function expireOpt(r: Rng, forGetex: boolean): string[] {
  const p = r.next();
  if (p < 0.25) return ['EX', String(r.int(100, 100000))];
  if (p < 0.45) return ['PX', String(r.int(100000, 100000000))];
  if (p < 0.55) return ['EXAT', String(NOW_S + r.int(1000, 1000000))];
  if (p < 0.65) return ['PXAT', String((NOW_S + r.int(1000, 1000000)) * 1000 + r.int(0, 999))];
  if (p < 0.8) return forGetex ? ['PERSIST'] : ['KEEPTTL'];
  if (p < 0.85 && forGetex) return r.pick([['EXAT', '1'], ['PXAT', String(r.int(1, 100000))]]);
  return r.pick([
    ['EX', '0'], ['EX', '-1'], ['PX', '0'], ['EX', 'x'], ['EX', '1.5'], ['EX', ''], ['EX', '9223372036854775'],
    ['PX', '9223372036854775807'], ['EXAT', '9223372036854776'], ['EX'], ['PXAT'], ['KEEPTTL', 'EX', '100'],
    ['EX', '100', 'PX', '100000'], ['PERSIST'], ['KEEPTTL'], ['EXAT', '0'],
  ]);
}

function setOptions(r: Rng): string[] {
  const out: string[] = [];
  const n = r.int(0, 3);
  for (let i = 0; i < n; i++) {
    const p = r.next();
    if (p < 0.25) out.push(r.pick(['NX', 'nx']));
    else if (p < 0.5) out.push(r.pick(['XX', 'xx']));
    else if (p < 0.7) out.push(r.pick(['GET', 'get']));
    else if (p < 0.95) out.push(...expireOpt(r, false));
    else out.push(r.pick(['FOO', '', 'PERSIST', 'NX\x00']));
  }
  return out;
}

function lcsOptions(r: Rng): string[] {
  const out: string[] = [];
  const n = r.int(0, 3);
  for (let i = 0; i < n; i++) {
    const p = r.next();
    if (p < 0.35) out.push('IDX');
    else if (p < 0.5) out.push('LEN');
    else if (p < 0.7) out.push('WITHMATCHLEN');
    else if (p < 0.95) out.push('MINMATCHLEN', r.pick(['0', '1', '2', '3', '5', '-1', '100']));
    else out.push(r.pick(['MINMATCHLEN', 'FOO', 'MINMATCHLEN\x00']), ...(r.chance(0.5) ? ['x'] : []));
  }
  return out;
}

function keyValues(r: Rng): string[] {
  const out: string[] = [];
  for (let i = r.int(1, 4); i > 0; i--) out.push(key(r), value(r));
  if (r.chance(0.05)) out.pop(); // odd count: arity error
  return out;
}

function keysList(r: Rng): string[] {
  const out: string[] = [];
  for (let i = r.int(1, 5); i > 0; i--) out.push(key(r));
  return out;
}

export function genStrings(r: Rng): Step {
  const argv = command(r);
  // A few arity errors: drop or add an argument.
  if (r.chance(0.02) && argv.length > 1) argv.pop();
  else if (r.chance(0.01)) argv.push('extra');
  return { argv };
}

function command(r: Rng): string[] {
  switch (r.int(0, 27)) {
    case 0: case 1: return ['SET', key(r), value(r)];
    case 2: case 3: return ['SET', key(r), value(r), ...setOptions(r)];
    case 4: case 5: return ['GET', key(r)];
    case 6: return ['GETEX', key(r), ...(r.chance(0.2) ? [] : expireOpt(r, true))];
    case 7: return ['GETDEL', key(r)];
    case 8: return ['GETSET', key(r), value(r)];
    case 9: return ['SETNX', key(r), value(r)];
    case 10: return r.chance(0.5)
      ? ['SETEX', key(r), r.chance(0.85) ? String(r.int(100, 100000)) : badTtl(r), value(r)]
      : ['PSETEX', key(r), r.chance(0.85) ? String(r.int(100000, 1e9)) : badTtl(r), value(r)];
    case 11: return ['MGET', ...keysList(r)];
    case 12: return ['MSET', ...keyValues(r)];
    case 13: return ['MSETNX', ...keyValues(r)];
    case 14: case 15: return ['APPEND', key(r), value(r)];
    case 16: return ['STRLEN', key(r)];
    case 17: return [r.chance(0.8) ? 'GETRANGE' : 'SUBSTR', key(r), index(r), index(r)];
    case 18: case 19: return ['SETRANGE', key(r), offset(r), r.chance(0.1) ? '' : value(r)];
    case 20: return ['LCS', key(r), key(r), ...lcsOptions(r)];
    case 21: return [r.pick(['INCR', 'DECR']), key(r)];
    case 22: case 23: return [r.pick(['INCRBY', 'DECRBY']), key(r), intArg(r)];
    case 24: case 25: return ['INCRBYFLOAT', key(r), floatArg(r)];
    case 26: return ['SET', key(r), r.pick(NUMERIC)];
    default: return ['SET', key(r), String(r.int(-50, 50))];
  }
}
