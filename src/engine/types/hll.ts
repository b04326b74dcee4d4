import { ByteBuf } from '../util/bytes';
import { byteAt, valLength, type StrVal } from './bitmap';

/**
 * HyperLogLog values, byte for byte as Redis 7.0 keeps them in a plain string (hyperloglog.c).
 *
 * Layout: a 16-byte header, then the registers.
 *   "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality (8 bytes, little
 *   endian; the top bit of the last byte set means "stale, recompute").
 * 16384 registers (P = 14), each the longest run of zeros + 1 seen in the 50 hash bits left after
 * the register index (so 0..51).
 * - dense: 6 bits per register packed from the least significant bit up, 12288 bytes.
 * - sparse: a run-length code of opcodes covering all 16384 registers in order:
 *     ZERO  00xxxxxx           1..64 registers at 0
 *     XZERO 01xxxxxx yyyyyyyy  1..16384 registers at 0 (14-bit length - 1, high bits first)
 *     VAL   1vvvvvxx           1..4 registers at value 1..32
 *   It turns dense when a value above 32 is needed or the string would grow past
 *   hll-sparse-max-bytes.
 *
 * Values being edited live in a ByteBuf and change in place, as Redis edits its sds. Readers take
 * the bytes as they are (`Uint8Array` + length), so a value set with SET is read without
 * converting it.
 *
 * The cardinality estimator is Otmar Ertl's improved raw estimator ("New cardinality estimation
 * algorithms for HyperLogLog sketches", arXiv:1702.01284) over the register histogram, as Redis
 * 4.0+ computes it, in the same floating-point operation order so results are identical.
 */

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
export const HLL_BITS = 6;
export const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
/** 0.5 / ln(2), the estimator's alpha for an infinite number of registers. */
const HLL_ALPHA_INF = 0.721347520444481703680;

/** The byte offset of the cached cardinality, and of its byte holding the "stale" bit. */
const CARD_OFFSET = 8;
const CARD_MSB = 15;

// ---- MurmurHash64A ----------------------------------------------------------------------------

/*
 * MurmurHash2, 64-bit version, seed 0xadc83b19, bytes read little endian as Redis does on every
 * platform. 64-bit arithmetic on two 32-bit halves held as int32 (no BigInt); the result goes to
 * HASH rather than to module variables, whose values above 2^30 would each be a heap allocation.
 */
const M_HI = 0xc6a4a793 | 0;
const M_LO = 0x5bd1e995 | 0;
const HLL_SEED = 0xadc83b19 | 0;

/** The last hash: [high 32 bits, low 32 bits]. */
const HASH = new Int32Array(2);

/** The high 32 bits of the 64-bit product of two unsigned 32-bit integers (given as int32). */
function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** The high half of (hi:lo) * m modulo 2^64 (the low half is Math.imul(lo, M_LO)). */
function mulMHigh(hi: number, lo: number): number {
  return (mulHigh32(lo, M_LO) + Math.imul(hi, M_LO) + Math.imul(lo, M_HI)) | 0;
}

/** MurmurHash64A of the binary string s with Redis's HLL seed, into HASH. */
export function murmurHash64A(s: string): void {
  const len = s.length;
  // h = seed ^ (len * m)
  let hHi = mulMHigh(0, len);
  let hLo = Math.imul(len, M_LO) ^ HLL_SEED;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const kLo = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
    const kHi = s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24);
    // k *= m; k ^= k >> 47; k *= m
    const tHi = mulMHigh(kHi, kLo);
    const tLo = Math.imul(kLo, M_LO) ^ (tHi >>> 15);
    // h ^= k; h *= m
    hHi ^= mulMHigh(tHi, tLo);
    hLo ^= Math.imul(tLo, M_LO);
    const nHi = mulMHigh(hHi, hLo);
    hLo = Math.imul(hLo, M_LO);
    hHi = nHi;
  }
  const rest = len & 7;
  if (rest > 0) {
    // h ^= the remaining bytes as a little-endian integer; h *= m
    for (let j = rest - 1; j >= 0; j--) {
      const byte = s.charCodeAt(i + j);
      if (j >= 4) hHi ^= byte << ((j - 4) * 8);
      else hLo ^= byte << (j * 8);
    }
    const nHi = mulMHigh(hHi, hLo);
    hLo = Math.imul(hLo, M_LO);
    hHi = nHi;
  }
  // h ^= h >> r; h *= m; h ^= h >> r
  hLo ^= hHi >>> 15;
  const nHi = mulMHigh(hHi, hLo);
  HASH[0] = nHi;
  HASH[1] = Math.imul(hLo, M_LO) ^ (nHi >>> 15);
}

