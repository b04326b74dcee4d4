import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import Redis, { ReplyError } from 'ioredis';
import { usePair } from '../support/pair';
import { freePort } from '../support/harness';

/**
 * Real clients against our Node server, next to a real redis-server: ioredis, redis-cli and
 * redis-benchmark must see the same thing from both. Also the server's own command line.
 */
const pair = usePair();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run { code: number | null; stdout: string; stderr: string }

/** Run a program with arguments (and optional stdin); resolves when it exits (or is killed at timeoutMs). */
function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d.toString('latin1'); });
    p.stderr.on('data', (d) => { stderr += d.toString('latin1'); });
    const t = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    p.on('error', reject);
    p.on('close', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
    p.stdin.end(opts.input ?? '');
  });
}

const cli = (port: number, args: string[], input?: string): Promise<Run> =>
  run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { input });

/** The same redis-cli call against both servers, one after the other: identical output and exit code. */
async function sameCli(args: string[], input?: string): Promise<void> {
  const real = await cli(pair.ports.real, args, input);
  const ours = await cli(pair.ports.ours, args, input);
  expect({ ...ours, stderr: ours.stderr.replaceAll(String(pair.ports.ours), 'PORT') }, `redis-cli ${args.join(' ')}`)
    .toEqual({ ...real, stderr: real.stderr.replaceAll(String(pair.ports.real), 'PORT') });
}

// ---- ioredis ----

async function withIoredis<T>(port: number, fn: (r: Redis) => Promise<T>, opts: { password?: string } = {}): Promise<T> {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...opts });
  await r.connect();
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

/** An error as the application sees it: its class and message. */
async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    return ['no error', await p];
  } catch (e) {
    return [e instanceof ReplyError ? 'ReplyError' : (e as Error).constructor.name, (e as Error).message];
  }
}

async function ioredisScenario(r: Redis): Promise<unknown[]> {
  const out: unknown[] = [];
  out.push(await r.ping(), await r.ping('hi'), await r.echo('x'));
  out.push(await r.set('k', 'v'), await r.get('k'), await r.get('missing'));
  out.push(await r.set('t', '1', 'EX', 100, 'NX'), await r.set('t', '2', 'EX', 100, 'NX'), await r.ttl('t'));
  // multi-argument commands
  out.push(await r.mset('a', '1', 'b', '2', 'c', '3'), await r.mget('a', 'b', 'missing', 'c'));
  out.push(await r.exists('a', 'c', 'c', 'nosuch'), await r.del('a', 'b', 'nosuch'));
  out.push(await r.incr('n'), await r.incrby('n', 41), await r.decr('n'), await r.incrbyfloat('n', '1.5'));
  out.push(await r.append('s', 'ab'), await r.append('s', 'cd'), await r.getrange('s', 1, 2), await r.strlen('s'));
  // pipeline, errors included in place
  const piped = await r.pipeline().set('p', '10').incr('p').get('p').incr('k').get('p').exec();
  out.push(piped!.map(([e, v]) => (e ? ['error', e.message] : v)));
  // MULTI without EXEC support is not needed: a plain pipeline of many commands
  const many = r.pipeline();
  for (let i = 0; i < 500; i++) many.set('m' + i, String(i)).get('m' + i);
  out.push((await many.exec())!.map(([e, v]) => (e ? 'error' : v)).join(','));
  // binary keys and values
  const key = Buffer.from([1, 2, 0, 255, 13, 10]);
  const value = Buffer.from([0, 255, 13, 10, 128, 1, 0x80, 0x9f]);
  out.push(await r.set(key, value), (await r.getBuffer(key))!.toString('hex'), await r.strlen(key));
  out.push((await r.mgetBuffer(key, 'k', 'missing')).map((b) => (b === null ? null : b.toString('hex'))));
  const big = Buffer.alloc(300_000, 7);
  big[150_000] = 0;
  out.push(await r.set('big', big), (await r.getBuffer('big'))!.equals(big));
  out.push(await r.set('utf8', 'héllo wörld ✓'), await r.get('utf8'), await r.strlen('utf8'));
  // error replies surface as ReplyError with Redis's text
  out.push(await caught(r.incr('k')));
  out.push(await caught(r.call('nosuch', 'a', 'b')));
  out.push(await caught(r.call('get')));
  out.push(await caught(r.call('set', 'k', 'v', 'XX', 'NX')));
  out.push(await caught(r.call('incrby', 'n', 'abc')));
  out.push(await caught(r.call('setbit', 'k', '1', '2')));
  out.push(await caught(r.call('object', 'nosuch')));
  out.push(await caught(r.incrbyfloat('s', '1')));
  out.push(await r.dbsize(), await r.type('k'), await r.type('missing'));
  return out;
}

