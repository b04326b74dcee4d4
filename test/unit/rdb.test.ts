import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { OBJ_HASH, OBJ_LIST, OBJ_SET, OBJ_STRING, OBJ_ZSET, RObj } from '../../src/engine/object';
import { datasetDigest, objectDigest } from '../../src/engine/digest';
import { toHex } from '../../src/engine/util/sha1';
import { DATA_TYPES } from '../../src/engine/types';
import { ListValue } from '../../src/engine/types/list';
import { HashValue } from '../../src/engine/types/hash';
import { RSet } from '../../src/engine/types/set';
import { ZSet } from '../../src/engine/types/zset';
import {
  RdbError, RdbReader, RdbWriter, decodeDumpPayload, decodeRdb, dumpPayload, encodeRdb, loadLimits, loadRdb,
  verifyDumpPayload, type RdbLoadLimits,
} from '../../src/engine/persistence/rdb';
import { encodeListpack, listpackEntries } from '../../src/engine/persistence/listpack';
import { ziplistEntries, zipmapEntries } from '../../src/engine/persistence/ziplist';
import { encodeIntset, intsetEntries } from '../../src/engine/persistence/intset';

const LIMITS: RdbLoadLimits = {
  hashMaxListpackEntries: 512, hashMaxListpackValue: 64, zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64,
  setMaxIntsetEntries: 512, listFill: -2,
};

const hex = (h: string): string => Buffer.from(h, 'hex').toString('latin1');
const toHexStr = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

function digestOf(o: RObj): string {
  const d = new Uint8Array(20);
  objectDigest(d, o);
  return toHex(d);
}

function hashOf(pairs: [string, string][], hashtable = false): HashValue {
  const h = new HashValue();
  for (const [f, v] of pairs) h.set(f, v);
  if (hashtable) h.toHashtable();
  return h;
}

function setOf(members: string[]): RSet {
  const s = new RSet();
  for (const m of members) s.add(m, 512);
  return s;
}

function zsetOf(pairs: [string, number][], listpack = true): ZSet {
  const z = new ZSet();
  z.listpack = listpack;
  for (const [m, s] of pairs) z.insert(m, s);
  return z;
}

