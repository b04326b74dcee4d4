import { NodeManager } from '../../src/host/worker/nodes';
import { EngineWorker, type RedisConnection, type WorkerLike } from '../../src/host/worker/client';
import { WorkerHost } from '../../src/host/worker/host';
import { workerDialer } from '../../src/host/worker/network';
import { replicationState } from '../../src/host/worker/replication-state';
import { replyText, type Reply } from '../../src/host/worker/resp';
import { MemoryStorage } from '../../src/engine/persistence/storage';
import type { ToWorker } from '../../src/host/worker/protocol';

/**
 * The page's node manager (src/host/worker/nodes.ts) under Node, with in-process stand-ins for
 * the workers: real engines joined by the real simulated network.
 */

/** Wait until `f` returns something truthy (polling; no timing is asserted). */
export async function until<T>(f: () => T | Promise<T>, what: string | (() => string), ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A worker as worker.ts sets one up (name → port and replicaof), its IndexedDB a MemoryStorage per
 * port (kept across kills, as IndexedDB is). `config` adds to or overrides every node's start-up config.
 */
export function fakeWorkers(storages: Map<number, MemoryStorage>, hosts: WorkerHost[], extra: Record<string, string> = {}) {
  return (name: string): EngineWorker => {
    const m = /^redis (\d+)(?: replicaof (\S+) (\d+))?/.exec(name)!;
    const port = Number(m[1]);
    const listeners = new Set<(ev: MessageEvent) => void>();
    let alive = true;
    const emit = (data: unknown): void => {
      if (alive) for (const l of [...listeners]) l({ data } as MessageEvent);
    };
    if (!storages.has(port)) storages.set(port, new MemoryStorage());
    const config: Record<string, string> = { port: m[1], appendonly: 'yes', save: '', 'repl-diskless-sync-delay': '0', ...extra };
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

/** A NodeManager over fake workers, and a way to stop everything (call it from afterEach). */
export function fakeNodes(extra: Record<string, string> = {}): { nodes: NodeManager; hosts: WorkerHost[]; stop: () => void } {
  const hosts: WorkerHost[] = [];
  const nodes = new NodeManager(fakeWorkers(new Map(), hosts, extra));
  return {
    nodes,
    hosts,
    stop: () => {
      nodes.stop();
      for (const h of hosts) h.stop();
    },
  };
}

/** Send one command on a new connection to the node, and hang up. */
export async function ask(nodes: NodeManager, port: number, ...args: string[]): Promise<Reply> {
  const c: RedisConnection = nodes.connect(port);
  try {
    return await c.send(...args);
  } finally {
    c.close();
  }
}

/** A field of INFO's text ("master_repl_offset", "sync_full", ...), or undefined. */
export function infoField(info: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m ? m[1].trim() : undefined;
}

export { replyText };
