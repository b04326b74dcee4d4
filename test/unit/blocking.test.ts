import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { secondsToMs } from '../../src/engine/blocking';
import { string2ld } from '../../src/engine/util/longdouble';
import { connectTo } from '../support/engine-conn';

const ms = (s: string): number => secondsToMs(string2ld(s)!);

describe('blocking timeouts', () => {
  it('converts seconds as Redis 7.0.15 does: long double, truncated', () => {
    expect(ms('0')).toBe(0);
    expect(ms('0.1')).toBe(100);
    expect(ms('1.5')).toBe(1500);
    expect(ms('0.00001')).toBe(0); // under a millisecond: forever
    expect(ms('-0.001')).toBe(0); // -0.000999... in long double
    expect(ms('-0.0015')).toBe(-1);
    expect(ms('-1')).toBe(-1);
    expect(ms('inf')).toBe(-1);
    expect(ms('1e400')).toBe(-1);
  });
});

/** An engine with a hand-driven clock and in-memory connections. */
function setup() {
  const time = { now: 1_000_000 };
  const engine = new Engine({ clock: () => time.now, monotonic: () => time.now });
  const connect = () => connectTo(engine);
  return { time, engine, connect };
}

describe('Blocking', () => {
  it('reports the next deadline and times clients out', () => {
    const { time, engine, connect } = setup();
    const a = connect();
    const b = connect();
    expect(engine.nextTimerDelay()).toBeNull();
    a.send('BLPOP', 'q', '0.5');
    b.send('BZPOPMIN', 'z', '0');
    expect(a.take()).toBe('');
    expect(engine.nextTimerDelay()).toBe(500);
    expect(engine.blocking.blocked.size).toBe(2);
    time.now += 499;
    engine.handleBlockedTimeouts();
    expect(a.take()).toBe('');
    time.now += 1;
    engine.handleBlockedTimeouts();
    expect(a.take()).toBe('*-1\r\n');
    expect(engine.nextTimerDelay()).toBeNull();
    expect(engine.blocking.blocked.size).toBe(1);
    a.send('ZADD', 'z', '1', 'm');
    expect(a.take()).toBe(':1\r\n');
    expect(b.take()).toBe('*3\r\n$1\r\nz\r\n$1\r\nm\r\n$1\r\n1\r\n');
    expect(engine.blocking.blocked.size).toBe(0);
  });

  it('holds a blocked client\'s pipelined commands until it is served', () => {
    const { engine, connect } = setup();
    const a = connect();
    const b = connect();
    a.send('BRPOP', 'q', '0');
    a.send('PING');
    expect(a.take()).toBe('');
    b.send('LPUSH', 'q', 'x');
    expect(a.take()).toBe('*2\r\n$1\r\nq\r\n$1\r\nx\r\n+PONG\r\n');
    expect(engine.blocking.blocked.size).toBe(0);
  });

  it('forgets a client that disconnects', () => {
    const { engine, connect } = setup();
    const a = connect();
    const b = connect();
    a.send('BLPOP', 'q', '0');
    a.c.disconnected();
    expect(engine.blocking.blocked.size).toBe(0);
    b.send('RPUSH', 'q', 'x');
    expect(b.take()).toBe(':1\r\n');
  });
});
