import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import type { Conn } from '../support/harness';
import { sameRead, start, text, type ConnPair as Pair } from '../support/both';

/**
 * MONITOR against a real Redis 7.0: which commands a monitor sees, in which order, with which
 * db, and how their arguments are quoted. Timestamps and client addresses are the only things
 * normalised (their format is checked).
 */
const pair = usePair();

const END = 'zz-end';

/** A monitor line with its time and client address masked; the time must look like Redis's. */
function normalize(line: string): string {
  expect(line).toMatch(/^\+\d{10}\.\d{6} \[\d+ (lua|[\d.]+:\d+)\] /);
  return line.replace(/^\+\d+\.\d{6} /, '+<time> ').replace(/^(\+<time> \[\d+) [\d.]+:\d+\]/, '$1 <addr>]');
}

/** What a monitor read up to the line of `ECHO zz-end`, normalised. */
async function lines(c: Conn): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const s = text(await c.read());
    if (!s.startsWith('+') || !/^\+\d/.test(s)) {
      out.push(s); // a reply to the monitor's own command
      continue;
    }
    const n = normalize(s);
    out.push(n);
    if (n.includes(`"${END}"`)) return out;
  }
}

/** Mark the end with ECHO on conn, then every monitor must have read the same lines. */
async function sameLines(conn: Pair, monitors: Pair[]): Promise<string[]> {
  await pair.sameOn(conn, ['ECHO', END]);
  let first: string[] = [];
  for (const [i, m] of monitors.entries()) {
    const [a, b] = await Promise.all([lines(m.real), lines(m.ours)]);
    expect(b, `monitor ${i}`).toEqual(a);
    if (i === 0) first = a;
  }
  return first;
}

