/**
 * The keyspace explorer's state and everything it asks the server. It learns about the data only
 * through real commands on a connection of its own (named "explorer" with CLIENT SETNAME) and the
 * worker's keyspace-event feed; never from the engine's internals. React reads it through
 * subscribe/version (see Explorer.tsx).
 */
import type { RedisConnection, Reply } from '../../host/worker/client';
import type { KeyspaceEventsMessage } from '../../host/worker/protocol';
import { formatTTY } from '../../cli/format';
import { compileGlob } from '../../engine/util/glob';
import { MASTER_PORT } from '../../host/worker/nodes';
import type { EngineWorker } from '../../host/worker/client';
import { getNodes } from '../engine';
import { commandLine, goneReason, isHyperLogLog, looksLikeGeo, typeFromEvent } from './format';
import { buildTree, findKey, insertKey, mergeKeys, removeKey, treeRows, type Row } from './tree';

/** Keys asked for per SCAN call, and how many new keys one "load more" looks for. */
const SCAN_COUNT = 1000;
const LOAD_STEP = 500;
/** Value pages: bytes of a string, elements of a list / sorted set / stream, COUNT for HSCAN and SSCAN. */
export const STRING_PAGE = 4096;
export const RANGE_PAGE = 100;
/** How long a vanished key stays on screen, fading, with the reason. */
const FADE_MS = 1800;

export interface LogEntry {
  line: string;
  reply: string;
  error: boolean;
}

export interface StreamEntry {
  id: string;
  fields: [string, string][];
}

export interface StreamGroup {
  name: string;
  consumers: number;
  pending: number;
  lastDelivered: string;
  /** XPENDING's extended form: id, consumer, idle ms, deliveries. */
  pendingEntries: { id: string; consumer: string; idle: number; deliveries: number }[];
}

export type ValueView =
  | { kind: 'string'; value: string; total: number; hll: number | null }
  | { kind: 'list'; items: string[]; total: number }
  | { kind: 'hash'; entries: [string, string][]; cursor: string }
  | { kind: 'set'; members: string[]; cursor: string }
  | { kind: 'zset'; entries: [string, string][]; total: number; geo: ([string, string] | null)[] | null }
  | { kind: 'stream'; entries: StreamEntry[]; total: number; groups: StreamGroup[] }
  | { kind: 'unsupported'; message: string };

export interface Details {
  key: string;
  type: string;
  encoding: string | null;
  /** When the key expires (Date.now() time), or null without a TTL. */
  expiresAt: number | null;
  size: number | null;
  /** MEMORY USAGE in bytes; null when the server has no MEMORY command. */
  memory: number | null;
  /** Set when the key vanished while shown (why). */
  gone: string | null;
  value: ValueView;
}

export interface KeyInfo {
  type?: string;
  /** Why the key vanished; it fades out and leaves the list. */
  gone?: string;
}

const text = (r: Reply): string => {
  if (r.type === 'bulk' || r.type === 'verbatim') {
    let s = '';
    const v = r.value;
    for (let i = 0; i < v.length; i += 0x2000) s += String.fromCharCode.apply(null, v.subarray(i, i + 0x2000) as unknown as number[]);
    return s;
  }
  if (r.type === 'simple' || r.type === 'error' || r.type === 'double' || r.type === 'bignum') return r.value;
  if (r.type === 'integer') return String(r.value);
  return '';
};
const num = (r: Reply): number => (r.type === 'integer' ? Number(r.value) : r.type === 'double' ? Number(r.value) : NaN);
const items = (r: Reply): Reply[] => (r.type === 'array' || r.type === 'set' || r.type === 'push' ? r.value : []);
const bytes = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};
/** A reply as redis-cli prints it, on one line. */
export const replyLine = (r: Reply): string => formatTTY(r).trimEnd().split('\n').join(' ');
/** A flat RESP2 map ([k1, v1, k2, v2]) or a RESP3 map as pairs of text. */
const pairs = (r: Reply): Map<string, Reply> => {
  const m = new Map<string, Reply>();
  if (r.type === 'map') for (const [k, v] of r.value) m.set(text(k), v);
  else {
    const a = items(r);
    for (let i = 0; i + 1 < a.length; i += 2) m.set(text(a[i]), a[i + 1]);
  }
  return m;
};