/** The 64-bit hash of s as a bigint (for tests and debugging). */
export function murmurHash64ABig(s: string): bigint {
  murmurHash64A(s);
  return (BigInt(HASH[0] >>> 0) << 32n) | BigInt(HASH[1] >>> 0);
}

/** Number of trailing zero bits of a non-zero 32-bit integer. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * hllPatLen: hash an element; the length of the "000..1" pattern in the hash bits above the
 * register index (1..51), and the register index, as `count << 14 | index` (a small integer).
 */
export function hllPatLen(ele: string): number {
  murmurHash64A(ele);
  const hi = HASH[0];
  const lo = HASH[1];
  const index = lo & HLL_P_MASK;
  const low = lo >>> HLL_P; // hash bits 14..31
  let count: number;
  if (low !== 0) count = ctz32(low) + 1;
  else if (hi !== 0) count = 32 - HLL_P + ctz32(hi) + 1;
  else count = HLL_Q + 1; // bit Q of the shifted hash is forced to 1: the count stops at Q + 1
  return (count << HLL_P) | index;
}

// ---- header -----------------------------------------------------------------------------------

/** A new empty HLL: sparse, one XZERO covering every register (createHLLObject). */
export function createHll(): ByteBuf {
  const b = new ByteBuf('HYLL');
  b.grow(HLL_HDR_SIZE + 2);
  b.buf[4] = HLL_SPARSE;
  setXzero(b.buf, HLL_HDR_SIZE, HLL_REGISTERS);
  return b;
}

/**
 * isHLLObjectOrReply's checks on a string value (a binary string or a buffer, read as it is): the
 * magic, a known encoding, and the exact size when dense (a sparse body is only checked as it is
 * read).
 */
export function isValidHll(v: StrVal): boolean {
  const len = valLength(v);
  if (len < HLL_HDR_SIZE) return false;
  // "HYLL"
  if (byteAt(v, 0) !== 72 || byteAt(v, 1) !== 89 || byteAt(v, 2) !== 76 || byteAt(v, 3) !== 76) return false;
  const enc = byteAt(v, 4);
  if (enc > HLL_MAX_ENCODING) return false;
  return enc !== HLL_DENSE || len === HLL_DENSE_SIZE;
}

/** Mark the cached cardinality stale (HLL_INVALIDATE_CACHE). */
export function invalidateCache(bytes: Uint8Array): void {
  bytes[CARD_MSB] |= 0x80;
}

export function cacheValid(bytes: Uint8Array): boolean {
  return (bytes[CARD_MSB] & 0x80) === 0;
}

/** The cached cardinality, an unsigned 64-bit value: a number when it is a safe integer. */
export function readCachedCard(bytes: Uint8Array): number | bigint {
  const o = CARD_OFFSET;
  const lo = (bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24)) >>> 0;
  const hi = (bytes[o + 4] | (bytes[o + 5] << 8) | (bytes[o + 6] << 16) | (bytes[o + 7] << 24)) >>> 0;
  if (hi < 0x200000) return hi * 4294967296 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Store a cardinality (an unsigned 64-bit value) in the header cache. */
export function writeCachedCard(bytes: Uint8Array, card: number | bigint): void {
  let lo: number;
  let hi: number;
  if (typeof card === 'bigint') {
    const u = BigInt.asUintN(64, card);
    lo = Number(u & 0xffffffffn);
    hi = Number(u >> 32n);
  } else {
    lo = card % 4294967296;
    hi = Math.floor(card / 4294967296);
  }
  for (let i = 0; i < 4; i++) {
    bytes[CARD_OFFSET + i] = (lo >>> (8 * i)) & 0xff;
    bytes[CARD_OFFSET + 4 + i] = (hi >>> (8 * i)) & 0xff;
  }
}