describe('ioredis against our server', () => {
  it('connects and gives the same results and errors as against redis-server', async () => {
    const real = await withIoredis(pair.ports.real, ioredisScenario);
    await pair.same(['FLUSHALL']);
    const ours = await withIoredis(pair.ports.ours, ioredisScenario);
    expect(ours).toEqual(real);
    // The errors really were there.
    expect(JSON.stringify(ours)).toContain('ERR value is not an integer or out of range');
  });

  it('several clients at once, each with its own pipeline', async () => {
    const work = (port: number) => Promise.all([0, 1, 2, 3].map((n) => withIoredis(port, async (r) => {
      const p = r.pipeline();
      for (let i = 0; i < 200; i++) p.incr(`c${n}`).set(`k${n}:${i}`, 'v' + i);
      await p.exec();
      return [await r.get(`c${n}`), await r.get(`k${n}:199`)];
    })));
    const [real, ours] = [await work(pair.ports.real), await work(pair.ports.ours)];
    expect(ours).toEqual(real);
    expect(ours[3]).toEqual(['200', 'v199']);
  });
});

// ---- redis-cli ----

describe('redis-cli against our server', () => {
  it('commands as arguments, default output (stdout not a tty: raw)', async () => {
    await sameCli(['PING']);
    await sameCli(['SET', 'k', 'hello world']);
    await sameCli(['GET', 'k']);
    await sameCli(['GET', 'missing']);
    await sameCli(['INCR', 'n']);
    await sameCli(['INCRBYFLOAT', 'n', '0.5']);
    await sameCli(['MSET', 'a', '1', 'b', '2']);
    await sameCli(['MGET', 'a', 'missing', 'b']);
    await sameCli(['INCR', 'k']);
    await sameCli(['NOSUCH', 'x']);
    await sameCli(['GET']);
    await sameCli(['SET', 'bin', '\x01\x02\xff']);
    await sameCli(['GET', 'bin']);
    await sameCli(['DBSIZE']);
  });

  it('--no-raw (formatted as at a terminal) and --raw', async () => {
    await sameCli(['SET', 'k', 'a\nb']);
    for (const mode of ['--no-raw', '--raw']) {
      await sameCli([mode, 'GET', 'k']);
      await sameCli([mode, 'GET', 'missing']);
      await sameCli([mode, 'INCR', 'n']);
      await sameCli([mode, 'MGET', 'k', 'missing', 'n']);
      await sameCli([mode, 'INCR', 'k']);
      await sameCli([mode, 'PING']);
      await sameCli([mode, 'ECHO', '\x01\xff\t']);
      await sameCli([mode, 'KEYS', 'n*']);
      await sameCli([mode, 'EXPIRE', 'n', '100']);
      await sameCli([mode, 'TTL', 'n']);
    }
  });

  it('commands read from stdin, one per line', async () => {
    const lines = ['SET a 1', 'GET a', 'INCR a', 'INCRBY a 10', 'GET nosuch', 'SET "x y" "z w"', 'GET "x y"', 'PING',
      'NOSUCH cmd', 'ECHO "\\x41\\n"', 'DEL a "x y"', 'DBSIZE', ''].join('\n');
    await sameCli([], lines);
    await sameCli(['--no-raw'], lines);
    await sameCli(['--raw'], lines);
  });

  it('-x: the last argument from stdin', async () => {
    await sameCli(['-x', 'SET', 'fromstdin'], 'line one\nline two\n');
    await sameCli(['GET', 'fromstdin']);
  });
});

