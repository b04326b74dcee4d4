import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { EVPOOL_SIZE, evictionTimeLimitUs, type EvictionStep } from '../../src/engine/eviction';
import { rng } from '../support/rng';
import { connectTo } from '../support/engine-conn';

/** An engine with a settable clock and one connection that collects replies. */
function setup(config: Record<string, string> = {}, seed = 1) {
  const time = { now: 1_700_000_000_000 };
  const r = rng(seed);
  const engine = new Engine({
    clock: () => time.now, monotonic: () => 0, random: () => r.next(), config: { 'enable-debug-command': 'yes', ...config },
  });
  const send = connectTo(engine).ask;
  return { engine, send, time };
}

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

describe('maxmemory', () => {
  it('noeviction refuses denyoom commands once used memory is over the limit', () => {
    const { engine, send } = setup();
    send('SET', 'a', '1');
    send('CONFIG', 'SET', 'maxmemory', String(engine.memory.used() - 1));
    expect(send('SET', 'b', '1')).toBe(OOM);
    expect(send('GET', 'a')).toBe('$1\r\n1\r\n');
    expect(send('DEL', 'a')).toBe(':1\r\n');
    expect(send('SET', 'b', '1')).toBe('+OK\r\n');
    expect(engine.stats.evictedKeys).toBe(0);
  });

  it('evicts down to maxmemory before each command, counting, notifying and propagating each key', () => {
    const { engine, send } = setup({ 'maxmemory-policy': 'allkeys-lru', 'notify-keyspace-events': 'Ee' });
    const propagated: string[][] = [];
    engine.onPropagate((_db, argv) => propagated.push(argv));
    const events: string[] = [];
    engine.on((e) => {
      if (e.type === 'keyspace' && e.event === 'evicted') events.push(e.key);
    });
    send('DEBUG', 'POPULATE', '2000');
    const limit = engine.memory.used() - 50_000;
    send('CONFIG', 'SET', 'maxmemory', String(limit));
    send('CONFIG', 'SET', 'maxmemory-eviction-tenacity', '100');
    expect(send('PING')).toBe('+PONG\r\n');
    expect(engine.memory.used()).toBeLessThanOrEqual(limit);
    const evicted = engine.stats.evictedKeys;
    expect(evicted).toBeGreaterThan(400);
    expect(events.length).toBe(evicted);
    expect(propagated.filter((a) => a[0] === 'DEL').length).toBe(evicted);
    expect(send('INFO', 'stats')).toContain(`evicted_keys:${evicted}\r\n`);
    send('CONFIG', 'SET', 'lazyfree-lazy-eviction', 'yes');
    send('CONFIG', 'SET', 'maxmemory', String(limit - 10_000));
    send('PING');
    expect(propagated.some((a) => a[0] === 'UNLINK')).toBe(true);
  });

  it('volatile policies never evict keys without a TTL, and fail once no volatile key is left', () => {
    for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
      const { engine, send } = setup({ 'maxmemory-policy': policy, 'maxmemory-eviction-tenacity': '100' });
      for (let i = 0; i < 500; i++) send('SET', `p:${i}`, 'v');
      for (let i = 0; i < 500; i++) send('SET', `t:${i}`, 'v', 'EX', String(100 + i));
      const victims: string[] = [];
      engine.onEviction((s) => {
        if (s.victim) victims.push(s.victim.key);
      });
      send('CONFIG', 'SET', 'maxmemory', String(engine.memory.used() - 20_000));
      send('PING');
      expect(victims.length, policy).toBeGreaterThan(100);
      expect(victims.every((k) => k.startsWith('t:')), policy).toBe(true);
      send('CONFIG', 'SET', 'maxmemory', '1');
      expect(send('SET', 'x', 'y'), policy).toBe(OOM);
      expect(send('DBSIZE'), policy).toBe(':500\r\n');
    }
  });

  it('volatile-ttl evicts the keys that expire soonest first', () => {
    const { engine, send } = setup({ 'maxmemory-policy': 'volatile-ttl', 'maxmemory-samples': '10' });
    for (let i = 0; i < 300; i++) send('SET', `t:${i}`, 'v', 'EX', String(1000 + i));
    const victims: number[] = [];
    engine.onEviction((s) => {
      if (s.victim) victims.push(Number(s.victim.key.slice(2)));
    });
    send('CONFIG', 'SET', 'maxmemory', String(engine.memory.used() - 5_000));
    send('PING');
    const avg = victims.reduce((a, b) => a + b, 0) / victims.length;
    expect(victims.length).toBeGreaterThan(20);
    expect(avg).toBeLessThan(100); // uniform picks would average ~150
  });

  it('reports every step: the samples, the pool sorted by score, the victim and why', () => {
    const { engine, send, time } = setup({ 'maxmemory-policy': 'allkeys-lru' });
    for (let i = 0; i < 200; i++) {
      send('SET', `k:${i}`, 'v');
      time.now += 1000; // one second apart: distinct idle times
    }
    const steps: EvictionStep[] = [];
    engine.onEviction((s) => steps.push(s));
    send('CONFIG', 'SET', 'maxmemory', String(engine.memory.used() - 2_000));
    send('PING');
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      expect(s.policy).toBe('allkeys-lru');
      expect(s.sampled.length).toBe(5);
      expect(s.pool.length).toBeLessThanOrEqual(EVPOOL_SIZE);
      for (let i = 1; i < s.pool.length; i++) expect(s.pool[i].score).toBeGreaterThanOrEqual(s.pool[i - 1].score);
      expect(s.victim).not.toBeNull();
      expect(s.reason).toBe('longest idle time in the eviction pool');
      expect(s.freed).toBeGreaterThan(0);
      // The victim is at least as idle as anything still pooled or sampled this step.
      for (const p of [...s.pool, ...s.sampled]) if (p.key !== s.victim!.key) expect(s.victim!.score).toBeGreaterThanOrEqual(Math.min(p.score, s.victim!.score));
    }
    // The oldest keys go first: the average victim is far older than the average key.
    const avgIdx = steps.reduce((a, s) => a + Number(s.victim!.key.slice(2)), 0) / steps.length;
    expect(avgIdx).toBeLessThan(60);
  });

  it('limits one cycle\'s time by maxmemory-eviction-tenacity and carries on from the timer', () => {
    expect(evictionTimeLimitUs(0)).toBe(0);
    expect(evictionTimeLimitUs(10)).toBe(500);
    expect(Math.round(evictionTimeLimitUs(11))).toBe(575);
    expect(evictionTimeLimitUs(100)).toBe(Number.MAX_SAFE_INTEGER);
    const time = { mono: 0 };
    const engine = new Engine({ monotonic: () => (time.mono += 1), config: { 'enable-debug-command': 'yes', 'maxmemory-policy': 'allkeys-random' } });
    const send = connectTo(engine).send;
    send('DEBUG', 'POPULATE', '5000');
    send('CONFIG', 'SET', 'maxmemory', String(engine.memory.used() - 200_000));
    send('PING');
    // Every clock reading advances 1 ms here: the 0.5 ms budget stops the cycle at its first check.
    expect(engine.stats.evictedKeys).toBe(16);
    expect(engine.evictor.running).toBe(true);
    expect(engine.nextTimerDelay()).toBe(0);
    for (let i = 0; i < 1000 && engine.evictor.running; i++) engine.handleBlockedTimeouts();
    expect(engine.evictor.running).toBe(false);
    expect(engine.memory.used()).toBeLessThanOrEqual(engine.maxmemory());
  });

  it('reports how long used memory stayed over maxmemory (INFO eviction_exceeded_time)', () => {
    const clock = { mono: 0 };
    const engine = new Engine({ monotonic: () => clock.mono, config: { 'maxmemory-policy': 'noeviction' } });
    const send = connectTo(engine).ask;
    const field = (name: string): number => Number(new RegExp(`${name}:(\\d+)`).exec(send('INFO', 'stats'))![1]);
    send('SET', 'a', 'x');
    send('CONFIG', 'SET', 'maxmemory', '1');
    send('SET', 'b', 'x'); // refused: over the limit from now
    clock.mono += 250;
    expect(field('current_eviction_exceeded_time')).toBe(250);
    send('CONFIG', 'SET', 'maxmemory', '0');
    send('CONFIG', 'SET', 'maxmemory', '100mb');
    send('PING'); // within the limit again: the period ends
    clock.mono += 100;
    expect(field('current_eviction_exceeded_time')).toBe(0);
    expect(field('total_eviction_exceeded_time')).toBe(250);
    send('CONFIG', 'RESETSTAT');
    expect(field('total_eviction_exceeded_time')).toBe(0);
  });

  it('stops the timer once nothing more can be evicted', () => {
    const { engine, send } = setup({ 'maxmemory-policy': 'volatile-lru' });
    send('SET', 'a', '1');
    send('CONFIG', 'SET', 'maxmemory', '1');
    expect(engine.evictor.running).toBe(true); // a lower limit starts evicting at once
    engine.handleBlockedTimeouts();
    expect(engine.evictor.running).toBe(false);
    expect(engine.nextTimerDelay()).toBe(null);
    expect(send('GET', 'a')).toBe('$1\r\n1\r\n');
  });

  it('does not evict for the AOF loader, nor while clients are paused', () => {
    const { engine, send } = setup({ 'maxmemory-policy': 'allkeys-random' });
    send('DEBUG', 'POPULATE', '100');
    send('CLIENT', 'PAUSE', '100000', 'WRITE');
    send('CONFIG', 'SET', 'maxmemory', '1');
    send('GET', 'key:1');
    expect(engine.stats.evictedKeys).toBe(0);
    send('CLIENT', 'UNPAUSE');
    send('GET', 'key:1');
    expect(engine.stats.evictedKeys).toBe(100);
  });
});

