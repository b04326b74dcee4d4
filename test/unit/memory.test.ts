import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { OBJ_HASH, OBJ_LIST, OBJ_SET, OBJ_ZSET } from '../../src/engine/object';
import { dictSlots, jeSize, keyMemory, lpEntrySize, lpScoreSize, sdsCopySize, sdsSize } from '../../src/engine/memory';
import { objectAllocated } from '../../src/engine/types';
import type { HashValue } from '../../src/engine/types/hash';
import type { RSet } from '../../src/engine/types/set';
import type { ZSet } from '../../src/engine/types/zset';
import type { ListValue } from '../../src/engine/types/list';
import { initScripting } from '../../src/engine/scripting/vm';
import { genMixed } from '../compat/gen/mixed';
import { rng } from '../support/rng';
import { connectTo } from '../support/engine-conn';

/** An engine with a fixed clock and one connection that collects replies. */
function setup(opts: { seed?: number; memoryCeiling?: number } = {}) {
  const r = rng(opts.seed ?? 1);
  const engine = new Engine({
    clock: () => 1_700_000_000_000, config: { 'enable-debug-command': 'yes' }, random: () => r.next(), memoryCeiling: opts.memoryCeiling,
  });
  const send = connectTo(engine).ask;
  return { engine, send };
}

/** The dataset's bytes recounted from scratch (what the incremental total must equal). */
function recount(engine: Engine): number {
  let n = 0;
  for (const db of engine.dbs) for (let i = 0; i < db.keys.length; i++) n += keyMemory(db.keys[i]) + objectAllocated(db.objs[i]);
  return n;
}

/** The listpack entry size computed byte by byte from the encoding rules, for cross-checking. */
function lpEntryReference(s: string): number {
  const isInt = /^(0|-?[1-9][0-9]*)$/.test(s) && s.length <= 20 && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n;
  let body: number;
  if (isInt) {
    const v = BigInt(s);
    if (v >= 0n && v <= 127n) body = 1;
    else if (v >= -4096n && v <= 4095n) body = 2;
    else if (v >= -32768n && v <= 32767n) body = 3;
    else if (v >= -8388608n && v <= 8388607n) body = 4;
    else if (v >= -2147483648n && v <= 2147483647n) body = 5;
    else body = 9;
  } else body = s.length < 64 ? 1 + s.length : s.length < 4096 ? 2 + s.length : 5 + s.length;
  return body + (body <= 127 ? 1 : body < 16383 ? 2 : 3);
}

