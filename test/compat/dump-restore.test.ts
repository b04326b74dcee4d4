import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { approxInt, rng, runSeed, showArgv, unordered, type Conn, type Rng } from '../support/harness';
import { maskTimes, tapEngine, tapRealRedis } from '../support/replstream';
import { showReply, type Reply } from '../support/resp-reader';
import { datasetCommands, noise, type DatasetKey } from './rdb-dataset';
import { Crc64 } from '../../src/engine/persistence/crc64';

/**
 * DUMP and RESTORE against a real Redis 7.0: payloads made by one server restored on the other
 * (every type and encoding), byte-identical DUMPs where Redis's bytes are determined by the value,
 * the argument checks and errors, TTL/IDLETIME/FREQ handling, events and dirty counts.
 */

const pair = usePair();

async function bulk(conn: Conn, ...argv: string[]): Promise<string> {
  const a = await conn.send(...argv);
  if (a.reply.t !== 'bulk' || a.reply.v === null) throw new Error(`${argv.join(' ')} -> ${showReply(a.reply)}`);
  return a.reply.v;
}

async function simple(conn: Conn, ...argv: string[]): Promise<string> {
  return showReply((await conn.send(...argv)).reply);
}

async function populate(): Promise<DatasetKey[]> {
  const { cmds, keys } = datasetCommands();
  for (const conn of [pair.real, pair.ours]) {
    const replies = await conn.pipeline(cmds);
    for (const r of replies) expect(r.reply.t, showReply(r.reply)).not.toBe('error');
  }
  return keys;
}

/** The value read back in a comparable form (sorted where the type has no order). */
async function readBack(conn: Conn, key: string, type: string): Promise<string> {
  const cmd: Record<string, string[]> = {
    string: ['GET', key], list: ['LRANGE', key, '0', '-1'], hash: ['HGETALL', key],
    set: ['SMEMBERS', key], zset: ['ZRANGE', key, '0', '-1', 'WITHSCORES'], stream: ['XINFO', 'STREAM', key, 'FULL'],
  };
  const r = (await conn.send(...cmd[type])).reply;
  if (type === 'hash') {
    const v = (r as { v: { v: string }[] }).v.map((x) => x.v);
    const pairs: string[] = [];
    for (let i = 0; i < v.length; i += 2) pairs.push(v[i] + '\u0000' + v[i + 1]);
    return pairs.sort().join('\n');
  }
  if (type === 'set') return (r as { v: { v: string }[] }).v.map((x) => x.v).sort().join('\n');
  return showReply(r);
}

/**
 * Payload from `from`, restored under a new name on both servers: the copies must read back as
 * the original, with the same encoding on both and the original's digest.
 */
async function transfer(from: Conn, k: DatasetKey): Promise<void> {
  const payload = await bulk(from, 'DUMP', k.key);
  const copy = k.key + ':copy';
  const original = await readBack(from, k.key, k.type);
  const digest = await simple(from, 'DEBUG', 'DIGEST-VALUE', k.key);
  for (const to of [pair.real, pair.ours]) {
    expect(await simple(to, 'RESTORE', copy, '0', payload), k.key).toBe('+OK');
    expect(await readBack(to, copy, k.type), k.key).toBe(original);
    expect(await simple(to, 'DEBUG', 'DIGEST-VALUE', copy), k.key).toBe(digest);
  }
  expect(await simple(pair.ours, 'OBJECT', 'ENCODING', copy), k.key).toBe(await simple(pair.real, 'OBJECT', 'ENCODING', copy));
}

/** A payload for body (type byte + value) with version 10 and its CRC-64. */
function sign(body: string, version = 10): string {
  const v = body + String.fromCharCode(version & 255, version >> 8);
  return v + new Crc64().updateBinary(v).littleEndian();
}

