import { afterEach, describe, expect, it } from 'vitest';
import { Network, workerDialer, type DialMessage, type NetworkNode } from '../../src/host/worker/network';
import { WorkerHost, type PortLike } from '../../src/host/worker/host';
import { RedisConnection, type Reply } from '../../src/host/worker/client';
import { replyText } from '../../src/host/worker/resp';
import { replicationState } from '../../src/host/worker/replication-state';
import { Engine } from '../../src/engine/server';
import { MemoryStorage } from '../../src/engine/persistence/storage';

/** The simulated network between the page's nodes (src/host/worker/network.ts), with real engines under Node. */

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Wait until `f` returns something truthy (polling; no timing is asserted). */
async function until<T>(f: () => T | Promise<T>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A fake node that echoes what it receives, upper-cased, and records its connections' addresses. */
function echoNode(addrs: string[] = []): NetworkNode {
  return {
    accept(conn, addr) {
      addrs.push(addr);
      const p = conn as unknown as PortLike;
      p.onmessage = (ev) => {
        const d = ev.data;
        if (d instanceof Uint8Array) p.postMessage(enc.encode(dec.decode(d).toUpperCase()), []);
        else if (d?.type === 'close') p.close();
      };
      p.start?.();
    },
  };
}

/** Dial from `from` to `port` through the network; returns what the dialer sees. */
function dialer(net: Network, from: number, port: number) {
  const events: string[] = [];
  const conn = workerDialer((m: DialMessage) => net.dial(from, m), () => {})('127.0.0.1', port, {
    connected: () => events.push('connected'),
    data: (b) => events.push(dec.decode(b)),
    closed: () => events.push('closed'),
  })!;
  return { events, conn };
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s();
});

