import { OBJ_HASH, OBJ_LIST, OBJ_SET, OBJ_STREAM, OBJ_STRING, OBJ_ZSET, RObj } from '../object';
import type { Engine } from '../server';
import type { Config } from '../config';
import { be64, binaryToBytes, bytesToBinary, le64 } from '../util/bytes';
import { lzfCompress, lzfDecompress } from '../util/lzf';
import { string2d, string2ll, type Int64 } from '../util/numbers';
import { Crc64 } from './crc64';
import { listpackEntries } from './listpack';
import { ziplistEntries, zipmapEntries } from './ziplist';
import { encodeIntset, intsetEntries } from './intset';
import { stringValue } from '../types/string';
import { ListValue, listpackBytes, nodeLayout } from '../types/list';
import { HashValue, listpackBytes as hashListpack } from '../types/hash';
import { RSet } from '../types/set';
import { ZSet, listpackBlob as zsetListpack } from '../types/zset';
import { functionsOf } from '../scripting/functions';
import { StreamFormatError, readStream, writeStream } from './rdb-stream';
import type { Stream, U64 } from '../types/stream';

/**
 * Redis's RDB format, version 10 (what Redis 7.0 writes): one value (the body of a DUMP payload)
 * and whole snapshot files. Bytes in, bytes out: no file system, so the browser and Node hosts
 * share it.
 *
 * Writing follows rdbSaveObject: strings with RDB's integer and LZF forms, lists as quicklists of
 * listpack nodes, small hashes and zsets as their listpack, small integer sets as an intset, the
 * rest element by element. Reading accepts every encoding a Redis 7.0 may find in a dump (including
 * the ziplist and zipmap forms older versions wrote) and builds our values with the encoding Redis
 * would pick on load for the current config. Corrupt input raises RdbError; nothing is half-built.
 *
 * A new type (streams) adds a writer case in writeObject and a loader in OBJECT_LOADERS.
 */

export const RDB_VERSION = 10;

// Object types (rdb.h)
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

// File opcodes
export const RDB_OPCODE_FUNCTION2 = 245;
const RDB_OPCODE_FUNCTION_PRE_GA = 246;
const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

// Length prefix forms and special string encodings
const RDB_6BITLEN = 0;
const RDB_14BITLEN = 1;
const RDB_32BITLEN = 0x80;
const RDB_64BITLEN = 0x81;
const RDB_ENCVAL = 3;
const RDB_ENC_INT8 = 0;
const RDB_ENC_INT16 = 1;
const RDB_ENC_INT32 = 2;
const RDB_ENC_LZF = 3;

// Quicklist node containers (RDB_TYPE_LIST_QUICKLIST_2)
const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
const QUICKLIST_NODE_CONTAINER_PACKED = 2;

const LRU_CLOCK_MAX = (1 << 24) - 1;

/** Scratch space for binary doubles. */
const DOUBLE_BYTES = new Uint8Array(8);
const DOUBLE_VIEW = new DataView(DOUBLE_BYTES.buffer);

/** Corrupt or unsupported RDB input; the message says what was wrong. */
export class RdbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RdbError';
  }
}

// ---- writing ----

/** Collects RDB bytes as binary strings (rio over a buffer). */
export class RdbWriter {
  private parts: string[] = [];

  /** compression: rdbcompression (LZF for strings over 20 bytes when it saves room). */
  constructor(readonly compression: boolean) {}

  raw(s: string): void {
    this.parts.push(s);
  }

  byte(b: number): void {
    this.parts.push(String.fromCharCode(b));
  }

