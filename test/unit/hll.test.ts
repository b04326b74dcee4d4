import { describe, expect, it } from 'vitest';
import {
  HLL_DENSE, HLL_DENSE_SIZE, HLL_HDR_SIZE, HLL_REGISTERS, HLL_SPARSE, cacheValid, createHll, decodeSparse, denseGet,
  denseRegHisto, denseSet, denseSetRaw, estimateFromHisto, hllAdd, hllCount, hllCountRaw, hllMerge, hllPatLen,
  invalidateCache, isValidHll, murmurHash64ABig, readCachedCard, sparseRegHisto, sparseSet, sparseToDense,
  sparseToDenseBytes, writeCachedCard,
} from '../../src/engine/types/hll';
import { ByteBuf } from '../../src/engine/util/bytes';
import { Engine } from '../../src/engine/server';
import { MemoryStorage } from '../../src/engine/persistence/storage';
import { loadRdb } from '../../src/engine/persistence/rdb';
import { rng } from '../support/rng';
import { connectTo } from '../support/engine-conn';

/** MurmurHash64A written plainly with BigInt, as the reference for the 32-bit-halves version. */
function murmurRef(s: string): bigint {
  const M = 0xc6a4a7935bd1e995n;
  const mask = (1n << 64n) - 1n;
  const len = s.length;
  let h = (0xadc83b19n ^ (BigInt(len) * M)) & mask;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(s.charCodeAt(i + j));
    k = (k * M) & mask;
    k ^= k >> 47n;
    k = (k * M) & mask;
    h ^= k;
    h = (h * M) & mask;
  }
  const rest = len & 7;
  if (rest) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(s.charCodeAt(blocks + j)) << BigInt(8 * j);
    h = (h * M) & mask;
  }
  h ^= h >> 47n;
  h = (h * M) & mask;
  h ^= h >> 47n;
  return h;
}

function randomString(r: ReturnType<typeof rng>, max: number): string {
  let s = '';
  for (let i = r.int(0, max); i > 0; i--) s += String.fromCharCode(r.int(0, 255));
  return s;
}

/** The registers of an HLL (sparse or dense) as one byte each. */
function registers(b: ByteBuf): Uint8Array {
  const dense = b.buf[4] === HLL_DENSE ? b.buf : sparseToDenseBytes(b.buf, b.len)!;
  const out = new Uint8Array(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) out[i] = denseGet(dense, HLL_HDR_SIZE, i);
  return out;
}

function newDense(): ByteBuf {
  const b = createHll();
  expect(sparseToDense(b)).toBe(true);
  return b;
}

function sparseOf(body: number[]): ByteBuf {
  const b = createHll();
  b.len = HLL_HDR_SIZE;
  for (const x of body) b.append(String.fromCharCode(x));
  return b;
}

describe('MurmurHash64A', () => {
  it('matches a BigInt reference for every tail length and random bytes', () => {
    const r = rng(1234);
    for (let n = 0; n < 3000; n++) {
      const s = randomString(r, 70);
      expect(murmurHash64ABig(s), JSON.stringify(s)).toBe(murmurRef(s));
    }
    for (const s of ['', 'a', 'foo', 'hello world', '\xff'.repeat(64), '\0'.repeat(17)]) {
      expect(murmurHash64ABig(s)).toBe(murmurRef(s));
    }
  });

  it('pattern length: 1..51 from the bits above the register index', () => {
    const r = rng(99);
    for (let n = 0; n < 2000; n++) {
      const s = randomString(r, 20);
      const h = murmurRef(s);
      let rest = (h >> 14n) | (1n << 50n);
      let count = 1;
      while ((rest & 1n) === 0n) {
        count++;
        rest >>= 1n;
      }
      expect(hllPatLen(s) >>> 14).toBe(count);
      expect(hllPatLen(s) & 0x3fff).toBe(Number(h & 0x3fffn));
    }
  });
});

