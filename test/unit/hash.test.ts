import { describe, expect, it } from 'vitest';
import { HashValue, listpackBytes } from '../../src/engine/types/hash';

describe('HashValue', () => {
  it('listpack layout keeps insertion order; update in place, delete + re-add moves to the end', () => {
    const h = new HashValue();
    expect(h.set('a', '1')).toBe(true);
    expect(h.set('b', '2')).toBe(true);
    expect(h.set('c', '3')).toBe(true);
    expect(h.set('a', 'x')).toBe(false);
    expect(h.arrays()).toEqual([['a', 'b', 'c'], ['x', '2', '3']]);
    expect(h.delete('a')).toBe(true);
    expect(h.delete('a')).toBe(false);
    h.set('a', 'y');
    expect(h.arrays()[0]).toEqual(['b', 'c', 'a']);
    expect(h.isListpack).toBe(true);
  });

  it('hashtable layout: get/set/delete stay consistent after swap-removals', () => {
    const h = new HashValue();
    for (let i = 0; i < 100; i++) h.set('f' + i, 'v' + i);
    h.toHashtable();
    expect(h.isListpack).toBe(false);
    for (let i = 0; i < 100; i += 3) expect(h.delete('f' + i)).toBe(true);
    for (let i = 0; i < 100; i++) expect(h.get('f' + i)).toBe(i % 3 === 0 ? undefined : 'v' + i);
    expect(h.size).toBe(66);
    expect(h.set('f1', 'new')).toBe(false);
    expect(h.get('f1')).toBe('new');
    const copy = h.dup();
    copy.set('f1', 'other');
    expect(h.get('f1')).toBe('new');
    expect(copy.isListpack).toBe(false);
  });

  it('scan returns every pair present for the whole scan despite deletes and inserts', () => {
    const h = new HashValue();
    for (let i = 0; i < 500; i++) h.set('k' + i, String(i));
    h.toHashtable();
    const seen = new Set<string>();
    let cursor = 0;
    let step = 0;
    do {
      cursor = h.scan(cursor, 7, (f) => seen.add(f));
      // Churn: delete some fields not in the stable set (k400..k499), add new ones.
      h.delete('k' + (400 + (step % 100)));
      h.set('n' + step, 'x');
      step++;
    } while (cursor !== 0 && step < 10000);
    for (let i = 0; i < 400; i++) expect(seen.has('k' + i), 'k' + i).toBe(true);
  });

  it('listpack bytes: header, integer and string encodings, terminator', () => {
    const h = new HashValue();
    h.set('a', '5');
    const lp = listpackBytes(h);
    // total(4) numele(2) | 0x81 'a' backlen 2 | 0x05 backlen 1 | 0xff
    expect([...lp].map((ch) => ch.charCodeAt(0))).toEqual([12, 0, 0, 0, 2, 0, 0x81, 97, 2, 5, 1, 0xff]);
    h.set('n', '-1');
    const b = [...listpackBytes(h)].map((ch) => ch.charCodeAt(0));
    // -1 as a 13-bit integer: 0xdf 0xff, backlen 2
    expect(b.slice(-4)).toEqual([0xdf, 0xff, 2, 0xff]);
  });
});