describe('DUMP payloads', () => {
  // Payloads taken from redis-server 7.0.15 (DUMP after SET / RPUSH / HSET / SADD / ZADD).
  const vectors: [string, RObj][] = [
    ['000568656c6c6f0a006372df766534200a', new RObj(OBJ_STRING, 'hello', 0)],
    ['00c139300a009d94ea2793fc08b9', new RObj(OBJ_STRING, '12345', 0)],
    ['1201020f0f00000003008161020101816202ff0a009043a34ceb8e1b1c', new RObj(OBJ_LIST, ListValue.from(['a', '1', 'b']), 0)],
    ['1012120000000400816602817602816e020701ff0a00b82adea8407ffaa8', new RObj(OBJ_HASH, hashOf([['f', 'v'], ['n', '7']]), 0)],
    ['0b0e0200000003000000010002002c010a00e510b28e7b9529aa', new RObj(OBJ_SET, setOf(['1', '2', '300']), 0)],
    ['1114140000000400816102010181620283322e3504ff0a00d44c6ea4f644d9d7', new RObj(OBJ_ZSET, zsetOf([['a', 1], ['b', 2.5]]), 0)],
  ];

  it('are byte for byte what Redis 7.0 writes', () => {
    for (const [h, o] of vectors) expect(toHexStr(dumpPayload(o, true))).toBe(h);
  });

  it('decode to the same values', () => {
    for (const [h, o] of vectors) {
      const p = hex(h);
      expect(verifyDumpPayload(p)).toBe(true);
      const v = decodeDumpPayload(p, LIMITS)!;
      expect(v.type).toBe(o.type);
      expect(digestOf(new RObj(v.type, v.value, 0))).toBe(digestOf(o));
    }
  });

  it('round-trip every encoding', () => {
    const big = 'x'.repeat(100);
    const many = Array.from({ length: 700 }, (_, i) => String(i * 13));
    const objs = [
      new RObj(OBJ_STRING, '', 0), new RObj(OBJ_STRING, '-9223372036854775808', 0), new RObj(OBJ_STRING, 'ab'.repeat(500), 0),
      new RObj(OBJ_LIST, ListValue.from(Array.from({ length: 5000 }, (_, i) => 'e' + i)), 0),
      new RObj(OBJ_LIST, ListValue.from(['', big.repeat(100), '-1', '9223372036854775807']), 0),
      new RObj(OBJ_HASH, hashOf([['a', '1'], ['b', big]], true), 0),
      new RObj(OBJ_SET, setOf(many), 0), new RObj(OBJ_SET, setOf(['a', 'b']), 0),
      new RObj(OBJ_SET, setOf(['-9223372036854775808', '5']), 0),
      new RObj(OBJ_ZSET, zsetOf(many.map((m, i) => [m, i / 3]), false), 0),
      new RObj(OBJ_ZSET, zsetOf([['a', Infinity], ['b', -Infinity], ['c', 0]]), 0),
    ];
    for (const o of objs) {
      for (const compression of [true, false]) {
        const v = decodeDumpPayload(dumpPayload(o, compression), LIMITS)!;
        const back = new RObj(v.type, v.value, 0);
        expect(digestOf(back)).toBe(digestOf(o));
        expect(DATA_TYPES[v.type]!.encoding(back)).toBe(DATA_TYPES[o.type]!.encoding(o));
      }
    }
  }, 60_000);

  it('match DEBUG OBJECT serializedlength (rdb-size)', () => {
    const objs = [
      new RObj(OBJ_STRING, 'abc'.repeat(100), 0), new RObj(OBJ_LIST, ListValue.from(Array.from({ length: 3000 }, (_, i) => 'v' + i)), 0),
      new RObj(OBJ_HASH, hashOf([['a', '1'], ['b', '2']]), 0), new RObj(OBJ_SET, setOf(['1', '99999']), 0),
      new RObj(OBJ_ZSET, zsetOf([['a', 1.5]]), 0), new RObj(OBJ_ZSET, zsetOf([['a', 1.5], ['b', 2]], false), 0),
    ];
    for (const o of objs) {
      // payload = type byte + value + 10-byte trailer
      expect(dumpPayload(o, true).length - 11).toBe(DATA_TYPES[o.type]!.serializedLength(o, true));
    }
  });

  it('reject bad versions and checksums', () => {
    const p = dumpPayload(new RObj(OBJ_STRING, 'v', 0), true);
    expect(verifyDumpPayload(p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) ^ 1))).toBe(false);
    expect(verifyDumpPayload('short')).toBe(false);
    expect(verifyDumpPayload('')).toBe(false);
  });
});

describe('RDB primitives', () => {
  it('write and read every length form', () => {
    for (const n of [0, 63, 64, 16383, 16384, 0xffffffff, 2 ** 40]) {
      const w = new RdbWriter(false);
      w.len(n);
      expect(new RdbReader(w.toString()).len()).toBe(n);
    }
  });

  it('write and read strings in each encoding', () => {
    for (const s of ['', '0', '-128', '127', '-32768', '32767', '-2147483648', '2147483647', '2147483648', '007', 'a'.repeat(30), 'z'.repeat(20000)]) {
      const w = new RdbWriter(true);
      w.string(s);
      expect(new RdbReader(w.toString()).string()).toBe(s);
    }
  });

  it('report truncation and unknown encodings as RdbError', () => {
    expect(() => new RdbReader('\x05ab').string()).toThrow(RdbError);
    expect(() => new RdbReader('\xc5').string()).toThrow(/unknown RDB string encoding/);
    expect(() => new RdbReader('\x82').len()).toThrow(/unknown length encoding/);
    expect(() => new RdbReader('\xc3\x02\x10ab').string()).toThrow(RdbError);
  });
});