// ---- dense ------------------------------------------------------------------------------------

/** The 6-bit register `reg` of a dense body starting at `base`. */
export function denseGet(bytes: Uint8Array, base: number, reg: number): number {
  const bit = reg * HLL_BITS;
  const i = base + (bit >>> 3);
  const fb = bit & 7;
  // A register starting at bit 0..2 of its byte fits in that byte: the next one is never read
  // (it is the string's end for the last register).
  if (fb <= 2) return (bytes[i] >>> fb) & HLL_REGISTER_MAX;
  return ((bytes[i] >>> fb) | (bytes[i + 1] << (8 - fb))) & HLL_REGISTER_MAX;
}

export function denseSetRaw(bytes: Uint8Array, base: number, reg: number, val: number): void {
  const bit = reg * HLL_BITS;
  const i = base + (bit >>> 3);
  const fb = bit & 7;
  bytes[i] = (bytes[i] & ~(HLL_REGISTER_MAX << fb)) | (val << fb);
  if (fb > 2) {
    const fb8 = 8 - fb;
    bytes[i + 1] = (bytes[i + 1] & ~(HLL_REGISTER_MAX >>> fb8)) | (val >>> fb8);
  }
}

/** hllDenseSet: raise register `reg` to `count`; whether it changed. */
export function denseSet(bytes: Uint8Array, reg: number, count: number): boolean {
  if (count <= denseGet(bytes, HLL_HDR_SIZE, reg)) return false;
  denseSetRaw(bytes, HLL_HDR_SIZE, reg, count);
  return true;
}

/** hllDenseRegHisto: add the dense registers' values to histo. */
export function denseRegHisto(bytes: Uint8Array, histo: Int32Array): void {
  // Four registers in every three bytes.
  for (let i = HLL_HDR_SIZE; i < HLL_DENSE_SIZE; i += 3) {
    const b0 = bytes[i];
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    histo[b0 & 63]++;
    histo[((b0 >>> 6) | (b1 << 2)) & 63]++;
    histo[((b1 >>> 4) | (b2 << 4)) & 63]++;
    histo[b2 >>> 2]++;
  }
}

// ---- sparse -----------------------------------------------------------------------------------

function valByte(val: number, len: number): number {
  return 0x80 | ((val - 1) << 2) | (len - 1);
}

function setXzero(bytes: Uint8Array, p: number, len: number): void {
  const l = len - 1;
  bytes[p] = (l >>> 8) | 0x40;
  bytes[p + 1] = l & 0xff;
}

/*
 * The byte after the end. An XZERO cut short by the end of a (damaged) value has its second byte
 * one past the string's length, and Redis reads it there: the sds terminator, 0, except after
 * hllSparseSet split such a cut XZERO, when its copy of the new opcodes ran one byte over the new
 * length. To read the same, a sparse HLL's ByteBuf keeps that byte at buf[len] as Redis has it
 * (zero after every length change, what the split wrote in that one case), and readers take
 * buf[len] when the buffer has it, else 0.
 */

/** An XZERO's run length (its second byte may be the one after the end, see above). */
function xzeroLen(bytes: Uint8Array, p: number): number {
  return (((bytes[p] & 0x3f) << 8) | (p + 1 < bytes.length ? bytes[p + 1] : 0)) + 1;
}

/** The number of registers an opcode at p covers. */
function opcodeSpan(bytes: Uint8Array, p: number): number {
  const op = bytes[p];
  if ((op & 0xc0) === 0) return (op & 0x3f) + 1;
  if (op & 0x80) return (op & 3) + 1;
  return xzeroLen(bytes, p);
}

/** Set the length of a sparse HLL as sdsIncrLen does: the byte after the end becomes 0. */
function setSparseLen(b: ByteBuf, len: number): void {
  b.len = len;
  b.buf[len] = 0;
}

