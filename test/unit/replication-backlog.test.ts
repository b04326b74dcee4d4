import { describe, expect, it } from 'vitest';
import { Backlog } from '../../src/engine/replication/backlog';

describe('replication backlog', () => {
  it('starts empty at the offset after the current one', () => {
    const b = new Backlog(100, 41);
    expect(b.firstByteOffset).toBe(42);
    expect(b.histlen).toBe(0);
    // A replica that has everything up to 41 may continue: nothing to send.
    expect(b.covers(42)).toBe(true);
    expect(b.from(42)).toBe('');
    expect(b.covers(41)).toBe(false);
    expect(b.covers(43)).toBe(false);
  });

  it('serves any offset it still holds, and nothing before or after', () => {
    const b = new Backlog(1000, 0);
    b.append('hello ');
    b.append('world');
    expect(b.offset).toBe(11);
    expect(b.from(1)).toBe('hello world');
    expect(b.from(7)).toBe('world');
    expect(b.from(9)).toBe('rld');
    expect(b.from(12)).toBe('');
    expect(b.covers(13)).toBe(false);
  });

  it('drops whole chunks from the front, keeping at least its size', () => {
    const b = new Backlog(10, 0);
    for (let i = 0; i < 10; i++) b.append(String(i).repeat(4)); // 40 bytes in chunks of 4
    expect(b.histlen).toBeGreaterThanOrEqual(10);
    expect(b.histlen).toBeLessThan(14);
    expect(b.offset).toBe(40);
    expect(b.from(b.firstByteOffset)).toBe('777788889999'.slice(-b.histlen));
    expect(b.from(37)).toBe('9999');
    expect(b.covers(b.firstByteOffset - 1)).toBe(false);
  });

  it('a bigger chunk than the size is kept whole (it is the newest)', () => {
    const b = new Backlog(4, 0);
    b.append('abc');
    b.append('0123456789');
    expect(b.histlen).toBe(10);
    expect(b.from(4)).toBe('0123456789');
  });

  it('shrinks at once when resized', () => {
    const b = new Backlog(100, 0);
    for (let i = 0; i < 20; i++) b.append('xxxxx');
    b.resize(10);
    expect(b.histlen).toBe(10);
    expect(b.firstByteOffset).toBe(91);
  });
});
