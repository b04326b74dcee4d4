import { notifyFlagsFromString, notifyFlagsToString } from './notify';
import { string2d, string2ll, type Int64 } from './util/numbers';
import { splitArgs } from './util/splitargs';

/**
 * Server configuration: one registry of parameters with Redis 7.0's names, aliases, types,
 * defaults, limits and error texts. CONFIG GET/SET, the hosts' command lines and INFO read it.
 *
 * Parameters follow config.c's standardConfig table: bool (yes/no), numeric (with the C type's
 * signedness, and the memory / percent / octal forms), enum (plain, or a set of flags for
 * multi-argument enums), string, and special ones with their own parser and printer.
 *
 * Deliberate differences from a real redis-server (the engine has no sockets or files of its own):
 * - `bind` defaults to "127.0.0.1" (Redis: "* -::*"), because the Node host listens on its first word.
 * - `dir` is a plain string (Redis chdir()s and reports getcwd()); it defaults to "/".
 * - Apply steps that touch the OS (rebinding the port, resizing fd limits, starting the AOF) are
 *   left to whoever listens to onChange.
 */
export type ParamType = 'bool' | 'int' | 'enum' | 'string' | 'special';

export interface ConfigParam {
  name: string;
  alias?: string;
  type: ParamType;
  /** The default, as CONFIG GET prints it (or as it would be typed on the command line). */
  default: string;
  /** int: inclusive bounds. */
  min?: Int64;
  max?: Int64;
  /** int: the C type is unsigned (bounds compared and printed as unsigned). */
  unsigned?: boolean;
  /** int: accepts memory units (1gb, 100mb, 10k). */
  memory?: boolean;
  /** int: accepts "N%" too, stored as -N. */
  percent?: boolean;
  /** int: parsed and printed in octal (unixsocketperm). */
  octal?: boolean;
  /** enum: the names, in Redis's order. */
  values?: string[];
  /** enum: the numeric value of each name (defaults to its index); equal values are synonyms. */
  codes?: number[];
  /** Takes several space-separated words (save, bind, client-output-buffer-limit, ...). */
  multiArg?: boolean;
  /** Cannot change at runtime: "can't set immutable config". */
  immutable?: boolean;
  /** Only settable with enable-protected-configs: "can't set protected config". */
  protected?: boolean;
  /** Not matched by CONFIG GET patterns, only by its exact name. */
  hidden?: boolean;
  /** A secret: hidden from logs and MONITOR (no effect yet). */
  sensitive?: boolean;
  /** Extra validation of a parsed value; returns Redis's error text. */
  validate?: (value: unknown) => string | null;
  /** After a successful set: adjust the stored value (hz is clamped to 1..500). */
  apply?: (value: unknown) => unknown;
  /** special: parse the words into the stored value (given the current one), or Redis's error text. */
  parse?: (args: string[], current: unknown) => { value: unknown } | { error: string };
  /** special: the stored value as CONFIG GET prints it. */
  format?: (value: unknown) => string;
  /** special: the initial stored value, when it is not what parsing `default` gives (replicaof: none). */
  init?: unknown;
}