describe('the LRU clock and the LFU counter', () => {
  it('measures idle time in seconds on a 24-bit clock that wraps', () => {
    const { engine, send, time } = setup();
    time.now = ((1 << 24) - 10) * 1000; // 10 s before the clock wraps
    send('SET', 'a', 'x');
    time.now += 25_000;
    expect(engine.lruClock()).toBe(15);
    // Redis's wrap-around formula (LRU_CLOCK_MAX - lru + now) counts one second less.
    expect(send('OBJECT', 'IDLETIME', 'a')).toBe(':24\r\n');
    send('GET', 'a');
    expect(send('OBJECT', 'IDLETIME', 'a')).toBe(':0\r\n');
    // TYPE, EXISTS and OBJECT do not touch the key
    time.now += 5000;
    send('TYPE', 'a');
    send('EXISTS', 'a');
    expect(send('OBJECT', 'IDLETIME', 'a')).toBe(':5\r\n');
  });

  it('counts accesses logarithmically (lfu-log-factor) and decays them (lfu-decay-time)', () => {
    const { send, time } = setup({ 'maxmemory-policy': 'allkeys-lfu' });
    send('SET', 'a', 'x');
    expect(send('OBJECT', 'FREQ', 'a')).toBe(':5\r\n'); // LFU_INIT_VAL
    for (let i = 0; i < 1000; i++) send('GET', 'a');
    const after1000 = Number(send('OBJECT', 'FREQ', 'a').slice(1));
    // Redis's table for factor 10: about 18 after 1k hits (it starts from 5 here).
    expect(after1000).toBeGreaterThanOrEqual(14);
    expect(after1000).toBeLessThanOrEqual(24);
    time.now += 3 * 60_000;
    expect(send('OBJECT', 'FREQ', 'a')).toBe(`:${after1000 - 3}\r\n`);
    send('CONFIG', 'SET', 'lfu-decay-time', '0');
    time.now += 60 * 60_000;
    expect(send('OBJECT', 'FREQ', 'a')).toBe(`:${after1000}\r\n`);
    send('CONFIG', 'SET', 'lfu-log-factor', '0');
    send('SET', 'b', 'x');
    for (let i = 0; i < 300; i++) send('GET', 'b');
    expect(send('OBJECT', 'FREQ', 'b')).toBe(':255\r\n'); // factor 0: every hit counts, up to 255
  });

  it('OBJECT FREQ / IDLETIME answer Redis\'s errors under the other kind of policy', () => {
    const { send } = setup();
    send('SET', 'a', 'x');
    expect(send('OBJECT', 'FREQ', 'a')).toMatch(/^-ERR An LFU maxmemory policy is not selected/);
    send('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu');
    expect(send('OBJECT', 'IDLETIME', 'a')).toMatch(/^-ERR An LFU maxmemory policy is selected/);
  });

  it('does not touch keys while a snapshot is being written', () => {
    const { engine, send, time } = setup();
    send('SET', 'a', 'x');
    time.now += 10_000;
    engine.cowSnapshot = {} as never; // a background save in progress (only its presence matters)
    send('GET', 'a');
    engine.cowSnapshot = null;
    expect(send('OBJECT', 'IDLETIME', 'a')).toBe(':10\r\n');
  });
});
