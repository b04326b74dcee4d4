/**
 * LuaBitOp ("bit"), as Redis 7.0 loads it: 32-bit operations on Lua numbers. A number becomes
 * its 32 bits the way LuaBitOp does it: add 2^52+2^51 (rounding to nearest-even) and keep the
 * low word of the double, so big values wrap modulo 2^32 and fractions round half to even.
 * Results are signed 32-bit numbers.
 */
import { doubleWords, LuaLibrary, LuaOut, LuaValue, toNumber, typeError } from './values';

/** barg(): a number (or numeric string) as unsigned 32 bits; non-numbers that read as 0 fail. */
function barg(args: LuaValue[], i: number, fname: string): number {
  const n = toNumber(args[i]);
  const b = doubleWords((n ?? 0) + 6755399441055744.0)[0];
  if (b === 0 && n === null) throw typeError(args, i, fname, 'number');
  return b;
}

const signed = (b: number): LuaOut[] => [b | 0];

function fold(fname: string, op: (a: number, b: number) => number) {
  return (args: LuaValue[]): LuaOut[] => {
    let b = barg(args, 0, fname);
    for (let i = args.length - 1; i > 0; i--) b = op(b, barg(args, i, fname));
    return signed(b);
  };
}

function shift(fname: string, op: (b: number, n: number) => number) {
  return (args: LuaValue[]): LuaOut[] => {
    const b = barg(args, 0, fname);
    const n = barg(args, 1, fname) & 31;
    return signed(op(b, n));
  };
}

export const bitLibrary: LuaLibrary = {
  name: 'bit',
  functions: {
    tobit: (args) => signed(barg(args, 0, 'tobit')),
    bnot: (args) => signed(~barg(args, 0, 'bnot')),
    band: fold('band', (a, b) => a & b),
    bor: fold('bor', (a, b) => a | b),
    bxor: fold('bxor', (a, b) => a ^ b),
    lshift: shift('lshift', (b, n) => b << n),
    rshift: shift('rshift', (b, n) => b >>> n),
    arshift: shift('arshift', (b, n) => (b | 0) >> n),
    rol: shift('rol', (b, n) => (b << n) | (b >>> (32 - n))), // JS masks shift counts: n=0 gives b|b
    ror: shift('ror', (b, n) => (b >>> n) | (b << (32 - n))),
    bswap: (args) => {
      const b = barg(args, 0, 'bswap');
      return signed(((b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24)) >>> 0);
    },
    tohex: (args) => {
      let b = barg(args, 0, 'tohex');
      let n = args.length < 2 ? 8 : barg(args, 1, 'tohex') | 0;
      let digits = '0123456789abcdef';
      if (n < 0) { n = -n; digits = '0123456789ABCDEF'; }
      // n == INT_MIN: -n overflows in C and Redis 7.0.15 crashes; later Redis prints 8 upper-case digits, as we do.
      if (n > 8 || n < 0) n = 8;
      let out = '';
      for (let i = 0; i < n; i++) { out = digits[b & 15] + out; b >>>= 4; }
      return [out];
    },
  },
};
