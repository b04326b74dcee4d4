import { describe, expect, it } from 'vitest';
import { step, usePair, type StepLike } from '../support/pair';
import { unordered } from '../support/harness';
import { encodeCommand } from '../support/resp-reader';
import { genSort } from './gen/sort';

/**
 * SORT and SORT_RO against a real redis-server 7.0: every option and error, lists, sets and
 * sorted sets as sources, numeric and ALPHA ordering, BY and GET patterns (string keys, hash
 * fields, '#'), LIMIT edges, STORE (events, dirty count), RESP3, and a random run.
 */

const pair = usePair();


const NUMS = ['3', '1', '2', '10', '-5', '1.5', '0', '-0', '1e3', '+7', ' 4', '0x10', 'inf', '-inf'];

describe('SORT basics', () => {
  it('numeric sort of lists, ASC and DESC, with duplicates and ties', async () => {
    await pair.same(
      ['RPUSH', 'l', ...NUMS], ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'ASC'], ['sort', 'l', 'desc', 'asc'],
      ['RPUSH', 'd', '2', '1', '2', '01', '1.0', '1', '2.0'], ['SORT', 'd'], ['SORT', 'd', 'DESC'],
      ['RPUSH', 'big', '9223372036854775807', '-9223372036854775808', '9223372036854775806', '1e308', '-1e308'],
      ['SORT', 'big'], ['SORT', 'big', 'DESC'],
    );
  });

  it('numeric conversion errors and what strtod accepts', async () => {
    const steps: StepLike[] = [];
    const vals = ['', ' 1', '1 ', '\t2', '1e-310', '1e-400', '1e400', 'nan', '-nan', 'NaN', 'inf', 'Infinity', '0x1p3', '0x', '1.5e', '.5', '5.', '  ', 'a', '1\x00x', '\x00', '-', '+', 'e5'];
    // Redis's SORT reads strtod's errno without clearing it first: after an ERANGE, later numeric
    // SORTs on the same connection fail until something resets errno. A ZADD (string2d sets
    // errno = 0) does: we send one after every case so that each is judged on its own.
    vals.forEach((v, i) => {
      steps.push(['RPUSH', 'n' + i, '1', v], ['SORT', 'n' + i], ['SORT', 'n' + i, 'DESC'], ['ZADD', 'errno:reset', '1', 'x']);
    });
    await pair.same(...steps);
  });

  it('ALPHA: byte order, NUL bytes, STORE uses binary comparison', async () => {
    await pair.same(
      ['RPUSH', 'a', 'b', 'a', 'B', 'ab', '', '\xff', '\x80', 'a\x00b', 'a\x00c', 'aa', '10', '9', '\x01'],
      ['SORT', 'a', 'ALPHA'], ['SORT', 'a', 'ALPHA', 'DESC'], ['SORT', 'a', 'alpha', 'STORE', 'a2'], ['LRANGE', 'a2', '0', '-1'],
      ['SORT', 'a', 'ALPHA', 'DESC', 'STORE', 'a3'], ['LRANGE', 'a3', '0', '-1'], ['SORT', 'a'],
    );
  });

  it('sets (intset and hashtable) and sorted sets', async () => {
    await pair.same(
      ['SADD', 'si', '5', '3', '-1', '100', '7'], ['SORT', 'si'], ['SORT', 'si', 'DESC'], ['SORT', 'si', 'ALPHA'],
      ['SORT', 'si', 'BY', 'nosort'], ['SORT', 'si', 'BY', 'nosort', 'DESC'], ['SORT', 'si', 'BY', 'nosort', 'LIMIT', '1', '2'],
      ['SADD', 'sh', 'b', 'c', 'a', 'zz', '1', '10', '2'], ['SORT', 'sh', 'ALPHA'], ['SORT', 'sh', 'ALPHA', 'DESC'], ['SORT', 'sh'],
      ['SORT', 'sh', 'ALPHA', 'LIMIT', '2', '3'],
      step(['SORT', 'sh', 'BY', 'nosort'], unordered),
      ['SORT', 'sh', 'BY', 'nosort', 'STORE', 'shs'], ['LRANGE', 'shs', '0', '-1'],
      ['SORT', 'sh', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '3', 'STORE', 'shs'], ['LRANGE', 'shs', '0', '-1'],
      ['SORT', 'si', 'BY', 'nosort', 'STORE', 'sis'], ['LRANGE', 'sis', '0', '-1'],
      ['ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '2', 'bb', '-1', '10', '5', '4'], ['SORT', 'z'], ['SORT', 'z', 'ALPHA'],
      ['SORT', 'z', 'ALPHA', 'DESC'], ['SORT', 'z', 'BY', 'nosort'], ['SORT', 'z', 'BY', 'nosort', 'DESC'],
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '3'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '3'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '0', '2'], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '5', '10'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '5', '10'], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '6', '1'],
      ['SORT', 'z', 'BY', 'nosort', 'STORE', 'zs'], ['LRANGE', 'zs', '0', '-1'],
      ['ZADD', 'zn', '1', '5', '2', '3', '3', '4'], ['SORT', 'zn'], ['SORT', 'zn', 'DESC'],
    );
  });

  it('expired sources and pattern keys count as missing', async () => {
    await pair.same(
      ['RPUSH', 'l', '2', '1'], ['PEXPIRE', 'l', '1'], ['SET', 'w_1', '5'], ['SET', 'w_2', '3'], ['PEXPIRE', 'w_2', '1'],
      ['DEBUG', 'SLEEP', '0.01'], ['SORT', 'l'], ['RPUSH', 'l', '2', '1'], ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_*'],
    );
  });

  it('SORT leaves a sorted set skiplist-encoded', async () => {
    await pair.same(
      ['ZADD', 'z', '1', 'a', '2', 'b'], ['OBJECT', 'ENCODING', 'z'], ['SORT', 'z', 'ALPHA'], ['OBJECT', 'ENCODING', 'z'],
      ['ZADD', 'z2', '1', 'a'], ['SORT_RO', 'z2', 'BY', 'nosort'], ['OBJECT', 'ENCODING', 'z2'],
    );
  });

  it('missing keys, wrong types, syntax errors', async () => {
    await pair.same(
      ['SORT', 'none'], ['SORT', 'none', 'ALPHA', 'LIMIT', '0', '5'], ['SORT', 'none', 'STORE', 'dst'], ['EXISTS', 'dst'],
      ['SORT_RO', 'none'], ['SET', 's', 'v'], ['SORT', 's'], ['SORT', 's', 'STORE', 'dst'], ['HSET', 'h', 'f', 'v'],
      ['SORT', 'h'], ['SORT_RO', 'h'], ['RPUSH', 'l', '2', '1'], ['SORT', 'l', 'NOSUCH'], ['SORT', 'l', 'LIMIT', '0'],
      ['SORT', 'l', 'LIMIT'], ['SORT', 'l', 'BY'], ['SORT', 'l', 'GET'], ['SORT', 'l', 'STORE'],
      ['SORT', 'l', 'LIMIT', 'x', '1'], ['SORT', 'l', 'LIMIT', '0', 'x'], ['SORT', 'l', 'LIMIT', '0', '1.5'],
      ['SORT', 'l', 'LIMIT', '9223372036854775808', '1'], ['SORT', 's', 'NOSUCH'], ['SORT', 's', 'LIMIT', 'x', '1'],
      ['SORT'], ['SORT_RO'], ['SORT', 'l', 'asc\x00x'], ['SORT', 'l', 'DESC\x00'],
      ['SORT_RO', 'l', 'STORE', 'dst'], ['SORT_RO', 'l', 'store'], ['EXISTS', 'dst'], ['SORT_RO', 'l', 'DESC'],
      ['SORT_RO', 'l', 'ALPHA', 'LIMIT', '0', '1'],
    );
  });
});

