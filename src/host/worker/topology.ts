/**
 * The page's replication topology, remembered across reloads: which nodes exist, whom each one
 * replicates from, whether it was killed, and the simulated link to its master (latency, cut).
 * Each node's data is in its own IndexedDB database (idb-storage.ts); this is only the list of
 * nodes, so that after a reload NodeManager.restore() starts each one again, as a restarted
 * redis-server with `--port P --replicaof 127.0.0.1 M` would be.
 *
 * It lives in localStorage (key TOPOLOGY_KEY), as JSON: a few hundred bytes, read synchronously
 * while the page starts its nodes, so the master and its replicas start together.
 */

/** One node as remembered. */
export interface SavedNode {
  port: number;
  /** The port of its master, or null for a master. */
  replicaOf: number | null;
  /** Killed from the Nodes panel: after a reload it is listed, not started (Restart starts it). */
  killed: boolean;
  /** The simulated link to its master (replicas only). */
  latency: number;
  cut: boolean;
}

/** Where the topology is kept (localStorage on the page; memory in tests). */
export interface TopologyStore {
  load(): SavedNode[];
  save(nodes: SavedNode[]): void;
}

export const TOPOLOGY_KEY = 'redis-playground:nodes';

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536;
}

/**
 * The saved nodes from JSON text, sorted by port; entries that do not make sense (bad ports, a
 * port twice, a node replicating from itself) are dropped, and unreadable text is an empty list.
 */
export function parseTopology(text: string | null): SavedNode[] {
  if (text === null) return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const byPort = new Map<number, SavedNode>();
  for (const item of data as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const n = item as Record<string, unknown>;
    if (!isPort(n.port) || byPort.has(n.port)) continue;
    const replicaOf = isPort(n.replicaOf) && n.replicaOf !== n.port ? n.replicaOf : null;
    const latency = typeof n.latency === 'number' && Number.isFinite(n.latency) && n.latency > 0 ? n.latency : 0;
    byPort.set(n.port, {
      port: n.port,
      replicaOf,
      killed: n.killed === true,
      latency: replicaOf === null ? 0 : latency,
      cut: replicaOf !== null && n.cut === true,
    });
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** The page's store: localStorage (or another Storage-like object); a failing storage keeps nothing. */
export class LocalStorageTopology implements TopologyStore {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage,
    private readonly key = TOPOLOGY_KEY,
  ) {}

  load(): SavedNode[] {
    try {
      return parseTopology(this.storage?.getItem(this.key) ?? null);
    } catch {
      return []; // localStorage can be disabled (privacy settings): the page starts with the master alone
    }
  }

  save(nodes: SavedNode[]): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(nodes));
    } catch {
      // Full or disabled: the topology is simply not remembered.
    }
  }
}

/** A store in memory (tests; a page reload is a new NodeManager over the same store). */
export class MemoryTopology implements TopologyStore {
  text: string | null = null;

  load(): SavedNode[] {
    return parseTopology(this.text);
  }

  save(nodes: SavedNode[]): void {
    this.text = JSON.stringify(nodes);
  }
}
