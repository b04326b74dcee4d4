import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_STRING, RObj } from '../object';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../notify';
import { stringBuffer } from '../types/string';
import { ByteBuf, argIs } from '../util/bytes';
import { normInt, string2ll, type Int64 } from '../util/numbers';
import { argLongLong } from './args';
import {
  OVERFLOW_FAIL, OVERFLOW_SAT, OVERFLOW_WRAP, bitop, byteAt, fieldResult, findBit, getField, popcountBits,
  popcountBytes, setField, toSigned, toUnsigned, valBytes, valLength, type StrVal,
} from '../types/bitmap';

const ERR_BIT_OFFSET = 'bit offset is not an integer or out of range';
const ERR_BIT_VALUE = 'bit is not an integer or out of range';
const ERR_BITFIELD_TYPE = 'Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/**
 * A bit offset argument (getBitOffsetFromArgument): a non-negative integer whose byte lies below
 * proto-max-bulk-len. With `hashBits` > 0 (BITFIELD), "#N" means N * hashBits, multiplied with
 * 64-bit wrap-around as Redis's C code does.
 */
function parseBitOffset(c: Client, s: string, hashBits: number): number | null {
  const hash = hashBits > 0 && s.charCodeAt(0) === 35; // '#'
  let v: Int64 | null = string2ll(hash ? s.slice(1) : s);
  if (v === null) {
    c.reply.err(ERR_BIT_OFFSET);
    return null;
  }
  if (hash) {
    const p = typeof v === 'number' ? v * hashBits : Infinity;
    v = Number.isSafeInteger(p) ? p : normInt(BigInt.asIntN(64, BigInt(v) * BigInt(hashBits)));
  }
  const n = Number(v);
  if (n < 0 || Math.floor(n / 8) >= c.server.config.num('proto-max-bulk-len')) {
    c.reply.err(ERR_BIT_OFFSET);
    return null;
  }
  return n;
}

/**
 * lookupStringForBitCommand: the string at argv[1] as a buffer long enough to address bit
 * `maxbit`, created (zero-filled) when missing. Null after a WRONGTYPE reply.
 * `grown` tells whether the key was created or lengthened.
 */
function bufferForBitWrite(c: Client, key: string, maxbit: number): { buf: ByteBuf; grown: boolean } | null {
  const size = Math.floor(maxbit / 8) + 1;
  const o = c.db.lookupWrite(key);
  if (o === undefined) {
    const buf = new ByteBuf('', size);
    buf.grow(size);
    // dbAdd: a new key, not yet a modification (that is signalled when a bit really changes).
    c.db.add(key, new RObj(OBJ_STRING, buf, c.server.newObjectLru()));
    return { buf, grown: true };
  }
  if (o.type !== OBJ_STRING) {
    c.reply.wrongType();
    return null;
  }
  const buf = stringBuffer(o);
  const before = buf.len;
  buf.grow(size);
  return { buf, grown: buf.len !== before };
}

/** Clamp a start/end range (Redis's negative-index rules) to [0, total-1]; end may end below start. */
function clampRange(start: number, end: number, total: number): [number, number] {
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  return [start, end];
}

function setbitCommand(c: Client, argv: string[]): void {
  const offset = parseBitOffset(c, argv[2], 0);
  if (offset === null) return;
  const on = argLongLong(c, argv[3], ERR_BIT_VALUE);
  if (on === null) return;
  if (on !== 0 && on !== 1) return c.reply.err(ERR_BIT_VALUE);
  const w = bufferForBitWrite(c, argv[1], offset);
  if (w === null) return;
  const byte = Math.floor(offset / 8);
  const mask = 1 << (7 - (offset % 8));
  const b = w.buf.buf;
  const old = b[byte] & mask ? 1 : 0;
  if (w.grown || old !== on) {
    b[byte] = on ? b[byte] | mask : b[byte] & ~mask;
    c.server.signalModifiedKey(c.db, argv[1]);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'setbit', argv[1], c.db.id);
    c.server.dirty++;
  }
  c.reply.int(old);
}

