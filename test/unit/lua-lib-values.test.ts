// Shared Lua facts (values.ts) and library fields; expected texts checked against redis-server 7.0.15.
import { describe, expect, it } from 'vitest';
import { createLuaLibraries, LUA_LIBRARIES } from '../../src/engine/scripting/lib/index';
import {
  checkInt, checkNumber, checkString, doubleToInt64, doubleToUint64, FakeLuaTable, formatG, isNegativeNaN,
  LuaArgError, LuaError, LuaRawError, luaNumberToString, luaStringToNumber, luaTypeName, NEG_NAN,
} from '../../src/engine/scripting/lib/values';

describe('library fields', () => {
  it('registers the four libraries with Redis 7.0.15 field values', () => {
    const byName = Object.fromEntries(LUA_LIBRARIES.map((l) => [l.name, l]));
    expect(Object.keys(byName).sort()).toEqual(['bit', 'cjson', 'cmsgpack', 'struct']);
    expect(byName.cjson.fields).toEqual({ null: { kind: 'lightuserdata', pointer: 0 }, _NAME: 'cjson', _VERSION: '2.1.0' });
    expect(byName.cmsgpack.fields).toEqual({
      _NAME: 'cmsgpack', _VERSION: 'lua-cmsgpack 0.4.0',
      _COPYRIGHT: 'Copyright (C) 2012, Salvatore Sanfilippo', _DESCRIPTION: 'MessagePack C implementation for Lua',
    });
    expect(Object.keys(byName.cjson.functions).sort()).toEqual([
      'decode', 'decode_invalid_numbers', 'decode_max_depth', 'encode', 'encode_invalid_numbers', 'encode_keep_buffer',
      'encode_max_depth', 'encode_number_precision', 'encode_sparse_array',
    ]);
    expect(Object.keys(byName.cmsgpack.functions).sort()).toEqual(['pack', 'unpack', 'unpack_limit', 'unpack_one']);
    expect(Object.keys(byName.struct.functions).sort()).toEqual(['pack', 'size', 'unpack']);
    expect(Object.keys(byName.bit.functions).sort()).toEqual(
      ['arshift', 'band', 'bnot', 'bor', 'bswap', 'bxor', 'lshift', 'rol', 'ror', 'rshift', 'tobit', 'tohex']);
  });

  it('keeps cjson configuration per instance (a new VM starts from the defaults, like SCRIPT FLUSH)', () => {
    const a = createLuaLibraries().find((l) => l.name === 'cjson')!;
    const b = createLuaLibraries().find((l) => l.name === 'cjson')!;
    expect(a.functions.encode_number_precision([3])).toEqual([3]);
    expect(a.functions.encode([1 / 3])).toEqual(['0.333']);
    expect(b.functions.encode([1 / 3])).toEqual(['0.33333333333333']);
  });
});

describe('errors', () => {
  it('formats argument errors like luaL_argerror and keeps the parts for the binding', () => {
    const e = new LuaArgError(2, 'pack', 'string too short');
    expect(e).toBeInstanceOf(LuaError);
    expect(e.message).toBe("bad argument #2 to 'pack' (string too short)");
    expect([e.arg, e.fname, e.extramsg]).toEqual([2, 'pack', 'string too short']);
    expect(new LuaRawError('table index is nil')).toBeInstanceOf(LuaError);
  });

  it('names types as lua_typename does', () => {
    expect([undefined, null, true, 1, 's', new FakeLuaTable(), { kind: 'function' as const }, { kind: 'lightuserdata' as const, pointer: 0 },
      { kind: 'userdata' as const }, { kind: 'thread' as const }].map(luaTypeName))
      .toEqual(['no value', 'nil', 'boolean', 'number', 'string', 'table', 'function', 'userdata', 'userdata', 'thread']);
  });
});

describe('number formatting and coercion', () => {
  it('prints %.14g with glibc rounding (ties to even on the exact value)', () => {
    expect(luaNumberToString(0.1)).toBe('0.1');
    expect(luaNumberToString(1e15)).toBe('1e+15');
    expect(luaNumberToString(123456789012345)).toBe('1.2345678901234e+14'); // exact tie, rounds to even
    expect(luaNumberToString(123456789012355)).toBe('1.2345678901236e+14');
    expect(luaNumberToString(-0)).toBe('-0');
    expect(luaNumberToString(NEG_NAN)).toBe('-nan');
    expect(luaNumberToString(NaN)).toBe('nan');
    expect(luaNumberToString(-Infinity)).toBe('-inf');
    expect(formatG(0.125, 2)).toBe('0.12');
    expect(formatG(0.375, 2)).toBe('0.38');
    expect(formatG(2.5, 1)).toBe('2');
    expect(formatG(1e-5, 14)).toBe('1e-05');
    expect(formatG(1.5e-4, 14)).toBe('0.00015');
    expect(isNegativeNaN(NEG_NAN)).toBe(true);
  });

  it('converts strings to numbers as lua_tonumber does', () => {
    expect(luaStringToNumber(' 0x1A ')).toBe(26);
    expect(luaStringToNumber('5\0abc')).toBe(5); // the C string ends at the NUL
    expect(luaStringToNumber('1e')).toBe(null);
    expect(luaStringToNumber('')).toBe(null);
    expect(luaStringToNumber('-0x10')).toBe(-16);
    expect(luaStringToNumber('0x1p4')).toBe(16);
    expect(luaStringToNumber('infinity')).toBe(Infinity);
  });

  it('checks arguments with luaL_check* texts', () => {
    expect(() => checkNumber([], 0, 'f')).toThrow("bad argument #1 to 'f' (number expected, got no value)");
    expect(() => checkString([1, {}] as never, 1, 'f')).toThrow(LuaArgError);
    expect(checkString([12.5], 0, 'f')).toBe('12.5');
    expect(checkInt([2 ** 32 + 5], 0, 'f')).toBe(5);
    expect(checkInt(['-7.9'], 0, 'f')).toBe(-7);
  });

  it('converts doubles to 64-bit integers as x86-64 does', () => {
    expect(doubleToInt64(NaN)).toBe(-9223372036854775808n);
    expect(doubleToInt64(2 ** 63)).toBe(-9223372036854775808n);
    expect(doubleToInt64(-1.9)).toBe(-1n);
    expect(doubleToUint64(2 ** 63)).toBe(9223372036854775808n);
    expect(doubleToUint64(2 ** 64)).toBe(0n);
    expect(doubleToUint64(-1)).toBe(18446744073709551615n);
  });
});

describe('FakeLuaTable', () => {
  it('behaves like a Lua table for the libraries', () => {
    const t = new FakeLuaTable([[1, 'a'], ['k', 1], [2, 'b']]);
    expect(t.length()).toBe(2);
    expect(t.get('k')).toBe(1);
    expect(t.get(3)).toBe(null);
    t.set('k', null);
    expect(t.pairs()).toEqual([[1, 'a'], [2, 'b']]);
    expect(t.id).not.toBe(new FakeLuaTable().id);
  });
});
