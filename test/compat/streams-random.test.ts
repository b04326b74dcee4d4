import { describe, expect, it } from 'vitest';
import { usePair } from '../support/pair';
import { runRandom, runSeed, compareSteps, type Rng, type Step } from '../support/harness';
import type { Reply } from '../support/resp-reader';

/**
 * A seeded random mix of stream commands against a real Redis 7.0: XADD with random explicit IDs
 * (mostly increasing, some too small), exact and `~` trims with LIMIT, deletes, groups, reads,
 * acks, claims and autoclaims, XSETID, and the XINFO views. Replies must match byte for byte,
 * except idle / seen / delivery times (normalised). Replay a failure with COMPAT_SEED=<seed>.
 *
 * Claims stay deterministic: entries are either delivered "now" (idle: a few ms) or moved to
 * TIME 1000 (idle: decades), and min-idle arguments are 0 or an hour.
 */

const KEYS = ['s:0', 's:1', 's:2', 's:3'];
const GROUPS = ['g1', 'g2', 'g3'];
const CONSUMERS = ['alice', 'bob', 'carol', 'dan'];
const FIELDS = ['f', 'g', 'h', 'name', '1', '12345', ''];
const VALUES = ['v', 'w', '0', '127', '128', '-4096', '65536', '9223372036854775807', '', 'hello world'];

let clock = 1;

function key(r: Rng): string {
  const p = r.next();
  if (p < 0.95) return r.pick(KEYS);
  return r.pick(['s:str', 's:none']);
}

/** An ID near the generator's clock: mostly ahead of it (so XADD succeeds), sometimes behind. */
function id(r: Rng, forAdd = false): string {
  const p = r.next();
  if (forAdd) clock += r.int(0, 3);
  const ms = Math.max(0, clock + (forAdd ? r.int(-2, 2) : r.int(-40, 3)));
  if (p < 0.75) return `${ms}-${r.int(0, 4)}`;
  if (p < 0.9) return forAdd ? `${ms}-*` : String(ms);
  if (p < 0.95) return String(ms);
  return r.pick(forAdd ? ['0-0', '0-1', 'x', '18446744073709551615-18446744073709551615'] : ['-', '+', 'x', '0', '0-0']);
}

function bound(r: Rng, start: boolean): string {
  const p = r.next();
  if (p < 0.2) return start ? '-' : '+';
  if (p < 0.4) return '(' + id(r);
  return id(r);
}

function fieldsAndValues(r: Rng): string[] {
  const out: string[] = [];
  if (r.chance(0.5)) return ['f', r.pick(VALUES)];
  for (let i = r.int(1, 3); i > 0; i--) {
    out.push(r.pick(FIELDS));
    out.push(r.chance(0.05) ? 'x'.repeat(r.int(60, 300)) : r.pick(VALUES));
  }
  return out;
}

function trimArgs(r: Rng): string[] {
  const out: string[] = [];
  const minid = r.chance(0.4);
  out.push(minid ? 'MINID' : 'MAXLEN');
  const approx = r.chance(0.5);
  const mode = r.pick(['', '=', '~']);
  if (approx || mode === '~') out.push('~');
  else if (mode === '=') out.push('=');
  out.push(minid ? id(r) : String(r.chance(0.9) ? r.int(0, 40) : r.int(-1, 1000)));
  if (r.chance(0.3)) out.push('LIMIT', String(r.int(0, 30)));
  return out;
}

function count(r: Rng): string[] {
  return r.chance(0.5) ? [] : ['COUNT', String(r.chance(0.9) ? r.int(0, 8) : r.int(-2, 100))];
}

function xadd(r: Rng): string[] {
  const argv = ['XADD', key(r)];
  if (r.chance(0.05)) argv.push('NOMKSTREAM');
  if (r.chance(0.25)) argv.push(...trimArgs(r));
  argv.push(id(r, true), ...fieldsAndValues(r));
  return argv;
}

/** XINFO views with the clock-dependent numbers masked. */
const timeless = (r: Reply): unknown => strip(r);

