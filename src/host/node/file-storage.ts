import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StorageError, type Storage } from '../../engine/persistence/storage';

/**
 * The Node server's storage: plain files in one directory (Redis's `dir`). A replacement is
 * written to a temp file, fsynced, then renamed over the old one, as Redis saves dump.rdb.
 * Names may contain one subdirectory level (the AOF's appenddirname).
 */
export class FileStorage implements Storage {
  private readonly handles = new Map<string, fs.FileHandle>();
  private readonly dirOf: () => string;
  /** Operations run one after another, in the order asked: a read after a replace sees it. */
  private queue: Promise<unknown> = Promise.resolve();

  private inOrder<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => {});
    return run;
  }

  /** dir: the directory, or a function giving it (CONFIG SET dir moves where files go). */
  constructor(dir: string | (() => string)) {
    this.dirOf = typeof dir === 'string' ? () => dir : dir;
  }

  get description(): string {
    return 'files ' + this.dirOf();
  }

  private get dir(): string {
    return this.dirOf();
  }

  private full(file: string): string {
    return path.join(this.dir, file);
  }

  read(file: string): Promise<Uint8Array | null> {
    return this.inOrder(() => this.readNow(file));
  }

  private async readNow(file: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(this.full(file)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw ioError(e);
    }
  }

  replace(file: string, bytes: Uint8Array): Promise<void> {
    return this.inOrder(() => this.replaceNow(file, bytes));
  }

  private async replaceNow(file: string, bytes: Uint8Array): Promise<void> {
    await this.closeHandle(file); // an append handle would keep writing to the replaced file
    const target = this.full(file);
    const temp = path.join(path.dirname(target), `temp-${process.pid}-${path.basename(target)}`);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      const h = await fs.open(temp, 'w');
      try {
        await h.writeFile(bytes);
        await h.sync();
      } finally {
        await h.close();
      }
      await fs.rename(temp, target);
    } catch (e) {
      await fs.rm(temp, { force: true }).catch(() => {});
      throw ioError(e);
    }
  }

  append(file: string, bytes: Uint8Array): Promise<void> {
    return this.inOrder(() => this.appendNow(file, bytes));
  }

  private async appendNow(file: string, bytes: Uint8Array): Promise<void> {
    try {
      let h = this.handles.get(file);
      if (h === undefined) {
        await fs.mkdir(path.dirname(this.full(file)), { recursive: true });
        h = await fs.open(this.full(file), 'a');
        this.handles.set(file, h);
      }
      await h.write(bytes);
    } catch (e) {
      throw ioError(e);
    }
  }

  sync(file: string): Promise<void> {
    return this.inOrder(() => this.syncNow(file));
  }

  private async syncNow(file: string): Promise<void> {
    try {
      await this.handles.get(file)?.sync();
    } catch (e) {
      throw ioError(e);
    }
  }

  remove(file: string): Promise<void> {
    return this.inOrder(() => this.removeNow(file));
  }

  private async removeNow(file: string): Promise<void> {
    await this.closeHandle(file);
    await fs.rm(this.full(file), { force: true });
  }

  private async closeHandle(file: string): Promise<void> {
    const h = this.handles.get(file);
    if (h === undefined) return;
    this.handles.delete(file);
    await h.close().catch(() => {});
  }

  list(): Promise<string[]> {
    return this.inOrder(() => this.listNow());
  }

  private async listNow(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string, depth: number): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(path.join(this.dir, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const name = rel ? rel + '/' + e.name : e.name;
        if (e.isFile()) out.push(name);
        else if (e.isDirectory() && depth === 0) await walk(name, 1);
      }
    };
    await walk('', 0);
    return out;
  }

  /** Close the append handles (shutdown). */
  async close(): Promise<void> {
    for (const h of this.handles.values()) await h.close().catch(() => {});
    this.handles.clear();
  }
}

function ioError(e: unknown): StorageError {
  const err = e as NodeJS.ErrnoException;
  return new StorageError(err.code === 'ENOSPC' || err.code === 'EDQUOT' ? 'quota' : 'io', err.message ?? String(e));
}
