import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { showReply, type Reply } from '../support/resp-reader';
import { hello, sameRead, sameReads, start, text, type ConnPair as Pair } from '../support/both';

/**
 * Pub/Sub against a real Redis 7.0: subscription confirmations, delivery to other connections
 * (RESP2 arrays and RESP3 pushes), patterns, shard channels, PUBSUB introspection. Every byte a
 * subscriber reads must match; the only normalisation is the order of what Redis keeps in a hash
 * table (the channels of a no-argument UNSUBSCRIBE, several patterns matching one message).
 */
const pair = usePair();

/**
 * The next n replies on both sides: the same replies in any order (Redis's hash order). Confirmations
 * carry a running count that depends on that order, so the counts are compared in order, apart.
 */
async function sameReadUnordered(p: Pair, n: number): Promise<void> {
  const a: string[] = [];
  const b: string[] = [];
  for (let i = 0; i < n; i++) {
    a.push(text(await p.real.read()));
    b.push(text(await p.ours.read()));
  }
  const count = /:(\d+)\r\n$/;
  const counts = (xs: string[]) => xs.map((x) => count.exec(x)?.[1] ?? '');
  const bodies = (xs: string[]) => xs.map((x) => x.replace(count, '')).sort();
  expect(bodies(b)).toEqual(bodies(a));
  expect(counts(b)).toEqual(counts(a));
}

/** Run a command on both and compare all the replies it produces (n of them). */
async function sameCmd(p: Pair, argv: string[], n = 1): Promise<string[]> {
  start(p, ...argv);
  return sameReads(p, n);
}

/** The pub/sub part of a CLIENT INFO line. */
const subFields = (r: Reply): unknown => {
  if (r.t !== 'bulk' && r.t !== 'verbatim') return showReply(r);
  return /flags=\S+ db=\d+ sub=\d+ psub=\d+ ssub=\d+/.exec(r.v ?? '')?.[0] ?? r.v;
};

/** INFO stats' pubsub fields. */
const pubsubInfo = (r: Reply): unknown => {
  if (r.t !== 'bulk' && r.t !== 'verbatim') return showReply(r);
  return (r.v ?? '').split('\r\n').filter((l) => l.startsWith('pubsub'));
};

