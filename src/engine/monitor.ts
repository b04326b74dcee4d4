import { asciiLower } from './util/bytes';

/**
 * MONITOR's line for one command, as Redis 7.0's replicationFeedMonitors writes it:
 *   +<seconds>.<microseconds, 6 digits> [<db> <peer>] "ARG" "ARG"...\r\n
 * where peer is the client's address, or "lua" for commands run by a script, and each argument is
 * quoted as sdscatrepr does. Passwords are replaced by "(redacted)" where the command redacts them.
 */
export function monitorLine(timeUs: number, dbid: number, peer: string, argv: readonly string[]): string {
  const sec = Math.floor(timeUs / 1e6);
  const usec = String(Math.floor(timeUs - sec * 1e6)).padStart(6, '0');
  let line = '+' + sec + '.' + usec + ' [' + dbid + ' ' + peer + ']';
  const redacted = redactedArgs(argv);
  for (let i = 0; i < argv.length; i++) {
    line += ' ' + (redacted !== null && redacted.has(i) ? '"(redacted)"' : repr(argv[i]));
  }
  return line + '\r\n';
}

/** sdscatrepr: a double-quoted string with \n \r \t \a \b \" \\ escaped and other non-printables as \xhh. */
export function repr(s: string): string {
  let out = '"';
  let plainFrom = 0;
  for (let i = 0; i < s.length; i++) {
    const esc = ESCAPES[s.charCodeAt(i)];
    if (esc === '') continue;
    out += s.slice(plainFrom, i) + esc;
    plainFrom = i + 1;
  }
  return out + s.slice(plainFrom) + '"';
}

/** Per byte: '' when printed as is (isprint in the C locale), else its escape. */
const ESCAPES: string[] = [];
for (let b = 0; b < 256; b++) {
  let e = '';
  if (b === 0x5c) e = '\\\\';
  else if (b === 0x22) e = '\\"';
  else if (b === 0x0a) e = '\\n';
  else if (b === 0x0d) e = '\\r';
  else if (b === 0x09) e = '\\t';
  else if (b === 0x07) e = '\\a';
  else if (b === 0x08) e = '\\b';
  else if (b < 0x20 || b > 0x7e) e = '\\x' + b.toString(16).padStart(2, '0');
  ESCAPES.push(e);
}

/**
 * The argument positions a command hides from MONITOR (redactClientCommandArgument), or null.
 * Redis redacts while parsing, so a command that fails before reaching its password shows it.
 */
function redactedArgs(argv: readonly string[]): Set<number> | null {
  const name = asciiLower(argv[0]);
  if (name === 'auth') {
    // authCommand: more than three arguments is a syntax error before anything is redacted.
    if (argv.length > 3) return null;
    return argv.length === 2 ? new Set([1]) : new Set([1, 2]);
  }
  if (name === 'hello') return helloRedacted(argv);
  return null;
}

/** helloCommand: the protocol version must parse first; options are read in order until one fails. */
function helloRedacted(argv: readonly string[]): Set<number> | null {
  if (argv.length < 2 || !/^[23]$/.test(argv[1])) return null;
  let out: Set<number> | null = null;
  for (let j = 2; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = asciiLower(argv[j]);
    if (opt === 'auth' && more >= 2) {
      (out ??= new Set()).add(j + 1).add(j + 2);
      j += 2;
    } else if (opt === 'setname' && more >= 1) {
      // An invalid name ends the parse (validateClientName: no spaces, newlines or special characters).
      if (!/^[!-~]*$/.test(argv[j + 1])) break;
      j++;
    } else {
      break;
    }
  }
  return out;
}