/** The explorer's connection: opened on first use, again after it was closed, named "explorer". */
class ExplorerConnection {
  private conn: RedisConnection | null = null;
  private opened = 0;
  db = 0;

  send(args: readonly string[]): Promise<Reply> {
    if (this.conn === null || this.conn.closed) {
      // Its own peer address and name, so CLIENT LIST and MONITOR say whose commands these are.
      try {
        this.conn = getNodes().connect(MASTER_PORT, `explorer:${++this.opened}`);
      } catch (e) {
        // The master is killed: an error reply, as for a lost connection; the explorer shows it down.
        return Promise.resolve({ type: 'error', value: e instanceof Error ? e.message : String(e) });
      }
      void this.conn.send('CLIENT', 'SETNAME', 'explorer');
      if (this.db !== 0) void this.conn.send('SELECT', String(this.db));
    }
    // A connection closed under a command (CLIENT KILL, SHUTDOWN) answers it with an error reply;
    // the next command opens a new one.
    return this.conn.send(...args.map(bytes)).catch((e: unknown): Reply => ({ type: 'error', value: e instanceof Error ? e.message : String(e) }));
  }

  close(): void {
    this.conn?.close();
    this.conn = null;
  }
}

export class ExplorerModel {
  /** Bumped on every change; React re-renders on it. */
  version = 0;
  private readonly listeners = new Set<() => void>();
  private readonly conn = new ExplorerConnection();
  private stopFeed: (() => void) | null = null;
  private unwatch: (() => void) | null = null;
  /** The master's worker the feed comes from (null while it is killed, undefined before start()). */
  private feedWorker: EngineWorker | null | undefined = undefined;
  /** The master is killed (Nodes panel): the keys shown are as they were. */
  down = false;

  // ---- the key list ----
  databases = 16;
  pattern = '*';
  typeFilter = '';
  delimiter = ':';
  mode: 'tree' | 'list' = 'tree';
  /** Loaded keys (binary strings), sorted. */
  keys: string[] = [];
  readonly info = new Map<string, KeyInfo>();
  readonly open = new Set<string>();
  /** SCAN's cursor; `complete` once it came back to 0 (every matching key is loaded). */
  private cursor = '0';
  complete = false;
  /** The generation the running SCAN loop belongs to (a rescan starts a new one). */
  private scanning = -1;
  private generation = 0;
  /** DBSIZE when the scan started. */
  dbsize: number | null = null;
  private rowsCache: { version: number; rows: Row[] } | null = null;
  private rowsVersion = 0;
  private typesAsked = new Set<string>();

  // ---- the selected key ----
  selected: string | null = null;
  details: Details | null = null;
  detailsError: string | null = null;
  private refreshing = false;
  private refreshAgain = false;
  /** Whether MEMORY USAGE exists (null: not asked yet). */
  private memoryCommand: boolean | null = null;

  log: LogEntry[] = [];

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getVersion = (): number => this.version;

  private changed(rows = false): void {
    if (rows) this.rowsVersion++;
    this.version++;
    for (const l of this.listeners) l();
  }

  /** Start: the event feed, the number of databases, the first page of keys; again after the master restarts. */
  start(): void {
    this.unwatch = getNodes().subscribe(() => this.follow());
    this.follow();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.stopFeed?.();
    this.stopFeed = null;
    this.feedWorker = undefined;
    this.conn.close();
    this.generation++;
  }

  /**
   * Follow the master's worker: while it is killed the explorer says it is down; a restarted one
   * (a new worker, its data reloaded) gets the feed again and a fresh scan.
   */
  private follow(): void {
    const engine = getNodes().engine(MASTER_PORT);
    if (engine === this.feedWorker) {
      this.followSync();
      return;
    }
    this.stopFeed?.();
    this.stopFeed = null;
    this.feedWorker = engine;
    this.down = engine === null;
    this.changed();
    if (engine === null) {
      this.conn.close();
      this.generation++; // a scan running now stops
      return;
    }
    this.stopFeed = engine.onKeyspaceEvents((m) => this.onEvents(m));
    void (async () => {
      try {
        await engine.ready;
      } catch {
        return; // killed while starting
      }
      if (this.feedWorker !== engine) return;
      const dbs = await this.conn.send(['CONFIG', 'GET', 'databases']);
      const n = Number(text(items(dbs)[1] ?? { type: 'null' }));
      if (n > 0) this.databases = n;
      await this.rescan();
      if (this.selected !== null) this.refreshDetails();
    })();
  }