describe('Network', () => {
  it('connects a dial to the node on that port and relays bytes both ways', async () => {
    const net = new Network();
    const addrs: string[] = [];
    net.addNode(6379, echoNode(addrs));
    net.addNode(6380, echoNode());
    const d = dialer(net, 6380, 6379);
    await until(() => d.events.includes('connected'), 'connected');
    d.conn.write(enc.encode('ping'));
    await until(() => d.events.includes('PING'), 'the echo');
    expect(addrs[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    const st = net.stats(6379, 6380);
    expect(st).toMatchObject({ connections: 1, cut: false, latency: 0, inFlight: 0, total: 8 });
    d.conn.close();
    await until(() => net.stats(6379, 6380).connections === 0, 'the relay to end');
  });

  it('refuses a dial to a port where no node listens', async () => {
    const net = new Network();
    net.addNode(6380, echoNode());
    const d = dialer(net, 6380, 6399);
    await until(() => d.events.length > 0, 'an answer');
    expect(d.events).toEqual(['closed']);
  });

  it('keeps the order of what it delays, and counts bytes in flight', async () => {
    const net = new Network();
    net.addNode(6379, echoNode());
    net.addNode(6380, echoNode());
    net.setLatency(6380, 6379, 40);
    const d = dialer(net, 6380, 6379);
    await until(() => d.events.includes('connected'), 'connected');
    for (const w of ['a', 'b', 'c', 'd', 'e']) d.conn.write(enc.encode(w));
    await until(() => net.stats(6379, 6380).inFlight > 0, 'bytes in flight');
    // Lower the latency meanwhile: what follows may not overtake what is queued.
    net.setLatency(6379, 6380, 0);
    d.conn.write(enc.encode('f'));
    await until(() => d.events.length >= 7, 'every echo');
    expect(d.events).toEqual(['connected', 'A', 'B', 'C', 'D', 'E', 'F']);
    await until(() => net.stats(6379, 6380).inFlight === 0, 'nothing in flight');
    expect(net.stats(6379, 6380).total).toBe(12);
  });

  it('a cut closes the connections both ways and refuses new dials until healed', async () => {
    const net = new Network();
    net.addNode(6379, echoNode());
    net.addNode(6380, echoNode());
    const d = dialer(net, 6380, 6379);
    await until(() => d.events.includes('connected'), 'connected');
    net.cut(6379, 6380);
    await until(() => d.events.includes('closed'), 'the close');
    expect(net.stats(6380, 6379)).toMatchObject({ cut: true, connections: 0 });
    const refused = dialer(net, 6380, 6379);
    await until(() => refused.events.length > 0, 'an answer');
    expect(refused.events).toEqual(['closed']);
    net.heal(6379, 6380);
    const again = dialer(net, 6380, 6379);
    await until(() => again.events.includes('connected'), 'connected again');
  });

  it('closes the connections of a node that is removed (its worker was killed)', async () => {
    const net = new Network();
    net.addNode(6379, echoNode());
    net.addNode(6380, echoNode());
    const d = dialer(net, 6380, 6379);
    await until(() => d.events.includes('connected'), 'connected');
    net.removeNode(6379);
    await until(() => d.events.includes('closed'), 'the close');
    const refused = dialer(net, 6380, 6379);
    await until(() => refused.events.length > 0, 'an answer');
    expect(refused.events).toEqual(['closed']);
  });
});

describe('replication over the simulated network', () => {
  /** A node: an engine in a WorkerHost (as in its worker), dialing through `net`. */
  function node(net: Network, port: number): WorkerHost {
    const host: WorkerHost = new WorkerHost({
      config: { port: String(port), 'repl-diskless-sync-delay': '0' },
      engine: { dial: workerDialer((m) => net.dial(port, m), () => host.engine.flushReplies()) },
    });
    net.addNode(port, { accept: (conn, addr) => host.attach(conn as unknown as PortLike, addr) });
    host.start();
    stops.push(() => host.stop());
    return host;
  }

  function connect(host: WorkerHost): RedisConnection {
    const ch = new MessageChannel();
    host.attach(ch.port2 as unknown as PortLike);
    return new RedisConnection(ch.port1);
  }

  const text = (r: Reply): string => replyText(r) ?? r.type;

  it('a replica syncs, a cut link catches up with a partial resync once healed', async () => {
    const net = new Network();
    const master = node(net, 6379);
    const replica = node(net, 6380);
    const m = connect(master);
    const r = connect(replica);
    await m.send('SET', 'k', 'v1');
    expect(text(await r.send('REPLICAOF', '127.0.0.1', '6379'))).toBe('OK');
    await until(() => replicationState(replica.engine).link === 'connected', 'the link up');
    await until(async () => text(await r.send('GET', 'k')) === 'v1', 'the full sync');
    expect(replicationState(master.engine)).toMatchObject({ syncFull: 1, replicas: [{ port: 6380, state: 'online' }] });

    net.cut(6380, 6379);
    await until(() => replicationState(replica.engine).link !== 'connected', 'the link down');
    await m.send('SET', 'k', 'v2');
    expect(text(await r.send('GET', 'k'))).toBe('v1');
    net.heal(6380, 6379);
    await until(async () => text(await r.send('GET', 'k')) === 'v2', 'the catch-up');
    expect(replicationState(master.engine)).toMatchObject({ syncFull: 1, syncPartialOk: 1 });
    m.close();
    r.close();
  });

  it('a replica restarted with replicaof in its configuration replays its AOF (not refused as READONLY)', async () => {
    const storage = new MemoryStorage();
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
    };
    const first = new Engine({ storage, config: { appendonly: 'yes', save: '' } });
    await first.loadFromStorage();
    await settle();
    const c = first.connect({ write: () => {}, close: () => {} });
    c.feed(enc.encode('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n'));
    first.flushReplies();
    await settle();
    const again = new Engine({ storage, config: { appendonly: 'yes', save: '', replicaof: '127.0.0.1 6379' } });
    expect(await again.loadFromStorage()).toMatchObject({ source: 'aof', keys: 1 });
  });
});
