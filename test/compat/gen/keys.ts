import { approxInt, scanPage, unordered, type Normalize, type Rng, type Step } from '../../support/harness';
import { showReply } from '../../support/resp-reader';

/**
 * Random generic-key commands (DEL, EXPIRE family, RENAME, COPY, MOVE, SCAN, SWAPDB, ...) over a
 * small key space ("k:" prefix) in databases 0-3, valid and invalid calls mixed. SET creates the
 * values. TTLs stay long (100 s and more) so nothing expires during a run, and GT/LT only come with
 * absolute times, so that no answer depends on how many milliseconds passed between commands.
 */

/** Seven names plus the empty one: a db never holds more than 8 keys (see SCAN below). */
const KEYS = ['k:0', 'k:1', 'k:2', 'k:3', 'k:4', 'k:5', 'k:6'];

function key(r: Rng): string {
  return r.chance(0.97) ? r.pick(KEYS) : '';
}

function keys(r: Rng, max: number): string[] {
  const out: string[] = [];
  for (let i = r.int(1, max); i > 0; i--) out.push(key(r));
  return out;
}

/** SET values: shared-range integers, other integers, short (embstr) and long (raw) strings. */
function value(r: Rng): string {
  switch (r.int(0, 5)) {
    case 0: return String(r.int(0, 12000));
    case 1: return String(r.int(-5, 5));
    case 2: return r.pick(['01', '-0', '9223372036854775807', '9223372036854775808', '1.5', '']);
    case 3: return 'x'.repeat(r.int(40, 50));
    default: return 'v' + r.int(0, 999);
  }
}

function db(r: Rng): string {
  if (r.chance(0.92)) return String(r.int(0, 3));
  return r.pick(['16', '-1', 'x', '1.0', '2147483648', '99999999999', '']);
}

/** Fixed absolute times, far from any relative TTL the run sets (those are at most ~6 days out). */
const NOW = Date.now();
const DAY = 86400000;

function relSeconds(r: Rng): string {
  const p = r.next();
  if (p < 0.8) return r.pick(['100', '1000', '5000', '20000', '100000', '500000']);
  if (p < 0.9) return r.pick(['0', '-1', '-100']);
  return r.pick(['9223372036854775', '9223372036854776', '-9223372036854776', '9223372036854775807', 'x', '1.5', '']);
}

function relMillis(r: Rng): string {
  const p = r.next();
  if (p < 0.8) return r.pick(['100000', '1000000', '5000000', '20000000', '100000000', '500000000']);
  if (p < 0.9) return r.pick(['0', '-1', '-5000']);
  return r.pick(['9223372036854775807', '9223372036854775000', '-9223372036854775808', 'x', '']);
}

function absMillis(r: Rng): number {
  const p = r.next();
  if (p < 0.85) return NOW + r.int(10, 1000) * DAY;
  if (p < 0.95) return NOW - r.int(1, 1000) * DAY;
  return r.pick([0, -1, 1]);
}

function absSeconds(r: Rng): string {
  const p = r.next();
  if (p < 0.95) return String(Math.floor(absMillis(r) / 1000));
  return r.pick(['9223372036854775', '9223372036854776', 'x', '-9223372036854775']);
}

function absMs(r: Rng): string {
  return r.chance(0.95) ? String(absMillis(r)) : r.pick(['9223372036854775807', '-9223372036854775808', 'x']);
}

function expireOptions(r: Rng, allowOrder: boolean): string[] {
  const p = r.next();
  if (p < 0.5) return [];
  const pool = allowOrder ? ['NX', 'XX', 'GT', 'LT', 'nx', 'gt'] : ['NX', 'XX', 'xx'];
  if (p < 0.9) return [r.pick(pool)];
  if (p < 0.97) return [r.pick(pool), r.pick(pool)];
  return [r.pick(['foo', 'EX', '', 'N'])];
}

/** nil or a key name: RANDOMKEY's pick is random, only whether there is one must agree. */
const someKey: Normalize = (rep) => (rep.t === 'bulk' ? (rep.v === null ? 'nil' : 'some key') : showReply(rep));

/** A HELP reply: an array of status lines (the text is ours). */
export const helpShape: Normalize = (rep) =>
  rep.t === 'array' && rep.v ? rep.v.map((x) => x.t) : showReply(rep);

