import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { Conn, rng, startPair, type Normalize } from '../support/harness';
import { showReply } from '../support/resp-reader';

const pair = usePair();

/** DEBUG OBJECT: the address is made up, and the LRU fields depend on when each server's clock ticks. */
const debugObject: Normalize = (r) => {
  if (r.t !== 'simple') return showReply(r);
  return r.v.replace(/^Value at:0x[0-9a-f]+ /, 'Value at:<addr> ').replace(/ lru:\d+ lru_seconds_idle:\d+$/, ' lru:<n> lru_seconds_idle:<n>');
};

const obj = (key: string) => step(['DEBUG', 'OBJECT', key], debugObject);

const helpShape: Normalize = (r) => {
  if (r.t !== 'array' || !r.v) return showReply(r);
  const lines = r.v.map((x) => (x.t === 'simple' ? x.v : '?'));
  return { allSimple: r.v.every((x) => x.t === 'simple'), header: lines[0], footer: lines.slice(-2) };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DEBUG errors and HELP', () => {
  it('unknown subcommands and wrong argument counts', async () => {
    await pair.same(
      ['DEBUG', 'nosuch'], ['debug', 'NoSuch', 'a', 'b'], ['DEBUG', 'populate'], ['DEBUG', 'object'], ['DEBUG', 'object', 'a', 'b'],
      ['DEBUG', 'sleep'], ['DEBUG', 'sleep', '0', '1'], ['DEBUG', 'set-active-expire'], ['DEBUG', 'digest', 'x'],
      ['DEBUG', 'populate', '1', 'a', '1', 'x'], ['DEBUG', 'help', 'x'], ['DEBUG', 'x'.repeat(200)], ['DEBUG', 'a\r\nb'],
      ['DEBUG', 'object\0x', 'k'], ['DeBuG', 'protocol'], ['DEBUG'],
    );
  });

  it('HELP has Redis\'s header and footer', async () => {
    await pair.same(step(['DEBUG', 'HELP'], helpShape), step(['debug', 'help'], helpShape));
  });
});

describe('DEBUG OBJECT', () => {
  it('strings: encodings, refcounts, serialized lengths', async () => {
    const values: [string, string][] = [
      ['s1', 'abc'], ['s2', '12345'], ['s3', '100'], ['s4', '0'], ['s5', '-5'], ['s6', '9999'], ['s7', '10000'],
      ['s8', '2147483647'], ['s9', '2147483648'], ['s10', '-2147483648'], ['s11', '-2147483649'], ['s12', '9223372036854775807'],
      ['s16', 'a'.repeat(20)], ['s17', ''], ['s18', '127'], ['s19', '-128'], ['s20', '32767'], ['s21', '32768'], ['s22', '007'],
      ['s23', ' 1'], ['s24', '1.5'], ['s26', 'x'.repeat(44)], ['s27', 'q'.repeat(45)],
    ];
    await pair.same(...values.map(([k, v]) => ['SET', k, v]), ...values.map(([k]) => obj(k)), obj('nosuch'));
  });

  it('values built in place (APPEND, SETRANGE, INCR)', async () => {
    await pair.same(
      ['SET', 'a', 'hello'], ['APPEND', 'a', ' world'], obj('a'), ['SETRANGE', 'b', '12', 'x'], obj('b'),
      ['SET', 'n', '5'], ['INCR', 'n'], obj('n'), ['INCRBY', 'n', '100000'], obj('n'), ['INCRBYFLOAT', 'f', '3'], obj('f'),
    );
  });

  it('the LRU clock is Redis\'s', async () => {
    await pair.same(['SET', 'k', 'v']);
    const [a, b] = await Promise.all([pair.real.send('DEBUG', 'OBJECT', 'k'), pair.ours.send('DEBUG', 'OBJECT', 'k')]);
    const lru = (s: string) => Number(/ lru:(\d+) /.exec(s)![1]);
    expect(Math.abs(lru(b.raw.toString()) - lru(a.raw.toString()))).toBeLessThanOrEqual(2);
    expect(b.raw.toString()).toMatch(/^\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:2 lru:\d+ lru_seconds_idle:\d+\r\n$/);
  });

  it('sees logically expired keys (no lookup)', async () => {
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'e', 'v', 'PX', '1']);
    await sleep(20);
    await pair.same(obj('e'), ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'], ['GET', 'e'], obj('e'));
  });
});

