import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../support/resp-reader';
import { step, usePair } from '../support/pair';
import { sameType } from '../support/harness';
import { makeGenTransactions } from './gen/transactions';

/**
 * MULTI/EXEC/DISCARD/WATCH/UNWATCH against a real Redis: queued replies, EXECABORT, WATCH
 * invalidated by other clients, by expiry, by FLUSHDB/FLUSHALL/SWAPDB, blocking commands inside
 * EXEC. Several connections per server where a race is the point.
 */
const pair = usePair();


/** CLIENT INFO's flags= and multi= fields only (the rest carries ids, ports and times). */
const flagsAndMulti = step(['CLIENT', 'INFO'], (r) => {
  const s = r.t === 'bulk' || r.t === 'verbatim' ? String(r.v) : JSON.stringify(r);
  return (s.match(/ flags=\S+/)?.[0] ?? '') + (s.match(/ multi=\S+/)?.[0] ?? '');
});

describe('MULTI and EXEC', () => {
  it('queues commands and runs them as one unit', async () => {
    await pair.same(
      ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['LPUSH', 'l', 'x', 'y'], ['LRANGE', 'l', '0', '-1'],
      ['EXEC'], ['GET', 'a'],
      ['MULTI'], ['EXEC'],
      ['MULTI'], ['PING'], ['ECHO', 'hi'], ['EXEC'],
    );
  });

  it('answers EXECABORT after a command failed to queue', async () => {
    await pair.same(
      ['SET', 'a', '1'],
      ['MULTI'], ['SET', 'a', '2'], ['NOSUCHCOMMAND', 'x'], ['SET', 'b', '1'], ['EXEC'], ['GET', 'a'], ['EXISTS', 'b'],
      ['MULTI'], ['SET', 'a'], ['EXEC'], ['GET', 'a'],
      ['MULTI'], ['CONFIG', 'NOSUCH'], ['EXEC'],
      ['MULTI'], ['GET', 'a', 'b'], ['INCR', 'a'], ['EXEC'], ['GET', 'a'],
    );
  });

  it('keeps going after a command fails while running', async () => {
    await pair.same(
      ['SET', 's', 'text'],
      ['MULTI'], ['INCR', 's'], ['SET', 'n', '1'], ['LPUSH', 's', 'x'], ['INCRBY', 'n', '5'], ['EXEC'],
      ['GET', 'n'], ['GET', 's'],
    );
  });

  it('gives the errors of misplaced transaction commands', async () => {
    await pair.same(
      ['EXEC'], ['DISCARD'],
      ['MULTI'], ['MULTI'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a'],
      ['MULTI'], ['WATCH', 'a'], ['SET', 'b', '1'], ['EXEC'], ['GET', 'b'],
      ['MULTI'], ['SET', 'c', '1'], ['DISCARD'], ['EXISTS', 'c'], ['EXEC'],
      ['MULTI'], ['UNWATCH'], ['EXEC'],
      ['WATCH'], ['MULTI', 'x'], ['EXEC', 'x'], ['DISCARD', 'x'], ['UNWATCH', 'x'],
      // A rejected EXEC still ends the transaction.
      ['MULTI'], ['SET', 'q', '1'], ['EXEC', 'x'], ['EXEC'], ['EXISTS', 'q'],
    );
  });

  it('runs SELECT, FLUSHDB and keyspace commands inside the transaction in order', async () => {
    await pair.same(
      ['SET', 'a', 'db0'],
      ['MULTI'], ['SELECT', '1'], ['SET', 'a', 'db1'], ['GET', 'a'], ['SELECT', '0'], ['GET', 'a'], ['DBSIZE'], ['EXEC'],
      ['MULTI'], ['SELECT', '1'], ['EXEC'], ['GET', 'a'], ['SELECT', '0'],
      ['MULTI'], ['FLUSHDB'], ['SET', 'x', '1'], ['DBSIZE'], ['EXEC'],
    );
  });

  it('shows x and multi=<queued> in CLIENT INFO', async () => {
    await pair.same(flagsAndMulti, ['MULTI'], flagsAndMulti, ['SET', 'a', '1'], flagsAndMulti, ['DISCARD'], flagsAndMulti);
  });

  it('lets blocking commands answer at once inside EXEC', async () => {
    await pair.same(
      ['MULTI'], ['BLPOP', 'nolist', '0'], ['BRPOP', 'nolist', '1'], ['BLMOVE', 'nolist', 'd', 'LEFT', 'LEFT', '0'],
      ['BZPOPMIN', 'nozset', '0'], ['BLMPOP', '0', '1', 'nolist', 'LEFT'], ['RPUSH', 'l', 'a'], ['BLPOP', 'l', '0'], ['EXEC'],
    );
  });

  it('answers RESP3 nulls and arrays', async () => {
    const c = await pair.connect();
    await pair.sameOn(c, step(['HELLO', '3'], sameType), ['WATCH', 'k'], ['SET', 'k', '1'], ['MULTI'], ['GET', 'k'], ['EXEC']);
    await pair.sameOn(c, ['MULTI'], ['HGETALL', 'h'], ['HSET', 'h', 'f', 'v'], ['HGETALL', 'h'], ['EXEC']);
  });

  it('leaves the transaction on RESET', async () => {
    const c = await pair.connect();
    await pair.sameOn(c, ['WATCH', 'k'], ['MULTI'], ['SET', 'a', '1'], ['RESET'], ['EXEC'], flagsAndMulti);
  });

  it('matches Redis in dirty counts and keyspace events', async () => {
    await pair.sameEffects(
      ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['DEL', 'a'], ['LPUSH', 'l', '1'], ['EXEC'],
      ['MULTI'], ['SET', 'a', '1'], ['BAD'], ['EXEC'],
      ['WATCH', 'l'], ['LPUSH', 'l', '2'], ['MULTI'], ['LPOP', 'l'], ['EXEC'],
    );
  });
});

describe('blocked clients and transactions', () => {
  it('serves a blocked client after the whole EXEC, with the state it left', async () => {
    const a = await pair.connect();
    a.real.writeRaw(encodeCommand(['BLPOP', 'q', '0']));
    a.ours.writeRaw(encodeCommand(['BLPOP', 'q', '0']));
    await pair.waitBlocked(1);
    await pair.same(['MULTI'], ['RPUSH', 'q', 'a', 'b', 'c'], ['LPOP', 'q'], ['EXEC']);
    const [x, y] = await Promise.all([a.real.read(), a.ours.read()]);
    expect(y.raw.toString('latin1')).toBe(x.raw.toString('latin1'));
    await pair.same(['LRANGE', 'q', '0', '-1']);
  });
});

describe('WATCH', () => {
  it('aborts EXEC when another client writes a watched key', async () => {
    const other = await pair.connect();
    await pair.same(['SET', 'k', '1'], ['WATCH', 'k', 'j'], flagsAndMulti);
    await pair.sameOn(other, ['INCR', 'k']);
    await pair.same(flagsAndMulti, ['MULTI'], ['INCR', 'k'], ['EXEC'], ['GET', 'k']);
    // EXEC forgot the watched keys: the next transaction runs.
    await pair.sameOn(other, ['INCR', 'k']);
    await pair.same(['MULTI'], ['INCR', 'k'], ['EXEC']);
  });

  it('is not disturbed by reads, other keys, other dbs or UNWATCH', async () => {
    const other = await pair.connect();
    await pair.same(['SET', 'k', '1'], ['WATCH', 'k']);
    await pair.sameOn(other, ['GET', 'k'], ['SET', 'x', '1'], ['SELECT', '1'], ['SET', 'k', '2'], ['SELECT', '0']);
    await pair.same(['MULTI'], ['INCR', 'k'], ['EXEC']);
    await pair.same(['WATCH', 'k']);
    await pair.sameOn(other, ['SET', 'k', '10']);
    await pair.same(['UNWATCH'], ['MULTI'], ['INCR', 'k'], ['EXEC']);
    await pair.same(['WATCH', 'k']);
    await pair.sameOn(other, ['SET', 'k', '10']);
    await pair.same(['MULTI'], ['DISCARD'], ['MULTI'], ['INCR', 'k'], ['EXEC']);
  });

  it('is dirtied by the client itself, and by a write that leaves the value equal', async () => {
    await pair.same(
      ['SET', 'k', 'v'], ['WATCH', 'k'], ['SET', 'k', 'v'], ['MULTI'], ['GET', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['EXPIRE', 'k', '100'], ['MULTI'], ['TTL', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['PERSIST', 'k'], ['MULTI'], ['TTL', 'k'], ['EXEC'],
      ['WATCH', 'k'], ['PERSIST', 'k'], ['MULTI'], ['TTL', 'k'], ['EXEC'],
      ['WATCH', 'nokey'], ['DEL', 'nokey'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'l'], ['LPUSH', 'l', 'a'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'l'], ['LPOP', 'nolist'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'd'], ['SORT', 'nolist', 'STORE', 'd'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'r'], ['RENAME', 'k', 'r'], ['MULTI'], ['PING'], ['EXEC'],
    );
  });

  it('sees FLUSHDB, FLUSHALL and SWAPDB', async () => {
    await pair.same(
      ['SET', 'k', '1'], ['WATCH', 'k'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'k'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC'],
      ['SET', 'k', '1'], ['WATCH', 'k'], ['FLUSHALL'], ['MULTI'], ['PING'], ['EXEC'],
      ['SELECT', '1'], ['SET', 'k', '1'], ['SELECT', '0'], ['WATCH', 'k'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'k'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC'],
      ['WATCH', 'nothere'], ['SWAPDB', '0', '1'], ['MULTI'], ['PING'], ['EXEC'],
      ['SELECT', '5'], ['SET', 'z', '1'], ['SELECT', '0'], ['WATCH', 'z'], ['SELECT', '5'], ['FLUSHDB'], ['SELECT', '0'],
      ['MULTI'], ['PING'], ['EXEC'],
    );
  });

  it('fails EXEC on a watched key that expired, and ignores keys already expired when watched', async () => {
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    try {
      await pair.same(
        ['SET', 'k', '1', 'PX', '5'], ['WATCH', 'k'], ['DEBUG', 'SLEEP', '0.02'], ['MULTI'], ['PING'], ['EXEC'],
        // Watched after it expired: still missing at EXEC, no change.
        ['SET', 'k', '1', 'PX', '5'], ['DEBUG', 'SLEEP', '0.02'], ['WATCH', 'k'], ['MULTI'], ['PING'], ['EXEC'],
        // ... and deleting it (lazily, by a read) is no change either.
        ['SET', 'k', '1', 'PX', '5'], ['DEBUG', 'SLEEP', '0.02'], ['WATCH', 'k'], ['GET', 'k'], ['MULTI'], ['PING'], ['EXEC'],
        // ... nor is FLUSHDB of the stale key.
        ['SET', 'k', '1', 'PX', '5'], ['DEBUG', 'SLEEP', '0.02'], ['WATCH', 'k'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC'],
        // ... but writing it again is.
        ['SET', 'k', '1', 'PX', '5'], ['DEBUG', 'SLEEP', '0.02'], ['WATCH', 'k'], ['SET', 'k', '2'], ['MULTI'], ['PING'], ['EXEC'],
        // A live key lazily expired by another read before EXEC.
        ['SET', 'k', '1', 'PX', '5'], ['WATCH', 'k'], ['DEBUG', 'SLEEP', '0.02'], ['GET', 'k'], ['MULTI'], ['PING'], ['EXEC'],
      );
    } finally {
      await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    }
  });

  it('resolves a race between two clients incrementing with WATCH', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    await pair.same(['SET', 'counter', '10']);
    await pair.sameOn(a, ['WATCH', 'counter'], ['GET', 'counter']);
    await pair.sameOn(b, ['WATCH', 'counter'], ['GET', 'counter']);
    await pair.sameOn(a, ['MULTI'], ['SET', 'counter', '11'], ['EXEC']);
    await pair.sameOn(b, ['MULTI'], ['SET', 'counter', '11'], ['EXEC']);
    await pair.sameOn(b, ['WATCH', 'counter'], ['GET', 'counter'], ['MULTI'], ['SET', 'counter', '12'], ['EXEC']);
    await pair.same(['GET', 'counter']);
  });
});

describe('random transactions', () => {
  it('matches Redis over a seeded random run of MULTI/EXEC/WATCH blocks of mixed commands', async () => {
    await pair.random(makeGenTransactions(), Number(process.env.COMPAT_COUNT ?? 5000));
  });
});
