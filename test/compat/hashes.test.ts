import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { unordered, type Normalize } from '../support/harness';
import { showReply, type Reply } from '../support/resp-reader';
import { genHashes, genHashesTinyLimits } from './gen/hashes';

/**
 * Hash commands against a real redis-server 7.0: replies byte for byte (listpack order
 * included), encodings, errors, RESP3, keyspace events / dirty / hits, DEBUG DIGEST, and a random
 * run. Hash-table-encoded hashes are compared as sets where Redis's order is its dict's.
 */

const pair = usePair();

const BIN = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

/** Flat field/value arrays (RESP2 HGETALL, HSCAN items) as a set of pairs. */
const pairsSet: Normalize = (r) => {
  if (r.t === 'map') return r.v.map(([a, b]) => showReply(a) + '=' + showReply(b)).sort();
  if (r.t !== 'array' || !r.v) return showReply(r);
  const out: string[] = [];
  for (let i = 0; i + 1 < r.v.length; i += 2) out.push(showReply(r.v[i]) + '=' + showReply(r.v[i + 1]));
  return out.sort();
};

async function config(name: string, value: string): Promise<void> {
  await pair.same(['CONFIG', 'SET', name, value]);
}

async function withLimits(entries: string, value: string, fn: () => Promise<void>): Promise<void> {
  await config('hash-max-listpack-entries', entries);
  await config('hash-max-listpack-value', value);
  try {
    await fn();
  } finally {
    await config('hash-max-listpack-entries', '512');
    await config('hash-max-listpack-value', '64');
  }
}

function text(r: Reply): string {
  return (r as { v: string }).v;
}


describe('HSET, HGET and the readers', () => {
  it('store and return fields and values of any bytes, in insertion order', async () => {
    await pair.same(
      ['HSET', 'h1', 'a', '1', 'b', '2', 'c', '3'], ['HGET', 'h1', 'a'], ['HGET', 'h1', 'zz'], ['HGET', 'nokey', 'a'],
      ['HSET', 'h1', 'a', 'x', 'd', '4'], ['HGETALL', 'h1'], ['HKEYS', 'h1'], ['HVALS', 'h1'], ['HLEN', 'h1'],
      ['HSET', 'h2', '', '', BIN.slice(0, 60), BIN.slice(200), utf8('日本'), utf8('語')], ['HGETALL', 'h2'],
      ['HGET', 'h2', ''], ['HSTRLEN', 'h2', BIN.slice(0, 60)], ['HSTRLEN', 'h2', 'no'], ['HSTRLEN', 'nokey', 'x'],
      ['HMGET', 'h1', 'a', 'zz', 'b', 'a'], ['HMGET', 'nokey', 'a', 'b'],
      ['HEXISTS', 'h1', 'a'], ['HEXISTS', 'h1', 'zz'], ['HEXISTS', 'nokey', 'a'],
      ['HGETALL', 'nokey'], ['HKEYS', 'nokey'], ['HVALS', 'nokey'], ['HLEN', 'nokey'],
      ['HMSET', 'h3', 'f', 'v', 'g', 'w'], ['HGETALL', 'h3'], ['TYPE', 'h3'], ['OBJECT', 'ENCODING', 'h3'],
      ['HSETNX', 'h3', 'f', 'new'], ['HSETNX', 'h3', 'n', 'new'], ['HSETNX', 'h4', 'a', 'b'], ['HGETALL', 'h3'], ['HGETALL', 'h4'],
      ['hset', 'h5', 'x', '1'], ['HsEt', 'h5', 'x', '2', 'x', '3'], ['HGETALL', 'h5'],
      ['HSET', 'h6', '12', '-5', '9223372036854775807', '-0', '01', '1.5'], ['HGETALL', 'h6'],
    );
  });

  it('HDEL then HSET moves a field to the end; the key goes with its last field', async () => {
    await pair.same(
      ['HSET', 'd1', 'a', '1', 'b', '2', 'c', '3'], ['HDEL', 'd1', 'a'], ['HSET', 'd1', 'a', '9'], ['HGETALL', 'd1'],
      ['HSET', 'd1', 'b', 'upd'], ['HKEYS', 'd1'], ['HDEL', 'd1', 'zz', 'b', 'b'], ['HVALS', 'd1'],
      ['HDEL', 'd1', 'c', 'a', 'more'], ['EXISTS', 'd1'], ['HDEL', 'd1', 'a'], ['HDEL', 'nokey', 'a'],
    );
  });

  it('arity and wrong-type errors', async () => {
    await pair.same(
      ['HSET', 'w1', 'a'], ['HSET', 'w1', 'a', 'b', 'c'], ['HMSET', 'w1', 'a', 'b', 'c'], ['HMSET', 'w1'], ['HSET'],
      ['HSETNX', 'w1', 'a'], ['HGET', 'w1'], ['HMGET', 'w1'], ['HGETALL'], ['HDEL', 'w1'], ['HLEN'], ['HEXISTS', 'w1'],
      ['HSTRLEN', 'w1'], ['HINCRBY', 'w1', 'a'], ['HINCRBYFLOAT', 'w1', 'a'], ['HRANDFIELD'], ['HSCAN', 'w1'], ['EXISTS', 'w1'],
      ['SET', 'str', 'x'],
      ['HSET', 'str', 'a', 'b'], ['HMSET', 'str', 'a', 'b'], ['HSETNX', 'str', 'a', 'b'], ['HGET', 'str', 'a'],
      ['HMGET', 'str', 'a'], ['HGETALL', 'str'], ['HKEYS', 'str'], ['HVALS', 'str'], ['HDEL', 'str', 'a'],
      ['HLEN', 'str'], ['HEXISTS', 'str', 'a'], ['HSTRLEN', 'str', 'a'], ['HINCRBY', 'str', 'a', '1'],
      ['HINCRBYFLOAT', 'str', 'a', '1'], ['HRANDFIELD', 'str'], ['HRANDFIELD', 'str', '2'], ['HSCAN', 'str', '0'],
      ['HSET', 'hh', 'a', 'b'], ['GET', 'hh'], ['APPEND', 'hh', 'x'], ['INCR', 'hh'], ['STRLEN', 'hh'], ['SETRANGE', 'hh', '0', 'x'],
      ['MGET', 'hh', 'str'],
    );
  });
});