  /**
   * A full resync replaces the whole dataset without keyspace events (as in Redis): when the master
   * 6379 (made a replica with REPLICAOF) gets its link up, look again.
   */
  private followSync(): void {
    const state = getNodes().snapshot().find((n) => n.port === MASTER_PORT)?.state ?? null;
    const link = state?.role === 'slave' ? `${state.masterPort}:${state.link}` : '';
    if (link === this.syncLink) return;
    this.syncLink = link;
    if (state?.role === 'slave' && state.link === 'connected') {
      void this.rescan();
      if (this.selected !== null) this.refreshDetails();
    }
  }
  private syncLink = '';

  /** The rows on screen: the tree with its open folders, or every loaded key. */
  rows(): Row[] {
    if (this.rowsCache?.version === this.rowsVersion) return this.rowsCache.rows;
    const rows =
      this.mode === 'tree'
        ? treeRows(buildTree(this.keys, this.delimiter), this.open)
        : this.keys.map((key): Row => ({ kind: 'key', key, name: key, depth: 0 }));
    this.rowsCache = { version: this.rowsVersion, rows };
    return rows;
  }

  // ---- loading keys ----

  /** Forget the loaded keys and scan again from cursor 0. */
  async rescan(): Promise<void> {
    const gen = ++this.generation;
    this.keys = [];
    this.info.clear();
    this.typesAsked.clear();
    this.cursor = '0';
    this.complete = false;
    this.changed(true);
    const size = await this.conn.send(['DBSIZE']);
    if (gen !== this.generation) return;
    this.dbsize = size.type === 'integer' ? Number(size.value) : null;
    this.changed();
    await this.loadMore();
  }

  /** SCAN on until LOAD_STEP more keys arrived (or the scan is complete). */
  async loadMore(): Promise<void> {
    const gen = this.generation;
    if (this.scanning === gen || this.complete) return;
    this.scanning = gen;
    try {
      let found = 0;
      while (found < LOAD_STEP && !this.complete) {
        const args = ['SCAN', this.cursor, 'MATCH', this.pattern, 'COUNT', String(SCAN_COUNT)];
        if (this.typeFilter !== '') args.push('TYPE', this.typeFilter);
        const r = await this.conn.send(args);
        if (gen !== this.generation) return;
        // Only a lost connection makes SCAN fail here: stop; scrolling tries again on a new one.
        if (r.type === 'error') break;
        const [cursor, batch] = items(r);
        this.cursor = text(cursor);
        const keys = items(batch).map(text);
        this.keys = mergeKeys(this.keys, keys);
        if (this.typeFilter !== '') for (const k of keys) this.info.set(k, { type: this.typeFilter });
        found += keys.length;
        if (this.cursor === '0') this.complete = true;
        this.changed(true);
      }
    } finally {
      if (this.scanning === gen) this.scanning = -1;
    }
  }

  get loading(): boolean {
    return this.scanning === this.generation;
  }

  /** Ask TYPE for keys on screen whose type is not known yet (one pipeline). */
  ensureTypes(keys: readonly string[]): void {
    const ask = keys.filter((k) => !this.typesAsked.has(k) && this.info.get(k)?.type === undefined);
    if (ask.length === 0) return;
    for (const k of ask) this.typesAsked.add(k);
    const gen = this.generation;
    void Promise.all(ask.map((k) => this.conn.send(['TYPE', k]))).then((replies) => {
      if (gen !== this.generation) return;
      replies.forEach((r, i) => {
        const k = ask[i];
        const t = text(r);
        if (t === 'none') return; // gone meanwhile: its event says why
        if (this.typeFilter !== '' && t !== this.typeFilter) {
          if (removeKey(this.keys, k)) this.info.delete(k);
          return;
        }
        const info = this.info.get(k);
        if (info) info.type = t;
        else this.info.set(k, { type: t });
      });
      this.changed(true);
    });
  }

  setFilter(pattern: string, typeFilter: string): void {
    this.pattern = pattern === '' ? '*' : pattern;
    this.typeFilter = typeFilter;
    void this.rescan();
  }