/** One name CONFIG GET can match: a parameter's own name or its alias. */
export interface ConfigEntry {
  key: string;
  param: ConfigParam;
  alias: boolean;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;
const LONG_MAX = 9223372036854775807n;
const LLONG_MAX = LONG_MAX;
const ULLONG_MAX = 18446744073709551615n;
const SSIZE_MAX = LONG_MAX;
const MB = 1024 * 1024;

/** CONFIG_MIN_HZ / CONFIG_MAX_HZ: hz is a hint, out-of-range values are clamped, not refused. */
export const MIN_HZ = 1;
export const MAX_HZ = 500;

type Opts = Partial<ConfigParam>;

function bool(name: string, def: boolean, opts: Opts = {}): ConfigParam {
  return { name, type: 'bool', default: def ? 'yes' : 'no', ...opts };
}
function int(name: string, min: Int64, max: Int64, def: Int64, opts: Opts = {}): ConfigParam {
  return { name, type: 'int', min, max, default: String(def), ...opts };
}
function uint(name: string, min: Int64, max: Int64, def: Int64, opts: Opts = {}): ConfigParam {
  return { name, type: 'int', min, max, default: String(def), unsigned: true, ...opts };
}
function str(name: string, def: string, opts: Opts = {}): ConfigParam {
  return { name, type: 'string', default: def, ...opts };
}
function enm(name: string, values: string[], def: string, opts: Opts = {}): ConfigParam {
  return { name, type: 'enum', values, default: def, ...opts };
}
function special(name: string, def: string, parse: ConfigParam['parse'], format: ConfigParam['format'], opts: Opts = {}): ConfigParam {
  return { name, type: 'special', default: def, parse, format, ...opts };
}

const IMMUTABLE: Opts = { immutable: true };

// ---- validators (config.c's is_valid_fn) ----

function isBaseName(s: string): boolean {
  return !s.includes('/') && !s.includes('\\');
}

function validDbFilename(v: unknown): string | null {
  return isBaseName(v as string) ? null : "dbfilename can't be a path, just a filename";
}

function validAofFilename(v: unknown): string | null {
  if (v === '') return "appendfilename can't be empty";
  return isBaseName(v as string) ? null : "appendfilename can't be a path, just a filename";
}

function validAofDirname(v: unknown): string | null {
  if (v === '') return "appenddirname can't be empty";
  return isBaseName(v as string) ? null : "appenddirname can't be a path, just a dirname";
}

function validHostname(v: unknown): string | null {
  const s = v as string;
  if (s.length >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(s)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return null;
}

const PROC_TITLE_VARS = new Set(['title', 'listen-addr', 'server-mode', 'port', 'tls-port', 'unixsocket', 'config-file']);

/** validateProcTitleTemplate (sdstemplate): {variables} must be known and closed, "{{" is a
 *  literal brace, and the expansion (with an empty title) must not be blank. */
function validProcTitle(v: unknown): string | null {
  const s = v as string;
  const bad = 'template format is invalid or contains unknown variables';
  let out = '';
  let p = 0;
  while (p < s.length) {
    const sv = s.indexOf('{', p);
    if (sv < 0) {
      out += s.slice(p);
      break;
    }
    out += s.slice(p, sv);
    if (sv + 1 >= s.length) return bad;
    if (s[sv + 1] === '{') {
      out += '{';
      p = sv + 2;
      continue;
    }
    const ev = s.indexOf('}', sv + 1);
    if (ev < 0) return bad;
    const name = s.slice(sv + 1, ev);
    if (!PROC_TITLE_VARS.has(name)) return bad;
    out += name === 'title' ? '' : 'x';
    p = ev + 1;
  }
  return out.replace(/^ +| +$/g, '') === '' ? bad : null;
}

// ---- C-like number parsing used by the special parameters ----

/** strtoll(s, &end, base) where the whole string must be consumed; overflow saturates like C. */
function strtollFull(s: string, base = 10): bigint | null {
  if (s === '') return 0n; // nothing parsed, end points at the terminator: C code accepts it
  const digits = base === 8 ? '[0-7]' : '[0-9]';
  const m = new RegExp(`^[\\t\\n\\v\\f\\r ]*([+-]?)(${digits}+)$`).exec(s);
  if (!m) return null;
  let v = 0n;
  const b = BigInt(base);
  for (const ch of m[2]) v = v * b + BigInt(ch.charCodeAt(0) - 48);
  if (m[1] === '-') v = -v;
  if (v > LLONG_MAX) return LLONG_MAX;
  if (v < -LLONG_MAX - 1n) return -LLONG_MAX - 1n;
  return v;
}

/**
 * memtoull: "1gb", "100mb", "10k", "512" → bytes, wrapping at 64 bits like C; null when the text
 * is not a memory value. Units: b, k (1000), kb (1024), m, mb, g, gb; no sign, no spaces.
 */
export function memtoull(text: string): bigint | null {
  if (text.startsWith('-')) return null;
  let u = 0;
  while (u < text.length && text.charCodeAt(u) >= 48 && text.charCodeAt(u) <= 57) u++;
  const unit = text.slice(u).toLowerCase();
  const mul: Record<string, bigint> = { '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };
  if (!(unit in mul)) return null;
  if (u >= 128) return null;
  let v = u === 0 ? 0n : BigInt(text.slice(0, u));
  if (v > ULLONG_MAX) v = ULLONG_MAX; // strtoull saturates
  return BigInt.asUintN(64, v * mul[unit]);
}

/** memtoull as a JS number (null when not a memory value). */
export function parseMemory(text: string): number | null {
  const v = memtoull(text);
  return v === null ? null : Number(v);
}

/** Redis's trimDoubleString over "%f": 99.900000 → 99.9, 50.000000 → 50. */
function formatPercentile(d: number): string {
  let s = d.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

// ---- special parameters ----

function parseSave(args: string[]): { value: unknown } | { error: string } {
  if (args.length === 1 && args[0] === '') args = [];
  const err = { error: 'Invalid save parameters' };
  if (args.length & 1) return err;
  const pairs: [number, number][] = [];
  for (let j = 0; j < args.length; j++) {
    const v = strtollFull(args[j]);
    if (v === null || ((j & 1) === 0 && v < 1n) || ((j & 1) === 1 && v < 0n)) return err;
  }
  for (let j = 0; j < args.length; j += 2) {
    const seconds = Number(strtollFull(args[j])!);
    const changes = Number(BigInt.asIntN(32, strtollFull(args[j + 1])!));
    pairs.push([seconds, changes]);
  }
  return { value: pairs };
}

const CLIENT_CLASSES = ['normal', 'slave', 'pubsub'];

function clientClass(name: string): number {
  const n = name.toLowerCase();
  if (n === 'normal') return 0;
  if (n === 'slave' || n === 'replica') return 1;
  if (n === 'pubsub') return 2;
  return -1; // "master" is a client type too, but not a buffer-limit class
}

interface ObufLimit { hard: bigint; soft: bigint; seconds: number }

/** Classes not mentioned keep their current limits. */
function parseObufLimits(args: string[], current: unknown): { value: unknown } | { error: string } {
  if (args.length % 4) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const next = ((current as ObufLimit[] | undefined) ?? defaultObufLimits).map((l) => ({ ...l }));
  for (let j = 0; j < args.length; j += 4) {
    const cls = clientClass(args[j]);
    if (cls < 0) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoull(args[j + 1]);
    const soft = memtoull(args[j + 2]);
    const secs = strtollFull(args[j + 3]);
    if (hard === null || soft === null || secs === null || BigInt.asIntN(32, secs) < 0n) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    next[cls] = { hard, soft, seconds: Number(BigInt.asIntN(32, secs)) };
  }
  return { value: next };
}

function formatObufLimits(v: unknown): string {
  return (v as ObufLimit[]).map((l, i) => `${CLIENT_CLASSES[i]} ${l.hard} ${l.soft} ${l.seconds}`).join(' ');
}

function parseOomValues(args: string[]): { value: unknown } | { error: string } {
  if (args.length !== 3) return { error: 'wrong number of arguments' };
  const out: number[] = [];
  for (const a of args) {
    const v = strtollFull(a);
    if (v === null || v < -2000n || v > 2000n) {
      return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
    }
    out.push(Number(v));
  }
  return { value: out };
}

function parseNotify(args: string[]): { value: unknown } | { error: string } {
  if (args.length !== 1) return { error: 'wrong number of arguments' };
  const flags = notifyFlagsFromString(args[0]);
  if (flags < 0) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  return { value: flags };
}

function parseBind(args: string[]): { value: unknown } | { error: string } {
  if (args.length > 16) return { error: 'Too many bind addresses specified.' };
  if (args.length === 1 && args[0] === '') return { value: [] };
  return { value: args.slice() };
}

function parseReplicaOf(args: string[]): { value: unknown } | { error: string } {
  if (args.length !== 2) return { error: 'wrong number of arguments' };
  if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return { value: '' };
  const port = strtollFull(args[1]);
  if (port === null || port < 0n || port > 65535n) return { error: 'Invalid master port' };
  return { value: `${args[0]} ${port}` };
}

function parsePercentiles(args: string[]): { value: unknown } | { error: string } {
  if (args.length === 1 && args[0] === '') return { value: [] };
  const out: number[] = [];
  for (const a of args) {
    const d = string2d(a);
    if (d === null) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    if (d > 100 || d < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    out.push(d);
  }
  return { value: out };
}

function parseDir(args: string[]): { value: unknown } | { error: string } {
  if (args.length !== 1) return { error: 'wrong number of arguments' };
  return { value: args[0] };
}

const SHUTDOWN_FLAGS: Opts = {
  values: ['default', 'save', 'nosave', 'now', 'force'],
  codes: [0, 1, 2, 4, 8],
  multiArg: true,
  validate: (v) => ((v as number) & 1 && (v as number) & 2 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null),
};

const defaultObufLimits: ObufLimit[] = [
  { hard: 0n, soft: 0n, seconds: 0 },
  { hard: 268435456n, soft: 67108864n, seconds: 60 },
  { hard: 33554432n, soft: 8388608n, seconds: 60 },
];

/** Every parameter of Redis 7.0.15 (built with TLS), in config.c's order. */
export const CONFIG_PARAMS: ConfigParam[] = [
  // bool
  bool('rdbchecksum', true, IMMUTABLE),
  bool('daemonize', false, IMMUTABLE),
  bool('io-threads-do-reads', false, IMMUTABLE),
  bool('always-show-logo', false, IMMUTABLE),
  bool('protected-mode', true),
  bool('rdbcompression', true),
  bool('rdb-del-sync-files', false),
  bool('activerehashing', true),
  bool('stop-writes-on-bgsave-error', true),
  bool('set-proc-title', true, IMMUTABLE),
  bool('dynamic-hz', true),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  bool('repl-disable-tcp-nodelay', false),
  bool('repl-diskless-sync', true),
  bool('aof-rewrite-incremental-fsync', true),
  bool('no-appendfsync-on-rewrite', false),
  bool('cluster-require-full-coverage', true),
  bool('rdb-save-incremental-fsync', true),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('cluster-replica-no-failover', false, { alias: 'cluster-slave-no-failover' }),
  bool('replica-lazy-flush', false, { alias: 'slave-lazy-flush' }),
  bool('replica-serve-stale-data', true, { alias: 'slave-serve-stale-data' }),
  bool('replica-read-only', true, { alias: 'slave-read-only' }),
  bool('replica-ignore-maxmemory', true, { alias: 'slave-ignore-maxmemory' }),
  bool('jemalloc-bg-thread', true),
  bool('activedefrag', false),
  bool('syslog-enabled', false, IMMUTABLE),
  bool('cluster-enabled', false, IMMUTABLE),
  bool('appendonly', false),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  bool('use-exit-on-panic', false, { hidden: true }),
  bool('disable-thp', true, IMMUTABLE),
  bool('cluster-allow-replica-migration', true),
  bool('replica-announced', true),
  bool('latency-tracking', true),
  bool('aof-disable-auto-gc', false),
  bool('replica-ignore-disk-write-errors', false),

  // string
  str('aclfile', '', IMMUTABLE),
  str('unixsocket', '', IMMUTABLE),
  str('pidfile', '', IMMUTABLE),
  str('replica-announce-ip', '', { alias: 'slave-announce-ip' }),
  str('masteruser', '', { sensitive: true }),
  str('cluster-announce-ip', ''),
  str('cluster-config-file', 'nodes.conf', IMMUTABLE),
  str('cluster-announce-hostname', '', { validate: validHostname }),
  str('syslog-ident', 'redis', IMMUTABLE),
  str('dbfilename', 'dump.rdb', { protected: true, validate: validDbFilename }),
  str('appendfilename', 'appendonly.aof', { immutable: true, validate: validAofFilename }),
  str('appenddirname', 'appendonlydir', { immutable: true, validate: validAofDirname }),
  str('server_cpulist', '', IMMUTABLE),
  str('bio_cpulist', '', IMMUTABLE),
  str('aof_rewrite_cpulist', '', IMMUTABLE),
  str('bgsave_cpulist', '', IMMUTABLE),
  str('ignore-warnings', ''),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', { validate: validProcTitle }),
  str('bind-source-addr', ''),
  str('logfile', '', IMMUTABLE),
  str('masterauth', '', { sensitive: true }),
  str('requirepass', '', { sensitive: true }),

  // enum
  enm('supervised', ['upstart', 'systemd', 'auto', 'no'], 'no', IMMUTABLE),
  enm('syslog-facility', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], 'local0', IMMUTABLE),
  enm('repl-diskless-load', ['disabled', 'on-empty-db', 'swapdb'], 'disabled'),
  enm('loglevel', ['debug', 'verbose', 'notice', 'warning'], 'notice'),
  enm('maxmemory-policy', ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], 'noeviction'),
  enm('appendfsync', ['everysec', 'always', 'no'], 'everysec'),
  enm('oom-score-adj', ['no', 'yes', 'relative', 'absolute'], 'no', { codes: [0, 1, 1, 2] }),
  enm('acl-pubsub-default', ['allchannels', 'resetchannels'], 'resetchannels'),
  enm('sanitize-dump-payload', ['no', 'yes', 'clients'], 'no'),
  enm('enable-protected-configs', ['no', 'yes', 'local'], 'no', IMMUTABLE),
  enm('enable-debug-command', ['no', 'yes', 'local'], 'no', IMMUTABLE),
  enm('enable-module-command', ['no', 'yes', 'local'], 'no', IMMUTABLE),
  enm('cluster-preferred-endpoint-type', ['ip', 'hostname', 'unknown-endpoint'], 'ip'),
  enm('propagation-error-behavior', ['ignore', 'panic', 'panic-on-replicas'], 'ignore'),
  enm('shutdown-on-sigint', [], 'default', SHUTDOWN_FLAGS),
  enm('shutdown-on-sigterm', [], 'default', SHUTDOWN_FLAGS),

  // int
  int('databases', 1, INT_MAX, 16, IMMUTABLE),
  int('port', 0, 65535, 6379),
  int('io-threads', 1, 128, 1, IMMUTABLE),
  int('auto-aof-rewrite-percentage', 0, INT_MAX, 100),
  int('cluster-replica-validity-factor', 0, INT_MAX, 10, { alias: 'cluster-slave-validity-factor' }),
  int('list-max-listpack-size', INT_MIN, INT_MAX, -2, { alias: 'list-max-ziplist-size' }),
  int('tcp-keepalive', 0, INT_MAX, 300),
  int('cluster-migration-barrier', 0, INT_MAX, 1),
  int('active-defrag-cycle-min', 1, 99, 1),
  int('active-defrag-cycle-max', 1, 99, 25),
  int('active-defrag-threshold-lower', 0, 1000, 10),
  int('active-defrag-threshold-upper', 0, 1000, 100),
  int('lfu-log-factor', 0, INT_MAX, 10),
  int('lfu-decay-time', 0, INT_MAX, 1),
  int('replica-priority', 0, INT_MAX, 100, { alias: 'slave-priority' }),
  int('repl-diskless-sync-delay', 0, INT_MAX, 5),
  int('maxmemory-samples', 1, INT_MAX, 5),
  int('maxmemory-eviction-tenacity', 0, 100, 10),
  int('timeout', 0, INT_MAX, 0),
  int('replica-announce-port', 0, 65535, 0, { alias: 'slave-announce-port' }),
  int('tcp-backlog', 0, INT_MAX, 511, IMMUTABLE),
  int('cluster-port', 0, 65535, 0, IMMUTABLE),
  int('cluster-announce-bus-port', 0, 65535, 0),
  int('cluster-announce-port', 0, 65535, 0),
  int('cluster-announce-tls-port', 0, 65535, 0),
  int('repl-timeout', 1, INT_MAX, 60),
  int('repl-ping-replica-period', 1, INT_MAX, 10, { alias: 'repl-ping-slave-period' }),
  int('list-compress-depth', 0, INT_MAX, 0),
  int('rdb-key-save-delay', INT_MIN, INT_MAX, 0, { hidden: true }),
  int('key-load-delay', INT_MIN, INT_MAX, 0, { hidden: true }),
  int('active-expire-effort', 1, 10, 1),
  int('hz', 0, INT_MAX, 10, { apply: (v) => Math.min(MAX_HZ, Math.max(MIN_HZ, v as number)) }),
  int('min-replicas-to-write', 0, INT_MAX, 0, { alias: 'min-slaves-to-write' }),
  int('min-replicas-max-lag', 0, INT_MAX, 10, { alias: 'min-slaves-max-lag' }),
  int('watchdog-period', 0, INT_MAX, 0, { hidden: true }),
  int('shutdown-timeout', 0, INT_MAX, 10),
  int('repl-diskless-sync-max-replicas', 0, INT_MAX, 0),
  uint('maxclients', 1, UINT_MAX, 10000),
  uint('unixsocketperm', 0, 0o777, 0, { immutable: true, octal: true }),
  uint('socket-mark-id', 0, UINT_MAX, 0, IMMUTABLE),
  uint('active-defrag-max-scan-fields', 1, LONG_MAX, 1000),
  uint('slowlog-max-len', 0, LONG_MAX, 128),
  uint('acllog-max-len', 0, LONG_MAX, 128),
  int('busy-reply-threshold', 0, LONG_MAX, 5000, { alias: 'lua-time-limit' }),
  int('cluster-node-timeout', 0, LLONG_MAX, 15000),
  int('slowlog-log-slower-than', -1, LLONG_MAX, 10000),
  int('latency-monitor-threshold', 0, LLONG_MAX, 0),
  int('proto-max-bulk-len', 1024 * 1024, LONG_MAX, 512 * MB, { memory: true }),
  int('stream-node-max-entries', 0, LLONG_MAX, 100),
  int('repl-backlog-size', 1, LLONG_MAX, MB, { memory: true }),
  uint('maxmemory', 0, ULLONG_MAX, 0, { memory: true }),
  uint('cluster-link-sendbuf-limit', 0, ULLONG_MAX, 0, { memory: true }),
  uint('hash-max-listpack-entries', 0, LONG_MAX, 512, { alias: 'hash-max-ziplist-entries' }),
  uint('set-max-intset-entries', 0, LONG_MAX, 512),
  uint('zset-max-listpack-entries', 0, LONG_MAX, 128, { alias: 'zset-max-ziplist-entries' }),
  uint('active-defrag-ignore-bytes', 1, LLONG_MAX, 100 * MB, { memory: true }),
  uint('hash-max-listpack-value', 0, LONG_MAX, 64, { alias: 'hash-max-ziplist-value', memory: true }),
  uint('stream-node-max-bytes', 0, LONG_MAX, 4096, { memory: true }),
  uint('zset-max-listpack-value', 0, LONG_MAX, 64, { alias: 'zset-max-ziplist-value', memory: true }),
  uint('hll-sparse-max-bytes', 0, LONG_MAX, 3000, { memory: true }),
  uint('tracking-table-max-keys', 0, LONG_MAX, 1000000),
  uint('client-query-buffer-limit', 1024 * 1024, LONG_MAX, 1024 * MB, { memory: true }),
  int('maxmemory-clients', -100, SSIZE_MAX, 0, { memory: true, percent: true }),
  int('repl-backlog-ttl', 0, LONG_MAX, 3600),
  int('auto-aof-rewrite-min-size', 0, LLONG_MAX, 64 * MB, { memory: true }),
  int('loading-process-events-interval-bytes', 1024, INT_MAX, 2 * MB, { hidden: true }),

  // TLS (the reference server is built with it)
  int('tls-port', 0, 65535, 0),
  int('tls-session-cache-size', 0, INT_MAX, 20 * 1024),
  int('tls-session-cache-timeout', 0, INT_MAX, 300),
  bool('tls-cluster', false),
  bool('tls-replication', false),
  enm('tls-auth-clients', ['no', 'yes', 'optional'], 'yes'),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  str('tls-cert-file', ''),
  str('tls-key-file', ''),
  str('tls-key-file-pass', ''),
  str('tls-client-cert-file', ''),
  str('tls-client-key-file', ''),
  str('tls-client-key-file-pass', ''),
  str('tls-dh-params-file', ''),
  str('tls-ca-cert-file', ''),
  str('tls-ca-cert-dir', ''),
  str('tls-protocols', ''),
  str('tls-ciphers', ''),
  str('tls-ciphersuites', ''),

  // special
  special('dir', '/', parseDir, (v) => v as string, { protected: true }),
  special('save', '3600 1 300 100 60 10000', parseSave,
    (v) => (v as [number, number][]).map(([s, c]) => `${s} ${c}`).join(' '), { multiArg: true }),
  special('client-output-buffer-limit', formatObufLimits(defaultObufLimits),
    parseObufLimits, formatObufLimits, { multiArg: true }),
  special('oom-score-adj-values', '0 200 800', parseOomValues, (v) => (v as number[]).join(' '), { multiArg: true }),
  special('notify-keyspace-events', '', parseNotify, (v) => notifyFlagsToString(v as number)),
  special('bind', '127.0.0.1', parseBind, (v) => (v as string[]).join(' '), { multiArg: true }),
  special('replicaof', '', parseReplicaOf, (v) => v as string, { alias: 'slaveof', immutable: true, multiArg: true, init: '' }),
  special('latency-tracking-info-percentiles', '50 99 99.9', parsePercentiles,
    (v) => (v as number[]).map(formatPercentile).join(' '), { multiArg: true }),
];

const ENTRIES: ConfigEntry[] = [];
const BY_NAME = new Map<string, ConfigEntry>();
for (const p of CONFIG_PARAMS) {
  const main: ConfigEntry = { key: p.name, param: p, alias: false };
  ENTRIES.push(main);
  BY_NAME.set(p.name, main);
  if (p.alias) {
    const a: ConfigEntry = { key: p.alias, param: p, alias: true };
    ENTRIES.push(a);
    BY_NAME.set(p.alias, a);
  }
}

/** C's strcasecmp-style lower-casing of a parameter name (ASCII only). */
function lowerName(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The enum's numeric code for a name, or null. */
function enumCode(p: ConfigParam, name: string): number | null {
  const i = p.values!.indexOf(lowerName(name));
  if (i < 0) return null;
  return p.codes ? p.codes[i] : i;
}

/** configEnumGetName: the first name with this exact code; for flag sets, the names of its bits. */
function enumName(p: ConfigParam, code: number): string {
  const codes = p.codes ?? p.values!.map((_, i) => i);
  const exact = codes.indexOf(code);
  if (exact >= 0) return p.values![exact];
  if (!p.multiArg) return 'unknown';
  const names: string[] = [];
  let rest = code;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] !== 0 && (rest & codes[i]) === codes[i]) {
      names.push(p.values![i]);
      rest &= ~codes[i];
    }
  }
  return names.length === 0 || rest !== 0 ? 'unknown' : names.join(' ');
}

/** sdssplitlen(value, " "): CONFIG SET's split of multi-word values (empty string → no words). */
function splitSpaces(s: string): string[] {
  return s === '' ? [] : s.split(' ');
}

type ParseResult = { value: unknown } | { error: string };

export class Config {
  private readonly values = new Map<string, unknown>();
  /** Called after a parameter changes, with its canonical name (the engine reacts to hz, requirepass, ...). */
  onChange: ((name: string) => void) | null = null;

