import { describe, expect, it } from 'vitest';
import { step, usePair, type StepLike } from '../support/pair';
import { Conn, runRandom, runSeed, unordered } from '../support/harness';
import { genLists } from './gen/lists';

/**
 * List commands against a real redis-server 7.0: every reply byte for byte, plus what a reply
 * does not show (keyspace events, dirty count, hits/misses, encodings, digests, RDB sizes).
 */

const pair = usePair();

const BIN = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const UTF = utf8('héllo wörld – 日本語 🎉');


/** DEBUG OBJECT's serializedlength on both servers. */
async function sameSerializedLength(key: string): Promise<void> {
  const get = async (c: Conn): Promise<string> => {
    const r = (await c.send('DEBUG', 'OBJECT', key)).reply as { v: string };
    return /serializedlength:(\d+)/.exec(r.v)?.[1] ?? r.v;
  };
  expect(await get(pair.ours), `serializedlength of ${key}`).toBe(await get(pair.real));
}

describe('pushes and pops', () => {
  it('LPUSH RPUSH LPUSHX RPUSHX', async () => {
    await pair.same(
      ['LPUSH', 'p1', 'a'], ['LPUSH', 'p1', 'b', 'c'], ['RPUSH', 'p1', 'd', 'e', 'f'], ['LRANGE', 'p1', '0', '-1'],
      ['LPUSHX', 'p2', 'a'], ['RPUSHX', 'p2', 'a', 'b'], ['EXISTS', 'p2'], ['LPUSHX', 'p1', 'x', 'y'],
      ['RPUSHX', 'p1', 'z'], ['LRANGE', 'p1', '0', '-1'], ['LLEN', 'p1'], ['LLEN', 'p2'],
      ['RPUSH', 'p3', '', BIN, UTF, '\r\n', '0', '-0', '01', '9223372036854775807', '-9223372036854775808', '1.5'],
      ['LRANGE', 'p3', '0', '-1'], ['RPUSH', BIN, BIN], ['LRANGE', BIN, '0', '-1'], ['TYPE', 'p3'],
      ['SET', 'p4', 'v'], ['LPUSH', 'p4', 'a'], ['RPUSH', 'p4', 'a'], ['LPUSHX', 'p4', 'a'], ['RPUSHX', 'p4', 'a'],
      ['LLEN', 'p4'], ['lpush', 'p1'], ['RPUSH'], ['LPUSHX', 'p1'],
    );
  });

  it('LPOP RPOP with and without count', async () => {
    await pair.same(
      ['RPUSH', 'q1', 'a', 'b', 'c', 'd', 'e'], ['LPOP', 'q1'], ['RPOP', 'q1'], ['LPOP', 'q1', '0'], ['RPOP', 'q1', '0'],
      ['LPOP', 'q1', '2'], ['RPOP', 'q1', '5'], ['EXISTS', 'q1'], ['LPOP', 'q1'], ['LPOP', 'q1', '0'], ['LPOP', 'q1', '3'],
      ['RPOP', 'q1'], ['RPOP', 'q1', '1'], ['RPUSH', 'q1', 'x'], ['RPOP', 'q1', '-1'], ['RPOP', 'q1', 'x'], ['LPOP', 'q1', ''],
      ['LPOP', 'q1', '9223372036854775807'], ['RPUSH', 'q1', 'x', 'y'], ['LPOP', 'q1', '9223372036854775808'],
      ['LPOP', 'q1', '1', '2'], ['RPOP', 'q1', '1', '2'], ['LPOP'], ['RPOP', 'q1', '01'], ['LPOP', 'q1', '+1'],
      ['SET', 'q2', 'v'], ['LPOP', 'q2'], ['LPOP', 'q2', '0'], ['RPOP', 'q2', '1'], ['RPOP', 'q2', '-1'],
      ['LPOP', 'q3', '-1'], ['RPOP', 'q3', '-1'],
    );
  });

  it('RESP3 null and array forms', async () => {
    const conns = await pair.connect();
    await pair.sameOn(conns,
      step(['HELLO', '3'], () => 'hello'),
      ['LPOP', 'r1'], ['LPOP', 'r1', '1'], ['LPOP', 'r1', '0'], ['RPOP', 'r1'], ['RPOP', 'r1', '2'],
      ['LMPOP', '1', 'r1', 'LEFT'], ['LPOS', 'r1', 'a'], ['LPOS', 'r1', 'a', 'COUNT', '0'], ['LINDEX', 'r1', '0'],
      ['LMOVE', 'r1', 'r2', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'r1', 'r2'], ['LRANGE', 'r1', '0', '-1'],
      ['RPUSH', 'r1', 'a', 'b'], ['LPOS', 'r1', 'z'], ['LPOS', 'r1', 'z', 'COUNT', '2'], ['LINDEX', 'r1', '9'],
      ['LPOP', 'r1', '0'], ['LMPOP', '1', 'r1', 'RIGHT', 'COUNT', '5'], ['LRANGE', 'r1', '5', '1'],
    );
  });
});