// ---- redis-benchmark ----

describe('redis-benchmark against our server', () => {
  it('-t set,get,incr -n 2000 -q completes without errors', async () => {
    const r = await run('redis-benchmark', ['-h', '127.0.0.1', '-p', String(pair.ports.ours), '-t', 'set,get,incr', '-n', '2000', '-q'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const text = (r.stdout + r.stderr).replace(/\r/g, '\n');
    expect(text).not.toMatch(/error|warning/i);
    for (const t of ['SET', 'GET', 'INCR']) expect(text).toMatch(new RegExp(`^${t}: [0-9.]+ requests per second`, 'm'));
  });

  it('pipelined (-P 16) and with several clients', async () => {
    const r = await run('redis-benchmark', ['-h', '127.0.0.1', '-p', String(pair.ports.ours), '-t', 'set,get,incr', '-n', '20000', '-P', '16', '-c', '20', '-q'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect((r.stdout + r.stderr).replace(/\r/g, '\n')).not.toMatch(/error|warning/i);
    // Every INCR really ran.
    const n = await cli(pair.ports.ours, ['GET', 'counter:__rand_int__']);
    expect(Number(n.stdout)).toBeGreaterThanOrEqual(20_000);
  });
});

// ---- the server's command line ----

describe('`npm run server` command line', () => {
  const server = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/host/node/main.ts', ...args], { timeoutMs: 20_000 });

  it('fails at start on unknown options and bad values, with exit code 1 and the reason', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', '0', '--nosuch', '1'], /--nosuch "1": unknown option/],
      [['--port', 'abc'], /--port "abc": argument couldn't be parsed into an integer/],
      [['--hz'], /--hz: missing value/],
      [['--port', '1', '2'], /wrong number of arguments/],
      [['--maxmemory-policy', 'sometimes'], /must be one of the following/],
      [['redis.conf'], /config files are not supported/],
    ];
    for (const [args, reason] of cases) {
      const r = await server(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(reason);
      expect(r.stdout).not.toMatch(/ready to accept/);
    }
  });

  it('--version, and a port already in use', async () => {
    const v = await server(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^Redis server v=7\.0\.\d+/);
    const busy = await server(['--port', String(pair.ports.real)]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/could not start: .*EADDRINUSE/);
  });

  it('--port N --requirepass x --hz 100 starts a server that clients can use', async () => {
    const port = await freePort();
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/host/node/main.ts', '--port', String(port), '--requirepass', 'x', '--hz', '100'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        p.stdout.on('data', (d) => { out += d; if (out.includes('ready to accept connections')) resolve(); });
        p.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      expect((await cli(port, ['PING'])).stdout).toMatch(/^NOAUTH Authentication required\.\n/);
      expect((await cli(port, ['-a', 'x', '--no-auth-warning', 'PING'])).stdout).toBe('PONG\n');
      expect((await cli(port, ['-a', 'x', '--no-auth-warning', 'CONFIG', 'GET', 'hz'])).stdout).toBe('hz\n100\n');
      expect(await withIoredis(port, (r) => r.set('k', 'v').then(() => r.get('k')), { password: 'x' })).toBe('v');
      p.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      p.kill('SIGKILL');
    }
  });
});

describe('the Node host tells the engine about itself', () => {
  it('--port 0 reports the port it got, and INFO cpu reads the process CPU time', async () => {
    const p = pair.ports.ours; // usePair starts our server with port 0
    const r = await cli(p, ['CONFIG', 'GET', 'port']);
    expect(r.stdout).toBe(`port\n${p}\n`);
    const info = await cli(p, ['INFO', 'server']);
    expect(info.stdout).toContain(`tcp_port:${p}\r\n`);
    const cpu = await cli(p, ['INFO', 'cpu']);
    const user = Number(/used_cpu_user:([\d.]+)/.exec(cpu.stdout)?.[1]);
    expect(user).toBeGreaterThan(0);
  });
});
