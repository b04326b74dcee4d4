import { afterEach, describe, expect, it } from 'vitest';
import { NodeManager } from '../../src/host/worker/nodes';
import { WorkerHost } from '../../src/host/worker/host';
import { replyText } from '../../src/host/worker/resp';
import { fakeWorkers, until } from '../support/nodes';

/** The page's node manager (src/host/worker/nodes.ts) with in-process stand-ins for the workers. */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('NodeManager', () => {
  it('adds replicas and a sub-replica, cuts and heals a link, kills and restarts a node', async () => {
    const hosts: WorkerHost[] = [];
    const nodes = new NodeManager(fakeWorkers(new Map(), hosts));
    cleanups.push(() => {
      nodes.stop();
      for (const h of hosts) h.stop();
    });
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
