import type { Normalize, Rng, Step } from '../../support/harness';
import { showReply, type Reply } from '../../support/resp-reader';

/**
 * Random hash commands over a small key space ("h:" prefix), valid and invalid calls mixed.
 *
 * Keys h:0..h:7 only ever get short fields and values (and few of them), so they stay listpacks
 * under the default limits: their HGETALL/HKEYS/HVALS/HSCAN replies are compared byte for byte,
 * insertion order included. Keys h:big0..h:big2 also get values longer than
 * hash-max-listpack-value, so they may become hash tables, whose order Redis leaves to its dict:
 * replies there are compared as multisets (HSCAN with a COUNT large enough for one page).
 * HRANDFIELD replies are compared by their shape (length, distinctness), picks being random.
 * h:str is a string (WRONGTYPE).
 */

const SMALL = Array.from({ length: 8 }, (_, i) => 'h:' + i);
const BIG = ['h:big0', 'h:big1', 'h:big2'];

const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const FIELDS = ['a', 'b', 'c', 'd', 'e', 'f', 'n', 'x', '', '1', '2', '-1', '100', 'field', utf8('ü'), '\x00', 'a\x00b', '\xff\xfe', 'abc', 'abd', 'b1'];
const NUMERIC = [
  '0', '1', '-1', '42', '127', '128', '-4096', '4095', '32767', '-32769', '8388608', '2147483648',
  '9223372036854775807', '-9223372036854775808', '9223372036854775806', '9223372036854775808',
  '-0', '01', '+1', ' 1', '1.5', '-2.25', '1e5', '0.1', '3.0', 'inf', 'nan', '.5', '5.',
];

function isBig(key: string): boolean {
  return key.startsWith('h:big');
}

function key(r: Rng): string {
  const p = r.next();
  if (p < 0.7) return r.pick(SMALL);
  if (p < 0.93) return r.pick(BIG);
  if (p < 0.97) return 'h:str';
  return r.pick(['h:none', '']);
}

function field(r: Rng): string {
  return r.chance(0.9) ? r.pick(FIELDS) : 'f' + r.int(0, 30);
}

function value(r: Rng, big: boolean): string {
  const p = r.next();
  if (big && p < 0.1) return r.pick(['v', 'w', 'z']).repeat(r.int(60, 80));
  if (p < 0.35) return String(r.int(-1000, 1000));
  if (p < 0.55) return r.pick(NUMERIC);
  if (p < 0.75) return r.pick(['hello', 'world', '', utf8('日本'), 'x y', '\r\n', 'v1']);
  if (p < 0.85) {
    let s = '';
    for (let i = r.int(1, 10); i > 0; i--) s += String.fromCharCode(r.int(0, 255));
    return s;
  }
  return String(r.int(-1e9, 1e9)) + r.pick(['', '.5', 'e3', '0']);
}

function intArg(r: Rng): string {
  const p = r.next();
  if (p < 0.7) return String(r.int(-100, 100));
  if (p < 0.85) return r.pick(['9223372036854775807', '-9223372036854775808', '4611686018427387904', '1000000000000']);
  return r.pick(['9223372036854775808', 'x', '', '1.5', '-0', '01', '+1', ' 1']);
}

/** A HINCRBYFLOAT increment; huge ones only for the big keys (their results are long strings). */
function floatArg(r: Rng, big: boolean): string {
  const p = r.next();
  if (big && p < 0.05) return r.pick(['1.5e300', '1e4000', '-1e4000']);
  if (p < 0.4) return String(r.int(-100, 100));
  if (p < 0.7) return (r.int(-100000, 100000) / r.pick([10, 100, 7, 3])).toString();
  if (p < 0.85) return r.pick(['0.1', '-0.3', '1e-10', '1e20', '0x10', '.5', '5.', '-0', '+2']);
  return r.pick(['inf', '-inf', 'nan', '', ' 1', 'x', '1e99999', '1e-99999']);
}

/** Compare as multisets (arrays), or as sets of pairs (maps / flat field-value arrays). */
const unordered: Normalize = (r) => (r.t === 'array' && r.v ? r.v.map(showReply).sort() : showReply(r));
const unorderedPairs: Normalize = (r) => {
  if (r.t !== 'array' || !r.v) return showReply(r);
  const out: string[] = [];
  for (let i = 0; i + 1 < r.v.length; i += 2) out.push(showReply(r.v[i]) + '=' + showReply(r.v[i + 1]));
  return out.sort();
};
/** HSCAN: whether done, and the pairs as a set. */
const scanPairs: Normalize = (r) => {
  if (r.t !== 'array' || !r.v || r.v.length !== 2) return showReply(r);
  const cursor = r.v[0].t === 'bulk' ? r.v[0].v : '?';
  return { done: cursor === '0', items: unorderedPairs(r.v[1]) };
};

