import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePair } from '../support/pair';
import { compareSteps, rng, runSeed, showArgv, type Conn, type Rng, type Step } from '../support/harness';
import { encodeCommand } from '../support/resp-reader';
import { maskTimes, tapEngine, tapRealRedis, type PropagationTap } from '../support/replstream';
import { genMixed } from './gen/mixed';
import { makeGenTransactions } from './gen/transactions';

/**
 * Random mixed commands (and transactions of them) on both servers; after every batch the streams
 * each propagated (what a replica receives) must be equal, absolute times masked. Active expiry is
 * off on both so that no expiry DEL lands at a different place (the generators' TTLs are long).
 */
const pair = usePair();
let real: PropagationTap;
let ours: PropagationTap;
let marker = 0;

beforeAll(async () => {
  real = await tapRealRedis(pair.ports.real);
  ours = tapEngine(pair.engine);
});
afterAll(() => {
  real?.close();
  ours?.close();
});

/**
 * maskTimes, and also absolute times beyond its window: a relative TTL near the 64-bit limit
 * (SETEX k 9223372036854775 v) becomes a PXAT that differs by the ms between the two servers.
 */
function maskAllTimes(cmds: string[][]): string[][] {
  const floor = BigInt(Date.now() - 86400_000);
  return maskTimes(cmds).map((argv) => argv.map((a, i) => {
    const isTime = (i === 2 && argv[0] === 'PEXPIREAT') || (i > 0 && argv[i - 1] === 'PXAT');
    return isTime && /^\d{13,19}$/.test(a) && BigInt(a) >= floor ? '<ms>' : a;
  }));
}

const show = (cmds: string[][], from: number, to: number): string =>
  cmds.slice(Math.max(0, from), to).map((c) => '    ' + showArgv(c)).join('\n');

/** The first place the two streams differ, with some context around it. */
function streamDiff(a: string[][], b: string[][]): string | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(a[i]) === JSON.stringify(b[i])) continue;
    return `streams differ at entry ${i}\n  real:\n${show(a, i - 5, i + 5)}\n  ours:\n${show(b, i - 5, i + 5)}`;
  }
  return null;
}

