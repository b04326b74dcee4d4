import type { CommandSpec } from './table';
import type { Client } from '../client';
import { OBJ_STRING, RObj } from '../object';
import { NOTIFY_STRING } from '../notify';
import { stringBuffer } from '../types/string';
import type { StrVal } from '../types/bitmap';
import { ByteBuf, asciiLower, binaryToBytes } from '../util/bytes';
import {
  HLL_DENSE, HLL_DENSE_SIZE, HLL_HDR_SIZE, HLL_REGISTERS, HLL_REGISTER_MAX, HLL_SPARSE, cacheValid, createHll,
  decodeSparse, denseGet, denseSet, denseSetRaw, hllAdd, hllCount, hllCountRaw, hllMerge, invalidateCache, isValidHll,
  readCachedCard, sparseSet, sparseToDense, writeCachedCard,
} from '../types/hll';

/**
 * HyperLogLog commands (hyperloglog.c): PFADD, PFCOUNT, PFMERGE and the PFSELFTEST / PFDEBUG
 * internals. An HLL is an ordinary string key holding Redis's exact bytes (types/hll.ts), so GET,
 * DUMP and replication see the same value as in Redis.
 */

const INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';
const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';

/** isHLLObjectOrReply: false after replying WRONGTYPE (another type, or a string that is no HLL). */
function hllOrReply(c: Client, o: RObj): boolean {
  if (o.type !== OBJ_STRING) {
    c.reply.wrongType();
    return false;
  }
  if (!isValidHll(o.value as StrVal)) {
    c.reply.error(NOT_HLL);
    return false;
  }
  return true;
}

/**
 * An HLL's bytes for reading, without converting the value: a ByteBuf's own storage (with the byte
 * after the end, which a cut XZERO reads: see types/hll.ts), or a copy of a binary string.
 */
function hllBytes(o: RObj): { bytes: Uint8Array; len: number } {
  const v = o.value as StrVal;
  if (typeof v === 'string') return { bytes: binaryToBytes(v), len: v.length };
  return { bytes: v.buf, len: v.len };
}

/** A cardinality as Redis replies it (addReplyLongLong of a uint64_t: 2^63 and up turn negative). */
function replyCard(c: Client, card: number | bigint): void {
  c.reply.int(typeof card === 'bigint' ? BigInt.asIntN(64, card) : card);
}

/**
 * dbUnshareStringValue for PFCOUNT, which looks its key up for reading (hits, misses and one LRU/LFU
 * touch, as Redis) yet may write the cached count: what lookupWrite does before a write is done
 * here, so a snapshot in progress keeps the old value and the memory total re-measures it. Then
 * the value becomes a mutable buffer.
 */
function unshareForCache(c: Client, o: RObj): ByteBuf {
  if (o.saveEpoch !== 0) c.server.cowSnapshot?.beforeChange(o);
  c.server.memory.markDirty(o);
  return stringBuffer(o);
}

function sparseMaxBytes(c: Client): number {
  return c.server.config.num('hll-sparse-max-bytes');
}

/** PFADD key [element ...]: 1 when a register changed (or the key was created), else 0. */
function pfaddCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const db = c.db;
  const o = db.lookupWrite(key);
  let b: ByteBuf;
  let updated = 0;
  if (o === undefined) {
    b = createHll();
    db.add(key, new RObj(OBJ_STRING, b, c.server.newObjectLru()));
    updated++;
  } else {
    if (!hllOrReply(c, o)) return;
    b = stringBuffer(o);
  }
  const maxBytes = sparseMaxBytes(c);
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(b, argv[j], maxBytes);
    if (r === 1) updated++;
    else if (r === -1) return c.reply.error(INVALID_HLL);
  }
  if (updated) {
    c.server.signalModifiedKey(db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'pfadd', key, db.id);
    c.server.dirty += updated;
    invalidateCache(b.buf);
  }
  c.reply.int(updated ? 1 : 0);
}

/**
 * PFCOUNT key [key ...]. One key: the cached cardinality, or a fresh estimate written back into
 * the header (a change of the string, so it counts as a write and propagates). Several keys: the
 * estimate of their union, nothing written.
 */
