import type { Client } from './client';
import type { Command } from './commands/table';
import type { Engine } from './server';
import { keyPositions } from './commands/server';
import { binaryToBytes } from './util/bytes';

/**
 * Client side caching (Redis 7.0's tracking.c): CLIENT TRACKING and its invalidation messages.
 *
 * Default mode: after a read-only command of a tracking client, its keys are remembered in the
 * tracking table (key → ids of the clients that may cache it). When such a key is modified, each
 * of those clients gets an "invalidate" message with the key and the entry is dropped; a client
 * reads the key again to be tracked again. Keys are global, not per database, as in Redis.
 *
 * BCAST mode: nothing is remembered; the client subscribes to key prefixes ("" = every key). The
 * keys modified under each prefix are collected during an event-loop turn and sent at its end
 * (beforeSleep), one message per prefix, keys in byte order.
 *
 * Messages are RESP3 pushes [invalidate, [keys]] to the client itself, or go to its REDIRECT client:
 * as a push when that one speaks RESP3, else as a message on __redis__:invalidate when it is in
 * Pub/Sub mode. FLUSHDB/FLUSHALL send a null instead of keys to every tracking client.
 */

/** A client's tracking state (Redis's CLIENT_TRACKING_* flags and client_tracking_* fields). */
export interface ClientTracking {
  /** CLIENT_TRACKING */
  on: boolean;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING yes|no was given for the next command (or transaction). */
  caching: boolean;
  /** The redirect client went away (CLIENT LIST flag R). */
  brokenRedir: boolean;
  /** Client id the messages go to; 0 = this client. Kept when tracking is turned off, as in Redis. */
  redirect: number;
  /** BCAST prefixes this client is registered for. */
  prefixes: Set<string>;
}

/** The options of CLIENT TRACKING ON that enableTracking takes as flags. */
export interface TrackingOptions {
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
}

/** One tracked key: the ids of the clients that may cache it, and its place in `keys` (random picks). */
interface TableEntry {
  ids: Set<number>;
  slot: number;
}

/** bcastState: keys modified under a prefix this turn (→ the client that modified each last), and its clients. */
interface BcastState {
  keys: Map<string, Client | null>;
  clients: Set<Client>;
}

