import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_SET, RObj } from '../object';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../notify';
import { string2ll } from '../util/numbers';
import { argIs } from '../util/bytes';
import { compileGlob } from '../util/glob';
import { argPositive, keysAfterNumkeys } from './args';
import { RSet, createSetFor, newIntsetSet } from '../types/set';
import { collectionScanArgs } from './keys';

/**
 * The set commands (t_set.c): SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SPOP,
 * SRANDMEMBER, SMOVE, the SINTER/SUNION/SDIFF families and SSCAN, with Redis 7.0's replies,
 * errors, encodings (types/set.ts), keyspace events and dirty counts.
 */

const LONG_MAX = 9223372036854775807n;

/** set-max-intset-entries, capped at 2^30 as setTypeAdd does ("intset internals"). */
function maxIntset(c: Client): number {
  return Math.min(c.server.config.num('set-max-intset-entries'), 1 << 30);
}

/**
 * lookupKey + checkType for a set: the object, undefined when missing, or null after a
 * WRONGTYPE reply.
 */
function lookupSet(c: Client, key: string, write: boolean): RObj | undefined | null {
  const o = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (o === undefined) return undefined;
  if (o.type !== OBJ_SET) {
    c.reply.wrongType();
    return null;
  }
  return o;
}

/** dbAdd of a new set (no modified-key signal: the caller signals once its change is done). */
function addSetKey(c: Client, key: string, s: RSet): RObj {
  const o = new RObj(OBJ_SET, s, c.server.newObjectLru());
  c.db.add(key, o);
  return o;
}

/** Reply with members as a RESP3 set (array in RESP2). */
function replySet(c: Client, members: readonly string[]): void {
  c.reply.setLen(members.length);
  for (const m of members) c.reply.bulk(m);
}

// ---- SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS ----

function saddCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  let o = lookupSet(c, key, true);
  if (o === null) return;
  if (o === undefined) o = addSetKey(c, key, createSetFor(argv[2]));
  const s = o.value as RSet;
  const max = maxIntset(c);
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (s.add(argv[j], max)) added++;
  if (added) {
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_SET, 'sadd', key, c.db.id);
  }
  c.server.dirty += added;
  c.reply.int(added);
}

function sremCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = lookupSet(c, key, true);
  if (o === null) return;
  if (o === undefined) return c.reply.int(0);
  const s = o.value as RSet;
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (s.remove(argv[j])) {
      deleted++;
      if (s.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted) {
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_SET, 'srem', key, c.db.id);
    if (keyRemoved) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

function scardCommand(c: Client, argv: string[]): void {
  const o = lookupSet(c, argv[1], false);
  if (o === null) return;
  c.reply.int(o === undefined ? 0 : (o.value as RSet).size);
}

function sismemberCommand(c: Client, argv: string[]): void {
  const o = lookupSet(c, argv[1], false);
  if (o === null) return;
  c.reply.int(o !== undefined && (o.value as RSet).has(argv[2]) ? 1 : 0);
}

function smismemberCommand(c: Client, argv: string[]): void {
  const o = lookupSet(c, argv[1], false);
  if (o === null) return;
  const s = o === undefined ? null : (o.value as RSet);
  c.reply.arrayLen(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.reply.int(s !== null && s.has(argv[j]) ? 1 : 0);
}

// ---- SPOP, SRANDMEMBER ----

/** SPOP_MOVE_STRATEGY_MUL */
const SPOP_MOVE_STRATEGY_MUL = 5;

function spopCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) return spopWithCount(c, argv);
  if (argv.length > 3) return c.reply.syntaxErr();
  const key = argv[1];
  const o = lookupSet(c, key, true);
  if (o === null) return;
  if (o === undefined) return c.reply.nil();
  const s = o.value as RSet;
  const ele = s.random(() => c.server.random());
  s.remove(ele);
  c.server.notifyKeyspaceEvent(NOTIFY_SET, 'spop', key, c.db.id);
  c.argv = ['SREM', key, ele]; // replicated as an SREM
  c.reply.bulk(ele);
  if (s.size === 0) {
    c.db.delete(key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  }
  c.server.signalModifiedKey(c.db, key);
  c.server.dirty++;
}

function spopWithCount(c: Client, argv: string[]): void {
  const count = argPositive(c, argv[2]);
  if (count === null) return;
  const key = argv[1];
  const o = lookupSet(c, key, true);
  if (o === null) return;
  if (o === undefined || count === 0) return c.reply.setLen(0);
  const s = o.value as RSet;
  const size = s.size;
  c.server.notifyKeyspaceEvent(NOTIFY_SET, 'spop', key, c.db.id);
  c.server.dirty += Math.min(count, size);

  if (count >= size) {
    // The whole set, replied as SUNION of it would (a keyspace hit, the union's own order).
    c.db.lookupRead(key);
    replySet(c, unionOf([s], maxIntset(c)).ordered());
    c.db.delete(key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    c.argv = ['DEL', key]; // replicated as a DEL (whatever the lazyfree settings, in 7.0)
    c.server.signalModifiedKey(c.db, key);
    return;
  }

  const remaining = size - count;
  const rnd = () => c.server.random();
  const popped: string[] = [];
  for (let i = 0; i < count; i++) {
    const ele = s.random(rnd);
    s.remove(ele);
    popped.push(ele);
  }
  // With few members left Redis keeps the remaining ones in a new set (setTypeCreate + adds),
  // whose encoding follows its contents.
  if (remaining * SPOP_MOVE_STRATEGY_MUL <= count) s.recode(maxIntset(c));
  replySet(c, popped);
  // Replicated as one SREM per member popped (wrapped in MULTI/EXEC with the others), not as SPOP.
  for (const ele of popped) c.server.propagate(c.db.id, ['SREM', key, ele]);
  c.preventPropagation = true;
  c.server.signalModifiedKey(c.db, key);
}

function srandmemberCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) return srandmemberWithCount(c, argv);
  if (argv.length > 3) return c.reply.syntaxErr();
  const o = lookupSet(c, argv[1], false);
  if (o === null) return;
  if (o === undefined) return c.reply.nil();
  c.reply.bulk((o.value as RSet).random(() => c.server.random()));
}

function srandmemberWithCount(c: Client, argv: string[]): void {
  const v = string2ll(argv[2]);
  if (v === null) return c.reply.err('value is not an integer or out of range');
  if (v < -LONG_MAX) {
    return c.reply.err('value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  const uniq = v >= 0;
  const count = Number(uniq ? v : -v);
  const o = lookupSet(c, argv[1], false);
  if (o === null) return;
  if (o === undefined || count === 0) return c.reply.arrayLen(0);
  const s = o.value as RSet;
  const rnd = () => c.server.random();
  // Repeats allowed (negative count), or a single pick: independent random picks.
  if (!uniq || count === 1) {
    c.reply.arrayLen(count);
    for (let i = 0; i < count; i++) c.reply.bulk(s.random(rnd));
    return;
  }
  const size = s.size;
  if (count >= size) {
    const all = s.ordered();
    c.reply.arrayLen(all.length);
    for (const m of all) c.reply.bulk(m);
    return;
  }
  // count distinct members: a partial Fisher-Yates shuffle over the member positions.
  const swapped = new Map<number, number>();
  const at = (i: number): number => swapped.get(i) ?? i;
  c.reply.arrayLen(count);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rnd() * (size - i));
    const pick = at(j);
    swapped.set(j, at(i));
    c.reply.bulk(s.members[pick]);
  }
}

// ---- SMOVE ----

function smoveCommand(c: Client, argv: string[]): void {
  const [, src, dst, ele] = argv;
  const so = c.db.lookupWrite(src);
  const dso = c.db.lookupWrite(dst);
  if (so === undefined) return c.reply.int(0);
  if (so.type !== OBJ_SET || (dso !== undefined && dso.type !== OBJ_SET)) return c.reply.wrongType();
  const srcSet = so.value as RSet;
  if (so === dso) return c.reply.int(srcSet.has(ele) ? 1 : 0);
  if (!srcSet.remove(ele)) return c.reply.int(0);
  c.server.notifyKeyspaceEvent(NOTIFY_SET, 'srem', src, c.db.id);
  if (srcSet.size === 0) {
    c.db.delete(src);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', src, c.db.id);
  }
  const dstObj = dso ?? addSetKey(c, dst, createSetFor(ele));
  c.server.signalModifiedKey(c.db, src);
  c.server.dirty++;
  if ((dstObj.value as RSet).add(ele, maxIntset(c))) {
    c.server.dirty++;
    c.server.signalModifiedKey(c.db, dst);
    c.server.notifyKeyspaceEvent(NOTIFY_SET, 'sadd', dst, c.db.id);
  }
  c.reply.int(1);
}

