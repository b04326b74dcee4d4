import { formatDouble17g, type Int64 } from '../util/numbers';
import type { ByteBuf } from '../util/bytes';

/**
 * The reply writer: Redis's addReply* family, written straight into a growable byte buffer
 * in the client's protocol (RESP2 or RESP3). No intermediate reply trees on the hot path.
 */
export class ReplyWriter {
  buf = new Uint8Array(16 * 1024);
  len = 0;
  /** Protocol version of the client: 2 or 3. */
  resp: 2 | 3 = 2;
  /** Number of error replies written (for INFO errorstats / rejected calls). */
  errors = 0;
  /** Called with the error text (without '-') whenever an error reply is written. */
  onError: ((msg: string) => void) | null = null;

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  /** Raw ASCII/binary-string bytes. */
  raw(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  rawBytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.ensure(end - start);
    this.buf.set(bytes.subarray(start, end), this.len);
    this.len += end - start;
  }

  /** Take everything written so far (a copy) and reset. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.len = 0;
    if (this.buf.length > 1024 * 1024) this.buf = new Uint8Array(16 * 1024);
    return out;
  }

  // ---- simple types ----
  ok(): void { this.raw('+OK\r\n'); }
  status(s: string): void { this.raw('+' + s + '\r\n'); }
  /** An error reply. `msg` carries its code, e.g. "ERR syntax error" or "WRONGTYPE ...". */
  error(msg: string): void {
    this.errors++;
    if (this.onError) this.onError(msg);
    this.raw('-' + msg + '\r\n');
  }
  /** Shorthand for the errors Redis writes with addReplyError (code "ERR" added). */
  err(msg: string): void { this.error('ERR ' + msg); }
  wrongType(): void { this.error('WRONGTYPE Operation against a key holding the wrong kind of value'); }
  syntaxErr(): void { this.error('ERR syntax error'); }
  int(n: Int64): void { this.raw(':' + n + '\r\n'); }

  bulk(s: string): void {
    this.raw('$' + s.length + '\r\n');
    this.raw(s);
    this.raw('\r\n');
  }
  bulkBuf(b: ByteBuf): void {
    this.raw('$' + b.len + '\r\n');
    this.rawBytes(b.buf, 0, b.len);
    this.raw('\r\n');
  }
  /** A bulk holding the decimal form of an integer (addReplyBulkLongLong). */
  bulkInt(n: Int64): void { this.bulk(String(n)); }
  /** Null bulk: $-1 in RESP2, _ in RESP3. */
  nil(): void { this.raw(this.resp === 2 ? '$-1\r\n' : '_\r\n'); }
  /** Null array: *-1 in RESP2, _ in RESP3. */
  nullArray(): void { this.raw(this.resp === 2 ? '*-1\r\n' : '_\r\n'); }
  /** Double: bulk "%.17g" in RESP2, ",%.17g" in RESP3 (inf/-inf/nan spelled as Redis does). */
  double(d: number): void {
    if (this.resp === 2) {
      this.bulk(formatDouble17g(d));
    } else {
      this.raw(',' + formatDouble17g(d) + '\r\n');
    }
  }
  bool(b: boolean): void {
    if (this.resp === 2) this.int(b ? 1 : 0);
    else this.raw(b ? '#t\r\n' : '#f\r\n');
  }
  /** Verbatim string (RESP3 "=" with a 3-letter format), plain bulk in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 2) return this.bulk(s);
    this.raw('=' + (s.length + 4) + '\r\n' + format + ':');
    this.raw(s);
    this.raw('\r\n');
  }
  bigNumber(s: string): void {
    if (this.resp === 2) this.bulk(s);
    else this.raw('(' + s + '\r\n');
  }

  // ---- aggregates ----
  arrayLen(n: number): void { this.raw('*' + n + '\r\n'); }
  /** A map of n pairs: %n in RESP3, flat array of 2n in RESP2. */
  mapLen(n: number): void { this.raw(this.resp === 2 ? '*' + 2 * n + '\r\n' : '%' + n + '\r\n'); }
  setLen(n: number): void { this.raw(this.resp === 2 ? '*' + n + '\r\n' : '~' + n + '\r\n'); }
  pushLen(n: number): void { this.raw(this.resp === 2 ? '*' + n + '\r\n' : '>' + n + '\r\n'); }
  /** A flat array (RESP2) or RESP3 array of key/value pairs, where Redis uses addReplyArrayLen(2n) in RESP2. */
  bulks(items: readonly string[]): void {
    this.arrayLen(items.length);
    for (let i = 0; i < items.length; i++) this.bulk(items[i]);
  }
  emptyArray(): void { this.raw('*0\r\n'); }

  /** Reserve room for an aggregate length decided later (addReplyDeferredLen). */
  deferLen(): DeferredLen {
    const at = this.len;
    this.raw('*00000000000000000000\r\n'); // placeholder, rewritten by setDeferred*
    return { at, width: this.len - at };
  }
  setDeferredArrayLen(d: DeferredLen, n: number): void { this.patchDeferred(d, '*' + n + '\r\n'); }
  setDeferredMapLen(d: DeferredLen, n: number): void {
    this.patchDeferred(d, this.resp === 2 ? '*' + 2 * n + '\r\n' : '%' + n + '\r\n');
  }
  setDeferredSetLen(d: DeferredLen, n: number): void {
    this.patchDeferred(d, this.resp === 2 ? '*' + n + '\r\n' : '~' + n + '\r\n');
  }
  private patchDeferred(d: DeferredLen, header: string): void {
    // Shift the body left so the header takes exactly its own length.
    const bodyStart = d.at + d.width;
    const shift = d.width - header.length;
    for (let i = 0; i < header.length; i++) this.buf[d.at + i] = header.charCodeAt(i);
    if (shift > 0) {
      this.buf.copyWithin(d.at + header.length, bodyStart, this.len);
      this.len -= shift;
    }
  }
}

export interface DeferredLen { at: number; width: number }
