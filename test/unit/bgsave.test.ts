import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { MemoryStorage } from '../../src/engine/persistence/storage';
import { loadRdb } from '../../src/engine/persistence/rdb';
import { genMixed } from '../compat/gen/mixed';
import { rng } from '../support/rng';
import { connectTo } from '../support/engine-conn';

/** An engine with a fixed clock, in-memory storage and one connection that collects replies. */
function setup(seed = 1) {
  const storage = new MemoryStorage();
  const engine = new Engine({ clock: () => 1_700_000_000_000, storage, config: { 'enable-debug-command': 'yes' }, random: rngFloat(seed) });
  const send = connectTo(engine).ask;
  return { engine, storage, send };
}

function rngFloat(seed: number): () => number {
  const r = rng(seed);
  return () => r.next();
}

/** Delete every key that is already expired, so a digest and a reload agree on what exists. */
function expireAll(engine: Engine): void {
  for (const db of engine.dbs) for (const key of [...db.vkeys]) db.has(key);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

describe('BGSAVE', () => {
  it('saves the dataset as it was when it started, while random writes go on (copy-on-write)', async () => {
    for (const seed of [1, 2]) {
      const { engine, storage, send } = setup(seed);
      const r = rng(seed);
      for (let i = 0; i < 1500; i++) send(...genMixed(r).argv);
      for (let db = 0; db < 16; db++) {
        send('SELECT', String(db));
        for (let i = 0; i < 400; i++) send(i % 3 ? 'RPUSH' : 'SADD', 'bulk' + (i % 200) + (i % 3 ? '' : 's'), 'v' + i);
      }
      expireAll(engine);
      const before = send('DEBUG', 'DIGEST');
      engine.rdb.sliceMs = 0; // 64 keys per slice: many slices, writes between each
      expect(send('BGSAVE')).toBe('+Background saving started\r\n');
      expect(send('BGSAVE')).toBe('-ERR Background save already in progress\r\n');
      let steps = 0;
      while (engine.rdb.busy()) {
        for (let i = 0; i < 10; i++) send(...genMixed(r).argv);
        // Writes to keys the snapshot may not have reached yet, in every db.
        send('SELECT', String(r.int(0, 15)));
        const k = 'bulk' + r.int(0, 199);
        const w = r.pick([
          ['RPUSH', k, 'new'], ['LPOP', k], ['DEL', k], ['SET', k, 'overwritten'], ['EXPIRE', k, '1000'],
          ['SADD', k + 's', 'm'], ['SPOP', k + 's'], ['RENAME', k, 'renamed' + r.int(0, 9)], ['PERSIST', k],
          ['LSET', k, '0', 'changed'], ['SWAPDB', String(r.int(0, 15)), String(r.int(0, 15))], ['MOVE', k, String(r.int(0, 15))],
        ]);
        send(...w);
        send('SELECT', '0');
        engine.handleBlockedTimeouts();
        steps++;
      }
      await settle();
      expect(engine.rdb.snapshot).toBeNull();
      expect(engine.rdb.lastBgsaveOk).toBe(true);
      const after = setup(seed);
      loadRdb(after.engine, (await storage.read('dump.rdb'))!);
      expect(steps).toBeGreaterThan(20);
      expect(after.send('DEBUG', 'DIGEST'), `seed ${seed}, ${steps} slices`).toBe(before);
      expect(send('DEBUG', 'DIGEST')).not.toBe(before); // the writes did change the live data
    }
  }, 60_000);

  it('counts changes since the save, and LASTSAVE moves', async () => {
    const { engine, send } = setup();
    send('SET', 'a', '1');
    send('SET', 'b', '2');
    expect(engine.dirty).toBe(2);
    send('BGSAVE');
    send('SET', 'c', '3'); // after the start: still unsaved afterwards
    while (engine.rdb.busy()) engine.handleBlockedTimeouts();
    await settle();
    expect(engine.dirty).toBe(1);
    expect(engine.rdb.saves).toBe(1);
    expect(send('LASTSAVE')).toBe(':1700000000\r\n');
  });

  it('SAVE answers once the snapshot is stored, and holds the connection until then', async () => {
    const { engine, storage, send } = setup();
    send('SET', 'k', 'v');
    expect(send('SAVE', '\r\n')).toMatch(/^-ERR wrong number/);
    let replies = '';
    const c = engine.connect({ write: (b) => (replies += Buffer.from(b).toString('latin1')), close: () => {} });
    c.feed(Buffer.from('SAVE\r\nGET k\r\n', 'latin1'));
    expect(replies).toBe('');
    await settle();
    expect(replies).toBe('+OK\r\n$1\r\nv\r\n');
    expect(engine.dirty).toBe(0);
    const after = setup();
    loadRdb(after.engine, (await storage.read('dump.rdb'))!);
    expect(after.send('GET', 'k')).toBe('$1\r\nv\r\n');
  });

  it('starts a BGSAVE from a due save point in the cron', async () => {
    const { engine, send } = setup();
    send('CONFIG', 'SET', 'save', '1 2');
    send('SET', 'a', '1');
    engine.cron();
    expect(engine.rdb.snapshot).toBeNull(); // 1 change < 2
    send('SET', 'b', '1');
    engine.rdb.lastSave -= 5; // more than 1 second ago
    engine.cron();
    expect(engine.rdb.busy()).toBe(true);
  });
});
