import type { Int64 } from './numbers';

/**
 * C's `long double` as Redis gets it on x86-64 Linux: the x87 80-bit extended format (64-bit
 * mantissa with an explicit integer bit, 15-bit exponent), emulated exactly with BigInt.
 *
 * INCRBYFLOAT and HINCRBYFLOAT parse with strtold, add in long double, and print with "%.17Lf"
 * (trailing zeros removed). The extra 11 bits of precision are why `0.1 + 0.2` prints as "0.3"
 * there, so emulating doubles would not do.
 *
 * A finite value is (-1)^neg * m * 2^e with 0 <= m < 2^64. Every operation rounds once, to nearest
 * with ties to even, onto that grid, including the subnormal range and overflow to infinity.
 */
export interface LongDouble {
  /** FINITE, INFINITE or NAN */
  kind: number;
  neg: boolean;
  /** Mantissa (finite values only): 0 <= m < 2^64. */
  m: bigint;
  /** Binary exponent of the mantissa's least significant bit. */
  e: number;
}

export const FINITE = 0;
export const INFINITE = 1;
export const NAN = 2;

/** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses inputs this long or longer. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const MANT_BITS = 64;
/** Exponent of the least significant mantissa bit of the smallest values (subnormals): 2^-16445. */
const E_MIN = -16445;
/** Largest exponent of a finite value's LSB: the largest finite value is (2^64-1) * 2^16320. */
const E_MAX = 16384 - MANT_BITS;
const TWO64 = 1n << 64n;

const ZERO: LongDouble = { kind: FINITE, neg: false, m: 0n, e: 0 };

export function ldZero(neg = false): LongDouble {
  return neg ? { kind: FINITE, neg: true, m: 0n, e: 0 } : ZERO;
}

export function ldInfinity(neg = false): LongDouble {
  return { kind: INFINITE, neg, m: 0n, e: 0 };
}

export function ldNaN(): LongDouble {
  return { kind: NAN, neg: false, m: 0n, e: 0 };
}

export function ldIsFinite(x: LongDouble): boolean {
  return x.kind === FINITE;
}

export function ldIsZero(x: LongDouble): boolean {
  return x.kind === FINITE && x.m === 0n;
}

/** Number of significant bits of n > 0. */
function bitLength(n: bigint): number {
  const hex = n.toString(16);
  const top = parseInt(hex[0], 16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(top));
}

/**
 * The long double nearest to (N / D) * 2^k, for N, D > 0: round to 64 significant bits (fewer
 * in the subnormal range), ties to even. Overflow gives infinity and total underflow zero.
 */
function roundTo(neg: boolean, N: bigint, D: bigint, k: number): LongDouble {
  // N/D lies in [2^(nb-1), 2^(nb+1)).
  const nb = bitLength(N) - bitLength(D);
  let e = Math.max(nb + k - MANT_BITS, E_MIN);
  for (;;) {
    const shift = e - k;
    let num = N;
    let den = D;
    if (shift >= 0) den = D << BigInt(shift);
    else num = N << BigInt(-shift);
    let q = num / den;
    if (q >= TWO64) {
      e++;
      continue;
    }
    const r2 = (num - q * den) * 2n;
    if (r2 > den || (r2 === den && (q & 1n) === 1n)) {
      q++;
      if (q === TWO64) {
        q = 1n << 63n;
        e++;
      }
    }
    if (e > E_MAX) return ldInfinity(neg);
    if (q === 0n) return ldZero(neg);
    return { kind: FINITE, neg, m: q, e };
  }
}

/** A 64-bit integer, converted exactly (a long double holds every long long). */
export function ldFromInt(n: Int64): LongDouble {
  const b = BigInt(n);
  if (b === 0n) return ZERO;
  return roundTo(b < 0n, b < 0n ? -b : b, 1n, 0);
}

/** A JS double, converted exactly. */
export function ldFromNumber(x: number): LongDouble {
  if (Number.isNaN(x)) return ldNaN();
  if (!Number.isFinite(x)) return ldInfinity(x < 0);
  if (x === 0) return ldZero(Object.is(x, -0));
  const neg = x < 0;
  let a = Math.abs(x);
  let k = 0;
  // Scale to an integer exactly (powers of two are exact).
  while (!Number.isInteger(a)) { a *= 2; k--; }
  while (a > Number.MAX_SAFE_INTEGER) { a /= 2; k++; }
  return roundTo(neg, BigInt(a), 1n, k);
}

