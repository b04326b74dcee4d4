import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { WorkerHost, type PortLike } from '../../src/host/worker/host';
import { RedisConnection } from '../../src/host/worker/client';
import type { FromWorker, KeyspaceEventsMessage } from '../../src/host/worker/protocol';

/** The worker's keyspace-event feed for the explorer: every event, batched per tick, resets for FLUSH* & co. */

function open(host: WorkerHost): RedisConnection {
  const ch = new MessageChannel();
  host.attach(ch.port2 as unknown as PortLike);
  return new RedisConnection(ch.port1 as unknown as MessagePort);
}

function feed(host: WorkerHost): { batches: KeyspaceEventsMessage[]; next(): Promise<KeyspaceEventsMessage> } {
  const batches: KeyspaceEventsMessage[] = [];
  let waiting: ((m: KeyspaceEventsMessage) => void) | null = null;
  host.handle({ type: 'keyspace-feed' }, (m: FromWorker) => {
    if (m.type !== 'keyspace-events') return;
    batches.push(m);
    waiting?.(m);
    waiting = null;
  });
  return {
    batches,
    next: () => new Promise((resolve) => (waiting = resolve)),
  };
}

describe('the keyspace-event feed', () => {
  it('sends every event whatever notify-keyspace-events says, one batch per tick', async () => {
    const host = new WorkerHost({ config: { 'enable-debug-command': 'yes' } });
    const f = feed(host);
    const conn = open(host);
    try {
      expect((await conn.send('CONFIG', 'GET', 'notify-keyspace-events')).type).toBe('array');
      await Promise.all([conn.send('SET', 'a', '1'), conn.send('RPUSH', 'l', 'x'), conn.send('GET', 'missing'), conn.send('DEL', 'a')]);
      // One batch per tick of the worker (the four requests may arrive in one tick or several).
      while (!f.batches.some((b) => b.events.some((e) => e.event === 'del'))) await f.next();
      expect(f.batches.some((b) => b.reset)).toBe(false);
      expect(f.batches.flatMap((b) => b.events)).toEqual([
        { db: 0, key: 'a', event: 'new' },
        { db: 0, key: 'a', event: 'set' },
        { db: 0, key: 'l', event: 'new' },
        { db: 0, key: 'l', event: 'rpush' },
        { db: 0, key: 'a', event: 'del' },
      ]);
      // Nothing is published: notify-keyspace-events is still off for clients.
      expect(await conn.send('CONFIG', 'GET', 'notify-keyspace-events')).toEqual({
        type: 'array',
        value: [{ type: 'bulk', value: new TextEncoder().encode('notify-keyspace-events') }, { type: 'bulk', value: new Uint8Array() }],
      });
    } finally {
      conn.close();
      host.stop();
    }
  });

  it('says "reset" for commands that change many keys without events', async () => {
    const host = new WorkerHost({ config: { 'enable-debug-command': 'yes' } });
    const f = feed(host);
    const conn = open(host);
    try {
      for (const cmd of [['FLUSHALL'], ['DEBUG', 'POPULATE', '10'], ['SWAPDB', '0', '1'], ['FLUSHDB']]) {
        const batch = f.next();
        await conn.send(...cmd);
        expect(await batch, cmd.join(' ')).toEqual({ type: 'keyspace-events', events: [], reset: true });
      }
      const batch = f.next();
      await conn.send('SELECT', '3');
      await conn.send('SET', 'k', 'v');
      expect((await batch).events).toEqual([{ db: 3, key: 'k', event: 'new' }, { db: 3, key: 'k', event: 'set' }]);
    } finally {
      conn.close();
      host.stop();
    }
  });

  it('too many events in one tick become one reset', async () => {
    const host = new WorkerHost({ config: { 'enable-debug-command': 'yes' } });
    const f = feed(host);
    const conn = open(host);
    try {
      await conn.send('DEBUG', 'POPULATE', '20000');
      await new Promise((r) => setTimeout(r, 0));
      f.batches.length = 0;
      const batch = f.next();
      const keys = Array.from({ length: 20000 }, (_, i) => `key:${i}`);
      expect(await conn.send('DEL', ...keys)).toEqual({ type: 'integer', value: 20000 });
      expect(await batch).toEqual({ type: 'keyspace-events', events: [], reset: true });
    } finally {
      conn.close();
      host.stop();
    }
  });
});