describe('LIMIT', () => {
  it('offsets and counts at and beyond the edges', async () => {
    const lims = ['0', '1', '-1', '2', '5', '6', '7', '-10', '100', '9223372036854775807', '-9223372036854775808'];
    const steps: StepLike[] = [['RPUSH', 'l', '5', '3', '1', '4', '2', '6'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c']];
    for (const a of lims) {
      for (const b of lims) {
        steps.push(['SORT', 'l', 'LIMIT', a, b], ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', a, b], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', a, b],
          ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', a, b], ['SORT', 'z', 'ALPHA', 'LIMIT', a, b]);
      }
    }
    steps.push(['SORT', 'l', 'LIMIT', '1', '2', 'LIMIT', '0', '1'], ['SORT', 'none', 'LIMIT', '0', '0'], ['SORT', 'none', 'BY', 'x', 'LIMIT', '1', '1']);
    await pair.same(...steps);
  });
});

describe('BY and GET', () => {
  it('BY string keys and hash fields, numeric and ALPHA, missing values', async () => {
    await pair.same(
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['MSET', 'w_a', '3', 'w_b', '1', 'w_c', '2', 'w_d', '1', 'x_a', 'zz', 'x_b', 'yy', 'x_c', 'xx', 'x_e', 'ww'],
      ['HSET', 'h_a', 'f', '9', 'g', 'q'], ['HSET', 'h_b', 'f', '-1', 'g', 'r'], ['HSET', 'h_c', 'f', '4'], ['SET', 'h_d', 'str'],
      ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'DESC'], ['SORT', 'l', 'BY', 'x_*', 'ALPHA'], ['SORT', 'l', 'BY', 'x_*'],
      ['SORT', 'l', 'BY', 'x_*', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'h_*->f'], ['SORT', 'l', 'BY', 'h_*->f', 'DESC'],
      ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA'], ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'h_*->'],
      ['SORT', 'l', 'BY', 'h_*->nof'], ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '1', '2'], ['SORT', 'l', 'BY', 'w_*', 'DESC', 'LIMIT', '0', '3'],
      ['SORT', 'l', 'BY', 'x_*', 'ALPHA', 'LIMIT', '2', '2'], ['SORT', 'l', 'BY', 'x_*', 'ALPHA', 'STORE', 'out'], ['LRANGE', 'out', '0', '-1'],
      ['SORT', 'l', 'BY', '*'], ['SORT', 'l', 'BY', '*', 'ALPHA'], ['SORT', 'l', 'BY', 'nosort', 'DESC'], ['SORT', 'l', 'BY', ''],
      ['SORT', 'l', 'BY', 'w_\x00*'], ['SORT', 'l', 'BY', 'w_*\x00'], ['SORT', 'l', 'BY', 'w_*', 'BY', 'nosort'],
      ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'],
    );
  });

  it('ALPHA BY ties keep the source order (stable sort)', async () => {
    await pair.same(
      ['RPUSH', 'l', 'e', 'd', 'c', 'b', 'a', 'f'], ['MSET', 'k_a', 'x', 'k_b', 'x', 'k_c', 'y', 'k_f', 'x'],
      ['SORT', 'l', 'BY', 'k_*', 'ALPHA'], ['SORT', 'l', 'BY', 'k_*', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'k_*', 'ALPHA', 'STORE', 'o'],
      ['LRANGE', 'o', '0', '-1'], ['SORT', 'l', 'BY', 'nokey_*', 'ALPHA'], ['SORT', 'l', 'BY', 'nokey_*'],
    );
  });

  it('GET patterns, # and hash fields, several at once', async () => {
    await pair.same(
      ['RPUSH', 'l', '3', '1', '2'], ['MSET', 'o_1', 'one', 'o_2', 'two', 'p_3', 'three'],
      ['HSET', 'h_1', 'n', 'uno'], ['HSET', 'h_3', 'n', 'tres'], ['RPUSH', 'o_3', 'x'],
      ['SORT', 'l', 'GET', 'o_*'], ['SORT', 'l', 'GET', '#'], ['SORT', 'l', 'GET', '#', 'GET', 'o_*', 'GET', 'h_*->n', 'GET', 'p_*'],
      ['SORT', 'l', 'GET', 'o_*', 'DESC', 'LIMIT', '1', '5'], ['SORT', 'l', 'GET', 'nostar'], ['SORT', 'l', 'GET', '#\x00x'],
      ['SORT', 'l', 'GET', 'h_*->'], ['SORT', 'l', 'GET', 'h_*->n\x00'], ['SORT', 'l', 'GET', '*'], ['SORT', 'l', 'GET', '*-*'],
      ['SORT', 'l', 'GET', 'o_*', 'STORE', 'dst'], ['LRANGE', 'dst', '0', '-1'],
      ['SORT', 'l', 'GET', '#', 'GET', 'h_*->n', 'STORE', 'dst'], ['LRANGE', 'dst', '0', '-1'],
      ['SORT', 'l', 'BY', 'nosort', 'GET', 'o_*', 'GET', '#'], ['SORT', 'l', 'LIMIT', '0', '0', 'GET', '#'],
      ['SORT', 'none', 'GET', '#'], ['SORT', 'l', 'GET', 'o_*', 'LIMIT', '0', '0', 'STORE', 'dst'], ['EXISTS', 'dst'],
      ['SET', 'h_2', 'notahash'], ['SORT', 'l', 'GET', 'h_*->n', 'BY', 'h_*->n', 'ALPHA'],
      ['HSET', 'h_1', 'n->x', 'arrow'], ['SET', 'h->1', 'pre'], ['SET', '1->', 'post'], ['SET', '1-', 'dash'],
      ['SORT', 'l', 'GET', 'h_*->n->x', 'GET', 'h->*', 'GET', '*->', 'GET', '*-', 'GET', '*->\x00', 'GET', '#', 'GET', '##'],
    );
  });

  it('sets and sorted sets with BY and GET', async () => {
    await pair.same(
      ['SADD', 's', 'a', 'b', 'c', 'd'], ['MSET', 'w_a', '4', 'w_b', '2', 'w_c', '3', 'w_d', '1'],
      ['SORT', 's', 'BY', 'w_*'], ['SORT', 's', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*'], ['SORT', 's', 'BY', 'w_*', 'DESC', 'LIMIT', '1', '2'],
      step(['SORT', 's', 'BY', 'nosort', 'GET', 'w_*'], unordered),
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'], ['SORT', 'z', 'BY', 'w_*'], ['SORT', 'z', 'BY', 'w_*', 'DESC', 'GET', 'w_*'],
      ['SORT', 'z', 'BY', 'nosort', 'GET', 'w_*', 'GET', '#'], ['SORT', 'z', 'BY', 'w_*', 'LIMIT', '1', '2', 'STORE', 'zz'],
      ['LRANGE', 'zz', '0', '-1'],
    );
  });
});

describe('STORE', () => {
  it('stores a list, overwriting any type, deleting on empty; events, dirty, hits and misses', async () => {
    await pair.sameEffects(
      ['RPUSH', 'l', '3', '1', '2'], ['SET', 'dst', 'v'], ['EXPIRE', 'dst', '100'], ['SORT', 'l', 'STORE', 'dst'],
      ['TYPE', 'dst'], ['TTL', 'dst'], ['LRANGE', 'dst', '0', '-1'], ['HSET', 'h', 'f', 'v'], ['SORT', 'l', 'DESC', 'STORE', 'h'],
      ['LRANGE', 'h', '0', '-1'], ['SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'h'], ['EXISTS', 'h'],
      ['SORT', 'none', 'STORE', 'dst'], ['EXISTS', 'dst'], ['SORT', 'none', 'STORE', 'dst'],
      ['SORT', 'l', 'STORE', 'l'], ['LRANGE', 'l', '0', '-1'], ['SORT', 'l', 'STORE', 'a', 'STORE', 'b'], ['EXISTS', 'a', 'b'],
      ['MSET', 'w_1', '2', 'w_2', '1'], ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_*', 'GET', '#', 'STORE', 'c'], ['LRANGE', 'c', '0', '-1'],
      ['SORT', 'l', 'BY', 'x_*->f', 'STORE', 'c'], ['SADD', 's', 'x', 'y'], ['SORT', 's', 'STORE', 'c'], ['SET', 'n', '1'],
      ['SORT', 'l', 'BY', 'nosort', 'STORE', 'c'], ['SORT', 'n', 'STORE', 'c'], ['LRANGE', 'c', '0', '-1'],
      ['SORT_RO', 'l', 'BY', 'w_*', 'GET', 'w_*'], ['SORT', 'l', 'GET', 'nostar', 'STORE', 'c'], ['LRANGE', 'c', '0', '-1'],
      ['DEBUG', 'DIGEST-VALUE', 'c'], ['OBJECT', 'ENCODING', 'c'],
    );
  });
});

describe('STORE and blocked clients', () => {
  it('a list created by STORE serves a client blocked on it (dbAdd signals the key)', async () => {
    const p = await pair.connect();
    const text = (a: { raw: Buffer }): string => a.raw.toString('latin1');
    p.real.writeRaw(encodeCommand(['BLPOP', 'dst', '0']));
    p.ours.writeRaw(encodeCommand(['BLPOP', 'dst', '0']));
    for (const c of [pair.real, pair.ours]) {
      for (let i = 0; ; i++) {
        if (text(await c.send('INFO', 'clients')).includes('blocked_clients:1\r\n')) break;
        if (i > 200) throw new Error('the BLPOP never blocked');
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await pair.same(['RPUSH', 'src', 'b', 'a', 'c'], ['SORT', 'src', 'ALPHA', 'STORE', 'dst']);
    const [a, b] = await Promise.all([p.real.read(), p.ours.read()]);
    expect(text(b)).toBe(text(a));
    await pair.same(['LRANGE', 'dst', '0', '-1']);
  });
});

describe('protocol and metadata', () => {
  it('RESP3 replies', async () => {
    const conns = await pair.connect();
    await pair.sameOn(conns, step(['HELLO', '3'], () => 'hello'), ['RPUSH', 'r3', '2', '1'], ['SORT', 'r3', 'GET', '#', 'GET', 'x_*'],
      ['SORT', 'r3', 'STORE', 'r4'], ['SORT', 'none'], ['SORT', 'r3', 'LIMIT', '5', '1'], ['SORT', 'r3', 'NOSUCH']);
  });

  it('COMMAND INFO and GETKEYS', async () => {
    await pair.same(
      ['COMMAND', 'GETKEYS', 'SORT', 'a'], ['COMMAND', 'GETKEYS', 'SORT', 'a', 'STORE', 'b'],
      ['COMMAND', 'GETKEYS', 'SORT', 'a', 'STORE', 'b', 'store', 'c'], ['COMMAND', 'GETKEYS', 'SORT', 'a', 'LIMIT', 'store', 'x', 'STORE'],
      ['COMMAND', 'GETKEYS', 'SORT', 'a', 'GET', 'store', 'x'], ['COMMAND', 'GETKEYS', 'SORT', 'a', 'BY', 'store', 'STORE', 'y'],
      ['COMMAND', 'GETKEYS', 'SORT_RO', 'a', 'BY', 'x'], ['COMMAND', 'GETKEYS', 'SORT_RO', 'a', 'STORE', 'x'],
    );
  });
});

describe('random', () => {
  it('random SORT calls over lists, sets, zsets, strings and hashes', async () => {
    await pair.random(genSort, 3000);
  });
});
