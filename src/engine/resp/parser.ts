import { bytesToBinary } from '../util/bytes';
import { splitArgs } from '../util/splitargs';

/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline command or count line we wait for. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;
/** Redis's PROTO_MBULK_BIG_ARG: bulks at least this big are read straight into a buffer of their own. */
const BIG_ARG = 32 * 1024;
const EMPTY = new Uint8Array(0);

export class ProtocolError extends Error {}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** Whether the client still has to AUTH (tighter limits, like Redis). */
  unauthenticated: boolean;
}

/**
 * Incremental parser of client requests: RESP multibulk (`*2\r\n$3\r\nGET\r\n...`) and inline
 * commands (`GET key\r\n`), with Redis 7.0's limits and error texts (processMultibulkBuffer,
 * processInlineBuffer). Feed bytes as they arrive and pull complete commands with next(); a partial
 * command stays buffered until the rest arrives, so the result never depends on how the bytes
 * were split into chunks.
 *
 * Like Redis, which looks for line ends with strchr(), a NUL byte before the '\r' of a count line
 * (or the '\n' of an inline command) hides the line end: the parser waits for more bytes, until
 * more than PROTO_INLINE_MAX_SIZE are buffered and it reports the line as too big.
 *
 * feed() may keep a reference to the chunk it is given while it parses it: do not modify a chunk
 * after feeding it. Bytes still unparsed when next() returns null are copied to the parser's own
 * buffer.
 */
export class RequestParser {
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private end = 0;
  /** Whether buf is the parser's own storage (else: the caller's chunk). */
  private owned = false;
  // state of a multibulk in progress
  private argc = 0; // args still to read; 0 = no multibulk in progress
  private args: string[] = [];
  private bulkLen = -1; // length of the bulk being waited for, -1 = need its "$" line
  private big: Uint8Array | null = null; // target buffer for a big bulk (with room for its CRLF)
  private bigFilled = 0;
  /** The value of the last count line read (set by countLine). */
  private count = 0;
  /** Where the line read by quickCount ends. */
  private quickEnd = 0;
  /** The last command name read (reused when the next one has the same bytes). */
  private lastName = '';
  limits: ParserLimits = { maxBulkLen: 512 * 1024 * 1024, unauthenticated: false };

  /** Bytes buffered but not yet consumed (query buffer length, for CLIENT LIST qbuf). */
  get pending(): number {
    return this.end - this.pos + (this.big ? this.bigFilled : 0);
  }

