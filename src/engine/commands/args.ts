import type { Client } from '../client';
import { argIs } from '../util/bytes';
import { atoi, string2d, string2ll, type Int64 } from '../util/numbers';

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

/**
 * genericGetKeys for commands whose keys follow a numkeys argument (LMPOP, ZUNION, SINTERCARD...):
 * numkeys at argv[at], read with C's atoi as Redis does, then that many keys; with `withDestination`
 * the argument before numkeys is a key too (ZUNIONSTORE). Null when numkeys does not fit.
 */
export function keysAfterNumkeys(argv: readonly string[], at: number, withDestination = false): number[] | null {
  if (argv.length <= at) return null;
  const num = atoi(argv[at]);
  if (num < 1 || num > argv.length - at - 1) return null;
  const out: number[] = withDestination ? [at - 1] : [];
  for (let i = 0; i < num; i++) out.push(at + 1 + i);
  return out;
}

/**
 * The arguments of the MPOP family, after any timeout: numkeys at argv[at], the keys, one of two
 * direction keywords (LEFT|RIGHT, MIN|MAX), then an optional COUNT; Redis's order of checks and
 * errors (lmpopGenericCommand, zmpopGenericCommand). `second` is whether the second keyword was
 * given. Null after replying.
 */
export function argMpop(
  c: Client, argv: readonly string[], at: number, first: string, second: string,
): { keys: string[]; second: boolean; count: number } | null {
  const nk = string2ll(argv[at]);
  if (nk === null || nk < 1) {
    c.reply.err('numkeys should be greater than 0');
    return null;
  }
  const numkeys = Number(nk);
  const whereIdx = at + numkeys + 1;
  if (whereIdx >= argv.length || !(argIs(argv[whereIdx], first) || argIs(argv[whereIdx], second))) {
    c.reply.syntaxErr();
    return null;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (count === -1 && argIs(argv[j], 'count') && moreargs) {
      const v = string2ll(argv[++j]);
      if (v === null || v < 1) {
        c.reply.err('count should be greater than 0');
        return null;
      }
      count = Number(v);
    } else {
      c.reply.syntaxErr();
      return null;
    }
  }
  return { keys: argv.slice(at + 1, at + 1 + numkeys), second: argIs(argv[whereIdx], second), count: count === -1 ? 1 : count };
}
