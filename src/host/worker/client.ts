/**
 * The page's side of the worker host: start the engine's worker, open connections to it, send
 * commands and get their replies as promises.
 */
import { encodeCommand, RespDecoder, type Reply } from './resp';
import {
  postBytes, type ConnectMessage, type FromConnection, type FromWorker, type ImportedMessage, type RdbMessage, type ReadyMessage,
  type KeyspaceEventsMessage, type ServerStats, type StatsMessage, type ToWorker,
} from './protocol';

export type { Reply } from './resp';

/** The part of a Worker this needs (a real Worker, or a stand-in in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (ev: ErrorEvent) => void): void;
  removeEventListener?(type: 'message', listener: (ev: MessageEvent) => void): void;
  terminate(): void;
}

export class ConnectionClosedError extends Error {
  constructor(reason?: string) {
    super(reason ? `connection closed: ${reason}` : 'connection closed');
  }
}

/** What a request to a worker fails with when its node is killed before it answers. */
export const NODE_KILLED = 'the node was killed';

/** Nothing listens on the port (its node is killed): the message is redis-cli's. */
export class ConnectionRefusedError extends Error {
  constructor(readonly port: number) {
    super(`Could not connect to Redis at 127.0.0.1:${port}: Connection refused`);
  }
}

/** A Redis server running in a worker. */
export class EngineWorker {
  /** Resolves with the server's version once the engine is up; rejects if the worker fails to load. */
  readonly ready: Promise<{ version: string; loaded?: ReadyMessage['loaded'] }>;
  private connections = 0;
  /** Requests (and `ready`) waiting for an answer: terminate() fails them, as a killed worker never answers. */
  private readonly waiting = new Set<(e: Error) => void>();
  private terminated = false;

  /** `worker` is public for the node manager's own messages (nodes.ts: dials, replication state). */
  constructor(readonly worker: WorkerLike) {
    this.ready = new Promise((resolve, reject) => {
      this.waiting.add(reject);
      worker.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
        if (ev.data && ev.data.type === 'ready') {
          this.waiting.delete(reject);
          resolve({ version: ev.data.version, loaded: ev.data.loaded });
        }
      });
      worker.addEventListener('error', (ev: ErrorEvent) => {
        reject(new Error(ev.message || 'the engine worker failed to load'));
      });
    });
  }

  private nextRequest = 0;

  /** Ask the worker something and wait for the answer with the same id. */
  private request<T extends FromWorker>(msg: ToWorker & { id: number }, transfer: Transferable[], type: T['type']): Promise<T> {
    if (this.terminated) return Promise.reject(new Error(NODE_KILLED));
    return new Promise((resolve, reject) => {
      const listener = (ev: MessageEvent<FromWorker>): void => {
        const d = ev.data as FromWorker & { id?: number };
        if (d && d.type === type && d.id === msg.id) {
          this.worker.removeEventListener?.('message', listener);
          this.waiting.delete(reject);
          resolve(d as T);
        }
      };
      this.waiting.add(reject);
      this.worker.addEventListener('message', listener);
      this.worker.postMessage(msg, transfer);
    });
  }

  /** The dataset as an RDB file (dump.rdb): a real redis-server loads it. */
  async exportRdb(): Promise<Uint8Array> {
    const r = await this.request<RdbMessage>({ type: 'export-rdb', id: ++this.nextRequest }, [], 'rdb');
    return r.bytes;
  }

  /** Replace the dataset with an RDB file (a real Redis's dump.rdb); the number of keys, or why not. */
  async importRdb(bytes: Uint8Array): Promise<{ keys?: number; error?: string }> {
    const copy = bytes.slice();
    const r = await this.request<ImportedMessage>({ type: 'import-rdb', id: ++this.nextRequest, bytes: copy }, [copy.buffer as ArrayBuffer], 'imported');
    return { keys: r.keys, error: r.error };
  }

  /** The status bar's figures (read by the worker, not through a client connection). */
  async stats(): Promise<ServerStats> {
    const { type: _t, id: _i, ...stats } = await this.request<StatsMessage>({ type: 'stats', id: ++this.nextRequest }, [], 'stats');
    return stats;
  }

  private keyspaceListeners: Set<(m: KeyspaceEventsMessage) => void> | null = null;

  /**
   * Every keyspace event (whatever notify-keyspace-events says), batched per tick of the worker;
   * for the keyspace explorer. Returns a function that stops listening.
   */
  onKeyspaceEvents(listener: (m: KeyspaceEventsMessage) => void): () => void {
    if (this.keyspaceListeners === null) {
      const listeners = new Set<(m: KeyspaceEventsMessage) => void>();
      this.keyspaceListeners = listeners;
      this.worker.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
        if (ev.data && ev.data.type === 'keyspace-events') for (const l of listeners) l(ev.data);
      });
      this.worker.postMessage({ type: 'keyspace-feed' } satisfies ToWorker, []);
    }
    const listeners = this.keyspaceListeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /**
   * A new client connection, like opening a TCP connection to the server. `addr` is its peer
   * address in CLIENT LIST ("page:N" unless given).
   */
  connect(addr?: string): RedisConnection {
    const channel = new MessageChannel();
    const msg: ConnectMessage = { type: 'connect', port: channel.port2, addr: addr ?? `page:${++this.connections}` };
    this.worker.postMessage(msg, [channel.port2]);
    return new RedisConnection(channel.port1);
  }

  terminate(): void {
    this.terminated = true;
    this.worker.terminate();
    for (const reject of this.waiting) reject(new Error(NODE_KILLED));
    this.waiting.clear();
  }
}

