import { bytesToBinary } from '../util/bytes';
import { splitArgs } from '../util/splitargs';

/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline command or count line we wait for. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;
/** Bulks at least this big are read straight into a buffer of their own size (no re-copying). */
const BIG_ARG = 32 * 1024;

export class ProtocolError extends Error {}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** Whether the client still has to AUTH (tighter limits, like Redis). */
  unauthenticated: boolean;
}

/**
 * Incremental parser of client requests: RESP multibulk (`*2\r\n$3\r\nGET\r\n...`) and inline
 * commands (`GET key\r\n`), with Redis's limits and error texts. Feed bytes as they arrive and pull
 * complete commands with next(); a partial command stays buffered until the rest arrives.
 */
export class RequestParser {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  // state of a multibulk in progress
  private argc = 0; // args still to read; 0 = no multibulk in progress
  private args: string[] = [];
  private bulkLen = -1; // length of the bulk being waited for, -1 = need its "$" line
  private big: Uint8Array | null = null; // target buffer for a big bulk
  private bigFilled = 0;
  limits: ParserLimits = { maxBulkLen: 512 * 1024 * 1024, unauthenticated: false };

  /** Bytes buffered but not yet consumed (query buffer length, for CLIENT LIST qbuf). */
  get pending(): number {
    return this.end - this.pos + (this.big ? this.bigFilled : 0);
  }

  feed(chunk: Uint8Array): void {
    if (this.big) {
      // Straight into the big bulk's own buffer.
      const need = this.big.length - this.bigFilled;
      const n = Math.min(need, chunk.length);
      this.big.set(chunk.subarray(0, n), this.bigFilled);
      this.bigFilled += n;
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    if (this.pos === this.end) {
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      return;
    }
    const left = this.end - this.pos;
    const nb = new Uint8Array(left + chunk.length);
    nb.set(this.buf.subarray(this.pos, this.end));
    nb.set(chunk, left);
    this.buf = nb;
    this.pos = 0;
    this.end = nb.length;
  }

  /**
   * The next complete command, or null if more bytes are needed.
   * Empty commands (`*0`, blank inline lines) are skipped. Throws ProtocolError with Redis's text.
   */
  next(): string[] | null {
    for (;;) {
      if (this.argc === 0 && !this.big) {
        if (this.pos >= this.end) return null;
        if (this.buf[this.pos] !== 42 /* '*' */) {
          const cmd = this.inline();
          if (cmd === null) return null;
          if (cmd.length === 0) continue;
          return cmd;
        }
        const count = this.countLine(true);
        if (count === null) return null;
        if (count <= 0) continue;
        this.argc = count;
        this.args = [];
      }
      while (this.argc > 0) {
        if (this.big) {
          if (this.bigFilled < this.big.length) return null;
          this.args.push(bytesToBinary(this.big, 0, this.big.length - 2));
          this.big = null;
          this.bigFilled = 0;
          this.bulkLen = -1;
          this.argc--;
          continue;
        }
        if (this.bulkLen < 0) {
          const len = this.countLine(false);
          if (len === null) return null;
          this.bulkLen = len;
        }
        const avail = this.end - this.pos;
        if (avail < this.bulkLen + 2) {
          if (this.bulkLen >= BIG_ARG) {
            // Redis preallocates big arguments too; move what we have into a buffer of the full size.
            this.big = new Uint8Array(this.bulkLen + 2);
            this.big.set(this.buf.subarray(this.pos, this.end));
            this.bigFilled = avail;
            this.pos = this.end;
          }
          return null;
        }
        this.args.push(bytesToBinary(this.buf, this.pos, this.pos + this.bulkLen));
        this.pos += this.bulkLen + 2; // Redis does not check the CRLF, it skips it
        this.bulkLen = -1;
        this.argc--;
      }
      const cmd = this.args;
      this.args = [];
      return cmd;
    }
  }

  /** Parse a `*N` or `$N` line at pos. Returns null when the line is not complete yet. */
  private countLine(multibulk: boolean): number | null {
    const b = this.buf;
    let cr = -1;
    for (let i = this.pos; i < this.end; i++) {
      if (b[i] === 13) { cr = i; break; }
    }
    if (cr < 0) {
      if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) {
        throw new ProtocolError(multibulk ? 'Protocol error: too big mbulk count string' : 'Protocol error: too big bulk count string');
      }
      return null;
    }
    // Redis needs the char after '\r' to be there too, then skips both.
    if (cr + 1 >= this.end) return null;
    if (!multibulk && b[this.pos] !== 36 /* '$' */) {
      throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(b[this.pos])}'`);
    }
    const v = parseCount(b, this.pos + 1, cr);
    if (multibulk) {
      if (v === null || v > INT_MAX) throw new ProtocolError('Protocol error: invalid multibulk length');
      if (v > 10 && this.limits.unauthenticated) throw new ProtocolError('Protocol error: unauthenticated multibulk length');
    } else {
      if (v === null || v < 0 || v > this.limits.maxBulkLen) throw new ProtocolError('Protocol error: invalid bulk length');
      if (v > 16384 && this.limits.unauthenticated) throw new ProtocolError('Protocol error: unauthenticated bulk length');
    }
    this.pos = cr + 2;
    return v;
  }

  /** An inline command line, split like redis-cli/sdssplitargs; null = incomplete. */
  private inline(): string[] | null {
    const b = this.buf;
    let nl = -1;
    for (let i = this.pos; i < this.end; i++) {
      if (b[i] === 10) { nl = i; break; }
    }
    if (nl < 0) {
      if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) throw new ProtocolError('Protocol error: too big inline request');
      return null;
    }
    let lineEnd = nl;
    if (lineEnd > this.pos && b[lineEnd - 1] === 13) lineEnd--;
    const line = bytesToBinary(b, this.pos, lineEnd);
    this.pos = nl + 1;
    const argv = splitArgs(line);
    if (argv === null) throw new ProtocolError('Protocol error: unbalanced quotes in request');
    return argv;
  }
}

/** string2ll over bytes: the same rules as Redis (no '+', no leading zeros, '-' allowed). */
function parseCount(b: Uint8Array, start: number, end: number): number | null {
  const n = end - start;
  if (n <= 0 || n > 20) return null;
  let i = start;
  let neg = false;
  if (b[i] === 45) { neg = true; i++; if (i === end) return null; }
  if (b[i] === 48) return end - start === 1 ? 0 : null;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  if (v > 9223372036854775807) return null;
  return neg ? -v : v;
}