/** a + b in long double arithmetic (one rounding, IEEE rules for zeros, infinities and NaN). */
export function ldAdd(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === NAN || b.kind === NAN) return ldNaN();
  if (a.kind === INFINITE || b.kind === INFINITE) {
    if (a.kind === INFINITE && b.kind === INFINITE && a.neg !== b.neg) return ldNaN();
    return a.kind === INFINITE ? a : b;
  }
  if (a.m === 0n) return b.m === 0n ? ldZero(a.neg && b.neg) : b;
  if (b.m === 0n) return a;
  const emin = Math.min(a.e, b.e);
  let A = a.m << BigInt(a.e - emin);
  let B = b.m << BigInt(b.e - emin);
  if (a.neg) A = -A;
  if (b.neg) B = -B;
  const S = A + B;
  if (S === 0n) return ZERO;
  return S < 0n ? roundTo(true, -S, 1n, emin) : roundTo(false, S, 1n, emin);
}

export function ldNeg(a: LongDouble): LongDouble {
  return { kind: a.kind, neg: a.kind === NAN ? a.neg : !a.neg, m: a.m, e: a.e };
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Case-insensitive match of s[i..] against a lower-case word, to the end of s. */
function restIs(s: string, i: number, word: string): boolean {
  if (s.length - i !== word.length) return false;
  for (let j = 0; j < word.length; j++) {
    let c = s.charCodeAt(i + j);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== word.charCodeAt(j)) return false;
  }
  return true;
}

/** Parse an exponent's digits (at least one) from s[i..] to the end; saturates. null if malformed. */
function parseExpDigits(s: string, i: number): number | null {
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 43 || c0 === 45) {
    neg = c0 === 45;
    i++;
  }
  if (i >= s.length) return null;
  let v = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return null;
    if (v < 1e9) v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}

/** Outcome of strtold over a whole string. */
export interface StrtoldResult {
  value: LongDouble;
  /** errno == ERANGE: the value overflowed to infinity or underflowed to zero. */
  erange: boolean;
}

/**
 * strtold (glibc, "C" locale) applied to the whole of s: decimal and hexadecimal ("0x1.8p3")
 * forms, "inf"/"infinity", "nan"/"nan(chars)", optional sign, after optional leading white space.
 * Returns null when s is not entirely consumed (or holds no number at all), as Redis treats that.
 * The result is correctly rounded to the long double grid.
 */
export function strtoldWhole(s: string): StrtoldResult | null {
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    neg = c === 45;
    i++;
    c = s.charCodeAt(i);
  }
  if (i >= n) return null;
  // inf, infinity, nan, nan(n-char-sequence)
  if (c === 105 || c === 73) {
    if (restIs(s, i, 'inf') || restIs(s, i, 'infinity')) return { value: ldInfinity(neg), erange: false };
    return null;
  }
  if (c === 110 || c === 78) {
    if (restIs(s, i, 'nan')) return { value: ldNaN(), erange: false };
    if (n - i >= 5 && restIs(s.slice(0, i + 4), i, 'nan(') && s.charCodeAt(n - 1) === 41) {
      for (let j = i + 4; j < n - 1; j++) {
        const d = s.charCodeAt(j);
        const ok = isDigit(d) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95;
        if (!ok) return null;
      }
      return { value: ldNaN(), erange: false };
    }
    return null;
  }
  if (c === 48 && (s.charCodeAt(i + 1) === 120 || s.charCodeAt(i + 1) === 88)) {
    return parseHex(s, i + 2, neg);
  }
  return parseDecimal(s, i, neg);
}

