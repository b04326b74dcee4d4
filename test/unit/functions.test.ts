import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import {
  functionsOf, parseLibraryMetadata, registerFunction, setFunctionsVmFactory, dumpPayload,
  LibraryContext, type FunctionsVm, type LibraryInfo, type LuaFunctionArg,
} from '../../src/engine/scripting/functions';
import { Crc64 } from '../../src/engine/persistence/crc64';
import { RdbWriter, verifyDumpPayload } from '../../src/engine/persistence/rdb';

/** An RDB string as the writer encodes it (the library code in a FUNCTION DUMP). */
function rdbString(s: string, compression: boolean): string {
  const w = new RdbWriter(compression);
  w.string(s);
  return w.toString();
}
import type { LuaTableView, LuaValue } from '../../src/engine/scripting/lib/values';

const hex = (h: string): string => String.fromCharCode(...h.match(/../g)!.map((b) => parseInt(b, 16)));

describe('the #!<engine> name=<library> header (functionExtractLibMetaData)', () => {
  const err = (code: string) => (parseLibraryMetadata(code) as { error: string }).error;
  it("answers Redis 7.0.15's errors", () => {
    expect(err('foo')).toBe('Missing library metadata');
    expect(err('#!lua')).toBe('Invalid library metadata');
    expect(err('#!lua name=x\0\n')).toBe('Invalid library metadata');
    expect(err('#!lua\nx')).toBe('Library name was not given');
    expect(err('#!lua name=a name=b\nx')).toBe('Invalid metadata value, name argument was given multiple times');
    expect(err('#!lua foo=a\nx')).toBe('Invalid metadata value given: foo=a');
    expect(err('#!  lua name=ab\nx')).toBe('Invalid metadata value given: lua');
    expect(err('#! "lua name=ab\nx')).toBe('Invalid library metadata');
    expect(err('#!\nx')).toBe('Library name was not given');
  });
  it('splits the header like sdssplitargs and keeps the newline in the body', () => {
    expect(parseLibraryMetadata('#!lua name=mylib\nreturn 1')).toEqual({ engine: 'lua', name: 'mylib', body: '\nreturn 1' });
    expect(parseLibraryMetadata('#!LUA  NAME=x\n')).toEqual({ engine: 'LUA', name: 'x', body: '\n' });
    expect(parseLibraryMetadata('#!lua "name=a b"\n')).toEqual({ engine: 'lua', name: 'a b', body: '\n' });
  });
});

// ---- fakes for the Lua side ----

let nextHandle = 1;
const pinned = new Set<number>();
const fnArg = (): LuaFunctionArg => ({ kind: 'function', pin: () => { const h = nextHandle++; pinned.add(h); return h; } });
const table = (entries: Array<[LuaValue, LuaValue]>): LuaTableView => ({
  kind: 'table', id: 1, length: () => entries.length,
  get: (k) => entries.find(([key]) => key === k)?.[1] ?? null,
  pairs: () => entries,
});
const arr = (...items: LuaValue[]): LuaTableView => table(items.map((v, i) => [i + 1, v]));
const release = { release: (h: unknown) => { pinned.delete(h as number); } };
const emptyLib = (): LibraryInfo => ({ name: 'lib', engine: 'LUA', code: '', functions: new Map() });