/**
 * Compressed sizes need servers of their own: Redis's LZF leaves its hash table uninitialised, so
 * once memory of an earlier compressed value is reused, stale entries can find extra matches and
 * the size shifts by a byte or two. Values here are all alive at once and never freed, so no
 * buffer is ever reused, and Redis's sizes are those of a clean table, as ours are.
 */
describe('DEBUG OBJECT serializedlength with LZF (fresh servers, nothing freed)', () => {
  let servers: Awaited<ReturnType<typeof startPair>>;
  let conns: { real: Conn; ours: Conn };
  beforeAll(async () => {
    servers = await startPair({ save: '' });
    conns = { real: await Conn.open(servers.real.port), ours: await Conn.open(servers.ours.port) };
  });
  afterAll(async () => {
    conns.real.close();
    conns.ours.close();
    await servers.stop();
  });

  it('compressible strings', async () => {
    const values: [string, string][] = [
      ['c13', 'x'.repeat(100)], ['c14', 'a'.repeat(30)], ['c15', 'a'.repeat(21)], ['c25', 'abcabcabcabcabcabcabcabcabcabc'],
      ['c27', 'x'.repeat(45)], ['c28', 'hello world '.repeat(50)], ['c29', 'x'.repeat(20000)], ['c30', '\x00\x01\x02'.repeat(40)],
      ['c31', 'y'.repeat(300)], ['c32', 'ab'.repeat(11)], ['c33', 'abcd'.repeat(6)], ['c34', 'a'.repeat(300) + 'b'.repeat(300)],
    ];
    await pair.sameOn(conns, ...values.map(([k, v]) => ['SET', k, v]), ...values.map(([k]) => obj(k)));
    await pair.sameOn(conns, ['CONFIG', 'SET', 'rdbcompression', 'no'], obj('c31'), ['CONFIG', 'SET', 'rdbcompression', 'yes'], obj('c31'));
  });

  it('many generated values', async () => {
    const r = rng(20240607);
    const cmds: string[][] = [];
    const keys: string[] = [];
    const alphabet = 'abcdefghij0123456789 ,.-';
    for (let i = 0; i < 300; i++) {
      let v = '';
      const len = r.int(18, 3000);
      const kind = r.int(0, 3);
      const unit = Array.from({ length: r.int(1, 40) }, () => alphabet[r.int(0, alphabet.length - 1)]).join('');
      while (v.length < len) {
        if (kind === 0) v += unit;
        else if (kind === 1) v += alphabet[r.int(0, alphabet.length - 1)];
        else if (kind === 2) v += r.chance(0.8) ? unit : String.fromCharCode(r.int(0, 255));
        else v += unit.slice(0, r.int(1, unit.length)) + r.int(0, 9);
      }
      cmds.push(['SET', 'z' + i, v.slice(0, len)]);
      keys.push('z' + i);
    }
    await pair.sameOn(conns, ...cmds);
    await pair.sameOn(conns, ...keys.map(obj));
  });
});

