import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_HASH } from '../object';
import { NOTIFY_GENERIC, NOTIFY_HASH } from '../notify';
import { LLONG_MAX, LLONG_MIN, string2ll, type Int64 } from '../util/numbers';
import { MAX_LONG_DOUBLE_CHARS, ld2string, ldAdd, ldFromInt, ldIsFinite, ldZero, string2ld } from '../util/longdouble';
import { compileGlob } from '../util/glob';
import { collectionScanArgs } from './keys';
import { HashValue } from '../types/hash';
import { argIs } from '../util/bytes';

/**
 * The hash commands (t_hash.c): HSET and friends, the readers, the counters, HRANDFIELD and
 * HSCAN. Encoding rules (listpack → hashtable) follow hashTypeTryConversion / hashTypeSet.
 */

function maxValue(c: Client): number {
  return c.server.config.num('hash-max-listpack-value');
}

/** hashTypeTryConversion: any argument in argv[start..end] too long for a listpack converts it. */
function tryConversion(c: Client, h: HashValue, argv: string[], start: number, end: number): void {
  if (!h.isListpack) return;
  const max = maxValue(c);
  for (let i = start; i <= end; i++) {
    if (argv[i].length > max) {
      h.toHashtable();
      return;
    }
  }
}

/** hashTypeSet with its encoding checks; true when the field is new. */
function hashSet(c: Client, h: HashValue, field: string, value: string): boolean {
  if (h.isListpack) {
    const max = maxValue(c);
    if (field.length > max || value.length > max) h.toHashtable();
  }
  const isNew = h.set(field, value);
  if (h.isListpack && h.size > c.server.config.num('hash-max-listpack-entries')) h.toHashtable();
  return isNew;
}

/** The hash at key for a read; undefined when missing; null after a WRONGTYPE reply. */
function readHash(c: Client, key: string): HashValue | undefined | null {
  const o = c.db.lookupRead(key);
  if (o === undefined) return undefined;
  if (o.type !== OBJ_HASH) {
    c.reply.wrongType();
    return null;
  }
  return o.value as HashValue;
}

/**
 * hashTypeLookupWriteOrCreate, with the creation deferred: the existing hash, a new detached one
 * (`created`; store it with commit), or null after a WRONGTYPE reply.
 */
function writeHash(c: Client, key: string): { h: HashValue; created: boolean } | null {
  const o = c.db.lookupWrite(key);
  if (o === undefined) return { h: new HashValue(), created: true };
  if (o.type !== OBJ_HASH) {
    c.reply.wrongType();
    return null;
  }
  return { h: o.value as HashValue, created: false };
}

/** Store a created hash, or signal the in-place change of an existing one. */
function commit(c: Client, key: string, w: { h: HashValue; created: boolean }): void {
  if (w.created) c.db.setKey(key, OBJ_HASH, w.h);
  else c.server.signalModifiedKey(c.db, key);
}

/** HSET / HMSET */
function hsetGeneric(c: Client, argv: string[], isHmset: boolean): void {
  if (argv.length % 2 === 1) {
    c.reply.err(`wrong number of arguments for '${isHmset ? 'hmset' : 'hset'}' command`);
    return;
  }
  const key = argv[1];
  const w = writeHash(c, key);
  if (w === null) return;
  tryConversion(c, w.h, argv, 2, argv.length - 1);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (hashSet(c, w.h, argv[i], argv[i + 1])) created++;
  }
  commit(c, key, w);
  if (isHmset) c.reply.ok();
  else c.reply.int(created);
  c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hset', key, c.db.id);
  c.server.dirty += (argv.length - 2) / 2;
}

/** HKEYS / HVALS / HGETALL */
function getall(c: Client, key: string, keys: boolean, vals: boolean): void {
  const h = readHash(c, key);
  if (h === null) return;
  const both = keys && vals;
  if (h === undefined) {
    if (both) c.reply.mapLen(0);
    else c.reply.emptyArray();
    return;
  }
  if (both) c.reply.mapLen(h.size);
  else c.reply.arrayLen(h.size);
  const r = c.reply;
  h.forEach((f, v) => {
    if (keys) r.bulk(f);
    if (vals) r.bulk(v);
  });
}

