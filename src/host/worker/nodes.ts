/**
 * The page's Redis nodes: the master 6379 and the replicas added from the Nodes panel, each an
 * engine in its own Web Worker with its own IndexedDB database ("redis-playground-<port>"), joined
 * by the simulated network (network.ts).
 *
 * State for the UI (and a future replication visualizer) comes from polling each node every
 * POLL_MS with a 'replication' message (replication-state.ts) — read in the worker, not through a
 * client, so it shows in neither MONITOR nor CLIENT LIST — plus the network's per-link figures.
 * subscribe() tells of every change; snapshot() is the current list (a new array after a change).
 *
 * With a TopologyStore (topology.ts) the set of nodes survives a page reload: every change is saved,
 * and restore() starts the saved nodes again — each from its own IndexedDB data, as a restarted
 * redis-server with --replicaof, which then resyncs with its master. remove() forgets a node.
 */
import { ConnectionRefusedError, EngineWorker, RedisConnection } from './client';
import { Network, type DialMessage, type LinkStats } from './network';
import type { ReplicationState, ReplicationStateMessage, ReplicationStateRequest } from './replication-state';
import type { ConnectMessage } from './protocol';
import { replyText } from './resp';
import type { SavedNode, TopologyStore } from './topology';

export const MASTER_PORT = 6379;
const POLL_MS = 500;

export interface NodeInfo {
  port: number;
  /** 'starting' until the worker is up; 'killed' after kill() (its data stays in IndexedDB). */
  status: 'starting' | 'up' | 'killed';
  /** The last state read from the node (kept while it is killed). */
  state: ReplicationState | null;
  /** The node it replicates from, as last known (kept while killed, for restart). */
  masterPort: number | null;
  /** The link to its master, on the simulated network (null for a master). */
  link: LinkStats | null;
}

interface Node {
  port: number;
  worker: EngineWorker | null;
  status: NodeInfo['status'];
  state: ReplicationState | null;
  masterPort: number | null;
  /** Connections the page opened to it (terminals...): closed when the node is killed. */
  connections: Set<RedisConnection>;
  nextRequest: number;
  polling: boolean;
}

export interface NodeManagerOptions {
  /** Where the topology is remembered across page reloads (none: it is not). */
  topology?: TopologyStore;
  /** Delete a removed node's stored data (its IndexedDB database), so a new node on its port starts empty. */
  dropData?: (port: number) => Promise<void>;
}