describe('dense registers', () => {
  it('6-bit registers read back and leave their neighbours alone', () => {
    const r = rng(7);
    const bytes = new Uint8Array(HLL_DENSE_SIZE);
    const want = new Uint8Array(HLL_REGISTERS);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < HLL_REGISTERS; i++) {
        want[i] = r.int(0, 63);
        denseSetRaw(bytes, HLL_HDR_SIZE, i, want[i]);
      }
      const got = new Uint8Array(HLL_REGISTERS);
      for (let i = 0; i < HLL_REGISTERS; i++) got[i] = denseGet(bytes, HLL_HDR_SIZE, i);
      expect(got).toEqual(want);
    }
  }, 30_000);

  it('the packing is Redis\'s: register 0 in the low bits of byte 0, register 1 straddling bytes 0 and 1', () => {
    const bytes = new Uint8Array(HLL_DENSE_SIZE);
    denseSetRaw(bytes, HLL_HDR_SIZE, 0, 0x3f);
    expect(bytes[16]).toBe(0x3f);
    denseSetRaw(bytes, HLL_HDR_SIZE, 1, 0x3f);
    expect([bytes[16], bytes[17]]).toEqual([0xff, 0x0f]);
    denseSetRaw(bytes, HLL_HDR_SIZE, 16383, 0x21);
    expect(bytes[HLL_DENSE_SIZE - 1]).toBe(0x21 << 2);
    expect(denseSet(bytes, 5, 3)).toBe(true);
    expect(denseSet(bytes, 5, 3)).toBe(false);
    expect(denseSet(bytes, 5, 2)).toBe(false);
  });

  it('histogram of a dense body', () => {
    const bytes = new Uint8Array(HLL_DENSE_SIZE);
    for (let i = 0; i < 100; i++) denseSetRaw(bytes, HLL_HDR_SIZE, i * 7, (i % 5) + 1);
    const histo = new Int32Array(64);
    denseRegHisto(bytes, histo);
    expect(histo[0]).toBe(HLL_REGISTERS - 100);
    for (let v = 1; v <= 5; v++) expect(histo[v]).toBe(20);
  });
});

describe('sparse code', () => {
  it('a new HLL is one XZERO', () => {
    const b = createHll();
    expect(b.toString()).toBe('HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff');
    expect(decodeSparse(b.buf, b.len)).toBe('Z:16384');
    expect(isValidHll(b)).toBe(true);
  });

  it('splits XZERO, ZERO and VAL runs and merges equal neighbours (the example in hyperloglog.c)', () => {
    const b = createHll();
    expect(sparseSet(b, 1000, 2, 3000)).toBe(1);
    expect(decodeSparse(b.buf, b.len)).toBe('Z:1000 v:2,1 Z:15383');
    expect(sparseSet(b, 1020, 3, 3000)).toBe(1);
    expect(sparseSet(b, 1021, 3, 3000)).toBe(1);
    expect(decodeSparse(b.buf, b.len)).toBe('Z:1000 v:2,1 z:19 v:3,2 Z:15362');
    expect(sparseSet(b, 1021, 3, 3000)).toBe(0);
    expect(sparseSet(b, 1021, 2, 3000)).toBe(0);
    // A VAL run split in the middle.
    expect(sparseSet(b, 1022, 3, 3000)).toBe(1);
    expect(sparseSet(b, 1023, 3, 3000)).toBe(1);
    expect(decodeSparse(b.buf, b.len)).toBe('Z:1000 v:2,1 z:19 v:3,4 Z:15360');
    expect(sparseSet(b, 1021, 9, 3000)).toBe(1);
    expect(decodeSparse(b.buf, b.len)).toBe('Z:1000 v:2,1 z:19 v:3,1 v:9,1 v:3,2 Z:15360');
    // A ZERO of length 1 becomes a VAL in place; then runs merge.
    expect(sparseSet(b, 1001, 2, 3000)).toBe(1);
    expect(decodeSparse(b.buf, b.len)).toBe('Z:1000 v:2,2 z:18 v:3,1 v:9,1 v:3,2 Z:15360');
    // Edges of the register space.
    expect(sparseSet(b, 0, 1, 3000)).toBe(1);
    expect(sparseSet(b, 16383, 32, 3000)).toBe(1);
    expect(decodeSparse(b.buf, b.len)).toBe('v:1,1 Z:999 v:2,2 z:18 v:3,1 v:9,1 v:3,2 Z:15359 v:32,1');
    expect(cacheValid(b.buf)).toBe(false);
  });

  it('agrees with a dense HLL under random updates, and promotes past the byte limit or value 32', () => {
    for (const maxBytes of [0, 50, 300, 3000, 20000]) {
      const r = rng(maxBytes + 1);
      const sparse = createHll();
      const dense = newDense();
      let promotedAt = -1;
      const problems: string[] = [];
      for (let n = 0; n < 6000; n++) {
        const reg = r.chance(0.5) ? r.int(0, 200) : r.int(0, HLL_REGISTERS - 1);
        const count = r.chance(0.001) ? r.int(33, 51) : r.int(1, 8);
        const want = denseSet(dense.buf, reg, count) ? 1 : 0;
        const got = setChecked(sparse, reg, count, maxBytes, problems);
        if (got !== want) problems.push(`step ${n}: set ${reg} to ${count} gave ${got}, expected ${want}`);
        if (sparse.buf[4] === HLL_SPARSE) {
          if (sparse.len > Math.max(maxBytes, 18)) problems.push(`step ${n}: ${sparse.len} bytes`);
        } else if (promotedAt < 0) promotedAt = n;
        if (problems.length) break;
      }
      expect(problems).toEqual([]);
      expect(registers(sparse)).toEqual(registers(dense));
      expect(hllCount(sparse.buf, sparse.len)).toBe(hllCount(dense.buf, dense.len));
      if (maxBytes < 3000) expect(promotedAt).toBeGreaterThanOrEqual(0);
    }
  }, 30_000);

  it('corrupt codes: a register past the end, too few or too many registers', () => {
    const short = sparseOf([0x7f, 0x00]); // XZERO:16129
    expect(sparseSet(short, 16200, 1, 3000)).toBe(-1);
    expect(sparseSet(short, 10, 1, 3000)).toBe(1);
    expect(sparseRegHisto(short.buf, short.len, new Int32Array(64))).toBe(false);
    expect(sparseToDenseBytes(short.buf, short.len)).toBe(null);
    expect(hllCount(short.buf, short.len)).toBe(null);
    expect(hllMerge(new Uint8Array(HLL_REGISTERS), short.buf, short.len)).toBe(false);
    const long = sparseOf([0x7f, 0xff, 0x00]);
    expect(hllCount(long.buf, long.len)).toBe(null);
    expect(sparseToDense(long)).toBe(false);
    expect(long.buf[4]).toBe(HLL_SPARSE);
    // A truncated XZERO reads a 0 second byte (Redis's sds terminator): 0x7f alone is 16129.
    const cut = sparseOf([0x3f, 0x7f]);
    expect(decodeSparse(cut.buf, cut.len)).toBe('z:64 Z:16129');
    const ok = sparseOf([0x3f, 0x7f, 0x00, 0xbf, 0x3f, 0x3f, 0x3a]);
    expect(decodeSparse(ok.buf, ok.len)).toBe('z:64 Z:16129 v:16,4 z:64 z:64 z:59');
    expect(hllCount(ok.buf, ok.len)).not.toBe(null);
  });
});

