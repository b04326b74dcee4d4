import { RObj } from './object';
import type { Engine } from './server';
import { NOTIFY_EXPIRED, NOTIFY_KEY_MISS, NOTIFY_NEW } from './notify';
import { slotsAfterAdd } from './memory';

/**
 * One database: the key dict and its expires, like Redis's redisDb.
 *
 * Keys live in a Map (O(1) lookups) and also in a dense array, so that random picks
 * (RANDOMKEY, eviction sampling) are O(1) and SCAN can walk a stable cursor: deletion moves the
 * last element into the hole, and the cursor walks from the end towards 0, so an element present
 * for the whole scan is never skipped (it may be returned twice, as Redis allows).
 * Keys with a TTL are also kept in a dense "volatile" array for active expiry sampling.
 */
export class Db {
  readonly id: number;
  readonly server: Engine;
  dict = new Map<string, RObj>();
  keys: string[] = [];
  objs: RObj[] = [];
  vkeys: string[] = [];
  vobjs: RObj[] = [];
  /** Where active expiry goes on in vkeys at the next cycle. */
  expireCursor = 0;
  /** Running average TTL estimate, as in INFO keyspace (avg_ttl). */
  avgTtl = 0;
  /** Bucket counts Redis's main and expires dicts would have (memory.ts): grown on add, shrunk by the cron. */
  mainSlots = 0;
  expiresSlots = 0;

  constructor(id: number, server: Engine) {
    this.id = id;
    this.server = server;
  }

  get size(): number { return this.keys.length; }
  get expiresCount(): number { return this.vkeys.length; }

  // ---- lookups ----

  /** The object at key, without expiry checks or side effects (Redis's dictFind). */
  peek(key: string): RObj | undefined {
    return this.dict.get(key);
  }

  /**
   * The object at key after lazy expiry; touches its LRU/LFU field (lookupKey), except while a
   * snapshot runs: Redis leaves it alone during a fork so as not to copy pages for it.
   */
  lookup(key: string): RObj | undefined {
    const o = this.dict.get(key);
    if (o === undefined) return undefined;
    if (o.expireAt !== -1 && this.expireIfNeeded(key, o)) return undefined;
    if (this.server.cowSnapshot === null) this.server.touchObject(o);
    return o;
  }

  /** lookupKeyRead: like lookup, counting keyspace hits and misses. */
  lookupRead(key: string): RObj | undefined {
    const o = this.lookup(key);
    if (o === undefined) {
      this.server.notifyKeyspaceEvent(NOTIFY_KEY_MISS, 'keymiss', key, this.id);
      this.server.stats.keyspaceMisses++;
    } else {
      this.server.stats.keyspaceHits++;
    }
    return o;
  }

  /** lookupKeyWrite */
  lookupWrite(key: string): RObj | undefined {
    const o = this.lookup(key);
    if (o === undefined) return o;
    // A BGSAVE running keeps the object as it was before the write (copy-on-write).
    if (o.saveEpoch !== 0) this.server.cowSnapshot?.beforeChange(o);
    // The value may change size: the memory total re-measures it.
    this.server.memory.markDirty(o);
    return o;
  }

  /** Whether key exists (after lazy expiry), without touching LRU (EXISTS touches; use lookup there). */
  has(key: string): boolean {
    const o = this.dict.get(key);
    if (o === undefined) return false;
    return !(o.expireAt !== -1 && this.expireIfNeeded(key, o));
  }

  // ---- writes ----

  /** dbAdd: the key must not exist. */
  add(key: string, o: RObj): void {
    this.addLoaded(key, o);
    this.server.keyAdded(this, key);
    this.server.notifyKeyspaceEvent(NOTIFY_NEW, 'new', key, this.id);
  }

  /** dbAddRDBLoad: a key read from a file at load time (no events, nobody is blocked yet). */
  addLoaded(key: string, o: RObj): void {
    o.slot = this.keys.length;
    this.keys.push(key);
    this.objs.push(o);
    this.dict.set(key, o);
    if (o.expireAt !== -1) this.addVolatile(key, o);
    this.mainSlots = slotsAfterAdd(this.mainSlots, this.keys.length);
    this.server.memory.keyAdded(key, o);
  }

  /**
   * setKey: store a value at key, overwriting whatever is there (any type).
   * The TTL is dropped unless keepTtl. Signals the key as modified.
   */
  setKey(key: string, type: number, value: unknown, keepTtl = false): RObj {
    let o = this.dict.get(key);
    if (o === undefined) {
      o = new RObj(type, value, this.server.newObjectLru());
      this.add(key, o);
    } else {
      if (o.saveEpoch !== 0) this.server.cowSnapshot?.beforeChange(o);
      o.type = type;
      o.value = value;
      // A new value is a new object for LRU; LFU keeps the old counter (dbSetValue).
      if (!this.server.lfuPolicy()) o.lru = this.server.lruClock();
      o.unshared = false;
      if (!keepTtl && o.expireAt !== -1) this.removeExpireOf(key, o);
      this.server.memory.markDirty(o);
    }
    this.server.signalModifiedKey(this, key);
    return o;
  }

