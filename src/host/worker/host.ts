import { Engine, REDIS_VERSION, type EngineOptions } from '../../engine/server';
import type { Client } from '../../engine/client';
import {
  postBytes, type ClosedMessage, type FromWorker, type KeyspaceEvent, type ServerStats, type ToConnection, type ToWorker,
} from './protocol';
import { bytesToHuman, memoryFacts } from '../../engine/commands/server';
import { BROWSER_MEMORY_CEILING } from '../../engine/memory';

export interface WorkerHostOptions {
  /** Configuration as on redis-server's command line. */
  config?: Record<string, string>;
  engine?: Omit<EngineOptions, 'config'>;
}

/** The part of a MessagePort the host uses (a browser MessagePort or Node's). */
export interface PortLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  close(): void;
  start?(): void;
}

/**
 * The engine's host inside a Web Worker: it owns the Engine, drives its cron at hz, and serves
 * client connections that arrive as MessagePorts. No worker globals are touched here, so it runs
 * under Node too (tests); worker.ts wires it to the worker's scope.
 */
export class WorkerHost {
  engine: Engine;
  private readonly opts: WorkerHostOptions;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The timer for the earliest blocked client's timeout (BLPOP & co.), and when it fires. */
  private blockTimer: ReturnType<typeof setTimeout> | null = null;
  private blockAt = Infinity;
  private connections = 0;
  /** The page's keyspace feed (see protocol.ts): where to post, what waits for the end of the tick. */
  private feed: ((m: FromWorker) => void) | null = null;
  private feedEvents: KeyspaceEvent[] = [];
  private feedReset = false;
  private feedTimer: ReturnType<typeof setTimeout> | null = null;
  private stopFeed: (() => void) | null = null;

  constructor(opts: WorkerHostOptions = {}) {
    this.opts = opts;
    this.engine = this.newEngine();
  }

  private newEngine(): Engine {
    return new Engine({
      sleep: blockingSleep(),
      platform: { os: 'Web Worker', arch: 64, processId: 1 },
      // Past this estimated used_memory writes are refused, so the tab cannot run out of memory.
      memoryCeiling: BROWSER_MEMORY_CEILING,
      ...this.opts.engine,
      config: this.opts.config,
      // SHUTDOWN in the page: like a supervisor restarting redis-server, a fresh server loads what
      // the old one saved, and new connections go to it.
      onShutdown: () => void this.restart(),
    });
  }

  /** Stop this engine and start a new one from storage (after SHUTDOWN). */
  async restart(): Promise<void> {
    this.stop();
    this.engine = this.newEngine();
    const r = await this.engine.loadFromStorage();
    if (r.error) console.error('Could not load the saved data, starting empty:', r.error);
    if (this.feed !== null) this.listenForFeed();
    this.queueFeed(null);
    this.start();
  }

  get version(): string {
    return REDIS_VERSION;
  }

