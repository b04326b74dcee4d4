import { describe, expect, it } from 'vitest';
import { step, usePair, type StepLike } from '../support/pair';
import { unordered, scanPage, sameType } from '../support/harness';
import type { Reply } from '../support/resp-reader';
import { genSets } from './gen/sets';
import { genKeys } from './gen/keys';
import { genStrings } from './gen/strings';
import type { Rng, Step } from '../support/harness';

/**
 * Set commands against a real redis-server 7.0: replies byte for byte where Redis's order is
 * defined (intsets iterate ascending), unordered where it is hash order, and invariants for
 * random picks. Encodings, digests, serialized lengths, keyspace events, dirty counts and
 * hits/misses are compared too.
 */

const pair = usePair();

const BIN = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

async function both(...argv: string[]): Promise<[Reply, Reply]> {
  const [a, b] = await Promise.all([pair.real.send(...argv), pair.ours.send(...argv)]);
  return [a.reply, b.reply];
}

async function config(name: string, value: string): Promise<void> {
  await both('CONFIG', 'SET', name, value);
}

/** OBJECT ENCODING, DEBUG DIGEST-VALUE and DEBUG OBJECT's serializedlength, for each key. */
async function sameInternals(...keys: string[]): Promise<void> {
  for (const k of keys) {
    await pair.same(['OBJECT', 'ENCODING', k], ['DEBUG', 'DIGEST-VALUE', k]);
    const [a, b] = await both('DEBUG', 'OBJECT', k);
    const field = (r: Reply) => (r.t === 'simple' ? /serializedlength:(\d+)/.exec(r.v)?.[1] : JSON.stringify(r));
    expect(field(b), `serializedlength of ${k}`).toBe(field(a));
  }
}


const u = (argv: string[]): StepLike => step(argv, unordered);

function members(r: Reply): string[] {
  if ((r.t === 'array' || r.t === 'set') && r.v) return r.v.map((x) => (x as { v: string }).v);
  throw new Error('not an array: ' + JSON.stringify(r));
}

describe('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS', () => {
  it('intsets reply in ascending order', async () => {
    await pair.same(
      ['SADD', 'i', '5', '-3', '100000', '2', '-9223372036854775808', '9223372036854775807', '0', '5'],
      ['SMEMBERS', 'i'], ['SCARD', 'i'], ['SISMEMBER', 'i', '5'], ['SISMEMBER', 'i', '05'], ['SISMEMBER', 'i', '6'],
      ['SMISMEMBER', 'i', '5', '6', '-3', '-03'], ['SREM', 'i', '5', '7', '0'], ['SMEMBERS', 'i'],
      ['SREM', 'i', 'x'], ['SCARD', 'nokey'], ['SISMEMBER', 'nokey', 'a'], ['SMISMEMBER', 'nokey', 'a', 'b'], ['SMEMBERS', 'nokey'],
      ['SREM', 'nokey', 'a'], ['SMEMBERS', 'i'],
    );
  });

  it('hashtable sets, binary members, deletion when emptied', async () => {
    await pair.same(
      ['SADD', 'h', 'a', 'b', 'c', 'a', '', BIN, '1'], ['SCARD', 'h'], u(['SMEMBERS', 'h']), ['SISMEMBER', 'h', BIN],
      ['SISMEMBER', 'h', ''], ['SMISMEMBER', 'h', 'a', 'z', '', '1'], ['SREM', 'h', 'a', 'a', 'b'], u(['SMEMBERS', 'h']),
      ['SREM', 'h', 'c', '', BIN, '1', 'extra'], ['EXISTS', 'h'], ['SCARD', 'h'],
      ['SADD', 's', '1'], ['SREM', 's', '1'], ['EXISTS', 's'], ['TYPE', 'h'], ['SADD', 'h', 'x'], ['TYPE', 'h'],
    );
  });

  it('errors: wrong type and arity', async () => {
    await pair.same(
      ['SET', 'str', 'v'], ['SADD', 'str', 'a'], ['SREM', 'str', 'a'], ['SCARD', 'str'], ['SISMEMBER', 'str', 'a'],
      ['SMISMEMBER', 'str', 'a'], ['SMEMBERS', 'str'], ['SPOP', 'str'], ['SPOP', 'str', '1'], ['SRANDMEMBER', 'str'],
      ['SRANDMEMBER', 'str', '2'], ['SINTER', 'str'], ['SINTER', 'nokey', 'str'], ['SUNION', 'str'], ['SDIFF', 'nokey', 'str'],
      ['SINTERSTORE', 'd', 'str'], ['SUNIONSTORE', 'd', 'str'], ['SDIFFSTORE', 'd', 'str'], ['SINTERCARD', '1', 'str'],
      ['SSCAN', 'str', '0'], ['SMOVE', 'str', 'd', 'a'], ['GET', 'str'],
      ['SADD', 'k'], ['SREM', 'k'], ['SCARD'], ['SCARD', 'a', 'b'], ['SISMEMBER', 'k'], ['SMISMEMBER', 'k'], ['SMEMBERS'],
      ['SPOP'], ['SRANDMEMBER'], ['SMOVE', 'a', 'b'], ['SINTER'], ['SINTERCARD', '1'], ['SINTERSTORE', 'd'], ['SUNION'],
      ['SUNIONSTORE', 'd'], ['SDIFF'], ['SDIFFSTORE', 'd'], ['SSCAN', 'k'],
    );
  });
});