  /** rdbSaveLen */
  len(n: number): void {
    if (n < 1 << 6) this.byte(n);
    else if (n < 1 << 14) this.raw(String.fromCharCode(0x40 | (n >> 8), n & 0xff));
    else if (n <= 0xffffffff) this.raw(String.fromCharCode(RDB_32BITLEN, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
    else this.raw(String.fromCharCode(RDB_64BITLEN) + be64(BigInt(n)));
  }

  /** rdbSaveLen of a 64-bit unsigned value (stream IDs and counters may pass 2^53). */
  lenU64(n: U64 | bigint): void {
    if (typeof n === 'number') return this.len(n);
    if (n <= 0xffffffffn) return this.len(Number(n));
    this.raw(String.fromCharCode(RDB_64BITLEN) + be64(n));
  }

  /** rdbSaveRawString: a small integer's encoding, else LZF when it pays, else verbatim. */
  string(s: string): void {
    const len = s.length;
    if (len <= 11) {
      const v = string2ll(s);
      if (v !== null && typeof v === 'number' && String(v) === s) {
        if (v >= -128 && v <= 127) return this.raw(String.fromCharCode(0xc0 | RDB_ENC_INT8, v & 0xff));
        if (v >= -32768 && v <= 32767) return this.raw(String.fromCharCode(0xc0 | RDB_ENC_INT16, v & 0xff, (v >> 8) & 0xff));
        if (v >= -2147483648 && v <= 2147483647) {
          return this.raw(String.fromCharCode(0xc0 | RDB_ENC_INT32, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff));
        }
      }
    }
    if (this.compression && len > 20) {
      const packed = lzfCompress(binaryToBytes(s), len - 4);
      if (packed !== null) {
        this.byte(0xc0 | RDB_ENC_LZF);
        this.len(packed.length);
        this.len(len);
        this.raw(bytesToBinary(packed));
        return;
      }
    }
    this.len(len);
    this.raw(s);
  }

  /** rdbSaveBinaryDoubleValue: 8 bytes, little endian. */
  binaryDouble(x: number): void {
    DOUBLE_VIEW.setFloat64(0, x, true);
    const b = DOUBLE_BYTES;
    this.raw(String.fromCharCode(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]));
  }

  /** rdbSaveMillisecondTime: a signed 64-bit integer, little endian. */
  millis(ms: Int64): void {
    this.raw(le64(BigInt(ms)));
  }

  /** Everything written so far, as one binary string. */
  toString(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }
}

/** rdbSaveObjectType: the RDB type byte Redis 7.0 writes for a value. */
export function rdbObjectType(o: RObj): number {
  switch (o.type) {
    case OBJ_STRING: return RDB_TYPE_STRING;
    case OBJ_LIST: return RDB_TYPE_LIST_QUICKLIST_2;
    case OBJ_SET: return (o.value as RSet).intset ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
    case OBJ_ZSET: return (o.value as ZSet).listpack ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    case OBJ_HASH: return (o.value as HashValue).isListpack ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
    case OBJ_STREAM: return RDB_TYPE_STREAM_LISTPACKS_2;
    default: throw new RdbError(`cannot serialize objects of type ${o.type}`);
  }
}

/** rdbSaveObjectType + rdbSaveObject: the value's type byte and its encoding. */
export function writeObject(w: RdbWriter, o: RObj): void {
  const type = rdbObjectType(o);
  w.byte(type);
  writeValue(w, o, type);
}

/** rdbSaveObject: the value's encoding for its RDB type (see rdbObjectType). */
export function writeValue(w: RdbWriter, o: RObj, type: number): void {
  switch (type) {
    case RDB_TYPE_STRING:
      w.string(stringValue(o));
      return;
    case RDB_TYPE_LIST_QUICKLIST_2: {
      // The node layout DEBUG OBJECT's serializedlength assumes (types/list.ts).
      const l = o.value as ListValue;
      const nodes = nodeLayout(l);
      w.len(nodes.length);
      for (const [from, to, bytes] of nodes) {
        w.len(QUICKLIST_NODE_CONTAINER_PACKED);
        w.string(bytesToBinary(listpackBytes(l, from, to, bytes)));
      }
      return;
    }
    case RDB_TYPE_SET_INTSET: {
      const s = o.value as RSet;
      w.string(encodeIntset(s.members, s.width));
      return;
    }
    case RDB_TYPE_SET: {
      const s = o.value as RSet;
      w.len(s.size);
      for (const m of s.members) w.string(m);
      return;
    }
    case RDB_TYPE_ZSET_LISTPACK:
      w.string(zsetListpack(o.value as ZSet));
      return;
    case RDB_TYPE_ZSET_2: {
      // Greatest first, as Redis does (each insert on load then lands at the head).
      const z = o.value as ZSet;
      w.len(z.size);
      for (let x = z.zsl.tail; x !== null; x = x.backward) {
        w.string(x.ele);
        w.binaryDouble(x.score);
      }
      return;
    }
    case RDB_TYPE_HASH_LISTPACK:
      w.string(hashListpack(o.value as HashValue));
      return;
    case RDB_TYPE_STREAM_LISTPACKS_2:
      writeStream(w, o.value as Stream);
      return;
    case RDB_TYPE_HASH: {
      const h = o.value as HashValue;
      w.len(h.size);
      h.forEach((f, v) => {
        w.string(f);
        w.string(v);
      });
      return;
    }
  }
}

/** The RDB version and CRC-64 that end a DUMP payload, appended to body. */
export function withDumpTrailer(body: string): string {
  const versioned = body + String.fromCharCode(RDB_VERSION & 0xff, RDB_VERSION >> 8);
  return versioned + new Crc64().updateBinary(versioned).littleEndian();
}

/** createDumpPayload: type byte, value, RDB version (u16 LE), CRC-64 (LE) of all before it. */
export function dumpPayload(o: RObj, compression: boolean): string {
  const w = new RdbWriter(compression);
  writeObject(w, o);
  return withDumpTrailer(w.toString());
}

/** verifyDumpPayload: long enough, a version we can read, and the right checksum. */
export function verifyDumpPayload(p: string): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const version = p.charCodeAt(footer) | (p.charCodeAt(footer + 1) << 8);
  if (version > RDB_VERSION) return false;
  return new Crc64().updateBinary(p, 0, p.length - 8).littleEndian() === p.slice(p.length - 8);
}