describe('compact formats', () => {
  it('listpacks round-trip integers of every width and strings of every length form', () => {
    const items = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '-8388608', '8388607',
      '-2147483648', '2147483647', '9223372036854775807', '-9223372036854775808', '01', '', 'a'.repeat(63), 'b'.repeat(64),
      'c'.repeat(4095), 'd'.repeat(4096), '1.5'];
    expect(listpackEntries(encodeListpack(items))).toEqual(items);
  });

  it('listpacks with bad sizes, back-lengths or counts are rejected', () => {
    const lp = encodeListpack(['a', 'b']);
    expect(listpackEntries(lp.slice(0, -1))).toBeNull();
    expect(listpackEntries(lp.slice(0, 4) + '\x03\x00' + lp.slice(6))).toBeNull();
    expect(listpackEntries(lp.slice(0, 8) + '\x05' + lp.slice(9))).toBeNull();
    expect(listpackEntries(lp.slice(0, 6) + '\xf5' + lp.slice(7))).toBeNull();
  });

  it('reads a ziplist as Redis 6.2 wrote it', () => {
    // a, 1, 300: zlbytes 20, zltail 15, zllen 3; entries prevlen + encoding (+ data)
    const zl = hex('14000000' + '0f000000' + '0300' + '000161' + '03f2' + '02c02c01' + 'ff');
    expect(ziplistEntries(zl)).toEqual(['a', '1', '300']);
    expect(ziplistEntries(zl.slice(0, -1) + '\x00')).toBeNull();
  });

  it('reads zipmaps', () => {
    expect(zipmapEntries('\x02\x01a\x01\x00b\x02cc\x02\x01dd-\xff')).toEqual(['a', 'b', 'cc', 'dd']);
    expect(zipmapEntries('\x01\x01a\x05\x00b\xff')).toBeNull();
  });

  it('intsets round-trip and must be sorted', () => {
    const blob = encodeIntset(['5', '-3', '100000'], 4);
    expect(intsetEntries(blob)).toEqual({ members: ['-3', '5', '100000'], width: 4 });
    expect(intsetEntries(encodeIntset(['1'], 2).slice(0, -1))).toBeNull();
    const unsorted = blob.slice(0, 8) + blob.slice(12, 16) + blob.slice(8, 12) + blob.slice(16);
    expect(intsetEntries(unsorted)).toBeNull();
  });
});