describe('HINCRBY and HINCRBYFLOAT', () => {
  it('integers: limits, overflow, non-integer values and increments', async () => {
    await pair.same(
      ['HINCRBY', 'i1', 'a', '5'], ['HINCRBY', 'i1', 'a', '-10'], ['HGET', 'i1', 'a'],
      ['HSET', 'i1', 'max', '9223372036854775807', 'min', '-9223372036854775808', 's', 'abc', 'f', '1.5', 'e', '', 'z', '01', 'sp', ' 1'],
      ['HINCRBY', 'i1', 'max', '1'], ['HINCRBY', 'i1', 'max', '0'], ['HINCRBY', 'i1', 'max', '-1'], ['HINCRBY', 'i1', 'min', '-1'],
      ['HINCRBY', 'i1', 'min', '9223372036854775807'], ['HINCRBY', 'i1', 's', '1'], ['HINCRBY', 'i1', 'f', '1'],
      ['HINCRBY', 'i1', 'e', '1'], ['HINCRBY', 'i1', 'z', '1'], ['HINCRBY', 'i1', 'sp', '1'],
      ['HINCRBY', 'i1', 'a', 'x'], ['HINCRBY', 'i1', 'a', '9223372036854775808'], ['HINCRBY', 'i1', 'a', '1.0'],
      ['HINCRBY', 'i1', 'a', '-9223372036854775808'], ['HGETALL', 'i1'],
      ['HINCRBY', 'nokey2', 'a', 'x'], ['EXISTS', 'nokey2'],
    );
  });

  it('floats: long double arithmetic and formatting, errors', async () => {
    await pair.same(
      ['HINCRBYFLOAT', 'f1', 'a', '10.5'], ['HINCRBYFLOAT', 'f1', 'a', '0.1'], ['HINCRBYFLOAT', 'f1', 'a', '-5.0e3'],
      ['HSET', 'f1', 'i', '17', 's', 'abc', 'big', '1e4932', 'sp', ' 1', 'h', '0x10'],
      ['HINCRBYFLOAT', 'f1', 'i', '0.25'], ['HINCRBYFLOAT', 'f1', 's', '1'], ['HINCRBYFLOAT', 'f1', 'big', '1e4932'],
      ['HINCRBYFLOAT', 'f1', 'sp', '1'], ['HINCRBYFLOAT', 'f1', 'h', '1'],
      ['HINCRBYFLOAT', 'f1', 'a', 'inf'], ['HINCRBYFLOAT', 'f1', 'a', '-inf'], ['HINCRBYFLOAT', 'f1', 'a', 'nan'],
      ['HINCRBYFLOAT', 'f1', 'a', 'x'], ['HINCRBYFLOAT', 'f1', 'a', ''], ['HINCRBYFLOAT', 'f1', 'a', '1e99999'],
      ['HINCRBYFLOAT', 'f1', 'n', '3.0'], ['HINCRBYFLOAT', 'f1', 'n', '1e20'], ['HINCRBYFLOAT', 'f1', 'n', '-1e20'],
      ['HINCRBYFLOAT', 'f1', 'm', '0.1'], ['HINCRBYFLOAT', 'f1', 'm', '0.2'], ['HGETALL', 'f1'], ['OBJECT', 'ENCODING', 'f1'],
      ['HINCRBYFLOAT', 'f2', 'x', '1e300'], ['HINCRBYFLOAT', 'f2', 'x', '1e300'], ['HGET', 'f2', 'x'], ['OBJECT', 'ENCODING', 'f2'],
    );
  });
});