export class NodeManager {
  readonly network = new Network();
  private readonly nodes = new Map<number, Node>();
  private readonly listeners = new Set<() => void>();
  private list: NodeInfo[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The topology as last saved (JSON), so that only changes are written. */
  private saved = '';
  /** restore() is starting the saved nodes: nothing is saved until all of them are there. */
  private restoring = false;

  constructor(
    private readonly startWorker: (name: string) => EngineWorker,
    private readonly options: NodeManagerOptions = {},
  ) {}

  /**
   * Start the nodes remembered from the last visit — the master always (even if it was killed), each replica as a replica of
   * its saved master, a killed node listed but not started — with their links' latency and cuts.
   * Without a saved topology, the master alone.
   */
  restore(): void {
    const saved = this.options.topology?.load() ?? [];
    if (!saved.some((n) => n.port === MASTER_PORT)) saved.unshift({ port: MASTER_PORT, replicaOf: null, killed: false, latency: 0, cut: false });
    for (const n of saved) {
      if (n.replicaOf !== null) {
        // Before any worker starts, so that a replica's first dial already sees the link as it was.
        this.network.setLatency(n.port, n.replicaOf, n.latency);
        if (n.cut) this.network.cut(n.port, n.replicaOf);
      }
    }
    this.restoring = true;
    try {
      for (const n of saved) {
        if (n.killed && n.port !== MASTER_PORT) {
          this.nodes.set(n.port, {
            port: n.port, worker: null, status: 'killed', state: null, masterPort: n.replicaOf, connections: new Set(), nextRequest: 0, polling: false,
          });
        } else {
          this.start(n.port, n.replicaOf);
        }
      }
    } finally {
      this.restoring = false;
    }
    this.changed();
  }

  /** Start a node (a new worker), as a replica of `replicaOf` from its start if given. */
  start(port: number, replicaOf: number | null = null): EngineWorker {
    const old = this.nodes.get(port);
    if (old && old.status !== 'killed') throw new Error(`a node already runs on port ${port}`);
    const name = replicaOf === null ? `redis ${port}` : `redis ${port} replicaof 127.0.0.1 ${replicaOf}`;
    const worker = this.startWorker(name);
    const node: Node = old ?? {
      port, worker, status: 'starting', state: null, masterPort: replicaOf, connections: new Set(), nextRequest: 0, polling: false,
    };
    node.worker = worker;
    node.status = 'starting';
    node.masterPort = replicaOf;
    this.nodes.set(port, node);
    worker.worker.addEventListener('message', (ev: MessageEvent) => {
      const d = ev.data as DialMessage | ReplicationStateMessage | undefined;
      if (!d || node.worker !== worker) return;
      if (d.type === 'dial') this.network.dial(port, d);
    });
    this.network.addNode(port, {
      accept: (conn, addr) => {
        const m: ConnectMessage = { type: 'connect', port: conn, addr };
        worker.worker.postMessage(m, [conn]);
      },
    });
    worker.ready.then(
      () => {
        if (node.worker !== worker) return;
        node.status = 'up';
        this.changed();
        void this.poll(node);
      },
      () => {},
    );
    this.changed();
    this.ensurePolling();
    return worker;
  }

  /** The worker of the node on `port`, or null (none, or killed). */
  engine(port: number): EngineWorker | null {
    return this.nodes.get(port)?.worker ?? null;
  }

  /** The next free port after the highest in use (6380, 6381, ...). */
  private nextPort(): number {
    let p = MASTER_PORT;
    for (const port of this.nodes.keys()) p = Math.max(p, port);
    return p + 1;
  }

  /** Add a replica of `of` on the next free port: a new node that runs REPLICAOF 127.0.0.1 <of>. */
  async addReplica(of: number = MASTER_PORT): Promise<number> {
    const port = this.nextPort();
    const worker = this.start(port);
    this.nodes.get(port)!.masterPort = of;
    this.changed();
    await worker.ready;
    const conn = worker.connect('nodes-panel');
    try {
      const r = await conn.send('REPLICAOF', '127.0.0.1', String(of));
      if (r.type === 'error') throw new Error(replyText(r) ?? 'REPLICAOF failed');
    } finally {
      conn.close();
    }
    void this.poll(this.nodes.get(port)!);
    return port;
  }

  /**
   * Terminate the node's worker, as a crash would — the master too: its data stays in IndexedDB
   * (restart() loads it, as a redis-server restarted with its AOF), its connections close (the
   * page's terminals then print redis-cli's "Server closed the connection"), its replicas lose
   * their link and retry.
   */
  kill(port: number): void {
    const node = this.nodes.get(port);
    if (!node || node.worker === null) return;
    node.worker.terminate();
    node.worker = null;
    node.status = 'killed';
    this.network.removeNode(port);
    for (const c of node.connections) c.close();
    node.connections.clear();
    this.changed();
  }

  /**
   * Remove a node (not the master): its worker stops, the page forgets it (it does not come back
   * after a reload) and its stored data is deleted. Its replicas keep trying to reach it.
   */
  remove(port: number): void {
    const node = this.nodes.get(port);
    if (!node || port === MASTER_PORT) return;
    this.kill(port);
    this.nodes.delete(port);
    this.changed();
    void this.options.dropData?.(port).catch(() => {});
  }

  /** Start a killed node again: same port, same IndexedDB data; a replica comes back as a replica of the same master. */
  async restart(port: number): Promise<void> {
    const node = this.nodes.get(port);
    if (!node || node.status !== 'killed') return;
    const of = node.state ? (node.state.role === 'slave' ? node.state.masterPort : null) : node.masterPort;
    await this.start(port, of).ready;
  }

  /** The port of the node's master, or null. */
  masterOf(port: number): number | null {
    const node = this.nodes.get(port);
    if (!node) return null;
    if (node.state) return node.state.role === 'slave' ? node.state.masterPort : null;
    return node.masterPort;
  }

  /** Cut the link between a node and its master (see Network.cut). */
  cut(port: number): void {
    const m = this.masterOf(port);
    if (m !== null) this.network.cut(port, m);
    this.changed();
  }

  heal(port: number): void {
    const m = this.masterOf(port);
    if (m !== null) this.network.heal(port, m);
    this.changed();
  }

  /** One-way latency (ms) on the link between a node and its master. */
  setLatency(port: number, ms: number): void {
    const m = this.masterOf(port);
    if (m !== null) this.network.setLatency(port, m, ms);
    this.changed();
  }

  /** A client connection to the node on `port`; throws like redis-cli when nothing listens there. */
  connect(port: number, addr?: string): RedisConnection {
    const node = this.nodes.get(port);
    if (!node || node.worker === null) throw new ConnectionRefusedError(port);
    for (const c of node.connections) if (c.closed) node.connections.delete(c);
    const conn = node.worker.connect(addr);
    node.connections.add(conn);
    return conn;
  }

  /** Ask the node for its replication state now. */
  async poll(node: Node): Promise<void> {
    const worker = node.worker;
    if (worker === null || node.status !== 'up' || node.polling) return;
    node.polling = true;
    try {
      const id = ++node.nextRequest;
      const state = await new Promise<ReplicationState | null>((resolve) => {
        const done = (s: ReplicationState | null): void => {
          clearTimeout(timer);
          worker.worker.removeEventListener?.('message', listener);
          resolve(s);
        };
        const listener = (ev: MessageEvent): void => {
          const d = ev.data as ReplicationStateMessage;
          if (d && d.type === 'replication' && d.id === id) done(d.state);
        };
        // A worker killed meanwhile never answers.
        const timer = setTimeout(() => done(null), 5000);
        worker.worker.addEventListener('message', listener);
        worker.worker.postMessage({ type: 'replication', id } satisfies ReplicationStateRequest, []);
      });
      if (state !== null && node.worker === worker) {
        node.state = state;
        node.masterPort = state.role === 'slave' ? state.masterPort : null;
      }
    } finally {
      node.polling = false;
    }
  }

  private ensurePolling(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => {
      void Promise.all([...this.nodes.values()].map((n) => this.poll(n))).then(() => this.changed());
    }, POLL_MS);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The nodes by port, as last seen; the same array until something changes. */
  snapshot(): NodeInfo[] {
    return this.list;
  }

  private changed(): void {
    const list: NodeInfo[] = [...this.nodes.values()]
      .sort((a, b) => a.port - b.port)
      .map((n) => {
        const m = n.state ? (n.state.role === 'slave' ? n.state.masterPort : null) : n.masterPort;
        return { port: n.port, status: n.status, state: n.state, masterPort: m, link: m === null ? null : this.network.stats(n.port, m) };
      });
    this.saveTopology(list);
    if (JSON.stringify(list) === JSON.stringify(this.list)) return;
    this.list = list;
    for (const l of this.listeners) l();
  }

  /** Remember the nodes as they are now (when that differs from what was saved). */
  private saveTopology(list: NodeInfo[]): void {
    const store = this.options.topology;
    if (!store || this.restoring) return;
    const nodes: SavedNode[] = list.map((n) => ({
      port: n.port,
      replicaOf: n.masterPort,
      killed: n.status === 'killed',
      latency: n.link?.latency ?? 0,
      cut: n.link?.cut ?? false,
    }));
    const text = JSON.stringify(nodes);
    if (text === this.saved) return;
    this.saved = text;
    store.save(nodes);
  }

  /** Stop polling (tests). */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
