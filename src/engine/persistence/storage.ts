/**
 * Where a server keeps its files (the RDB snapshot, the AOF parts and manifest): one interface,
 * implemented by the hosts — files in `dir` under Node (src/host/node/file-storage.ts), IndexedDB
 * in the browser (src/host/worker/idb-storage.ts), memory in tests (below). All of it is
 * asynchronous; the engine never waits on it while running a command.
 */
export interface Storage {
  /** What the backend is, for INFO and messages ("files /tmp", "indexeddb redis-6379", "memory"). */
  readonly description: string;
  /** A whole file, or null when there is none. */
  read(file: string): Promise<Uint8Array | null>;
  /**
   * Replace a file at once (write aside, then swap, as Redis renames temp-<pid>.rdb): a crash
   * leaves either the old bytes or the new ones, never a mix. Resolves when durable.
   */
  replace(file: string, bytes: Uint8Array): Promise<void>;
  /** Add bytes at the end of a file, creating it. Durable only after sync(). */
  append(file: string, bytes: Uint8Array): Promise<void>;
  /** Make what was appended to file durable (fsync). */
  sync(file: string): Promise<void>;
  remove(file: string): Promise<void>;
  /** The names of the files there are. */
  list(): Promise<string[]>;
}

/** A storage failure with a reason a person can act on (out of quota, no permission, ...). */
export class StorageError extends Error {
  constructor(
    readonly reason: 'quota' | 'io',
    message: string,
  ) {
    super(message);
  }
}

/** Files kept in memory: for tests, and a page whose browser has no IndexedDB. */
export class MemoryStorage implements Storage {
  readonly description = 'memory';
  readonly files = new Map<string, Uint8Array>();

  async read(file: string): Promise<Uint8Array | null> {
    const b = this.files.get(file);
    return b === undefined ? null : b.slice();
  }

  async replace(file: string, bytes: Uint8Array): Promise<void> {
    this.files.set(file, bytes.slice());
  }

  async append(file: string, bytes: Uint8Array): Promise<void> {
    const old = this.files.get(file);
    if (old === undefined) {
      this.files.set(file, bytes.slice());
      return;
    }
    const joined = new Uint8Array(old.length + bytes.length);
    joined.set(old, 0);
    joined.set(bytes, old.length);
    this.files.set(file, joined);
  }

  async sync(_file: string): Promise<void> {}

  async remove(file: string): Promise<void> {
    this.files.delete(file);
  }

  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
}
