import { describe, expect, it } from 'vitest';
import { Consumer, ConsumerGroup, NACK, Stream, formatID, u64, type StreamID } from '../../src/engine/types/stream';
import { RdbReader, RdbWriter } from '../../src/engine/persistence/rdb';
import { decodeStreamID, encodeStreamID, nodeListpack, readStream, writeStream } from '../../src/engine/persistence/rdb-stream';

const id = (ms: number | bigint, seq: number | bigint = 0): StreamID => ({ ms: u64(BigInt(ms)), seq: u64(BigInt(seq)) });

/** Everything about a stream that the RDB carries, as text. */
function describe_(s: Stream): string {
  const out: string[] = [`len=${s.length} last=${formatID(s.lastId)} first=${formatID(s.firstId)} maxdel=${formatID(s.maxDeletedEntryId)} added=${s.entriesAdded}`];
  for (const n of s.nodes) {
    out.push(`node ${formatID(n.master)} [${n.masterFields}] count=${n.count} deleted=${n.deleted} bytes=${n.lpBytes()}`);
    n.ids.forEach((x, i) => out.push(`  ${formatID(x)} ${n.flags[i]} ${JSON.stringify(n.fields[i])}`));
  }
  for (const g of s.sortedGroups()) {
    out.push(`group ${g.name} ${formatID(g.lastId)} read=${g.entriesRead}`);
    for (const nack of g.pel.all()) out.push(`  pel ${formatID(nack.id)} ${nack.consumer.name} t=${nack.deliveryTime} n=${nack.deliveryCount}`);
    for (const c of g.sortedConsumers()) out.push(`  consumer ${c.name} seen=${c.seenTime} [${[...c.pel.all()].map((x) => formatID(x.id))}]`);
  }
  return out.join('\n');
}

function roundTrip(s: Stream): Stream {
  const w = new RdbWriter(true);
  writeStream(w, s);
  return readStream(new RdbReader(w.toString()), true);
}

describe('streams in the RDB', () => {
  it('IDs as 16 big-endian bytes, 64-bit halves included', () => {
    for (const x of [id(0, 0), id(1, 2), id(2n ** 64n - 1n, 2n ** 64n - 1n), id(2n ** 53n + 1n, 7)]) {
      const raw = encodeStreamID(x);
      expect(raw.length).toBe(16);
      expect(formatID(decodeStreamID(raw))).toBe(formatID(x));
    }
    expect(encodeStreamID(id(1, 2))).toBe('\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0\x02');
  });

  it('round-trips nodes, tombstones, metadata, groups, PELs and consumers', () => {
    const s = new Stream();
    for (let i = 1; i <= 250; i++) s.append(id(1000 + i, i % 3), i % 7 === 0 ? ['other', String(i)] : ['f', String(i * 13), 'g', 'x'.repeat(i % 40)], 4096, 100);
    s.length = 250;
    s.nodes[1].markDeleted(3);
    s.length--;
    s.lastId = id(2n ** 60n, 5);
    s.firstId = s.nodes[0].ids[0];
    s.maxDeletedEntryId = s.nodes[1].ids[3];
    s.entriesAdded = 251;
    const g = new ConsumerGroup('workers', id(1100, 0), 99);
    const alice = new Consumer('alice', 1_700_000_000_123);
    const bob = new Consumer('bob', 1_700_000_000_456);
    g.consumers.set('alice', alice);
    g.consumers.set('bob', bob);
    for (const [x, c] of [[id(1001, 1), alice], [id(1002, 2), bob], [id(1005, 2), alice]] as const) {
      const nack = new NACK(x, c, 1_700_000_000_000 + Number(x.ms));
      nack.deliveryCount = 3;
      g.pel.add(nack);
      c.pel.add(nack);
    }
    s.groups.set('workers', g);
    s.groups.set('empty', new ConsumerGroup('empty', id(0, 0), -1));
    expect(describe_(roundTrip(s))).toBe(describe_(s));
    // The listpack we write is exactly as long as the node says Redis's is.
    for (const n of s.nodes) expect(nodeListpack(n).length).toBe(n.lpBytes());
  });

  it('an empty stream with a group', () => {
    const s = new Stream();
    s.groups.set('g', new ConsumerGroup('g', id(0, 0), 0));
    expect(describe_(roundTrip(s))).toBe(describe_(s));
  });

  it('refuses a consumer entry missing from its group PEL', () => {
    const s = new Stream();
    const g = new ConsumerGroup('g', id(0, 0), 0);
    const c = new Consumer('c', 0);
    c.pel.add(new NACK(id(1, 1), c, 0));
    g.consumers.set('c', c);
    s.groups.set('g', g);
    const w = new RdbWriter(false);
    writeStream(w, s);
    expect(() => readStream(new RdbReader(w.toString()), true)).toThrow('Consumer entry not found in group global PEL');
  });
});
