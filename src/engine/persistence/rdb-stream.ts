import { encodeListpack, listpackEntries } from './listpack';
import {
  Consumer, ConsumerGroup, FLAG_DELETED, FLAG_SAMEFIELDS, NACK, Stream, StreamNode, cmpID, u64,
  type I64, type StreamID, type U64,
} from '../types/stream';
import { string2ll } from '../util/numbers';
import { be64 } from '../util/bytes';
import { rdbLenSize, rdbRawStringSize } from './rdb-size';

/**
 * Streams in RDB files and DUMP payloads, as Redis 7.0 writes them (RDB_TYPE_STREAM_LISTPACKS_2):
 *
 *   nodes: len, then per node its master ID (16 bytes, big endian) and its listpack
 *   length, last ID, first ID, max deleted entry ID, entries added (lens)
 *   groups: len, then per group its name, last ID, entries read, its PEL (16-byte ID, delivery
 *     time as 8 bytes little endian, delivery count), and its consumers (name, seen time, their
 *     PEL as bare IDs)
 *
 * A node's listpack: live count, deleted count, the master fields (count, names, 0), then per entry
 * flags, ms and seq deltas from the master ID, (field count, fields,) values, and how many listpack
 * elements the entry took. RDB_TYPE_STREAM_LISTPACKS (Redis 5 and 6) lacks the 7.0 metadata; it is
 * derived on load as Redis does.
 */

/** The primitives the RDB reader and writer offer (rdb.ts), without depending on it. */
export interface StreamWriter {
  len(n: number): void;
  lenU64(n: U64 | bigint): void;
  string(s: string): void;
  raw(s: string): void;
  millis(ms: number): void;
}

export interface StreamReader {
  lenU64(): U64;
  len(): number;
  string(): string;
  bytes(n: number): string;
  millis(): number | bigint;
}

/** streamEncodeID: the 16-byte big-endian form of rax keys and PEL entries. */
export function encodeStreamID(id: StreamID): string {
  return be64(id.ms) + be64(id.seq);
}

export function decodeStreamID(s: string): StreamID {
  let ms = 0n;
  let seq = 0n;
  for (let i = 0; i < 8; i++) ms = (ms << 8n) | BigInt(s.charCodeAt(i));
  for (let i = 8; i < 16; i++) seq = (seq << 8n) | BigInt(s.charCodeAt(i));
  return { ms: u64(ms), seq: u64(seq) };
}

/** A delta (entry ID half minus master ID half) as the signed 64-bit integer the listpack holds. */
function delta(a: U64, b: U64): string {
  if (typeof a === 'number' && typeof b === 'number') return String(a - b);
  return String(BigInt.asIntN(64, BigInt(a) - BigInt(b)));
}

/** The listpack Redis keeps for one node. */
export function nodeListpack(n: StreamNode): string {
  const items: string[] = [String(n.count), String(n.deleted), String(n.masterFields.length), ...n.masterFields, '0'];
  for (let i = 0; i < n.ids.length; i++) {
    const id = n.ids[i];
    const fv = n.fields[i];
    const flags = n.flags[i];
    const nf = fv.length / 2;
    items.push(String(flags), delta(id.ms, n.master.ms), delta(id.seq, n.master.seq));
    if (flags & FLAG_SAMEFIELDS) {
      for (let j = 0; j < nf; j++) items.push(fv[2 * j + 1]);
      items.push(String(nf + 3));
    } else {
      items.push(String(nf));
      for (const s of fv) items.push(s);
      items.push(String(2 * nf + 4));
    }
  }
  return encodeListpack(items);
}

