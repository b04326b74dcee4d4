import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ReplyReader, encodeCommand, showReply, type Reply } from './resp-reader';
import { startServer } from '../../src/host/node/server';
import { rng, type Rng } from './rng';

export { rng, type Rng } from './rng';
import type { Engine } from '../../src/engine/server';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Answer { raw: Buffer; reply: Reply }

/** A raw RESP connection: send commands or bytes, read replies with their exact bytes. */
export class Conn {
  private reader = new ReplyReader();
  private waiters: ((a: Answer) => void)[] = [];
  private ready: Answer[] = [];
  closed = false;
  private closeWaiters: (() => void)[] = [];

  private constructor(private socket: net.Socket) {
    socket.on('data', (d) => {
      this.reader.feed(d);
      for (let a = this.reader.next(); a; a = this.reader.next()) {
        const w = this.waiters.shift();
        if (w) w(a);
        else this.ready.push(a);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters) w();
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Conn(s)));
      s.setNoDelay(true);
      s.once('error', reject);
    });
  }

  /** The next reply (waits up to timeoutMs). */
  read(timeoutMs = 5000): Promise<Answer> {
    const a = this.ready.shift();
    if (a) return Promise.resolve(a);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timed out waiting for a reply')), timeoutMs);
      this.waiters.push((x) => { clearTimeout(t); resolve(x); });
    });
  }

  writeRaw(bytes: Buffer | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  async send(...argv: string[]): Promise<Answer> {
    this.writeRaw(encodeCommand(argv));
    return this.read();
  }

  /** Send many commands at once (pipelined), then read all their replies. */
  async pipeline(cmds: readonly (readonly string[])[]): Promise<Answer[]> {
    this.writeRaw(Buffer.concat(cmds.map((c) => encodeCommand(c))));
    const out: Answer[] = [];
    for (let i = 0; i < cmds.length; i++) out.push(await this.read());
    return out;
  }

  /** Resolves when the server closes the connection. */
  waitClosed(timeoutMs = 2000): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.closeWaiters.push(() => { clearTimeout(t); resolve(true); });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface RunningRedis { port: number; stop(): Promise<void>; proc?: ChildProcess; engine?: Engine }

/** Start a real redis-server 7.0 on a free loopback port (no persistence, DEBUG allowed). */
export async function startRealRedis(extra: string[] = []): Promise<RunningRedis> {
  // freePort() can race with another test file taking the same port: then our redis-server exits
  // and the PING would reach the other file's server. Only a server whose process_id is the one we
  // spawned counts; otherwise try another port.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    // A directory of its own: a dump.rdb left by an earlier server on the same port would be loaded
    // at start-up and bring that server's replication ID and backlog with it.
    const dir = mkdtempSync(path.join(tmpdir(), 'compat-real-'));
    const proc = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--enable-debug-command', 'yes', '--daemonize', 'no', '--dir', dir, '--dbfilename', 'dump.rdb',
      ...extra,
    ], { stdio: 'ignore' });
    const stop = (): Promise<void> => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    }).then(() => rmSync(dir, { recursive: true, force: true }));
    let ours = false;
    for (let i = 0; i < 100 && proc.exitCode === null; i++) {
      try {
        const c = await Conn.open(port);
        const pass = extra.indexOf('--requirepass');
        if (pass >= 0) await c.send('AUTH', extra[pass + 1]);
        const info = (await c.send('INFO', 'server')).raw.toString('latin1');
        c.close();
        ours = info.includes(`process_id:${proc.pid}\r\n`);
        if (info.startsWith('$')) break;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (ours) return { port, proc, stop };
    await stop();
    if (attempt >= 5) throw new Error(`could not start redis-server on a port of its own (last tried ${port})`);
  }
}

/** Start our engine's TCP server in this process on a free loopback port. */
export async function startOurRedis(config: Record<string, string> = {}): Promise<RunningRedis> {
  // Like the real server: no save points, files in a directory of its own.
  const dir = mkdtempSync(path.join(tmpdir(), 'compat-ours-'));
  const s = await startServer({ config: { port: '0', 'enable-debug-command': 'yes', save: '', dir, ...config } });
  return { port: s.port, engine: s.engine, stop: () => s.close() };
}

/** Both servers, started side by side with the same options. */
export async function startPair(config: Record<string, string> = {}): Promise<{ real: RunningRedis; ours: RunningRedis; stop(): Promise<void> }> {
  const extra = Object.entries(config).flatMap(([k, v]) => ['--' + k, v]);
  const [real, ours] = await Promise.all([startRealRedis(extra), startOurRedis(config)]);
  return { real, ours, stop: async () => { await Promise.all([real.stop(), ours.stop()]); } };
}

