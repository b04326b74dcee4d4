/**
 * `npm run bench [-- options]`: one run on one machine; every figure is the median of several repeats
 * and is printed next to its reference from the same run, with the ratio. Measures, never asserts.
 *
 *   --only inproc|tcp     run one half
 *   --repeats N           repeats per figure (default: 5 in-process, 3 TCP)
 *   --ms N                length of one in-process repeat in ms (default 500)
 *   -n N                  redis-benchmark requests without pipelining (default 100000)
 *   --pn N                redis-benchmark requests with -P 16 (default 1000000)
 *   --keys N              keys for the SAVE / load figures (default 1000000)
 *   --only persist        only the SAVE / load figures
 *   --only browser        only the browser figures (headless Chromium, IndexedDB)
 *   --only memory         only used_memory of the same datasets, ours next to redis-server's
 */
import os from 'node:os';
import { measureMock, measureOurs, engineSupports, median, encode, BATCH, KEYSPACE, OPS, type BenchOp } from './inprocess';
import { initScripting } from '../src/engine/scripting/vm';
import { measurePersistence, type PersistenceFigures } from './persistence';
import { measureBrowser } from './browser';
import { measureMemory } from './memory';
import { redisBenchmark, redisBenchmarkCommand, redisVersion, startOurServer, startRealRedis, rawRequest, openSubscribers, type Proc } from './tcp';

/** redis-benchmark's own -t test for an op, or null when it runs as a custom command line. */
const BUILTIN: Record<string, string> = { SET: 'set', GET: 'get', INCR: 'incr', LPUSH: 'lpush', LPOP: 'lpop', HSET: 'hset', SADD: 'sadd', ZADD: 'zadd' };

interface Args { only: 'inproc' | 'tcp' | 'persist' | 'browser' | 'memory' | null; repeats: number | null; ms: number; n: number; pn: number; keys: number }

function parseArgs(argv: string[]): Args {
  const a: Args = { only: null, repeats: null, ms: 500, n: 100_000, pn: 1_000_000, keys: 1_000_000 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    const num = (): number => {
      const x = Number(v);
      if (!Number.isInteger(x) || x <= 0) throw new Error(`${k} needs a positive integer`);
      i++;
      return x;
    };
    if (k === '--only' && (v === 'inproc' || v === 'tcp' || v === 'persist' || v === 'browser' || v === 'memory')) { a.only = v; i++; }
    else if (k === '--keys') a.keys = num();
    else if (k === '--repeats') a.repeats = num();
    else if (k === '--ms') a.ms = num();
    else if (k === '-n') a.n = num();
    else if (k === '--pn') a.pn = num();
    else throw new Error(`unknown option ${k} (see bench/run.ts)`);
  }
  return a;
}