/** rdbSaveObject for a stream. */
export function writeStream(w: StreamWriter, s: Stream): void {
  w.len(s.nodes.length);
  for (const n of s.nodes) {
    w.string(encodeStreamID(n.master));
    w.string(nodeListpack(n));
  }
  w.len(s.length);
  w.lenU64(s.lastId.ms);
  w.lenU64(s.lastId.seq);
  w.lenU64(s.firstId.ms);
  w.lenU64(s.firstId.seq);
  w.lenU64(s.maxDeletedEntryId.ms);
  w.lenU64(s.maxDeletedEntryId.seq);
  w.lenU64(BigInt.asUintN(64, BigInt(s.entriesAdded)));
  const groups = s.sortedGroups();
  w.len(groups.length);
  for (const g of groups) {
    w.string(g.name);
    w.lenU64(g.lastId.ms);
    w.lenU64(g.lastId.seq);
    // A long long written as a length: -1 (unknown) becomes 2^64-1, as in Redis.
    w.lenU64(BigInt.asUintN(64, BigInt(g.entriesRead)));
    const pel = [...g.pel.all()];
    w.len(pel.length);
    for (const nack of pel) {
      w.raw(encodeStreamID(nack.id));
      w.millis(nack.deliveryTime);
      w.len(nack.deliveryCount);
    }
    const consumers = g.sortedConsumers();
    w.len(consumers.length);
    for (const c of consumers) {
      w.string(c.name);
      w.millis(c.seenTime);
      const own = [...c.pel.all()];
      w.len(own.length);
      for (const nack of own) w.raw(encodeStreamID(nack.id));
    }
  }
}

/** Thrown on a malformed stream; rdb.ts turns it into its own error. */
export class StreamFormatError extends Error {}

function bad(what: string): never {
  throw new StreamFormatError(what);
}

function int(s: string | undefined): number {
  const v = s === undefined ? null : string2ll(s);
  if (v === null || typeof v !== 'number') bad('Stream listpack integer out of range');
  return v;
}

function addDelta(base: U64, d: string): U64 {
  const v = string2ll(d);
  if (v === null) bad('Stream listpack integer out of range');
  const r = BigInt.asUintN(64, BigInt(base) + BigInt(v));
  return u64(r);
}

/** One node back from its master ID and listpack. */
function readNode(master: StreamID, lp: string): StreamNode {
  const items = listpackEntries(lp);
  if (items === null) bad('Stream listpack integrity check failed.');
  if (items.length === 0) bad('Empty listpack inside stream');
  let at = 0;
  const count = int(items[at++]);
  const deleted = int(items[at++]);
  const nmf = int(items[at++]);
  if (nmf < 0 || at + nmf >= items.length) bad('Stream listpack integrity check failed.');
  const masterFields = items.slice(at, at + nmf);
  at += nmf;
  if (items[at++] !== '0') bad('Stream listpack integrity check failed.');
  const node = new StreamNode(master, masterFields);
  while (at < items.length) {
    const flags = int(items[at++]);
    const ms = addDelta(master.ms, items[at++]);
    const seq = addDelta(master.seq, items[at++]);
    let fv: string[];
    if (flags & FLAG_SAMEFIELDS) {
      if (at + nmf >= items.length) bad('Stream listpack integrity check failed.');
      fv = [];
      for (let j = 0; j < nmf; j++) fv.push(masterFields[j], items[at++]);
    } else {
      const nf = int(items[at++]);
      if (nf < 0 || at + 2 * nf >= items.length) bad('Stream listpack integrity check failed.');
      fv = items.slice(at, at + 2 * nf);
      at += 2 * nf;
    }
    at++; // lp-count
    const id = { ms, seq };
    if (node.ids.length > 0 && cmpID(id, node.lastID()) <= 0) bad('Stream listpack integrity check failed.');
    node.append(id, fv);
    if (flags & FLAG_DELETED) node.markDeleted(node.ids.length - 1);
  }
  if (node.count !== count || node.deleted !== deleted) bad('Stream listpack integrity check failed.');
  return node;
}