describe('DUMP', () => {
  it('answers nil for a missing key and checks arity', async () => {
    await pair.same(['DUMP', 'nope'], ['DUMP'], ['DUMP', 'a', 'b']);
  });

  it('serializes like Redis, byte for byte, where the value determines the bytes', async () => {
    const keys = await populate();
    const steps = keys.filter((k) => k.exactDump).map((k) => ['DUMP', k.key]);
    await pair.same(...steps);
  });

  it('serializes without LZF when rdbcompression is off', async () => {
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'no']);
    try {
      await pair.same(['SET', 'k', 'a'.repeat(200)], ['DUMP', 'k'], ['HSET', 'h', 'f', 'v'.repeat(50)], ['DUMP', 'h']);
    } finally {
      await pair.same(['CONFIG', 'SET', 'rdbcompression', 'yes']);
    }
  });
});

describe('RESTORE interop', () => {
  it('restores every type and encoding Redis dumps', async () => {
    const keys = await populate();
    for (const k of keys) await transfer(pair.real, k);
  });

  it('Redis restores every type and encoding we dump', async () => {
    const keys = await populate();
    for (const k of keys) await transfer(pair.ours, k);
  });

  it('ends with the same dataset both ways (DEBUG DIGEST)', async () => {
    const keys = await populate();
    for (const k of keys) {
      const fromReal = await bulk(pair.real, 'DUMP', k.key);
      const fromOurs = await bulk(pair.ours, 'DUMP', k.key);
      expect(await simple(pair.ours, 'RESTORE', k.key + ':x', '0', fromReal)).toBe('+OK');
      expect(await simple(pair.real, 'RESTORE', k.key + ':x', '0', fromOurs)).toBe('+OK');
    }
    await pair.same(['DEBUG', 'DIGEST'], ['DBSIZE']);
  });

  it('restores lists Redis holds with compressed inner nodes (list-compress-depth)', async () => {
    await pair.real.send('CONFIG', 'SET', 'list-compress-depth', '1');
    try {
      const els = Array.from({ length: 5000 }, (_, i) => 'element number ' + (i % 50));
      await pair.real.send('RPUSH', 'l', ...els);
      await transfer(pair.real, { key: 'l', type: 'list', exactDump: false });
    } finally {
      await pair.real.send('CONFIG', 'SET', 'list-compress-depth', '0');
    }
  });

  it('picks the encoding from the config on load, as Redis does', async () => {
    await pair.same(
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['SADD', 's', '1', '2', '3'], ['SADD', 'ss', 'a', 'b', 'c'], ['ZADD', 'zl', '1', 'x'.repeat(100)],
      ['HSET', 'hl', 'f', 'x'.repeat(100)],
    );
    const payloads: Record<string, string> = {};
    for (const k of ['h', 'z', 's', 'ss', 'zl', 'hl']) payloads[k] = await bulk(pair.real, 'DUMP', k);
    const configs = [
      ['hash-max-listpack-entries', '2'], ['zset-max-listpack-entries', '2'], ['set-max-intset-entries', '2'],
      ['hash-max-listpack-value', '200'], ['zset-max-listpack-value', '200'], ['zset-max-listpack-entries', '0'],
    ];
    for (const [name, value] of configs) {
      await pair.same(['CONFIG', 'SET', name, value]);
      for (const [k, p] of Object.entries(payloads)) {
        await pair.same(['RESTORE', k + ':' + name + value, '0', p], ['OBJECT', 'ENCODING', k + ':' + name + value]);
      }
    }
    await pair.same(
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '512'], ['CONFIG', 'SET', 'hash-max-listpack-value', '64'],
      ['CONFIG', 'SET', 'zset-max-listpack-value', '64'], ['DEBUG', 'DIGEST'],
    );
  });
});