describe('RDB files', () => {
  function engineAt(now: number, config: Record<string, string> = {}): Engine {
    return new Engine({ clock: () => now, monotonic: () => 0, random: () => 0.5, config });
  }

  function fill(e: Engine, now: number): void {
    const db0 = e.dbs[0];
    db0.add('s', new RObj(OBJ_STRING, 'value', 0));
    db0.add('n', new RObj(OBJ_STRING, '42', 0));
    db0.add('l', new RObj(OBJ_LIST, ListValue.from(['a', 'b', 'c']), 0));
    db0.add('h', new RObj(OBJ_HASH, hashOf([['f', 'v']]), 0));
    db0.add('st', new RObj(OBJ_SET, setOf(['x', 'y']), 0));
    db0.add('z', new RObj(OBJ_ZSET, zsetOf([['m', 3]], false), 0));
    const ttl = new RObj(OBJ_STRING, 'soon', 0);
    ttl.expireAt = now + 10_000;
    db0.add('ttl', ttl);
    e.dbs[5].add('other', new RObj(OBJ_STRING, 'db5', 0));
  }

  it('round-trip a dataset through encodeRdb and loadRdb', () => {
    const now = 1_700_000_000_000;
    const a = engineAt(now);
    fill(a, now);
    const bytes = encodeRdb(a);
    expect(Buffer.from(bytes.subarray(0, 9)).toString('latin1')).toBe('REDIS0010');
    const b = engineAt(now);
    const file = loadRdb(b, bytes);
    expect(file.aux.get('redis-ver')).toBe('7.0.15');
    expect(file.checksum).toBe('verified');
    expect(toHex(datasetDigest(b.dbs))).toBe(toHex(datasetDigest(a.dbs)));
    expect(b.dbs[0].getExpire('ttl')).toBe(now + 10_000);
    expect(b.dbs[5].size).toBe(1);
  });

  it('carry the replication ID and offset in a snapshot, not in an AOF base', () => {
    const a = engineAt(1000);
    a.replication.createBacklog();
    const aux = (bytes: Uint8Array): string[] => [...loadRdb(engineAt(1000), bytes).aux.keys()];
    expect(aux(a.rdb.encodeNow())).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'repl-stream-db', 'repl-id', 'repl-offset', 'aof-base']);
    expect(aux(a.rdb.encodeNow(true))).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'aof-base']);
  });

  it('drop keys already expired when loading', () => {
    const a = engineAt(1000);
    fill(a, 1000);
    const b = engineAt(1_000_000);
    loadRdb(b, encodeRdb(a));
    expect(b.dbs[0].peek('ttl')).toBeUndefined();
    expect(b.dbs[0].size).toBe(6);
  });

  it('report corruption clearly and leave the engine untouched', () => {
    const a = engineAt(1000);
    fill(a, 1000);
    const good = encodeRdb(a);
    const b = engineAt(1000);
    b.dbs[0].add('keep', new RObj(OBJ_STRING, 'me', 0));

    const flipped = good.slice();
    flipped[40] ^= 0xff;
    expect(() => loadRdb(b, flipped)).toThrow(RdbError);
    expect(() => loadRdb(b, good.subarray(0, good.length - 20))).toThrow(RdbError);
    expect(() => loadRdb(b, Buffer.from('RODIS0010\xff', 'latin1'))).toThrow(/Wrong signature/);
    expect(() => loadRdb(b, Buffer.from('REDIS0011\xff', 'latin1'))).toThrow(/Can't handle RDB format version/);
    const crc = good.slice();
    crc[crc.length - 1] ^= 1;
    expect(() => loadRdb(b, crc)).toThrow(/checksum/);
    expect(b.dbs[0].peek('keep')).toBeDefined();
    expect(b.dbs[0].size).toBe(1);
  });

  it('accept a file saved without a checksum', () => {
    const a = engineAt(1000);
    fill(a, 1000);
    const bytes = encodeRdb(a);
    bytes.fill(0, bytes.length - 8);
    expect(loadRdb(engineAt(1000), bytes).checksum).toBe('disabled');
  });

  it('refuse a database beyond the configured count and duplicated keys', () => {
    const sel = (db: number): string => '\xfe' + String.fromCharCode(db);
    const key = '\x00\x01k\x01v';
    const file = (body: string): Uint8Array => Buffer.from('REDIS0010' + body + '\xff' + '\0'.repeat(8), 'latin1');
    expect(() => loadRdb(engineAt(0), file(sel(16) + key))).toThrow(/databases/);
    expect(() => loadRdb(engineAt(0), file(key + key))).toThrow(/Duplicated key/);
    const b = engineAt(10_000_000);
    loadRdb(b, file(sel(2) + key + '\xfd\x01\x00\x00\x00' + '\x00\x01e\x01v'));
    expect(b.dbs[2].size).toBe(1); // EXPIRETIME in seconds: long past, dropped
  });

  it('decode older file versions and the IDLE/FREQ opcodes', () => {
    const body = 'REDIS0006' + '\xf8\x05\x00\x01a\x01x' + '\xf9\x07\x00\x01b\x01y' + '\xff' + '\0'.repeat(8);
    const seen: [string, number, number][] = [];
    decodeRdb(body, loadLimits(engineAt(0).config), (e) => seen.push([e.key, e.idle, e.freq]));
    expect(seen).toEqual([['a', 5, -1], ['b', -1, 7]]);
  });

  it('skip empty values as Redis does', () => {
    const body = 'REDIS0010' + '\x04\x01h\x00' + '\x00\x01k\x01v' + '\xff' + '\0'.repeat(8);
    const keys: string[] = [];
    const file = decodeRdb(body, LIMITS, (e) => keys.push(e.key));
    expect(keys).toEqual(['k']);
    expect(file.emptyKeysSkipped).toBe(1);
  });
});