describe('an XZERO cut short by the end of the value', () => {
  it('reads its second byte after the end, which a split leaves there as Redis does', () => {
    const b = sparseOf([0x98, 0x57]); // VAL 7, then XZERO 0x17.. with no second byte
    expect(decodeSparse(b.buf, b.len)).toBe('v:7,1 Z:5889');
    expect(sparseSet(b, 100, 1, 3000)).toBe(1);
    // The new opcodes ran one byte past the new length: the last XZERO's second byte is there.
    expect(b.len).toBe(HLL_HDR_SIZE + 5);
    expect(b.buf[b.len]).toBe(0x9c);
    expect(decodeSparse(b.buf, b.len)).toBe('v:7,1 Z:99 v:1,1 Z:5789');
    // A copy of the string alone (GET, then SET elsewhere) reads a terminator of 0 there instead.
    const copy = b.toString();
    const fresh = new ByteBuf(copy);
    expect(decodeSparse(fresh.buf, fresh.len)).toBe('v:7,1 Z:99 v:1,1 Z:5633');
    // Splitting it again leaves the new second byte after the end too, but the merge of the two
    // VAL:1 that follows shortens the string, and the new end's terminator overwrites that byte.
    expect(sparseSet(b, 101, 1, 3000)).toBe(1);
    expect(b.buf[b.len]).toBe(0);
    expect(decodeSparse(b.buf, b.len)).toBe('v:7,1 Z:99 v:1,2 Z:5633');
  });
});

