import type { CommandSpec } from './table';
import type { Client } from '../client';
import type { Db } from '../keyspace';
import { OBJ_STRING, RObj, TYPE_NAMES } from '../object';
import { NOTIFY_GENERIC, NOTIFY_KEY_MISS } from '../notify';
import { DATA_TYPES } from '../types';
import { objectRefcount } from '../types/string';
import { eqi, argIs } from '../util/bytes';
import { LLONG_MAX, LLONG_MIN, normInt, string2ll, type Int64 } from '../util/numbers';
import { compileGlob, isMatchAll } from '../util/glob';
import { replyHelp } from './server';
import { decodeDumpPayload, dumpPayload, loadLimits, setLruOrLfu, verifyDumpPayload } from '../persistence/rdb';

/**
 * The generic keyspace commands (Redis's db.c, expire.c and OBJECT from object.c): DEL, EXISTS,
 * TYPE, the EXPIRE/TTL family, RENAME, COPY, MOVE, DUMP, RESTORE (cluster.c), KEYS, SCAN, RANDOMKEY,
 * TOUCH, OBJECT, and the database-wide SELECT, DBSIZE, SWAPDB, FLUSHDB, FLUSHALL.
 */

// ---- shared helpers ----

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const ERR_SAME_OBJECT = 'source and destination objects are the same';
const ERR_DB_RANGE = 'DB index is out of range';

/**
 * lookupKeyReadWithFlags(LOOKUP_NOTOUCH): lazy expiry and hit/miss stats, but the key's
 * LRU/LFU is left alone (EXISTS, TYPE, TTL, OBJECT).
 */
function lookupNoTouch(db: Db, key: string, notifyMiss = true): RObj | undefined {
  const o = db.has(key) ? db.peek(key) : undefined;
  if (o === undefined) {
    // OBJECT looks up with LOOKUP_NONOTIFY: a miss counts, but sends no keymiss event.
    if (notifyMiss) db.server.notifyKeyspaceEvent(NOTIFY_KEY_MISS, 'keymiss', key, db.id);
    db.server.stats.keyspaceMisses++;
  } else {
    db.server.stats.keyspaceHits++;
  }
  return o;
}

/** getIntFromObjectOrReply: a C int, with Redis's two errors (or msg for both). */
function argCInt(c: Client, s: string, msg?: string): number | null {
  const v = string2ll(s);
  if (v === null) {
    c.reply.err(msg ?? 'value is not an integer or out of range');
    return null;
  }
  if (v < INT_MIN || v > INT_MAX) {
    c.reply.err(msg ?? `value is out of range, value must between ${INT_MIN} and ${INT_MAX}`);
    return null;
  }
  return Number(v);
}

/** selectDb's check: the db with that index, or null. */
function dbAt(c: Client, id: number): Db | null {
  return id >= 0 && id < c.server.dbs.length ? c.server.dbs[id] : null;
}

/**
 * Expire times beyond 2^53 ms cannot be held exactly in RObj.expireAt (a double): the exact
 * value is kept here, valid while expireAt still equals its rounded form.
 */
const exactExpires = new WeakMap<RObj, bigint>();

/** The absolute expire time of o in ms, exactly, or -1. */
export function expireOf(o: RObj): Int64 {
  if (o.expireAt === -1) return -1;
  const exact = exactExpires.get(o);
  return exact !== undefined && Number(exact) === o.expireAt ? normInt(exact) : o.expireAt;
}

/** setExpire with a possibly huge (bigint) time. */
export function setExpireOf(db: Db, key: string, o: RObj, when: Int64): void {
  if (typeof when === 'bigint') {
    db.setExpire(key, Number(when));
    exactExpires.set(o, when);
  } else {
    db.setExpire(key, when);
    exactExpires.delete(o);
  }
}

/** Give a new object for key the TTL `when` (-1: none) before it is added to a db. */
function presetExpire(o: RObj, when: Int64): void {
  if (when === -1) return;
  o.expireAt = Number(when);
  if (typeof when === 'bigint') exactExpires.set(o, when);
}

function big(v: Int64): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/**
 * The start of HSCAN, SSCAN and ZSCAN (scanGenericCommand): the cursor, the key (a missing one
 * answers an empty scan, another type WRONGTYPE), then MATCH and COUNT (below 1 is a syntax
 * error; a match-all pattern is no pattern). Null after replying.
 */