// ---- reading ----

/** The config thresholds that decide the encoding of a loaded value. */
export interface RdbLoadLimits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  setMaxIntsetEntries: number;
  /** list-max-listpack-size */
  listFill: number;
}

export function loadLimits(config: Config): RdbLoadLimits {
  return {
    hashMaxListpackEntries: config.num('hash-max-listpack-entries'),
    hashMaxListpackValue: config.num('hash-max-listpack-value'),
    zsetMaxListpackEntries: config.num('zset-max-listpack-entries'),
    zsetMaxListpackValue: config.num('zset-max-listpack-value'),
    setMaxIntsetEntries: config.num('set-max-intset-entries'),
    listFill: config.num('list-max-listpack-size'),
  };
}

/** Reads RDB primitives from a binary string, up to `end`; running out raises RdbError. */
export class RdbReader {
  pos: number;
  readonly end: number;

  constructor(readonly data: string, start = 0, end = data.length) {
    this.pos = start;
    this.end = end;
  }

  private eof(): never {
    throw new RdbError('unexpected end of RDB data');
  }

  byte(): number {
    if (this.pos >= this.end) this.eof();
    return this.data.charCodeAt(this.pos++);
  }

  bytes(n: number): string {
    if (n > this.end - this.pos) this.eof();
    const s = this.data.slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** rdbLoadLenByRef: a length, or (encoded) the id of a special string encoding. */
  lenOrEncoding(): { len: number; encoded: boolean } {
    const b = this.byte();
    const kind = b >> 6;
    if (kind === RDB_ENCVAL) return { len: b & 0x3f, encoded: true };
    if (kind === RDB_6BITLEN) return { len: b & 0x3f, encoded: false };
    if (kind === RDB_14BITLEN) return { len: ((b & 0x3f) << 8) | this.byte(), encoded: false };
    if (b === RDB_32BITLEN || b === RDB_64BITLEN) {
      const raw = this.bytes(b === RDB_32BITLEN ? 4 : 8);
      let v = 0;
      for (let i = 0; i < raw.length; i++) v = v * 256 + raw.charCodeAt(i);
      if (!Number.isSafeInteger(v)) throw new RdbError('length out of range');
      return { len: v, encoded: false };
    }
    throw new RdbError(`unknown length encoding ${b} in rdbLoadLen()`);
  }

  /** rdbLoadLen of a 64-bit unsigned value: a number when safe, else a bigint. */
  lenU64(): U64 {
    const b = this.byte();
    if (b === RDB_64BITLEN) {
      const raw = this.bytes(8);
      let v = 0n;
      for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(raw.charCodeAt(i));
      return v <= 9007199254740991n ? Number(v) : v;
    }
    this.pos--;
    return this.len();
  }

  /** rdbLoadLen */
  len(): number {
    const l = this.lenOrEncoding();
    if (l.encoded) throw new RdbError('unexpected string encoding where a length was expected');
    return l.len;
  }

  /** rdbGenericLoadStringObject: a string in any of its encodings. */
  string(): string {
    const l = this.lenOrEncoding();
    if (!l.encoded) return this.bytes(l.len);
    switch (l.len) {
      case RDB_ENC_INT8:
        return String((this.byte() << 24) >> 24);
      case RDB_ENC_INT16: {
        const b = this.bytes(2);
        return String(((b.charCodeAt(0) | (b.charCodeAt(1) << 8)) << 16) >> 16);
      }
      case RDB_ENC_INT32: {
        const b = this.bytes(4);
        return String(b.charCodeAt(0) | (b.charCodeAt(1) << 8) | (b.charCodeAt(2) << 16) | (b.charCodeAt(3) << 24));
      }
      case RDB_ENC_LZF: {
        const clen = this.len();
        const len = this.len();
        const packed = this.bytes(clen);
        // LZF expands at most 88 times (3 bytes for a 264-byte back reference): anything more
        // claimed is corrupt, and must not make us allocate it.
        if (len === 0 || len > packed.length * 88 + 64) throw new RdbError('invalid LZF compressed string');
        const out = lzfDecompress(binaryToBytes(packed), len);
        if (out === null) throw new RdbError('invalid LZF compressed string');
        return bytesToBinary(out);
      }
      default:
        throw new RdbError(`unknown RDB string encoding type ${l.len}`);
    }
  }

  /** rdbLoadDoubleValue (RDB_TYPE_ZSET): a length byte then text; 253 nan, 254 +inf, 255 -inf. */
  textDouble(): number {
    const n = this.byte();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    const v = string2d(this.bytes(n)); // written by "%.17g"
    if (v === null) throw new RdbError('invalid double value');
    return v;
  }

  /** rdbLoadBinaryDoubleValue */
  binaryDouble(): number {
    if (this.end - this.pos < 8) this.eof();
    for (let i = 0; i < 8; i++) DOUBLE_BYTES[i] = this.data.charCodeAt(this.pos++);
    return DOUBLE_VIEW.getFloat64(0, true);
  }

  /** rdbLoadMillisecondTime: signed 64-bit, little endian. */
  millis(): Int64 {
    const b = this.bytes(8);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b.charCodeAt(i));
    v = BigInt.asIntN(64, v);
    return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  }

