/**
 * The older compact formats Redis 7.0 still loads from RDB files and DUMP payloads written by
 * Redis 2.6–6.2, converting them to listpacks on load: ziplists (lists, hashes, zsets, quicklist
 * nodes) and zipmaps (hashes before 2.6). Readers only: Redis 7.0 never writes them.
 * Blobs are binary strings; every reader returns null when the blob is malformed.
 */

function u16(s: string, p: number): number {
  return s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8);
}

function u32(s: string, p: number): number {
  return (s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8) | (s.charCodeAt(p + 2) << 16)) + s.charCodeAt(p + 3) * 0x1000000;
}

/** A little-endian signed integer of n bytes at s[p], as decimal text. */
function signedLE(s: string, p: number, n: number): string {
  if (n <= 4) {
    let v = 0;
    for (let k = n - 1; k >= 0; k--) v = v * 256 + s.charCodeAt(p + k);
    const half = 2 ** (8 * n - 1);
    return String(v >= half ? v - 2 * half : v);
  }
  let v = 0n;
  for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(s.charCodeAt(p + k));
  return String(BigInt.asIntN(8 * n, v));
}

const ZIP_HEADER = 10;

/**
 * Every entry of a ziplist, integers as decimal text. Layout: zlbytes (u32 LE), zltail (u32 LE,
 * offset of the last entry), zllen (u16 LE, 65535 = count them), entries, 0xff. An entry is
 * prevlen (1 byte, or 0xfe + u32 LE), an encoding and its data: 00llllll / 01llllll llllllll /
 * 10000000 + u32 BE string lengths; 0xc0 int16, 0xd0 int32, 0xe0 int64, 0xf0 int24, 0xfe int8
 * (little endian); 0xf1..0xfd the integers 0..12.
 */
export function ziplistEntries(zl: string): string[] | null {
  const size = zl.length;
  if (size < ZIP_HEADER + 1 || u32(zl, 0) !== size) return null;
  const tail = u32(zl, 4);
  const count = u16(zl, 8);
  const end = size - 1;
  const out: string[] = [];
  let p = ZIP_HEADER;
  let prevLen = 0;
  let last = ZIP_HEADER;
  while (p < end) {
    const start = p;
    // prevlen must match the previous entry's size
    let prev = zl.charCodeAt(p++);
    if (prev === 0xfe) {
      if (p + 4 > end) return null;
      prev = u32(zl, p);
      p += 4;
    } else if (prev === 0xff) {
      return null;
    }
    if (prev !== prevLen) return null;
    if (p >= end) return null;
    const b = zl.charCodeAt(p++);
    let value: string;
    const top = b >> 6;
    if (top < 3) {
      let len: number;
      if (top === 0) len = b & 0x3f;
      else if (top === 1) {
        if (p + 1 > end) return null;
        len = ((b & 0x3f) << 8) | zl.charCodeAt(p++);
      } else {
        if (b !== 0x80 || p + 4 > end) return null;
        len = zl.charCodeAt(p) * 0x1000000 + ((zl.charCodeAt(p + 1) << 16) | (zl.charCodeAt(p + 2) << 8) | zl.charCodeAt(p + 3));
        p += 4;
      }
      if (p + len > end) return null;
      value = zl.slice(p, p + len);
      p += len;
    } else if (b >= 0xf1 && b <= 0xfd) {
      value = String((b & 0x0f) - 1);
    } else {
      const n = b === 0xc0 ? 2 : b === 0xd0 ? 4 : b === 0xe0 ? 8 : b === 0xf0 ? 3 : b === 0xfe ? 1 : 0;
      if (n === 0 || p + n > end) return null;
      value = signedLE(zl, p, n);
      p += n;
    }
    out.push(value);
    prevLen = p - start;
    last = start;
  }
  if (p !== end || zl.charCodeAt(end) !== 0xff) return null;
  if (tail !== last) return null;
  if (count !== 65535 && count !== out.length) return null;
  return out;
}

/**
 * A zipmap's fields and values, alternating. Layout: a count byte (254+ = count them), then
 * per pair: key length, key, value length, a "free" byte, value, free bytes; then 0xff.
 * A length is one byte below 254, or 254 + u32 (little endian, as x86 Redis wrote it).
 */
export function zipmapEntries(zm: string): string[] | null {
  const end = zm.length;
  if (end < 2) return null;
  const out: string[] = [];
  let p = 1;
  const readLen = (): number | null => {
    if (p >= end) return null;
    const b = zm.charCodeAt(p++);
    if (b < 254) return b;
    if (b !== 254 || p + 4 > end) return null;
    const len = u32(zm, p);
    p += 4;
    return len;
  };
  for (;;) {
    if (p >= end) return null;
    if (zm.charCodeAt(p) === 0xff) {
      p++;
      break;
    }
    const klen = readLen();
    if (klen === null || p + klen > end) return null;
    out.push(zm.slice(p, p + klen));
    p += klen;
    const vlen = readLen();
    if (vlen === null || p + 1 > end) return null;
    const free = zm.charCodeAt(p++);
    if (p + vlen + free > end) return null;
    out.push(zm.slice(p, p + vlen));
    p += vlen + free;
  }
  if (p !== end) return null;
  const count = zm.charCodeAt(0);
  if (count < 254 && count * 2 !== out.length) return null;
  return out;
}