export function collectionScanArgs(
  c: Client, argv: readonly string[], type: number,
): { cursor: number; o: RObj; count: number; pattern: string | null } | null {
  const cursor = parseScanCursor(c, argv[2]);
  if (cursor === null) return null;
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    c.reply.arrayLen(2);
    c.reply.bulk('0');
    c.reply.emptyArray();
    return null;
  }
  if (o.type !== type) {
    c.reply.wrongType();
    return null;
  }
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length; ) {
    const left = argv.length - i;
    if (argIs(argv[i], 'count') && left >= 2) {
      const v = string2ll(argv[i + 1]);
      if (v === null) {
        c.reply.err('value is not an integer or out of range');
        return null;
      }
      if (v < 1) {
        c.reply.syntaxErr();
        return null;
      }
      count = Number(v);
      i += 2;
    } else if (argIs(argv[i], 'match') && left >= 2) {
      pattern = isMatchAll(argv[i + 1]) ? null : argv[i + 1];
      i += 2;
    } else {
      c.reply.syntaxErr();
      return null;
    }
  }
  return { cursor, o, count, pattern };
}

/**
 * parseScanCursorOrReply: strtoul's rules. No leading space; an optional sign ("-1" wraps to
 * ULONG_MAX); digits up to the end or a NUL; the empty string is cursor 0. Null after replying.
 */
export function parseScanCursor(c: Client, s: string): number | null {
  const n = s.length;
  const first = n > 0 ? s.charCodeAt(0) : 0;
  const bad = (): null => {
    c.reply.err('invalid cursor');
    return null;
  };
  if (first === 32 || (first >= 9 && first <= 13)) return bad();
  let i = 0;
  let neg = false;
  if (first === 43 || first === 45) {
    neg = first === 45;
    i = 1;
  }
  const digitsStart = i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === digitsStart) {
    // No digits: strtoul leaves eptr at the start, valid only if the string is empty there.
    return first === 0 ? 0 : bad();
  }
  if (i < n && s.charCodeAt(i) !== 0) return bad();
  let v = BigInt(s.slice(digitsStart, i));
  if (v > 18446744073709551615n) return bad();
  if (neg && v !== 0n) v = 18446744073709551616n - v;
  return v > 4294967295n ? 4294967295 : Number(v);
}

// ---- DEL, UNLINK, EXISTS, TYPE, TOUCH ----

function delGeneric(c: Client, argv: string[]): void {
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j];
    c.db.has(key); // expireIfNeeded: an expired key goes as expired, not as deleted
    if (c.db.delete(key)) {
      c.server.signalModifiedKey(c.db, key);
      c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
      c.server.dirty++;
      deleted++;
    }
  }
  c.reply.int(deleted);
}

function existsCommand(c: Client, argv: string[]): void {
  let count = 0;
  for (let j = 1; j < argv.length; j++) if (lookupNoTouch(c.db, argv[j]) !== undefined) count++;
  c.reply.int(count);
}

function typeCommand(c: Client, argv: string[]): void {
  const o = lookupNoTouch(c.db, argv[1]);
  c.reply.status(o === undefined ? 'none' : TYPE_NAMES[o.type] ?? 'unknown');
}

function touchCommand(c: Client, argv: string[]): void {
  let touched = 0;
  for (let j = 1; j < argv.length; j++) if (c.db.lookupRead(argv[j]) !== undefined) touched++;
  c.reply.int(touched);
}

// ---- EXPIRE family ----

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** parseExtendedExpireArgumentsOrReply: the NX/XX/GT/LT flags after the time, or null. */
function parseExpireFlags(c: Client, argv: string[]): number | null {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    if (argIs(opt, 'nx')) flags |= EXPIRE_NX;
    else if (argIs(opt, 'xx')) flags |= EXPIRE_XX;
    else if (argIs(opt, 'gt')) flags |= EXPIRE_GT;
    else if (argIs(opt, 'lt')) flags |= EXPIRE_LT;
    else {
      const nul = opt.indexOf('\0');
      c.reply.err(`Unsupported option ${nul < 0 ? opt : opt.slice(0, nul)}`.replace(/[\r\n]/g, ' '));
      return null;
    }
  }
  if ((flags & EXPIRE_NX) && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
    c.reply.err('NX and XX, GT or LT options at the same time are not compatible');
    return null;
  }
  if ((flags & EXPIRE_GT) && (flags & EXPIRE_LT)) {
    c.reply.err('GT and LT options at the same time are not compatible');
    return null;
  }
  return flags;
}

/**
 * expireGenericCommand: `relative` adds the command time, `seconds` scales by 1000.
 * A time already past deletes the key. c.argv is rewritten to PEXPIREAT (or DEL), what Redis
 * replicates.
 */
function expireGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean): void {
  const name = argv[0];
  const key = argv[1];
  const flags = parseExpireFlags(c, argv);
  if (flags === null) return;
  const arg = string2ll(argv[2]);
  if (arg === null) return c.reply.err('value is not an integer or out of range');
  const basetime = relative ? c.server.commandTime() : 0;
  const badTime = (): void => c.reply.err(`invalid expire time in '${c.cmd?.fullname ?? name.toLowerCase()}' command`);
  let when: Int64;
  if (typeof arg === 'number' && Math.abs(arg) < 1e12) {
    when = (seconds ? arg * 1000 : arg) + basetime; // well inside the safe range
  } else {
    let w = big(arg);
    if (seconds) {
      if (w > LLONG_MAX / 1000n || w < LLONG_MIN / 1000n) return badTime();
      w *= 1000n;
    }
    if (w > LLONG_MAX - BigInt(basetime)) return badTime();
    when = normInt(w + BigInt(basetime));
  }

  const o = c.db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);

  if (flags) {
    const current = expireOf(o);
    if ((flags & EXPIRE_NX) && current !== -1) return c.reply.int(0);
    if ((flags & EXPIRE_XX) && current === -1) return c.reply.int(0);
    if ((flags & EXPIRE_GT) && (current === -1 || when <= current)) return c.reply.int(0);
    if ((flags & EXPIRE_LT) && current !== -1 && when >= current) return c.reply.int(0);
  }

  if (c.server.alreadyExpired(when)) {
    // checkAlreadyExpired: delete now, replicated as a DEL.
    c.db.delete(key);
    c.server.dirty++;
    // rewriteClientCommandVector: replicated as a DEL, or UNLINK under lazyfree-lazy-expire.
    c.argv = [c.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key];
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    return c.reply.int(1);
  }
  setExpireOf(c.db, key, o, when);
  c.reply.int(1);
  // Replicated as PEXPIREAT with the absolute time (rewriteClientCommandArgument on c.argv; the
  // caller's argv, which observers see, stays as typed).
  if (!eqi(name, 'pexpireat') || relative || seconds) {
    c.argv = argv.slice();
    if (!eqi(name, 'pexpireat')) c.argv[0] = 'PEXPIREAT';
    if (relative || seconds) c.argv[2] = String(when);
  }
  c.server.signalModifiedKey(c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'expire', key, c.db.id);
  c.server.dirty++;
}

/** ttlGenericCommand: TTL, PTTL, EXPIRETIME, PEXPIRETIME. */
function ttlGeneric(c: Client, argv: string[], ms: boolean, absolute: boolean): void {
  const o = lookupNoTouch(c.db, argv[1]);
  if (o === undefined) return c.reply.int(-2);
  const expire = expireOf(o);
  if (expire === -1) return c.reply.int(-1);
  if (typeof expire === 'number') {
    let ttl = absolute ? expire : expire - c.server.commandTime();
    if (ttl < 0) ttl = 0;
    return c.reply.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
  }
  let ttl = absolute ? expire : expire - BigInt(c.server.commandTime());
  if (ttl < 0n) ttl = 0n;
  c.reply.int(normInt(ms ? ttl : (ttl + 500n) / 1000n));
}

function persistCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  if (c.db.lookupWrite(key) !== undefined && c.db.removeExpire(key)) {
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'persist', key, c.db.id);
    c.reply.int(1);
    c.server.dirty++;
    return;
  }
  c.reply.int(0);
}

// ---- RENAME, MOVE, COPY ----

function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const src = argv[1];
  const dst = argv[2];
  const o = c.db.lookupWrite(src);
  if (o === undefined) return c.reply.err('no such key');
  if (src === dst) return nx ? c.reply.int(0) : c.reply.ok();
  if (c.db.lookupWrite(dst) !== undefined) {
    if (nx) return c.reply.int(0);
    c.db.delete(dst);
  }
  // The same object moves to the new name, keeping its TTL (dbAdd + setExpire + dbDelete).
  c.db.delete(src);
  c.db.add(dst, o);
  c.server.signalModifiedKey(c.db, src);
  c.server.signalModifiedKey(c.db, dst);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'rename_from', src, c.db.id);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'rename_to', dst, c.db.id);
  c.server.dirty++;
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

function moveCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const src = c.db;
  const id = argCInt(c, argv[2]);
  if (id === null) return;
  const dst = dbAt(c, id);
  if (dst === null) return c.reply.err(ERR_DB_RANGE);
  if (dst === src) return c.reply.err(ERR_SAME_OBJECT);
  const o = src.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (dst.lookupWrite(key) !== undefined) return c.reply.int(0);
  src.delete(key);
  dst.add(key, o); // the object keeps its expireAt: add() registers it as volatile there
  c.server.signalModifiedKey(src, key);
  c.server.signalModifiedKey(dst, key);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'move_from', key, src.id);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'move_to', key, dst.id);
  c.server.dirty++;
  c.reply.int(1);
}

