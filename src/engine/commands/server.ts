import type { CommandSpec, Command } from './table';
import { evalInfo } from '../scripting/eval';
import type { Client } from '../client';
import type { Engine } from '../server';
import { memoryOverhead } from './memory';
import { REDIS_VERSION } from '../version';
import { Config } from '../config';
import { parseSyntax, type Arg } from './grammar';
import { asciiLower, asciiUpper, binaryToBytes, eqi } from '../util/bytes';
import { stringMatch } from '../util/glob';
import { sha1, toHex } from '../util/sha1';
import { replicaIp } from '../replication/replication';

/**
 * Server commands: COMMAND (the command table, as Redis 7.0 describes it), CONFIG, INFO, TIME.
 */

// ---- helpers shared with other groups ----

/**
 * addReplyHelp: "<CMD> <subcommand> ..." then the lines (as status replies), then HELP itself.
 * The command name is the one the client typed, upper-cased.
 */
export function replyHelp(c: Client, lines: readonly string[]): void {
  const name = asciiUpper(cstr(c.argv[0] ?? ''));
  c.reply.arrayLen(lines.length + 3);
  c.reply.status(`${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.status(l);
  c.reply.status('HELP');
  c.reply.status('    Prints this help.');
}

function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

// ---- COMMAND: flags, ACL categories, key specs, docs ----

/** The flags COMMAND INFO prints, in Redis's order (internal ones like `protected` are not shown). */
const FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'may_replicate', 'no_mandatory_keys',
  'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
];

/** ACL categories in Redis's order (ACLCommandCategories). */
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

/** The category a command group implies (Redis lists these in each command's JSON). */
const GROUP_CATEGORY: Record<string, string> = {
  generic: 'keyspace', string: 'string', bitmap: 'bitmap', list: 'list', hash: 'hash', set: 'set',
  'sorted-set': 'sortedset', hyperloglog: 'hyperloglog', geo: 'geo', stream: 'stream', pubsub: 'pubsub',
  transactions: 'transaction', scripting: 'scripting', connection: 'connection',
};

/**
 * A command's ACL categories, derived as Redis does: from its group's category, the explicit
 * extras in `acl` ("@dangerous", or "-@keyspace" to drop the group's), then setImplicitACLCategories
 * over the flags (write, read, admin+dangerous, pubsub, fast, blocking, and slow when not fast).
 */
export function aclCategories(spec: CommandSpec): string[] {
  const cats = new Set<string>();
  const g = GROUP_CATEGORY[spec.group];
  if (g) cats.add(g);
  for (const word of (spec.acl ?? '').split(/\s+/).filter(Boolean)) {
    const drop = word.startsWith('-');
    const name = word.replace(/^[-+]?@?/, '').toLowerCase();
    if (drop) cats.delete(name);
    else cats.add(name);
  }
  const flags = new Set(spec.flags.split(' ').filter(Boolean));
  if (flags.has('write')) cats.add('write');
  if (flags.has('readonly') && !cats.has('scripting')) cats.add('read');
  if (flags.has('admin')) { cats.add('admin'); cats.add('dangerous'); }
  if (flags.has('pubsub')) cats.add('pubsub');
  if (flags.has('fast')) cats.add('fast');
  if (flags.has('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return ACL_CATEGORIES.filter((c) => cats.has(c));
}

function shownFlags(cmd: Command): string[] {
  return FLAG_ORDER.filter((f) => cmd.flags.has(f));
}

/**
 * Key spec flags, simplified: our table does not say how each key is used, so readonly commands
 * get RO+access and write commands RW+update (Redis distinguishes OW/RM/insert/delete per command).
 */
function keySpecFlags(cmd: Command): string[] {
  // Shard channels (SSUBSCRIBE, SPUBLISH) are positioned like keys for cluster routing only.
  if (cmd.flags.has('pubsub')) return ['not_key'];
  if (cmd.flags.has('write')) return ['RW', 'update'];
  if (cmd.flags.has('readonly')) return ['RO', 'access'];
  return ['RO'];
}

function hasKeys(spec: CommandSpec): boolean {
  return spec.keys !== undefined && spec.keys[0] > 0;
}

/**
 * The key specs: one "range" spec derived from the legacy [first, last, step] (begin_search index
 * first; find_keys range with lastkey relative to first, keystep, limit 0). Redis 7's own specs can
 * be richer (keyword searches, keynum); compat tests compare only name, arity, flags, first, last
 * and step, not these.
 */
function replyKeySpecs(c: Client, cmd: Command): void {
  const spec = cmd.spec;
  if (!hasKeys(spec)) return c.reply.setLen(0);
  const [first, last, step] = spec.keys!;
  const r = c.reply;
  r.setLen(1);
  r.mapLen(3);
  r.bulk('flags');
  const flags = keySpecFlags(cmd);
  r.setLen(flags.length);
  for (const f of flags) r.status(f);
  r.bulk('begin_search');
  r.mapLen(2);
  r.bulk('type');
  r.bulk('index');
  r.bulk('spec');
  r.mapLen(1);
  r.bulk('index');
  r.int(first);
  r.bulk('find_keys');
  r.mapLen(2);
  r.bulk('type');
  r.bulk('range');
  r.bulk('spec');
  r.mapLen(3);
  r.bulk('lastkey');
  r.int(last >= 0 ? last - first : last);
  r.bulk('keystep');
  r.int(step);
  r.bulk('limit');
  r.int(0);
}

/** addReplyCommandInfo */
function replyCommandInfo(c: Client, cmd: Command | undefined): void {
  const r = c.reply;
  if (cmd === undefined) return r.nil();
  const spec = cmd.spec;
  const [first, last, step] = hasKeys(spec) ? spec.keys! : [0, 0, 0];
  r.arrayLen(10);
  r.bulk(cmd.fullname);
  r.int(spec.arity);
  const flags = shownFlags(cmd);
  r.setLen(flags.length);
  for (const f of flags) r.status(f);
  r.int(first);
  r.int(last);
  r.int(step);
  const cats = aclCategories(spec);
  r.setLen(cats.length);
  for (const cat of cats) r.status('@' + cat);
  const tips = (spec.tips ?? '').split(/\s+/).filter(Boolean);
  r.setLen(tips.length);
  for (const t of tips) r.bulk(t);
  replyKeySpecs(c, cmd);
  if (cmd.subcommands === null) return r.setLen(0);
  r.arrayLen(cmd.subcommands.size);
  for (const sub of cmd.subcommands.values()) replyCommandInfo(c, sub);
}

/** The argument structure of a command, parsed once from its syntax. */
const argsCache = new WeakMap<CommandSpec, Arg[]>();
export function commandArgs(spec: CommandSpec): Arg[] {
  let a = argsCache.get(spec);
  if (a === undefined) {
    a = parseSyntax(spec.syntax ?? '');
    argsCache.set(spec, a);
  }
  return a;
}

/** addReplyCommandArgList */
function replyArgs(c: Client, args: readonly Arg[]): void {
  const r = c.reply;
  r.arrayLen(args.length);
  for (const a of args) {
    const flags: string[] = [];
    if (a.optional) flags.push('optional');
    if (a.multiple) flags.push('multiple');
    if (a.multipleToken) flags.push('multiple_token');
    const nested = a.type === 'oneof' || a.type === 'block';
    r.mapLen(2 + (a.type === 'key' ? 1 : 0) + (a.token ? 1 : 0) + (flags.length ? 1 : 0) + (nested ? 1 : 0));
    r.bulk('name');
    r.bulk(a.name);
    r.bulk('type');
    r.bulk(a.type);
    if (a.type === 'key') {
      r.bulk('key_spec_index');
      r.int(0); // our single derived key spec
    }
    if (a.token) {
      r.bulk('token');
      r.bulk(a.token);
    }
    if (flags.length) {
      r.bulk('flags');
      r.setLen(flags.length);
      for (const f of flags) r.status(f);
    }
    if (nested) {
      r.bulk('arguments');
      replyArgs(c, a.args ?? []);
    }
  }
}

/** addReplyCommandDocs */
function replyCommandDocs(c: Client, cmd: Command): void {
  const r = c.reply;
  const spec = cmd.spec;
  // Containers (CONFIG, CLIENT...) document their subcommands, not arguments of their own.
  const args = cmd.subcommands ? [] : commandArgs(spec);
  r.mapLen(3 + (spec.complexity ? 1 : 0) + (args.length ? 1 : 0) + (cmd.subcommands ? 1 : 0));
  r.bulk('summary');
  r.bulk(spec.summary);
  r.bulk('since');
  r.bulk(spec.since);
  r.bulk('group');
  r.bulk(spec.group);
  if (spec.complexity) {
    r.bulk('complexity');
    r.bulk(spec.complexity);
  }
  if (args.length) {
    r.bulk('arguments');
    replyArgs(c, args);
  }
  if (cmd.subcommands) {
    r.bulk('subcommands');
    r.mapLen(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) {
      r.bulk(sub.fullname);
      replyCommandDocs(c, sub);
    }
  }
}

/** lookupCommandBySds: "get" or "config|get", case-insensitive. */
function lookupByFullname(e: Engine, name: string): Command | undefined {
  const parts = name.split('|');
  if (parts.length > 2) return undefined;
  const base = e.commands.get(asciiLower(parts[0]));
  if (parts.length === 1 || base === undefined) return base;
  return base.subcommands?.get(asciiLower(parts[1]));
}

/** lookupCommand over an argv: the subcommand when the command has them. */
function lookupArgv(e: Engine, argv: string[]): Command | undefined {
  const base = e.commands.get(asciiLower(argv[0]));
  if (base === undefined || base.subcommands === null || argv.length === 1) return base;
  return base.subcommands.get(asciiLower(argv[1]));
}

/** The key positions of a call, from getKeys or the [first, last, step] range; null when invalid. */
export function keyPositions(cmd: Command, argv: string[]): number[] | null {
  const spec = cmd.spec;
  if (spec.getKeys) return spec.getKeys(argv);
  if (!hasKeys(spec)) return [];
  const [first, lastSpec, step] = spec.keys!;
  const last = lastSpec < 0 ? argv.length + lastSpec : lastSpec;
  if (first >= argv.length) return null;
  const out: number[] = [];
  for (let i = first; i <= last && i < argv.length; i += step) out.push(i);
  return out;
}

/** getKeysSubcommand (GETKEYS and GETKEYSANDFLAGS). */
function getKeys(c: Client, argv: string[], withFlags: boolean): void {
  const cmdArgv = argv.slice(2);
  const cmd = lookupArgv(c.server, cmdArgv);
  if (cmd === undefined) return c.reply.err('Invalid command specified');
  // doesCommandHaveKeys: not_key specs (shard channels) do not count.
  if ((!cmd.spec.getKeys && !hasKeys(cmd.spec)) || cmd.flags.has('pubsub')) return c.reply.err('The command has no key arguments');
  const arity = cmd.spec.arity;
  if ((arity > 0 && arity !== cmdArgv.length) || cmdArgv.length < -arity) {
    return c.reply.err('Invalid number of arguments specified for command');
  }
  const pos = keyPositions(cmd, cmdArgv);
  if (pos === null || pos.length === 0) {
    if (cmd.flags.has('no_mandatory_keys')) return c.reply.arrayLen(0);
    return c.reply.err('Invalid arguments specified for command');
  }
  c.reply.arrayLen(pos.length);
  const flags = keySpecFlags(cmd);
  for (const p of pos) {
    if (!withFlags) {
      c.reply.bulk(cmdArgv[p]);
      continue;
    }
    c.reply.arrayLen(2);
    c.reply.bulk(cmdArgv[p]);
    c.reply.setLen(flags.length);
    for (const f of flags) c.reply.status(f);
  }
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Describe every command: name, arity, flags, key positions, ACL categories and more.',
  'COUNT',
  '    How many commands the server has.',
  'LIST',
  '    The names of all commands (subcommands included), optionally filtered.',
  'INFO [<command-name> ...]',
  '    Describe the given commands, or all of them when none is given.',
  'DOCS [<command-name> ...]',
  '    Documentation of the given commands (summary, since, group, arguments...), or of all',
  '    of them when none is given.',
  'GETKEYS <full-command>',
  '    Which arguments of a full command line are keys.',
  'GETKEYSANDFLAGS <full-command>',
  '    Like GETKEYS, with how each key is accessed.',
];

function commandList(c: Client, argv: string[]): void {
  let filter: { type: 'module' | 'aclcat' | 'pattern'; arg: string } | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (eqi(argv[i], 'filterby') && more === 2) {
      const t = asciiLower(argv[i + 1]);
      if (t !== 'module' && t !== 'aclcat' && t !== 'pattern') return c.reply.syntaxErr();
      filter = { type: t, arg: argv[i + 2] };
      i += 2;
    } else {
      return c.reply.syntaxErr();
    }
  }
  const names: string[] = [];
  for (const cmd of c.server.commands.all()) {
    if (filter === null) names.push(cmd.fullname);
    else if (filter.type === 'pattern' && stringMatch(filter.arg, cmd.fullname, true)) names.push(cmd.fullname);
    else if (filter.type === 'aclcat' && aclCategories(cmd.spec).includes(asciiLower(filter.arg))) names.push(cmd.fullname);
    // MODULE: no modules are loaded, so nothing matches.
  }
  c.reply.bulks(names);
}

const COMMAND_SUBS: CommandSpec[] = [
  {
    name: 'count', arity: 2, flags: 'loading stale', group: 'server', since: '2.8.13', acl: '@connection',
    summary: 'How many commands the server has.', complexity: 'O(1)', syntax: '',
    handler(c) {
      c.reply.int(c.server.commands.commands.size);
    },
  },
  {
    name: 'docs', arity: -2, flags: 'loading stale', group: 'server', since: '7.0.0', acl: '@connection',
    tips: 'nondeterministic_output_order',
    summary: 'Documentation for some or all commands: summary, group, complexity, arguments.',
    complexity: 'O(N) where N is the number of commands to look up', syntax: '[command-name [command-name ...]]',
    handler(c, argv) {
      const cmds: Command[] = [];
      if (argv.length === 2) cmds.push(...c.server.commands.commands.values());
      else {
        for (let i = 2; i < argv.length; i++) {
          const cmd = lookupByFullname(c.server, argv[i]);
          if (cmd) cmds.push(cmd);
        }
      }
      c.reply.mapLen(cmds.length);
      for (const cmd of cmds) {
        c.reply.bulk(cmd.fullname);
        replyCommandDocs(c, cmd);
      }
    },
  },
  {
    name: 'getkeys', arity: -4, flags: 'loading stale', group: 'server', since: '2.8.13', acl: '@connection',
    summary: 'Which arguments of a full command line are keys.',
    complexity: 'O(N) where N is the number of arguments to the command', syntax: 'command [arg [arg ...]]',
    handler(c, argv) {
      getKeys(c, argv, false);
    },
  },
  {
    name: 'getkeysandflags', arity: -4, flags: 'loading stale', group: 'server', since: '7.0.0', acl: '@connection',
    summary: 'Which arguments of a full command line are keys, and how each is accessed.',
    complexity: 'O(N) where N is the number of arguments to the command', syntax: 'command [arg [arg ...]]',
    handler(c, argv) {
      getKeys(c, argv, true);
    },
  },
  {
    name: 'help', arity: 2, flags: 'loading stale', group: 'server', since: '5.0.0', acl: '@connection',
    summary: 'What the COMMAND subcommands do.', complexity: 'O(1)', syntax: '',
    handler(c) {
      replyHelp(c, COMMAND_HELP);
    },
  },
  {
    name: 'info', arity: -2, flags: 'loading stale', group: 'server', since: '2.8.13', acl: '@connection',
    tips: 'nondeterministic_output_order',
    summary: 'Describe some or all commands: arity, flags, key positions, ACL categories.',
    complexity: 'O(N) where N is the number of commands to look up', syntax: '[command-name [command-name ...]]',
    handler(c, argv) {
      if (argv.length === 2) {
        c.reply.arrayLen(c.server.commands.commands.size);
        for (const cmd of c.server.commands.commands.values()) replyCommandInfo(c, cmd);
        return;
      }
      c.reply.arrayLen(argv.length - 2);
      for (let i = 2; i < argv.length; i++) replyCommandInfo(c, lookupByFullname(c.server, argv[i]));
    },
  },
  {
    name: 'list', arity: -2, flags: 'loading stale', group: 'server', since: '7.0.0', acl: '@connection',
    tips: 'nondeterministic_output_order',
    summary: 'The names of all commands, optionally only those of an ACL category or matching a pattern.',
    complexity: 'O(N) where N is the total number of commands',
    syntax: '[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]',
    handler: commandList,
  },
];

// ---- CONFIG ----

const CONFIG_HELP = [
  'GET <pattern> [<pattern> ...]',
  '    The parameters whose names match the glob-style patterns, with their values.',
  'SET <directive> <value> [<directive> <value> ...]',
  '    Change parameters; all of them are set, or none when one is refused.',
  'RESETSTAT',
  '    Zero the statistics INFO reports (commands, errors, keyspace hits...).',
  'REWRITE',
  '    Write the running configuration to the configuration file.',
];

function configGet(c: Client, argv: string[]): void {
  const cfg = c.server.config;
  // Matched names in order, case-insensitively unique; the reply shows each as matched.
  const matches = new Map<string, { key: string; name: string }>();
  for (let i = 2; i < argv.length; i++) {
    const pat = argv[i];
    if (!/[[*?]/.test(pat)) {
      if (matches.has(asciiLower(pat))) continue;
      const e = Config.entry(pat);
      if (e) matches.set(asciiLower(pat), { key: pat, name: e.key });
      continue;
    }
    for (const e of Config.entries()) {
      if (e.param.hidden || matches.has(e.key)) continue;
      if (stringMatch(pat, e.key, true)) matches.set(e.key, { key: e.key, name: e.key });
    }
  }
  c.reply.mapLen(matches.size);
  for (const { key, name } of matches.values()) {
    c.reply.bulk(key);
    c.reply.bulk(cfg.get(name));
  }
}

function configSet(c: Client, argv: string[]): void {
  if (argv.length & 1) return c.reply.syntaxErr();
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i], argv[i + 1]]);
  const mode = c.server.config.str('enable-protected-configs');
  const err = c.server.config.setMany(pairs, { allowProtected: mode === 'yes' || (mode === 'local' && c.local) });
  // addReplyErrorFormat: the names come from the user, no newline may reach the protocol.
  if (err !== null) return c.reply.err(err.replace(/[\r\n]/g, ' '));
  c.reply.ok();
}

/** resetServerStats + resetCommandTableStats + resetErrorTableStats */
export function resetStats(e: Engine): void {
  const s = e.stats;
  s.totalCommandsProcessed = 0;
  s.totalConnectionsReceived = 0;
  s.rejectedConnections = 0;
  s.expiredKeys = 0;
  s.expiredStalePerc = 0;
  s.expiredTimeCapReachedCount = 0;
  s.evictedKeys = 0;
  e.evictor.resetStats();
  s.keyspaceHits = 0;
  s.keyspaceMisses = 0;
  s.netInputBytes = 0;
  s.netOutputBytes = 0;
  s.totalErrorReplies = 0;
  s.errorCodes.clear();
  s.opsSamples.length = 0;
  s.lastSampleCount = 0;
  s.lastSampleTime = e.clock();
  for (const cmd of e.commands.all()) {
    cmd.calls = 0;
    cmd.usec = 0;
    cmd.rejectedCalls = 0;
    cmd.failedCalls = 0;
  }
  e.memory.peak = 0; // used_memory_peak starts again from now
}

const CONFIG_SUBS: CommandSpec[] = [
  {
    name: 'get', arity: -3, flags: 'admin noscript loading stale', group: 'server', since: '2.0.0',
    summary: 'The values of the configuration parameters matching the patterns.',
    complexity: 'O(N) for N configuration parameters', syntax: 'parameter [parameter ...]',
    handler: configGet,
  },
  {
    name: 'help', arity: 2, flags: 'loading stale', group: 'server', since: '5.0.0',
    summary: 'What the CONFIG subcommands do.', complexity: 'O(1)', syntax: '',
    handler(c) {
      replyHelp(c, CONFIG_HELP);
    },
  },
  {
    name: 'resetstat', arity: 2, flags: 'admin noscript loading stale', group: 'server', since: '2.0.0',
    summary: 'Zero the statistics reported by INFO.', complexity: 'O(1)', syntax: '',
    handler(c) {
      resetStats(c.server);
      c.reply.ok();
    },
  },
  {
    name: 'rewrite', arity: 2, flags: 'admin noscript loading stale', group: 'server', since: '2.8.0',
    summary: 'Write the running configuration back to the configuration file.', complexity: 'O(1)', syntax: '',
    handler(c) {
      // The engine never runs from a configuration file.
      c.reply.err('The server is running without a config file');
    },
  },
  {
    name: 'set', arity: -4, flags: 'admin noscript loading stale', group: 'server', since: '2.0.0',
    tips: 'request_policy:all_nodes response_policy:all_succeeded',
    summary: 'Change configuration parameters, all of them or none.',
    complexity: 'O(N) for N configuration parameters', syntax: 'parameter value [parameter value ...]',
    handler: configSet,
  },
];

// ---- INFO ----

const SECTIONS = [
  'server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'commandstats',
  'errorstats', 'latencystats', 'cluster', 'keyspace',
] as const;
type Section = (typeof SECTIONS)[number];
const DEFAULT_SECTIONS = new Set<Section>(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace']);
const TITLES: Record<Section, string> = {
  server: 'Server', clients: 'Clients', memory: 'Memory', persistence: 'Persistence', stats: 'Stats',
  replication: 'Replication', cpu: 'CPU', modules: 'Modules', commandstats: 'Commandstats',
  errorstats: 'Errorstats', latencystats: 'Latencystats', cluster: 'Cluster', keyspace: 'Keyspace',
};

/** The sections an INFO call asks for (genInfoSectionDict): names, "default", "all", "everything". */
export function infoSections(args: readonly string[]): Set<Section> {
  if (args.length === 0) return new Set(DEFAULT_SECTIONS);
  const out = new Set<Section>();
  for (const a of args) {
    const s = asciiLower(a);
    if (s === 'all' || s === 'everything') for (const x of SECTIONS) out.add(x);
    else if (s === 'default') for (const x of DEFAULT_SECTIONS) out.add(x);
    else if ((SECTIONS as readonly string[]).includes(s)) out.add(s as Section);
  }
  return out;
}

/** bytesToHuman */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  for (let i = 0; i < units.length; i++) {
    const div = 1024 ** (i + 1);
    if (n < div * 1024) return (n / div).toFixed(2) + units[i];
  }
  return `${n}B`;
}


interface MemoryFacts {
  used: number; startup: number; overhead: number; dataset: number; clients: number; peak: number;
  replBacklog: number; clientsSlaves: number; replBuffers: number; notCountedForEvict: number;
}

/** used_memory and its parts, from the memory model (memory.ts, commands/memory.ts). */
export function memoryFacts(e: Engine): MemoryFacts {
  const m = memoryOverhead(e);
  return {
    used: m.used, startup: m.startup, overhead: m.overheadTotal, dataset: m.dataset, clients: m.clientsNormal, peak: m.peak,
    replBacklog: m.replBacklog, clientsSlaves: m.clientsSlaves, replBuffers: m.replBuffers, notCountedForEvict: m.notCountedForEvict,
  };
}

function fixed2(n: number): string {
  return (Number.isFinite(n) ? n : 0).toFixed(2);
}

/** A made-up build id (redis_build_id), stable for a version. */
function buildId(): string {
  return toHex(sha1(binaryToBytes('redis-playground ' + REDIS_VERSION))).slice(0, 16);
}

/** The hz serverCron really runs at: with dynamic-hz it doubles per 200 clients per tick. */
function effectiveHz(e: Engine): number {
  let hz = e.config.num('hz');
  if (e.config.bool('dynamic-hz')) {
    while (e.clients.size / hz > 200) {
      hz *= 2;
      if (hz > 500) {
        hz = 500;
        break;
      }
    }
  }
  return hz;
}

/** "%ld.%06ld" of a microsecond count. */
function cpuSeconds(us: number): string {
  const u = Math.max(0, Math.floor(us));
  return `${Math.floor(u / 1e6)}.${String(u % 1e6).padStart(6, '0')}`;
}

/**
 * hdr_histogram's highest equivalent value for v (ns), at Redis's 2 significant digits: what a
 * one-sample latency percentile reads as.
 */
function hdrHighestEquivalent(v: number): number {
  if (v < 1) v = 1;
  const bucket = Math.max(0, Math.floor(Math.log2(Math.max(v, 255))) - 7);
  const sub = Math.floor(v / 2 ** bucket);
  const lowest = sub * 2 ** bucket;
  const size = sub >= 256 ? 2 ** (bucket + 1) : 2 ** bucket;
  return lowest + size - 1;
}

type Fields = [string, string | number][];

function section(title: string, fields: Fields): string {
  let s = `# ${title}\r\n`;
  for (const [k, v] of fields) s += `${k}:${v}\r\n`;
  return s;
}

function infoServer(e: Engine): Fields {
  const now = e.commandTime();
  const uptime = Math.floor((now - e.stats.startTime) / 1000);
  const p = e.platform;
  return [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', buildId()],
    ['redis_mode', e.config.bool('cluster-enabled') ? 'cluster' : 'standalone'],
    ['os', p.os ?? 'JavaScript'],
    ['arch_bits', p.arch ?? 64],
    ['monotonic_clock', 'performance.now()'],
    ['multiplexing_api', 'event-loop'],
    ['atomicvar_api', 'none'],
    ['gcc_version', '0.0.0'],
    ['process_id', p.processId ?? 0],
    ['process_supervised', e.config.str('supervised') === 'no' ? 'no' : e.config.str('supervised')],
    ['run_id', e.runId],
    ['tcp_port', e.config.num('port') || e.config.num('tls-port')],
    ['server_time_usec', Math.floor(now * 1000)],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', effectiveHz(e)],
    ['configured_hz', e.config.num('hz')],
    ['lru_clock', e.lruClock()],
    ['executable', p.executable ?? ''],
    ['config_file', p.configFile ?? ''],
    ['io_threads_active', 0],
  ];
}

function infoClients(e: Engine): Fields {
  let maxIn = 0;
  let maxOut = 0;
  for (const cl of e.clients.values()) {
    maxIn = Math.max(maxIn, cl.parser.pending);
    maxOut = Math.max(maxOut, cl.reply.len);
  }
  return [
    ['connected_clients', e.clients.size],
    ['cluster_connections', 0],
    ['maxclients', e.config.num('maxclients')],
    ['client_recent_max_input_buffer', maxIn],
    ['client_recent_max_output_buffer', maxOut],
    ['blocked_clients', e.blocking.blocked.size + e.postponed.length],
    ['tracking_clients', e.tracking.clients],
    ['clients_in_timeout_table', e.blocking.withTimeout()],
  ];
}

function infoMemory(e: Engine): Fields {
  const m = memoryFacts(e);
  const lua = evalInfo(e);
  const net = m.used - m.startup;
  const maxmemory = e.config.int64('maxmemory');
  return [
    ['used_memory', m.used],
    ['used_memory_human', bytesToHuman(m.used)],
    ['used_memory_rss', m.used],
    ['used_memory_rss_human', bytesToHuman(m.used)],
    ['used_memory_peak', m.peak],
    ['used_memory_peak_human', bytesToHuman(m.peak)],
    ['used_memory_peak_perc', fixed2((m.used * 100) / m.peak) + '%'],
    ['used_memory_overhead', m.overhead],
    ['used_memory_startup', m.startup],
    ['used_memory_dataset', m.dataset],
    ['used_memory_dataset_perc', fixed2(net > 0 ? (m.dataset * 100) / net : 0) + '%'],
    ['allocator_allocated', m.used],
    ['allocator_active', m.used],
    ['allocator_resident', m.used],
    ['total_system_memory', 0],
    ['total_system_memory_human', bytesToHuman(0)],
    ['used_memory_lua', lua.usedMemoryLua],
    ['used_memory_vm_eval', lua.usedMemoryLua],
    ['used_memory_lua_human', bytesToHuman(lua.usedMemoryLua)],
    ['used_memory_scripts_eval', lua.scriptsBytes],
    ['number_of_cached_scripts', lua.cachedScripts],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', 0],
    ['used_memory_vm_total_human', bytesToHuman(0)],
    ['used_memory_functions', 0],
    ['used_memory_scripts', 0],
    ['used_memory_scripts_human', bytesToHuman(0)],
    ['maxmemory', String(maxmemory)],
    ['maxmemory_human', bytesToHuman(Number(maxmemory))],
    ['maxmemory_policy', e.config.str('maxmemory-policy')],
    ['allocator_frag_ratio', '1.00'],
    ['allocator_frag_bytes', 0],
    ['allocator_rss_ratio', '1.00'],
    ['allocator_rss_bytes', 0],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', '1.00'],
    ['mem_fragmentation_bytes', 0],
    ['mem_not_counted_for_evict', m.notCountedForEvict],
    ['mem_replication_backlog', m.replBacklog],
    ['mem_total_replication_buffers', m.replBuffers],
    ['mem_clients_slaves', m.clientsSlaves],
    ['mem_clients_normal', m.clients],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'javascript'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}

function infoPersistence(e: Engine): Fields {
  const aof = e.config.bool('appendonly');
  const rdb = e.rdb;
  const snap = rdb.snapshot;
  const af = e.aof;
  const fields: Fields = [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', snap?.keysDone ?? 0],
    ['current_save_keys_total', snap?.keysTotal ?? 0],
    ['rdb_changes_since_last_save', e.dirty],
    ['rdb_bgsave_in_progress', snap ? 1 : 0],
    ['rdb_last_save_time', rdb.lastSave],
    ['rdb_last_bgsave_status', rdb.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', rdb.lastBgsaveSeconds],
    ['rdb_current_bgsave_time_sec', snap ? Math.floor((e.clock() - snap.startedAt) / 1000) : -1],
    ['rdb_saves', rdb.saves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', aof ? 1 : 0],
    ['aof_rewrite_in_progress', af.rewrite ? 1 : 0],
    ['aof_rewrite_scheduled', af.rewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', af.lastRewriteSeconds],
    ['aof_current_rewrite_time_sec', af.rewrite ? Math.floor((e.clock() - af.rewrite.startedAt) / 1000) : -1],
    ['aof_last_bgrewrite_status', af.lastBgrewriteOk ? 'ok' : 'err'],
    ['aof_rewrites', af.rewrites],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', af.lastWriteOk ? 'ok' : 'err'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  if (aof) {
    fields.push(
      ['aof_current_size', af.currentSize], ['aof_base_size', af.baseSize], ['aof_pending_rewrite', 0],
      ['aof_buffer_length', af.bufferLength], ['aof_pending_bio_fsync', af.inFlight > 0 ? 1 : 0], ['aof_delayed_fsync', 0],
    );
  }
  return fields;
}

function infoStats(e: Engine): Fields {
  const s = e.stats;
  const ops = Math.floor(s.opsSamples.reduce((a, b) => a + b, 0) / 16);
  return [
    ['total_connections_received', s.totalConnectionsReceived],
    ['total_commands_processed', s.totalCommandsProcessed],
    ['instantaneous_ops_per_sec', ops],
    ['total_net_input_bytes', s.netInputBytes],
    ['total_net_output_bytes', s.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', '0.00'],
    ['instantaneous_output_kbps', '0.00'],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', s.rejectedConnections],
    ['sync_full', e.replication.syncFull],
    ['sync_partial_ok', e.replication.syncPartialOk],
    ['sync_partial_err', e.replication.syncPartialErr],
    ['expired_keys', s.expiredKeys],
    ['expired_stale_perc', fixed2(s.expiredStalePerc * 100)],
    ['expired_time_cap_reached_count', s.expiredTimeCapReachedCount],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', s.evictedKeys],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', Math.floor(e.evictor.exceededMs(true))],
    ['current_eviction_exceeded_time', Math.floor(e.evictor.exceededMs(false))],
    ['keyspace_hits', s.keyspaceHits],
    ['keyspace_misses', s.keyspaceMisses],
    ['pubsub_channels', e.pubsub.channels.size],
    ['pubsub_patterns', e.pubsub.patterns.size],
    ['pubsubshard_channels', e.pubsub.shardChannels.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', e.tracking.totalKeys()],
    ['tracking_total_items', e.tracking.totalItemsCount()],
    ['tracking_total_prefixes', e.tracking.totalPrefixes()],
    ['unexpected_error_replies', 0],
    ['total_error_replies', s.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', 0],
    ['total_writes_processed', 0],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ];
}

function infoReplication(e: Engine): Fields {
  const repl = e.replication;
  const link = repl.link;
  const now = e.clock();
  const fields: Fields = [['role', link === null ? 'master' : 'slave']];
  if (link !== null) {
    const connected = link.state === 'connected';
    const offset = connected ? link.reploff : (link.cachedMaster()?.offset ?? 1);
    fields.push(
      ['master_host', link.host],
      ['master_port', link.port],
      ['master_link_status', connected ? 'up' : 'down'],
      ['master_last_io_seconds_ago', connected ? Math.floor((now - link.lastIo) / 1000) : -1],
      ['master_sync_in_progress', link.syncing() ? 1 : 0],
      ['slave_read_repl_offset', offset],
      ['slave_repl_offset', offset],
    );
    if (link.syncing()) {
      const total = link.transferSize;
      fields.push(
        ['master_sync_total_bytes', total],
        ['master_sync_read_bytes', link.transferRead],
        ['master_sync_left_bytes', total - link.transferRead],
        ['master_sync_perc', fixed2(total > 0 ? (link.transferRead / total) * 100 : 0)],
        ['master_sync_last_io_seconds_ago', Math.floor((now - link.lastIo) / 1000)],
      );
    }
    if (!connected) fields.push(['master_link_down_since_seconds', link.downSince ? Math.floor((now - link.downSince) / 1000) : -1]);
    fields.push(
      ['slave_priority', e.config.num('replica-priority')],
      ['slave_read_only', e.config.bool('replica-read-only') ? 1 : 0],
      ['replica_announced', e.config.bool('replica-announced') ? 1 : 0],
    );
  }
  fields.push(['connected_slaves', repl.replicas.length]);
  if (e.config.num('min-replicas-to-write') && e.config.num('min-replicas-max-lag')) {
    fields.push(['min_slaves_good_slaves', repl.goodReplicas()]);
  }
  repl.replicas.forEach((c, i) => {
    const r = c.replica!;
    const ip = replicaIp(c);
    const lag = Math.floor(now / 1000) - Math.floor(r.ackTime / 1000);
    fields.push([`slave${i}`, `ip=${ip},port=${r.listeningPort},state=${r.state},offset=${r.ackOffset},lag=${lag}`]);
  });
  const backlog = repl.backlog;
  fields.push(
    ['master_failover_state', repl.failoverState],
    ['master_replid', repl.replid],
    ['master_replid2', repl.replid2],
    ['master_repl_offset', repl.masterReplOffset],
    ['second_repl_offset', repl.secondReplidOffset],
    ['repl_backlog_active', backlog !== null ? 1 : 0],
    ['repl_backlog_size', String(e.config.int64('repl-backlog-size'))],
    ['repl_backlog_first_byte_offset', backlog !== null ? backlog.firstByteOffset : 0],
    ['repl_backlog_histlen', backlog !== null ? backlog.histlen : 0],
  );
  return fields;
}

function infoCpu(e: Engine): Fields {
  let user: number;
  let sys: number;
  if (e.cpuUsage) {
    ({ user, sys } = e.cpuUsage());
  } else {
    // No process figures from the host: the time spent running commands.
    user = 0;
    for (const cmd of e.commands.all()) user += cmd.usec;
    sys = 0;
  }
  return [
    ['used_cpu_sys', cpuSeconds(sys)],
    ['used_cpu_user', cpuSeconds(user)],
    ['used_cpu_sys_children', cpuSeconds(0)],
    ['used_cpu_user_children', cpuSeconds(0)],
    ['used_cpu_sys_main_thread', cpuSeconds(sys)],
    ['used_cpu_user_main_thread', cpuSeconds(user)],
  ];
}

/** INFO field names cannot hold these characters (getSafeInfoString). */
function safeInfo(s: string): string {
  return s.replace(/[#:\n\r]/g, '_');
}

function infoCommandstats(e: Engine): Fields {
  const out: Fields = [];
  for (const cmd of e.commands.all()) {
    if (!cmd.calls && !cmd.failedCalls && !cmd.rejectedCalls) continue;
    const per = cmd.calls === 0 ? 0 : cmd.usec / cmd.calls;
    out.push([
      `cmdstat_${safeInfo(cmd.fullname)}`,
      `calls=${cmd.calls},usec=${cmd.usec},usec_per_call=${fixed2(per)},rejected_calls=${cmd.rejectedCalls},failed_calls=${cmd.failedCalls}`,
    ]);
  }
  return out;
}

function infoErrorstats(e: Engine): Fields {
  const codes = [...e.stats.errorCodes.keys()].sort();
  return codes.map((code) => [`errorstat_${safeInfo(code)}`, `count=${e.stats.errorCodes.get(code)}`]);
}

/**
 * Latency percentiles per command. Without per-call histograms, every percentile reads the
 * command's mean time, rounded as Redis's histogram would round a single sample.
 */
function infoLatencystats(e: Engine): Fields {
  if (!e.config.bool('latency-tracking')) return [];
  const pcts = e.config.get('latency-tracking-info-percentiles').split(' ').filter(Boolean);
  const out: Fields = [];
  for (const cmd of e.commands.all()) {
    if (!cmd.calls) continue;
    const meanNs = (cmd.usec * 1000) / cmd.calls;
    const v = (hdrHighestEquivalent(Math.round(meanNs)) / 1000).toFixed(3);
    out.push([`latency_percentiles_usec_${safeInfo(cmd.fullname)}`, pcts.map((p) => `p${p}=${v}`).join(',')]);
  }
  return out;
}

function infoKeyspace(e: Engine): Fields {
  const out: Fields = [];
  const now = e.commandTime();
  for (const db of e.dbs) {
    if (db.size === 0 && db.expiresCount === 0) continue;
    let avg = db.avgTtl;
    if (!avg && db.vobjs.length > 0) {
      // The mean remaining TTL of the volatile keys (sampled when there are many).
      const n = db.vobjs.length;
      const stride = Math.max(1, Math.floor(n / 10000));
      let sum = 0;
      let count = 0;
      for (let i = 0; i < n; i += stride) {
        const ttl = db.vobjs[i].expireAt - now;
        if (ttl > 0) sum += ttl;
        count++;
      }
      avg = count ? Math.floor(sum / count) : 0;
    }
    out.push([`db${db.id}`, `keys=${db.size},expires=${db.expiresCount},avg_ttl=${avg}`]);
  }
  return out;
}

const GENERATORS: Record<Section, (e: Engine) => Fields> = {
  server: infoServer,
  clients: infoClients,
  memory: infoMemory,
  persistence: infoPersistence,
  stats: infoStats,
  replication: infoReplication,
  cpu: infoCpu,
  modules: () => [],
  commandstats: infoCommandstats,
  errorstats: infoErrorstats,
  latencystats: infoLatencystats,
  cluster: (e) => [['cluster_enabled', e.config.bool('cluster-enabled') ? 1 : 0]],
  keyspace: infoKeyspace,
};

/** genRedisInfoString: the requested sections, in Redis's order, separated by blank lines. */
export function infoString(e: Engine, args: readonly string[]): string {
  const want = infoSections(args);
  const parts: string[] = [];
  for (const s of SECTIONS) if (want.has(s)) parts.push(section(TITLES[s], GENERATORS[s](e)));
  return parts.join('\r\n');
}

// ---- the table ----

export const serverCommands: CommandSpec[] = [
  {
    name: 'command', arity: -1, flags: 'loading stale', group: 'server', since: '2.8.13', acl: '@connection',
    tips: 'nondeterministic_output_order',
    summary: 'Describe every command the server has.', complexity: 'O(N) where N is the total number of commands',
    syntax: '',
    handler(c) {
      c.reply.arrayLen(c.server.commands.commands.size);
      for (const cmd of c.server.commands.commands.values()) replyCommandInfo(c, cmd);
    },
    subcommands: COMMAND_SUBS,
  },
  {
    name: 'config', arity: -2, flags: '', group: 'server', since: '2.0.0',
    summary: 'Read and change the server configuration.', complexity: 'Depends on the subcommand.',
    syntax: 'subcommand [argument ...]',
    subcommands: CONFIG_SUBS,
  },
  {
    name: 'info', arity: -1, flags: 'loading stale', group: 'server', since: '1.0.0', acl: '@dangerous',
    tips: 'nondeterministic_output request_policy:all_shards response_policy:special',
    summary: 'Facts and statistics about the server, by section.', complexity: 'O(1)',
    syntax: '[section [section ...]]',
    handler(c, argv) {
      c.reply.verbatim(infoString(c.server, argv.slice(1)), 'txt');
    },
  },
  {
    name: 'monitor', arity: 1, flags: 'admin noscript loading stale', group: 'server', since: '1.0.0',
    summary: 'Streams every command the server runs, from any client, as it runs it.', syntax: '',
    handler(c) {
      // Inside EXEC a reply per command is expected (CLIENT_DENY_BLOCKING).
      if (c.denyBlocking) return c.reply.err("MONITOR isn't allowed for DENY BLOCKING client");
      // Already monitoring: Redis ignores it without a reply.
      if (c.monitor) return;
      c.monitor = true;
      c.server.monitors.delete(c); // a stale entry from a RESET goes to the end, with the new ones
      c.server.monitors.add(c);
      c.reply.ok();
    },
  },
  {
    name: 'time', arity: 1, flags: 'loading stale fast', group: 'server', since: '2.6.0',
    tips: 'nondeterministic_output',
    summary: 'The server time: seconds and microseconds since the Unix epoch.', complexity: 'O(1)',
    syntax: '',
    handler(c) {
      const ms = c.server.clock();
      const sec = Math.floor(ms / 1000);
      const usec = Math.floor((ms - sec * 1000) * 1000);
      c.reply.arrayLen(2);
      c.reply.bulk(String(sec));
      c.reply.bulk(String(Math.min(999999, usec)));
    },
  },
];