  /** rdbLoadTime: seconds, signed 32-bit little endian. */
  seconds(): number {
    const b = this.bytes(4);
    return b.charCodeAt(0) | (b.charCodeAt(1) << 8) | (b.charCodeAt(2) << 16) | (b.charCodeAt(3) << 24);
  }
}

/** A loaded value: its OBJ_* type and our data structure for it. */
export interface LoadedValue {
  type: number;
  value: unknown;
}

/** A value that loads as empty: Redis skips such keys in files and refuses them in RESTORE. */
export class EmptyKeyError extends RdbError {
  constructor() {
    super('empty keys skipped');
  }
}

function corrupt(what: string): never {
  throw new RdbError(what);
}

function loadList(items: string[], lim: RdbLoadLimits): LoadedValue {
  if (items.length === 0) throw new EmptyKeyError();
  return { type: OBJ_LIST, value: ListValue.from(items, lim.listFill) };
}

/** A hash from alternating fields and values, listpack-encoded unless too many pairs. */
function hashFromPairs(flat: string[] | null, lim: RdbLoadLimits, what: string, checkLengths: boolean): LoadedValue {
  if (flat === null || flat.length % 2 !== 0) corrupt(`${what} integrity check failed`);
  if (flat.length === 0) throw new EmptyKeyError();
  const h = new HashValue();
  let maxLen = 0;
  for (let i = 0; i < flat.length; i += 2) {
    if (!h.set(flat[i], flat[i + 1])) corrupt(`${what} with dup elements`);
    maxLen = Math.max(maxLen, flat[i].length, flat[i + 1].length);
  }
  if (h.size > lim.hashMaxListpackEntries || (checkLengths && maxLen > lim.hashMaxListpackValue)) h.toHashtable();
  return { type: OBJ_HASH, value: h };
}

