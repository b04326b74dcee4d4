/**
 * Roberto Ierusalimschy's struct library (0.2, with Redis's fixes) as Redis 7.0 loads it:
 * struct.pack / struct.unpack / struct.size. Sizes are those of x86-64 Linux (int 4, long 8,
 * size_t 8, native little endian, maximum alignment 8).
 */
import {
  checkNumber, checkString, doubleToInt64, doubleToUint64, LuaArgError, LuaError, LuaLibrary, LuaOut,
  LuaValue, luaTypeName, toLuaString, toNumber,
} from './values';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const INT_MAX = 2147483647;
const LUAI_MAXCSTACK = 8000;

interface Header { little: boolean; align: number }

/** A cursor over the format string (a C string: it ends at the first NUL). */
class Format {
  pos = 0;
  readonly fmt: string;
  constructor(fmt: string) {
    const nul = fmt.indexOf('\0');
    this.fmt = nul >= 0 ? fmt.slice(0, nul) : fmt;
  }
  get done(): boolean { return this.pos >= this.fmt.length; }
  next(): string { return this.fmt[this.pos++]; }
  private isDigit(): boolean {
    const c = this.fmt.charCodeAt(this.pos);
    return c >= 48 && c <= 57;
  }
  /** getnum: digits as an int, with the overflow check Redis added. */
  num(def: number): number {
    if (!this.isDigit()) return def;
    let a = 0;
    do {
      const d = this.fmt.charCodeAt(this.pos) - 48;
      if (a > Math.trunc(INT_MAX / 10) || a * 10 > INT_MAX - d) throw new LuaError('integral size overflow');
      a = a * 10 + d;
      this.pos++;
    } while (this.isDigit());
    return a;
  }
}