function copyCommand(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    if (argIs(argv[j], 'replace')) {
      replace = true;
    } else if (argIs(argv[j], 'db') && j + 1 < argv.length) {
      const id = argCInt(c, argv[j + 1]);
      if (id === null) return;
      const d = dbAt(c, id);
      if (d === null) return c.reply.err(ERR_DB_RANGE);
      dst = d;
      j++;
    } else {
      return c.reply.syntaxErr();
    }
  }
  const key = argv[1];
  const newkey = argv[2];
  if (src === dst && key === newkey) return c.reply.err(ERR_SAME_OBJECT);
  const o = src.lookupRead(key);
  if (o === undefined) return c.reply.int(0);
  const expire = expireOf(o);
  let remove = false;
  if (dst.lookupWrite(newkey) !== undefined) {
    if (!replace) return c.reply.int(0);
    remove = true;
  }
  const type = DATA_TYPES[o.type];
  if (type === undefined) return c.reply.err('unknown type object');
  const copy = new RObj(o.type, type.copy(o), c.server.newObjectLru());
  // A duplicated small integer gets an object of its own (not Redis's shared one).
  if (o.type === OBJ_STRING && typeof copy.value === 'string') copy.unshared = true;
  if (remove) dst.delete(newkey);
  presetExpire(copy, expire);
  dst.add(newkey, copy);
  c.server.signalModifiedKey(dst, newkey);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'copy_to', newkey, dst.id);
  c.server.dirty++;
  c.reply.int(1);
}

// ---- DUMP, RESTORE ----

function dumpCommand(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) return c.reply.nil();
  c.reply.bulk(dumpPayload(o, c.server.config.bool('rdbcompression')));
}

/** restoreCommand: RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restoreCommand(c: Client, argv: string[]): void {
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const more = argv.length - j - 1;
    if (argIs(argv[j], 'replace')) {
      replace = true;
    } else if (argIs(argv[j], 'absttl')) {
      absttl = true;
    } else if (argIs(argv[j], 'idletime') && more >= 1 && freq === -1) {
      const v = string2ll(argv[j + 1]);
      if (v === null) return c.reply.err('value is not an integer or out of range');
      if (v < 0) return c.reply.err('Invalid IDLETIME value, must be >= 0');
      idle = Number(v);
      j++;
    } else if (argIs(argv[j], 'freq') && more >= 1 && idle === -1) {
      const v = string2ll(argv[j + 1]);
      if (v === null) return c.reply.err('value is not an integer or out of range');
      if (v < 0 || v > 255) return c.reply.err('Invalid FREQ value, must be >= 0 and <= 255');
      freq = Number(v);
      j++;
    } else {
      return c.reply.syntaxErr();
    }
  }
  const key = argv[1];
  const db = c.db;
  if (!replace && db.lookupWrite(key) !== undefined) return c.reply.error('BUSYKEY Target key name already exists.');
  const ttlArg = string2ll(argv[2]);
  if (ttlArg === null) return c.reply.err('value is not an integer or out of range');
  if (ttlArg < 0) return c.reply.err('Invalid TTL value, must be >= 0');
  const payload = argv[3];
  if (!verifyDumpPayload(payload)) return c.reply.err('DUMP payload version or checksum are wrong');
  const loaded = decodeDumpPayload(payload, loadLimits(c.server.config));
  if (loaded === null) return c.reply.err('Bad data format');

  const deleted = replace && db.delete(key);
  const now = c.server.commandTime();
  let when: Int64 = -1;
  if (big(ttlArg) !== 0n) {
    // ttl + now wraps like C's long long, and a wrapped (negative) time is in the past.
    const abs = absttl ? big(ttlArg) : BigInt.asIntN(64, big(ttlArg) + BigInt(now));
    if (c.server.alreadyExpired(abs)) {
      if (deleted) {
        // Replicated as the deletion it amounts to: a plain DEL whatever the lazyfree settings (7.0.15).
        c.argv = ['DEL', key];
        c.server.signalModifiedKey(db, key);
        c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, db.id);
        c.server.dirty++;
      }
      return c.reply.ok();
    }
    when = normInt(abs);
    // Replicated with the absolute time, so the AOF and replicas expire it at the same moment.
    if (!absttl) c.argv = [...argv.slice(0, 2), String(when), ...argv.slice(3), 'ABSTTL'];
  }
  const o = new RObj(loaded.type, loaded.value, c.server.newObjectLru());
  presetExpire(o, when);
  setLruOrLfu(c.server, o, freq, idle);
  db.add(key, o);
  c.server.signalModifiedKey(db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'restore', key, db.id);
  c.reply.ok();
  c.server.dirty++;
}

// ---- KEYS, SCAN, RANDOMKEY, DBSIZE ----

function keysCommand(c: Client, argv: string[]): void {
  const pattern = argv[1];
  const db = c.db;
  const all = isMatchAll(pattern);
  const match = all ? null : compileGlob(pattern);
  const now = c.server.commandTime();
  const out: string[] = [];
  const keys = db.keys;
  const objs = db.objs;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (match !== null && !match(k)) continue;
    const o = objs[i];
    if (o.expireAt !== -1 && now > o.expireAt) continue; // keyIsExpired: skipped, not deleted
    out.push(k);
  }
  c.reply.bulks(out);
}

function scanCommand(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(c, argv[1]);
  if (cursor === null) return;
  let count = 10;
  let pattern: string | null = null;
  let typeName: string | null = null;
  for (let i = 2; i < argv.length; ) {
    const left = argv.length - i;
    if (argIs(argv[i], 'count') && left >= 2) {
      const v = string2ll(argv[i + 1]);
      if (v === null) return c.reply.err('value is not an integer or out of range');
      if (v < 1) return c.reply.syntaxErr();
      count = Number(v);
      i += 2;
    } else if (argIs(argv[i], 'match') && left >= 2) {
      pattern = isMatchAll(argv[i + 1]) ? null : argv[i + 1];
      i += 2;
    } else if (argIs(argv[i], 'type') && left >= 2) {
      typeName = argv[i + 1];
      i += 2;
    } else {
      return c.reply.syntaxErr();
    }
  }

  const db = c.db;
  const found: string[] = [];
  const next = db.scan(cursor, count, (key) => { found.push(key); });

  // Filter as Redis does, after collecting: pattern, then type, then expiry.
  const match = pattern === null ? null : compileGlob(pattern);
  const out: string[] = [];
  for (const key of found) {
    if (match !== null && !match(key)) continue;
    if (typeName !== null) {
      const o = lookupNoTouch(db, key);
      if (!argIs(typeName, o === undefined ? 'none' : TYPE_NAMES[o.type] ?? 'unknown')) continue;
    }
    const o = db.peek(key);
    if (o !== undefined && o.expireAt !== -1 && db.expireIfNeeded(key, o)) continue;
    out.push(key);
  }
  c.reply.arrayLen(2);
  c.reply.bulk(String(next));
  c.reply.bulks(out);
}

function randomkeyCommand(c: Client): void {
  const key = c.db.randomKey();
  if (key === null) c.reply.nil();
  else c.reply.bulk(key);
}

// ---- OBJECT ----

function objectLookup(c: Client, key: string): RObj | undefined {
  const o = lookupNoTouch(c.db, key, false);
  if (o === undefined) c.reply.nil();
  return o;
}

/** OBJECT HELP's lines between Redis's fixed first line and its closing HELP entry (our words). */
const OBJECT_HELP = [
  'ENCODING <key>',
  '    Tell how the value stored at <key> is represented inside the server',
  '    (int, embstr, raw for strings; other types have their own encodings).',
  'FREQ <key>',
  '    Tell how often <key> has been accessed lately, on a logarithmic scale.',
  '    Only available when maxmemory-policy is one of the LFU policies.',
  'IDLETIME <key>',
  '    Tell how many seconds, approximately, have passed since <key> was last',
  '    read or written. Not available under an LFU maxmemory-policy.',
  'REFCOUNT <key>',
  '    Tell how many references the value stored at <key> has (small integers',
  '    share one object, which reports a very large count).',
];

