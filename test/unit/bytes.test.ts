import { describe, expect, it } from 'vitest';
import {
  ByteBuf, asciiLower, asciiUpper, binaryToBytes, binaryToUtf8, bytesToBinary, eqi, utf8ToBinary, writeBinary,
} from '../../src/engine/util/bytes';

/** The obvious, slow reference. */
const ref = (b: Uint8Array, start = 0, end = b.length): string => {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
};

/** Deterministic bytes: ASCII only, or anything (0x80-0x9f included: TextDecoder pitfalls live there). */
function sample(n: number, ascii: boolean, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = ascii ? (x >>> 16) & 0x7f : (x >>> 16) & 0xff;
  }
  return b;
}

describe('bytesToBinary / binaryToBytes / writeBinary', () => {
  it('round-trip every length 0..200 and some big ones, ASCII and binary, at any offset', () => {
    for (const n of [...Array(201).keys(), 1000, 8191, 8192, 8193, 20_000, 100_000]) {
      for (const ascii of [true, false]) {
        const b = sample(n + 5, ascii, n * 7 + (ascii ? 1 : 2));
        const s = bytesToBinary(b, 3, 3 + n);
        expect(s.length).toBe(n);
        expect(s === ref(b, 3, 3 + n), `n=${n} ascii=${ascii}`).toBe(true);
        expect(binaryToBytes(s)).toEqual(b.subarray(3, 3 + n));
      }
    }
  });

  it('a single byte >= 0x80 anywhere in a long ASCII run', () => {
    for (const v of [0x80, 0x85, 0x9f, 0xa0, 0xe9, 0xff]) {
      for (const at of [0, 47, 48, 100, 299]) {
        const b = sample(300, true, v + at);
        b[at] = v;
        expect(bytesToBinary(b) === ref(b)).toBe(true);
        const out = new Uint8Array(310);
        expect(writeBinary(out, 5, ref(b))).toBe(300);
        expect(out.subarray(5, 305)).toEqual(b);
      }
    }
  });

  it('defaults and empty ranges', () => {
    const b = new Uint8Array([104, 105]);
    expect(bytesToBinary(b)).toBe('hi');
    expect(bytesToBinary(b, 1)).toBe('i');
    expect(bytesToBinary(b, 2)).toBe('');
    expect(bytesToBinary(b, 2, 1)).toBe('');
    expect(binaryToBytes('')).toEqual(new Uint8Array(0));
  });

  it('writeBinary writes only its own bytes', () => {
    const out = new Uint8Array(100).fill(7);
    writeBinary(out, 10, 'a'.repeat(40));
    expect(out[9]).toBe(7);
    expect(out[50]).toBe(7);
    expect(ref(out, 10, 50)).toBe('a'.repeat(40));
  });
});

describe('UTF-8 at the edges', () => {
  it('utf8ToBinary / binaryToUtf8', () => {
    expect(utf8ToBinary('abc')).toBe('abc');
    expect(utf8ToBinary('é')).toBe('\xc3\xa9');
    expect(utf8ToBinary('€😀')).toBe('\xe2\x82\xac\xf0\x9f\x98\x80');
    expect(binaryToUtf8('\xc3\xa9')).toBe('é');
    expect(binaryToUtf8('\xff')).toBe('\ufffd');
    expect(binaryToUtf8(utf8ToBinary('mixed ünïcödé ✓'))).toBe('mixed ünïcödé ✓');
  });
});

describe('ASCII case', () => {
  it('asciiLower / asciiUpper leave bytes >= 0x80 alone', () => {
    expect(asciiLower('SeT')).toBe('set');
    expect(asciiLower('set')).toBe('set');
    expect(asciiLower('')).toBe('');
    expect(asciiLower('\xc9A\xe9[@Z')).toBe('\xc9a\xe9[@z');
    expect(asciiUpper('get\xe9`{z')).toBe('GET\xe9`{Z');
  });

  it('eqi compares with a lower-case keyword', () => {
    expect(eqi('NX', 'nx')).toBe(true);
    expect(eqi('nX', 'nx')).toBe(true);
    expect(eqi('nxx', 'nx')).toBe(false);
    expect(eqi('\xce\xd8', '\xee\xf8')).toBe(false); // no folding beyond ASCII
    expect(eqi('[', '{')).toBe(false);
  });
});

describe('ByteBuf', () => {
  it('grows, appends, slices', () => {
    const b = new ByteBuf('ab');
    b.append('c\xff');
    expect(b.toString()).toBe('abc\xff');
    b.grow(6);
    expect(b.toString()).toBe('abc\xff\x00\x00');
    b.ensure(1000);
    expect(b.buf.length).toBeGreaterThanOrEqual(1000);
    expect(b.len).toBe(6);
    expect(b.slice(1, 3)).toBe('bc');
    expect(b.slice(4, 100)).toBe('\x00\x00');
    const c = new ByteBuf(new Uint8Array([1, 2, 3]), 64);
    expect(c.buf.length).toBe(64);
    expect(c.toString()).toBe('\x01\x02\x03');
  });
});
