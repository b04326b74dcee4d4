/**
 * Reads RESP2/RESP3 replies off a byte stream, keeping each reply's raw bytes (for byte-for-byte
 * comparison) and a decoded form (for normalising what Redis leaves unordered).
 */
export type Reply =
  | { t: 'simple'; v: string }
  | { t: 'error'; v: string }
  | { t: 'int'; v: string }
  | { t: 'bulk'; v: string | null }
  | { t: 'array'; v: Reply[] | null }
  | { t: 'map'; v: [Reply, Reply][] }
  | { t: 'set'; v: Reply[] }
  | { t: 'push'; v: Reply[] }
  | { t: 'null' }
  | { t: 'double'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'verbatim'; v: string }
  | { t: 'bignum'; v: string }
  | { t: 'attr'; v: [Reply, Reply][]; reply: Reply };

export class ReplyReader {
  private buf: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** Next complete reply with its raw bytes, or null if incomplete. */
  next(): { raw: Buffer; reply: Reply } | null {
    const r = parse(this.buf, 0);
    if (r === null) return null;
    const raw = this.buf.subarray(0, r.end);
    this.buf = this.buf.subarray(r.end);
    return { raw: Buffer.from(raw), reply: r.reply };
  }
}

function line(buf: Buffer, pos: number): { text: string; end: number } | null {
  const i = buf.indexOf('\r\n', pos, 'latin1');
  if (i < 0) return null;
  return { text: buf.toString('latin1', pos, i), end: i + 2 };
}

function parse(buf: Buffer, pos: number): { reply: Reply; end: number } | null {
  if (pos >= buf.length) return null;
  const type = String.fromCharCode(buf[pos]);
  const l = line(buf, pos + 1);
  if (l === null) return null;
  const n = Number(l.text);
  switch (type) {
    case '+': return { reply: { t: 'simple', v: l.text }, end: l.end };
    case '-': return { reply: { t: 'error', v: l.text }, end: l.end };
    case ':': return { reply: { t: 'int', v: l.text }, end: l.end };
    case '_': return { reply: { t: 'null' }, end: l.end };
    case ',': return { reply: { t: 'double', v: l.text }, end: l.end };
    case '#': return { reply: { t: 'bool', v: l.text === 't' }, end: l.end };
    case '(': return { reply: { t: 'bignum', v: l.text }, end: l.end };
    case '$': case '=': case '!': {
      if (n < 0) return { reply: { t: 'bulk', v: null }, end: l.end };
      if (buf.length < l.end + n + 2) return null;
      const v = buf.toString('latin1', l.end, l.end + n);
      const end = l.end + n + 2;
      if (type === '=') return { reply: { t: 'verbatim', v }, end };
      if (type === '!') return { reply: { t: 'error', v }, end };
      return { reply: { t: 'bulk', v }, end };
    }
    case '*': case '~': case '>': {
      if (n < 0) return { reply: { t: 'array', v: null }, end: l.end };
      const items: Reply[] = [];
      let p = l.end;
      for (let i = 0; i < n; i++) {
        const r = parse(buf, p);
        if (r === null) return null;
        items.push(r.reply);
        p = r.end;
      }
      const t = type === '*' ? 'array' : type === '~' ? 'set' : 'push';
      return { reply: { t, v: items } as Reply, end: p };
    }
    case '%': case '|': {
      const pairs: [Reply, Reply][] = [];
      let p = l.end;
      for (let i = 0; i < n; i++) {
        const k = parse(buf, p);
        if (k === null) return null;
        const v = parse(buf, k.end);
        if (v === null) return null;
        pairs.push([k.reply, v.reply]);
        p = v.end;
      }
      if (type === '%') return { reply: { t: 'map', v: pairs }, end: p };
      const inner = parse(buf, p);
      if (inner === null) return null;
      return { reply: { t: 'attr', v: pairs, reply: inner.reply }, end: inner.end };
    }
    default:
      throw new Error(`bad RESP type byte ${JSON.stringify(type)} at ${pos}`);
  }
}

/** RESP multibulk encoding of a command (binary strings in, bytes out). */
export function encodeCommand(argv: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`, 'latin1')];
  for (const a of argv) {
    parts.push(Buffer.from(`$${a.length}\r\n`, 'latin1'), Buffer.from(a, 'latin1'), Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

/** A readable one-line form of a reply, for failure messages. */
export function showReply(r: Reply): string {
  switch (r.t) {
    case 'simple': return '+' + r.v;
    case 'error': return '-' + r.v;
    case 'int': return ':' + r.v;
    case 'bulk': return r.v === null ? '(nil)' : JSON.stringify(r.v);
    case 'array': return r.v === null ? '(nil array)' : '[' + r.v.map(showReply).join(', ') + ']';
    case 'set': return '~[' + r.v.map(showReply).join(', ') + ']';
    case 'push': return '>[' + r.v.map(showReply).join(', ') + ']';
    case 'map': return '{' + r.v.map(([k, v]) => showReply(k) + ': ' + showReply(v)).join(', ') + '}';
    case 'null': return '_';
    case 'double': return ',' + r.v;
    case 'bool': return r.v ? '#t' : '#f';
    case 'verbatim': return '=' + JSON.stringify(r.v);
    case 'bignum': return '(' + r.v;
    case 'attr': return '|' + showReply(r.reply);
  }
}