function objectEncodingCommand(c: Client, argv: string[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  const type = DATA_TYPES[o.type];
  c.reply.bulk(type === undefined ? 'unknown' : type.encoding(o));
}

function objectFreqCommand(c: Client, argv: string[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  if (!c.server.lfuPolicy()) {
    return c.reply.err('An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  }
  c.reply.int(c.server.lfuDecrAndReturn(o));
}

function objectIdletimeCommand(c: Client, argv: string[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  if (c.server.lfuPolicy()) {
    return c.reply.err('An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
  }
  c.reply.int(Math.floor(c.server.objectIdleMs(o) / 1000));
}

function objectRefcountCommand(c: Client, argv: string[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  c.reply.int(objectRefcount(c.server, o));
}

// ---- SELECT, SWAPDB, FLUSHDB, FLUSHALL ----

function selectCommand(c: Client, argv: string[]): void {
  const id = argCInt(c, argv[1]);
  if (id === null) return;
  const db = dbAt(c, id);
  if (db === null) return c.reply.err(ERR_DB_RANGE);
  c.db = db;
  c.reply.ok();
}

function swapdbCommand(c: Client, argv: string[]): void {
  const id1 = argCInt(c, argv[1], 'invalid first DB index');
  if (id1 === null) return;
  const id2 = argCInt(c, argv[2], 'invalid second DB index');
  if (id2 === null) return;
  const a = dbAt(c, id1);
  const b = dbAt(c, id2);
  if (a === null || b === null) return c.reply.err(ERR_DB_RANGE);
  if (a !== b) {
    // A client watching a key in either db sees it change (touchAllWatchedKeysInDb both ways).
    c.server.watches.touchAllInDb(a, b);
    c.server.watches.touchAllInDb(b, a);
    // Blocked XREADGROUP clients whose stream goes away learn it (scanDatabaseForDeletedKeys).
    c.server.blocking.scanDatabaseForDeletedKeys(a, b);
    c.server.blocking.scanDatabaseForDeletedKeys(b, a);
    a.swapWith(b);
    // Clients blocked in either db now see the other one's keys.
    c.server.blocking.scanDatabaseForReadyKeys(a);
    c.server.blocking.scanDatabaseForReadyKeys(b);
  }
  c.server.dirty++;
  c.reply.ok();
}

/** getFlushCommandFlags: nothing, SYNC or ASYNC (we always flush at once). False after replying. */
function flushArgsOk(c: Client, argv: string[]): boolean {
  if (argv.length === 1 || (argv.length === 2 && (argIs(argv[1], 'sync') || argIs(argv[1], 'async')))) return true;
  c.reply.syntaxErr();
  return false;
}

function flushdbCommand(c: Client, argv: string[]): void {
  if (!flushArgsOk(c, argv)) return;
  c.server.watches.touchAllInDb(c.db, null);
  c.server.blocking.scanDatabaseForDeletedKeys(c.db, null);
  c.server.tracking.invalidateKeysOnFlush();
  const removed = c.db.flush();
  c.server.dirty += removed;
  // forceCommandPropagation: replicated even when there was nothing to remove.
  if (removed === 0) c.server.propagate(c.db.id, argv);
  c.reply.ok();
}

function flushallCommand(c: Client, argv: string[]): void {
  if (!flushArgsOk(c, argv)) return;
  let removed = 0;
  for (const db of c.server.dbs) {
    c.server.watches.touchAllInDb(db, null);
    c.server.blocking.scanDatabaseForDeletedKeys(db, null);
    removed += db.flush();
  }
  c.server.tracking.invalidateKeysOnFlush();
  c.server.dirty += removed;
  if (removed === 0) c.server.propagate(c.db.id, argv);
  c.reply.ok();
}

// ---- the table ----

const EXPIRE_COMPLEXITY = 'O(1)';

export const keyCommands: CommandSpec[] = [
  {
    name: 'del', arity: -2, flags: 'write', keys: [1, -1, 1], group: 'generic', since: '1.0.0',
    tips: 'request_policy:multi_shard response_policy:agg_sum',
    summary: 'Removes the given keys; answers how many existed.',
    complexity: 'O(N) for N keys, plus the size of each removed value.', syntax: 'key [key ...]',
    handler: delGeneric,
  },
  {
    name: 'unlink', arity: -2, flags: 'write fast', keys: [1, -1, 1], group: 'generic', since: '4.0.0',
    tips: 'request_policy:multi_shard response_policy:agg_sum',
    summary: 'Removes the given keys like DEL, leaving the freeing of large values to the background.',
    complexity: 'O(1) per key.', syntax: 'key [key ...]',
    handler: delGeneric,
  },
  {
    name: 'exists', arity: -2, flags: 'readonly fast', keys: [1, -1, 1], group: 'generic', since: '1.0.0',
    tips: 'request_policy:multi_shard response_policy:agg_sum',
    summary: 'Counts how many of the given keys exist (a key named twice counts twice).',
    complexity: 'O(N) for N keys.', syntax: 'key [key ...]',
    handler: existsCommand,
  },
  {
    name: 'type', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    summary: 'Tells which data type a key holds, or none.',
    complexity: 'O(1)', syntax: 'key',
    handler: typeCommand,
  },
  {
    name: 'expire', arity: -3, flags: 'write fast', keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    summary: 'Gives a key a time to live in seconds; a time not in the future deletes it.',
    complexity: EXPIRE_COMPLEXITY, syntax: 'key seconds [NX|XX|GT|LT]',
    handler: (c, argv) => expireGeneric(c, argv, true, true),
  },
  {
    name: 'pexpire', arity: -3, flags: 'write fast', keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    summary: 'Gives a key a time to live in milliseconds; a time not in the future deletes it.',
    complexity: EXPIRE_COMPLEXITY, syntax: 'key milliseconds [NX|XX|GT|LT]',
    handler: (c, argv) => expireGeneric(c, argv, true, false),
  },
  {
    name: 'expireat', arity: -3, flags: 'write fast', keys: [1, 1, 1], group: 'generic', since: '1.2.0',
    summary: 'Makes a key expire at a Unix time in seconds; a time in the past deletes it.',
    complexity: EXPIRE_COMPLEXITY, syntax: 'key unix-time-seconds [NX|XX|GT|LT]',
    handler: (c, argv) => expireGeneric(c, argv, false, true),
  },
  {
    name: 'pexpireat', arity: -3, flags: 'write fast', keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    summary: 'Makes a key expire at a Unix time in milliseconds; a time in the past deletes it.',
    complexity: EXPIRE_COMPLEXITY, syntax: 'key unix-time-milliseconds [NX|XX|GT|LT]',
    handler: (c, argv) => expireGeneric(c, argv, false, false),
  },
  {
    name: 'ttl', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    tips: 'nondeterministic_output',
    summary: 'Seconds left before a key expires: -1 without a TTL, -2 when the key is missing.',
    complexity: 'O(1)', syntax: 'key',
    handler: (c, argv) => ttlGeneric(c, argv, false, false),
  },
  {
    name: 'pttl', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    tips: 'nondeterministic_output',
    summary: 'Milliseconds left before a key expires: -1 without a TTL, -2 when the key is missing.',
    complexity: 'O(1)', syntax: 'key',
    handler: (c, argv) => ttlGeneric(c, argv, true, false),
  },
  {
    name: 'expiretime', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'generic', since: '7.0.0',
    summary: 'The Unix time in seconds at which a key expires: -1 without a TTL, -2 when missing.',
    complexity: 'O(1)', syntax: 'key',
    handler: (c, argv) => ttlGeneric(c, argv, false, true),
  },
  {
    name: 'pexpiretime', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'generic', since: '7.0.0',
    summary: 'The Unix time in milliseconds at which a key expires: -1 without a TTL, -2 when missing.',
    complexity: 'O(1)', syntax: 'key',
    handler: (c, argv) => ttlGeneric(c, argv, true, true),
  },
  {
    name: 'persist', arity: 2, flags: 'write fast', keys: [1, 1, 1], group: 'generic', since: '2.2.0',
    summary: 'Drops the time to live of a key, so it no longer expires.',
    complexity: 'O(1)', syntax: 'key',
    handler: persistCommand,
  },
  {
    name: 'rename', arity: 3, flags: 'write', keys: [1, 2, 1], group: 'generic', since: '1.0.0',
    summary: 'Gives a key a new name, replacing any key already called that.',
    complexity: 'O(1), plus freeing a replaced value.', syntax: 'key newkey',
    handler: (c, argv) => renameGeneric(c, argv, false),
  },
  {
    name: 'renamenx', arity: 3, flags: 'write fast', keys: [1, 2, 1], group: 'generic', since: '1.0.0',
    summary: 'Gives a key a new name, only if no key is called that yet.',
    complexity: 'O(1)', syntax: 'key newkey',
    handler: (c, argv) => renameGeneric(c, argv, true),
  },
  {
    name: 'copy', arity: -3, flags: 'write denyoom', keys: [1, 2, 1], group: 'generic', since: '6.2.0',
    summary: 'Copies a value, with its TTL, to another key, possibly in another database.',
    complexity: 'O(N) for a collection of N items; O(1) for strings.',
    syntax: 'source destination [DB destination-db] [REPLACE]',
    handler: copyCommand,
  },
  {
    name: 'move', arity: 3, flags: 'write fast', keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    summary: 'Moves a key, with its TTL, to another database unless the key exists there.',
    complexity: 'O(1)', syntax: 'key db',
    handler: moveCommand,
  },
  {
    name: 'dump', arity: 2, flags: 'readonly', keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    acl: '@keyspace', tips: 'nondeterministic_output',
    summary: 'Serializes a key\'s value in RDB format (with its RDB version and a checksum) for RESTORE.',
    complexity: 'O(1) to find the key, plus O(N*M) to serialize N items of M bytes on average.', syntax: 'key',
    handler: dumpCommand,
  },
  {
    name: 'restore', arity: -4, flags: 'write denyoom', keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    acl: '@keyspace @dangerous',
    summary: 'Creates a key from a DUMP payload, optionally with a TTL, replacing it, and with its LRU/LFU data.',
    complexity: 'O(1) to create the key, plus O(N*M) to rebuild N items of M bytes on average.',
    syntax: 'key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]',
    handler: restoreCommand,
  },
  {
    name: 'restore-asking', arity: -4, flags: 'write denyoom asking', keys: [1, 1, 1], group: 'server', since: '3.0.0',
    acl: '@keyspace @dangerous',
    summary: 'RESTORE as sent by MIGRATE to a cluster node that is importing the key\'s slot.',
    complexity: 'O(1) to create the key, plus O(N*M) to rebuild N items of M bytes on average.',
    syntax: 'key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]',
    handler: restoreCommand,
  },
  {
    name: 'keys', arity: 2, flags: 'readonly', group: 'generic', since: '1.0.0',
    acl: '@dangerous', tips: 'request_policy:all_shards nondeterministic_output_order',
    summary: 'Lists every key whose name matches a glob pattern (walks the whole database).',
    complexity: 'O(N) for N keys in the database.', syntax: 'pattern',
    handler: keysCommand,
  },
  {
    name: 'scan', arity: -2, flags: 'readonly', group: 'generic', since: '2.8.0',
    tips: 'nondeterministic_output request_policy:special',
    summary: 'Walks the keys a few at a time with a cursor; 0 starts and ends a full pass.',
    complexity: 'O(1) per call; O(N) for a full pass over N keys.',
    syntax: 'cursor [MATCH pattern] [COUNT count] [TYPE type]',
    handler: scanCommand,
  },
  {
    name: 'randomkey', arity: 1, flags: 'readonly', group: 'generic', since: '1.0.0',
    tips: 'request_policy:all_shards nondeterministic_output',
    summary: 'Answers the name of a key picked at random, or nil when the database is empty.',
    complexity: 'O(1)',
    handler: randomkeyCommand,
  },
  {
    name: 'touch', arity: -2, flags: 'readonly fast', keys: [1, -1, 1], group: 'generic', since: '3.2.1',
    tips: 'request_policy:multi_shard response_policy:agg_sum',
    summary: 'Marks the given keys as just accessed; answers how many exist.',
    complexity: 'O(N) for N keys.', syntax: 'key [key ...]',
    handler: touchCommand,
  },
  {
    name: 'object', arity: -2, flags: '', group: 'generic', since: '2.2.3',
    acl: '-@keyspace',
    summary: 'Inspects how a key\'s value is stored: encoding, references, idle time, access frequency.',
    complexity: 'Depends on the subcommand.', syntax: 'subcommand [argument ...]',
    subcommands: [
      {
        name: 'encoding', arity: 3, flags: 'readonly', keys: [2, 2, 1], group: 'generic', since: '2.2.3',
        tips: 'nondeterministic_output',
        summary: 'The internal representation of the value at a key.',
        complexity: 'O(1)', syntax: 'key', handler: objectEncodingCommand,
      },
      {
        name: 'freq', arity: 3, flags: 'readonly', keys: [2, 2, 1], group: 'generic', since: '4.0.0',
        tips: 'nondeterministic_output',
        summary: 'The logarithmic access-frequency counter of a key (LFU policies only).',
        complexity: 'O(1)', syntax: 'key', handler: objectFreqCommand,
      },
      {
        name: 'help', arity: 2, flags: 'loading stale', group: 'generic', since: '6.2.0',
        summary: 'Describes the OBJECT subcommands.',
        complexity: 'O(1)', handler: (c) => replyHelp(c, OBJECT_HELP),
      },
      {
        name: 'idletime', arity: 3, flags: 'readonly', keys: [2, 2, 1], group: 'generic', since: '2.2.3',
        tips: 'nondeterministic_output',
        summary: 'Seconds since a key was last read or written (not under LFU policies).',
        complexity: 'O(1)', syntax: 'key', handler: objectIdletimeCommand,
      },
      {
        name: 'refcount', arity: 3, flags: 'readonly', keys: [2, 2, 1], group: 'generic', since: '2.2.3',
        tips: 'nondeterministic_output',
        summary: 'How many references the value at a key has.',
        complexity: 'O(1)', syntax: 'key', handler: objectRefcountCommand,
      },
    ],
  },
  {
    name: 'dbsize', arity: 1, flags: 'readonly fast', group: 'server', since: '1.0.0',
    acl: '@keyspace', tips: 'request_policy:all_shards response_policy:agg_sum',
    summary: 'The number of keys in the selected database.',
    complexity: 'O(1)',
    handler: (c) => c.reply.int(c.db.size),
  },
  {
    name: 'select', arity: 2, flags: 'loading stale fast', group: 'connection', since: '1.0.0',
    summary: 'Switches this connection to the database with the given number.',
    complexity: 'O(1)', syntax: 'index',
    handler: selectCommand,
  },
  {
    name: 'swapdb', arity: 3, flags: 'write fast', group: 'server', since: '4.0.0',
    acl: '@keyspace @dangerous',
    summary: 'Exchanges the contents of two databases; connections stay on their numbers.',
    complexity: 'O(N) for N clients watching or blocked on keys of either database.', syntax: 'index1 index2',
    handler: swapdbCommand,
  },
  {
    name: 'flushdb', arity: -1, flags: 'write', group: 'server', since: '1.0.0',
    acl: '@keyspace @dangerous', tips: 'request_policy:all_shards response_policy:all_succeeded',
    summary: 'Removes every key of the selected database.',
    complexity: 'O(N) for N keys in the database.', syntax: '[ASYNC|SYNC]',
    handler: flushdbCommand,
  },
  {
    name: 'flushall', arity: -1, flags: 'write', group: 'server', since: '1.0.0',
    acl: '@keyspace @dangerous', tips: 'request_policy:all_shards response_policy:all_succeeded',
    summary: 'Removes every key of every database.',
    complexity: 'O(N) for N keys in all databases.', syntax: '[ASYNC|SYNC]',
    handler: flushallCommand,
  },
];
