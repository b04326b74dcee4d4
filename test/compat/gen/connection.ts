import { showReply, type Reply } from '../../support/resp-reader';
import type { Normalize, Rng, Step } from '../../support/harness';

// ---- normalisers for replies that carry ids, addresses, times and memory sizes ----

/** CLIENT LIST / CLIENT INFO fields whose values differ between any two servers. */
const VARIABLE_FIELDS: Record<string, RegExp> = {
  id: /^[1-9]\d*$/,
  addr: /^(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]+\]):\d+$/,
  laddr: /^(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]+\]):\d+$/,
  fd: /^-?\d+$/,
  age: /^\d+$/,
  idle: /^\d+$/,
  qbuf: /^\d+$/,
  'qbuf-free': /^\d+$/,
  'multi-mem': /^\d+$/,
  rbs: /^\d+$/,
  rbp: /^\d+$/,
  obl: /^\d+$/,
  oll: /^\d+$/,
  omem: /^\d+$/,
  'tot-mem': /^\d+$/,
};

/** Redis 7.0's CLIENT LIST fields, in order. */
export const CLIENT_FIELDS = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi',
  'qbuf', 'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events',
  'cmd', 'user', 'redir', 'resp',
];

/** One CLIENT LIST line → [field, value] pairs, variable values replaced by '<ok>' when well formed. */
export function normalizeClientLine(line: string): [string, string][] {
  return line.split(' ').map((kv) => {
    const eq = kv.indexOf('=');
    const k = eq < 0 ? kv : kv.slice(0, eq);
    const v = eq < 0 ? '<no value>' : kv.slice(eq + 1);
    const re = VARIABLE_FIELDS[k];
    return [k, re ? (re.test(v) ? '<ok>' : `<bad ${v}>`) : v];
  });
}