  constructor(initial: Record<string, string> = {}) {
    for (const p of CONFIG_PARAMS) {
      if (p.init !== undefined) {
        this.values.set(p.name, p.init);
        continue;
      }
      const r = this.parse(p, p.default, true);
      if ('error' in r) throw new Error(`bad default for ${p.name}: ${r.error}`);
      this.values.set(p.name, p.apply ? p.apply(r.value) : r.value);
    }
    for (const [k, v] of Object.entries(initial)) {
      const err = this.set(k, v, true);
      if (err) throw new Error(`config '${k}': ${err}`);
    }
  }

  /** A parameter by name or alias (case-insensitive). */
  static param(name: string): ConfigParam | undefined {
    return BY_NAME.get(lowerName(name))?.param;
  }

  /** The entry (name or alias) for a name, case-insensitive. */
  static entry(name: string): ConfigEntry | undefined {
    return BY_NAME.get(lowerName(name));
  }

  /** Every name CONFIG GET can match: parameters and their aliases (hidden ones included). */
  static entries(): readonly ConfigEntry[] {
    return ENTRIES;
  }

  /** A numeric parameter's value as a JS number (64-bit values beyond 2^53 lose precision). */
  num(name: string): number {
    const v = this.values.get(name);
    return typeof v === 'bigint' ? Number(v) : (v as number);
  }
  /** A numeric parameter's exact value. */
  int64(name: string): Int64 {
    return this.values.get(name) as Int64;
  }
  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }
  /** A string or enum parameter (other types: their CONFIG GET text). */
  str(name: string): string {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : this.get(name);
  }
  raw(name: string): unknown {
    return this.values.get(name);
  }