// ---- normalising what Redis leaves unspecified ----

/** A normaliser maps a decoded reply to a comparable form; undefined = compare raw bytes. */
export type Normalize = (r: Reply) => unknown;

/** Compare arrays as multisets (KEYS, SMEMBERS, ...). */
export const unordered: Normalize = (r) => (r.t === 'array' && r.v ? r.v.map(showReply).sort() : showReply(r));

/** SCAN-like [cursor, [items]]: ignore the cursor's value except whether it is 0. */
export const scanPage: Normalize = (r) => {
  if (r.t !== 'array' || !r.v || r.v.length !== 2) return showReply(r);
  const cursor = r.v[0].t === 'bulk' ? r.v[0].v : '?';
  return { done: cursor === '0', items: unordered(r.v[1]) };
};

/** Only the reply's type (integer, bulk, error...) must match: for random picks and times. */
export const sameType: Normalize = (r) => (r.t === 'error' ? 'error:' + r.v : r.t);

/** Integers within a tolerance (PTTL, TTL readings taken a few ms apart). */
export function approxInt(tolerance: number): Normalize {
  return (r) => (r.t === 'int' ? { approx: Math.round(Number(r.v) / (tolerance + 1)) } : showReply(r));
}

export interface Step { argv: string[]; normalize?: Normalize }

/** Compare two answers; returns a description of the difference or null. */
export function diff(step: Step, real: Answer, ours: Answer): string | null {
  if (step.normalize) {
    const a = JSON.stringify(step.normalize(real.reply));
    const b = JSON.stringify(step.normalize(ours.reply));
    if (a === b) return null;
    if (approxEqual(step.normalize, real.reply, ours.reply)) return null;
    return `  redis: ${showReply(real.reply)}\n  ours:  ${showReply(ours.reply)}`;
  }
  if (real.raw.equals(ours.raw)) return null;
  return `  redis: ${JSON.stringify(real.raw.toString('latin1'))}\n  ours:  ${JSON.stringify(ours.raw.toString('latin1'))}`;
}

function approxEqual(n: Normalize, a: Reply, b: Reply): boolean {
  // approxInt buckets can straddle a boundary; accept neighbours.
  const x = n(a) as { approx?: number };
  const y = n(b) as { approx?: number };
  return typeof x === 'object' && x !== null && typeof y === 'object' && y !== null &&
    typeof x.approx === 'number' && typeof y.approx === 'number' && Math.abs(x.approx - y.approx) <= 1;
}

export function showArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\x21-\x7e]+$/.test(a) && !a.includes('"') ? a : JSON.stringify(a))).join(' ');
}

/** Send the same steps to both servers (pipelined) and list every difference. */
export async function compareSteps(real: Conn, ours: Conn, steps: Step[], history: Step[] = []): Promise<string[]> {
  const [ra, oa] = await Promise.all([real.pipeline(steps.map((s) => s.argv)), ours.pipeline(steps.map((s) => s.argv))]);
  const out: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const d = diff(steps[i], ra[i], oa[i]);
    if (d) {
      const before = [...history, ...steps.slice(0, i)].slice(-15).map((s) => '    ' + showArgv(s.argv));
      out.push(`${showArgv(steps[i].argv)}\n${d}\n  after:\n${before.join('\n')}`);
    }
  }
  return out;
}

// ---- seeded randomness ----

/** The seed for random runs: COMPAT_SEED from the environment, else a fresh one (printed on failure). */
export function runSeed(): number {
  const env = process.env.COMPAT_SEED;
  return env ? Number(env) : Math.floor(Math.random() * 2 ** 31);
}

/**
 * Run `count` random steps from `gen` against both servers in pipelined batches.
 * Returns the differences found (empty = identical), each with the seed to replay it.
 */
export async function runRandom(
  real: Conn, ours: Conn, gen: (r: Rng) => Step, opts: { seed: number; count: number; batch?: number },
): Promise<string[]> {
  const r = rng(opts.seed);
  const history: Step[] = [];
  const batch = opts.batch ?? 250;
  for (let done = 0; done < opts.count; done += batch) {
    const steps: Step[] = [];
    for (let i = 0; i < Math.min(batch, opts.count - done); i++) steps.push(gen(r));
    const diffs = await compareSteps(real, ours, steps, history);
    if (diffs.length) {
      return diffs.slice(0, 5).map((d) => `seed ${opts.seed} (replay with COMPAT_SEED=${opts.seed}), command #${done}+:\n${d}`);
    }
    history.push(...steps);
    if (history.length > 50) history.splice(0, history.length - 50);
  }
  return [];
}
