import type { CommandSpec } from './table';
import type { Client } from '../client';
import type { Db } from '../keyspace';
import { OBJ_LIST } from '../object';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../notify';
import { LLONG_MIN, string2ll } from '../util/numbers';
import { argPositive, argMpop, keysAfterNumkeys } from './args';
import { ListValue } from '../types/list';
import { parseTimeout } from '../blocking';
import type { RObj } from '../object';
import { argIs } from '../util/bytes';

/**
 * The list commands (t_list.c, Redis 7.0): pushes and pops at both ends, LRANGE/LINDEX/LSET,
 * LINSERT, LREM, LTRIM, LPOS, LMOVE/RPOPLPUSH and LMPOP, and the blocking variants (BLPOP, BRPOP,
 * BLMOVE, BRPOPLPUSH, BLMPOP) on top of ../blocking.ts.
 */

const NOT_INT = 'value is not an integer or out of range';
const HEAD = 0;
const TAIL = 1;

/** getLongFromObjectOrReply as a JS number (exact for list sizes; huge values keep their sign). */
function argLong(c: Client, s: string): number | null {
  const v = string2ll(s);
  if (v === null) {
    c.reply.err(NOT_INT);
    return null;
  }
  return Number(v);
}

/** getListPositionFromObjectOrReply: LEFT or RIGHT. */
function argWhere(c: Client, s: string): number | null {
  if (argIs(s, 'left')) return HEAD;
  if (argIs(s, 'right')) return TAIL;
  c.reply.syntaxErr();
  return null;
}

/**
 * The hook for blocking commands: Redis's dbAdd calls signalKeyAsReady when a list key is
 * created, and the clients blocked on it are served after the command (handleClientsBlockedOnKeys).
 * Every place that creates a list key calls this (Db.add signals every new key too, through
 * Engine.keyAdded; a key signalled twice is queued once).
 */
export function signalListAsReady(db: Db, key: string): void {
  db.server.blocking.signalKeyAsReady(db, key);
}

/** createQuicklistObject + dbAdd: a new, empty list at key (which must not exist). */
function createList(c: Client, key: string): ListValue {
  const l = new ListValue(c.server.config.num('list-max-listpack-size'));
  c.db.setKey(key, OBJ_LIST, l);
  signalListAsReady(c.db, key);
  return l;
}

function push(l: ListValue, s: string, where: number): void {
  if (where === HEAD) l.pushHead(s);
  else l.pushTail(s);
}

function pop(l: ListValue, where: number): string {
  return (where === HEAD ? l.popHead() : l.popTail()) as string;
}

/** listElementsRemoved: the pop event, deleting the key once empty, dirty by count. */
function elementsRemoved(c: Client, key: string, where: number, l: ListValue, count: number): void {
  const db = c.db;
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, where === HEAD ? 'lpop' : 'rpop', key, db.id);
  if (l.length === 0) {
    db.delete(key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, db.id);
  }
  c.server.signalModifiedKey(db, key);
  c.server.dirty += count;
}

/** addListRangeReply: elements start..end (Redis's index rules), tail to head when reverse. */
function replyRange(c: Client, l: ListValue, start: number, end: number, reverse: boolean): void {
  const llen = l.length;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return c.reply.emptyArray();
  if (end >= llen) end = llen - 1;
  const n = end - start + 1;
  c.reply.arrayLen(n);
  if (reverse) for (let i = end; i >= start; i--) c.reply.bulk(l.get(i));
  else for (let i = start; i <= end; i++) c.reply.bulk(l.get(i));
}

/** LPOP/RPOP key [count]: what a pop from one end is replicated as (LMPOP, BLPOP, ...). */
function popArgv(key: string, where: number, count: number | null): string[] {
  const name = where === HEAD ? 'LPOP' : 'RPOP';
  return count === null ? [name, key] : [name, key, String(count)];
}

/** Pop count elements from one end, replying with them in pop order (listPopRange...). */
function popRange(c: Client, key: string, l: ListValue, where: number, count: number): void {
  const llen = l.length;
  const n = count > llen ? llen : count;
  c.reply.arrayLen(n);
  for (let i = 0; i < n; i++) c.reply.bulk(pop(l, where));
  elementsRemoved(c, key, where, l, n);
}

