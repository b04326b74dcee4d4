/**
 * Redis's CRC-64 (crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected input and output,
 * initial value 0, no final xor. crc64(0, "123456789") = 0xe9c6d914c4b8d9ca. It guards RDB files
 * and DUMP payloads.
 *
 * Slicing-by-8 over two 32-bit halves (JS has no fast 64-bit integers): eight 256-entry tables per
 * half, eight bytes per step.
 */

/** The reflected form of 0xad93d23594c935a9, split in halves. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/** TABLE_LO[k * 256 + b] / TABLE_HI[...]: the CRC of byte b followed by k zero bytes. */
const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);

for (let b = 0; b < 256; b++) {
  let lo = b;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (carry) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TABLE_LO[b] = lo;
  TABLE_HI[b] = hi;
}
for (let k = 1; k < 8; k++) {
  for (let b = 0; b < 256; b++) {
    const plo = TABLE_LO[(k - 1) * 256 + b];
    const phi = TABLE_HI[(k - 1) * 256 + b];
    const i = plo & 0xff;
    // (prev >>> 8) ^ T0[prev & 0xff]
    TABLE_LO[k * 256 + b] = (((plo >>> 8) | (phi << 24)) ^ TABLE_LO[i]) >>> 0;
    TABLE_HI[k * 256 + b] = ((phi >>> 8) ^ TABLE_HI[i]) >>> 0;
  }
}

/** A running CRC-64, fed in pieces (an RDB file is checksummed as it is written). */
export class Crc64 {
  lo = 0;
  hi = 0;

  /** Feed bytes[start..end). */
  update(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let p = start;
    for (; end - p >= 8; p += 8) {
      lo ^= bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
      hi ^= bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (bytes[p + 7] << 24);
      const a = 7 * 256 + (lo & 0xff), b = 6 * 256 + ((lo >>> 8) & 0xff);
      const c = 5 * 256 + ((lo >>> 16) & 0xff), d = 4 * 256 + (lo >>> 24);
      const e = 3 * 256 + (hi & 0xff), f = 2 * 256 + ((hi >>> 8) & 0xff);
      const g = 256 + ((hi >>> 16) & 0xff), h = hi >>> 24;
      lo = TABLE_LO[a] ^ TABLE_LO[b] ^ TABLE_LO[c] ^ TABLE_LO[d] ^ TABLE_LO[e] ^ TABLE_LO[f] ^ TABLE_LO[g] ^ TABLE_LO[h];
      hi = TABLE_HI[a] ^ TABLE_HI[b] ^ TABLE_HI[c] ^ TABLE_HI[d] ^ TABLE_HI[e] ^ TABLE_HI[f] ^ TABLE_HI[g] ^ TABLE_HI[h];
    }
    for (; p < end; p++) {
      const i = (lo ^ bytes[p]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[i];
      hi = (hi >>> 8) ^ TABLE_HI[i];
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** Feed a binary string's bytes s[start..end). */
  updateBinary(s: string, start = 0, end = s.length): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let p = start; p < end; p++) {
      const i = (lo ^ s.charCodeAt(p)) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[i];
      hi = (hi >>> 8) ^ TABLE_HI[i];
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The CRC as a 64-bit unsigned bigint. */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The CRC as 8 bytes, little endian (how RDB files and DUMP payloads store it). */
  littleEndian(): string {
    const { lo, hi } = this;
    return String.fromCharCode(
      lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24,
      hi & 0xff, (hi >>> 8) & 0xff, (hi >>> 16) & 0xff, hi >>> 24,
    );
  }
}

/** crc64(0, data): the CRC-64 of a byte array or binary string, as a bigint. */
export function crc64(data: Uint8Array | string): bigint {
  const c = new Crc64();
  return (typeof data === 'string' ? c.updateBinary(data) : c.update(data)).value();
}
