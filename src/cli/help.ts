/**
 * redis-cli's help table: HELP, HELP <command>, HELP @group, and the data hints and completion
 * read. redis-cli 7.0 carries it compiled in (help.h); we build it from our command table, either
 * from the specs directly or, in the page, from the engine's COMMAND DOCS reply (so the page does
 * not bundle the engine).
 */
import type { Reply } from '../host/worker/resp';
import { formatSyntax, parseSyntax, type Arg, type ArgType } from '../engine/commands/grammar';
import type { CommandSpec } from '../engine/commands/table';

export interface HelpEntry {
  /** Upper case, words separated by a space: "SET", "CLIENT LIST". */
  name: string;
  /** The name split in words (redis-cli's entry->argv). */
  words: string[];
  /** The argument grammar, redis-cli style. */
  params: string;
  summary: string;
  since: string;
  group: string;
}

/** redis-cli 7.0's commandGroups, in its order. */
export const COMMAND_GROUPS = [
  'generic', 'string', 'list', 'set', 'sorted-set', 'hash', 'pubsub', 'transactions', 'connection',
  'server', 'scripting', 'hyperloglog', 'cluster', 'sentinel', 'geo', 'stream', 'bitmap',
];

function entry(name: string, params: string, summary: string, since: string, group: string): HelpEntry {
  const upper = name.toUpperCase();
  return { name: upper, words: upper.split(' '), params, summary, since, group };
}

function sortEntries(list: HelpEntry[]): HelpEntry[] {
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The help table from command specs (commands and their subcommands). */
export function helpFromSpecs(specs: readonly CommandSpec[]): HelpEntry[] {
  const out: HelpEntry[] = [];
  const add = (s: CommandSpec, parent: string | null): void => {
    const name = parent ? `${parent} ${s.name}` : s.name;
    // Containers have no params (redis-cli 7.0 shows "CLIENT" with an empty grey part).
    const params = s.subcommands ? '' : formatSyntax(parseSyntax(s.syntax ?? ''));
    out.push(entry(name, params, s.summary, s.since, s.group));
    for (const sub of s.subcommands ?? []) add(sub, s.name);
  };
  for (const s of specs) add(s, null);
  return sortEntries(out);
}

// ---- from COMMAND DOCS ----

/** Key/value pairs of a RESP3 map or a RESP2 flat array. */
function pairs(r: Reply): [Reply, Reply][] {
  if (r.type === 'map') return r.value;
  if (r.type === 'array') {
    const out: [Reply, Reply][] = [];
    for (let i = 0; i + 1 < r.value.length; i += 2) out.push([r.value[i], r.value[i + 1]]);
    return out;
  }
  return [];
}

const dec = new TextDecoder();

function text(r: Reply): string {
  switch (r.type) {
    case 'bulk':
    case 'verbatim':
      return dec.decode(r.value);
    case 'simple':
    case 'double':
    case 'bignum':
      return r.value;
    case 'integer':
      return String(r.value);
    default:
      return '';
  }
}

function list(r: Reply): Reply[] {
  return r.type === 'array' || r.type === 'set' ? r.value : [];
}

function argFromDoc(r: Reply): Arg {
  const a: Arg = { name: '', type: 'string' };
  for (const [k, v] of pairs(r)) {
    switch (text(k)) {
      case 'name': a.name = text(v); break;
      case 'type': a.type = text(v) as ArgType; break;
      case 'token': a.token = text(v); break;
      case 'flags':
        for (const f of list(v).map(text)) {
          if (f === 'optional') a.optional = true;
          else if (f === 'multiple') a.multiple = true;
          else if (f === 'multiple_token') a.multipleToken = true;
        }
        break;
      case 'arguments': a.args = list(v).map(argFromDoc); break;
    }
  }
  return a;
}

/** The help table from a `COMMAND DOCS` reply (RESP2 or RESP3). */
export function helpFromDocs(docs: Reply): HelpEntry[] {
  const out: HelpEntry[] = [];
  const add = (name: string, doc: Reply): void => {
    let summary = '', since = '', group = '';
    let args: Arg[] = [];
    let subs: [Reply, Reply][] = [];
    for (const [k, v] of pairs(doc)) {
      switch (text(k)) {
        case 'summary': summary = text(v); break;
        case 'since': since = text(v); break;
        case 'group': group = text(v); break;
        case 'arguments': args = list(v).map(argFromDoc); break;
        case 'subcommands': subs = pairs(v); break;
      }
    }
    out.push(entry(name.replace('|', ' '), formatSyntax(args), summary, since, group));
    for (const [sk, sv] of subs) add(text(sk), sv);
  };
  for (const [k, v] of pairs(docs)) add(text(k), v);
  return sortEntries(out);
}

// ---- HELP output ----

const BOLD = '\x1b[1m', GREY = '\x1b[90m', YELLOW = '\x1b[33m', RESET = '\x1b[0m';

/** Strip control characters from table text before it is framed by our own colours. */
function clean(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, ' ');
}

/** cliOutputCommandHelp: the entry with ANSI colours, as redis-cli prints it (CRLF line ends). */
function commandHelp(e: HelpEntry, withGroup: boolean): string {
  let s = `\r\n  ${BOLD}${clean(e.name)}${RESET} ${GREY}${clean(e.params)}${RESET}\r\n`;
  s += `  ${YELLOW}summary:${RESET} ${clean(e.summary)}\r\n`;
  s += `  ${YELLOW}since:${RESET} ${clean(e.since)}\r\n`;
  if (withGroup) s += `  ${YELLOW}group:${RESET} ${clean(e.group)}\r\n`;
  return s;
}

/** cliOutputGenericHelp. */
export function genericHelp(version: string): string {
  return (
    `redis-cli ${version}\n` +
    'To get help about Redis commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    '\n' +
    'To set redis-cli preferences:\n' +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n'
  );
}

const eqi = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * cliOutputHelp: `args` are HELP's arguments. No arguments: the generic text. `@group`: every
 * command of the group. Otherwise every command whose name starts with the given words
 * (HELP CLIENT lists its subcommands). Ends with a blank line, as redis-cli's does.
 */
export function helpText(args: readonly string[], entries: readonly HelpEntry[], version = '7.0.15'): string {
  if (args.length === 0) return genericHelp(version);
  let group: string | null = null;
  if (args[0].startsWith('@')) group = COMMAND_GROUPS.find((g) => eqi(g, args[0].slice(1))) ?? null;
  let out = '';
  for (const e of entries) {
    if (group === null) {
      if (args.length <= e.words.length && args.every((a, j) => eqi(a, e.words[j]))) out += commandHelp(e, true);
    } else if (e.group === group) {
      out += commandHelp(e, false);
    }
  }
  return out + '\r\n';
}
