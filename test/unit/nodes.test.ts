import { afterEach, describe, expect, it } from 'vitest';
import { NodeManager } from '../../src/host/worker/nodes';
import { EngineWorker, type WorkerLike } from '../../src/host/worker/client';
import { WorkerHost } from '../../src/host/worker/host';
import { workerDialer } from '../../src/host/worker/network';
import { replicationState } from '../../src/host/worker/replication-state';
import { replyText } from '../../src/host/worker/resp';
import { MemoryStorage } from '../../src/engine/persistence/storage';
import type { ToWorker } from '../../src/host/worker/protocol';

/** The page's node manager (src/host/worker/nodes.ts) with in-process stand-ins for the workers. */

async function until<T>(f: () => T | Promise<T>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A worker as worker.ts sets one up (name → port and replicaof), its IndexedDB a MemoryStorage per port. */
function fakeWorkers(storages: Map<number, MemoryStorage>, hosts: WorkerHost[]) {
  return (name: string): EngineWorker => {
    const m = /^redis (\d+)(?: replicaof (\S+) (\d+))?/.exec(name)!;
    const port = Number(m[1]);
    const listeners = new Set<(ev: MessageEvent) => void>();
    let alive = true;
    const emit = (data: unknown): void => {
      if (alive) for (const l of [...listeners]) l({ data } as MessageEvent);
    };
    if (!storages.has(port)) storages.set(port, new MemoryStorage());
    const config: Record<string, string> = { port: m[1], appendonly: 'yes', save: '', 'repl-diskless-sync-delay': '0' };
    if (m[2]) config.replicaof = `${m[2]} ${m[3]}`;
    const host: WorkerHost = new WorkerHost({
      config,
      engine: { storage: storages.get(port)!, dial: workerDialer((msg) => emit(msg), () => host.engine.flushReplies()) },
    });
    hosts.push(host);
    void host.engine.loadFromStorage().then((loaded) => {
      host.start();
      setTimeout(() => emit({ type: 'ready', version: host.version, loaded }), 0);
    });
    const worker: WorkerLike = {
      postMessage(msg: unknown) {
        if (!alive) return;
        const d = msg as ToWorker | { type: 'replication'; id: number };
        if (d.type === 'replication') setTimeout(() => emit({ type: 'replication', id: d.id, state: replicationState(host.engine) }), 0);
        else host.handle(d, emit);
      },
      addEventListener(type: string, l: (ev: never) => void) {
        if (type === 'message') listeners.add(l as (ev: MessageEvent) => void);
      },
      removeEventListener(_type: string, l: (ev: MessageEvent) => void) {
        listeners.delete(l);
      },
      terminate() {
        alive = false;
        listeners.clear();
        host.stop();
      },
    } as WorkerLike;
    return new EngineWorker(worker);
  };
}

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
