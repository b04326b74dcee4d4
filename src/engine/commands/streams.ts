import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_STREAM, type RObj } from '../object';
import { NOTIFY_STREAM } from '../notify';
import { argIs, asciiUpper } from '../util/bytes';
import { string2ll, type Int64 } from '../util/numbers';
import { replyHelp } from './server';
import {
  Consumer, ConsumerGroup, INVALID_ENTRIES_READ, MAX_ID, NACK, Stream, ZERO_ID, cmpID, decrID, formatID,
  idIsMax, idIsZero, incrID, string2ull, addI64, subI64, type I64, type StreamID, type U64, U64_MAX,
} from '../types/stream';

/**
 * The stream commands (t_stream.c, Redis 7.0): XADD, XTRIM, XDEL, XLEN, XRANGE, XREVRANGE, XREAD
 * and XREADGROUP (blocking through ../blocking.ts), consumer groups (XGROUP, XACK, XPENDING,
 * XCLAIM, XAUTOCLAIM), XINFO and XSETID. The data structure is ../types/stream.ts.
 *
 * Propagation follows Redis: XADD goes out with the ID it generated and `~` trims rewritten to
 * `=` with the resulting length or first ID; XREADGROUP, XCLAIM and XAUTOCLAIM never propagate
 * themselves but the PEL changes they made, as XCLAIM ... FORCE JUSTID LASTID (and XGROUP SETID /
 * XGROUP CREATECONSUMER where needed).
 */

const INVALID_ID = 'Invalid stream ID specified as stream command argument';
const XREAD_BLOCKED_DEFAULT_COUNT = 1000;

/** A C string: Redis formats names with %s, which stops at a NUL byte. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** addReplyErrorFormat: newlines in the formatted text become spaces. */
function errorFmt(c: Client, msg: string): void {
  c.reply.error(msg.replace(/[\r\n]/g, ' '));
}

// ---- IDs ----

/**
 * streamGenericParseIDOrReply without the reply: "-" and "+" (unless strict), "ms", "ms-seq", and
 * with starSeq "ms-*" (seqGiven false). Null when invalid.
 */
