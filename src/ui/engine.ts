import { startEngineWorker, type EngineWorker } from '../host/worker/client';

let engine: EngineWorker | null = null;

/** The page's one engine worker, started on first use; each terminal opens its own connection to it. */
export function getEngine(): EngineWorker {
  if (engine === null) {
    engine = startEngineWorker();
    // For tests and the browser benchmark: open connections of their own to the same server.
    window.__redisEngine = engine;
  }
  return engine;
}

declare global {
  interface Window {
    __redisEngine?: EngineWorker;
  }
}
