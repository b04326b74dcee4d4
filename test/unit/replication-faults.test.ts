import { afterEach, describe, expect, it } from 'vitest';
import type { NodeManager } from '../../src/host/worker/nodes';
import type { RedisConnection } from '../../src/host/worker/client';
import { ask, fakeNodes, infoField, replyText, until } from '../support/nodes';
import { rng, type Rng } from '../support/rng';

/**
 * Replication under faults, in the page's setting: engines joined by the simulated network
 * (network.ts) and driven by the NodeManager (nodes.ts), as in nodes.test.ts. A seeded random
 * workload runs while links are cut and healed, latencies change and replicas are killed and
 * restarted; then everything is healed and every replica must hold the master's dataset. And writes
 * that WAIT reported on N replicas survive as long as N replicas do.
 *
 * The seed is printed; replay one with REPL_FAULTS_SEED=<seed>.
 */

const SEED = Number(process.env.REPL_FAULTS_SEED ?? Math.floor(Math.random() * 2 ** 31));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function text(nodes: NodeManager, port: number, ...args: string[]): Promise<string> {
  const r = await ask(nodes, port, ...args);
  return replyText(r) ?? JSON.stringify(r);
}

async function digest(nodes: NodeManager, port: number): Promise<string> {
  return text(nodes, port, 'DEBUG', 'DIGEST');
}

/** One random write of a mixed workload: every type, expiry, several dbs, now and then a big value. */
function randomWrite(r: Rng, i: number): string[][] {
  const n = () => String(r.int(0, 11));
  const v = () => `v${r.int(0, 999)}`;
  const cmds: (() => string[][])[] = [
    () => [['SET', `s:${n()}`, v()]],
    () => [['APPEND', `s:${n()}`, v()]],
    () => [['INCRBY', `c:${n()}`, String(r.int(-5, 5))]],
    () => [['INCRBYFLOAT', `c:${n()}`, `${r.int(0, 9)}.${r.int(0, 99)}`]],
    () => [['SETRANGE', `s:${n()}`, String(r.int(0, 20)), v()]],
    () => [['RPUSH', `l:${n()}`, v(), v()]],
    () => [['LPOP', `l:${n()}`]],
    () => [['LMOVE', `l:${n()}`, `l:${n()}`, 'LEFT', 'RIGHT']],
    () => [['HSET', `h:${n()}`, `f${r.int(0, 9)}`, v()]],
    () => [['HINCRBY', `h:${n()}`, `n${r.int(0, 3)}`, String(r.int(1, 9))]],
    () => [['HDEL', `h:${n()}`, `f${r.int(0, 9)}`]],
    () => [['SADD', `t:${n()}`, v(), v(), v()]],
    () => [['SREM', `t:${n()}`, v()]],
    () => [['SPOP', `t:${n()}`]],
    () => [['ZADD', `z:${n()}`, String(r.int(0, 100)), v()]],
    () => [['ZINCRBY', `z:${n()}`, String(r.int(1, 5)), v()]],
    () => [['ZREMRANGEBYRANK', `z:${n()}`, '0', '0']],
    () => [['DEL', `${r.pick(['s', 'l', 'h', 't', 'z', 'c'])}:${n()}`]],
    () => [['PEXPIRE', `${r.pick(['s', 'l', 'h'])}:${n()}`, String(r.pick([50, 300, 3_600_000]))]],
    () => [['PERSIST', `${r.pick(['s', 'l', 'h'])}:${n()}`]],
    () => [['RENAME', `s:${n()}`, `s:${n()}`]],
    () => [['COPY', `h:${n()}`, `h:${n()}`, 'REPLACE']],
    () => [['SELECT', String(r.int(1, 2))], ['SET', `s:${n()}`, v()], ['MOVE', `s:${n()}`, '0'], ['SELECT', '0']],
    () => [['MULTI'], ['INCR', `c:${n()}`], ['RPUSH', `l:${n()}`, v()], ['EXEC']],
    () => [['EVAL', "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])", '2', `s:${n()}`, `c:${n()}`, v()]],
    // Big values overflow the 16 KB backlog after a few: a replica cut meanwhile needs a full resync.
    () => [['SET', `big:${r.int(0, 5)}`, `${i}:`.padEnd(r.int(1000, 6000), String.fromCharCode(97 + r.int(0, 25)))]],
  ];
  return r.pick(cmds)();
}

