import { ByteBuf } from '../util/bytes';

/**
 * Bit-level helpers for bitmap commands. A string value is either a binary string (read as is,
 * never converted by read-only commands so its encoding stays what it was) or a ByteBuf (values
 * edited in place). Bit 0 is the most significant bit of byte 0, as in Redis.
 */

/** A string value as bytes: a binary string or a ByteBuf. */
export type StrVal = string | ByteBuf;

/** Set bits in each byte value 0..255. */
export const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >> 1];
  return t;
})();

export function valLength(v: StrVal): number {
  return typeof v === 'string' ? v.length : v.len;
}

/** The byte at i, or 0 past the end (bitmaps are zero-padded on the right). */
export function byteAt(v: StrVal, i: number): number {
  if (typeof v === 'string') return i < v.length ? v.charCodeAt(i) : 0;
  return i < v.len ? v.buf[i] : 0;
}

/** The value's bytes for bulk reading: a ByteBuf's own storage, or a copy of a binary string. */
export function valBytes(v: StrVal): Uint8Array {
  if (typeof v !== 'string') return v.buf.subarray(0, v.len);
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i);
  return out;
}

/** Number of set bits in bytes [start, end) of v (both inside the value). */
export function popcountBytes(v: StrVal, start: number, end: number): number {
  let n = 0;
  if (typeof v === 'string') {
    for (let i = start; i < end; i++) n += POPCOUNT[v.charCodeAt(i)];
    return n;
  }
  const b = v.buf;
  let i = start;
  // Four bytes per step with independent lookups; the table keeps it branch-free.
  for (const stop = end - 3; i < stop; i += 4) {
    n += POPCOUNT[b[i]] + POPCOUNT[b[i + 1]] + POPCOUNT[b[i + 2]] + POPCOUNT[b[i + 3]];
  }
  for (; i < end; i++) n += POPCOUNT[b[i]];
  return n;
}

/** Number of set bits at bit positions [from, to] (inclusive, both inside the value). */
export function popcountBits(v: StrVal, from: number, to: number): number {
  const fb = Math.floor(from / 8);
  const tb = Math.floor(to / 8);
  // Keep the bits of the edge bytes that fall inside the range.
  const headMask = 0xff >> (from % 8);
  const tailMask = (0xff << (7 - (to % 8))) & 0xff;
  if (fb === tb) return POPCOUNT[byteAt(v, fb) & headMask & tailMask];
  return POPCOUNT[byteAt(v, fb) & headMask] + popcountBytes(v, fb + 1, tb) + POPCOUNT[byteAt(v, tb) & tailMask];
}

/**
 * The position of the first bit equal to `bit` at positions [from, to] (inclusive, inside the
 * value), or -1 when there is none.
 */
export function findBit(v: StrVal, from: number, to: number, bit: 0 | 1): number {
  const fb = Math.floor(from / 8);
  const tb = Math.floor(to / 8);
  const skip = bit ? 0 : 0xff;
  for (let i = fb; i <= tb; i++) {
    // Whole bytes strictly inside the range: skip the uninteresting ones in a tight loop.
    if (i !== fb && i !== tb) i = skipBytes(v, i, tb, skip);
    let b = byteAt(v, i);
    if (!bit) b = ~b & 0xff;
    // Clear the bits outside the range at both edges, then take the leftmost remaining one.
    if (i === fb) b &= 0xff >> (from % 8);
    if (i === tb) b &= (0xff << (7 - (to % 8))) & 0xff;
    if (b !== 0) return i * 8 + Math.clz32(b) - 24;
  }
  return -1;
}

/** Scan a ByteBuf/string quickly for the first byte that is not `skip`, from byte i up to end (exclusive). */
export function skipBytes(v: StrVal, i: number, end: number, skip: number): number {
  if (typeof v === 'string') {
    while (i < end && v.charCodeAt(i) === skip) i++;
    return i;
  }
  const b = v.buf;
  while (i < end && b[i] === skip) i++;
  return i;
}

// ---- bitfields: unsigned integers of 1..64 bits at any bit offset, most significant bit first ----

const POW2: number[] = [];
for (let i = 0; i <= 53; i++) POW2.push(2 ** i);

/**
 * The unsigned integer of `bits` bits at bit `offset`, zero past the end of v.
 * A number when bits <= 32, a bigint otherwise.
 */
export function getField(v: StrVal, offset: number, bits: number): number | bigint {
  const byte = Math.floor(offset / 8);
  const shift = offset % 8;
  const nbytes = (shift + bits + 7) >> 3;
  const drop = nbytes * 8 - shift - bits;
  if (bits <= 32) {
    let acc = 0;
    for (let i = 0; i < nbytes; i++) acc = acc * 256 + byteAt(v, byte + i);
    return Math.floor(acc / POW2[drop]) % POW2[bits];
  }
  let acc = 0n;
  for (let i = 0; i < nbytes; i++) acc = (acc << 8n) | BigInt(byteAt(v, byte + i));
  return BigInt.asUintN(bits, acc >> BigInt(drop));
}

