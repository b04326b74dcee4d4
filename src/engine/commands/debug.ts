import type { CommandSpec } from './table';
import type { Client } from '../client';
import { datasetDigest, objectDigest } from '../digest';
import { toHex } from '../util/sha1';
import { OBJ_STRING, RObj } from '../object';
import { objectRefcount } from '../types/string';
import { DATA_TYPES } from '../types';
import { replyHelp } from './server';
import { asciiLower, asciiUpper } from '../util/bytes';
import { string2ll, atoi } from '../util/numbers';
import { decodeRdb, loadLimits, loadRdb, setLruOrLfu, type RdbEntry } from '../persistence/rdb';

/**
 * DEBUG (debug.c): introspection and test helpers, protected by enable-debug-command. Like Redis,
 * one command whose subcommands are parsed here: HELP, DIGEST, DIGEST-VALUE, OBJECT, POPULATE,
 * SLEEP, SET-ACTIVE-EXPIRE, PROTOCOL, ERROR.
 */

// ---- helpers ----

/** A stable made-up address per object, for "Value at:%p". */
const addresses = new WeakMap<RObj, number>();
let nextAddress = 0x7f3a00000000;
function addressOf(o: RObj): string {
  let a = addresses.get(o);
  if (a === undefined) {
    a = nextAddress;
    nextAddress += 16 + 16 * Math.floor(Math.random() * 4);
    addresses.set(o, a);
  }
  return '0x' + a.toString(16);
}

/** A C string: the bytes up to the first NUL. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** C's strtod on a prefix ("1.5abc" → 1.5, "abc" → 0). */
function strtodPrefix(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan))/i.exec(s);
  if (!m) return 0;
  const t = m[1].toLowerCase().replace(/^([+-]?)inf(inity)?$/, '$1Infinity');
  return Number(t);
}

const HELP = [
  'DIGEST',
  '    Print a hash of the whole dataset (all databases), in hex.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Print a hash of the value of each key, in hex (zeros for missing keys).',
  'ERROR <string>',
  '    Reply with <string> as an error, for testing clients.',
  'OBJECT <key>',
  '    Show internal details of the value at <key>: encoding, serialized size, LRU clock.',
  'RELOAD [MERGE] [NOFLUSH] [NOSAVE]',
  '    Save the dataset to the RDB file and load it back. MERGE: keys from the file replace',
  '    existing ones; NOFLUSH: keep the dataset and add the file to it (a key in both is an error',
  '    without MERGE); NOSAVE: load the file as it is, without saving first.',
  'POPULATE <count> [<prefix>] [<size>]',
  "    Create <count> string keys <prefix>:0, <prefix>:1, ... ('key' by default) holding",
  '    value:0, value:1, ...; existing keys are left alone. With <size>, values are cut or',
  '    padded with zero bytes to <size> bytes.',
  'PROTOCOL <type>',
  '    Reply with a sample of one reply type: string, integer, double, bignum, null, array,',
  '    set, map, attrib, push, verbatim, true, false.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Turn the background expiry of keys off (0) or back on (1).',
  'SLEEP <seconds>',
  '    Block the server for <seconds> (decimals allowed).',
];

