import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from '../../src/engine/persistence/crc64';
import { binaryToBytes } from '../../src/engine/util/bytes';

/** Bit by bit, straight from the definition, to check the tables against. */
function crc64Slow(bytes: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n; // 0xad93d23594c935a9 reflected
  let crc = 0n;
  for (const b of bytes) {
    crc ^= BigInt(b);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

describe('crc64 (Redis crc64.c, Jones polynomial, reflected)', () => {
  it("matches Redis's test vectors", () => {
    expect(crc64('123456789')).toBe(0xe9c6d914c4b8d9can);
    expect(crc64(binaryToBytes('123456789'))).toBe(0xe9c6d914c4b8d9can);
    expect(crc64('')).toBe(0n);
  });

  it('agrees with the bitwise definition at every length and offset', () => {
    const data = new Uint8Array(300);
    let x = 12345;
    for (let i = 0; i < data.length; i++) data[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) >>> 16;
    for (let len = 0; len < 40; len++) {
      for (let start = 0; start < 9; start++) {
        const piece = data.subarray(start, start + len);
        expect(new Crc64().update(data, start, start + len).value()).toBe(crc64Slow(piece));
      }
    }
    expect(crc64(data)).toBe(crc64Slow(data));
  });

  it('can be fed in pieces, bytes and binary strings alike', () => {
    const s = 'hello\x00\xff world, a somewhat longer string to cross the 8-byte steps';
    const whole = crc64(s);
    const c = new Crc64();
    c.update(binaryToBytes(s.slice(0, 7)));
    c.updateBinary(s, 7, 30);
    c.update(binaryToBytes(s), 30);
    expect(c.value()).toBe(whole);
    const le = c.littleEndian();
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(le.charCodeAt(i));
    expect(v).toBe(whole);
  });
});