/** Wait until both servers have a blocked client (polling CLIENT LIST: admin, so monitors do not see it). */
async function waitBlocked(): Promise<void> {
  for (const c of [pair.real, pair.ours]) {
    for (let i = 0; ; i++) {
      if (text(await c.send('CLIENT', 'LIST')).includes(' flags=b ')) break;
      if (i > 200) throw new Error('never saw a blocked client');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

async function monitor(): Promise<Pair> {
  const m = await pair.connect();
  start(m, 'MONITOR');
  await sameRead(m);
  return m;
}

describe('MONITOR', () => {
  it('shows commands once run, quoted as sdscatrepr, with the db they leave the client in', async () => {
    const m = await monitor();
    const a = await pair.connect();
    await pair.sameOn(a,
      ['SET', 'k', 'v'], ['GET', 'k'], ['SET', 'bin', 'a\n\r\t\x07\x08"\\\x00\x01\x7f\x80\xff é'], ['SET', 'e', ''],
      ['SELECT', '3'], ['SET', 'k', '12345'], ['INCR', 'k'], ['SELECT', '0'],
      ['LPUSH', 'k', 'x'], // WRONGTYPE: ran, so shown
      ['GET'], ['NOSUCH', 'x'], // rejected before running: not shown
      ['CONFIG', 'GET', 'maxmemory'], ['DEBUG', 'SLEEP', '0'], ['CLIENT', 'LIST', 'ID', '999999'], // admin: not shown
      ['CLIENT', 'SETNAME', 'name'], ['PING'], ['ECHO', 'x y'],
      ['subscribe_is_not_here'],
      ['set', 'lower', 'case'], ['SeT', 'Mixed', 'Case'],
    );
    await sameLines(a, [m]);
  });

  it('scripts: the EVAL line first, then its commands as [db lua], failed EVALs too', async () => {
    const m = await monitor();
    const a = await pair.connect();
    await pair.sameOn(a,
      ['EVAL', "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SELECT', '2'); return redis.call('INCR', 'n')", '1', 'k', 'v'],
      ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'],
      ['SCRIPT', 'LOAD', "return redis.call('GET', 'k')"],
      ['EVALSHA', '00ddb0c1a858ec65cc8603fe1776212f207c81b4', '0'],
      ['EVAL_RO', "return redis.call('GET', 'k')", '0'],
      ['EVAL', "return redis.call('NOSUCH')", '0'],
      ['EVAL', 'return 1', 'x'],
    );
    await sameLines(a, [m]);
  });

  it('MULTI/EXEC: MULTI, then the queued commands when EXEC runs them, then EXEC', async () => {
    const m = await monitor();
    const a = await pair.connect();
    await pair.sameOn(a,
      ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['EXEC'],
      ['MULTI'], ['SET', 'b', '1'], ['DISCARD'],
      ['MULTI'], ['SET', 'c', '1'], ['GET'], ['EXEC'],
      ['WATCH', 'a'], ['MULTI'], ['PING'], ['EXEC'], ['UNWATCH'],
    );
    await sameLines(a, [m]);
  });

  it('redacts passwords as AUTH and HELLO do', async () => {
    const m = await monitor();
    const a = await pair.connect();
    // HELLO's reply carries the connection id: only its type is compared.
    const hello = (...argv: string[]) => step(['HELLO', ...argv], (r) => (r.t === 'error' ? r.v : r.t));
    await pair.sameOn(a,
      ['AUTH', 'secret'], ['AUTH', 'user', 'secret'], ['AUTH', 'a', 'b', 'c'],
      hello('2', 'AUTH', 'default', 'secret'), hello('2', 'AUTH', 'default', 'secret', 'SETNAME', 'n'),
      hello('2', 'SETNAME', 'n', 'AUTH', 'u', 'secret'), hello('4', 'AUTH', 'u', 'secret'),
      hello('2', 'AUTH', 'u'), hello('2', 'SETNAME', 'bad name', 'AUTH', 'u', 'p'),
      hello('2', 'AUTH', 'u', 'p', 'BOGUS'), hello('x', 'AUTH', 'u', 'p'), hello(),
    );
    await sameLines(a, [m]);
  });

  it('the monitor itself: its commands after their replies, no second OK, no keyspace, flags=O, RESET', async () => {
    const m = await monitor();
    const a = await pair.connect();
    start(m, 'MONITOR'); // ignored without a reply
    start(m, 'PING');
    start(m, 'GET', 'k');
    start(m, 'ECHO', 'from monitor');
    start(m, 'ECHO', END);
    const [la, lb] = await Promise.all([lines(m.real), lines(m.ours)]);
    expect(lb).toEqual(la);
    const flags = (c: Conn) => c.send('CLIENT', 'INFO').then((r) => /flags=\S+/.exec(text(r))?.[0]);
    const [fa, fb] = [await flags(m.real), await flags(m.ours)];
    expect(fb).toBe(fa);
    await sameLines(a, [m]); // (CLIENT INFO is admin-free: its line came after the reply)
    start(m, 'RESET');
    await sameRead(m);
    await pair.sameOn(a, ['SET', 'after', 'reset']);
    await pair.sameOn(m, ['GET', 'after']);
  });

  it('several monitors, RESP3, MONITOR inside MULTI, subscribers, blocked commands', async () => {
    const m1 = await monitor();
    const m2 = await pair.connect();
    start(m2, 'HELLO', '3');
    const [h1, h2] = await Promise.all([m2.real.read(), m2.ours.read()]);
    expect(h2.reply.t).toBe(h1.reply.t);
    start(m2, 'MONITOR');
    await sameRead(m2);
    const a = await pair.connect();
    await pair.sameOn(a, ['MULTI'], ['MONITOR'], ['EXEC']);
    const s = await pair.connect();
    start(s, 'SUBSCRIBE', 'ch');
    await sameRead(s);
    await pair.sameOn(a, ['PUBLISH', 'ch', 'hello']);
    await sameRead(s);
    start(s, 'PING');
    await sameRead(s);
    // BLPOP is shown when it blocks (and when it times out, nothing more).
    await pair.sameOn(a, ['BLPOP', 'q', '0.01']);
    const b = await pair.connect();
    start(b, 'BLPOP', 'q2', '0');
    await waitBlocked();
    await sameLines(a, [m1, m2]);
    await pair.sameOn(a, ['RPUSH', 'q2', 'v']);
    await sameRead(b);
    await sameLines(a, [m1, m2]);
  });
});
