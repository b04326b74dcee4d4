import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import type { Normalize } from '../support/harness';
import { showReply, type Reply } from '../support/resp-reader';

/**
 * MEMORY and INFO memory against a real redis-server: replies that Redis makes exact (USAGE of
 * small values and of collections with SAMPLES 0, errors, HELP) byte for byte; the rest by shape
 * and within a tolerance (the model is an estimate, see docs/memory.md).
 */
const pair = usePair({ save: '' });

/** A reply's value as text (integers, bulks, verbatim). */
const val = (r: Reply): string => ('v' in r ? String(r.v) : '');

/** MEMORY STATS: the same field names in the same order, with values of the same types. */
const statsShape: Normalize = (r: Reply) => {
  if (r.t !== 'array' || !r.v) return showReply(r);
  return r.v.map((x, i) => (i % 2 === 0 ? showReply(x) : x.t));
};


describe('MEMORY USAGE', () => {
  it('is exact for strings in every encoding', async () => {
    await pair.same(
      ['SET', 'small', '12'], ['SET', 'big', '123456789012'], ['SET', 'neg', '-5'], ['SET', 's', 'hello'],
      ['SET', 'emb44', 'x'.repeat(44)], ['SET', 'raw45', 'x'.repeat(45)], ['SET', 'raw300', 'y'.repeat(300)],
      ['SET', 'k'.repeat(300), 'v'], ['APPEND', 'app', 'abc'],
      ['MEMORY', 'USAGE', 'small'], ['MEMORY', 'USAGE', 'big'], ['MEMORY', 'USAGE', 'neg'], ['MEMORY', 'USAGE', 's'],
      ['MEMORY', 'USAGE', 'emb44'], ['MEMORY', 'USAGE', 'raw45'], ['MEMORY', 'USAGE', 'raw300'],
      ['MEMORY', 'USAGE', 'k'.repeat(300)], ['MEMORY', 'USAGE', 'app'], ['MEMORY', 'USAGE', 'nosuch'],
      ['EXPIRE', 's', '100'], ['MEMORY', 'USAGE', 's'],
    );
  });

  it('is exact for listpack, intset and small encodings', async () => {
    await pair.same(
      ['HSET', 'h', 'a', '1', 'b', '2', 'field', 'value', 'n', '-123456'], ['MEMORY', 'USAGE', 'h'],
      ['HDEL', 'h', 'a'], ['MEMORY', 'USAGE', 'h'], ['HSET', 'h', 'b', 'x'.repeat(60)], ['MEMORY', 'USAGE', 'h'],
      ['SADD', 'is', '1', '2', '3'], ['MEMORY', 'USAGE', 'is'], ['SADD', 'is', '100000'], ['MEMORY', 'USAGE', 'is'],
      ['SADD', 'is', '10000000000'], ['MEMORY', 'USAGE', 'is'],
      ['SADD', 'hs', 'a', 'b', 'c'], ['MEMORY', 'USAGE', 'hs'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b', '-3', 'c'], ['MEMORY', 'USAGE', 'z'],
      ['RPUSH', 'l', 'a', 'b', 'c', '1', '200', 'x'.repeat(100)], ['MEMORY', 'USAGE', 'l'],
      ['LPOP', 'l'], ['MEMORY', 'USAGE', 'l'], ['LSET', 'l', '0', 'zz'], ['MEMORY', 'USAGE', 'l'],
    );
  });

  it('is exact for hash tables with SAMPLES 0', async () => {
    const fields: string[] = [];
    const members: string[] = [];
    for (let i = 0; i < 300; i++) fields.push(`field:${i}`, `value:${i}`);
    for (let i = 0; i < 300; i++) members.push(`member:${i}`);
    await pair.same(
      ['HSET', 'h', ...fields], ['MEMORY', 'USAGE', 'h', 'SAMPLES', '0'],
      // Lookups finish the set's incremental rehashing in Redis (we model a settled table).
      ['SADD', 's', ...members], ...members.map((m) => ['SISMEMBER', 's', m]), ['MEMORY', 'USAGE', 's', 'SAMPLES', '0'],
      ['HDEL', 'h', 'field:1', 'field:2'], ['MEMORY', 'USAGE', 'h', 'SAMPLES', '0'],
      ['SREM', 's', 'member:7'], ['MEMORY', 'USAGE', 's', 'samples', '0'],
    );
    // Removals leave the buckets until the table is under 10% full, then it shrinks to fit.
    const gone = members.slice(0, 250);
    const left = members.slice(250);
    const lookups = Array.from({ length: 1000 }, (_, i) => i);
    await pair.same(
      ['SREM', 's', ...gone.slice(0, 200)], ['MEMORY', 'USAGE', 's', 'SAMPLES', '0'],
      // (each lookup moves Redis's incremental rehashing on by one bucket: enough of them end it)
      ['SREM', 's', ...gone.slice(200)], ...lookups.map((i) => ['SISMEMBER', 's', left[i % left.length]]),
      ['MEMORY', 'USAGE', 's', 'SAMPLES', '0'],
      ['HDEL', 'h', ...fields.filter((_, i) => i % 2 === 0).slice(0, 260)], ...lookups.map((i) => ['HEXISTS', 'h', `field:${299 - (i % 40)}`]),
      ['MEMORY', 'USAGE', 'h', 'SAMPLES', '0'],
    );
  });

  it('is close for skiplists and long lists', async () => {
    const zargs: string[] = [];
    for (let i = 0; i < 500; i++) zargs.push(String(i), `m${i}`);
    const largs: string[] = [];
    for (let i = 0; i < 5000; i++) largs.push(`element:${i}`);
    await pair.same(['ZADD', 'z', ...zargs], ['RPUSH', 'l', ...largs]);
    for (const key of ['z', 'l']) {
      const real = (await pair.real.send('MEMORY', 'USAGE', key, 'SAMPLES', '0')).reply;
      const ours = (await pair.ours.send('MEMORY', 'USAGE', key, 'SAMPLES', '0')).reply;
      expect(real.t).toBe('int');
      expect(ours.t).toBe('int');
      const r = Number(val(real));
      const o = Number(val(ours));
      expect(Math.abs(o - r) / r, `${key}: ours ${o}, redis ${r}`).toBeLessThan(0.1);
    }
  });

  it('answers errors as Redis does', async () => {
    await pair.same(
      ['SET', 'k', 'v'],
      ['MEMORY', 'USAGE'], ['MEMORY', 'USAGE', 'k', 'SAMPLES'], ['MEMORY', 'USAGE', 'k', 'foo'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', '-1'], ['MEMORY', 'USAGE', 'k', 'SAMPLES', 'abc'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', '5', 'SAMPLES', '2'], ['MEMORY', 'USAGE', 'k', 'samples', '0', 'x'],
      ['MEMORY'], ['MEMORY', 'nosuch'], ['MEMORY', 'STATS', 'x'], ['MEMORY', 'DOCTOR', 'x'], ['MEMORY', 'PURGE', 'x'],
      ['MEMORY', 'HELP'], ['MEMORY', 'help'], ['MEMORY', 'PURGE'],
    );
  });
});

describe('MEMORY STATS, DOCTOR and INFO memory', () => {
  it('MEMORY STATS has Redis\'s fields, in order, per db too', async () => {
    await pair.same(step(['MEMORY', 'STATS'], statsShape));
    await pair.same(['SET', 'a', '1'], ['SELECT', '3'], ['SET', 'b', '1'], ['EXPIRE', 'b', '100'], ['SELECT', '0'], step(['MEMORY', 'STATS'], statsShape));
    await pair.same(step(['HELLO', '3'], (r) => r.t), step(['MEMORY', 'STATS'], (r) => r.t), step(['HELLO', '2'], (r) => r.t));
  });

  it('MEMORY STATS per-db overheads follow Redis\'s formula', async () => {
    const cmds: string[][] = [];
    for (let i = 0; i < 1000; i++) cmds.push(['SET', `key:${i}`, 'v']);
    for (let i = 0; i < 100; i++) cmds.push(['EXPIRE', `key:${i}`, '1000']);
    await pair.real.pipeline(cmds);
    await pair.ours.pipeline(cmds);
    const db0 = async (c: typeof pair.real): Promise<string> => {
      const r = (await c.send('MEMORY', 'STATS')).reply;
      if (r.t !== 'array' || !r.v) throw new Error('not an array');
      const i = r.v.findIndex((x) => x.t === 'bulk' && x.v === 'db.0');
      return showReply(r.v[i + 1]);
    };
    expect(await db0(pair.ours)).toBe(await db0(pair.real));
  });

  it('MEMORY DOCTOR replies a verbatim text, MALLOC-STATS too', async () => {
    await pair.same(step(['MEMORY', 'DOCTOR'], (r) => r.t), step(['MEMORY', 'MALLOC-STATS'], (r) => r.t));
    await pair.same(step(['HELLO', '3'], (r) => r.t), step(['MEMORY', 'DOCTOR'], (r) => r.t), step(['HELLO', '2'], (r) => r.t));
  });

  it('INFO memory has Redis\'s fields in order, and used_memory follows the data', async () => {
    const fields = async (c: typeof pair.real): Promise<Map<string, string>> => {
      const r = (await c.send('INFO', 'memory')).reply;
      const m = new Map<string, string>();
      for (const line of val(r).split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
      }
      return m;
    };
    const r0 = await fields(pair.real);
    const o0 = await fields(pair.ours);
    expect([...o0.keys()]).toEqual([...r0.keys()]);
    const cmds: string[][] = [];
    for (let i = 0; i < 20000; i++) cmds.push(['SET', `key:${i}`, `value:${i}`]);
    await pair.real.pipeline(cmds);
    await pair.ours.pipeline(cmds);
    const r1 = await fields(pair.real);
    const o1 = await fields(pair.ours);
    const grew = (m0: Map<string, string>, m1: Map<string, string>): number => Number(m1.get('used_memory')) - Number(m0.get('used_memory'));
    const rg = grew(r0, r1);
    const og = grew(o0, o1);
    expect(Math.abs(og - rg) / rg, `used_memory grew by ${og} here, ${rg} in Redis`).toBeLessThan(0.25);
    expect(Number(o1.get('used_memory_peak'))).toBeGreaterThanOrEqual(Number(o1.get('used_memory')));
    expect(Number(o1.get('used_memory_overhead')) + Number(o1.get('used_memory_dataset'))).toBe(Number(o1.get('used_memory')));
    await pair.same(['FLUSHALL']);
    const o2 = await fields(pair.ours);
    expect(Number(o2.get('used_memory'))).toBeLessThan(Number(o1.get('used_memory')) - 1_000_000);
  });
});
