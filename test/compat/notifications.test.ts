import { afterEach, describe, expect, it } from 'vitest';
import { usePair } from '../support/pair';
import type { Conn } from '../support/harness';
import { sameRead, sameReads, start, text, type ConnPair as Pair } from '../support/both';

/**
 * Keyspace notifications as subscribers read them: __keyspace@<db>__:<key> (message: the event)
 * and __keyevent@<db>__:<event> (message: the key), selected by notify-keyspace-events. Each test
 * runs commands on the main connection, then publishes a marker; every subscriber must have read
 * the same bytes, in the same order, up to the marker.
 */
const pair = usePair();

const MARKER = 'zz-marker';

/** Everything a subscriber reads up to the marker message, on one side. */
async function drain(c: Conn): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const s = text(await c.read());
    if (s.includes(MARKER)) return out;
    out.push(s);
  }
}

/** Publish the marker, then both sides of every subscriber must have read the same messages. */
async function sameMessages(subs: Pair[]): Promise<string[]> {
  await pair.same(['PUBLISH', MARKER, MARKER]);
  let first: string[] = [];
  for (const [i, s] of subs.entries()) {
    const [a, b] = await Promise.all([drain(s.real), drain(s.ours)]);
    expect(b, `subscriber ${i}`).toEqual(a);
    if (i === 0) first = a;
  }
  return first;
}

/** A subscriber to every keyspace and keyevent channel (and the marker), in RESP2 or RESP3. */
async function subscriber(resp: '2' | '3' = '2'): Promise<Pair> {
  const s = await pair.connect();
  if (resp === '3') {
    start(s, 'HELLO', '3');
    const [a, b] = await Promise.all([s.real.read(), s.ours.read()]);
    expect(b.reply.t).toBe(a.reply.t);
  }
  start(s, 'PSUBSCRIBE', '__keyspace@*', '__keyevent@*');
  start(s, 'SUBSCRIBE', MARKER);
  await sameReads(s, 3);
  return s;
}

const notify = (flags: string) => ['CONFIG', 'SET', 'notify-keyspace-events', flags];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  await pair.same(notify(''), ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
});

