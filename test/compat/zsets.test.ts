import { describe, expect, it } from 'vitest';
import { usePair, type StepLike } from '../support/pair';
import { zsetEncoding } from '../../src/engine/types/zset';
import { genZsets } from './gen/zsets';

/**
 * Sorted set commands against a real redis-server 7.0: replies byte for byte, plus encodings,
 * keyspace events, the dirty counter and hits/misses, and DEBUG DIGEST-VALUE of the values.
 */

const pair = usePair();

const BIN = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

async function sameEncodings(keys: string[]): Promise<void> {
  for (const key of keys) {
    const r = await pair.real.send('OBJECT', 'ENCODING', key);
    const o = pair.engine.dbs[0].peek(key);
    const ours = o === undefined ? null : zsetEncoding(o);
    expect(ours, `OBJECT ENCODING ${key}`).toBe(r.reply.t === 'bulk' ? r.reply.v : null);
  }
}


const ALL = (k: string): string[] => ['ZRANGE', k, '0', '-1', 'WITHSCORES'];

describe('ZADD and ZINCRBY', () => {
  it('adds, updates, counts, with every option', async () => {
    await pair.same(
      ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'], ALL('a'),
      ['ZADD', 'a', '1', 'x'], ['ZADD', 'a', 'CH', '5', 'x', '1', 'new'], ALL('a'),
      ['ZADD', 'a', 'NX', '9', 'x', '9', 'nx'], ['ZADD', 'a', 'XX', '8', 'x', '8', 'xx'], ALL('a'),
      ['ZADD', 'a', 'XX', 'CH', '7', 'x', '8', 'xx'], ['ZADD', 'a', 'GT', 'CH', '1', 'x', '100', 'y'], ALL('a'),
      ['ZADD', 'a', 'LT', 'CH', '1', 'x', '100', 'z', '-5', 'gt-new'], ALL('a'),
      ['ZADD', 'a', 'XX', 'GT', 'CH', '1000', 'x', '1', 'missing'], ALL('a'),
      ['ZADD', 'a', 'INCR', '2.5', 'x'], ['ZADD', 'a', 'NX', 'INCR', '1', 'x'], ['ZADD', 'a', 'XX', 'INCR', '1', 'nope'],
      ['ZADD', 'a', 'GT', 'INCR', '-1', 'x'], ['ZADD', 'a', 'LT', 'INCR', '-1', 'x'], ['ZADD', 'a', 'INCR', 'CH', '0', 'x'],
      ['ZADD', 'nokey', 'XX', '1', 'a'], ['ZADD', 'nokey', 'XX', 'INCR', '1', 'a'], ['EXISTS', 'nokey'],
      ['ZINCRBY', 'b', '1.1', 'm'], ['ZINCRBY', 'b', '-0.1', 'm'], ['ZSCORE', 'b', 'm'], ['ZINCRBY', 'b', 'x', 'm'],
      ['zadd', 'c', 'nx', 'ch', 'incr', '3', 'q'], ['ZADD', 'c', 'nx\x00junk', '1', 'r'], ALL('c'),
    );
  });

  it('errors: options, pairs, floats, NaN', async () => {
    await pair.same(
      ['ZADD', 'a', 'NX', 'XX', '1', 'x'], ['ZADD', 'a', 'GT', 'LT', '1', 'x'], ['ZADD', 'a', 'NX', 'GT', '1', 'x'],
      ['ZADD', 'a', 'NX', 'LT', '1', 'x'], ['ZADD', 'a', 'INCR', '1', 'x', '2', 'y'], ['ZADD', 'a', '1'],
      ['ZADD', 'a', '1', 'x', '2'], ['ZADD', 'a', 'NX'], ['ZADD', 'a', 'NX', 'XX'], ['ZADD', 'a', 'GT', 'LT', 'x'],
      ['ZADD', 'a', 'nan', 'x'], ['ZADD', 'a', 'x', 'x'], ['ZADD', 'a', '', 'x'], ['ZADD', 'a', ' 1', 'x'],
      ['ZADD', 'a', '1e400', 'x'], ['ZADD', 'a', '1', 'x', 'bad', 'y'], ['EXISTS', 'a'],
      ['ZADD', 'a', '+inf', 'x'], ['ZINCRBY', 'a', '-inf', 'x'], ['ZINCRBY', 'a', '+inf', 'x'], ['ZSCORE', 'a', 'x'],
      ['ZADD', 'a', 'INCR', '-inf', 'x'], ['ZADD', 'a', '-inf', 'y', '+inf', 'z', 'inf', 'w', '-Infinity', 'v'], ALL('a'),
      ['SET', 's', 'x'], ['ZADD', 's', '1', 'x'], ['ZINCRBY', 's', '1', 'x'], ['ZADD', 's', 'XX', '1', 'x'],
      ['ZADD'], ['ZADD', 'a'], ['ZADD', 'a', '1'], ['ZINCRBY', 'a', '1'],
    );
  });

  it('scores: formatting, extremes, negative zero, hex, ties ordered by member bytes', async () => {
    await pair.same(
      ['ZADD', 'f', '1.1', 'a', '0.1', 'b', '1e308', 'c', '5e-324', 'd', '-1e308', 'e', '0x10', 'g', '1E3', 'h', '.5', 'i'],
      ['ZADD', 'f', '9007199254740993', 'j', '123456789.123456789', 'k', '-0', 'l', '3.0', 'm', '1e-300', 'n'],
      ALL('f'), ['ZSCORE', 'f', 'a'], ['ZMSCORE', 'f', 'a', 'nope', 'd', 'l'],
      ['ZADD', 't', '1', 'b', '1', 'a', '1', 'B', '1', '', '1', 'aa', '1', 'a\x00', '1', '\xff', '1', '\x00', '1', '10', '1', '9', '1', '-1'],
      ALL('t'), ['ZRANK', 't', 'aa'], ['ZREVRANK', 't', 'aa'], ['ZRANK', 't', 'nope'], ['ZRANK', 'nokey', 'a'],
      ['ZADD', 'bin', '0', BIN, '0', BIN.slice(1), '0', BIN.slice(0, 5)], ALL('bin'),
      // -0: a listpack keeps 0, a skiplist keeps -0; the INCR reply is the computed score.
      ['ZADD', 'nz', '-0', 'a'], ['ZSCORE', 'nz', 'a'], ['ZINCRBY', 'nz2', '-0', 'b'], ['ZSCORE', 'nz2', 'b'],
      ['ZADD', 'nz', '0', 'a'], ['ZADD', 'nz', 'CH', '-0', 'a'], ['ZSCORE', 'nz', 'a'],
      ['ZADD', 'nzs', '-0', 'a', '0', 'x'.repeat(100)], ['ZADD', 'nzs', '-0', 'b'], ALL('nzs'),
    );
  });
});