/**
 * hllSparseToDense: the registers of a sparse body (bytes[0..len)) in a new dense value with the
 * same header (magic, unused bytes and cached cardinality), or null when the sparse code does not
 * cover exactly 16384 registers. An opcode running past register 16383 makes the code corrupt at
 * once, here as in hllSparseRegHisto and hllMerge: the CVE-2025-32023 checks, which the patched
 * 7.0.15 builds (Debian's, the one we compare with) carry.
 */
export function sparseToDenseBytes(bytes: Uint8Array, len: number): Uint8Array | null {
  const dense = new Uint8Array(HLL_DENSE_SIZE);
  dense.set(bytes.subarray(0, HLL_HDR_SIZE));
  dense[4] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = bytes[p];
    const runlen = opcodeSpan(bytes, p);
    if (runlen + idx > HLL_REGISTERS) return null; // overflow
    if (op & 0x80) {
      const val = ((op >>> 2) & 0x1f) + 1;
      for (let i = 0; i < runlen; i++) denseSetRaw(dense, HLL_HDR_SIZE, idx + i, val);
    }
    idx += runlen;
    p += (op & 0xc0) === 0x40 ? 2 : 1;
  }
  return idx === HLL_REGISTERS ? dense : null;
}

/** Convert a sparse HLL in place to dense; false when the sparse code is corrupt. A dense one is
 *  left alone. */
export function sparseToDense(b: ByteBuf): boolean {
  if (b.buf[4] === HLL_DENSE) return true;
  const dense = sparseToDenseBytes(b.buf, b.len);
  if (dense === null) return false;
  b.buf = dense;
  b.len = HLL_DENSE_SIZE;
  return true;
}

/**
 * hllSparseSet: raise register `index` of a sparse HLL to `count`, splitting the opcode that covers
 * it and merging equal neighbours as Redis does, or turning the HLL dense when `count` exceeds what
 * VAL can hold or the string would outgrow maxBytes. Returns 1 when the register changed, 0 when
 * it already held as much, -1 when the sparse code is corrupt.
 */
