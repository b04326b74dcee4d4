import { describe, expect, it } from 'vitest';
import { step, usePair, type StepLike } from '../support/pair';
import { sameType } from '../support/harness';
import { OBJ_LIST } from '../../src/engine/object';
import { stringEncoding } from '../../src/engine/types/string';
import { expireOf } from '../../src/engine/commands/keys';
import { genStrings } from './gen/strings';

/**
 * String commands against a real redis-server 7.0: every reply byte for byte, plus what a reply
 * does not show (encodings, TTLs, keyspace events, dirty count, hits/misses) read from the real
 * server's OBJECT/PEXPIRETIME/INFO/pub-sub and from our engine's state. Each test uses its own
 * keys, so nothing depends on the fixture's FLUSHALL.
 */

const pair = usePair();

/** Every byte value once. */
const BIN = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
/** UTF-8 bytes of some non-ASCII text, as binary strings. */
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const UTF = utf8('héllo wörld – 日本語 🎉');

/** A non-string key on both servers (a list), to provoke WRONGTYPE. */
async function makeList(key: string): Promise<void> {
  await pair.real.send('RPUSH', key, 'x');
  const r = await pair.ours.send('RPUSH', key, 'x');
  if (r.reply.t === 'error') pair.engine.dbs[0].setKey(key, OBJ_LIST, ['x']);
}

/** OBJECT ENCODING on the real server = stringEncoding of our object, for each key. */
async function sameEncodings(keys: string[]): Promise<void> {
  for (const key of keys) {
    const r = await pair.real.send('OBJECT', 'ENCODING', key);
    const o = pair.engine.dbs[0].peek(key);
    const ours = o === undefined ? null : stringEncoding(o);
    expect(ours, `OBJECT ENCODING ${key}`).toBe(r.reply.t === 'bulk' ? r.reply.v : null);
  }
}

/**
 * The expire time of each key on both servers: -2 missing, -1 none, else absolute ms
 * (within `tolerance` ms: the servers run the same command a moment apart).
 */
async function sameExpires(keys: string[], tolerance = 3000): Promise<void> {
  for (const key of keys) {
    const r = await pair.real.send('PEXPIRETIME', key);
    const real = BigInt((r.reply as { v: string }).v);
    const o = pair.engine.dbs[0].peek(key);
    let ours = -2n;
    if (o !== undefined) ours = o.expireAt === -1 ? -1n : o.expireAt < Date.now() ? -2n : BigInt(expireOf(o));
    if (real < 0n || ours < 0n) expect(ours, `expire of ${key}`).toBe(real);
    else {
      const d = ours > real ? ours - real : real - ours;
      expect(d <= BigInt(tolerance), `expire of ${key}: ours ${ours}, redis ${real}`).toBe(true);
    }
  }
}


