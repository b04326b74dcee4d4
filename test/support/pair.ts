import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { Conn, compareSteps, runRandom, runSeed, startPair, type Normalize, type Rng, type Step } from './harness';

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
