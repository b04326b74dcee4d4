/**
 * Numbers the way Redis parses and prints them.
 * Integers are 64-bit signed (C long long): values inside JS's safe range are numbers,
 * larger ones are bigints, so arithmetic near the limits stays exact.
 */

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;
export type Int64 = number | bigint;

/**
 * Redis's string2ll: optional '-', no '+', no spaces, no leading zeros ("0" alone is fine),
 * within [LLONG_MIN, LLONG_MAX]. Returns null when the string is not such an integer.
 */
export function string2ll(s: string): Int64 | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
    if (n === 1) return null;
  }
  let c = s.charCodeAt(i);
  if (c === 48) return n === 1 ? 0 : null; // "0" only; "-0", "01" are not integers
  if (c < 49 || c > 57) return null;
  if (n - i <= 15) {
    let v = 0;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      v = v * 10 + (c - 48);
    }
    return neg ? -v : v;
  }
  for (let j = i; j < n; j++) {
    c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const big = BigInt(s);
  if (big > LLONG_MAX || big < LLONG_MIN) return null;
  return normInt(big);
}

/** A bigint that fits JS's safe range becomes a number; other values stay as they are. */
export function normInt(v: bigint): Int64 {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** a + b, or null on 64-bit overflow. */
export function addInt64(a: Int64, b: Int64): Int64 | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  const r = BigInt(a) + BigInt(b);
  if (r > LLONG_MAX || r < LLONG_MIN) return null;
  return normInt(r);
}

/** Numeric comparison across number/bigint. */
export function cmpInt64(a: Int64, b: Int64): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^[+-]?(?:inf|infinity)$/i;

/**
 * Redis's string2d (strtod with its strictness): no leading space, the whole string consumed,
 * no NaN, and overflow/underflow to zero rejected. Returns null when invalid.
 */
export function string2d(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  if (DECIMAL_RE.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return null; // overflow (ERANGE, HUGE_VAL)
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null; // underflow to zero
    return v;
  }
  if (INF_RE.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  const m = HEX_RE.exec(s);
  if (m && (m[2].length > 0 || m[3].length > 0)) {
    const v = hexToDouble(BigInt('0x' + m[2] + m[3]), (m[4] ? parseInt(m[4], 10) : 0) - 4 * m[3].length);
    if (v === null) return null;
    return m[1] === '-' ? -v : v;
  }
  return null;
}

/**
 * mant × 2^exp rounded once to the nearest double (ties to even), as strtod does for hex floats.
 * null when it overflows or underflows to zero (strtod's ERANGE cases Redis rejects).
 */
function hexToDouble(mant: bigint, exp: number): number | null {
  if (mant === 0n) return 0;
  const bits = mant.toString(2).length;
  const top = bits - 1 + exp; // binary exponent of the leading bit
  if (top > 1023) return null;
  // Keep the bits down to 2^-1074 (subnormals) or 53 bits, whichever is coarser.
  const shift = Math.max(top - 52, -1074) - exp;
  let q = mant;
  if (shift > 0) {
    if (shift > bits) return null; // below half the smallest subnormal
    const s = BigInt(shift);
    q = mant >> s;
    const rem = mant - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    if (q === 0n) return null;
  }
  // q has at most 53 significant bits and q × 2^e is representable (or overflows): exact steps.
  let e = exp + Math.max(shift, 0);
  let v = Number(q);
  while (e > 0) { const k = Math.min(e, 1000); v *= Math.pow(2, k); e -= k; }
  while (e < 0) { const k = Math.max(e, -1000); v *= Math.pow(2, k); e -= k; }
  return Number.isFinite(v) ? v : null;
}

/** C's "%.17g" (what Redis 7.0 uses for doubles in replies and in ZSCORE-like output). */
export function formatDouble17g(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  return formatG(x, 17);
}

/** C's "%.<p>g" for finite non-zero x. */
export function formatG(x: number, p: number): string {
  const e = x.toExponential(p - 1); // correctly rounded: "d.ddde±X"
  const ei = e.indexOf('e');
  const exp = parseInt(e.slice(ei + 1), 10);
  const neg = e.charCodeAt(0) === 45;
  const digits = (neg ? e.slice(1, ei) : e.slice(0, ei)).replace('.', '');
  let out: string;
  if (exp < -4 || exp >= p) {
    let mant = digits[0] + '.' + digits.slice(1);
    mant = stripZeros(mant);
    const ae = Math.abs(exp);
    out = mant + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  } else if (exp >= 0) {
    out = stripZeros(digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1));
  } else {
    out = stripZeros('0.' + '0'.repeat(-exp - 1) + digits);
  }
  return neg ? '-' + out : out;
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/**
 * glibc's atoi, as Redis's key extraction reads numkeys: (int) strtol(s): leading blanks, a sign,
 * digits; saturated to the 64-bit range, then cut to its low 32 bits.
 */
export function atoi(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  let v = 0n;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    v = v * 10n + BigInt(s.charCodeAt(i) - 48);
    if (v > 9223372036854775808n) break;
    i++;
  }
  if (neg) v = -v;
  if (v > LLONG_MAX) v = LLONG_MAX;
  if (v < LLONG_MIN) v = LLONG_MIN;
  return Number(BigInt.asIntN(32, v));
}