/** pushGenericCommand: LPUSH RPUSH LPUSHX RPUSHX */
function pushGeneric(c: Client, argv: string[], where: number, xx: boolean): void {
  const key = argv[1];
  const o = c.db.lookupWrite(key);
  if (o !== undefined && o.type !== OBJ_LIST) return c.reply.wrongType();
  let l: ListValue;
  if (o === undefined) {
    if (xx) return c.reply.int(0);
    l = createList(c, key);
  } else {
    l = o.value as ListValue;
  }
  for (let j = 2; j < argv.length; j++) push(l, argv[j], where);
  c.server.dirty += argv.length - 2;
  c.reply.int(l.length);
  c.server.signalModifiedKey(c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, where === HEAD ? 'lpush' : 'rpush', key, c.db.id);
}

/** popGenericCommand: LPOP RPOP [count] */
function popGeneric(c: Client, argv: string[], where: number): void {
  const hasCount = argv.length === 3;
  if (argv.length > 3) return c.reply.err(`wrong number of arguments for '${where === HEAD ? 'lpop' : 'rpop'}' command`);
  let count = 0;
  if (hasCount) {
    const v = argPositive(c, argv[2]);
    if (v === null) return;
    count = v;
  }
  const key = argv[1];
  const o = c.db.lookupWrite(key);
  if (o === undefined) return hasCount ? c.reply.nullArray() : c.reply.nil();
  if (o.type !== OBJ_LIST) return c.reply.wrongType();
  const l = o.value as ListValue;
  if (hasCount && count === 0) return c.reply.emptyArray();
  if (!hasCount) {
    c.reply.bulk(pop(l, where));
    elementsRemoved(c, key, where, l, 1);
  } else {
    popRange(c, key, l, where, count);
  }
}

/** lookupKeyReadOrReply-style list lookup: the list, or null after replying. */
function readList(c: Client, key: string, missing: () => void): ListValue | null {
  const o = c.db.lookupRead(key);
  if (o === undefined) {
    missing();
    return null;
  }
  if (o.type !== OBJ_LIST) {
    c.reply.wrongType();
    return null;
  }
  return o.value as ListValue;
}

function writeList(c: Client, key: string, missing: () => void): ListValue | null {
  const o = c.db.lookupWrite(key);
  if (o === undefined) {
    missing();
    return null;
  }
  if (o.type !== OBJ_LIST) {
    c.reply.wrongType();
    return null;
  }
  return o.value as ListValue;
}

/** A quicklist index (negative from the tail) as a position, or -1 when out of range. */
function position(l: ListValue, index: number): number {
  const i = index < 0 ? l.length + index : index;
  return i >= 0 && i < l.length ? i : -1;
}

/** lmoveGenericCommand: LMOVE and RPOPLPUSH. Returns whether an element moved. */
function lmoveGeneric(c: Client, src: string, dst: string, wherefrom: number, whereto: number): boolean {
  const db = c.db;
  const so = db.lookupWrite(src);
  const sl = so !== undefined && so.type === OBJ_LIST ? (so.value as ListValue) : null;
  if (so !== undefined && sl === null) {
    c.reply.wrongType();
    return false;
  }
  if (sl === null || sl.length === 0) {
    c.reply.nil();
    return false;
  }
  const dobj = db.lookupWrite(dst);
  if (dobj !== undefined && dobj.type !== OBJ_LIST) {
    c.reply.wrongType();
    return false;
  }
  const value = pop(sl, wherefrom);
  // lmoveHandlePush
  const dl = dobj === undefined ? createList(c, dst) : (dobj.value as ListValue);
  c.server.signalModifiedKey(db, dst);
  push(dl, value, whereto);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, whereto === HEAD ? 'lpush' : 'rpush', dst, db.id);
  c.reply.bulk(value);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, wherefrom === HEAD ? 'lpop' : 'rpop', src, db.id);
  if (sl.length === 0) {
    db.delete(src);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', src, db.id);
  }
  c.server.signalModifiedKey(db, src);
  c.server.dirty++;
  return true;
}

/** lmpopGenericCommand (non-blocking): LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function lmpop(c: Client, argv: string[]): void {
  const args = argMpop(c, argv, 1, 'left', 'right');
  if (args === null) return;
  const where = args.second ? TAIL : HEAD;
  // mpopGenericCommand
  for (const key of args.keys) {
    const o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== OBJ_LIST) return c.reply.wrongType();
    const l = o.value as ListValue;
    if (l.length === 0) continue;
    c.reply.arrayLen(2);
    c.reply.bulk(key);
    c.argv = popArgv(key, where, Math.min(args.count, l.length)); // replicated as LPOP/RPOP key count
    popRange(c, key, l, where, args.count);
    return;
  }
  c.reply.nullArray();
}

// ---- blocking pops (BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH) ----

/**
 * blockingPopGenericCommand: the first non-empty list among keys pops like [LR]POP (count = -1:
 * BLPOP/BRPOP's [key, element]; else BLMPOP's [key, [elements]]); with none, the client blocks.
 */