/** One or more commands of each class. */
const BY_CLASS: Record<string, string[][]> = {
  g: [['SET', 'g1', 'v'], ['EXPIRE', 'g1', '100'], ['PERSIST', 'g1'], ['RENAME', 'g1', 'g2'], ['COPY', 'g2', 'g3'],
    ['EXPIRE', 'g3', '0'], ['DEL', 'g2', 'nokey'], ['SET', 'g4', '1'], ['MOVE', 'g4', '3'], ['SORT', 'nolist', 'STORE', 'g5']],
  $: [['SET', 's', 'v'], ['APPEND', 's', 'x'], ['SETRANGE', 's', '5', 'y'], ['INCR', 'n'], ['INCRBYFLOAT', 'n', '1.5'],
    ['GETDEL', 's'], ['SETEX', 'e', '100', 'v'], ['MSET', 'a', '1', 'b', '2'], ['GETEX', 'a', 'PERSIST']],
  l: [['RPUSH', 'l', 'a', 'b', 'c'], ['LPOP', 'l'], ['LINSERT', 'l', 'BEFORE', 'c', 'x'], ['LSET', 'l', '0', 'y'],
    ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'], ['LTRIM', 'l', '0', '0'], ['RPOP', 'l']],
  s: [['SADD', 'st', 'a', 'b', 'c'], ['SREM', 'st', 'a'], ['SMOVE', 'st', 'st2', 'b'], ['SINTERSTORE', 'st3', 'st', 'st2'],
    ['SPOP', 'st']],
  h: [['HSET', 'h', 'f', '1', 'g', '2'], ['HINCRBY', 'h', 'f', '2'], ['HINCRBYFLOAT', 'h', 'g', '0.5'], ['HDEL', 'h', 'f', 'g']],
  z: [['ZADD', 'z', '1', 'a', '2', 'b'], ['ZINCRBY', 'z', '1', 'a'], ['ZREM', 'z', 'a'], ['ZUNIONSTORE', 'z2', '1', 'z'],
    ['ZPOPMIN', 'z2'], ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf']],
};
const ALL_COMMANDS = Object.values(BY_CLASS).flat();

describe('which events are published', () => {
  it('each class letter, with keyspace and keyevent channels', async () => {
    const s = await subscriber();
    for (const letter of Object.keys(BY_CLASS)) {
      await pair.same(['FLUSHALL'], notify('KE' + letter), ...ALL_COMMANDS);
      const got = await sameMessages([s]);
      expect(got.length, `class ${letter}`).toBeGreaterThan(0);
    }
  });

  it('K alone, E alone, a class without K or E, A, and the empty set', async () => {
    const s = await subscriber();
    for (const flags of ['K$', 'E$', '$', 'KA', 'EA', 'AKE', 'gKE$lshzxetd', '']) {
      await pair.same(['FLUSHALL'], notify(flags), ['CONFIG', 'GET', 'notify-keyspace-events'], ...ALL_COMMANDS);
      await sameMessages([s]);
    }
  });

  it('letters with nothing to report here (evicted, stream, module) send nothing', async () => {
    const s = await subscriber();
    for (const flags of ['KEe', 'KEt', 'KEd']) {
      await pair.same(['FLUSHALL'], notify(flags), ...ALL_COMMANDS);
      expect(await sameMessages([s])).toEqual([]);
    }
  });

  it('new (n) and keymiss (m) only when named, A does not include them', async () => {
    const s = await subscriber();
    const cmds = [['SET', 'k', 'v'], ['SET', 'k', 'w'], ['GET', 'nokey'], ['GET', 'k'], ['HGET', 'nokey', 'f'],
      ['LPUSH', 'l', 'a'], ['SADD', 'st', 'a'], ['EXISTS', 'nokey'], ['STRLEN', 'nokey'], ['DEL', 'k'],
      ['TYPE', 'nokey'], ['TTL', 'nokey'], ['OBJECT', 'ENCODING', 'nokey'], ['TOUCH', 'nokey'], ['MGET', 'x', 'l', 'y'],
      ['RENAME', 'l', 'l2'], ['COPY', 'l2', 'l3'], ['MOVE', 'l3', '1'], ['SMOVE', 'st', 'st2', 'a'],
      ['LMOVE', 'l2', 'l4', 'LEFT', 'LEFT'], ['SUNIONSTORE', 'u', 'nokey', 'st2'], ['INCR', 'cnt'], ['SETNX', 'cnt', '1'],
      ['LPOP', 'nokey'], ['SMEMBERS', 'nokey'], ['ZSCORE', 'nokey', 'm'], ['SORT', 'nokey']];
    for (const flags of ['KEA', 'KEn', 'KEm', 'KEAnm', 'Km', 'En']) {
      await pair.same(['FLUSHALL'], notify(flags), ...cmds);
      await sameMessages([s]);
    }
  });

  it('keymiss from every kind of read on a missing key, and none from writes', async () => {
    const s = await subscriber();
    const reads = [['GET', 'm'], ['GETRANGE', 'm', '0', '1'], ['STRLEN', 'm'], ['MGET', 'm', 'm2'], ['GETDEL', 'm'],
      ['GETEX', 'm'], ['GETBIT', 'm', '1'], ['BITCOUNT', 'm'], ['BITPOS', 'm', '1'], ['LRANGE', 'm', '0', '-1'],
      ['LLEN', 'm'], ['LINDEX', 'm', '0'], ['LPOS', 'm', 'x'], ['LPOP', 'm'], ['RPOP', 'm'], ['HGET', 'm', 'f'],
      ['HGETALL', 'm'], ['HLEN', 'm'], ['HEXISTS', 'm', 'f'], ['HMGET', 'm', 'f'], ['HRANDFIELD', 'm'],
      ['SMEMBERS', 'm'], ['SISMEMBER', 'm', 'x'], ['SCARD', 'm'], ['SRANDMEMBER', 'm'], ['SPOP', 'm'],
      ['SINTER', 'm', 'm2'], ['SUNION', 'm', 'm2'], ['SDIFF', 'm', 'm2'], ['ZRANGE', 'm', '0', '-1'], ['ZSCORE', 'm', 'x'],
      ['ZCARD', 'm'], ['ZRANK', 'm', 'x'], ['ZPOPMIN', 'm'], ['ZRANDMEMBER', 'm'], ['ZUNION', '2', 'm', 'm2'],
      ['EXISTS', 'm'], ['TYPE', 'm'], ['TTL', 'm'], ['PTTL', 'm'], ['EXPIRETIME', 'm'], ['OBJECT', 'FREQ', 'm'],
      ['OBJECT', 'IDLETIME', 'm'], ['TOUCH', 'm'], ['SORT', 'm'], ['SORT_RO', 'm'], ['LMPOP', '1', 'm', 'LEFT'],
      ['ZMPOP', '1', 'm', 'MIN'], ['SINTERCARD', '1', 'm'], ['BITFIELD_RO', 'm', 'GET', 'u8', '0']];
    const writes = [['SET', 'w1', 'v'], ['APPEND', 'w2', 'x'], ['INCR', 'w3'], ['SETRANGE', 'w4', '0', 'x'], ['SETBIT', 'w5', '0', '1'],
      ['LPUSH', 'w6', 'x'], ['LPUSHX', 'm', 'x'], ['HSET', 'w7', 'f', 'v'], ['HDEL', 'm', 'f'], ['SADD', 'w8', 'x'],
      ['SREM', 'm', 'x'], ['ZADD', 'w9', '1', 'x'], ['ZREM', 'm', 'x'], ['DEL', 'm'], ['EXPIRE', 'm', '10'],
      ['PERSIST', 'm'], ['RENAME', 'm', 'x'], ['SUNIONSTORE', 'w10', 'm'], ['ZUNIONSTORE', 'w11', '1', 'm'],
      ['LMOVE', 'm', 'w12', 'LEFT', 'LEFT'], ['SMOVE', 'm', 'w13', 'x'], ['COPY', 'm', 'w14'], ['MOVE', 'm', '1'],
      ['HINCRBY', 'w15', 'f', '1'], ['ZINCRBY', 'w16', '1', 'x'], ['BITOP', 'OR', 'w17', 'm'], ['GETSET', 'w18', 'v']];
    await pair.same(notify('KEm'), ...reads);
    await sameMessages([s]);
    await pair.same(...writes);
    await sameMessages([s]);
  });

  it('carries the database number', async () => {
    const s = await subscriber();
    await pair.same(notify('KEA'), ['SELECT', '9'], ['SET', 'k', 'v'], ['SWAPDB', '9', '2'], ['SELECT', '2'], ['DEL', 'k'],
      ['SELECT', '15'], ['RPUSH', 'l', 'x'], ['SELECT', '0']);
    await sameMessages([s]);
  });

  it('keys and events with binary bytes', async () => {
    const s = await subscriber();
    await pair.same(notify('KEA'), ['SET', 'a\r\nb\x00\xff', 'v'], ['DEL', 'a\r\nb\x00\xff'], ['SET', '', 'v']);
    await sameMessages([s]);
  });
});

describe('expired events', () => {
  it('from lazy expiry, when a command finds the key expired', async () => {
    const s = await subscriber();
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], notify('KEgxm'), ['SET', 'k', 'v', 'PX', '1'], ['SET', 'k2', 'v', 'PX', '1']);
    await sleep(20);
    await pair.same(['GET', 'k'], ['EXISTS', 'k2'], ['DBSIZE']);
    await sameMessages([s]);
  });

  it('from active expiry, without any command touching the key', async () => {
    const s = await subscriber();
    await pair.same(notify('Ex'), ['SET', 'k', 'v'], ['PEXPIRE', 'k', '25']);
    // The cron deletes it: the subscriber reads the event without anyone asking for the key.
    await sameRead(s);
    await sameMessages([s]);
  });
});

describe('subscribers', () => {
  it('several subscribers, RESP2 and RESP3, patterns and exact channels', async () => {
    const subs = [await subscriber('2'), await subscriber('3'), await subscriber('3')];
    const exact = await pair.connect();
    start(exact, 'SUBSCRIBE', '__keyspace@0__:k', '__keyevent@0__:del', MARKER);
    await sameReads(exact, 3);
    await pair.same(notify('KEA'), ['SET', 'k', 'v'], ['SET', 'other', 'v'], ['DEL', 'k', 'other'], ['LPUSH', 'k', 'x']);
    await sameMessages([...subs, exact]);
  });

  it('a RESP3 client subscribed to its own events gets them before its reply, inside MULTI too', async () => {
    const c = await subscriber('3');
    await pair.same(notify('KEA'));
    for (const argv of [['SET', 'k', 'v'], ['MULTI'], ['INCR', 'n'], ['DEL', 'k'], ['EXEC'], ['PUBLISH', MARKER, MARKER]]) {
      start(c, ...argv);
    }
    const [a, b] = await Promise.all([drain(c.real), drain(c.ours)]);
    expect(b).toEqual(a);
    await sameRead(c); // PUBLISH's own reply
  });
});
