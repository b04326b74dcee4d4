/**
 * Persistence figures over TCP, ours next to redis-server's in the same run: SAVE of N small keys
 * (DEBUG POPULATE: "key:i" → "value:i"), then DEBUG RELOAD NOSAVE, which empties the dataset and
 * loads the file just written (the load half of a restart), each timed around the command.
 */
import { rawRequest, type Proc } from './tcp';
import { encode } from './inprocess';

export interface PersistenceFigures {
  saveMs: number;
  loadMs: number;
  fileKeys: number;
}

async function timed(port: number, argv: string[]): Promise<number> {
  const t0 = performance.now();
  const r = await rawRequest(port, encode(argv), 600_000);
  if (r === null || !r.startsWith('+')) throw new Error(`${argv.join(' ')} answered ${r}`);
  return performance.now() - t0;
}

export async function measurePersistence(p: Proc, keys: number): Promise<PersistenceFigures> {
  await timed(p.port, ['FLUSHALL']);
  await timed(p.port, ['DEBUG', 'POPULATE', String(keys)]);
  const saveMs = await timed(p.port, ['SAVE']);
  const loadMs = await timed(p.port, ['DEBUG', 'RELOAD', 'NOSAVE']);
  const size = await rawRequest(p.port, encode(['DBSIZE']), 60_000);
  await timed(p.port, ['FLUSHALL']);
  return { saveMs, loadMs, fileKeys: Number(size?.slice(1) ?? NaN) };
}