const fmt = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '-' : Math.round(x).toLocaleString('en-US'));
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !b ? '-' : (a / b).toFixed(2) + '×';

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('   ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

const log = (s: string): void => { process.stderr.write(s + '\n'); };

/** SAVE and load of args.keys small keys, ours over TCP next to redis-server's; median of the repeats. */
async function persistence(args: Args): Promise<{ saveMs: number; loadMs: number }> {
  const repeats = args.repeats ?? 3;
  const [real, node] = await Promise.all([startRealRedis(), startOurServer()]);
  const runs = new Map<Proc, PersistenceFigures[]>([[real, []], [node, []]]);
  try {
    for (let r = 0; r < repeats; r++) {
      for (const p of r % 2 === 0 ? [node, real] : [real, node]) {
        log(`SAVE / load of ${args.keys} keys on ${p.name} (${r + 1}/${repeats})...`);
        runs.get(p)!.push(await measurePersistence(p, args.keys));
      }
    }
  } finally {
    await Promise.all([real.stop(), node.stop()]);
  }
  const med = (p: Proc, f: (x: PersistenceFigures) => number): number => median(runs.get(p)!.map(f));
  console.log(`\n(c) Persistence over TCP: ${args.keys.toLocaleString('en-US')} keys from DEBUG POPULATE; median of ${repeats}`);
  console.log('    SAVE = the command\'s round trip; load = DEBUG RELOAD NOSAVE (empty the dataset, load the file)');
  console.log(table(['figure', 'ours ms', 'redis-server ms', 'ours / redis'], [
    ['SAVE', fmt(med(node, (x) => x.saveMs)), fmt(med(real, (x) => x.saveMs)), ratio(med(node, (x) => x.saveMs), med(real, (x) => x.saveMs))],
    ['load', fmt(med(node, (x) => x.loadMs)), fmt(med(real, (x) => x.loadMs)), ratio(med(node, (x) => x.loadMs), med(real, (x) => x.loadMs))],
  ]));
  const keysOk = [...runs.values()].flat().every((x) => x.fileKeys === args.keys);
  if (!keysOk) console.log('    warning: a reload did not bring back every key');
  return { saveMs: med(real, (x) => x.saveMs), loadMs: med(real, (x) => x.loadMs) };
}

/** used_memory of the same datasets on both servers (bench/memory.ts); target ±25%. */
async function memoryFigures(): Promise<void> {
  const rows = await measureMemory(log);
  console.log('\n(e) Memory: INFO used_memory after loading the same dataset into each server (flushed in between)');
  console.log('    net = used_memory - used_memory_startup; target in the issue: ours within ±25% of redis-server');
  const pct = (a: number, b: number): string => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)}%`;
  console.log(table(['dataset', 'ours used', 'redis used', 'diff', 'ours net', 'redis net', 'net diff'],
    rows.map((r) => [r.dataset, fmt(r.ours), fmt(r.redis), pct(r.ours, r.redis), fmt(r.oursNet), fmt(r.redisNet), pct(r.oursNet, r.redisNet)])));
}

/** The browser half: first prompt, round trips, SAVE / load with IndexedDB (next to redis's from (c)). */
async function browserFigures(args: Args, redis: { saveMs: number; loadMs: number } | null): Promise<void> {
  const b = await measureBrowser(args.keys, log);
  console.log(`\n(d) In the browser (headless Chromium, production build; storage IndexedDB)`);
  console.log('    targets in the issue: round trip median < 1 ms, p99 < 5 ms; first prompt < 1 s');
  console.log(table(['figure', 'ours', 'redis-server (c)'], [
    ['page load → first prompt', `${fmt(b.firstPromptMs)} ms`, '-'],
    ['PING round trip, median', `${b.rttMedianMs.toFixed(3)} ms`, '-'],
    ['PING round trip, p99', `${b.rttP99Ms.toFixed(3)} ms`, '-'],
    [`SAVE of ${b.keys.toLocaleString('en-US')} keys`, `${fmt(b.saveMs)} ms`, redis ? `${fmt(redis.saveMs)} ms` : '-'],
    [`load of ${b.keys.toLocaleString('en-US')} keys`, `${fmt(b.loadMs)} ms`, redis ? `${fmt(redis.loadMs)} ms` : '-'],
  ]));
  const x = b.explorer;
  console.log(`\n    keyspace explorer, DEBUG POPULATE ${x.keys.toLocaleString('en-US')} (list view; scrolling 10 rows a frame, ${x.frames} frames, ${x.loadedAfterScroll.toLocaleString('en-US')} keys loaded by then)`);
  console.log(table(['figure', 'ours'], [
    ['DEBUG POPULATE itself', `${fmt(x.populateMs)} ms`],
    ['its reply → first rows', `${fmt(x.firstRowsMs)} ms`],
    ['frame while scrolling, median', `${x.frameMedianMs.toFixed(1)} ms`],
    ['frame while scrolling, p95', `${x.frameP95Ms.toFixed(1)} ms`],
    ['frame while scrolling, max', `${x.frameMaxMs.toFixed(1)} ms`],
  ]));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cpus = os.cpus();
  console.log(`bench: node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? '?'}, redis-server ${redisVersion()}`);
  console.log(`load average at start: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (shared machines are noisy: compare figures from the same run only)`);

  await initScripting(); // the Lua VM (WebAssembly) for EVALSHA
  if (args.only === 'persist') return void (await persistence(args));
  if (args.only === 'browser') return browserFigures(args, null);
  if (args.only === 'memory') return memoryFigures();
  const supported = OPS.filter((op) => engineSupports(op));
  for (const op of OPS) if (!supported.includes(op)) console.log(`note: ${op.name} skipped: the engine answers it with "ERR unknown command" (not implemented yet)`);

  const ours = new Map<BenchOp, number>();
  const mock = new Map<BenchOp, number>();
  if (args.only !== 'tcp') {
    const repeats = args.repeats ?? 5;
    for (const op of supported) {
      log(`in-process ${op.name}...`);
      ours.set(op, median(measureOurs(op, { repeats, ms: args.ms })));
      mock.set(op, median(await measureMock(op, { repeats, ms: args.ms })));
    }
    console.log(`\n(a) In-process, full path (pipelined RESP bytes → Client.feed → parse → dispatch → reply bytes → no-op transport)`);
    console.log(`    batches of ${BATCH} commands over ${KEYSPACE} keys, 3-byte values; median of ${repeats} × ${args.ms} ms; ioredis-mock: ${BATCH} calls in flight`);
    console.log('    target in the issue: ours / mock ≥ 20×');
    console.log(table(['command', 'ours ops/s', 'ioredis-mock ops/s', 'ours / mock'],
      supported.map((op) => [op.name, fmt(ours.get(op)), fmt(mock.get(op)), ratio(ours.get(op), mock.get(op))])));
  }

  if (args.only === 'inproc') return;
  if (args.only === null) {
    const redis = await persistence(args).catch((e) => {
      console.log(`persistence figures failed: ${(e as Error).message}`);
      return null;
    });
    await browserFigures(args, redis).catch((e) => console.log(`browser figures failed: ${(e as Error).message}`));
  }

  const repeats = args.repeats ?? 3;
  let real: Proc | null = null;
  let node: Proc | null = null;
  const results = new Map<string, { ours: number[]; real: number[] }>();
  const errors: string[] = [];
  const closeSubscribers: (() => void)[] = [];
  try {
    [real, node] = await Promise.all([startRealRedis(), startOurServer()]);
    // PUBLISH's subscribers stay connected to both servers for the whole run.
    for (const p of [node, real]) {
      for (const op of OPS) if (op.subscribers) closeSubscribers.push(await openSubscribers(p.port, op.subscribers.channel, op.subscribers.count));
    }
    // Skip what our server does not know yet (same check as in-process, over the wire).
    const tcpOps: BenchOp[] = [];
    for (const op of OPS) {
      const r = await rawRequest(node.port, encode(op.argv(0)));
      if (r !== null && r.startsWith('-ERR unknown command')) {
        if (supported.includes(op)) console.log(`note: ${op.name} skipped over TCP: unknown command`);
      } else tcpOps.push(op);
    }
    // Custom command lines (ZRANGE) need their data on both servers first.
    for (const p of [node, real]) for (const op of OPS) if (!BUILTIN[op.name] && op.setup) await rawRequest(p.port, op.setup.map(encode).join(''), 5000);
    for (const pipeline of [1, 16]) {
      const n = pipeline > 1 ? args.pn : args.n;
      for (let r = 0; r < repeats; r++) {
        // Alternate which server goes first so drifting load hits both alike.
        const order = r % 2 === 0 ? [node, real] : [real, node];
        for (const p of order) {
          log(`redis-benchmark -P ${pipeline} against ${p.name} (${r + 1}/${repeats})...`);
          const ops = p === real ? OPS : tcpOps;
          const record = (test: string, rps: number): void => {
            const key = `${test}${pipeline > 1 ? ' -P ' + pipeline : ''}`;
            if (!results.has(key)) results.set(key, { ours: [], real: [] });
            (p === real ? results.get(key)!.real : results.get(key)!.ours).push(rps);
          };
          const res = await redisBenchmark(p.port, ops.filter((op) => BUILTIN[op.name]).map((op) => BUILTIN[op.name]), { n, pipeline });
          errors.push(...res.errors.map((e) => `${p.name} -P ${pipeline}: ${e}`));
          for (const [test, rps] of res.rps) record(test, rps);
          for (const op of ops.filter((o) => !BUILTIN[o.name])) {
            const custom = await redisBenchmarkCommand(p.port, op.argv(0), { n: Math.max(1000, Math.floor(n / 10)), pipeline });
            errors.push(...custom.errors.map((e) => `${p.name} ${op.name} -P ${pipeline}: ${e}`));
            if (custom.rps !== null) record(op.name, custom.rps);
          }
        }
      }
    }
  } finally {
    for (const close of closeSubscribers) close();
    await Promise.all([real?.stop(), node?.stop()]);
  }

  console.log(`\n(b) TCP loopback: redis-benchmark -c 50 -q --csv (-n ${args.n}; with -P 16: -n ${args.pn}), median of ${repeats}`);
  console.log(`    our server: \`npm run server\` in its own process; real redis-server ${redisVersion()} with --save '' --appendonly no`);
  console.log('    target in the issue: ours / redis ≥ 0.5×, with and without -P 16');
  const rows: string[][] = [];
  for (const [test, r] of results) {
    const o = r.ours.length ? median(r.ours) : undefined;
    const x = r.real.length ? median(r.real) : undefined;
    rows.push([test, fmt(o), fmt(x), ratio(o, x)]);
  }
  console.log(table(['test', 'ours rps', 'redis-server rps', 'ours / redis'], rows));
  if (errors.length) console.log('errors reported by redis-benchmark:\n' + [...new Set(errors)].map((e) => '  ' + e).join('\n'));

  if (ours.size > 0) {
    console.log(`\n(c) In-process ops/s (a) vs a real redis-server over TCP with -P 16 (b)`);
    console.log('    target in the issue: ours / redis ≥ 1×');
    console.log(table(['command', 'ours in-process ops/s', 'redis-server -P 16 rps', 'ours / redis'],
      supported.map((op) => {
        const rr = results.get(`${op.name} -P 16`);
        const x = rr && rr.real.length ? median(rr.real) : undefined;
        return [op.name, fmt(ours.get(op)), fmt(x), ratio(ours.get(op), x)];
      })));
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