describe('header and estimates', () => {
  it('validity checks', () => {
    const b = createHll();
    expect(isValidHll(b)).toBe(true);
    expect(isValidHll(b.toString().slice(0, 15))).toBe(false);
    expect(isValidHll(b.toString())).toBe(true);
    b.buf[4] = 2;
    expect(isValidHll(b)).toBe(false);
    b.buf[4] = HLL_DENSE;
    expect(isValidHll(b)).toBe(false);
    const d = newDense();
    expect(isValidHll(d)).toBe(true);
    d.buf[0] = 0x68;
    expect(isValidHll(d)).toBe(false);
  });

  it('cached cardinality: little endian, top bit means stale', () => {
    const b = createHll();
    expect(cacheValid(b.buf)).toBe(true);
    writeCachedCard(b.buf, 0x0102030405);
    expect(Array.from(b.buf.subarray(8, 16))).toEqual([5, 4, 3, 2, 1, 0, 0, 0]);
    expect(readCachedCard(b.buf)).toBe(0x0102030405);
    writeCachedCard(b.buf, 0x7fffffffffffffffn);
    expect(readCachedCard(b.buf)).toBe(0x7fffffffffffffffn);
    invalidateCache(b.buf);
    expect(cacheValid(b.buf)).toBe(false);
  });

  it('estimates: 0 when empty, close to the truth, dense and sparse alike', () => {
    expect(hllCountRaw(new Uint8Array(HLL_REGISTERS))).toBe(0);
    const sparse = createHll();
    const dense = newDense();
    const r = rng(5);
    let n = 0;
    for (const target of [1, 10, 100, 1000, 10000, 100000]) {
      for (; n < target; n++) {
        const e = 'el:' + n + ':' + r.int(0, 1e9);
        hllAdd(sparse, e, 3000);
        hllAdd(dense, e, 3000);
      }
      const a = Number(hllCount(sparse.buf, sparse.len));
      expect(a).toBe(Number(hllCount(dense.buf, dense.len)));
      expect(Math.abs(a - target)).toBeLessThanOrEqual(Math.ceil(target * 0.05) + 1);
    }
    const max = new Uint8Array(HLL_REGISTERS);
    expect(hllMerge(max, dense.buf, dense.len)).toBe(true);
    expect(hllCountRaw(max)).toBe(hllCount(dense.buf, dense.len));
  }, 30_000);

  it('every register at 51 or more: an infinite estimate comes out as 2^63', () => {
    const histo = new Int32Array(64);
    histo[51] = HLL_REGISTERS;
    expect(estimateFromHisto(histo)).toBe(1n << 63n);
    histo[51] = 0;
    histo[63] = HLL_REGISTERS;
    expect(estimateFromHisto(histo)).toBe(1n << 63n);
  });
});

/** An engine with in-memory storage and one connection; send() returns the raw reply. */
function setupEngine() {
  const storage = new MemoryStorage();
  const r = rng(3);
  const engine = new Engine({ clock: () => 1_700_000_000_000, storage, config: { 'enable-debug-command': 'yes' }, random: () => r.next() });
  const send = connectTo(engine).ask;
  return { engine, storage, send };
}

describe('in-place changes and BGSAVE', () => {
  it('PFADD, PFCOUNT, PFMERGE and PFDEBUG during a BGSAVE leave the snapshot as it was (copy-on-write)', async () => {
    const { engine, storage, send } = setupEngine();
    for (let k = 0; k < 600; k++) {
      const args = ['PFADD', 'h' + k];
      for (let i = 0; i < (k % 3 === 0 ? 3000 : 20); i++) args.push('e' + k + ':' + i);
      send(...args);
    }
    for (let k = 0; k < 100; k++) send('SET', 's' + k, 'HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x7f\xff');
    const before = send('DEBUG', 'DIGEST');
    engine.rdb.sliceMs = 0;
    expect(send('BGSAVE')).toBe('+Background saving started\r\n');
    const r = rng(11);
    let steps = 0;
    while (engine.rdb.busy()) {
      const k = 'h' + r.int(0, 599);
      send('PFADD', k, 'new' + r.int(0, 1e6));
      send('PFCOUNT', k);
      send('PFCOUNT', 's' + r.int(0, 99));
      send('PFMERGE', 'h' + r.int(0, 599), k);
      send('PFDEBUG', 'TODENSE', 'h' + r.int(0, 599));
      engine.handleBlockedTimeouts(); // the host's timer: one slice of the save
      steps++;
    }
    for (let i = 0; i < 5; i++) await new Promise((res) => setTimeout(res, 0));
    expect(engine.rdb.lastBgsaveOk).toBe(true);
    expect(steps).toBeGreaterThan(5);
    const after = setupEngine();
    loadRdb(after.engine, (await storage.read('dump.rdb'))!);
    expect(after.send('DEBUG', 'DIGEST')).toBe(before);
    expect(send('DEBUG', 'DIGEST')).not.toBe(before);
  }, 60_000);
});

/** sparseSet (denseSet once promoted), noting when the value stops being a complete sparse code
 *  or a dense one of the right size. */
function setChecked(b: ByteBuf, reg: number, count: number, maxBytes: number, problems: string[]): number {
  const r = b.buf[4] === HLL_SPARSE ? sparseSet(b, reg, count, maxBytes) : denseSet(b.buf, reg, count) ? 1 : 0;
  if (b.buf[4] === HLL_SPARSE) {
    if (!sparseRegHisto(b.buf, b.len, new Int32Array(64))) problems.push('incomplete sparse code: ' + decodeSparse(b.buf, b.len));
  } else if (b.len !== HLL_DENSE_SIZE) problems.push('dense of ' + b.len + ' bytes');
  return r;
}