/** HRANDFIELD with a count: the reply's length and, for a positive count, whether fields are distinct. */
function randShape(withvalues: boolean, positive: boolean): Normalize {
  return (r: Reply) => {
    if (r.t === 'bulk') return r.v === null ? 'nil' : 'bulk'; // the count dropped (arity mutation): one pick
    if (r.t !== 'array' || !r.v) return showReply(r);
    const fields = withvalues ? r.v.filter((_, i) => i % 2 === 0) : r.v;
    const names = fields.map(showReply);
    return { len: r.v.length, distinct: positive ? new Set(names).size === names.length : null };
  };
}
const randOne: Normalize = (r) => r.t;

export function genHashes(r: Rng): Step {
  return mutate(r, command(r, false));
}

/**
 * The same mix for a run under tiny limits (hash-max-listpack-entries 6, -value 16, set by the
 * test): any key may convert, so every order-dependent reply is compared as a multiset.
 */
export function genHashesTinyLimits(r: Rng): Step {
  return mutate(r, command(r, true));
}

function mutate(r: Rng, step: Step): Step {
  if (r.chance(0.015) && step.argv.length > 1) step.argv.pop();
  else if (r.chance(0.01)) step.argv.push('extra');
  return step;
}

function pairs(r: Rng, big: boolean): string[] {
  const out: string[] = [];
  for (let i = r.int(1, 4); i > 0; i--) out.push(field(r), value(r, big));
  if (r.chance(0.04)) out.pop();
  return out;
}

function command(r: Rng, allBig: boolean): Step {
  const k = key(r);
  const big = allBig || isBig(k);
  switch (r.int(0, 25)) {
    case 0: case 1: case 2: return { argv: ['HSET', k, ...pairs(r, big)] };
    case 3: return { argv: ['HMSET', k, ...pairs(r, big)] };
    case 4: return { argv: ['HSETNX', k, field(r), value(r, big)] };
    case 5: case 6: return { argv: ['HGET', k, field(r)] };
    case 7: return { argv: ['HMGET', k, field(r), field(r), field(r)] };
    case 8: return { argv: ['HGETALL', k], normalize: big ? unorderedPairs : undefined };
    case 9: return { argv: ['HKEYS', k], normalize: big ? unordered : undefined };
    case 10: return { argv: ['HVALS', k], normalize: big ? unordered : undefined };
    case 11: case 12: {
      const fs: string[] = [];
      for (let i = r.int(1, 3); i > 0; i--) fs.push(field(r));
      return { argv: ['HDEL', k, ...fs] };
    }
    case 13: return { argv: ['HEXISTS', k, field(r)] };
    case 14: return { argv: ['HLEN', k] };
    case 15: return { argv: ['HSTRLEN', k, field(r)] };
    case 16: case 17: return { argv: ['HINCRBY', k, field(r), intArg(r)] };
    case 18: case 19: return { argv: ['HINCRBYFLOAT', k, field(r), floatArg(r, big)] };
    case 20: {
      const p = r.next();
      if (p < 0.2) return { argv: ['HRANDFIELD', k], normalize: randOne };
      const n = p < 0.9 ? r.int(-12, 12) : null;
      const count = n === null ? r.pick(['x', '', '-9223372036854775808', '4611686018427387904', '1.5']) : String(n);
      const wv = r.chance(0.4);
      const argv = ['HRANDFIELD', k, count];
      if (wv) argv.push(r.chance(0.9) ? r.pick(['WITHVALUES', 'withvalues']) : 'WITHSCORES');
      return { argv, normalize: randShape(wv, n === null || n > 0) };
    }
    case 21: {
      const argv = ['HSCAN', k, r.chance(0.93) ? '0' : r.pick(['x', ' 0', '1.5', '-'])];
      if (r.chance(0.5)) argv.push('MATCH', r.pick(['*', 'a*', '?', '*b*', '[a-c]', 'f1*', '\\*', '']));
      argv.push('COUNT', r.chance(0.9) ? '1000' : r.pick(['0', '-1', 'x']));
      if (r.chance(0.03)) argv.push('FOO');
      return { argv, normalize: big ? scanPairs : undefined };
    }
    case 22: return { argv: ['SET', 'h:str', value(r, false)] };
    case 23: return { argv: ['DEL', k] };
    case 24: return { argv: ['OBJECT', 'ENCODING', k] };
    default: return { argv: [r.pick(['GET', 'STRLEN', 'TYPE']), k] };
  }
}
