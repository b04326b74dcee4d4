/**
 * In-process throughput through the engine's full path: pre-encoded, pipelined RESP request bytes
 * go into Client.feed (parse → dispatch → command → reply writer → flush to a no-op transport).
 * The reference is ioredis-mock running the same operations in the same process.
 */
import { EventEmitter } from 'node:events';
import RedisMock from 'ioredis-mock';
import { Engine } from '../src/engine/server';
import type { Client } from '../src/engine/client';

/** Keys cycle over this many names, values are 3 bytes (redis-benchmark's default -d 3). */
export const KEYSPACE = 1000;
export const BATCH = 1000;
const VALUE = 'xxx';

type Mock = InstanceType<typeof RedisMock>;

/**
 * One benchmarked operation: its request for the i-th call, what must exist before measuring,
 * what runs untimed between timed batches (LPOP needs elements, LPUSH a list that does not grow
 * without bound), and the same work done on ioredis-mock. Collections use one key, like
 * redis-benchmark's LPUSH mylist / HSET myhash / SADD myset / ZADD myzset tests.
 */
export interface BenchOp {
  name: string;
  argv(i: number): string[];
  setup?: string[][];
  between?: string[][];
  mock(m: Mock, i: number): Promise<unknown>;
  mockSetup?(m: Mock): Promise<unknown>;
  mockBetween?(m: Mock): Promise<unknown>;
  /** Clients subscribed to a channel while the op runs (PUBLISH): each one receives every message. */
  subscribers?: { channel: string; count: number };
}

/** A small script and its SHA1 (what SCRIPT LOAD answers for it). */
export const EVALSHA_SCRIPT = "return redis.call('GET', KEYS[1])";
export const EVALSHA_SHA = 'd3c21d0c2b9ca22f82737626a27bcaf5d288f99f';

const many = (n: number, f: (i: number) => string[]): string[] => Array.from({ length: n }, (_, i) => f(i)).flat();
const ZSET_MEMBERS = many(KEYSPACE, (i) => [String(i), 'member:' + i]);

export const OPS: BenchOp[] = [
  { name: 'SET', argv: (i) => ['SET', 'key:' + (i % KEYSPACE), VALUE], mock: (m, i) => m.set('key:' + (i % KEYSPACE), VALUE) },
  {
    name: 'GET', argv: (i) => ['GET', 'key:' + (i % KEYSPACE)],
    setup: Array.from({ length: KEYSPACE }, (_, i) => ['SET', 'key:' + i, VALUE]),
    mock: (m, i) => m.get('key:' + (i % KEYSPACE)),
    mockSetup: (m) => Promise.all(Array.from({ length: KEYSPACE }, (_, i) => m.set('key:' + i, VALUE))),
  },
  { name: 'INCR', argv: (i) => ['INCR', 'counter:' + (i % KEYSPACE)], mock: (m, i) => m.incr('counter:' + (i % KEYSPACE)) },
  {
    name: 'LPUSH', argv: () => ['LPUSH', 'bench:list', VALUE], between: [['DEL', 'bench:list']],
    mock: (m) => m.lpush('bench:list', VALUE), mockBetween: (m) => m.del('bench:list'),
  },
  {
    name: 'LPOP', argv: () => ['LPOP', 'bench:list'],
    between: [['LPUSH', 'bench:list', ...many(BATCH, () => [VALUE])]],
    mock: (m) => m.lpop('bench:list'), mockBetween: (m) => m.lpush('bench:list', ...many(BATCH, () => [VALUE])),
  },
  {
    name: 'HSET', argv: (i) => ['HSET', 'bench:hash', 'element:' + (i % KEYSPACE), VALUE],
    mock: (m, i) => m.hset('bench:hash', 'element:' + (i % KEYSPACE), VALUE),
  },
  {
    name: 'SADD', argv: (i) => ['SADD', 'bench:set', 'element:' + (i % KEYSPACE)],
    mock: (m, i) => m.sadd('bench:set', 'element:' + (i % KEYSPACE)),
  },
  {
    name: 'ZADD', argv: (i) => ['ZADD', 'bench:zset', String(i % KEYSPACE), 'element:' + (i % KEYSPACE)],
    mock: (m, i) => m.zadd('bench:zset', i % KEYSPACE, 'element:' + (i % KEYSPACE)),
  },
  {
    name: 'PUBLISH to 10 subscribers', argv: () => ['PUBLISH', 'bench:channel', VALUE],
    subscribers: { channel: 'bench:channel', count: 10 },
    mock: (m) => m.publish('bench:channel', VALUE),
    mockSetup: async (m) => {
      for (let i = 0; i < 10; i++) {
        const sub = m.duplicate();
        await sub.subscribe('bench:channel');
        sub.on('message', () => {});
      }
    },
  },
  {
    // A small script, as redis-benchmark's EVALSHA tests use: the VM round trip and one redis.call.
    name: 'EVALSHA small script', argv: (i) => ['EVALSHA', EVALSHA_SHA, '1', 'key:' + (i % KEYSPACE)],
    setup: [['SCRIPT', 'LOAD', EVALSHA_SCRIPT]],
    mock: (m, i) => m.evalsha(EVALSHA_SHA, 1, 'key:' + (i % KEYSPACE)),
    // ioredis-mock has no SCRIPT LOAD: its EVAL caches the script for EVALSHA.
    mockSetup: (m) => m.eval(EVALSHA_SCRIPT, 1, 'key:0'),
  },
  {
    name: 'ZRANGE 0 99', argv: () => ['ZRANGE', 'bench:zrange', '0', '99'],
    setup: [['ZADD', 'bench:zrange', ...ZSET_MEMBERS]],
    mock: (m) => m.zrange('bench:zrange', 0, 99),
    mockSetup: (m) => m.zadd('bench:zrange', ...ZSET_MEMBERS),
  },
];

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

