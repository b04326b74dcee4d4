import type { Rng, Step } from '../../support/harness';

/**
 * Random bitmap commands over a small key space ("b:" prefix), valid and invalid mixed, so that
 * SETBIT, BITFIELD, BITOP and the readers act on each other's results.
 */

const KEYS = ['b:0', 'b:1', 'b:2', 'b:3', 'b:4', 'b:5'];

function key(r: Rng): string {
  return r.pick(KEYS);
}

/** A value for SET: binary bytes, runs of 0x00/0xff, digits, or empty. */
function value(r: Rng): string {
  switch (r.int(0, 5)) {
    case 0: return '';
    case 1: return String(r.int(-100000, 100000));
    case 2: return r.pick(['\x00', '\xff']).repeat(r.int(1, 40));
    case 3: {
      let s = '';
      for (let i = r.int(1, 12); i > 0; i--) s += r.pick(['\x00', '\xff', '\x0f', '\xf0', '\x80', '\x01', '\xaa']);
      return s;
    }
    default: {
      let s = '';
      for (let i = r.int(1, 30); i > 0; i--) s += String.fromCharCode(r.int(0, 255));
      return s;
    }
  }
}

/**
 * A bit offset: mostly small, sometimes up to 2^20, rarely up to 2^23 (1MB), else negative,
 * malformed or past the 512MB limit. Readers may also get offsets near 2^32 (they allocate nothing).
 */
function offset(r: Rng, write: boolean): string {
  const p = r.next();
  if (p < 0.7) return String(r.int(0, 400));
  if (p < 0.9) return String(r.int(0, 1 << 20));
  if (p < 0.91) return String(r.int(0, 1 << 23));
  if (!write && p < 0.93) return String(4294967295 - r.int(0, 100));
  return r.pick(['-1', 'x', '', '1.5', '01', '4294967296', '9223372036854775808', '#1', ' 3', '-0']);
}

/** A start/end range index. */
function index(r: Rng): string {
  const p = r.next();
  if (p < 0.6) return String(r.int(-50, 50));
  if (p < 0.85) return String(r.int(-400, 400));
  return r.pick(['0', '-1', '9223372036854775807', '-9223372036854775808', '99999999999999999999', 'x', '1.0', '']);
}

function unit(r: Rng): string {
  return r.chance(0.93) ? r.pick(['BIT', 'BYTE', 'bit', 'byte', 'Bit']) : r.pick(['bits', '', 'x', 'BIT\x00x', 'byte\x00']);
}

const SIGNED = Array.from({ length: 64 }, (_, i) => 'i' + (i + 1));
const UNSIGNED = Array.from({ length: 63 }, (_, i) => 'u' + (i + 1));

function bfType(r: Rng): string {
  const p = r.next();
  if (p < 0.45) return r.pick(['u1', 'u4', 'u8', 'i8', 'u16', 'i16', 'i32', 'u32', 'i5', 'u3', 'i64', 'u63']);
  if (p < 0.97) return r.pick(r.chance(0.5) ? SIGNED : UNSIGNED);
  return r.pick(['u64', 'i65', 'u0', 'I8', 'x', '', 'i']);
}

function bfOffset(r: Rng, write: boolean): string {
  const p = r.next();
  if (p < 0.7) return String(r.int(0, 200));
  if (p < 0.85) return '#' + r.int(0, 20);
  if (p < 0.95) return String(r.int(0, 1 << 16));
  if (!write && p < 0.97) return r.pick(['4294967295', '4294967233', '#67108863']);
  return r.pick(['-1', '#-1', 'x', '#', '4294967296', '#9223372036854775807', '#4611686018427387905']);
}

/** A SET/INCRBY argument: small, near a power of two, extreme, or malformed. */
function bfValue(r: Rng): string {
  const p = r.next();
  if (p < 0.45) return String(r.int(-300, 300));
  if (p < 0.8) {
    const b = BigInt(r.int(0, 63));
    const v = (1n << b) + BigInt(r.int(-2, 1));
    return (r.chance(0.5) ? -v : v).toString();
  }
  if (p < 0.97) return r.pick(['9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807', '0']);
  return r.pick(['x', '1.5', '', '9223372036854775808', '+1']);
}

function bitfieldOps(r: Rng, readonly: boolean): string[] {
  const out: string[] = [];
  for (let n = r.int(0, 4); n > 0; n--) {
    const p = r.next();
    if (p < 0.15) out.push('OVERFLOW', r.chance(0.95) ? r.pick(['WRAP', 'SAT', 'FAIL', 'wrap', 'sat', 'fail']) : 'bad');
    else if (p < (readonly ? 0.9 : 0.45)) out.push(r.pick(['GET', 'get']), bfType(r), bfOffset(r, false));
    else if (p < (readonly ? 0.95 : 0.7)) out.push(r.pick(['SET', 'set']), bfType(r), bfOffset(r, true), bfValue(r));
    else out.push(r.pick(['INCRBY', 'incrby']), bfType(r), bfOffset(r, true), bfValue(r));
  }
  // Now and then a truncated or unknown operation.
  if (r.chance(0.03)) out.push(r.pick(['GET', 'SET', 'INCRBY', 'OVERFLOW', 'FOO']));
  return out;
}

export function genBitmaps(r: Rng): Step {
  const p = r.next();
  if (p < 0.08) return { argv: ['SET', key(r), value(r)] };
  if (p < 0.12) return { argv: ['GET', key(r)] };
  if (p < 0.3) {
    const bit = r.chance(0.97) ? r.pick(['0', '1']) : r.pick(['2', '-1', 'x', '']);
    const argv = ['SETBIT', key(r), offset(r, true), bit];
    if (r.chance(0.01)) argv.pop();
    return { argv };
  }
  if (p < 0.4) return { argv: ['GETBIT', key(r), offset(r, false)] };
  if (p < 0.52) {
    const argv = ['BITCOUNT', key(r)];
    const form = r.int(0, 9);
    if (form >= 2) argv.push(index(r), index(r));
    if (form >= 5) argv.push(unit(r));
    if (form === 1) argv.push(index(r));
    if (form === 9 && r.chance(0.3)) argv.push('x');
    return { argv };
  }
  if (p < 0.66) {
    const bit = r.chance(0.97) ? r.pick(['0', '1']) : r.pick(['2', 'x', '-1']);
    const argv = ['BITPOS', key(r), bit];
    const form = r.int(0, 9);
    if (form >= 2) argv.push(index(r));
    if (form >= 4) argv.push(index(r));
    if (form >= 6) argv.push(unit(r));
    if (form === 9 && r.chance(0.3)) argv.push('x');
    return { argv };
  }
  if (p < 0.76) {
    const op = r.chance(0.96) ? r.pick(['AND', 'OR', 'XOR', 'NOT', 'and', 'or', 'xor', 'not']) : r.pick(['NAND', 'x', '']);
    const n = op.toLowerCase() === 'not' && r.chance(0.9) ? 1 : r.int(1, 4);
    const argv = ['BITOP', op, key(r)];
    for (let i = 0; i < n; i++) argv.push(r.chance(0.1) ? 'b:missing' : key(r));
    return { argv };
  }
  if (p < 0.95) return { argv: ['BITFIELD', key(r), ...bitfieldOps(r, false)] };
  return { argv: ['BITFIELD_RO', key(r), ...bitfieldOps(r, true)] };
}
