import { binaryToBytes } from '../util/bytes';
import { lzfCompress } from '../util/lzf';
import { string2ll, type Int64 } from '../util/numbers';

/**
 * Sizes of RDB encodings (rdb.c): what a value takes in a snapshot or a DUMP payload. DEBUG OBJECT
 * reports them as serializedlength; the RDB writer will share them.
 */

/** rdbSaveLen: the size of a length prefix. */
export function rdbLenSize(len: number): number {
  if (len < 1 << 6) return 1;
  if (len < 1 << 14) return 2;
  if (len <= 0xffffffff) return 5;
  return 9;
}

/** rdbEncodeInteger: the size of a small integer's special encoding, or 0 when it does not fit. */
export function rdbIntSize(v: Int64): number {
  if (v >= -(1 << 7) && v <= (1 << 7) - 1) return 2;
  if (v >= -(1 << 15) && v <= (1 << 15) - 1) return 3;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 0;
}

/** rdbSaveRawString's size: integer encoding, then LZF (rdbcompression), then verbatim. */
export function rdbRawStringSize(s: string, compression: boolean): number {
  const len = s.length;
  if (len <= 11) {
    const v = string2ll(s);
    if (v !== null && String(v) === s) {
      const n = rdbIntSize(v);
      if (n > 0) return n;
    }
  }
  if (compression && len > 20) {
    const c = lzfCompress(binaryToBytes(s), len - 4);
    if (c !== null) return 1 + rdbLenSize(c.length) + rdbLenSize(len) + c.length;
  }
  return rdbLenSize(len) + len;
}