/** The text of a CLIENT LIST/INFO reply as lines (bulk in RESP2, verbatim "txt:" in RESP3). */
export function clientListLines(r: Reply): string[] | null {
  let text: string | null = null;
  if (r.t === 'bulk' && r.v !== null) text = r.v;
  else if (r.t === 'verbatim' && r.v.startsWith('txt:')) text = r.v.slice(4);
  if (text === null) return null;
  if (text !== '' && !text.endsWith('\n')) return null;
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

/** Normaliser for CLIENT LIST / CLIENT INFO: same reply type, same lines, same fields in order. */
export const clientList: Normalize = (r) => {
  const lines = clientListLines(r);
  if (lines === null) return showReply(r);
  return { t: r.t, lines: lines.map(normalizeClientLine) };
};

/** Normaliser for HELLO's reply (map in RESP3, flat array in RESP2): the connection id is blanked. */
export const hello: Normalize = (r) => {
  const isId = (k: Reply): boolean => k.t === 'bulk' && k.v === 'id';
  const blank = (v: Reply): string => (v.t === 'int' && /^[1-9]\d*$/.test(v.v) ? ':<id>' : 'bad id ' + showReply(v));
  if (r.t === 'map') return { map: r.v.map(([k, v]) => [showReply(k), isId(k) ? blank(v) : showReply(v)]) };
  if (r.t === 'array' && r.v) return { array: r.v.map((v, i) => (i > 0 && isId(r.v![i - 1]) ? blank(v) : showReply(v))) };
  return showReply(r);
};

/** Normaliser for CLIENT ID: any positive integer. */
export const clientId: Normalize = (r) => (r.t === 'int' && /^[1-9]\d*$/.test(r.v) ? ':<id>' : showReply(r));

/**
 * Normaliser for HELP replies: our text is our own, so only the shape is compared: an array of
 * status lines with Redis's header and footer.
 */
export const helpShape: Normalize = (r) => {
  if (r.t !== 'array' || !r.v) return showReply(r);
  const allSimple = r.v.every((x) => x.t === 'simple');
  const lines = r.v.map((x) => (x.t === 'simple' ? x.v : '?'));
  return { allSimple, header: lines[0], footer: lines.slice(-2) };
};

// ---- the random generator ----

const NAME_CHARS = 'abcXYZ019-_:!~.';

function randomName(r: Rng): string {
  if (r.chance(0.1)) return '';
  let s = '';
  const n = r.int(1, 8);
  for (let i = 0; i < n; i++) s += NAME_CHARS[r.int(0, NAME_CHARS.length - 1)];
  if (r.chance(0.15)) {
    // one character Redis refuses in a name: space, control, DEL, high byte, newline
    const bad = r.pick([' ', '\n', '\r', '\t', '\x00', '\x7f', '\x80', '\xff', '\x20']);
    const at = r.int(0, s.length);
    s = s.slice(0, at) + bad + s.slice(at);
  }
  return s;
}

function randomCase(r: Rng, s: string): string {
  let out = '';
  for (const ch of s) out += r.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase();
  return out;
}

function randomWord(r: Rng): string {
  return r.pick(['', 'x', 'foo', 'on', 'off', 'yes', 'no', '2', '3', '-1', 'abc def', 'a\r\nb', 'nul\x00byte', '\xff', 'HELP']);
}

/**
 * One random connection-group command: PING, ECHO, CLIENT GETNAME/SETNAME/ID/INFO/LIST/NO-EVICT/
 * REPLY ON/KILL (with filters that match no connection), HELLO (good and bad), AUTH without a
 * password configured, RESET, SELECT with a few keys, arity errors and unknown subcommands. Replies are never suppressed
 * (no CLIENT REPLY OFF/SKIP) and no connection is closed, so every step has exactly one reply.
 */
export function genConnection(r: Rng): Step {
  const k = r.int(0, 29);
  switch (k) {
    case 0: return { argv: r.chance(0.5) ? ['PING'] : ['PING', randomWord(r)] };
    case 1: return { argv: ['PING', 'a', 'b'] };
    case 2: return { argv: r.chance(0.9) ? ['ECHO', randomWord(r)] : ['ECHO'] };
    case 3: return { argv: [randomCase(r, 'client'), randomCase(r, 'getname')] };
    case 4: return { argv: ['CLIENT', randomCase(r, 'setname'), randomName(r)] };
    case 5: return { argv: ['CLIENT', 'ID'], normalize: clientId };
    case 6: return { argv: ['CLIENT', 'INFO'], normalize: clientList };
    case 7: return { argv: ['CLIENT', 'NO-EVICT', r.pick(['on', 'OFF', 'On', 'maybe', ''])] };
    case 8: return { argv: ['CLIENT', 'REPLY', r.pick(['on', 'ON', 'bogus', ''])] };
    case 9: {
      // LIST forms that do not depend on which other connections exist
      const forms: string[][] = [
        ['CLIENT', 'LIST', 'TYPE', r.pick(['master', 'replica', 'slave', 'MASTER', 'bogus', 'x\x00y'])],
        ['CLIENT', 'LIST', 'ID', String(r.int(100000, 200000))],
        ['CLIENT', 'LIST', 'ID', r.pick(['abc', '-1', '0', '1.5', '99999999999999999999'])],
        ['CLIENT', 'LIST', 'ID', '999999', 'x'],
        ['CLIENT', 'LIST', r.pick(['TYPE', 'ID', 'foo'])],
        ['CLIENT', 'LIST', 'TYPE', 'normal', 'extra'],
        ['CLIENT', 'LIST', 'foo', 'bar'],
      ];
      return { argv: r.pick(forms) };
    }
    case 10: {
      // KILL forms that never match a live connection
      const forms: string[][] = [
        ['CLIENT', 'KILL', '203.0.113.9:' + r.int(1, 65535)],
        ['CLIENT', 'KILL', randomWord(r)],
        ['CLIENT', 'KILL', 'ID', r.pick(['0', '-3', 'abc', '9223372036854775808', String(r.int(100000, 200000))])],
        ['CLIENT', 'KILL', 'TYPE', r.pick(['master', 'replica', 'slave', 'bogus', ''])],
        ['CLIENT', 'KILL', 'ADDR', '203.0.113.9:1', 'SKIPME', r.pick(['yes', 'no', 'NO', 'maybe'])],
        ['CLIENT', 'KILL', 'LADDR', '203.0.113.9:1'],
        ['CLIENT', 'KILL', 'USER', r.pick(['nosuch', 'DEFAULT', 'a\r\nb'])],
        ['CLIENT', 'KILL', 'ID', '123456', 'USER', 'default', 'SKIPME', 'no'],
        ['CLIENT', 'KILL', 'MAXAGE', '10'],
        ['CLIENT', 'KILL', 'ADDR', '203.0.113.9:1', 'TYPE'],
        ['CLIENT', 'KILL', 'TYPE', 'bogus', 'ID', 'abc'],
        ['CLIENT', 'KILL', 'ID', 'abc', 'TYPE', 'bogus'],
      ];
      return { argv: r.pick(forms) };
    }
    case 11: return { argv: ['CLIENT', r.pick(['HELP', 'help'])], normalize: helpShape };
    case 12: return { argv: ['CLIENT', 'HELP', 'x'] };
    case 13: return { argv: ['CLIENT', r.pick(['nosuch', 'GETNAMES', 'x\r\ny', '', 'SETINFO', 'MAXAGE'])] };
    case 14: return { argv: r.pick([['CLIENT'], ['client'], ['CLIENT', 'ID', 'x'], ['CLIENT', 'GETNAME', 'x'], ['CLIENT', 'SETNAME'], ['CLIENT', 'SETNAME', 'a', 'b'], ['CLIENT', 'INFO', 'x'], ['CLIENT', 'KILL'], ['CLIENT', 'REPLY'], ['CLIENT', 'NO-EVICT'], ['CLIENT', 'LIST', 'ID', 'x', 'y']]) };
    case 15: case 16: {
      // HELLO with good or bad versions and options
      const argv = ['HELLO'];
      if (r.chance(0.85)) argv.push(r.pick(['2', '3', '2', '3', '1', '4', '0', '-1', 'abc', '02', '3.0', '9223372036854775808', '']));
      const opts = r.int(0, 2);
      for (let i = 0; i < opts; i++) {
        const o = r.int(0, 5);
        if (o === 0) argv.push(randomCase(r, 'setname'), randomName(r));
        else if (o === 1) argv.push('AUTH', 'default', randomWord(r));
        else if (o === 2) argv.push('AUTH', r.pick(['nosuch', 'DEFAULT']), 'pw');
        else if (o === 3) argv.push(randomCase(r, 'auth'));
        else if (o === 4) argv.push('SETNAME');
        else argv.push(randomWord(r));
      }
      return { argv, normalize: hello };
    }
    case 17: return { argv: ['HELLO'], normalize: hello };
    case 18: return { argv: ['AUTH', randomWord(r)] };
    case 19: return { argv: ['AUTH', r.pick(['default', 'nosuch', 'DEFAULT', '']), randomWord(r)] };
    case 20: return { argv: r.pick([['AUTH'], ['AUTH', 'a', 'b', 'c'], ['auth', 'default', 'x', 'y', 'z']]) };
    case 21: return { argv: r.chance(0.8) ? ['RESET'] : ['RESET', 'x'] };
    case 22: return { argv: ['GET', 'nosuchkey' + r.int(0, 3)] };
    case 23: return { argv: ['CLIENT', 'GETNAME'] };
    case 24: return { argv: ['NOSUCHCMD', randomWord(r)] };
    case 25: return { argv: ['CLIENT', 'LIST'], normalize: clientListSelfOnly };
    case 26: return { argv: ['CLIENT', 'LIST', 'TYPE', r.pick(['normal', 'NORMAL'])], normalize: clientListSelfOnly };
    case 27: return { argv: ['HELLO', r.pick(['2', '3'])], normalize: hello };
    // the db a connection is in (RESET goes back to 0), seen through a few keys
    case 28: return { argv: ['SELECT', r.pick(['0', '1', '2', '15', '16', '-1', 'x'])] };
    default: return { argv: r.chance(0.5) ? ['SET', 'ck' + r.int(0, 3), 'v' + r.int(0, 9)] : ['GET', 'ck' + r.int(0, 3)] };
  }
}

/**
 * For CLIENT LIST in random runs, where other tests' connections may come and go: only the
 * caller's own line is compared in full, and every line's field names.
 */
export const clientListSelfOnly: Normalize = (r) => {
  const lines = clientListLines(r);
  if (lines === null) return showReply(r);
  const norm = lines.map(normalizeClientLine);
  // The caller is the one connection whose arguments are in memory right now.
  const self = norm.filter((l) => l.some(([k, v]) => k === 'argv-mem' && v !== '0'));
  return { t: r.t, fields: norm.map((l) => l.map(([k]) => k).join(' ')).filter((f, i, a) => a.indexOf(f) === i), self };
};
