/**
 * Values exchanged between the Lua 5.1 VM binding and the pure-TS libraries Redis 7.0 loads into
 * its scripting VM (cjson, cmsgpack, struct, bit), plus the Lua 5.1 facts they share (number
 * formatting, string/number coercions, luaL_check* errors).
 *
 * For the binding:
 * - Strings are binary strings both ways (embedded NULs included). Numbers are doubles; keep NaN
 *   bit patterns as the VM has them (x86's 0/0 has the sign bit set and prints "-nan").
 * - A LuaError becomes a Lua error raised like luaL_error: the message gets the caller's position
 *   ("user_script:1: ...") in front. Except LuaRawError ("table index is nil"), which Lua itself
 *   raises inside the C function: push it as is. A LuaArgError carries `arg` and `extramsg` so the
 *   binding may rebuild it with luaL_argerror (whose function name comes from the call site).
 * - LuaOut arrays become tables 1..n (a null item is a hole); maps are rawset in entry order (a
 *   later duplicate key wins, a null value removes it). `{kind:'lightuserdata', pointer:0}` is
 *   cjson.null: push it with lua_pushlightuserdata(L, NULL) so that it == cjson.null.
 * - State: cjson's configuration lives in each library instance (Redis keeps it per VM: it
 *   survives between EVALs, SCRIPT FLUSH resets it, FUNCTION's VM has its own). Make fresh ones
 *   with createLuaLibraries() whenever a VM is created. cjson.new() (a second cjson table with
 *   its own configuration) is for the binding to build from createCjsonLibrary().
 * - Depth limits the C code hits through lua_checkstack (LUAI_MAXCSTACK = 8000 slots per C call)
 *   are modelled inside the libraries, so results match Redis at any nesting.
 */

/** A Lua value seen from JS. Lua strings are binary strings (char codes 0-255). */
export type LuaValue = null | boolean | number | string | LuaTableView | LuaOpaque;
export interface LuaOpaque {
  kind: 'function' | 'userdata' | 'lightuserdata' | 'thread';
  /** lightuserdata address (cjson.null is 0) */
  pointer?: number;
}
/** A Lua table read lazily from the VM (the binding implements it). */
export interface LuaTableView {
  kind: 'table';
  readonly id: number /* same table => same id */;
  length(): number /* lua_objlen */;
  get(key: LuaValue): LuaValue /* rawget */;
  pairs(): Array<[LuaValue, LuaValue]> /* lua_next order */;
}
/** What a library returns to push into Lua: arrays become tables 1..n; maps keep entry order. */
export type LuaOut =
  | null
  | boolean
  | number
  | string
  | { kind: 'array'; items: LuaOut[] }
  | { kind: 'map'; entries: Array<[LuaOut, LuaOut]> }
  | { kind: 'lightuserdata'; pointer: number };
/** Thrown by a library function: becomes a Lua error with exactly this message (as luaL_error would, no position prefix). */
export class LuaError extends Error {}
/** A library: name -> functions taking the Lua arguments and returning the Lua results. */
export interface LuaLibrary {
  name: string;
  functions: Record<string, (args: LuaValue[]) => LuaOut[]>;
  /** plain fields such as cjson.null, _NAME, _VERSION */
  fields?: Record<string, LuaOut>;
}

// ---------------------------------------------------------------------------------------------
// Lua 5.1 facts shared by the libraries.
// ---------------------------------------------------------------------------------------------

/**
 * An error Lua raises itself inside the C function (lua_settable's "table index is nil"): Redis
 * shows it without the "user_script:N: " position that luaL_error adds to all the others.
 */
export class LuaRawError extends LuaError {}

/**
 * An argument error (luaL_argerror): "bad argument #N to 'NAME' (extramsg)". NAME is the name
 * the function was registered under; the real Lua takes it from the call site's debug info (a
 * call through a local `local e = cjson.encode; e(x)` names 'e', pcall(cjson.encode, x) names
 * '?'). A binding that wants that exactness can rebuild the message from `arg` and `extramsg`
 * with luaL_argerror inside the VM.
 */
export class LuaArgError extends LuaError {
  constructor(readonly arg: number, readonly fname: string, readonly extramsg: string) {
    super(`bad argument #${arg} to '${fname}' (${extramsg})`);
  }
}