  feed(chunk: Uint8Array): void {
    if (this.big !== null) {
      // Straight into the big bulk's own buffer.
      const n = Math.min(this.big.length - this.bigFilled, chunk.length);
      this.big.set(n === chunk.length ? chunk : chunk.subarray(0, n), this.bigFilled);
      this.bigFilled += n;
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    if (this.pos === this.end) {
      // Nothing pending: parse the chunk where it is.
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      this.owned = false;
      return;
    }
    this.append(chunk);
  }

  /** Append to the pending bytes, in the parser's own (growing, compacted) buffer. */
  private append(chunk: Uint8Array): void {
    const left = this.end - this.pos;
    const need = left + chunk.length;
    if (this.owned && need <= this.buf.length) {
      if (this.pos > 0) this.buf.copyWithin(0, this.pos, this.end);
    } else {
      let cap = this.owned ? this.buf.length : 1024;
      while (cap < need) cap *= 2;
      const nb = new Uint8Array(cap);
      nb.set(this.buf.subarray(this.pos, this.end));
      this.buf = nb;
      this.owned = true;
    }
    this.buf.set(chunk, left);
    this.pos = 0;
    this.end = need;
  }

  /** Called when parsing stops for lack of bytes: keep what is left in storage of our own. */
  private stop(): null {
    if (this.pos === this.end) {
      // Drop the reference to the caller's chunk, or a big own buffer.
      if (!this.owned || this.buf.length > 64 * 1024) { this.buf = EMPTY; this.owned = false; }
      this.pos = this.end = 0;
    } else if (!this.owned) {
      const left = this.buf.subarray(this.pos, this.end);
      this.buf = EMPTY;
      this.pos = this.end = 0;
      this.append(left);
    }
    return null;
  }

  /**
   * The next complete command, or null if more bytes are needed.
   * Empty commands (`*0`, `*-1`, blank inline lines) are skipped. Throws ProtocolError with Redis's text.
   */
  next(): string[] | null {
    for (;;) {
      if (this.argc === 0) {
        if (this.pos >= this.end) return this.stop();
        if (this.buf[this.pos] !== 42 /* '*' */) {
          const cmd = this.inline();
          if (cmd === null) return this.stop();
          if (cmd.length === 0) continue;
          return cmd;
        }
        let count = this.quickCount(this.pos + 1);
        if (count >= 0 && count <= 10) {
          this.pos = this.quickEnd;
        } else {
          if (!this.countLine(true)) return this.stop();
          count = this.count;
          if (count <= 0) continue;
        }
        if (count === 0) continue;
        this.argc = count;
        this.args = [];
      }
      if (this.big !== null) {
        if (this.bigFilled < this.big.length) return this.stop();
        this.args.push(bytesToBinary(this.big, 0, this.big.length - 2));
        this.big = null;
        this.bigFilled = 0;
        this.bulkLen = -1;
        this.argc--;
        if (this.argc > 0) continue;
        const done = this.args;
        this.args = [];
        return done;
      }
      // The arguments, with the state in locals (written back before leaving).
      const b = this.buf;
      const end = this.end;
      const args = this.args;
      let pos = this.pos;
      let argc = this.argc;
      while (argc > 0) {
        let len = this.bulkLen;
        if (len < 0) {
          len = b[pos] === 36 /* '$' */ ? this.quickCount(pos + 1) : -1;
          if (len >= 0 && len <= 16384 && len <= this.limits.maxBulkLen) {
            pos = this.quickEnd;
          } else {
            this.pos = pos;
            if (!this.countLine(false)) {
              this.argc = argc;
              return this.stop();
            }
            len = this.count;
            pos = this.pos;
          }
          this.bulkLen = len;
        }
        if (end - pos < len + 2) {
          if (len >= BIG_ARG) {
            // Like Redis, a big argument gets a buffer of its exact size: no re-copying as it arrives.
            this.big = new Uint8Array(len + 2);
            this.big.set(b.subarray(pos, end));
            this.bigFilled = end - pos;
            pos = end;
          }
          this.pos = pos;
          this.argc = argc;
          return this.stop();
        }
        if (args.length === 0 && len <= 32) {
          // The command name: pipelines repeat it, so reuse the last one's string when the bytes match.
          const last = this.lastName;
          let same = last.length === len;
          for (let i = 0; same && i < len; i++) same = last.charCodeAt(i) === b[pos + i];
          args.push(same ? last : (this.lastName = bytesToBinary(b, pos, pos + len)));
        } else {
          args.push(bytesToBinary(b, pos, pos + len));
        }
        pos += len + 2; // Redis does not check the CRLF, it skips it
        this.bulkLen = -1;
        argc--;
      }
      this.pos = pos;
      this.argc = 0;
      this.args = [];
      return args;
    }
  }

  /**
   * The common count line, fast: at `at`, 1 to 9 digits without a leading zero (or a lone "0"),
   * '\r' and one more byte. Returns the value and sets quickEnd past the line, or -1 for anything
   * else (incomplete, signed, long, invalid): countLine() then handles it with Redis's full rules.
   */
  private quickCount(at: number): number {
    const b = this.buf;
    const end = this.end;
    let i = at;
    let c = b[i];
    let v: number;
    if (c === 48) {
      v = 0;
      i++;
    } else {
      if (!(c >= 49 && c <= 57)) return -1;
      v = c - 48;
      for (i++; i < end && i - at < 10; i++) {
        c = b[i];
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
      }
    }
    if (i + 1 >= end || b[i] !== 13 || i - at > 9) return -1;
    this.quickEnd = i + 2;
    return v;
  }

  /**
   * Parse a `*N` (multibulk) or `$N` line at pos into this.count and move past it.
   * Returns false when the line is not complete yet.
   */
  private countLine(multibulk: boolean): boolean {
    const b = this.buf;
    const start = this.pos;
    const end = this.end;
    // strchr(p, '\r'): the first '\r', unless a NUL comes first.
    let cr = start;
    for (; cr < end; cr++) {
      const c = b[cr];
      if (c === 13 || c === 0) break;
    }
    if (cr >= end || b[cr] === 0 || cr - start > PROTO_INLINE_MAX_SIZE) {
      // No line end in sight (a line end further than the limit: Redis would have given up on it
      // before it arrived, whatever the chunking).
      if (end - start > PROTO_INLINE_MAX_SIZE) {
        throw new ProtocolError(multibulk ? 'Protocol error: too big mbulk count string' : 'Protocol error: too big bulk count string');
      }
      return false;
    }
    // Redis needs the char after '\r' to be there too, then skips both.
    if (cr + 1 >= end) return false;
    if (!multibulk && b[start] !== 36 /* '$' */) {
      // addReplyErrorFormat turns '\r' and '\n' into spaces.
      const ch = b[start] === 13 || b[start] === 10 ? 32 : b[start];
      throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(ch)}'`);
    }
    const v = parseCount(b, start + 1, cr);
    if (multibulk) {
      if (v === null || v > INT_MAX) throw new ProtocolError('Protocol error: invalid multibulk length');
      if (v > 10 && this.limits.unauthenticated) throw new ProtocolError('Protocol error: unauthenticated multibulk length');
    } else {
      if (v === null || v < 0 || v > this.limits.maxBulkLen) throw new ProtocolError('Protocol error: invalid bulk length');
      if (v > 16384 && this.limits.unauthenticated) throw new ProtocolError('Protocol error: unauthenticated bulk length');
    }
    this.pos = cr + 2;
    this.count = v;
    return true;
  }