describe('readers', () => {
  it('ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT', async () => {
    await pair.same(
      ['ZADD', 'r', '1', 'a', '2', 'b', '2', 'c', '3', 'd', '-inf', 'lo', '+inf', 'hi'],
      ['ZCARD', 'r'], ['ZCARD', 'none'], ['ZSCORE', 'r', 'hi'], ['ZSCORE', 'r', 'lo'], ['ZSCORE', 'none', 'a'],
      ['ZMSCORE', 'none', 'a', 'b'], ['ZMSCORE', 'r', 'b', 'zz', 'lo'], ['ZMSCORE', 'r'],
      ['ZRANK', 'r', 'lo'], ['ZRANK', 'r', 'hi'], ['ZREVRANK', 'r', 'lo'], ['ZREVRANK', 'r', 'c'],
      ['ZCOUNT', 'r', '-inf', '+inf'], ['ZCOUNT', 'r', '(1', '(3'], ['ZCOUNT', 'r', '2', '2'], ['ZCOUNT', 'r', '(2', '2'],
      ['ZCOUNT', 'r', '3', '1'], ['ZCOUNT', 'r', 'inf', 'inf'], ['ZCOUNT', 'r', '(-inf', '(inf'], ['ZCOUNT', 'r', '', ''],
      ['ZCOUNT', 'r', ' 1', '0x2'], ['ZCOUNT', 'r', '1e400', '1e400'], ['ZCOUNT', 'r', '1\x00x', '9'],
      ['ZCOUNT', 'r', 'nan', '1'], ['ZCOUNT', 'r', '1', 'x'], ['ZCOUNT', 'r', '((1', '2'], ['ZCOUNT', 'r', '1 ', '2'],
      ['ZCOUNT', 'none', '1', '2'], ['ZCOUNT', 'none', 'x', '2'],
      ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e'],
      ['ZLEXCOUNT', 'l', '-', '+'], ['ZLEXCOUNT', 'l', '[b', '(d'], ['ZLEXCOUNT', 'l', '(b', '[d'], ['ZLEXCOUNT', 'l', '+', '-'],
      ['ZLEXCOUNT', 'l', '[c', '[c'], ['ZLEXCOUNT', 'l', '(c', '[c'], ['ZLEXCOUNT', 'l', '-', '-'], ['ZLEXCOUNT', 'l', '[', '+'],
      ['ZLEXCOUNT', 'l', 'a', 'b'], ['ZLEXCOUNT', 'l', '[a', '--'], ['ZLEXCOUNT', 'l', '', '+'], ['ZLEXCOUNT', 'none', '-', '+'],
      ['ZLEXCOUNT', 'none', 'x', '+'],
      ['SET', 's', 'x'], ['ZCARD', 's'], ['ZSCORE', 's', 'a'], ['ZMSCORE', 's', 'a'], ['ZRANK', 's', 'a'],
      ['ZCOUNT', 's', '0', '1'], ['ZCOUNT', 's', 'x', '1'], ['ZLEXCOUNT', 's', '-', '+'],
    );
  });

  it('lex ranges on a listpack with mixed scores follow its linear scan', async () => {
    await pair.same(
      ['ZADD', 'm', '1', 'd', '2', 'a', '3', 'c', '4', 'b'],
      ['ZLEXCOUNT', 'm', '[b', '+'], ['ZLEXCOUNT', 'm', '-', '[c'], ['ZRANGEBYLEX', 'm', '[b', '[d'],
      ['ZREVRANGEBYLEX', 'm', '[d', '[b'], ['ZRANGEBYLEX', 'm', '(a', '+'], ['ZREMRANGEBYLEX', 'm', '[a', '[b'], ALL('m'),
    );
  });
});

