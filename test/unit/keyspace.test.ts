import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/server';
import { OBJ_STRING } from '../../src/engine/object';
import type { Db } from '../../src/engine/keyspace';

function engineAt(time: { now: number }): Engine {
  return new Engine({ clock: () => time.now, monotonic: () => time.now, random: mulberry(42) });
}

function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every structural invariant of a Db: dict, dense key array and volatile array agree. */
function checkInvariants(db: Db): void {
  expect(db.keys.length).toBe(db.dict.size);
  expect(db.objs.length).toBe(db.keys.length);
  for (let i = 0; i < db.keys.length; i++) {
    const o = db.dict.get(db.keys[i]);
    expect(o).toBe(db.objs[i]);
    expect(o!.slot).toBe(i);
  }
  let volatile = 0;
  for (const o of db.dict.values()) if (o.expireAt !== -1) volatile++;
  expect(db.vkeys.length).toBe(volatile);
  for (let i = 0; i < db.vkeys.length; i++) {
    expect(db.vobjs[i].vslot).toBe(i);
    expect(db.dict.get(db.vkeys[i])).toBe(db.vobjs[i]);
  }
}

const key = fc.integer({ min: 0, max: 30 }).map((n) => 'k' + n);
const op = fc.oneof(
  fc.record({ t: fc.constant('set' as const), key, keep: fc.boolean() }),
  fc.record({ t: fc.constant('del' as const), key }),
  fc.record({ t: fc.constant('expire' as const), key, at: fc.integer({ min: 1, max: 2000 }) }),
  fc.record({ t: fc.constant('persist' as const), key }),
  fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ t: fc.constant('get' as const), key }),
);

describe('Db', () => {
  it('matches a plain model under random operations, with lazy expiry', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const time = { now: 1000 };
        const db = engineAt(time).dbs[0];
        const model = new Map<string, { v: string; at: number }>();
        const alive = (k: string) => {
          const m = model.get(k);
          if (m && m.at !== -1 && time.now > m.at) model.delete(k);
          return model.get(k);
        };
        let n = 0;
        for (const o of ops) {
          switch (o.t) {
            case 'set': {
              const prev = alive(o.key);
              const v = 'v' + n++;
              db.setKey(o.key, OBJ_STRING, v, o.keep);
              model.set(o.key, { v, at: o.keep && prev ? prev.at : -1 });
              break;
            }
            case 'del':
              db.lookupWrite(o.key);
              expect(db.delete(o.key)).toBe(model.delete(o.key));
              break;
            case 'expire':
              if (alive(o.key) && db.lookupWrite(o.key)) {
                db.setExpire(o.key, time.now + o.at);
                model.get(o.key)!.at = time.now + o.at;
              }
              break;
            case 'persist':
              if (alive(o.key) && db.lookupWrite(o.key)) {
                db.removeExpire(o.key);
                model.get(o.key)!.at = -1;
              }
              break;
            case 'tick':
              time.now += o.ms;
              break;
            case 'get': {
              const m = alive(o.key);
              const got = db.lookupRead(o.key);
              expect(got?.value).toBe(m?.v);
              break;
            }
          }
          checkInvariants(db);
        }
      }),
    );
  });

  it('SCAN returns every key that exists for the whole scan, despite deletes and inserts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 400 })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 25 }),
        (initial, churn, count) => {
          const db = engineAt({ now: 0 }).dbs[0];
          for (let i = 0; i < initial; i++) db.setKey('k' + i, OBJ_STRING, 'x');
          const stable = new Set(db.keys);
          const seen = new Set<string>();
          let cursor = 0;
          let c = 0;
          do {
            cursor = db.scan(cursor, count, (k) => { seen.add(k); });
            // Between calls: delete or add some keys; deleted ones are no longer "stable".
            for (let j = 0; j < 3 && c < churn.length; j++, c++) {
              const [del, n] = churn[c];
              const k = 'k' + n;
              if (del) { db.delete(k); stable.delete(k); }
              else if (!db.peek(k)) db.setKey(k, OBJ_STRING, 'y');
            }
          } while (cursor !== 0);
          for (const k of stable) expect(seen.has(k)).toBe(true);
        },
      ),
    );
  });

  it('active expiry removes expired keys over a few cron runs and keeps live ones', () => {
    const time = { now: 1000 };
    const engine = engineAt(time);
    const db = engine.dbs[0];
    for (let i = 0; i < 1000; i++) {
      db.setKey('k' + i, OBJ_STRING, 'v');
      db.setExpire('k' + i, i % 2 === 0 ? 1500 : 100000);
    }
    time.now = 2000;
    for (let i = 0; i < 100 && db.size > 500; i++) engine.cron();
    expect(db.size).toBe(500);
    expect(engine.stats.expiredKeys).toBe(500);
    checkInvariants(db);
  });

  it('RANDOMKEY never returns an expired key while live ones exist', () => {
    const time = { now: 1000 };
    const engine = engineAt(time);
    const db = engine.dbs[0];
    for (let i = 0; i < 100; i++) db.setKey('k' + i, OBJ_STRING, 'v');
    for (let i = 0; i < 90; i++) db.setExpire('k' + i, 1001);
    time.now = 5000;
    for (let i = 0; i < 50; i++) {
      const k = db.randomKey()!;
      expect(Number(k.slice(1))).toBeGreaterThanOrEqual(90);
    }
    checkInvariants(db);
  });
});