// ---- SINTER, SINTERCARD, SINTERSTORE ----

/**
 * The sets at keys (null for a missing key), or false after a WRONGTYPE reply. Looked up for
 * reading (hits and misses counted), the *STORE forms too, as Redis 7.0 does.
 */
function lookupSets(c: Client, keys: readonly string[]): (RSet | null)[] | false {
  const out: (RSet | null)[] = [];
  for (const k of keys) {
    const o = lookupSet(c, k, false);
    if (o === null) return false;
    out.push(o === undefined ? null : (o.value as RSet));
  }
  return out;
}

/** Store a *STORE result at dst (or delete dst when empty) and reply with its size. */
function storeResult(c: Client, dst: string, result: RSet, event: string): void {
  if (result.size > 0) {
    c.db.lookupWrite(dst); // setKey looks the key up for writing first (lazy expiry)
    c.db.setKey(dst, OBJ_SET, result);
    c.reply.int(result.size);
    c.server.notifyKeyspaceEvent(NOTIFY_SET, event, dst, c.db.id);
    c.server.dirty++;
  } else {
    c.reply.int(0);
    if (c.db.delete(dst)) {
      c.server.dirty++;
      c.server.signalModifiedKey(c.db, dst);
      c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', dst, c.db.id);
    }
  }
}

/** sinterGenericCommand: dst for SINTERSTORE, cardOnly (with its limit, 0 = none) for SINTERCARD. */
function sinterGeneric(c: Client, keys: readonly string[], dst: string | null, cardOnly: boolean, limit: number): void {
  const found = lookupSets(c, keys);
  if (found === false) return;
  if (found.some((s) => s === null)) {
    // Intersection with an empty set is empty.
    if (dst !== null) {
      if (c.db.delete(dst)) {
        c.server.signalModifiedKey(c.db, dst);
        c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', dst, c.db.id);
        c.server.dirty++;
      }
      c.reply.int(0);
    } else if (cardOnly) c.reply.int(0);
    else c.reply.setLen(0);
    return;
  }
  // Smallest first (a stable sort, as glibc's qsort is): it is the one iterated.
  const sets = (found as RSet[]).slice().sort((a, b) => a.size - b.size);
  const first = sets[0];
  const max = maxIntset(c);
  const result = dst !== null ? newIntsetSet() : null;
  const out: string[] = [];
  let card = 0;
  for (const m of first.ordered()) {
    let j = 1;
    for (; j < sets.length; j++) {
      if (sets[j] === first) continue;
      if (!sets[j].has(m)) break;
    }
    if (j !== sets.length) continue;
    if (cardOnly) {
      card++;
      if (limit && card >= limit) break;
    } else if (result !== null) result.add(m, max);
    else out.push(m);
  }
  if (cardOnly) c.reply.int(card);
  else if (result !== null) storeResult(c, dst!, result, 'sinterstore');
  else replySet(c, out);
}

function sinterCommand(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(1), null, false, 0);
}

function sinterstoreCommand(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(2), argv[1], false, 0);
}

function sintercardCommand(c: Client, argv: string[]): void {
  const nk = string2ll(argv[1]);
  if (nk === null || nk < 1) return c.reply.err('numkeys should be greater than 0');
  const numkeys = Number(nk);
  if (numkeys > argv.length - 2) return c.reply.err("Number of keys can't be greater than number of args");
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (argIs(argv[j], 'limit') && more) {
      j++;
      const l = argPositive(c, argv[j], "LIMIT can't be negative");
      if (l === null) return;
      limit = l;
    } else {
      return c.reply.syntaxErr();
    }
  }
  sinterGeneric(c, argv.slice(2, 2 + numkeys), null, true, limit);
}

