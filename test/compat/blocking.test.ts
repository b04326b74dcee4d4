import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { hello, infoShape, sameRead, start, text, type ConnPair as Pair } from '../support/both';

/**
 * Blocking commands (BLPOP & co., BZPOPMIN & co., CLIENT UNBLOCK) with several connections to
 * each server: what the blocked clients eventually read must be the same bytes on both.
 */
const pair = usePair();

async function clientId(p: Pair): Promise<{ real: string; ours: string }> {
  const [a, b] = await Promise.all([p.real.send('CLIENT', 'ID'), p.ours.send('CLIENT', 'ID')]);
  return { real: text(a).slice(1, -2), ours: text(b).slice(1, -2) };
}

describe('blocking lists', () => {
  it('answers at once when there is data, like the non-blocking forms', async () => {
    await pair.same(
      ['RPUSH', 'a', '1', '2', '3'], ['BLPOP', 'nokey', 'a', '0'], ['BRPOP', 'a', '0'],
      ['RPUSH', 'b', 'x', 'y'], ['BLMOVE', 'b', 'c', 'LEFT', 'RIGHT', '0'], ['BRPOPLPUSH', 'b', 'c', '0'],
      ['LRANGE', 'c', '0', '-1'], ['RPUSH', 'd', '1', '2', '3'],
      ['BLMPOP', '0', '2', 'nokey', 'd', 'RIGHT', 'COUNT', '2'], ['BLMPOP', '0', '1', 'd', 'LEFT'],
      ['EXISTS', 'd'],
    );
  });

  it('checks arguments, types and timeouts', async () => {
    await pair.same(
      ['SET', 's', 'x'], ['BLPOP', 's', '0'], ['BLPOP', 'nokey', 's', '0'], ['BRPOPLPUSH', 's', 'd', '0'],
      ['BLMOVE', 's', 'd', 'LEFT', 'RIGHT', '0'], ['BLMPOP', '0', '1', 's', 'LEFT'],
      ['BLPOP', 'a', 'x'], ['BLPOP', 'a', '-1'], ['BLPOP', 'a', 'nan'],
      ['BLPOP', 'a', ' 1'], ['BLPOP', 'a', '1e400'], ['BLPOP', 'a', '1e5000'],
      ['BLPOP', 'a', '-0.0015'], ['BLPOP', 'a', '0x'], ['BLPOP', 'a', 'inf'], ['BLPOP', 'a', '-inf'], ['BLPOP', 'a'],
      ['BLMOVE', 'a', 'b', 'UP', 'LEFT', 'x'], ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', 'x'],
      ['BLMPOP', '0', '0', 'a', 'LEFT'], ['BLMPOP', 'x', '1', 'a', 'LEFT'], ['BLMPOP', '0', '1', 'a', 'UP'],
      ['BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '0'], ['BLMPOP', '0', '2', 'a', 'LEFT'],
      ['BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '1'],
      ['BLMPOP', '-1', '1', 'a', 'LEFT'],
      step(['COMMAND', 'INFO', 'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop', 'client|unblock'], infoShape),
      ['COMMAND', 'GETKEYS', 'BLMPOP', '0', '2', 'a', 'b', 'LEFT', 'COUNT', '3'],
      ['COMMAND', 'GETKEYS', 'BLPOP', 'a', 'b', '0'],
    );
  });

  it('wakes BLPOP with a push from another client', async () => {
    const a = await pair.connect();
    start(a, 'BLPOP', 'q', 'q2', '0');
    await pair.waitBlocked(1);
    await pair.same(['CLIENT', 'LIST', 'ID', '0'], ['RPUSH', 'q2', 'v1', 'v2'], ['LRANGE', 'q2', '0', '-1']);
    await sameRead(a);
    await pair.waitBlocked(0);
  });

  it('serves blocked clients in FIFO order', async () => {
    const cs = [await pair.connect(), await pair.connect(), await pair.connect()];
    for (let i = 0; i < 3; i++) {
      start(cs[i], 'BRPOP', 'x', 'q', '0');
      await pair.waitBlocked(i + 1);
    }
    await pair.same(['LPUSH', 'q', 'a', 'b']);
    expect(await sameRead(cs[0])).toContain('a');
    expect(await sameRead(cs[1])).toContain('b');
    await pair.waitBlocked(1);
    await pair.same(['RPUSH', 'x', 'c', 'd'], ['LRANGE', 'x', '0', '-1']);
    await sameRead(cs[2]);
    await pair.waitBlocked(0);
  });

  it('times out with a null reply, in RESP2 and RESP3', async () => {
    const a = await pair.connect();
    const steps: string[][] = [
      ['BLPOP', 'q', '0.05'], ['BRPOP', 'q', '0.01'], ['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0.01'],
      ['BRPOPLPUSH', 'q', 'd', '0.01'], ['BLMPOP', '0.01', '1', 'q', 'LEFT'],
      ['BZPOPMIN', 'z', '0.01'], ['BZPOPMAX', 'z', '0.01'], ['BZMPOP', '0.01', '1', 'z', 'MIN'],
    ];
    for (const resp of ['2', '3']) {
      await hello(a, resp);
      for (const s of steps) {
        start(a, ...s);
        await sameRead(a);
      }
    }
    // Commands sent behind a blocked one run after it.
    start(a, 'BLPOP', 'q', '0.01');
    start(a, 'PING');
    await sameRead(a);
    await sameRead(a);
  });

  it('chains BLMOVE and BRPOPLPUSH: the destination push serves the next client', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    const c = await pair.connect();
    start(a, 'BLMOVE', 'l1', 'l2', 'LEFT', 'RIGHT', '0');
    await pair.waitBlocked(1);
    start(b, 'BRPOPLPUSH', 'l2', 'l3', '0');
    await pair.waitBlocked(2);
    start(c, 'BLPOP', 'l3', '0');
    await pair.waitBlocked(3);
    await pair.same(['RPUSH', 'l1', 'v']);
    await sameRead(a);
    await sameRead(b);
    await sameRead(c);
    await pair.waitBlocked(0);
    await pair.same(['EXISTS', 'l1', 'l2', 'l3']);
  });

  it('BLMOVE to a wrong-type destination answers WRONGTYPE when served', async () => {
    const a = await pair.connect();
    start(a, 'BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    await pair.waitBlocked(1);
    await pair.same(['SET', 'dst', 'x'], ['RPUSH', 'src', 'v']);
    await sameRead(a);
    await pair.waitBlocked(0);
    await pair.same(['LRANGE', 'src', '0', '-1']);
  });

  it('a key created then deleted in one command serves no one; a wrong type is skipped', async () => {
    const a = await pair.connect();
    start(a, 'BLPOP', 'k', '0');
    await pair.waitBlocked(1);
    await pair.same(['RPUSH', 'k', 'v'], ['DEL', 'k']);
    await sameRead(a);
    start(a, 'BLPOP', 'k', '0');
    await pair.waitBlocked(1);
    await pair.same(['SET', 'k', 'str'], ['DEL', 'k'], ['ZADD', 'k', '1', 'm']);
    await pair.waitBlocked(1);
    await pair.same(['DEL', 'k'], ['LPUSH', 'k', 'w']);
    await sameRead(a);
    await pair.waitBlocked(0);
  });

  it('BLMPOP woken with COUNT', async () => {
    const a = await pair.connect();
    start(a, 'BLMPOP', '0', '2', 'm1', 'm2', 'RIGHT', 'COUNT', '5');
    await pair.waitBlocked(1);
    await pair.same(['RPUSH', 'm2', '1', '2', '3']);
    await sameRead(a);
    await pair.same(['EXISTS', 'm2']);
  });

  it('keys made by RENAME, MOVE, COPY and LMOVE serve blocked clients; other dbs do not', async () => {
    const a = await pair.connect();
    for (const make of [
      [['RPUSH', 'src', '1', '2'], ['RENAME', 'src', 'k']],
      [['RPUSH', 'src', '1'], ['COPY', 'src', 'k']],
      [['SELECT', '1'], ['RPUSH', 'k', 'x'], ['MOVE', 'k', '0'], ['SELECT', '0']],
      [['RPUSH', 'src', '1'], ['LMOVE', 'src', 'k', 'LEFT', 'LEFT']],
    ]) {
      start(a, 'BRPOP', 'k', '0');
      await pair.waitBlocked(1);
      await pair.same(['SELECT', '1'], ['RPUSH', 'k', 'other-db'], ['SELECT', '0']);
      await pair.same(...make);
      await sameRead(a);
      await pair.waitBlocked(0);
      await pair.same(['LRANGE', 'k', '0', '-1'], ['FLUSHALL']);
    }
  });

  it('SWAPDB brings a list into a blocked client\'s db and serves it', async () => {
    const a = await pair.connect();
    start(a, 'BLPOP', 'q', '0');
    await pair.waitBlocked(1);
    await pair.same(['SELECT', '1'], ['RPUSH', 'q', 'from-db1', 'second'], ['SWAPDB', '0', '1'], ['SELECT', '0']);
    await sameRead(a);
    await pair.waitBlocked(0);
    await pair.same(['LRANGE', 'q', '0', '-1'], ['SELECT', '1'], ['EXISTS', 'q'], ['SELECT', '0'], ['FLUSHALL']);
  });

  it('a client blocked on several keys is served once, by the first key that gets data', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    start(a, 'BLPOP', 'k1', 'k2', 'k1', '0');
    await pair.waitBlocked(1);
    start(b, 'BLPOP', 'k2', '0');
    await pair.waitBlocked(2);
    await pair.same(['RPUSH', 'k2', 'x', 'y', 'z'], ['LRANGE', 'k2', '0', '-1']);
    await sameRead(a);
    await sameRead(b);
    await pair.same(['RPUSH', 'k1', 'w'], ['LRANGE', 'k1', '0', '-1']);
    // A served client runs the commands it sent while blocked.
    start(a, 'BLPOP', 'k3', '0');
    start(a, 'LLEN', 'k2');
    await pair.waitBlocked(1);
    await pair.same(['RPUSH', 'k3', 'v']);
    await sameRead(a);
    await sameRead(a);
  });

  it('CLIENT REPLY OFF: the served reply is dropped', async () => {
    const a = await pair.connect();
    start(a, 'CLIENT', 'REPLY', 'OFF');
    start(a, 'BLPOP', 'q', '0');
    await pair.waitBlocked(1);
    await pair.same(['RPUSH', 'q', 'x', 'y']);
    await pair.waitBlocked(0);
    start(a, 'CLIENT', 'REPLY', 'ON');
    await sameRead(a);
    await pair.same(['LRANGE', 'q', '0', '-1']);
  });

  it('CLIENT KILL of a blocked client', async () => {
    const a = await pair.connect();
    const id = await clientId(a);
    start(a, 'BLPOP', 'q', '0');
    await pair.waitBlocked(1);
    const [r, o] = await Promise.all([pair.real.send('CLIENT', 'KILL', 'ID', id.real), pair.ours.send('CLIENT', 'KILL', 'ID', id.ours)]);
    expect(text(o)).toBe(text(r));
    await pair.waitBlocked(0);
    await pair.same(['RPUSH', 'q', 'v'], ['LLEN', 'q']);
  });

  it('a blocked client that disconnects leaves the queue', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    start(a, 'BLPOP', 'q', '0');
    await pair.waitBlocked(1);
    start(b, 'BLPOP', 'q', '0');
    await pair.waitBlocked(2);
    a.real.close();
    a.ours.close();
    await pair.waitBlocked(1);
    await pair.same(['RPUSH', 'q', 'v'], ['LLEN', 'q']);
    await sameRead(b);
  });
});