describe('the memory model', () => {
  it('has jemalloc size classes and sds sizes', () => {
    expect([1, 8, 9, 16, 17, 24, 25, 100, 128, 129, 160, 161, 200, 256, 257, 8190, 8193].map(jeSize))
      .toEqual([8, 8, 16, 16, 32, 32, 32, 112, 128, 160, 160, 192, 224, 256, 320, 8192, 10240]);
    expect(sdsSize(5)).toBe(16); // 3 + 5 + 1
    expect(sdsCopySize(5)).toBe(8); // SDS_TYPE_5: 1 + 5 + 1
    expect(sdsCopySize(40)).toBe(sdsSize(40));
    expect([0, 1, 4, 5, 8, 9, 1000].map(dictSlots)).toEqual([0, 4, 4, 8, 8, 16, 1024]);
  });

  it('sizes listpack entries as lpInsert encodes them', () => {
    const r = rng(3);
    const samples = ['', '0', '-1', '127', '128', '-4096', '4095', '4096', '32767', '-32769', '8388607', '2147483647', '2147483648',
      '9223372036854775807', '9223372036854775808', '01', '+1', '1.5', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(5000)];
    for (let i = 0; i < 200; i++) samples.push(String(r.int(-1e9, 1e9)), 'k' + r.int(0, 1e6));
    for (const s of samples) expect(lpEntrySize(s), JSON.stringify(s)).toBe(lpEntryReference(s));
    // Scores: integers take integer entries, sized from the number.
    for (const x of [0, -0, 1, 127, 128, -1, -4096, 4095, 4096, 32767, -32769, 8388607, 2147483647, 2147483648, -(2 ** 40), 2 ** 52]) {
      expect(lpScoreSize(x), String(x)).toBe(lpEntryReference(String(x)));
    }
  });

  it('keeps every type\'s tallies and the running total equal to a full recount under random commands', () => {
    for (const seed of [1, 2, 3]) {
      const { engine, send } = setup({ seed });
      const r = rng(seed);
      for (let i = 0; i < 3000; i++) {
        send(...genMixed(r).argv);
        if (i % 500 === 0) expect(engine.memory.datasetBytes()).toBe(recount(engine));
      }
      expect(engine.memory.datasetBytes()).toBe(recount(engine));
      for (const db of engine.dbs) {
        for (const o of db.objs) {
          if (o.type === OBJ_HASH) {
            const h = o.value as HashValue;
            let sds = 0;
            let lp = 0;
            h.forEach((f, v) => {
              sds += sdsCopySize(f.length) + sdsCopySize(v.length);
              lp += lpEntrySize(f) + lpEntrySize(v);
            });
            expect([h.sdsBytes, h.lpBytes]).toEqual([sds, lp]);
          } else if (o.type === OBJ_SET) {
            const s = o.value as RSet;
            expect(s.sdsBytes).toBe(s.members.reduce((n, m) => n + sdsCopySize(m.length), 0));
          } else if (o.type === OBJ_ZSET) {
            const z = o.value as ZSet;
            let sds = 0;
            let nodes = 0;
            for (const x of z.entries()) {
              sds += sdsCopySize(x.ele.length);
              nodes += jeSize(24 + 16 * x.forward.length);
            }
            expect([z.zsl.sdsBytes, z.zsl.nodeBytes]).toEqual([sds, nodes]);
          } else if (o.type === OBJ_LIST) {
            const l = o.value as ListValue;
            expect(l.lpBytes).toBe(l.toArray().reduce((n, s) => n + lpEntrySize(s), 0));
          }
        }
      }
    }
  });

  it('follows FLUSHDB, SWAPDB, MOVE, RENAME, COPY and expiry', () => {
    const { engine, send } = setup();
    const empty = engine.memory.datasetBytes();
    send('DEBUG', 'POPULATE', '1000');
    send('RPUSH', 'l', 'a', 'b', 'c');
    send('SELECT', '1');
    send('HSET', 'h', 'f', 'v');
    send('SELECT', '0');
    send('MOVE', 'l', '1');
    send('RENAME', 'key:1', 'renamed');
    send('COPY', 'key:2', 'copied', 'DB', '3');
    send('SWAPDB', '0', '1');
    send('EXPIRE', 'key:3', '100');
    expect(engine.memory.datasetBytes()).toBe(recount(engine));
    send('FLUSHDB');
    expect(engine.memory.datasetBytes()).toBe(recount(engine));
    send('FLUSHALL');
    expect(engine.memory.datasetBytes()).toBe(empty);
    expect(empty).toBe(0);
  });

  it('keeps a db dict\'s buckets after deletions until the cron finds it under 10% full', () => {
    const { engine, send } = setup();
    send('DEBUG', 'POPULATE', '10000');
    const db = engine.dbs[0];
    expect(db.mainSlots).toBe(16384);
    for (let i = 0; i < 9500; i++) send('DEL', `key:${i}`);
    expect(db.mainSlots).toBe(16384);
    const before = engine.memory.used();
    engine.cron();
    expect(db.mainSlots).toBe(512);
    expect(before - engine.memory.used()).toBe(16384 * 8 - 512 * 8);
    send('FLUSHALL');
    expect(db.mainSlots).toBe(0);
  });

  it('answers MEMORY USAGE, and INFO memory adds up', () => {
    const { send } = setup();
    send('SET', 's', 'hello');
    expect(send('MEMORY', 'USAGE', 's')).toBe(':64\r\n');
    expect(send('MEMORY', 'USAGE', 'nosuch')).toBe('$-1\r\n');
    send('DEBUG', 'POPULATE', '10000');
    const info = send('INFO', 'memory');
    const field = (k: string): number => Number(new RegExp(`\\r\\n${k}:(\\d+)`).exec(info)![1]);
    expect(field('used_memory_overhead') + field('used_memory_dataset')).toBe(field('used_memory'));
    expect(field('used_memory_peak')).toBeGreaterThanOrEqual(field('used_memory'));
    // DEBUG POPULATE's keys cost what Redis's do: dictEntry 32 + key 16 + embstr 32, plus buckets.
    expect(field('used_memory') - field('used_memory_startup')).toBeGreaterThan(10000 * 80);
    expect(field('used_memory') - field('used_memory_startup')).toBeLessThan(10000 * 100);
  });
});

describe('the host\'s memory ceiling', () => {
  beforeAll(async () => {
    await initScripting();
  });

  it('stops a huge DEBUG POPULATE part way and refuses writes, while reads and deletes go on', () => {
    const { engine, send } = setup({ memoryCeiling: 4 * 1024 * 1024 });
    const reply = send('DEBUG', 'POPULATE', '10000000');
    expect(reply).toMatch(/^-OOM command not allowed: the server's estimated memory \(\d+ bytes\) is over this host's safety limit \(4194304 bytes\)/);
    const keys = Number(send('DBSIZE').slice(1));
    expect(keys).toBeGreaterThan(10000);
    expect(keys).toBeLessThan(100000);
    expect(engine.memory.used()).toBeLessThan(4 * 1024 * 1024 + 200_000);
    expect(send('SET', 'a', 'b')).toMatch(/^-OOM /);
    expect(send('GET', 'key:1')).toBe('$7\r\nvalue:1\r\n');
    expect(send('FLUSHALL')).toBe('+OK\r\n');
    expect(send('SET', 'a', 'b')).toBe('+OK\r\n');
  });

  it('stops a runaway script', () => {
    const { engine, send } = setup({ memoryCeiling: 4 * 1024 * 1024 });
    const reply = send('EVAL', "for i = 1, 10000000 do redis.call('set', 'k' .. i, 'some value') end", '0');
    expect(reply).toMatch(/^-OOM command not allowed: the server's estimated memory/);
    expect(engine.memory.used()).toBeLessThan(4 * 1024 * 1024 + 200_000);
  });

  it('is off by default', () => {
    const { engine, send } = setup();
    expect(engine.memoryCeiling).toBe(0);
    expect(send('DEBUG', 'POPULATE', '100000')).toBe('+OK\r\n');
  });
});
