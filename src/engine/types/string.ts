import { ByteBuf } from '../util/bytes';
import { OBJ_STRING, type RObj } from '../object';
import { string2ll } from '../util/numbers';

/**
 * String values. An RObj of type string holds either a binary string (values written whole:
 * SET, INCR) or a ByteBuf (values edited in place: APPEND, SETRANGE, SETBIT), which Redis
 * would report as the "raw" encoding.
 */

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT */
export const EMBSTR_SIZE_LIMIT = 44;

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
  if (typeof o.value === 'string') o.value = new ByteBuf(o.value);
  return o.value as ByteBuf;
}

/** OBJECT ENCODING of a string object: int, embstr or raw, as Redis's tryObjectEncoding decides. */
export function stringEncoding(o: RObj): 'int' | 'embstr' | 'raw' {
  const v = o.value;
  if (typeof v !== 'string') return 'raw';
  if (v.length <= 20 && string2ll(v) !== null) return 'int';
  return v.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

export function isString(o: RObj): boolean {
  return o.type === OBJ_STRING;
}
