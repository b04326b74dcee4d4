import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Engine, type EngineOptions } from '../../engine/server';
import { initScripting } from '../../engine/scripting/vm';
import { FileStorage } from './file-storage';
import type { Dialer } from '../../engine/replication/replica';

export interface NodeServerOptions {
  /** Configuration as on redis-server's command line (port, bind, requirepass, hz, ...). */
  config?: Record<string, string>;
  engine?: Omit<EngineOptions, 'config'>;
  /** What start-up loaded (main.ts logs it as redis-server does). */
  onLoaded?: (r: { source: 'rdb' | 'aof' | 'none'; keys: number }) => void;
  /** After SHUTDOWN saved what it had to and the server stopped listening (main.ts exits). */
  onShutdown?: () => void;
}

export interface RunningServer {
  engine: Engine;
  port: number;
  host: string;
  close(): Promise<void>;
}

/** A real blocking sleep for DEBUG SLEEP: the whole server waits, as Redis does. */
function blockingSleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One connection's replies waiting for the end of the event-loop turn. */
interface Conn {
  socket: net.Socket;
  out: Uint8Array[];
  outBytes: number;
}

/**
 * Start the engine behind a TCP RESP server. Resolves once it listens.
 *
 * Replies are written the way Redis writes them: commands run as their bytes arrive, and every
 * connection's replies go out once per event-loop turn, after all the connections that were readable
 * in that turn have been served (Redis's beforeSleep → handleClientsWithPendingWrites). A client
 * gets one write per turn however many commands or chunks it sent, and the peer is woken once.
 */
export async function startServer(opts: NodeServerOptions = {}): Promise<RunningServer> {
  // The Lua VM (WebAssembly) loads before the first client can send EVAL.
  await initScripting();
  // Files go to `dir` (the working directory unless given), as redis-server's do.
  const config = { ...opts.config, dir: path.resolve(opts.config?.dir ?? process.cwd()) };
  let engineRef: Engine | null = null;
  // Outbound connections, for a replica's link to its master.
  const outbound = new Set<net.Socket>();
  const dial: Dialer = (host, port, handlers) => {
    const socket = net.connect({ host, port, noDelay: true });
    outbound.add(socket);
    socket.on('connect', () => {
      handlers.connected();
      engineRef?.flushReplies();
    });
    socket.on('data', (data) => {
      handlers.data(data);
      armBlockTimer();
    });
    socket.on('close', () => {
      outbound.delete(socket);
      handlers.closed();
      engineRef?.flushReplies();
    });
    socket.on('error', () => {});
    return {
      write: (bytes) => { if (socket.writable) socket.write(bytes); },
      close: () => { socket.destroy(); },
    };
  };
  const storage = opts.engine?.storage ?? new FileStorage(() => engineRef?.config.str('dir') ?? config.dir);
  const engine = new Engine({
    sleep: blockingSleep,
    cpuUsage: () => { const u = process.cpuUsage(); return { user: u.user, sys: u.system }; },
    platform: { os: `${os.type()} ${os.release()} ${os.machine()}`, arch: process.arch.includes('64') ? 64 : 32, processId: process.pid },
    dial,
    ...opts.engine,
    storage,
    config,
    onShutdown: () => void running.close().then(() => opts.onShutdown?.()),
  });
  engineRef = engine;
  // Start-up: the dataset comes back from the RDB file, as redis-server loads dump.rdb.
  const loaded = await engine.loadFromStorage();
  if (loaded.error) throw new Error(loaded.error);
  opts.onLoaded?.(loaded);
  const host = engine.config.str('bind').split(' ')[0] || '127.0.0.1';

  let waiting: Conn[] = [];
  let scheduled = false;
  const send = (conn: Conn): void => {
    const { out } = conn;
    if (out.length === 0) return;
    let data: Uint8Array;
    if (out.length === 1) {
      data = out[0];
    } else {
      data = new Uint8Array(conn.outBytes);
      let at = 0;
      for (const b of out) { data.set(b, at); at += b.length; }
    }
    conn.out = [];
    conn.outBytes = 0;
    if (conn.socket.writable) conn.socket.write(data);
  };
  const flush = (): void => {
    scheduled = false;
    const list = waiting;
    waiting = [];
    for (const conn of list) send(conn);
  };

  const server = net.createServer({ noDelay: true }, (socket) => {
    const conn: Conn = { socket, out: [], outBytes: 0 };
    const client = engine.connect(
      {
        write: (bytes) => {
          if (conn.out.length === 0) waiting.push(conn);
          conn.out.push(bytes);
          conn.outBytes += bytes.length;
          if (!scheduled) {
            scheduled = true;
            setImmediate(flush);
          }
        },
        close: () => {
          // Whatever is queued goes out first (the error before a protocol-error close, QUIT's +OK).
          send(conn);
          socket.end();
        },
      },
      {
        addr: `${socket.remoteAddress}:${socket.remotePort}`,
        laddr: `${socket.localAddress}:${socket.localPort}`,
        local: socket.remoteAddress === '127.0.0.1' || socket.remoteAddress === '::1' || socket.remoteAddress === '::ffff:127.0.0.1',
      },
    );
    socket.on('data', (data) => {
      client.feed(data);
      armBlockTimer();
    });
    socket.on('close', () => client.disconnected());
    socket.on('error', () => client.disconnected());
  });

  // Blocked clients' timeouts (BLPOP & co.): a timer for the earliest deadline, re-armed after
  // every input and cron run.
  let blockTimer: NodeJS.Timeout | null = null;
  let blockAt = Infinity;
  let closed = false;
  function armBlockTimer(): void {
    if (closed) return;
    const delay = engine.nextTimerDelay();
    if (delay === null) return;
    const at = Date.now() + delay;
    if (blockTimer !== null && blockAt <= at) return;
    if (blockTimer !== null) clearTimeout(blockTimer);
    blockAt = at;
    blockTimer = setTimeout(() => {
      blockTimer = null;
      blockAt = Infinity;
      engine.handleBlockedTimeouts();
      armBlockTimer();
    }, delay);
  }

  // serverCron at hz; re-read the interval each time so CONFIG SET hz takes effect.
  let timer: NodeJS.Timeout | null = null;
  const tick = (): void => {
    engine.cron();
    timer = setTimeout(tick, engine.cronInterval());
    armBlockTimer();
  };
  timer = setTimeout(tick, engine.cronInterval());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(engine.config.num('port'), host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  // --port 0 asks the OS for a free port: report the real one (INFO tcp_port, CONFIG GET port).
  if (engine.config.num('port') !== port) engine.config.set('port', String(port), true);
  const running: RunningServer = {
    engine,
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearTimeout(timer);
        closed = true;
        if (blockTimer) clearTimeout(blockTimer);
        engine.replication.link?.close();
        for (const socket of outbound) socket.destroy();
        for (const c of engine.clients.values()) c.transport.close();
        server.close(() => resolve());
      }),
  };
  return running;
}
