import type { Client } from '../client';
import { string2d, string2ll, type Int64 } from '../util/numbers';

/**
 * Argument parsing shared by every command group, replying with Redis's error on failure
 * (the getXFromObjectOrReply family). Each returns null after replying.
 */

/** getLongLongFromObjectOrReply */
export function argLongLong(c: Client, s: string, msg?: string): Int64 | null {
  const v = string2ll(s);
  if (v === null) {
    c.reply.err(msg ?? 'value is not an integer or out of range');
    return null;
  }
  return v;
}

/** getLongLongFromObjectOrReply as a JS number (values beyond 2^53 are clamped; use for counts and offsets). */
export function argInt(c: Client, s: string, msg?: string): number | null {
  const v = argLongLong(c, s, msg);
  return v === null ? null : Number(v);
}

/** getPositiveLongFromObjectOrReply */
export function argPositive(c: Client, s: string, msg?: string): number | null {
  const v = string2ll(s);
  if (v === null || v < 0) {
    c.reply.err(msg ?? 'value is out of range, must be positive');
    return null;
  }
  return Number(v);
}

/** getRangeLongFromObjectOrReply */
export function argRange(c: Client, s: string, min: number, max: number, msg?: string): number | null {
  const v = string2ll(s);
  if (v === null || v < min || v > max) {
    c.reply.err(msg ?? `value is out of range, value must between ${min} and ${max}`);
    return null;
  }
  return Number(v);
}

/** getDoubleFromObjectOrReply */
export function argDouble(c: Client, s: string, msg?: string): number | null {
  const v = string2d(s);
  if (v === null) {
    c.reply.err(msg ?? 'value is not a valid float');
    return null;
  }
  return v;
}
