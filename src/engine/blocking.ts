import type { Client } from './client';
import type { Db } from './keyspace';
import { OBJ_STREAM, type RObj } from './object';
import type { Engine } from './server';
import { FINITE, string2ld, type LongDouble } from './util/longdouble';

/**
 * Clients blocked on keys (Redis 7.0's blocked.c): BLPOP & co. and BZPOPMIN & co.
 *
 * A blocking command that finds no data calls blockForKeys(): the client stops running commands
 * (its query buffer waits), and joins the FIFO of every key it names. A key created while someone
 * waits on it (Db.add → Engine.keyAdded) is signalled ready; after the outermost command the engine
 * calls handleClientsBlockedOnKeys(), which serves the waiting clients of each ready key in FIFO
 * order while the key holds data of the type they wait for. Deadlines are checked by the host's
 * timer (Engine.nextTimerDelay) and by the cron.
 */

/** What a blocked client waits for and how to serve it. */
export interface BlockState {
  db: Db;
  keys: string[];
  /** The object type that serves the client (OBJ_LIST, OBJ_ZSET). */
  type: number;
  /** Absolute deadline in ms (wall clock), 0 = forever. */
  deadline: number;
  /** Pop from key (which holds a non-empty value of `type`) and write the client's reply. */
  serve: (c: Client, key: string, o: RObj) => void;
  /** The reply on timeout (and where blocking is denied), when not the null array: WAIT answers a count. */
  timedOut?: (c: Client) => void;
  /**
   * Streams (XREAD, XREADGROUP): called instead of `serve` whenever the key is signalled, whatever
   * it holds now (undefined when deleted); answers and returns true to unblock, or returns false to
   * keep waiting (nothing new past the client's ID).
   */
  tryServe?: (c: Client, key: string, o: RObj | undefined) => boolean;
}

export class Blocking {
  private readonly server: Engine;
  /** Per db: key → clients blocked on it, first blocked first. */
  private readonly waiting = new Map<Db, Map<string, Client[]>>();
  /** Keys signalled ready since the last serving pass, in signal order. */
  private ready: { db: Db; key: string }[] = [];
  private readonly readySet = new Map<Db, Set<string>>();
  /** Every blocked client. */
  readonly blocked = new Set<Client>();
  /** Clients unblocked since the engine last resumed their query buffers. */
  readonly unblocked: Client[] = [];
  private serving = false;

  constructor(server: Engine) {
    this.server = server;
  }

  /** blockForKeys: c waits on keys until one is served, the deadline passes or CLIENT UNBLOCK. */
  block(c: Client, state: BlockState): void {
    // Inside EXEC or a script a blocking command cannot block: it answers as if timed out.
    if (c.denyBlocking) {
      (state.timedOut ?? replyTimedOut)(c);
      return;
    }
    c.blocked = state;
    this.blocked.add(c);
    let m = this.waiting.get(state.db);
    if (m === undefined) {
      m = new Map();
      this.waiting.set(state.db, m);
    }
    const seen = new Set<string>();
    for (const key of state.keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      let q = m.get(key);
      if (q === undefined) {
        q = [];
        m.set(key, q);
      }
      q.push(c);
    }
  }

  /** unblockClient: leave every queue; the client's buffered commands run next. */
  unblock(c: Client, resume = true): void {
    const st = c.blocked;
    if (st === null) return;
    c.blocked = null;
    this.blocked.delete(c);
    const m = this.waiting.get(st.db);
    if (m !== undefined) {
      for (const key of st.keys) {
        const q = m.get(key);
        if (q === undefined) continue;
        const i = q.indexOf(c);
        if (i >= 0) q.splice(i, 1);
        if (q.length === 0) m.delete(key);
      }
    }
    if (resume) {
      this.unblocked.push(c);
      this.server.wake(c);
    }
  }

  /** signalKeyAsReady: key may now serve the clients waiting on it. */
  signalKeyAsReady(db: Db, key: string): void {
    const m = this.waiting.get(db);
    if (m === undefined || !m.has(key)) return;
    let s = this.readySet.get(db);
    if (s === undefined) {
      s = new Set();
      this.readySet.set(db, s);
    }
    if (s.has(key)) return;
    s.add(key);
    this.ready.push({ db, key });
  }

  /**
   * signalDeletedKeyAsReady: a key deleted or overwritten with another value must wake the stream
   * readers blocked on it (XREADGROUP answers that the stream or group is gone).
   */
  signalStreamWaiters(db: Db, key: string): void {
    const o = db.peek(key);
    if (o !== undefined && o.type === OBJ_STREAM) return; // still a stream: XADD signals new data itself
    if (this.hasStreamWaiters(db, key)) this.signalKeyAsReady(db, key);
  }

  private hasStreamWaiters(db: Db, key: string): boolean {
    const q = this.waiting.get(db)?.get(key);
    return q !== undefined && q.some((c) => c.blocked?.tryServe !== undefined);
  }