/** lua_typename(lua_type(v)); `undefined` is an absent argument ("no value", as luaL_typename says). */
export function luaTypeName(v: LuaValue | undefined): string {
  if (v === undefined) return 'no value';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'boolean': return 'boolean';
    case 'number': return 'number';
    case 'string': return 'string';
  }
  switch (v.kind) {
    case 'table': return 'table';
    case 'function': return 'function';
    case 'thread': return 'thread';
    default: return 'userdata'; // full and light userdata share the name
  }
}

export function isTable(v: LuaValue | undefined): v is LuaTableView {
  return v !== null && typeof v === 'object' && v.kind === 'table';
}

/** luaL_typerror: "bad argument #N to 'f' (number expected, got nil)". */
export function typeError(args: LuaValue[], i: number, fname: string, expected: string): LuaArgError {
  return new LuaArgError(i + 1, fname, `${expected} expected, got ${luaTypeName(args[i])}`);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian hosts: [low, high]

/** The two 32-bit halves of a double's bit pattern. */
export function doubleWords(x: number): [low: number, high: number] {
  f64[0] = x;
  return [u32[0], u32[1]];
}

/** The NaN x86 produces for 0/0 (sign bit set; glibc prints it "-nan"). JS keeps NaN bits as they come. */
export const NEG_NAN = new Float64Array(new BigUint64Array([0xfff8000000000000n]).buffer)[0];

export function isNegativeNaN(x: number): boolean {
  return Number.isNaN(x) && doubleWords(x)[1] >= 0x80000000;
}

/**
 * C's "%.<p>g" (glibc): exact decimal value rounded to p significant digits, ties to even.
 * Handles inf/nan/-0 like glibc (a NaN with its sign bit set prints as "-nan").
 */
export function formatG(x: number, p: number): string {
  if (Number.isNaN(x)) return isNegativeNaN(x) ? '-nan' : 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (p === 0) p = 1;
  const neg = x < 0;
  const ax = Math.abs(x);
  let { digits, exp } = roundDigits(ax, p);
  let out: string;
  if (exp < -4 || exp >= p) {
    const mant = stripZeros(digits[0] + '.' + digits.slice(1));
    const ae = Math.abs(exp);
    out = mant + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  } else if (exp >= 0) {
    out = stripZeros(digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1));
  } else {
    out = stripZeros('0.' + '0'.repeat(-exp - 1) + digits);
  }
  return neg ? '-' + out : out;
}

/** p significant digits of ax > 0 (finite), rounded half to even on the exact binary value. */
function roundDigits(ax: number, p: number): { digits: string; exp: number } {
  const e = ax.toExponential(p - 1); // JS rounds exact ties away from zero
  let digits = e.slice(0, e.indexOf('e')).replace('.', '');
  let exp = parseInt(e.slice(e.indexOf('e') + 1), 10);
  if (p < 100) {
    // A tie needs the exact value to have p+1 digits ending in 5; then glibc rounds to even.
    const longer = ax.toExponential(p);
    const ld = longer.slice(0, longer.indexOf('e')).replace('.', '');
    if (ld.endsWith('5') && isExactDecimal(ax, ld, parseInt(longer.slice(longer.indexOf('e') + 1), 10))) {
      const truncated = ld.slice(0, p);
      const lastDigit = truncated.charCodeAt(p - 1) - 48;
      if (lastDigit % 2 === 0) {
        digits = truncated;
        exp = parseInt(longer.slice(longer.indexOf('e') + 1), 10);
      }
    }
  }
  return { digits, exp };
}

