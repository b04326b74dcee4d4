import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { MemoryStorage, StorageError } from '../../src/engine/persistence/storage';
import { parseManifest } from '../../src/engine/persistence/aof';
import { genMixed } from '../compat/gen/mixed';
import { rng } from '../support/rng';
import { connectTo } from '../support/engine-conn';

const NOW = 1_700_000_000_000;

/** An engine on the given storage, started as a host starts it (loading what is stored). */
async function start(storage: MemoryStorage, config: Record<string, string> = {}, seed = 1) {
  const r = rng(seed);
  const engine = new Engine({
    clock: () => NOW, storage, random: () => r.next(),
    config: { 'enable-debug-command': 'yes', appendonly: 'yes', save: '', ...config },
  });
  const loaded = await engine.loadFromStorage();
  const send = connectTo(engine).ask;
  return { engine, send, loaded };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

const text = (b: Uint8Array | undefined): string => (b === undefined ? '' : Buffer.from(b).toString('latin1'));

/** Writes whose effect is the same when replayed (the random commands' effects are checked in compat). */
function writes(send: (...a: string[]) => string, seed: number, n: number): void {
  const r = rng(seed);
  for (let i = 0; i < n; i++) send(...genMixed(r).argv);
  send('SELECT', '4');
  for (let i = 0; i < 50; i++) send('HSET', 'h' + (i % 7), 'f' + i, 'v' + i);
  send('SET', 'ttl', 'x', 'PX', '100000');
  send('SELECT', '0');
}

describe('AOF', () => {
  it('starts with a base, an incremental file and a manifest, and replays them on restart', async () => {
    const storage = new MemoryStorage();
    const a = await start(storage);
    expect(a.loaded.source).toBe('none');
    await settle();
    expect(text(storage.files.get('appendonlydir/appendonly.aof.manifest'))).toBe(
      'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    writes(a.send, 1, 1500);
    a.send('PUBLISH', 'channel', 'not for the AOF');
    const digest = a.send('DEBUG', 'DIGEST');
    await settle();
    expect(text(storage.files.get('appendonlydir/appendonly.aof.1.incr.aof'))).not.toContain('PUBLISH');
    const b = await start(storage);
    expect(b.loaded.source).toBe('aof');
    expect(b.send('DEBUG', 'DIGEST')).toBe(digest);
    b.send('SELECT', '4');
    expect(b.send('PTTL', 'ttl')).toBe(':100000\r\n');
  });

  it('cuts a truncated last command when aof-load-truncated is yes, refuses when no', async () => {
    const storage = new MemoryStorage();
    const a = await start(storage);
    a.send('SET', 'a', '1');
    a.send('SET', 'b', '2');
    await settle();
    const incr = 'appendonlydir/appendonly.aof.1.incr.aof';
    const whole = storage.files.get(incr)!;
    storage.files.set(incr, whole.subarray(0, whole.length - 5));
    const strict = await start(storage, { 'aof-load-truncated': 'no' });
    expect(strict.loaded.error).toMatch(/Unexpected end of file/);
    const b = await start(storage);
    expect(b.loaded.error).toBeUndefined();
    expect(b.send('GET', 'a')).toBe('$1\r\n1\r\n');
    expect(b.send('EXISTS', 'b')).toBe(':0\r\n');
    b.send('SET', 'c', '3'); // appended after the cut, so the file stays readable
    await settle();
    const c = await start(storage);
    expect(c.send('MGET', 'a', 'b', 'c')).toBe('*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n');
  });

  it('rewrites in the background while writes go on, then swaps base and manifest', async () => {
    for (const preamble of ['yes', 'no']) {
      const storage = new MemoryStorage();
      const a = await start(storage, { 'aof-use-rdb-preamble': preamble });
      writes(a.send, 2, 600);
      for (let i = 0; i < 2000; i++) a.send('RPUSH', 'bulk' + (i % 300), 'v' + i);
      expect(a.send('BGREWRITEAOF')).toBe('+Background append only file rewriting started\r\n');
      expect(a.send('BGREWRITEAOF')).toBe('-ERR Background append only file rewriting already in progress\r\n');
      a.engine.rdb.sliceMs = 0;
      let slices = 0;
      while (a.engine.aof.rewrite !== null && slices < 10_000) {
        writes(a.send, 100 + slices, 2);
        a.send('LPUSH', 'bulk' + (slices % 300), 'during');
        a.engine.handleBlockedTimeouts();
        slices++;
        await settle();
      }
      const digest = a.send('DEBUG', 'DIGEST');
      await settle();
      const m = parseManifest(text(storage.files.get('appendonlydir/appendonly.aof.manifest')));
      const ext = preamble === 'yes' ? 'rdb' : 'aof';
      expect(m).toEqual({
        base: { name: `appendonly.aof.2.base.${ext}`, seq: 2, type: 'b' },
        history: [],
        incr: [{ name: 'appendonly.aof.2.incr.aof', seq: 2, type: 'i' }],
      });
      expect([...storage.files.keys()].sort()).toEqual([
        `appendonlydir/appendonly.aof.2.base.${ext}`, 'appendonlydir/appendonly.aof.2.incr.aof', 'appendonlydir/appendonly.aof.manifest',
      ]);
      expect(a.send('INFO', 'persistence')).toMatch(/aof_rewrites:1\r\n/);
      const b = await start(storage, { 'aof-use-rdb-preamble': preamble });
      expect(b.send('DEBUG', 'DIGEST'), `preamble ${preamble}`).toBe(digest);
      if (preamble === 'yes') expect(slices).toBeGreaterThan(3);
    }
  }, 60_000);

  it('turns on at runtime with CONFIG SET appendonly yes, and off again', async () => {
    const storage = new MemoryStorage();
    const a = await start(storage, { appendonly: 'no' });
    a.send('SET', 'before', '1');
    expect(a.send('CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK\r\n');
    while (a.engine.aof.rewrite !== null) {
      a.engine.handleBlockedTimeouts();
      await settle();
    }
    expect(a.engine.aof.state).toBe('on');
    a.send('SET', 'after', '2');
    await settle();
    const b = await start(storage);
    expect(b.send('MGET', 'before', 'after')).toBe('*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    b.send('CONFIG', 'SET', 'appendonly', 'no');
    b.send('SET', 'off', '3');
    await settle();
    const c = await start(storage);
    expect(c.send('EXISTS', 'off')).toBe(':0\r\n');
  });

  it('answers MISCONF while appends fail, keeps the failed bytes and writes them once storage works', async () => {
    const storage = new MemoryStorage();
    const a = await start(storage);
    a.send('SET', 'before', '1');
    await settle();
    const append = storage.append.bind(storage);
    let failing = true;
    storage.append = async (f: string, b: Uint8Array) => {
      if (failing) throw new StorageError('quota', 'The browser refused to store more data (storage quota exceeded).');
      return append(f, b);
    };
    expect(a.send('SET', 'during', '1')).toBe('+OK\r\n'); // accepted: the failure is found after
    await settle();
    expect(a.send('SET', 'refused', '1')).toBe(
      '-MISCONF Errors writing to the AOF file: The browser refused to store more data (storage quota exceeded).\r\n',
    );
    expect(a.send('GET', 'during')).toBe('$1\r\n1\r\n');
    expect(a.send('INFO', 'persistence')).toMatch(/aof_last_write_status:err\r\n/);
    failing = false;
    a.engine.cron(); // retries the failed append
    await settle();
    expect(a.send('SET', 'after', '1')).toBe('+OK\r\n');
    await settle();
    const b = await start(storage);
    expect(b.send('MGET', 'before', 'during', 'refused', 'after')).toBe('*4\r\n$1\r\n1\r\n$1\r\n1\r\n$-1\r\n$1\r\n1\r\n');
  });

  it('holds replies until the write is durable under appendfsync always', async () => {
    const storage = new MemoryStorage();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const sync = storage.sync.bind(storage);
    storage.sync = async (f: string) => {
      await gate;
      return sync(f);
    };
    const a = await start(storage, { appendfsync: 'always' });
    let got = '';
    const c = a.engine.connect({ write: (b) => (got += Buffer.from(b).toString('latin1')), close: () => {} });
    c.feed(Buffer.from('SET k v\r\nGET k\r\n', 'latin1'));
    await settle();
    expect(got).toBe('');
    release();
    await settle();
    expect(got).toBe('+OK\r\n$1\r\nv\r\n');
  });
});
