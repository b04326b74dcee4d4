import type { Rng, Step } from '../../support/harness';

/**
 * Random list commands over a small key space ("l:" prefix), valid and invalid calls mixed, so
 * that pushes, pops, moves, inserts, removals and trims act on each other's results. A string
 * key is among them for WRONGTYPE. Elements come from a small set so that LREM, LPOS and
 * LINSERT find their targets, with binary, empty, integer-looking and longer values.
 */

const KEYS = Array.from({ length: 6 }, (_, i) => 'l:' + i);
const STR_KEY = 'l:str';

function key(r: Rng): string {
  const p = r.next();
  if (p < 0.93) return r.pick(KEYS);
  if (p < 0.97) return STR_KEY;
  return r.pick(['l:none', '', 'l:\x00\xff']);
}

const ELEMENTS = [
  'a', 'b', 'c', 'a', 'b', '', 'x\x00y', '\xff\xfe', '0', '1', '-1', '127', '128', '-4096', '4095', '65536',
  '9223372036854775807', '-9223372036854775808', '01', '1.5', 'foo bar', 'A',
];

function element(r: Rng): string {
  const p = r.next();
  if (p < 0.85) return r.pick(ELEMENTS);
  if (p < 0.95) return String(r.int(-300, 300));
  return r.pick(['z', 'y']).repeat(r.int(50, 300));
}

function elements(r: Rng, max: number): string[] {
  const out: string[] = [];
  for (let i = r.int(1, max); i > 0; i--) out.push(element(r));
  return out;
}

/** An index: mostly small around the list sizes, sometimes at the 64-bit limits or invalid. */
function index(r: Rng): string {
  const p = r.next();
  if (p < 0.8) return String(r.int(-15, 15));
  if (p < 0.9) return String(r.int(-1000, 1000));
  return r.pick(['9223372036854775807', '-9223372036854775808', '9223372036854775808', 'x', '', '1.0', '01', ' 1']);
}

/** A count: small, sometimes zero, negative, huge or invalid. */
function count(r: Rng): string {
  const p = r.next();
  if (p < 0.75) return String(r.int(0, 8));
  if (p < 0.85) return String(r.int(-5, 50));
  return r.pick(['9223372036854775807', '-9223372036854775808', '9223372036854775808', 'x', '', '-0', '+1']);
}

function side(r: Rng): string {
  return r.chance(0.95) ? r.pick(['LEFT', 'RIGHT', 'left', 'Right']) : r.pick(['MIDDLE', '', 'lef']);
}

function lpos(r: Rng): string[] {
  const argv = ['LPOS', key(r), element(r)];
  for (let i = r.int(0, 3); i > 0; i--) {
    const p = r.next();
    if (p < 0.33) argv.push(r.pick(['RANK', 'rank']), r.chance(0.9) ? String(r.int(-4, 4)) : index(r));
    else if (p < 0.66) argv.push('COUNT', count(r));
    else if (p < 0.95) argv.push('MAXLEN', count(r));
    else argv.push(r.pick(['RANK', 'COUNT', 'MAXLEN', 'NOSUCH']));
  }
  return argv;
}

function lmpop(r: Rng): string[] {
  const n = r.int(1, 3);
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(key(r));
  const p = r.next();
  const numkeys = p < 0.9 ? String(n) : r.pick(['0', '-1', 'x', String(n + 1), String(n + 5), '9223372036854775808']);
  const argv = ['LMPOP', numkeys, ...keys, side(r)];
  if (r.chance(0.6)) argv.push(r.pick(['COUNT', 'count']), count(r));
  if (r.chance(0.05)) argv.push(r.pick(['COUNT', 'x']));
  return argv;
}

export function genLists(r: Rng): Step {
  const p = r.int(0, 100);
  let argv: string[];
  if (p < 14) argv = [r.pick(['LPUSH', 'RPUSH']), key(r), ...elements(r, 5)];
  else if (p < 18) argv = [r.pick(['LPUSHX', 'RPUSHX']), key(r), ...elements(r, 3)];
  else if (p < 26) argv = r.chance(0.4) ? [r.pick(['LPOP', 'RPOP']), key(r)] : [r.pick(['LPOP', 'RPOP']), key(r), count(r)];
  else if (p < 29) argv = ['LLEN', key(r)];
  else if (p < 38) argv = ['LRANGE', key(r), index(r), index(r)];
  else if (p < 43) argv = ['LINDEX', key(r), index(r)];
  else if (p < 48) argv = ['LSET', key(r), index(r), element(r)];
  else if (p < 54) argv = ['LINSERT', key(r), r.pick(['BEFORE', 'AFTER', 'before', 'after', 'middle']), element(r), element(r)];
  else if (p < 60) argv = ['LREM', key(r), r.chance(0.9) ? String(r.int(-3, 3)) : index(r), element(r)];
  else if (p < 65) argv = ['LTRIM', key(r), index(r), index(r)];
  else if (p < 73) argv = lpos(r);
  else if (p < 80) argv = ['LMOVE', key(r), key(r), side(r), side(r)];
  else if (p < 83) argv = ['RPOPLPUSH', key(r), key(r)];
  else if (p < 90) argv = lmpop(r);
  else if (p < 92) argv = ['SET', STR_KEY, 'v'];
  else if (p < 94) argv = ['DEL', key(r)];
  else if (p < 95) argv = ['TYPE', key(r)];
  else if (p < 96) argv = r.chance(0.5) ? ['DEBUG', 'DIGEST-VALUE', key(r)] : ['OBJECT', 'ENCODING', key(r)];
  else if (p < 98) argv = ['EXISTS', key(r)];
  else {
    // arity errors
    argv = r.pick([['LPOP', key(r), '1', '2'], ['LPUSH', key(r)], ['LRANGE', key(r), '0'], ['LMPOP', '1'],
      ['LINSERT', key(r), 'BEFORE', 'a'], ['LPOS', key(r)], ['RPOPLPUSH', key(r)]]);
  }
  return { argv };
}