/** Is ax exactly the decimal d.ddd × 10^exp (digits given without the point)? */
function isExactDecimal(ax: number, digits: string, exp: number): boolean {
  const [lo, hi] = doubleWords(ax);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else { mant |= 1n << 52n; e2 = biased - 1075; }
  let d = BigInt(digits);
  let e10 = exp - (digits.length - 1);
  // Compare mant × 2^e2 with d × 10^e10 as integers.
  let left = mant, right = d;
  if (e2 >= 0) left <<= BigInt(e2); else right <<= BigInt(-e2);
  if (e10 >= 0) right *= 10n ** BigInt(e10); else left *= 10n ** BigInt(-e10);
  return left === right;
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/** lua_Number to string as Lua 5.1 does (LUAI_NUMFFORMAT "%.14g"). */
export function luaNumberToString(n: number): string {
  return formatG(n, 14);
}

/**
 * glibc strtod on a prefix of s starting at `from` (no leading-space skipping): decimal, hex
 * floats, inf/infinity, nan/nan(...). Returns the value and the end index; end === from when
 * nothing was parsed.
 */
export function strtodPrefix(s: string, from: number): { value: number; end: number } {
  let i = from;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 43 || c0 === 45) { neg = c0 === 45; i++; }
  const rest = s.slice(i, i + 8).toLowerCase();
  if (rest.startsWith('inf')) {
    const end = i + (rest.startsWith('infinity') ? 8 : 3);
    return { value: neg ? -Infinity : Infinity, end };
  }
  if (rest.startsWith('nan')) {
    let end = i + 3;
    if (s.charCodeAt(end) === 40) { // nan(n-char-sequence)
      let j = end + 1;
      while (j < s.length && /[0-9A-Za-z_]/.test(s[j])) j++;
      if (s.charCodeAt(j) === 41) end = j + 1;
    }
    return { value: neg ? NEG_NAN : NaN, end };
  }
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 0x20) === 120) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?/.exec(s.slice(i));
    if (m && (m[1].length > 0 || (m[2] ?? '').length > 0)) {
      let end = i + m[0].length;
      let exp = 0;
      const pm = /^[pP]([+-]?\d+)/.exec(s.slice(end));
      if (pm) { exp = parseInt(pm[1], 10); end += pm[0].length; if (!Number.isFinite(exp)) exp = pm[1][0] === '-' ? -1e9 : 1e9; }
      const frac = m[2] ?? '';
      const v = hexValue(m[1] + frac, exp - 4 * frac.length);
      return { value: neg ? -v : v, end };
    }
    // "0x" with no hex digits: strtod parses the "0".
    return { value: neg ? -0 : 0, end: i + 1 };
  }
  const m = /^(\d*)(?:\.(\d*))?/.exec(s.slice(i));
  if (!m || (m[1].length === 0 && (m[2] ?? '').length === 0)) return { value: 0, end: from };
  let end = i + m[0].length;
  const em = /^[eE][+-]?\d+/.exec(s.slice(end));
  if (em) end += em[0].length;
  const v = Number(s.slice(i, end).replace(/\.(?=[eE]|$)/, ''));
  return { value: neg ? -v : v, end };
}

