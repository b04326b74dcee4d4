import { describe, expect, it } from 'vitest';
import { Backlog, STANDARD_BLOCK_SIZE, raxNodeCount } from '../../src/engine/replication/backlog';
import { Engine } from '../../src/engine/server';
import { connectTo } from '../support/engine-conn';

/** A standard block's share of mem_total_replication_buffers: 20480 allocated + its 24-byte list node. */
const BLOCK_MEM = 20_504;

describe('replication backlog', () => {
  it('starts empty at the offset after the current one', () => {
    const b = new Backlog(100, 41);
    expect(b.firstByteOffset).toBe(42);
    expect(b.histlen).toBe(0);
    expect(b.bufferMemory()).toBe(0);
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

  it('holds the stream in blocks of 20440 bytes (16KB + header, as jemalloc rounds it)', () => {
    expect(STANDARD_BLOCK_SIZE).toBe(20_440);
    const b = new Backlog(1 << 20, 0);
    b.append('x'.repeat(100));
    expect(b.bufferMemory()).toBe(BLOCK_MEM);
    b.append('y'.repeat(STANDARD_BLOCK_SIZE - 100)); // fills the first block exactly
    expect(b.bufferMemory()).toBe(BLOCK_MEM);
    b.append('z');
    expect(b.bufferMemory()).toBe(2 * BLOCK_MEM);
    expect(b.from(STANDARD_BLOCK_SIZE)).toBe('yz');
  });

  it('a piece bigger than 16KB that does not fit gets a block of its own size', () => {
    const b = new Backlog(1 << 20, 0);
    b.append('a'.repeat(20_000)); // 440 bytes left in the first block
    b.append('b'.repeat(40_440)); // 440 there, 40000 in a new block: 40040 → jemalloc 40960
    expect(b.bufferMemory()).toBe(BLOCK_MEM + 40_960 + 24);
    expect(b.from(20_001)).toBe('b'.repeat(40_440));
  });

  it('trims whole blocks from the front while the rest holds more than its size', () => {
    const b = new Backlog(50_000, 0);
    for (let i = 0; i < 100; i++) b.append(String(i % 10).repeat(1000)); // 100000 bytes, 5 blocks
    // Dropping a block must leave more than 50000 bytes: 2 blocks go (100000 − 40880 = 59120).
    expect(b.histlen).toBe(100_000 - 2 * STANDARD_BLOCK_SIZE);
    expect(b.firstByteOffset).toBe(2 * STANDARD_BLOCK_SIZE + 1);
    expect(b.bufferMemory()).toBe(3 * BLOCK_MEM);
    expect(b.from(b.firstByteOffset).length).toBe(b.histlen);
    expect(b.covers(b.firstByteOffset - 1)).toBe(false);
  });

  it('keeps at least one block, however small its size', () => {
    const b = new Backlog(4, 0);
    b.append('abc');
    b.append('0123456789');
    expect(b.histlen).toBe(13);
    expect(b.from(4)).toBe('0123456789');
  });

  it('keeps the blocks a replica still sends from', () => {
    const b = new Backlog(16_384, 0);
    let pinned = 1; // a replica that has sent nothing yet
    b.pinnedFrom = () => pinned;
    for (let i = 0; i < 100; i++) b.append('x'.repeat(1000));
    expect(b.histlen).toBe(100_000);
    expect(b.replicaOutput(pinned)).toEqual({ blocks: 5, bytes: 5 * STANDARD_BLOCK_SIZE + 5 * 64 });
    // It sent everything: it references the last block only, and the backlog shrinks.
    pinned = 100_000;
    expect(b.replicaOutput(pinned)).toEqual({ blocks: 1, bytes: STANDARD_BLOCK_SIZE + 64 });
    expect(b.histlen).toBe(100_000 - 4 * STANDARD_BLOCK_SIZE);
  });

  it('shrinks at once when resized', () => {
    const b = new Backlog(1 << 20, 0);
    for (let i = 0; i < 20; i++) b.append('x'.repeat(5000));
    expect(b.histlen).toBe(100_000);
    b.resize(16_384);
    expect(b.histlen).toBe(100_000 - 4 * STANDARD_BLOCK_SIZE);
    expect(b.firstByteOffset).toBe(4 * STANDARD_BLOCK_SIZE + 1);
  });

  it('indexes one block in 64 and estimates the index as Redis does (4 bytes a rax node, 8 an entry)', () => {
    expect(raxNodeCount([])).toBe(1);
    expect(raxNodeCount([1])).toBe(2);
    // Keys that differ in the last byte only: head, branch, two leaves.
    expect(raxNodeCount([1, 2])).toBe(4);
    // Differing in byte 5 (of 8): head, branch, then a compressed chain and a leaf under each.
    expect(raxNodeCount([1, 65_537])).toBe(6);
    const b = new Backlog(1 << 30, 0);
    expect(b.indexMemory()).toBe(4);
    for (let i = 0; i < 64 * STANDARD_BLOCK_SIZE; i += 10_000) b.append('x'.repeat(10_000));
    expect(b.indexMemory()).toBe(2 * 4 + 8);
  });
});

/** An engine with a fixed clock; `conn` opens connections to it. */
function setup(config: Record<string, string> = {}) {
  let now = 1_700_000_000_000;
  const engine = new Engine({ clock: () => now, config: { 'repl-diskless-sync-delay': '0', ...config } });
  return { engine, conn: () => connectTo(engine), advance: (ms: number) => { now += ms; } };
}

function infoFields(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

describe('replication memory of the engine', () => {
  it('a replica in full sync pins the stream since its snapshot: the excess counts as the replicas\', not towards maxmemory', () => {
    const { engine, conn } = setup({ 'repl-backlog-size': '16384' });
    const client = conn();
    const info = (): Map<string, string> => infoFields(client.ask('INFO', 'memory'));
    const replica = conn();
    replica.ask('REPLCONF', 'capa', 'eof', 'capa', 'psync2');
    expect(replica.ask('PSYNC', '?', '-1')).toMatch(/^\+FULLRESYNC [0-9a-f]{40} 0\r\n$/);
    expect(engine.rdb.running()).toBe(true); // the snapshot goes on in slices: the stream waits
    for (let i = 0; i < 100; i++) client.ask('SET', `k${i}`, 'v'.repeat(1000));
    let m = info();
    // 100 SETs of about 1030 bytes (+ a SELECT) in 6 blocks, all kept for the replica.
    expect(engine.replication.masterReplOffset).toBeGreaterThan(5 * STANDARD_BLOCK_SIZE);
    expect(engine.replication.masterReplOffset).toBeLessThan(6 * STANDARD_BLOCK_SIZE);
    expect(m.get('mem_total_replication_buffers')).toBe(String(6 * BLOCK_MEM));
    expect(m.get('mem_clients_slaves')).toBe(String(6 * BLOCK_MEM - 16_384));
    expect(m.get('mem_replication_backlog')).toBe(String(16_384 + 4));
    // Redis counts the backlog's size and an estimate of its blocks' headers (2 blocks of 16KB).
    expect(m.get('mem_not_counted_for_evict')).toBe(String(6 * BLOCK_MEM - 16_384 - 2 * 64));
    expect(engine.replication.backlog!.histlen).toBe(engine.replication.masterReplOffset);
    const line = client.ask('CLIENT', 'LIST', 'TYPE', 'replica');
    expect(line).toContain(`oll=6 omem=${6 * STANDARD_BLOCK_SIZE + 6 * 64} `);
    // used_memory counts the buffer; maxmemory does not count what is beyond the backlog.
    const used = Number(m.get('used_memory'));
    expect(engine.memory.usedForMaxmemory()).toBe(used - Number(m.get('mem_not_counted_for_evict')));
    client.ask('CONFIG', 'SET', 'maxmemory', String(engine.memory.usedForMaxmemory() + 50_000));
    expect(used).toBeGreaterThan(engine.maxmemory());
    expect(client.ask('SET', 'more', 'x')).toBe('+OK\r\n');
    expect(infoFields(client.ask('INFO', 'stats')).get('evicted_keys')).toBe('0');
    client.ask('CONFIG', 'SET', 'maxmemory', '0');

    // The snapshot ends, the replica loads it and acknowledges: the stream goes out, the blocks go.
    while (engine.rdb.busy()) engine.handleBlockedTimeouts();
    replica.take();
    replica.send('REPLCONF', 'ACK', '0');
    expect(replica.take()).toContain('SET');
    m = info();
    // Whole blocks go while the rest holds more than 16384 bytes.
    let held = engine.replication.masterReplOffset;
    let blocks = Math.ceil(held / STANDARD_BLOCK_SIZE);
    while (held - STANDARD_BLOCK_SIZE > 16_384) {
      held -= STANDARD_BLOCK_SIZE;
      blocks--;
    }
    expect(engine.replication.backlog!.histlen).toBe(held);
    expect(m.get('mem_total_replication_buffers')).toBe(String(blocks * BLOCK_MEM));
    expect(m.get('mem_clients_slaves')).toBe(String(blocks * BLOCK_MEM - 16_384));
    expect(m.get('mem_not_counted_for_evict')).toBe(String(blocks * BLOCK_MEM - 16_384 - 2 * 64));
    expect(client.ask('CLIENT', 'LIST', 'TYPE', 'replica')).toContain(`oll=1 omem=${STANDARD_BLOCK_SIZE + 64} `);

    // The replica leaves: the backlog keeps its block, all of it the backlog's.
    engine.closeClient(replica.c);
    m = info();
    expect(m.get('mem_clients_slaves')).toBe('0');
    expect(m.get('mem_replication_backlog')).toBe(String(blocks * BLOCK_MEM + 4));
  });

  it('MEMORY STATS and used_memory_overhead include the replication buffer', () => {
    const { conn } = setup();
    const client = conn();
    const replica = conn();
    replica.ask('REPLCONF', 'capa', 'eof');
    replica.ask('PSYNC', '?', '-1');
    const before = infoFields(client.ask('INFO', 'memory'));
    client.ask('SET', 'a', 'b');
    const after = infoFields(client.ask('INFO', 'memory'));
    expect(Number(after.get('mem_replication_backlog'))).toBe(BLOCK_MEM + 4);
    // The block, and the new key's dictEntry + robj + the db's first 4 buckets (72).
    expect(Number(after.get('used_memory_overhead')) - Number(before.get('used_memory_overhead'))).toBe(BLOCK_MEM + 72);
    const stats = client.ask('MEMORY', 'STATS');
    expect(stats).toContain(`$19\r\nreplication.backlog\r\n:${BLOCK_MEM + 4}\r\n`);
    expect(stats).toContain('$14\r\nclients.slaves\r\n:0\r\n');
  });

  it('CONFIG SET repl-backlog-size raises a size under 16KB to 16KB', () => {
    const { conn } = setup();
    const client = conn();
    expect(client.ask('CONFIG', 'SET', 'repl-backlog-size', '100')).toBe('+OK\r\n');
    expect(client.ask('CONFIG', 'GET', 'repl-backlog-size')).toBe('*2\r\n$17\r\nrepl-backlog-size\r\n$5\r\n16384\r\n');
  });
});