export function sparseSet(b: ByteBuf, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(b, index, count);

  // Room for the worst case (XZERO -> XZERO VAL XZERO is 3 bytes more) and the byte after the
  // end, which a reallocation keeps (as sdsMakeRoomFor does).
  if (b.buf.length < b.len + 4) {
    const after = b.len < b.buf.length ? b.buf[b.len] : 0;
    b.ensure(b.len + 4);
    b.buf[b.len] = after;
  }
  const buf = b.buf;
  let end = b.len;

  // Step 1: find the opcode covering the register.
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = buf[p];
    let oplen = 1;
    if ((op & 0xc0) === 0) span = (op & 0x3f) + 1;
    else if (op & 0x80) span = (op & 3) + 1;
    else {
      span = xzeroLen(buf, p);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;

  const op = buf[p];
  const isXzero = (op & 0xc0) === 0x40;
  let next = isXzero ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const isZero = (op & 0xc0) === 0;
  const isVal = (op & 0x80) !== 0;
  const runlen = isZero ? (op & 0x3f) + 1 : isXzero ? xzeroLen(buf, p) : (op & 3) + 1;

  // Step 2: the trivial cases update the opcode where it is.
  let updated = false;
  if (isVal) {
    const oldcount = ((op >>> 2) & 0x1f) + 1;
    if (oldcount >= count) return 0;
    if (runlen === 1) {
      buf[p] = valByte(count, 1);
      updated = true;
    }
  }
  if (!updated && isZero && runlen === 1) {
    buf[p] = valByte(count, 1);
    updated = true;
  }

  if (!updated) {
    // General case: replace the opcode by up to three (at most 5 bytes).
    const seq = SEQ;
    let n = 0;
    const last = first + span - 1;
    if (isZero || isXzero) {
      if (index !== first) n = putZeros(seq, n, index - first);
      seq[n++] = valByte(count, 1);
      if (index !== last) n = putZeros(seq, n, last - index);
    } else {
      const curval = ((op >>> 2) & 0x1f) + 1;
      if (index !== first) seq[n++] = valByte(curval, index - first);
      seq[n++] = valByte(count, 1);
      if (index !== last) seq[n++] = valByte(curval, last - index);
    }

    // Step 3: put the new sequence in place of the old opcode.
    const oldlen = isXzero ? 2 : 1;
    const deltalen = n - oldlen;
    if (deltalen > 0 && b.len + deltalen > maxBytes) return promote(b, index, count);
    if (deltalen !== 0 && next !== -1) buf.copyWithin(next + deltalen, next, end);
    setSparseLen(b, b.len + deltalen);
    // After a cut XZERO at the end this runs one byte past the new length (as in Redis).
    for (let i = 0; i < n; i++) buf[p + i] = seq[i];
    end += deltalen;
  }

  // Step 4: merge adjacent VALs of the same value, scanning up to 5 opcodes from the previous one.
  p = prev !== -1 ? prev : HLL_HDR_SIZE;
  let scanlen = 5;
  while (p < end && scanlen-- > 0) {
    const o = buf[p];
    if ((o & 0xc0) === 0x40) {
      p += 2;
      continue;
    } else if ((o & 0xc0) === 0) {
      p++;
      continue;
    }
    if (p + 1 < end && buf[p + 1] & 0x80) {
      const v1 = ((o >>> 2) & 0x1f) + 1;
      const v2 = ((buf[p + 1] >>> 2) & 0x1f) + 1;
      if (v1 === v2) {
        const len = (o & 3) + 1 + (buf[p + 1] & 3) + 1;
        if (len <= SPARSE_VAL_MAX_LEN) {
          buf[p + 1] = valByte(v1, len);
          buf.copyWithin(p, p + 1, end);
          setSparseLen(b, b.len - 1);
          end--;
          // Try again from the same place: the merged VAL may merge with the next one too.
          continue;
        }
      }
    }
    p++;
  }

  invalidateCache(buf);
  return 1;
}

const SEQ = new Uint8Array(5);

/** A run of zero registers as ZERO or XZERO at seq[n]; returns the new n. */
function putZeros(seq: Uint8Array, n: number, len: number): number {
  if (len > SPARSE_ZERO_MAX_LEN) {
    setXzero(seq, n, len);
    return n + 2;
  }
  seq[n] = len - 1;
  return n + 1;
}

/** The promote path of hllSparseSet: to dense, then set the register there. */
function promote(b: ByteBuf, index: number, count: number): number {
  if (!sparseToDense(b)) return -1;
  denseSet(b.buf, index, count);
  return 1;
}

/** hllSparseRegHisto: add the sparse registers' values to histo; false when they do not add up to
 *  exactly 16384 registers. */
export function sparseRegHisto(bytes: Uint8Array, len: number, histo: Int32Array): boolean {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = bytes[p];
    const runlen = opcodeSpan(bytes, p);
    if (runlen + idx > HLL_REGISTERS) return false; // overflow
    idx += runlen;
    if (op & 0x80) {
      histo[((op >>> 2) & 0x1f) + 1] += runlen;
      p++;
    } else {
      histo[0] += runlen;
      p += op & 0x40 ? 2 : 1;
    }
  }
  return idx === HLL_REGISTERS;
}

/** One register per byte (Redis's internal HLL_RAW), for PFCOUNT of several keys; `regs` must
 *  start on a 4-byte boundary (a Uint8Array of its own). */
export function rawRegHisto(regs: Uint8Array, histo: Int32Array): void {
  // Four registers at a time, skipping runs of zeros quickly (as Redis does with 64-bit words).
  const words = new Int32Array(regs.buffer, regs.byteOffset, HLL_REGISTERS >> 2);
  for (let w = 0; w < words.length; w++) {
    if (words[w] === 0) {
      histo[0] += 4;
      continue;
    }
    const i = w << 2;
    histo[regs[i]]++;
    histo[regs[i + 1]]++;
    histo[regs[i + 2]]++;
    histo[regs[i + 3]]++;
  }
}

// ---- adding, merging, counting ----------------------------------------------------------------

/**
 * hllAdd: add an element to the HLL in b (in place). 1 when a register changed, 0 when not, -1 when
 * the HLL is corrupt.
 */