describe('blocking sorted sets', () => {
  it('answers at once when there is data', async () => {
    await pair.same(
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'nokey', 'z', '0'], ['BZPOPMAX', 'z', '0'],
      ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '5'], ['EXISTS', 'z'], ['SET', 's', 'x'],
      ['BZPOPMIN', 's', '0'], ['BZMPOP', '0', '1', 's', 'MIN'], ['BZPOPMIN', 'z', '-1'],
      ['BZMPOP', '0', '0', 'z', 'MIN'], ['BZMPOP', '0', '1', 'z', 'UP'], ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '0'],
      step(['COMMAND', 'INFO', 'bzpopmin', 'bzpopmax', 'bzmpop'], infoShape),
      ['COMMAND', 'GETKEYS', 'BZMPOP', '0', '2', 'a', 'b', 'MIN'],
    );
    await hello(pair, '3');
    await pair.same(['ZADD', 'z', '1.5', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'z', '0'],
      ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '2'], ['BLPOP', 'nokey', 'q', '0.01'], ['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0.01']);
    await hello(pair, '2');
  });

  it('BZPOPMIN, BZPOPMAX and BZMPOP are woken by ZADD (RESP2 and RESP3)', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    await hello(b, '3');
    start(a, 'BZPOPMIN', 'z', '0');
    await pair.waitBlocked(1);
    start(b, 'BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '10');
    await pair.waitBlocked(2);
    await pair.same(['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c']);
    await sameRead(a);
    await sameRead(b);
    start(b, 'BZPOPMAX', 'z2', '0');
    await pair.waitBlocked(1);
    await pair.same(['ZADD', 'z2', '1', 'a', '2.5', 'b']);
    await sameRead(b);
    await pair.same(['ZRANGE', 'z2', '0', '-1', 'WITHSCORES']);
  });
});

