/**
 * Messages between the page and the engine's worker.
 *
 * On the worker itself (postMessage on the Worker object):
 *   page → worker  { type: 'connect', port }   a new client connection; `port` is transferred.
 *   worker → page  { type: 'ready', version }  the engine is up (sent once, at start).
 *   page → worker  { type: 'export-rdb', id }   the dataset as an RDB file; answered by
 *   worker → page  { type: 'rdb', id, bytes }   (a dump.rdb a real redis-server loads).
 *   page → worker  { type: 'import-rdb', id, bytes }  replace the dataset with an RDB file; answered by
 *   worker → page  { type: 'imported', id, keys?, error? }.
 *   page → worker  { type: 'stats', id }        the status bar's figures (not through a client, so
 *   worker → page  { type: 'stats', id, ... }   they show in neither MONITOR nor CLIENT LIST).
 *   page → worker  { type: 'keyspace-feed' }    start sending every keyspace event (whatever
 *                                               notify-keyspace-events says), batched per tick:
 *   worker → page  { type: 'keyspace-events', events, reset }  (the keyspace explorer's live feed).
 *
 * On a connection's MessagePort, both ways, a Uint8Array is RESP bytes (its buffer transferred):
 * requests from the page, replies from the engine. Besides bytes:
 *   page → worker  { type: 'close' }            the client hangs up (the engine frees the client).
 *   worker → page  { type: 'closed', reason? }  the server closed the connection (QUIT, CLIENT KILL,
 *                                               protocol error, timeout, or an engine failure).
 */

export interface ConnectMessage {
  type: 'connect';
  port: MessagePort;
  /** Shown as the peer address in CLIENT LIST, e.g. "terminal:1". */
  addr?: string;
}

export interface ReadyMessage {
  type: 'ready';
  /** The Redis version the engine reports (INFO server's redis_version). */
  version: string;
  /** What start-up loaded from IndexedDB: the AOF, the RDB or nothing; and why it could not, if so. */
  loaded?: { source: 'rdb' | 'aof' | 'none'; keys: number; error?: string };
}

export interface CloseMessage {
  type: 'close';
}

export interface ClosedMessage {
  type: 'closed';
  reason?: string;
}

export interface ExportRdbMessage {
  type: 'export-rdb';
  id: number;
}

export interface RdbMessage {
  type: 'rdb';
  id: number;
  bytes: Uint8Array;
}

export interface ImportRdbMessage {
  type: 'import-rdb';
  id: number;
  bytes: Uint8Array;
}

export interface ImportedMessage {
  type: 'imported';
  id: number;
  /** Keys in the dataset after loading. */
  keys?: number;
  /** Why the file was refused (the dataset is unchanged then). */
  error?: string;
}

export interface StatsRequest {
  type: 'stats';
  id: number;
}

/** What the page's status bar shows. */
export interface ServerStats {
  keys: number;
  clients: number;
  /** INFO's used_memory_human, or null when the dataset is too big to count every second. */
  memory: string | null;
  aof: boolean;
  /** A background save or AOF rewrite running, with its progress (keys done / total). */
  saving: { what: 'bgsave' | 'aof-rewrite'; done: number; total: number } | null;
  /** rdb_changes_since_last_save, and the last save's Unix time. */
  changes: number;
  lastSave: number;
}

export interface StatsMessage extends ServerStats {
  type: 'stats';
  id: number;
}

export interface KeyspaceFeedRequest {
  type: 'keyspace-feed';
}

/** One keyspace event as Redis names it ("set", "lpush", "del", "expired", "evicted", ...). */
export interface KeyspaceEvent {
  db: number;
  /** A binary string (one char per byte), as the engine keeps keys. */
  key: string;
  event: string;
}

export interface KeyspaceEventsMessage {
  type: 'keyspace-events';
  /** The events of one tick of the worker, in order (empty when `reset` says it all). */
  events: KeyspaceEvent[];
  /**
   * The dataset changed in a way per-key events do not describe (FLUSHALL, FLUSHDB, SWAPDB, DEBUG
   * POPULATE/RELOAD, an RDB opened, a restart), or too many events came in one tick: look again.
   */
  reset: boolean;
}

export type ToWorker = ConnectMessage | ExportRdbMessage | ImportRdbMessage | StatsRequest | KeyspaceFeedRequest;
export type FromWorker = ReadyMessage | RdbMessage | ImportedMessage | StatsMessage | KeyspaceEventsMessage;
export type ToConnection = Uint8Array | CloseMessage;
export type FromConnection = Uint8Array | ClosedMessage;

/** Post bytes, transferring their buffer when the view owns all of it (else a copy is sent). */
export function postBytes(port: { postMessage(message: unknown, transfer: Transferable[]): void }, bytes: Uint8Array): void {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const msg = own ? bytes : bytes.slice();
  port.postMessage(msg, [msg.buffer as ArrayBuffer]);
}