/** A zset from alternating members and score texts (a ziplist's or listpack's pairs). */
function zsetFromPairs(flat: string[] | null, lim: RdbLoadLimits, what: string): LoadedValue {
  if (flat === null || flat.length % 2 !== 0) corrupt(`${what} integrity check failed`);
  if (flat.length === 0) throw new EmptyKeyError();
  const z = new ZSet();
  z.listpack = flat.length / 2 <= lim.zsetMaxListpackEntries;
  for (let i = 0; i < flat.length; i += 2) {
    const score = strtodPrefix(flat[i + 1]);
    if (Number.isNaN(score)) corrupt(`${what} with a NaN score`);
    if (z.dict.has(flat[i])) corrupt(`${what} with dup elements`);
    z.insert(flat[i], score);
  }
  return { type: OBJ_ZSET, value: z };
}

/**
 * zzlStrtod: C's strtod over a listpack score, as Redis reads it without validating: the longest
 * number at the start (after blanks), 0 when there is none. Redis only ever writes numbers there.
 */
function strtodPrefix(s: string): number {
  const exact = string2d(s);
  if (exact !== null) return exact;
  const m = /^[ \t\n\v\f\r]*([+-]?)(inf(?:inity)?|nan|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/i.exec(s);
  if (m === null) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2].toLowerCase();
  if (body.startsWith('inf')) return sign * Infinity;
  if (body === 'nan') return NaN;
  return sign * Number(body);
}

function loadSetMembers(r: RdbReader, lim: RdbLoadLimits): LoadedValue {
  const len = r.len();
  if (len === 0) throw new EmptyKeyError();
  const s = new RSet();
  if (len > lim.setMaxIntsetEntries) s.intset = false;
  for (let i = 0; i < len; i++) {
    if (!s.add(r.string(), lim.setMaxIntsetEntries)) corrupt('Duplicate set members detected');
  }
  return { type: OBJ_SET, value: s };
}

function loadZsetMembers(r: RdbReader, lim: RdbLoadLimits, binary: boolean): LoadedValue {
  const len = r.len();
  if (len === 0) throw new EmptyKeyError();
  // Loaded as a skiplist, then flagged as a listpack when small enough (zsetConvert).
  const z = new ZSet();
  z.listpack = false;
  let maxLen = 0;
  for (let i = 0; i < len; i++) {
    const ele = r.string();
    const score = binary ? r.binaryDouble() : r.textDouble();
    if (Number.isNaN(score)) corrupt('Zset with NAN score detected');
    if (z.dict.has(ele)) corrupt('Duplicate zset fields detected');
    z.insert(ele, score);
    if (ele.length > maxLen) maxLen = ele.length;
  }
  z.listpack = len <= lim.zsetMaxListpackEntries && maxLen <= lim.zsetMaxListpackValue;
  return { type: OBJ_ZSET, value: z };
}

function loadHashPairs(r: RdbReader, lim: RdbLoadLimits): LoadedValue {
  const len = r.len();
  if (len === 0) throw new EmptyKeyError();
  const h = new HashValue();
  if (len > lim.hashMaxListpackEntries) h.toHashtable();
  for (let i = 0; i < len; i++) {
    const f = r.string();
    const v = r.string();
    if (h.isListpack && (f.length > lim.hashMaxListpackValue || v.length > lim.hashMaxListpackValue)) h.toHashtable();
    if (!h.set(f, v)) corrupt('Duplicate hash fields detected');
  }
  return { type: OBJ_HASH, value: h };
}

function loadQuicklist(r: RdbReader, lim: RdbLoadLimits, v2: boolean): LoadedValue {
  const nodes = r.len();
  const items: string[] = [];
  for (let n = 0; n < nodes; n++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (v2) {
      container = r.len();
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
        corrupt('Quicklist integrity check failed');
      }
    }
    const data = r.string();
    if (data.length === 0) corrupt('empty quicklist node');
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      items.push(data);
      continue;
    }
    const entries = v2 ? listpackEntries(data) : ziplistEntries(data);
    if (entries === null) corrupt(v2 ? 'Listpack integrity check failed' : 'Ziplist integrity check failed');
    for (const e of entries) items.push(e); // empty nodes are skipped
  }
  return loadList(items, lim);
}

