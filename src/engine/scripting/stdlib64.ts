/**
 * Lua 5.1 library functions as they behave on Redis's x86-64 build, where the wasm32 build differs
 * because its C `long` and `ptrdiff_t` (lua_Integer) are 32 bits:
 * - string.format: %d/%i/%x/%X/%o/%u would cut numbers to 32 bits. Formatted here in JS with
 *   64-bit integers and C's printf rules (flags "-+ #0", width and precision of two digits at most).
 * - string.sub / string.byte: indexes beyond 32 bits.
 * - tonumber(s, base): strtoul's 64-bit range.
 * - table.insert, table.remove, table.concat, string.rep, string.char, unpack, select: their int
 *   arguments (luaL_checkint); string.find/match/gsub get theirs set before the C matcher runs.
 */
import { formatG, isNegativeNaN, luaNumberToString } from './lib/values';
import { LUA_TFUNCTION, LUA_TNUMBER, LUA_TSTRING, LUA_TTABLE, type LuaVM } from './vm';

const FLAGS = '-+ #0';
const TWO63 = 9223372036854775808;

interface Spec {
  flags: string;
  width: number;
  precision: number; // -1 when absent
}

/** string.format(fmt, ...) on the stack of L; pushes the result. */
export function luaStringFormat(vm: LuaVM, L: number): number {
  const top = vm.top(L);
  const fmt = checkString(vm, L, 1);
  let arg = 1;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i];
    if (ch !== '%') {
      out += ch;
      i++;
      continue;
    }
    i++;
    if (fmt[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    if (++arg > top) vm.argError(L, arg, 'no value');
    // scanformat
    const start = i;
    while (i < fmt.length && FLAGS.includes(fmt[i])) i++;
    if (i - start >= FLAGS.length + 1) vm.raiseWhere(L, 'invalid format (repeated flags)');
    const flags = fmt.slice(start, i);
    let width = 0;
    let precision = -1;
    const ws = i;
    if (isDigit(fmt, i)) i++;
    if (isDigit(fmt, i)) i++;
    if (i > ws) width = Number(fmt.slice(ws, i));
    if (fmt[i] === '.') {
      i++;
      const ps = i;
      if (isDigit(fmt, i)) i++;
      if (isDigit(fmt, i)) i++;
      precision = i > ps ? Number(fmt.slice(ps, i)) : 0;
    }
    if (isDigit(fmt, i)) vm.raiseWhere(L, 'invalid format (width or precision too long)');
    const conv = fmt[i++] ?? '\0';
    const spec: Spec = { flags, width, precision };
    switch (conv) {
      case 'c': {
        const code = Math.trunc(vm.checkNumber(L, arg)) & 255;
        out += pad(String.fromCharCode(code), spec, false);
        break;
      }
      case 'd':
      case 'i':
        out += formatInt(toInt64(vm.checkNumber(L, arg)), spec);
        break;
      case 'o':
      case 'u':
      case 'x':
      case 'X':
        out += formatUnsigned(toUint64(vm.checkNumber(L, arg)), conv, spec);
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'g':
      case 'G':
        out += formatFloat(vm.checkNumber(L, arg), conv, spec);
        break;
      case 'q':
        out += quoted(checkString(vm, L, arg));
        break;
      case 's': {
        const s = checkString(vm, L, arg);
        if (precision < 0 && s.length >= 100) {
          out += s; // too long for sprintf's buffer: Lua keeps the whole string
        } else {
          const nul = s.indexOf('\0');
          let body = nul < 0 ? s : s.slice(0, nul); // sprintf's %s stops at a NUL
          if (precision >= 0) body = body.slice(0, precision);
          out += pad(body, spec, false);
        }
        break;
      }
      default:
        vm.raiseWhere(L, `invalid option '%${conv}' to 'format'`);
    }
  }
  vm.pushString(L, out);
  return 1;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** luaL_checklstring: a string, or a number converted as Lua does. */
function checkString(vm: LuaVM, L: number, arg: number): string {
  const t = vm.type(L, arg);
  if (t === LUA_TSTRING) return vm.toStr(L, arg)!;
  if (t === LUA_TNUMBER) return luaNumberToString(vm.toNumber(L, arg));
  vm.checkType(L, arg, LUA_TSTRING); // raises "string expected, got <type>"
  return '';
}

/** (long long)d as x86-64 converts it: out of range and NaN give INT64_MIN. */
function toInt64(d: number): bigint {
  if (Number.isNaN(d) || d >= TWO63 || d < -TWO63) return -(1n << 63n);
  return BigInt(Math.trunc(d));
}

/** (unsigned long long)d as gcc compiles it on x86-64 (from 2^63 on, and for NaN, through d - 2^63). */
function toUint64(d: number): bigint {
  if (d < TWO63 || Number.isNaN(d)) return BigInt.asUintN(64, toInt64(d));
  return BigInt.asUintN(64, toInt64(d - TWO63) ^ (1n << 63n));
}

function formatInt(v: bigint, spec: Spec): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (spec.precision >= 0) {
    if (spec.precision === 0 && v === 0n) digits = '';
    digits = digits.padStart(spec.precision, '0');
  }
  const sign = neg ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  return padNumber(sign, '', digits, spec, spec.precision < 0);
}

