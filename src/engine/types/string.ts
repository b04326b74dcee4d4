import { ByteBuf, binaryToBytes } from '../util/bytes';
import { OBJ_STRING, type RObj } from '../object';
import { string2ll, type Int64 } from '../util/numbers';
import { mixDigest } from '../util/sha1';
import { rdbIntSize, rdbRawStringSize } from '../persistence/rdb-size';
import { jeSize, sdsSize } from '../memory';
import type { DataType } from './index';
import type { Engine } from '../server';

/**
 * String values. An RObj of type string holds one of:
 * - a binary string: a value written whole (SET, MSET, GETSET, INCR, APPEND to a missing key...).
 *   Redis's tryObjectEncoding decides its encoding from its bytes: "int" when it reads as a
 *   64-bit integer, else "embstr" up to 44 bytes, else "raw".
 * - a ByteBuf: a value edited in place (APPEND to an existing key, SETRANGE, SETBIT...), which
 *   Redis holds as a "raw" sds whatever its contents.
 * - a PlainStringBuf (a ByteBuf): a value Redis keeps as a plain string although it reads as an
 *   integer, e.g. INCRBYFLOAT's "3" ("embstr", not "int"). It behaves as any ByteBuf; turning it
 *   into a mutable buffer with stringBuffer() makes it an ordinary ByteBuf ("raw").
 * Always go through these helpers rather than looking at o.value.
 */

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT */
export const EMBSTR_SIZE_LIMIT = 44;

/** An integer-looking value that Redis stores without the int encoding (see above). */
export class PlainStringBuf extends ByteBuf {}

export function stringValue(o: RObj): string {
  const v = o.value;
  return typeof v === 'string' ? v : (v as ByteBuf).toString();
}

export function stringLength(o: RObj): number {
  const v = o.value;
  return typeof v === 'string' ? v.length : (v as ByteBuf).len;
}

/** The value as a mutable buffer, converting it in place (the object becomes "raw"). */
export function stringBuffer(o: RObj): ByteBuf {
  const v = o.value;
  if (typeof v === 'string') o.value = new ByteBuf(v);
  else if (v instanceof PlainStringBuf) o.value = new ByteBuf(v.buf.subarray(0, v.len));
  return o.value as ByteBuf;
}

/**
 * The value for a string that Redis creates with createStringObject (not tryObjectEncoding), so
 * never int-encoded: a binary string unless it reads as an integer.
 */
export function plainStringValue(s: string): string | ByteBuf {
  return s.length <= 20 && string2ll(s) !== null ? new PlainStringBuf(s) : s;
}

/**
 * A copy of a string value keeping its encoding (dupStringObject): binary strings are immutable
 * and shared as they are; buffers are copied, a PlainStringBuf staying one.
 */
export function stringDup(v: string | ByteBuf): string | ByteBuf {
  if (typeof v === 'string') return v;
  const bytes = v.buf.subarray(0, v.len);
  return v instanceof PlainStringBuf ? new PlainStringBuf(bytes) : new ByteBuf(bytes);
}

/** OBJECT ENCODING of a string object: int, embstr or raw, as Redis would report it. */
export function stringEncoding(o: RObj): 'int' | 'embstr' | 'raw' {
  const v = o.value;
  if (typeof v !== 'string') {
    if (v instanceof PlainStringBuf) return v.len <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
    return 'raw';
  }
  if (v.length <= 20 && string2ll(v) !== null) return 'int';
  return v.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** The value as a 64-bit integer (Redis's getLongLongFromObject), or null when it is not one. */
export function stringInt(o: RObj): Int64 | null {
  const v = o.value;
  if (typeof v === 'string') return string2ll(v);
  const b = v as ByteBuf;
  return b.len <= 20 ? string2ll(b.toString()) : null;
}

export function isString(o: RObj): boolean {
  return o.type === OBJ_STRING;
}

/** rdbSaveStringObject's size: int-encoded values use RDB's integer forms when they fit. */
function rdbStringObjectSize(o: RObj, compression: boolean): number {
  if (stringEncoding(o) === 'int') {
    const v = stringInt(o)!;
    const n = rdbIntSize(v);
    return n > 0 ? n : rdbRawStringSize(String(v), compression);
  }
  return rdbRawStringSize(stringValue(o), compression);
}

/** Strings as a DataType (see types/index.ts). */
export const stringType: DataType = {
  encoding: stringEncoding,
  copy: (o) => stringDup(o.value),
  digest: (digest, o) => mixDigest(digest, binaryToBytes(stringValue(o))),
  serializedLength: rdbStringObjectSize,
  memory(o) {
    const enc = stringEncoding(o);
    if (enc === 'int') return 16;
    if (enc === 'embstr') return jeSize(16 + 3 + stringLength(o) + 1);
    return 16 + sdsSize(stringLength(o));
  },
  allocated(o) {
    const enc = stringEncoding(o);
    if (enc === 'int') {
      // 0..9999 point at Redis's shared integer objects: nothing allocated for the value.
      if (o.unshared) return 16;
      const v = stringInt(o)!;
      return v >= 0 && v < SHARED_INTEGERS ? 0 : 16;
    }
    if (enc === 'embstr') return jeSize(16 + 3 + stringLength(o) + 1);
    return 16 + sdsSize(stringLength(o));
  },
};

/** OBJ_SHARED_INTEGERS: 0..9999 are shared objects in Redis. */
const SHARED_INTEGERS = 10000;
/** OBJ_SHARED_REFCOUNT (INT_MAX), what OBJECT REFCOUNT shows for a shared object. */
const SHARED_REFCOUNT = 2147483647;

/**
 * OBJECT REFCOUNT as Redis reports it: small integers live in Redis's shared objects, unless
 * maxmemory is set with an LRU/LFU policy (which needs an object per key) or the value was
 * duplicated (COPY). Everything else has a refcount of 1.
 */
export function objectRefcount(engine: Engine, o: RObj): number {
  if (o.type !== OBJ_STRING || o.unshared || stringEncoding(o) !== 'int') return 1;
  const policy = engine.config.str('maxmemory-policy');
  if (engine.config.num('maxmemory') !== 0 && (policy.endsWith('-lru') || policy.endsWith('-lfu'))) return 1;
  const v = stringInt(o)!;
  return v >= 0 && v < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
}