type ObjectLoader = (r: RdbReader, lim: RdbLoadLimits) => LoadedValue;

/** rdbLoadObject, by RDB type. */
const OBJECT_LOADERS: (ObjectLoader | undefined)[] = [];
OBJECT_LOADERS[RDB_TYPE_STRING] = (r) => ({ type: OBJ_STRING, value: r.string() });
OBJECT_LOADERS[RDB_TYPE_LIST] = (r, lim) => {
  const len = r.len();
  const items: string[] = [];
  for (let i = 0; i < len; i++) items.push(r.string());
  return loadList(items, lim);
};
OBJECT_LOADERS[RDB_TYPE_SET] = loadSetMembers;
OBJECT_LOADERS[RDB_TYPE_ZSET] = (r, lim) => loadZsetMembers(r, lim, false);
OBJECT_LOADERS[RDB_TYPE_ZSET_2] = (r, lim) => loadZsetMembers(r, lim, true);
OBJECT_LOADERS[RDB_TYPE_HASH] = loadHashPairs;
OBJECT_LOADERS[RDB_TYPE_LIST_QUICKLIST] = (r, lim) => loadQuicklist(r, lim, false);
OBJECT_LOADERS[RDB_TYPE_LIST_QUICKLIST_2] = (r, lim) => loadQuicklist(r, lim, true);
OBJECT_LOADERS[RDB_TYPE_HASH_ZIPMAP] = (r, lim) => hashFromPairs(zipmapEntries(r.string()), lim, 'Hash zipmap', true);
OBJECT_LOADERS[RDB_TYPE_LIST_ZIPLIST] = (r, lim) => {
  const items = ziplistEntries(r.string());
  if (items === null) corrupt('List ziplist integrity check failed');
  return loadList(items, lim);
};
OBJECT_LOADERS[RDB_TYPE_SET_INTSET] = (r, lim) => {
  const parsed = intsetEntries(r.string());
  if (parsed === null || parsed.members.length === 0) corrupt('Intset integrity check failed');
  const s = new RSet();
  for (const m of parsed.members) s.add(m, lim.setMaxIntsetEntries);
  // An intset keeps the width it had (it never shrinks).
  if (s.intset && parsed.width > s.width) s.width = parsed.width;
  return { type: OBJ_SET, value: s };
};
OBJECT_LOADERS[RDB_TYPE_ZSET_ZIPLIST] = (r, lim) => zsetFromPairs(ziplistEntries(r.string()), lim, 'Zset ziplist');
OBJECT_LOADERS[RDB_TYPE_ZSET_LISTPACK] = (r, lim) => zsetFromPairs(listpackEntries(r.string()), lim, 'Zset listpack');
OBJECT_LOADERS[RDB_TYPE_HASH_ZIPLIST] = (r, lim) => hashFromPairs(ziplistEntries(r.string()), lim, 'Hash ziplist', false);
OBJECT_LOADERS[RDB_TYPE_HASH_LISTPACK] = (r, lim) => hashFromPairs(listpackEntries(r.string()), lim, 'Hash listpack', false);
OBJECT_LOADERS[RDB_TYPE_STREAM_LISTPACKS] = (r) => loadStream(r, false);
OBJECT_LOADERS[RDB_TYPE_STREAM_LISTPACKS_2] = (r) => loadStream(r, true);

function loadStream(r: RdbReader, v2: boolean): LoadedValue {
  try {
    return { type: OBJ_STREAM, value: readStream(r, v2) };
  } catch (e) {
    if (e instanceof StreamFormatError) corrupt(e.message);
    throw e;
  }
}

/** rdbLoadObject: one value of the given RDB type. Raises RdbError (EmptyKeyError when empty). */
export function readObject(r: RdbReader, rdbType: number, lim: RdbLoadLimits): LoadedValue {
  const loader = OBJECT_LOADERS[rdbType];
  if (loader === undefined) {
    if (rdbType === RDB_TYPE_MODULE || rdbType === RDB_TYPE_MODULE_2) corrupt('module values are not supported');
    corrupt(`unknown RDB object type ${rdbType}`);
  }
  return loader(r, lim);
}

/**
 * RESTORE's decoding of a payload already checked by verifyDumpPayload: the value, or null for
 * "Bad data format" (an unknown type, corrupt or empty data).
 */