export function hllAdd(b: ByteBuf, ele: string, maxBytes: number): number {
  const pat = hllPatLen(ele);
  const count = pat >>> HLL_P;
  const index = pat & HLL_P_MASK;
  switch (b.buf[4]) {
    case HLL_DENSE: return denseSet(b.buf, index, count) ? 1 : 0;
    case HLL_SPARSE: return sparseSet(b, index, count, maxBytes);
    default: return -1;
  }
}

/**
 * hllMerge: max[i] = MAX(max[i], register i) over a valid HLL's bytes. False when a sparse body
 * does not cover exactly 16384 registers.
 */
export function hllMerge(max: Uint8Array, bytes: Uint8Array, len: number): boolean {
  if (bytes[4] === HLL_DENSE) {
    // Four registers in every three bytes.
    for (let i = HLL_HDR_SIZE, r = 0; i < HLL_DENSE_SIZE; i += 3, r += 4) {
      const b0 = bytes[i];
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      const v0 = b0 & 63;
      const v1 = ((b0 >>> 6) | (b1 << 2)) & 63;
      const v2 = ((b1 >>> 4) | (b2 << 4)) & 63;
      const v3 = b2 >>> 2;
      if (v0 > max[r]) max[r] = v0;
      if (v1 > max[r + 1]) max[r + 1] = v1;
      if (v2 > max[r + 2]) max[r + 2] = v2;
      if (v3 > max[r + 3]) max[r + 3] = v3;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = bytes[p];
    const runlen = opcodeSpan(bytes, p);
    if (runlen + i > HLL_REGISTERS) return false; // overflow
    if (op & 0x80) {
      const val = ((op >>> 2) & 0x1f) + 1;
      for (let j = i; j < i + runlen; j++) if (val > max[j]) max[j] = val;
    }
    i += runlen;
    p += (op & 0xc0) === 0x40 ? 2 : 1;
  }
  return i === HLL_REGISTERS;
}

/** Ertl's sigma(x) for 0 <= x <= 1 (the series, summed until it stops changing). */
function hllSigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** Ertl's tau(x) for 0 <= x <= 1. */
function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/**
 * The cardinality estimate from a register histogram (64 slots), as an unsigned 64-bit value:
 * a number when it is a safe integer, else a bigint. An infinite estimate (every register at
 * Q + 1 or above) comes out as 2^63, the value x86's llroundl gives Redis for it.
 */
export function estimateFromHisto(histo: Int32Array): number | bigint {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - histo[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * hllSigma(histo[0] / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  // llroundl: halves away from zero, which Math.round does for the non-negative e.
  const r = Math.round(e);
  if (!(r < 9223372036854775808)) return 1n << 63n;
  return Number.isSafeInteger(r) ? r : BigInt(r);
}

const HISTO = new Int32Array(64);

/**
 * hllCount of a valid HLL's bytes: the estimate, or null when a sparse body is corrupt (the
 * register histogram does not cover 16384 registers).
 */
export function hllCount(bytes: Uint8Array, len: number): number | bigint | null {
  HISTO.fill(0);
  if (bytes[4] === HLL_DENSE) denseRegHisto(bytes, HISTO);
  else if (!sparseRegHisto(bytes, len, HISTO)) return null;
  return estimateFromHisto(HISTO);
}

/** hllCount over raw registers (one per byte). */
export function hllCountRaw(regs: Uint8Array): number | bigint {
  HISTO.fill(0);
  rawRegHisto(regs, HISTO);
  return estimateFromHisto(HISTO);
}

/** PFDEBUG DECODE: the sparse opcodes as "z:N", "Z:N" and "v:VAL,N", space separated. */
export function decodeSparse(bytes: Uint8Array, len: number): string {
  const parts: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = bytes[p];
    if ((op & 0xc0) === 0) {
      parts.push('z:' + ((op & 0x3f) + 1));
      p++;
    } else if ((op & 0x80) === 0) {
      parts.push('Z:' + xzeroLen(bytes, p));
      p += 2;
    } else {
      parts.push('v:' + (((op >>> 2) & 0x1f) + 1) + ',' + ((op & 3) + 1));
      p++;
    }
  }
  return parts.join(' ');
}