describe('CLIENT UNBLOCK', () => {
  it('unblocks with a timeout reply or an error', async () => {
    const a = await pair.connect();
    const id = await clientId(a);
    await pair.same(['CLIENT', 'UNBLOCK', '999999'], ['CLIENT', 'UNBLOCK', 'x'], ['CLIENT', 'UNBLOCK', '1', 'foo'],
      ['CLIENT', 'UNBLOCK', '1', 'timeout', 'x']);
    for (const [cmd, how] of [[['BLPOP', 'q', '0'], 'TIMEOUT'], [['BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0'], 'ERROR'],
      [['BZPOPMIN', 'q', '0'], 'TIMEOUT'], [['BRPOPLPUSH', 'q', 'd', '0'], 'TIMEOUT'], [['BLPOP', 'q', '0'], 'ERROR']] as const) {
      start(a, ...cmd);
      await pair.waitBlocked(1);
      const [r, o] = await Promise.all([
        pair.real.send('CLIENT', 'UNBLOCK', id.real, how), pair.ours.send('CLIENT', 'UNBLOCK', id.ours, how),
      ]);
      expect(text(o)).toBe(text(r));
      expect(text(r)).toBe(':1\r\n');
      await sameRead(a);
    }
    const [r, o] = await Promise.all([
      pair.real.send('CLIENT', 'UNBLOCK', id.real), pair.ours.send('CLIENT', 'UNBLOCK', id.ours),
    ]);
    expect(text(o)).toBe(text(r));
    expect(text(r)).toBe(':0\r\n');
  });

  it('CLIENT LIST and INFO show the blocked client', async () => {
    const a = await pair.connect();
    const id = await clientId(a);
    start(a, 'BZPOPMAX', 'z', '100');
    await pair.waitBlocked(1);
    for (const [c, myId] of [[pair.real, id.real], [pair.ours, id.ours]] as const) {
      const list = text(await c.send('CLIENT', 'LIST', 'ID', myId));
      expect(list).toMatch(/ flags=b /);
      expect(list).toMatch(/ cmd=bzpopmax /);
      expect(text(await c.send('INFO', 'clients'))).toContain('clients_in_timeout_table:1\r\n');
      expect(text(await c.send('CLIENT', 'UNBLOCK', myId))).toBe(':1\r\n');
    }
    await sameRead(a);
  });
});