export function decodeDumpPayload(p: string, lim: RdbLoadLimits): LoadedValue | null {
  // Reads may run into the trailer, and bytes left over are ignored: Redis 7.0 reads the value
  // from the whole payload.
  const r = new RdbReader(p);
  try {
    return readObject(r, r.byte(), lim);
  } catch (e) {
    if (e instanceof RdbError) return null;
    throw e;
  }
}

// ---- files ----

/**
 * rdbSaveRio: the whole dataset as an RDB file (version 10), as SAVE writes it: header, AUX fields,
 * function libraries, then per non-empty database SELECTDB, RESIZEDB and its keys (each with its
 * expire, and its idle time or access frequency under an LRU or LFU maxmemory-policy), EOF and the
 * CRC-64 (zero when rdbchecksum is off). Logically expired keys are written too, as Redis does.
 * The file is assembled by persistence/snapshot.ts, the same code BGSAVE runs in slices.
 */
export function encodeRdb(engine: Engine): Uint8Array {
  return engine.rdb.encodeNow();
}

/** One key of an RDB file. */
export interface RdbEntry {
  db: number;
  key: string;
  type: number;
  value: unknown;
  /** Absolute expire time in ms, or -1. */
  expireAt: Int64;
  /** IDLE opcode: seconds since last access, or -1. */
  idle: number;
  /** FREQ opcode: the LFU counter, or -1. */
  freq: number;
}

export interface RdbFile {
  version: number;
  /** AUX fields, in file order (redis-ver, ctime, used-mem, repl-id, ...). */
  aux: Map<string, string>;
  /** Function libraries' code (FUNCTION2 opcodes). */
  functions: string[];
  /** RESIZEDB hints per database: [keys, keys with an expire]. */
  sizes: Map<number, [number, number]>;
  /** Keys whose value was empty (skipped, as Redis does). */
  emptyKeysSkipped: number;
  /** 'verified', or 'disabled' when the file was saved without a checksum (all zeros). */
  checksum: 'verified' | 'disabled';
}

export interface RdbLoadOptions {
  /** How many databases there are: a SELECTDB beyond them is an error (default 16). */
  databases?: number;
  /** Check the CRC-64 at the end (rdbchecksum; default true). */
  checksum?: boolean;
}

/**
 * rdbLoadRio over a whole file: calls onEntry for every key, in file order, and returns what else
 * the file holds. Raises RdbError with a description of the first problem found; the caller
 * should then discard what it was given (see loadRdb, which does).
 */
export function decodeRdb(
  input: Uint8Array | string, lim: RdbLoadLimits, onEntry: (e: RdbEntry) => void, opts: RdbLoadOptions = {},
): RdbFile {
  const data = typeof input === 'string' ? input : bytesToBinary(input);
  if (data.length < 9 || data.slice(0, 5) !== 'REDIS') throw new RdbError('Wrong signature trying to load DB from file');
  const vtext = data.slice(5, 9);
  const version = /^[0-9]{4}$/.test(vtext) ? Number(vtext) : -1;
  if (version < 1 || version > RDB_VERSION) throw new RdbError(`Can't handle RDB format version ${vtext}`);
  const databases = opts.databases ?? 16;
  const file: RdbFile = { version, aux: new Map(), functions: [], sizes: new Map(), emptyKeysSkipped: 0, checksum: 'verified' };
  const r = new RdbReader(data, 9);
  let db = 0;
  let expireAt: Int64 = -1;
  let idle = -1;
  let freq = -1;
  for (;;) {
    const type = r.byte();
    if (type === RDB_OPCODE_EXPIRETIME) {
      expireAt = r.seconds() * 1000;
      continue;
    }
    if (type === RDB_OPCODE_EXPIRETIME_MS) {
      expireAt = r.millis();
      continue;
    }
    if (type === RDB_OPCODE_FREQ) {
      freq = r.byte();
      continue;
    }
    if (type === RDB_OPCODE_IDLE) {
      idle = r.len();
      continue;
    }
    if (type === RDB_OPCODE_EOF) break;
    if (type === RDB_OPCODE_SELECTDB) {
      db = r.len();
      if (db >= databases) {
        throw new RdbError(`Data file was created with a Redis server configured to handle more than ${databases} databases`);
      }
      continue;
    }
    if (type === RDB_OPCODE_RESIZEDB) {
      const size = r.len();
      const expires = r.len();
      file.sizes.set(db, [size, expires]);
      continue;
    }
    if (type === RDB_OPCODE_AUX) {
      const key = r.string();
      file.aux.set(key, r.string());
      continue;
    }
    if (type === RDB_OPCODE_MODULE_AUX) throw new RdbError('module data in the RDB file is not supported');
    if (type === RDB_OPCODE_FUNCTION_PRE_GA) throw new RdbError('Pre-release function format not supported');
    if (type === RDB_OPCODE_FUNCTION2) {
      file.functions.push(r.string());
      continue;
    }
    const key = r.string();
    try {
      const v = readObject(r, type, lim);
      onEntry({ db, key, type: v.type, value: v.value, expireAt, idle, freq });
    } catch (e) {
      if (!(e instanceof EmptyKeyError)) throw e;
      file.emptyKeysSkipped++;
    }
    expireAt = -1;
    idle = -1;
    freq = -1;
  }
  if (version >= 5) {
    const stored = r.bytes(8);
    if (stored === '\0'.repeat(8)) {
      file.checksum = 'disabled';
    } else if (opts.checksum !== false) {
      const expected = new Crc64().updateBinary(data, 0, r.pos - 8).littleEndian();
      if (expected !== stored) throw new RdbError('Wrong RDB checksum. Aborting now.');
    }
  }
  return file;
}