function formatUnsigned(v: bigint, conv: string, spec: Spec): string {
  let digits = conv === 'o' ? v.toString(8) : conv === 'u' ? v.toString(10) : v.toString(16);
  if (conv === 'X') digits = digits.toUpperCase();
  if (spec.precision >= 0) {
    if (spec.precision === 0 && v === 0n) digits = '';
    digits = digits.padStart(spec.precision, '0');
  }
  let prefix = '';
  if (spec.flags.includes('#')) {
    if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    else if ((conv === 'x' || conv === 'X') && v !== 0n) prefix = conv === 'x' ? '0x' : '0X';
  }
  return padNumber('', prefix, digits, spec, spec.precision < 0);
}

function formatFloat(d: number, conv: string, spec: Spec): string {
  const upper = conv === 'E' || conv === 'G';
  const neg = d < 0 || Object.is(d, -0) || (Number.isNaN(d) && isNegativeNaN(d));
  const sign = neg ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  const ad = Math.abs(d);
  if (!Number.isFinite(ad)) {
    const body = Number.isNaN(ad) ? 'nan' : 'inf';
    return padNumber(sign, '', upper ? body.toUpperCase() : body, spec, false);
  }
  const p = spec.precision < 0 ? 6 : spec.precision;
  let body: string;
  if (conv === 'f') {
    body = toFixedC(ad, p);
    if (p === 0 && spec.flags.includes('#')) body += '.';
  } else if (conv === 'e' || conv === 'E') {
    body = expC(ad, p, spec.flags.includes('#'));
  } else if (spec.flags.includes('#')) {
    body = altG(ad, p === 0 ? 1 : p);
  } else {
    body = formatG(ad, p === 0 ? 1 : p);
  }
  if (upper) body = body.toUpperCase();
  return padNumber(sign, '', body, spec, true);
}

/** "%.pf" of ax >= 0 with exact ties rounded to even, as glibc does. */
function toFixedC(ax: number, p: number): string {
  if (ax >= 1e21) {
    // An integer: its exact decimal value.
    const int = BigInt(ax).toString();
    return p > 0 ? int + '.' + '0'.repeat(p) : int;
  }
  if (p <= 75) {
    const longer = ax.toFixed(p + 25);
    const dot = longer.indexOf('.');
    const cut = dot + 1 + p;
    if (longer[cut] === '5' && /^0*$/.test(longer.slice(cut + 1))) {
      // An exact tie: keep the even neighbour.
      const kept = longer.slice(0, p > 0 ? cut : dot);
      const last = kept.charCodeAt(kept.length - 1) - 48;
      if (last % 2 === 0) return kept;
    }
  }
  return ax.toFixed(Math.min(p, 100));
}

/** "%.pe" of ax >= 0: at least two exponent digits. */
function expC(ax: number, p: number, alt: boolean): string {
  const s = ax.toExponential(Math.min(p, 100));
  const e = s.indexOf('e');
  let mant = s.slice(0, e);
  if (alt && !mant.includes('.')) mant += '.';
  const exp = Number(s.slice(e + 1));
  const ae = Math.abs(exp);
  return mant + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
}