// ---- SUNION, SDIFF and their STORE forms ----

/** The union as Redis builds it: a new set, starting as an intset, every member added. */
function unionOf(sets: readonly (RSet | null)[], max: number): RSet {
  const out = newIntsetSet();
  for (const s of sets) if (s !== null) for (const m of s.ordered()) out.add(m, max);
  return out;
}

function sunionDiffGeneric(c: Client, keys: readonly string[], dst: string | null, diff: boolean): void {
  const sets = lookupSets(c, keys);
  if (sets === false) return;
  const max = maxIntset(c);
  let result: RSet;
  if (!diff) result = unionOf(sets, max);
  else {
    result = newIntsetSet();
    const first = sets[0];
    const sameSet = first !== null && sets.some((s, j) => j > 0 && s === first);
    if (first !== null && !sameSet) {
      for (const m of first.ordered()) {
        let j = 1;
        for (; j < sets.length; j++) {
          const s = sets[j];
          if (s !== null && s.has(m)) break;
        }
        if (j === sets.length) result.add(m, max);
      }
    }
  }
  if (dst === null) replySet(c, result.ordered());
  else storeResult(c, dst, result, diff ? 'sdiffstore' : 'sunionstore');
}

// ---- SMEMBERS, SSCAN ----

function smembersCommand(c: Client, argv: string[]): void {
  // Redis 7.0 serves SMEMBERS as a one-set SINTER.
  sinterGeneric(c, [argv[1]], null, false, 0);
}

function sscanCommand(c: Client, argv: string[]): void {
  const scan = collectionScanArgs(c, argv, OBJ_SET);
  if (scan === null) return;
  const { cursor, count, pattern } = scan;
  const s = scan.o.value as RSet;
  let items: readonly string[];
  let next = 0;
  if (s.intset) {
    // Not a hashtable: everything in one call, cursor 0.
    items = s.ordered();
  } else {
    const found: string[] = [];
    let pos = cursor === 0 ? s.size : Math.min(cursor, s.size);
    while (pos > 0 && found.length < count) found.push(s.members[--pos]);
    items = found;
    next = pos;
  }
  const match = pattern === null ? null : compileGlob(pattern);
  const out = match === null ? items : items.filter((m) => match(m));
  c.reply.arrayLen(2);
  c.reply.bulk(String(next));
  c.reply.bulks(out as string[]);
}