/** Commands as one buffer of pipelined RESP requests, as a socket would deliver them. */
export function requestBytes(cmds: readonly (readonly string[])[]): Uint8Array {
  let s = '';
  for (const c of cmds) s += encode(c);
  return latin1(s);
}

/** One batch of BATCH pipelined calls of op. */
export function batchBytes(op: BenchOp): Uint8Array {
  return requestBytes(Array.from({ length: BATCH }, (_, i) => op.argv(i)));
}

interface Sink { bytes: number; last: Uint8Array | null }

function newClient(engine: Engine, sink: Sink): Client {
  return engine.connect({
    write: (b) => { sink.bytes += b.length; sink.last = b; },
    close: () => {},
  });
}

/** Whether the engine knows the command: it answers "-ERR unknown command" otherwise. */
export function engineSupports(op: BenchOp): boolean {
  const engine = new Engine();
  const sink: Sink = { bytes: 0, last: null };
  const c = newClient(engine, sink);
  c.feed(requestBytes([op.argv(0)]));
  const reply = sink.last ? String.fromCharCode(...sink.last) : '';
  return !reply.startsWith('-ERR unknown command');
}

/**
 * Run fn (which does `perCall` operations) until `ms` of its own time have passed; ops per second.
 * `between` runs before each call, outside the timed part.
 */
function rate(fn: () => void, perCall: number, ms: number, between?: () => void): number {
  let n = 0;
  let timed = 0;
  do {
    if (between) between();
    const t0 = performance.now();
    fn();
    timed += performance.now() - t0;
    n += perCall;
  } while (timed < ms);
  return (n * 1000) / timed;
}

async function rateAsync(fn: () => Promise<unknown>, perCall: number, ms: number, between?: () => Promise<unknown>): Promise<number> {
  let n = 0;
  let timed = 0;
  do {
    if (between) await between();
    const t0 = performance.now();
    await fn();
    timed += performance.now() - t0;
    n += perCall;
  } while (timed < ms);
  return (n * 1000) / timed;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface InProcessOptions { repeats: number; ms: number }

/** Our engine: ops/s per repeat for op. */
export function measureOurs(op: BenchOp, opts: InProcessOptions): number[] {
  const engine = new Engine();
  const sink: Sink = { bytes: 0, last: null };
  const c = newClient(engine, sink);
  if (op.setup) c.feed(requestBytes(op.setup));
  const subscriberSink: Sink = { bytes: 0, last: null };
  if (op.subscribers) {
    for (let i = 0; i < op.subscribers.count; i++) {
      newClient(engine, subscriberSink).feed(requestBytes([['SUBSCRIBE', op.subscribers.channel]]));
    }
  }
  const batch = batchBytes(op);
  const between = op.between ? requestBytes(op.between) : null;
  const run = (): void => c.feed(batch);
  const prepare = between ? (): void => c.feed(between) : undefined;
  rate(run, BATCH, opts.ms, prepare); // warm-up
  const out: number[] = [];
  for (let r = 0; r < opts.repeats; r++) out.push(rate(run, BATCH, opts.ms, prepare));
  if (sink.bytes === 0) throw new Error('no replies written');
  if (op.subscribers && subscriberSink.bytes === 0) throw new Error('no messages delivered');
  engine.freeClient(c);
  return out;
}

/** ioredis-mock: the same operations, BATCH calls in flight at a time (its fastest way to run). */
export async function measureMock(op: BenchOp, opts: InProcessOptions): Promise<number[]> {
  // The mock's subscribers all listen on one shared emitter.
  if (op.subscribers) EventEmitter.defaultMaxListeners = Math.max(EventEmitter.defaultMaxListeners, op.subscribers.count + 10);
  const mock = new RedisMock();
  if (op.mockSetup) await op.mockSetup(mock);
  const run = (): Promise<unknown> => Promise.all(Array.from({ length: BATCH }, (_, i) => op.mock(mock, i)));
  const between = op.mockBetween ? (): Promise<unknown> => op.mockBetween!(mock) : undefined;
  await rateAsync(run, BATCH, opts.ms, between);
  const out: number[] = [];
  for (let r = 0; r < opts.repeats; r++) out.push(await rateAsync(run, BATCH, opts.ms, between));
  mock.disconnect();
  return out;
}
