import type { Client } from './client';
import type { Command } from './commands/table';
import type { Db } from './keyspace';
import type { Engine } from './server';

/**
 * MULTI/EXEC state and WATCH (Redis's multi.c). The queue lives on the client (client.multi); the
 * watched keys are linked both ways: each client lists its keys, and per db a key lists the
 * entries of the clients watching it, so a write finds them at once.
 */

/** A command queued after MULTI, run by EXEC. */
export interface QueuedCommand {
  cmd: Command;
  argv: string[];
}

/** One key a client watches (watchedKey). */
export interface WatchedKey {
  client: Client;
  dbid: number;
  key: string;
  /** The key was already logically expired when watched: its deletion is no change (7.0). */
  expired: boolean;
}

export class Watches {
  private readonly server: Engine;
  /** Per db id: key → the entries of the clients watching it. Bound to the index, not the data
   *  (SWAPDB leaves watches where they are, as Redis keeps db->watched_keys). */
  private readonly byDb = new Map<number, Map<string, WatchedKey[]>>();

  constructor(server: Engine) {
    this.server = server;
  }

  /** watchForKey */
  watch(c: Client, key: string): void {
    const db = c.db;
    for (const wk of c.watched) if (wk.dbid === db.id && wk.key === key) return;
    let m = this.byDb.get(db.id);
    if (m === undefined) {
      m = new Map();
      this.byDb.set(db.id, m);
    }
    let list = m.get(key);
    if (list === undefined) {
      list = [];
      m.set(key, list);
    }
    const o = db.peek(key);
    const wk: WatchedKey = { client: c, dbid: db.id, key, expired: o !== undefined && db.isExpired(o) };
    list.push(wk);
    c.watched.push(wk);
  }

  /** unwatchAllKeys (clearing the dirty flag is up to the caller). */
  unwatchAll(c: Client): void {
    if (c.watched.length === 0) return;
    for (const wk of c.watched) {
      const m = this.byDb.get(wk.dbid)!;
      const list = m.get(wk.key)!;
      list.splice(list.indexOf(wk), 1);
      if (list.length === 0) m.delete(wk.key);
    }
    c.watched = [];
  }

  /** touchWatchedKey: a write to key makes the EXEC of every client watching it fail. */
  touch(db: Db, key: string): void {
    const list = this.byDb.get(db.id)?.get(key);
    if (list === undefined) return;
    for (const wk of [...list]) {
      if (wk.expired) {
        // An already-expired key that is now gone has not changed logically.
        wk.expired = false;
        if (db.peek(key) === undefined) continue;
      }
      wk.client.dirtyCas = true;
      // Dirty already: nothing this client watches matters any more.
      this.unwatchAll(wk.client);
    }
  }

  /**
   * touchAllWatchedKeysInDb: emptied's keys are about to be dropped (FLUSHDB/FLUSHALL) or swapped
   * with replacedWith's (SWAPDB). A watched key changes if it exists in either.
   */
  touchAllInDb(emptied: Db, replacedWith: Db | null): void {
    const m = this.byDb.get(emptied.id);
    if (m === undefined) return;
    for (const [key, list] of m) {
      const inEmptied = emptied.peek(key) !== undefined;
      const replacement = replacedWith?.peek(key);
      if (!inEmptied && replacement === undefined) continue;
      for (const wk of list) {
        if (wk.expired) {
          if (replacement === undefined) {
            wk.expired = false;
            continue;
          }
          if (replacedWith!.isExpired(replacement)) continue;
        } else if (!inEmptied && replacedWith!.isExpired(replacement!)) {
          // A missing key replaced by an already-expired one: still logically missing.
          wk.expired = true;
          continue;
        }
        wk.client.dirtyCas = true;
      }
    }
  }

  /** isWatchedKeyExpired: a key watched while alive has expired (not yet deleted) since. */
  anyExpired(c: Client): boolean {
    for (const wk of c.watched) {
      if (wk.expired) continue;
      const db = this.server.dbs[wk.dbid];
      const o = db.peek(wk.key);
      if (o !== undefined && db.isExpired(o)) return true;
    }
    return false;
  }

  /** Clients watching at least one key (INFO watching_clients is 7.4+; used by tests). */
  watchedKeyCount(): number {
    let n = 0;
    for (const m of this.byDb.values()) n += m.size;
    return n;
  }
}