function getbitCommand(c: Client, argv: string[]): void {
  const offset = parseBitOffset(c, argv[2], 0);
  if (offset === null) return;
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== OBJ_STRING) return c.reply.wrongType();
  const b = byteAt(o.value as StrVal, Math.floor(offset / 8));
  c.reply.int((b >> (7 - (offset % 8))) & 1);
}

/** The BYTE|BIT unit argument: true for BIT, false for BYTE, null after a syntax error. */
function parseUnit(c: Client, s: string): boolean | null {
  if (argIs(s, 'bit')) return true;
  if (argIs(s, 'byte')) return false;
  c.reply.syntaxErr();
  return null;
}

function bitcountCommand(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== OBJ_STRING) return c.reply.wrongType();
  const v = o.value as StrVal;
  const len = valLength(v);
  if (argv.length === 2) return c.reply.int(popcountBytes(v, 0, len));
  if (argv.length !== 4 && argv.length !== 5) return c.reply.syntaxErr();
  const s = argLongLong(c, argv[2]);
  if (s === null) return;
  const e = argLongLong(c, argv[3]);
  if (e === null) return;
  // Both negative and crossed: empty, before the unit is even looked at.
  if (s < 0 && e < 0 && s > e) return c.reply.int(0);
  let isBit = false;
  if (argv.length === 5) {
    const u = parseUnit(c, argv[4]);
    if (u === null) return;
    isBit = u;
  }
  const [start, end] = clampRange(Number(s), Number(e), isBit ? len * 8 : len);
  if (start > end) return c.reply.int(0);
  c.reply.int(isBit ? popcountBits(v, start, end) : popcountBytes(v, start, end + 1));
}

function bitposCommand(c: Client, argv: string[]): void {
  const bit = argLongLong(c, argv[2]);
  if (bit === null) return;
  if (bit !== 0 && bit !== 1) return c.reply.err('The bit argument must be 1 or 0.');
  const o = c.db.lookupRead(argv[1]);
  // A missing key is an endless run of zeros.
  if (o === undefined) return c.reply.int(bit ? -1 : 0);
  if (o.type !== OBJ_STRING) return c.reply.wrongType();
  const v = o.value as StrVal;
  const len = valLength(v);
  let isBit = false;
  let endGiven = false;
  let start = 0;
  let end = len - 1;
  if (argv.length >= 4 && argv.length <= 6) {
    const s = argLongLong(c, argv[3]);
    if (s === null) return;
    if (argv.length === 6) {
      const u = parseUnit(c, argv[5]);
      if (u === null) return;
      isBit = u;
    }
    const total = isBit ? len * 8 : len;
    let e: number = total - 1;
    if (argv.length >= 5) {
      const ee = argLongLong(c, argv[4]);
      if (ee === null) return;
      e = Number(ee);
      endGiven = true;
    }
    [start, end] = clampRange(Number(s), e, total);
  } else if (argv.length !== 3) {
    return c.reply.syntaxErr();
  }
  // An empty range holds neither a 0 nor a 1.
  if (start > end) return c.reply.int(-1);
  const from = isBit ? start : start * 8;
  const to = isBit ? end : end * 8 + 7;
  const pos = findBit(v, from, to, bit as 0 | 1);
  if (pos >= 0 || bit === 1) return c.reply.int(pos);
  // No clear bit in range: without an explicit end the string counts as zero-padded on the right.
  c.reply.int(endGiven ? -1 : to + 1);
}

const BITOP_OPS = ['and', 'or', 'xor', 'not'] as const;

