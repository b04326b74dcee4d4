import { startEngineWorker, type EngineWorker, type RedisConnection } from '../host/worker/client';

let engine: EngineWorker | null = null;
let connection: RedisConnection | null = null;

/** The page's one engine worker, started on first use. */
export function getEngine(): EngineWorker {
  engine ??= startEngineWorker();
  return engine;
}

/** The page's connection to it (a new one if the server closed the last, e.g. after QUIT). */
export function getConnection(): RedisConnection {
  if (connection === null || connection.closed) connection = getEngine().connect();
  return connection;
}