async function run(gen: (r: Rng) => Step, count: number, seed = runSeed()): Promise<void> {
  const r = rng(seed);
  await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
  try {
    const history: Step[] = [];
    let inMulti = false;
    for (let done = 0; done < count; ) {
      const steps: Step[] = [];
      // A batch ends outside MULTI: the marker SET must not be queued.
      while (steps.length < 100 || inMulti) {
        const s = gen(r);
        steps.push(s);
        const name = s.argv[0].toUpperCase();
        if (s.argv.length === 1 && name === 'MULTI') inMulti = true;
        if (s.argv.length === 1 && (name === 'EXEC' || name === 'DISCARD')) inMulti = false;
        if (inMulti && steps.length > 300) {
          steps.push({ argv: ['DISCARD'] });
          inMulti = false;
        }
      }
      const diffs = await compareSteps(pair.real, pair.ours, steps, history);
      expect(diffs, `seed ${seed} (replay with COMPAT_SEED=${seed})\n` + diffs.slice(0, 3).join('\n\n')).toEqual([]);
      const m = `zz-marker-${++marker}`;
      await pair.same(['SET', m, '1'], ['DEL', m]);
      const [a, b] = await Promise.all([real.until(m), ours.until(m)]);
      const d = streamDiff(maskAllTimes(a), maskAllTimes(b));
      const context = [...history.slice(-20), ...steps].map((s) => '    ' + showArgv(s.argv)).join('\n');
      expect(d, `seed ${seed} (replay with COMPAT_SEED=${seed}), batch at command #${done}:\n${d}\n  commands:\n${context}`).toBeNull();
      // The DEL of the marker follows in both streams: drop it before the next batch.
      await Promise.all([real.until(m), ours.until(m)]);
      history.push(...steps);
      if (history.length > 50) history.splice(0, history.length - 50);
      done += steps.length;
    }
  } finally {
    await pair.same(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
  }
}

describe('propagation of random commands', () => {
  it('mixed commands propagate the same stream', async () => {
    await run(genMixed, 5000);
  });

  it('transactions of mixed commands propagate the same stream', async () => {
    await run(makeGenTransactions(), 3000);
  });

  it('with every lazyfree option on (UNLINK where Redis then sends it)', async () => {
    const names = ['lazyfree-lazy-expire', 'lazyfree-lazy-server-del', 'lazyfree-lazy-user-del', 'lazyfree-lazy-user-flush'];
    for (const n of names) await pair.same(['CONFIG', 'SET', n, 'yes']);
    try {
      await run(makeGenTransactions(), 2000);
    } finally {
      for (const n of names) await pair.same(['CONFIG', 'SET', n, 'no']);
    }
  });
});

/**
 * Random rounds of blocked clients and the writes that serve them: each round blocks every extra
 * connection on a random blocking command over a few keys, runs random pushes (some in MULTI, some
 * moving elements on to other waited-on keys), then unblocks whoever is left with CLIENT UNBLOCK.
 * Every client's reply must match, and so must the streams (served pops go out after the write).
 */
describe('propagation of random served blocked clients', () => {
  const LISTS = ['l0', 'l1', 'l2'];
  const ZSETS = ['z0', 'z1'];

  function blockingCommand(r: Rng): string[] {
    const lists = (): string[] => LISTS.filter(() => r.chance(0.5)).concat(r.pick(LISTS));
    const zsets = (): string[] => ZSETS.filter(() => r.chance(0.5)).concat(r.pick(ZSETS));
    const dir = (): string => r.pick(['LEFT', 'RIGHT']);
    switch (r.int(0, 7)) {
      case 0: return ['BLPOP', ...lists(), '0'];
      case 1: return ['BRPOP', ...lists(), '0'];
      case 2: return ['BLMOVE', r.pick(LISTS), r.pick(LISTS), dir(), dir(), '0'];
      case 3: return ['BRPOPLPUSH', r.pick(LISTS), r.pick(LISTS), '0'];
      case 4: { const k = lists(); return ['BLMPOP', '0', String(k.length), ...k, dir(), ...(r.chance(0.5) ? ['COUNT', String(r.int(1, 3))] : [])]; }
      case 5: return ['BZPOPMIN', ...zsets(), '0'];
      case 6: return ['BZPOPMAX', ...zsets(), '0'];
      default: { const k = zsets(); return ['BZMPOP', '0', String(k.length), ...k, r.pick(['MIN', 'MAX']), ...(r.chance(0.5) ? ['COUNT', String(r.int(1, 3))] : [])]; }
    }
  }

  function write(r: Rng): string[][] {
    const one = (): string[] => {
      const p = r.next();
      if (p < 0.35) return [r.pick(['RPUSH', 'LPUSH']), r.pick(LISTS), ...Array.from({ length: r.int(1, 3) }, () => 'v' + r.int(0, 9))];
      if (p < 0.6) return ['ZADD', r.pick(ZSETS), ...Array.from({ length: r.int(1, 2) }, () => [String(r.int(0, 5)), 'm' + r.int(0, 5)]).flat()];
      if (p < 0.72) return ['LMOVE', r.pick(LISTS), r.pick(LISTS), r.pick(['LEFT', 'RIGHT']), r.pick(['LEFT', 'RIGHT'])];
      if (p < 0.87) return ['DEL', r.pick([...LISTS, ...ZSETS])];
      if (p < 0.96) return ['RENAME', r.pick(LISTS), r.pick(LISTS)];
      return ['SET', r.pick(LISTS), 'x'];
    };
    if (r.chance(0.25)) return [['MULTI'], one(), one(), ['EXEC']];
    return [one()];
  }

  const text = (a: { raw: Buffer }): string => a.raw.toString('latin1');

  async function bothIds(p: { real: Conn; ours: Conn }): Promise<{ real: string; ours: string }> {
    const [a, b] = await Promise.all([p.real.send('CLIENT', 'ID'), p.ours.send('CLIENT', 'ID')]);
    return { real: text(a).slice(1, -2), ours: text(b).slice(1, -2) };
  }

  async function blockedCount(c: Conn): Promise<number> {
    return Number(/blocked_clients:(\d+)/.exec(text(await c.send('INFO', 'clients')))![1]);
  }

  it('serves and propagates like Redis', async () => {
    const seed = runSeed();
    const r = rng(seed);
    const blockers = [await pair.connect(), await pair.connect(), await pair.connect()];
    const ids = await Promise.all(blockers.map(bothIds));
    const realDirty = async (): Promise<number> =>
      Number(/rdb_changes_since_last_save:(\d+)/.exec(text(await pair.real.send('INFO', 'persistence')))![1]);
    for (let round = 0; round < 150; round++) {
      const log: string[] = [];
      const dirtyBefore = { real: await realDirty(), ours: pair.engine.dirty };
      for (const b of blockers) {
        const argv = blockingCommand(r);
        log.push('blocked: ' + showArgv(argv));
        b.real.writeRaw(encodeCommand(argv));
        b.ours.writeRaw(encodeCommand(argv));
      }
      // Each either blocked or answered at once; wait until both servers settled the same way.
      for (let i = 0; ; i++) {
        const [a, o] = await Promise.all([blockedCount(pair.real), blockedCount(pair.ours)]);
        if (a === o && i > 2) break;
        if (i > 200) throw new Error(`blocked clients differ: ${a} vs ${o}\n${log.join('\n')}`);
        await new Promise((res) => setTimeout(res, 2));
      }
      const writes = write(r);
      log.push(...writes.map((w) => 'write: ' + showArgv(w)));
      await pair.same(...writes);
      // Whoever is still blocked gets the timeout reply; then every blocker has exactly one reply.
      for (let i = 0; i < blockers.length; i++) {
        const [a, o] = await Promise.all([
          pair.real.send('CLIENT', 'UNBLOCK', ids[i].real), pair.ours.send('CLIENT', 'UNBLOCK', ids[i].ours),
        ]);
        expect(text(o), `seed ${seed} round ${round}: CLIENT UNBLOCK of blocker ${i}\n${log.join('\n')}`).toBe(text(a));
      }
      for (const [i, b] of blockers.entries()) {
        const [a, o] = await Promise.all([b.real.read(), b.ours.read()]);
        expect(text(o), `seed ${seed} round ${round}: reply of blocker ${i}\n${log.join('\n')}`).toBe(text(a));
      }
      // Served clients count their changes in dirty as Redis does (BLPOP and BLMOVE do not).
      const dirty = { real: (await realDirty()) - dirtyBefore.real, ours: pair.engine.dirty - dirtyBefore.ours };
      expect(dirty.ours, `seed ${seed} round ${round}: dirty\n${log.join('\n')}`).toBe(dirty.real);
      const m = `zz-marker-${++marker}`;
      await pair.same(['SET', m, '1'], ['DEL', m]);
      const [sa, sb] = await Promise.all([real.until(m), ours.until(m)]);
      if (process.env.SHOW_STREAM) console.log(JSON.stringify(sa));
      const d = streamDiff(maskAllTimes(sa), maskAllTimes(sb));
      expect(d, `seed ${seed} (replay with COMPAT_SEED=${seed}), round ${round}:\n${d}\n${log.join('\n')}`).toBeNull();
      await Promise.all([real.until(m), ours.until(m)]);
    }
  });
});