function pfcountCommand(c: Client, argv: string[]): void {
  const db = c.db;
  if (argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const o = db.lookupRead(argv[j]);
      if (o === undefined) continue;
      if (!hllOrReply(c, o)) return;
      const { bytes, len } = hllBytes(o);
      if (!hllMerge(max, bytes, len)) return c.reply.error(INVALID_HLL);
    }
    return replyCard(c, hllCountRaw(max));
  }

  const key = argv[1];
  const o = db.lookupRead(key);
  if (o === undefined) return c.reply.int(0);
  if (!hllOrReply(c, o)) return;
  const b = unshareForCache(c, o);
  if (cacheValid(b.buf)) return replyCard(c, readCachedCard(b.buf));
  const card = hllCount(b.buf, b.len);
  if (card === null) return c.reply.error(INVALID_HLL);
  writeCachedCard(b.buf, card);
  c.server.signalModifiedKey(db, key);
  c.server.dirty++;
  replyCard(c, card);
}

/** PFMERGE destkey [sourcekey ...]: the register-wise maximum of all (destkey included) into destkey. */
function pfmergeCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const o = db.lookupRead(argv[j]);
    if (o === undefined) continue;
    if (!hllOrReply(c, o)) return;
    const { bytes, len } = hllBytes(o);
    // One dense input makes the result dense at once (saves the conversion later).
    if (bytes[4] === HLL_DENSE) useDense = true;
    if (!hllMerge(max, bytes, len)) return c.reply.error(INVALID_HLL);
  }

  const key = argv[1];
  const o = db.lookupWrite(key);
  let b: ByteBuf;
  if (o === undefined) {
    b = createHll();
    db.add(key, new RObj(OBJ_STRING, b, c.server.newObjectLru()));
  } else {
    // Already checked as a source above.
    b = stringBuffer(o);
  }
  if (useDense && !sparseToDense(b)) return c.reply.error(INVALID_HLL);

  const maxBytes = sparseMaxBytes(c);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const v = max[j];
    if (v === 0) continue;
    if (b.buf[4] === HLL_DENSE) denseSet(b.buf, j, v);
    else sparseSet(b, j, v, maxBytes);
  }
  invalidateCache(b.buf);
  c.server.signalModifiedKey(db, key);
  // Redis reports PFMERGE as a "pfadd": in effect it adds many elements.
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'pfadd', key, db.id);
  c.server.dirty++;
  c.reply.ok();
}

/** The argument as C reads it: up to its first NUL. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
function pfdebugCommand(c: Client, argv: string[]): void {
  const sub = cstr(argv[1]);
  const key = argv[2];
  const o = c.db.lookupWrite(key);
  if (o === undefined) return c.reply.err('The specified key does not exist');
  if (!hllOrReply(c, o)) return;
  const b = stringBuffer(o);
  switch (asciiLower(sub)) {
    case 'getreg': {
      if (b.buf[4] === HLL_SPARSE) {
        if (!sparseToDense(b)) return c.reply.error(INVALID_HLL);
        c.server.dirty++; // the encoding changed: propagate it
      }
      c.reply.arrayLen(HLL_REGISTERS);
      for (let j = 0; j < HLL_REGISTERS; j++) c.reply.int(denseGet(b.buf, HLL_HDR_SIZE, j));
      return;
    }
    case 'decode':
      if (b.buf[4] !== HLL_SPARSE) return c.reply.err('HLL encoding is not sparse');
      return c.reply.bulk(decodeSparse(b.buf, b.len));
    case 'encoding':
      return c.reply.status(b.buf[4] === HLL_DENSE ? 'dense' : 'sparse');
    case 'todense': {
      let converted = false;
      if (b.buf[4] === HLL_SPARSE) {
        if (!sparseToDense(b)) return c.reply.error(INVALID_HLL);
        converted = true;
        c.server.dirty++;
      }
      return c.reply.int(converted ? 1 : 0);
    }
    default:
      return c.reply.err(`Unknown PFDEBUG subcommand '${sub.replace(/[\r\n]/g, ' ')}'`);
  }
}

/**
 * PFSELFTEST: Redis's self-test of the implementation. Registers written at random read back
 * unchanged; then elements are added to a dense and a sparse HLL together, which must agree and
 * stay within six standard errors of the true count at 1, 10, 100, ... elements. Redis runs 1000
 * register rounds and 10 million elements; a tenth of both keeps the server responsive here
 * (the command runs on the page's worker) while still crossing every encoding change.
 */