  /** dbDelete: remove key; returns whether it existed. */
  delete(key: string): boolean {
    const o = this.dict.get(key);
    if (o === undefined) return false;
    this.dict.delete(key);
    const last = this.keys.length - 1;
    const i = o.slot;
    if (i !== last) {
      const mk = this.keys[last];
      const mo = this.objs[last];
      this.keys[i] = mk;
      this.objs[i] = mo;
      mo.slot = i;
    }
    this.keys.pop();
    this.objs.pop();
    o.slot = -1;
    if (o.vslot !== -1) this.dropVolatile(o);
    this.server.memory.keyDeleted(key, o);
    this.server.keyDeleted(this, key, o);
    return true;
  }

  /** Remove every key. Returns how many there were. */
  flush(): number {
    const n = this.keys.length;
    this.server.memory.dbFlushed(this.keys, this.objs);
    this.dict = new Map();
    this.keys = [];
    this.objs = [];
    this.vkeys = [];
    this.vobjs = [];
    this.avgTtl = 0;
    this.expireCursor = 0;
    this.mainSlots = 0;
    this.expiresSlots = 0;
    return n;
  }

  /** Exchange all data with another db (SWAPDB): clients stay, their data changes. */
  swapWith(other: Db): void {
    const fields = ['dict', 'keys', 'objs', 'vkeys', 'vobjs', 'avgTtl', 'expireCursor', 'mainSlots', 'expiresSlots'] as const;
    for (const f of fields) {
      const t = this[f] as any;
      (this as any)[f] = other[f];
      (other as any)[f] = t;
    }
  }

  // ---- expires ----

  getExpire(key: string): number {
    const o = this.dict.get(key);
    return o === undefined ? -1 : o.expireAt;
  }

  setExpire(key: string, when: number): void {
    const o = this.dict.get(key);
    if (o === undefined) return;
    if (o.saveEpoch !== 0) this.server.cowSnapshot?.beforeChange(o);
    o.expireAt = when;
    if (o.vslot === -1) this.addVolatile(key, o);
    this.server.memory.markDirty(o);
  }

  /** removeExpire: returns whether a TTL was removed. */
  removeExpire(key: string): boolean {
    const o = this.dict.get(key);
    if (o === undefined || o.expireAt === -1) return false;
    this.removeExpireOf(key, o);
    return true;
  }

  private removeExpireOf(_key: string, o: RObj): void {
    if (o.saveEpoch !== 0) this.server.cowSnapshot?.beforeChange(o);
    o.expireAt = -1;
    if (o.vslot !== -1) this.dropVolatile(o);
    this.server.memory.markDirty(o);
  }

  private addVolatile(key: string, o: RObj): void {
    o.vslot = this.vkeys.length;
    this.vkeys.push(key);
    this.vobjs.push(o);
    this.expiresSlots = slotsAfterAdd(this.expiresSlots, this.vkeys.length);
  }

  private dropVolatile(o: RObj): void {
    const last = this.vkeys.length - 1;
    const i = o.vslot;
    if (i !== last) {
      const mo = this.vobjs[last];
      this.vkeys[i] = this.vkeys[last];
      this.vobjs[i] = mo;
      mo.vslot = i;
    }
    this.vkeys.pop();
    this.vobjs.pop();
    o.vslot = -1;
  }

  /** Whether o (at key) is past its TTL: Redis's keyIsExpired (now > when). */
  isExpired(o: RObj): boolean {
    return o.expireAt !== -1 && this.server.commandTime() > o.expireAt;
  }

  /**
   * expireIfNeeded: delete key if it is logically expired. Returns true when the key is gone.
   * Replicas keep the key and only report it as missing.
   */
  expireIfNeeded(key: string, o: RObj): boolean {
    if (!this.isExpired(o)) return false;
    // A replica's keys expire by its master's DEL: its master still sees the key, others don't.
    if (this.server.replication.link !== null) return this.server.current?.isMaster !== true;
    if (!this.server.expireEnabled()) return true;
    this.deleteExpired(key);
    return true;
  }

  /** deleteExpiredKeyAndPropagate */
  deleteExpired(key: string): void {
    this.delete(key);
    this.server.stats.expiredKeys++;
    this.server.notifyKeyspaceEvent(NOTIFY_EXPIRED, 'expired', key, this.id);
    this.server.signalModifiedKey(this, key, null);
    this.server.propagate(this.id, [this.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
  }

  // ---- random access and scanning ----

  /** dbRandomKey: a random live key, or null when the db is empty. */
  randomKey(): string | null {
    let tries = 0;
    while (this.keys.length > 0) {
      const i = Math.floor(this.server.random() * this.keys.length);
      const key = this.keys[i];
      const o = this.objs[i];
      if (o.expireAt !== -1) {
        // Every key volatile: Redis gives up deleting after a while and returns one anyway.
        // (Only where expired keys are not deleted, i.e. on replicas; a master deletes them all.)
        if (this.vkeys.length === this.keys.length && !this.server.expireEnabled() && ++tries >= 100) return key;
        if (this.expireIfNeeded(key, o)) continue;
      }
      return key;
    }
    return null;
  }

  /**
   * One SCAN step from cursor (0 = start). Calls visit for up to ~count keys and returns the
   * next cursor (0 = done). Expired keys are still visited: callers filter them like Redis does.
   */
  scan(cursor: number, count: number, visit: (key: string, o: RObj) => void): number {
    let pos = cursor === 0 ? this.keys.length : Math.min(cursor, this.keys.length);
    let n = 0;
    while (pos > 0 && n < count) {
      pos--;
      visit(this.keys[pos], this.objs[pos]);
      n++;
    }
    return pos;
  }
}
