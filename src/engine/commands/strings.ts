import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_STRING, type RObj } from '../object';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../notify';
import { ByteBuf, bytesToBinary, argIs } from '../util/bytes';
import { LLONG_MAX, LLONG_MIN, addInt64, normInt, string2ll, type Int64 } from '../util/numbers';
import { MAX_LONG_DOUBLE_CHARS, ld2string, ldAdd, ldIsFinite, ldZero, string2ld } from '../util/longdouble';
import { setExpireOf } from './keys';
import { plainStringValue, stringBuffer, stringInt, stringLength, stringValue } from '../types/string';

/**
 * The string commands (t_string.c): SET and its variants, GET and its variants, MGET/MSET,
 * APPEND, STRLEN, GETRANGE/SETRANGE, LCS, and the integer and float counters.
 */

const NOT_INT = 'value is not an integer or out of range';
const NOT_FLOAT = 'value is not a valid float';

// SET / GETEX option flags (parseExtendedStringArgumentsOrReply)
const F_NX = 1;
const F_XX = 2;
const F_EX = 4;
const F_PX = 8;
const F_KEEPTTL = 16;
const F_GET = 32;
const F_EXAT = 64;
const F_PXAT = 128;
const F_PERSIST = 256;
const F_ANY_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

/** The expire argument found by parseExtended. */
let parsedExpire: string | null = null;

/**
 * parseExtendedStringArgumentsOrReply: the options of SET (from argv[3]) or GETEX (from argv[2]).
 * Returns the flags, or -1 after a syntax error reply. The expire argument is left in parsedExpire.
 */
function parseExtended(c: Client, argv: string[], isSet: boolean): number {
  let flags = 0;
  parsedExpire = null;
  const argc = argv.length;
  for (let j = isSet ? 3 : 2; j < argc; j++) {
    const opt = argv[j];
    const hasNext = j !== argc - 1;
    if (isSet && argIs(opt, 'nx') && !(flags & F_XX)) {
      flags |= F_NX;
    } else if (isSet && argIs(opt, 'xx') && !(flags & F_NX)) {
      flags |= F_XX;
    } else if (isSet && argIs(opt, 'get')) {
      flags |= F_GET;
    } else if (isSet && argIs(opt, 'keepttl') && !(flags & (F_PERSIST | F_ANY_EXPIRE))) {
      flags |= F_KEEPTTL;
    } else if (!isSet && argIs(opt, 'persist') && !(flags & (F_ANY_EXPIRE | F_KEEPTTL))) {
      flags |= F_PERSIST;
    } else if (argIs(opt, 'ex') && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EX;
      parsedExpire = argv[++j];
    } else if (argIs(opt, 'px') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT)) && hasNext) {
      flags |= F_PX;
      parsedExpire = argv[++j];
    } else if (argIs(opt, 'exat') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EXAT;
      parsedExpire = argv[++j];
    } else if (argIs(opt, 'pxat') && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX)) && hasNext) {
      flags |= F_PXAT;
      parsedExpire = argv[++j];
    } else {
      c.reply.syntaxErr();
      return -1;
    }
  }
  return flags;
}

/**
 * getExpireMillisecondsOrReply: the expire argument as an absolute unix time in ms, or null
 * after an error reply. EX/EXAT count in seconds; EX/PX are relative to the command's time.
 * A result past LLONG_MAX would wrap negative in C and is refused the same way.
 */
function expireAtOrReply(c: Client, arg: string, flags: number, cmdName: string): Int64 | null {
  const v = string2ll(arg);
  if (v === null) {
    c.reply.err(NOT_INT);
    return null;
  }
  const seconds = (flags & (F_EX | F_EXAT)) !== 0;
  if (v <= 0 || (seconds && v > 9223372036854775n)) {
    c.reply.err(`invalid expire time in '${cmdName}' command`);
    return null;
  }
  const relative = (flags & (F_EX | F_PX)) !== 0;
  if (typeof v === 'number') {
    const ms = (seconds ? v * 1000 : v) + (relative ? c.server.commandTime() : 0);
    if (Number.isSafeInteger(ms)) return ms;
  }
  const ms = (seconds ? BigInt(v) * 1000n : BigInt(v)) + (relative ? BigInt(c.server.commandTime()) : 0n);
  if (ms > LLONG_MAX) {
    c.reply.err(`invalid expire time in '${cmdName}' command`);
    return null;
  }
  return normInt(ms);
}

