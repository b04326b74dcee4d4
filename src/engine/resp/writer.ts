import { formatDouble17g, type Int64 } from '../util/numbers';
import { writeBinary, type ByteBuf } from '../util/bytes';

const CR = 13;
const LF = 10;

/** Replies up to SLAB_MAX_TAKE bytes are copied into a shared slab rather than an ArrayBuffer each. */
const SLAB_SIZE = 64 * 1024;
const SLAB_MAX_TAKE = 4 * 1024;
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

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
  /** Deferred lengths not set yet, in the order they were reserved. */
  private open: DeferredLen[] = [];

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
    this.ensure(s.length);
    this.len += writeBinary(this.buf, this.len, s);
  }

  rawBytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.ensure(end - start);
    this.buf.set(bytes.subarray(start, end), this.len);
    this.len += end - start;
  }

  /**
   * Take everything written so far (a copy) and reset. Small replies are cut from a shared slab, as
   * Node's Buffer pool does, so the returned view may not own its whole ArrayBuffer.
   */
  take(): Uint8Array {
    const n = this.len;
    let out: Uint8Array;
    if (n > SLAB_MAX_TAKE) {
      out = this.buf.slice(0, n);
    } else {
      if (slabUsed + n > SLAB_SIZE) {
        slab = new Uint8Array(SLAB_SIZE);
        slabUsed = 0;
      }
      out = slab.subarray(slabUsed, slabUsed + n);
      out.set(this.buf.subarray(0, n));
      slabUsed = (slabUsed + n + 7) & ~7;
    }
    this.len = 0;
    this.open.length = 0;
    if (this.buf.length > 1024 * 1024) this.buf = new Uint8Array(16 * 1024);
    return out;
  }

  /** `<type><n>\r\n` for an integer n (lengths, integer replies). */
  private header(type: number, n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.raw(String.fromCharCode(type) + n + '\r\n');
      return;
    }
    this.ensure(24);
    const b = this.buf;
    let p = this.len;
    b[p++] = type;
    if (n < 0) {
      b[p++] = 45;
      n = -n;
    }
    if (n < 10) {
      b[p++] = 48 + n;
    } else if (n < 0x80000000) {
      let x = n | 0;
      const digits = x < 100 ? 2 : x < 1000 ? 3 : x < 10000 ? 4 : x < 100000 ? 5 : x < 1000000 ? 6
        : x < 10000000 ? 7 : x < 100000000 ? 8 : x < 1000000000 ? 9 : 10;
      let q = p + digits;
      p = q;
      do {
        const y = (x / 10) | 0;
        b[--q] = 48 + x - y * 10;
        x = y;
      } while (x > 0);
    } else {
      let digits = 2;
      for (let t = 100; t <= n && digits < 16; t *= 10) digits++;
      if (digits === 16 && n >= 1e16) digits = String(n).length;
      let q = p + digits;
      p = q;
      while (n >= 10) {
        const d = n % 10;
        b[--q] = 48 + d;
        n = (n - d) / 10;
      }
      b[--q] = 48 + n;
    }
    b[p] = CR;
    b[p + 1] = LF;
    this.len = p + 2;
  }

  /** A constant reply, e.g. "+OK\r\n". */
  private lit(s: string): void {
    this.ensure(s.length);
    const b = this.buf;
    let p = this.len;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.len = p;
  }

  // ---- simple types ----
  ok(): void {
    this.ensure(5);
    const b = this.buf;
    const p = this.len;
    b[p] = 43; b[p + 1] = 79; b[p + 2] = 75; b[p + 3] = CR; b[p + 4] = LF; // +OK\r\n
    this.len = p + 5;
  }
  /** +status\r\n (the text must not contain CR or LF). */
  status(s: string): void { this.line(43, s); }
  /** An error reply. `msg` carries its code, e.g. "ERR syntax error" or "WRONGTYPE ...". */
  error(msg: string): void {
    this.errors++;
    if (this.onError) this.onError(msg);
    this.line(45, msg);
  }
  /** Shorthand for the errors Redis writes with addReplyError (code "ERR" added). */
  err(msg: string): void { this.error('ERR ' + msg); }
  wrongType(): void { this.error('WRONGTYPE Operation against a key holding the wrong kind of value'); }
  syntaxErr(): void { this.error('ERR syntax error'); }
  int(n: Int64): void {
    if (typeof n === 'number') this.header(58, n);
    else this.raw(':' + n + '\r\n');
  }

  /** <type>s\r\n */
  private line(type: number, s: string): void {
    this.ensure(s.length + 3);
    const b = this.buf;
    b[this.len] = type;
    let p = this.len + 1;
    p += writeBinary(b, p, s);
    b[p] = CR;
    b[p + 1] = LF;
    this.len = p + 2;
  }

  bulk(s: string): void {
    const n = s.length;
    this.header(36, n);
    this.ensure(n + 2);
    const b = this.buf;
    const p = this.len + writeBinary(b, this.len, s);
    b[p] = CR;
    b[p + 1] = LF;
    this.len = p + 2;
  }
  bulkBuf(b: ByteBuf): void {
    this.header(36, b.len);
    this.ensure(b.len + 2);
    this.buf.set(b.buf.subarray(0, b.len), this.len);
    const p = this.len + b.len;
    this.buf[p] = CR;
    this.buf[p + 1] = LF;
    this.len = p + 2;
  }
  /** A bulk holding the decimal form of an integer (addReplyBulkLongLong). */
  bulkInt(n: Int64): void { this.bulk(String(n)); }
  /** Null bulk: $-1 in RESP2, _ in RESP3. */
  nil(): void { this.lit(this.resp === 2 ? '$-1\r\n' : '_\r\n'); }
  /** Null array: *-1 in RESP2, _ in RESP3. */
  nullArray(): void { this.lit(this.resp === 2 ? '*-1\r\n' : '_\r\n'); }
  /** Double: bulk "%.17g" in RESP2, ",%.17g" in RESP3 (inf/-inf/nan spelled as Redis does). */
  double(d: number): void {
    if (this.resp === 2) this.bulk(formatDouble17g(d));
    else this.line(44, formatDouble17g(d));
  }
  bool(b: boolean): void {
    if (this.resp === 2) this.int(b ? 1 : 0);
    else this.lit(b ? '#t\r\n' : '#f\r\n');
  }
  /** Verbatim string (RESP3 "=" with a 3-letter format), plain bulk in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 2) return this.bulk(s);
    this.header(61, s.length + 4);
    this.raw(format + ':');
    this.raw(s);
    this.lit('\r\n');
  }
  /** Big number: RESP3 "(", a bulk string in RESP2. */
  bigNumber(s: string): void {
    if (this.resp === 2) this.bulk(s);
    else this.line(40, s);
  }

  // ---- aggregates ----
  arrayLen(n: number): void { this.header(42, n); }
  /** A map of n pairs: %n in RESP3, flat array of 2n in RESP2. */
  mapLen(n: number): void {
    if (this.resp === 2) this.header(42, 2 * n);
    else this.header(37, n);
  }
  /** A set: ~n in RESP3, an array in RESP2. */
  setLen(n: number): void { this.header(this.resp === 2 ? 42 : 126, n); }
  /** A push message: >n in RESP3, an array in RESP2. */
  pushLen(n: number): void { this.header(this.resp === 2 ? 42 : 62, n); }
  /** An attribute map of n pairs (RESP3 only: callers check resp first, as Redis asserts). */
  attributeLen(n: number): void { this.header(124, n); }
  /** An array of bulk strings. */
  bulks(items: readonly string[]): void {
    this.arrayLen(items.length);
    for (let i = 0; i < items.length; i++) this.bulk(items[i]);
  }
  emptyArray(): void { this.lit('*0\r\n'); }

  /**
   * Reserve room for an aggregate length decided later (addReplyDeferredLen). Deferred lengths
   * may be nested and set in any order.
   */
  deferLen(): DeferredLen {
    const at = this.len;
    this.lit('*00000000000000000000\r\n'); // placeholder, rewritten by setDeferred*
    const d = { at, width: this.len - at };
    this.open.push(d);
    return d;
  }
  setDeferredArrayLen(d: DeferredLen, n: number): void { this.patchDeferred(d, '*' + n + '\r\n'); }
  setDeferredMapLen(d: DeferredLen, n: number): void {
    this.patchDeferred(d, this.resp === 2 ? '*' + 2 * n + '\r\n' : '%' + n + '\r\n');
  }
  setDeferredSetLen(d: DeferredLen, n: number): void {
    this.patchDeferred(d, this.resp === 2 ? '*' + n + '\r\n' : '~' + n + '\r\n');
  }
  private patchDeferred(d: DeferredLen, header: string): void {
    const i = this.open.indexOf(d);
    if (i >= 0) this.open.splice(i, 1);
    // Shift what follows left so the header takes exactly its own length.
    const bodyStart = d.at + d.width;
    const shift = d.width - header.length;
    for (let k = 0; k < header.length; k++) this.buf[d.at + k] = header.charCodeAt(k);
    if (shift > 0) {
      this.buf.copyWithin(d.at + header.length, bodyStart, this.len);
      this.len -= shift;
      // Placeholders written after this one moved too.
      for (const o of this.open) if (o.at > d.at) o.at -= shift;
    }
    d.width = header.length;
  }
}

export interface DeferredLen { at: number; width: number }
