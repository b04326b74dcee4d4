import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { StorageError, type Storage } from '../../engine/persistence/storage';

/**
 * The browser's storage: IndexedDB through `idb`, one database per server node (its own
 * namespace, e.g. "redis-playground-6379"). A file is a list of chunks: an append adds one chunk
 * in one transaction (no rewrite of what is there), a replacement swaps all of a file's chunks
 * for one in one transaction — IndexedDB commits a transaction whole or not at all, so a tab
 * closed mid-save leaves the previous snapshot intact.
 */
interface FilesSchema extends DBSchema {
  chunks: { key: [string, number]; value: Uint8Array };
}

const STORE = 'chunks';

/** The IndexedDB database of the node on `port` (each node keeps its files in its own). */
export function nodeDatabaseName(port: number | string): string {
  return `redis-playground-${port}`;
}

/**
 * Delete a node's database (the page removed the node). IndexedDB runs it once the node's worker,
 * just terminated, has let go of its connection, and a later open of the same name waits for it.
 */
export function deleteNodeDatabase(port: number, factory: IDBFactory = indexedDB): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = factory.deleteDatabase(nodeDatabaseName(port));
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

export class IdbStorage implements Storage {
  readonly description: string;
  private db: Promise<IDBPDatabase<FilesSchema>>;
  /** Next chunk number per file (known after the first append or read). */
  private readonly nextChunk = new Map<string, number>();

  constructor(name: string, factory?: IDBFactory) {
    this.description = 'indexeddb ' + name;
    if (factory) (globalThis as { indexedDB?: IDBFactory }).indexedDB ??= factory;
    this.db = openDB<FilesSchema>(name, 1, {
      upgrade(db) {
        db.createObjectStore(STORE);
      },
    });
  }

  private range(file: string): IDBKeyRange {
    return IDBKeyRange.bound([file, 0], [file, Number.MAX_SAFE_INTEGER]);
  }

  async read(file: string): Promise<Uint8Array | null> {
    const db = await this.db;
    const tx = db.transaction(STORE, 'readonly');
    const keys = await tx.store.getAllKeys(this.range(file));
    const parts = await tx.store.getAll(this.range(file));
    await tx.done;
    if (parts.length === 0) return null;
    this.nextChunk.set(file, keys[keys.length - 1][1] + 1);
    return concat(parts);
  }

  async replace(file: string, bytes: Uint8Array): Promise<void> {
    await this.run(async (db) => {
      const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
      await tx.store.delete(this.range(file));
      await tx.store.put(bytes.slice(), [file, 0]);
      await tx.done;
      this.nextChunk.set(file, 1);
    });
  }

  async append(file: string, bytes: Uint8Array): Promise<void> {
    await this.run(async (db) => {
      let n = this.nextChunk.get(file);
      const tx = db.transaction(STORE, 'readwrite', { durability: 'relaxed' });
      if (n === undefined) {
        const last = await tx.store.openCursor(this.range(file), 'prev');
        n = last === null ? 0 : (last.key as [string, number])[1] + 1;
      }
      this.nextChunk.set(file, n + 1);
      await tx.store.put(bytes.slice(), [file, n]);
      await tx.done;
    });
  }

  /** Appends commit with relaxed durability; a strict empty transaction waits for them to be flushed. */
  async sync(): Promise<void> {
    await this.run(async (db) => {
      const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
      await tx.done;
    });
  }

  async remove(file: string): Promise<void> {
    await this.run(async (db) => {
      const tx = db.transaction(STORE, 'readwrite');
      await tx.store.delete(this.range(file));
      await tx.done;
      this.nextChunk.delete(file);
    });
  }

  async list(): Promise<string[]> {
    const db = await this.db;
    const keys = await db.getAllKeys(STORE);
    return [...new Set(keys.map((k) => k[0]))];
  }

  /** Forget everything stored (the page's "reset data"). */
  async clear(): Promise<void> {
    await this.run(async (db) => {
      await db.clear(STORE);
      this.nextChunk.clear();
    });
  }

  private async run(work: (db: IDBPDatabase<FilesSchema>) => Promise<void>): Promise<void> {
    try {
      await work(await this.db);
    } catch (e) {
      const name = (e as DOMException)?.name;
      if (name === 'QuotaExceededError') {
        throw new StorageError('quota', 'The browser refused to store more data (storage quota exceeded).');
      }
      throw new StorageError('io', String((e as Error)?.message ?? e));
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