/** Reply with a string object's value. */
function replyValue(c: Client, o: RObj): void {
  const v = o.value;
  if (typeof v === 'string') c.reply.bulk(v);
  else c.reply.bulkBuf(v as ByteBuf);
}

/** getGenericCommand: reply with key's value (or nil). False after a WRONGTYPE reply. */
function getGeneric(c: Client, key: string): boolean {
  const o = c.db.lookupRead(key);
  if (o === undefined) {
    c.reply.nil();
    return true;
  }
  if (o.type !== OBJ_STRING) {
    c.reply.wrongType();
    return false;
  }
  replyValue(c, o);
  return true;
}

const REPLY_OK = 0;
const REPLY_NIL = 1;
const REPLY_ONE = 2;
const REPLY_ZERO = 3;

function replyCode(c: Client, code: number): void {
  if (code === REPLY_OK) c.reply.ok();
  else if (code === REPLY_NIL) c.reply.nil();
  else c.reply.int(code === REPLY_ONE ? 1 : 0);
}

/**
 * setGenericCommand: SET with its options, SETNX, SETEX, PSETEX. okReply/abortReply are what
 * to answer when the value is set / not set because of NX or XX (nothing extra with GET).
 */
function setGeneric(
  c: Client, flags: number, key: string, val: string, expire: string | null,
  cmdName: string, okReply: number, abortReply: number,
): void {
  let when: Int64 = 0;
  if (expire !== null) {
    const w = expireAtOrReply(c, expire, flags, cmdName);
    if (w === null) return;
    when = w;
  }
  if (flags & F_GET) {
    if (!getGeneric(c, key)) return;
  }
  const found = c.db.lookupWrite(key) !== undefined;
  if (((flags & F_NX) && found) || ((flags & F_XX) && !found)) {
    if (!(flags & F_GET)) replyCode(c, abortReply);
    return;
  }
  const db = c.db;
  const o = db.setKey(key, OBJ_STRING, val, (flags & F_KEEPTTL) !== 0);
  c.server.dirty++;
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', key, db.id);
  if (expire !== null) {
    setExpireOf(db, key, o, when);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'expire', key, db.id);
    // Replicated with the absolute time, whatever the form (SETEX, EX, PX, EXAT, PXAT): replicas
    // and the AOF must expire it at the same moment. NX/XX/GET are dropped.
    c.argv = ['SET', key, val, 'PXAT', String(when)];
  } else if (flags & F_GET) {
    // Replicated without GET (possibly repeated), which only shapes the reply.
    c.argv = c.argv.filter((a, j) => j < 3 || !argIs(a, 'get'));
  }
  if (!(flags & F_GET)) replyCode(c, okReply);
}

/** checkStringLength: a value of size + append bytes must fit proto-max-bulk-len. */
function checkStringLength(c: Client, size: number, append: number): boolean {
  if (size + append > c.server.config.num('proto-max-bulk-len')) {
    c.reply.err('string exceeds maximum allowed size (proto-max-bulk-len)');
    return false;
  }
  return true;
}

