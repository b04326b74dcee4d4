/**
 * Binary strings: the engine's one representation of Redis byte strings.
 * A binary string is a JS string whose char codes are all 0..255, one char per byte.
 * They are cheap Map keys and cheap to slice; conversion happens only at the edges.
 */

/** Bytes → binary string. */
export function bytesToBinary(buf: Uint8Array, start = 0, end = buf.length): string {
  const n = end - start;
  if (n <= 0) return '';
  if (n < 16) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
    return s;
  }
  const CHUNK = 0x2000;
  if (n <= CHUNK) return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let i = start; i < end; i += CHUNK) {
    s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/** Binary string → bytes. */
export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
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