/** HRANDFIELD key count [WITHVALUES] (hrandfieldWithCountCommand) */
function hrandfieldWithCount(c: Client, key: string, l: number, withvalues: boolean): void {
  const h = readHash(c, key);
  if (h === null) return;
  if (h === undefined) return c.reply.emptyArray();
  const size = h.size;
  const uniq = l >= 0;
  const count = Math.abs(l);
  const r = c.reply;
  if (count === 0) return r.emptyArray();
  const rand = (n: number): number => Math.floor(c.server.random() * n);
  const pair = (f: string, v: string): void => {
    if (withvalues && r.resp > 2) r.arrayLen(2);
    r.bulk(f);
    if (withvalues) r.bulk(v);
  };
  const [fields, vals] = h.arrays();

  // CASE 1: negative count (repetitions allowed), or a single pick.
  if (!uniq || count === 1) {
    r.arrayLen(withvalues && r.resp === 2 ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      const j = rand(size);
      pair(fields[j], vals[j]);
    }
    return;
  }
  const n = count < size ? count : size;
  r.arrayLen(withvalues && r.resp === 2 ? n * 2 : n);
  // CASE 2: the whole hash, in its order.
  if (count >= size) {
    for (let i = 0; i < size; i++) pair(fields[i], vals[i]);
    return;
  }
  // CASE 2.5-4: count distinct picks (partial Fisher-Yates over the slots). A listpack gives
  // them in its own order (lpRandomPairsUnique); a hash table in no particular order.
  const slots = Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rand(size - i);
    const t = slots[i];
    slots[i] = slots[j];
    slots[j] = t;
  }
  const picked = slots.slice(0, count);
  if (h.isListpack) picked.sort((a, b) => a - b);
  for (const j of picked) pair(fields[j], vals[j]);
}

/** HSCAN key cursor [MATCH pattern] [COUNT count] */
function hscan(c: Client, argv: string[]): void {
  const scan = collectionScanArgs(c, argv, OBJ_HASH);
  if (scan === null) return;
  const { cursor, count, pattern } = scan;
  const h = scan.o.value as HashValue;
  const match = pattern === null ? null : compileGlob(pattern);
  const out: string[] = [];
  const visit = (f: string, v: string): void => {
    if (match !== null && !match(f)) return;
    out.push(f, v);
  };
  let next = 0;
  // A listpack is returned whole in one call, whatever the cursor and COUNT.
  if (h.isListpack) h.forEach(visit);
  else next = h.scan(cursor, count, visit);
  c.reply.arrayLen(2);
  c.reply.bulk(String(next));
  c.reply.bulks(out);
}

