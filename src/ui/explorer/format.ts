/**
 * How the keyspace explorer shows keys and values, as pure functions (no DOM, no engine):
 * binary strings (one char per byte, as the engine keeps them) to readable text, JSON, hex; TTLs
 * and sizes; and the redis-cli command line that a person would type for an edit.
 */

/** The types TYPE answers, in the explorer's order. */
export const KEY_TYPES = ['string', 'list', 'hash', 'set', 'zset', 'stream'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A binary string's UTF-8 text, or null when the bytes are not UTF-8 or hold control characters. */
export function utf8Text(s: string): string | null {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) ascii = false;
    else if ((c < 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) || c === 0x7f) return null;
  }
  if (ascii) return s;
  try {
    return strictUtf8.decode(toBytes(s));
  } catch {
    return null;
  }
}

/** A name on one line: UTF-8 text, anything else escaped as redis-cli does (\n, \xNN). */
export function displayName(s: string): string {
  const t = utf8Text(s);
  if (t !== null && !/[\n\r\t]/.test(t)) return t;
  return escapeBytes(s, t !== null);
}

/** Escape a binary string: \\ \" \n \r \t, \xNN for other bytes outside printable ASCII (keepUtf8: leave valid UTF-8 as text). */
function escapeBytes(s: string, keepUtf8: boolean): string {
  if (keepUtf8) {
    const t = utf8Text(s) ?? '';
    let out = '';
    for (const ch of t) {
      const c = ch.codePointAt(0)!;
      if (ch === '\\') out += '\\\\';
      else if (ch === '"') out += '\\"';
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
      else out += ch;
    }
    return out;
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i) & 0xff;
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * One argument as a person types it into redis-cli: as it is when plain, else in double quotes with
 * redis-cli's escapes (which its argument splitting reads back to the same bytes).
 */
export function cliArg(s: string): string {
  if (s.length > 0 && /^[\x21-\x7e]+$/.test(s) && !/["'\\]/.test(s)) return s;
  const t = utf8Text(s);
  if (t !== null && t.length > 0 && !/[\s"'\\\x00-\x1f\x7f]/.test(t)) return t;
  return '"' + escapeBytes(s, t !== null) + '"';
}

/** A command line as redis-cli would take it: `HSET "user:1" name "Ada Lovelace"`. */
export function commandLine(args: readonly string[]): string {
  return args.map(cliArg).join(' ');
}

/** How a string value is best shown. */
export type StringView =
  | { kind: 'text'; text: string }
  | { kind: 'json'; text: string }
  | { kind: 'hex'; text: string };

/** Text, pretty JSON when it parses as an object or array, hex for bytes that are not text. */
export function viewString(s: string): StringView {
  const t = utf8Text(s);
  if (t === null) return { kind: 'hex', text: hexDump(s) };
  const trimmed = t.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(trimmed), null, 2) };
    } catch {
      /* not JSON after all */
    }
  }
  return { kind: 'text', text: t };
}

/** hexdump -C style: offset, 16 bytes in hex, the printable ones as text. */
export function hexDump(s: string, offset = 0): string {
  const rows: string[] = [];
  for (let i = 0; i < s.length; i += 16) {
    const chunk = s.slice(i, i + 16);
    let hex = '';
    let text = '';
    for (let j = 0; j < 16; j++) {
      if (j === 8) hex += ' ';
      if (j < chunk.length) {
        const b = chunk.charCodeAt(j) & 0xff;
        hex += b.toString(16).padStart(2, '0') + ' ';
        text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '   ';
      }
    }
    rows.push(`${(offset + i).toString(16).padStart(8, '0')}  ${hex} |${text}|`);
  }
  return rows.join('\n');
}

/** A HyperLogLog is a string that starts with "HYLL". */
export function isHyperLogLog(s: string): boolean {
  return s.startsWith('HYLL');
}

/** A remaining time to live, counting down: "59 s", "4 min 05 s", "2 h 03 min", "3 d 4 h"; "no TTL" for -1. */
export function formatTtl(ms: number | null): string {
  if (ms === null || ms < 0) return 'no TTL';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor(s / 60) % 60).padStart(2, '0')} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor(s / 3600) % 24} h`;
}

/** Bytes for people: "512 B", "1.5 KB", "12.0 MB" (powers of 1024, as Redis's human figures). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** What an element count is called for each type: "12 fields", "3 members". */
export function formatSize(type: string, n: number): string {
  const word =
    type === 'string' ? 'byte' : type === 'hash' ? 'field' : type === 'list' ? 'element' : type === 'stream' ? 'entry' : 'member';
  const plural = n === 1 ? word : word === 'entry' ? 'entries' : word + 's';
  return `${n.toLocaleString('en-US')} ${plural}`;
}

/**
 * The type of the key an event leaves behind, when the event says it (Redis names events after
 * the command that wrote them: "lpush" leaves a list, "set" a string); null when it does not
 * ("expire", "rename_to", "restore": ask TYPE).
 */
export function typeFromEvent(event: string): KeyType | null {
  switch (event) {
    case 'set': case 'setrange': case 'incrby': case 'incrbyfloat': case 'append': case 'pfadd':
      return 'string';
    case 'lpush': case 'rpush': case 'linsert': case 'lset': case 'lpop': case 'rpop': case 'ltrim': case 'lrem':
    case 'sortstore':
      return 'list';
    case 'hset': case 'hdel': case 'hincrby': case 'hincrbyfloat':
      return 'hash';
    case 'sadd': case 'srem': case 'spop': case 'sinterstore': case 'sunionstore': case 'sdiffstore':
      return 'set';
    case 'zadd': case 'zincr': case 'zrem': case 'zrembyscore': case 'zrembyrank': case 'zrembylex':
    case 'zpopmin': case 'zpopmax': case 'zinterstore': case 'zunionstore': case 'zdiffstore': case 'zrangestore':
    case 'georadiusstore': case 'geosearchstore':
      return 'zset';
    case 'xadd': case 'xtrim': case 'xdel': case 'xsetid': case 'xgroup-create': case 'xgroup-createconsumer':
    case 'xgroup-delconsumer': case 'xgroup-destroy': case 'xgroup-setid': case 'xclaim': case 'xautoclaim':
      return 'stream';
    default:
      return null;
  }
}

/** Events after which the key is gone, and the reason shown while it fades out. */
export function goneReason(event: string): string | null {
  switch (event) {
    case 'del': return 'deleted';
    case 'expired': return 'expired';
    case 'evicted': return 'evicted';
    case 'rename_from': return 'renamed';
    case 'move_from': return 'moved to another database';
    default: return null;
  }
}

/**
 * Redis's geohash scores are 52-bit integers; a sorted set of only those, some of them large (small
 * ones are points near longitude -180, latitude -85: more likely plain counts), may be a geo set.
 */
export function looksLikeGeo(scores: readonly number[]): boolean {
  return scores.length > 0 && scores.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 52) && scores.some((s) => s >= 2 ** 32);
}