describe('DEBUG POPULATE', () => {
  it('creates key:N = value:N, skipping existing keys', async () => {
    await pair.same(
      ['SET', 'key:1', 'mine'], ['DEBUG', 'POPULATE', '3'], ['DBSIZE'], ['MGET', 'key:0', 'key:1', 'key:2', 'key:3'],
      ['DEBUG', 'DIGEST'], obj('key:0'),
    );
  });

  it('prefix and size: values cut or padded with zero bytes', async () => {
    await pair.same(
      ['DEBUG', 'POPULATE', '3', 'p', '10'], ['MGET', 'p:0', 'p:1', 'p:2'], ['DEBUG', 'POPULATE', '2', 'q', '2'], ['MGET', 'q:0', 'q:1'],
      ['DEBUG', 'POPULATE', '2', 'r', '0'], ['MGET', 'r:0', 'r:1'], ['DEBUG', 'POPULATE', '12', '', '7'], ['MGET', ':0', ':11'],
      ['DEBUG', 'POPULATE', '1', 'big', '100'], obj('big:0'), ['DEBUG', 'DIGEST'],
    );
  });

  it('a long prefix is cut like snprintf into 128 bytes; a NUL ends it', async () => {
    const long = 'x'.repeat(130);
    await pair.same(
      ['DEBUG', 'POPULATE', '2', long], ['KEYS', 'x*'], ['DEBUG', 'POPULATE', '1', 'a\0b'], ['KEYS', 'a*'], ['DEBUG', 'DIGEST'],
    );
  });

  it('expired keys are replaced', async () => {
    await pair.same(['SET', 'key:0', 'old', 'PX', '1']);
    await sleep(20);
    await pair.same(['DEBUG', 'POPULATE', '1'], ['GET', 'key:0'], ['TTL', 'key:0']);
  });

  it('count and size errors', async () => {
    await pair.same(
      ['DEBUG', 'POPULATE', '-1'], ['DEBUG', 'POPULATE', 'x'], ['DEBUG', 'POPULATE', '1.5'], ['DEBUG', 'POPULATE', ''],
      ['DEBUG', 'POPULATE', '3', 'p', '-1'], ['DEBUG', 'POPULATE', '3', 'p', 'x'], ['DEBUG', 'POPULATE', 'x', 'p', 'x'],
      ['DEBUG', 'POPULATE', '0'], ['DEBUG', 'POPULATE', '99999999999999999999'], ['DBSIZE'],
    );
  });
});

describe('DEBUG SLEEP and SET-ACTIVE-EXPIRE', () => {
  it('SLEEP blocks the server for the time given', async () => {
    await pair.same(['DEBUG', 'SLEEP', '0'], ['DEBUG', 'SLEEP', 'abc'], ['DEBUG', 'SLEEP', '-1'], ['DEBUG', 'SLEEP', '0.001x']);
    const t0 = Date.now();
    const r = await pair.ours.send('DEBUG', 'SLEEP', '0.1');
    expect(r.raw.toString()).toBe('+OK\r\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
  });

  it('SET-ACTIVE-EXPIRE 0 keeps expired keys in memory until accessed', async () => {
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'v1', 'x', 'PX', '30'], ['SET', 'v2', 'x', 'PX', '30']);
    await sleep(400);
    await pair.same(['DBSIZE'], obj('v1'), ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    await sleep(500);
    await pair.same(['DBSIZE'], obj('v1'), obj('v2'));
  });

  it('takes any integer-ish argument like atoi', async () => {
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', 'x'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '2'], ['DEBUG', 'SET-ACTIVE-EXPIRE', ' 1']);
    expect((pair.engine as unknown as { activeExpireEnabled: boolean }).activeExpireEnabled).toBe(true);
  });
});

describe('DEBUG PROTOCOL and ERROR', () => {
  const types = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false', 'nosuch', 'STRING'];

  it('RESP2', async () => {
    await pair.same(...types.map((t) => ['DEBUG', 'PROTOCOL', t]));
  });

  it('RESP3', async () => {
    const conns = await pair.connect();
    await pair.sameOn(conns, step(['HELLO', '3'], () => 'hello'), ...types.filter((t) => t !== 'push').map((t) => ['DEBUG', 'PROTOCOL', t]));
    // a push reply comes first, then the real reply
    conns.real.writeRaw('*3\r\n$5\r\nDEBUG\r\n$8\r\nPROTOCOL\r\n$4\r\npush\r\n');
    conns.ours.writeRaw('*3\r\n$5\r\nDEBUG\r\n$8\r\nPROTOCOL\r\n$4\r\npush\r\n');
    for (let i = 0; i < 2; i++) {
      const [a, b] = [await conns.real.read(), await conns.ours.read()];
      expect(b.raw.toString('latin1')).toBe(a.raw.toString('latin1'));
    }
  });

  it('ERROR replies with the text given, newlines flattened', async () => {
    await pair.same(['DEBUG', 'ERROR', 'MYERR something'], ['DEBUG', 'ERROR', 'a\r\nb'], ['DEBUG', 'ERROR', ''], ['DEBUG', 'ERROR', 'ERR x']);
  });
});