/** hexdigits × 2^exp, rounded to nearest-even once. */
function hexValue(hexDigits: string, exp: number): number {
  let mant = BigInt('0x' + (hexDigits.length ? hexDigits : '0'));
  if (mant === 0n) return 0;
  const bits = mant.toString(2).length;
  const top = bits - 1 + exp;
  if (top > 1023) return Infinity;
  const shift = Math.max(top - 52, -1074) - exp;
  if (shift > 0) {
    if (shift > bits + 1) return 0;
    const sh = BigInt(shift);
    let q = mant >> sh;
    const rem = mant - (q << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
    mant = q;
    exp += shift;
  }
  let v = Number(mant);
  let e = exp;
  while (e > 0) { const k = Math.min(e, 1000); v *= Math.pow(2, k); e -= k; }
  while (e < 0) { const k = Math.max(e, -1000); v *= Math.pow(2, k); e -= k; }
  return v;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * lua_tonumber on a string (luaO_str2d): strtod, or strtoul base 16 when it stops at an 'x';
 * trailing whitespace allowed; the C string ends at the first NUL. null when not a number.
 */
export function luaStringToNumber(str: string): number | null {
  const nul = str.indexOf('\0');
  const s = nul >= 0 ? str.slice(0, nul) : str;
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let { value, end } = strtodPrefix(s, i);
  if (end === i) return null;
  if ((s.charCodeAt(end) | 0x20) === 120) {
    // strtoul(s, 16): optional sign, optional 0x, hex digits; wraps like unsigned long.
    let j = i;
    let neg = false;
    if (s[j] === '+' || s[j] === '-') { neg = s[j] === '-'; j++; }
    if (s[j] === '0' && (s.charCodeAt(j + 1) | 0x20) === 120 && /[0-9a-fA-F]/.test(s[j + 2] ?? '')) j += 2;
    const start = j;
    while (j < s.length && /[0-9a-fA-F]/.test(s[j])) j++;
    if (j === start) return null;
    let u = BigInt('0x' + s.slice(start, j));
    if (u > 0xffffffffffffffffn) u = 0xffffffffffffffffn;
    if (neg) u = BigInt.asUintN(64, -u);
    value = Number(u);
    end = j;
  }
  while (end < s.length && isSpace(s.charCodeAt(end))) end++;
  if (end !== s.length) return null;
  return value;
}

/** lua_tonumber: numbers, and strings that convert; otherwise null (Lua's 0 with a failed isnumber). */
export function toNumber(v: LuaValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return luaStringToNumber(v);
  return null;
}

/** luaL_checknumber for args[i] (0-based). */
export function checkNumber(args: LuaValue[], i: number, fname: string): number {
  const n = toNumber(args[i]);
  if (n === null) throw typeError(args, i, fname, 'number');
  return n;
}

/** luaL_optnumber. */
export function optNumber(args: LuaValue[], i: number, fname: string, def: number): number {
  const v = args[i];
  if (v === undefined || v === null) return def;
  return checkNumber(args, i, fname);
}

/**
 * (int64_t)d as x86-64 compiles it (cvttsd2si): truncation, and 0x8000000000000000 for NaN and
 * out-of-range values. Returned as a bigint.
 */
export function doubleToInt64(d: number): bigint {
  if (!(d > -9223372036854775809 && d < 9223372036854775808)) return -9223372036854775808n;
  return BigInt(Math.trunc(d));
}

/** (uint64_t)d as gcc on x86-64 compiles it: values >= 2^63 via subtraction, overflow gives 0. */
export function doubleToUint64(d: number): bigint {
  if (d >= 9223372036854775808) {
    const r = d - 9223372036854775808;
    return r < 9223372036854775808 ? BigInt(Math.trunc(d)) : 0n;
  }
  return BigInt.asUintN(64, doubleToInt64(d));
}

/** luaL_checkinteger (lua_Integer is 64-bit: (ptrdiff_t)d), as a JS number (may be imprecise beyond 2^53). */
export function checkInteger(args: LuaValue[], i: number, fname: string): number {
  return Number(doubleToInt64(checkNumber(args, i, fname)));
}

/** luaL_checkinteger stored into a C int: the low 32 bits, signed. */
export function checkInt(args: LuaValue[], i: number, fname: string): number {
  return Number(BigInt.asIntN(32, doubleToInt64(checkNumber(args, i, fname))));
}

/** luaL_optinteger stored into a C int. */
export function optInt(args: LuaValue[], i: number, fname: string, def: number): number {
  const v = args[i];
  if (v === undefined || v === null) return def;
  return checkInt(args, i, fname);
}

/** lua_tolstring: strings, and numbers as "%.14g" text; otherwise null. */
export function toLuaString(v: LuaValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return luaNumberToString(v);
  return null;
}

/** luaL_checklstring for args[i] (0-based). */
export function checkString(args: LuaValue[], i: number, fname: string): string {
  const s = toLuaString(args[i]);
  if (s === null) throw typeError(args, i, fname, 'string');
  return s;
}

/** A plain in-memory table for tests and for callers that build Lua tables in JS. */
let nextFakeTableId = 1;
export class FakeLuaTable implements LuaTableView {
  readonly kind = 'table' as const;
  readonly id = nextFakeTableId++;
  /** Entries keyed the way Lua compares keys; Map keeps the order pairs() yields. */
  private readonly entries = new Map<unknown, [LuaValue, LuaValue]>();

  /** Entries in the order pairs() yields them; nil values are dropped like Lua does. */
  constructor(entries: Array<[LuaValue, LuaValue]> = []) {
    for (const [k, v] of entries) this.set(k, v);
  }

  static array(items: LuaValue[]): FakeLuaTable {
    return new FakeLuaTable(items.map((v, i) => [i + 1, v] as [LuaValue, LuaValue]));
  }

  private static keyOf(key: LuaValue): unknown {
    // Light userdata are values: equal addresses are the same key. Tables and functions by identity.
    if (key !== null && typeof key === 'object' && key.kind === 'lightuserdata') return `lud:${key.pointer ?? 0}`;
    return key;
  }

  set(key: LuaValue, value: LuaValue): this {
    const id = FakeLuaTable.keyOf(key);
    if (value === null) this.entries.delete(id);
    else this.entries.set(id, [key, value]);
    return this;
  }

  /** lua_objlen: a border (Lua picks some border for tables with holes; we take the first). */
  length(): number {
    let n = 0;
    while (this.entries.has(n + 1)) n++;
    return n;
  }

  get(key: LuaValue): LuaValue {
    const e = this.entries.get(FakeLuaTable.keyOf(key));
    return e ? e[1] : null;
  }

  pairs(): Array<[LuaValue, LuaValue]> {
    return [...this.entries.values()];
  }
}
