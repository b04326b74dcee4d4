import { afterEach, describe, expect, it } from 'vitest';
import { NodeManager } from '../../src/host/worker/nodes';
import { LocalStorageTopology, MemoryTopology, parseTopology, TOPOLOGY_KEY, type SavedNode } from '../../src/host/worker/topology';
import { WorkerHost } from '../../src/host/worker/host';
import { MemoryStorage } from '../../src/engine/persistence/storage';
import { ask, fakeWorkers, infoField, replyText, until } from '../support/nodes';

/**
 * The page's replication topology across reloads (src/host/worker/topology.ts): the store itself,
 * and NodeManager saving it and restoring it. A "reload" is every worker terminated, then a new
 * NodeManager over the same topology store and the same per-port storages (IndexedDB stays).
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const node = (port: number, replicaOf: number | null, more: Partial<SavedNode> = {}): SavedNode => ({
  port, replicaOf, killed: false, latency: 0, cut: false, ...more,
});

describe('parseTopology', () => {
  it('reads what save wrote, sorted by port', () => {
    const nodes = [node(6381, 6380, { killed: true }), node(6379, null), node(6380, 6379, { latency: 120, cut: true })];
    expect(parseTopology(JSON.stringify(nodes))).toEqual([nodes[1], nodes[2], nodes[0]]);
  });

  it('is empty for nothing saved or unreadable text', () => {
    expect(parseTopology(null)).toEqual([]);
    expect(parseTopology('not json')).toEqual([]);
    expect(parseTopology('{"port":6380}')).toEqual([]);
  });

  it('drops entries that make no sense and fixes fields that do not', () => {
    const text = JSON.stringify([
      { port: 6380, replicaOf: 6379, killed: 'yes', latency: -5, cut: 1 },
      { port: 6380, replicaOf: 6381 }, // the same port twice: the first wins
      { port: 0 }, { port: 70000 }, { port: 6381.5 }, { port: '6382' }, null, 7,
      { port: 6383, replicaOf: 6383, latency: 50, cut: true }, // its own master: a master, so no link
    ]);
    expect(parseTopology(text)).toEqual([node(6380, 6379), node(6383, null)]);
  });
});

describe('LocalStorageTopology', () => {
  it('keeps the topology under its key', () => {
    const items = new Map<string, string>();
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
    const store = new LocalStorageTopology(storage);
    expect(store.load()).toEqual([]);
    store.save([node(6379, null), node(6380, 6379)]);
    expect(JSON.parse(items.get(TOPOLOGY_KEY)!)).toEqual([node(6379, null), node(6380, 6379)]);
    expect(new LocalStorageTopology(storage).load()).toEqual([node(6379, null), node(6380, 6379)]);
  });

  it('remembers nothing when the storage fails or is missing', () => {
    const failing = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: (): void => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = new LocalStorageTopology(failing);
    expect(() => store.save([node(6379, null)])).not.toThrow();
    expect(store.load()).toEqual([]);
    const none = new LocalStorageTopology(undefined);
    none.save([node(6379, null)]);
    expect(none.load()).toEqual([]);
  });
});

describe('NodeManager with a topology store', () => {
  /** A page: a NodeManager over the shared storages and topology; unload() terminates its workers as a reload does. */
  function page(storages: Map<number, MemoryStorage>, topology: MemoryTopology, dropped: number[] = []) {
    const hosts: WorkerHost[] = [];
    const nodes = new NodeManager(fakeWorkers(storages, hosts), {
      topology,
      dropData: async (port) => {
        dropped.push(port);
        storages.delete(port);
      },
    });
    let unloaded = false;
    const unload = (): void => {
      if (unloaded) return;
      unloaded = true;
      nodes.stop();
      for (const n of nodes.snapshot()) nodes.engine(n.port)?.terminate();
      for (const h of hosts) h.stop();
    };
    cleanups.push(unload);
    return { nodes, unload };
  }

  const info = (nodes: NodeManager, port: number) => nodes.snapshot().find((n) => n.port === port);
  const get = async (nodes: NodeManager, port: number, key: string) => replyText(await ask(nodes, port, 'GET', key));
  const saved = (t: MemoryTopology) => parseTopology(t.text);
  /** A replica rewrites its AOF after a full sync; until that is done its AOF lacks the synced data (as in Redis). */
  const aofSettled = async (nodes: NodeManager, port: number): Promise<boolean> => {
    const text = replyText(await ask(nodes, port, 'INFO', 'persistence'))!;
    return infoField(text, 'aof_rewrite_in_progress') === '0' && infoField(text, 'aof_rewrite_scheduled') === '0';
  };

  it('brings the replicas back after a reload, with their data, their links and a killed node still killed', async () => {
    const storages = new Map<number, MemoryStorage>();
    const topology = new MemoryTopology();
    const first = page(storages, topology);
    first.nodes.restore();
    await first.nodes.engine(6379)!.ready;
    expect(saved(topology)).toEqual([node(6379, null)]);

    expect(await first.nodes.addReplica()).toBe(6380);
    expect(await first.nodes.addReplica(6380)).toBe(6381);
    expect(await first.nodes.addReplica()).toBe(6382);
    await ask(first.nodes, 6379, 'SET', 'k', 'before');
    for (const p of [6380, 6381, 6382]) await until(async () => (await get(first.nodes, p, 'k')) === 'before', `the write on ${p}`);
    for (const p of [6380, 6381, 6382]) await until(() => aofSettled(first.nodes, p), `the AOF rewrite on ${p}`);
    first.nodes.setLatency(6381, 40);
    first.nodes.kill(6382);
    expect(saved(topology)).toEqual([node(6379, null), node(6380, 6379), node(6381, 6380, { latency: 40 }), node(6382, 6379, { killed: true })]);

    first.unload();
    const second = page(storages, topology);
    second.nodes.restore();
    const { nodes } = second;
    // Each replica starts as `--replicaof`, from its own saved data (its AOF), before any resync.
    const loaded = await nodes.engine(6381)!.ready;
    expect(loaded.loaded).toMatchObject({ source: 'aof' });
    expect(loaded.loaded!.keys).toBeGreaterThanOrEqual(1);
    await until(() => info(nodes, 6380)?.state?.link === 'connected' && info(nodes, 6381)?.state?.link === 'connected', 'the links up');
    expect(info(nodes, 6381)).toMatchObject({ status: 'up', masterPort: 6380, link: { latency: 40, cut: false } });
    expect(info(nodes, 6380)).toMatchObject({ status: 'up', masterPort: 6379 });
    expect(info(nodes, 6382)).toMatchObject({ status: 'killed', masterPort: 6379, state: null });
    expect(() => nodes.connect(6382)).toThrow('Connection refused');
    expect(await get(nodes, 6381, 'k')).toBe('before');

    // A write after the reload reaches the replica and the sub-replica.
    await ask(nodes, 6379, 'SET', 'k', 'after');
    for (const p of [6380, 6381]) await until(async () => (await get(nodes, p, 'k')) === 'after', `the write on ${p}`);

    // The killed node restarts from its data, as a replica of the same master.
    await nodes.restart(6382);
    await until(async () => (await get(nodes, 6382, 'k')) === 'after', 'the restarted node catching up');
    await until(() => saved(topology).find((n) => n.port === 6382)?.killed === false, 'the restart saved');
  });

  it('keeps a cut link cut, and follows promotions', async () => {
    const storages = new Map<number, MemoryStorage>();
    const topology = new MemoryTopology();
    const first = page(storages, topology);
    first.nodes.restore();
    await first.nodes.addReplica();
    await first.nodes.addReplica();
    first.nodes.cut(6381);
    expect(await ask(first.nodes, 6380, 'REPLICAOF', 'NO', 'ONE')).toMatchObject({ type: 'simple', value: 'OK' });
    await until(() => saved(topology).find((n) => n.port === 6380)?.replicaOf === null, 'the promotion saved');
    expect(saved(topology)).toEqual([node(6379, null), node(6380, null), node(6381, 6379, { cut: true })]);

    first.unload();
    const { nodes } = page(storages, topology);
    nodes.restore();
    await until(() => info(nodes, 6380)?.state?.role === 'master' && info(nodes, 6381)?.state !== null, 'the nodes polled');
    expect(info(nodes, 6381)).toMatchObject({ masterPort: 6379, link: { cut: true } });
    expect(info(nodes, 6381)!.state!.link).not.toBe('connected');
    nodes.heal(6381);
    await until(() => info(nodes, 6381)?.state?.link === 'connected', 'the healed link up');
  });

  it('forgets a removed node and drops its data', async () => {
    const storages = new Map<number, MemoryStorage>();
    const topology = new MemoryTopology();
    const dropped: number[] = [];
    const first = page(storages, topology, dropped);
    first.nodes.restore();
    await first.nodes.addReplica();
    await first.nodes.addReplica(6380);
    first.nodes.remove(6379); // never the master
    first.nodes.remove(6380);
    expect(info(first.nodes, 6380)).toBeUndefined();
    expect(() => first.nodes.connect(6380)).toThrow('Connection refused');
    expect(dropped).toEqual([6380]);
    expect(saved(topology)).toEqual([node(6379, null), node(6381, 6380)]);

    first.unload();
    const { nodes } = page(storages, topology);
    nodes.restore();
    expect(nodes.snapshot().map((n) => n.port)).toEqual([6379, 6381]);
    // The next replica takes the free port and starts empty.
    expect(await nodes.addReplica()).toBe(6382);
  });
});

