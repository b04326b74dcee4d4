import { ByteBuf } from '../util/bytes';
import { OBJ_STRING, type RObj } from '../object';
import { string2ll, type Int64 } from '../util/numbers';

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