describe('encodings', () => {
  it('listpack until hash-max-listpack-entries is passed, then hashtable for good', async () => {
    await withLimits('4', '8', async () => {
      await pair.same(
        ['HSET', 'e1', 'a', '1', 'b', '2', 'c', '3', 'd', '4'], ['OBJECT', 'ENCODING', 'e1'], ['HGETALL', 'e1'],
        ['HSET', 'e1', 'e', '5'], ['OBJECT', 'ENCODING', 'e1'], ['HDEL', 'e1', 'a', 'b', 'c'],
        ['OBJECT', 'ENCODING', 'e1'], step(['HGETALL', 'e1'], pairsSet), step(['HKEYS', 'e1'], unordered),
        step(['HVALS', 'e1'], unordered), ['HLEN', 'e1'], ['HGET', 'e1', 'e'],
        ['HSET', 'e2', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'], ['OBJECT', 'ENCODING', 'e2'],
        ['HMSET', 'e3', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'], ['OBJECT', 'ENCODING', 'e3'],
        ['HSET', 'e4', 'a', '1', 'a', '2', 'a', '3', 'a', '4', 'a', '5'], ['OBJECT', 'ENCODING', 'e4'],
      );
    });
  });

  it('a field or value longer than hash-max-listpack-value converts, whichever command writes it', async () => {
    await withLimits('128', '8', async () => {
      await pair.same(
        ['HSET', 'v1', 'a', '12345678'], ['OBJECT', 'ENCODING', 'v1'], ['HSET', 'v1', 'b', '123456789'], ['OBJECT', 'ENCODING', 'v1'],
        ['HSET', 'v2', '123456789', 'a'], ['OBJECT', 'ENCODING', 'v2'],
        ['HSETNX', 'v3', 'a', 'b'], ['HSETNX', 'v3', 'a', 'longer than eight'], ['OBJECT', 'ENCODING', 'v3'],
        ['HSETNX', 'v3', 'b', 'longer than eight'], ['OBJECT', 'ENCODING', 'v3'],
        ['HINCRBY', 'v4', 'longfieldname', '1'], ['OBJECT', 'ENCODING', 'v4'],
        ['HINCRBY', 'v5', 'a', '123456789'], ['OBJECT', 'ENCODING', 'v5'],
        ['HINCRBYFLOAT', 'v6', 'a', '1.5'], ['HINCRBYFLOAT', 'v6', 'a', '0.1'], ['OBJECT', 'ENCODING', 'v6'],
        ['HINCRBYFLOAT', 'v7', 'a', '0.3'], ['OBJECT', 'ENCODING', 'v7'],
        // An update that is not longer still checks the length of the arguments first.
        ['HSET', 'v8', 'a', '1'], ['HSET', 'v8', 'a', '1', 'x', 'way too long value'], ['OBJECT', 'ENCODING', 'v8'],
      );
    });
  });

  it('lowering the limits converts at the next write (any HSET), not on reads or deletes', async () => {
    await pair.same(['HSET', 'l1', 'a', '1', 'b', '2', 'c', '3'], ['HSET', 'l2', 'a', '1', 'b', '2', 'c', '3']);
    await withLimits('2', '64', async () => {
      await pair.same(
        ['OBJECT', 'ENCODING', 'l1'], ['HGETALL', 'l1'], ['HDEL', 'l1', 'a'], ['OBJECT', 'ENCODING', 'l1'],
        ['HSET', 'l1', 'b', 'x'], ['OBJECT', 'ENCODING', 'l1'],
        ['HSET', 'l2', 'a', '1'], ['OBJECT', 'ENCODING', 'l2'],
      );
    });
    await withLimits('0', '64', async () => {
      await pair.same(['HSET', 'l3', 'a', '1'], ['OBJECT', 'ENCODING', 'l3'], ['HSETNX', 'l4', 'a', '1'], ['OBJECT', 'ENCODING', 'l4']);
    });
  });

  it('COPY keeps the encoding and is independent', async () => {
    await pair.same(
      ['HSET', 'c1', 'a', '1', 'b', 'x'.repeat(100)], ['COPY', 'c1', 'c2'], ['OBJECT', 'ENCODING', 'c2'], ['HSET', 'c2', 'a', '2'],
      ['HGET', 'c1', 'a'], ['HSET', 'c3', 'a', '1'], ['COPY', 'c3', 'c4'], ['HSET', 'c4', 'z', '1'], ['HGETALL', 'c3'], ['HGETALL', 'c4'],
      ['OBJECT', 'ENCODING', 'c4'],
    );
  });
});

describe('DEBUG DIGEST and DEBUG OBJECT', () => {
  it('DIGEST-VALUE matches Redis for listpack and hashtable hashes', async () => {
    await pair.same(
      ['HSET', 'g1', 'a', '1', 'b', '2'], ['HSET', 'g2', 'b', '2', 'a', '1'], ['HSET', 'g3', 'x', 'y'.repeat(100), '', BIN],
      ['DEBUG', 'DIGEST-VALUE', 'g1', 'g2', 'g3'], ['DEBUG', 'DIGEST'],
    );
  });

  it('serializedlength matches Redis (listpack blob, compressed or not; hashtable)', async () => {
    const fields: string[] = [];
    for (let i = 0; i < 40; i++) fields.push('field' + i, i % 3 === 0 ? String(i * 1000 - 7000) : 'value' + i);
    await pair.same(
      ['HSET', 's1', 'a', '1'], ['HSET', 's2', ...fields],
      ['HSET', 's3', 'n', '-1', 'm', '4095', 'k', '-32768', 'j', '8388607', 'i', '2147483648', 'h', '-9223372036854775808', 'g', 'x'.repeat(70)],
      ['HSET', 's4', 'a', 'y'.repeat(70), 'b', '123', 'c', '12345678901', 'd', 'z'.repeat(5000)],
    );
    for (const k of ['s1', 's2', 's3', 's4']) {
      const a = text((await pair.real.send('DEBUG', 'OBJECT', k)).reply);
      const b = text((await pair.ours.send('DEBUG', 'OBJECT', k)).reply);
      const sl = (s: string) => / serializedlength:(\d+)/.exec(s)?.[1];
      expect(sl(b), `serializedlength of ${k}`).toBe(sl(a));
    }
  });
});

describe('HRANDFIELD', () => {
  it('deterministic replies: missing key, count 0, errors, whole-hash counts in listpack order', async () => {
    await pair.same(
      ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '5'], ['HRANDFIELD', 'nokey', '-5', 'WITHVALUES'],
      ['HSET', 'r1', 'a', '1', 'b', '2', 'c', '3'], ['HRANDFIELD', 'r1', '0'], ['HRANDFIELD', 'r1', '0', 'WITHVALUES'],
      ['HRANDFIELD', 'r1', '3'], ['HRANDFIELD', 'r1', '10', 'WITHVALUES'], ['HRANDFIELD', 'r1', '10', 'withvalues'],
      ['HRANDFIELD', 'r1', 'x'], ['HRANDFIELD', 'r1', '1.5'], ['HRANDFIELD', 'r1', '-9223372036854775808'],
      ['HRANDFIELD', 'r1', '9223372036854775807', 'WITHVALUES'], ['HRANDFIELD', 'r1', '4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'r1', '-4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 'r1', '3', 'WITHSCORES'],
      ['HRANDFIELD', 'r1', '3', 'WITHVALUES', 'x'], ['HRANDFIELD', 'nokey', '3', 'foo'], ['HRANDFIELD', 'nokey', 'x'],
      ['HSET', 'r2', 'only', 'one'], ['HRANDFIELD', 'r2'], ['HRANDFIELD', 'r2', '-3'], ['HRANDFIELD', 'r2', '-2', 'WITHVALUES'],
      ['HRANDFIELD', 'r2', '1', 'WITHVALUES'],
    );
  });

  it('invariants of random picks: count, distinctness, membership, pairing; listpack order for distinct picks', async () => {
    const kv: string[] = [];
    for (let i = 0; i < 30; i++) kv.push('f' + i, 'v' + i);
    const big: string[] = [];
    for (let i = 0; i < 600; i++) big.push('g' + i, 'w' + i);
    await pair.same(['HSET', 'p1', ...kv], ['HSET', 'p2', ...big], ['OBJECT', 'ENCODING', 'p2']);
    const flat = (r: Reply): string[] => (r.t === 'array' && r.v ? r.v.map(text) : []);
    for (const [k, n, prefix] of [['p1', 30, 'f'], ['p2', 600, 'g']] as const) {
      for (const count of [1, 5, 20, 29, -1, -7, -50, 40]) {
        for (const withvalues of [false, true]) {
          const argv = ['HRANDFIELD', k, String(count), ...(withvalues ? ['WITHVALUES'] : [])];
          const items = flat((await pair.ours.send(...argv)).reply);
          const expectedLen = count > 0 ? Math.min(count, n) : -count;
          expect(items.length, argv.join(' ')).toBe(withvalues ? expectedLen * 2 : expectedLen);
          const fields = withvalues ? items.filter((_, i) => i % 2 === 0) : items;
          for (const f of fields) expect(f.startsWith(prefix) && Number(f.slice(1)) < n, f).toBe(true);
          if (withvalues) for (let i = 0; i < items.length; i += 2) expect(items[i + 1]).toBe('vw'[k === 'p1' ? 0 : 1] + items[i].slice(1));
          if (count > 0) {
            expect(new Set(fields).size, 'distinct').toBe(fields.length);
            if (k === 'p1') {
              const idx = fields.map((f) => Number(f.slice(1)));
              expect(idx, 'listpack order').toEqual([...idx].sort((a, b) => a - b));
            }
          }
        }
      }
      const one = (await pair.ours.send('HRANDFIELD', k)).reply;
      expect(text(one).startsWith(prefix)).toBe(true);
    }
    // Negative counts do repeat (with 3 fields and 60 picks, certainly).
    await pair.same(['HSET', 'p3', 'a', '1', 'b', '2', 'c', '3']);
    const rep = flat((await pair.ours.send('HRANDFIELD', 'p3', '-60')).reply);
    expect(new Set(rep).size).toBe(3);
  });
});

describe('HSCAN', () => {
  it('a listpack comes whole in one call, in order, whatever the cursor and COUNT; MATCH filters fields', async () => {
    await pair.same(
      ['HSET', 'sc1', 'a1', '1', 'b1', '2', 'a2', '3', '', 'empty', 'xa', 'ya'], ['HSCAN', 'sc1', '0'], ['HSCAN', 'sc1', '0', 'COUNT', '1'],
      ['HSCAN', 'sc1', '7'], ['HSCAN', 'sc1', '0', 'MATCH', 'a*'], ['HSCAN', 'sc1', '0', 'MATCH', '*'], ['HSCAN', 'sc1', '0', 'MATCH', '*a'],
      ['HSCAN', 'sc1', '0', 'match', '?1', 'count', '5'], ['HSCAN', 'sc1', '0', 'MATCH', ''], ['HSCAN', 'sc1', '0', 'MATCH', 'y*'],
      ['HSCAN', 'nokey', '0'], ['HSCAN', 'nokey', '0', 'FOO'], ['HSCAN', 'sc1', 'x'], ['HSCAN', 'sc1', '-1'], ['HSCAN', 'sc1', ' 0'],
      ['HSCAN', 'sc1', '0', 'COUNT', '0'], ['HSCAN', 'sc1', '0', 'COUNT', 'x'], ['HSCAN', 'sc1', '0', 'COUNT'], ['HSCAN', 'sc1', '0', 'FOO', 'bar'],
      ['HSCAN', 'sc1', '0', 'TYPE', 'string'], ['HSCAN', 'sc1', '18446744073709551616'], ['HSCAN', 'sc1', ''],
    );
  });

  it('a hashtable: a full pass returns every pair present throughout, even with writes in between', async () => {
    const kv: string[] = [];
    for (let i = 0; i < 700; i++) kv.push('k' + i, 'v' + i);
    await pair.same(['HSET', 'sc2', ...kv], ['OBJECT', 'ENCODING', 'sc2']);
    for (const conn of [pair.real, pair.ours]) {
      const seen = new Map<string, string>();
      let cursor = '0';
      let calls = 0;
      do {
        const r = (await conn.send('HSCAN', 'sc2', cursor, 'COUNT', '25')).reply;
        const [cur, items] = (r as { v: Reply[] }).v;
        cursor = text(cur);
        const list = (items as { v: Reply[] }).v.map(text);
        for (let i = 0; i < list.length; i += 2) seen.set(list[i], list[i + 1]);
        // Delete and add some other fields during the scan (k600.. go, n.. come). Only in the first
        // ten calls: how many calls a pass takes depends on Redis's table (and on its rehashing in
        // the cron), and the two servers must end with the same fields.
        if (calls < 10) {
          await conn.send('HDEL', 'sc2', 'k' + (600 + calls));
          await conn.send('HSET', 'sc2', 'n' + calls, 'x');
        }
        calls++;
      } while (cursor !== '0' && calls < 10000);
      expect(cursor).toBe('0');
      for (let i = 0; i < 600; i++) expect(seen.get('k' + i), 'k' + i).toBe('v' + i);
    }
    await pair.same(
      step(['HSCAN', 'sc2', '0', 'COUNT', '100000', 'MATCH', 'k1*'], (r) => pairsSet((r as { v: Reply[] }).v[1])),
      step(['HGETALL', 'sc2'], pairsSet), ['HLEN', 'sc2'], ['DEBUG', 'DIGEST-VALUE', 'sc2'],
    );
  });
});

describe('RESP3', () => {
  it('HGETALL is a map; HRANDFIELD WITHVALUES gives pairs; nulls', async () => {
    const c = await pair.connect();
    // HELLO's reply carries the client id, which differs: switch both without comparing.
    await c.real.send('HELLO', '3');
    await c.ours.send('HELLO', '3');
    await pair.sameOn(
      c, ['HSET', 'r3', 'a', '1', 'b', '2'], ['HGETALL', 'r3'], ['HGETALL', 'nokey'], ['HKEYS', 'r3'],
      ['HGET', 'r3', 'zz'], ['HMGET', 'r3', 'a', 'zz'], ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'r3', '5', 'WITHVALUES'],
      ['HRANDFIELD', 'r3', '0', 'WITHVALUES'], ['HRANDFIELD', 'nokey', '2', 'WITHVALUES'], ['HSCAN', 'r3', '0'], ['HSCAN', 'nokey', '0'],
      ['HINCRBYFLOAT', 'r3', 'a', '1.5'], ['HINCRBY', 'r3', 'b', '5'], ['HSET', 'r4', 'x', '1'], ['HRANDFIELD', 'r4', '-2', 'WITHVALUES'],
    );
  });
});