function protocol(c: Client, name: string): void {
  const r = c.reply;
  switch (asciiLower(cstr(name))) {
    case 'string': return r.bulk('Hello World');
    case 'integer': return r.int(12345);
    case 'double': return r.double(3.141);
    case 'bignum': return r.bigNumber('1234567999999999999999999999999999999');
    case 'null': return r.resp === 2 ? r.nil() : r.raw('_\r\n');
    case 'array':
      r.arrayLen(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'set':
      r.setLen(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'map':
      r.mapLen(3);
      for (let j = 0; j < 3; j++) {
        r.int(j);
        r.bool(j === 1);
      }
      return;
    case 'attrib':
      if (r.resp === 3) {
        r.raw('|1\r\n');
        r.bulk('key-popularity');
        r.arrayLen(2);
        r.bulk('key:123');
        r.int(90);
      }
      return r.bulk('Some real reply following the attribute');
    case 'push':
      if (r.resp === 2) return r.err('RESP2 is not supported by this command');
      r.pushLen(2);
      r.bulk('server-cpu-usage');
      r.int(42);
      return r.bulk('Some real reply following the push reply');
    case 'true': return r.bool(true);
    case 'false': return r.bool(false);
    case 'verbatim': return r.verbatim('This is a verbatim\nstring', 'txt');
    default:
      return r.err('Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
  }
}

/** getPositiveLongFromObjectOrReply: one error for everything that is not an integer >= 0. */
function positiveLong(c: Client, s: string): number | null {
  const v = string2ll(s);
  if (v === null || v < 0) {
    c.reply.err('value is out of range, must be positive');
    return null;
  }
  return Number(v);
}

function populate(c: Client, argv: string[]): void {
  const count = positiveLong(c, argv[2]);
  if (count === null) return;
  let size = 0;
  if (argv.length === 5) {
    const s = positiveLong(c, argv[4]);
    if (s === null) return;
    size = s;
  }
  if (size > c.server.config.num('proto-max-bulk-len')) {
    // Redis would try to allocate it; refuse instead of exhausting the host's memory.
    return c.reply.err('value size exceeds proto-max-bulk-len');
  }
  const prefix = argv.length === 3 ? 'key' : cstr(argv[3]);
  const db = c.db;
  for (let j = 0; j < count; j++) {
    // The host's memory ceiling (memory.ts) stops a huge populate part way, with what it added kept.
    if ((j & 1023) === 1023 && c.server.memoryCeilingReached()) return c.reply.error(c.server.ceilingError());
    const key = `${prefix}:${j}`.slice(0, 127); // snprintf into a 128-byte buffer
    if (db.lookupWrite(key) !== undefined) continue;
    let value = `value:${j}`;
    if (size > 0) value = size <= value.length ? value.slice(0, size) : value + '\0'.repeat(size - value.length);
    db.add(key, new RObj(OBJ_STRING, value, c.server.newObjectLru()));
    c.server.signalModifiedKey(db, key);
  }
  c.reply.ok();
}

function debugObject(c: Client, key: string): void {
  const o = c.db.peek(key);
  if (o === undefined) return c.reply.err('no such key');
  const type = DATA_TYPES[o.type];
  const compression = c.server.config.bool('rdbcompression');
  const idle = Math.floor(c.server.objectIdleMs(o) / 1000);
  c.reply.status(
    `Value at:${addressOf(o)} refcount:${objectRefcount(c.server, o)} encoding:${type ? type.encoding(o) : 'unknown'} ` +
    `serializedlength:${type ? type.serializedLength(o, compression) : 0} lru:${o.lru} lru_seconds_idle:${idle}`,
  );
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB (unless NOSAVE), empty the dataset (unless
 * NOFLUSH) and load the file back. A key already there is an error unless MERGE (Redis stops the
 * server in that case; we refuse and keep the data).
 */
function reload(c: Client, argv: string[]): void {
  let merge = false;
  let flush = true;
  let save = true;
  for (let i = 2; i < argv.length; i++) {
    const opt = asciiLower(argv[i]);
    if (opt === 'merge') merge = true;
    else if (opt === 'noflush') flush = false;
    else if (opt === 'nosave') save = false;
    else return c.reply.err('DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  }
  const server = c.server;
  const load = (bytes: Uint8Array | null): void => {
    if (bytes === null) return c.reply.err('Error trying to load the RDB dump, check server logs.');
    try {
      if (flush) loadRdb(server, bytes);
      else addRdb(c, bytes, merge);
    } catch (e) {
      return c.reply.err(`Error trying to load the RDB dump, check server logs. (${(e as Error).message})`);
    }
    server.dirty = 0;
    c.reply.ok();
  };
  if (save) {
    const bytes = server.rdb.encodeNow();
    server.rdb.lastSave = Math.floor(server.clock() / 1000);
    void server.rdb.storage.replace(server.config.str('dbfilename'), bytes).catch(() => {});
    return load(bytes);
  }
  let bytes: Uint8Array | null = null;
  server.waitForIo(c, server.rdb.storage.read(server.config.str('dbfilename')).then((b) => (bytes = b)), (ok) =>
    ok ? load(bytes) : c.reply.err('Error trying to load the RDB dump, check server logs.'),
  );
}

/** Load an RDB file's keys on top of the dataset (NOFLUSH): all or nothing. */
function addRdb(c: Client, bytes: Uint8Array, merge: boolean): void {
  const server = c.server;
  const entries: RdbEntry[] = [];
  decodeRdb(bytes, loadLimits(server.config), (e) => entries.push(e), { databases: server.dbs.length });
  if (!merge) {
    for (const e of entries) {
      if (server.dbs[e.db].peek(e.key) !== undefined) throw new Error(`duplicated key '${e.key}' in DB ${e.db}`);
    }
  }
  const now = server.clock();
  for (const e of entries) {
    if (e.expireAt !== -1 && e.expireAt < now) continue;
    const db = server.dbs[e.db];
    db.delete(e.key);
    const o = new RObj(e.type, e.value, server.newObjectLru());
    if (e.expireAt !== -1) o.expireAt = Number(e.expireAt);
    setLruOrLfu(server, o, e.freq, e.idle);
    db.addLoaded(e.key, o);
  }
}

function debugCommand(c: Client, argv: string[]): void {
  const sub = asciiLower(cstr(argv[1]));
  const n = argv.length;
  if (sub === 'help' && n === 2) return replyHelp(c, HELP);
  if (sub === 'digest' && n === 2) return c.reply.status(toHex(datasetDigest(c.server.dbs)));
  if (sub === 'digest-value' && n >= 2) {
    c.reply.arrayLen(n - 2);
    for (let i = 2; i < n; i++) {
      const digest = new Uint8Array(20);
      const o = c.db.peek(argv[i]); // no lookup: logically expired keys still count
      if (o) objectDigest(digest, o);
      c.reply.status(toHex(digest));
    }
    return;
  }
  if (sub === 'object' && n === 3) return debugObject(c, argv[2]);
  if (sub === 'reload') return reload(c, argv);
  if (sub === 'populate' && n >= 3 && n <= 5) return populate(c, argv);
  if (sub === 'protocol' && n === 3) return protocol(c, argv[2]);
  if (sub === 'sleep' && n === 3) {
    const usec = Math.trunc(strtodPrefix(cstr(argv[2])) * 1000000);
    if (Number.isFinite(usec) && usec > 0) c.server.sleep(usec / 1000);
    return c.reply.ok();
  }
  if (sub === 'set-active-expire' && n === 3) {
    c.server.setActiveExpire(atoi(cstr(argv[2])) !== 0);
    return c.reply.ok();
  }
  if (sub === 'error' && n === 3) {
    // Written as is (addReplySds): not counted in the error stats, like Redis.
    return c.reply.raw('-' + argv[2].replace(/[\r\n]/g, ' ') + '\r\n');
  }
  c.reply.err(
    `unknown subcommand or wrong number of arguments for '${cstr(argv[1]).slice(0, 128)}'. Try ${asciiUpper(cstr(argv[0]))} HELP.`
      .replace(/[\r\n]/g, ' '),
  );
}

export const debugCommands: CommandSpec[] = [
  {
    name: 'debug', arity: -2, flags: 'admin noscript loading stale protected', group: 'server', since: '1.0.0',
    summary: 'Tools for testing and inspecting the server: digests, sleeps, populating keys and more.',
    complexity: 'Depends on the subcommand.',
    syntax: 'subcommand [argument ...]',
    handler: debugCommand,
  },
];