/** incrDecrCommand: add incr to the integer at key (0 when missing). */
function incrDecr(c: Client, key: string, incr: Int64): void {
  const db = c.db;
  const o = db.lookupWrite(key);
  let value: Int64 = 0;
  if (o !== undefined) {
    if (o.type !== OBJ_STRING) return c.reply.wrongType();
    const v = stringInt(o);
    if (v === null) return c.reply.err(NOT_INT);
    value = v;
  }
  const r = addInt64(value, incr);
  if (r === null) return c.reply.err('increment or decrement would overflow');
  if (o !== undefined) {
    // Overwrite in place (the TTL stays); lookupWrite has already touched the object.
    o.value = String(r);
    o.unshared = false;
    c.server.signalModifiedKey(db, key);
  } else {
    db.setKey(key, OBJ_STRING, String(r));
  }
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'incrby', key, db.id);
  c.server.dirty++;
  c.reply.int(r);
}

/** MSET / MSETNX */
function msetGeneric(c: Client, argv: string[], nx: boolean): void {
  const argc = argv.length;
  if (argc % 2 === 0) {
    c.reply.err(`wrong number of arguments for '${nx ? 'msetnx' : 'mset'}' command`);
    return;
  }
  const db = c.db;
  if (nx) {
    for (let j = 1; j < argc; j += 2) {
      if (db.lookupWrite(argv[j]) !== undefined) return c.reply.int(0);
    }
  }
  for (let j = 1; j < argc; j += 2) {
    db.lookupWrite(argv[j]);
    db.setKey(argv[j], OBJ_STRING, argv[j + 1]);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', argv[j], db.id);
  }
  c.server.dirty += (argc - 1) / 2;
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

/** GETRANGE / SUBSTR */
function getrange(c: Client, argv: string[]): void {
  const s = string2ll(argv[2]);
  if (s === null) return c.reply.err(NOT_INT);
  const e = string2ll(argv[3]);
  if (e === null) return c.reply.err(NOT_INT);
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) return c.reply.bulk('');
  if (o.type !== OBJ_STRING) return c.reply.wrongType();
  const len = stringLength(o);
  if (s < 0 && e < 0 && s > e) return c.reply.bulk('');
  let start = Number(s);
  let end = Number(e);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return c.reply.bulk('');
  const v = o.value;
  if (typeof v === 'string') c.reply.bulk(start === 0 && end === len - 1 ? v : v.slice(start, end + 1));
  else {
    const b = v as ByteBuf;
    c.reply.raw('$' + (end - start + 1) + '\r\n');
    c.reply.rawBytes(b.buf, start, end + 1);
    c.reply.raw('\r\n');
  }
}

