import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOurRedis, startRealRedis, type RunningRedis } from '../support/harness';
import { ask, caughtUp, info, write } from '../support/replicas';

const REPL_FIELDS = ['master_repl_offset', 'repl_backlog_active', 'repl_backlog_size', 'repl_backlog_first_byte_offset', 'repl_backlog_histlen'];
const MEMORY_FIELDS = ['mem_not_counted_for_evict', 'mem_replication_backlog', 'mem_total_replication_buffers', 'mem_clients_slaves'];

/** The replication figures of a server: what must be equal between ours and the real one. */
async function figures(port: number): Promise<Record<string, string>> {
  const [repl, mem] = await Promise.all([info(port, 'replication'), info(port, 'memory')]);
  const out: Record<string, string> = {};
  for (const f of REPL_FIELDS) out[f] = repl.get(f) ?? '?';
  for (const f of MEMORY_FIELDS) out[f] = mem.get(f) ?? '?';
  // MEMORY STATS: a flat array of names and values.
  const stats = (await ask(port, 'MEMORY', 'STATS')).split(/, /);
  for (const name of ['replication.backlog', 'clients.slaves']) {
    const i = stats.findIndex((s) => s.replace(/^\[?"|"$/g, '') === name);
    out[name] = i >= 0 ? stats[i + 1].replace(/^:/, '') : '?';
  }
  // The replica's share of the buffer: oll (blocks) and omem.
  const line = await ask(port, 'CLIENT', 'LIST', 'TYPE', 'replica');
  out.replica = /oll=\d+ omem=\d+/.exec(line)?.[0] ?? 'none';
  return out;
}

// No PINGs in the stream (they come at times of their own): both streams stay byte for byte equal.
const CONFIG = { 'repl-diskless-sync-delay': '0', 'repl-ping-replica-period': '3600' };
const REAL_ARGS = Object.entries(CONFIG).flatMap(([k, v]) => ['--' + k, v]);

describe('replication memory of a master: ours and a real one, each with a real replica', () => {
  let real: RunningRedis;
  let ours: RunningRedis;
  let realReplica: RunningRedis;
  let ourReplica: RunningRedis;

  /** Both masters' figures, once their replicas (when attached) have everything. */
  async function both(attached = true): Promise<[Record<string, string>, Record<string, string>]> {
    if (attached) await Promise.all([caughtUp(real.port, realReplica.port, true), caughtUp(ours.port, ourReplica.port, true)]);
    return Promise.all([figures(real.port), figures(ours.port)]);
  }

  async function writeBoth(cmds: string[][]): Promise<void> {
    await Promise.all([write(real.port, cmds), write(ours.port, cmds)]);
  }

  beforeAll(async () => {
    [real, ours, realReplica, ourReplica] = await Promise.all([
      startRealRedis(REAL_ARGS), startOurRedis(CONFIG), startRealRedis(), startRealRedis(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([realReplica?.stop(), ourReplica?.stop()]);
    await Promise.all([real?.stop(), ours?.stop()]);
  });

  it('no replica, no backlog: nothing to count', async () => {
    const [r, o] = await both(false);
    expect(o).toEqual(r);
    expect(o.repl_backlog_active).toBe('0');
  });

  it('a replica attaches: an empty backlog (its block index only)', async () => {
    await Promise.all([
      ask(realReplica.port, 'REPLICAOF', '127.0.0.1', String(real.port)),
      ask(ourReplica.port, 'REPLICAOF', '127.0.0.1', String(ours.port)),
    ]);
    const [r, o] = await both();
    expect(o).toEqual(r);
    expect(o.mem_replication_backlog).toBe('4');
  });

  it('writes flow: one block of the shared buffer per 20440 bytes, referenced by the replica', async () => {
    await writeBoth(Array.from({ length: 100 }, (_, i) => ['SET', `k${i}`, 'v'.repeat(1000)]));
    const [r, o] = await both();
    expect(o).toEqual(r);
    expect(o.mem_total_replication_buffers).toBe(String(6 * 20504));
  });

  it('past repl-backlog-size: the backlog trims whole blocks, the rest counts as the replicas\' and not towards maxmemory', async () => {
    await writeBoth(Array.from({ length: 2000 }, (_, i) => ['SET', `k${i}`, 'w'.repeat(1000)]));
    const [r, o] = await both();
    expect(o).toEqual(r);
    expect(Number(o.mem_clients_slaves)).toBeGreaterThan(0);
    expect(Number(o.mem_not_counted_for_evict)).toBeGreaterThan(0);
  });

  it('an argument bigger than a block gets a block of its own size', async () => {
    await writeBoth([['SET', 'big', 'b'.repeat(50_000)], ['SELECT', '3'], ['SET', 'big2', 'c'.repeat(16_385)], ['SET', 'small', 'x']]);
    const [r, o] = await both();
    expect(o).toEqual(r);
  });

  it('long commands of small arguments, and transactions', async () => {
    const mset = ['MSET'];
    for (let i = 0; i < 3000; i++) mset.push(`m${i}`, `value-${i}`);
    const hset = ['HSET', 'h'];
    for (let i = 0; i < 500; i++) hset.push(`f${i}`, 'z'.repeat(i % 200));
    await writeBoth([mset, ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['EXEC'], hset, ['DEL', 'h']]);
    const [r, o] = await both();
    expect(o).toEqual(r);
  });

  it('a backlog of hundreds of blocks: Redis\'s estimate of its block index', async () => {
    await Promise.all([ask(real.port, 'CONFIG', 'SET', 'repl-backlog-size', '8mb'), ask(ours.port, 'CONFIG', 'SET', 'repl-backlog-size', '8mb')]);
    for (let round = 0; round < 3; round++) {
      await writeBoth(Array.from({ length: 3000 }, (_, i) => ['SET', `i${i}`, String(round).repeat(1000)]));
      const [r, o] = await both();
      expect(o).toEqual(r);
    }
  });

  it('the replica leaves: the backlog keeps the whole buffer', async () => {
    await Promise.all([ask(realReplica.port, 'REPLICAOF', 'NO', 'ONE'), ask(ourReplica.port, 'REPLICAOF', 'NO', 'ONE')]);
    for (let i = 0; ; i++) {
      const [r, o] = await both(false);
      if (r.replica === 'none' && o.replica === 'none') {
        expect(o).toEqual(r);
        expect(o.mem_clients_slaves).toBe('0');
        break;
      }
      if (i > 200) throw new Error('the replicas never left');
      await new Promise((res) => setTimeout(res, 25));
    }
  });

  it('CONFIG SET repl-backlog-size: raised to 16KB at least, the backlog shrinks at once', async () => {
    await Promise.all([ask(real.port, 'CONFIG', 'SET', 'repl-backlog-size', '1'), ask(ours.port, 'CONFIG', 'SET', 'repl-backlog-size', '1')]);
    expect(await ask(ours.port, 'CONFIG', 'GET', 'repl-backlog-size')).toBe(await ask(real.port, 'CONFIG', 'GET', 'repl-backlog-size'));
    const [r, o] = await both(false);
    expect(o).toEqual(r);
  });

  it('writes without replicas still go to the backlog', async () => {
    await writeBoth(Array.from({ length: 50 }, (_, i) => ['SET', `k${i}`, 'q'.repeat(700)]));
    const [r, o] = await both(false);
    expect(o).toEqual(r);
  });

  it('repl-backlog-ttl: the backlog and its buffer are freed', async () => {
    await Promise.all([ask(real.port, 'CONFIG', 'SET', 'repl-backlog-ttl', '1'), ask(ours.port, 'CONFIG', 'SET', 'repl-backlog-ttl', '1')]);
    for (let i = 0; ; i++) {
      const [r, o] = await both(false);
      if (r.repl_backlog_active === '0' && o.repl_backlog_active === '0') {
        expect(o).toEqual(r);
        expect(o.mem_total_replication_buffers).toBe('0');
        break;
      }
      if (i > 400) throw new Error('the backlog was never freed');
      await new Promise((res) => setTimeout(res, 25));
    }
  });
});

describe('replication memory of a replica: ours and a real one, replicas of the same real master', () => {
  let master: RunningRedis;
  let realReplica: RunningRedis;
  let ourReplica: RunningRedis;

  beforeAll(async () => {
    [master, realReplica, ourReplica] = await Promise.all([startRealRedis(REAL_ARGS), startRealRedis(), startOurRedis()]);
  });
  afterAll(async () => {
    await Promise.all([realReplica?.stop(), ourReplica?.stop()]);
    await master?.stop();
  });

  it('a replica keeps a backlog of its master\'s stream, in the same blocks', async () => {
    await Promise.all([
      ask(realReplica.port, 'REPLICAOF', '127.0.0.1', String(master.port)),
      ask(ourReplica.port, 'REPLICAOF', '127.0.0.1', String(master.port)),
    ]);
    const check = async (): Promise<void> => {
      await Promise.all([caughtUp(master.port, realReplica.port), caughtUp(master.port, ourReplica.port)]);
      const [r, o] = await Promise.all([figures(realReplica.port), figures(ourReplica.port)]);
      // The replicas attached at the same offset, so they hold the same history.
      expect(o).toEqual(r);
    };
    await check();
    await write(master.port, Array.from({ length: 1500 }, (_, i) => ['SET', `k${i}`, 'r'.repeat(900)]));
    await check();
  });
});

