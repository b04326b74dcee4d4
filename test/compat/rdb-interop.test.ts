import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { step, usePair } from '../support/pair';
import { Conn, startRealRedis, unordered, type RunningRedis } from '../support/harness';
import { showReply } from '../support/resp-reader';
import { datasetCommands } from './rdb-dataset';
import { Engine } from '../../src/engine/server';
import { datasetDigest } from '../../src/engine/digest';
import { toHex } from '../../src/engine/util/sha1';
import { decodeRdb, encodeRdb, loadLimits, loadRdb } from '../../src/engine/persistence/rdb';

/**
 * Whole RDB files between our engine and a real Redis 7.0: a file we write is loaded by a
 * redis-server started on it, and a file Redis SAVEs is loaded by our loader; the datasets must
 * match (DEBUG DIGEST, encodings, TTLs, per-database contents).
 */

const pair = usePair();
const dir = mkdtempSync(join(tmpdir(), 'rdb-interop-'));
const started: RunningRedis[] = [];

afterAll(async () => {
  for (const s of started) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

const FUTURE = String(Date.now() + 86_400_000);

/** The dataset in db 0 (every type and encoding), a few TTLs, and keys in db 3 and db 15. */
function fullDataset(): string[][] {
  const { cmds } = datasetCommands();
  return [
    ...cmds,
    ['PEXPIREAT', 's:text', FUTURE], ['PEXPIREAT', 'h:ht', FUTURE], ['PEXPIREAT', 'z:sl', String(Number(FUTURE) + 1)],
    ['SELECT', '3'], ['SET', 'in3', 'three'], ['RPUSH', 'list3', 'a', 'b'], ['PEXPIREAT', 'list3', FUTURE],
    ['SELECT', '15'], ['SADD', 'in15', 'x', 'y'],
    ['SELECT', '0'],
  ];
}

async function fill(conn: Conn, cmds: string[][]): Promise<void> {
  for (const r of await conn.pipeline(cmds)) expect(r.reply.t, showReply(r.reply)).not.toBe('error');
}

async function status(conn: Conn, ...argv: string[]): Promise<string> {
  return showReply((await conn.send(...argv)).reply);
}

/** Start a real redis-server on an RDB file in our temp dir. */
async function redisOn(file: string, extra: string[] = []): Promise<Conn> {
  const s = await startRealRedis(['--dir', dir, '--dbfilename', file, ...extra]);
  started.push(s);
  return Conn.open(s.port);
}

/** DEBUG DIGEST and every key's TTL and encoding, per database, in a comparable form. */
async function describeDataset(conn: Conn): Promise<string[]> {
  const out: string[] = [await status(conn, 'DEBUG', 'DIGEST')];
  for (const db of ['0', '3', '15']) {
    await conn.send('SELECT', db);
    const keys = ((await conn.send('KEYS', '*')).reply as { v: { v: string }[] }).v.map((k) => k.v).sort();
    for (const k of keys) {
      out.push(`${db} ${k} ${await status(conn, 'OBJECT', 'ENCODING', k)} ${await status(conn, 'PEXPIRETIME', k)} ${await status(conn, 'DEBUG', 'DIGEST-VALUE', k)}`);
    }
  }
  await conn.send('SELECT', '0');
  return out;
}

describe('RDB files we write', () => {
  it('load in a real Redis with the same dataset', async () => {
    await fill(pair.real, fullDataset());
    await fill(pair.ours, fullDataset());
    writeFileSync(join(dir, 'ours.rdb'), encodeRdb(pair.engine));
    const loaded = await redisOn('ours.rdb');
    // Compared with Redis after it reloads its own dataset (a reload int-encodes strings like "1234").
    expect(await status(pair.real, 'DEBUG', 'RELOAD')).toBe('+OK');
    expect(await describeDataset(loaded)).toEqual(await describeDataset(pair.real));
    expect(await status(loaded, 'DEBUG', 'DIGEST')).toBe(await status(pair.ours, 'DEBUG', 'DIGEST'));
    loaded.close();
  });

  it('carry LRU idle times under an LRU policy, and LFU counters under an LFU policy', async () => {
    await pair.same(['SET', 'a', '1']);
    const payload = ((await pair.real.send('DUMP', 'a')).reply as { v: string }).v;
    await pair.same(['RESTORE', 'idle', '0', payload, 'IDLETIME', '5000']);
    await pair.ours.send('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    writeFileSync(join(dir, 'lru.rdb'), encodeRdb(pair.engine));
    await pair.ours.send('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    await pair.ours.send('RESTORE', 'hot', '0', payload, 'FREQ', '77');
    writeFileSync(join(dir, 'lfu.rdb'), encodeRdb(pair.engine));
    await pair.ours.send('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');

    const lru = await redisOn('lru.rdb', ['--maxmemory-policy', 'allkeys-lru']);
    const idle = Number(((await lru.send('OBJECT', 'IDLETIME', 'idle')).reply as { v: string }).v);
    expect(idle).toBeGreaterThanOrEqual(5000);
    expect(idle).toBeLessThan(5100);
    lru.close();
    const lfu = await redisOn('lfu.rdb', ['--maxmemory-policy', 'allkeys-lfu']);
    expect(await status(lfu, 'OBJECT', 'FREQ', 'hot')).toBe(':77');
    lfu.close();
  });

  it('carry function libraries', async () => {
    const code = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)";
    await pair.same(['FUNCTION', 'LOAD', code]);
    writeFileSync(join(dir, 'fn.rdb'), encodeRdb(pair.engine));
    await pair.same(['FUNCTION', 'FLUSH']);
    const loaded = await redisOn('fn.rdb');
    expect(await status(loaded, 'FCALL', 'myfunc', '0', 'hello')).toBe('"hello"');
    loaded.close();
  });
});

describe('RDB files Redis writes', () => {
  const small = [
    ['hash-max-listpack-entries', '4'], ['zset-max-listpack-entries', '4'], ['set-max-intset-entries', '4'],
    ['list-max-listpack-size', '4'],
  ];

  /** SAVE on the real server and read its file. */
  async function realSave(): Promise<Uint8Array> {
    expect(await status(pair.real, 'SAVE')).toBe('+OK');
    const dir = (await pair.real.send('CONFIG', 'GET', 'dir')).reply;
    if (dir.t !== 'array' || !dir.v || dir.v[1].t !== 'bulk') throw new Error('CONFIG GET dir: ' + showReply(dir));
    return new Uint8Array(readFileSync(join(String(dir.v[1].v), 'dump.rdb')));
  }

  it('decode into a fresh engine with the same DEBUG DIGEST', async () => {
    for (const [name, value] of small) await pair.real.send('CONFIG', 'SET', name, value);
    try {
      await fill(pair.real, fullDataset());
      await fill(pair.real, [['HSET', 'h:tiny', 'a', '1'], ['ZADD', 'z:tiny', '1', 'a'], ['SADD', 's:tiny', '1'], ['RPUSH', 'l:tiny', 'a', 'b', 'c', 'd', 'e', 'f']]);
      const bytes = await realSave();
      const engine = new Engine({ config: Object.fromEntries(small) });
      const file = loadRdb(engine, bytes);
      expect(file.aux.get('redis-ver')).toBe('7.0.15');
      expect(toHex(datasetDigest(engine.dbs))).toBe((await status(pair.real, 'DEBUG', 'DIGEST')).slice(1));

      // The same file through the plain decoder: every key once, TTLs as Redis has them.
      const seen: string[] = [];
      decodeRdb(bytes, loadLimits(engine.config), (e) => {
        seen.push(`${e.db}:${e.key}:${e.expireAt}`);
      });
      const expected: string[] = [];
      for (const db of ['0', '3', '15']) {
        await pair.real.send('SELECT', db);
        for (const k of ((await pair.real.send('KEYS', '*')).reply as { v: { v: string }[] }).v) {
          expected.push(`${db}:${k.v}:${((await pair.real.send('PEXPIRETIME', k.v)).reply as { v: string }).v}`);
        }
      }
      await pair.real.send('SELECT', '0');
      expect(seen.sort()).toEqual(expected.sort());
    } finally {
      for (const [name] of small) await pair.real.send('CONFIG', 'SET', name, name === 'list-max-listpack-size' ? '-2' : name.startsWith('zset') ? '128' : '512');
    }
  });

  it('load into our server with the encodings, TTLs and values Redis has', async () => {
    for (const [name, value] of small) await pair.same(['CONFIG', 'SET', name, value]);
    try {
      await fill(pair.real, fullDataset());
      const bytes = await realSave();
      loadRdb(pair.engine, bytes);
      expect(await status(pair.real, 'DEBUG', 'RELOAD')).toBe('+OK');
      expect(await describeDataset(pair.ours)).toEqual(await describeDataset(pair.real));
      const { keys } = datasetCommands();
      for (const k of keys) {
        const read: Record<string, string[]> = {
          string: ['GET', k.key], list: ['LRANGE', k.key, '0', '-1'], hash: ['HGETALL', k.key],
          set: ['SMEMBERS', k.key], zset: ['ZRANGE', k.key, '0', '-1', 'WITHSCORES'], stream: ['XINFO', 'STREAM', k.key, 'FULL'],
        };
        await pair.same(step(read[k.type], k.type === 'set' || k.type === 'hash' ? unordered : undefined));
      }
    } finally {
      await pair.same(
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
        ['CONFIG', 'SET', 'set-max-intset-entries', '512'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
      );
    }
  });

  it('carry LFU counters and functions', async () => {
    await pair.real.send('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    await pair.ours.send('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    try {
      const code = "#!lua name=lib2\nredis.register_function('echo2', function(keys, args) return args[1] end)";
      await pair.real.send('FUNCTION', 'LOAD', code);
      await pair.real.send('SET', 'a', '1');
      const payload = ((await pair.real.send('DUMP', 'a')).reply as { v: string }).v;
      await pair.real.send('RESTORE', 'hot', '0', payload, 'FREQ', '99');
      loadRdb(pair.engine, await realSave());
      expect(await status(pair.ours, 'OBJECT', 'FREQ', 'hot')).toBe(':99');
      expect(await status(pair.ours, 'FCALL', 'echo2', '0', 'hi')).toBe('"hi"');
    } finally {
      await pair.real.send('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      await pair.ours.send('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      await pair.same(['FUNCTION', 'FLUSH']);
    }
  });
});