  /** The value as CONFIG GET prints it (name or alias). */
  get(name: string): string {
    const p = Config.param(name)!;
    const v = this.values.get(p.name);
    switch (p.type) {
      case 'bool': return v ? 'yes' : 'no';
      case 'int': {
        const n = v as Int64;
        if (p.percent && n < 0) return String(-BigInt(n)) + '%';
        if (p.octal) return BigInt(n).toString(8);
        return String(n);
      }
      case 'enum': return typeof v === 'number' ? enumName(p, v) : (v as string);
      case 'special': return p.format!(v);
      default: return v as string;
    }
  }

  /**
   * Parse text for p, with its limits and validation: the value to store, or Redis's error text.
   * `startup` splits multi-word values the way the config file does (quotes allowed); at runtime
   * CONFIG SET splits on single spaces.
   */
  parse(p: ConfigParam, text: string, startup = false): ParseResult {
    let args: string[];
    if (p.multiArg) {
      if (startup) {
        const a = splitArgs(text);
        if (a === null) return { error: 'Unbalanced quotes in configuration line' };
        args = a;
      } else {
        args = splitSpaces(text);
      }
    } else {
      args = [text];
    }
    const r = this.parseArgs(p, args);
    if ('error' in r || !p.validate) return r;
    const err = p.validate(r.value);
    return err === null ? r : { error: err };
  }