  /** serverCron at hz; the interval is re-read each time so CONFIG SET hz takes effect. */
  start(): void {
    if (this.timer !== null) return;
    const tick = (): void => {
      try {
        this.engine.cron();
      } catch (e) {
        console.error('engine cron failed', e);
      }
      this.timer = setTimeout(tick, this.engine.cronInterval());
      this.armBlockTimer();
    };
    this.timer = setTimeout(tick, this.engine.cronInterval());
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.blockTimer !== null) clearTimeout(this.blockTimer);
    this.blockTimer = null;
    this.blockAt = Infinity;
    for (const c of [...this.engine.clients.values()]) {
      this.engine.freeClient(c);
      c.transport.close();
    }
  }

  /** Schedule engine.handleBlockedTimeouts() for the earliest blocked client's deadline. */
  private armBlockTimer(): void {
    if (this.timer === null) return; // not started (or stopped)
    const delay = this.engine.nextTimerDelay();
    if (delay === null) return;
    const at = Date.now() + delay;
    if (this.blockTimer !== null && this.blockAt <= at) return;
    if (this.blockTimer !== null) clearTimeout(this.blockTimer);
    this.blockAt = at;
    this.blockTimer = setTimeout(() => {
      this.blockTimer = null;
      this.blockAt = Infinity;
      try {
        this.engine.handleBlockedTimeouts();
      } catch (e) {
        console.error('engine timeout handling failed', e);
      }
      this.armBlockTimer();
    }, delay);
  }

  /** A message on the worker itself; `reply` posts back to the page. */
  handle(msg: ToWorker, reply: (m: FromWorker, transfer?: Transferable[]) => void = () => {}): void {
    if (!msg) return;
    if (msg.type === 'connect') {
      this.attach(msg.port as unknown as PortLike, msg.addr);
    } else if (msg.type === 'export-rdb') {
      const bytes = this.engine.rdb.encodeNow();
      reply({ type: 'rdb', id: msg.id, bytes }, [bytes.buffer as ArrayBuffer]);
    } else if (msg.type === 'import-rdb') {
      const r = this.engine.importRdb(msg.bytes);
      reply({ type: 'imported', id: msg.id, ...r });
      this.queueFeed(null);
    } else if (msg.type === 'stats') {
      reply({ type: 'stats', id: msg.id, ...serverStats(this.engine) });
    } else if (msg.type === 'keyspace-feed') {
      this.feed = reply;
      this.listenForFeed();
    }
  }

  /** Forward the engine's keyspace events to the page's feed, whatever notify-keyspace-events says. */
  private listenForFeed(): void {
    this.stopFeed?.();
    this.stopFeed = this.engine.on((e) => {
      if (e.type === 'keyspace') {
        if (e.event !== 'keymiss') this.queueFeed({ db: e.db, key: e.key, event: e.event });
      } else if (e.type === 'command' && resetsKeyspace(e.argv)) {
        this.queueFeed(null);
      }
    });
  }

  /** Queue one event (null: "look again", see KeyspaceEventsMessage.reset), sent at the end of the tick. */
  private queueFeed(e: KeyspaceEvent | null): void {
    if (this.feed === null) return;
    if (e === null || this.feedEvents.length >= FEED_MAX_EVENTS) {
      // The page rescans anyway: the events before this one tell it nothing more.
      this.feedReset = true;
      this.feedEvents = [];
    } else if (!this.feedReset) {
      this.feedEvents.push(e);
    }
    this.feedTimer ??= setTimeout(() => {
      this.feedTimer = null;
      const events = this.feedEvents;
      const reset = this.feedReset;
      this.feedEvents = [];
      this.feedReset = false;
      this.feed?.({ type: 'keyspace-events', events, reset });
    }, 0);
  }

  /** One port, one client connection: RESP bytes in, RESP bytes out. */
  attach(port: PortLike, addr?: string): Client {
    const n = ++this.connections;
    let open = true;
    const hangUp = (reason?: string): void => {
      if (!open) return;
      open = false;
      const m: ClosedMessage = reason === undefined ? { type: 'closed' } : { type: 'closed', reason };
      try {
        port.postMessage(m, []);
      } catch {
        // The page is gone.
      }
      port.onmessage = null;
      port.close();
    };
    const client = this.engine.connect(
      {
        write: (bytes) => {
          if (open) postBytes(port, bytes);
        },
        close: () => hangUp(),
      },
      { addr: addr ?? `page:${n}`, laddr: `worker:${this.engine.config.num('port')}`, local: true },
    );
    port.onmessage = (ev: MessageEvent<ToConnection>) => {
      const data = ev.data;
      if (data instanceof Uint8Array) {
        try {
          client.feed(data);
          this.armBlockTimer();
        } catch (e) {
          // A bug in the engine: say so on this connection and drop it; the server keeps running.
          console.error('engine failed on a command', e);
          client.disconnected();
          hangUp(`engine error: ${e instanceof Error ? e.message : String(e)}`);
        }
      } else if (data && data.type === 'close') {
        client.disconnected();
        open = false;
        port.onmessage = null;
        port.close();
      }
    };
    port.start?.();
    return client;
  }
}

/** More events than this in one tick (a big script, a mass delete) become one reset: the page rescans. */
const FEED_MAX_EVENTS = 10_000;

/**
 * Commands that change many keys without a keyspace event per key (as in Redis): FLUSHALL,
 * FLUSHDB, SWAPDB, DEBUG POPULATE / RELOAD / LOADAOF.
 */
function resetsKeyspace(argv: string[]): boolean {
  const name = argv[0].toLowerCase();
  if (name === 'flushall' || name === 'flushdb' || name === 'swapdb') return true;
  if (name !== 'debug' || argv.length < 2) return false;
  const sub = argv[1].toLowerCase();
  return sub === 'populate' || sub === 'reload' || sub === 'loadaof';
}

/** Counting memory walks every key: above this many the status bar leaves it out. */
const STATS_MEMORY_MAX_KEYS = 100_000;

/** The status bar's figures, read from the engine (INFO's numbers, without a client). */
export function serverStats(engine: Engine): ServerStats {
  const keys = engine.dbs.reduce((n, db) => n + db.size, 0);
  const snap = engine.rdb.snapshot ?? engine.aof.rewrite?.snapshot ?? null;
  return {
    keys,
    clients: engine.clients.size,
    memory: keys <= STATS_MEMORY_MAX_KEYS ? bytesToHuman(memoryFacts(engine).used) : null,
    aof: engine.aof.state !== 'off',
    saving:
      snap === null && engine.aof.rewrite === null
        ? null
        : { what: engine.rdb.snapshot !== null ? 'bgsave' : 'aof-rewrite', done: snap?.keysDone ?? 0, total: snap?.keysTotal ?? 0 },
    changes: engine.dirty,
    lastSave: engine.rdb.lastSave,
  };
}

/**
 * DEBUG SLEEP blocks the server, as in Redis. A worker may block on Atomics.wait when
 * SharedArrayBuffer is available (cross-origin isolated pages); otherwise the engine busy-waits,
 * which blocks only the worker, never the page.
 */
function blockingSleep(): ((ms: number) => void) | undefined {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return undefined;
  try {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(cell, 0, 0, 0);
    return (ms) => {
      Atomics.wait(cell, 0, 0, ms);
    };
  } catch {
    return undefined; // Atomics.wait is not allowed on this thread (a page's main thread).
  }
}
