import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ListValue, listType } from '../../src/engine/types/list';
import { OBJ_LIST, RObj } from '../../src/engine/object';

/**
 * The list deque (types/list.ts) against a plain array model: any sequence of operations leaves
 * both with the same contents and gives the same results.
 */

type Op =
  | { t: 'pushHead' | 'pushTail'; v: string }
  | { t: 'popHead' | 'popTail' }
  | { t: 'get' | 'removeAt'; i: number }
  | { t: 'set' | 'insert'; i: number; v: string }
  | { t: 'removeValue'; v: string; max: number; fromTail: boolean }
  | { t: 'trim'; left: number; right: number }
  | { t: 'range'; a: number; b: number }
  | { t: 'clone' };

const val = fc.constantFrom('a', 'b', 'c', '', '\x00', '\xff', '1');

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constantFrom('pushHead' as const, 'pushTail' as const), v: val }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('popHead' as const, 'popTail' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('get' as const, 'removeAt' as const), i: fc.nat(100) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('set' as const, 'insert' as const), i: fc.nat(100), v: val }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('removeValue' as const), v: val, max: fc.nat(4), fromTail: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('trim' as const), left: fc.nat(10), right: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('range' as const), a: fc.nat(100), b: fc.nat(100) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('clone' as const) }) },
);

function apply(l: ListValue, m: string[], o: Op): [ListValue, unknown, unknown] {
  switch (o.t) {
    case 'pushHead': l.pushHead(o.v); m.unshift(o.v); return [l, null, null];
    case 'pushTail': l.pushTail(o.v); m.push(o.v); return [l, null, null];
    case 'popHead': return [l, l.popHead(), m.shift()];
    case 'popTail': return [l, l.popTail(), m.pop()];
    case 'get': {
      if (m.length === 0) return [l, null, null];
      const i = o.i % m.length;
      return [l, l.get(i), m[i]];
    }
    case 'removeAt': {
      if (m.length === 0) return [l, null, null];
      const i = o.i % m.length;
      l.removeAt(i);
      m.splice(i, 1);
      return [l, null, null];
    }
    case 'set': {
      if (m.length === 0) return [l, null, null];
      const i = o.i % m.length;
      l.set(i, o.v);
      m[i] = o.v;
      return [l, null, null];
    }
    case 'insert': {
      const i = o.i % (m.length + 1);
      l.insert(i, o.v);
      m.splice(i, 0, o.v);
      return [l, null, null];
    }
    case 'removeValue': {
      const got = l.removeValue(o.v, o.max, o.fromTail);
      let removed = 0;
      if (o.fromTail) {
        for (let i = m.length - 1; i >= 0; i--) {
          if (m[i] === o.v && (o.max === 0 || removed < o.max)) { m.splice(i, 1); removed++; }
        }
      } else {
        for (let i = 0; i < m.length;) {
          if (m[i] === o.v && (o.max === 0 || removed < o.max)) { m.splice(i, 1); removed++; } else i++;
        }
      }
      return [l, got, removed];
    }
    case 'trim': {
      l.trim(o.left, o.right);
      m.splice(0, Math.min(o.left, m.length));
      m.splice(m.length - Math.min(o.right, m.length), Math.min(o.right, m.length));
      return [l, null, null];
    }
    case 'range': {
      if (m.length === 0) return [l, null, null];
      const a = o.a % m.length;
      const b = o.b % m.length;
      return [l, l.range(a, b), a <= b ? m.slice(a, b + 1) : []];
    }
    case 'clone': {
      const c = l.clone();
      l.pushTail('zz'); // the clone is independent
      l.popTail();
      return [c, null, null];
    }
  }
}

describe('ListValue', () => {
  it('behaves like an array under any sequence of operations', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      let l = new ListValue();
      const m: string[] = [];
      for (const o of ops) {
        const [next, got, want] = apply(l, m, o);
        l = next;
        expect(got).toEqual(want);
        expect(l.length).toBe(m.length);
      }
      expect(l.toArray()).toEqual(m);
    }), { numRuns: 500 });
  });

  it('grows and shrinks across many pushes and pops at both ends', () => {
    const l = new ListValue();
    const m: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 3 === 0) { l.pushHead(String(i)); m.unshift(String(i)); } else { l.pushTail(String(i)); m.push(String(i)); }
    }
    expect(l.toArray()).toEqual(m);
    for (let i = 0; i < 4990; i++) {
      if (i % 2) expect(l.popHead()).toBe(m.shift());
      else expect(l.popTail()).toBe(m.pop());
    }
    expect(l.toArray()).toEqual(m);
    expect(ListValue.from(m).toArray()).toEqual(m);
    expect(new ListValue().popHead()).toBeUndefined();
  });

  it('memory estimate follows objectComputeSize (MEMORY USAGE minus key sds and dictEntry)', () => {
    // redis-server 7.0.15: MEMORY USAGE of RPUSH a x is 144, of RPUSH b 1..1000 is 3200; both keys
    // take 8 (sds) + 24 (dictEntry).
    const one = new RObj(OBJ_LIST, ListValue.from(['x']), 0);
    const many = new RObj(OBJ_LIST, ListValue.from(Array.from({ length: 1000 }, (_, i) => String(i + 1))), 0);
    expect(listType.memory(one)).toBe(144 - 32);
    expect(listType.memory(many)).toBe(3200 - 32);
    expect(listType.encoding(one)).toBe('quicklist');
    const c = listType.copy(one) as ListValue;
    c.pushTail('y');
    expect((one.value as ListValue).toArray()).toEqual(['x']);
  });
});