describe('GET and SET', () => {
  it('stores and returns values of any bytes', async () => {
    await pair.same(
      ['SET', 'a1', 'hello'], ['GET', 'a1'], ['SET', 'a1', 'world'], ['GET', 'a1'],
      ['SET', 'a2', ''], ['GET', 'a2'], ['SET', '', 'empty key'], ['GET', ''],
      ['SET', 'a3', BIN], ['GET', 'a3'], ['SET', BIN, 'binary key'], ['GET', BIN],
      ['SET', 'a4', UTF], ['GET', 'a4'], ['SET', UTF, UTF], ['GET', UTF],
      ['SET', 'a5', 'x'.repeat(100000)], ['GET', 'a5'], ['SET', 'a6', '\r\n\r\n'], ['GET', 'a6'],
      ['GET', 'a-missing'], ['get', 'a1'], ['gEt', 'a1'], ['sEt', 'a7', '1'], ['GET', 'a7'],
      ['SET', 'a8', '-9223372036854775808'], ['GET', 'a8'], ['SET', 'a9', '1e308'], ['GET', 'a9'],
    );
  });

  it('arity errors', async () => {
    await pair.same(['SET'], ['SET', 'a10'], ['GET'], ['GET', 'a', 'b'], ['set', 'a10'], ['GET', 'a10']);
  });

  it('keeps the encodings Redis would use', async () => {
    await pair.same(
      ['SET', 'e1', '12345'], ['SET', 'e2', '-9223372036854775808'], ['SET', 'e3', '9223372036854775808'],
      ['SET', 'e4', 'x'.repeat(44)], ['SET', 'e5', 'x'.repeat(45)], ['SET', 'e6', '0'], ['SET', 'e7', '01'],
      ['SET', 'e8', '-0'], ['SET', 'e9', '1.5'], ['SET', 'e10', ''], ['SET', 'e11', '99999999999999999999'],
      ['SET', 'e12', ' 1'], ['SET', 'e13', '12345678901234567890'], ['SET', 'e14', '1'.repeat(45)],
    );
    await sameEncodings(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11', 'e12', 'e13', 'e14']);
  });
});

describe('SET options', () => {
  it('NX, XX and GET', async () => {
    await pair.same(
      ['SET', 'b1', 'v1', 'NX'], ['SET', 'b1', 'v2', 'NX'], ['GET', 'b1'],
      ['SET', 'b1', 'v3', 'XX'], ['GET', 'b1'], ['SET', 'b2', 'v', 'XX'], ['GET', 'b2'],
      ['SET', 'b1', 'v4', 'GET'], ['SET', 'b3', 'v', 'GET'], ['GET', 'b3'],
      ['SET', 'b1', 'v5', 'NX', 'GET'], ['GET', 'b1'], ['SET', 'b4', 'v', 'NX', 'GET'], ['GET', 'b4'],
      ['SET', 'b1', 'v6', 'XX', 'GET'], ['SET', 'b5', 'v', 'XX', 'GET'], ['GET', 'b5'],
      ['SET', 'b1', 'v7', 'GET', 'GET'], ['SET', 'b1', 'v8', 'nx', 'nx'], ['SET', 'b1', 'v9', 'xx', 'Xx'],
      ['SET', 'b1', 'v10', 'get', 'xx'], ['GET', 'b1'],
    );
  });

  it('option conflicts and syntax errors', async () => {
    await pair.same(
      ['SET', 'b6', 'v', 'NX', 'XX'], ['SET', 'b6', 'v', 'XX', 'NX'], ['SET', 'b6', 'v', 'EX', '10', 'PX', '100'],
      ['SET', 'b6', 'v', 'PX', '100', 'EX', '10'], ['SET', 'b6', 'v', 'EX', '10', 'KEEPTTL'], ['SET', 'b6', 'v', 'KEEPTTL', 'EX', '10'],
      ['SET', 'b6', 'v', 'EXAT', '9999999999', 'PXAT', '9999999999999'], ['SET', 'b6', 'v', 'PX', '1000', 'EXAT', '9999999999'],
      ['SET', 'b6', 'v', 'PXAT', '9999999999999', 'EX', '1'], ['SET', 'b6', 'v', 'KEEPTTL', 'PXAT', '9999999999999'],
      ['SET', 'b6', 'v', 'PERSIST'], ['SET', 'b6', 'v', 'EX'], ['SET', 'b6', 'v', 'PX'], ['SET', 'b6', 'v', 'EXAT'],
      ['SET', 'b6', 'v', 'NX', 'EX'], ['SET', 'b6', 'v', 'FOO'], ['SET', 'b6', 'v', ''], ['SET', 'b6', 'v', 'NXX'],
      ['SET', 'b6', 'v', 'E'], ['SET', 'b6', 'v', 'EX', '10', 'FOO'], ['SET', 'b6', 'v', 'EX', 'abc', 'NX', 'XX'],
      ['SET', 'b6', 'v', 'GET', 'NX', 'XX'], ['GET', 'b6'],
    );
  });

  it('keywords end at a NUL byte, as C strings do', async () => {
    await pair.same(
      ['SET', 'b7', 'v', 'NX\x00junk'], ['GET', 'b7'], ['SET', 'b7', 'w', 'xx\x00'], ['GET', 'b7'],
      ['SET', 'b7', 'u', 'GET\x00x'], ['SET', 'b7', 't', 'KEEPTTL\x00'], ['SET', 'b7', 's', 'EX\x00', '100'],
      ['SET', 'b7', 'r', '\x00NX'], ['GET', 'b7'],
    );
    await sameExpires(['b7']);
  });

  it('expire times and their errors', async () => {
    const future = String(Math.floor(Date.now() / 1000) + 100000);
    await pair.same(
      ['SET', 'b8', 'v', 'EX', '100'], ['SET', 'b9', 'v', 'PX', '100000'], ['SET', 'b10', 'v', 'EXAT', future],
      ['SET', 'b11', 'v', 'PXAT', future + '123'], ['SET', 'b12', 'v', 'ex', '100', 'EX', '200'],
      ['SET', 'b13', 'v', 'EXAT', '9223372036854775'], ['SET', 'b14', 'v', 'PXAT', '9223372036854775807'],
      ['SET', 'b15', 'v', 'EX', '0'], ['SET', 'b15', 'v', 'EX', '-1'], ['SET', 'b15', 'v', 'PX', '0'],
      ['SET', 'b15', 'v', 'EX', 'abc'], ['SET', 'b15', 'v', 'EX', '1.5'], ['SET', 'b15', 'v', 'EX', ''],
      ['SET', 'b15', 'v', 'EX', ' 1'], ['SET', 'b15', 'v', 'EX', '01'], ['SET', 'b15', 'v', 'EX', '+1'],
      ['SET', 'b15', 'v', 'EX', '9223372036854775'], ['SET', 'b15', 'v', 'EX', '9223372036854774'],
      ['SET', 'b15', 'v', 'EX', '9223372036854776'], ['SET', 'b15', 'v', 'PX', '9223372036854775807'],
      ['SET', 'b15', 'v', 'PX', '9223372036854000000'], ['SET', 'b15', 'v', 'EXAT', '9223372036854776'],
      ['SET', 'b15', 'v', 'PXAT', '9223372036854775808'], ['SET', 'b15', 'v', 'EXAT', '0'], ['SET', 'b15', 'v', 'PXAT', '-5'],
      ['SET', 'b15', 'v', 'EX', '99999999999999999999'], ['SET', 'b15', 'v', 'EX', '-9223372036854775808'],
      ['GET', 'b15'],
    );
    await sameExpires(['b8', 'b9', 'b10', 'b11', 'b12', 'b15']);
    await sameExpires(['b13', 'b14'], 0);
  });

  it('checks the expire before GET and the key', async () => {
    await makeList('b16');
    await pair.same(
      ['SET', 'b16', 'v', 'EX', '0', 'GET'], ['SET', 'b16', 'v', 'GET', 'EX', 'x'], ['SET', 'b16', 'v', 'GET'],
      ['SET', 'b16', 'v', 'GET', 'NX'], ['SET', 'b16', 'v', 'NX'], ['SET', 'b16', 'v', 'XX', 'GET', 'EX', '100'],
      ['SET', 'b16', 'v', 'EX', '100'], ['GET', 'b16'],
    );
    await sameExpires(['b16']);
  });

  it('KEEPTTL keeps the TTL, other writes drop it', async () => {
    await pair.same(
      ['SET', 'b17', 'v', 'EX', '1000'], ['SET', 'b17', 'w', 'KEEPTTL'], ['SET', 'b18', 'v', 'PX', '5000000'],
      ['SET', 'b18', 'w'], ['SET', 'b19', 'v', 'EX', '1000'], ['SET', 'b19', 'w', 'GET', 'KEEPTTL', 'XX'],
      ['SET', 'b20', 'v', 'KEEPTTL'], ['SET', 'b21', 'v', 'EX', '1000'], ['SET', 'b21', 'w', 'NX', 'KEEPTTL'],
      ['SET', 'b22', 'v', 'EX', '1000'], ['SET', 'b22', 'w', 'EX', '2000'], ['SET', 'b23', 'v', 'EX', '1000'],
      ['GETSET', 'b23', 'w'], ['SET', 'b24', 'v', 'EX', '1000'], ['MSET', 'b24', 'w'],
      ['GET', 'b17'], ['GET', 'b19'], ['GET', 'b21'], ['GET', 'b23'], ['GET', 'b24'],
    );
    await sameExpires(['b17', 'b18', 'b19', 'b20', 'b21', 'b22', 'b23', 'b24']);
  });

  it('an absolute time in the past sets a key that is already gone', async () => {
    await pair.same(
      ['SET', 'b25', 'v', 'PXAT', '1'], ['GET', 'b25'], ['SET', 'b26', 'v', 'EXAT', '1', 'GET'], ['GET', 'b26'],
      ['SET', 'b27', 'v'], ['SET', 'b27', 'w', 'EXAT', '1', 'GET'], ['GET', 'b27'], ['SET', 'b27', 'x', 'NX'],
    );
  });
});

describe('SETNX, SETEX, PSETEX, GETSET', () => {
  it('SETNX', async () => {
    await pair.same(
      ['SETNX', 'c1', 'a'], ['SETNX', 'c1', 'b'], ['GET', 'c1'], ['SETNX', 'c2', ''], ['GET', 'c2'],
      ['SETNX', 'c3'], ['SETNX', 'c3', 'a', 'b'], ['SETNX', 'c4', BIN], ['GET', 'c4'],
    );
  });

  it('SETEX and PSETEX', async () => {
    await pair.same(
      ['SETEX', 'c5', '100', 'v'], ['GET', 'c5'], ['PSETEX', 'c6', '100000', 'w'], ['GET', 'c6'],
      ['SETEX', 'c7', '0', 'v'], ['SETEX', 'c7', '-1', 'v'], ['SETEX', 'c7', 'x', 'v'], ['SETEX', 'c7', '1.5', 'v'],
      ['SETEX', 'c7', '9223372036854775', 'v'], ['SETEX', 'c7', '9223372036854776', 'v'], ['SETEX', 'c7', '', 'v'],
      ['PSETEX', 'c7', '0', 'v'], ['PSETEX', 'c7', '-5', 'v'], ['PSETEX', 'c7', '9223372036854775807', 'v'],
      ['PSETEX', 'c7', 'y', 'v'], ['GET', 'c7'], ['SETEX', 'c7', '10'], ['SETEX', 'c7', '10', 'v', 'x'], ['PSETEX', 'c7'],
      ['SETEX', 'c5', '200', 'v2'], ['GET', 'c5'],
    );
    await sameExpires(['c5', 'c6', 'c7']);
  });

  it('GETSET', async () => {
    await makeList('c8');
    await pair.same(
      ['GETSET', 'c9', 'a'], ['GETSET', 'c9', 'b'], ['GET', 'c9'], ['GETSET', 'c8', 'x'], ['GETSET', 'c9'],
      ['GETSET', 'c9', '123'], ['GETSET', 'c9', BIN], ['GETSET', 'c9', ''], ['GET', 'c9'],
    );
    await pair.same(['GETSET', 'c10', '5']);
    await sameEncodings(['c9', 'c10']);
  });
});

describe('GETEX and GETDEL', () => {
  it('GETEX sets, changes and removes the TTL', async () => {
    const future = String(Math.floor(Date.now() / 1000) + 100000);
    await pair.same(
      ['SET', 'd1', 'v'], ['GETEX', 'd1'], ['GETEX', 'd1', 'EX', '100'], ['SET', 'd2', 'v'], ['GETEX', 'd2', 'PX', '100000'],
      ['SET', 'd3', 'v'], ['GETEX', 'd3', 'EXAT', future], ['SET', 'd4', 'v'], ['GETEX', 'd4', 'PXAT', future + '000'],
      ['SET', 'd5', 'v', 'EX', '100'], ['GETEX', 'd5', 'PERSIST'], ['GETEX', 'd5', 'PERSIST'],
      ['SET', 'd6', 'v', 'EX', '100'], ['GETEX', 'd6'], ['GETEX', 'd6', 'persist', 'PERSIST'],
      ['SET', 'd7', 'v'], ['GETEX', 'd7', 'ex', '100', 'EX', '200'],
    );
    await sameExpires(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']);
  });

  it('GETEX with a past absolute time deletes the key', async () => {
    await pair.same(
      ['SET', 'd8', 'v'], ['GETEX', 'd8', 'EXAT', '1'], ['GET', 'd8'], ['SET', 'd9', BIN], ['GETEX', 'd9', 'PXAT', '1000'],
      ['GETEX', 'd9'], ['SET', 'd10', 'v'], ['GETEX', 'd10', 'EX', '1'], ['GET', 'd10'],
    );
  });

  it('GETEX errors, in Redis order', async () => {
    await makeList('d11');
    await pair.same(
      ['GETEX'], ['GETEX', 'd12', 'EX'], ['GETEX', 'd12', 'EX', 'x'], ['GETEX', 'd12', 'EX', '0'], ['GETEX', 'd12', 'KEEPTTL'],
      ['GETEX', 'd12', 'NX'], ['GETEX', 'd12', 'GET'], ['GETEX', 'd12', 'FOO'], ['GETEX', 'd12', 'EX', '10', 'PX', '10'],
      ['GETEX', 'd12', 'PERSIST', 'EX', '10'], ['GETEX', 'd12', 'EX', '10', 'PERSIST'], ['GETEX', 'd12', 'EXAT', '1', 'PXAT', '1'],
      ['GETEX', 'd11'], ['GETEX', 'd11', 'EX', '0'], ['GETEX', 'd11', 'EX', 'x'], ['GETEX', 'd11', 'PERSIST'], ['GETEX', 'd11', 'BAD'],
      ['SET', 'd12', 'v'], ['GETEX', 'd12', 'EX', '0'], ['GETEX', 'd12', 'EX', '-1'], ['GETEX', 'd12', 'EX', 'abc'],
      ['GETEX', 'd12', 'EX', '9223372036854775'], ['GETEX', 'd12', 'PX', '9223372036854775807'],
      ['GETEX', 'd12', 'EXAT', '9223372036854776'], ['GETEX', 'd12', 'PXAT', '0'], ['GETEX', 'd12', 'persist\x00x'],
      ['GETEX', 'd12', 'EXAT', '9223372036854775'], ['GETEX', 'd12'],
    );
    await sameExpires(['d12'], 0);
  });

  it('GETDEL', async () => {
    await makeList('d13');
    await pair.same(
      ['SET', 'd14', 'v'], ['GETDEL', 'd14'], ['GETDEL', 'd14'], ['GET', 'd14'], ['GETDEL', 'd13'], ['GETDEL'],
      ['GETDEL', 'a', 'b'], ['SET', 'd15', '42', 'EX', '100'], ['GETDEL', 'd15'], ['SET', 'd15', 'w'], ['GET', 'd15'],
    );
    await sameExpires(['d15']);
  });
});

describe('MGET, MSET, MSETNX', () => {
  it('MGET', async () => {
    await makeList('f1');
    await pair.same(
      ['SET', 'f2', 'a'], ['SET', 'f3', BIN], ['MGET', 'f2', 'f3', 'f1', 'f-missing', 'f2'], ['MGET', 'f-missing'], ['MGET'],
    );
  });

  it('MSET', async () => {
    await makeList('f4');
    await pair.same(
      ['MSET', 'f5', '1', 'f6', '2'], ['MGET', 'f5', 'f6'], ['MSET', 'f5', 'a', 'f5', 'b'], ['GET', 'f5'],
      ['MSET', 'f4', 'now a string'], ['GET', 'f4'], ['MSET', 'f7'], ['MSET', 'f7', 'a', 'f8'], ['MSET'],
      ['MSET', 'f7', 'a', 'f8', 'b', 'f9'], ['MGET', 'f7', 'f8', 'f9'], ['MSET', 'f7', ''], ['GET', 'f7'],
    );
  });

  it('MSETNX', async () => {
    await makeList('f10');
    await pair.same(
      ['MSETNX', 'f11', '1', 'f12', '2'], ['MSETNX', 'f12', 'x', 'f13', 'y'], ['MGET', 'f11', 'f12', 'f13'],
      ['MSETNX', 'f13', 'a', 'f13', 'b'], ['GET', 'f13'], ['MSETNX', 'f10', 'x'], ['MSETNX', 'f14', 'x', 'f10', 'y'],
      ['GET', 'f14'], ['MSETNX', 'f14'], ['MSETNX', 'f14', 'a', 'f15'],
    );
  });
});

describe('APPEND and STRLEN', () => {
  it('APPEND', async () => {
    await makeList('g1');
    await pair.same(
      ['APPEND', 'g2', 'Hello'], ['APPEND', 'g2', ' World'], ['GET', 'g2'], ['APPEND', 'g2', ''], ['GET', 'g2'],
      ['APPEND', 'g3', ''], ['GET', 'g3'], ['APPEND', 'g3', BIN], ['APPEND', 'g3', UTF], ['GET', 'g3'],
      ['SET', 'g4', '12'], ['APPEND', 'g4', '34'], ['GET', 'g4'], ['INCR', 'g4'], ['APPEND', 'g4', '5'], ['GET', 'g4'],
      ['APPEND', 'g1', 'x'], ['APPEND', 'g1'], ['APPEND', 'g1', 'a', 'b'], ['APPEND', 'g5', 'x'.repeat(20000)],
      ['APPEND', 'g5', 'y'.repeat(20000)], ['STRLEN', 'g5'],
    );
  });

  it('encodings after APPEND', async () => {
    await pair.same(
      ['APPEND', 'g6', '123'], ['APPEND', 'g7', 'abc'], ['APPEND', 'g8', 'x'.repeat(50)], ['SET', 'g9', '12'],
      ['APPEND', 'g9', ''], ['SET', 'g10', 'abc'], ['APPEND', 'g10', 'd'], ['SET', 'g11', '5'], ['APPEND', 'g11', '5'],
    );
    await sameEncodings(['g6', 'g7', 'g8', 'g9', 'g10', 'g11']);
  });

  it('APPEND keeps the TTL', async () => {
    await pair.same(['SET', 'g12', 'a', 'EX', '1000'], ['APPEND', 'g12', 'b'], ['GET', 'g12']);
    await sameExpires(['g12']);
  });

  it('STRLEN', async () => {
    await makeList('g13');
    await pair.same(
      ['SET', 'g14', 'hello'], ['STRLEN', 'g14'], ['STRLEN', 'g-missing'], ['SET', 'g15', '-12345'], ['STRLEN', 'g15'],
      ['SET', 'g16', ''], ['STRLEN', 'g16'], ['SET', 'g17', UTF], ['STRLEN', 'g17'], ['STRLEN', 'g13'], ['STRLEN'],
      ['STRLEN', 'a', 'b'], ['SETRANGE', 'g18', '5', 'x'], ['STRLEN', 'g18'],
    );
  });
});

describe('GETRANGE, SUBSTR, SETRANGE', () => {
  const IDX = ['0', '1', '3', '4', '5', '10', '11', '12', '100', '-1', '-2', '-5', '-11', '-12', '-100',
    '9223372036854775807', '-9223372036854775808', '-9223372036854775807'];

  it('GETRANGE over every index pair', async () => {
    const steps: StepLike[] = [['SET', 'h1', 'Hello World'], ['SET', 'h2', ''], ['SET', 'h3', '-1234']];
    for (const s of IDX) for (const e of IDX) steps.push(['GETRANGE', 'h1', s, e]);
    for (const s of ['0', '-1', '2', '-3']) for (const e of ['0', '-1', '2', '-10']) {
      steps.push(['GETRANGE', 'h2', s, e], ['GETRANGE', 'h3', s, e], ['SUBSTR', 'h3', s, e], ['GETRANGE', 'h-missing', s, e]);
    }
    await pair.same(...steps);
  });

  it('GETRANGE on buffers and errors', async () => {
    await makeList('h4');
    await pair.same(
      ['SETRANGE', 'h5', '3', 'abc'], ['GETRANGE', 'h5', '0', '-1'], ['GETRANGE', 'h5', '2', '4'], ['GETRANGE', 'h5', '-2', '100'],
      ['GETRANGE', 'h4', '0', '1'], ['GETRANGE', 'h4', 'x', '1'], ['GETRANGE', 'h1', 'x', '1'], ['GETRANGE', 'h1', '0', 'y'],
      ['GETRANGE', 'h1', '1.5', '2'], ['GETRANGE', 'h1', '', '2'], ['GETRANGE', 'h1', '0', '99999999999999999999'],
      ['GETRANGE', 'h1', '0'], ['GETRANGE', 'h1', '0', '1', '2'], ['SUBSTR', 'h1'], ['SUBSTR', 'h4', '0', '0'],
      ['SET', 'h6', BIN], ['GETRANGE', 'h6', '250', '-1'], ['GETRANGE', 'h6', '-3', '-1'], ['SET', 'h7', UTF], ['GETRANGE', 'h7', '1', '2'],
    );
  });

  it('SETRANGE', async () => {
    await makeList('h8');
    await pair.same(
      ['SETRANGE', 'h9', '0', 'Hello'], ['SETRANGE', 'h9', '6', 'World'], ['GET', 'h9'], ['SETRANGE', 'h9', '1', 'a'], ['GET', 'h9'],
      ['SETRANGE', 'h10', '5', ''], ['GET', 'h10'], ['SETRANGE', 'h9', '100', ''], ['GET', 'h9'],
      ['SETRANGE', 'h11', '3', BIN], ['GET', 'h11'], ['SET', 'h12', '1234'], ['SETRANGE', 'h12', '1', '9'], ['GET', 'h12'],
      ['INCR', 'h12'], ['SETRANGE', 'h12', '0', UTF], ['GET', 'h12'],
      ['SETRANGE', 'h8', '0', 'x'], ['SETRANGE', 'h8', '0', ''], ['SETRANGE', 'h8', '-1', 'x'], ['SETRANGE', 'h8', 'x', 'x'],
      ['SETRANGE', 'h13', '-1', 'x'], ['SETRANGE', 'h13', '-1', ''], ['SETRANGE', 'h13', 'abc', 'x'], ['SETRANGE', 'h13', '1.5', 'x'],
      ['SETRANGE', 'h13', '', 'x'], ['SETRANGE', 'h13', '99999999999999999999', 'x'], ['SETRANGE', 'h13', '-9223372036854775808', ''],
      ['SETRANGE', 'h13', '536870911', ''], ['SETRANGE', 'h13', '536870912', 'x'], ['SETRANGE', 'h13', '536870911', 'xy'],
      ['SETRANGE', 'h13', '9223372036854775807', 'x'], ['SETRANGE', 'h13', '9223372036854775807', ''],
      ['SETRANGE', 'h9', '536870912', 'x'], ['SETRANGE', 'h9', '536870912', ''], ['SETRANGE', 'h9', '9223372036854775807', 'x'],
      ['GET', 'h13'], ['SETRANGE', 'h13', '0'], ['SETRANGE', 'h13', '0', 'a', 'b'],
    );
  });

  it('SETRANGE keeps the TTL; encodings', async () => {
    await pair.same(
      ['SET', 'h14', 'abc', 'EX', '1000'], ['SETRANGE', 'h14', '1', 'x'], ['SET', 'h15', '12'], ['SETRANGE', 'h15', '0', ''],
      ['SET', 'h16', '12'], ['SETRANGE', 'h16', '0', '3'], ['SETRANGE', 'h17', '0', '5'], ['SET', 'h18', 'abc'], ['SETRANGE', 'h18', '3', ''],
    );
    await sameExpires(['h14', 'h15']);
    await sameEncodings(['h14', 'h15', 'h16', 'h17', 'h18']);
  });
});

describe('INCR, DECR, INCRBY, DECRBY', () => {
  it('counts', async () => {
    await pair.same(
      ['INCR', 'i1'], ['INCR', 'i1'], ['DECR', 'i1'], ['DECR', 'i2'], ['INCRBY', 'i1', '100'], ['DECRBY', 'i1', '50'],
      ['INCRBY', 'i1', '-1000'], ['DECRBY', 'i1', '-7'], ['GET', 'i1'], ['INCRBY', 'i3', '0'], ['GET', 'i3'],
      ['SET', 'i4', '9007199254740991'], ['INCR', 'i4'], ['INCR', 'i4'], ['INCRBY', 'i4', '9007199254740993'], ['GET', 'i4'],
      ['SET', 'i5', '-9007199254740992'], ['DECR', 'i5'], ['DECRBY', 'i5', '9007199254740991'],
    );
  });

  it('64-bit limits', async () => {
    await pair.same(
      ['SET', 'i6', '9223372036854775806'], ['INCR', 'i6'], ['INCR', 'i6'], ['GET', 'i6'], ['INCRBY', 'i6', '0'],
      ['DECRBY', 'i6', '-1'], ['INCRBY', 'i6', '-9223372036854775808'], ['INCRBY', 'i6', '-1'], ['INCRBY', 'i6', '-1'],
      ['GET', 'i6'], ['DECR', 'i6'], ['SET', 'i7', '-9223372036854775807'], ['DECR', 'i7'], ['DECR', 'i7'],
      ['INCRBY', 'i7', '9223372036854775807'], ['DECRBY', 'i8', '-9223372036854775808'], ['DECRBY', 'i8', '-9223372036854775807'],
      ['INCRBY', 'i9', '-9223372036854775808'], ['DECR', 'i9'], ['INCRBY', 'i9', '9223372036854775807'],
      ['INCRBY', 'i9', '9223372036854775807'], ['INCRBY', 'i10', '9223372036854775808'], ['DECRBY', 'i10', '9223372036854775808'],
      ['SET', 'i11', '9223372036854775807'], ['DECRBY', 'i11', '-1'], ['INCRBY', 'i11', '-9223372036854775808'],
    );
  });

  it('values and increments that are not integers', async () => {
    const bad = ['-0', '0x10', ' 1', '1 ', '1e5', '01', '+1', '', '1.5', '1.0', 'abc', '9223372036854775808',
      '-9223372036854775809', '99999999999999999999', '000', '1\x00', BIN, UTF, 'inf', '--1', '12345678901234567890'];
    const steps: StepLike[] = [];
    bad.forEach((v, n) => steps.push(['SET', 'i12-' + n, v], ['INCR', 'i12-' + n], ['DECRBY', 'i12-' + n, '1'], ['INCRBY', 'i13', v], ['DECRBY', 'i13', v]));
    await makeList('i14');
    steps.push(['INCR', 'i14'], ['DECR', 'i14'], ['INCRBY', 'i14', '1'], ['INCRBY', 'i14', 'x'], ['DECRBY', 'i14', 'x'],
      ['DECRBY', 'i14', '-9223372036854775808'], ['INCR'], ['INCR', 'a', 'b'], ['INCRBY', 'a'], ['DECRBY', 'a', '1', '2'], ['DECR']);
    await pair.same(...steps);
  });

  it('works on buffers, keeps the TTL, ends "int"-encoded', async () => {
    await pair.same(
      ['SETRANGE', 'i15', '0', '41'], ['INCR', 'i15'], ['SET', 'i16', '1', 'EX', '1000'], ['INCRBY', 'i16', '5'],
      ['SET', 'i17', '5'], ['APPEND', 'i17', '0'], ['DECR', 'i17'], ['SET', 'i18', '99999'], ['INCR', 'i18'],
      ['INCR', 'i19'], ['INCRBY', 'i20', '12345678901'],
    );
    await sameExpires(['i16']);
    await sameEncodings(['i15', 'i16', 'i17', 'i18', 'i19', 'i20']);
  });
});

describe('INCRBYFLOAT', () => {
  it('long double arithmetic and formatting', async () => {
    const cases: [string | null, string][] = [
      ['0.1', '0.2'], [null, '0.1'], ['1', '2'], ['10.5', '0.1'], ['-0', '-0'], [null, '-0'], ['1e308', '1e308'],
      ['5.0e3', '2.0e2'], ['0x10', '0x.8'], ['3.0', '1.5'], ['9223372036854775807', '1'], ['-9223372036854775808', '-1'],
      ['18446744073709551617', '0'], ['0.000000000000000005', '0'], ['0.000000000000000015', '0'], ['1e-4950', '0'],
      ['123456789.123456789', '0'], ['1.1', '2.2'], ['1e21', '0'], ['3.14159265358979323846264338327950288', '0'],
      ['0.1', '-0.1'], ['-0.1', '0.05'], ['1e-20', '1'], ['1e5', '1e-5'], ['00012.500', '0'], ['1e30', '1'],
      ['10', '-10'], ['-5', '2.5'], ['17', '0x1p-3'], ['1.7976931348623157e308', '1e308'], ['1e4000', '1e4000'],
      ['0x1.fffffffffffffffep16383', '0'], ['2', '0x1p-16445'], ['1', '-1.00000000000000000001'],
    ];
    const steps: StepLike[] = [];
    cases.forEach(([v, d], n) => {
      if (v !== null) steps.push(['SET', 'j1-' + n, v]);
      steps.push(['INCRBYFLOAT', 'j1-' + n, d], ['GET', 'j1-' + n]);
    });
    await pair.same(...steps);
  });

  it('values Redis refuses', async () => {
    const bad = ['inf', '-inf', 'nan', ' 1', '1 ', '', '1e', '0x', 'abc', '1.5.5', '1e99999', '1e-99999', '1\x00', '\x00',
      'Infinity', '+inf', '0.' + '1'.repeat(5117), '0.' + '1'.repeat(5118), '1e4933', '-1e4933', '1e-4951', '0x1p-16446',
      '0x1p16384', BIN, UTF];
    const steps: StepLike[] = [];
    bad.forEach((v, n) => steps.push(['SET', 'j2-' + n, v], ['INCRBYFLOAT', 'j2-' + n, '1'], ['INCRBYFLOAT', 'j3-' + n, v], ['GET', 'j3-' + n]));
    await makeList('j4');
    steps.push(['INCRBYFLOAT', 'j4', '1'], ['INCRBYFLOAT', 'j4', 'x'], ['SET', 'j5', 'x'], ['INCRBYFLOAT', 'j5', 'y'],
      ['SET', 'j6', '1e4932'], ['INCRBYFLOAT', 'j6', '1e4932'], ['INCRBYFLOAT', 'j6', '-inf'], ['GET', 'j6'],
      ['INCRBYFLOAT'], ['INCRBYFLOAT', 'j6'], ['INCRBYFLOAT', 'j6', '1', '2']);
    await pair.same(...steps);
  });

  it('results are plain strings, the TTL stays', async () => {
    await pair.same(
      ['INCRBYFLOAT', 'j7', '3'], ['SET', 'j8', '1'], ['INCRBYFLOAT', 'j8', '2'], ['INCRBYFLOAT', 'j9', '1.5'],
      ['INCRBYFLOAT', 'j10', '1e30'], ['INCRBYFLOAT', 'j11', '1e300'], ['SET', 'j12', '5', 'EX', '1000'], ['INCRBYFLOAT', 'j12', '0.5'],
      ['INCRBYFLOAT', 'j13', '10'], ['INCR', 'j13'], ['INCRBYFLOAT', 'j14', '10'], ['APPEND', 'j14', '1'], ['INCRBYFLOAT', 'j15', '-7'],
      ['INCRBYFLOAT', 'j16', '12345'], ['SETRANGE', 'j16', '0', ''], ['GETRANGE', 'j16', '1', '2'],
    );
    await sameExpires(['j12']);
    await sameEncodings(['j7', 'j8', 'j9', 'j10', 'j11', 'j12', 'j13', 'j14', 'j15', 'j16']);
  });
});

describe('LCS', () => {
  it('the string, its length and its ranges', async () => {
    await pair.same(
      ['MSET', 'l1', 'ohmytext', 'l2', 'mynewtext'], ['LCS', 'l1', 'l2'], ['LCS', 'l1', 'l2', 'LEN'], ['LCS', 'l1', 'l2', 'IDX'],
      ['LCS', 'l1', 'l2', 'IDX', 'MINMATCHLEN', '4'], ['LCS', 'l1', 'l2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
      ['LCS', 'l1', 'l2', 'IDX', 'WITHMATCHLEN'], ['LCS', 'l1', 'l2', 'WITHMATCHLEN'], ['LCS', 'l1', 'l2', 'MINMATCHLEN', '2'],
      ['LCS', 'l1', 'l2', 'LEN', 'WITHMATCHLEN', 'MINMATCHLEN', '1'], ['LCS', 'l2', 'l1', 'IDX'], ['LCS', 'l1', 'l1', 'IDX'],
      ['LCS', 'l1', 'l-missing'], ['LCS', 'l-missing', 'l1', 'IDX'], ['LCS', 'l-missing', 'l-missing2', 'LEN'],
      ['LCS', 'l1', 'l2', 'idx', 'minmatchlen', '-5', 'withmatchlen'], ['LCS', 'l1', 'l2', 'IDX', 'MINMATCHLEN', '0'],
      ['LCS', 'l1', 'l2', 'IDX', 'MINMATCHLEN', '9223372036854775807'], ['LCS', 'l1', 'l2', 'IDX', 'IDX', 'MINMATCHLEN', '1', 'MINMATCHLEN', '3'],
    );
  });

  it('binary, repeated and integer values', async () => {
    await pair.same(
      ['SET', 'l3', BIN], ['SET', 'l4', BIN.split('').reverse().join('')], ['LCS', 'l3', 'l4'], ['LCS', 'l3', 'l4', 'IDX', 'WITHMATCHLEN'],
      ['SET', 'l5', 'aaaaabbbbbaaaaa'], ['SET', 'l6', 'ababababab'], ['LCS', 'l5', 'l6'], ['LCS', 'l5', 'l6', 'IDX', 'WITHMATCHLEN'],
      ['SET', 'l7', '1234567890'], ['SET', 'l8', '13579'], ['LCS', 'l7', 'l8', 'IDX'], ['LCS', 'l8', 'l7'],
      ['SET', 'l9', UTF], ['SET', 'l10', utf8('hello world 日本')], ['LCS', 'l9', 'l10'], ['LCS', 'l9', 'l10', 'IDX', 'MINMATCHLEN', '3'],
      ['SET', 'l11', ''], ['LCS', 'l11', 'l1'], ['LCS', 'l11', 'l1', 'IDX'], ['SETRANGE', 'l12', '2', 'hello'], ['LCS', 'l12', 'l3', 'IDX'],
      ['SET', 'l13', 'abcdefgh'.repeat(40)], ['SET', 'l14', 'hgfedcba'.repeat(40)], ['LCS', 'l13', 'l14', 'IDX', 'MINMATCHLEN', '2'],
    );
  });

  it('errors, in Redis order', async () => {
    await makeList('l15');
    await pair.same(
      ['SET', 'l16', 'abc'], ['LCS', 'l16', 'l16', 'LEN', 'IDX'], ['LCS', 'l16', 'l16', 'IDX', 'LEN'], ['LCS', 'l16', 'l16', 'FOO'],
      ['LCS', 'l16', 'l16', 'MINMATCHLEN'], ['LCS', 'l16', 'l16', 'MINMATCHLEN', 'x'], ['LCS', 'l16', 'l16', 'MINMATCHLEN', '1.5'],
      ['LCS', 'l16', 'l16', 'LEN', 'FOO', 'IDX'], ['LCS', 'l16', 'l16', 'MINMATCHLEN', 'x', 'FOO'], ['LCS', 'l16', 'l16', 'FOO', 'MINMATCHLEN', 'x'],
      ['LCS', 'l15', 'l16'], ['LCS', 'l16', 'l15', 'FOO'], ['LCS', 'l15', 'l-missing', 'LEN', 'IDX'], ['LCS', 'l16'], ['LCS'],
      ['LCS', 'l16', 'l16', 'len\x00x'], ['LCS', 'l16', 'l16', 'IDX', 'LEN', 'MINMATCHLEN', 'x'],
    );
  });
});

describe('side effects: keyspace events, dirty count, hits and misses', () => {
  it('writes', async () => {
    await makeList('m0');
    const future = String(Math.floor(Date.now() / 1000) + 100000);
    await pair.sameEffects(
      ['SET', 'm1', 'v'], ['SET', 'm1', 'v', 'EX', '100'], ['SET', 'm1', 'w', 'NX'], ['SET', 'm2', 'w', 'XX'], ['SET', 'm1', 'x', 'GET'],
      ['SET', 'm1', 'y', 'KEEPTTL', 'GET'], ['SET', 'm0', 'x', 'GET'], ['SET', 'm1', 'v', 'EX', '0'], ['SETNX', 'm1', 'v'], ['SETNX', 'm3', 'v'],
      ['SETEX', 'm4', '100', 'v'], ['PSETEX', 'm5', '100000', 'v'], ['GETSET', 'm6', 'v'], ['GETSET', 'm6', 'w'],
      ['MSET', 'm7', '1', 'm8', '2', 'm7', '3'], ['MSETNX', 'm7', '1', 'm9', '2'], ['MSETNX', 'm9', '1', 'm10', '2'],
      ['APPEND', 'm11', 'a'], ['APPEND', 'm11', 'b'], ['APPEND', 'm11', ''], ['APPEND', 'm0', 'x'],
      ['SETRANGE', 'm12', '2', 'a'], ['SETRANGE', 'm12', '0', ''], ['SETRANGE', 'm13', '0', ''], ['SETRANGE', 'm12', '0', 'b'],
      ['INCR', 'm14'], ['DECR', 'm14'], ['INCRBY', 'm14', '5'], ['DECRBY', 'm14', '5'], ['INCR', 'm11'], ['INCRBYFLOAT', 'm14', '1.5'],
      ['INCRBYFLOAT', 'm14', 'inf'], ['INCRBYFLOAT', 'm15', '2'],
      ['GETEX', 'm15'], ['GETEX', 'm15', 'EX', '100'], ['GETEX', 'm15', 'PERSIST'], ['GETEX', 'm15', 'PERSIST'], ['GETEX', 'm15', 'EXAT', future],
      ['GETEX', 'm15', 'PXAT', '1'], ['GETEX', 'm15', 'EX', '100'], ['GETEX', 'm-missing', 'EX', '100'], ['GETEX', 'm0'],
      ['GETDEL', 'm14'], ['GETDEL', 'm14'], ['GETDEL', 'm0'], ['SET', 'm16', 'v', 'PXAT', '1'], ['GET', 'm16'],
    );
  });

  it('reads', async () => {
    await makeList('n0');
    await pair.sameEffects(
      ['SET', 'n1', 'hello'], ['GET', 'n1'], ['GET', 'n-missing'], ['GET', 'n0'], ['MGET', 'n1', 'n-missing', 'n0', 'n1'],
      ['STRLEN', 'n1'], ['STRLEN', 'n-missing'], ['GETRANGE', 'n1', '0', '1'], ['GETRANGE', 'n-missing', '0', '1'],
      ['GETRANGE', 'n1', 'x', '1'], ['SUBSTR', 'n1', '0', '1'], ['LCS', 'n1', 'n-missing'], ['LCS', 'n1', 'n0'],
      ['GETSET', 'n-new', 'x'], ['GETSET', 'n1', 'x'], ['SET', 'n1', 'y', 'GET'], ['SET', 'n2', 'y', 'GET'],
      ['GETDEL', 'n1'], ['GETDEL', 'n1'], ['GETEX', 'n2'], ['GETEX', 'n-missing'], ['INCR', 'n3'], ['APPEND', 'n3', '1'],
    );
  });
});

describe('RESP3', () => {
  it('nulls and the LCS map', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns, step(['HELLO', '3'], sameType), ['GET', 'o-missing'], ['SET', 'o1', 'ohmytext'], ['SET', 'o2', 'mynewtext'],
      ['LCS', 'o1', 'o2', 'IDX', 'WITHMATCHLEN'], ['LCS', 'o1', 'o-missing', 'IDX'], ['SET', 'o3', 'v', 'XX'],
      ['SET', 'o3', 'v', 'GET'], ['MGET', 'o1', 'o-missing'], ['GETEX', 'o-missing'], ['GETDEL', 'o-missing'],
      ['INCRBYFLOAT', 'o4', '1.5'], ['SETNX', 'o1', 'x'],
    );
  });
});

describe('with a 1MB proto-max-bulk-len', () => {
  const small = usePair({ 'proto-max-bulk-len': '1048576' });

  it('APPEND and SETRANGE stop at the limit', async () => {
    await small.same(
      ['SETRANGE', 'p1', '1048575', 'x'], ['STRLEN', 'p1'], ['SETRANGE', 'p1', '1048575', 'xy'], ['SETRANGE', 'p1', '1048576', 'x'],
      ['APPEND', 'p1', 'z'], ['APPEND', 'p1', ''], ['SETRANGE', 'p2', '1048576', 'x'], ['SETRANGE', 'p2', '1048575', 'x'],
      ['SET', 'p3', 'x'.repeat(1048570)], ['APPEND', 'p3', '123456'], ['APPEND', 'p3', '1234567'], ['STRLEN', 'p3'],
      ['APPEND', 'p4', 'y'.repeat(1048576)], ['STRLEN', 'p4'], ['APPEND', 'p4', 'y'], ['GETRANGE', 'p4', '-3', '-1'],
    );
  });
});

describe('random string commands', () => {
  // Fresh servers, so the final DEBUG DIGEST sees only what the run made.
  const fresh = usePair();

  it('6000 mixed commands, replies and dataset identical', async () => {
    await fresh.random(genStrings, Number(process.env.COMPAT_COUNT ?? 6000));
    // The encodings too (OBJECT ENCODING on the real server, ours from the engine).
    for (let i = 0; i < 12; i++) {
      const key = 's:' + i;
      const r = await fresh.real.send('OBJECT', 'ENCODING', key);
      const o = fresh.engine.dbs[0].peek(key);
      expect(o === undefined ? null : stringEncoding(o), `OBJECT ENCODING ${key}`).toBe(r.reply.t === 'bulk' ? r.reply.v : null);
    }
  });
});