describe('RESTORE arguments and errors', () => {
  const str = sign('\x00\x05hello');

  it('rejects bad options, TTLs, payloads and existing keys with Redis errors', async () => {
    await pair.same(
      ['RESTORE'], ['RESTORE', 'k'], ['RESTORE', 'k', '0'],
      ['RESTORE', 'k', 'x', str], ['RESTORE', 'k', '-1', str], ['RESTORE', 'k', '1.5', str],
      ['RESTORE', 'k', '0', 'short'], ['RESTORE', 'k', '0', ''], ['RESTORE', 'k', '0', str.slice(0, -1) + 'x'],
      ['RESTORE', 'k', '0', sign('\x00\x05hello', 11)], ['RESTORE', 'k', '0', sign('\x00\x05hello', 9)],
      ['RESTORE', 'k', '0', str, 'BOGUS'], ['RESTORE', 'k', '0', str, 'IDLETIME'], ['RESTORE', 'k', '0', str, 'FREQ'],
      ['RESTORE', 'k', '0', str, 'IDLETIME', 'x'], ['RESTORE', 'k', '0', str, 'IDLETIME', '-1'],
      ['RESTORE', 'k', '0', str, 'FREQ', '256'], ['RESTORE', 'k', '0', str, 'FREQ', '-1'], ['RESTORE', 'k', '0', str, 'FREQ', 'x'],
      ['RESTORE', 'k', '0', str, 'IDLETIME', '1', 'FREQ', '1'], ['RESTORE', 'k', '0', str, 'FREQ', '1', 'IDLETIME', '1'],
      ['RESTORE', 'k', '0', str, 'REPLACE', 'REPLACE', 'ABSTTL', 'absttl'],
      ['GET', 'k'],
      ['RESTORE', 'k', '0', str], ['RESTORE', 'k', 'x', 'garbage'], ['RESTORE', 'k', '-1', 'garbage'],
      ['RESTORE', 'k', '0', str, 'REPLACE'], ['GET', 'k'],
    );
  });

  it('answers Bad data format for unknown types, corrupt values and empty values', async () => {
    const bodies = [
      '\x08\x00', '\x06\x00', '\x0f\x00', '\x13\x00', '\x14\x00', '\xff', '',
      '\x00', '\x00\x05hel', '\x00\xc3\x05\x10abcde', '\x00\xc4',
      '\x01\x00', '\x02\x00', '\x04\x00', '\x05\x00', '\x12\x00',
      '\x0b\x00', '\x0b\x08\x02\x00\x00\x00\x00\x00\x00\x00', '\x11\x07\x07\x00\x00\x00\x00\x00\xff',
      '\x02\x02\x01a\x01a', '\x04\x01\x01a', '\x05\x01\x01a\x00\x00\x00\x00\x00\x00\xf8\x7f',
      '\x12\x01\x03\x01x', '\x12\x01\x02\x00',
    ];
    await pair.same(...bodies.map((b) => ['RESTORE', 'k', '0', sign(b)]), ['DBSIZE']);
  });

  it('rejects what sanitize-dump-payload yes rejects (we always check deeply)', async () => {
    // With the default "no", Redis accepts these and keeps a corrupt value; we refuse them always.
    const lp = (items: string[]): string => {
      let body = '';
      for (const s of items) body += String.fromCharCode(0x80 | s.length) + s + String.fromCharCode(s.length + 1);
      const total = 7 + body.length;
      return String.fromCharCode(total, 0, 0, 0, items.length, 0) + body + '\xff';
    };
    const str = (s: string): string => String.fromCharCode(s.length) + s;
    const bad = [
      '\x10' + str(lp(['f', 'a', 'f', 'b'])), // hash listpack with a duplicate field
      '\x0b' + str('\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x01\x00'), // unsorted intset
      '\x12\x01\x02' + str(lp(['a', 'b']).slice(0, 8) + '\x05' + lp(['a', 'b']).slice(9)), // wrong back-length
    ];
    await pair.same(['CONFIG', 'SET', 'sanitize-dump-payload', 'yes']);
    try {
      await pair.same(...bad.map((b) => ['RESTORE', 'k', '0', sign(b)]), ['DBSIZE']);
    } finally {
      await pair.same(['CONFIG', 'SET', 'sanitize-dump-payload', 'no']);
    }
  });

  it('accepts trailing bytes after the value, as Redis 7.0 does', async () => {
    await pair.same(['RESTORE', 'k', '0', sign('\x00\x01xjunk')], ['GET', 'k']);
  });

  it('has the same COMMAND INFO (key specs aside)', async () => {
    // Key spec flags come from the command table's shared simplification (commands/server.ts).
    const withoutKeySpecs = (r: Reply): unknown => (r as { v: Reply[] }).v.map((c) => (c as { v: Reply[] }).v.slice(0, 8).map(showReply));
    await pair.same(step(['COMMAND', 'INFO', 'dump', 'restore', 'restore-asking'], withoutKeySpecs));
  });
});