/** "%#.pg": like %g, but trailing zeros stay and there is always a decimal point. */
function altG(ax: number, p: number): string {
  if (ax === 0) return p > 1 ? '0.' + '0'.repeat(p - 1) : '0.';
  const e = ax.toExponential(p - 1);
  const exp = Number(e.slice(e.indexOf('e') + 1));
  if (exp < -4 || exp >= p) {
    const body = expC(ax, p - 1, true);
    return body;
  }
  const body = ax.toFixed(p - 1 - exp);
  return body.includes('.') ? body : body + '.';
}

/** Width and the '-' / '0' flags around sign + prefix + digits. */
function padNumber(sign: string, prefix: string, digits: string, spec: Spec, zeroAllowed: boolean): string {
  const len = sign.length + prefix.length + digits.length;
  if (spec.width <= len) return sign + prefix + digits;
  if (spec.flags.includes('-')) return (sign + prefix + digits).padEnd(spec.width, ' ');
  if (spec.flags.includes('0') && zeroAllowed) return sign + prefix + digits.padStart(spec.width - sign.length - prefix.length, '0');
  return (sign + prefix + digits).padStart(spec.width, ' ');
}

function pad(s: string, spec: Spec, _numeric: boolean): string {
  if (spec.width <= s.length) return s;
  return spec.flags.includes('-') ? s.padEnd(spec.width, ' ') : s.padStart(spec.width, ' ');
}

/** %q: a Lua string literal that reads back as the same bytes. */
function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === '\\' || c === '\n') out += '\\' + c;
    else if (c === '\r') out += '\\r';
    else if (c === '\0') out += '\\000';
    else out += c;
  }
  return out + '"';
}

/** (lua_Integer)luaL_checknumber: a 64-bit ptrdiff_t on x86-64. */
function checkInteger(vm: LuaVM, L: number, arg: number): number {
  const d = vm.checkNumber(L, arg);
  if (Number.isNaN(d) || d >= TWO63 || d < -TWO63) return -TWO63;
  return Math.trunc(d);
}

function optInteger(vm: LuaVM, L: number, arg: number, def: number): number {
  return vm.type(L, arg) <= 0 ? def : checkInteger(vm, L, arg); // none or nil
}

/** Lua's posrelat: a negative position counts from the end. */
function posrelat(pos: number, len: number): number {
  if (pos < 0) pos += len + 1;
  return pos >= 0 ? pos : 0;
}

/** string.sub(s, i [, j]) */
export function luaStringSub(vm: LuaVM, L: number): number {
  const s = checkString(vm, L, 1);
  const l = s.length;
  let start = posrelat(checkInteger(vm, L, 2), l);
  let end = posrelat(optInteger(vm, L, 3, -1), l);
  if (start < 1) start = 1;
  if (end > l) end = l;
  vm.pushString(L, start <= end ? s.slice(start - 1, end) : '');
  return 1;
}

/** string.byte(s [, i [, j]]) */
export function luaStringByte(vm: LuaVM, L: number): number {
  const s = checkString(vm, L, 1);
  const l = s.length;
  let posi = posrelat(optInteger(vm, L, 2, 1), l);
  let pose = posrelat(optInteger(vm, L, 3, posi), l);
  if (posi <= 0) posi = 1;
  if (pose > l) pose = l;
  if (posi > pose) return 0;
  const n = pose - posi + 1;
  vm.checkStack(L, n, 'string slice too long');
  for (let i = 0; i < n; i++) vm.pushNumber(L, s.charCodeAt(posi - 1 + i));
  return n;
}

