import { ConnectionRefusedError, startEngineWorker, type EngineWorker } from '../host/worker/client';
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
    const current = nodes;
    Object.defineProperty(window, '__redisEngine', { configurable: true, get: () => current.engine(MASTER_PORT) ?? undefined });
  }
  return nodes;
}

/**
 * The master 6379's engine worker as it runs now (a new one after each restart from the Nodes
 * panel); each terminal opens its own connection to it. Throws ConnectionRefusedError while it is
 * killed: whatever asks it shows the node as down and asks again later.
 */
export function getEngine(): EngineWorker {
  const engine = getNodes().engine(MASTER_PORT);
  if (engine === null) throw new ConnectionRefusedError(MASTER_PORT);
  return engine;
}

declare global {
  interface Window {
    /** For tests and the browser benchmark: the master's current worker (undefined while killed). */
    __redisEngine?: EngineWorker;
    __redisNodes?: NodeManager;
  }
}