function blockingPop(c: Client, keys: string[], where: number, timeoutArg: string, count: number): void {
  const deadline = parseTimeout(c, timeoutArg);
  if (deadline === null) return;
  for (const key of keys) {
    const o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== OBJ_LIST) return c.reply.wrongType();
    const l = o.value as ListValue;
    if (l.length === 0) continue;
    // Replicated as the pop it did: LPOP/RPOP key, or with the count popped (BLMPOP).
    c.argv = popArgv(key, where, count === -1 ? null : Math.min(count, l.length));
    c.reply.arrayLen(2);
    c.reply.bulk(key);
    if (count === -1) {
      c.reply.bulk(pop(l, where));
      elementsRemoved(c, key, where, l, 1);
    } else {
      popRange(c, key, l, where, count);
    }
    return;
  }
  c.server.blocking.block(c, {
    db: c.db, keys, type: OBJ_LIST, deadline,
    serve: (rc: Client, key: string, o: RObj) => serveBlockedPop(rc, key, o.value as ListValue, where, count),
  });
}

/**
 * serveClientBlockedOnList for the pops: runs after the command that filled the list, outside any
 * call, so the pop is propagated here, on its own. BLPOP/BRPOP count no change in dirty (Redis
 * pops directly), BLMPOP does (through listElementsRemoved).
 */
function serveBlockedPop(c: Client, key: string, l: ListValue, where: number, count: number): void {
  c.server.propagate(c.db.id, popArgv(key, where, count === -1 ? null : Math.min(count, l.length)));
  c.reply.arrayLen(2);
  c.reply.bulk(key);
  if (count === -1) {
    c.reply.bulk(pop(l, where));
    const dirty = c.server.dirty;
    elementsRemoved(c, key, where, l, 1);
    c.server.dirty = dirty;
  } else {
    popRange(c, key, l, where, count);
  }
}

/** blmoveGenericCommand: BLMOVE and BRPOPLPUSH. */
function blmoveGeneric(c: Client, src: string, dst: string, wherefrom: number, whereto: number, timeoutArg: string): void {
  const deadline = parseTimeout(c, timeoutArg);
  if (deadline === null) return;
  const o = c.db.lookupWrite(src);
  if (o !== undefined && o.type !== OBJ_LIST) return c.reply.wrongType();
  const brpoplpush = c.argv.length === 4;
  if (o !== undefined) {
    // Replicated as the non-blocking form, with the arguments as given.
    const moved = lmoveGeneric(c, src, dst, wherefrom, whereto);
    if (moved) c.argv = brpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', ...c.argv.slice(1, 5)];
    return;
  }
  // Not allowed to block (inside EXEC or a script): a null bulk, unlike the pops' null array.
  if (c.denyBlocking) return c.reply.nil();
  c.server.blocking.block(c, {
    db: c.db, keys: [src], type: OBJ_LIST, deadline,
    // serveClientBlockedOnList: a wrong-type destination answers WRONGTYPE and unblocks. The move
    // is propagated here (as LMOVE with lower-case directions, or RPOPLPUSH) and counts no change
    // in dirty, as in Redis.
    serve: (rc: Client) => {
      const dirty = rc.server.dirty;
      if (!lmoveGeneric(rc, src, dst, wherefrom, whereto)) return;
      rc.server.dirty = dirty;
      const moveArgv = brpoplpush ? ['RPOPLPUSH', src, dst] : ['LMOVE', src, dst, whereName(wherefrom), whereName(whereto)];
      rc.server.propagate(rc.db.id, moveArgv);
    },
  });
}

