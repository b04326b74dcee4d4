/**
 * lua-cmsgpack 0.4.0 as Redis 7.0 loads it: cmsgpack.pack / unpack / unpack_one / unpack_limit.
 * Packed data is a binary string.
 */
import {
  checkInt, checkString, doubleToInt64, LuaArgError, LuaError, LuaLibrary, LuaRawError, LuaOut, LuaTableView,
  LuaValue, optInt,
} from './values';

/** Tables nested deeper than this are packed as nil (so cycles terminate). */
const MAX_NESTING = 16;
const LUAI_MAXCSTACK = 8000;
const INT_MAX = 2147483647;

const scratch = new DataView(new ArrayBuffer(8));

function bytesOf(n: number, width: number): string {
  let s = '';
  for (let i = width - 1; i >= 0; i--) s += String.fromCharCode(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return s;
}

function encodeInt(n: bigint): string {
  const ch = String.fromCharCode;
  if (n >= 0n) {
    if (n <= 127n) return ch(Number(n));
    if (n <= 0xffn) return '\xcc' + ch(Number(n));
    if (n <= 0xffffn) return '\xcd' + bytesOf(Number(n), 2);
    if (n <= 0xffffffffn) return '\xce' + bytesOf(Number(n), 4);
    return '\xcf' + bigBytes(n);
  }
  if (n >= -32n) return ch(Number(n) & 0xff);
  if (n >= -128n) return '\xd0' + ch(Number(n) & 0xff);
  if (n >= -32768n) return '\xd1' + bytesOf(Number(n) & 0xffff, 2);
  if (n >= -2147483648n) return '\xd2' + bytesOf(Number(n) >>> 0, 4);
  return '\xd3' + bigBytes(n);
}

function bigBytes(n: bigint): string {
  scratch.setBigUint64(0, BigInt.asUintN(64, n));
  let s = '';
  for (let i = 0; i < 8; i++) s += String.fromCharCode(scratch.getUint8(i));
  return s;
}

function encodeDouble(d: number): string {
  if (Math.fround(d) === d) {
    scratch.setFloat32(0, d);
    let s = '\xca';
    for (let i = 0; i < 4; i++) s += String.fromCharCode(scratch.getUint8(i));
    return s;
  }
  scratch.setFloat64(0, d);
  let s = '\xcb';
  for (let i = 0; i < 8; i++) s += String.fromCharCode(scratch.getUint8(i));
  return s;
}

function encodeNumber(n: number): string {
  // IS_INT64_EQUIVALENT: (int64_t)n == n and not infinite.
  if (Number.isFinite(n) && n >= -9223372036854775808 && n < 9223372036854775808 && Math.trunc(n) === n) {
    return encodeInt(doubleToInt64(n));
  }
  return encodeDouble(n);
}

function encodeBytes(s: string): string {
  const len = s.length;
  if (len < 32) return String.fromCharCode(0xa0 | len) + s;
  if (len <= 0xff) return '\xd9' + String.fromCharCode(len) + s;
  if (len <= 0xffff) return '\xda' + bytesOf(len, 2) + s;
  return '\xdb' + bytesOf(len, 4) + s;
}

function header(n: number, fix: number, h16: string, h32: string): string {
  if (n <= 15) return String.fromCharCode(fix | n);
  if (n <= 65535) return h16 + bytesOf(n, 2);
  return h32 + bytesOf(n, 4);
}

/**
 * table_is_an_array: the keys are exactly 1..count (as C ints). Returns count (which is then
 * what lua_objlen gives), or -1 for a map.
 */
function arrayLength(t: LuaTableView): number {
  let count = 0;
  let max = 0;
  for (const [k] of t.pairs()) {
    if (typeof k !== 'number' || !(k > 0) || !Number.isFinite(k) || Math.trunc(k) !== k || k > INT_MAX) return -1;
    if (k > max) max = k;
    count++;
  }
  return max === count ? count : -1;
}

function encodeValue(v: LuaValue, level: number, out: string[]): void {
  if (v === null) { out.push('\xc0'); return; }
  switch (typeof v) {
    case 'string': out.push(encodeBytes(v)); return;
    case 'boolean': out.push(v ? '\xc3' : '\xc2'); return;
    case 'number': out.push(encodeNumber(v)); return;
  }
  if (v.kind !== 'table' || level === MAX_NESTING) { out.push('\xc0'); return; }
  const len = arrayLength(v);
  if (len >= 0) {
    out.push(header(len, 0x90, '\xdc', '\xdd'));
    for (let j = 1; j <= len; j++) encodeValue(v.get(j), level + 1, out);
  } else {
    const entries = v.pairs();
    out.push(header(entries.length, 0x80, '\xde', '\xdf'));
    for (const [k, val] of entries) {
      encodeValue(k, level + 1, out);
      encodeValue(val, level + 1, out);
    }
  }
}

class MissingBytes extends Error {}
class BadFormat extends Error {}

/** Decodes values from s starting at `pos`; tracks the C frame's Lua stack like lua-cmsgpack. */
class Unpacker {
  pos: number;
  slots: number;

  constructor(private readonly s: string, pos: number, baseSlots: number) {
    this.pos = pos;
    this.slots = baseSlots;
  }

  get left(): number {
    return this.s.length - this.pos;
  }

  private need(n: number): void {
    if (this.left < n) throw new MissingBytes();
  }

  private byte(i: number): number {
    return this.s.charCodeAt(this.pos + i);
  }

  private uint(offset: number, width: number): number {
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + this.byte(offset + i);
    return v;
  }

  private bytesAt(offset: number, len: number): string {
    return this.s.slice(this.pos + offset, this.pos + offset + len);
  }

  private float(width: 4 | 8): number {
    for (let i = 0; i < width; i++) scratch.setUint8(i, this.byte(1 + i));
    return width === 4 ? scratch.getFloat32(0) : scratch.getFloat64(0);
  }

  /** One value; the caller has `slots` in use and this value will take one more. */
  value(): LuaOut {
    this.need(1);
    if (this.slots + 1 > LUAI_MAXCSTACK) {
      throw new LuaError('stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)');
    }
    const c = this.byte(0);
    let v: LuaOut;
    switch (c) {
      case 0xcc: this.need(2); v = this.byte(1); this.pos += 2; return v;
      case 0xd0: this.need(2); v = (this.byte(1) << 24) >> 24; this.pos += 2; return v;
      case 0xcd: this.need(3); v = this.uint(1, 2); this.pos += 3; return v;
      case 0xd1: this.need(3); v = (this.uint(1, 2) << 16) >> 16; this.pos += 3; return v;
      case 0xce: this.need(5); v = this.uint(1, 4); this.pos += 5; return v;
      case 0xd2: this.need(5); v = this.uint(1, 4) | 0; this.pos += 5; return v;
      case 0xcf: case 0xd3: {
        // Both go through lua_Integer (int64): a uint64 above 2^63 comes out negative.
        this.need(9);
        let u = 0n;
        for (let i = 1; i <= 8; i++) u = (u << 8n) | BigInt(this.byte(i));
        this.pos += 9;
        return Number(BigInt.asIntN(64, u));
      }
      case 0xc0: this.pos += 1; return null;
      case 0xc3: this.pos += 1; return true;
      case 0xc2: this.pos += 1; return false;
      case 0xca: this.need(5); v = this.float(4); this.pos += 5; return v;
      case 0xcb: this.need(9); v = this.float(8); this.pos += 9; return v;
      case 0xd9: return this.str(1);
      case 0xda: return this.str(2);
      case 0xdb: return this.str(4);
      case 0xdc: { this.need(3); const n = this.uint(1, 2); this.pos += 3; return this.array(n); }
      case 0xdd: { this.need(5); const n = this.uint(1, 4); this.pos += 5; return this.array(n); }
      case 0xde: { this.need(3); const n = this.uint(1, 2); this.pos += 3; return this.map(n); }
      case 0xdf: { this.need(5); const n = this.uint(1, 4); this.pos += 5; return this.map(n); }
    }
    if ((c & 0x80) === 0) { this.pos += 1; return c; }
    if ((c & 0xe0) === 0xe0) { this.pos += 1; return (c << 24) >> 24; }
    if ((c & 0xe0) === 0xa0) {
      const len = c & 0x1f;
      this.need(1 + len);
      v = this.bytesAt(1, len);
      this.pos += 1 + len;
      return v;
    }
    if ((c & 0xf0) === 0x90) { this.pos += 1; return this.array(c & 0xf); }
    if ((c & 0xf0) === 0x80) { this.pos += 1; return this.map(c & 0xf); }
    throw new BadFormat();
  }

  private str(width: number): LuaOut {
    this.need(1 + width);
    const len = this.uint(1, width);
    this.need(1 + width + len);
    const v = this.bytesAt(1 + width, len);
    this.pos += 1 + width + len;
    return v;
  }

  private array(n: number): LuaOut {
    const items: LuaOut[] = [];
    if (this.slots + 2 > LUAI_MAXCSTACK) throw new LuaError('stack overflow (in function mp_decode_to_lua_array)');
    this.slots += 2; // the table and the index being set
    for (let i = 0; i < n; i++) items.push(this.value());
    this.slots -= 2;
    return { kind: 'array', items };
  }

  private map(n: number): LuaOut {
    const entries: Array<[LuaOut, LuaOut]> = [];
    for (let i = 0; i < n; i++) {
      this.slots += 1; // the table
      const key = this.value();
      this.slots += 1; // the key
      const val = this.value();
      this.slots -= 2;
      // lua_settable's own errors, raised as soon as the pair is complete.
      if (key === null) throw new LuaRawError('table index is nil');
      if (typeof key === 'number' && Number.isNaN(key)) throw new LuaRawError('table index is NaN');
      entries.push([key, val]);
    }
    return { kind: 'map', entries };
  }
}

/**
 * mp_unpack_full. `limit` 0 with `offset` 0 decodes everything and returns just the values;
 * otherwise the next offset (-1 at the end) comes first. `baseSlots` is the number of
 * arguments left on the C frame's stack.
 */
function unpackFull(s: string, limit: number, offset: number, baseSlots: number): LuaOut[] {
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) {
    throw new LuaError(`Invalid request to unpack with offset of ${offset} and limit of ${s.length | 0}.`);
  }
  if (offset > s.length) throw new LuaError(`Start offset ${offset} greater than input length ${s.length | 0}.`);
  if (decodeAll) limit = INT_MAX;
  const u = new Unpacker(s, offset, baseSlots);
  const out: LuaOut[] = [];
  try {
    for (let cnt = 0; u.left > 0 && cnt < limit; cnt++) {
      out.push(u.value());
      u.slots++;
    }
  } catch (e) {
    if (e instanceof MissingBytes) throw new LuaError('Missing bytes in input.');
    if (e instanceof BadFormat) throw new LuaError('Bad data format in input.');
    throw e;
  }
  if (!decodeAll) {
    if (u.slots + 1 > LUAI_MAXCSTACK) throw new LuaError('stack overflow (in function mp_unpack_full)');
    out.unshift(u.left === 0 ? -1 : u.pos);
  }
  return out;
}