describe('reading', () => {
  it('LRANGE with negative and out-of-range indexes', async () => {
    const steps: StepLike[] = [['RPUSH', 'g1', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']];
    for (const [s, e] of [
      ['0', '-1'], ['0', '0'], ['-1', '-1'], ['-3', '-1'], ['2', '5'], ['5', '2'], ['-100', '100'], ['10', '20'],
      ['9', '9'], ['-11', '0'], ['-10', '-10'], ['0', '-11'], ['3', '-3'], ['-2', '1'],
      ['9223372036854775807', '-9223372036854775808'], ['-9223372036854775808', '9223372036854775807'],
      ['x', '1'], ['1', 'x'], ['1.0', '2'], ['', '1'], ['9223372036854775808', '1'],
    ]) steps.push(['LRANGE', 'g1', s, e]);
    steps.push(['LRANGE', 'g2', '0', '-1'], ['LRANGE', 'g2', 'x', '1'], ['SET', 'g3', 'v'], ['LRANGE', 'g3', '0', '1'], ['LRANGE', 'g3', 'x', '1']);
    await pair.same(...steps);
  });

  it('LINDEX and LLEN', async () => {
    await pair.same(
      ['RPUSH', 'i1', 'a', 'b', 'c'], ['LINDEX', 'i1', '0'], ['LINDEX', 'i1', '2'], ['LINDEX', 'i1', '3'],
      ['LINDEX', 'i1', '-1'], ['LINDEX', 'i1', '-3'], ['LINDEX', 'i1', '-4'], ['LINDEX', 'i1', 'x'],
      ['LINDEX', 'i1', '9223372036854775807'], ['LINDEX', 'i1', '-9223372036854775808'], ['LINDEX', 'i2', 'x'],
      ['LINDEX', 'i2', '0'], ['SET', 'i3', 'v'], ['LINDEX', 'i3', 'x'], ['LLEN', 'i3'], ['LLEN', 'i1'], ['LLEN', 'i2'],
      ['LINDEX', 'i1'], ['LLEN'],
    );
  });

  it('LPOS with RANK, COUNT and MAXLEN', async () => {
    const steps: StepLike[] = [['RPUSH', 'o1', 'a', 'b', 'c', 'a', 'b', 'a', 'd', 'a']];
    const opts: string[][] = [
      [], ['RANK', '1'], ['RANK', '2'], ['RANK', '4'], ['RANK', '5'], ['RANK', '-1'], ['RANK', '-2'], ['RANK', '-5'],
      ['COUNT', '0'], ['COUNT', '1'], ['COUNT', '2'], ['COUNT', '10'], ['RANK', '2', 'COUNT', '2'], ['RANK', '-2', 'COUNT', '0'],
      ['MAXLEN', '1'], ['MAXLEN', '4'], ['MAXLEN', '0'], ['COUNT', '0', 'MAXLEN', '5'], ['RANK', '-1', 'MAXLEN', '2'],
      ['RANK', '-1', 'COUNT', '0', 'MAXLEN', '3'], ['rank', '1', 'count', '1', 'maxlen', '1'], ['RANK', '1', 'RANK', '2'],
      ['RANK', '0'], ['RANK', 'x'], ['COUNT', '-1'], ['COUNT', 'x'], ['MAXLEN', '-1'], ['MAXLEN', 'x'],
      ['RANK'], ['COUNT'], ['MAXLEN'], ['FOO'], ['FOO', '1'], ['RANK', '9223372036854775807'],
      ['RANK', '-9223372036854775808'], ['RANK', '-9223372036854775808', 'COUNT', '1'], ['RANK', '-9223372036854775807', 'COUNT', '1'],
      ['RANK', '9223372036854775808'], ['COUNT', '9223372036854775807'], ['RANK', '0', 'COUNT', '-1'],
    ];
    for (const o of opts) steps.push(['LPOS', 'o1', 'a', ...o], ['LPOS', 'o1', 'zz', ...o]);
    steps.push(['LPOS', 'o2', 'a'], ['LPOS', 'o2', 'a', 'COUNT', '1'], ['LPOS', 'o2', 'a', 'RANK', '0'],
      ['SET', 'o3', 'v'], ['LPOS', 'o3', 'a'], ['LPOS', 'o3', 'a', 'RANK', '0'], ['LPOS', 'o1'], ['LPOS', 'o1', 'a', 'RANK\x00x', '2']);
    await pair.same(...steps);
  });
});

describe('changing elements', () => {
  it('LSET', async () => {
    await pair.same(
      ['RPUSH', 's1', 'a', 'b', 'c'], ['LSET', 's1', '0', 'x'], ['LSET', 's1', '-1', 'z'], ['LSET', 's1', '3', 'q'],
      ['LSET', 's1', '-4', 'q'], ['LSET', 's1', 'x', 'q'], ['LSET', 's1', '1', BIN], ['LRANGE', 's1', '0', '-1'],
      ['LSET', 's2', '0', 'x'], ['LSET', 's2', 'x', 'x'], ['SET', 's3', 'v'], ['LSET', 's3', '0', 'x'], ['LSET', 's3', 'x', 'x'],
      ['LSET', 's1', '-9223372036854775808', 'q'], ['LSET', 's1', '9223372036854775807', 'q'], ['LSET', 's1', '0'],
    );
  });

  it('LINSERT', async () => {
    await pair.same(
      ['RPUSH', 'n1', 'a', 'b', 'a'], ['LINSERT', 'n1', 'BEFORE', 'a', 'x'], ['LINSERT', 'n1', 'AFTER', 'a', 'y'],
      ['LINSERT', 'n1', 'after', 'b', ''], ['LINSERT', 'n1', 'Before', 'zz', 'q'], ['LINSERT', 'n1', 'MIDDLE', 'a', 'q'],
      ['LINSERT', 'n1', 'AFTER\x00x', 'b', 'nul'], ['LRANGE', 'n1', '0', '-1'], ['LINSERT', 'n2', 'BEFORE', 'a', 'x'],
      ['LINSERT', 'n2', 'MIDDLE', 'a', 'x'], ['EXISTS', 'n2'], ['SET', 'n3', 'v'], ['LINSERT', 'n3', 'BEFORE', 'a', 'x'],
      ['LINSERT', 'n3', 'MIDDLE', 'a', 'x'], ['RPUSH', 'n4', '1', '01'], ['LINSERT', 'n4', 'BEFORE', '01', 'x'],
      ['LINSERT', 'n4', 'AFTER', '1', 'y'], ['LRANGE', 'n4', '0', '-1'], ['LINSERT', 'n4', 'BEFORE', 'a'],
    );
  });

  it('LREM', async () => {
    await pair.same(
      ['RPUSH', 'm1', 'a', 'b', 'a', 'c', 'a', 'b', 'a'], ['LREM', 'm1', '1', 'a'], ['LRANGE', 'm1', '0', '-1'],
      ['LREM', 'm1', '-1', 'a'], ['LRANGE', 'm1', '0', '-1'], ['LREM', 'm1', '0', 'b'], ['LRANGE', 'm1', '0', '-1'],
      ['LREM', 'm1', '5', 'zz'], ['LREM', 'm1', 'x', 'a'], ['LREM', 'm1', '0', 'a'], ['LRANGE', 'm1', '0', '-1'],
      ['LREM', 'm1', '0', 'c'], ['EXISTS', 'm1'], ['LREM', 'm1', '0', 'c'], ['LREM', 'm1', 'x', 'c'],
      ['RPUSH', 'm2', 'a', 'a', 'a'], ['LREM', 'm2', '-9223372036854775808', 'a'], ['EXISTS', 'm2'],
      ['RPUSH', 'm2', 'a', 'a', 'b'], ['LREM', 'm2', '-2', 'a'], ['LRANGE', 'm2', '0', '-1'],
      ['SET', 'm3', 'v'], ['LREM', 'm3', '0', 'a'], ['LREM', 'm3', 'x', 'a'], ['LREM', 'm1', '0'],
    );
  });

  it('LTRIM', async () => {
    const steps: StepLike[] = [];
    for (const [s, e] of [
      ['0', '-1'], ['1', '-2'], ['2', '4'], ['-3', '-1'], ['5', '2'], ['0', '0'], ['-100', '100'], ['10', '20'],
      ['9', '100'], ['-1', '-1'], ['0', '-11'], ['-9223372036854775808', '9223372036854775807'], ['3', '-100'],
    ]) steps.push(['DEL', 't1'], ['RPUSH', 't1', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], ['LTRIM', 't1', s, e], ['LRANGE', 't1', '0', '-1'], ['EXISTS', 't1']);
    steps.push(['LTRIM', 't2', '0', '1'], ['LTRIM', 't2', 'x', '1'], ['LTRIM', 't1', '0', 'x'], ['SET', 't3', 'v'],
      ['LTRIM', 't3', '0', '1'], ['LTRIM', 't3', 'x', '1'], ['LTRIM', 't1', '0']);
    await pair.same(...steps);
  });
});

describe('moving between lists', () => {
  it('LMOVE every direction, same key rotation, RPOPLPUSH', async () => {
    await pair.same(
      ['RPUSH', 'v1', 'a', 'b', 'c'], ['LMOVE', 'v1', 'v2', 'LEFT', 'LEFT'], ['LMOVE', 'v1', 'v2', 'LEFT', 'RIGHT'],
      ['LMOVE', 'v2', 'v1', 'RIGHT', 'LEFT'], ['LMOVE', 'v2', 'v1', 'RIGHT', 'RIGHT'], ['LRANGE', 'v1', '0', '-1'],
      ['EXISTS', 'v2'], ['LMOVE', 'v1', 'v1', 'LEFT', 'RIGHT'], ['LMOVE', 'v1', 'v1', 'RIGHT', 'LEFT'],
      ['LMOVE', 'v1', 'v1', 'LEFT', 'LEFT'], ['LMOVE', 'v1', 'v1', 'right', 'right'], ['LRANGE', 'v1', '0', '-1'],
      ['RPOPLPUSH', 'v1', 'v1'], ['RPOPLPUSH', 'v1', 'v3'], ['LRANGE', 'v1', '0', '-1'], ['LRANGE', 'v3', '0', '-1'],
      ['LMOVE', 'v9', 'v1', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'v9', 'v1'], ['LMOVE', 'v1', 'v2', 'UP', 'LEFT'],
      ['LMOVE', 'v1', 'v2', 'LEFT', 'DOWN'], ['LMOVE', 'v9', 'v2', 'LEFT', 'DOWN'],
      ['SET', 'v4', 's'], ['LMOVE', 'v1', 'v4', 'LEFT', 'LEFT'], ['LMOVE', 'v4', 'v1', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 'v1', 'v4'], ['RPOPLPUSH', 'v4', 'v1'], ['LMOVE', 'v9', 'v4', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'v9', 'v4'],
      ['LRANGE', 'v1', '0', '-1'], ['RPUSH', 'v5', 'only'], ['LMOVE', 'v5', 'v6', 'RIGHT', 'LEFT'], ['EXISTS', 'v5'],
      ['LMOVE', 'v1', 'v2', 'LEFT'], ['RPOPLPUSH', 'v1'],
    );
  });

  it('LMPOP', async () => {
    await pair.same(
      ['RPUSH', 'w2', 'a', 'b', 'c', 'd'], ['RPUSH', 'w3', 'x'],
      ['LMPOP', '2', 'w1', 'w2', 'LEFT'], ['LMPOP', '2', 'w1', 'w2', 'RIGHT', 'COUNT', '2'], ['LMPOP', '3', 'w1', 'w2', 'w3', 'left', 'count', '10'],
      ['LMPOP', '3', 'w1', 'w2', 'w3', 'RIGHT'], ['LMPOP', '1', 'w3', 'LEFT'], ['EXISTS', 'w2', 'w3'],
      ['LMPOP', '0', 'w1', 'LEFT'], ['LMPOP', '-1', 'w1', 'LEFT'], ['LMPOP', 'x', 'w1', 'LEFT'], ['LMPOP', '9223372036854775808', 'w1', 'LEFT'],
      ['LMPOP', '2', 'w1', 'LEFT'], ['LMPOP', '5', 'w1', 'w2', 'LEFT'], ['LMPOP', '1', 'w1', 'MIDDLE'],
      ['LMPOP', '1', 'w1', 'LEFT', 'COUNT'], ['LMPOP', '1', 'w1', 'LEFT', 'COUNT', '0'], ['LMPOP', '1', 'w1', 'LEFT', 'COUNT', '-1'],
      ['LMPOP', '1', 'w1', 'LEFT', 'COUNT', 'x'], ['LMPOP', '1', 'w1', 'LEFT', 'COUNT', '1', 'COUNT', '1'], ['LMPOP', '1', 'w1', 'LEFT', 'FOO'],
      ['SET', 'w4', 's'], ['RPUSH', 'w5', 'e'], ['LMPOP', '2', 'w4', 'w5', 'LEFT'], ['LMPOP', '2', 'w5', 'w4', 'LEFT'], ['LMPOP', '2', 'w1', 'w4', 'LEFT'],
      ['LMPOP', '1', 'w1'], ['LMPOP', '1'],
    );
  });

  it('COMMAND GETKEYS for LMPOP', async () => {
    await pair.same(
      ['COMMAND', 'GETKEYS', 'LMPOP', '2', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'LMPOP', '3', 'a', 'b', 'LEFT'],
      ['COMMAND', 'GETKEYS', 'LMPOP', '4', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'LMPOP', '0', 'a', 'b', 'LEFT'],
      ['COMMAND', 'GETKEYS', 'LMPOP', 'x', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'LMPOP', '01', 'a', 'LEFT'],
      ['COMMAND', 'GETKEYS', 'LMOVE', 'a', 'b', 'LEFT', 'LEFT'], ['COMMAND', 'GETKEYS', 'RPOPLPUSH', 'a', 'b'],
    );
  });
});

describe('side effects: keyspace events, dirty count, hits and misses', () => {
  it('pushes and pops', async () => {
    await pair.sameEffects(
      ['LPUSH', 'e1', 'a', 'b'], ['RPUSH', 'e1', 'c'], ['LPUSHX', 'e1', 'd'], ['RPUSHX', 'e2', 'x'], ['LPOP', 'e1'],
      ['RPOP', 'e1', '2'], ['LPOP', 'e1', '0'], ['LPOP', 'e1', '5'], ['LPOP', 'e1'], ['RPOP', 'e1', '1'],
    );
  });

  it('LSET LINSERT LREM LTRIM', async () => {
    await pair.sameEffects(
      ['RPUSH', 'e3', 'a', 'b', 'a', 'c'], ['LSET', 'e3', '0', 'z'], ['LSET', 'e3', '9', 'z'], ['LINSERT', 'e3', 'BEFORE', 'b', 'y'],
      ['LINSERT', 'e3', 'BEFORE', 'nope', 'y'], ['LREM', 'e3', '0', 'nope'], ['LREM', 'e3', '0', 'a'], ['LTRIM', 'e3', '0', '-1'],
      ['LTRIM', 'e3', '1', '1'], ['LTRIM', 'e3', '5', '1'], ['LTRIM', 'e3', '0', '1'], ['RPUSH', 'e4', 'q'], ['LREM', 'e4', '1', 'q'],
      ['LINDEX', 'e3', '0'], ['LINDEX', 'e4', '0'], ['LRANGE', 'e4', '0', '1'], ['LLEN', 'e4'], ['LPOS', 'e4', 'q'],
    );
  });

  it('LMOVE RPOPLPUSH LMPOP', async () => {
    await pair.sameEffects(
      ['RPUSH', 'e5', 'a', 'b', 'c'], ['LMOVE', 'e5', 'e6', 'LEFT', 'RIGHT'], ['LMOVE', 'e5', 'e5', 'RIGHT', 'LEFT'],
      ['RPOPLPUSH', 'e5', 'e6'], ['LMOVE', 'e5', 'e6', 'RIGHT', 'RIGHT'], ['LMOVE', 'e5', 'e6', 'RIGHT', 'RIGHT'],
      ['LMPOP', '2', 'e5', 'e6', 'LEFT', 'COUNT', '2'], ['LMPOP', '2', 'e5', 'e6', 'RIGHT', 'COUNT', '2'], ['LMPOP', '1', 'e6', 'LEFT'],
    );
  });
});

describe('the generic commands on lists', () => {
  it('TYPE, OBJECT ENCODING, DEBUG DIGEST-VALUE, COPY, RENAME, DUMP-free paths', async () => {
    await pair.same(
      ['RPUSH', 'k1', 'a', 'b', 'c', '1', '-5', ''], ['TYPE', 'k1'], ['OBJECT', 'ENCODING', 'k1'], ['DEBUG', 'DIGEST-VALUE', 'k1'],
      ['COPY', 'k1', 'k2'], ['RPUSH', 'k2', 'd'], ['LRANGE', 'k1', '0', '-1'], ['LRANGE', 'k2', '0', '-1'],
      ['RENAME', 'k2', 'k3'], ['DEBUG', 'DIGEST-VALUE', 'k3'], ['RPUSH', 'k4', BIN, UTF], ['DEBUG', 'DIGEST-VALUE', 'k4'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '3'], ['RPUSH', 'k5', 'a', 'b', 'c', 'd', 'e'], ['OBJECT', 'ENCODING', 'k5'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['DEBUG', 'DIGEST'],
    );
  });

  it('RDB sizes (DEBUG OBJECT serializedlength) of lists built by pushes', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => String(i % 7 === 0 ? -i * 1000 : i) + (i % 5 === 0 ? 'x' : ''));
    const steps: StepLike[] = [
      ['RPUSH', 'z1', 'a', 'b', 'c', '1', '-5', ''], ['RPUSH', 'z2', ...big], ['RPUSH', 'z3', 'y'.repeat(100), 'y'.repeat(5000)],
      ['RPUSH', 'z4', '127', '128', '-4096', '4095', '-32768', '32767', '8388607', '-8388608', '2147483647', '-2147483649',
        '9223372036854775807', '-9223372036854775808', BIN, 'q'.repeat(63), 'q'.repeat(64), 'q'.repeat(4095), 'q'.repeat(4096)],
      ['RPUSH', 'z5', ...Array.from({ length: 40 }, (_, i) => 'e'.repeat(300 + i))],
      ['CONFIG', 'SET', 'list-max-listpack-size', '5'], ['RPUSH', 'z6', ...big.slice(0, 23)],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-1'], ['RPUSH', 'z7', ...big],
      ['CONFIG', 'SET', 'list-max-listpack-size', '0'], ['RPUSH', 'z8', 'a', 'b', 'c'],
      ['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['RPUSH', 'z9', 'a', 'k'.repeat(10000), 'b'],
    ];
    await pair.same(...steps);
    for (const k of ['z1', 'z2', 'z3', 'z4', 'z5', 'z6', 'z7', 'z8', 'z9']) await sameSerializedLength(k);
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'no']);
    for (const k of ['z1', 'z2', 'z4', 'z7', 'z9']) await sameSerializedLength(k);
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'yes']);
  });

  it('SCAN and KEYS see list keys', async () => {
    await pair.same(['RPUSH', 'c1', 'a'], ['RPUSH', 'c2', 'b'], step(['KEYS', 'c*'], unordered));
  });
});

describe('random', () => {
  it('20,000 random list commands give the same replies and dataset', async () => {
    await pair.random(genLists, 20000);
  });

  it('2000 random list commands over RESP3 (null and array forms)', async () => {
    const conns = await pair.connect();
    await pair.sameOn(conns, step(['HELLO', '3'], () => 'hello'));
    const seed = runSeed();
    const diffs = await runRandom(conns.real, conns.ours, genLists, { seed, count: 2000 });
    expect(diffs, diffs.join('\n\n')).toEqual([]);
  });
});
