import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import type { Conn } from '../support/harness';

/**
 * SAVE, BGSAVE, LASTSAVE, DEBUG RELOAD and INFO persistence against a real Redis (each server
 * writes its own dump file in its own directory).
 */
const pair = usePair();

/** Some INFO persistence fields, those that do not carry times. */
async function persistenceFields(c: Conn): Promise<Record<string, string>> {
  const text = (await c.send('INFO', 'persistence')).raw.toString('latin1');
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const [k, v] = line.split(':');
    if (['rdb_changes_since_last_save', 'rdb_bgsave_in_progress', 'rdb_last_bgsave_status', 'rdb_saves', 'current_save_keys_total'].includes(k)) out[k] = v;
  }
  return out;
}

async function samePersistence(): Promise<void> {
  const [a, b] = await Promise.all([persistenceFields(pair.real), persistenceFields(pair.ours)]);
  expect(b).toEqual(a);
}

async function waitBgsaveDone(): Promise<void> {
  for (const c of [pair.real, pair.ours]) {
    for (let i = 0; ; i++) {
      if ((await persistenceFields(c)).rdb_bgsave_in_progress === '0') break;
      if (i > 500) throw new Error('BGSAVE never finished');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

const anInt = step(['LASTSAVE'], (r) => r.t);

describe('SAVE and BGSAVE', () => {
  it('save the dataset and reset the change count', async () => {
    await pair.same(['SET', 'a', '1'], ['RPUSH', 'l', 'x', 'y'], ['HSET', 'h', 'f', 'v']);
    const before = await persistenceFields(pair.ours);
    expect(Number(before.rdb_changes_since_last_save)).toBeGreaterThan(0);
    await pair.same(['SAVE'], anInt);
    await samePersistence();
    await pair.same(['SET', 'b', '2'], ['BGSAVE']);
    await waitBgsaveDone();
    await samePersistence();
  });

  it('check their arguments and where they may run', async () => {
    await pair.same(
      ['SAVE', 'x'], ['BGSAVE', 'x'], ['BGSAVE', 'SCHEDULE', 'x'], ['LASTSAVE', 'x'],
      ['MULTI'], ['SAVE'], ['EXEC'],
      ['MULTI'], ['LASTSAVE'], step(['EXEC'], (r) => (r.t === 'array' && r.v ? r.v.map((x) => x.t) : r.t)),
      step(['COMMAND', 'INFO', 'save', 'bgsave', 'lastsave']),
    );
  });

  it('schedule a BGSAVE asked for inside EXEC', async () => {
    const saves = Number((await persistenceFields(pair.ours)).rdb_saves);
    await pair.same(['SET', 'k', 'v'], ['MULTI'], ['BGSAVE'], ['EXEC']);
    // The cron starts it; then it finishes like any other.
    for (const c of [pair.real, pair.ours]) {
      for (let i = 0; Number((await persistenceFields(c)).rdb_saves) === saves; i++) {
        if (i > 500) throw new Error('the scheduled BGSAVE never ran');
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    await waitBgsaveDone();
    await samePersistence();
  });
});

describe('DEBUG RELOAD', () => {
  it('saves and loads the dataset back, every type and TTL intact', async () => {
    await pair.same(
      ['SET', 's', 'text'], ['SET', 'n', '12345'], ['RPUSH', 'l', 'a', 'b', 'c'], ['SADD', 'set', '1', '2', '3'],
      ['SADD', 'set2', 'x', 'y'], ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'], ['ZADD', 'z', '1', 'a', '2.5', 'b'],
      ['SET', 'ttl', 'v', 'EX', '1000'], ['SELECT', '3'], ['SET', 'in3', 'x'], ['SELECT', '0'],
      ['DEBUG', 'RELOAD'],
      ['DEBUG', 'DIGEST'], ['GET', 's'], ['LRANGE', 'l', '0', '-1'], ['OBJECT', 'ENCODING', 'set'], ['OBJECT', 'ENCODING', 'n'],
      ['HGETALL', 'h'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['TTL', 'ttl'], ['SELECT', '3'], ['GET', 'in3'], ['SELECT', '0'],
    );
    await samePersistence();
  });

  it('takes MERGE, NOFLUSH and NOSAVE', async () => {
    await pair.same(
      ['DEBUG', 'RELOAD', 'FOO'], ['SET', 'a', '1'], ['DEBUG', 'RELOAD'],
      ['SET', 'a', 'changed'], ['SET', 'b', 'new'],
      ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'], ['GET', 'a'], ['GET', 'b'],
      ['DEBUG', 'RELOAD', 'NOSAVE'], ['GET', 'a'], ['EXISTS', 'b'],
      ['DEBUG', 'RELOAD', 'MERGE'], ['DBSIZE'],
    );
  });
});
