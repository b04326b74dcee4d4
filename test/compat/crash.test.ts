import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Conn } from '../support/harness';
import { kill, startServer, type Server } from '../support/child';
import { rng } from '../support/rng';
import { encodeCommand } from '../support/resp-reader';

/**
 * Crash recovery of the Node server: a process killed (SIGKILL) at a random moment while clients
 * write, while BGSAVE and AOF rewrites run, comes back with no more loss than its fsync policy
 * allows. Under appendfsync always no acknowledged write may be lost.
 */

/**
 * Pipeline writes of ever-growing numbers into a list and a counter, remembering which were
 * acknowledged, until the server dies. Returns the highest acknowledged number.
 */
async function writeUntilKilled(port: number, killAfterMs: number, s: Server, extra: () => Promise<void>): Promise<number> {
  const c = await Conn.open(port);
  let acked = 0;
  let next = 1;
  const killer = setTimeout(() => void kill(s), killAfterMs);
  try {
    for (;;) {
      const batch: string[][] = [];
      for (let i = 0; i < 20; i++, next++) batch.push(['RPUSH', 'log', String(next)], ['SET', 'last', String(next)]);
      c.writeRaw(Buffer.concat(batch.map((b) => encodeCommand(b))));
      for (let i = 0; i < batch.length; i += 2) {
        await c.read(2000);
        await c.read(2000);
        acked = Number(batch[i][2]);
      }
      await extra();
    }
  } catch {
    return acked; // the connection died with the server
  } finally {
    clearTimeout(killer);
    c.close();
  }
}

async function check(port: number, acked: number): Promise<void> {
  const c = await Conn.open(port);
  try {
    const value = async (...argv: string[]): Promise<number> => {
      const r = (await c.send(...argv)).reply;
      return r.t === 'int' || r.t === 'bulk' ? Number(r.v ?? 0) : NaN;
    };
    const len = await value('LLEN', 'log');
    const last = await value('GET', 'last');
    // Everything acknowledged is there; what was in flight may or may not be, but never half of a pair.
    expect(len).toBeGreaterThanOrEqual(acked);
    expect(last).toBe(len);
    const tail = (await c.send('LRANGE', 'log', '-1', '-1')).reply;
    if (len > 0) expect(tail).toEqual({ t: 'array', v: [{ t: 'bulk', v: String(len) }] });
  } finally {
    c.close();
  }
}

describe('crash recovery (SIGKILL at random moments)', () => {
  it('appendfsync always: no acknowledged write is lost, also during rewrites', async () => {
    const seed = Number(process.env.COMPAT_SEED ?? Date.now()) >>> 0;
    const r = rng(seed);
    console.log(`crash test seed ${seed} (replay with COMPAT_SEED=${seed})`);
    const dir = mkdtempSync(path.join(tmpdir(), 'crash-aof-'));
    let acked = 0;
    for (let round = 0; round < 4; round++) {
      const s = await startServer(dir, ['--appendonly', 'yes', '--appendfsync', 'always', '--aof-use-rdb-preamble', round % 2 ? 'yes' : 'no']);
      if (round > 0) await check(s.port, acked);
      // Clear the list so each round starts counting from 1 again (the check above already ran).
      const c = await Conn.open(s.port);
      await c.send('DEL', 'log', 'last');
      c.close();
      const admin = await Conn.open(s.port);
      acked = await writeUntilKilled(s.port, r.int(150, 900), s, async () => {
        if (r.chance(0.05)) admin.writeRaw(encodeCommand(['BGREWRITEAOF']));
      });
      admin.close();
      await kill(s);
    }
    const s = await startServer(dir, ['--appendonly', 'yes']);
    await check(s.port, acked);
    await kill(s);
  }, 120_000);

  it('RDB only: a kill during BGSAVE leaves the previous snapshot whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crash-rdb-'));
    const s = await startServer(dir, []);
    const c = await Conn.open(s.port);
    await c.send('DEBUG', 'POPULATE', '20000', 'k', '50');
    await c.send('SET', 'marker', 'first');
    expect((await c.send('SAVE')).raw.toString()).toBe('+OK\r\n');
    await c.send('SET', 'marker', 'second');
    await c.send('DEBUG', 'POPULATE', '200000', 'more', '10');
    await c.send('BGSAVE');
    c.close();
    await new Promise((r) => setTimeout(r, 30)); // mid-save (slices take far longer in all)
    await kill(s);
    const again = await startServer(dir, []);
    const d = await Conn.open(again.port);
    const marker = (await d.send('GET', 'marker')).raw.toString();
    const size = (await d.send('DBSIZE')).raw.toString();
    // Either the first snapshot or, if the BGSAVE got to the end, the second: never a broken file.
    if (marker.includes('first')) expect(size).toBe(':20001\r\n');
    else expect(size).toBe(':220001\r\n');
    d.close();
    await kill(again);
  }, 60_000);
});