export const cmsgpackLibrary: LuaLibrary = {
  name: 'cmsgpack',
  functions: {
    pack: (args) => {
      if (args.length === 0) throw new LuaArgError(0, 'pack', 'MessagePack pack needs input.');
      const out: string[] = [];
      for (const a of args) encodeValue(a, 0, out);
      return [out.join('')];
    },
    unpack: (args) => {
      const s = checkString(args, 0, 'unpack');
      return unpackFull(s, 0, 0, Math.max(args.length, 1));
    },
    unpack_one: (args) => {
      const offset = optInt(args, 1, 'unpack_one', 0);
      const s = checkString(args, 0, 'unpack_one');
      return unpackFull(s, 1, offset, 1);
    },
    unpack_limit: (args) => {
      const limit = checkInt(args, 1, 'unpack_limit');
      const offset = optInt(args, 2, 'unpack_limit', 0);
      const s = checkString(args, 0, 'unpack_limit');
      return unpackFull(s, limit, offset, 1);
    },
  },
  fields: {
    _NAME: 'cmsgpack',
    _VERSION: 'lua-cmsgpack 0.4.0',
    _COPYRIGHT: 'Copyright (C) 2012, Salvatore Sanfilippo',
    _DESCRIPTION: 'MessagePack C implementation for Lua',
  },
};
