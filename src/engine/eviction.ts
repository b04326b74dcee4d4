/**
 * maxmemory and its eviction policies, as Redis 7.0's evict.c does them.
 *
 * Before each command (processCommand), when maxmemory is set and used memory is above it,
 * performEvictions deletes keys until enough is freed:
 * - LRU / LFU / volatile-ttl policies sample maxmemory-samples keys per db (all keys, or only
 *   those with a TTL for volatile-*) into a 16-entry eviction pool kept sorted by "idle" score
 *   (LRU: idle ms; LFU: 255 - counter; TTL: the sooner the expiry the higher), and evict the
 *   best entry still present. The pool survives between calls, as Redis's EvictionPoolLRU does.
 * - random policies pick a random key, walking the dbs round-robin.
 * - noeviction (or nothing evictable) fails: denyoom commands then get the OOM error.
 * Each deletion counts evicted_keys, fires the "evicted" keyspace event and propagates a DEL (or
 * UNLINK with lazyfree-lazy-eviction). Work per call is bounded by maxmemory-eviction-tenacity;
 * what is left continues from the host's timer (Redis's eviction time proc).
 *
 * The LRU clock and the LFU counter themselves live in server.ts (touchObject), since every key
 * access updates them.
 */
import type { Engine } from './server';
import type { Db } from './keyspace';
import type { RObj } from './object';
import { NOTIFY_EVICTED } from './notify';

/** EVPOOL_SIZE */
export const EVPOOL_SIZE = 16;

export const EVICT_OK = 0;
export const EVICT_RUNNING = 1;
export const EVICT_FAIL = 2;

/** shared.oomerr */
export const OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

/** One key as the eviction pool scores it: higher is a better victim. */
export interface ScoredKey {
  db: number;
  key: string;
  score: number;
}

/**
 * One victim search of an eviction cycle, for observers (a visualizer): the keys sampled this
 * time, the pool after inserting them, and the key chosen with why.
 */
export interface EvictionStep {
  policy: string;
  /** Memory counted for maxmemory before this step, and the limit. */
  used: number;
  maxmemory: number;
  /** Bytes the cycle still had to free when this step started. */
  toFree: number;
  sampled: ScoredKey[];
  pool: ScoredKey[];
  victim: ScoredKey | null;
  /** Why the victim (or why none): e.g. "highest idle time in the pool". */
  reason: string;
  /** Bytes the deletion freed. */
  freed: number;
}

interface PoolEntry {
  key: string | null;
  idle: number;
  dbid: number;
}

const REASONS: Record<string, string> = {
  lru: 'longest idle time in the eviction pool',
  lfu: 'lowest access frequency in the eviction pool',
  ttl: 'nearest expire time in the eviction pool',
  random: 'random key',
};

/**
 * The eviction state of one server: the pool, the round-robin db for random policies and the
 * observers of eviction steps.
 */
export class Evictor {
  private readonly pool: PoolEntry[] = [];
  private nextDb = 0;
  /** A cycle stopped at its time limit: the host's timer carries on (evictionTimeProc). */
  running = false;
  /** When used memory went over maxmemory (monotonic ms), or -1; and the time over it so far. */
  private exceededSince = -1;
  private exceededTotal = 0;
  /** The last cycle got past the safety checks (an unsafe moment says nothing about memory). */
  private cycleRan = false;
  private readonly listeners = new Set<(s: EvictionStep) => void>();

  constructor(private readonly engine: Engine) {
    for (let i = 0; i < EVPOOL_SIZE; i++) this.pool.push({ key: null, idle: 0, dbid: 0 });
  }