/** A string value's bytes (a view for buffers, a copy for binary strings). */
function valueBytes(o: RObj): Uint8Array {
  const v = o.value;
  if (typeof v !== 'string') return (v as ByteBuf).buf.subarray(0, (v as ByteBuf).len);
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i);
  return out;
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
function lcs(c: Client, argv: string[]): void {
  const oa = c.db.lookupRead(argv[1]);
  const ob = c.db.lookupRead(argv[2]);
  if ((oa !== undefined && oa.type !== OBJ_STRING) || (ob !== undefined && ob.type !== OBJ_STRING)) {
    return c.reply.err('The specified keys must contain string values');
  }
  const a = oa === undefined ? new Uint8Array(0) : valueBytes(oa);
  const b = ob === undefined ? new Uint8Array(0) : valueBytes(ob);
  let getlen = false;
  let getidx = false;
  let withmatchlen = false;
  let minmatchlen: Int64 = 0;
  const argc = argv.length;
  for (let j = 3; j < argc; j++) {
    const opt = argv[j];
    const moreargs = argc - 1 - j;
    if (argIs(opt, 'idx')) getidx = true;
    else if (argIs(opt, 'len')) getlen = true;
    else if (argIs(opt, 'withmatchlen')) withmatchlen = true;
    else if (argIs(opt, 'minmatchlen') && moreargs > 0) {
      const v = string2ll(argv[j + 1]);
      if (v === null) return c.reply.err(NOT_INT);
      minmatchlen = v < 0 ? 0 : v;
      j++;
    } else {
      return c.reply.syntaxErr();
    }
  }
  if (getidx && getlen) {
    return c.reply.err('If you want both the length and indexes, please just use IDX.');
  }
  const alen = a.length;
  const blen = b.length;
  const w = blen + 1;
  // The DP table holds (alen+1)*(blen+1) uint32 cells; Redis refuses it above proto-max-bulk-len.
  if ((alen + 1) * w * 4 > c.server.config.num('proto-max-bulk-len')) {
    return c.reply.err('Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  let dp: Uint32Array;
  try {
    dp = new Uint32Array((alen + 1) * w);
  } catch {
    return c.reply.err('Insufficient memory, failed allocating transient memory for LCS');
  }
  for (let i = 1; i <= alen; i++) {
    const ai = a[i - 1];
    const row = i * w;
    const prev = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ai === b[j - 1]) {
        dp[row + j] = dp[prev + j - 1] + 1;
      } else {
        const l1 = dp[prev + j];
        const l2 = dp[row + j - 1];
        dp[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = dp[alen * w + blen];
  const computelcs = getidx || !getlen;
  const result = computelcs ? new Uint8Array(total) : null;
  let idx = total;
  const reply = c.reply;
  let deferred = null;
  let arraylen = 0;
  if (getidx) {
    reply.mapLen(2);
    reply.bulk('matches');
    deferred = reply.deferLen();
  }
  // Walk back from the end, collecting the LCS and its contiguous ranges (aStart === alen: none open).
  let i = alen;
  let j = blen;
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (computelcs && i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      result![idx - 1] = a[i - 1];
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const l1 = dp[(i - 1) * w + j];
      const l2 = dp[i * w + j - 1];
      if (l1 > l2) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minmatchlen === 0 || matchLen >= minmatchlen) {
        if (deferred !== null) {
          reply.arrayLen(withmatchlen ? 3 : 2);
          reply.arrayLen(2);
          reply.int(aStart);
          reply.int(aEnd);
          reply.arrayLen(2);
          reply.int(bStart);
          reply.int(bEnd);
          if (withmatchlen) reply.int(matchLen);
          arraylen++;
        }
      }
      aStart = alen;
    }
  }
  if (deferred !== null) {
    reply.setDeferredArrayLen(deferred, arraylen);
    reply.bulk('len');
    reply.int(total);
  } else if (getlen) {
    reply.int(total);
  } else {
    reply.bulk(bytesToBinary(result!));
  }
}

export const stringCommands: CommandSpec[] = [
  {
    name: 'get', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: "Returns a key's string value, or nil when the key does not exist.",
    complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      const o = c.db.lookupRead(argv[1]);
      if (o === undefined) return c.reply.nil();
      if (o.type !== OBJ_STRING) return c.reply.wrongType();
      const v = o.value;
      if (typeof v === 'string') c.reply.bulk(v);
      else c.reply.bulkBuf(v as ByteBuf);
    },
  },
  {
    name: 'set', arity: -3, flags: 'write denyoom', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Stores a string at a key, with optional conditions, expiry, and return of the old value.',
    complexity: 'O(1)',
    syntax: 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
    handler(c, argv) {
      if (argv.length === 3) {
        // The common case, without options.
        const key = argv[1];
        const db = c.db;
        // lookupKeyWrite matters only for a volatile key (lazy expiry) or under LFU (the access
        // counts); otherwise setKey alone has the same effect, without reading the clock twice.
        const old = db.peek(key);
        if (old !== undefined && (old.expireAt !== -1 || c.server.lfuPolicy())) db.lookupWrite(key);
        db.setKey(key, OBJ_STRING, argv[2]);
        c.server.dirty++;
        c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', key, db.id);
        c.reply.ok();
        return;
      }
      const flags = parseExtended(c, argv, true);
      if (flags < 0) return;
      setGeneric(c, flags, argv[1], argv[2], parsedExpire, 'set', REPLY_OK, REPLY_NIL);
    },
  },
  {
    name: 'getex', arity: -2, flags: 'write fast', keys: [1, 1, 1], group: 'string', since: '6.2.0',
    summary: "Returns a key's string value and optionally sets or removes its expiry.",
    complexity: 'O(1)',
    syntax: 'key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]',
    handler(c, argv) {
      const flags = parseExtended(c, argv, false);
      if (flags < 0) return;
      const expire = parsedExpire;
      const key = argv[1];
      const db = c.db;
      const o = db.lookupRead(key);
      if (o === undefined) return c.reply.nil();
      if (o.type !== OBJ_STRING) return c.reply.wrongType();
      let when: Int64 = 0;
      if (expire !== null) {
        const w = expireAtOrReply(c, expire, flags, 'getex');
        if (w === null) return;
        when = w;
      }
      replyValue(c, o);
      // Replicated as the effect: DEL/UNLINK, PEXPIREAT with the absolute time, or PERSIST.
      if ((flags & (F_EXAT | F_PXAT)) && c.server.alreadyExpired(when)) {
        // An absolute time already past: the key goes at once.
        db.delete(key);
        c.argv = [c.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key];
        c.server.signalModifiedKey(db, key);
        c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, db.id);
        c.server.dirty++;
      } else if (expire !== null) {
        setExpireOf(db, key, o, when);
        c.argv = ['PEXPIREAT', key, String(when)];
        c.server.signalModifiedKey(db, key);
        c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'expire', key, db.id);
        c.server.dirty++;
      } else if (flags & F_PERSIST) {
        if (db.removeExpire(key)) {
          c.argv = ['PERSIST', key];
          c.server.signalModifiedKey(db, key);
          c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'persist', key, db.id);
          c.server.dirty++;
        }
      }
    },
  },
  {
    name: 'getdel', arity: 2, flags: 'write fast', keys: [1, 1, 1], group: 'string', since: '6.2.0',
    summary: "Returns a key's string value and deletes the key.",
    complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      const key = argv[1];
      if (!getGeneric(c, key)) return;
      const db = c.db;
      if (db.delete(key)) {
        c.argv = [c.server.config.bool('lazyfree-lazy-user-del') ? 'UNLINK' : 'DEL', key]; // replicated as a deletion
        c.server.signalModifiedKey(db, key);
        c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, db.id);
        c.server.dirty++;
      }
    },
  },
  {
    name: 'getset', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: "Stores a new string at a key and returns the previous one (superseded by SET ... GET).",
    complexity: 'O(1)', syntax: 'key value',
    handler(c, argv) {
      const key = argv[1];
      if (!getGeneric(c, key)) return;
      const db = c.db;
      db.lookupWrite(key);
      db.setKey(key, OBJ_STRING, argv[2]);
      c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', key, db.id);
      c.server.dirty++;
      c.argv = ['SET', key, argv[2]]; // replicated as a SET
    },
  },
  {
    name: 'setnx', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Stores a string at a key only if the key does not exist yet; replies 1 or 0.',
    complexity: 'O(1)', syntax: 'key value',
    handler(c, argv) {
      setGeneric(c, F_NX, argv[1], argv[2], null, 'setnx', REPLY_ONE, REPLY_ZERO);
    },
  },
  {
    name: 'setex', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], group: 'string', since: '2.0.0',
    summary: 'Stores a string at a key with a time to live in seconds.',
    complexity: 'O(1)', syntax: 'key seconds value',
    handler(c, argv) {
      setGeneric(c, F_EX, argv[1], argv[3], argv[2], 'setex', REPLY_OK, REPLY_NIL);
    },
  },
  {
    name: 'psetex', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], group: 'string', since: '2.6.0',
    summary: 'Stores a string at a key with a time to live in milliseconds.',
    complexity: 'O(1)', syntax: 'key milliseconds value',
    handler(c, argv) {
      setGeneric(c, F_PX, argv[1], argv[3], argv[2], 'psetex', REPLY_OK, REPLY_NIL);
    },
  },
  {
    name: 'mget', arity: -2, flags: 'readonly fast', keys: [1, -1, 1], group: 'string', since: '1.0.0',
    tips: 'request_policy:multi_shard',
    summary: 'Returns the values of several keys, nil for keys that are missing or not strings.',
    complexity: 'O(N) for N keys', syntax: 'key [key ...]',
    handler(c, argv) {
      const n = argv.length;
      c.reply.arrayLen(n - 1);
      for (let j = 1; j < n; j++) {
        const o = c.db.lookupRead(argv[j]);
        if (o === undefined || o.type !== OBJ_STRING) c.reply.nil();
        else replyValue(c, o);
      }
    },
  },
  {
    name: 'mset', arity: -3, flags: 'write denyoom', keys: [1, -1, 2], group: 'string', since: '1.0.1',
    tips: 'request_policy:multi_shard response_policy:all_succeeded',
    summary: 'Stores several key/value pairs at once, overwriting existing keys.',
    complexity: 'O(N) for N keys', syntax: 'key value [key value ...]',
    handler(c, argv) {
      msetGeneric(c, argv, false);
    },
  },
  {
    name: 'msetnx', arity: -3, flags: 'write denyoom', keys: [1, -1, 2], group: 'string', since: '1.0.1',
    tips: 'request_policy:multi_shard response_policy:agg_min',
    summary: 'Stores several key/value pairs only if none of the keys exists; replies 1 or 0.',
    complexity: 'O(N) for N keys', syntax: 'key value [key value ...]',
    handler(c, argv) {
      msetGeneric(c, argv, true);
    },
  },
  {
    name: 'append', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'string', since: '2.0.0',
    summary: "Adds bytes to the end of a key's string (creating it if missing); replies the new length.",
    complexity: 'O(1) amortized, the existing value being extended in place', syntax: 'key value',
    handler(c, argv) {
      const key = argv[1];
      const add = argv[2];
      const db = c.db;
      const o = db.lookupWrite(key);
      let total: number;
      if (o === undefined) {
        db.setKey(key, OBJ_STRING, add);
        total = add.length;
      } else {
        if (o.type !== OBJ_STRING) return c.reply.wrongType();
        if (!checkStringLength(c, stringLength(o), add.length)) return;
        const b = stringBuffer(o);
        b.append(add);
        total = b.len;
        c.server.signalModifiedKey(db, key);
      }
      c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'append', key, db.id);
      c.server.dirty++;
      c.reply.int(total);
    },
  },
  {
    name: 'strlen', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'string', since: '2.2.0',
    summary: "Returns the length in bytes of a key's string, 0 when the key is missing.",
    complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      const o = c.db.lookupRead(argv[1]);
      if (o === undefined) return c.reply.int(0);
      if (o.type !== OBJ_STRING) return c.reply.wrongType();
      c.reply.int(stringLength(o));
    },
  },
  {
    name: 'getrange', arity: 4, flags: 'readonly', keys: [1, 1, 1], group: 'string', since: '2.4.0',
    summary: "Returns the bytes of a key's string between two offsets (inclusive; negative count from the end).",
    complexity: 'O(N) for a result of N bytes', syntax: 'key start end',
    handler: getrange,
  },
  {
    name: 'setrange', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], group: 'string', since: '2.2.0',
    summary: "Overwrites part of a key's string from an offset, zero-padding as needed; replies the new length.",
    complexity: 'O(1) plus the copy of the new bytes (and any padding)', syntax: 'key offset value',
    handler(c, argv) {
      const key = argv[1];
      const off = string2ll(argv[2]);
      if (off === null) return c.reply.err(NOT_INT);
      if (off < 0) return c.reply.err('offset is out of range');
      const value = argv[3];
      const vlen = value.length;
      const db = c.db;
      const o = db.lookupWrite(key);
      let b: ByteBuf;
      if (o === undefined) {
        if (vlen === 0) return c.reply.int(0);
        if (!checkStringLength(c, Number(off), vlen)) return;
        b = new ByteBuf('', Number(off) + vlen);
        db.setKey(key, OBJ_STRING, b);
      } else {
        if (o.type !== OBJ_STRING) return c.reply.wrongType();
        if (vlen === 0) return c.reply.int(stringLength(o));
        if (!checkStringLength(c, Number(off), vlen)) return;
        b = stringBuffer(o);
        c.server.signalModifiedKey(db, key);
      }
      const start = Number(off);
      b.grow(start + vlen);
      const buf = b.buf;
      for (let i = 0; i < vlen; i++) buf[start + i] = value.charCodeAt(i);
      c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'setrange', key, db.id);
      c.server.dirty++;
      c.reply.int(b.len);
    },
  },
  {
    name: 'substr', arity: 4, flags: 'readonly', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Old name of GETRANGE: a substring of the value at a key.',
    complexity: 'O(N) for a result of N bytes', syntax: 'key start end',
    handler: getrange,
  },
  {
    name: 'lcs', arity: -3, flags: 'readonly', keys: [1, 2, 1], group: 'string', since: '7.0.0',
    summary: 'Finds the longest common subsequence of two keys\' strings: the string, its length, or the matching ranges.',
    complexity: 'O(N*M) for strings of N and M bytes',
    syntax: 'key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]',
    handler: lcs,
  },
  {
    name: 'incr', arity: 2, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Adds 1 to the integer at a key (0 when missing) and replies the result.',
    complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      incrDecr(c, argv[1], 1);
    },
  },
  {
    name: 'decr', arity: 2, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Subtracts 1 from the integer at a key (0 when missing) and replies the result.',
    complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      incrDecr(c, argv[1], -1);
    },
  },
  {
    name: 'incrby', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Adds a 64-bit integer to the integer at a key (0 when missing) and replies the result.',
    complexity: 'O(1)', syntax: 'key increment',
    handler(c, argv) {
      const incr = string2ll(argv[2]);
      if (incr === null) return c.reply.err(NOT_INT);
      incrDecr(c, argv[1], incr);
    },
  },
  {
    name: 'decrby', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'string', since: '1.0.0',
    summary: 'Subtracts a 64-bit integer from the integer at a key (0 when missing) and replies the result.',
    complexity: 'O(1)', syntax: 'key decrement',
    handler(c, argv) {
      const decr = string2ll(argv[2]);
      if (decr === null) return c.reply.err(NOT_INT);
      if (decr === LLONG_MIN) return c.reply.err('decrement would overflow');
      incrDecr(c, argv[1], typeof decr === 'number' ? -decr : -decr); // narrowed: number or bigint negation
    },
  },
  {
    name: 'incrbyfloat', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'string', since: '2.6.0',
    summary: 'Adds a decimal number to the number at a key (0 when missing), in long double precision, and replies the result.',
    complexity: 'O(1)', syntax: 'key increment',
    handler(c, argv) {
      const key = argv[1];
      const db = c.db;
      const o = db.lookupWrite(key);
      let value = ldZero();
      if (o !== undefined) {
        if (o.type !== OBJ_STRING) return c.reply.wrongType();
        const v = stringLength(o) < MAX_LONG_DOUBLE_CHARS ? string2ld(stringValue(o)) : null;
        if (v === null) return c.reply.err(NOT_FLOAT);
        value = v;
      }
      const incr = string2ld(argv[2]);
      if (incr === null) return c.reply.err(NOT_FLOAT);
      const r = ldAdd(value, incr);
      if (!ldIsFinite(r)) return c.reply.err('increment would produce NaN or Infinity');
      const s = ld2string(r);
      db.setKey(key, OBJ_STRING, plainStringValue(s), true);
      c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'incrbyfloat', key, db.id);
      c.server.dirty++;
      // Replicated as the value it produced: float formatting and precision may differ elsewhere.
      c.argv = ['SET', key, s, 'KEEPTTL'];
      c.reply.bulk(s);
    },
  },
];