function optsize(opt: string, f: Format): number {
  switch (opt) {
    case 'B': case 'b': return 1;
    case 'H': case 'h': return 2;
    case 'L': case 'l': case 'T': case 'd': return 8;
    case 'f': return 4;
    case 'x': return 1;
    case 'c': return f.num(1);
    case 'i': case 'I': {
      const sz = f.num(4);
      if (sz > MAXINTSIZE) throw new LuaError(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    default: return 0;
  }
}

function gettoalign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function isp2(x: number): boolean {
  return x > 0 && (x & (x - 1)) === 0;
}

function controloptions(opt: string, f: Format, h: Header, fname: string): void {
  switch (opt) {
    case ' ': return;
    case '>': h.little = false; return;
    case '<': h.little = true; return;
    case '!': {
      const a = f.num(MAXALIGN);
      if (!isp2(a)) throw new LuaError(`alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default: throw new LuaArgError(1, fname, `invalid format option '${opt}'`);
  }
}

function isIntegerOpt(opt: string): boolean {
  return 'bBhHlLTiI'.includes(opt);
}

const scratch = new DataView(new ArrayBuffer(8));

function readScratch(n: number, little: boolean): string {
  let s = '';
  if (little) for (let i = n - 1; i >= 0; i--) s += String.fromCharCode(scratch.getUint8(i));
  else for (let i = 0; i < n; i++) s += String.fromCharCode(scratch.getUint8(i));
  return s;
}

function writeScratch(s: string, at: number, n: number, little: boolean): void {
  for (let i = 0; i < n; i++) scratch.setUint8(little ? n - 1 - i : i, s.charCodeAt(at + i));
}

/**
 * An argument the way b_pack sees its stack: after the real arguments sits the nil it pushed as
 * a marker, then nothing.
 */
function packArg(args: LuaValue[], i: number): LuaValue[] {
  if (i < args.length) return args;
  const view = args.slice();
  view[args.length] = null;
  return view;
}

function pack(args: LuaValue[]): LuaOut[] {
  const f = new Format(checkString(args, 0, 'pack'));
  const h: Header = { little: true, align: 1 };
  let arg = 1; // 0-based index of the next argument
  let total = 0;
  const out: string[] = [];
  while (!f.done) {
    const opt = f.next();
    let size = optsize(opt, f);
    const toalign = gettoalign(total, h, opt, size);
    total += toalign;
    if (toalign > 0) out.push('\0'.repeat(toalign));
    if (isIntegerOpt(opt)) {
      const n = checkNumber(packArg(args, arg), arg, 'pack');
      arg++;
      const value = n < 0 ? BigInt.asUintN(64, doubleToInt64(n)) : doubleToUint64(n);
      const bytes: string[] = [];
      for (let i = 0; i < size; i++) bytes.push(i < 8 ? String.fromCharCode(Number((value >> BigInt(8 * i)) & 0xffn)) : '\0');
      if (!h.little) bytes.reverse();
      out.push(bytes.join(''));
    } else if (opt === 'x') {
      out.push('\0');
    } else if (opt === 'f') {
      const n = checkNumber(packArg(args, arg), arg, 'pack');
      arg++;
      scratch.setFloat32(0, n); // keeps a NaN's sign bit, as the C cast does
      out.push(readScratch(4, h.little));
    } else if (opt === 'd') {
      const n = checkNumber(packArg(args, arg), arg, 'pack');
      arg++;
      scratch.setFloat64(0, n);
      out.push(readScratch(8, h.little));
    } else if (opt === 'c' || opt === 's') {
      const view = packArg(args, arg);
      const s = toLuaString(view[arg]);
      if (s === null) throw new LuaArgError(arg + 1, 'pack', `string expected, got ${luaTypeName(view[arg])}`);
      arg++;
      if (size === 0) size = s.length;
      // lua_struct reports the argument after the string here.
      if (s.length < size) throw new LuaArgError(arg + 1, 'pack', 'string too short');
      out.push(s.slice(0, size));
      if (opt === 's') { out.push('\0'); size++; }
    } else {
      controloptions(opt, f, h, 'pack');
    }
    total += size;
  }
  return [out.join('')];
}

function getinteger(data: string, at: number, little: boolean, signed: boolean, size: number): number {
  let l = 0n;
  for (let i = 0; i < size; i++) {
    const b = data.charCodeAt(little ? at + size - 1 - i : at + i);
    l = BigInt.asUintN(64, (l << 8n) | BigInt(b));
  }
  if (!signed) return Number(l);
  // ~0 << (size*8 - 1); x86 masks the shift count to 6 bits.
  const shift = BigInt((size * 8 - 1) & 63);
  const mask = BigInt.asUintN(64, 0xffffffffffffffffn << shift);
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

function unpack(args: LuaValue[]): LuaOut[] {
  const f = new Format(checkString(args, 0, 'unpack'));
  const data = checkString(args, 1, 'unpack');
  const ld = data.length;
  // size_t pos = luaL_optinteger(L, 3, 1): negative offsets wrap to huge and fail later.
  let posBig = 1n;
  if (args[2] !== undefined && args[2] !== null) posBig = BigInt.asUintN(64, doubleToInt64(checkNumber(args, 2, 'unpack')));
  if (posBig === 0n) throw new LuaArgError(3, 'unpack', 'offset must be 1 or greater');
  posBig--;
  if (f.done) return [Number(BigInt.asIntN(64, posBig + 1n))];
  let p = Number(posBig);
  const h: Header = { little: true, align: 1 };
  const results: LuaOut[] = [];
  const baseSlots = Math.max(args.length, 2);
  const tooShort = () => new LuaArgError(2, 'unpack', 'data string too short');
  while (!f.done) {
    const opt = f.next();
    let size = optsize(opt, f);
    p += gettoalign(p, h, opt, size);
    if (!(size <= ld && p <= ld - size)) throw tooShort();
    if (baseSlots + results.length + 2 > LUAI_MAXCSTACK) throw new LuaError('stack overflow (too many results)');
    if (isIntegerOpt(opt)) {
      results.push(getinteger(data, p, h.little, opt >= 'a', size));
    } else if (opt === 'x') {
      // padding only
    } else if (opt === 'f') {
      writeScratch(data, p, 4, h.little);
      results.push(scratch.getFloat32(0));
    } else if (opt === 'd') {
      writeScratch(data, p, 8, h.little);
      results.push(scratch.getFloat64(0));
    } else if (opt === 'c') {
      if (size === 0) {
        const prev = results.length ? toNumber(results[results.length - 1] as LuaValue) : null;
        if (prev === null) throw new LuaError("format 'c0' needs a previous size");
        results.pop();
        const big = doubleToUint64(prev);
        if (!(big <= BigInt(ld) && BigInt(p) <= BigInt(ld) - big)) throw tooShort();
        size = Number(big);
      }
      results.push(data.slice(p, p + size));
    } else if (opt === 's') {
      const e = data.indexOf('\0', p);
      if (e < 0) throw new LuaError('unfinished string in data');
      size = e - p + 1;
      results.push(data.slice(p, e));
    } else {
      controloptions(opt, f, h, 'unpack');
    }
    p += size;
  }
  results.push(p + 1);
  return results;
}

function isAlnum(c: string): boolean {
  return /^[0-9A-Za-z]$/.test(c);
}

function size(args: LuaValue[]): LuaOut[] {
  const f = new Format(checkString(args, 0, 'size'));
  const h: Header = { little: true, align: 1 };
  let pos = 0;
  while (!f.done) {
    const opt = f.next();
    const sz = optsize(opt, f);
    pos += gettoalign(pos, h, opt, sz);
    if (opt === 's') throw new LuaArgError(1, 'size', "option 's' has no fixed size");
    if (opt === 'c' && sz === 0) throw new LuaArgError(1, 'size', "option 'c0' has no fixed size");
    if (!isAlnum(opt)) controloptions(opt, f, h, 'size');
    pos += sz;
  }
  return [pos];
}

export const structLibrary: LuaLibrary = {
  name: 'struct',
  functions: { pack, unpack, size },
};
