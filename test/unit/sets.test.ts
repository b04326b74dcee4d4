import { describe, expect, it } from 'vitest';
import { RSet, createSetFor, setType } from '../../src/engine/types/set';
import { OBJ_SET, RObj } from '../../src/engine/object';

const obj = (s: RSet) => new RObj(OBJ_SET, s, 0);

describe('RSet', () => {
  it('adds, removes and finds members, keeping the index dense', () => {
    const s = new RSet();
    for (const m of ['a', 'b', 'c', 'd']) expect(s.add(m, 512)).toBe(true);
    expect(s.add('a', 512)).toBe(false);
    expect(s.remove('b')).toBe(true);
    expect(s.remove('b')).toBe(false);
    expect(s.size).toBe(3);
    for (const [m, i] of s.index) expect(s.members[i]).toBe(m);
    expect(s.has('d')).toBe(true);
    expect(s.has('b')).toBe(false);
  });

  it('stays an intset for canonical integers up to the limit, sorted ascending', () => {
    const s = createSetFor('5');
    for (const m of ['5', '-3', '9223372036854775807', '-9223372036854775808', '0']) s.add(m, 5);
    expect(s.intset).toBe(true);
    expect(s.ordered()).toEqual(['-9223372036854775808', '-3', '0', '5', '9223372036854775807']);
    expect(s.width).toBe(8);
    s.add('6', 5);
    expect(s.intset).toBe(false);
    s.remove('6');
    expect(s.intset).toBe(false);
    expect(createSetFor('01').intset).toBe(false);
    const t = createSetFor('1');
    t.add('1', 512);
    t.add('x', 512);
    expect(t.intset).toBe(false);
  });

  it('intset width grows, never shrinks; recode rebuilds it', () => {
    const s = createSetFor('1');
    s.add('1', 512);
    expect(s.width).toBe(2);
    s.add('70000', 512);
    expect(s.width).toBe(4);
    s.remove('70000');
    expect(s.width).toBe(4);
    s.recode(512);
    expect(s.width).toBe(2);
    s.add('x', 512);
    s.remove('x');
    s.recode(512);
    expect(s.intset).toBe(true);
  });

  it('copies independently', () => {
    const s = createSetFor('a');
    s.add('a', 512);
    const t = s.dup();
    t.add('b', 512);
    expect(s.size).toBe(1);
    expect(t.size).toBe(2);
    expect(setType.encoding(obj(t))).toBe('hashtable');
  });

  it('serialized length of an intset: 8-byte header + width per member, as a string', () => {
    const s = createSetFor('1');
    for (const m of ['1', '2', '3']) s.add(m, 512);
    // 8 + 3*2 = 14 bytes, length prefix 1 byte
    expect(setType.serializedLength(obj(s), true)).toBe(15);
    const h = createSetFor('a');
    h.add('a', 512);
    h.add('12', 512);
    // length 1 + "a" (1+1) + 12 as an int (2)
    expect(setType.serializedLength(obj(h), true)).toBe(5);
  });

  it('random picks only members', () => {
    const s = createSetFor('a');
    for (const m of ['a', 'b', 'c']) s.add(m, 512);
    let x = 0;
    const rnd = () => (x = (x + 0.37) % 1);
    for (let i = 0; i < 20; i++) expect(['a', 'b', 'c']).toContain(s.random(rnd));
  });
});