function bitopCommand(c: Client, argv: string[]): void {
  const op = BITOP_OPS.find((name) => argIs(argv[1], name));
  if (op === undefined) return c.reply.syntaxErr();
  if (op === 'not' && argv.length !== 4) return c.reply.err('BITOP NOT must be called with a single source key.');
  const dest = argv[2];
  const srcs: (Uint8Array | null)[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const o = c.db.lookupRead(argv[j]);
    if (o === undefined) {
      srcs.push(null);
      continue;
    }
    if (o.type !== OBJ_STRING) return c.reply.wrongType();
    const bytes = valBytes(o.value as StrVal);
    srcs.push(bytes);
    if (bytes.length > maxlen) maxlen = bytes.length;
  }
  if (maxlen > 0) {
    const res = bitop(op, srcs, maxlen);
    c.db.lookupWrite(dest); // setKey looks the key up for writing first (lazy expiry)
    c.db.setKey(dest, OBJ_STRING, res);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', dest, c.db.id);
    c.server.dirty++;
  } else if (c.db.delete(dest)) {
    c.server.signalModifiedKey(c.db, dest);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', dest, c.db.id);
    c.server.dirty++;
  }
  c.reply.int(maxlen);
}

const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;

interface BitfieldOp {
  op: number;
  signed: boolean;
  bits: number;
  offset: number;
  arg: Int64;
  overflow: number;
}

/** A bitfield type argument: i1..i64 or u1..u63 (the digits are read up to a NUL, as C does). */
function parseBitfieldType(c: Client, s: string): { signed: boolean; bits: number } | null {
  const t = s.charCodeAt(0);
  const signed = t === 105; // 'i'
  if (!signed && t !== 117) { // 'u'
    c.reply.err(ERR_BITFIELD_TYPE);
    return null;
  }
  let digits = s.slice(1);
  const nul = digits.indexOf('\0');
  if (nul >= 0) digits = digits.slice(0, nul);
  const bits = string2ll(digits);
  if (bits === null || bits < 1 || bits > (signed ? 64 : 63)) {
    c.reply.err(ERR_BITFIELD_TYPE);
    return null;
  }
  return { signed, bits: Number(bits) };
}

function bitfieldGeneric(c: Client, argv: string[], readonlyCommand: boolean): void {
  const ops: BitfieldOp[] = [];
  let overflow = OVERFLOW_WRAP;
  let readonly = true;
  let highest = 0;
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const sub = argv[j];
    let op: number;
    if (argIs(sub, 'get') && remaining >= 2) op = OP_GET;
    else if (argIs(sub, 'set') && remaining >= 3) op = OP_SET;
    else if (argIs(sub, 'incrby') && remaining >= 3) op = OP_INCRBY;
    else if (argIs(sub, 'overflow') && remaining >= 1) {
      const mode = argv[++j];
      if (argIs(mode, 'wrap')) overflow = OVERFLOW_WRAP;
      else if (argIs(mode, 'sat')) overflow = OVERFLOW_SAT;
      else if (argIs(mode, 'fail')) overflow = OVERFLOW_FAIL;
      else return c.reply.err('Invalid OVERFLOW type specified');
      continue;
    } else {
      return c.reply.syntaxErr();
    }
    const type = parseBitfieldType(c, argv[j + 1]);
    if (type === null) return;
    const offset = parseBitOffset(c, argv[j + 2], type.bits);
    if (offset === null) return;
    let arg: Int64 = 0;
    if (op !== OP_GET) {
      readonly = false;
      if (offset + type.bits - 1 > highest) highest = offset + type.bits - 1;
      const a = argLongLong(c, argv[j + 3]);
      if (a === null) return;
      arg = a;
    }
    ops.push({ op, signed: type.signed, bits: type.bits, offset, arg, overflow });
    j += op === OP_GET ? 2 : 3;
  }

  let src: StrVal | null = null;
  let buf: ByteBuf | null = null;
  let grown = false;
  if (readonly) {
    const o = c.db.lookupRead(argv[1]);
    if (o !== undefined) {
      if (o.type !== OBJ_STRING) return c.reply.wrongType();
      src = o.value as StrVal;
    }
  } else {
    if (readonlyCommand) return c.reply.err('BITFIELD_RO only supports the GET subcommand');
    const w = bufferForBitWrite(c, argv[1], highest);
    if (w === null) return;
    buf = w.buf;
    src = buf;
    grown = w.grown;
  }

  c.reply.arrayLen(ops.length);
  let changes = 0;
  for (const t of ops) {
    if (t.op === OP_GET) {
      const u = src === null ? 0 : getField(src, t.offset, t.bits);
      c.reply.int(normValue(t.signed ? toSigned(u, t.bits) : u));
      continue;
    }
    let old = getField(buf!, t.offset, t.bits);
    if (t.signed) old = toSigned(old, t.bits);
    const next = fieldResult(t.signed, t.bits, old, t.arg, t.op === OP_INCRBY, t.overflow);
    if (next === null) {
      c.reply.nil(); // overflow under FAIL: nothing written
      continue;
    }
    c.reply.int(normValue(t.op === OP_INCRBY ? next : old));
    setField(buf!.buf, t.offset, t.bits, toUnsigned(next, t.bits));
    // eslint-disable-next-line eqeqeq -- a number and a bigint of equal value must compare equal
    if (grown || old != next) changes++;
  }
  if (changes > 0) {
    c.server.signalModifiedKey(c.db, argv[1]);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'setbit', argv[1], c.db.id);
    c.server.dirty += changes;
  }
}

