/**
 * TCP throughput: our Node server and a real redis-server, each started by the bench as a child
 * process on a free loopback port, driven by redis-benchmark (--csv output parsed).
 */
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

/** Send raw bytes, return the first reply line (without CRLF), or null if nothing came back. */
export function rawRequest(port: number, bytes: string, timeoutMs = 1000): Promise<string | null> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    const done = (v: string | null): void => { clearTimeout(t); s.destroy(); resolve(v); };
    const t = setTimeout(() => done(null), timeoutMs);
    s.on('connect', () => s.write(Buffer.from(bytes, 'latin1')));
    s.on('data', (d) => {
      data += d.toString('latin1');
      const i = data.indexOf('\r\n');
      if (i >= 0) done(data.slice(0, i));
    });
    s.on('error', () => done(null));
  });
}

/**
 * Open `count` connections that SUBSCRIBE to channel and throw away what they receive; resolves
 * once every subscription is confirmed, with a function that closes them.
 */
export async function openSubscribers(port: number, channel: string, count: number): Promise<() => void> {
  const sockets: net.Socket[] = [];
  const request = `*2\r\n$9\r\nSUBSCRIBE\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n`;
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      sockets.push(s);
      let confirmed = false;
      s.on('connect', () => s.write(request));
      s.on('data', () => {
        if (!confirmed) {
          confirmed = true;
          resolve();
        }
      });
      s.on('error', reject);
    });
  }
  return () => { for (const s of sockets) s.destroy(); };
}

export interface Proc { name: string; port: number; proc: ChildProcess; stop(): Promise<void> }

async function waitUp(port: number, proc: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with code ${proc.exitCode}`);
    if ((await rawRequest(port, 'PING\r\n', 300)) === '+PONG') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not answer PING on port ${port}`);
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () => new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

export async function startRealRedis(): Promise<Proc> {
  const port = await freePort();
  const proc = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no',
    '--dir', '/tmp', '--dbfilename', `bench-${port}.rdb`, '--enable-debug-command', 'yes',
  ], { stdio: 'ignore' });
  await waitUp(port, proc, 'redis-server');
  return { name: 'redis-server', port, proc, stop: stopper(proc) };
}

/** Our server as `npm run server` runs it (tsx), in a process of its own. */
export async function startOurServer(): Promise<Proc> {
  const port = await freePort();
  const proc = spawn(process.execPath, [
    '--import', 'tsx', path.join(ROOT, 'src/host/node/main.ts'), '--port', String(port),
    '--save', '', '--dir', '/tmp', '--dbfilename', `bench-ours-${port}.rdb`, '--enable-debug-command', 'yes',
  ], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitUp(port, proc, 'our server');
  return { name: 'ours', port, proc, stop: stopper(proc) };
}

export function redisVersion(): string {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return /v=(\S+)/.exec(r.stdout ?? '')?.[1] ?? 'unknown';
}

export interface BenchResult { rps: Map<string, number>; errors: string[] }

/** redis-benchmark -t tests -q --csv, returns requests per second per test. */
export function redisBenchmark(port: number, tests: string[], opts: { n: number; pipeline: number; clients?: number; timeoutMs?: number }): Promise<BenchResult> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', tests.join(',').toLowerCase(), '-n', String(opts.n),
    '-c', String(opts.clients ?? 50), '-q', '--csv'];
  if (opts.pipeline > 1) args.push('-P', String(opts.pipeline));
  return new Promise((resolve, reject) => {
    const p = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    // redis-benchmark retries forever when it cannot connect: give up after a while.
    const timer = setTimeout(() => { err += 'timed out\n'; p.kill('SIGKILL'); }, opts.timeoutMs ?? 300_000);
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(timer);
      const rps = parseCsv(out);
      const errors = (out + '\n' + err).split('\n').filter((l) => /error/i.test(l));
      if (code !== 0) errors.push(`redis-benchmark exited with code ${code}`);
      resolve({ rps, errors });
    });
  });
}

/** redis-benchmark with a custom command line (-n requests of argv); rps or null. */
export async function redisBenchmarkCommand(port: number, argv: string[], opts: { n: number; pipeline: number }): Promise<{ rps: number | null; errors: string[] }> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-n', String(opts.n), '-c', '50', '-q', '--csv'];
  if (opts.pipeline > 1) args.push('-P', String(opts.pipeline));
  return new Promise((resolve, reject) => {
    const p = spawn('redis-benchmark', [...args, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { err += 'timed out\n'; p.kill('SIGKILL'); }, 300_000);
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('exit', (code) => {
      clearTimeout(timer);
      const rps = [...parseCsv(out).values()][0] ?? null;
      const errors = (out + '\n' + err).split('\n').filter((l) => /error/i.test(l));
      if (code !== 0) errors.push(`redis-benchmark exited with code ${code}`);
      resolve({ rps, errors });
    });
  });
}

/** redis-benchmark --csv: a header line, then "TEST","rps",... per test. */
export function parseCsv(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^"([^"]+)","([0-9.]+)"/.exec(line.trim());
    if (m) out.set(m[1].toUpperCase(), Number(m[2]));
  }
  return out;
}