/** Start the engine in a module worker (Vite bundles worker.ts from this URL). */
export function startEngineWorker(name = 'redis 6379'): EngineWorker {
  // The name tells the worker which node it is (see worker.ts).
  return new EngineWorker(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name }));
}

interface Pending {
  resolve(r: Reply): void;
  reject(e: Error): void;
}

/**
 * One client connection over a MessagePort. Replies come back in order, so each command's promise
 * takes the next reply; RESP3 push messages go to onPush instead.
 */
export class RedisConnection {
  closed = false;
  /** RESP3 out-of-band pushes (pub/sub messages, invalidations). */
  onPush: ((r: Reply) => void) | null = null;
  /** The server closed the connection, or the page did. */
  onClose: ((reason?: string) => void) | null = null;
  private readonly decoder = new RespDecoder();
  private readonly pending: Pending[] = [];
  /** Set while the connection streams (see sendStreaming). */
  private streamTo: ((r: Reply) => void) | null = null;

  constructor(private readonly port: MessagePort) {
    port.onmessage = (ev: MessageEvent<FromConnection>) => this.receive(ev.data);
    port.start();
  }

  /** Send one command; strings are UTF-8 encoded, bytes go as they are. */
  send(...args: (string | Uint8Array)[]): Promise<Reply> {
    if (args.length === 0) return Promise.reject(new Error('no command'));
    return this.sendRaw(encodeCommand(args));
  }

  /** Send RESP bytes that hold exactly one request, and wait for its reply. */
  sendRaw(bytes: Uint8Array): Promise<Reply> {
    if (this.closed) return Promise.reject(new ConnectionClosedError());
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      postBytes(this.port, bytes);
    });
  }

  /**
   * Send a command after which the connection streams, as redis-cli reads SUBSCRIBE and MONITOR:
   * from then on every reply and push, this command's own first, goes to onReply in order (not to
   * onPush: in RESP3 the subscribe confirmations are pushes too). Returns a function that ends it.
   */
  sendStreaming(args: (string | Uint8Array)[], onReply: (r: Reply) => void): () => void {
    if (this.closed) throw new ConnectionClosedError();
    if (args.length === 0) throw new Error('no command');
    const to = (r: Reply): void => onReply(r);
    this.streamTo = to;
    postBytes(this.port, encodeCommand(args));
    return () => {
      if (this.streamTo === to) this.streamTo = null;
    };
  }

  /** Hang up. Commands still waiting are rejected. */
  close(): void {
    if (this.closed) return;
    this.port.postMessage({ type: 'close' });
    this.shutdown();
  }

  private receive(data: FromConnection): void {
    if (data instanceof Uint8Array) {
      this.decoder.feed(data);
      for (;;) {
        let r: Reply | null;
        try {
          r = this.decoder.next();
        } catch (e) {
          // The stream cannot be trusted past a malformed reply: fail everything and hang up.
          this.failAll(e instanceof Error ? e : new Error(String(e)));
          this.close();
          return;
        }
        if (r === null) break;
        if (this.streamTo && this.pending.length === 0) {
          this.streamTo(r);
          continue;
        }
        if (r.type === 'push' && this.onPush) {
          this.onPush(r);
          continue;
        }
        const p = this.pending.shift();
        if (p) p.resolve(r);
        else if (this.onPush) this.onPush(r);
      }
    } else if (data && data.type === 'closed') {
      this.shutdown(data.reason);
    }
  }

  private shutdown(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.streamTo = null;
    this.port.onmessage = null;
    this.port.close();
    this.failAll(new ConnectionClosedError(reason));
    this.onClose?.(reason);
  }

  private failAll(e: Error): void {
    for (const p of this.pending.splice(0)) p.reject(e);
  }
}