describe('RESTORE effects', () => {
  const str = sign('\x00\x05hello');

  it('propagates like Redis: absolute TTLs, and a deletion when the TTL is past', async () => {
    const real = await tapRealRedis(pair.ports.real);
    const ours = tapEngine(pair.engine);
    try {
      await pair.same(
        ['RESTORE', 'a', '0', str], ['RESTORE', 'b', '50000', str, 'IDLETIME', '5'],
        ['RESTORE', 'c', String(Date.now() + 100000), str, 'ABSTTL'], ['RESTORE', 'a', '1', str, 'REPLACE', 'ABSTTL'],
        ['RESTORE', 'd', '1', str, 'ABSTTL'], ['RESTORE', 'b', '0', str], ['SET', 'zz-marker', '1'],
      );
      const [a, b] = await Promise.all([real.until('zz-marker'), ours.until('zz-marker')]);
      expect(maskTimes(b).map(showArgv)).toEqual(maskTimes(a).map(showArgv));
    } finally {
      real.close();
      ours.close();
    }
  });

  it('notifies and counts changes like Redis', async () => {
    await pair.sameEffects(
      ['RESTORE', 'a', '0', str],
      ['RESTORE', 'a', '0', str],
      ['RESTORE', 'a', '0', str, 'REPLACE'],
      ['RESTORE', 'b', '100000', str],
      ['RESTORE', 'a', '1', str, 'REPLACE', 'ABSTTL'],
      ['EXISTS', 'a'],
      ['RESTORE', 'c', '1', str, 'ABSTTL'],
      ['RESTORE', 'c', '9223372036854775807', str],
      ['EXISTS', 'c'],
      ['RESTORE', 'd', '0', sign('\x0b\x00')],
      ['DUMP', 'b'], ['DUMP', 'zz'],
    );
  });

  it('sets TTLs relative or absolute', async () => {
    const far = String(Date.now() + 3_600_000);
    await pair.same(
      ['RESTORE', 'a', '5000', str], step(['PTTL', 'a'], approxInt(1000)),
      ['RESTORE', 'b', far, str, 'ABSTTL'], step(['PEXPIRETIME', 'b']),
      ['RESTORE', 'c', '0', str], ['PTTL', 'c'],
      ['RESTORE', 'd', '9007199254740993', str, 'ABSTTL'], ['PEXPIRETIME', 'd'],
    );
  });

  it('sets the idle time, and the frequency under an LFU policy', async () => {
    await pair.same(
      ['RESTORE', 'a', '0', str, 'IDLETIME', '1000'], step(['OBJECT', 'IDLETIME', 'a'], approxInt(2)),
      ['RESTORE', 'b', '0', str, 'FREQ', '100'], step(['OBJECT', 'IDLETIME', 'b'], approxInt(2)),
      ['RESTORE', 'c', '0', str, 'IDLETIME', '1000000000'], step(['OBJECT', 'IDLETIME', 'c'], approxInt(2)),
    );
    await pair.same(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu']);
    try {
      await pair.same(
        ['RESTORE', 'd', '0', str, 'FREQ', '100'], ['OBJECT', 'FREQ', 'd'],
        ['RESTORE', 'e', '0', str, 'IDLETIME', '100'], ['OBJECT', 'FREQ', 'e'],
      );
    } finally {
      await pair.same(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    }
  });
});

// ---- payloads in the encodings older Redis versions wrote (7.0 still loads them) ----

function le(v: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(v / 2 ** (8 * i)) & 255);
  return s;
}

/** A ziplist (Redis ≤ 6.2's compact list), integers in their smallest encoding. */
function ziplist(items: string[]): string {
  let body = '';
  let prev = 0;
  let lastOffset = 10;
  for (const s of items) {
    let e = prev < 254 ? String.fromCharCode(prev) : '\xfe' + le(prev, 4);
    const v = /^(0|-?[1-9][0-9]{0,17})$/.test(s) ? Number(s) : null;
    if (v !== null && v >= 0 && v <= 12) e += String.fromCharCode(0xf1 + v);
    else if (v !== null && v >= -128 && v <= 127) e += '\xfe' + le(v & 255, 1);
    else if (v !== null && v >= -32768 && v <= 32767) e += '\xc0' + le(v & 0xffff, 2);
    else if (v !== null && v >= -8388608 && v <= 8388607) e += '\xf0' + le(v & 0xffffff, 3);
    else if (v !== null && v >= -2147483648 && v <= 2147483647) e += '\xd0' + le(v >>> 0, 4);
    else if (v !== null) e += '\xe0' + le(Number(BigInt.asUintN(32, BigInt(v))), 4) + le(Number(BigInt.asUintN(32, BigInt(v) >> 32n)), 4);
    else if (s.length <= 63) e += String.fromCharCode(s.length) + s;
    else if (s.length <= 16383) e += String.fromCharCode(0x40 | (s.length >> 8), s.length & 255) + s;
    else e += '\x80' + String.fromCharCode(s.length >>> 24, (s.length >> 16) & 255, (s.length >> 8) & 255, s.length & 255) + s;
    lastOffset = 10 + body.length;
    body += e;
    prev = e.length;
  }
  const total = 10 + body.length + 1;
  return le(total, 4) + le(lastOffset, 4) + le(Math.min(items.length, 65535), 2) + body + '\xff';
}

/** A zipmap (Redis ≤ 2.4's small hash). */
function zipmap(pairs: string[]): string {
  const len = (n: number): string => (n < 254 ? String.fromCharCode(n) : '\xfe' + le(n, 4));
  let s = String.fromCharCode(Math.min(pairs.length / 2, 254));
  for (let i = 0; i < pairs.length; i += 2) s += len(pairs[i].length) + pairs[i] + len(pairs[i + 1].length) + '\x00' + pairs[i + 1];
  return s + '\xff';
}

/** A listpack of short strings (test data: every entry a 6-bit string). */
function listpack(items: string[]): string {
  let body = '';
  for (const s of items) body += String.fromCharCode(0x80 | s.length) + s + String.fromCharCode(s.length + 1);
  const total = 7 + body.length;
  return le(total, 4) + le(items.length, 2) + body + '\xff';
}

/** An RDB string, verbatim (length prefix + bytes). */
function rdbStr(s: string): string {
  const n = s.length;
  if (n < 64) return String.fromCharCode(n) + s;
  if (n < 16384) return String.fromCharCode(0x40 | (n >> 8), n & 255) + s;
  return '\x80' + String.fromCharCode(n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255) + s;
}

describe('RESTORE of older encodings', () => {
  const listItems = ['a', '0', '12', '13', '-1', '200', '-30000', '5000000', '-2000000000', '9000000000000', 'x'.repeat(100), 'y'.repeat(20000)];
  const cases: [string, string, string][] = [
    ['list', 'LIST_ZIPLIST', '\x0a' + rdbStr(ziplist(listItems))],
    ['list', 'LIST_QUICKLIST', '\x0e\x02' + rdbStr(ziplist(listItems.slice(0, 5))) + rdbStr(ziplist(listItems.slice(5)))],
    ['list', 'LIST_QUICKLIST empty node', '\x0e\x02' + rdbStr(ziplist([])) + rdbStr(ziplist(['only']))],
    ['list', 'LIST', '\x01\x03' + rdbStr('a') + '\xc0\x05' + rdbStr('c')],
    ['list', 'QUICKLIST_2 plain node', '\x12\x02\x01' + rdbStr('plain element') + '\x02' + rdbStr('\x0f\x00\x00\x00\x01\x00\x81z\x02\xff')],
    ['hash', 'HASH_ZIPLIST', '\x0d' + rdbStr(ziplist(['f1', 'v1', 'n', '42', 'big', '9000000000000']))],
    ['hash', 'HASH_ZIPLIST long value', '\x0d' + rdbStr(ziplist(['f1', 'v'.repeat(100)]))],
    ['hash', 'HASH_ZIPMAP', '\x09' + rdbStr(zipmap(['f1', 'v1', 'f2', '22']))],
    ['hash', 'HASH_ZIPMAP long value', '\x09' + rdbStr(zipmap(['f1', 'v'.repeat(300)]))],
    ['hash', 'HASH', '\x04\x02' + rdbStr('a') + rdbStr('1') + rdbStr('b') + '\xc0\x02'],
    ['zset', 'ZSET_ZIPLIST', '\x0c' + rdbStr(ziplist(['c', '-7', 'a', '1', 'b', '2.5', 'd', 'inf']))],
    ['zset', 'ZSET_LISTPACK with scores only strtod reads', '\x11' + rdbStr(listpack(['c', '-inf', 'a', 'x', 'b', ' 2.5abc']))],
    ['zset', 'ZSET (text scores)', '\x03\x04' + rdbStr('a') + '\x031.5' + rdbStr('b') + '\xfe' + rdbStr('c') + '\xff' + rdbStr('d') + '\x0512e-3'],
    ['set', 'SET of integers', '\x02\x03' + rdbStr('1') + '\xc0\x02' + rdbStr('30')],
    ['set', 'SET mixed', '\x02\x03' + rdbStr('1') + rdbStr('b') + rdbStr('30')],
    ['set', 'SET_INTSET wide', '\x0b' + rdbStr('\x08\x00\x00\x00\x02\x00\x00\x00' + le(1, 8) + le(2, 8))],
  ];
  const read: Record<string, string[]> = {
    list: ['LRANGE', 'k', '0', '-1'], hash: ['HGETALL', 'k'], zset: ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'], set: ['SMEMBERS', 'k'],
  };

  for (const [type, name, body] of cases) {
    it(`loads ${name}`, async () => {
      await pair.same(
        ['RESTORE', 'k', '0', sign(body)], step(read[type], type === 'set' || type === 'hash' ? unordered : undefined),
        ['OBJECT', 'ENCODING', 'k'], ['DEBUG', 'DIGEST-VALUE', 'k'],
      );
      // Redis keeps a loaded quicklist's nodes as they were, and a hashtable's order is its own.
      const enc = (await pair.real.send('OBJECT', 'ENCODING', 'k')).reply as { v: string };
      // (A blob Redis never writes, like non-numeric scores, it dumps back verbatim.)
      if (!name.startsWith('LIST_QUICKLIST') && !name.includes('strtod') && enc.v !== 'hashtable') await pair.same(['DUMP', 'k']);
    });
  }

  it('rejects corrupt ziplists and zipmaps like Redis', async () => {
    const zl = ziplist(['a', 'b', 'c']);
    const bad = [
      '\x0a' + rdbStr(zl.slice(0, -1) + '\x00'), '\x0a' + rdbStr(zl.slice(0, 8) + '\x09\x00' + zl.slice(10)),
      '\x0a' + rdbStr(ziplist([])), '\x0d' + rdbStr(ziplist(['a'])), '\x0d' + rdbStr(ziplist(['a', '1', 'a', '2'])),
      '\x09' + rdbStr(zipmap(['a', '1', 'a', '2'])), '\x09' + rdbStr('\x01\x01a'),
      '\x0e\x01' + rdbStr(''), '\x0e\x01' + rdbStr(ziplist([])),
    ];
    await pair.same(...bad.map((b) => ['RESTORE', 'k', '0', sign(b)]), ['DBSIZE']);
  });
});

// ---- random values ----

const BOUNDARY_INTS = [
  '0', '12', '13', '127', '128', '-128', '-129', '4095', '4096', '-4096', '-4097', '32767', '32768', '-32768', '-32769',
  '8388607', '8388608', '-8388608', '-8388609', '2147483647', '2147483648', '-2147483648', '-2147483649',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '+1', '-0', '1.0', ' 1',
];

function randomElement(r: Rng): string {
  const k = r.int(0, 9);
  if (k <= 2) return r.pick(BOUNDARY_INTS);
  if (k === 3) return String(r.int(-100000, 100000));
  if (k === 4) return r.pick(['a', 'b', 'x']).repeat(r.int(15, 30)); // around LZF's 20-byte threshold
  if (k === 5 && r.chance(0.2)) return noise(r.pick([4094, 4095, 4096, 16383, 16384, 2 ** 14 + 100]), r.int(1, 1e6));
  const n = r.pick([0, 1, 5, 11, 12, 21, 62, 63, 64, 65, 126, 127, 128, 129, r.int(0, 300)]);
  return noise(n, r.int(1, 1e6));
}

function randomScore(r: Rng): string {
  return r.pick([String(r.int(-1000, 1000)), String(r.next() * 1000 - 500), '1e-300', '1.7976931348623157e308',
    'inf', '-inf', '0', '-0', '0.1', String(2 ** 53 + 1), '3.14159265358979']);
}

/** One random key: the command that builds it. */
function randomValue(r: Rng, key: string): string[] {
  const n = r.pick([1, 2, 3, r.int(1, 20), r.int(100, 700)]);
  const els = Array.from({ length: n }, () => randomElement(r));
  switch (r.int(0, 4)) {
    case 0: return ['SET', key, els[0]];
    case 1: return ['RPUSH', key, ...els];
    case 2: return ['HSET', key, ...els.flatMap((e, i) => [r.chance(0.5) ? e : String(i), randomElement(r)])];
    case 3: return ['SADD', key, ...(r.chance(0.6) ? els.map(() => String(r.int(-1e6, 1e6))) : els)];
    default: return ['ZADD', key, ...els.flatMap((e) => [randomScore(r), e])];
  }
}

describe('DUMP/RESTORE of random values', () => {
  for (const small of [false, true]) {
    it(`match both ways${small ? ' with small listpack thresholds' : ''}`, async () => {
      const seed = runSeed();
      const r = rng(seed);
      const config = small
        ? [['hash-max-listpack-entries', '8'], ['zset-max-listpack-entries', '8'], ['set-max-intset-entries', '8'], ['list-max-listpack-size', '5']]
        : [];
      for (const [k, v] of config) await pair.same(['CONFIG', 'SET', k, v]);
      try {
        for (let i = 0; i < 120; i++) {
          const key = 'r' + i;
          const build = randomValue(r, key);
          await pair.same(build);
          const enc = ((await pair.real.send('OBJECT', 'ENCODING', key)).reply as { v: string }).v;
          const ctx = `seed ${seed} (COMPAT_SEED=${seed}) key ${key}`;
          if (enc !== 'hashtable') {
            const [a, b] = [await pair.real.send('DUMP', key), await pair.ours.send('DUMP', key)];
            expect(b.raw.toString('latin1'), ctx).toBe(a.raw.toString('latin1'));
          }
          const type = ((await pair.real.send('TYPE', key)).reply as { v: string }).v;
          await transfer(pair.real, { key, type, exactDump: false });
          await pair.same(['DEL', key + ':copy']);
          await transfer(pair.ours, { key, type, exactDump: false });
        }
        await pair.same(['DEBUG', 'DIGEST']);
      } finally {
        await pair.same(
          ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
          ['CONFIG', 'SET', 'set-max-intset-entries', '512'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
        );
      }
    });
  }
});
