import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Conn, rng, runSeed, startOurRedis, startRealRedis, type RunningRedis } from '../support/harness';
import { showReply } from '../support/resp-reader';
import { ask, caughtUp, info, write } from '../support/replicas';
import { datasetCommands } from './rdb-dataset';
import { genMixed } from './gen/mixed';
import { usePair } from '../support/pair';

/**
 * Replication over loopback between our server and a real redis-server 7.0, both ways: full sync,
 * a stream of random writes of every type, link drops that the backlog covers (partial resync) and
 * that it doesn't (full resync), checked with DEBUG DIGEST and with the real server's log and INFO.
 */

/** One seed for the file's random writes (replay with COMPAT_SEED=...). */
const SEED = runSeed();
console.log(`replication test seed ${SEED} (replay with COMPAT_SEED=${SEED})`);

const logs = mkdtempSync(path.join(tmpdir(), 'compat-repl-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

/**
 * The master's and the replica's DEBUG DIGEST are equal once the replica caught up. The master may
 * expire a key between the two readings (its DEL then reaches the replica): read again then.
 */
async function digestsEqual(master: number, replica: number): Promise<void> {
  let dm = '';
  let dr = '';
  for (let i = 0; i < 20; i++) {
    await caughtUp(master, replica);
    [dm, dr] = await Promise.all([ask(master, 'DEBUG', 'DIGEST'), ask(replica, 'DEBUG', 'DIGEST')]);
    if (dm === dr) return;
  }
  expect(await keyDigests(replica), 'keys that differ').toEqual(await keyDigests(master));
  expect(dr).toBe(dm);
}

/** Every key's DEBUG DIGEST-VALUE and TTL, per db, to show where two datasets differ. */
async function keyDigests(port: number): Promise<string[]> {
  const c = await Conn.open(port);
  const out: string[] = [];
  try {
    for (let db = 0; db < 16; db++) {
      await c.send('SELECT', String(db));
      const keys = (await c.send('KEYS', '*')).reply;
      if (keys.t !== 'array' || !keys.v) continue;
      for (const k of keys.v.map((r) => (r.t === 'bulk' ? r.v ?? '' : '')).sort()) {
        const d = (await c.send('DEBUG', 'DIGEST-VALUE', k)).reply;
        const ttl = (await c.send('PTTL', k)).reply;
        out.push(`${db}:${k} ${showReply(d)} ttl=${ttl.t === 'int' && Number(ttl.v) > 0 ? 'yes' : showReply(ttl)}`);
      }
    }
  } finally {
    c.close();
  }
  return out;
}

/**
 * Random mixed writes over several databases. Left out: BITFIELD with OVERFLOW FAIL, which in
 * Redis 7.0 grows the string on the master even when no SET happens, and propagates nothing when
 * none does, so a real master and its real replica differ after it too.
 */
function randomWrites(seed: number, n: number): string[][] {
  const r = rng(seed);
  const out: string[][] = [];
  while (out.length < n) {
    if (r.int(0, 19) === 0) out.push(['SELECT', String(r.int(0, 3))]);
    const argv = genMixed(r).argv;
    if (argv[0].toUpperCase() === 'BITFIELD' && argv.some((a) => a.toUpperCase() === 'FAIL')) continue;
    out.push(argv);
  }
  return out;
}

const fast = ['--repl-diskless-sync-delay', '0'];

describe('a real redis-server as replica of our server', () => {
  let ours: RunningRedis;
  let real: RunningRedis;
  const realLog = path.join(logs, 'real-replica.log');

  beforeAll(async () => {
    ours = await startOurRedis({ 'repl-diskless-sync-delay': '0' });
    real = await startRealRedis(['--logfile', realLog]);
    await write(ours.port, datasetCommands().cmds);
  });
  afterAll(async () => {
    await real?.stop();
    await ours?.stop();
  });

  it('full sync: the dataset of every type and encoding arrives whole', async () => {
    expect(await ask(real.port, 'REPLICAOF', '127.0.0.1', String(ours.port))).toBe('OK');
    await caughtUp(ours.port, real.port);
    await digestsEqual(ours.port, real.port);
    const m = await info(ours.port);
    expect(m.get('connected_slaves')).toBe('1');
    expect(m.get('slave0')).toMatch(/^ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+$/);
    expect((await info(ours.port, 'stats')).get('sync_full')).toBe('1');
  });

  it('then a stream of random writes of every type', async () => {
    await write(ours.port, randomWrites(SEED, 3000));
    await caughtUp(ours.port, real.port);
    await digestsEqual(ours.port, real.port);
  });

  it('WAIT counts the replica once it acknowledged the writes', async () => {
    const c = await Conn.open(ours.port);
    try {
      await c.send('SET', 'wait:key', '1');
      expect(showReply((await c.send('WAIT', '1', '5000')).reply)).toBe(':1');
      // More replicas than there are: WAIT gives up at the timeout with how many it has.
      expect(showReply((await c.send('WAIT', '2', '200')).reply)).toBe(':1');
    } finally {
      c.close();
    }
  });

  it('a dropped link that the backlog covers: partial resync', async () => {
    expect(await ask(ours.port, 'CLIENT', 'KILL', 'TYPE', 'replica')).toBe('1');
    await write(ours.port, randomWrites(SEED + 1, 200));
    await caughtUp(ours.port, real.port);
    await digestsEqual(ours.port, real.port);
    expect(readFileSync(realLog, 'utf8')).toContain('Successful partial resynchronization with master.');
    expect((await info(ours.port, 'stats')).get('sync_partial_ok')).toBe('1');
  });

  it('a replica that was away longer than the backlog: full resync', async () => {
    await ask(ours.port, 'CONFIG', 'SET', 'repl-backlog-size', '16384');
    // Detach the replica (it keeps its history as a secondary ID), write more than the backlog holds, re-attach.
    expect(await ask(real.port, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const big = 'x'.repeat(1000);
    await write(ours.port, Array.from({ length: 40 }, (_, i) => ['SET', `big:${i}`, big]));
    const fullBefore = Number((await info(ours.port, 'stats')).get('sync_full'));
    expect(await ask(real.port, 'REPLICAOF', '127.0.0.1', String(ours.port))).toBe('OK');
    await caughtUp(ours.port, real.port);
    await digestsEqual(ours.port, real.port);
    expect(Number((await info(ours.port, 'stats')).get('sync_full'))).toBe(fullBefore + 1);
  });

  it('failover: the replica is promoted and our server follows it with a partial resync (PSYNC2)', async () => {
    await write(ours.port, [['SET', 'before:failover', '1']]);
    await caughtUp(ours.port, real.port);
    const okBefore = Number((await info(real.port, 'stats')).get('sync_partial_ok'));
    expect(await ask(real.port, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(await ask(ours.port, 'REPLICAOF', '127.0.0.1', String(real.port))).toBe('OK');
    await caughtUp(real.port, ours.port);
    expect(Number((await info(real.port, 'stats')).get('sync_partial_ok'))).toBe(okBefore + 1);
    await write(real.port, randomWrites(SEED + 4, 300));
    await caughtUp(real.port, ours.port);
    await digestsEqual(real.port, ours.port);
    const [r, o] = await Promise.all([info(real.port), info(ours.port)]);
    expect(o.get('master_replid')).toBe(r.get('master_replid'));
    expect(o.get('master_replid2')).toBe(r.get('master_replid2'));
  });
});

describe('our server as replica of a real redis-server', () => {
  let real: RunningRedis;
  let ours: RunningRedis;

  beforeAll(async () => {
    real = await startRealRedis(fast);
    ours = await startOurRedis();
    await write(real.port, datasetCommands().cmds);
  });
  afterAll(async () => {
    await ours?.stop();
    await real?.stop();
  });

  it('full sync, then random writes of every type', async () => {
    expect(await ask(ours.port, 'REPLICAOF', '127.0.0.1', String(real.port))).toBe('OK');
    await caughtUp(real.port, ours.port);
    await digestsEqual(real.port, ours.port);
    await write(real.port, randomWrites(SEED + 2, 3000));
    await caughtUp(real.port, ours.port);
    await digestsEqual(real.port, ours.port);
  });

  it('answers like a replica: ROLE, READONLY, INFO replication', async () => {
    const role = await ask(ours.port, 'ROLE');
    expect(role).toMatch(/^\["slave", "127\.0\.0\.1", :\d+, "connected", :\d+\]$/);
    expect(await ask(ours.port, 'SET', 'k', 'v')).toBe("(error) READONLY You can't write against a read only replica.");
    const r = await info(ours.port);
    expect(r.get('role')).toBe('slave');
    expect(r.get('master_link_status')).toBe('up');
    expect(r.get('master_replid')).toBe((await info(real.port)).get('master_replid'));
  });

  it('WAIT on the real master counts our acknowledgements', async () => {
    const c = await Conn.open(real.port);
    try {
      await c.send('SET', 'wait:key', '1');
      expect(showReply((await c.send('WAIT', '1', '5000')).reply)).toBe(':1');
    } finally {
      c.close();
    }
  });

  it('a dropped link that the backlog covers: partial resync', async () => {
    const before = Number((await info(real.port, 'stats')).get('sync_partial_ok'));
    expect(await ask(real.port, 'CLIENT', 'KILL', 'TYPE', 'replica')).toBe('1');
    await write(real.port, randomWrites(SEED + 3, 200));
    await caughtUp(real.port, ours.port);
    await digestsEqual(real.port, ours.port);
    expect(Number((await info(real.port, 'stats')).get('sync_partial_ok'))).toBe(before + 1);
  });

  it('away longer than the backlog: full resync', async () => {
    await ask(real.port, 'CONFIG', 'SET', 'repl-backlog-size', '16384');
    expect(await ask(ours.port, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const big = 'y'.repeat(1000);
    await write(real.port, Array.from({ length: 40 }, (_, i) => ['SET', `big:${i}`, big]));
    const before = Number((await info(real.port, 'stats')).get('sync_full'));
    expect(await ask(ours.port, 'REPLICAOF', '127.0.0.1', String(real.port))).toBe('OK');
    await caughtUp(real.port, ours.port);
    await digestsEqual(real.port, ours.port);
    expect(Number((await info(real.port, 'stats')).get('sync_full'))).toBe(before + 1);
  });

  it('keys that expire on the master disappear from the replica with its DEL', async () => {
    await write(real.port, [['SET', 'soon:gone', 'v', 'PX', '50']]);
    await caughtUp(real.port, ours.port);
    await new Promise((r) => setTimeout(r, 120));
    // The replica does not delete it (only reports it missing); the master's active expiry does.
    expect(await ask(ours.port, 'GET', 'soon:gone')).toBe('(nil)');
    for (let i = 0; i < 400 && (await ask(real.port, 'EXISTS', 'soon:gone')) !== '0'; i++) await new Promise((r) => setTimeout(r, 25));
    await caughtUp(real.port, ours.port);
    await digestsEqual(real.port, ours.port);
  });

  it('failover: our replica is promoted and the real master follows it with a partial resync (PSYNC2)', async () => {
    await caughtUp(real.port, ours.port);
    const okBefore = Number((await info(ours.port, 'stats')).get('sync_partial_ok'));
    expect(await ask(ours.port, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(await ask(real.port, 'REPLICAOF', '127.0.0.1', String(ours.port))).toBe('OK');
    await caughtUp(ours.port, real.port);
    expect(Number((await info(ours.port, 'stats')).get('sync_partial_ok'))).toBe(okBefore + 1);
    await write(ours.port, randomWrites(SEED + 5, 300));
    await caughtUp(ours.port, real.port);
    await digestsEqual(ours.port, real.port);
  });
});

describe('replication commands on a master without replicas', () => {
  const pair = usePair();

  it('COMMAND INFO: arity, flags, categories and tips are Redis\'s', async () => {
    await pair.same(['COMMAND', 'INFO', 'replicaof', 'slaveof', 'sync', 'psync', 'replconf', 'role', 'wait']);
  });

  it('errors and simple answers', async () => {
    await pair.same(
      ['PSYNC', 'x'], ['PSYNC', 'abc', 'abc'], ['SYNC', 'x'],
      ['REPLCONF'], ['REPLCONF', 'foo', 'bar'], ['REPLCONF', 'ack'], ['REPLCONF', 'listening-port', 'x'],
      ['REPLCONF', 'listening-port', '1234'], ['REPLCONF', 'capa', 'eof', 'capa', 'psync2'],
      ['WAIT', '1'], ['WAIT', '0', 'abc'], ['WAIT', '0', '-1'], ['WAIT', 'x', '0'], ['WAIT', '0', '0'], ['WAIT', '1', '10'],
      ['ROLE', 'x'], ['ROLE'],
      ['REPLICAOF', 'a'], ['REPLICAOF', '127.0.0.1', 'abc'], ['REPLICAOF', '127.0.0.1', '70000'], ['REPLICAOF', 'no', 'two'],
      ['REPLICAOF', 'NO', 'ONE'], ['SLAVEOF', 'no', 'one'],
      ['MULTI'], ['SYNC'], ['PSYNC', '?', '-1'], ['WAIT', '0', '0'], ['EXEC'],
    );
  });
});

describe('a master that waits before the sync', () => {
  it('its keep-alive newlines before +FULLRESYNC are skipped (repl-diskless-sync-delay)', async () => {
    const real = await startRealRedis(['--repl-diskless-sync-delay', '2']);
    const ours = await startOurRedis();
    try {
      await write(real.port, datasetCommands().cmds);
      expect(await ask(ours.port, 'REPLICAOF', '127.0.0.1', String(real.port))).toBe('OK');
      await caughtUp(real.port, ours.port);
      await digestsEqual(real.port, ours.port);
    } finally {
      await ours.stop();
      await real.stop();
    }
  });
});

describe('chains and options', () => {
  const servers: RunningRedis[] = [];
  afterAll(async () => {
    for (const s of servers.reverse()) await s.stop();
  });

  it('real master → our replica → real sub-replica: the sub-replica gets the master\'s stream', async () => {
    const master = await startRealRedis(fast);
    const middle = await startOurRedis({ 'repl-diskless-sync-delay': '0' });
    const leaf = await startRealRedis();
    servers.push(master, middle, leaf);
    await write(master.port, datasetCommands().cmds);
    expect(await ask(middle.port, 'REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK');
    await caughtUp(master.port, middle.port);
    expect(await ask(leaf.port, 'REPLICAOF', '127.0.0.1', String(middle.port))).toBe('OK');
    await caughtUp(middle.port, leaf.port);
    await write(master.port, randomWrites(SEED + 6, 1000));
    await caughtUp(master.port, middle.port);
    await caughtUp(middle.port, leaf.port);
    await digestsEqual(master.port, leaf.port);
    // One history along the chain: the same replication ID and offsets.
    const [m, l] = await Promise.all([info(master.port), info(leaf.port)]);
    expect(l.get('master_replid')).toBe(m.get('master_replid'));
    expect(l.get('slave_repl_offset')).toBe(m.get('master_repl_offset'));
  });

  it('disk-based sync (repl-diskless-sync no) saves the RDB and sends it with its length', async () => {
    const master = await startOurRedis({ 'repl-diskless-sync': 'no' });
    const replica = await startRealRedis();
    servers.push(master, replica);
    await write(master.port, datasetCommands().cmds);
    expect(await ask(replica.port, 'REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK');
    await caughtUp(master.port, replica.port);
    await digestsEqual(master.port, replica.port);
    expect((await info(master.port, 'persistence')).get('rdb_saves')).toBe('1');
  });

  it('min-replicas-to-write: writes are refused without enough good replicas', async () => {
    const master = await startOurRedis({ 'repl-diskless-sync-delay': '0' });
    const real = await startRealRedis(fast);
    servers.push(master, real);
    for (const p of [master.port, real.port]) await ask(p, 'CONFIG', 'SET', 'min-replicas-to-write', '1');
    const both = async (...argv: string[]): Promise<void> => {
      const [a, b] = await Promise.all([ask(real.port, ...argv), ask(master.port, ...argv)]);
      expect(b).toBe(a);
    };
    await both('SET', 'k', 'v');
    await both('GET', 'k');
    await both('EVAL', "return redis.call('set', 'k', 'v')", '0');
    await both('EVAL', "return redis.call('get', 'k')", '0');
    await both('EVAL', "#!lua\nreturn redis.call('set', 'k', 'v')", '0');
    await both('EVAL', "#!lua flags=no-writes\nreturn redis.call('get', 'k')", '0');
    const replica = await startRealRedis();
    servers.push(replica);
    await ask(replica.port, 'REPLICAOF', '127.0.0.1', String(master.port));
    await caughtUp(master.port, replica.port);
    for (let i = 0; i < 400 && (await info(master.port)).get('min_slaves_good_slaves') !== '1'; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await ask(master.port, 'SET', 'k', 'v')).toBe('OK');
  });

  it('INFO replication has Redis\'s fields in Redis\'s order, as master and as replica', async () => {
    const rm = await startRealRedis(fast);
    const rr = await startRealRedis();
    const om = await startOurRedis({ 'repl-diskless-sync-delay': '0' });
    const or = await startOurRedis();
    servers.push(rm, rr, om, or);
    await ask(rr.port, 'REPLICAOF', '127.0.0.1', String(rm.port));
    await ask(or.port, 'REPLICAOF', '127.0.0.1', String(om.port));
    await caughtUp(rm.port, rr.port);
    await caughtUp(om.port, or.port);
    const names = async (p: number): Promise<string[]> => [...(await info(p)).keys()];
    expect(await names(om.port)).toEqual(await names(rm.port));
    expect(await names(or.port)).toEqual(await names(rr.port));
  });
});

describe('restarts', () => {
  it('a master restarted from its RDB keeps its history: its replica continues with a partial resync', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'compat-repl-restart-'));
    let ours = await startOurRedis({ dir, 'repl-diskless-sync-delay': '0' });
    const real = await startRealRedis();
    try {
      await write(ours.port, datasetCommands().cmds);
      await ask(real.port, 'REPLICAOF', '127.0.0.1', String(ours.port));
      await caughtUp(ours.port, real.port);
      await write(ours.port, randomWrites(SEED + 7, 300));
      await caughtUp(ours.port, real.port);
      expect(await ask(ours.port, 'SAVE')).toBe('OK');
      const before = await info(ours.port);
      await ours.stop();
      ours = await startOurRedis({ dir, 'repl-diskless-sync-delay': '0' });
      const after = await info(ours.port);
      // The old ID is now the secondary one, valid up to the saved offset.
      expect(after.get('master_replid2')).toBe(before.get('master_replid'));
      expect(after.get('second_repl_offset')).toBe(String(Number(before.get('master_repl_offset')) + 1));
      expect(after.get('master_repl_offset')).toBe(before.get('master_repl_offset'));
      await ask(real.port, 'REPLICAOF', '127.0.0.1', String(ours.port));
      await caughtUp(ours.port, real.port);
      expect((await info(ours.port, 'stats')).get('sync_partial_ok')).toBe('1');
      await write(ours.port, randomWrites(SEED + 8, 300));
      await digestsEqual(ours.port, real.port);
    } finally {
      await real.stop();
      await ours.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('FAILOVER', () => {
  it('our master hands over to a real replica, and a real master to our replica', async () => {
    const ours = await startOurRedis({ 'repl-diskless-sync-delay': '0' });
    const real = await startRealRedis(fast);
    try {
      await write(ours.port, datasetCommands().cmds);
      await ask(real.port, 'REPLICAOF', '127.0.0.1', String(ours.port));
      await caughtUp(ours.port, real.port);
      const realReplicaPort = (await info(ours.port)).get('slave0')!.match(/port=(\d+)/)![1];
      expect(await ask(ours.port, 'FAILOVER', 'TO', '127.0.0.1', realReplicaPort, 'TIMEOUT', '5000')).toBe('OK');
      for (let i = 0; i < 400 && (await info(real.port)).get('role') !== 'master'; i++) await new Promise((r) => setTimeout(r, 25));
      expect((await info(real.port)).get('role')).toBe('master');
      await caughtUp(real.port, ours.port);
      const o = await info(ours.port);
      expect(o.get('role')).toBe('slave');
      expect(o.get('master_failover_state')).toBe('no-failover');
      // A partial handover: the real server promoted itself and took us on with +CONTINUE.
      expect((await info(real.port, 'stats')).get('sync_partial_ok')).toBe('1');
      await write(real.port, randomWrites(SEED + 9, 300));
      await digestsEqual(real.port, ours.port);

      // And back: the real master hands over to us (any replica that caught up).
      expect(await ask(real.port, 'FAILOVER')).toBe('OK');
      for (let i = 0; i < 400 && (await info(ours.port)).get('role') !== 'master'; i++) await new Promise((r) => setTimeout(r, 25));
      expect((await info(ours.port)).get('role')).toBe('master');
      await caughtUp(ours.port, real.port);
      expect((await info(ours.port, 'stats')).get('sync_partial_ok')).toBe('1');
      await write(ours.port, randomWrites(SEED + 10, 300));
      await digestsEqual(ours.port, real.port);
    } finally {
      await real.stop();
      await ours.stop();
    }
  });

  it('errors as Redis gives them', async () => {
    const ours = await startOurRedis();
    const real = await startRealRedis();
    try {
      for (const argv of [['FAILOVER', 'x'], ['FAILOVER', 'ABORT'], ['FAILOVER', 'FORCE'], ['FAILOVER', 'TIMEOUT', '0'],
        ['FAILOVER', 'TIMEOUT', 'abc'], ['FAILOVER', 'TO', 'a'], ['FAILOVER', 'TO', 'a', 'b'], ['FAILOVER'],
        ['FAILOVER', 'ABORT', 'TIMEOUT', '5'], ['FAILOVER', 'TO', '127.0.0.1', '1', 'FORCE']]) {
        expect(await ask(ours.port, ...argv), argv.join(' ')).toBe(await ask(real.port, ...argv));
      }
    } finally {
      await real.stop();
      await ours.stop();
    }
  });
});
