import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Conn, freePort } from '../support/harness';
import { startServer } from '../../src/host/node/server';

/**
 * The append-only file across servers: our Node server's appendonlydir is loaded by a real
 * redis-server 7.0, and a real server's by ours, with and without the RDB preamble; the datasets
 * must be identical (DEBUG DIGEST).
 */

async function startReal(dir: string, extra: string[] = []): Promise<{ conn: Conn; stop(): Promise<void> }> {
  const port = await freePort();
  const proc = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--appendonly', 'yes',
    '--enable-debug-command', 'yes', '--daemonize', 'no', ...extra,
  ], { stdio: 'ignore' });
  let conn: Conn | null = null;
  for (let i = 0; i < 200 && conn === null; i++) {
    try {
      const c = await Conn.open(port);
      const r = await c.send('PING');
      if (r.reply.t === 'simple') conn = c;
      else c.close(); // LOADING
    } catch {
      /* not up yet */
    }
    if (conn === null) await new Promise((r) => setTimeout(r, 25));
  }
  if (conn === null) throw new Error('redis-server did not start');
  return {
    conn,
    stop: () => new Promise((resolve) => {
      conn!.close();
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    }),
  };
}

async function startOurs(dir: string, config: Record<string, string> = {}) {
  const s = await startServer({ config: { port: '0', 'enable-debug-command': 'yes', save: '', dir, appendonly: 'yes', ...config } });
  const conn = await Conn.open(s.port);
  return { conn, stop: async () => { conn.close(); await s.close(); } };
}

/** Writes of every type, several dbs, TTLs, a transaction, deletes and overwrites. */
const WORKLOAD: string[][] = [
  ['SET', 's', 'hello'], ['SET', 'n', '42'], ['INCRBY', 'n', '8'], ['APPEND', 's', ' world'], ['SETRANGE', 's', '0', 'J'],
  ['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['LPOP', 'l'], ['LINSERT', 'l', 'BEFORE', 'c', 'x'],
  ['SADD', 'si', '1', '2', '3'], ['SADD', 'ss', 'x', 'y', 'z'], ['SREM', 'ss', 'y'],
  ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'], ['HINCRBY', 'h', 'c', '5'], ['HDEL', 'h', 'f1'],
  ['ZADD', 'z', '1', 'a', '2.5', 'b', '-3', 'c'], ['ZINCRBY', 'z', '1.5', 'a'], ['ZREM', 'z', 'c'],
  ['SET', 'ttl', 'v', 'EX', '5000'], ['EXPIRE', 'l', '9000'], ['PERSIST', 'l'],
  ['SELECT', '3'], ['SET', 'in3', 'x'], ['LPUSH', 'l3', '1', '2'], ['SELECT', '0'],
  ['MULTI'], ['SET', 'tx1', '1'], ['INCR', 'tx1'], ['DEL', 's'], ['EXEC'],
  ['SET', 'gone', '1'], ['DEL', 'gone'], ['RENAME', 'n', 'n2'], ['MOVE', 'n2', '5'],
  ['XADD', 'x', '1-1', 'a', '1'], ['XADD', 'x', '2-1', 'b', '2', 'c', '3'], ['XADD', 'x', '3-0', 'a', '4'], ['XDEL', 'x', '2-1'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 'x', '>'],
  ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'bob'], ['XGROUP', 'CREATE', 'x', 'g2', '$', 'ENTRIESREAD', '2'],
  ['XGROUP', 'CREATE', 'xe', 'g', '$', 'MKSTREAM'],
];
const MORE: string[][] = [
  ['RPUSH', 'after', 'rewrite'], ['HSET', 'h', 'f3', 'v3'], ['SELECT', '7'], ['SET', 'x7', 'y'], ['SELECT', '0'],
  ['XADD', 'x', '4-0', 'd', '5'], ['XACK', 'x', 'g', '1-1'], ['XREADGROUP', 'GROUP', 'g2', 'carol', 'STREAMS', 'x', '>'],
  ...Array.from({ length: 300 }, (_, i) => ['ZADD', 'big', String(i), 'm' + i]),
  ...Array.from({ length: 200 }, (_, i) => ['HSET', 'bighash', 'f' + i, 'v'.repeat(i % 70)]),
];

