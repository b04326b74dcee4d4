import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import {
  Consumer, ConsumerGroup, MAX_ID, NACK, PEL, Stream, ZERO_ID, cmpID, decrID, formatID, incrID, string2ull, u64, type StreamID,
} from '../../src/engine/types/stream';
import { connectTo } from '../support/engine-conn';

const id = (ms: number, seq = 0): StreamID => ({ ms, seq });
const ids = (it: Iterable<{ id: StreamID }>): string[] => [...it].map((e) => formatID(e.id));

function filled(n: number, maxEntries = 100, maxBytes = 4096): Stream {
  const s = new Stream();
  for (let i = 1; i <= n; i++) s.append(id(i), ['f', 'v'], maxBytes, maxEntries);
  return s;
}

describe('stream IDs', () => {
  it('compare, increment and decrement across the 64-bit halves', () => {
    expect(cmpID(id(1, 2), id(1, 3))).toBe(-1);
    expect(cmpID(id(2, 0), id(1, 99))).toBe(1);
    expect(cmpID({ ms: u64(2n ** 60n), seq: 0 }, id(2 ** 52))).toBe(1);
    expect(formatID(incrID({ ms: 5, seq: u64(2n ** 64n - 1n) })!)).toBe('6-0');
    expect(formatID(incrID(id(9007199254740991, 9007199254740991))!)).toBe('9007199254740991-9007199254740992');
    expect(incrID(MAX_ID)).toBeNull();
    expect(decrID(ZERO_ID)).toBeNull();
    expect(formatID(decrID(id(5, 0))!)).toBe('4-18446744073709551615');
  });

  it('parses like string2ull on a C string', () => {
    expect(string2ull('123')).toBe(123);
    expect(string2ull(' 7')).toBe(7);
    expect(string2ull('+7')).toBe(7);
    expect(string2ull('-0')).toBe(0);
    expect(string2ull('-1')).toBeNull();
    expect(string2ull('-18446744073709551615')).toBe(1);
    expect(string2ull('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(string2ull('18446744073709551616')).toBeNull();
    expect(string2ull('9007199254740993')).toBe(9007199254740993n);
    expect(string2ull('12\0x')).toBe(12);
    expect(string2ull('1 ')).toBeNull();
    expect(string2ull('')).toBeNull();
  });
});

describe('Stream', () => {
  it('appends into nodes of stream-node-max-entries entries', () => {
    const s = filled(250);
    expect(s.nodes.map((n) => n.size)).toEqual([100, 100, 50]);
    expect(s.length).toBe(250);
    expect(formatID(s.lastId)).toBe('250-0');
    expect(s.entriesAdded).toBe(250);
  });

  it('starts a node when the listpack would reach stream-node-max-bytes', () => {
    const s = new Stream();
    for (let i = 1; i <= 20; i++) s.append(id(i), ['field', 'x'.repeat(30)], 200, 100);
    // header 7 + master (count, deleted, num-fields, "field", 0) + entries of 2+2+2+31+2 bytes
    expect(s.nodes[0].lpBytes() + 35).toBeGreaterThanOrEqual(200);
    expect(s.nodes.every((n) => n.lpBytes() < 200 + 40)).toBe(true);
    expect(s.nodes.length).toBeGreaterThan(3);
  });

  it('ranges forwards and backwards across nodes, skipping deleted entries', () => {
    const s = filled(30, 7);
    expect(ids(s.range(id(5), id(9)))).toEqual(['5-0', '6-0', '7-0', '8-0', '9-0']);
    expect(ids(s.range(id(27), MAX_ID, true))).toEqual(['30-0', '29-0', '28-0', '27-0']);
    expect(s.delete(id(6))).toBe(true);
    expect(s.delete(id(6))).toBe(false);
    expect(ids(s.range(id(5), id(8)))).toEqual(['5-0', '7-0', '8-0']);
    expect(ids(s.range(id(5, 1), id(7), true))).toEqual(['7-0']);
    expect(s.get(id(6))).toBeUndefined();
    expect(s.get(id(7))?.fields).toEqual(['f', 'v']);
    expect(s.length).toBe(29);
  });

  it('frees a node when its last live entry is deleted', () => {
    const s = filled(9, 3);
    expect(s.nodes.length).toBe(3);
    for (const n of [4, 5, 6]) s.delete(id(n));
    expect(s.nodes.length).toBe(2);
    expect(ids(s.range(ZERO_ID, MAX_ID))).toEqual(['1-0', '2-0', '3-0', '7-0', '8-0', '9-0']);
  });

  it('trims exactly (flags entries) or approximately (whole nodes, LIMIT)', () => {
    const s = filled(50, 10);
    expect(s.trim(45, null, false, 0)).toBe(5);
    expect(s.nodes.length).toBe(5);
    expect(formatID(s.firstId)).toBe('6-0');
    expect(s.trim(32, null, true, 0)).toBe(5); // only the first node (5 live) fits
    expect(s.length).toBe(40);
    expect(s.trim(0, null, true, 15)).toBe(10);
    expect(s.trim(0, id(35), false, 0)).toBe(14);
    expect(formatID(s.firstId)).toBe('35-0');
    expect(s.trim(0, null, false, 0)).toBe(16);
    expect(s.length).toBe(0);
    expect(s.firstId).toEqual(ZERO_ID);
  });

  it('estimates the entries-read counter of an ID (lag rules)', () => {
    const s = filled(10);
    expect(s.estimateDistanceFromFirstEverEntry(id(10))).toBe(10);
    expect(s.estimateDistanceFromFirstEverEntry(id(11))).toBe(-1);
    expect(s.estimateDistanceFromFirstEverEntry(ZERO_ID)).toBe(0);
    expect(s.estimateDistanceFromFirstEverEntry(id(1))).toBe(1);
    expect(s.estimateDistanceFromFirstEverEntry(id(5))).toBe(-1);
    s.trim(7, null, false, 0);
    expect(s.estimateDistanceFromFirstEverEntry(id(2))).toBe(3);
    s.delete(id(8));
    s.maxDeletedEntryId = id(8);
    expect(s.rangeHasTombstones(id(5), null)).toBe(true);
    expect(s.rangeHasTombstones(id(9), null)).toBe(false);
    expect(s.estimateDistanceFromFirstEverEntry(id(2))).toBe(-1);
  });

  it('copies deeply, groups and PELs included', () => {
    const s = filled(5);
    const g = new ConsumerGroup('g', id(3), 3);
    const c = new Consumer('c', 1);
    g.consumers.set('c', c);
    const nack = new NACK(id(2), c, 7);
    g.pel.add(nack);
    c.pel.add(nack);
    s.groups.set('g', g);
    const d = s.dup();
    s.append(id(6), ['x', 'y'], 4096, 100);
    g.pel.remove(id(2));
    nack.deliveryCount = 9;
    expect(d.length).toBe(5);
    const dg = d.groups.get('g')!;
    expect(dg.pel.size).toBe(1);
    const dn = dg.pel.get(id(2))!;
    expect(dn.deliveryCount).toBe(1);
    expect(dn.consumer).toBe(dg.consumers.get('c'));
    expect(dg.consumers.get('c')!.pel.get(id(2))).toBe(dn);
  });
});

describe('PEL', () => {
  it('keeps ID order through appends, inserts, removals and re-adds', () => {
    const c = new Consumer('c', 0);
    const p = new PEL();
    for (const n of [1, 2, 3, 10, 5, 7]) p.add(new NACK(id(n), c, 0));
    expect([...p.all()].map((x) => formatID(x.id))).toEqual(['1-0', '2-0', '3-0', '5-0', '7-0', '10-0']);
    p.remove(id(3));
    p.remove(id(10));
    expect(p.size).toBe(4);
    expect(p.get(id(3))).toBeUndefined();
    p.add(new NACK(id(3), c, 0));
    expect([...p.range(id(2), id(6))].map((x) => formatID(x.id))).toEqual(['2-0', '3-0', '5-0']);
    expect(formatID(p.first()!.id)).toBe('1-0');
    expect(formatID(p.last()!.id)).toBe('7-0');
    for (let i = 100; i < 300; i++) p.add(new NACK(id(i), c, 0));
    for (let i = 100; i < 290; i++) p.remove(id(i));
    expect([...p.range(id(6))].map((x) => formatID(x.id))).toEqual(['7-0', ...Array.from({ length: 10 }, (_, i) => `${290 + i}-0`)]);
  });
});

// ---- commands on an engine with an injected clock ----


function setup() {
  const time = { now: 1_700_000_000_000 };
  const engine = new Engine({ clock: () => time.now, monotonic: () => time.now });
  const propagated: string[] = [];
  engine.onPropagate((_db, argv) => propagated.push(argv.join(' ')));
  const connect = () => connectTo(engine);
  return { time, engine, connect, propagated };
}

describe('stream commands with an injected clock', () => {
  it('XADD * takes the clock, or the next sequence when the clock is behind; propagates the ID', () => {
    const { time, connect, propagated } = setup();
    const a = connect();
    a.send('XADD', 's', '*', 'f', 'v');
    a.send('XADD', 's', '*', 'f', 'v');
    time.now += 5;
    a.send('XADD', 's', 'MAXLEN', '~', '1', '*', 'f', 'v');
    a.send('XADD', 's', '1800000000000-5', 'f', 'v');
    a.send('XADD', 's', '*', 'f', 'v');
    expect(a.take()).toBe('$15\r\n1700000000000-0\r\n$15\r\n1700000000000-1\r\n$15\r\n1700000000005-0\r\n' +
      '$15\r\n1800000000000-5\r\n$15\r\n1800000000000-6\r\n');
    expect(propagated).toEqual([
      'XADD s 1700000000000-0 f v', 'XADD s 1700000000000-1 f v', 'XADD s MAXLEN = 3 1700000000005-0 f v',
      'XADD s 1800000000000-5 f v', 'XADD s 1800000000000-6 f v',
    ]);
  });

  it('XREAD BLOCK times out on the clock; XREADGROUP propagates XCLAIM with the delivery time', () => {
    const { time, engine, connect, propagated } = setup();
    const a = connect();
    const b = connect();
    a.send('XREAD', 'BLOCK', '100', 'STREAMS', 's', '$');
    expect(engine.nextTimerDelay()).toBe(100);
    time.now += 100;
    engine.handleBlockedTimeouts();
    expect(a.take()).toBe('*-1\r\n');
    b.send('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    a.send('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    expect(a.take()).toBe('');
    time.now += 7;
    b.send('XADD', 's', '1-1', 'f', 'v');
    expect(a.take()).toBe('*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n');
    expect(propagated.slice(-2)).toEqual([
      'XADD s 1-1 f v', 'XCLAIM s g c 0 1-1 TIME 1700000000107 RETRYCOUNT 1 FORCE JUSTID LASTID 1-1',
    ]);
    time.now += 1000;
    b.send('XPENDING', 's', 'g', '-', '+', '10');
    expect(b.take()).toContain(':1000\r\n:1\r\n');
  });

  it('the AOF loader trims exactly, LIMIT included', () => {
    const { engine, connect } = setup();
    const loader = engine.loaderClient();
    for (let i = 1; i <= 10; i++) engine.runLoaded(loader, ['XADD', 's', `${i}-0`, 'f', 'v']);
    expect(engine.runLoaded(loader, ['XADD', 's', 'MAXLEN', '=', '3', 'LIMIT', '2', '11-0', 'f', 'v'])).toBeNull();
    const a = connect();
    a.send('XLEN', 's');
    a.send('XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '2');
    expect(a.take()).toBe(':3\r\n-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n');
  });
});
