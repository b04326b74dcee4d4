import { startEngineWorker, type EngineWorker } from '../host/worker/client';

let engine: EngineWorker | null = null;

/** The page's one engine worker, started on first use; each terminal opens its own connection to it. */
export function getEngine(): EngineWorker {
  engine ??= startEngineWorker();
  return engine;
}