/**
 * The stream's groups, consumers and pending entries (DEBUG DIGEST leaves groups out), with the
 * consumers' seen-time masked: loading a file sets it to the time of loading.
 */
async function streamGroups(conn: Conn): Promise<string> {
  const full = (await conn.send('XINFO', 'STREAM', 'x', 'FULL')).raw.toString('latin1');
  return full.replace(/(\$9\r\nseen-time\r\n):\d+/g, '$1:<t>');
}

/** Pipelined: one AOF write (and fsync, under always) per batch rather than per command. */
async function run(conn: Conn, cmds: string[][]): Promise<void> {
  await conn.pipeline(cmds);
}

async function rewriteDone(conn: Conn): Promise<void> {
  for (let i = 0; ; i++) {
    const info = (await conn.send('INFO', 'persistence')).raw.toString('latin1');
    if (info.includes('aof_rewrite_in_progress:0') && info.includes('aof_rewrite_scheduled:0')) return;
    if (i > 400) throw new Error('rewrite never finished');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each([['yes'], ['no']])('AOF interop (aof-use-rdb-preamble %s)', (preamble) => {
  it('a real redis-server loads our appendonlydir', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aof-ours-'));
    const ours = await startOurs(dir, { 'aof-use-rdb-preamble': preamble, appendfsync: 'always' });
    let groups = '';
    await run(ours.conn, WORKLOAD);
    await ours.conn.send('BGREWRITEAOF');
    await rewriteDone(ours.conn);
    await run(ours.conn, MORE);
    const digest = (await ours.conn.send('DEBUG', 'DIGEST')).raw.toString();
    await ours.stop();
    expect(readdirSync(path.join(dir, 'appendonlydir')).sort()).toEqual([
      `appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`, 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest',
    ]);
    const real = await startReal(dir, ['--aof-use-rdb-preamble', preamble]);
    try {
      expect((await real.conn.send('DEBUG', 'DIGEST')).raw.toString()).toBe(digest);
      expect((await real.conn.send('DBSIZE')).raw.toString()).not.toBe(':0\r\n');
      groups = await streamGroups(real.conn);
    } finally {
      await real.stop();
    }
    // Consumer groups (not in the digest) come back the same when we load the same files.
    const again = await startOurs(dir, { 'aof-use-rdb-preamble': preamble });
    try {
      expect(await streamGroups(again.conn)).toBe(groups);
    } finally {
      await again.stop();
    }
  });

  it('we load a real redis-server appendonlydir', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aof-real-'));
    const real = await startReal(dir, ['--aof-use-rdb-preamble', preamble, '--appendfsync', 'always']);
    let groups = '';
    await run(real.conn, WORKLOAD);
    await real.conn.send('BGREWRITEAOF');
    await rewriteDone(real.conn);
    await run(real.conn, MORE);
    const digest = (await real.conn.send('DEBUG', 'DIGEST')).raw.toString();
    await real.stop();
    const manifest = readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
    expect(manifest).toContain('type b');
    const ours = await startOurs(dir, { 'aof-use-rdb-preamble': preamble });
    try {
      expect((await ours.conn.send('DEBUG', 'DIGEST')).raw.toString()).toBe(digest);
      groups = await streamGroups(ours.conn);
    } finally {
      await ours.stop();
    }
    // Consumer groups (not in the digest) come back as a real server loads the same files.
    const again = await startReal(dir, ['--aof-use-rdb-preamble', preamble]);
    try {
      expect(groups).toBe(await streamGroups(again.conn));
    } finally {
      await again.stop();
    }
  });
});
