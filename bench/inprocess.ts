/**
 * In-process throughput through the engine's full path: pre-encoded, pipelined RESP request bytes
 * go into Client.feed (parse → dispatch → command → reply writer → flush to a no-op transport).
 * The reference is ioredis-mock running the same operations in the same process.
 */
import RedisMock from 'ioredis-mock';
import { Engine } from '../src/engine/server';
import type { Client } from '../src/engine/client';

export type Op = 'SET' | 'GET' | 'INCR';

/** Keys cycle over this many names, values are 3 bytes (redis-benchmark's default -d 3). */
export const KEYSPACE = 1000;
export const BATCH = 1000;
const VALUE = 'xxx';

function argvFor(op: Op, i: number): string[] {
  const k = i % KEYSPACE;
  switch (op) {
    case 'SET': return ['SET', 'key:' + k, VALUE];
    case 'GET': return ['GET', 'key:' + k];
    case 'INCR': return ['INCR', 'counter:' + k];
  }
}

/** RESP multibulk encoding of one command (ASCII arguments). */
export function encode(argv: readonly string[]): string {
  let s = '*' + argv.length + '\r\n';
  for (const a of argv) s += '$' + a.length + '\r\n' + a + '\r\n';
  return s;
}

function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** One batch of BATCH pipelined commands, as the bytes a socket would deliver. */
export function batchBytes(op: Op): Uint8Array {
  let s = '';
  for (let i = 0; i < BATCH; i++) s += encode(argvFor(op, i));
  return latin1(s);
}

interface Sink { bytes: number; last: Uint8Array | null }

function newClient(engine: Engine, sink: Sink): Client {
  return engine.connect({
    write: (b) => { sink.bytes += b.length; sink.last = b; },
    close: () => {},
  });
}

/**
 * Whether the engine knows the command: it answers "-ERR unknown command" otherwise
 * (INCR lands with the strings module).
 */
export function engineSupports(op: Op): boolean {
  const engine = new Engine();
  const sink: Sink = { bytes: 0, last: null };
  const c = newClient(engine, sink);
  c.feed(latin1(encode(argvFor(op, 0))));
  const reply = sink.last ? String.fromCharCode(...sink.last) : '';
  return !reply.startsWith('-ERR unknown command');
}

/** Run fn (which does `perCall` operations) until `ms` have passed; ops per second. */
function rate(fn: () => void, perCall: number, ms: number): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    fn();
    n += perCall;
    t = performance.now();
  } while (t - t0 < ms);
  return (n * 1000) / (t - t0);
}

async function rateAsync(fn: () => Promise<unknown>, perCall: number, ms: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    await fn();
    n += perCall;
    t = performance.now();
  } while (t - t0 < ms);
  return (n * 1000) / (t - t0);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface InProcessOptions { repeats: number; ms: number }

/** Our engine: ops/s per repeat for op (GET runs on keys SET has filled). */
export function measureOurs(op: Op, opts: InProcessOptions): number[] {
  const engine = new Engine();
  const sink: Sink = { bytes: 0, last: null };
  const c = newClient(engine, sink);
  c.feed(batchBytes('SET')); // GET finds its keys
  const batch = batchBytes(op);
  rate(() => c.feed(batch), BATCH, opts.ms); // warm-up
  const out: number[] = [];
  for (let r = 0; r < opts.repeats; r++) out.push(rate(() => c.feed(batch), BATCH, opts.ms));
  if (sink.bytes === 0) throw new Error('no replies written');
  engine.freeClient(c);
  return out;
}

/** ioredis-mock: the same operations, BATCH calls in flight at a time (its fastest way to run). */
export async function measureMock(op: Op, opts: InProcessOptions): Promise<number[]> {
  const mock = new RedisMock();
  const keys = Array.from({ length: BATCH }, (_, i) => argvFor(op, i)[1]);
  await Promise.all(keys.map((k) => mock.set('key:' + k.slice(k.indexOf(':') + 1), VALUE)));
  const run =
    op === 'SET' ? () => Promise.all(keys.map((k) => mock.set(k, VALUE)))
    : op === 'GET' ? () => Promise.all(keys.map((k) => mock.get(k)))
    : () => Promise.all(keys.map((k) => mock.incr(k)));
  await rateAsync(run, BATCH, opts.ms);
  const out: number[] = [];
  for (let r = 0; r < opts.repeats; r++) out.push(await rateAsync(run, BATCH, opts.ms));
  mock.disconnect();
  return out;
}