  setDelimiter(d: string): void {
    this.delimiter = d;
    this.open.clear();
    this.changed(true);
  }

  setMode(mode: 'tree' | 'list'): void {
    this.mode = mode;
    this.changed(true);
  }

  toggleFolder(path: string): void {
    if (this.open.has(path)) this.open.delete(path);
    else this.open.add(path);
    this.changed(true);
  }

  async selectDb(db: number): Promise<void> {
    this.conn.db = db;
    this.selected = null;
    this.details = null;
    await this.conn.send(['SELECT', String(db)]);
    await this.rescan();
  }

  get db(): number {
    return this.conn.db;
  }

  // ---- live: the keyspace-event feed ----

  private onEvents(m: KeyspaceEventsMessage): void {
    if (m.reset) {
      void this.rescan();
      if (this.selected !== null) this.refreshDetails();
      return;
    }
    const matches = compileGlob(this.pattern);
    let renamedType: string | undefined;
    let touchedSelected = false;
    let rows = false;
    for (const e of m.events) {
      if (e.db !== this.db) continue;
      if (e.key === this.selected) touchedSelected = true;
      const gone = goneReason(e.event);
      // DBSIZE follows the events: "new" for every key created, one event for every key removed.
      if (this.dbsize !== null && e.event === 'new') this.dbsize++;
      if (this.dbsize !== null && gone !== null) this.dbsize = Math.max(0, this.dbsize - 1);
      if (gone !== null) {
        if (e.event === 'rename_from') renamedType = this.info.get(e.key)?.type;
        if (findKey(this.keys, e.key).found) {
          this.fade(e.key, gone);
          rows = true;
        }
        if (e.key === this.selected && this.details) this.details = { ...this.details, gone };
        continue;
      }
      if (!matches(e.key)) continue;
      const before = this.info.get(e.key);
      let type: string | undefined = typeFromEvent(e.event) ?? undefined;
      if (type === undefined) {
        if (e.event === 'rename_to') type = renamedType;
        else if (e.event !== 'copy_to' && e.event !== 'restore' && e.event !== 'move_to') type = before?.gone ? undefined : before?.type;
      }
      if (this.typeFilter !== '' && type !== undefined && type !== this.typeFilter) {
        if (removeKey(this.keys, e.key)) {
          this.info.delete(e.key);
          rows = true;
        }
        continue;
      }
      insertKey(this.keys, e.key);
      this.info.set(e.key, type === undefined ? {} : { type });
      if (type === undefined) this.typesAsked.delete(e.key);
      rows = true;
    }
    if (rows) this.changed(true);
    if (touchedSelected) this.refreshDetails();
  }

  /** Show a vanished key fading out with the reason, then drop it. */
  private fade(key: string, reason: string): void {
    const info = this.info.get(key) ?? {};
    info.gone = reason;
    this.info.set(key, info);
    const gen = this.generation;
    setTimeout(() => {
      if (gen !== this.generation || this.info.get(key)?.gone !== reason) return;
      if (removeKey(this.keys, key)) {
        this.info.delete(key);
        this.changed(true);
      }
    }, FADE_MS);
  }

  // ---- the selected key ----

  select(key: string | null): void {
    this.selected = key;
    this.details = null;
    this.detailsError = null;
    this.changed(true);
    if (key !== null) this.refreshDetails();
  }

