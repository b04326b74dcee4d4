/**
 * LZF compression as Redis's bundled liblzf 3.6 does it (lzf_c.c with HLOG 16, VERY_FAST), so sizes
 * match Redis's: DEBUG OBJECT's serializedlength now, RDB and DUMP payloads later.
 *
 * Output format: 000LLLLL + L+1 literal bytes; LLLooooo oooooooo is a back reference of L+2 bytes
 * at distance o+1; 111ooooo LLLLLLLL oooooooo the same with length L+9.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

let htab: Int32Array | null = null;
/** The call that wrote each htab slot: slots from earlier calls read as empty, without a 256 KB fill per call. */
let hgen: Uint32Array | null = null;
let gen = 0;

function idx(h: number): number {
  // ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), in C's unsigned int arithmetic
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * lzf_compress: compress `input` into at most `outLen` bytes. Returns the compressed bytes, or
 * null when they would not fit (the caller then stores the data uncompressed).
 */
export function lzfCompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length;
  if (inLen === 0 || outLen <= 0) return null;
  // An empty table each time (Redis leaves it uninitialised; entries that point outside the
  // input are rejected either way, so this only makes the output repeatable). Slots written by
  // earlier calls carry an older generation and read as empty.
  if (htab === null || hgen === null) {
    htab = new Int32Array(HSIZE);
    hgen = new Uint32Array(HSIZE);
  }
  gen = (gen + 1) >>> 0;
  if (gen === 0) {
    hgen.fill(0);
    gen = 1;
  }
  const out = new Uint8Array(outLen + 1);
  const inEnd = inLen;
  const outEnd = outLen;
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run

  let hval = (input[ip] << 8) | input[ip + 1];
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = idx(hval);
    const ref = hgen[slot] === gen ? htab[slot] : -1;
    htab[slot] = ip;
    hgen[slot] = gen;
    const off = ip - ref - 1;
    if (ref > 0 && off >= 0 && off < MAX_OFF &&
      input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
      out[op - lit - 1] = lit - 1; // stop run
      op -= lit === 0 ? 1 : 0; // undo run if length is zero
      // As in C: with more than 16 bytes left, 16 unchecked steps first (they may run past
      // maxlen by a little, which matches a few more bytes), then the bounded loop.
      let mismatch = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            mismatch = true;
            break;
          }
        }
      }
      if (!mismatch) {
        do len++; while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // now #octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 255;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: hash the last two positions of the match too.
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      let h = idx(hval);
      htab[h] = ip;
      hgen[h] = gen;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      h = idx(hval);
      htab[h] = ip;
      hgen[h] = gen;
      ip++;
    } else {
      if (op >= outEnd) return null;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return null; // at most 3 bytes can be missing here
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  op -= lit === 0 ? 1 : 0;
  return out.slice(0, op);
}

/**
 * lzf_decompress: expand `input` into exactly `outLen` bytes (the length RDB stores beside the
 * compressed data). Returns null when the data is corrupt or does not expand to outLen bytes.
 */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      // literal run of ctrl + 1 bytes
      const n = ctrl + 1;
      if (op + n > outLen || ip + n > input.length) return null;
      out.set(input.subarray(ip, ip + n), op);
      ip += n;
      op += n;
    } else {
      // back reference
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= input.length) return null;
        len += input[ip++];
      }
      if (ip >= input.length) return null;
      let ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      // Byte by byte: the source may overlap what is being written (runs).
      for (let k = 0; k < len; k++) out[op++] = out[ref++];
    }
  }
  return op === outLen ? out : null;
}