function parseDecimal(s: string, i: number, neg: boolean): StrtoldResult | null {
  const n = s.length;
  let digits = '';
  let fracDigits = 0;
  let any = false;
  let c = s.charCodeAt(i);
  while (i < n && isDigit(c)) {
    if (digits.length > 0 || c !== 48) digits += s[i];
    any = true;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (i < n && isDigit(c)) {
      if (digits.length > 0 || c !== 48) digits += s[i];
      fracDigits++;
      any = true;
      c = s.charCodeAt(++i);
    }
  }
  if (!any) return null;
  let exp = 0;
  if (i < n) {
    if (c !== 101 && c !== 69) return null;
    const x = parseExpDigits(s, i + 1);
    if (x === null) return null;
    exp = x;
  }
  if (digits.length === 0) return { value: ldZero(neg), erange: false };
  // Leading zeros were skipped; drop trailing zeros into the exponent.
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  const E = exp - fracDigits + (digits.length - end);
  const nd = end;
  const mag = E + nd; // value in [10^(mag-1), 10^mag)
  if (mag - 1 > 4932) return { value: ldInfinity(neg), erange: true };
  if (mag < -4951) return { value: ldZero(neg), erange: true };
  const D = BigInt(digits.slice(0, end));
  const value = E >= 0 ? roundTo(neg, D * 10n ** BigInt(E), 1n, 0) : roundTo(neg, D, 10n ** BigInt(-E), 0);
  return { value, erange: value.kind === INFINITE || value.m === 0n };
}

function parseHex(s: string, i: number, neg: boolean): StrtoldResult | null {
  const n = s.length;
  let hex = '';
  let fracDigits = 0;
  let any = false;
  let c = s.charCodeAt(i);
  while (i < n && hexVal(c) >= 0) {
    if (hex.length > 0 || c !== 48) hex += s[i];
    any = true;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (i < n && hexVal(c) >= 0) {
      if (hex.length > 0 || c !== 48) hex += s[i];
      fracDigits++;
      any = true;
      c = s.charCodeAt(++i);
    }
  }
  if (!any) return null;
  let exp = 0;
  if (i < n) {
    if (c !== 112 && c !== 80) return null;
    const x = parseExpDigits(s, i + 1);
    if (x === null) return null;
    exp = x;
  }
  if (hex.length === 0) return { value: ldZero(neg), erange: false };
  const H = BigInt('0x' + hex);
  const P = exp - 4 * fracDigits;
  const bl = bitLength(H);
  if (bl + P > 16385) return { value: ldInfinity(neg), erange: true };
  if (bl + P < -16446) return { value: ldZero(neg), erange: true };
  const value = roundTo(neg, H, 1n, P);
  return { value, erange: value.kind === INFINITE || value.m === 0n };
}

/**
 * Redis's string2ld: the string must be a whole number in strtold's syntax, shorter than
 * MAX_LONG_DOUBLE_CHARS, with no leading white space; overflow, underflow to zero and NaN are
 * refused. "inf" and "-inf" are accepted. Returns null when Redis would refuse the string.
 */
export function string2ld(s: string): LongDouble | null {
  const n = s.length;
  if (n === 0 || n >= MAX_LONG_DOUBLE_CHARS) return null;
  if (isSpace(s.charCodeAt(0))) return null;
  const r = strtoldWhole(s);
  if (r === null || r.erange || r.value.kind === NAN) return null;
  return r.value;
}

const TEN17 = 10n ** 17n;

/** C's printf("%.17Lf", x): fixed notation, 17 digits after the point, correctly rounded. */
export function formatLongDouble17f(x: LongDouble): string {
  if (x.kind === NAN) return x.neg ? '-nan' : 'nan';
  if (x.kind === INFINITE) return x.neg ? '-inf' : 'inf';
  let q: bigint;
  if (x.e >= 0) {
    q = (x.m << BigInt(x.e)) * TEN17;
  } else {
    const sh = BigInt(-x.e);
    const num = x.m * TEN17;
    q = num >> sh;
    const r = num - (q << sh);
    const half = 1n << (sh - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
  }
  const ip = q / TEN17;
  const fp = (q % TEN17).toString().padStart(17, '0');
  return (x.neg ? '-' : '') + ip.toString() + '.' + fp;
}

/**
 * Redis's ld2string in LD_STR_HUMAN mode: "%.17Lf" with trailing zeros (and a bare point)
 * removed, "-0" printed as "0", infinities as "inf"/"-inf".
 */
export function ld2string(x: LongDouble): string {
  if (x.kind === INFINITE) return x.neg ? '-inf' : 'inf';
  let s = formatLongDouble17f(x);
  if (s.indexOf('.') >= 0) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    s = s.slice(0, end);
  }
  if (s === '-0') s = '0';
  return s;
}
