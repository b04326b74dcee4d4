/**
 * The client side of RESP, for the page: encode a command as a multibulk request, decode
 * RESP2/RESP3 replies from a byte stream. Binary-safe: bulk strings stay bytes.
 * No platform APIs beyond TextEncoder/TextDecoder, so it runs in the page, a worker or Node.
 */

export type Reply = (
  | { type: 'simple'; value: string }
  /** `-ERR ...` and RESP3 blob errors (`!`). */
  | { type: 'error'; value: string }
  /** A number when it fits in JS's safe range, else a bigint. */
  | { type: 'integer'; value: number | bigint }
  | { type: 'bulk'; value: Uint8Array }
  /** RESP2 null bulk / null array (`$-1`, `*-1`) and RESP3 null (`_`). */
  | { type: 'null' }
  /** As the server wrote it: "1.5", "inf", "-inf", "nan". */
  | { type: 'double'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'bignum'; value: string }
  | { type: 'verbatim'; format: string; value: Uint8Array }
  | { type: 'array'; value: Reply[] }
  | { type: 'map'; value: [Reply, Reply][] }
  | { type: 'set'; value: Reply[] }
  | { type: 'push'; value: Reply[] }
) & {
  /** RESP3 attributes (`|`) that came just before this reply. */
  attributes?: [Reply, Reply][];
};

export class RespProtocolError extends Error {}

const encoder = new TextEncoder();
const CRLF = [13, 10];

/** Text is UTF-8 encoded; bytes are sent as they are. */
export function encodeCommand(args: readonly (string | Uint8Array)[]): Uint8Array {
  const parts = args.map((a) => (typeof a === 'string' ? encoder.encode(a) : a));
  let size = 0;
  const heads = parts.map((p) => {
    const h = encoder.encode(`$${p.length}\r\n`);
    size += h.length + p.length + 2;
    return h;
  });
  const first = encoder.encode(`*${parts.length}\r\n`);
  size += first.length;
  const out = new Uint8Array(size);
  out.set(first, 0);
  let pos = first.length;
  for (let i = 0; i < parts.length; i++) {
    out.set(heads[i], pos);
    pos += heads[i].length;
    out.set(parts[i], pos);
    pos += parts[i].length;
    out.set(CRLF, pos);
    pos += 2;
  }
  return out;
}

/** Incomplete input: wait for more bytes. */
const MORE = Symbol('more');

/** Reads replies off a byte stream fed in chunks of any size. */
export class RespDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;

  feed(chunk: Uint8Array): void {
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      const rest = this.buf.subarray(this.pos);
      const merged = new Uint8Array(rest.length + chunk.length);
      merged.set(rest, 0);
      merged.set(chunk, rest.length);
      this.buf = merged;
    }
    this.pos = 0;
  }

  /** The next complete reply, or null if more bytes are needed. Throws RespProtocolError on bad input. */
  next(): Reply | null {
    const start = this.pos;
    const r = this.parse();
    if (r === MORE) {
      this.pos = start;
      return null;
    }
    return r;
  }

  private line(): string | typeof MORE {
    const buf = this.buf;
    for (let i = this.pos; i + 1 < buf.length; i++) {
      if (buf[i] === 13 && buf[i + 1] === 10) {
        let s = '';
        for (let j = this.pos; j < i; j++) s += String.fromCharCode(buf[j]);
        this.pos = i + 2;
        return s;
      }
    }
    return MORE;
  }

  private count(text: string, type: string): number {
    if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`bad ${type} length '${text}'`);
    return Number(text);
  }

  private blob(n: number): Uint8Array | typeof MORE {
    if (this.buf.length < this.pos + n + 2) return MORE;
    const out = this.buf.slice(this.pos, this.pos + n);
    if (this.buf[this.pos + n] !== 13 || this.buf[this.pos + n + 1] !== 10) {
      throw new RespProtocolError('bulk string not followed by CRLF');
    }
    this.pos += n + 2;
    return out;
  }

  private items(n: number): Reply[] | typeof MORE {
    const out: Reply[] = [];
    for (let i = 0; i < n; i++) {
      const r = this.parse();
      if (r === MORE) return MORE;
      out.push(r);
    }
    return out;
  }

  private parse(): Reply | typeof MORE {
    if (this.pos >= this.buf.length) return MORE;
    const type = String.fromCharCode(this.buf[this.pos++]);
    const text = this.line();
    if (text === MORE) return MORE;
    switch (type) {
      case '+':
        return { type: 'simple', value: utf8(text) };
      case '-':
        return { type: 'error', value: utf8(text) };
      case ':': {
        if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`bad integer '${text}'`);
        const big = BigInt(text);
        const value = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
        return { type: 'integer', value };
      }
      case '_':
        return { type: 'null' };
      case ',':
        return { type: 'double', value: text };
      case '#':
        if (text !== 't' && text !== 'f') throw new RespProtocolError(`bad boolean '${text}'`);
        return { type: 'boolean', value: text === 't' };
      case '(':
        return { type: 'bignum', value: text };
      case '$':
      case '!':
      case '=': {
        const n = this.count(text, 'bulk');
        if (n < 0) return { type: 'null' };
        const b = this.blob(n);
        if (b === MORE) return MORE;
        if (type === '$') return { type: 'bulk', value: b };
        if (type === '!') return { type: 'error', value: new TextDecoder().decode(b) };
        if (b.length < 4 || b[3] !== 58) throw new RespProtocolError('bad verbatim string');
        return { type: 'verbatim', format: String.fromCharCode(b[0], b[1], b[2]), value: b.slice(4) };
      }
      case '*':
      case '~':
      case '>': {
        const n = this.count(text, 'aggregate');
        if (n < 0) return { type: 'null' };
        const value = this.items(n);
        if (value === MORE) return MORE;
        return { type: type === '*' ? 'array' : type === '~' ? 'set' : 'push', value };
      }
      case '%':
      case '|': {
        const n = this.count(text, 'map');
        const flat = this.items(n * 2);
        if (flat === MORE) return MORE;
        const pairs: [Reply, Reply][] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
        if (type === '%') return { type: 'map', value: pairs };
        const r = this.parse();
        if (r === MORE) return MORE;
        return { ...r, attributes: pairs };
      }
      default:
        throw new RespProtocolError(`unknown reply type byte '${type}'`);
    }
  }
}

/** Status and error lines are bytes too: show them as UTF-8 text. */
function utf8(latin: string): string {
  for (let i = 0; i < latin.length; i++) {
    if (latin.charCodeAt(i) > 0x7f) {
      const bytes = new Uint8Array(latin.length);
      for (let j = 0; j < latin.length; j++) bytes[j] = latin.charCodeAt(j);
      return new TextDecoder().decode(bytes);
    }
  }
  return latin;
}

/** A bulk or verbatim reply as text (UTF-8, invalid sequences as U+FFFD); other scalars as their text. */
export function replyText(r: Reply): string | null {
  switch (r.type) {
    case 'bulk':
    case 'verbatim':
      return new TextDecoder().decode(r.value);
    case 'simple':
    case 'error':
    case 'double':
    case 'bignum':
      return r.value;
    case 'integer':
      return String(r.value);
    case 'boolean':
      return r.value ? 'true' : 'false';
    default:
      return null;
  }
}
