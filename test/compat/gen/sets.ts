import { sameType, scanPage, unordered, type Rng, type Step } from '../../support/harness';

/**
 * Random set commands over a small key space ("t:" prefix), valid and invalid calls mixed.
 * Members are mostly small integers (intset encoding) and short strings (hashtable), with some
 * 64-bit limits and non-canonical integers, so conversions happen. Replies whose order Redis
 * leaves to its hash order are compared unordered; random picks by their shape only. SPOP is
 * left out (it makes the datasets diverge); sets.test.ts covers it with invariant tests.
 * Run with set-max-intset-entries lowered (the test sets 16) so size conversions happen too.
 */

const KEYS = Array.from({ length: 8 }, (_, i) => 't:' + i);

function key(r: Rng): string {
  const p = r.next();
  if (p < 0.93) return r.pick(KEYS);
  if (p < 0.97) return 't:str'; // a string key: WRONGTYPE
  return r.pick(['t:none', '']);
}

const WORDS = ['a', 'b', 'c', 'foo', 'bar', 'hello', '', 'x y', '\x00', '\xff\xfe', 'é'];
const ODD_INTS = [
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809',
  '32767', '32768', '-32768', '-32769', '2147483647', '2147483648', '-2147483649', '4611686018427387904',
  '01', '-0', '+1', ' 1', '1.0', '1e3', '0x10',
];

function member(r: Rng): string {
  const p = r.next();
  if (p < 0.6) return String(r.int(-5, 30));
  if (p < 0.85) return r.pick(WORDS);
  if (p < 0.95) return r.pick(ODD_INTS);
  return String(r.int(-1e6, 1e6));
}

function members(r: Rng, min: number, max: number): string[] {
  return Array.from({ length: r.int(min, max) }, () => member(r));
}

function keys(r: Rng, min: number, max: number): string[] {
  return Array.from({ length: r.int(min, max) }, () => key(r));
}

function countArg(r: Rng): string {
  const p = r.next();
  if (p < 0.7) return String(r.int(-5, 40));
  return r.pick(['0', '-1', '1', 'x', '', '1.5', '9223372036854775807', '-9223372036854775808', '99999999999999999999']);
}

export function genSets(r: Rng): Step {
  const p = r.int(0, 100);
  if (p < 22) return { argv: ['SADD', key(r), ...members(r, 1, 6)] };
  if (p < 24) return { argv: ['SADD', key(r), ...Array.from({ length: r.int(5, 20) }, () => String(r.int(0, 60)))] };
  if (p < 34) return { argv: ['SREM', key(r), ...members(r, 1, 4)] };
  if (p < 37) return { argv: ['SCARD', key(r)] };
  if (p < 41) return { argv: ['SISMEMBER', key(r), member(r)] };
  if (p < 44) return { argv: ['SMISMEMBER', key(r), ...members(r, 1, 4)] };
  if (p < 49) return { argv: ['SMEMBERS', key(r)], normalize: unordered };
  if (p < 53) {
    // Read-only random picks: compare shape (or the exact error), except the deterministic cases.
    const argv = ['SRANDMEMBER', key(r)];
    if (r.chance(0.7)) argv.push(countArg(r));
    if (r.chance(0.05)) argv.push('x');
    return { argv, normalize: srandNormalize };
  }
  if (p < 60) return { argv: ['SMOVE', key(r), key(r), member(r)] };
  if (p < 65) return { argv: ['SINTER', ...keys(r, 1, 3)], normalize: unordered };
  if (p < 68) {
    const ks = keys(r, 1, 3);
    const argv = ['SINTERCARD', r.chance(0.9) ? String(ks.length) : r.pick(['0', '-1', 'x', '5', String(ks.length + 1)]), ...ks];
    if (r.chance(0.4)) argv.push(r.pick(['LIMIT', 'limit']), r.pick(['0', '1', '2', '5', '-1', 'x']));
    if (r.chance(0.05)) argv.push('junk');
    return { argv };
  }
  if (p < 73) return { argv: ['SINTERSTORE', key(r), ...keys(r, 1, 3)] };
  if (p < 78) return { argv: ['SUNION', ...keys(r, 1, 3)], normalize: unordered };
  if (p < 82) return { argv: ['SUNIONSTORE', key(r), ...keys(r, 1, 3)] };
  if (p < 87) return { argv: ['SDIFF', ...keys(r, 1, 3)], normalize: unordered };
  if (p < 91) return { argv: ['SDIFFSTORE', key(r), ...keys(r, 1, 3)] };
  if (p < 96) {
    // A full page: COUNT large enough for Redis to return a whole small set at once.
    // Only cursor 0 pages are comparable (a cursor means something else to each server).
    const argv = ['SSCAN', key(r), r.chance(0.9) ? '0' : r.pick(['x', '-1', ' 0', '5'])];
    if (r.chance(0.4)) argv.push('MATCH', r.pick(['*', '1*', '*a*', '?', '[a-c]', 'foo', '-*']));
    argv.push('COUNT', r.chance(0.9) ? '1000' : r.pick(['0', '-1', 'x']));
    if (r.chance(0.03)) argv.push('TYPE', 'set');
    return { argv, normalize: argv[2] === '0' ? scanPage : sameType };
  }
  if (p < 98) return { argv: ['SET', 't:str', 'v'] };
  if (p < 99) return { argv: ['DEL', key(r)] };
  // Wrong arity.
  return { argv: [r.pick(['SADD', 'SREM', 'SISMEMBER', 'SMOVE', 'SCARD', 'SINTERCARD', 'SSCAN']), key(r)], normalize: sameType };
}

/** SRANDMEMBER: errors, nil and empty replies exactly; otherwise the reply's shape and size. */
function srandNormalize(rep: Parameters<typeof sameType>[0]): unknown {
  if (rep.t === 'array' && rep.v) return { array: rep.v.length };
  return sameType(rep) === 'bulk' ? 'bulk' : JSON.stringify(rep);
}