describe('encodings', () => {
  it('intset → hashtable on a non-integer or past set-max-intset-entries, never back', async () => {
    await config('set-max-intset-entries', '4');
    try {
      await pair.same(['SADD', 'a', '1', '2', '3', '4'], ['OBJECT', 'ENCODING', 'a'], ['SADD', 'a', '5'], ['OBJECT', 'ENCODING', 'a'],
        ['SREM', 'a', '5', '4'], ['OBJECT', 'ENCODING', 'a'], u(['SMEMBERS', 'a']));
      await pair.same(['SADD', 'b', '1', 'x'], ['OBJECT', 'ENCODING', 'b'], ['SREM', 'b', 'x'], ['OBJECT', 'ENCODING', 'b']);
      await pair.same(['SADD', 'c', 'x', '1'], ['OBJECT', 'ENCODING', 'c'], ['SADD', 'd', '01'], ['OBJECT', 'ENCODING', 'd'],
        ['SADD', 'e', '-0'], ['OBJECT', 'ENCODING', 'e'], ['SADD', 'f', '9223372036854775808'], ['OBJECT', 'ENCODING', 'f'],
        ['SADD', 'g', '-9223372036854775808'], ['OBJECT', 'ENCODING', 'g'], ['SADD', 'h', '1', '2', '3', '4', '5'], ['OBJECT', 'ENCODING', 'h']);
      await sameInternals('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
      await config('set-max-intset-entries', '0');
      await pair.same(['SADD', 'z', '1'], ['OBJECT', 'ENCODING', 'z']);
      // Lowering the limit converts nothing until the next successful add.
      await config('set-max-intset-entries', '10');
      await pair.same(['SADD', 'y', '1', '2', '3', '4', '5', '6'], ['OBJECT', 'ENCODING', 'y']);
      await config('set-max-intset-entries', '3');
      await pair.same(['OBJECT', 'ENCODING', 'y'], ['SREM', 'y', '6'], ['SADD', 'y', '1', '2'], ['OBJECT', 'ENCODING', 'y'],
        ['SMOVE', 'nokey', 'y', '9'], ['OBJECT', 'ENCODING', 'y'], ['SADD', 'y', '7'], ['OBJECT', 'ENCODING', 'y']);
    } finally {
      await config('set-max-intset-entries', '512');
    }
  });

  it('*STORE results get the encoding of their contents', async () => {
    await config('set-max-intset-entries', '4');
    try {
      await pair.same(
        ['SADD', 'h', '1', '2', 'x'], ['SREM', 'h', 'x'], ['OBJECT', 'ENCODING', 'h'], ['SADD', 'i', '1', '2', '3'],
        ['SINTERSTORE', 'd1', 'h', 'i'], ['OBJECT', 'ENCODING', 'd1'], ['SMEMBERS', 'd1'],
        ['SUNIONSTORE', 'd2', 'h', 'i'], ['OBJECT', 'ENCODING', 'd2'], ['SMEMBERS', 'd2'],
        ['SDIFFSTORE', 'd3', 'i', 'h'], ['OBJECT', 'ENCODING', 'd3'], ['SMEMBERS', 'd3'],
        ['SADD', 'j', '10', '11', '12'], ['SUNIONSTORE', 'd4', 'i', 'j'], ['OBJECT', 'ENCODING', 'd4'], u(['SMEMBERS', 'd4']),
        ['SADD', 'w', 'a', 'b', '1'], ['SINTERSTORE', 'd5', 'w', 'i'], ['OBJECT', 'ENCODING', 'd5'],
        ['SUNIONSTORE', 'd6', 'w'], ['OBJECT', 'ENCODING', 'd6'], ['SDIFFSTORE', 'd7', 'w', 'nokey'], ['OBJECT', 'ENCODING', 'd7'],
        // Output order follows the result's encoding: all-integer results come out ascending.
        ['SUNION', 'h', 'i'], ['SDIFF', 'i', 'h'], u(['SINTER', 'h', 'i']), u(['SINTER', 'i', 'h']), ['SINTER', 'i', 'd1'],
      );
      await sameInternals('h', 'i', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7');
    } finally {
      await config('set-max-intset-entries', '512');
    }
  });

  it('digests and serialized lengths (intset widths, long members, compression)', async () => {
    await pair.same(
      ['SADD', 'w2', '1', '-5', '300'], ['SADD', 'w4', '1', '70000'], ['SADD', 'w8', '1', '5000000000'],
      ['SADD', 'wbig', ...Array.from({ length: 60 }, (_, i) => String(i * 7))],
      ['SADD', 'wd', '1', '70000'], ['SREM', 'wd', '70000'],
      ['SADD', 'ht', 'a', 'bb', 'x'.repeat(100), '12', '-100000', '5000000000', BIN],
      ['SADD', 'ht2', ...Array.from({ length: 200 }, (_, i) => 'member:' + i)],
    );
    await sameInternals('w2', 'w4', 'w8', 'wbig', 'wd', 'ht', 'ht2');
    await pair.same(['DEBUG', 'DIGEST']);
    await pair.same(['COPY', 'wd', 'wd2'], ['COPY', 'ht', 'ht3'], ['SADD', 'ht3', 'new'], ['SCARD', 'ht'], ['SCARD', 'ht3']);
    await sameInternals('wd2', 'ht3');
    await pair.same(['DEBUG', 'DIGEST']);
  });
});

describe('SINTER, SINTERCARD, SUNION, SDIFF and the STORE forms', () => {
  it('computes the same sets', async () => {
    await pair.same(
      ['SADD', 'a', '1', '2', '3', '4', 'x', 'y'], ['SADD', 'b', '2', '3', 'x', 'z'], ['SADD', 'c', '3', 'x', 'q'],
      ['SADD', 'n1', '5', '1', '3'], ['SADD', 'n2', '3', '1', '9', '7'],
      u(['SINTER', 'a', 'b']), u(['SINTER', 'a', 'b', 'c']), ['SINTER', 'a', 'nokey'], ['SINTER', 'nokey'], u(['SINTER', 'a', 'a']),
      ['SINTER', 'n1', 'n2'], ['SINTER', 'n2', 'n1'], ['SINTER', 'n1'], ['SINTER', 'n1', 'a'],
      u(['SUNION', 'a', 'b', 'c']), u(['SUNION', 'a', 'nokey']), ['SUNION', 'nokey'], ['SUNION', 'n1', 'n2'], ['SUNION', 'n1', 'nokey', 'n1'],
      u(['SDIFF', 'a', 'b']), u(['SDIFF', 'a', 'b', 'c']), ['SDIFF', 'a', 'a'], ['SDIFF', 'nokey', 'a'], u(['SDIFF', 'a', 'nokey']),
      ['SDIFF', 'n2', 'n1'], ['SDIFF', 'n1', 'n2', 'n1'], u(['SDIFF', 'a', 'n1', 'n2']),
      ['SINTERCARD', '2', 'a', 'b'], ['SINTERCARD', '3', 'a', 'b', 'c'], ['SINTERCARD', '1', 'a'], ['SINTERCARD', '2', 'a', 'nokey'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '0'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['SINTERCARD', '2', 'a', 'b', 'limit', '2'],
      ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '100'], ['SINTERCARD', '1', 'a', 'LIMIT', '1', 'LIMIT', '3'],
      ['SINTERSTORE', 'd', 'a', 'b'], u(['SMEMBERS', 'd']), ['SINTERSTORE', 'd', 'a', 'nokey'], ['EXISTS', 'd'],
      ['SUNIONSTORE', 'd', 'a', 'c'], u(['SMEMBERS', 'd']), ['SDIFFSTORE', 'd', 'a', 'b', 'c'], u(['SMEMBERS', 'd']),
      ['SDIFFSTORE', 'd', 'a', 'a'], ['EXISTS', 'd'], ['SUNIONSTORE', 'a', 'a', 'b'], u(['SMEMBERS', 'a']),
      ['SINTERSTORE', 'b', 'b', 'c'], u(['SMEMBERS', 'b']), ['SET', 'str', 'v'], ['SUNIONSTORE', 'str', 'n1'], ['TYPE', 'str'],
      ['SET', 'ttl', 'v', 'EX', '100'], ['SINTERSTORE', 'ttl', 'n1', 'n2'], ['TTL', 'ttl'],
    );
  });

  it('SINTERCARD errors and COMMAND GETKEYS', async () => {
    await pair.same(
      ['SADD', 'a', '1'],
      ['SINTERCARD', '0', 'a'], ['SINTERCARD', '-1', 'a'], ['SINTERCARD', 'x', 'a'], ['SINTERCARD', '2', 'a'],
      ['SINTERCARD', '9223372036854775807', 'a'], ['SINTERCARD', '9223372036854775808', 'a'],
      ['SINTERCARD', '1', 'a', 'LIMIT'], ['SINTERCARD', '1', 'a', 'LIMIT', '-1'], ['SINTERCARD', '1', 'a', 'LIMIT', 'x'],
      ['SINTERCARD', '1', 'a', 'FOO'], ['SINTERCARD', '1', 'a', 'LIMIT', '1', 'x'], ['SINTERCARD', '1', 'a', 'LIMIT\x00', '1'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['COMMAND', 'GETKEYS', 'SINTERCARD', '1', 'a'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '0', 'a'], ['COMMAND', 'GETKEYS', 'SINTERCARD', '3', 'a'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', 'x', 'a'], ['COMMAND', 'GETKEYS', 'SINTERSTORE', 'd', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'SMOVE', 'a', 'b', 'm'],
    );
  });
});

describe('SMOVE', () => {
  it('moves members, creating and deleting keys', async () => {
    await pair.same(
      ['SADD', 's', '1', 'a'], ['SMOVE', 's', 'd', '1'], ['OBJECT', 'ENCODING', 'd'], ['SMOVE', 's', 'd', 'zz'],
      ['SMOVE', 'nokey', 'd', 'a'], ['SMOVE', 's', 's', 'a'], ['SMOVE', 's', 's', 'q'], ['SMOVE', 's', 'd', 'a'],
      ['EXISTS', 's'], u(['SMEMBERS', 'd']), ['OBJECT', 'ENCODING', 'd'], ['SADD', 's', 'a'], ['SMOVE', 's', 'd', 'a'],
      ['SET', 'str', 'v'], ['SMOVE', 'nokey', 'str', 'a'], ['SADD', 's', 'x'], ['SMOVE', 's', 'str', 'x'], ['SMOVE', 'str', 's', 'x'],
      ['SMOVE', 'd', 'n', 'a'], ['OBJECT', 'ENCODING', 'n'],
    );
  });
});

describe('side effects: keyspace events, dirty count, hits and misses', () => {
  it('writes', async () => {
    await pair.sameEffects(
      ['SADD', 'e1', 'a', 'b', 'c'], ['SADD', 'e1', 'a'], ['SADD', 'e1', 'a', 'd'], ['SREM', 'e1', 'x'], ['SREM', 'e1', 'a', 'x', 'b'],
      ['SMOVE', 'e1', 'e2', 'c'], ['SMOVE', 'e1', 'e2', 'zz'], ['SMOVE', 'e1', 'e2', 'd'], ['SADD', 'e1', 'c'], ['SMOVE', 'e1', 'e2', 'c'],
      ['SMOVE', 'nokey', 'e2', 'c'], ['SMOVE', 'e2', 'e2', 'c'],
      ['SADD', 'e3', '1', '2', '3'], ['SINTERSTORE', 'e4', 'e2', 'e3'], ['SINTERSTORE', 'e4', 'e3', 'e3'], ['SINTERSTORE', 'e4', 'e3', 'nokey'],
      ['SINTERSTORE', 'e4', 'e3', 'nokey'], ['SUNIONSTORE', 'e4', 'e2', 'e3'], ['SUNIONSTORE', 'e4', 'nokey'], ['SUNIONSTORE', 'e4', 'nokey'],
      ['SDIFFSTORE', 'e4', 'e3', 'e2'], ['SDIFFSTORE', 'e4', 'e3', 'e3'], ['SDIFFSTORE', 'e5', 'nokey', 'e3'],
      ['SREM', 'e3', '1', '2', '3', '4'], ['SREM', 'e3', '1'],
      ['SADD', 'e6', '1', '2', '3'], ['SPOP', 'e6', '0'], ['SPOP', 'e6', '5'], ['SPOP', 'e6', '5'], ['SPOP', 'e6'],
      ['SADD', 'e7', 'x'], ['SPOP', 'e7'], ['SPOP', 'e7'], ['SADD', 'e8', 'x', 'y'], step(['SPOP', 'e8'], sameType), step(['SPOP', 'e8', '1'], sameType),
    );
  });

  it('reads', async () => {
    await pair.sameEffects(
      ['SADD', 'r1', '1', '2'], ['SADD', 'r2', 'a'], ['SCARD', 'r1'], ['SCARD', 'nokey'], ['SISMEMBER', 'r1', '1'], ['SISMEMBER', 'nokey', '1'],
      ['SMISMEMBER', 'r1', '1', '3'], ['SMISMEMBER', 'nokey', '1'], ['SMEMBERS', 'r1'], ['SMEMBERS', 'nokey'],
      ['SINTER', 'r1', 'nokey', 'r2'], ['SUNION', 'r1', 'nokey'], ['SDIFF', 'r1', 'nokey', 'r2'], ['SINTERCARD', '2', 'r1', 'nokey'],
      step(['SRANDMEMBER', 'r1'], sameType), ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'r1', '5'], ['SRANDMEMBER', 'nokey', '5'],
      ['SSCAN', 'r1', '0'], ['SSCAN', 'nokey', '0'], ['SSCAN', 'r1', 'x'],
    );
  });
});

describe('SPOP', () => {
  it('deterministic replies and errors', async () => {
    await pair.same(
      ['SPOP', 'nokey'], ['SPOP', 'nokey', '3'], ['SPOP', 'nokey', '-1'], ['SPOP', 'nokey', '0'],
      ['SADD', 'a', '3', '1', '2'], ['SPOP', 'a', '0'], ['SPOP', 'a', '-1'], ['SPOP', 'a', 'x'], ['SPOP', 'a', '1.0'],
      ['SPOP', 'a', '1', '2'], ['SPOP', 'a', '9223372036854775808'], ['SPOP', 'a', '3'], ['EXISTS', 'a'],
      ['SADD', 'a', '3', '1', '2'], ['SPOP', 'a', '100'], ['SADD', 'b', 'x', '1'], u(['SPOP', 'b', '2']),
      ['SADD', 'c', 'only'], ['SPOP', 'c'], ['EXISTS', 'c'],
    );
  });

  it('pops distinct members, leaving the rest; the remaining set gets the encoding Redis gives', async () => {
    for (const [size, count, withWord] of [[20, 3, true], [20, 19, true], [12, 10, true], [13, 10, true], [30, 29, false], [40, 1, false]] as const) {
      const ms = Array.from({ length: size }, (_, i) => String(i * 3));
      if (withWord) ms[0] = 'word';
      for (const conn of [pair.real, pair.ours]) {
        await conn.send('DEL', 'p');
        await conn.send('SADD', 'p', ...ms);
        await conn.send('EXPIRE', 'p', '1000');
        const popped = members((await conn.send('SPOP', 'p', String(count))).reply);
        const rest = members((await conn.send('SMEMBERS', 'p')).reply);
        expect(popped.length).toBe(count);
        expect(new Set(popped).size).toBe(count);
        expect([...popped, ...rest].sort()).toEqual([...ms].sort());
        expect((await conn.send('SCARD', 'p')).reply).toEqual({ t: 'int', v: String(size - count) });
        expect((await conn.send('TTL', 'p')).reply.t).toBe('int');
        expect(Number(((await conn.send('TTL', 'p')).reply as { v: string }).v)).toBeGreaterThan(900);
        // Case 3 (few remain) rebuilds the set: intset when what remains is all integers.
        const enc = ((await conn.send('OBJECT', 'ENCODING', 'p')).reply as { v: string }).v;
        const rebuilt = (size - count) * 5 <= count;
        const allInts = rest.every((m) => /^(0|-?[1-9]\d*)$/.test(m));
        expect(enc, `${size}/${count} ${conn === pair.ours ? 'ours' : 'redis'}`).toBe(rebuilt && allInts ? 'intset' : withWord ? 'hashtable' : 'intset');
      }
    }
  });

  it('single pops empty the set one member at a time', async () => {
    for (const conn of [pair.real, pair.ours]) {
      await conn.send('SADD', 'q', 'a', 'b', '1', '2');
      const got: string[] = [];
      for (let i = 0; i < 4; i++) got.push(((await conn.send('SPOP', 'q')).reply as { v: string }).v);
      expect(got.sort()).toEqual(['1', '2', 'a', 'b']);
      expect((await conn.send('EXISTS', 'q')).reply).toEqual({ t: 'int', v: '0' });
    }
  });
});

describe('SRANDMEMBER', () => {
  it('deterministic replies and errors', async () => {
    await pair.same(
      ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '5'], ['SRANDMEMBER', 'nokey', '-5'], ['SRANDMEMBER', 'nokey', 'x'],
      ['SADD', 'a', '30', '-1', '2'], ['SRANDMEMBER', 'a', '0'], ['SRANDMEMBER', 'a', '3'], ['SRANDMEMBER', 'a', '100'],
      ['SRANDMEMBER', 'a', '9223372036854775807'], ['SRANDMEMBER', 'a', '-9223372036854775808'], ['SRANDMEMBER', 'a', 'x'],
      ['SRANDMEMBER', 'a', '1', '2'], ['SADD', 'b', 'x', 'y'], u(['SRANDMEMBER', 'b', '2']), ['SADD', 'c', 'one'],
      ['SRANDMEMBER', 'c'], ['SRANDMEMBER', 'c', '-3'], ['SRANDMEMBER', 'c', '1'],
    );
  });

  it('distinct members for a positive count, repeats for a negative one', async () => {
    const ms = Array.from({ length: 50 }, (_, i) => (i % 2 ? 'm' + i : String(i)));
    for (const conn of [pair.real, pair.ours]) {
      await conn.send('SADD', 'r', ...ms);
      for (const n of [1, 2, 10, 49]) {
        const got = members((await conn.send('SRANDMEMBER', 'r', String(n))).reply);
        expect(got.length).toBe(n);
        expect(new Set(got).size).toBe(n);
        for (const g of got) expect(ms).toContain(g);
      }
      const rep = members((await conn.send('SRANDMEMBER', 'r', '-200')).reply);
      expect(rep.length).toBe(200);
      for (const g of rep) expect(ms).toContain(g);
      expect(new Set(rep).size).toBeLessThan(200);
      expect((await conn.send('SCARD', 'r')).reply).toEqual({ t: 'int', v: '50' });
    }
  });
});

describe('SSCAN', () => {
  it('intsets come whole, sorted, with cursor 0', async () => {
    await pair.same(
      ['SADD', 'i', ...Array.from({ length: 100 }, (_, i) => String((i * 37) % 101 - 50))],
      ['SSCAN', 'i', '0'], ['SSCAN', 'i', '0', 'COUNT', '1'], ['SSCAN', 'i', '5'], ['SSCAN', 'i', '0', 'MATCH', '*1*'],
      ['SSCAN', 'i', '0', 'match', '-?', 'count', '2'], ['SSCAN', 'i', '0', 'MATCH', '*'],
      ['SSCAN', 'i', '0', 'COUNT', '0'], ['SSCAN', 'i', '0', 'COUNT', '-1'], ['SSCAN', 'i', '0', 'COUNT', 'x'],
      ['SSCAN', 'i', '0', 'COUNT'], ['SSCAN', 'i', '0', 'TYPE', 'set'], ['SSCAN', 'i', '0', 'FOO', 'bar'],
      ['SSCAN', 'i', 'x'], ['SSCAN', 'i', '-1'], ['SSCAN', 'i', ' 0'], ['SSCAN', 'i', ''], ['SSCAN', 'i', '18446744073709551616'],
      ['SSCAN', 'nokey', '0'], ['SSCAN', 'nokey', '0', 'COUNT', '0'], ['SSCAN', 'nokey', 'x'],
    );
  });

  it('hashtables: a full pass returns every member; small sets in one page', async () => {
    const ms = Array.from({ length: 300 }, (_, i) => 'm' + i);
    await pair.same(['SADD', 'h', ...ms], step(['SSCAN', 'h', '0', 'COUNT', '1000'], scanPage),
      step(['SSCAN', 'h', '0', 'COUNT', '1000', 'MATCH', 'm1*'], scanPage), ['SADD', 'small', 'a', 'b', 'c'],
      step(['SSCAN', 'small', '0'], scanPage));
    for (const conn of [pair.real, pair.ours]) {
      for (const count of ['1', '7', '50']) {
        const seen = new Set<string>();
        let cursor = '0';
        let calls = 0;
        do {
          const r = (await conn.send('SSCAN', 'h', cursor, 'COUNT', count)).reply as { v: Reply[] };
          cursor = (r.v[0] as { v: string }).v;
          for (const m of members(r.v[1])) seen.add(m);
          calls++;
        } while (cursor !== '0' && calls < 10000);
        expect(seen.size, `COUNT ${count}`).toBe(300);
      }
    }
  });

  it('members present for the whole scan are returned while others come and go', async () => {
    const stable = Array.from({ length: 100 }, (_, i) => 's' + i);
    const ours = pair.ours;
    await ours.send('SADD', 'h', ...stable, ...Array.from({ length: 100 }, (_, i) => 'v' + i));
    const seen = new Set<string>();
    let cursor = '0';
    let i = 0;
    do {
      const r = (await ours.send('SSCAN', 'h', cursor, 'COUNT', '5')).reply as { v: Reply[] };
      cursor = (r.v[0] as { v: string }).v;
      for (const m of members(r.v[1])) seen.add(m);
      await ours.send('SREM', 'h', 'v' + i, 'v' + (99 - i));
      await ours.send('SADD', 'h', 'n' + i, 'o' + i);
      i++;
    } while (cursor !== '0');
    for (const m of stable) expect(seen.has(m), m).toBe(true);
  });
});

describe('RESP3', () => {
  it('set replies are RESP3 sets; SRANDMEMBER and SMISMEMBER stay arrays', async () => {
    const conns = await pair.connect();
    await pair.sameOn(conns, step(['HELLO', '3'], () => 'hello'),
      ['SADD', 'a', '3', '1', '2'], ['SADD', 'b', '2', '3', '4'], ['SMEMBERS', 'a'], ['SMEMBERS', 'nokey'], ['SINTER', 'a', 'b'],
      ['SINTER', 'a', 'nokey'], ['SUNION', 'a', 'b'], ['SDIFF', 'a', 'b'], ['SRANDMEMBER', 'a', '5'], ['SRANDMEMBER', 'nokey', '5'],
      ['SRANDMEMBER', 'a', '0'], ['SRANDMEMBER', 'nokey'], ['SPOP', 'nokey'], ['SPOP', 'nokey', '2'], ['SPOP', 'a', '0'],
      ['SMISMEMBER', 'a', '1', '9'], ['SSCAN', 'a', '0'], ['SSCAN', 'nokey', '0'], ['SINTERCARD', '2', 'a', 'b'],
      step(['SRANDMEMBER', 'a', '-2'], sameType), step(['SPOP', 'b', '1'], sameType), ['SPOP', 'a', '10'],
    );
  });
});

describe('random', () => {
  it('random set commands match Redis', async () => {
    await config('set-max-intset-entries', '16');
    try {
      await pair.random(genSets, 20000);
    } finally {
      await config('set-max-intset-entries', '512');
    }
  });
});

/** Sets, key commands and strings on one folded key space (as mixed.test.ts does for its groups). */
function fold(arg: string): string {
  if (!/^[tks]:/.test(arg)) return arg;
  let h = 0;
  for (let i = 0; i < arg.length; i++) h = (h * 31 + arg.charCodeAt(i)) >>> 0;
  return 'k:' + (h % 7);
}

function genSetsMixed(r: Rng): Step {
  const s = r.pick([genSets, genSets, genSets, genKeys, genStrings])(r);
  return { argv: s.argv.map(fold), normalize: s.normalize };
}

describe('random, mixed with key and string commands', () => {
  it('matches Redis', async () => {
    await pair.random(genSetsMixed, 3000);
  });
});
