/**
 * Splitting a typed line into arguments the way redis-cli does (sdssplitargs), on the line's
 * UTF-8 bytes. Arguments are binary strings (one char per byte).
 */
import { splitArgs } from '../engine/util/splitargs';
import { binaryToBytes, binaryToUtf8, utf8ToBinary } from '../engine/util/bytes';

/** What redis-cli prints when a line has unbalanced quotes. */
export const INVALID_ARGUMENTS = 'Invalid argument(s)';

/** The line's arguments as binary strings, or null on unbalanced quotes. */
export function splitLine(line: string): string[] | null {
  return splitArgs(utf8ToBinary(line));
}

/** An argument's bytes, to send as they are. */
export const argBytes = binaryToBytes;

/** An argument as text (UTF-8 decoded), for matching command names. */
export const argText = binaryToUtf8;
