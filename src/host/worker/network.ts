/**
 * The simulated network between the page's Redis nodes (each one an engine in its own Web Worker).
 *
 * A replica opens a connection to its master with the engine's `dial`: in the worker, workerDialer
 * posts a DialMessage with a fresh MessagePort to the page; on the page, Network.dial opens a
 * client connection to the target node's worker (as a terminal's would be) and relays the bytes
 * between the two ports. Relaying through the page is what lets each link — a pair of nodes — be
 * slowed down (latency, order kept), cut (its connections close both ways and new dials between the
 * pair fail until it is healed: the replica retries every second, as Redis does) and measured.
 *
 * On a dial's MessagePort:
 *   worker → page  Uint8Array (bytes to send) | { type: 'close' }      the replica hangs up
 *   page → worker  { type: 'connected' } | Uint8Array (bytes received) | { type: 'closed' }
 * A dial that cannot connect (no node on that port, the link is cut) gets { type: 'closed' } alone.
 *
 * Nothing here touches worker or page globals but MessageChannel, so it runs under Node (tests).
 */
import type { Dialer } from '../../engine/replication/replica';
import { postBytes } from './protocol';

/** worker → page, on the worker itself: open a connection to 127.0.0.1:port. `conn` is transferred. */
export interface DialMessage {
  type: 'dial';
  host: string;
  port: number;
  conn: MessagePort;
}

/** The part of a MessagePort the network uses (a browser MessagePort or Node's). */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  close(): void;
  start?(): void;
}

/** What the network needs of a node: accept a client connection on a port (WorkerHost's 'connect'). */
export interface NetworkNode {
  accept(conn: MessagePort, addr: string): void;
}

/** A link's settings and traffic, for the page's controls. */
export interface LinkStats {
  /** One-way delay in ms. */
  latency: number;
  cut: boolean;
  /** Connections open between the pair. */
  connections: number;
  /** Bytes relayed but not yet delivered (both ways). */
  inFlight: number;
  /** Bytes relayed since the page started (both ways). */
  total: number;
}

interface Link {
  latency: number;
  cut: boolean;
  total: number;
}

type Item = { data: Uint8Array | { type: string }; size: number; due: number };

/** One direction of a relayed connection: a queue that delivers each item `latency` ms after it came, in order. */
class Direction {
  queue: Item[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The last item's delivery time: a later item is never delivered before it (when latency drops). */
  private lastDue = 0;

  constructor(
    private readonly to: PortLike,
    private readonly link: Link,
    private readonly onDelivered: (item: Item) => void,
  ) {}

  get inFlight(): number {
    let n = 0;
    for (const it of this.queue) n += it.size;
    return n;
  }

  send(data: Uint8Array | { type: string }): void {
    const size = data instanceof Uint8Array ? data.length : 0;
    this.link.total += size;
    if (this.link.latency <= 0 && this.queue.length === 0) {
      this.deliver({ data, size, due: 0 });
      return;
    }
    const due = Math.max(Date.now() + this.link.latency, this.lastDue);
    this.lastDue = due;
    this.queue.push({ data, size, due });
    this.arm();
  }

  private arm(): void {
    if (this.timer !== null || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = Date.now();
      while (this.queue.length > 0 && this.queue[0].due <= now) this.deliver(this.queue.shift()!);
      this.arm();
    }, Math.max(0, this.queue[0].due - Date.now()));
  }

  private deliver(item: Item): void {
    try {
      if (item.data instanceof Uint8Array) postBytes(this.to, item.data);
      else this.to.postMessage(item.data, []);
    } catch {
      // The other end is gone (its worker was terminated).
    }
    this.onDelivered(item);
  }

  /** Drop what is still queued (the connection was cut). */
  drop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}

/** A replica's connection, relayed: `dialer` is the replica's end, `server` the client connection on the target node. */
class Relay {
  ended = false;
  readonly toServer: Direction;
  readonly toDialer: Direction;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly key: string,
    private readonly dialer: PortLike,
    private readonly server: PortLike,
    link: Link,
    private readonly onEnd: (r: Relay) => void,
  ) {
    const afterClose = (it: Item): void => {
      const t = it.data instanceof Uint8Array ? '' : it.data.type;
      if (t === 'close' || t === 'closed') this.finish();
    };
    this.toServer = new Direction(server, link, afterClose);
    this.toDialer = new Direction(dialer, link, afterClose);
    dialer.onmessage = (ev) => {
      const d = ev.data;
      if (d instanceof Uint8Array) this.toServer.send(d);
      else if (d && d.type === 'close') this.halfClose(this.toServer, { type: 'close' });
    };
    server.onmessage = (ev) => {
      const d = ev.data;
      if (d instanceof Uint8Array) this.toDialer.send(d);
      else if (d && d.type === 'closed') this.halfClose(this.toDialer, { type: 'closed' });
    };
    dialer.start?.();
    server.start?.();
    // The replica learns it is connected one trip later, like a TCP handshake.
    this.toDialer.send({ type: 'connected' });
  }

  /** One side hung up: nothing more is read from either, the other side hears of it after the queue. */
  private halfClose(dir: Direction, msg: { type: string }): void {
    this.dialer.onmessage = null;
    this.server.onmessage = null;
    dir.send(msg);
  }

  /** Close at once, both ways, dropping what is in flight (a cut, a node killed). */
  reset(): void {
    if (this.ended) return;
    this.toServer.drop();
    this.toDialer.drop();
    for (const [port, msg] of [[this.server, { type: 'close' }], [this.dialer, { type: 'closed' }]] as const) {
      try {
        port.postMessage(msg, []);
      } catch {
        // already gone
      }
    }
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.toServer.drop();
    this.toDialer.drop();
    this.dialer.onmessage = null;
    this.server.onmessage = null;
    this.dialer.close();
    this.server.close();
    this.onEnd(this);
  }
}

