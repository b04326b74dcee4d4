import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStorage, type Storage } from '../../src/engine/persistence/storage';
import { FileStorage } from '../../src/host/node/file-storage';
import { IdbStorage } from '../../src/host/worker/idb-storage';

/** The same contract for every backend: memory, files, IndexedDB (fake-indexeddb under Node). */
const dir = mkdtempSync(path.join(tmpdir(), 'storage-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array | null): string | null => (b === null ? null : String.fromCharCode(...b));

let n = 0;
const backends: [string, () => Storage][] = [
  ['memory', () => new MemoryStorage()],
  ['files', () => new FileStorage(path.join(dir, String(++n)))],
  ['indexeddb', () => new IdbStorage('storage-test-' + ++n)],
];

describe.each(backends)('%s storage', (_name, make) => {
  it('reads null for a missing file', async () => {
    expect(await make().read('dump.rdb')).toBeNull();
  });

  it('replaces a file whole, keeping every byte value', async () => {
    const s = make();
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    await s.replace('dump.rdb', all);
    expect(await s.read('dump.rdb')).toEqual(all);
    await s.replace('dump.rdb', bytes('second'));
    expect(text(await s.read('dump.rdb'))).toBe('second');
  });

  it('appends in order, also after a replace and in a subdirectory', async () => {
    const s = make();
    await s.append('appendonlydir/a.aof', bytes('one,'));
    await s.append('appendonlydir/a.aof', bytes('two,'));
    await s.sync('appendonlydir/a.aof');
    expect(text(await s.read('appendonlydir/a.aof'))).toBe('one,two,');
    await s.replace('appendonlydir/a.aof', bytes('base,'));
    await s.append('appendonlydir/a.aof', bytes('more'));
    expect(text(await s.read('appendonlydir/a.aof'))).toBe('base,more');
  });

  it('lists and removes files', async () => {
    const s = make();
    await s.replace('dump.rdb', bytes('x'));
    await s.append('appendonlydir/m.manifest', bytes('y'));
    expect((await s.list()).sort()).toEqual(['appendonlydir/m.manifest', 'dump.rdb']);
    await s.remove('dump.rdb');
    expect(await s.list()).toEqual(['appendonlydir/m.manifest']);
    expect(await s.read('dump.rdb')).toBeNull();
  });
});

describe('indexeddb storage', () => {
  it('sees what another instance on the same database stored (a page reload)', async () => {
    const a = new IdbStorage('storage-test-reload');
    await a.replace('dump.rdb', bytes('snap'));
    await a.append('x.aof', bytes('1'));
    const b = new IdbStorage('storage-test-reload');
    expect(text(await b.read('dump.rdb'))).toBe('snap');
    await b.append('x.aof', bytes('2'));
    expect(text(await b.read('x.aof'))).toBe('12');
  });
});