/** Wait until NUMSUB of channel reports n on both servers (a closed connection is freed asynchronously). */
async function waitNumsub(channel: string, n: number): Promise<void> {
  for (const c of [pair.real, pair.ours]) {
    for (let i = 0; ; i++) {
      const r = text(await c.send('PUBSUB', 'NUMSUB', channel));
      if (r.endsWith(`:${n}\r\n`)) break;
      if (i > 200) throw new Error(`NUMSUB ${channel} never reached ${n}: ${r}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  }
}

describe('subscribing', () => {
  it('confirms each channel with the running count; unsubscribing with nothing subscribed', async () => {
    const s = await pair.connect();
    await sameCmd(s, ['UNSUBSCRIBE']);
    await sameCmd(s, ['PUNSUBSCRIBE']);
    await sameCmd(s, ['SUNSUBSCRIBE']);
    await sameCmd(s, ['UNSUBSCRIBE', 'a', 'b'], 2);
    await sameCmd(s, ['SUBSCRIBE', 'a', 'b', 'a', ''], 4);
    await sameCmd(s, ['PSUBSCRIBE', 'h*', 'h*', 'x?'], 3);
    await sameCmd(s, ['SSUBSCRIBE', 's1', 's2', 's1'], 3);
    await sameCmd(s, ['UNSUBSCRIBE', 'b', 'nope', 'b'], 3);
    await sameCmd(s, ['PUNSUBSCRIBE', 'x?', 'zz'], 2);
    await sameCmd(s, ['SUNSUBSCRIBE', 's2'], 1);
    // Patterns are a list: no-argument PUNSUBSCRIBE goes in subscription order.
    await sameCmd(s, ['PSUBSCRIBE', 'p3', 'p1', 'p2'], 3);
    await sameCmd(s, ['PUNSUBSCRIBE'], 4);
    // Channels are a hash table: the order of a no-argument UNSUBSCRIBE is Redis's hash order.
    await sameCmd(s, ['SUBSCRIBE', 'c1', 'c2', 'c3'], 3);
    start(s, 'UNSUBSCRIBE');
    await sameReadUnordered(s, 5);
    await sameCmd(s, ['SUNSUBSCRIBE'], 1);
    await sameCmd(s, ['PING']);
    await sameCmd(s, ['SUBSCRIBE']);
    await sameCmd(s, ['PSUBSCRIBE']);
    await sameCmd(s, ['SSUBSCRIBE']);
  });

  it('RESP2 subscribers may only manage subscriptions, PING (a "pong" array) and RESET', async () => {
    const s = await pair.connect();
    await sameCmd(s, ['SSUBSCRIBE', 'sh']);
    await sameCmd(s, ['PING']);
    await sameCmd(s, ['GET', 'k']);
    await sameCmd(s, ['SUNSUBSCRIBE']);
    await sameCmd(s, ['SUBSCRIBE', 'c']);
    for (const argv of [['PING'], ['PING', 'hello'], ['PING', 'a', 'b'], ['GET', 'k'], ['SET', 'k', 'v'], ['HELLO', '3'],
      ['CLIENT', 'INFO'], ['MULTI'], ['PUBLISH', 'c', 'x'], ['PUBSUB', 'NUMSUB', 'c'], ['EXEC'], ['MONITOR'], ['nosuch']]) {
      await sameCmd(s, argv);
    }
    await sameCmd(s, ['RESET']);
    await sameCmd(s, ['PING']);
    await sameCmd(s, ['PUBSUB', 'NUMSUB', 'c']);
  });

  it('RESP3 subscribers get pushes and may run any command', async () => {
    const s = await pair.connect();
    const w = await pair.connect();
    await hello(s, '3');
    await sameCmd(s, ['UNSUBSCRIBE']);
    await sameCmd(s, ['SUBSCRIBE', 'c', 'd'], 2);
    await sameCmd(s, ['PSUBSCRIBE', 'c*'], 1);
    await sameCmd(s, ['SSUBSCRIBE', 'sh'], 1);
    await sameCmd(s, ['PING']);
    await sameCmd(s, ['SET', 'k', 'v']);
    await sameCmd(s, ['GET', 'k']);
    await sameCmd(w, ['PUBLISH', 'c', 'hi']);
    await sameReads(s, 2); // message, then pmessage
    await sameCmd(w, ['SPUBLISH', 'sh', 'hi']);
    await sameRead(s);
    // Publishing to itself: the push comes before the reply.
    await sameCmd(s, ['PUBLISH', 'd', 'me'], 2);
    await pair.sameOn(s, step(['CLIENT', 'INFO'], subFields));
    await sameCmd(s, ['UNSUBSCRIBE', 'c'], 1);
    await sameCmd(s, ['PUNSUBSCRIBE'], 1);
    // Back to RESP2 while still subscribed: the restrictions apply again.
    await hello(s, '2');
    await sameCmd(s, ['PING']);
    await sameCmd(s, ['GET', 'k']);
    start(s, 'UNSUBSCRIBE');
    await sameReads(s, 1);
    await sameCmd(s, ['SUNSUBSCRIBE']);
    await sameCmd(s, ['GET', 'k']);
  });
});

describe('publishing', () => {
  it('delivers message, pmessage and smessage to every subscriber and counts receivers', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    const w = await pair.connect();
    await sameCmd(a, ['SUBSCRIBE', 'news', 'other'], 2);
    await sameCmd(b, ['SUBSCRIBE', 'news'], 1);
    await sameCmd(b, ['PSUBSCRIBE', 'n*s', 'x'], 2);
    await sameCmd(a, ['SSUBSCRIBE', 'news'], 1);
    await pair.sameOn(w, ['PUBLISH', 'news', 'hello'], ['PUBLISH', 'nothing', 'x'], ['PUBLISH', 'x', 'to pattern x']);
    await sameRead(a);
    await sameReads(b, 3);
    await pair.sameOn(w, ['SPUBLISH', 'news', 'sharded'], ['SPUBLISH', 'other', 'x']);
    await sameRead(a);
    // Binary payloads and channels, an empty message, a large one.
    const big = 'z'.repeat(100_000);
    await pair.sameOn(w, ['PUBLISH', 'news', ''], ['PUBLISH', 'news', '\x00\r\n\xff'], ['PUBLISH', 'news', big]);
    await sameReads(a, 3);
    await sameReads(b, 6);
    await pair.sameOn(w, ['PUBLISH', 'news'], ['PUBLISH', 'a', 'b', 'c'], ['SPUBLISH', 'news']);
  });

  it('a message matching several patterns of one client arrives once per pattern', async () => {
    const a = await pair.connect();
    const w = await pair.connect();
    await sameCmd(a, ['PSUBSCRIBE', 'a*', '*', 'ab?', 'a[b-c]c'], 4);
    await sameCmd(a, ['SUBSCRIBE', 'abc'], 1);
    await pair.sameOn(w, ['PUBLISH', 'abc', 'm']);
    await sameRead(a); // the channel subscription first
    await sameReadUnordered(a, 4); // then the patterns, in Redis's hash order
  });

  it('glob patterns as Redis matches them', async () => {
    const patterns = ['*', '?', 'h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h\\*llo', '[z-a]', '*[', 'a\\', '\\?', ''];
    const channels = ['', 'a', 'hello', 'hallo', 'hbllo', 'hxllo', 'h*llo', 'heeeello', 'q', '[', 'x[', 'a\\', '?'];
    const subs: Pair[] = [];
    for (const p of patterns) {
      const s = await pair.connect();
      await sameCmd(s, ['PSUBSCRIBE', p]);
      subs.push(s);
    }
    const w = await pair.connect();
    for (const ch of channels) await pair.sameOn(w, ['PUBLISH', ch, 'm:' + ch]);
    // Each subscriber read what its pattern matched, then the "pong" of a PING sent last.
    for (const s of subs) {
      start(s, 'PING', 'end');
      const got: string[] = [];
      for (;;) {
        const line = await sameRead(s);
        got.push(line);
        if (line.includes('pong')) break;
      }
    }
  });

  it('PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB, HELP; INFO and CLIENT LIST counts', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    const sorted = (r: Reply): unknown => (r.t === 'array' && r.v ? r.v.map(showReply).sort() : showReply(r));
    // (Connections of earlier tests may still hold subscriptions: the same on both servers.)
    await pair.same(step(['PUBSUB', 'CHANNELS'], sorted), ['PUBSUB', 'NUMSUB'], ['PUBSUB', 'NUMPAT'],
      step(['PUBSUB', 'SHARDCHANNELS'], sorted), ['PUBSUB', 'SHARDNUMSUB'], step(['INFO', 'stats'], pubsubInfo));
    await sameCmd(a, ['SUBSCRIBE', 'x1', 'x2', 'y'], 3);
    await sameCmd(b, ['SUBSCRIBE', 'x1'], 1);
    await sameCmd(a, ['PSUBSCRIBE', 'p*', 'q*'], 2);
    await sameCmd(b, ['PSUBSCRIBE', 'p*'], 1);
    await sameCmd(a, ['SSUBSCRIBE', 's1', 's2'], 2);
    await sameCmd(b, ['SSUBSCRIBE', 's1'], 1);
    await pair.same(
      step(['PUBSUB', 'CHANNELS'], sorted), step(['PUBSUB', 'CHANNELS', 'x*'], sorted), ['PUBSUB', 'CHANNELS', 'nomatch*'],
      ['PUBSUB', 'NUMSUB', 'x1', 'x2', 'y', 'z', 'p*', 's1'], ['PUBSUB', 'NUMPAT'],
      step(['PUBSUB', 'SHARDCHANNELS'], sorted), ['PUBSUB', 'SHARDCHANNELS', 's2'],
      ['PUBSUB', 'SHARDNUMSUB', 's1', 's2', 'x1'], ['PUBSUB', 'HELP'], ['pubsub', 'help'],
      ['PUBSUB', 'CHANNELS', 'a', 'b'], ['PUBSUB', 'SHARDCHANNELS', 'a', 'b'], ['PUBSUB', 'NUMPAT', 'x'],
      ['PUBSUB', 'HELP', 'x'], ['PUBSUB', 'nosuch'], ['PUBSUB'],
      step(['INFO', 'stats'], pubsubInfo), step(['CLIENT', 'LIST', 'TYPE', 'pubsub'], (r) => (r.t === 'bulk' ? (r.v ?? '').split('\n').length : showReply(r))),
    );
    await pair.sameOn(a, step(['CLIENT', 'INFO'], subFields));
    await hello(b, '3');
    await pair.sameOn(b, step(['CLIENT', 'INFO'], subFields), step(['PUBSUB', 'CHANNELS', 'x1'], sorted), ['PUBSUB', 'NUMSUB', 'x1']);
    // A disconnected subscriber is gone from the counts.
    b.real.close();
    b.ours.close();
    await waitNumsub('x1', 1);
    await pair.same(['PUBSUB', 'NUMSUB', 'x1'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'SHARDNUMSUB', 's1'], step(['INFO', 'stats'], pubsubInfo));
    await sameCmd(a, ['RESET']);
    await pair.same(['PUBSUB', 'NUMSUB', 'x1'], ['PUBSUB', 'NUMPAT'], step(['INFO', 'stats'], pubsubInfo));
  });
});

describe('in transactions and with CLIENT REPLY', () => {
  it('SUBSCRIBE inside EXEC is allowed, SSUBSCRIBE is not', async () => {
    const s = await pair.connect();
    await sameCmd(s, ['MULTI']);
    await sameCmd(s, ['SSUBSCRIBE', 'sh']);
    await sameCmd(s, ['SUBSCRIBE', 'c']);
    await sameCmd(s, ['PSUBSCRIBE', 'p*']);
    await sameCmd(s, ['EXEC']);
    await sameCmd(s, ['PING']);
    await sameCmd(s, ['PUNSUBSCRIBE'], 1);
    await sameCmd(s, ['UNSUBSCRIBE'], 1);
    await sameCmd(s, ['PING']);
  });

  it('messages from other clients get through CLIENT REPLY OFF (pushes are not replies)', async () => {
    // RESP3 only: a RESP2 subscriber cannot run CLIENT REPLY (and one muted before subscribing still
    // gets its SUBSCRIBE confirmation from Redis, which needs the engine's hook; see pubsub.ts).
    {
      const s = await pair.connect();
      const w = await pair.connect();
      await hello(s, '3');
      await sameCmd(s, ['SUBSCRIBE', 'c']);
      start(s, 'CLIENT', 'REPLY', 'OFF');
      await pair.sameOn(w, ['PUBLISH', 'c', 'sent while off']);
      await sameRead(s);
      start(s, 'PING');
      await pair.sameOn(w, ['PUBLISH', 'c', 'after a muted PING']);
      await sameRead(s);
      await sameCmd(s, ['CLIENT', 'REPLY', 'ON']);
      await pair.sameOn(w, ['PUBLISH', 'c', 'on again']);
      await sameRead(s);
    }
  });
});

describe('command table', () => {
  it('COMMAND INFO (with the not_key key specs of the shard commands) and GETKEYS', async () => {
    await pair.same(
      ['COMMAND', 'INFO', 'subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe', 'publish',
        'spublish', 'pubsub|channels', 'pubsub|numsub', 'pubsub|numpat', 'pubsub|shardchannels', 'pubsub|shardnumsub',
        'pubsub|help', 'monitor'],
      step(['COMMAND', 'INFO', 'pubsub'], (r) => (r.t === 'array' && r.v ? r.v.map((e) => (e.t === 'array' && e.v ? e.v.slice(0, 9).map(showReply) : showReply(e))) : showReply(r))),
      ['COMMAND', 'GETKEYS', 'SPUBLISH', 'ch', 'm'], ['COMMAND', 'GETKEYSANDFLAGS', 'SSUBSCRIBE', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'PUBLISH', 'ch', 'm'], ['COMMAND', 'GETKEYS', 'SUNSUBSCRIBE'],
    );
  });
});