describe('ZRANGE family', () => {
  const setup: StepLike[] = [
    ['ZADD', 'z', '1', 'a', '2', 'b', '2', 'c', '3', 'd', '4', 'e', '5', 'f', '-inf', 'lo', '+inf', 'hi'],
    ['ZADD', 'lx', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'f', '0', 'g'],
  ];

  it('by rank, forward and reversed', async () => {
    await pair.same(...setup,
      ['ZRANGE', 'z', '0', '-1'], ['ZRANGE', 'z', '2', '4', 'WITHSCORES'], ['ZRANGE', 'z', '-3', '-1', 'withscores'],
      ['ZRANGE', 'z', '5', '2'], ['ZRANGE', 'z', '100', '200'], ['ZRANGE', 'z', '-100', '1'], ['ZRANGE', 'z', '0', '100'],
      ['ZRANGE', 'z', '0', '-1', 'REV'], ['ZRANGE', 'z', '1', '3', 'REV', 'WITHSCORES'], ['ZREVRANGE', 'z', '0', '2'],
      ['ZREVRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZREVRANGE', 'z', '-2', '-1'], ['ZREVRANGE', 'z', '0', '1', 'REV'],
      ['ZRANGE', 'z', '9223372036854775807', '-9223372036854775808'], ['ZRANGE', 'z', '-9223372036854775808', '9223372036854775807'],
      ['ZRANGE', 'z', 'x', '1'], ['ZRANGE', 'z', '0', '1.5'], ['ZRANGE', 'z', '0', '9223372036854775808'],
      ['ZRANGE', 'none', '0', '-1'], ['ZRANGE', 'none', 'x', '-1'], ['ZREVRANGE', 'none', '0', '-1', 'WITHSCORES'],
    );
  });

  it('by score, with LIMIT, WITHSCORES, REV', async () => {
    await pair.same(...setup,
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE'], ['ZRANGE', 'z', '(1', '(4', 'BYSCORE', 'WITHSCORES'],
      ['ZRANGE', 'z', '+inf', '-inf', 'BYSCORE', 'REV'], ['ZRANGE', 'z', '(4', '2', 'BYSCORE', 'REV', 'WITHSCORES'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '3'], ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '-1'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '-1', '3'], ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '0', '0'],
      ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '100', '1'], ['ZRANGE', 'z', '+inf', '-inf', 'REV', 'BYSCORE', 'LIMIT', '2', '2', 'WITHSCORES'],
      ['ZRANGEBYSCORE', 'z', '2', '2'], ['ZRANGEBYSCORE', 'z', '(2', '+inf', 'WITHSCORES', 'LIMIT', '1', '1'],
      ['ZRANGEBYSCORE', 'z', '3', '1'], ['ZRANGEBYSCORE', 'z', '(2', '(2'], ['ZRANGEBYSCORE', 'z', '(-inf', '(+inf'],
      ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'WITHSCORES'], ['ZREVRANGEBYSCORE', 'z', '4', '(2', 'LIMIT', '0', '1'],
      ['ZREVRANGEBYSCORE', 'z', '1', '4'], ['ZRANGEBYSCORE', 'z', 'x', '1'], ['ZRANGEBYSCORE', 'z', '1', 'nan'],
      ['ZRANGEBYSCORE', 'z', '1', '2', 'REV'], ['ZRANGEBYSCORE', 'z', '1', '2', 'BYSCORE'], ['ZRANGEBYSCORE', 'z', '1', '2', 'LIMIT', '1'],
      ['ZRANGEBYSCORE', 'z', '1', '2', 'LIMIT', 'x', '1'], ['ZRANGEBYSCORE', 'z', '1', '2', 'LIMIT', '0', 'y'],
      ['ZRANGEBYSCORE', 'none', '1', '2'], ['ZRANGEBYSCORE', 'none', 'x', '2'],
    );
  });

  it('by lex, with LIMIT, REV', async () => {
    await pair.same(...setup,
      ['ZRANGE', 'lx', '-', '+', 'BYLEX'], ['ZRANGE', 'lx', '[b', '(e', 'BYLEX'], ['ZRANGE', 'lx', '+', '-', 'BYLEX', 'REV'],
      ['ZRANGE', 'lx', '(e', '[b', 'BYLEX', 'REV', 'LIMIT', '1', '2'], ['ZRANGE', 'lx', '-', '+', 'BYLEX', 'LIMIT', '2', '-1'],
      ['ZRANGEBYLEX', 'lx', '[c', '+'], ['ZRANGEBYLEX', 'lx', '(c', '[c'], ['ZRANGEBYLEX', 'lx', '+', '-'],
      ['ZRANGEBYLEX', 'lx', '-', '+', 'LIMIT', '3', '10'], ['ZREVRANGEBYLEX', 'lx', '+', '-'], ['ZREVRANGEBYLEX', 'lx', '[e', '(b'],
      ['ZREVRANGEBYLEX', 'lx', '-', '+'], ['ZRANGEBYLEX', 'lx', 'a', '+'], ['ZRANGEBYLEX', 'lx', '[a', '+x'],
      ['ZRANGEBYLEX', 'lx', '-', '+', 'WITHSCORES'], ['ZRANGE', 'lx', '-', '+', 'BYLEX', 'WITHSCORES'],
      ['ZRANGEBYLEX', 'lx', '[', '+'], ['ZRANGEBYLEX', 'lx', '(', '+'], ['ZRANGEBYLEX', 'none', '-', '+'],
    );
  });

  it('argument rules and errors', async () => {
    await pair.same(...setup,
      ['ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '1'], ['ZRANGE', 'z', '0', '-1', 'BYSCORE', 'BYLEX'],
      ['ZRANGE', 'z', '0', '-1', 'REV', 'REV'], ['ZRANGE', 'z', '0', '-1', 'foo'], ['ZRANGE', 'z', '0', '-1', 'LIMIT', '0'],
      ['ZRANGE', 'lx', '-', '+', 'BYLEX', 'WITHSCORES', 'LIMIT', '0', '1'], ['ZRANGE', 'z', 'a', 'b', 'BYSCORE'],
      ['ZRANGE', 'z', 'a', 'b', 'BYLEX'], ['ZRANGE', 'z', '0', '1', 'LIMIT', 'x', '1'], ['ZRANGE', 'z', '0', '1', 'LIMIT', '-1', '-1'],
      ['ZRANGE', 'z', '0', '-1', 'BYSCORE', 'LIMIT', '0', '1', 'LIMIT', '1', '1'],
      ['ZRANGE', 'z'], ['ZRANGE', 'z', '0'], ['SET', 's', 'x'], ['ZRANGE', 's', '0', '-1'], ['ZRANGE', 's', 'x', '-1'],
      ['ZRANGEBYSCORE', 's', '0', '1'], ['ZRANGEBYLEX', 's', '-', '+'],
    );
  });

  it('ZRANGESTORE', async () => {
    await pair.sameEffects(...setup,
      ['ZRANGESTORE', 'dst', 'z', '0', '-1'], ALL('dst'), ['ZRANGESTORE', 'dst', 'z', '(1', '4', 'BYSCORE', 'LIMIT', '1', '2'],
      ALL('dst'), ['ZRANGESTORE', 'dst', 'lx', '[b', '[d', 'BYLEX', 'REV'], ALL('dst'),
      ['ZRANGESTORE', 'dst', 'z', '0', '-1', 'WITHSCORES'], ['ZRANGESTORE', 'dst', 'z', '5', '1'], ['EXISTS', 'dst'],
      ['ZRANGESTORE', 'dst', 'z', '5', '1'], ['ZRANGESTORE', 'dst', 'none', '0', '-1'], ['ZRANGESTORE', 'z', 'z', '0', '1'], ALL('z'),
      ['SET', 's', 'x'], ['ZRANGESTORE', 'dst', 's', '0', '-1'], ['ZRANGESTORE', 's', 'lx', '0', '0'], ['TYPE', 's'],
      ['ZRANGESTORE', 'dst', 'z', 'x', '1'], ['ZRANGESTORE', 'dst', 'z', '0', '1', 'LIMIT', '0', '1'],
    );
  });
});