describe('redis.register_function arguments', () => {
  beforeEach(() => pinned.clear());

  it('takes (name, callback) and the named-table form with flags and description', () => {
    const lib = emptyLib();
    expect(registerFunction(lib, ['f1', fnArg() as LuaValue], release)).toBeNull();
    expect(registerFunction(lib, [table([
      ['function_name', 'f2'], ['callback', fnArg() as LuaValue], ['description', 'desc'],
      ['flags', arr('no-writes', 'ALLOW-OOM', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys')],
    ])], release)).toBeNull();
    expect(registerFunction(lib, [12, fnArg() as LuaValue], release)).toBeNull(); // a number is a string to Lua
    expect([...lib.functions.keys()]).toEqual(['f1', 'f2', '12']);
    expect(lib.functions.get('f1')).toMatchObject({ description: null, flags: 0 });
    expect(lib.functions.get('f2')).toMatchObject({ description: 'desc', flags: 0b101111 });
    expect(pinned.size).toBe(3);
  });

  it("answers Redis's errors and releases what it pinned", () => {
    const lib = emptyLib();
    const f = () => fnArg() as LuaValue;
    const cases: Array<[LuaValue[], string]> = [
      [[], 'wrong number of arguments to redis.register_function'],
      [['a', f(), 'c'], 'wrong number of arguments to redis.register_function'],
      [[true, f()], 'first argument to redis.register_function must be a string'],
      [['a', 'b'], 'second argument to redis.register_function must be a function'],
      [['a'], 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).'],
      [[table([[true, 'x']])], 'named argument key given to redis.register_function is not a string'],
      [[table([['function_name', true]])], 'function_name argument given to redis.register_function must be a string'],
      [[table([['description', {kind: 'function'}]])], 'description argument given to redis.register_function must be a string'],
      [[table([['callback', 'x']])], 'callback argument given to redis.register_function must be a function'],
      [[table([['callback', f()], ['flags', 'x']])], 'flags argument to redis.register_function must be a table representing function flags'],
      [[table([['callback', f()], ['flags', arr('no-writes', 'bad')]])], 'unknown flag given'],
      [[table([['flags', arr(1)]])], 'unknown flag given'],
      [[table([['callback', f()], ['other', 1]])], 'unknown argument given to redis.register_function'],
      [[table([['callback', f()]])], 'redis.register_function must get a function name argument'],
      [[table([['function_name', 'x']])], 'redis.register_function must get a callback argument'],
      [['a-b', f()], 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'],
      [['', f()], 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'],
    ];
    for (const [args, msg] of cases) expect(registerFunction(lib, args, release)).toBe(msg);
    expect(registerFunction(lib, ['ok', f()], release)).toBeNull();
    expect(registerFunction(lib, ['ok', f()], release)).toBe('Function already exists in the library');
    expect(registerFunction(lib, ['OK', f()], release)).toBeNull(); // case-sensitive inside a library
    expect(pinned.size).toBe(2);
  });
});

/**
 * A stand-in for the Lua engine: each body line "name[:flag,flag]" registers a function, "!msg"
 * fails the load with msg.
 */
function fakeVm(): FunctionsVm & { closed: boolean } {
  return {
    closed: false,
    load(body, _timeout, register) {
      for (const line of body.split('\n').filter(Boolean)) {
        if (line.startsWith('!')) return line.slice(1);
        const [name, flags] = line.split(':');
        const args: LuaValue[] = flags
          ? [table([['function_name', name], ['callback', fnArg() as LuaValue], ['flags', arr(...flags.split(','))]])]
          : [name, fnArg() as LuaValue];
        const e = register(args);
        if (e !== null) return 'Error registering functions: ERR ' + e;
      }
      return null;
    },
    call(c, fn, keys, args, ro) { c.reply.bulks([fn.name, ...keys, '|', ...args, ro ? 'ro' : 'rw']); },
    release: release.release,
    close() { this.closed = true; },
  };
}

describe('the library registry', () => {
  beforeEach(() => {
    pinned.clear();
    setFunctionsVmFactory(() => fakeVm());
  });
  afterEach(() => setFunctionsVmFactory(null));

  it('loads, replaces, refuses collisions and keeps the old library on failure', () => {
    const f = functionsOf(new Engine());
    expect(f.load('#!lua name=lib1\nf1\nF2', false, 0)).toEqual({ name: 'lib1' });
    expect(f.load('#!lua name=lib1\nf3', false, 0)).toEqual({ error: "Library 'lib1' already exists" });
    expect(f.load('#!lua2 name=lib1\nf3', false, 0)).toEqual({ error: "Engine 'lua2' not found" });
    expect(f.load('#!lua name=lib-1\nf3', false, 0)).toEqual({ error: expect.stringMatching(/^Library names can only/) });
    expect(f.load('#!lua name=lib2\n', false, 0)).toEqual({ error: 'No functions registered' });
    expect(f.load('#!lua name=lib2\nf2', false, 0)).toEqual({ error: 'Function f2 already exists' }); // case-insensitive
    expect(f.load('#!lua name=lib2\ng1\n!Error compiling function: x', false, 0)).toEqual({ error: 'Error compiling function: x' });
    expect(f.ctx.findFunction('F1')?.name).toBe('f1');
    expect(pinned.size).toBe(2);
    // REPLACE: the old library's functions may be reused by name; a failed replace keeps the old one.
    expect(f.load('#!lua name=lib1\nf1\nf9', true, 0)).toEqual({ name: 'lib1' });
    expect(f.load('#!lua name=lib1\n!boom', true, 0)).toEqual({ error: 'boom' });
    expect(f.ctx.findFunction('f9')?.library.name).toBe('lib1');
    expect(f.ctx.findFunction('F2')).toBeUndefined();
    expect(pinned.size).toBe(2);
    expect([f.ctx.librariesCount, f.ctx.functionsCount]).toEqual([1, 2]);
    expect(f.delete('nope')).toBe(false);
    expect(f.delete('lib1')).toBe(true);
    expect([f.ctx.librariesCount, f.ctx.functionsCount, pinned.size]).toEqual([0, 0, 0]);
  });

  it('flushes into a fresh Lua state', () => {
    const f = functionsOf(new Engine());
    f.load('#!lua name=a\nx', false, 0);
    const vm = f.vm() as ReturnType<typeof fakeVm>;
    f.flush();
    expect(vm.closed).toBe(true);
    expect(f.ctx.libraries.size).toBe(0);
    expect(f.vm()).not.toBe(vm);
  });

  it('dumps and restores with the FLUSH, APPEND and REPLACE policies', () => {
    const a = functionsOf(new Engine());
    a.load('#!lua name=l1\nf1', false, 0);
    a.load('#!lua name=l2\nf2:no-writes', false, 0);
    const payload = a.dump();
    const b = functionsOf(new Engine());
    expect(b.restore(payload, 'append')).toBeNull();
    expect([...b.ctx.libraries.keys()]).toEqual(['l1', 'l2']);
    expect(b.ctx.findFunction('f2')?.flags).toBe(1);
    expect(b.restore(payload, 'append')).toBe('Library l1 already exists');
    expect(b.restore(payload, 'replace')).toBeNull();
    b.load('#!lua name=l1\nf3', true, 0);
    b.load('#!lua name=other\nf1', false, 0);
    expect(b.restore(payload, 'replace')).toBe('Function f1 already exists');
    expect(b.ctx.findFunction('f3')?.library.name).toBe('l1'); // nothing changed
    expect(b.restore(payload, 'flush')).toBeNull();
    expect([...b.ctx.libraries.keys()]).toEqual(['l1', 'l2']);
    expect(b.ctx.findFunction('f3')).toBeUndefined();
    expect(pinned.size).toBe(4); // a's two and b's two
  });

  it('rejects bad payloads with Redis 7.0.15 errors', () => {
    const f = functionsOf(new Engine());
    const sign = (body: string): string => withTrailer(body);
    expect(f.restore('short', 'append')).toBe('DUMP payload version or checksum are wrong');
    expect(f.restore(hex('0a005d9b5c400f7fa2da'), 'append')).toBeNull(); // Redis's empty dump
    const bad = hex('0a005d9b5c400f7fa2db');
    expect(f.restore(bad, 'append')).toBe('DUMP payload version or checksum are wrong');
    expect(f.restore(sign('\x00'), 'append')).toBe('given type is not a function');
    expect(f.restore(sign('\xf6'), 'append')).toBe('Pre-GA function format not supported');
    expect(f.restore(sign('\xf5\x3f'), 'append')).toBe('Failed loading library payload');
    expect(f.restore(sign('\xf5\xc0\x05'), 'append')).toBe('Missing library metadata'); // the integer 5
    expect(f.restore(sign('\xf5\xc3\x01\x05\x00a'), 'append')).toBe('Failed loading library payload'); // bad LZF
    expect(f.restore(sign('\xf5\x0d#!lua name=a\n\xf5\x0d#!lua name=a\n'), 'append')).toBe('No functions registered');
    expect(f.restore(sign('\xf5\x0e#!lua name=a\nx\xf5\x0e#!lua name=a\ny'), 'append')).toBe("Library 'a' already exists");
    expect(f.ctx.libraries.size).toBe(0);
    expect(pinned.size).toBe(0);
    expect(verifyDumpPayload(withTrailer('', 11))).toBe(false);
    expect(verifyDumpPayload(withTrailer('', 9))).toBe(true);
  });
});

function withTrailer(body: string, version = 10): string {
  const v = body + String.fromCharCode(version & 255, version >> 8);
  return v + new Crc64().updateBinary(v).littleEndian();
}

describe('the DUMP payload bytes', () => {
  it('matches what Redis 7.0.15 writes (plain and LZF-compressed code)', () => {
    const ctx = new LibraryContext();
    const code = '#!lua name=mylib\nredis.register_function("f1", function(keys, args) return 1 end)';
    ctx.link({ name: 'mylib', engine: 'LUA', code, functions: new Map() });
    expect(dumpPayload(ctx, true)).toBe('\xf5\x40\x51' + code + '\x0a\x00' + hex('f7eba85e009eb3bf'));

    const big = new LibraryContext();
    const bigCode = "#!lua name=big\n-- " + 'a'.repeat(200) + "\nredis.register_function('bigf', function() return 1 end)";
    big.link({ name: 'big', engine: 'LUA', code: bigCode, functions: new Map() });
    expect(dumpPayload(big, true)).toBe(hex(
      'f5c3404c41131223216c7561206e616d653d6269670a2d2d2061e0be00190a72656469732e72656769737465725f66756e6374696f6e28' +
      '2720e80366272c20e000100e292072657475726e203120656e64290a00e27e44c186fa495b'));
    expect(dumpPayload(new LibraryContext(), true)).toBe(hex('0a005d9b5c400f7fa2da'));
  });

  it('encodes RDB strings as rdbSaveRawString does', () => {
    expect(rdbString('12', true)).toBe('\xc0\x0c');
    expect(rdbString('-300', true)).toBe('\xc1\xd4\xfe');
    expect(rdbString('70000', true)).toBe('\xc2\x70\x11\x01\x00');
    expect(rdbString('012', true)).toBe('\x03012');
    expect(rdbString('x'.repeat(100), false)).toBe('\x40\x64' + 'x'.repeat(100));
    expect(rdbString('x'.repeat(20000), false).slice(0, 5)).toBe('\x80\x00\x00\x4e\x20');
  });
});

import { lzfCompress, lzfDecompress } from '../../src/engine/util/lzf';

describe('LZF decompression (RESTORE reads what Redis compresses)', () => {
  it('expands what lzfCompress makes, and refuses corrupt input', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let n = 21; n < 3000; n += 37) {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) data[i] = rnd() < 0.7 ? 97 + (i % 5) : Math.floor(rnd() * 256);
      const packed = lzfCompress(data, n - 4);
      if (packed === null) continue;
      expect(lzfDecompress(packed, n)).toEqual(data);
      expect(lzfDecompress(packed, n + 1)).toBeNull();
      expect(lzfDecompress(packed.subarray(0, packed.length - 1), n)).toBeNull();
    }
    expect(lzfDecompress(new Uint8Array([0x20, 0x05]), 3)).toBeNull(); // a back reference before the start
  });
});