export const setCommands: CommandSpec[] = [
  {
    name: 'sadd', arity: -3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Adds members to a set, creating it if needed; answers how many were new.',
    complexity: 'O(1) per member added.', syntax: 'key member [member ...]',
    handler: saddCommand,
  },
  {
    name: 'srem', arity: -3, flags: 'write fast', keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Removes members from a set (deleting it when emptied); answers how many were there.',
    complexity: 'O(N) for N members named.', syntax: 'key member [member ...]',
    handler: sremCommand,
  },
  {
    name: 'scard', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Counts the members of a set (0 for a missing key).',
    complexity: 'O(1)', syntax: 'key',
    handler: scardCommand,
  },
  {
    name: 'sismember', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], group: 'set', since: '1.0.0',
    summary: 'Tells whether one value is a member of a set (1 or 0).',
    complexity: 'O(1)', syntax: 'key member',
    handler: sismemberCommand,
  },
  {
    name: 'smismember', arity: -3, flags: 'readonly fast', keys: [1, 1, 1], group: 'set', since: '6.2.0',
    summary: 'Tells, for each value given, whether it is a member of a set (a list of 1s and 0s).',
    complexity: 'O(N) for N values checked.', syntax: 'key member [member ...]',
    handler: smismemberCommand,
  },
  {
    name: 'smembers', arity: 2, flags: 'readonly', keys: [1, 1, 1], group: 'set', since: '1.0.0',
    tips: 'nondeterministic_output_order',
    summary: 'Lists every member of a set.',
    complexity: 'O(N) for a set of N members.', syntax: 'key',
    handler: smembersCommand,
  },
  {
    name: 'spop', arity: -2, flags: 'write fast', keys: [1, 1, 1], group: 'set', since: '1.0.0',
    tips: 'nondeterministic_output',
    summary: 'Removes and returns one random member of a set, or up to count distinct ones.',
    complexity: 'O(1) for one member; O(N) for a count of N.', syntax: 'key [count]',
    handler: spopCommand,
  },
  {
    name: 'srandmember', arity: -2, flags: 'readonly', keys: [1, 1, 1], group: 'set', since: '1.0.0',
    tips: 'nondeterministic_output',
    summary: 'Returns random members without removing them: distinct for a positive count, repeats allowed for a negative one.',
    complexity: 'O(1) for one member; O(|count|) otherwise.', syntax: 'key [count]',
    handler: srandmemberCommand,
  },
  {
    name: 'smove', arity: 4, flags: 'write fast', keys: [1, 2, 1], group: 'set', since: '1.0.0',
    summary: 'Moves one member from a set to another; answers 1 if it was in the source.',
    complexity: 'O(1)', syntax: 'source destination member',
    handler: smoveCommand,
  },
  {
    name: 'sinter', arity: -2, flags: 'readonly', keys: [1, -1, 1], group: 'set', since: '1.0.0',
    tips: 'nondeterministic_output_order',
    summary: 'Lists the members common to all the given sets (missing keys count as empty).',
    complexity: 'O(N*M) at worst, N the smallest set\'s size and M the number of sets.', syntax: 'key [key ...]',
    handler: sinterCommand,
  },
  {
    name: 'sintercard', arity: -3, flags: 'readonly movablekeys', group: 'set', since: '7.0.0',
    summary: 'Counts the members common to the given sets, optionally stopping once LIMIT is reached.',
    complexity: 'O(N*M) at worst, N the smallest set\'s size and M the number of sets.',
    syntax: 'numkeys key [key ...] [LIMIT limit]',
    getKeys: (argv) => keysAfterNumkeys(argv, 1),
    handler: sintercardCommand,
  },
  {
    name: 'sinterstore', arity: -3, flags: 'write denyoom', keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Stores the intersection of sets at a destination key (deleting it when empty); answers its size.',
    complexity: 'O(N*M) at worst, N the smallest set\'s size and M the number of sets.',
    syntax: 'destination key [key ...]',
    handler: sinterstoreCommand,
  },
  {
    name: 'sunion', arity: -2, flags: 'readonly', keys: [1, -1, 1], group: 'set', since: '1.0.0',
    tips: 'nondeterministic_output_order',
    summary: 'Lists the members found in any of the given sets.',
    complexity: 'O(N) for N members over all the sets.', syntax: 'key [key ...]',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, false),
  },
  {
    name: 'sunionstore', arity: -3, flags: 'write denyoom', keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Stores the union of sets at a destination key (deleting it when empty); answers its size.',
    complexity: 'O(N) for N members over all the sets.', syntax: 'destination key [key ...]',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1], false),
  },
  {
    name: 'sdiff', arity: -2, flags: 'readonly', keys: [1, -1, 1], group: 'set', since: '1.0.0',
    tips: 'nondeterministic_output_order',
    summary: 'Lists the members of the first set that are in none of the others.',
    complexity: 'O(N) for N members over all the sets.', syntax: 'key [key ...]',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, true),
  },
  {
    name: 'sdiffstore', arity: -3, flags: 'write denyoom', keys: [1, -1, 1], group: 'set', since: '1.0.0',
    summary: 'Stores the difference of the first set and the others at a destination key; answers its size.',
    complexity: 'O(N) for N members over all the sets.', syntax: 'destination key [key ...]',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1], true),
  },
  {
    name: 'sscan', arity: -3, flags: 'readonly', keys: [1, 1, 1], group: 'set', since: '2.8.0',
    tips: 'nondeterministic_output',
    summary: 'Walks the members of a set a few at a time with a cursor; 0 starts and ends a full pass.',
    complexity: 'O(1) per call; O(N) for a full pass over N members.',
    syntax: 'key cursor [MATCH pattern] [COUNT count]',
    handler: sscanCommand,
  },
];