  /** Read the selected key again (one at a time; a request meanwhile runs once more after). */
  refreshDetails(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    const key = this.selected;
    if (key === null) return;
    this.refreshing = true;
    void this.readDetails(key)
      .then(
        (d) => {
          if (this.selected !== key) return;
          // A key that vanished keeps its last value on screen, marked with why.
          if (d === null) {
            if (this.details && this.details.gone === null) this.details = { ...this.details, gone: 'gone' };
            else if (!this.details) this.detailsError = 'no such key';
          } else {
            this.details = d;
            this.detailsError = null;
          }
          this.changed();
        },
        (e: unknown) => {
          this.detailsError = e instanceof Error ? e.message : String(e);
          this.changed();
        },
      )
      .finally(() => {
        this.refreshing = false;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          this.refreshDetails();
        }
      });
  }

  private async readDetails(key: string): Promise<Details | null> {
    const send = (...args: string[]): Promise<Reply> => this.conn.send(args);
    const [typeR, encR, pttlR] = await Promise.all([send('TYPE', key), send('OBJECT', 'ENCODING', key), send('PTTL', key)]);
    const type = text(typeR);
    if (type === 'none') return null;
    let memory: number | null = null;
    if (this.memoryCommand !== false) {
      const r = await send('MEMORY', 'USAGE', key);
      // Feature-detect: a server without MEMORY answers an error; then stop asking.
      this.memoryCommand = r.type !== 'error';
      if (r.type === 'integer') memory = Number(r.value);
    }
    const pttl = num(pttlR);
    const info = this.info.get(key);
    if (info && info.type !== type && !info.gone) {
      info.type = type;
      this.rowsVersion++;
    }
    const sizeCommand: Record<string, string> = { string: 'STRLEN', list: 'LLEN', hash: 'HLEN', set: 'SCARD', zset: 'ZCARD', stream: 'XLEN' };
    const sizeR = sizeCommand[type] ? await send(sizeCommand[type], key) : null;
    const size = sizeR && sizeR.type === 'integer' ? Number(sizeR.value) : null;
    return {
      key,
      type,
      encoding: encR.type === 'bulk' ? text(encR) : null,
      expiresAt: pttl >= 0 ? Date.now() + pttl : null,
      size,
      memory,
      gone: null,
      value: await this.readValue(key, type, size ?? 0),
    };
  }

  private async readValue(key: string, type: string, size: number): Promise<ValueView> {
    const send = (...args: string[]): Promise<Reply> => this.conn.send(args);
    const failed = (r: Reply): ValueView => ({ kind: 'unsupported', message: text(r) });
    switch (type) {
      case 'string': {
        const r = await send('GETRANGE', key, '0', String(STRING_PAGE - 1));
        if (r.type === 'error') return failed(r);
        const value = text(r);
        let hll: number | null = null;
        if (isHyperLogLog(value)) {
          const c = await send('PFCOUNT', key);
          if (c.type === 'integer') hll = Number(c.value);
        }
        return { kind: 'string', value, total: size, hll };
      }
      case 'list': {
        const r = await send('LRANGE', key, '0', String(RANGE_PAGE - 1));
        return r.type === 'error' ? failed(r) : { kind: 'list', items: items(r).map(text), total: size };
      }
      case 'hash': {
        const r = await send('HSCAN', key, '0', 'COUNT', String(RANGE_PAGE));
        if (r.type === 'error') return failed(r);
        return { kind: 'hash', entries: flatPairs(items(items(r)[1])), cursor: text(items(r)[0]) };
      }
      case 'set': {
        const r = await send('SSCAN', key, '0', 'COUNT', String(RANGE_PAGE));
        if (r.type === 'error') return failed(r);
        return { kind: 'set', members: items(items(r)[1]).map(text).sort(), cursor: text(items(r)[0]) };
      }
      case 'zset': {
        const r = await send('ZRANGE', key, '0', String(RANGE_PAGE - 1), 'WITHSCORES');
        if (r.type === 'error') return failed(r);
        const entries = flatPairs(items(r));
        return { kind: 'zset', entries, total: size, geo: await this.geoOf(key, entries) };
      }
      case 'stream': {
        const r = await send('XRANGE', key, '-', '+', 'COUNT', String(RANGE_PAGE));
        if (r.type === 'error') return failed(r);
        return { kind: 'stream', entries: streamEntries(r), total: size, groups: await this.streamGroups(key) };
      }
      default:
        return { kind: 'unsupported', message: `no viewer for type ${type}` };
    }
  }

  /** Coordinates for a sorted set that looks like a geo set (GEOPOS), or null. */
  private async geoOf(key: string, entries: [string, string][]): Promise<([string, string] | null)[] | null> {
    if (!looksLikeGeo(entries.map(([, s]) => Number(s)))) return null;
    const r = await this.conn.send(['GEOPOS', key, ...entries.map(([m]) => m)]);
    if (r.type === 'error') return null; // no GEOPOS on this server (yet)
    return items(r).map((p) => (p.type === 'array' && p.value.length === 2 ? [text(p.value[0]), text(p.value[1])] : null));
  }

  private async streamGroups(key: string): Promise<StreamGroup[]> {
    const r = await this.conn.send(['XINFO', 'GROUPS', key]);
    if (r.type === 'error') return [];
    const groups: StreamGroup[] = [];
    for (const g of items(r)) {
      const m = pairs(g);
      const name = text(m.get('name') ?? { type: 'null' });
      const p = await this.conn.send(['XPENDING', key, name, '-', '+', '20']);
      groups.push({
        name,
        consumers: num(m.get('consumers') ?? { type: 'null' }),
        pending: num(m.get('pending') ?? { type: 'null' }),
        lastDelivered: text(m.get('last-delivered-id') ?? { type: 'null' }),
        pendingEntries: items(p).map((e) => {
          const [id, consumer, idle, deliveries] = items(e);
          return { id: text(id), consumer: text(consumer), idle: num(idle), deliveries: num(deliveries) };
        }),
      });
    }
    return groups;
  }

  /** The next page of the selected key's value, with the type's own range or scan command. */
  async loadMoreValue(): Promise<void> {
    const d = this.details;
    if (!d) return;
    const key = d.key;
    const send = (...args: string[]): Promise<Reply> => this.conn.send(args);
    const v = d.value;
    let value: ValueView = v;
    if (v.kind === 'string') {
      const r = await send('GETRANGE', key, String(v.value.length), String(v.value.length + STRING_PAGE - 1));
      value = { ...v, value: v.value + text(r) };
    } else if (v.kind === 'list') {
      const r = await send('LRANGE', key, String(v.items.length), String(v.items.length + RANGE_PAGE - 1));
      value = { ...v, items: [...v.items, ...items(r).map(text)] };
    } else if (v.kind === 'hash' && v.cursor !== '0') {
      const r = await send('HSCAN', key, v.cursor, 'COUNT', String(RANGE_PAGE));
      const seen = new Set(v.entries.map(([f]) => f));
      const more = flatPairs(items(items(r)[1])).filter(([f]) => !seen.has(f)); // SCAN may return an element twice
      value = { ...v, entries: [...v.entries, ...more], cursor: text(items(r)[0]) };
    } else if (v.kind === 'set' && v.cursor !== '0') {
      const r = await send('SSCAN', key, v.cursor, 'COUNT', String(RANGE_PAGE));
      const seen = new Set(v.members);
      const more = items(items(r)[1]).map(text).filter((m) => !seen.has(m));
      value = { ...v, members: [...v.members, ...more.sort()], cursor: text(items(r)[0]) };
    } else if (v.kind === 'zset') {
      const r = await send('ZRANGE', key, String(v.entries.length), String(v.entries.length + RANGE_PAGE - 1), 'WITHSCORES');
      const more = flatPairs(items(r));
      const geo = v.geo === null ? null : [...v.geo, ...((await this.geoOf(key, more)) ?? more.map(() => null))];
      value = { ...v, entries: [...v.entries, ...more], geo };
    } else if (v.kind === 'stream' && v.entries.length > 0) {
      const last = v.entries[v.entries.length - 1].id;
      const r = await send('XRANGE', key, '(' + last, '+', 'COUNT', String(RANGE_PAGE));
      value = { ...v, entries: [...v.entries, ...streamEntries(r)] };
    }
    if (this.details?.key === key) {
      this.details = { ...this.details, value };
      this.changed();
    }
  }

  // ---- edits: real commands, each logged as the redis-cli line that ran ----

  /** Run a write and log it. The keyspace events it causes refresh the list and the details. */
  async run(args: string[]): Promise<Reply> {
    const r = await this.conn.send(args);
    const prompt = `127.0.0.1:6379${this.db === 0 ? '' : `[${this.db}]`}> `;
    this.log = [...this.log.slice(-199), { line: prompt + commandLine(args), reply: replyLine(r), error: r.type === 'error' }];
    this.changed();
    return r;
  }

  async rename(to: string): Promise<void> {
    const from = this.selected;
    if (from === null || to === '' || to === from) return;
    const r = await this.run(['RENAME', from, to]);
    if (r.type !== 'error') this.select(to);
  }
}

function flatPairs(a: Reply[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < a.length; i += 2) out.push([text(a[i]), text(a[i + 1])]);
  return out;
}

function streamEntries(r: Reply): StreamEntry[] {
  return items(r).map((e) => {
    const [id, fields] = items(e);
    return { id: text(id), fields: flatPairs(items(fields)) };
  });
}