function linkKey(a: number, b: number): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

export class Network {
  private readonly nodes = new Map<number, NetworkNode>();
  private readonly links = new Map<string, Link>();
  private readonly relays = new Set<Relay>();
  /** The dialer's side of each connection gets an ephemeral port, as in CLIENT LIST's addr. */
  private nextEphemeral = 40000;

  constructor(private readonly newChannel: () => { port1: MessagePort; port2: MessagePort } = () => new MessageChannel()) {}

  /** A node listens on `port` (127.0.0.1:port). */
  addNode(port: number, node: NetworkNode): void {
    this.nodes.set(port, node);
  }

  /** The node is gone (its worker terminated): its connections close, new dials to it are refused. */
  removeNode(port: number): void {
    this.nodes.delete(port);
    for (const r of [...this.relays]) if (r.from === port || r.to === port) r.reset();
  }

  hasNode(port: number): boolean {
    return this.nodes.has(port);
  }

  private link(a: number, b: number): Link {
    const key = linkKey(a, b);
    let l = this.links.get(key);
    if (l === undefined) {
      l = { latency: 0, cut: false, total: 0 };
      this.links.set(key, l);
    }
    return l;
  }

  /** A dial from the node on port `from` (its DialMessage): connect it, or refuse it. */
  dial(from: number, msg: DialMessage): void {
    const conn = msg.conn as unknown as PortLike;
    const target = this.nodes.get(msg.port);
    const link = this.link(from, msg.port);
    const local = msg.host === '127.0.0.1' || msg.host === 'localhost' || msg.host === '::1';
    if (!local || target === undefined || link.cut || !this.nodes.has(from)) {
      // Connection refused (or, for a cut link, no route): the replica retries from its cron.
      conn.postMessage({ type: 'closed' }, []);
      conn.close();
      return;
    }
    const channel = this.newChannel();
    target.accept(channel.port2, `127.0.0.1:${this.nextEphemeral++}`);
    const relay = new Relay(from, msg.port, linkKey(from, msg.port), conn, channel.port1 as unknown as PortLike, link, (r) =>
      this.relays.delete(r),
    );
    this.relays.add(relay);
  }

  /** One-way delay on the link between two nodes, in ms (what is already queued keeps its time). */
  setLatency(a: number, b: number, ms: number): void {
    this.link(a, b).latency = Math.max(0, ms);
  }

  /** Cut the link: its connections close both ways, what was in flight is lost, new dials fail. */
  cut(a: number, b: number): void {
    this.link(a, b).cut = true;
    const key = linkKey(a, b);
    for (const r of [...this.relays]) if (r.key === key) r.reset();
  }

  heal(a: number, b: number): void {
    this.link(a, b).cut = false;
  }

  stats(a: number, b: number): LinkStats {
    const l = this.link(a, b);
    const key = linkKey(a, b);
    let connections = 0;
    let inFlight = 0;
    for (const r of this.relays) {
      if (r.key !== key) continue;
      connections++;
      inFlight += r.toServer.inFlight + r.toDialer.inFlight;
    }
    return { latency: l.latency, cut: l.cut, connections, inFlight, total: l.total };
  }
}

/**
 * The engine's `dial` inside a node's worker: each connection is a MessagePort sent to the page
 * (see DialMessage). `afterIo` runs after each event, as a host does after socket events (the
 * engine's replies and propagation go out then).
 */
export function workerDialer(post: (m: DialMessage, transfer: Transferable[]) => void, afterIo: () => void): Dialer {
  return (host, port, handlers) => {
    const channel = new MessageChannel();
    const mine = channel.port1;
    let open = true;
    mine.onmessage = (ev: MessageEvent) => {
      const d = ev.data;
      if (!open) return;
      if (d instanceof Uint8Array) {
        handlers.data(d);
      } else if (d && d.type === 'connected') {
        handlers.connected();
      } else if (d && d.type === 'closed') {
        open = false;
        mine.onmessage = null;
        mine.close();
        handlers.closed();
      }
      afterIo();
    };
    mine.start?.();
    post({ type: 'dial', host, port, conn: channel.port2 }, [channel.port2]);
    return {
      write: (bytes) => {
        if (open) postBytes(mine, bytes);
      },
      close: () => {
        if (!open) return;
        open = false;
        mine.postMessage({ type: 'close' });
        mine.onmessage = null;
        mine.close();
      },
    };
  };
}