  /**
   * scanDatabaseForDeletedKeys: before FLUSHDB/FLUSHALL (replacedWith null) or SWAPDB, a waited-on
   * stream that disappears or changes type wakes its blocked XREADGROUP clients.
   */
  scanDatabaseForDeletedKeys(emptied: Db, replacedWith: Db | null): void {
    const m = this.waiting.get(emptied);
    if (m === undefined) return;
    for (const key of m.keys()) {
      const before = emptied.peek(key);
      const after = replacedWith?.peek(key);
      if (before !== undefined && before.type === OBJ_STREAM && (after === undefined || after.type !== OBJ_STREAM) &&
        this.hasStreamWaiters(emptied, key)) {
        this.signalKeyAsReady(emptied, key);
      }
    }
  }

  /** scanDatabaseForReadyKeys: after SWAPDB, every waited-on key that now exists in db may serve. */
  scanDatabaseForReadyKeys(db: Db): void {
    const m = this.waiting.get(db);
    if (m === undefined) return;
    for (const key of m.keys()) if (db.peek(key) !== undefined) this.signalKeyAsReady(db, key);
  }

  hasReady(): boolean {
    return this.ready.length > 0;
  }

  /** handleClientsBlockedOnKeys: serve the clients of every ready key, including keys made ready meanwhile. */
  handleClientsBlockedOnKeys(): void {
    if (this.serving) return;
    this.serving = true;
    const outer = this.server.current;
    try {
      while (this.ready.length > 0) {
        const list = this.ready;
        this.ready = [];
        for (const { db, key } of list) {
          this.readySet.get(db)?.delete(key);
          const q = this.waiting.get(db)?.get(key);
          if (q === undefined) continue;
          for (const rc of [...q]) {
            const st = rc.blocked;
            if (st === null || rc.closed) continue;
            const o = db.lookupWrite(key);
            if (st.tryServe !== undefined) {
              let served = false;
              this.server.current = rc;
              try {
                this.server.propagationUnit(() => replyTo(rc, () => { served = st.tryServe!(rc, key, o); }));
              } finally {
                this.server.current = outer;
              }
              if (served) this.unblock(rc);
              continue;
            }
            if (o === undefined) break;
            if (o.type !== st.type) continue;
            this.server.current = rc;
            try {
              this.server.propagationUnit(() => replyTo(rc, () => st.serve(rc, key, o)));
            } finally {
              this.server.current = outer;
            }
            this.unblock(rc);
          }
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** Unblock clients whose deadline has passed, with their timeout reply. */
  handleTimeouts(now: number): void {
    for (const c of [...this.blocked]) {
      const st = c.blocked;
      if (st !== null && st.deadline > 0 && st.deadline <= now) {
        replyTo(c, () => (st.timedOut ?? replyTimedOut)(c));
        this.unblock(c);
      }
    }
  }

  /** The earliest deadline of a blocked client, or null. */
  nextDeadline(): number | null {
    let min: number | null = null;
    for (const c of this.blocked) {
      const d = c.blocked?.deadline ?? 0;
      if (d > 0 && (min === null || d < min)) min = d;
    }
    return min;
  }

  /** Blocked clients that have a deadline (INFO clients_in_timeout_table). */
  withTimeout(): number {
    let n = 0;
    for (const c of this.blocked) if ((c.blocked?.deadline ?? 0) > 0) n++;
    return n;
  }
}

/** Write a reply to a blocked client; under CLIENT REPLY OFF it is dropped, as addReply does. */
export function replyTo(c: Client, write: () => void): void {
  const start = c.reply.len;
  write();
  if (c.replyOff) c.reply.len = start;
}

/** replyToBlockedClientTimedOut: lists and zsets answer a null array (BLMOVE too, as Redis 7.0 does). */
export function replyTimedOut(c: Client): void {
  c.reply.nullArray();
}

/**
 * getTimeoutFromObjectOrReply(UNIT_SECONDS): a non-negative double of seconds → an absolute deadline
 * in ms, 0 for forever; null after replying with the error.
 */
export function parseTimeout(c: Client, arg: string): number | null {
  const v = string2ld(arg);
  if (v === null) {
    c.reply.err('timeout is not a float or out of range');
    return null;
  }
  const t = secondsToMs(v);
  if (t < 0) {
    c.reply.err('timeout is negative');
    return null;
  }
  return t > 0 ? t + c.server.commandTime() : 0;
}

/**
 * Redis 7.0.15's (long long)(ftval * 1000.0) in long double: the product rounds to a 64-bit
 * mantissa, then truncates toward zero ("-0.001" is a hair above -1 ms: 0, forever). A value
 * outside long long's range (inf, 1e400) becomes LLONG_MIN on x86, hence "negative" (-1 here).
 */
export function secondsToMs(v: LongDouble): number {
  if (v.kind !== FINITE) return -1;
  let m = v.m * 1000n;
  let e = v.e;
  const bits = m.toString(2).length;
  if (bits > 64) {
    const shift = BigInt(bits - 64);
    const half = 1n << (shift - 1n);
    const rem = m & ((1n << shift) - 1n);
    m >>= shift;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    e += bits - 64;
  }
  const mag = e >= 0 ? m << BigInt(e) : m >> BigInt(-e);
  if (mag >= 1n << 63n) return -1;
  if (mag === 0n) return 0;
  return v.neg ? -1 : Number(mag);
}