function strip(r: Reply, pending = false): unknown {
  if (r.t === 'array' || r.t === 'set' || r.t === 'push') {
    if (!r.v) return null;
    const items = r.v;
    if (pending) return items.map((e) => (e.t === 'array' && e.v ? e.v.map((x, i) => (i === e.v!.length - 2 ? 'T' : strip(x))) : strip(e)));
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const k = items[i];
      const name = k.t === 'bulk' ? k.v : null;
      if ((name === 'idle' || name === 'seen-time') && i + 1 < items.length) {
        out.push(name, 'T');
        i++;
      } else if (name === 'pending' && i + 1 < items.length && items[i + 1].t === 'array') {
        out.push(name, strip(items[i + 1], true));
        i++;
      } else {
        out.push(strip(k));
      }
    }
    return out;
  }
  if (r.t === 'map') {
    return r.v.map(([k, v]) => {
      const name = k.t === 'bulk' ? k.v : null;
      if (name === 'idle' || name === 'seen-time') return [name, 'T'];
      return [strip(k), strip(v, name === 'pending' && v.t === 'array')];
    });
  }
  if (r.t === 'null') return null;
  return `${r.t}:${'v' in r ? r.v : ''}`;
}

/** XPENDING's extended form: mask the idle column. */
const pendingTimes = (r: Reply): unknown => strip(r, true);

function gen(r: Rng): Step {
  const k = key(r);
  const g = r.chance(0.95) ? r.pick(GROUPS) : 'nog';
  const c = r.pick(CONSUMERS);
  const p = r.int(0, 99);
  if (p < 30) return { argv: xadd(r) };
  if (p < 34) return { argv: ['XTRIM', k, ...trimArgs(r)] };
  if (p < 38) {
    const ids: string[] = [];
    for (let i = r.int(1, 4); i > 0; i--) ids.push(id(r));
    return { argv: ['XDEL', k, ...ids] };
  }
  if (p < 42) return { argv: [r.chance(0.5) ? 'XRANGE' : 'XREVRANGE', k, bound(r, true), bound(r, false), ...count(r)] };
  if (p < 44) return { argv: ['XLEN', k] };
  if (p < 47) return { argv: ['XINFO', 'STREAM', k] };
  if (p < 50) return { argv: ['XINFO', 'GROUPS', k] };
  if (p < 53) {
    const start = r.pick(['$', '0', id(r)]);
    const argv = ['XGROUP', 'CREATE', k, g, start];
    if (r.chance(0.3)) argv.push('MKSTREAM');
    if (r.chance(0.2)) argv.push('ENTRIESREAD', String(r.int(-1, 20)));
    return { argv };
  }
  if (p < 55) {
    const argv = ['XGROUP', 'SETID', k, g, r.pick(['$', '0', id(r)])];
    if (r.chance(0.4)) argv.push('ENTRIESREAD', String(r.int(-1, 30)));
    return { argv };
  }
  if (p < 56) return { argv: ['XGROUP', 'DESTROY', k, g] };
  if (p < 57) return { argv: ['XGROUP', 'CREATECONSUMER', k, g, c] };
  if (p < 58) return { argv: ['XGROUP', 'DELCONSUMER', k, g, c] };
  if (p < 70) {
    const argv = ['XREADGROUP', 'GROUP', g, c, ...count(r)];
    if (r.chance(0.15)) argv.push('NOACK');
    const keys = r.chance(0.8) ? [k] : [k, key(r)];
    argv.push('STREAMS', ...keys, ...keys.map(() => (r.chance(0.75) ? '>' : r.pick(['0', id(r)]))));
    return { argv };
  }
  if (p < 74) {
    const keys = r.chance(0.7) ? [k] : [k, key(r)];
    return { argv: ['XREAD', ...count(r), 'STREAMS', ...keys, ...keys.map(() => r.pick(['0', '$', id(r)]))] };
  }
  if (p < 80) {
    const ids: string[] = [];
    for (let i = r.int(1, 4); i > 0; i--) ids.push(id(r));
    return { argv: ['XACK', k, g, ...ids] };
  }
  if (p < 83) return { argv: ['XPENDING', k, g] };
  if (p < 85) {
    const argv = ['XPENDING', k, g];
    if (r.chance(0.3)) argv.push('IDLE', r.pick(['0', '3600000']));
    argv.push(bound(r, true), bound(r, false), String(r.int(-1, 10)));
    if (r.chance(0.3)) argv.push(c);
    return { argv, normalize: pendingTimes };
  }
  if (p < 91) {
    const argv = ['XCLAIM', k, g, c, r.pick(['0', '0', '3600000', '-1'])];
    for (let i = r.int(1, 4); i > 0; i--) argv.push(id(r));
    if (r.chance(0.3)) argv.push('TIME', '1000');
    else if (r.chance(0.2)) argv.push('IDLE', r.pick(['0', '100000000', '-5']));
    if (r.chance(0.2)) argv.push('RETRYCOUNT', String(r.int(0, 5)));
    if (r.chance(0.2)) argv.push('FORCE');
    if (r.chance(0.5)) argv.push('JUSTID');
    if (r.chance(0.1)) argv.push('LASTID', id(r));
    return { argv };
  }
  if (p < 95) {
    const argv = ['XAUTOCLAIM', k, g, c, r.pick(['0', '3600000']), bound(r, true)];
    if (r.chance(0.6)) argv.push('COUNT', String(r.int(1, 6)));
    if (r.chance(0.4)) argv.push('JUSTID');
    return { argv };
  }
  if (p < 96) return { argv: ['XINFO', 'CONSUMERS', k, g], normalize: timeless };
  if (p < 97) return { argv: ['XINFO', 'STREAM', k, 'FULL', ...(r.chance(0.5) ? ['COUNT', String(r.int(0, 5))] : [])], normalize: timeless };
  if (p < 98) {
    const argv = ['XSETID', k, id(r)];
    if (r.chance(0.3)) argv.push('ENTRIESADDED', String(r.int(0, 200)));
    if (r.chance(0.3)) argv.push('MAXDELETEDID', id(r));
    return { argv };
  }
  if (p < 99) return { argv: r.chance(0.5) ? ['DEL', k] : ['MEMORY', 'USAGE', k] };
  return { argv: ['SET', 's:str', 'x'] };
}