  /** Observe every victim search (sampled keys, pool, victim, reason). Returns the unsubscribe. */
  onStep(listener: (s: EvictionStep) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The pool's entries, worst victim first (for tests and MEMORY DOCTOR-like views). */
  poolSnapshot(): ScoredKey[] {
    const out: ScoredKey[] = [];
    for (const p of this.pool) if (p.key !== null) out.push({ db: p.dbid, key: p.key, score: p.idle });
    return out;
  }

  /** Forget the pool (a FLUSHALL or a policy change leaves it stale; Redis just lets it age out). */
  resetPool(): void {
    for (const p of this.pool) {
      p.key = null;
      p.idle = 0;
    }
  }

  /**
   * isSafeToPerformEvictions: not while a busy script yields to the event loop, not on a replica
   * that ignores maxmemory (its master's DELs keep it in line), and not while clients are paused
   * (the dataset must stay static).
   */
  private safe(): boolean {
    const e = this.engine;
    if (e.busy !== null || e.suspendedScript !== null) return false;
    if (e.replication.link !== null && e.config.bool('replica-ignore-maxmemory')) return false;
    return e.expireEnabled();
  }

  /**
   * performEvictions: free memory until used memory is within maxmemory. EVICT_OK when within
   * it (or not safe to evict now), EVICT_RUNNING when the time limit stopped the cycle (the
   * host's timer continues it), EVICT_FAIL when nothing can be freed.
   */
  perform(): number {
    const result = this.cycle();
    // The timer goes on only while a cycle stops for time (evictionTimeProc's AE_NOMORE otherwise).
    this.running = result === EVICT_RUNNING;
    // INFO's eviction_exceeded_time: how long used memory has stayed over the limit.
    if (result !== EVICT_OK) {
      if (this.exceededSince < 0) this.exceededSince = this.engine.monotonic();
    } else if (this.exceededSince >= 0 && this.cycleRan) {
      this.exceededTotal += this.engine.monotonic() - this.exceededSince;
      this.exceededSince = -1;
    }
    return result;
  }

  /** total_eviction_exceeded_time (total) or current_eviction_exceeded_time, in ms. */
  exceededMs(total: boolean): number {
    const current = this.exceededSince >= 0 ? this.engine.monotonic() - this.exceededSince : 0;
    return total ? this.exceededTotal + current : current;
  }

  /** Forget the exceeded-time counters (CONFIG RESETSTAT). */
  resetStats(): void {
    this.exceededTotal = 0;
    this.exceededSince = -1;
  }

  private cycle(): number {
    const e = this.engine;
    this.cycleRan = false;
    if (!this.safe()) return EVICT_OK;
    this.cycleRan = true;
    const max = e.maxmemory();
    let used = e.memory.usedForMaxmemory();
    if (max === 0 || used <= max) return EVICT_OK;
    const toFree = used - max;
    const policy = e.config.str('maxmemory-policy');
    if (policy === 'noeviction') return EVICT_FAIL;
    const allKeys = policy.startsWith('allkeys-');
    const kind = policy.endsWith('-lru') ? 'lru' : policy.endsWith('-lfu') ? 'lfu' : policy === 'volatile-ttl' ? 'ttl' : 'random';
    const lazy = e.config.bool('lazyfree-lazy-eviction');
    const timeLimitMs = evictionTimeLimitUs(e.config.num('maxmemory-eviction-tenacity')) / 1000;
    const t0 = e.monotonic();
    const observe = this.listeners.size > 0;
    const samples = e.config.num('maxmemory-samples');
    let freed = 0;
    let keysFreed = 0;
    while (freed < toFree) {
      const sampled: ScoredKey[] | null = observe ? [] : null;
      let bestKey: string | null = null;
      let bestDb = 0;
      let bestScore = 0;
      if (kind !== 'random') {
        for (;;) {
          let total = 0;
          for (const db of e.dbs) {
            const n = allKeys ? db.size : db.expiresCount;
            if (n === 0) continue;
            this.populate(db, allKeys, kind, samples, sampled);
            total += n;
          }
          if (total === 0) break;
          // The best candidate is at the right; skip ghosts (keys deleted since they were pooled).
          for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
            const p = this.pool[k];
            if (p.key === null) continue;
            const key = p.key;
            const dbid = p.dbid;
            const score = p.idle;
            p.key = null;
            p.idle = 0;
            const o = e.dbs[dbid]?.peek(key);
            if (o !== undefined && (allKeys || o.expireAt !== -1)) {
              bestKey = key;
              bestDb = dbid;
              bestScore = score;
              break;
            }
          }
          if (bestKey !== null) break;
        }
      } else {
        const n = e.dbs.length;
        for (let i = 0; i < n; i++) {
          const j = ++this.nextDb % n;
          const db = e.dbs[j];
          const size = allKeys ? db.size : db.expiresCount;
          if (size === 0) continue;
          const idx = Math.floor(e.random() * size);
          bestKey = allKeys ? db.keys[idx] : db.vkeys[idx];
          bestDb = j;
          sampled?.push({ db: j, key: bestKey, score: 0 });
          break;
        }
      }
      if (bestKey === null) {
        if (observe) this.emitStep(policy, used, max, toFree - freed, sampled!, null, 'nothing left to evict', 0);
        return EVICT_FAIL;
      }
      const db = e.dbs[bestDb];
      e.deleteEvicted(db, bestKey, lazy);
      const now = e.memory.usedForMaxmemory();
      const delta = used - now;
      used = now;
      freed += delta;
      keysFreed++;
      if (observe) {
        this.emitStep(policy, used + delta, max, toFree - freed + delta, sampled!, { db: bestDb, key: bestKey, score: bestScore }, REASONS[kind], delta);
      }
      if (keysFreed % 16 === 0 && e.monotonic() - t0 > timeLimitMs) {
        // Out of time: the host's timer goes on evicting between events (evictionTimeProc).
        return EVICT_RUNNING;
      }
    }
    return EVICT_OK;
  }