describe('removers', () => {
  it('ZREM, ZREMRANGEBYRANK/SCORE/LEX, ZPOPMIN/MAX with events and dirty', async () => {
    await pair.sameEffects(
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZREM', 'z', 'a', 'nope', 'b'], ['ZREM', 'z', 'nope'],
      ['ZREM', 'none', 'a'], ['ZREM', 'z', 'c', 'd', 'e', 'c'], ['EXISTS', 'z'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZREMRANGEBYRANK', 'z', '1', '2'], ALL('z'),
      ['ZREMRANGEBYRANK', 'z', '5', '1'], ['ZREMRANGEBYRANK', 'z', 'x', '1'], ['ZREMRANGEBYRANK', 'z', '0', '-1'], ['EXISTS', 'z'],
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZREMRANGEBYSCORE', 'z', '(1', '3'], ALL('z'),
      ['ZREMRANGEBYSCORE', 'z', '10', '20'], ['ZREMRANGEBYSCORE', 'z', 'x', '1'], ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
      ['ZADD', 'l', '0', 'a', '0', 'b', '0', 'c', '0', 'd'], ['ZREMRANGEBYLEX', 'l', '(a', '[c'], ALL('l'),
      ['ZREMRANGEBYLEX', 'l', 'a', 'b'], ['ZREMRANGEBYLEX', 'l', '-', '+'], ['EXISTS', 'l'], ['ZREMRANGEBYLEX', 'none', '-', '+'],
      ['ZADD', 'p', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZPOPMIN', 'p'], ['ZPOPMAX', 'p'], ['ZPOPMIN', 'p', '2'],
      ['ZPOPMAX', 'p', '0'], ['ZPOPMAX', 'p', '-1'], ['ZPOPMAX', 'p', 'x'], ['ZPOPMIN', 'p', '1', '2'], ['ZPOPMAX', 'p', '10'],
      ['ZPOPMIN', 'p'], ['ZPOPMIN', 'none', '0'], ['ZPOPMIN', 'none', '-1'], ['EXISTS', 'p'],
      ['SET', 's', 'x'], ['ZREM', 's', 'a'], ['ZREMRANGEBYRANK', 's', '0', '1'], ['ZREMRANGEBYSCORE', 's', '0', '1'],
      ['ZREMRANGEBYLEX', 's', '-', '+'], ['ZPOPMIN', 's'], ['ZPOPMAX', 's', '0'],
    );
  });

  it('ZADD/ZINCRBY events, dirty, hits and misses', async () => {
    await pair.sameEffects(
      ['ZADD', 'e', '1', 'a', '2', 'b'], ['ZADD', 'e', '1', 'a'], ['ZADD', 'e', 'CH', '3', 'a', '3', 'c'], ['ZINCRBY', 'e', '1', 'a'],
      ['ZADD', 'e', 'NX', 'INCR', '1', 'a'], ['ZADD', 'e', 'INCR', '+inf', 'a'], ['ZADD', 'e', 'INCR', '-inf', 'a'],
      ['ZADD', 'x', 'XX', '1', 'a'], ['ZSCORE', 'e', 'a'], ['ZSCORE', 'none', 'a'], ['ZRANGE', 'e', '0', '-1'],
      ['ZCARD', 'none'], ['ZMSCORE', 'none', 'a'],
    );
  });
});

describe('encodings and digests', () => {
  it('listpack to skiplist by entries and by member length; stores convert back', async () => {
    for (const c of [pair.real, pair.ours]) {
      await c.send('CONFIG', 'SET', 'zset-max-listpack-entries', '4');
      await c.send('CONFIG', 'SET', 'zset-max-listpack-value', '8');
    }
    try {
      await pair.same(
        ['ZADD', 'a', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['ZADD', 'b', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
        ['ZADD', 'c', '1', 'short'], ['ZADD', 'c', '2', '123456789'], ['ZADD', 'd', '1', '123456789'],
        ['ZADD', 'e', '1', '12345678'], ['ZINCRBY', 'f', '1', 'x'.repeat(9)], ['ZADD', 'g', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
        ['ZREM', 'g', 'a', 'b', 'c'], ['ZRANGESTORE', 'h', 'g', '0', '-1'], ['ZRANGESTORE', 'i', 'b', '0', '-1'],
        ['ZRANGESTORE', 'j', 'c', '0', '0'], ['ZADD', 'k', '1', 'a'],
      );
      await sameEncodings(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
      // -0 survives in a skiplist only: a rank range's destination is sized up front, others convert as they grow.
      await pair.same(
        ['ZADD', 'nz', '-0', 'zzzzzzzzzz', '-0', 'a', '-0', 'b', '-0', 'c', '-0', 'd', '-0', 'e', '-0', 'f'], ['ZREM', 'nz', 'zzzzzzzzzz'],
        ['ZRANGESTORE', 'r1', 'nz', '0', '-1'], ['ZRANGESTORE', 'r2', 'nz', '-inf', '+inf', 'BYSCORE'], ['ZRANGESTORE', 'r3', 'nz', '-', '+', 'BYLEX'],
        ['ZRANGESTORE', 'r4', 'nz', '0', '2'], ALL('r1'), ALL('r2'), ALL('r3'), ALL('r4'),
        ['ZADD', 'r5', '-0', 'a', '-0', 'b', '-0', 'c', '-0', 'd', '-0', 'e'], ALL('r5'),
      );
      await sameEncodings(['nz', 'r1', 'r2', 'r3', 'r4', 'r5']);
      for (const c of [pair.real, pair.ours]) await c.send('CONFIG', 'SET', 'zset-max-listpack-entries', '0');
      await pair.same(['ZADD', 'k2', '1', 'a'], ['ZADD', 'k', '2', 'b'], ['ZRANGESTORE', 'k3', 'k', '0', '-1'],
        ['ZRANGESTORE', 'k4', 'k', '-inf', '+inf', 'BYSCORE']);
      await sameEncodings(['k', 'k2', 'k3', 'k4']);
    } finally {
      for (const c of [pair.real, pair.ours]) {
        await c.send('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
        await c.send('CONFIG', 'SET', 'zset-max-listpack-value', '64');
      }
    }
  });

  it('DEBUG DIGEST-VALUE, COPY, TYPE, OBJECT ENCODING', async () => {
    await pair.same(
      ['ZADD', 'd', '1.1', 'a', '-0', 'b', '1e308', 'c', '5e-324', '12', '-inf', 'x', '3', BIN],
      ['ZADD', 'ds', '1.1', 'a', '2', 'x'.repeat(100), '-0', 'n', '7', '123'],
      ['DEBUG', 'DIGEST-VALUE', 'd', 'ds'], ['TYPE', 'd'], ['OBJECT', 'ENCODING', 'd'], ['OBJECT', 'ENCODING', 'ds'],
      ['COPY', 'ds', 'ds2'], ['DEBUG', 'DIGEST-VALUE', 'ds2'], ['OBJECT', 'ENCODING', 'ds2'], ['ZRANGE', 'ds2', '0', '-1', 'WITHSCORES'],
      ['ZADD', 'ds2', '5', 'new'], ['ZCARD', 'ds'], ['DEBUG', 'DIGEST'],
    );
  });
});

describe('DEBUG OBJECT serializedlength', () => {
  it('listpack blobs (with and without compression) and skiplists', async () => {
    const big: string[] = [];
    for (let i = 0; i < 150; i++) big.push(String(i * 1.5), 'member' + i);
    const keys: Record<string, string[]> = {
      s1: ['1', 'a'], s2: ['0', '0', '-0', 'x', '127', '128', '-4096', '4095', '-4097', '32767', '-32769', '-32769'],
      s3: ['8388607', 'a', '8388608', 'b', '2147483648', 'c', '1.1', 'd', '1e308', 'e', '-inf', 'f', '5e-324', 'g'],
      s4: ['1', 'y'.repeat(63), '2', 'z'.repeat(64)], s5: ['1', '9223372036854775807', '2', '-9223372036854775808', '3', '01', '4', '-0'],
      s6: ['1', 'abcabcabcabcabcabcabcabcabc', '2', 'abcabcabcabcabcabcabcabcabd'], big,
      long: ['1', 'q'.repeat(100), '2', 'r'], many: Array.from({ length: 60 }, (_, i) => [String(i % 5), 'm' + i]).flat(),
    };
    for (const [k, args] of Object.entries(keys)) for (const c of [pair.real, pair.ours]) await c.send('ZADD', k, ...args);
    const len = (raw: Buffer): string => /serializedlength:(\d+)/.exec(raw.toString('latin1'))?.[1] ?? '?';
    for (const compression of ['yes', 'no']) {
      for (const c of [pair.real, pair.ours]) await c.send('CONFIG', 'SET', 'rdbcompression', compression);
      for (const k of Object.keys(keys)) {
        const a = await pair.real.send('DEBUG', 'OBJECT', k);
        const b = await pair.ours.send('DEBUG', 'OBJECT', k);
        expect(len(a.raw), k + ' ' + a.raw.toString('latin1')).not.toBe('?');
        expect(len(b.raw), `serializedlength of ${k}, rdbcompression ${compression}`).toBe(len(a.raw));
      }
    }
    await pair.real.send('CONFIG', 'SET', 'rdbcompression', 'yes');
    await pair.ours.send('CONFIG', 'SET', 'rdbcompression', 'yes');
  });
});

describe('RESP3', () => {
  it('doubles and WITHSCORES pairs', async () => {
    const conns = await pair.connect();
    for (const c of [conns.real, conns.ours]) await c.send('HELLO', '3');
    await pair.sameOn(conns,
      ['ZADD', 'r3', '1.1', 'a', '2', 'b', '+inf', 'c', '-0', 'd'], ['ZSCORE', 'r3', 'a'], ['ZSCORE', 'r3', 'c'],
      ['ZMSCORE', 'r3', 'a', 'zz'], ['ZINCRBY', 'r3', '1', 'a'], ['ZADD', 'r3', 'INCR', '1', 'b'], ['ZADD', 'r3', 'XX', 'INCR', '1', 'q'],
      ['ZRANGE', 'r3', '0', '-1'], ['ZRANGE', 'r3', '0', '-1', 'WITHSCORES'], ['ZREVRANGE', 'r3', '0', '1', 'WITHSCORES'],
      ['ZRANGEBYSCORE', 'r3', '-inf', '+inf', 'WITHSCORES'], ['ZRANK', 'r3', 'nope'], ['ZSCORE', 'r3', 'nope'],
      ['ZPOPMIN', 'r3'], ['ZPOPMAX', 'r3', '1'], ['ZPOPMIN', 'r3', '5'], ['ZPOPMIN', 'r3', '0'], ['ZPOPMIN', 'r3'],
      ['ZRANGE', 'nokey', '0', '-1', 'WITHSCORES'],
    );
  });
});

describe('set operations', () => {
  const setup: StepLike[] = [
    ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z', '-inf', 'lo'], ['ZADD', 'b', '10', 'y', '20', 'z', '30', 'w', '+inf', 'lo'],
    ['ZADD', 'c', '5', 'z'], ['SADD', 's', 'x', 'z', 'q'], ['SET', 'str', 'v'],
  ];

  it('ZUNION ZINTER ZDIFF with WEIGHTS, AGGREGATE, WITHSCORES, sets as inputs', async () => {
    await pair.same(...setup,
      ['ZUNION', '2', 'a', 'b'], ['ZUNION', '2', 'a', 'b', 'WITHSCORES'], ['ZUNION', '3', 'a', 'b', 's', 'WITHSCORES'],
      ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '2', '0.5', 'WITHSCORES'], ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'],
      ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'max', 'WEIGHTS', '1', '-1', 'withscores'], ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '0', '0', 'WITHSCORES'],
      ['ZUNION', '1', 'none'], ['ZUNION', '2', 'a', 'none', 'WITHSCORES'], ['ZINTER', '2', 'a', 'b', 'WITHSCORES'],
      ['ZINTER', '3', 'a', 'b', 'c', 'WITHSCORES'], ['ZINTER', '2', 'a', 's', 'WITHSCORES'], ['ZINTER', '2', 'a', 'a', 'WEIGHTS', '1', '2', 'WITHSCORES'],
      ['ZINTER', '2', 'a', 'b', 'WEIGHTS', 'inf', '0', 'WITHSCORES'], ['ZINTER', '2', 'a', 'none'], ['ZINTER', '2', 'a', 'b', 'AGGREGATE', 'MAX'],
      ['ZDIFF', '2', 'a', 'b', 'WITHSCORES'], ['ZDIFF', '2', 'a', 's'], ['ZDIFF', '1', 'a'], ['ZDIFF', '2', 'none', 'a'], ['ZDIFF', '2', 'a', 'a'],
      ['ZUNION', '0', 'a'], ['ZUNION', '-1', 'a'], ['ZUNION', 'x', 'a'], ['ZUNION', '3', 'a', 'b'], ['ZUNION', '2', 'a', 'str'],
      ['ZUNION', '1', 'a', 'WEIGHTS'], ['ZUNION', '1', 'a', 'WEIGHTS', 'x'], ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1'],
      ['ZUNION', '1', 'a', 'AGGREGATE', 'avg'], ['ZUNION', '1', 'a', 'AGGREGATE'], ['ZUNION', '1', 'a', 'foo'],
      ['ZDIFF', '1', 'a', 'WEIGHTS', '1'], ['ZDIFF', '1', 'a', 'AGGREGATE', 'SUM'], ['ZINTER', '0', 'a'], ['ZDIFF', '0', 'a'],
    );
  });

  it('the STORE variants: events, dirty, destination encodings', async () => {
    await pair.sameEffects(...setup,
      ['ZUNIONSTORE', 'd', '2', 'a', 'b'], ALL('d'), ['ZINTERSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '2', '3'], ALL('d'),
      ['ZDIFFSTORE', 'd', '2', 'a', 'b'], ALL('d'), ['ZINTERSTORE', 'd', '2', 'a', 'none'], ['EXISTS', 'd'],
      ['ZINTERSTORE', 'd', '2', 'a', 'none'], ['ZUNIONSTORE', 'str', '1', 'a'], ['TYPE', 'str'], ['ZUNIONSTORE', 'a', '2', 'a', 'b'], ALL('a'),
      ['ZUNIONSTORE', 'd', '1', 'a', 'WITHSCORES'], ['ZUNIONSTORE', 'd', '0', 'a'], ['ZDIFFSTORE', 'd', '1', 'str'],
      ['ZINTERSTORE', 'd', '2', 's', 's'], ALL('d'),
    );
    await sameEncodings(['d', 'a']);
    for (const c of [pair.real, pair.ours]) await c.send('CONFIG', 'SET', 'zset-max-listpack-entries', '2');
    try {
      await pair.same(['ZADD', 'n', '-0', 'm', '1', 'k'], ['ZUNIONSTORE', 'u1', '1', 'b'], ['ZUNIONSTORE', 'u2', '1', 'c'],
        ['ZUNIONSTORE', 'u3', '2', 'n', 'n', 'WEIGHTS', '1', '0'], ALL('u3'), ['ZRANGESTORE', 'u4', 'b', '0', '1'], ALL('u2'));
      await sameEncodings(['b', 'u1', 'u2', 'u3', 'u4']);
    } finally {
      for (const c of [pair.real, pair.ours]) await c.send('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
    }
  });

  it('ZINTERCARD', async () => {
    await pair.same(...setup,
      ['ZINTERCARD', '2', 'a', 'b'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
      ['ZINTERCARD', '1', 'a', 'LIMIT', '100'], ['ZINTERCARD', '2', 'a', 's'], ['ZINTERCARD', '2', 'a', 'none'],
      ['ZINTERCARD', '1', 'a', 'LIMIT', '-1'], ['ZINTERCARD', '1', 'a', 'LIMIT', 'x'], ['ZINTERCARD', '0', 'a'],
      ['ZINTERCARD', '2', 'a'], ['ZINTERCARD', '1', 'a', 'WITHSCORES'], ['ZINTERCARD', '1', 'a', 'WEIGHTS', '1'], ['ZINTERCARD', '1', 'str'],
    );
  });

  it('ZMPOP', async () => {
    await pair.sameEffects(...setup,
      ['ZMPOP', '1', 'a', 'MIN'], ['ZMPOP', '2', 'none', 'a', 'MAX', 'COUNT', '2'], ['ZMPOP', '1', 'a', 'min', 'count', '10'],
      ['EXISTS', 'a'], ['ZMPOP', '2', 'none', 'a', 'MIN'], ['ZMPOP', '1', 'str', 'MIN'], ['ZMPOP', '2', 'none', 'str', 'MIN'],
      ['ZMPOP', '2', 'b', 'str', 'MIN'], ['ZMPOP', '0', 'a', 'MIN'], ['ZMPOP', 'x', 'a', 'MIN'], ['ZMPOP', '2', 'a', 'MIN'],
      ['ZMPOP', '1', 'a', 'MID'], ['ZMPOP', '1', 'b', 'MIN', 'COUNT', '0'], ['ZMPOP', '1', 'b', 'MIN', 'COUNT', '-1'],
      ['ZMPOP', '1', 'b', 'MIN', 'COUNT'], ['ZMPOP', '1', 'b', 'MIN', 'COUNT', '1', 'COUNT', '1'], ['ZMPOP', '1', 'b', 'MIN', 'foo'],
    );
    const conns = await pair.connect();
    for (const c of [conns.real, conns.ours]) await c.send('HELLO', '3');
    await pair.sameOn(conns, ['ZADD', 'r', '1.5', 'a', '2', 'b'], ['ZMPOP', '1', 'r', 'MAX', 'COUNT', '5'], ['ZMPOP', '1', 'r', 'MAX']);
  });

  it('COMMAND GETKEYS for the movable-key commands', async () => {
    await pair.same(
      ['COMMAND', 'GETKEYS', 'ZUNION', '2', 'a', 'b', 'WITHSCORES'], ['COMMAND', 'GETKEYS', 'ZINTERSTORE', 'd', '2', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'ZDIFFSTORE', 'd', '1', 'a'], ['COMMAND', 'GETKEYS', 'ZINTERCARD', '1', 'a', 'LIMIT', '1'],
      ['COMMAND', 'GETKEYS', 'ZMPOP', '2', 'a', 'b', 'MIN'], ['COMMAND', 'GETKEYS', 'ZRANGESTORE', 'd', 's', '0', '1'],
    );
  });
});

describe('ZRANDMEMBER and ZSCAN', () => {
  it('deterministic cases and errors', async () => {
    await pair.same(
      ['ZADD', 'r', '1', 'a', '2', 'b', '3', 'c'], ['ZRANDMEMBER', 'r', '3'], ['ZRANDMEMBER', 'r', '10', 'WITHSCORES'],
      ['ZRANDMEMBER', 'r', '0'], ['ZRANDMEMBER', 'r', '0', 'WITHSCORES'], ['ZRANDMEMBER', 'none'], ['ZRANDMEMBER', 'none', '5'],
      ['ZRANDMEMBER', 'r', 'x'], ['ZRANDMEMBER', 'r', '1', 'foo'], ['ZRANDMEMBER', 'r', '1', 'WITHSCORES', 'x'],
      ['ZRANDMEMBER', 'r', '-9223372036854775808'], ['ZRANDMEMBER', 'r', '9223372036854775807', 'WITHSCORES'],
      ['ZRANDMEMBER', 'r', '-4611686018427387904', 'WITHSCORES'], ['SET', 's', 'x'], ['ZRANDMEMBER', 's'], ['ZRANDMEMBER', 's', '1'],
      ['ZADD', 'one', '7', 'only'], ['ZRANDMEMBER', 'one'], ['ZRANDMEMBER', 'one', '-3', 'WITHSCORES'], ['ZRANDMEMBER', 'one', '1'],
    );
  });

  it('random picks keep their invariants', async () => {
    const members = Array.from({ length: 200 }, (_, i) => 'm' + i);
    const args = members.flatMap((m, i) => [String(i % 7), m]);
    for (const size of [5, 200]) {
      await pair.ours.send('DEL', 'p');
      await pair.ours.send('ZADD', 'p', ...args.slice(0, size * 2));
      const one = await pair.ours.send('ZRANDMEMBER', 'p');
      expect(members.slice(0, size)).toContain((one.reply as { v: string }).v);
      const uniq = (await pair.ours.send('ZRANDMEMBER', 'p', String(size - 1))).reply as { v: { v: string }[] };
      const got = uniq.v.map((x) => x.v);
      expect(new Set(got).size).toBe(size - 1);
      for (const m of got) expect(members.slice(0, size)).toContain(m);
      const rep = (await pair.ours.send('ZRANDMEMBER', 'p', '-50', 'WITHSCORES')).reply as { v: { v: string }[] };
      expect(rep.v.length).toBe(100);
      for (let i = 0; i < 100; i += 2) {
        const idx = members.indexOf(rep.v[i].v);
        expect(idx >= 0 && idx < size).toBe(true);
        expect(rep.v[i + 1].v).toBe(String(idx % 7));
      }
    }
  });

  it('ZSCAN on a listpack (one page) and on a skiplist (every member once, through all pages)', async () => {
    await pair.same(
      ['ZADD', 'sc', '1', 'a', '2.5', 'b', '-0', 'c', 'inf', 'd'], ['ZSCAN', 'sc', '0'], ['ZSCAN', 'sc', '0', 'MATCH', 'a*'],
      ['ZSCAN', 'sc', '0', 'COUNT', '1'], ['ZSCAN', 'sc', '0', 'COUNT', '0'], ['ZSCAN', 'sc', '0', 'TYPE', 'zset'], ['ZSCAN', 'sc', 'x'],
      ['ZSCAN', 'sc', '0', 'MATCH'], ['ZSCAN', 'none', '0'], ['ZSCAN', 'none', 'x'], ['SET', 's', 'x'], ['ZSCAN', 's', '0'],
    );
    const args: string[] = [];
    for (let i = 0; i < 300; i++) args.push(String(i / 4), 'k' + i);
    for (const c of [pair.real, pair.ours]) await c.send('ZADD', 'big', ...args);
    for (const c of [pair.real, pair.ours]) {
      const seen = new Map<string, string>();
      let cursor = '0';
      do {
        const r = (await c.send('ZSCAN', 'big', cursor, 'COUNT', '17')).reply as unknown as { v: [{ v: string }, { v: { v: string }[] }] };
        cursor = r.v[0].v;
        const items = r.v[1].v;
        for (let i = 0; i < items.length; i += 2) seen.set(items[i].v, items[i + 1].v);
      } while (cursor !== '0');
      expect(seen.size).toBe(300);
      expect(seen.get('k5')).toBe('1.25');
    }
  });

  it('ZSCAN never skips a member present for the whole scan, whatever changes in between', async () => {
    const c = pair.ours;
    const args: string[] = [];
    for (let i = 0; i < 400; i++) args.push(String(i % 9), 'k' + i);
    await c.send('ZADD', 'mut', ...args);
    const seen = new Set<string>();
    let cursor = '0';
    let step = 0;
    do {
      const r = (await c.send('ZSCAN', 'mut', cursor, 'COUNT', '13')).reply as unknown as { v: [{ v: string }, { v: { v: string }[] }] };
      cursor = r.v[0].v;
      for (let i = 0; i < r.v[1].v.length; i += 2) seen.add(r.v[1].v[i].v);
      // Remove some (k300+), add some, rescore some (k0..k99 stay throughout).
      await c.send('ZREM', 'mut', 'k' + (300 + step), 'k' + (350 + step));
      await c.send('ZADD', 'mut', '1', 'new' + step, String(step), 'k' + (step % 100));
      step++;
    } while (cursor !== '0');
    for (let i = 0; i < 100; i++) expect(seen.has('k' + i), 'k' + i).toBe(true);
  });
});

describe('random sorted set commands', () => {
  const fresh = usePair();
  it('20,000 mixed commands, replies and dataset identical', async () => {
    await fresh.random(genZsets, Number(process.env.COMPAT_COUNT ?? 20000));
  });
});

describe('random sorted set commands with tiny listpack limits (frequent conversions)', () => {
  const tiny = usePair({ 'zset-max-listpack-entries': '3', 'zset-max-listpack-value': '2' });
  it('5000 mixed commands, replies and dataset identical', async () => {
    await tiny.random(genZsets, Number(process.env.COMPAT_COUNT ?? 5000));
  });
});