/**
 * Replace an engine's dataset (every database and the function libraries) with an RDB file's, as
 * Redis does at startup or on DEBUG RELOAD: keys already expired are dropped, IDLE/FREQ set the
 * keys' LRU/LFU data. The file is decoded completely first, so a corrupt file changes nothing.
 */
export function loadRdb(engine: Engine, input: Uint8Array | string, opts: { keepExpired?: boolean } = {}): RdbFile {
  const entries: RdbEntry[] = [];
  const seen = engine.dbs.map(() => new Set<string>());
  const file = decodeRdb(input, loadLimits(engine.config), (e) => {
    if (seen[e.db].has(e.key)) throw new RdbError(`Duplicated key '${e.key}' found in DB ${e.db} of the RDB file`);
    seen[e.db].add(e.key);
    entries.push(e);
  }, { databases: engine.dbs.length, checksum: engine.config.bool('rdbchecksum') });
  const fns = functionsOf(engine);
  fns.flush();
  for (const code of file.functions) {
    const made = fns.load(code, false, 0);
    if ('error' in made) throw new RdbError(`Failed loading library: ${made.error}`);
  }
  // emptyData: clients that cache keys are told that everything changed.
  engine.tracking.invalidateKeysOnFlush();
  for (const db of engine.dbs) db.flush();
  const now = engine.clock();
  const lfu = engine.lfuPolicy();
  for (const e of entries) {
    // A master drops keys that expired meanwhile; a replica keeps them until its master's DEL.
    if (e.expireAt !== -1 && e.expireAt < now && !opts.keepExpired) continue;
    const o = new RObj(e.type, e.value, engine.newObjectLru());
    if (e.expireAt !== -1) o.expireAt = Number(e.expireAt);
    setLruOrLfu(engine, o, lfu ? e.freq : -1, lfu ? -1 : e.idle);
    engine.dbs[e.db].addLoaded(e.key, o);
  }
  return file;
}

/**
 * objectSetLRUOrLFU: under an LFU policy a given frequency becomes the counter; otherwise a given
 * idle time (seconds) moves the LRU clock back. -1 means "not given".
 */
export function setLruOrLfu(engine: Engine, o: RObj, freq: number, idleSeconds: number): void {
  if (engine.lfuPolicy()) {
    if (freq >= 0) o.lru = ((Math.floor(engine.commandTime() / 60000) & 65535) << 8) | freq;
  } else if (idleSeconds >= 0) {
    // lru_clock - idle, one LRU_CLOCK_MAX added back when negative, stored in robj's 24-bit
    // field (so a huge idle time wraps around, as in Redis).
    let abs = BigInt(engine.lruClock()) - BigInt(idleSeconds);
    if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX);
    o.lru = Number(BigInt.asUintN(24, abs));
  }
}