const pair = usePair();

async function run(config: Record<string, string>, n: number, resp3 = false): Promise<void> {
  const seed = runSeed();
  clock = 1;
  for (const [k, v] of Object.entries(config)) await pair.same(['CONFIG', 'SET', k, v]);
  let conns = { real: pair.real, ours: pair.ours };
  if (resp3) {
    conns = await pair.connect();
    await Promise.all([conns.real.send('HELLO', '3'), conns.ours.send('HELLO', '3')]);
  }
  const diffs = await runRandom(conns.real, conns.ours, gen, { seed, count: n });
  expect(diffs, diffs.join('\n\n')).toEqual([]);
  // The whole state at the end, every key.
  const final: Step[] = KEYS.map((k) => ({ argv: ['XINFO', 'STREAM', k, 'FULL', 'COUNT', '0'], normalize: timeless }));
  const end = await compareSteps(conns.real, conns.ours, final);
  expect(end, `final state after seed ${seed}\n` + end.join('\n\n')).toEqual([]);
}

describe('streams: seeded random runs', () => {
  const n = Number(process.env.COMPAT_COUNT ?? 6000);
  it('default node sizes', async () => {
    await run({ 'stream-node-max-entries': '100', 'stream-node-max-bytes': '4096' }, n);
  });
  it('small nodes (approximate trimming works on node boundaries)', async () => {
    await run({ 'stream-node-max-entries': '4', 'stream-node-max-bytes': '160' }, n);
  });
  it('entry-count nodes only', async () => {
    await run({ 'stream-node-max-entries': '7', 'stream-node-max-bytes': '0' }, n);
  });
  it('RESP3', async () => {
    await run({ 'stream-node-max-entries': '5', 'stream-node-max-bytes': '4096' }, n / 2, true);
  });
});
