import { string2ll } from '../util/numbers';

/**
 * Listpacks (listpack.c) as RDB carries them: the blob Redis 7.0 keeps small hashes, zsets and
 * quicklist nodes in. Layout: total bytes (u32 LE), element count (u16 LE, 65535 = "count them"),
 * the entries, then 0xff. An entry is its encoding + data, then a back-length (the size of
 * encoding + data in 7-bit groups, read backwards).
 *
 * Encodings: 0xxxxxxx 7-bit uint; 10xxxxxx string of up to 63 bytes; 110xxxxx +1 byte 13-bit int;
 * 1110xxxx +1 byte string of up to 4095 bytes; 0xf0 +4 bytes string length; 0xf1/0xf2/0xf3/0xf4
 * 16/24/32/64-bit ints, little endian.
 *
 * Blobs are binary strings (one char per byte), as the RDB reader hands them over.
 */

/** lpEncodeBacklen's size for an entry of l bytes. */
export function lpBacklenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

function u32(s: string, p: number): number {
  return (s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8) | (s.charCodeAt(p + 2) << 16)) + s.charCodeAt(p + 3) * 0x1000000;
}

/** A little-endian signed integer of n bytes at s[p], as a decimal string. */
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

/**
 * Every element of a listpack, integers as their decimal text; null when the blob is not a
 * well-formed listpack (sizes, encodings, back-lengths, count and terminator are all checked,
 * like lpValidateIntegrity with deep checks).
 */
export function listpackEntries(lp: string): string[] | null {
  const size = lp.length;
  if (size < 7 || u32(lp, 0) !== size) return null;
  const count = lp.charCodeAt(4) | (lp.charCodeAt(5) << 8);
  const out: string[] = [];
  let p = 6;
  const end = size - 1; // the terminator's position
  while (p < end) {
    const start = p;
    const b = lp.charCodeAt(p++);
    let value: string;
    if (b < 0x80) {
      value = String(b);
    } else if (b < 0xc0) {
      const len = b & 0x3f;
      if (p + len > end) return null;
      value = lp.slice(p, p + len);
      p += len;
    } else if (b < 0xe0) {
      if (p + 1 > end) return null;
      const uv = ((b & 0x1f) << 8) | lp.charCodeAt(p++);
      value = String(uv >= 4096 ? uv - 8192 : uv);
    } else if (b < 0xf0) {
      if (p + 1 > end) return null;
      const len = ((b & 0x0f) << 8) | lp.charCodeAt(p++);
      if (p + len > end) return null;
      value = lp.slice(p, p + len);
      p += len;
    } else if (b === 0xf0) {
      if (p + 4 > end) return null;
      const len = u32(lp, p);
      p += 4;
      if (p + len > end) return null;
      value = lp.slice(p, p + len);
      p += len;
    } else if (b >= 0xf1 && b <= 0xf4) {
      const n = b === 0xf1 ? 2 : b === 0xf2 ? 3 : b === 0xf3 ? 4 : 8;
      if (p + n > end) return null;
      value = signedLE(lp, p, n);
      p += n;
    } else {
      return null; // 0xf5..0xfe are unused; 0xff only ends the listpack
    }
    // the back-length must say how long encoding + data were
    const l = p - start;
    const n = lpBacklenSize(l);
    if (p + n > end) return null;
    let back = 0;
    for (let k = 0; k < n; k++) back = back * 128 + (lp.charCodeAt(p + k) & 127);
    if (back !== l) return null;
    p += n;
    out.push(value);
  }
  if (p !== end || lp.charCodeAt(end) !== 0xff) return null;
  if (count !== 65535 && count !== out.length) return null;
  return out;
}

// ---- writing ----

function le(v: bigint, n: number): string {
  let out = '';
  let x = BigInt.asUintN(n * 8, v);
  for (let i = 0; i < n; i++) {
    out += String.fromCharCode(Number(x & 255n));
    x >>= 8n;
  }
  return out;
}

function backlen(l: number): string {
  const n = lpBacklenSize(l);
  let out = '';
  for (let k = n - 1; k >= 0; k--) {
    const group = Math.floor(l / 2 ** (7 * k)) & 127;
    out += String.fromCharCode(k === n - 1 ? group : group | 128);
  }
  return out;
}

/** One entry as lpAppend writes it: integers that read back the same take an integer encoding. */
export function listpackEntry(s: string): string {
  let enc: string;
  const v = s.length > 0 && s.length <= 20 ? string2ll(s) : null;
  if (v !== null) {
    const b = BigInt(v);
    if (b >= 0n && b <= 127n) enc = String.fromCharCode(Number(b));
    else if (b >= -4096n && b <= 4095n) {
      const u = Number(BigInt.asUintN(13, b));
      enc = String.fromCharCode((u >> 8) | 0xc0, u & 0xff);
    } else if (b >= -32768n && b <= 32767n) enc = '\xf1' + le(b, 2);
    else if (b >= -8388608n && b <= 8388607n) enc = '\xf2' + le(b, 3);
    else if (b >= -2147483648n && b <= 2147483647n) enc = '\xf3' + le(b, 4);
    else enc = '\xf4' + le(b, 8);
  } else {
    const len = s.length;
    if (len < 64) enc = String.fromCharCode(0x80 | len) + s;
    else if (len < 4096) enc = String.fromCharCode((len >> 8) | 0xe0, len & 0xff) + s;
    else enc = '\xf0' + le(BigInt(len), 4) + s;
  }
  return enc + backlen(enc.length);
}

/** A listpack holding items, in order. */
export function encodeListpack(items: readonly string[]): string {
  const parts: string[] = [];
  for (const s of items) parts.push(listpackEntry(s));
  const body = parts.join('');
  const total = 6 + body.length + 1;
  const n = Math.min(items.length, 65535);
  return le(BigInt(total), 4) + le(BigInt(n), 2) + body + '\xff';
}