/** rdbLoadObject for RDB_TYPE_STREAM_LISTPACKS (v2 = Redis 7.0's RDB_TYPE_STREAM_LISTPACKS_2). */
export function readStream(r: StreamReader, v2: boolean): Stream {
  const s = new Stream();
  const nodes = r.len();
  for (let i = 0; i < nodes; i++) {
    const key = r.string();
    if (key.length !== 16) bad('Stream node key entry is not the size of a stream ID');
    const lp = r.string();
    const node = readNode(decodeStreamID(key), lp);
    if (s.nodes.length > 0 && cmpID(node.master, s.nodes[s.nodes.length - 1].lastID()) <= 0) bad('Stream node out of order');
    s.nodes.push(node);
  }
  s.length = r.len();
  s.lastId = { ms: r.lenU64(), seq: r.lenU64() };
  if (v2) {
    s.firstId = { ms: r.lenU64(), seq: r.lenU64() };
    s.maxDeletedEntryId = { ms: r.lenU64(), seq: r.lenU64() };
    s.entriesAdded = toI64(r.lenU64());
  } else {
    // Before 7.0: entries added is the length, and the first ID is the first live entry's.
    s.entriesAdded = s.length;
    s.firstId = s.edgeID(true, true);
  }
  const ngroups = r.len();
  for (let i = 0; i < ngroups; i++) {
    const name = r.string();
    const lastId = { ms: r.lenU64(), seq: r.lenU64() };
    const entriesRead: I64 = v2 ? toI64(r.lenU64()) : s.estimateDistanceFromFirstEverEntry(lastId);
    const g = new ConsumerGroup(name, lastId, entriesRead);
    if (s.groups.has(name)) bad('Duplicated consumer group name');
    s.groups.set(name, g);
    // The group's PEL: its NACKs get their consumer below.
    const pelSize = r.len();
    const unowned = new Map<string, NACK>();
    const nobody = new Consumer('', 0);
    for (let j = 0; j < pelSize; j++) {
      const raw = r.bytes(16);
      const nack = new NACK(decodeStreamID(raw), nobody, Number(r.millis()));
      nack.deliveryCount = r.len();
      if (unowned.has(raw)) bad('Duplicated global PEL entry loading stream consumer group');
      unowned.set(raw, nack);
      g.pel.add(nack);
    }
    const nconsumers = r.len();
    for (let j = 0; j < nconsumers; j++) {
      const cname = r.string();
      const consumer = new Consumer(cname, Number(r.millis()));
      if (g.consumers.has(cname)) bad('Duplicate stream consumer detected.');
      g.consumers.set(cname, consumer);
      const own = r.len();
      for (let k = 0; k < own; k++) {
        const raw = r.bytes(16);
        const nack = unowned.get(raw);
        if (nack === undefined) bad('Consumer entry not found in group global PEL');
        unowned.delete(raw);
        nack.consumer = consumer;
        consumer.pel.add(nack);
      }
    }
    if (unowned.size > 0) bad('Stream CG PEL entry without consumer');
  }
  return s;
}

/** A length read back as the long long it was written from. */
function toI64(v: U64): I64 {
  if (typeof v === 'number') return v;
  return u64AsI64(v);
}

function u64AsI64(v: bigint): I64 {
  const s = BigInt.asIntN(64, v);
  return s >= -9007199254740991n && s <= 9007199254740991n ? Number(s) : s;
}

/** The bytes writeStream takes (DEBUG OBJECT serializedlength), strings sized as rdbSaveRawString writes them. */
export function streamSerializedLength(s: Stream, compression: boolean): number {
  let n = 0;
  const counter: StreamWriter = {
    len: (v) => { n += rdbLenSize(v); },
    lenU64: (v) => { n += typeof v === 'number' ? rdbLenSize(v) : v <= 0xffffffffn ? rdbLenSize(Number(v)) : 9; },
    string: (v) => { n += rdbRawStringSize(v, compression); },
    raw: (v) => { n += v.length; },
    millis: () => { n += 8; },
  };
  writeStream(counter, s);
  return n;
}