function pfselftestCommand(c: Client): void {
  const random = (): number => Math.floor(c.server.random() * 4294967296);
  // Test 1: register access.
  const dense = new Uint8Array(HLL_DENSE_SIZE);
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < 100; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = random() & HLL_REGISTER_MAX;
      expected[i] = r;
      denseSetRaw(dense, HLL_HDR_SIZE, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(dense, HLL_HDR_SIZE, i);
      if (v !== expected[i]) return c.reply.error(`TESTFAILED Register ${i} should be ${expected[i]} but is ${v}`);
    }
  }

  // Test 2: approximation error, dense and sparse side by side.
  const denseHll = createHll();
  sparseToDense(denseHll);
  const sparseHll = createHll();
  const maxBytes = sparseMaxBytes(c);
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedLo = random();
  const seedHi = random();
  let checkpoint = 1;
  for (let j = 1; j <= 1000000; j++) {
    // The element is the 8 bytes of j ^ seed, little endian.
    const lo = (j ^ seedLo) >>> 0;
    const ele = String.fromCharCode(
      lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24,
      seedHi & 0xff, (seedHi >>> 8) & 0xff, (seedHi >>> 16) & 0xff, seedHi >>> 24,
    );
    hllAdd(denseHll, ele, maxBytes);
    hllAdd(sparseHll, ele, maxBytes);
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && sparseHll.buf[4] !== HLL_SPARSE) return c.reply.err('TESTFAILED sparse encoding not used');
    const card = Number(hllCount(denseHll.buf, denseHll.len));
    if (card !== Number(hllCount(sparseHll.buf, sparseHll.len))) return c.reply.err('TESTFAILED dense/sparse disagree');
    const abserr = Math.abs(checkpoint - card);
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > maxerr) return c.reply.error(`TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`);
    checkpoint *= 10;
  }
  c.reply.ok();
}

export const hyperloglogCommands: CommandSpec[] = [
  {
    name: 'pfadd', arity: -2, flags: 'write denyoom fast', keys: [1, 1, 1], group: 'hyperloglog', since: '2.8.9',
    summary: "Adds elements to a key's HyperLogLog (creating it if missing); replies 1 if its estimate may have changed.",
    complexity: 'O(1) per element', syntax: 'key [element [element ...]]',
    handler: pfaddCommand,
  },
  {
    name: 'pfcount', arity: -2, flags: 'readonly', keys: [1, -1, 1], group: 'hyperloglog', since: '2.8.9',
    summary: 'Estimates the number of distinct elements added to one HyperLogLog, or to the union of several.',
    complexity: 'O(1) for one key with a cached estimate; O(N) for N keys, with a larger constant',
    syntax: 'key [key ...]',
    handler: pfcountCommand,
  },
  {
    name: 'pfmerge', arity: -2, flags: 'write denyoom', keys: [1, -1, 1], group: 'hyperloglog', since: '2.8.9',
    summary: 'Stores in a key the union of HyperLogLogs (the key itself included), as if all their elements were added.',
    complexity: 'O(N) for N HyperLogLogs, with a large constant', syntax: 'destkey [sourcekey [sourcekey ...]]',
    handler: pfmergeCommand,
  },
  {
    name: 'pfdebug', arity: 3, flags: 'write denyoom admin', keys: [2, 2, 1], group: 'hyperloglog', since: '2.8.9',
    summary: "Internal: shows a HyperLogLog's registers, opcodes or encoding, or makes it dense.",
    complexity: 'N/A', syntax: 'subcommand key',
    handler: pfdebugCommand,
  },
  {
    name: 'pfselftest', arity: 1, flags: 'admin', group: 'hyperloglog', since: '2.8.9',
    summary: 'Internal: runs a self-test of the HyperLogLog implementation.',
    complexity: 'N/A', syntax: '',
    handler: pfselftestCommand,
  },
];
