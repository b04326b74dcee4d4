/**
 * Replies as text, close to redis-cli's TTY output: "PONG", "(integer) 6", "\"value\"", "(nil)",
 * "(error) ERR ...", numbered arrays. A stop-gap until the terminal brings the full redis-cli
 * formatting (src/cli). The result is plain text: the page renders it as text, never as HTML.
 */
import type { Reply } from '../host/worker/resp';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Commands whose bulk replies redis-cli prints raw (many lines of text). */
const RAW_COMMANDS = new Set(['info', 'lolwut', 'client list', 'client info', 'memory doctor', 'memory malloc-stats', 'latency doctor']);

export function isRawCommand(argv: readonly string[]): boolean {
  if (argv.length === 0) return false;
  const name = argv[0].toLowerCase();
  return RAW_COMMANDS.has(name) || (argv.length > 1 && RAW_COMMANDS.has(`${name} ${argv[1].toLowerCase()}`));
}

/** A bulk string quoted like redis-cli's sdscatrepr, but showing valid UTF-8 as its characters. */
export function quoteBytes(bytes: Uint8Array): string {
  let text: string | null = null;
  try {
    text = strict.decode(bytes);
  } catch {
    text = null;
  }
  let out = '"';
  if (text !== null) {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      // Control characters (C0, DEL, C1) show as escaped bytes; everything else as itself.
      if (cp < 0x80) out += escapeByte(cp);
      else if (cp < 0xa0) for (const b of encoder.encode(ch)) out += escapeByte(b);
      else out += ch;
    }
  } else {
    for (const b of bytes) out += escapeByte(b);
  }
  return out + '"';
}

function escapeByte(b: number): string {
  switch (b) {
    case 0x5c: return '\\\\';
    case 0x22: return '\\"';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x07: return '\\a';
    case 0x08: return '\\b';
  }
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return '\\x' + b.toString(16).padStart(2, '0');
}

/** The reply as redis-cli would print it; `raw` prints bulk strings as plain text (INFO). */
export function formatReply(r: Reply, raw = false): string {
  return format(r, '', raw);
}

function format(r: Reply, indent: string, raw: boolean): string {
  switch (r.type) {
    case 'simple':
      return r.value;
    case 'error':
      return `(error) ${r.value}`;
    case 'integer':
      return `(integer) ${r.value}`;
    case 'bulk':
      return raw ? lenient.decode(r.value) : quoteBytes(r.value);
    case 'verbatim':
      return lenient.decode(r.value);
    case 'null':
      return '(nil)';
    case 'double':
      return `(double) ${r.value}`;
    case 'bignum':
      return `(big number) ${r.value}`;
    case 'boolean':
      return r.value ? '(true)' : '(false)';
    case 'array':
    case 'set':
    case 'push':
      if (r.value.length === 0) return r.type === 'set' ? '(empty set)' : '(empty array)';
      return list(r.value.map((v) => [v]), r.type === 'set' ? '~' : ')', indent, raw);
    case 'map':
      if (r.value.length === 0) return '(empty hash)';
      return list(r.value, '#', indent, raw);
  }
}

/** Numbered items: "1) a", nested ones indented under their number, map entries as "k => v". */
function list(items: Reply[][], mark: string, indent: string, raw: boolean): string {
  const width = String(items.length).length;
  const lines: string[] = [];
  items.forEach((item, i) => {
    const head = `${String(i + 1).padStart(width)}${mark} `;
    const inner = indent + ' '.repeat(head.length);
    const body =
      item.length === 1
        ? format(item[0], inner, raw)
        : `${format(item[0], inner, raw)} => ${format(item[1], inner, raw)}`;
    lines.push((i === 0 ? '' : indent) + head + body);
  });
  return lines.join('\n');
}