  private parseArgs(p: ConfigParam, args: string[]): ParseResult {
    switch (p.type) {
      case 'bool': {
        const t = lowerName(args[0]);
        if (t === 'yes') return { value: true };
        if (t === 'no') return { value: false };
        return { error: "argument must be 'yes' or 'no'" };
      }
      case 'int':
        return parseNumeric(p, args[0]);
      case 'enum': {
        const bad = { error: `argument(s) must be one of the following: ${p.values!.join(', ')}` };
        if (args.length === 0 || (args.length > 1 && !p.multiArg)) return bad;
        let code = 0;
        for (const a of args) {
          const c = enumCode(p, a);
          if (c === null) return bad;
          code |= c;
        }
        // Plain enums are stored by name (their first name with that code), flag sets as numbers.
        return { value: p.multiArg ? code : enumName(p, code) };
      }
      case 'string':
        return { value: args[0] };
      case 'special':
        return p.parse!(args, this.values.get(p.name));
    }
  }

  /**
   * Set one parameter (name or alias); returns Redis's error text or null. `startup` is the command
   * line / config file: immutable and protected parameters are allowed there.
   */
  set(name: string, text: string, startup = false): string | null {
    const p = Config.param(name);
    if (!p) return 'unknown parameter';
    if (p.immutable && !startup) return "can't set immutable config";
    const r = this.parse(p, text, startup);
    if ('error' in r) return r.error;
    this.store(p, r.value);
    return null;
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing, with Redis 7.0's checks in its order.
   * Returns null on success, or the error text after "ERR ".
   */
  setMany(pairs: readonly (readonly [string, string])[], opts: { allowProtected?: boolean } = {}): string | null {
    let unknown: string | null = null;
    let errstr: string | null = null;
    let errName = '';
    let invalid = false;
    const seen: ConfigEntry[] = [];
    for (const [name] of pairs) {
      const e = Config.entry(name);
      if (!e) {
        if (!invalid) { unknown = name; invalid = true; }
        continue;
      }
      if (invalid) continue;
      if (e.param.immutable || (e.param.protected && !opts.allowProtected)) {
        errstr = e.param.immutable ? "can't set immutable config" : "can't set protected config";
        errName = name;
        invalid = true;
        continue;
      }
      if (seen.includes(e)) {
        errstr = 'duplicate parameter';
        errName = name;
        invalid = true;
      }
      seen.push(e);
    }
    if (unknown !== null) return `Unknown option or number of arguments for CONFIG SET - '${unknown}'`;
    if (invalid) return `CONFIG SET failed (possibly related to argument '${errName}') - ${errstr}`;

    // Parse everything before changing anything, so a bad value leaves the old ones in place.
    const parsed: [ConfigParam, unknown][] = [];
    for (let i = 0; i < pairs.length; i++) {
      const e = seen[i];
      const r = this.parse(e.param, pairs[i][1]);
      if ('error' in r) return `CONFIG SET failed (possibly related to argument '${e.key}') - ${r.error}`;
      parsed.push([e.param, r.value]);
    }
    for (const [p, v] of parsed) this.store(p, v);
    return null;
  }

  private store(p: ConfigParam, value: unknown): void {
    this.values.set(p.name, p.apply ? p.apply(value) : value);
    if (this.onChange) this.onChange(p.name);
  }
}

/** numericParseString + numericBoundaryCheck: memory units, percentages, octal, or a plain integer. */
function parseNumeric(p: ConfigParam, text: string): ParseResult {
  let res: bigint | null = null;
  if (p.memory) {
    const m = memtoull(text);
    if (m !== null) res = BigInt.asIntN(64, m);
  }
  if (res === null && p.percent && text.length > 1 && text.endsWith('%')) {
    const v = string2ll(text.slice(0, -1));
    if (v !== null && v >= 0) res = -BigInt(v);
  }
  if (res === null && p.octal) {
    const v = strtollFull(text, 8);
    if (v !== null && v < LLONG_MAX && v > -LLONG_MAX - 1n) res = v;
  }
  if (res === null && !p.memory && !p.percent && !p.octal) {
    const v = string2ll(text);
    if (v !== null) res = BigInt(v);
  }
  if (res === null) {
    if (p.memory && p.percent) return { error: 'argument must be a memory or percent value' };
    if (p.memory) return { error: 'argument must be a memory value' };
    if (p.octal) return { error: "argument couldn't be parsed as an octal number" };
    return { error: "argument couldn't be parsed into an integer" };
  }
  const min = BigInt(p.min!);
  const max = BigInt(p.max!);
  if (p.unsigned) {
    const u = BigInt.asUintN(64, res);
    const lo = BigInt.asUintN(64, min);
    const hi = BigInt.asUintN(64, max);
    if (u > hi || u < lo) {
      const f = (x: bigint): string => (p.octal ? x.toString(8) : String(x));
      return { error: `argument must be between ${f(lo)} and ${f(hi)} inclusive` };
    }
    return { value: norm(u) };
  }
  if (p.percent && res < 0n) {
    if (res < min) return { error: `percentage argument must be less or equal to ${-min}` };
  } else if (res > max || res < min) {
    return { error: `argument must be between ${min} and ${max} inclusive` };
  }
  return { value: norm(res) };
}

function norm(v: bigint): Int64 {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}
