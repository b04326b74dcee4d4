import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ZSet, cmpBytes, type LexRange, type ScoreRange } from '../../src/engine/types/zset';

/**
 * The sorted set's skiplist (ranks, score and lex ranges) against a naive model: a plain array
 * kept sorted by (score, member bytes).
 */

type Op = { t: 'add'; m: string; s: number } | { t: 'rem'; m: string };

const member = fc.constantFrom('a', 'b', 'c', 'aa', 'ab', '', '\x00', '\xff', 'b\x00', 'z', '1', '10', '2');
const score = fc.constantFrom(0, 1, 1, 2, 2, -1, 1.5, -Infinity, Infinity, 1e308, -1e308, 5e-324);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('add' as const), m: member, s: score }),
  fc.record({ t: fc.constant('rem' as const), m: member }),
);

function sorted(model: Map<string, number>): [string, number][] {
  return [...model].sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : cmpBytes(x[0], y[0])));
}

function apply(z: ZSet, model: Map<string, number>, o: Op): void {
  if (o.t === 'add') {
    const cur = z.dict.get(o.m);
    if (cur === undefined) z.insert(o.m, o.s);
    else z.update(o.m, cur, o.s);
    model.set(o.m, o.s);
  } else {
    expect(z.remove(o.m)).toBe(model.delete(o.m));
  }
}

const inScore = (v: number, r: ScoreRange): boolean =>
  (r.minex ? v > r.min : v >= r.min) && (r.maxex ? v < r.max : v <= r.max);

describe('zset skiplist vs a sorted array', () => {
  it('order, ranks, byRank, score ranges', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 80 }), score, score, fc.boolean(), fc.boolean(), (ops, a, b, minex, maxex) => {
      const z = new ZSet();
      z.listpack = false;
      const model = new Map<string, number>();
      for (const o of ops) apply(z, model, o);
      const want = sorted(model);
      expect([...z.entries()].map((n) => [n.ele, n.score])).toEqual(want);
      expect(z.zsl.length).toBe(want.length);
      // the dense slots array (ZSCAN) holds exactly the live nodes
      expect(z.slots.length).toBe(want.length);
      z.slots.forEach((n, i) => {
        expect(n.slot).toBe(i);
        expect(z.dict.get(n.ele)).toBe(n.score);
      });
      expect(new Set(z.slots.map((n) => n.ele)).size).toBe(want.length);
      // backward links
      const back: string[] = [];
      for (let x = z.zsl.tail; x !== null; x = x.backward) back.push(x.ele);
      expect(back).toEqual(want.map((e) => e[0]).reverse());
      want.forEach(([m], i) => {
        expect(z.rank(m)).toBe(i);
        expect(z.zsl.byRank(i + 1)!.ele).toBe(m);
      });
      expect(z.zsl.byRank(want.length + 1)).toBeNull();
      const r: ScoreRange = { min: a, max: b, minex, maxex };
      const inr = want.filter((e) => inScore(e[1], r));
      const first = z.zsl.firstInRange(r);
      const last = z.zsl.lastInRange(r);
      expect(first?.ele ?? null).toBe(inr.length ? inr[0][0] : null);
      expect(last?.ele ?? null).toBe(inr.length ? inr[inr.length - 1][0] : null);
    }), { numRuns: 500 });
  });

  it('lex ranges when every score is equal', () => {
    const bound = fc.oneof(
      fc.constant({ kind: -1, s: '', ex: true }), fc.constant({ kind: 1, s: '', ex: true }),
      fc.record({ kind: fc.constant(0), s: member, ex: fc.boolean() }),
    );
    fc.assert(fc.property(fc.array(member, { maxLength: 30 }), bound, bound, fc.boolean(), (ms, min, max, lp) => {
      const z = new ZSet();
      z.listpack = lp;
      for (const m of ms) if (!z.dict.has(m)) z.insert(m, 0);
      const all = [...new Set(ms)].sort(cmpBytes);
      const r: LexRange = { min, max };
      const geMin = (v: string): boolean => min.kind === -1 || (min.kind === 0 && (min.ex ? v > min.s : v >= min.s));
      const leMax = (v: string): boolean => max.kind === 1 || (max.kind === 0 && (max.ex ? v < max.s : v <= max.s));
      const inr = all.filter((v) => geMin(v) && leMax(v));
      expect(z.firstInLex(r)?.ele ?? null).toBe(inr.length ? inr[0] : null);
      expect(z.lastInLex(r)?.ele ?? null).toBe(inr.length ? inr[inr.length - 1] : null);
    }), { numRuns: 500 });
  });

  it('keeps its invariants at 200k members', () => {
    const z = new ZSet();
    z.listpack = false;
    for (let i = 0; i < 200000; i++) z.insert('m' + i, (i * 7919) % 1000);
    for (let i = 0; i < 200000; i += 2) z.remove('m' + i);
    expect(z.size).toBe(100000);
    // Ranks agree with a plain sort of what is left: by score, then by member bytes.
    const left = Array.from({ length: 100000 }, (_, j) => 2 * j + 1)
      .map((i) => ({ ele: 'm' + i, score: (i * 7919) % 1000 }))
      .sort((a, b) => a.score - b.score || (a.ele < b.ele ? -1 : a.ele > b.ele ? 1 : 0));
    for (let r = 0; r < left.length; r += 997) expect(z.rank(left[r].ele)).toBe(r);
  });
});
