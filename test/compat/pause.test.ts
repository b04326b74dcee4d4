import { afterEach, describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { sameRead, start } from '../support/both';

/**
 * CLIENT PAUSE / UNPAUSE against a real Redis: which commands wait under WRITE and ALL, that they
 * run in order once the pause ends (by UNPAUSE or by its timeout), and that keys do not expire
 * while clients are paused.
 */
const pair = usePair();

// A failed test must not leave the servers paused for the next ones.
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 120)); // an ALL pause of the tests ends by itself
  await pair.same(['CLIENT', 'UNPAUSE']);
});

/** The flags= of every CLIENT LIST line, sorted (ids and ports differ). */
const listFlags = step(['CLIENT', 'LIST'], (r) =>
  String((r as { v?: unknown }).v).split('\n').filter(Boolean).map((l) => l.match(/ flags=\S+/)![0]).sort().join(','),
);

describe('CLIENT PAUSE', () => {
  it('checks its arguments', async () => {
    await pair.same(
      ['CLIENT', 'PAUSE'], ['CLIENT', 'PAUSE', 'x'], ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', '1.5'],
      ['CLIENT', 'PAUSE', '10', 'FOO'], ['CLIENT', 'PAUSE', '10', 'write', 'x'], ['CLIENT', 'UNPAUSE', 'x'],
      ['CLIENT', 'PAUSE', '99999999999999999999'], ['CLIENT', 'UNPAUSE'],
      ['CLIENT', 'PAUSE', '0'], ['CLIENT', 'PAUSE', '0', 'WRITE'], ['CLIENT', 'UNPAUSE'],
      step(['COMMAND', 'INFO', 'client|pause', 'client|unpause']),
    );
  });

  it('holds back writes under WRITE, runs reads, and releases the writers in order on UNPAUSE', async () => {
    const b = await pair.connect();
    const c = await pair.connect();
    await pair.same(['CLIENT', 'PAUSE', '100000', 'WRITE']);
    start(b, 'SET', 'k', '1');
    start(b, 'GET', 'k');
    await pair.waitBlocked(1);
    await pair.sameOn(c, ['GET', 'k'], ['MULTI'], ['GET', 'k'], ['EXEC'], ['PING']);
    start(c, 'PUBLISH', 'ch', 'x');
    start(c, 'GET', 'k');
    await pair.waitBlocked(2);
    await pair.same(listFlags, ['GET', 'k'], ['DBSIZE']);
    await pair.same(['CLIENT', 'UNPAUSE']);
    expect(await sameRead(b)).toBe('+OK\r\n');
    expect(await sameRead(b)).toBe('$1\r\n1\r\n');
    await sameRead(c);
    await sameRead(c);
    await pair.waitBlocked(0);
    await pair.same(listFlags);
  });

  it('holds back an EXEC whose queue writes', async () => {
    const b = await pair.connect();
    // Queued before the pause (a write sent to a client in MULTI during the pause waits too).
    await pair.sameOn(b, ['MULTI'], ['SET', 'x', '1'], ['GET', 'x']);
    await pair.same(['CLIENT', 'PAUSE', '100000', 'WRITE']);
    start(b, 'EXEC');
    await pair.waitBlocked(1);
    await pair.same(['EXISTS', 'x'], ['CLIENT', 'UNPAUSE']);
    await sameRead(b);
    await pair.same(['GET', 'x']);
  });

  it('holds back everyone under ALL, the pausing client too, until the timeout', async () => {
    const b = await pair.connect();
    await pair.sameOn(b, ['CLIENT', 'PAUSE', '100', 'ALL']);
    start(b, 'PING');
    start(pair, 'SET', 'k', 'v');
    // No reply until the pause ends by itself; then both run.
    await sameRead(b);
    await sameRead(pair);
    await pair.same(['GET', 'k']);
  });

  it('keeps expired keys while paused: they read as missing but are not deleted', async () => {
    await pair.same(['SET', 'k', 'v', 'PX', '20'], ['CLIENT', 'PAUSE', '100000', 'WRITE'], ['DEBUG', 'SLEEP', '0.05']);
    await pair.same(['GET', 'k'], ['EXISTS', 'k'], ['TTL', 'k'], ['DBSIZE'], ['CLIENT', 'UNPAUSE'], ['GET', 'k'], ['DBSIZE']);
  });

  it('lets a second pause extend the first and make it stricter', async () => {
    const b = await pair.connect();
    await pair.same(['CLIENT', 'PAUSE', '60', 'WRITE'], ['CLIENT', 'PAUSE', '10', 'ALL']);
    start(b, 'GET', 'k');
    start(pair, 'PING');
    // Both wait for the longer pause, under the stricter mode, then run.
    await sameRead(pair);
    await sameRead(b);
  });
});
