/**
 * Binary strings: the engine's one representation of Redis byte strings.
 * A binary string is a JS string whose char codes are all 0..255, one char per byte.
 * They are cheap Map keys and cheap to slice; conversion happens only at the edges.
 */

const fcc = String.fromCharCode;
const asciiDecoder = new TextDecoder();
const asciiEncoder = new TextEncoder();

/** Bytes → binary string. */
export function bytesToBinary(buf: Uint8Array, start = 0, end = buf.length): string {
  const n = end - start;
  if (n <= 16) return small(buf, start, n);
  if (n < 48) {
    // Fixed-arity fromCharCode in pieces of 16: no array, no per-char concatenation.
    let s = '';
    let i = start;
    for (; end - i >= 16; i += 16) s += small(buf, i, 16);
    return i < end ? s + small(buf, i, end - i) : s;
  }
  // Long: pure ASCII is also valid UTF-8, and the platform's decoder is far faster than JS.
  let acc = 0;
  for (let i = start; i < end; i++) acc |= buf[i];
  if (acc < 0x80) return asciiDecoder.decode(buf.subarray(start, end));
  const CHUNK = 0x2000;
  if (n <= CHUNK) return fcc.apply(null, buf.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let i = start; i < end; i += CHUNK) {
    s += fcc.apply(null, buf.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/** n <= 16 bytes at b[s..] as a string. */
function small(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 0: return '';
    case 1: return fcc(b[s]);
    case 2: return fcc(b[s], b[s + 1]);
    case 3: return fcc(b[s], b[s + 1], b[s + 2]);
    case 4: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    case 16: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
    default: return n < 0 ? '' : bytesToBinary(b, s, s + n);
  }
}

/**
 * Write binary string s into dst at `at` (dst must have room for s.length bytes).
 * Returns the number of bytes written (always s.length).
 */
export function writeBinary(dst: Uint8Array, at: number, s: string): number {
  const n = s.length;
  if (n >= 32) {
    // ASCII encodes to itself in UTF-8; the platform encoder is much faster than a JS loop.
    const r = asciiEncoder.encodeInto(s, dst.subarray(at, at + n));
    if (r.read === n && r.written === n) return n;
  }
  for (let i = 0; i < n; i++) dst[at + i] = s.charCodeAt(i);
  return n;
}

/** Binary string → bytes. */
export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  writeBinary(out, 0, s);
  return out;
}

/** Text as a person types it (any Unicode) → binary string of its UTF-8 bytes. */
export function utf8ToBinary(text: string): string {
  // Fast path: pure ASCII is already its own UTF-8.
  let ascii = true;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) { ascii = false; break; }
  if (ascii) return text;
  return bytesToBinary(new TextEncoder().encode(text));
}

/** Binary string of UTF-8 bytes → text (invalid sequences become U+FFFD). */
export function binaryToUtf8(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break; }
  if (ascii) return s;
  return new TextDecoder().decode(binaryToBytes(s));
}

/** ASCII lower-casing that leaves bytes >= 0x80 alone (C's tolower in the "C" locale). */
export function asciiLower(s: string): string {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) break;
    i++;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

/** ASCII upper-casing, bytes >= 0x80 untouched. */
export function asciiUpper(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 97 && c <= 122 ? String.fromCharCode(c - 32) : s[i];
  }
  return out;
}

/** Case-insensitive comparison of an argument with a lower-case ASCII keyword. */
export function eqi(arg: string, lowerKeyword: string): boolean {
  if (arg.length !== lowerKeyword.length) return false;
  for (let i = 0; i < arg.length; i++) {
    let c = arg.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerKeyword.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Redis's !strcasecmp(arg, keyword) for option keywords: ASCII case-insensitive, and the argument
 * ends at its first NUL byte as a C string does ("NX\0junk" is NX). `lowerKeyword` is lower-case.
 */
export function argIs(arg: string, lowerKeyword: string): boolean {
  const n = lowerKeyword.length;
  if (arg.length < n) return false;
  if (arg.length > n && arg.charCodeAt(n) !== 0) return false;
  for (let i = 0; i < n; i++) {
    let c = arg.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerKeyword.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * A growable byte buffer for string values that are mutated in place
 * (APPEND, SETRANGE, SETBIT, BITFIELD), so repeated edits of a large value are O(edit), not O(value).
 */
export class ByteBuf {
  buf: Uint8Array;
  len: number;
  constructor(initial: string | Uint8Array = '', capacity = 0) {
    const n = initial.length;
    this.buf = new Uint8Array(Math.max(capacity, n, 16));
    this.len = n;
    if (typeof initial === 'string') for (let i = 0; i < n; i++) this.buf[i] = initial.charCodeAt(i);
    else this.buf.set(initial);
  }
  /** Make room for at least `size` bytes (new bytes are zero), growing geometrically. */
  ensure(size: number): void {
    if (size <= this.buf.length) return;
    let cap = this.buf.length * 2;
    if (cap < size) cap = size;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
  /** Grow the logical length to `size`, zero-padding. */
  grow(size: number): void {
    if (size <= this.len) return;
    this.ensure(size);
    this.buf.fill(0, this.len, size);
    this.len = size;
  }
  append(s: string): void {
    const start = this.len;
    this.ensure(start + s.length);
    for (let i = 0; i < s.length; i++) this.buf[start + i] = s.charCodeAt(i);
    this.len = start + s.length;
  }
  toString(): string {
    return bytesToBinary(this.buf, 0, this.len);
  }
  slice(start: number, end: number): string {
    return bytesToBinary(this.buf, start, Math.min(end, this.len));
  }
}

/** A 64-bit integer as 8 little-endian bytes (two's complement), as a binary string (RDB times). */
export function le64(v: bigint | number): string {
  let x = BigInt.asUintN(64, BigInt(v));
  let s = '';
  for (let i = 0; i < 8; i++) {
    s += String.fromCharCode(Number(x & 0xffn));
    x >>= 8n;
  }
  return s;
}

/** An unsigned 64-bit integer as 8 big-endian bytes, as a binary string (RDB lengths, stream IDs). */
export function be64(v: bigint | number): string {
  let x = BigInt.asUintN(64, BigInt(v));
  let s = '';
  for (let i = 0; i < 8; i++) {
    s = String.fromCharCode(Number(x & 0xffn)) + s;
    x >>= 8n;
  }
  return s;
}