describe('side effects', () => {
  it('keyspace events, dirty counts and keyspace hits/misses as Redis', async () => {
    await pair.sameEffects(
      ['HSET', 'x1', 'a', '1', 'b', '2'], ['HSET', 'x1', 'a', '1'], ['HMSET', 'x1', 'c', '3', 'a', '2'], ['HSETNX', 'x1', 'a', '1'],
      ['HSETNX', 'x1', 'z', '1'], ['HGET', 'x1', 'a'], ['HGET', 'nokey', 'a'], ['HMGET', 'x1', 'a'], ['HGETALL', 'x1'], ['HKEYS', 'nokey'],
      ['HLEN', 'x1'], ['HEXISTS', 'x1', 'a'], ['HSTRLEN', 'x1', 'a'], ['HRANDFIELD', 'nokey'], ['HSCAN', 'x1', '0'],
      ['HINCRBY', 'x1', 'n', '5'], ['HINCRBY', 'x1', 'a', 'x'], ['HINCRBYFLOAT', 'x1', 'f', '1.5'], ['HINCRBYFLOAT', 'x1', 'a', 'inf'],
      ['HDEL', 'x1', 'a', 'b', 'nope'], ['HDEL', 'x1', 'nope'], ['HDEL', 'x1', 'c', 'z', 'n', 'f'], ['EXISTS', 'x1'],
      ['HINCRBY', 'x2', 'n', '1'], ['HINCRBYFLOAT', 'x3', 'n', '1'], ['HSET', 'x1', 'a'],
    );
  });
});

describe('random', () => {
  it('random hash commands agree with Redis, and the datasets end identical', async () => {
    await pair.random(genHashes, 20000);
  });

  it('under tiny listpack limits (conversions by entries and by length), as multisets', async () => {
    await withLimits('6', '16', async () => {
      await pair.random(genHashesTinyLimits, 3000);
    });
  });
});