/** The channel RESP2 redirect clients in Pub/Sub mode get their messages on. */
const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** The commands whose keys are not remembered for themselves (only the script's reads count). */
const READONLY_SCRIPT_COMMANDS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

export class Tracking {
  private readonly server: Engine;
  /** The table exists once a client ever enabled tracking (Redis creates it then). */
  private active = false;
  /** Key → entry (Redis's TrackingTable). */
  private readonly table = new Map<string, TableEntry>();
  /** The table's keys as an array, for random picks when it is over tracking-table-max-keys. */
  private keys: string[] = [];
  /** Ids stored across the whole table (TrackingTableTotalItems). */
  private totalItems = 0;
  /** Prefix → its broadcast state (Redis's PrefixTable). */
  private readonly prefixTable = new Map<string, BcastState>();
  /** Whether some prefix collected keys this turn. */
  private bcastPending = false;
  /** Clients with tracking on (server.tracking_clients). */
  clients = 0;
  /** Invalidations for the client whose command runs, sent after its reply (tracking_pending_keys); null = flush. */
  private pending: { client: Client; key: string | null }[] = [];
  /** trackingLimitUsedSlots' effort grows with each call that could not get under the limit. */
  private limitTimeoutCounter = 0;

  constructor(server: Engine) {
    this.server = server;
  }

  // ---- INFO ----

  totalKeys(): number {
    return this.table.size;
  }
  totalItemsCount(): number {
    return this.totalItems;
  }
  totalPrefixes(): number {
    return this.prefixTable.size;
  }

  // ---- turning it on and off ----

  /**
   * checkPrefixCollisionsOrReply: a new prefix may not be a prefix of (or start with) one the client
   * has, nor of another new one. Returns 'ok', or the error text and whether Redis 7.0 still goes on
   * to enable tracking after it (its check returns the index of the offending prefix, which is
   * "success" unless that index is 0: the client then reads the error and an OK).
   */
  checkPrefixCollisions(c: Client, prefixes: readonly string[]): { error: string; proceed: boolean } | null {
    const existing = [...c.tracking.prefixes].sort();
    for (let i = 0; i < prefixes.length; i++) {
      for (const p of existing) {
        if (prefixOverlap(p, prefixes[i])) {
          return {
            error: `Prefix '${cText(prefixes[i])}' overlaps with an existing prefix '${cText(p)}'. Prefixes for a single client must not overlap.`,
            proceed: false,
          };
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (prefixOverlap(prefixes[i], prefixes[j])) {
          return {
            error: `Prefix '${cText(prefixes[i])}' overlaps with another provided prefix '${cText(prefixes[j])}'. Prefixes for a single client must not overlap.`,
            proceed: i !== 0,
          };
        }
      }
    }
    return null;
  }

  /** enableTracking: turn tracking on (again) with these options; redirect 0 = none. */
  enable(c: Client, redirect: number, options: TrackingOptions, prefixes: readonly string[]): void {
    const t = c.tracking;
    if (!t.on) this.clients++;
    t.on = true;
    t.brokenRedir = t.bcast = t.optin = t.optout = t.noloop = false;
    t.redirect = redirect;
    this.active = true;
    if (options.bcast) {
      t.bcast = true;
      if (prefixes.length === 0) this.enableBcastPrefix(c, '');
      for (const p of prefixes) this.enableBcastPrefix(c, p);
    }
    t.optin = options.optin;
    t.optout = options.optout;
    t.noloop = options.noloop;
  }

  private enableBcastPrefix(c: Client, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (bs === undefined) {
      bs = { keys: new Map(), clients: new Set() };
      this.prefixTable.set(prefix, bs);
    }
    if (!bs.clients.has(c)) {
      bs.clients.add(c);
      c.tracking.prefixes.add(prefix);
    }
  }

  /**
   * disableTracking (CLIENT TRACKING OFF, RESET, a closed connection). The client's entries in the
   * table stay: they are skipped, and dropped with their key, as Redis does to keep this cheap.
   */
  disable(c: Client): void {
    const t = c.tracking;
    if (t.bcast) {
      for (const prefix of t.prefixes) {
        const bs = this.prefixTable.get(prefix)!;
        bs.clients.delete(c);
        if (bs.clients.size === 0) this.prefixTable.delete(prefix);
      }
      t.prefixes.clear();
    }
    if (t.on) {
      this.clients--;
      t.on = t.brokenRedir = t.bcast = t.optin = t.optout = t.caching = t.noloop = false;
    }
  }

  // ---- remembering keys ----

  /**
   * After a read-only command ran (call()): remember its keys for the tracking client. A command
   * run by a script counts for the script's caller, with the keys of the caller's own command
   * (EVAL's KEYS), as Redis 7.0 does; EVAL_RO, EVALSHA_RO and FCALL_RO count only through them.
   */
  afterReadOnlyCommand(c: Client, cmd: Command, argv: string[]): void {
    if (READONLY_SCRIPT_COMMANDS.has(cmd.fullname)) return;
    if (c.id === 0) {
      // The script client: the caller is running EVAL/FCALL (its cmd and argv).
      const caller = this.currentClient();
      if (caller === null || caller.cmd === null) return;
      c = caller;
      cmd = caller.cmd;
      argv = caller.argv;
    }
    if (!c.tracking.on || c.tracking.bcast) return;
    this.rememberKeys(c, cmd, argv);
  }

  /** trackingRememberKeys: the keys of a command c ran, unless OPTIN/OPTOUT says otherwise. */
  private rememberKeys(c: Client, cmd: Command, argv: string[]): void {
    const t = c.tracking;
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    const positions = keyPositions(cmd, argv);
    if (positions === null) return;
    for (const pos of positions) {
      const key = argv[pos];
      if (key === undefined) continue;
      let entry = this.table.get(key);
      if (entry === undefined) {
        entry = { ids: new Set(), slot: this.keys.length };
        this.table.set(key, entry);
        this.keys.push(key);
      }
      if (!entry.ids.has(c.id)) {
        entry.ids.add(c.id);
        this.totalItems++;
      }
    }
  }

  /** CACHING yes|no lasts for one command, or one transaction; CLIENT subcommands keep it (resetClient). */
  afterCommand(c: Client): void {
    // A command held back by CLIENT PAUSE has not run yet.
    if (c.tracking.caching && c.postponedArgv === null && c.multi === null && c.lastCmd?.parent?.spec.name !== 'client') c.tracking.caching = false;
  }

  // ---- invalidation ----

  /**
   * trackingInvalidateKey: key was modified by `by` (null: expiry, eviction). Clients tracking it
   * are told, and it leaves the table; with bcast, BCAST prefixes matching it collect it too.
   */
  invalidateKey(by: Client | null, key: string, bcast = true): void {
    if (!this.active) return;
    if (bcast && this.prefixTable.size > 0) this.rememberKeyToBroadcast(by, key);
    const entry = this.table.get(key);
    if (entry === undefined) return;
    const current = this.currentClient();
    const executing = this.server.current !== null;
    for (const id of entry.ids) {
      const target = this.server.clients.get(id);
      // A client that switched to BCAST does not get what it tracked before.
      if (target === undefined || !target.tracking.on || target.tracking.bcast) continue;
      // NOLOOP: not about keys the client changed itself.
      if (target.tracking.noloop && target === current) continue;
      // The running client reads its reply first: its messages wait for the command to end.
      if (target === current && executing) this.pending.push({ client: target, key });
      else this.sendMessage(target, singleKey(key));
    }
    this.totalItems -= entry.ids.size;
    this.removeEntry(key, entry);
  }

  private removeEntry(key: string, entry: TableEntry): void {
    this.table.delete(key);
    const last = this.keys.length - 1;
    if (entry.slot !== last) {
      const moved = this.keys[last];
      this.keys[entry.slot] = moved;
      this.table.get(moved)!.slot = entry.slot;
    }
    this.keys.pop();
  }

  /** trackingRememberKeyToBroadcast: every prefix key starts with collects it, with who modified it. */
  private rememberKeyToBroadcast(by: Client | null, key: string): void {
    for (const [prefix, bs] of this.prefixTable) {
      if (prefix.length > key.length) continue;
      if (prefix.length !== 0 && !key.startsWith(prefix)) continue;
      bs.keys.set(key, by);
      this.bcastPending = true;
    }
  }

  /**
   * trackingInvalidateKeysOnFlush (FLUSHDB, FLUSHALL, a dataset replaced by loading): every
   * tracking client gets a null ("everything"), and the table is emptied.
   */
  invalidateKeysOnFlush(): void {
    if (this.clients > 0) {
      const current = this.currentClient();
      for (const c of this.server.clients.values()) {
        if (!c.tracking.on) continue;
        if (c === current) this.pending.push({ client: c, key: null });
        else this.sendMessage(c, nullOf(c));
      }
    }
    if (this.active) {
      this.table.clear();
      this.keys = [];
      this.totalItems = 0;
    }
  }

  /** trackingHandlePendingKeyInvalidations: the running client's own messages, after its reply. */
  handlePending(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    for (const { client, key } of pending) {
      if (client.closed) continue;
      this.sendMessage(client, key === null ? nullOf(client) : singleKey(key));
    }
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * trackingLimitUsedSlots (before each command, and in the cron): over tracking-table-max-keys,
   * forget random keys, invalidating them as if modified, with more effort each time the table
   * stays over.
   */
  limitUsedSlots(): void {
    if (!this.active) return;
    const max = this.server.config.num('tracking-table-max-keys');
    if (max === 0) return;
    if (this.table.size <= max) {
      this.limitTimeoutCounter = 0;
      return;
    }
    let effort = 100 * (this.limitTimeoutCounter + 1);
    while (effort > 0) {
      effort--;
      if (this.keys.length === 0) break;
      const key = this.keys[Math.floor(this.server.random() * this.keys.length)];
      this.invalidateKey(null, key, false);
      if (this.table.size <= max) {
        this.limitTimeoutCounter = 0;
        return;
      }
    }
    this.limitTimeoutCounter++;
  }

  /**
   * trackingBroadcastInvalidationMessages (beforeSleep): for each prefix in byte order, the keys
   * it collected this turn, in byte order, to each of its clients; a NOLOOP client without the
   * keys it modified itself (and nothing when that leaves none).
   */
  broadcastInvalidationMessages(): void {
    if (!this.bcastPending) return;
    this.bcastPending = false;
    if (this.clients === 0) {
      for (const bs of this.prefixTable.values()) bs.keys.clear();
      return;
    }
    const prefixes = [...this.prefixTable.keys()].sort();
    for (const prefix of prefixes) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size === 0) continue;
      const keys = [...bs.keys.keys()].sort();
      const all = keyArray(keys);
      for (const c of bs.clients) {
        if (c.tracking.noloop) {
          const own = keys.filter((k) => bs.keys.get(k) !== c);
          if (own.length > 0) this.sendMessage(c, keyArray(own));
        } else {
          this.sendMessage(c, all);
        }
      }
      bs.keys.clear();
    }
  }

  /**
   * sendTrackingMessage: payload is the RESP of the message's value (an array of keys, or a null).
   * It goes to the redirect client when there is one; when that one is gone the client is flagged
   * (and told so in RESP3). A RESP2 client without redirection gets nothing: RESP2 has no pushes.
   */
  private sendMessage(c: Client, payload: string): void {
    let target = c;
    const redirect = c.tracking.redirect;
    if (redirect !== 0) {
      const r = this.server.clients.get(redirect);
      if (r === undefined) {
        c.tracking.brokenRedir = true;
        if (c.reply.resp === 3) this.push(c, '>2\r\n$21\r\ntracking-redir-broken\r\n:' + redirect + '\r\n');
        return;
      }
      target = r;
    }
    if (target.reply.resp === 3) {
      this.push(target, '>2\r\n$10\r\ninvalidate\r\n' + payload);
    } else if (redirect !== 0 && target.inPubSub()) {
      this.push(target, '*3\r\n$7\r\nmessage\r\n$' + INVALIDATE_CHANNEL.length + '\r\n' + INVALIDATE_CHANNEL + '\r\n' + payload);
    }
  }

  private push(c: Client, frame: string): void {
    if (c.closed) return;
    this.server.pubsub.push(c, binaryToBytes(frame));
  }

  /** Redis's server.current_client: the client whose command is being processed (a script's caller). */
  private currentClient(): Client | null {
    return this.server.currentClient ?? this.server.busy?.client ?? null;
  }
}

/** stringCheckPrefix: whether one is a prefix of the other (the shorter one's bytes match). */
function prefixOverlap(a: string, b: string): boolean {
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

/** Text inside an error built with "%s": cut at the first NUL; CR and LF become spaces. */
function cText(s: string): string {
  const nul = s.indexOf('\0');
  return (nul < 0 ? s : s.slice(0, nul)).replace(/[\r\n]/g, ' ');
}

function singleKey(key: string): string {
  return '*1\r\n$' + key.length + '\r\n' + key + '\r\n';
}

function keyArray(keys: readonly string[]): string {
  let s = '*' + keys.length + '\r\n';
  for (const k of keys) s += '$' + k.length + '\r\n' + k + '\r\n';
  return s;
}

/** shared.null of the tracking client's protocol (also when its messages go to a redirect client). */
function nullOf(c: Client): string {
  return c.reply.resp === 3 ? '_\r\n' : '$-1\r\n';
}

