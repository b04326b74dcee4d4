import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { Conn, compareSteps, runRandom, runSeed, startPair, type Normalize, type Rng, type Step } from './harness';
import type { Reply } from './resp-reader';

export type StepLike = string[] | Step;

const toStep = (s: StepLike): Step => (Array.isArray(s) ? { argv: s } : s);

/**
 * Compat test fixture: a real redis-server and our server, one connection to each, both flushed
 * before every test. `same(...)` sends the same commands to both and fails on any difference.
 */
export function usePair(config: Record<string, string> = {}) {
  let servers: Awaited<ReturnType<typeof startPair>>;
  let real: Conn;
  let ours: Conn;
  const extra: Conn[] = [];

  beforeAll(async () => {
    servers = await startPair(config);
    real = await Conn.open(servers.real.port);
    ours = await Conn.open(servers.ours.port);
  });
  afterAll(async () => {
    real?.close();
    ours?.close();
    for (const c of extra) c.close();
    await servers?.stop();
  });
  beforeEach(async () => {
    for (const c of [real, ours]) {
      if (c.closed) continue;
      await c.send('SELECT', '0');
      await c.send('FLUSHALL');
    }
  });

  return {
    get real(): Conn { return real; },
    get ours(): Conn { return ours; },
    get ports(): { real: number; ours: number } { return { real: servers.real.port, ours: servers.ours.port }; },
    get engine() { return servers.ours.engine!; },

    /** Fresh connections to both servers (closed after the file). */
    async connect(): Promise<{ real: Conn; ours: Conn }> {
      const pair = { real: await Conn.open(servers.real.port), ours: await Conn.open(servers.ours.port) };
      extra.push(pair.real, pair.ours);
      return pair;
    },

    /** Wait until both servers report n blocked clients (BLPOP & co., or held back by CLIENT PAUSE). */
    async waitBlocked(n: number): Promise<void> {
      for (const c of [real, ours]) {
        for (let i = 0; ; i++) {
          const info = (await c.send('INFO', 'clients')).raw.toString('latin1');
          if (info.includes(`blocked_clients:${n}\r\n`)) break;
          if (i > 200) throw new Error(`never saw blocked_clients:${n}: ${info}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    },

    /** Send the same commands to both servers, in order; every reply must match. */
    async same(...steps: StepLike[]): Promise<void> {
      const diffs = await compareSteps(real, ours, steps.map(toStep));
      expect(diffs, diffs.join('\n\n')).toEqual([]);
    },

    /** Like same() on a given pair of connections. */
    async sameOn(conns: { real: Conn; ours: Conn }, ...steps: StepLike[]): Promise<void> {
      const diffs = await compareSteps(conns.real, conns.ours, steps.map(toStep));
      expect(diffs, diffs.join('\n\n')).toEqual([]);
    },

    /**
     * Like same(), and the side effects must match too: the keyspace events (in order, read from a
     * real PSUBSCRIBE on Redis and from our engine's events), and the changes in dirty
     * (rdb_changes_since_last_save), keyspace_hits and keyspace_misses. Database 0.
     */
    async sameEffects(...steps: StepLike[]): Promise<void> {
      await real.send('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      const sub = await Conn.open(servers.real.port);
      await sub.send('PSUBSCRIBE', '__keyevent@0__:*');
      const engine = servers.ours.engine!;
      const ourEvents: string[] = [];
      const off = engine.on((e) => {
        if (e.type === 'keyspace' && e.db === 0 && e.event !== 'new' && e.event !== 'keymiss') ourEvents.push(e.event + ' ' + e.key);
      });
      const realBefore = await realCounters(real);
      const oursBefore = { dirty: engine.dirty, hits: engine.stats.keyspaceHits, misses: engine.stats.keyspaceMisses };
      try {
        const diffs = await compareSteps(real, ours, steps.map(toStep));
        expect(diffs, diffs.join('\n\n')).toEqual([]);
      } finally {
        off();
      }
      const realAfter = await realCounters(real);
      await real.send('PUBLISH', '__keyevent@0__:zz-end', 'zz-end');
      const realEvents: string[] = [];
      for (;;) {
        const m = (await sub.read()).reply as Reply;
        if (m.t !== 'array' || !m.v) continue;
        const channel = (m.v[2] as { v: string }).v;
        const key = (m.v[3] as { v: string }).v;
        if (key === 'zz-end') break;
        realEvents.push(channel.slice('__keyevent@0__:'.length) + ' ' + key);
      }
      sub.close();
      await real.send('CONFIG', 'SET', 'notify-keyspace-events', '');
      expect(ourEvents, 'keyspace events').toEqual(realEvents);
      expect(engine.dirty - oursBefore.dirty, 'dirty').toBe(realAfter.dirty - realBefore.dirty);
      expect(engine.stats.keyspaceHits - oursBefore.hits, 'keyspace hits').toBe(realAfter.hits - realBefore.hits);
      expect(engine.stats.keyspaceMisses - oursBefore.misses, 'keyspace misses').toBe(realAfter.misses - realBefore.misses);
    },

    /** A seeded random run; the datasets must also end identical (DEBUG DIGEST). */
    async random(gen: (r: Rng) => Step, count: number, seed = runSeed()): Promise<void> {
      const diffs = await runRandom(real, ours, gen, { seed, count });
      expect(diffs, diffs.join('\n\n')).toEqual([]);
      const [a, b] = [await real.send('DEBUG', 'DIGEST'), await ours.send('DEBUG', 'DIGEST')];
      expect(b.raw.toString('latin1'), `DEBUG DIGEST after seed ${seed}`).toBe(a.raw.toString('latin1'));
    },
  };
}

export function step(argv: string[], normalize?: Normalize): Step {
  return { argv, normalize };
}

function infoField(text: string, name: string): number {
  const m = new RegExp('^' + name + ':(\\d+)', 'm').exec(text);
  if (!m) throw new Error('no INFO field ' + name);
  return Number(m[1]);
}

/** A real server's change counters: dirty (rdb_changes_since_last_save), keyspace hits and misses. */
async function realCounters(c: Conn): Promise<{ dirty: number; hits: number; misses: number }> {
  const persistence = ((await c.send('INFO', 'persistence')).reply as { v: string }).v;
  const stats = ((await c.send('INFO', 'stats')).reply as { v: string }).v;
  return {
    dirty: infoField(persistence, 'rdb_changes_since_last_save'),
    hits: infoField(stats, 'keyspace_hits'),
    misses: infoField(stats, 'keyspace_misses'),
  };
}
