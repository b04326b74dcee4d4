import type { Rng, Step } from '../../support/harness';

/**
 * Random HyperLogLog commands over a small key space ("p:" prefix): PFADD in small and large
 * batches, PFCOUNT of one or several keys, PFMERGE, PFDEBUG, and now and then a value damaged in
 * place (SETRANGE, APPEND), replaced by a crafted or foreign string, or a change of
 * hll-sparse-max-bytes, so that sparse, dense and corrupt HLLs meet in every command.
 */

const KEYS = ['p:0', 'p:1', 'p:2', 'p:3', 'p:4', 'p:5'];

function key(r: Rng): string {
  return r.chance(0.05) ? 'p:missing' : r.pick(KEYS);
}

/** Elements from a pool big enough to cross the sparse/dense boundary, small enough to repeat. */
function element(r: Rng): string {
  if (r.chance(0.1)) {
    let s = '';
    for (let i = r.int(0, 20); i > 0; i--) s += String.fromCharCode(r.int(0, 255));
    return s;
  }
  return 'e' + r.int(0, 30000);
}

const HEADER_SPARSE = 'HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80';

/** A value for SET: a crafted sparse HLL (valid or not), a short or foreign string. */
function craftedValue(r: Rng): string {
  switch (r.int(0, 4)) {
    case 0: return HEADER_SPARSE + '\x7f\xff';
    case 1: {
      // Random opcodes: often not adding up to 16384 registers.
      let s = HEADER_SPARSE;
      for (let i = r.int(0, 12); i > 0; i--) s += String.fromCharCode(r.int(0, 255));
      return s + (r.chance(0.5) ? '\x7f\xff' : '');
    }
    case 2: return HEADER_SPARSE + '\x40\x63' + String.fromCharCode(0x80 | (r.int(0, 31) << 2) | r.int(0, 3)) + '\x7f\x9a';
    case 3: return 'HYLL';
    default: return 'not an hll ' + r.int(0, 9);
  }
}

export function genHll(r: Rng): Step {
  const p = r.next();
  if (p < 0.4) {
    const argv = ['PFADD', key(r)];
    const n = r.chance(0.1) ? r.int(100, 1500) : r.int(0, 8);
    for (let i = 0; i < n; i++) argv.push(element(r));
    return { argv };
  }
  if (p < 0.6) {
    const argv = ['PFCOUNT', key(r)];
    if (r.chance(0.4)) for (let i = r.int(1, 3); i > 0; i--) argv.push(key(r));
    return { argv };
  }
  if (p < 0.7) {
    const argv = ['PFMERGE', key(r)];
    for (let i = r.int(0, 3); i > 0; i--) argv.push(key(r));
    return { argv };
  }
  if (p < 0.8) {
    const sub = r.pick(['ENCODING', 'DECODE', 'TODENSE', 'encoding', 'decode']);
    return { argv: ['PFDEBUG', r.chance(0.02) ? 'GETREG' : sub, key(r)] };
  }
  if (p < 0.86) return { argv: ['GET', key(r)] };
  if (p < 0.88) return { argv: ['STRLEN', key(r)] };
  if (p < 0.9) {
    // Damage in place: the header, the first opcodes, or somewhere in a dense body.
    const offset = r.chance(0.7) ? r.int(0, 24) : r.int(16, 12303);
    let bytes = '';
    for (let i = r.int(1, 3); i > 0; i--) bytes += String.fromCharCode(r.int(0, 255));
    return { argv: ['SETRANGE', key(r), String(offset), bytes] };
  }
  if (p < 0.91) return { argv: ['APPEND', key(r), String.fromCharCode(r.int(0, 255))] };
  if (p < 0.94) return { argv: ['SET', key(r), craftedValue(r)] };
  if (p < 0.96) return { argv: ['DEL', key(r)] };
  if (p < 0.97) return { argv: ['LPUSH', key(r), 'x'] };
  if (p < 0.98) return { argv: ['CONFIG', 'SET', 'hll-sparse-max-bytes', r.pick(['0', '40', '300', '3000', '8000'])] };
  return { argv: ['PFADD', key(r)] };
}