/** Store the unsigned integer `value` (< 2^bits) in `bits` bits at bit `offset` (inside buf). */
export function setField(buf: Uint8Array, offset: number, bits: number, value: number | bigint): void {
  let byte = Math.floor(offset / 8);
  let bit = offset % 8;
  let remaining = bits;
  if (typeof value === 'number') {
    while (remaining > 0) {
      const avail = 8 - bit;
      const take = avail < remaining ? avail : remaining;
      remaining -= take;
      const chunk = Math.floor(value / POW2[remaining]) % POW2[take];
      const pos = avail - take;
      const mask = ((1 << take) - 1) << pos;
      buf[byte] = (buf[byte] & ~mask) | (chunk << pos);
      byte++;
      bit = 0;
    }
    return;
  }
  while (remaining > 0) {
    const avail = 8 - bit;
    const take = avail < remaining ? avail : remaining;
    remaining -= take;
    const chunk = Number((value >> BigInt(remaining)) & BigInt((1 << take) - 1));
    const pos = avail - take;
    const mask = ((1 << take) - 1) << pos;
    buf[byte] = (buf[byte] & ~mask) | (chunk << pos);
    byte++;
    bit = 0;
  }
}

/** Reinterpret an unsigned field value as signed (two's complement of `bits` bits). */
export function toSigned(u: number | bigint, bits: number): number | bigint {
  if (typeof u === 'number') return u >= POW2[bits - 1] ? u - POW2[bits] : u;
  return BigInt.asIntN(bits, u);
}

export const OVERFLOW_WRAP = 0;
export const OVERFLOW_SAT = 1;
export const OVERFLOW_FAIL = 2;

/**
 * The value a SET (incr = false) or INCRBY (incr = true) leaves in a field, with Redis's
 * overflow rules: WRAP keeps the low bits (two's complement for signed fields), SAT clamps to the
 * type's range, FAIL reports the overflow. An unsigned SET of a negative value counts as an
 * overflow upwards (Redis compares it as a huge unsigned number), so SAT gives the maximum; so
 * does a signed SET below max - 2^63 (a wrapped 64-bit comparison in Redis).
 * `old` is the field's current value in the field's own domain (signed or unsigned).
 * Returns the new value, or null when it overflowed under FAIL.
 */
export function fieldResult(
  signed: boolean, bits: number, old: number | bigint, arg: number | bigint, incr: boolean, overflow: number,
): number | bigint | null {
  if (bits <= 32 && typeof arg === 'number' && typeof old === 'number' && Math.abs(arg) <= POW2[52]) {
    const size = POW2[bits];
    const max = signed ? POW2[bits - 1] - 1 : size - 1;
    const min = signed ? -POW2[bits - 1] : 0;
    const v = incr ? old + arg : arg;
    if (v >= min && v <= max) return v;
    if (overflow === OVERFLOW_FAIL) return null;
    if (overflow === OVERFLOW_SAT) return v > max || (!signed && !incr) ? max : min;
    let w = v % size;
    if (w < 0) w += size;
    if (signed && w > max) w -= size;
    return w;
  }
  const b = BigInt(bits);
  const max = signed ? (1n << (b - 1n)) - 1n : (1n << b) - 1n;
  const min = signed ? -(1n << (b - 1n)) : 0n;
  const v = incr ? BigInt(old) + BigInt(arg) : BigInt(arg);
  if (v >= min && v <= max) return v;
  if (overflow === OVERFLOW_FAIL) return null;
  if (overflow === OVERFLOW_SAT) {
    // Redis tests a signed SET as "0 > (int64)(max - value)": for values so negative that the
    // 64-bit subtraction wraps, it saturates upwards.
    const up = v > max || (!signed && !incr) || (signed && !incr && bits < 64 && v <= max - (1n << 63n));
    return up ? max : min;
  }
  return signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

/** The unsigned bit pattern of a field value (what setField stores). */
export function toUnsigned(v: number | bigint, bits: number): number | bigint {
  if (typeof v === 'number') return v < 0 ? v + POW2[bits] : v;
  return BigInt.asUintN(bits, v);
}

/** Bitwise AND/OR/XOR/NOT of sources (null = missing key = empty) into a new buffer of maxlen bytes. */
export function bitop(op: 'and' | 'or' | 'xor' | 'not', srcs: (Uint8Array | null)[], maxlen: number): ByteBuf {
  const res = new Uint8Array(maxlen);
  const first = srcs[0];
  if (op === 'not') {
    // NOT has exactly one source, and maxlen > 0 means it exists with that length.
    for (let i = 0; i < maxlen; i++) res[i] = ~first![i] & 0xff;
  } else {
    if (first) res.set(first);
    for (let j = 1; j < srcs.length; j++) {
      const s = srcs[j];
      const n = s ? s.length : 0;
      if (op === 'and') {
        for (let i = 0; i < n; i++) res[i] &= s![i];
        res.fill(0, n);
      } else if (op === 'or') {
        for (let i = 0; i < n; i++) res[i] |= s![i];
      } else {
        for (let i = 0; i < n; i++) res[i] ^= s![i];
      }
    }
  }
  const out = new ByteBuf();
  out.buf = res;
  out.len = maxlen;
  return out;
}