  /** An inline command line, split like redis-cli/sdssplitargs; null = incomplete. */
  private inline(): string[] | null {
    const b = this.buf;
    const start = this.pos;
    const end = this.end;
    // strchr(p, '\n'): the first '\n', unless a NUL comes first.
    let nl = start;
    for (; nl < end; nl++) {
      const c = b[nl];
      if (c === 10 || c === 0) break;
    }
    if (nl >= end || b[nl] === 0 || nl - start > PROTO_INLINE_MAX_SIZE) {
      if (end - start > PROTO_INLINE_MAX_SIZE) throw new ProtocolError('Protocol error: too big inline request');
      return null;
    }
    let lineEnd = nl;
    if (lineEnd > start && b[lineEnd - 1] === 13) lineEnd--;
    const line = bytesToBinary(b, start, lineEnd);
    this.pos = nl + 1;
    const argv = splitArgs(line);
    if (argv === null) throw new ProtocolError('Protocol error: unbalanced quotes in request');
    return argv;
  }
}

/**
 * Redis's string2ll over bytes: optional '-', no '+', no spaces, no leading zeros ("0" alone is
 * fine, "-0" is not), at most 20 chars, within [LLONG_MIN, LLONG_MAX]. Values beyond 2^53 come back
 * rounded, which is fine for the limits they are compared with. null when invalid.
 */
export function parseCount(b: Uint8Array, start: number, end: number): number | null {
  const n = end - start;
  if (n <= 0 || n > 20) return null;
  let i = start;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  let c = b[i];
  if (c === 48) return n === 1 ? 0 : null;
  if (c < 49 || c > 57) return null;
  let v = 0;
  for (; i < end; i++) {
    c = b[i];
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  const digits = end - start - (neg ? 1 : 0);
  if (digits > 19) return null;
  if (digits === 19) {
    // Exact 64-bit bound: compare the digits with 9223372036854775807 (or ...808 when negative).
    const limit = neg ? '9223372036854775808' : '9223372036854775807';
    const from = neg ? start + 1 : start;
    for (let k = 0; k < 19; k++) {
      const d = b[from + k];
      const l = limit.charCodeAt(k);
      if (d !== l) {
        if (d > l) return null;
        break;
      }
    }
  }
  return neg ? -v : v;
}