describe('replication under faults', () => {
  it('a master, replicas and a sub-replica converge after cuts, latency and restarts', async () => {
    console.log(`replication-faults seed ${SEED} (REPL_FAULTS_SEED=${SEED} to replay)`);
    const r = rng(SEED);
    // Full syncs diskless (the default) or through an RDB file, by the seed.
    const diskless = r.chance(0.5) ? 'yes' : 'no';
    const { nodes, stop } = fakeNodes({ 'repl-diskless-sync': diskless });
    cleanups.push(stop);
    await nodes.start(6379).ready;
    await ask(nodes, 6379, 'CONFIG', 'SET', 'repl-backlog-size', '16384');
    await nodes.addReplica(6379);
    await nodes.addReplica(6379);
    await nodes.addReplica(6380);
    const replicas = [6380, 6381, 6382];
    const killed = new Set<number>();
    const cut = new Set<number>();
    const master: RedisConnection = nodes.connect(6379);
    const log: string[] = [`repl-diskless-sync ${diskless}`];

    for (let step = 0; step < 120; step++) {
      for (let w = r.int(1, 25); w > 0; w--) {
        for (const cmd of randomWrite(r, step)) await master.send(...cmd);
      }
      const port = r.pick(replicas);
      const what = r.int(0, 9);
      if (what < 3) {
        if (cut.has(port)) {
          nodes.heal(port);
          cut.delete(port);
        } else {
          nodes.cut(port);
          cut.add(port);
        }
        log.push(`${cut.has(port) ? 'cut' : 'heal'} ${port}`);
      } else if (what < 5) {
        const ms = r.pick([0, 0, 5, 20, 50]);
        nodes.setLatency(port, ms);
        log.push(`latency ${port} ${ms}`);
      } else if (what < 7) {
        if (killed.has(port)) {
          await nodes.restart(port);
          killed.delete(port);
        } else {
          nodes.kill(port);
          killed.add(port);
        }
        log.push(`${killed.has(port) ? 'kill' : 'restart'} ${port}`);
      } else {
        // Let the replicas work for a moment.
        await new Promise((res) => setTimeout(res, r.int(0, 60)));
      }
    }

    // Heal everything, bring everyone back: every node must end up with the master's dataset.
    for (const port of replicas) {
      nodes.setLatency(port, 0);
      nodes.heal(port);
    }
    for (const port of killed) await nodes.restart(port);
    let last = '';
    await until(
      async () => {
        const want = await digest(nodes, 6379);
        const got = await Promise.all(replicas.map((p) => digest(nodes, p)));
        last = `master ${want}, replicas ${got.join(' ')}`;
        return got.every((d) => d === want) && (await text(nodes, 6379, 'DBSIZE')) !== '0';
      },
      () => `the replicas to converge (seed ${SEED}; ${last}; events: ${log.join(', ')})`,
    );
    const info = await text(nodes, 6379, 'INFO', 'stats');
    log.push(`sync_full ${infoField(info, 'sync_full')}, sync_partial_ok ${infoField(info, 'sync_partial_ok')}`);
    console.log(`replication-faults seed ${SEED}: ${log.join(', ')}`);
    master.close();
  }, 30_000);

  it('writes WAIT reported on N replicas survive when N replicas do, on the most advanced survivor promoted', async () => {
    const seed = SEED + 1;
    console.log(`replication-faults (WAIT) seed ${seed}`);
    const r = rng(seed);
    const N = 2;
    // No PINGs in the stream: the offset read after a write is exactly the one WAIT waits for.
    const { nodes, stop } = fakeNodes({ 'repl-ping-replica-period': '3600' });
    cleanups.push(stop);
    await nodes.start(6379).ready;
    const replicas = [6380, 6381, 6382];
    for (const _ of replicas) await nodes.addReplica(6379);
    for (const p of replicas) {
      await until(async () => infoField(await text(nodes, p, 'INFO', 'replication'), 'master_link_status') === 'up', `${p} to sync`);
    }
    const master: RedisConnection = nodes.connect(6379);
    /** The write number at which each replica was last killed (it lost its memory, then resynced on restart). */
    const killedAt = new Map<number, number>();
    const killed = new Set<number>();
    const cut = new Set<number>();
    /** Writes WAIT reported on N replicas: key, value, and the replicas whose acked offset covered it. */
    const acked: { i: number; key: string; value: string; by: number[] }[] = [];
    const log: string[] = [];

    for (let i = 0; i < 60; i++) {
      // Faults, keeping at least N replicas running (cut ones run: they keep what they have).
      if (r.chance(0.3)) {
        const port = r.pick(replicas);
        const what = r.int(0, 2);
        if (what === 0) {
          if (cut.has(port)) nodes.heal(port);
          else nodes.cut(port);
          if (cut.has(port)) cut.delete(port);
          else cut.add(port);
          log.push(`${cut.has(port) ? 'cut' : 'heal'} ${port}`);
        } else if (what === 1) {
          const ms = r.pick([0, 5, 20]);
          nodes.setLatency(port, ms);
          log.push(`latency ${port} ${ms}`);
        } else if (killed.has(port)) {
          // Back up only once it has resynced: until then it holds only what its AOF kept.
          if (cut.has(port)) nodes.heal(port);
          cut.delete(port);
          await nodes.restart(port);
          await until(async () => infoField(await text(nodes, port, 'INFO', 'replication'), 'master_link_status') === 'up', `${port} to resync`);
          killed.delete(port);
          log.push(`restart ${port}`);
        } else if (replicas.length - killed.size > N) {
          nodes.kill(port);
          killed.add(port);
          killedAt.set(port, i);
          log.push(`kill ${port}`);
        }
      }
      const key = `ack:${i}`;
      const value = `${i}:`.padEnd(r.int(3, 3000), 'x');
      await master.send('SET', key, value);
      const offset = Number(infoField(replyText(await master.send('INFO', 'replication'))!, 'master_repl_offset'));
      const n = Number(replyText(await master.send('WAIT', String(N), '100')));
      if (n < N) continue;
      const info = replyText(await master.send('INFO', 'replication'))!;
      const by: number[] = [];
      for (const m of info.matchAll(/^slave\d+:.*port=(\d+),state=online,offset=(\d+)/gm)) {
        if (Number(m[2]) >= offset) by.push(Number(m[1]));
      }
      expect(by.length, `WAIT said ${n}: ${info}`).toBeGreaterThanOrEqual(n);
      acked.push({ i, key, value, by });
    }
    expect(acked.length).toBeGreaterThan(0);

    // The master dies; so does one more replica if none is down (at most R - N are).
    nodes.kill(6379);
    if (killed.size === 0) {
      const port = r.pick(replicas);
      nodes.kill(port);
      killed.add(port);
      killedAt.set(port, Infinity);
      log.push(`kill ${port}`);
    }
    const survivors = replicas.filter((p) => !killed.has(p));
    log.push(`survivors ${survivors.join(' ')}`);
    const context = () => `seed ${seed}; ${log.join(', ')}`;

    // Each write is on every survivor that acknowledged it, or was restarted since (and resynced then).
    for (const w of acked) {
      const holders = survivors.filter((p) => w.by.includes(p) || (killedAt.get(p) ?? -1) >= w.i);
      expect(holders.length, `${w.key} acked by ${w.by.join(' ')}; ${context()}`).toBeGreaterThan(0);
      for (const p of holders) expect(await text(nodes, p, 'GET', w.key), `${w.key} on ${p}; ${context()}`).toBe(w.value);
    }

    // Promote the survivor furthest in the stream (what a failover picks): it has every acknowledged write.
    const offsets = new Map<number, number>();
    for (const p of survivors) offsets.set(p, Number(infoField(await text(nodes, p, 'INFO', 'replication'), 'slave_repl_offset')));
    const promoted = [...survivors].sort((a, b) => offsets.get(b)! - offsets.get(a)!)[0];
    const other = survivors.find((p) => p !== promoted)!;
    log.push(`promote ${promoted} (offsets ${[...offsets].map(([p, o]) => `${p}=${o}`).join(' ')})`);
    expect(await text(nodes, promoted, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    for (const w of acked) expect(await text(nodes, promoted, 'GET', w.key), `${w.key} on ${promoted}; ${context()}`).toBe(w.value);
    expect(await text(nodes, promoted, 'SET', 'after', 'promotion')).toBe('OK');

    // The other survivor follows the new master, continuing its history (a partial resync) when the
    // new master's backlog still reaches back to it (it starts where the new master last synced).
    // Every survivor has synced once at least (at the start, and after each restart).
    const firstByte = Number(infoField(await text(nodes, promoted, 'INFO', 'replication'), 'repl_backlog_first_byte_offset'));
    const partial = offsets.get(other)! + 1 >= firstByte;
    log.push(`${other} at ${offsets.get(other)} follows; backlog from ${firstByte}`);
    expect(await text(nodes, other, 'REPLICAOF', '127.0.0.1', String(promoted))).toBe('OK');
    await until(async () => (await text(nodes, other, 'GET', 'after')) === 'promotion', () => `${other} to follow ${promoted}; ${context()}`);
    const stats = await text(nodes, promoted, 'INFO', 'stats');
    expect(infoField(stats, 'sync_partial_ok'), context()).toBe(partial ? '1' : '0');
    expect(infoField(stats, 'sync_full'), context()).toBe(partial ? '0' : '1');
    expect(await digest(nodes, other)).toBe(await digest(nodes, promoted));
    console.log(`replication-faults (WAIT) seed ${seed}: ${acked.length} writes acknowledged; ${log.join(', ')}`);
    master.close();
  }, 30_000);
});
