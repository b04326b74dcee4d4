import { string2ll, type Int64 } from '../util/numbers';

/**
 * Intsets (intset.c) as RDB carries them (RDB_TYPE_SET_INTSET): element width in bytes (u32 LE:
 * 2, 4 or 8), count (u32 LE), then the values sorted ascending, each `width` bytes little endian.
 * Blobs are binary strings.
 */

/** The members of an intset blob as decimal text, ascending, and its width; null when malformed. */
export function intsetEntries(blob: string): { members: string[]; width: number } | null {
  if (blob.length < 8) return null;
  const width = blob.charCodeAt(0) | (blob.charCodeAt(1) << 8) | (blob.charCodeAt(2) << 16) | (blob.charCodeAt(3) << 24);
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = (blob.charCodeAt(4) | (blob.charCodeAt(5) << 8) | (blob.charCodeAt(6) << 16)) + blob.charCodeAt(7) * 0x1000000;
  if (blob.length !== 8 + count * width) return null;
  const members: string[] = new Array(count);
  let prev: bigint | null = null;
  for (let i = 0, p = 8; i < count; i++, p += width) {
    let v = 0n;
    for (let k = width - 1; k >= 0; k--) v = (v << 8n) | BigInt(blob.charCodeAt(p + k));
    v = BigInt.asIntN(width * 8, v);
    if (prev !== null && v <= prev) return null; // must be sorted, without duplicates
    prev = v;
    members[i] = String(v);
  }
  return { members, width };
}

/** _intsetValueEncoding: the width an integer needs. */
export function intsetWidth(v: Int64): number {
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/** An intset blob of the given width holding the members (integers in canonical form), sorted. */
export function encodeIntset(members: readonly string[], width: number): string {
  const values = members.map((m) => BigInt(string2ll(m)!));
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: string[] = [];
  const head = [width, values.length];
  for (const h of head) parts.push(String.fromCharCode(h & 255, (h >>> 8) & 255, (h >>> 16) & 255, (h >>> 24) & 255));
  for (const v of values) {
    let x = BigInt.asUintN(width * 8, v);
    let s = '';
    for (let k = 0; k < width; k++) {
      s += String.fromCharCode(Number(x & 255n));
      x >>= 8n;
    }
    parts.push(s);
  }
  return parts.join('');
}