  /**
   * evictionPoolPopulate: sample maxmemory-samples keys of db (its volatile keys unless allKeys)
   * and insert the good candidates into the pool, which stays sorted by ascending score.
   */
  private populate(db: Db, allKeys: boolean, kind: string, samples: number, sampled: ScoredKey[] | null): void {
    const e = this.engine;
    const pool = this.pool;
    const keys = allKeys ? db.keys : db.vkeys;
    const objs = allKeys ? db.objs : db.vobjs;
    const n = keys.length;
    const count = Math.min(samples, n);
    // dictGetSomeKeys returns keys of neighbouring buckets, which are unrelated keys; our arrays
    // are in insertion order, so neighbours would share their age: pick independent positions.
    for (let s = 0; s < count; s++) {
      const i = count === n ? s : Math.floor(e.random() * n);
      const key = keys[i];
      const o: RObj = objs[i];
      let idle: number;
      if (kind === 'lru') idle = e.objectIdleMs(o);
      else if (kind === 'lfu') idle = 255 - e.lfuDecrAndReturn(o);
      else idle = Number.MAX_SAFE_INTEGER - o.expireAt; // volatile-ttl: sooner expiry, better victim
      sampled?.push({ db: db.id, key, score: idle });
      // The first slot that is empty or holds a better victim than this one.
      let k = 0;
      while (k < EVPOOL_SIZE && pool[k].key !== null && pool[k].idle < idle) k++;
      if (k === 0 && pool[EVPOOL_SIZE - 1].key !== null) continue; // worse than all, and the pool is full
      if (k < EVPOOL_SIZE && pool[k].key === null) {
        // an empty slot: insert there
      } else if (pool[EVPOOL_SIZE - 1].key === null) {
        // room on the right: shift k.. right by one
        const free = pool.pop()!;
        pool.splice(k, 0, free);
      } else {
        // full: drop the worst candidate (left end) and insert at k-1
        k--;
        const free = pool.shift()!;
        pool.splice(k, 0, free);
      }
      const p = pool[k];
      p.key = key;
      p.idle = idle;
      p.dbid = db.id;
    }
  }

  private emitStep(policy: string, used: number, max: number, toFree: number, sampled: ScoredKey[], victim: ScoredKey | null, reason: string, freed: number): void {
    const step: EvictionStep = { policy, used, maxmemory: max, toFree, sampled, pool: this.poolSnapshot(), victim, reason, freed };
    for (const l of this.listeners) l(step);
  }
}

/**
 * evictionTimeLimitUs: how long one cycle may run, from maxmemory-eviction-tenacity: 50us per
 * point up to 10, then 15% more per point, unlimited at 100.
 */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return 500 * Math.pow(1.15, tenacity - 10);
  return Number.MAX_SAFE_INTEGER;
}

/** Delete an evicted key as Redis does: count, notify, signal and propagate (used by Engine). */
export function evictKey(e: Engine, db: Db, key: string, lazy: boolean): void {
  db.delete(key);
  e.stats.evictedKeys++;
  e.signalModifiedKey(db, key, null);
  e.notifyKeyspaceEvent(NOTIFY_EVICTED, 'evicted', key, db.id);
  e.propagate(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
}