/** getStringObjectFromListPosition: Redis's shared "left" / "right". */
function whereName(where: number): string {
  return where === HEAD ? 'left' : 'right';
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function blmpop(c: Client, argv: string[]): void {
  const args = argMpop(c, argv, 2, 'left', 'right');
  if (args === null) return;
  blockingPop(c, args.keys, args.second ? TAIL : HEAD, argv[1], args.count);
}

export const listCommands: CommandSpec[] = [
  {
    name: 'blpop', arity: -3, flags: 'write noscript blocking', keys: [1, -2, 1], group: 'list', since: '2.0.0',
    summary: 'Pops the first element of the first non-empty list among the keys, waiting for one up to a timeout.',
    complexity: 'O(N), N the number of keys', syntax: 'key [key ...] timeout',
    handler: (c, argv) => blockingPop(c, argv.slice(1, -1), HEAD, argv[argv.length - 1], -1),
  },
  {
    name: 'brpop', arity: -3, flags: 'write noscript blocking', keys: [1, -2, 1], group: 'list', since: '2.0.0',
    summary: 'Pops the last element of the first non-empty list among the keys, waiting for one up to a timeout.',
    complexity: 'O(N), N the number of keys', syntax: 'key [key ...] timeout',
    handler: (c, argv) => blockingPop(c, argv.slice(1, -1), TAIL, argv[argv.length - 1], -1),
  },
  {
    name: 'blmove', arity: 6, flags: 'write denyoom noscript blocking', keys: [1, 2, 1], group: 'list', since: '6.2.0',
    summary: 'Like LMOVE, but waits up to a timeout for the source list to get an element.',
    complexity: 'O(1)', syntax: 'source destination LEFT|RIGHT LEFT|RIGHT timeout',
    handler(c, argv) {
      const from = argWhere(c, argv[3]);
      if (from === null) return;
      const to = argWhere(c, argv[4]);
      if (to === null) return;
      blmoveGeneric(c, argv[1], argv[2], from, to, argv[5]);
    },
  },
  {
    name: 'brpoplpush', arity: 4, flags: 'write denyoom noscript blocking', keys: [1, 2, 1], group: 'list', since: '2.2.0',
    summary: 'Like RPOPLPUSH, but waits up to a timeout for the source list to get an element.',
    complexity: 'O(1)', syntax: 'source destination timeout',
    handler: (c, argv) => blmoveGeneric(c, argv[1], argv[2], TAIL, HEAD, argv[3]),
  },
  {
    name: 'blmpop', arity: -5, flags: 'write blocking movablekeys', keys: [0, 0, 0], group: 'list', since: '7.0.0',
    summary: 'Like LMPOP, but waits up to a timeout for one of the lists to get an element.',
    complexity: 'O(N+M): N the keys given, M the elements returned',
    syntax: 'timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]',
    getKeys: (argv) => keysAfterNumkeys(argv, 2),
    handler: blmpop,
  },
  {
    name: 'lpush', arity: -3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Adds elements at the head of a list, creating it when missing.',
    complexity: 'O(1) per element', syntax: 'key element [element ...]',
    handler: (c, argv) => pushGeneric(c, argv, HEAD, false),
  },
  {
    name: 'rpush', arity: -3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Adds elements at the tail of a list, creating it when missing.',
    complexity: 'O(1) per element', syntax: 'key element [element ...]',
    handler: (c, argv) => pushGeneric(c, argv, TAIL, false),
  },
  {
    name: 'lpushx', arity: -3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'list', since: '2.2.0',
    summary: 'Adds elements at the head of a list, only when the list already exists.',
    complexity: 'O(1) per element', syntax: 'key element [element ...]',
    handler: (c, argv) => pushGeneric(c, argv, HEAD, true),
  },
  {
    name: 'rpushx', arity: -3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'list', since: '2.2.0',
    summary: 'Adds elements at the tail of a list, only when the list already exists.',
    complexity: 'O(1) per element', syntax: 'key element [element ...]',
    handler: (c, argv) => pushGeneric(c, argv, TAIL, true),
  },
  {
    name: 'lpop', arity: -2, flags: 'write fast', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Removes and returns the first element, or the first count elements, of a list.',
    complexity: 'O(N) in the number of elements returned', syntax: 'key [count]',
    handler: (c, argv) => popGeneric(c, argv, HEAD),
  },
  {
    name: 'rpop', arity: -2, flags: 'write fast', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Removes and returns the last element, or the last count elements, of a list.',
    complexity: 'O(N) in the number of elements returned', syntax: 'key [count]',
    handler: (c, argv) => popGeneric(c, argv, TAIL),
  },
  {
    name: 'llen', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Returns the number of elements in a list (0 when the key is missing).',
    complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      const l = readList(c, argv[1], () => c.reply.int(0));
      if (l !== null) c.reply.int(l.length);
    },
  },
  {
    name: 'lrange', arity: 4, flags: 'readonly', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Returns the elements between two indexes of a list, negative indexes counting from the tail.',
    complexity: 'O(S+N): S the offset of start, N the number of elements returned', syntax: 'key start stop',
    handler(c, argv) {
      const start = argLong(c, argv[2]);
      if (start === null) return;
      const end = argLong(c, argv[3]);
      if (end === null) return;
      const l = readList(c, argv[1], () => c.reply.emptyArray());
      if (l !== null) replyRange(c, l, start, end, false);
    },
  },
  {
    name: 'lindex', arity: 3, flags: 'readonly', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Returns the element at an index of a list, negative indexes counting from the tail.',
    complexity: 'O(1)', syntax: 'key index',
    handler(c, argv) {
      const l = readList(c, argv[1], () => c.reply.nil());
      if (l === null) return;
      const index = argLong(c, argv[2]);
      if (index === null) return;
      const i = position(l, index);
      if (i < 0) c.reply.nil();
      else c.reply.bulk(l.get(i));
    },
  },
  {
    name: 'lset', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Replaces the element at an index of an existing list.',
    complexity: 'O(1)', syntax: 'key index element',
    handler(c, argv) {
      const l = writeList(c, argv[1], () => c.reply.err('no such key'));
      if (l === null) return;
      const index = argLong(c, argv[2]);
      if (index === null) return;
      const i = position(l, index);
      if (i < 0) return c.reply.err('index out of range');
      l.set(i, argv[3]);
      c.reply.ok();
      c.server.signalModifiedKey(c.db, argv[1]);
      c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'lset', argv[1], c.db.id);
      c.server.dirty++;
    },
  },
  {
    name: 'linsert', arity: 5, flags: 'write denyoom', keys: [1, 1, 1], group: 'list', since: '2.2.0',
    summary: 'Inserts an element before or after the first occurrence of a pivot element.',
    complexity: 'O(N) to find the pivot', syntax: 'key BEFORE|AFTER pivot element',
    handler(c, argv) {
      let after: boolean;
      if (argIs(argv[2], 'after')) after = true;
      else if (argIs(argv[2], 'before')) after = false;
      else return c.reply.syntaxErr();
      const l = writeList(c, argv[1], () => c.reply.int(0));
      if (l === null) return;
      const pivot = argv[3];
      let at = -1;
      for (let i = 0; i < l.length; i++) {
        if (l.get(i) === pivot) {
          at = i;
          break;
        }
      }
      if (at < 0) return c.reply.int(-1);
      l.insert(after ? at + 1 : at, argv[4]);
      c.server.signalModifiedKey(c.db, argv[1]);
      c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'linsert', argv[1], c.db.id);
      c.server.dirty++;
      c.reply.int(l.length);
    },
  },
  {
    name: 'lrem', arity: 4, flags: 'write', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Removes elements equal to a value: the first count, the last -count, or all for 0.',
    complexity: 'O(N+M): N the list length, M the number removed', syntax: 'key count element',
    handler(c, argv) {
      const toremove = argLong(c, argv[2]);
      if (toremove === null) return;
      const key = argv[1];
      const l = writeList(c, key, () => c.reply.int(0));
      if (l === null) return;
      const removed = l.removeValue(argv[3], Math.abs(toremove), toremove < 0);
      c.server.dirty += removed;
      if (removed) {
        c.server.signalModifiedKey(c.db, key);
        c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'lrem', key, c.db.id);
      }
      if (l.length === 0) {
        c.db.delete(key);
        c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
      }
      c.reply.int(removed);
    },
  },
  {
    name: 'ltrim', arity: 4, flags: 'write', keys: [1, 1, 1], group: 'list', since: '1.0.0',
    summary: 'Keeps only the elements between two indexes of a list, deleting the rest.',
    complexity: 'O(N) in the number of elements removed', syntax: 'key start stop',
    handler(c, argv) {
      let start = argLong(c, argv[2]);
      if (start === null) return;
      let end = argLong(c, argv[3]);
      if (end === null) return;
      const key = argv[1];
      const l = writeList(c, key, () => c.reply.ok());
      if (l === null) return;
      const llen = l.length;
      if (start < 0) start = llen + start;
      if (end < 0) end = llen + end;
      if (start < 0) start = 0;
      let ltrim: number;
      let rtrim: number;
      if (start > end || start >= llen) {
        ltrim = llen;
        rtrim = 0;
      } else {
        if (end >= llen) end = llen - 1;
        ltrim = start;
        rtrim = llen - end - 1;
      }
      l.trim(ltrim, rtrim);
      c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'ltrim', key, c.db.id);
      if (l.length === 0) {
        c.db.delete(key);
        c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
      }
      c.server.signalModifiedKey(c.db, key);
      c.server.dirty += ltrim + rtrim;
      c.reply.ok();
    },
  },
  {
    name: 'lpos', arity: -3, flags: 'readonly', keys: [1, 1, 1], group: 'list', since: '6.0.6',
    summary: 'Returns the index of matching elements in a list, with a rank, a count and a scan limit.',
    complexity: 'O(N), or less with MAXLEN', syntax: 'key element [RANK rank] [COUNT num-matches] [MAXLEN len]',
    handler(c, argv) {
      const ele = argv[2];
      let rank = 1;
      let rankIsMin = false;
      let count = -1;
      let maxlen = 0;
      for (let j = 3; j < argv.length; j++) {
        const opt = argv[j];
        const moreargs = argv.length - 1 - j;
        if (argIs(opt, 'rank') && moreargs) {
          j++;
          const v = string2ll(argv[j]);
          if (v === null) return c.reply.err(NOT_INT);
          if (v === 0) {
            return c.reply.err("RANK can't be zero: use 1 to start from the first match, " +
              '2 from the second ... or use negative to start from the end of the list');
          }
          // Redis 7.0 negates LONG_MIN, which stays negative: every match then ranks.
          rankIsMin = v === LLONG_MIN;
          rank = Number(v);
        } else if (argIs(opt, 'count') && moreargs) {
          j++;
          const v = argPositive(c, argv[j], "COUNT can't be negative");
          if (v === null) return;
          count = v;
        } else if (argIs(opt, 'maxlen') && moreargs) {
          j++;
          const v = argPositive(c, argv[j], "MAXLEN can't be negative");
          if (v === null) return;
          maxlen = v;
        } else {
          return c.reply.syntaxErr();
        }
      }
      let fromTail = false;
      if (rank < 0) {
        rank = -rank;
        fromTail = true;
      }
      const o = c.db.lookupRead(argv[1]);
      if (o === undefined) return count !== -1 ? c.reply.emptyArray() : c.reply.nil();
      if (o.type !== OBJ_LIST) return c.reply.wrongType();
      const l = o.value as ListValue;
      const llen = l.length;
      const found: number[] = [];
      let matches = 0;
      let matchindex = -1;
      for (let index = 0; index < llen && (maxlen === 0 || index < maxlen); index++) {
        const i = fromTail ? llen - index - 1 : index;
        if (l.get(i) === ele) {
          matches++;
          if (rankIsMin || matches >= rank) {
            if (count !== -1) {
              found.push(i);
              if (count && !rankIsMin && matches - rank + 1 >= count) break;
            } else {
              matchindex = i;
              break;
            }
          }
        }
      }
      if (count !== -1) {
        c.reply.arrayLen(found.length);
        for (const i of found) c.reply.int(i);
      } else if (matchindex !== -1) {
        c.reply.int(matchindex);
      } else {
        c.reply.nil();
      }
    },
  },
  {
    name: 'lmove', arity: 5, flags: 'write denyoom', keys: [1, 2, 1], group: 'list', since: '6.2.0',
    summary: 'Pops an element from one end of a list and pushes it at one end of another (or the same) list.',
    complexity: 'O(1)', syntax: 'source destination LEFT|RIGHT LEFT|RIGHT',
    handler(c, argv) {
      const from = argWhere(c, argv[3]);
      if (from === null) return;
      const to = argWhere(c, argv[4]);
      if (to === null) return;
      lmoveGeneric(c, argv[1], argv[2], from, to);
    },
  },
  {
    name: 'rpoplpush', arity: 3, flags: 'write denyoom', keys: [1, 2, 1], group: 'list', since: '1.2.0',
    summary: 'Pops the last element of a list and pushes it at the head of another (or the same) list.',
    complexity: 'O(1)', syntax: 'source destination',
    handler: (c, argv) => lmoveGeneric(c, argv[1], argv[2], TAIL, HEAD),
  },
  {
    name: 'lmpop', arity: -4, flags: 'write movablekeys', keys: [0, 0, 0], group: 'list', since: '7.0.0',
    summary: 'Pops one or more elements from the first non-empty list among the keys given.',
    complexity: 'O(N+M): N the keys given, M the elements returned',
    syntax: 'numkeys key [key ...] LEFT|RIGHT [COUNT count]',
    getKeys: (argv) => keysAfterNumkeys(argv, 1),
    handler: lmpop,
  },
];
