import { startEngineWorker, type EngineWorker } from '../host/worker/client';
import { MASTER_PORT, NodeManager } from '../host/worker/nodes';
import { LocalStorageTopology } from '../host/worker/topology';
import { deleteNodeDatabase } from '../host/worker/idb-storage';

let nodes: NodeManager | null = null;

/** The page's Redis nodes (the master 6379 and the replicas added in the Nodes panel). */
export function getNodes(): NodeManager {
  if (nodes === null) {
    nodes = new NodeManager((name) => startEngineWorker(name), { topology: new LocalStorageTopology(), dropData: (port) => deleteNodeDatabase(port) });
    // The master, and the replicas remembered from the last visit (each from its own saved data).
    nodes.restore();
    // For tests: add replicas, cut links, open connections to any node.
    window.__redisNodes = nodes;
  }
  return nodes;
}

/**
 * The master 6379's engine worker, started on first use; each terminal opens its own connection to
 * it. (The master is never killed from the page, so this stays the same worker.)
 */
export function getEngine(): EngineWorker {
  if (engine === null) {
    engine = getNodes().engine(MASTER_PORT)!;
    // For tests and the browser benchmark: open connections of their own to the same server.
    window.__redisEngine = engine;
  }
  return engine;
}
let engine: EngineWorker | null = null;

declare global {
  interface Window {
    __redisEngine?: EngineWorker;
    __redisNodes?: NodeManager;
  }
}