function normValue(v: number | bigint): Int64 {
  return typeof v === 'bigint' ? normInt(v) : v;
}

export const bitmapCommands: CommandSpec[] = [
  {
    name: 'setbit', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], group: 'bitmap', since: '2.2.0',
    summary: 'Sets or clears one bit of a string, growing it with zero bytes as needed; returns the old bit.',
    complexity: 'O(1)', syntax: 'key offset value:integer', handler: setbitCommand,
  },
  {
    name: 'getbit', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], group: 'bitmap', since: '2.2.0',
    summary: 'Returns one bit of a string (0 past its end or for a missing key).',
    complexity: 'O(1)', syntax: 'key offset', handler: getbitCommand,
  },
  {
    name: 'bitcount', arity: -2, flags: 'readonly', keys: [1, 1, 1], group: 'bitmap', since: '2.6.0',
    summary: 'Counts the set bits of a string, optionally within a byte or bit range.',
    complexity: 'O(N)', syntax: 'key [start end [BYTE|BIT]]', handler: bitcountCommand,
  },
  {
    name: 'bitpos', arity: -3, flags: 'readonly', keys: [1, 1, 1], group: 'bitmap', since: '2.8.7',
    summary: 'Finds the position of the first 0 or 1 bit of a string, optionally within a byte or bit range.',
    complexity: 'O(N)', syntax: 'key bit [start [end [BYTE|BIT]]]', handler: bitposCommand,
  },
  {
    name: 'bitop', arity: -4, flags: 'write denyoom', keys: [2, -1, 1], group: 'bitmap', since: '2.6.0',
    summary: 'Combines strings bit by bit (AND, OR, XOR, NOT) and stores the result in a key.',
    complexity: 'O(N)', syntax: 'AND|OR|XOR|NOT destkey key [key ...]', handler: bitopCommand,
  },
  {
    name: 'bitfield', arity: -2, flags: 'write denyoom', keys: [1, 1, 1], group: 'bitmap', since: '3.2.0',
    summary: 'Reads, writes and increments integers of any width up to 64 bits at any bit offset of a string.',
    complexity: 'O(1) per operation',
    syntax: 'key [(GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] (SET encoding offset value:integer|INCRBY encoding offset increment)) ...]',
    handler: (c, argv) => bitfieldGeneric(c, argv, false),
  },
  {
    name: 'bitfield_ro', arity: -2, flags: 'readonly fast', keys: [1, 1, 1], group: 'bitmap', since: '6.0.0',
    summary: 'The read-only form of BITFIELD: GET operations only.',
    complexity: 'O(1) per operation', syntax: 'key [GET encoding offset [GET encoding offset ...]]',
    handler: (c, argv) => bitfieldGeneric(c, argv, true),
  },
];