/** tonumber(e [, base]) */
export function luaTonumber(vm: LuaVM, L: number): number {
  const base = vm.type(L, 2) <= 0 ? 10 : Math.trunc(vm.checkNumber(L, 2)) | 0;
  if (base === 10) {
    vm.checkAny(L, 1);
    if (vm.isNumber(L, 1)) vm.pushNumber(L, vm.toNumber(L, 1));
    else vm.pushNil(L);
    return 1;
  }
  const s = checkString(vm, L, 1);
  if (!(base >= 2 && base <= 36)) vm.argError(L, 2, 'base out of range');
  const n = strtoul(s, base);
  vm.pushNumber(L, n ?? NaN);
  if (n === null) {
    vm.pop(L, 1);
    vm.pushNil(L);
  }
  return 1;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** strtoul with Lua's checks around it: the value as a double, or null when not a whole number. */
function strtoul(s: string, base: number): number | null {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s.charCodeAt(i + 2)) < 16) i += 2;
  let v = 0n;
  let any = false;
  let overflow = false;
  const max = (1n << 64n) - 1n;
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= base) break;
    any = true;
    v = v * BigInt(base) + BigInt(d);
    if (v > max) overflow = true;
  }
  if (!any) return null;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  if (i < s.length) return null; // trailing characters (a NUL ends the C string, but Lua sees the rest)
  if (overflow) v = max;
  else if (neg) v = BigInt.asUintN(64, -v);
  return Number(v);
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/**
 * luaL_checkint / luaL_optint as on x86-64: the argument becomes a 64-bit lua_Integer, then a C
 * int keeps its low 32 bits (2^32 + 2 acts as 2). The wasm32 build converts straight to a 32-bit
 * integer instead, which gave other results and, in table.insert, a loop of 2^31 steps.
 */
function checkInt(vm: LuaVM, L: number, arg: number): number {
  return Number(BigInt.asIntN(32, BigInt(checkInteger(vm, L, arg))));
}

function optInt(vm: LuaVM, L: number, arg: number, def: number): number {
  return vm.type(L, arg) <= 0 ? def : checkInt(vm, L, arg); // none or nil
}

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** table.insert(t, [pos,] value) — ltablib.c's tinsert. */
export function luaTableInsert(vm: LuaVM, L: number): number {
  vm.checkType(L, 1, LUA_TTABLE);
  let e = vm.objLen(L, 1) + 1; // first empty element
  let pos: number;
  switch (vm.top(L)) {
    case 2:
      pos = e;
      break;
    case 3:
      pos = checkInt(vm, L, 2);
      if (pos > e) e = pos; // "grow" the array
      for (let i = e; i > pos; i--) {
        vm.rawGetI(L, 1, i - 1);
        vm.rawSetI(L, 1, i); // t[i] = t[i-1]
      }
      break;
    default:
      return vm.raiseWhere(L, "wrong number of arguments to 'insert'");
  }
  vm.rawSetI(L, 1, pos); // t[pos] = value (on top)
  return 0;
}

/** table.remove(t [, pos]) — ltablib.c's tremove. */
export function luaTableRemove(vm: LuaVM, L: number): number {
  vm.checkType(L, 1, LUA_TTABLE);
  const e = vm.objLen(L, 1);
  let pos = optInt(vm, L, 2, e);
  if (!(1 <= pos && pos <= e)) return 0; // outside the bounds: nothing to remove
  vm.rawGetI(L, 1, pos); // the result
  for (; pos < e; pos++) {
    vm.rawGetI(L, 1, pos + 1);
    vm.rawSetI(L, 1, pos); // t[pos] = t[pos+1]
  }
  vm.pushNil(L);
  vm.rawSetI(L, 1, e); // t[e] = nil
  return 1;
}

/** table.concat(t [, sep [, i [, j]]]) — ltablib.c's tconcat, with Redis's error text. */
export function luaTableConcat(vm: LuaVM, L: number): number {
  const sep = vm.type(L, 2) <= 0 ? '' : checkString(vm, L, 2);
  vm.checkType(L, 1, LUA_TTABLE);
  let i = optInt(vm, L, 3, 1);
  const last = optInt(vm, L, 4, vm.objLen(L, 1));
  const parts: string[] = [];
  const field = (k: number): void => {
    const t = vm.rawGetI(L, 1, k);
    if (t === LUA_TSTRING) parts.push(vm.toStr(L, -1)!);
    else if (t === LUA_TNUMBER) parts.push(luaNumberToString(vm.toNumber(L, -1)));
    else vm.raiseWhere(L, `invalid value (${TYPE_NAMES[t] ?? 'no value'}) at index ${k} in table for 'concat'`);
    vm.pop(L, 1);
  };
  for (; i < last; i++) {
    field(i);
    parts.push(sep);
  }
  if (i === last) field(i); // the last value, when the interval was not empty
  vm.pushString(L, parts.join(''));
  return 1;
}