/**
 * What the engine does when a replica restarts (Redis 7.0's loadDataFromDisk): from an RDB that
 * carries repl-id/repl-offset it continues with a partial resync; from the AOF (the page's setting,
 * appendonly yes) it has no replication info, so it asks for a full one.
 */
describe('a replica restarted from its own data', () => {
  async function restartReplica(config: Record<string, string>): Promise<{ full: number; partial: number }> {
    const hosts: WorkerHost[] = [];
    const nodes = new NodeManager(fakeWorkers(new Map(), hosts, config));
    cleanups.push(() => {
      nodes.stop();
      for (const h of hosts) h.stop();
    });
    await nodes.start(6379).ready;
    await nodes.addReplica();
    await ask(nodes, 6379, 'SET', 'k', 'v1');
    await until(async () => replyText(await ask(nodes, 6380, 'GET', 'k')) === 'v1', 'the first sync');
    if (config.appendonly === 'no') expect(await ask(nodes, 6380, 'SAVE')).toMatchObject({ value: 'OK' });
    nodes.kill(6380);
    await ask(nodes, 6379, 'SET', 'k', 'v2');
    await nodes.restart(6380);
    await until(async () => replyText(await ask(nodes, 6380, 'GET', 'k')) === 'v2', 'the resync');
    const stats = replyText(await ask(nodes, 6379, 'INFO', 'stats'))!;
    return { full: Number(infoField(stats, 'sync_full')), partial: Number(infoField(stats, 'sync_partial_ok')) };
  }

  it('from an RDB with replication info: a partial resync', async () => {
    expect(await restartReplica({ appendonly: 'no' })).toEqual({ full: 1, partial: 1 });
  });

  it('from the AOF: a full resync, as Redis 7.0', async () => {
    expect(await restartReplica({ appendonly: 'yes' })).toEqual({ full: 2, partial: 0 });
  });
});