export const hashCommands: CommandSpec[] = [
  {
    name: 'hset', arity: -4, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Sets one or more fields of a hash (creating it if needed); replies how many fields were new.',
    complexity: 'O(1) per field/value pair', syntax: 'key field value [field value ...]',
    handler(c, argv) {
      hsetGeneric(c, argv, false);
    },
  },
  {
    name: 'hmset', arity: -4, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Sets one or more fields of a hash and replies OK (superseded by HSET).',
    complexity: 'O(1) per field/value pair', syntax: 'key field value [field value ...]',
    handler(c, argv) {
      hsetGeneric(c, argv, true);
    },
  },
  {
    name: 'hsetnx', arity: 4, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Sets a field of a hash only if the field does not exist yet; replies 1 or 0.',
    complexity: 'O(1)', syntax: 'key field value',
    handler(c, argv) {
      const key = argv[1];
      const w = writeHash(c, key);
      if (w === null) return;
      if (w.h.has(argv[2])) return c.reply.int(0); // (never for a new hash: it is empty)
      tryConversion(c, w.h, argv, 2, 3);
      hashSet(c, w.h, argv[2], argv[3]);
      commit(c, key, w);
      c.reply.int(1);
      c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hset', key, c.db.id);
      c.server.dirty++;
    },
  },
  {
    name: 'hget', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: "Returns the value of a hash field, or nil when the field or the key is missing.",
    complexity: 'O(1)', syntax: 'key field',
    handler(c, argv) {
      const h = readHash(c, argv[1]);
      if (h === null) return;
      const v = h === undefined ? undefined : h.get(argv[2]);
      if (v === undefined) c.reply.nil();
      else c.reply.bulk(v);
    },
  },
  {
    name: 'hmget', arity: -3, flags: 'readonly fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Returns the values of several hash fields, nil for each missing one.',
    complexity: 'O(N) for N fields', syntax: 'key field [field ...]',
    handler(c, argv) {
      const h = readHash(c, argv[1]);
      if (h === null) return;
      c.reply.arrayLen(argv.length - 2);
      for (let i = 2; i < argv.length; i++) {
        const v = h === undefined ? undefined : h.get(argv[i]);
        if (v === undefined) c.reply.nil();
        else c.reply.bulk(v);
      }
    },
  },
  {
    name: 'hgetall', arity: 2, flags: 'readonly', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    tips: 'nondeterministic_output_order',
    summary: 'Returns every field and value of a hash (a map in RESP3).',
    complexity: 'O(N) for a hash of N fields', syntax: 'key',
    handler(c, argv) {
      getall(c, argv[1], true, true);
    },
  },
  {
    name: 'hkeys', arity: 2, flags: 'readonly', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    tips: 'nondeterministic_output_order',
    summary: 'Returns every field name of a hash.',
    complexity: 'O(N) for a hash of N fields', syntax: 'key',
    handler(c, argv) {
      getall(c, argv[1], true, false);
    },
  },
  {
    name: 'hvals', arity: 2, flags: 'readonly', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    tips: 'nondeterministic_output_order',
    summary: 'Returns every value of a hash.',
    complexity: 'O(N) for a hash of N fields', syntax: 'key',
    handler(c, argv) {
      getall(c, argv[1], false, true);
    },
  },
  {
    name: 'hdel', arity: -3, flags: 'write fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Removes fields from a hash (the key goes with its last field); replies how many were removed.',
    complexity: 'O(N) for N fields', syntax: 'key field [field ...]',
    handler(c, argv) {
      const key = argv[1];
      const db = c.db;
      const o = db.lookupWrite(key);
      if (o === undefined) return c.reply.int(0);
      if (o.type !== OBJ_HASH) return c.reply.wrongType();
      const h = o.value as HashValue;
      let deleted = 0;
      let removed = false;
      for (let j = 2; j < argv.length; j++) {
        if (h.delete(argv[j])) {
          deleted++;
          if (h.size === 0) {
            db.delete(key);
            removed = true;
            break;
          }
        }
      }
      if (deleted) {
        c.server.signalModifiedKey(db, key);
        c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hdel', key, db.id);
        if (removed) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, db.id);
        c.server.dirty += deleted;
      }
      c.reply.int(deleted);
    },
  },
  {
    name: 'hlen', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Returns the number of fields in a hash, 0 when the key is missing.',
    complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      const h = readHash(c, argv[1]);
      if (h === null) return;
      c.reply.int(h === undefined ? 0 : h.size);
    },
  },
  {
    name: 'hstrlen', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], group: 'hash', since: '3.2.0',
    summary: "Returns the length in bytes of a hash field's value, 0 when missing.",
    complexity: 'O(1)', syntax: 'key field',
    handler(c, argv) {
      const h = readHash(c, argv[1]);
      if (h === null) return;
      const v = h === undefined ? undefined : h.get(argv[2]);
      c.reply.int(v === undefined ? 0 : v.length);
    },
  },
  {
    name: 'hexists', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Replies 1 when a hash has the field, else 0.',
    complexity: 'O(1)', syntax: 'key field',
    handler(c, argv) {
      const h = readHash(c, argv[1]);
      if (h === null) return;
      c.reply.int(h !== undefined && h.has(argv[2]) ? 1 : 0);
    },
  },
  {
    name: 'hincrby', arity: 4, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'hash', since: '2.0.0',
    summary: 'Adds a 64-bit integer to the integer in a hash field (0 when missing) and replies the result.',
    complexity: 'O(1)', syntax: 'key field increment',
    handler(c, argv) {
      const incr = string2ll(argv[3]);
      if (incr === null) return c.reply.err('value is not an integer or out of range');
      const key = argv[1];
      const w = writeHash(c, key);
      if (w === null) return;
      let value: Int64 = 0;
      const cur = w.h.get(argv[2]);
      if (cur !== undefined) {
        const v = string2ll(cur);
        if (v === null) return c.reply.err('hash value is not an integer');
        value = v;
      }
      const sum = BigInt(value) + BigInt(incr);
      if (sum > LLONG_MAX || sum < LLONG_MIN) return c.reply.err('increment or decrement would overflow');
      const s = String(sum);
      hashSet(c, w.h, argv[2], s);
      commit(c, key, w);
      c.reply.int(Number.isSafeInteger(Number(sum)) ? Number(sum) : sum);
      c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hincrby', key, c.db.id);
      c.server.dirty++;
    },
  },
  {
    name: 'hincrbyfloat', arity: 4, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'hash', since: '2.6.0',
    summary: 'Adds a decimal number to the number in a hash field (0 when missing), in long double precision, and replies the result.',
    complexity: 'O(1)', syntax: 'key field increment',
    handler(c, argv) {
      const incr = string2ld(argv[3]);
      if (incr === null) return c.reply.err('value is not a valid float');
      if (!ldIsFinite(incr)) return c.reply.err('value is NaN or Infinity');
      const key = argv[1];
      const w = writeHash(c, key);
      if (w === null) return;
      let value = ldZero();
      const cur = w.h.get(argv[2]);
      if (cur !== undefined) {
        // A listpack holds integer-looking values as integers (read back exactly).
        const asInt = w.h.isListpack && cur.length < 21 ? string2ll(cur) : null;
        const v = asInt !== null ? ldFromInt(asInt) : cur.length < MAX_LONG_DOUBLE_CHARS ? string2ld(cur) : null;
        if (v === null) return c.reply.err('hash value is not a float');
        value = v;
      }
      const sum = ldAdd(value, incr);
      if (!ldIsFinite(sum)) return c.reply.err('increment would produce NaN or Infinity');
      const s = ld2string(sum);
      hashSet(c, w.h, argv[2], s);
      commit(c, key, w);
      c.reply.bulk(s);
      c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hincrbyfloat', key, c.db.id);
      c.server.dirty++;
      // Replicated as the value it produced: float formatting and precision may differ elsewhere.
      c.argv = ['HSET', key, argv[2], s];
    },
  },
  {
    name: 'hrandfield', arity: -2, flags: 'readonly', keys: [1, 1, 1], group: 'hash', since: '6.2.0',
    tips: 'nondeterministic_output',
    summary: 'Returns random fields of a hash: one, or count distinct ones, or (negative count) count picks that may repeat, optionally with values.',
    complexity: 'O(N) for N fields returned',
    syntax: 'key [count [WITHVALUES]]',
    handler(c, argv) {
      if (argv.length >= 3) {
        const v = string2ll(argv[2]);
        if (v === null) return c.reply.err('value is not an integer or out of range');
        if (v < -LLONG_MAX) {
          return c.reply.err('value is out of range, value must between -9223372036854775807 and 9223372036854775807');
        }
        let withvalues = false;
        if (argv.length > 4 || (argv.length === 4 && !argIs(argv[3], 'withvalues'))) return c.reply.syntaxErr();
        if (argv.length === 4) {
          withvalues = true;
          if (v < -(LLONG_MAX / 2n) || v > LLONG_MAX / 2n) return c.reply.err('value is out of range');
        }
        return hrandfieldWithCount(c, argv[1], Number(v), withvalues);
      }
      const h = readHash(c, argv[1]);
      if (h === null) return;
      if (h === undefined) return c.reply.nil();
      const [fields] = h.arrays();
      c.reply.bulk(fields[Math.floor(c.server.random() * fields.length)]);
    },
  },
  {
    name: 'hscan', arity: -3, flags: 'readonly', keys: [1, 1, 1], group: 'hash', since: '2.8.0',
    tips: 'nondeterministic_output',
    summary: "Walks a hash's fields and values a few at a time with a cursor; 0 starts and ends a full pass.",
    complexity: 'O(1) per call, O(N) for a full pass over N fields',
    syntax: 'key cursor [MATCH pattern] [COUNT count]',
    handler: hscan,
  },
];