/** string.rep(s, n) — lstrlib.c's str_rep. */
export function luaStringRep(vm: LuaVM, L: number): number {
  const s = checkString(vm, L, 1);
  const n = checkInt(vm, L, 2);
  vm.pushString(L, n > 0 ? s.repeat(n) : '');
  return 1;
}

/** unpack(t [, i [, j]]) — lbaselib.c's luaB_unpack. */
export function luaUnpack(vm: LuaVM, L: number): number {
  vm.checkType(L, 1, LUA_TTABLE);
  let i = optInt(vm, L, 2, 1);
  const e = optInt(vm, L, 3, vm.objLen(L, 1));
  if (i > e) return 0; // empty range
  const n = (e - i + 1) | 0; // C int arithmetic: overflow shows as n <= 0
  if (n <= 0 || !vm.ensureStack(L, n)) return vm.raiseWhere(L, 'too many results to unpack');
  vm.rawGetI(L, 1, i);
  while (i++ < e) vm.rawGetI(L, 1, i);
  return n;
}

/** select(n, ...) — lbaselib.c's luaB_select. */
export function luaSelect(vm: LuaVM, L: number): number {
  const n = vm.top(L);
  if (vm.type(L, 1) === LUA_TSTRING && vm.toStr(L, 1)!.startsWith('#')) {
    vm.pushNumber(L, n - 1);
    return 1;
  }
  let i = checkInt(vm, L, 1);
  if (i < 0) i = n + i;
  else if (i > n) i = n;
  if (!(1 <= i)) vm.argError(L, 1, 'index out of range');
  return n - i;
}

/** string.char(...) — lstrlib.c's str_char. */
export function luaStringChar(vm: LuaVM, L: number): number {
  const n = vm.top(L);
  let out = '';
  for (let i = 1; i <= n; i++) {
    const c = checkInt(vm, L, i);
    if ((c & 255) !== c) vm.argError(L, i, 'invalid value');
    out += String.fromCharCode(c);
  }
  vm.pushString(L, out);
  return 1;
}

/**
 * string.find, string.match and string.gsub keep the C pattern matcher; only their int arguments
 * are set first as x86-64 reads them, after checking in this frame every argument the C function
 * would reject (so errors still name 'find', 'gsub'...). What the C function raises itself then
 * are pattern errors, which name no function.
 */
export function wrapPatternFunction(vm: LuaVM, L: number, name: 'find' | 'match' | 'gsub', originalRef: number): (L: number) => number {
  return (L2: number): number => {
    checkString(vm, L2, 1);
    checkString(vm, L2, 2);
    if (name === 'gsub') {
      const tr = vm.type(L2, 3);
      if (!(tr === LUA_TNUMBER || tr === LUA_TSTRING || tr === LUA_TFUNCTION || tr === LUA_TTABLE)) {
        vm.argError(L2, 3, 'string/function/table expected');
      }
      // n: luaL_optint, a C int from the 64-bit integer.
      if (vm.type(L2, 4) > 0) {
        const n = checkInt(vm, L2, 4);
        vm.pushNumber(L2, n);
        vm.replace(L2, 4);
      }
    } else if (vm.type(L2, 3) > 0) {
      // init: a 64-bit ptrdiff_t; past either end of a string it acts like the int32 extremes.
      const init = checkInteger(vm, L2, 3);
      vm.pushNumber(L2, Math.max(-2147483648, Math.min(2147483647, init)));
      vm.replace(L2, 3);
    }
    const nargs = vm.top(L2);
    vm.pushRef(L2, originalRef);
    vm.insert(L2, 1);
    // A pattern error is raised again from this frame, so it is seen as raised by the function the
    // script called (Redis's error handler reports that function's Lua caller, user_script:N).
    if (vm.pcall(L2, nargs, -1) !== 0) {
      // luaL_error in the C matcher prefixed luaL_where(1): from inside this wrapper that was a C
      // frame (""), where Redis has the script's line. Errors from Lua callbacks carry theirs.
      const msg = vm.type(L2, -1) === LUA_TSTRING ? vm.toStr(L2, -1)! : null;
      if (msg !== null && !/^[^\n:]*:\d+: /.test(msg)) {
        vm.pop(L2, 1);
        return vm.raiseWhere(L2, msg);
      }
      return vm.raise(L2);
    }
    return vm.top(L2);
  };
}