function parseID(arg: string, missingSeq: U64, strict: boolean, starSeq: boolean): { id: StreamID; seqGiven: boolean } | null {
  if (arg.length > 127) return null;
  const s = cstr(arg);
  if (s === '-' || s === '+') {
    if (strict) return null;
    return { id: s === '-' ? ZERO_ID : MAX_ID, seqGiven: true };
  }
  const dash = s.indexOf('-');
  const ms = string2ull(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const rest = s.slice(dash + 1);
  if (starSeq && rest === '*') return { id: { ms, seq: 0 }, seqGiven: false };
  const seq = string2ull(rest);
  if (seq === null) return null;
  return { id: { ms, seq }, seqGiven: true };
}

/** streamParseStrictIDOrReply */
function strictIDOrReply(c: Client, arg: string, missingSeq: U64 = 0): StreamID | null {
  const r = parseID(arg, missingSeq, true, false);
  if (r === null) {
    c.reply.err(INVALID_ID);
    return null;
  }
  return r.id;
}

/** streamParseIDOrReply */
function idOrReply(c: Client, arg: string, missingSeq: U64 = 0): StreamID | null {
  const r = parseID(arg, missingSeq, false, false);
  if (r === null) {
    c.reply.err(INVALID_ID);
    return null;
  }
  return r.id;
}

/** streamParseIntervalIdOrReply: "(" makes the bound exclusive (strict ID after it). */
function intervalIDOrReply(c: Client, arg: string, missingSeq: U64): { id: StreamID; exclusive: boolean } | null {
  const exclusive = arg.length > 1 && arg[0] === '(';
  const id = exclusive ? strictIDOrReply(c, arg.slice(1), missingSeq) : idOrReply(c, arg, missingSeq);
  return id === null ? null : { id, exclusive };
}

/** The [start, end] of XRANGE/XPENDING-style bounds, exclusive ones moved inwards; null after replying. */
function parseStart(c: Client, arg: string): StreamID | null {
  const r = intervalIDOrReply(c, arg, 0);
  if (r === null) return null;
  if (!r.exclusive) return r.id;
  const id = incrID(r.id);
  if (id === null) c.reply.err('invalid start ID for the interval');
  return id;
}

function parseEnd(c: Client, arg: string): StreamID | null {
  const r = intervalIDOrReply(c, arg, U64_MAX);
  if (r === null) return null;
  if (!r.exclusive) return r.id;
  const id = decrID(r.id);
  if (id === null) c.reply.err('invalid end ID for the interval');
  return id;
}

function replyID(c: Client, id: StreamID): void {
  c.reply.bulk(formatID(id));
}

/** getLongLongFromObjectOrReply as a number (counts and times; huge values saturate harmlessly). */
function argLL(c: Client, s: string, msg?: string): number | null {
  const v = string2ll(s);
  if (v === null) {
    c.reply.err(msg ?? 'value is not an integer or out of range');
    return null;
  }
  return Number(v);
}

// ---- lookups ----

function streamOf(o: RObj): Stream {
  return o.value as Stream;
}

/**
 * lookupKeyRead for commands that change group state in place (XACK, XCLAIM, ...): Redis counts
 * a read, and the object must still be offered to a running snapshot before it changes.
 */
function lookupReadForUpdate(c: Client, key: string): RObj | undefined {
  const o = c.db.lookupRead(key);
  if (o !== undefined) c.db.lookupWrite(key);
  return o;
}

function newStream(c: Client, key: string): Stream {
  const s = new Stream();
  c.db.setKey(key, OBJ_STREAM, s);
  return s;
}

/** streamLookupConsumer with SLC_DEFAULT: refreshes the seen time. */
function lookupConsumer(c: Client, g: ConsumerGroup, name: string, refresh = true): Consumer | undefined {
  const consumer = g.consumers.get(name);
  if (consumer !== undefined && refresh) consumer.seenTime = c.server.commandTime();
  return consumer;
}

/** streamCreateConsumer with SCC_DEFAULT: dirty and the xgroup-createconsumer event. */
function createConsumer(c: Client, g: ConsumerGroup, name: string, key: string): Consumer | null {
  if (g.consumers.has(name)) return null;
  const consumer = new Consumer(name, c.server.commandTime());
  g.consumers.set(name, consumer);
  c.server.dirty++;
  c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xgroup-createconsumer', key, c.db.id);
  return consumer;
}

function lookupOrCreateConsumer(c: Client, g: ConsumerGroup, name: string, key: string): Consumer {
  return lookupConsumer(c, g, name) ?? createConsumer(c, g, name, key)!;
}

// ---- propagation helpers ----

/** streamPropagateXCLAIM: the idempotent XCLAIM that recreates a NACK on a replica. */
function propagateXclaim(c: Client, key: string, g: ConsumerGroup, groupname: string, id: string, nack: NACK): void {
  c.server.propagate(c.db.id, [
    'XCLAIM', key, groupname, nack.consumer.name, '0', id, 'TIME', String(nack.deliveryTime),
    'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', formatID(g.lastId),
  ]);
}

/** streamPropagateGroupID */
function propagateGroupID(c: Client, key: string, g: ConsumerGroup, groupname: string): void {
  c.server.propagate(c.db.id, ['XGROUP', 'SETID', key, groupname, formatID(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
}

/** streamPropagateConsumerCreation */
function propagateConsumerCreation(c: Client, key: string, groupname: string, consumer: string): void {
  c.server.propagate(c.db.id, ['XGROUP', 'CREATECONSUMER', key, groupname, consumer]);
}

// ---- replies ----

function replyEntry(c: Client, id: StreamID, fields: string[]): void {
  c.reply.arrayLen(2);
  replyID(c, id);
  c.reply.arrayLen(fields.length);
  for (const f of fields) c.reply.bulk(f);
}

interface GroupRead {
  group: ConsumerGroup;
  consumer: Consumer;
  noack: boolean;
  /** For propagation (streamPropInfo): the key and the group name as given. */
  key: string;
  groupname: string;
}

/**
 * streamReplyWithRange: entries start..end (end null = to the last), at most count (0 = all).
 * raw: no surrounding array (XCLAIM, XINFO first/last entry). With a group read, every entry
 * delivered moves the group's last ID and enters the PELs (unless NOACK), propagated as XCLAIM.
 */
function replyWithRange(
  c: Client, s: Stream, start: StreamID, end: StreamID | null, count: number, rev: boolean,
  gr: GroupRead | null, raw = false,
): number {
  const d = raw ? null : c.reply.deferLen();
  let n = 0;
  let propagateLastId = false;
  const now = c.server.commandTime();
  for (const e of rev ? s.range(start, end ?? MAX_ID, true) : s.range(start, end ?? MAX_ID)) {
    if (gr !== null) {
      const g = gr.group;
      if (cmpID(e.id, g.lastId) > 0) {
        if (g.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(e.id, null)) g.entriesRead = addI64(g.entriesRead, 1);
        else if (s.entriesAdded) g.entriesRead = s.estimateDistanceFromFirstEverEntry(e.id);
        g.lastId = e.id;
        if (gr.noack) propagateLastId = true;
      }
    }
    replyEntry(c, e.id, e.fields);
    if (gr !== null && !gr.noack) {
      const g = gr.group;
      let nack = g.pel.get(e.id);
      if (nack === undefined) {
        nack = new NACK(e.id, gr.consumer, now);
        g.pel.add(nack);
        gr.consumer.pel.add(nack);
      } else {
        // XGROUP SETID can make an entry be delivered again: it moves to this consumer.
        nack.consumer.pel.remove(e.id);
        nack.consumer = gr.consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
        gr.consumer.pel.add(nack);
      }
      propagateXclaim(c, gr.key, g, gr.groupname, formatID(e.id), nack);
    }
    n++;
    if (count && count === n) break;
  }
  if (gr !== null && propagateLastId) propagateGroupID(c, gr.key, gr.group, gr.groupname);
  if (d !== null) c.reply.setDeferredArrayLen(d, n);
  return n;
}

/** streamReplyWithRangeFromConsumerPEL: a consumer's own pending entries from start (XREADGROUP with an ID). */
function replyFromConsumerPEL(c: Client, s: Stream, start: StreamID, count: number, consumer: Consumer): void {
  const d = c.reply.deferLen();
  let n = 0;
  const now = c.server.commandTime();
  for (const nack of consumer.pel.range(start)) {
    if (count && n >= count) break;
    const e = s.get(nack.id);
    if (e === undefined) {
      // Acknowledged nowhere but deleted from the stream: the ID with a null entry.
      c.reply.arrayLen(2);
      replyID(c, nack.id);
      c.reply.nullArray();
    } else {
      replyEntry(c, e.id, e.fields);
      nack.deliveryTime = now;
      nack.deliveryCount++;
    }
    n++;
  }
  c.reply.setDeferredArrayLen(d, n);
}

// ---- XADD / XTRIM ----

interface TrimArgs {
  /** MAXLEN count, or -1. */
  maxlen: number;
  minid: StreamID | null;
  approx: boolean;
  limit: number;
  /** argv index of the MAXLEN/MINID value (0 when no strategy). */
  argIdx: number;
  strategy: boolean;
  // XADD only
  id: StreamID | null;
  seqGiven: boolean;
  noMkstream: boolean;
  /** Index of the ID argument (XADD). */
  idPos: number;
}

/** streamParseAddOrTrimArgsOrReply; null after replying. */
function parseAddOrTrim(c: Client, argv: string[], xadd: boolean): TrimArgs | null {
  const a: TrimArgs = {
    maxlen: -1, minid: null, approx: false, limit: -1, argIdx: 0, strategy: false,
    id: null, seqGiven: true, noMkstream: false, idPos: argv.length,
  };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreargs = argv.length - 1 - i;
    const opt = argv[i];
    if (xadd && opt === '*') break;
    if (argIs(opt, 'maxlen') && moreargs) {
      if (a.strategy) {
        c.reply.err('syntax error, MAXLEN and MINID options at the same time are not compatible');
        return null;
      }
      a.approx = false;
      const next = argv[i + 1];
      if (moreargs >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') {
        i++;
      }
      const v = string2ll(argv[i + 1]);
      if (v === null) {
        c.reply.err('value is not an integer or out of range');
        return null;
      }
      if (v < 0) {
        c.reply.err('The MAXLEN argument must be >= 0.');
        return null;
      }
      a.maxlen = Number(v);
      i++;
      a.strategy = true;
      a.argIdx = i;
    } else if (argIs(opt, 'minid') && moreargs) {
      if (a.strategy) {
        c.reply.err('syntax error, MAXLEN and MINID options at the same time are not compatible');
        return null;
      }
      a.approx = false;
      const next = argv[i + 1];
      if (moreargs >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (moreargs >= 2 && next === '=') {
        i++;
      }
      const id = strictIDOrReply(c, argv[i + 1]);
      if (id === null) return null;
      a.minid = id;
      i++;
      a.strategy = true;
      a.argIdx = i;
    } else if (argIs(opt, 'limit') && moreargs) {
      const v = string2ll(argv[i + 1]);
      if (v === null) {
        c.reply.err('value is not an integer or out of range');
        return null;
      }
      if (v < 0) {
        c.reply.err('The LIMIT argument must be >= 0.');
        return null;
      }
      a.limit = Number(v);
      limitGiven = true;
      i++;
    } else if (xadd && argIs(opt, 'nomkstream')) {
      a.noMkstream = true;
    } else if (xadd) {
      const r = parseID(opt, 0, true, true);
      if (r === null) {
        c.reply.err(INVALID_ID);
        return null;
      }
      a.id = r.id;
      a.seqGiven = r.seqGiven;
      break;
    } else {
      c.reply.syntaxErr();
      return null;
    }
  }
  a.idPos = i;
  if (limitGiven && a.limit && !a.strategy) {
    c.reply.err('syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return null;
  }
  if (!xadd && !a.strategy) {
    c.reply.err('syntax error, XTRIM must be called with a trimming strategy');
    return null;
  }
  // The AOF loader (mustObeyClient) trims exactly what it is told.
  if (c.addr === '') {
    a.limit = 0;
  } else if (limitGiven) {
    if (!a.approx) {
      c.reply.err('syntax error, LIMIT cannot be used without the special ~ option');
      return null;
    }
  } else if (a.approx) {
    const perNode = c.server.config.num('stream-node-max-entries');
    a.limit = 100 * perNode;
    if (a.limit <= 0) a.limit = 10000;
    if (a.limit > 1000000) a.limit = 1000000;
  } else {
    a.limit = 0;
  }
  return a;
}

function trimStream(s: Stream, a: TrimArgs): number {
  if (!a.strategy) return 0;
  return s.trim(a.maxlen, a.minid, a.approx, a.limit);
}

/** streamRewriteApproxSpecifier + streamRewriteTrimArgument: "~ n" goes out as "= <what is left>". */
function rewriteTrim(c: Client, s: Stream, a: TrimArgs): void {
  c.argv[a.argIdx - 1] = '=';
  c.argv[a.argIdx] = a.minid === null ? String(s.length) : formatID(s.edgeID(true, false));
}

function xadd(c: Client, argv: string[]): void {
  const a = parseAddOrTrim(c, argv, true);
  if (a === null) return;
  const fieldPos = a.idPos + 1;
  const nfv = argv.length - fieldPos;
  if (nfv < 2 || nfv % 2 === 1) return c.reply.err("wrong number of arguments for 'xadd' command");
  if (a.id !== null && a.seqGiven && idIsZero(a.id)) return c.reply.err('The ID specified in XADD must be greater than 0-0');
  const key = argv[1];
  const o = c.db.lookupWrite(key);
  let s: Stream;
  if (o === undefined) {
    if (a.noMkstream) return c.reply.nil();
    s = newStream(c, key);
  } else {
    if (o.type !== OBJ_STREAM) return c.reply.wrongType();
    s = streamOf(o);
  }
  if (idIsMax(s.lastId)) return c.reply.err('The stream has exhausted the last possible ID, unable to add more items');

  let id: StreamID | null;
  if (a.id !== null) {
    if (a.seqGiven) id = a.id;
    else if (s.lastId.ms === a.id.ms) {
      // Redis 7.0 reports a sequence overflow of "ms-*" this way (errno is not EDOM there).
      if (s.lastId.seq === U64_MAX) return c.reply.err('Elements are too large to be stored');
      id = incrID(s.lastId);
    } else id = a.id;
  } else {
    const ms = c.server.commandTime();
    id = s.lastId.ms >= ms ? incrID(s.lastId) : { ms, seq: 0 };
  }
  if (id === null || cmpID(id, s.lastId) <= 0) {
    return c.reply.err('The ID specified in XADD is equal or smaller than the target stream top item');
  }
  let totlen = 0;
  for (let j = fieldPos; j < argv.length; j++) totlen += argv[j].length;
  if (totlen > 1 << 30) return c.reply.err('Elements are too large to be stored');
  const cfg = c.server.config;
  s.append(id, argv.slice(fieldPos), cfg.num('stream-node-max-bytes'), cfg.num('stream-node-max-entries'));
  const idText = formatID(id);
  c.reply.bulk(idText);
  c.server.signalModifiedKey(c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xadd', key, c.db.id);
  c.server.dirty++;

  c.argv = [...argv];
  if (a.strategy) {
    if (trimStream(s, a)) c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xtrim', key, c.db.id);
    if (a.approx) rewriteTrim(c, s, a);
  }
  // Replicas and the AOF get the ID actually used.
  if (a.id === null || !a.seqGiven) c.argv[a.idPos] = idText;
  c.server.blocking.signalKeyAsReady(c.db, key);
}

function xtrim(c: Client, argv: string[]): void {
  const a = parseAddOrTrim(c, argv, false);
  if (a === null) return;
  const key = argv[1];
  const o = c.db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== OBJ_STREAM) return c.reply.wrongType();
  const s = streamOf(o);
  const deleted = trimStream(s, a);
  if (deleted) {
    c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xtrim', key, c.db.id);
    if (a.approx) {
      c.argv = [...argv];
      rewriteTrim(c, s, a);
    }
    c.server.signalModifiedKey(c.db, key);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

// ---- XDEL / XLEN / XRANGE ----

function xdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = c.db.lookupWrite(key);
  if (o === undefined) return c.reply.int(0);
  if (o.type !== OBJ_STREAM) return c.reply.wrongType();
  const s = streamOf(o);
  const ids: StreamID[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = strictIDOrReply(c, argv[j]);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (s.delete(id)) {
      if (cmpID(id, s.firstId) === 0) firstEntry = true;
      if (cmpID(id, s.maxDeletedEntryId) > 0) s.maxDeletedEntryId = id;
      deleted++;
    }
  }
  if (deleted) {
    if (s.length === 0) s.firstId = ZERO_ID;
    else if (firstEntry) s.firstId = s.edgeID(true, true);
    c.server.signalModifiedKey(c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xdel', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const startArg = rev ? argv[3] : argv[2];
  const endArg = rev ? argv[2] : argv[3];
  const start = parseStart(c, startArg);
  if (start === null) return;
  const end = parseEnd(c, endArg);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (argIs(argv[j], 'count') && argv.length - j - 1 >= 1) {
      const v = argLL(c, argv[j + 1]);
      if (v === null) return;
      count = v < 0 ? 0 : v;
      j++;
    } else {
      return c.reply.syntaxErr();
    }
  }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) return c.reply.emptyArray();
  if (o.type !== OBJ_STREAM) return c.reply.wrongType();
  if (count === 0) return c.reply.nullArray();
  replyWithRange(c, streamOf(o), start, end, count === -1 ? 0 : count, rev, null);
}

// ---- XREAD / XREADGROUP ----

function xread(c: Client, argv: string[]): void {
  const xreadgroup = argv[0].length === 10;
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let streamsCount = 0;
  let noack = false;
  let groupname: string | null = null;
  let consumername = '';
  for (let i = 1; i < argv.length; i++) {
    const moreargs = argv.length - i - 1;
    const o = argv[i];
    if (argIs(o, 'block') && moreargs) {
      if (c.id === 0) return c.reply.err(`${cstr(argv[0])} command is not allowed with BLOCK option from scripts`);
      i++;
      const v = string2ll(argv[i]);
      if (v === null) return c.reply.err('timeout is not an integer or out of range');
      if (v < 0) return c.reply.err('timeout is negative');
      // Redis 7.0 has no upper bound: a huge timeout waits (practically) forever.
      timeout = v > 0 ? Number(v) + c.server.commandTime() : 0;
    } else if (argIs(o, 'count') && moreargs) {
      i++;
      const v = argLL(c, argv[i]);
      if (v === null) return;
      count = v < 0 ? 0 : v;
    } else if (argIs(o, 'streams') && moreargs) {
      streamsArg = i + 1;
      streamsCount = argv.length - streamsArg;
      if (streamsCount % 2 !== 0) {
        return c.reply.err("Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      }
      streamsCount /= 2;
      break;
    } else if (argIs(o, 'group') && moreargs >= 2) {
      if (!xreadgroup) return c.reply.err('The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      groupname = argv[i + 1];
      consumername = argv[i + 2];
      i += 2;
    } else if (argIs(o, 'noack')) {
      if (!xreadgroup) return c.reply.err('The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else {
      return c.reply.syntaxErr();
    }
  }
  if (streamsArg === 0) return c.reply.syntaxErr();
  if (xreadgroup && groupname === null) return c.reply.err('Missing GROUP option for XREADGROUP');
  c.preventPropagation = true;

  const keys = argv.slice(streamsArg, streamsArg + streamsCount);
  const ids: StreamID[] = [];
  const groups: (ConsumerGroup | null)[] = [];
  for (let k = 0; k < streamsCount; k++) {
    const key = keys[k];
    const idArg = argv[streamsArg + streamsCount + k];
    const o = c.db.lookupRead(key);
    if (o !== undefined && o.type !== OBJ_STREAM) return c.reply.wrongType();
    let group: ConsumerGroup | null = null;
    if (groupname !== null) {
      group = o === undefined ? null : streamOf(o).groups.get(groupname) ?? null;
      if (group === null) {
        return errorFmt(c, `NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(groupname)}' in XREADGROUP with GROUP option`);
      }
    }
    groups.push(group);
    if (idArg === '$') {
      if (xreadgroup) {
        return c.reply.err('The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.');
      }
      ids.push(o !== undefined ? streamOf(o).lastId : ZERO_ID);
      continue;
    }
    if (idArg === '>') {
      if (!xreadgroup) return c.reply.err('The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids.push(MAX_ID);
      continue;
    }
    const id = strictIDOrReply(c, idArg);
    if (id === null) return;
    ids.push(id);
  }

  let served = 0;
  let d: ReturnType<typeof c.reply.deferLen> | null = null;
  for (let k = 0; k < streamsCount; k++) {
    const key = keys[k];
    const o = c.db.lookupRead(key);
    if (o === undefined) continue;
    const s = streamOf(o);
    let gt = ids[k];
    const group = groups[k];
    let serve = false;
    let history = false;
    if (group !== null) {
      if (!idIsMax(gt)) {
        serve = true;
        history = true;
      } else if (s.length && cmpID(s.lastValidID(), group.lastId) > 0) {
        serve = true;
        gt = group.lastId;
      }
    } else if (s.length && cmpID(s.lastValidID(), gt) > 0) {
      serve = true;
    }
    if (!serve) continue;
    served++;
    if (served === 1) d = c.reply.deferLen();
    const start = incrID(gt) ?? ZERO_ID;
    if (c.reply.resp === 2) c.reply.arrayLen(2);
    c.reply.bulk(key);
    if (group !== null) {
      c.db.lookupWrite(key); // the group changes in place: offer the value to a running snapshot first
      let consumer = lookupConsumer(c, group, consumername);
      if (consumer === undefined) {
        consumer = createConsumer(c, group, consumername, key)!;
        if (noack) propagateConsumerCreation(c, key, groupname!, consumername);
      }
      consumer.seenTime = c.server.commandTime();
      if (history) replyFromConsumerPEL(c, s, start, count, consumer);
      else replyWithRange(c, s, start, null, count, false, { group, consumer, noack, key, groupname: groupname! });
      c.server.dirty++;
    } else {
      replyWithRange(c, s, start, null, count, false, null);
    }
  }
  if (served > 0) {
    if (c.reply.resp === 2) c.reply.setDeferredArrayLen(d!, served);
    else c.reply.setDeferredMapLen(d!, served);
    return;
  }
  if (timeout !== -1) {
    if (c.denyBlocking) return c.reply.nullArray();
    blockOnStreams(c, keys, ids, count ? count : XREAD_BLOCKED_DEFAULT_COUNT, timeout,
      groupname === null ? null : { groupname, consumername, noack });
    return;
  }
  c.reply.nullArray();
}

/** blockForKeys(BLOCKED_STREAM): wait for entries past each key's ID (or the group's last ID). */
function blockOnStreams(
  c: Client, keys: string[], ids: StreamID[], count: number, deadline: number,
  group: { groupname: string; consumername: string; noack: boolean } | null,
): void {
  const gts = new Map<string, StreamID>();
  keys.forEach((k, i) => {
    if (!gts.has(k)) gts.set(k, ids[i]);
  });
  c.server.blocking.block(c, {
    db: c.db, keys, type: OBJ_STREAM, deadline,
    serve: () => {},
    tryServe: (rc, key, o) => serveBlockedStream(rc, key, o, gts, count, group),
  });
}

/** serveClientsBlockedOnStreamKey for one client (and the XREADGROUP errors when the stream or group went away). */
function serveBlockedStream(
  c: Client, key: string, o: RObj | undefined, gts: Map<string, StreamID>, count: number,
  group: { groupname: string; consumername: string; noack: boolean } | null,
): boolean {
  if (o === undefined || o.type !== OBJ_STREAM) {
    if (group === null) return false;
    c.reply.error('UNBLOCKED the stream key no longer exists');
    return true;
  }
  const s = streamOf(o);
  let gt = gts.get(key)!;
  let cg: ConsumerGroup | undefined;
  if (group !== null) {
    cg = s.groups.get(group.groupname);
    if (cg === undefined) {
      c.reply.error('NOGROUP the consumer group this client was blocked on no longer exists');
      return true;
    }
    gt = cg.lastId;
    gts.set(key, gt);
  }
  if (cmpID(s.lastId, gt) <= 0) return false;
  const start = incrID(gt) ?? ZERO_ID;
  let consumer: Consumer | undefined;
  if (cg !== undefined && group !== null) {
    consumer = lookupConsumer(c, cg, group.consumername);
    if (consumer === undefined) {
      consumer = createConsumer(c, cg, group.consumername, key)!;
      if (group.noack) propagateConsumerCreation(c, key, group.groupname, group.consumername);
    }
  }
  if (c.reply.resp === 2) {
    c.reply.arrayLen(1);
    c.reply.arrayLen(2);
  } else {
    c.reply.mapLen(1);
  }
  c.reply.bulk(key);
  replyWithRange(c, s, start, null, count, false,
    cg !== undefined && consumer !== undefined
      ? { group: cg, consumer, noack: group!.noack, key, groupname: group!.groupname }
      : null);
  return true;
}

/**
 * COMMAND GETKEYS for XREAD/XREADGROUP follows their key specs: the keyword STREAMS searched from
 * argv[startFrom] (the last argument excluded), then half of what follows it.
 */
function streamsKeys(startFrom: number): (argv: string[]) => number[] | null {
  return (argv) => {
    let first = 0;
    for (let i = startFrom; i < argv.length - 1; i++) {
      if (argIs(argv[i], 'streams')) {
        first = i + 1;
        break;
      }
    }
    if (first === 0) return null;
    const last = first + Math.floor((argv.length - first) / 2) - 1;
    const out: number[] = [];
    for (let i = first; i <= last; i++) out.push(i);
    return out.length > 0 ? out : null;
  };
}

// ---- XGROUP ----

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  '      Set the group\'s entries_read counter (internal use).',
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.reply.err(`unknown subcommand or wrong number of arguments for '${cstr(argv[1]).slice(0, 128)}'. Try ${asciiUpper(cstr(argv[0]))} HELP.`);
}

/** xgroupCommand: the common part (options, key, group) before the subcommand. */
function xgroup(c: Client, argv: string[]): void {
  const opt = argv[1];
  const create = argIs(opt, 'create');
  const setid = argIs(opt, 'setid');
  let mkstream = false;
  let entriesRead: I64 = INVALID_ENTRIES_READ;
  if (create || setid) {
    let i = 5;
    while (i < argv.length) {
      if (create && argIs(argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if (argIs(argv[i], 'entriesread') && i + 1 < argv.length) {
        const v = string2ll(argv[i + 1]);
        if (v === null) return c.reply.err('value is not an integer or out of range');
        if (v < 0 && v !== INVALID_ENTRIES_READ) return c.reply.err('value for ENTRIESREAD must be positive or -1');
        entriesRead = v;
        i += 2;
      } else {
        return subcommandSyntaxError(c, argv);
      }
    }
  }
  const key = argv[2];
  const o = c.db.lookupWrite(key);
  let s: Stream | null = null;
  if (o !== undefined) {
    if (o.type !== OBJ_STREAM) return c.reply.wrongType();
    s = streamOf(o);
  }
  const grpname = argv[3];
  let cg: ConsumerGroup | undefined;
  if (!mkstream) {
    if (s === null) {
      return c.reply.err('The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
    }
    cg = s.groups.get(grpname);
    if (cg === undefined && (setid || argIs(opt, 'createconsumer') || argIs(opt, 'delconsumer'))) {
      return errorFmt(c, `NOGROUP No such consumer group '${cstr(grpname)}' for key name '${cstr(key)}'`);
    }
  }
  if (create) {
    if (argv.length > 8) return subcommandSyntaxError(c, argv);
    let id: StreamID;
    if (argv[4] === '$') id = s !== null ? s.lastId : ZERO_ID;
    else {
      const r = strictIDOrReply(c, argv[4]);
      if (r === null) return;
      id = r;
    }
    if (s === null) s = newStream(c, key);
    if (s.groups.has(grpname)) return c.reply.error('BUSYGROUP Consumer Group name already exists');
    s.groups.set(grpname, new ConsumerGroup(grpname, id, entriesRead));
    c.reply.ok();
    c.server.dirty++;
    c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xgroup-create', key, c.db.id);
  } else if (setid) {
    if (argv.length !== 5 && argv.length !== 7) return subcommandSyntaxError(c, argv);
    let id: StreamID;
    if (argv[4] === '$') id = s!.lastId;
    else {
      const r = idOrReply(c, argv[4]);
      if (r === null) return;
      id = r;
    }
    cg!.lastId = id;
    cg!.entriesRead = entriesRead;
    c.reply.ok();
    c.server.dirty++;
    c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xgroup-setid', key, c.db.id);
  } else if (argIs(opt, 'destroy')) {
    if (cg !== undefined) {
      s!.groups.delete(grpname);
      c.reply.int(1);
      c.server.dirty++;
      c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xgroup-destroy', key, c.db.id);
      // Blocked XREADGROUP clients of the group get -NOGROUP.
      c.server.blocking.signalKeyAsReady(c.db, key);
    } else {
      c.reply.int(0);
    }
  } else if (argIs(opt, 'createconsumer')) {
    const created = createConsumer(c, cg!, argv[4], key);
    c.reply.int(created ? 1 : 0);
  } else if (argIs(opt, 'delconsumer')) {
    const consumer = cg!.consumers.get(argv[4]);
    let pending = 0;
    if (consumer !== undefined) {
      pending = consumer.pel.size;
      for (const nack of consumer.pel.all()) cg!.pel.remove(nack.id);
      cg!.consumers.delete(consumer.name);
      c.server.dirty++;
      c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xgroup-delconsumer', key, c.db.id);
    }
    c.reply.int(pending);
  } else {
    subcommandSyntaxError(c, argv);
  }
}

// ---- XACK / XPENDING / XCLAIM / XAUTOCLAIM ----

function xack(c: Client, argv: string[]): void {
  const o = lookupReadForUpdate(c, argv[1]);
  let group: ConsumerGroup | undefined;
  if (o !== undefined) {
    if (o.type !== OBJ_STREAM) return c.reply.wrongType();
    group = streamOf(o).groups.get(argv[2]);
  }
  if (o === undefined || group === undefined) return c.reply.int(0);
  const ids: StreamID[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = strictIDOrReply(c, argv[j]);
    if (id === null) return;
    ids.push(id);
  }
  let acknowledged = 0;
  for (const id of ids) {
    const nack = group.pel.remove(id);
    if (nack !== undefined) {
      nack.consumer.pel.remove(id);
      acknowledged++;
      c.server.dirty++;
    }
  }
  c.reply.int(acknowledged);
}

function xpending(c: Client, argv: string[]): void {
  const justinfo = argv.length === 3;
  const key = argv[1];
  const groupname = argv[2];
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) return c.reply.syntaxErr();
  let start = ZERO_ID;
  let end = MAX_ID;
  let count = 0;
  let minidle = 0;
  let consumername: string | null = null;
  if (argv.length >= 6) {
    let startidx = 3;
    if (argIs(argv[3], 'idle')) {
      const v = argLL(c, argv[4]);
      if (v === null) return;
      minidle = v;
      if (argv.length < 8) return c.reply.syntaxErr();
      startidx += 2;
    }
    const v = argLL(c, argv[startidx + 2]);
    if (v === null) return;
    count = v < 0 ? 0 : v;
    const s0 = parseStart(c, argv[startidx]);
    if (s0 === null) return;
    const e0 = parseEnd(c, argv[startidx + 1]);
    if (e0 === null) return;
    start = s0;
    end = e0;
    if (startidx + 3 < argv.length) consumername = argv[startidx + 3];
  }
  const o = c.db.lookupRead(key);
  if (o !== undefined && o.type !== OBJ_STREAM) return c.reply.wrongType();
  const group = o === undefined ? undefined : streamOf(o).groups.get(groupname);
  if (group === undefined) return errorFmt(c, `NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(groupname)}'`);
  if (justinfo) {
    c.reply.arrayLen(4);
    c.reply.int(group.pel.size);
    if (group.pel.size === 0) {
      c.reply.nil();
      c.reply.nil();
      c.reply.nullArray();
      return;
    }
    replyID(c, group.pel.first()!.id);
    replyID(c, group.pel.last()!.id);
    const withPending = group.sortedConsumers().filter((x) => x.pel.size > 0);
    c.reply.arrayLen(withPending.length);
    for (const consumer of withPending) {
      c.reply.arrayLen(2);
      c.reply.bulk(consumer.name);
      c.reply.bulk(String(consumer.pel.size));
    }
    return;
  }
  let pel = group.pel;
  if (consumername !== null) {
    const consumer = group.consumers.get(consumername);
    if (consumer === undefined) return c.reply.emptyArray();
    pel = consumer.pel;
  }
  const now = c.server.commandTime();
  const d = c.reply.deferLen();
  let n = 0;
  if (count > 0) {
    for (const nack of pel.range(start, end)) {
      if (minidle && now - nack.deliveryTime < minidle) continue;
      n++;
      c.reply.arrayLen(4);
      replyID(c, nack.id);
      c.reply.bulk(nack.consumer.name);
      const elapsed = now - nack.deliveryTime;
      c.reply.int(elapsed < 0 ? 0 : elapsed);
      c.reply.int(nack.deliveryCount);
      if (--count === 0) break;
    }
  }
  c.reply.setDeferredArrayLen(d, n);
}

function xclaim(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = lookupReadForUpdate(c, key);
  let group: ConsumerGroup | undefined;
  if (o !== undefined) {
    if (o.type !== OBJ_STREAM) return c.reply.wrongType();
    group = streamOf(o).groups.get(argv[2]);
  }
  if (o === undefined || group === undefined) {
    return errorFmt(c, `NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(argv[2])}'`);
  }
  const s = streamOf(o);
  const mi = string2ll(argv[4]);
  if (mi === null) return c.reply.err('Invalid min-idle-time argument for XCLAIM');
  const minidle = mi < 0 ? 0 : Number(mi);
  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const r = parseID(argv[j], 0, true, false);
    if (r === null) break;
    ids.push(r.id);
  }
  const now = c.server.commandTime();
  let deliveryTime = -1;
  let retrycount = -1;
  let force = false;
  let justid = false;
  let lastId = ZERO_ID;
  for (; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    const opt = argv[j];
    if (argIs(opt, 'force')) force = true;
    else if (argIs(opt, 'justid')) justid = true;
    else if (argIs(opt, 'idle') && moreargs) {
      const v = argLL(c, argv[++j], 'Invalid IDLE option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = now - v;
    } else if (argIs(opt, 'time') && moreargs) {
      const v = argLL(c, argv[++j], 'Invalid TIME option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = v;
    } else if (argIs(opt, 'retrycount') && moreargs) {
      const v = argLL(c, argv[++j], 'Invalid RETRYCOUNT option argument for XCLAIM');
      if (v === null) return;
      retrycount = v;
    } else if (argIs(opt, 'lastid') && moreargs) {
      const id = strictIDOrReply(c, argv[++j]);
      if (id === null) return;
      lastId = id;
    } else {
      return errorFmt(c, `ERR Unrecognized XCLAIM option '${cstr(opt)}'`);
    }
  }
  c.preventPropagation = true;
  let propagateLastId = false;
  if (cmpID(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else {
    deliveryTime = now;
  }
  let consumer: Consumer | undefined;
  const name = argv[3];
  const d = c.reply.deferLen();
  let n = 0;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    const idArg = argv[5 + k];
    let nack = group.pel.get(id);
    if (s.get(id) === undefined) {
      if (nack !== undefined) {
        // The entry is gone: drop the NACK, and tell replicas so (with the ID as given).
        propagateXclaim(c, key, group, argv[2], idArg, nack);
        propagateLastId = false;
        c.server.dirty++;
        group.pel.remove(id);
        nack.consumer.pel.remove(id);
      }
      continue;
    }
    let fresh = false;
    if (force && nack === undefined) {
      // FORCE creates the NACK (its consumer set below).
      nack = new NACK(id, null as unknown as Consumer, now);
      group.pel.add(nack);
      fresh = true;
    }
    if (nack === undefined) continue;
    if (!fresh && minidle && now - nack.deliveryTime < minidle) continue;
    if (consumer === undefined) consumer = lookupOrCreateConsumer(c, group, name, key);
    if (nack.consumer !== consumer && !fresh) nack.consumer.pel.remove(id);
    nack.deliveryTime = deliveryTime;
    if (retrycount >= 0) nack.deliveryCount = retrycount;
    else if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.add(nack);
      nack.consumer = consumer;
    }
    if (justid) replyID(c, id);
    else if (replyWithRange(c, s, id, id, 1, false, null, true) === 0) c.reply.nil();
    n++;
    propagateXclaim(c, key, group, argv[2], idArg, nack);
    propagateLastId = false;
    c.server.dirty++;
  }
  if (propagateLastId) {
    propagateGroupID(c, key, group, argv[2]);
    c.server.dirty++;
  }
  c.reply.setDeferredArrayLen(d, n);
}

const ATTEMPTS_FACTOR = 10;

function xautoclaim(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = lookupReadForUpdate(c, key);
  const mi = string2ll(argv[4]);
  if (mi === null) return c.reply.err('Invalid min-idle-time argument for XAUTOCLAIM');
  const minidle = mi < 0 ? 0 : Number(mi);
  const start = parseStart(c, argv[5]);
  if (start === null) return;
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (argIs(argv[j], 'count') && moreargs) {
      const v = string2ll(argv[j + 1]);
      // LONG_MAX / (max(sizeof(streamID), attempts_factor)) = LONG_MAX / 16
      if (v === null || v < 1 || v > 576460752303423487n) return c.reply.err('COUNT must be > 0');
      count = Number(v);
      j++;
    } else if (argIs(argv[j], 'justid')) {
      justid = true;
    } else {
      return c.reply.syntaxErr();
    }
  }
  let group: ConsumerGroup | undefined;
  if (o !== undefined) {
    if (o.type !== OBJ_STREAM) return c.reply.wrongType();
    group = streamOf(o).groups.get(argv[2]);
  }
  if (o === undefined || group === undefined) {
    return errorFmt(c, `NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(argv[2])}'`);
  }
  c.preventPropagation = true;
  const s = streamOf(o);
  let attempts = count * ATTEMPTS_FACTOR;
  // The NACKs the scan may look at, plus one for the cursor (the scan changes the PEL as it goes).
  const candidates: NACK[] = [];
  for (const nack of group.pel.range(start)) {
    candidates.push(nack);
    if (candidates.length > attempts) break;
  }
  const now = c.server.commandTime();
  const name = argv[3];
  let consumer: Consumer | undefined;
  c.reply.arrayLen(3);
  const claimed: (() => void)[] = [];
  const deleted: StreamID[] = [];
  let k = 0;
  while (attempts-- && count && k < candidates.length) {
    const nack = candidates[k++];
    const id = nack.id;
    if (s.get(id) === undefined) {
      propagateXclaim(c, key, group, argv[2], formatID(id), nack);
      c.server.dirty++;
      group.pel.remove(id);
      nack.consumer.pel.remove(id);
      deleted.push(id);
      count--;
      continue;
    }
    if (minidle && now - nack.deliveryTime < minidle) continue;
    if (consumer === undefined) consumer = lookupOrCreateConsumer(c, group, name, key);
    if (nack.consumer !== consumer) nack.consumer.pel.remove(id);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount++;
    if (nack.consumer !== consumer) {
      consumer.pel.add(nack);
      nack.consumer = consumer;
    }
    const entry = s.get(id)!;
    claimed.push(justid ? () => replyID(c, id) : () => replyEntry(c, entry.id, entry.fields));
    count--;
    propagateXclaim(c, key, group, argv[2], formatID(id), nack);
    c.server.dirty++;
  }
  const next = k < candidates.length ? candidates[k].id : ZERO_ID;
  replyID(c, next);
  c.reply.arrayLen(claimed.length);
  for (const write of claimed) write();
  c.reply.arrayLen(deleted.length);
  for (const id of deleted) replyID(c, id);
}

// ---- XINFO / XSETID ----

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

/** streamReplyWithCGLag */
function replyLag(c: Client, s: Stream, g: ConsumerGroup): void {
  let lag: I64 | null = null;
  if (!s.entriesAdded) lag = 0;
  else if (g.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(g.lastId, null)) lag = subI64(s.entriesAdded, g.entriesRead);
  else {
    const read = s.estimateDistanceFromFirstEverEntry(g.lastId);
    if (read !== INVALID_ENTRIES_READ) lag = subI64(s.entriesAdded, read);
  }
  if (lag === null) c.reply.nil();
  else c.reply.int(lag);
}

function replyEntriesRead(c: Client, g: ConsumerGroup): void {
  if (g.entriesRead !== INVALID_ENTRIES_READ) c.reply.int(g.entriesRead);
  else c.reply.nil();
}

function xinfoStream(c: Client, argv: string[]): void {
  let full = false;
  let count = 10;
  if (argv.length > 3) {
    if (!argIs(argv[3], 'full')) return subcommandSyntaxError(c, argv);
    full = true;
    if (argv.length === 6 && argIs(argv[4], 'count')) {
      const v = argLL(c, argv[5]);
      if (v === null) return;
      count = v < 0 ? 10 : v;
    } else if (argv.length !== 4) {
      return subcommandSyntaxError(c, argv);
    }
  }
  const o = c.db.lookupRead(argv[2]);
  if (o === undefined) return c.reply.err('no such key');
  if (o.type !== OBJ_STREAM) return c.reply.wrongType();
  const s = streamOf(o);
  const r = c.reply;
  r.mapLen(full ? 9 : 10);
  r.bulk('length');
  r.int(s.length);
  r.bulk('radix-tree-keys');
  r.int(s.raxKeys);
  r.bulk('radix-tree-nodes');
  r.int(s.raxNodes());
  r.bulk('last-generated-id');
  replyID(c, s.lastId);
  r.bulk('max-deleted-entry-id');
  replyID(c, s.maxDeletedEntryId);
  r.bulk('entries-added');
  r.int(s.entriesAdded);
  r.bulk('recorded-first-entry-id');
  replyID(c, s.firstId);
  if (!full) {
    r.bulk('groups');
    r.int(s.groups.size);
    r.bulk('first-entry');
    if (replyWithRange(c, s, ZERO_ID, MAX_ID, 1, false, null, true) === 0) r.nil();
    r.bulk('last-entry');
    if (replyWithRange(c, s, ZERO_ID, MAX_ID, 1, true, null, true) === 0) r.nil();
    return;
  }
  r.bulk('entries');
  replyWithRange(c, s, ZERO_ID, MAX_ID, count, false, null);
  r.bulk('groups');
  const groups = s.sortedGroups();
  r.arrayLen(groups.length);
  for (const g of groups) {
    r.mapLen(7);
    r.bulk('name');
    r.bulk(g.name);
    r.bulk('last-delivered-id');
    replyID(c, g.lastId);
    r.bulk('entries-read');
    replyEntriesRead(c, g);
    r.bulk('lag');
    replyLag(c, s, g);
    r.bulk('pel-count');
    r.int(g.pel.size);
    r.bulk('pending');
    const d = r.deferLen();
    let n = 0;
    for (const nack of g.pel.all()) {
      if (count && n >= count) break;
      r.arrayLen(4);
      replyID(c, nack.id);
      r.bulk(nack.consumer.name);
      r.int(nack.deliveryTime);
      r.int(nack.deliveryCount);
      n++;
    }
    r.setDeferredArrayLen(d, n);
    r.bulk('consumers');
    const consumers = g.sortedConsumers();
    r.arrayLen(consumers.length);
    for (const consumer of consumers) {
      r.mapLen(4);
      r.bulk('name');
      r.bulk(consumer.name);
      r.bulk('seen-time');
      r.int(consumer.seenTime);
      r.bulk('pel-count');
      r.int(consumer.pel.size);
      r.bulk('pending');
      const dc = r.deferLen();
      let m = 0;
      for (const nack of consumer.pel.all()) {
        if (count && m >= count) break;
        r.arrayLen(3);
        replyID(c, nack.id);
        r.int(nack.deliveryTime);
        r.int(nack.deliveryCount);
        m++;
      }
      r.setDeferredArrayLen(dc, m);
    }
  }
}

/** XINFO GROUPS / CONSUMERS: the stream at argv[2], or null after replying. */
function xinfoLookup(c: Client, argv: string[]): Stream | null {
  const o = c.db.lookupRead(argv[2]);
  if (o === undefined) {
    c.reply.err('no such key');
    return null;
  }
  if (o.type !== OBJ_STREAM) {
    c.reply.wrongType();
    return null;
  }
  return streamOf(o);
}

function xinfoGroups(c: Client, argv: string[]): void {
  const s = xinfoLookup(c, argv);
  if (s === null) return;
  const groups = s.sortedGroups();
  c.reply.arrayLen(groups.length);
  for (const g of groups) {
    c.reply.mapLen(6);
    c.reply.bulk('name');
    c.reply.bulk(g.name);
    c.reply.bulk('consumers');
    c.reply.int(g.consumers.size);
    c.reply.bulk('pending');
    c.reply.int(g.pel.size);
    c.reply.bulk('last-delivered-id');
    replyID(c, g.lastId);
    c.reply.bulk('entries-read');
    replyEntriesRead(c, g);
    c.reply.bulk('lag');
    replyLag(c, s, g);
  }
}

function xinfoConsumers(c: Client, argv: string[]): void {
  const s = xinfoLookup(c, argv);
  if (s === null) return;
  const g = s.groups.get(argv[3]);
  if (g === undefined) return errorFmt(c, `NOGROUP No such consumer group '${cstr(argv[3])}' for key name '${cstr(argv[2])}'`);
  const consumers = g.sortedConsumers();
  const now = c.server.commandTime();
  c.reply.arrayLen(consumers.length);
  for (const consumer of consumers) {
    const idle = now - consumer.seenTime;
    c.reply.mapLen(3);
    c.reply.bulk('name');
    c.reply.bulk(consumer.name);
    c.reply.bulk('pending');
    c.reply.int(consumer.pel.size);
    c.reply.bulk('idle');
    c.reply.int(idle < 0 ? 0 : idle);
  }
}

function xsetid(c: Client, argv: string[]): void {
  const id = strictIDOrReply(c, argv[2]);
  if (id === null) return;
  let entriesAdded: Int64 = -1;
  let maxXdel = ZERO_ID;
  for (let i = 3; i < argv.length; i += 2) {
    const moreargs = argv.length - 1 - i;
    if (argIs(argv[i], 'entriesadded') && moreargs) {
      const v = string2ll(argv[i + 1]);
      if (v === null) return c.reply.err('value is not an integer or out of range');
      if (v < 0) return c.reply.err('entries_added must be positive');
      entriesAdded = v;
    } else if (argIs(argv[i], 'maxdeletedid') && moreargs) {
      const m = strictIDOrReply(c, argv[i + 1]);
      if (m === null) return;
      if (cmpID(id, m) < 0) return c.reply.err('The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
      maxXdel = m;
    } else {
      return c.reply.syntaxErr();
    }
  }
  const o = c.db.lookupWrite(argv[1]);
  if (o === undefined) return c.reply.err('no such key');
  if (o.type !== OBJ_STREAM) return c.reply.wrongType();
  const s = streamOf(o);
  if (s.length > 0) {
    if (cmpID(id, s.lastValidID()) < 0) return c.reply.err('The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      return c.reply.err('The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (!idIsZero(maxXdel)) s.maxDeletedEntryId = maxXdel;
  c.reply.ok();
  c.server.signalModifiedKey(c.db, argv[1]);
  c.server.notifyKeyspaceEvent(NOTIFY_STREAM, 'xsetid', argv[1], c.db.id);
  c.server.dirty++;
}

// ---- the table ----

const ND = 'nondeterministic_output';

export const streamCommands: CommandSpec[] = [
  {
    name: 'xadd', arity: -5, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'stream', since: '5.0.0', tips: ND,
    summary: 'Appends an entry to a stream (creating it unless NOMKSTREAM), optionally trimming it.',
    complexity: 'O(1) to add; trimming is O(N) in the entries evicted',
    syntax: 'key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]',
    handler: xadd,
  },
  {
    name: 'xtrim', arity: -4, flags: 'write', keys: [1, 1, 1], group: 'stream', since: '5.0.0', tips: ND,
    summary: 'Removes the oldest entries of a stream, down to a length or up to an ID.',
    complexity: 'O(N) in the entries evicted',
    syntax: 'key MAXLEN|MINID [=|~] threshold [LIMIT count]',
    handler: xtrim,
  },
  {
    name: 'xdel', arity: -3, flags: 'write fast', keys: [1, 1, 1], group: 'stream', since: '5.0.0',
    summary: 'Deletes entries from a stream by ID; answers how many existed.',
    complexity: 'O(1) per entry (O(log N) to find it)', syntax: 'key id [id ...]',
    handler: xdel,
  },
  {
    name: 'xlen', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], group: 'stream', since: '5.0.0',
    summary: 'Returns the number of entries in a stream (0 when the key is missing).',
    complexity: 'O(1)', syntax: 'key',
    handler(c, argv) {
      const o = c.db.lookupRead(argv[1]);
      if (o === undefined) return c.reply.int(0);
      if (o.type !== OBJ_STREAM) return c.reply.wrongType();
      c.reply.int(streamOf(o).length);
    },
  },
  {
    name: 'xrange', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'stream', since: '5.0.0',
    summary: 'Returns the entries of a stream between two IDs, oldest first.',
    complexity: 'O(log N + M), M the entries returned', syntax: 'key start end [COUNT count]',
    handler: (c, argv) => xrangeGeneric(c, argv, false),
  },
  {
    name: 'xrevrange', arity: -4, flags: 'readonly', keys: [1, 1, 1], group: 'stream', since: '5.0.0',
    summary: 'Returns the entries of a stream between two IDs, newest first.',
    complexity: 'O(log N + M), M the entries returned', syntax: 'key end start [COUNT count]',
    handler: (c, argv) => xrangeGeneric(c, argv, true),
  },
  {
    name: 'xread', arity: -4, flags: 'readonly blocking movablekeys', keys: [0, 0, 0], group: 'stream', since: '5.0.0',
    summary: 'Reads entries newer than the given IDs from one or more streams, optionally waiting for some.',
    complexity: 'O(log N + M) per stream, M the entries returned',
    syntax: '[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]',
    getKeys: streamsKeys(1), handler: xread,
  },
  {
    name: 'xreadgroup', arity: -7, flags: 'write blocking movablekeys', keys: [0, 0, 0], group: 'stream', since: '5.0.0',
    summary: 'Reads entries from streams as a consumer of a group: new ones (>) or its own pending history.',
    complexity: 'O(log N + M) per stream, M the entries returned',
    syntax: 'GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]',
    getKeys: streamsKeys(4), handler: xread,
  },
  {
    name: 'xack', arity: -4, flags: 'write fast', keys: [1, 1, 1], group: 'stream', since: '5.0.0',
    summary: 'Acknowledges entries of a consumer group, removing them from its pending list.',
    complexity: 'O(log N) per ID', syntax: 'key group id [id ...]',
    handler: xack,
  },
  {
    name: 'xpending', arity: -3, flags: 'readonly', keys: [1, 1, 1], group: 'stream', since: '5.0.0', tips: ND,
    summary: 'Inspects the pending entries of a consumer group: a summary, or the entries in a range.',
    complexity: 'O(N) in the entries returned; the summary is O(consumers)',
    syntax: 'key group [[IDLE min-idle-time] start end count [consumer]]',
    handler: xpending,
  },
  {
    name: 'xclaim', arity: -6, flags: 'write fast', keys: [1, 1, 1], group: 'stream', since: '5.0.0', tips: ND,
    summary: 'Transfers pending entries of a group to another consumer when idle long enough.',
    complexity: 'O(log N) per ID',
    syntax: 'key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]',
    handler: xclaim,
  },
  {
    name: 'xautoclaim', arity: -6, flags: 'write fast', keys: [1, 1, 1], group: 'stream', since: '6.2.0', tips: ND,
    summary: 'Scans a group\'s pending entries from a cursor and claims the idle ones for a consumer.',
    complexity: 'O(1) per entry scanned (at most COUNT * 10)',
    syntax: 'key group consumer min-idle-time start [COUNT count] [JUSTID]',
    handler: xautoclaim,
  },
  {
    name: 'xsetid', arity: -3, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'stream', since: '5.0.0',
    summary: 'Sets a stream\'s last ID (and its added-entries counter and largest deleted ID).',
    complexity: 'O(1)', syntax: 'key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]',
    handler: xsetid,
  },
  {
    name: 'xgroup', arity: -2, flags: '', group: 'stream', since: '5.0.0', acl: '-@stream',
    summary: 'Manages consumer groups and their consumers.',
    complexity: 'Depends on the subcommand.', syntax: 'subcommand [argument ...]',
    subcommands: [
      {
        name: 'create', arity: -5, flags: 'write denyoom', keys: [2, 2, 1], group: 'stream', since: '5.0.0',
        summary: 'Creates a consumer group starting after an ID ($ = the last entry).',
        complexity: 'O(1)', syntax: 'key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]', handler: xgroup,
      },
      {
        name: 'createconsumer', arity: 5, flags: 'write denyoom', keys: [2, 2, 1], group: 'stream', since: '6.2.0',
        summary: 'Adds a consumer to a group.', complexity: 'O(1)', syntax: 'key group consumer', handler: xgroup,
      },
      {
        name: 'delconsumer', arity: 5, flags: 'write', keys: [2, 2, 1], group: 'stream', since: '5.0.0',
        summary: 'Removes a consumer from a group, dropping its pending entries; answers how many.',
        complexity: 'O(1)', syntax: 'key group consumer', handler: xgroup,
      },
      {
        name: 'destroy', arity: 4, flags: 'write', keys: [2, 2, 1], group: 'stream', since: '5.0.0',
        summary: 'Deletes a consumer group with its consumers and pending entries.',
        complexity: 'O(N) in the pending entries', syntax: 'key group', handler: xgroup,
      },
      {
        name: 'help', arity: 2, flags: 'loading stale', group: 'stream', since: '5.0.0',
        summary: 'Describes the XGROUP subcommands.', complexity: 'O(1)',
        handler: (c) => replyHelp(c, XGROUP_HELP),
      },
      {
        name: 'setid', arity: -5, flags: 'write', keys: [2, 2, 1], group: 'stream', since: '5.0.0',
        summary: 'Moves a group\'s last delivered ID (and sets its entries-read counter).',
        complexity: 'O(1)', syntax: 'key group id|$ [ENTRIESREAD entries-read]', handler: xgroup,
      },
    ],
  },
  {
    name: 'xinfo', arity: -2, flags: '', group: 'stream', since: '5.0.0', acl: '-@stream',
    summary: 'Describes a stream, its consumer groups or a group\'s consumers.',
    complexity: 'Depends on the subcommand.', syntax: 'subcommand [argument ...]',
    subcommands: [
      {
        name: 'consumers', arity: 4, flags: 'readonly', keys: [2, 2, 1], group: 'stream', since: '5.0.0', tips: ND,
        summary: 'Lists the consumers of a group with their pending counts and idle times.',
        complexity: 'O(1)', syntax: 'key group', handler: xinfoConsumers,
      },
      {
        name: 'groups', arity: 3, flags: 'readonly', keys: [2, 2, 1], group: 'stream', since: '5.0.0',
        summary: 'Lists the consumer groups of a stream.', complexity: 'O(1)', syntax: 'key', handler: xinfoGroups,
      },
      {
        name: 'help', arity: 2, flags: 'loading stale', group: 'stream', since: '5.0.0',
        summary: 'Describes the XINFO subcommands.', complexity: 'O(1)',
        handler: (c) => replyHelp(c, XINFO_HELP),
      },
      {
        name: 'stream', arity: -3, flags: 'readonly', keys: [2, 2, 1], group: 'stream', since: '5.0.0',
        summary: 'Describes a stream: counters, first and last entries, or everything with FULL.',
        complexity: 'O(1); FULL is O(N) in the entries and pending entries returned',
        syntax: 'key [FULL [COUNT count]]', handler: xinfoStream,
      },
    ],
  },
];
