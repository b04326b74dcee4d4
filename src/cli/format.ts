/**
 * Replies as redis-cli 7.0 prints them: cliFormatReplyTTY (the default on a terminal) and
 * cliFormatReplyRaw (--raw). The output is exactly redis-cli's, trailing newline included.
 * Pure: no DOM. The page writes it into the terminal as text.
 */
import type { Reply } from '../host/worker/resp';

const lenient = new TextDecoder('utf-8');

/** redis-cli's sdscatrepr: "quoted", with \n \r \t \a \b \\ \" escaped and other non-printables as \xNN. */
export function reprBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) out += escapeByte(b);
  return out + '"';
}

/** sdscatrepr over a binary string (one char per byte). */
export function reprBinary(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) out += escapeByte(s.charCodeAt(i) & 0xff);
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
  // isprint() in the C locale: 0x20..0x7e.
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return '\\x' + b.toString(16).padStart(2, '0');
}

/** cliFormatReplyTTY: `(integer) 1`, `"quoted"`, `(nil)`, numbered and nested aggregates. */
export function formatTTY(r: Reply): string {
  return tty(r, '');
}

function tty(r: Reply, prefix: string): string {
  switch (r.type) {
    case 'error':
      return `(error) ${r.value}\n`;
    case 'simple':
      return r.value + '\n';
    case 'integer':
      return `(integer) ${r.value}\n`;
    case 'double':
      return `(double) ${r.value}\n`;
    case 'bignum':
      // redis-cli 7.0 cannot print RESP3 big numbers ("Unknown reply type: 13" and it exits);
      // later versions print them like this.
      return `(big number) ${r.value}\n`;
    case 'bulk':
      return reprBytes(r.value) + '\n';
    case 'verbatim':
      return lenient.decode(r.value) + '\n';
    case 'null':
      return '(nil)\n';
    case 'boolean':
      return r.value ? '(true)\n' : '(false)\n';
    case 'array':
    case 'set':
    case 'push':
    case 'map': {
      const isMap = r.type === 'map';
      const count = r.value.length;
      if (count === 0) {
        return r.type === 'array' ? '(empty array)\n' : r.type === 'map' ? '(empty hash)\n' : r.type === 'set' ? '(empty set)\n' : '(empty push)\n';
      }
      const idxlen = String(count).length;
      const inner = prefix + ' '.repeat(idxlen + 2);
      const sep = r.type === 'set' ? '~' : isMap ? '#' : ')';
      let out = '';
      for (let i = 0; i < count; i++) {
        out += (i === 0 ? '' : prefix) + String(i + 1).padStart(idxlen) + sep + ' ';
        if (isMap) {
          const [k, v] = (r as { value: [Reply, Reply][] }).value[i];
          // A non-empty aggregate value starts on its own line, indented (redis-cli 7.0).
          const nested = (v.type === 'array' || v.type === 'set' || v.type === 'map' || v.type === 'push') && v.value.length > 0;
          out += tty(k, inner).slice(0, -1) + ' => ' + (nested ? '\n' + inner : '') + tty(v, inner);
        } else {
          out += tty((r as { value: Reply[] }).value[i], inner);
        }
      }
      return out;
    }
  }
}

/**
 * cliFormatReplyRaw plus the command delimiter, as `redis-cli --raw` prints: values as they are
 * (bytes decoded as UTF-8 for display), elements one a line, nil as an empty line.
 */
export function formatRaw(r: Reply): string {
  return raw(r) + '\n';
}

function raw(r: Reply): string {
  switch (r.type) {
    case 'null':
      return '';
    case 'error':
      return r.value + '\n';
    case 'simple':
      return r.value;
    case 'bulk':
    case 'verbatim':
      return lenient.decode(r.value);
    case 'boolean':
      return r.value ? '(true)' : '(false)';
    case 'integer':
      return String(r.value);
    case 'double':
    case 'bignum':
      return r.value;
    case 'array':
    case 'set':
    case 'push':
      return r.value.map(raw).join('\n');
    case 'map':
      return r.value.map(([k, v]) => raw(k) + ' ' + raw(v)).join('\n');
  }
}

/** Commands redis-cli prints raw even on a terminal (long text: INFO, CLIENT LIST, ...). */
export function isRawCommand(argv: readonly string[]): boolean {
  if (argv.length === 0) return false;
  const a = argv[0].toLowerCase();
  const b = argv.length > 1 ? argv[1].toLowerCase() : '';
  return (
    a === 'info' ||
    a === 'lolwut' ||
    (a === 'debug' && (b === 'htstats' || b === 'htstats-key')) ||
    (a === 'memory' && (b === 'malloc-stats' || b === 'doctor')) ||
    (a === 'latency' && ((argv.length === 2 && b === 'doctor') || (argv.length === 3 && b === 'graph'))) ||
    (a === 'cluster' && (b === 'nodes' || b === 'info')) ||
    (a === 'client' && (b === 'list' || b === 'info'))
  );
}

/**
 * The reply as redis-cli prints it in a session: `--raw` mode, else raw without the delimiter for
 * INFO-like commands (cliFormatReply's "verbatim"), else TTY.
 */
export function formatReply(r: Reply, argv: readonly string[], rawMode = false): string {
  if (rawMode) return formatRaw(r);
  return isRawCommand(argv) ? raw(r) : formatTTY(r);
}

/**
 * Text from the server or from a person made safe to write to a terminal: control characters
 * other than newline and tab (ESC, the C1 range, lone CR) are shown as ^X / \xNN instead of being
 * interpreted; newlines become CRLF.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g, (c) => {
      const code = c.charCodeAt(0);
      if (code < 0x20) return '^' + String.fromCharCode(code + 64);
      if (code === 0x7f) return '^?';
      return '\\x' + code.toString(16);
    })
    .replace(/\n/g, '\r\n');
}
