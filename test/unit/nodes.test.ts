import { afterEach, describe, expect, it } from 'vitest';
import { replyText } from '../../src/host/worker/resp';
import { ask, fakeNodes, until } from '../support/nodes';

/** The page's node manager (src/host/worker/nodes.ts) with in-process stand-ins for the workers. */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('NodeManager', () => {
  it('adds replicas and a sub-replica, cuts and heals a link, kills and restarts a node', async () => {
    const { nodes, stop } = fakeNodes();
    cleanups.push(stop);
    await nodes.start(6379).ready;
    expect(await nodes.addReplica()).toBe(6380);
    expect(await nodes.addReplica(6380)).toBe(6381);
    const get = async (port: number, key: string): Promise<string | null> => {
      const c = nodes.connect(port);
      try {
        return replyText(await c.send('GET', key));
      } finally {
        c.close();
      }
    };
    const info = (port: number) => nodes.snapshot().find((n) => n.port === port)!;

    const master = nodes.connect(6379);
    await master.send('SET', 'k', 'v1');
    await until(async () => (await get(6381, 'k')) === 'v1', 'the write on the sub-replica');
    await until(() => info(6381).state?.link === 'connected' && info(6380).state?.replicas.length === 1, 'the state polled');
    expect(info(6381)).toMatchObject({ status: 'up', masterPort: 6380, state: { role: 'slave', masterPort: 6380 } });
    expect(info(6379).state!.replicas.map((r) => r.port)).toEqual([6380]);

    nodes.cut(6380);
    await until(() => info(6380).link?.cut && info(6380).state?.link !== 'connected', 'the link down');
    await master.send('SET', 'k', 'v2');
    expect(await get(6380, 'k')).toBe('v1');
    nodes.heal(6380);
    await until(async () => (await get(6381, 'k')) === 'v2', 'the catch-up');
    await until(() => info(6379).state?.syncPartialOk === 1, 'a partial resync');

    nodes.kill(6380);
    expect(() => nodes.connect(6380)).toThrow('Could not connect to Redis at 127.0.0.1:6380: Connection refused');
    expect(info(6380).status).toBe('killed');
    await until(() => info(6381).state?.link !== 'connected', 'the sub-replica losing its master');
    await master.send('SET', 'k', 'v3');
    await nodes.restart(6380);
    await until(async () => (await get(6381, 'k')) === 'v3', 'the resync after the restart');
    await until(() => info(6380).state?.role === 'slave' && info(6380).state?.masterPort === 6379, 'a replica again');
    master.close();
  });
});

describe('killing the master', () => {
  it('breaks its connections, its replica loses the link; the promoted replica takes writes; the old master restarts from its data and follows it', async () => {
    // appendfsync always: every write is in the AOF before the kill (everysec may lose the last second, as in Redis).
    const { nodes, stop } = fakeNodes({ appendfsync: 'always' });
    cleanups.push(stop);
    await nodes.start(6379).ready;
    expect(await nodes.addReplica()).toBe(6380);
    const info = (port: number) => nodes.snapshot().find((n) => n.port === port)!;
    const get = async (port: number, key: string) => replyText(await ask(nodes, port, 'GET', key));

    const terminal = nodes.connect(6379);
    let closed = false;
    terminal.onClose = () => {
      closed = true;
    };
    await terminal.send('SET', 'k', 'v1');
    await until(async () => (await get(6380, 'k')) === 'v1', 'the write on the replica');
    // A request to the worker in flight when it is killed fails instead of waiting for ever.
    const engine = nodes.engine(6379)!;
    const stats = engine.stats().then(() => 'answered', (e: Error) => e.message);

    nodes.kill(6379);
    expect(closed).toBe(true);
    expect(['answered', 'the node was killed']).toContain(await stats);
    await expect(engine.stats()).rejects.toThrow('the node was killed');
    expect(info(6379).status).toBe('killed');
    expect(() => nodes.connect(6379)).toThrow('Could not connect to Redis at 127.0.0.1:6379: Connection refused');
    await until(() => info(6380).state?.link !== 'connected', 'the replica losing its master');

    // Promote the replica and write to it.
    expect(replyText(await ask(nodes, 6380, 'REPLICAOF', 'NO', 'ONE'))).toBe('OK');
    expect(replyText(await ask(nodes, 6380, 'SET', 'k', 'v2'))).toBe('OK');

    // The old master comes back as a master, from its AOF, then follows the new master.
    await nodes.restart(6379);
    expect(info(6379).status).toBe('up');
    expect(await get(6379, 'k')).toBe('v1');
    expect(nodes.masterOf(6379)).toBeNull();
    expect(replyText(await ask(nodes, 6379, 'REPLICAOF', '127.0.0.1', '6380'))).toBe('OK');
    await until(async () => (await get(6379, 'k')) === 'v2', 'the old master catching up');
    await until(() => info(6379).masterPort === 6380 && info(6380).masterPort === null, 'the roles swapped');
  });

  it('remove() does nothing for the master, killed or not', async () => {
    const { nodes, stop } = fakeNodes();
    cleanups.push(stop);
    await nodes.start(6379).ready;
    nodes.remove(6379);
    expect(nodes.snapshot().map((n) => n.port)).toEqual([6379]);
    nodes.kill(6379);
    nodes.remove(6379);
    expect(nodes.snapshot()).toMatchObject([{ port: 6379, status: 'killed' }]);
  });
});