const SCAN_PATTERNS = ['*', 'k:*', 'k:[0-3]', 'k:?', '*1*', 'x*', 'k:[^2]', '\\k*', '[k'];

export function genKeys(r: Rng): Step {
  const p = r.int(0, 99);
  if (p < 22) return { argv: ['SET', key(r), value(r)] };
  if (p < 26) return { argv: [r.pick(['DEL', 'UNLINK', 'del']), ...keys(r, 3)] };
  if (p < 30) return { argv: ['EXISTS', ...keys(r, 4)] };
  if (p < 32) return { argv: ['TYPE', key(r)] };
  if (p < 36) return { argv: ['EXPIRE', key(r), relSeconds(r), ...expireOptions(r, false)] };
  if (p < 39) return { argv: ['PEXPIRE', key(r), relMillis(r), ...expireOptions(r, false)] };
  if (p < 42) return { argv: ['EXPIREAT', key(r), absSeconds(r), ...expireOptions(r, true)] };
  if (p < 45) return { argv: ['PEXPIREAT', key(r), absMs(r), ...expireOptions(r, true)] };
  if (p < 48) return { argv: ['TTL', key(r)], normalize: approxInt(1) };
  if (p < 50) return { argv: ['PTTL', key(r)], normalize: approxInt(1500) };
  if (p < 51) return { argv: ['EXPIRETIME', key(r)], normalize: approxInt(2) };
  if (p < 52) return { argv: ['PEXPIRETIME', key(r)], normalize: approxInt(1500) };
  if (p < 55) return { argv: ['PERSIST', key(r)] };
  if (p < 59) return { argv: [r.pick(['RENAME', 'RENAMENX']), key(r), key(r)] };
  if (p < 63) {
    const argv = ['COPY', key(r), key(r)];
    if (r.chance(0.5)) argv.push('DB', db(r));
    if (r.chance(0.4)) argv.push(r.pick(['REPLACE', 'replace']));
    if (r.chance(0.05)) argv.push(r.pick(['DB', 'foo', 'REPLACE']));
    return { argv };
  }
  if (p < 67) return { argv: ['MOVE', key(r), db(r)] };
  if (p < 69) return { argv: ['KEYS', r.pick(SCAN_PATTERNS)], normalize: unordered };
  if (p < 72) {
    // Each db holds at most 8 keys: a COUNT of 9 or more returns them all in one call on both servers.
    const argv = ['SCAN', '0'];
    if (r.chance(0.5)) argv.push('COUNT', String(r.pick([9, 10, 100, 1000])));
    if (r.chance(0.5)) argv.push('MATCH', r.pick(SCAN_PATTERNS));
    if (r.chance(0.3)) argv.push('TYPE', r.pick(['string', 'STRING', 'list', 'none', 'foo']));
    return { argv, normalize: scanPage };
  }
  if (p < 73) {
    return {
      argv: r.pick([['SCAN', 'x'], ['SCAN', '0', 'COUNT', '0'], ['SCAN', '0', 'COUNT', 'x'], ['SCAN', '0', 'MATCH'],
        ['SCAN', '0', 'foo', 'bar'], ['SCAN', ' 1'], ['SCAN', '18446744073709551616'], ['SCAN']]),
    };
  }
  if (p < 75) return { argv: ['RANDOMKEY'], normalize: someKey };
  if (p < 77) return { argv: ['TOUCH', ...keys(r, 3)] };
  if (p < 82) {
    const sub = r.pick(['ENCODING', 'REFCOUNT', 'encoding', 'refcount', 'FREQ', 'IDLETIME', 'HELP', 'foo']);
    if (sub === 'HELP') return { argv: ['OBJECT', 'HELP'], normalize: helpShape };
    if (sub === 'IDLETIME') {
      // Redis's small integers share one object, and so one access time: compare the reply type only.
      return { argv: ['OBJECT', sub, key(r)], normalize: (rep) => (rep.t === 'int' ? 'int' : showReply(rep)) };
    }
    return { argv: r.chance(0.95) ? ['OBJECT', sub, key(r)] : ['OBJECT', sub] };
  }
  if (p < 85) return { argv: ['DBSIZE'] };
  if (p < 91) return { argv: ['SELECT', db(r)] };
  if (p < 94) return { argv: ['SWAPDB', db(r), db(r)] };
  if (p < 95) {
    return r.chance(0.8) ? { argv: ['FLUSHDB', ...(r.chance(0.5) ? [r.pick(['ASYNC', 'SYNC', 'sync', 'foo'])] : [])] }
      : { argv: ['FLUSHALL', ...(r.chance(0.5) ? [r.pick(['ASYNC', 'SYNC'])] : [])] };
  }
  // wrong arity and odd calls
  return {
    argv: r.pick([['DEL'], ['EXISTS'], ['TYPE'], ['TYPE', 'a', 'b'], ['EXPIRE', 'k:0'], ['TTL'], ['RENAME', 'k:0'],
      ['COPY', 'k:0'], ['MOVE', 'k:0'], ['KEYS'], ['RANDOMKEY', 'x'], ['OBJECT'], ['DBSIZE', 'x'], ['SELECT'],
      ['SWAPDB', '0'], ['FLUSHDB', 'ASYNC', 'x'], ['PERSIST'], ['TOUCH']]),
  };
}
/** Glob cases: [pattern, subject, whether Redis matches] (checked against redis-server by keys.test.ts). */
export const GLOB_CASES: [string, string, boolean][] = [
  // literals
  ['abc', 'abc', true], ['abc', 'ab', false], ['abc', 'abcd', false], ['', '', true], ['', 'a', false],
  ['a', '', false],
  // '*'
  ['*', 'anything', true], ['*', '', false], ['**', '', false], ['a*', 'a', true], ['a*', 'abc', true],
  ['a*', 'ba', false], ['*c', 'abc', true], ['*c', 'c', true], ['*c', 'cb', false], ['*b*', 'abc', true],
  ['*b*', 'b', true], ['*b*', 'ac', false], ['a*c', 'ac', true], ['a*c', 'abbbc', true], ['a*c', 'abcd', false],
  ['a**c', 'abc', true], ['*a*b*c*', 'xxaxxbxxcxx', true], ['*a*b*c*', 'cba', false], ['a*', '', false],
  ['*a', 'aaaa', true], ['h*llo*', 'hello world', true],
  // '?'
  ['?', 'a', true], ['?', '', false], ['?', 'ab', false], ['a?c', 'abc', true], ['a?c', 'ac', false],
  ['??*', 'ab', true], ['??*', 'a', false],
  // sets
  ['[abc]', 'b', true], ['[abc]', 'd', false], ['[^abc]', 'd', true], ['[^abc]', 'a', false],
  ['[a-c]', 'b', true], ['[a-c]', 'd', false], ['[c-a]', 'b', true], ['[c-a]', 'd', false],
  ['[^a-c]x', 'dx', true], ['[^a-c]x', 'bx', false], ['h[ae]llo', 'hallo', true], ['h[ae]llo', 'hillo', false],
  ['[a-]', '-', false], ['[a-]', 'a', true], ['[-a]', '-', true], ['[]]', ']', false], ['[]', 'a', false],
  ['[\\]]', ']', true], ['[\\-]', '-', true], ['[a\\-z]', 'b', false], ['[a\\-z]', '-', true],
  ['[!a]', '!', true], ['[!a]', 'b', false],
  // unterminated sets: the rest of the pattern is the set
  ['[a', 'a', true], ['[ab', 'b', true], ['[ab', 'c', false], ['[', 'a', false], ['[^', 'z', true],
  ['[^', '', false], ['a[', 'a', false], ['a[b', 'ab', true], ['[a-', '-', true], ['[a-', 'b', false],
  // escapes
  ['\\*', '*', true], ['\\*', 'a', false], ['\\?', '?', true], ['\\[a]', '[a]', true], ['a\\', 'a\\', true],
  ['a\\', 'a', false], ['\\', '\\', true], ['\\\\', '\\', true], ['\\a', 'a', true], ['a\\*', 'a*', true],
  ['a\\*', 'ab', false],
  // bytes above 0x7f compare as signed chars in ranges
  ['[a-\xff]', 'b', false], ['[a-\xff]', '0', true], ['[a-\xff]', '\xff', true], ['[a-\xff]', '\x80', false],
  ['[\x80-\xff]', '\x90', true], ['[\x80-\xff]', 'a', false], ['\xe9*', '\xe9t\xe9', true],
  // NUL bytes are ordinary characters
  ['a\0*', 'a\0b', true], ['a?b', 'a\0b', true], ['*\0', 'x\0', true],
];

