import { describe, expect, it } from 'vitest';
import { usePair } from '../support/pair';
import { hello, sameRead, sameReads, start, text, type ConnPair as Pair } from '../support/both';
import type { Conn } from '../support/harness';

/**
 * Client side caching (CLIENT TRACKING) against a real Redis 7.0: the invalidation messages each
 * connection reads must be the same bytes, in the same order, as the real server's. Every command
 * is followed by reading exactly the frames it should produce (its reply, then any push), so an
 * extra or missing message shows up as a difference. Client ids differ between the servers: the
 * REDIRECT steps send each server its own id, and ids inside replies are normalised.
 */
const pair = usePair();

/** Run argv on both sides and compare the n frames it produces (reply and pushes, in order). */
async function cmd(p: Pair, argv: string[], n = 1): Promise<string[]> {
  start(p, ...argv);
  return sameReads(p, n);
}

/** Each side's client id of p. */
async function clientId(p: Pair): Promise<{ real: string; ours: string }> {
  const [a, b] = await Promise.all([p.real.send('CLIENT', 'ID'), p.ours.send('CLIENT', 'ID')]);
  return { real: text(a).slice(1, -2), ours: text(b).slice(1, -2) };
}

/** Run a command that names a client id (each side its own) and compare the replies with the ids normalised. */
async function withId(p: Pair, id: { real: string; ours: string }, argv: (id: string) => string[], n = 1): Promise<string[]> {
  p.real.writeRaw(encode(argv(id.real)));
  p.ours.writeRaw(encode(argv(id.ours)));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = await Promise.all([p.real.read(), p.ours.read()]);
    expect(normId(text(b), id.ours)).toBe(normId(text(a), id.real));
    out.push(text(a));
  }
  return out;
}

function encode(argv: string[]): string {
  let s = '*' + argv.length + '\r\n';
  for (const a of argv) s += '$' + Buffer.byteLength(a, 'latin1') + '\r\n' + a + '\r\n';
  return s;
}

/** A reply with a client id in it (":id", "redir=id", "redirect :id") made comparable. */
function normId(s: string, id: string): string {
  return s.split(`:${id}\r\n`).join(':ID\r\n').split(`redir=${id} `).join('redir=ID ');
}

/** A new pair of connections, switched to RESP3 when asked. */
async function conn(resp: 2 | 3 = 2): Promise<Pair> {
  const p = await pair.connect();
  if (resp === 3) await hello(p, '3');
  return p;
}

/** The fields of INFO that tracking keeps. */
async function trackingInfo(c: Conn): Promise<string[]> {
  const all = text(await c.send('INFO', 'everything'));
  return all.split('\r\n').filter((l) => l.startsWith('tracking_'));
}

async function sameTrackingInfo(): Promise<string[]> {
  const [a, b] = await Promise.all([trackingInfo(pair.real), trackingInfo(pair.ours)]);
  expect(b).toEqual(a);
  return a;
}

/** Poll until INFO shows tracking_clients:n on both servers (a closed connection is freed asynchronously). */
async function waitTrackingClients(n: number): Promise<void> {
  for (const c of [pair.real, pair.ours]) {
    for (let i = 0; ; i++) {
      const info = text(await c.send('INFO', 'clients'));
      if (info.includes(`tracking_clients:${n}\r\n`)) break;
      if (i > 200) throw new Error(`tracking_clients never reached ${n}: ${info}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The part of CLIENT INFO that tracking sets: flags and redir. */
async function flagsAndRedir(p: Pair, id: { real: string; ours: string }): Promise<void> {
  const [a, b] = await Promise.all([p.real.send('CLIENT', 'INFO'), p.ours.send('CLIENT', 'INFO')]);
  const pick = (s: string, own: string) => normId(/flags=\S+/.exec(s)![0] + ' ' + /redir=\S+ /.exec(s)![0], own);
  expect(pick(text(b), id.ours)).toBe(pick(text(a), id.real));
}

describe('CLIENT TRACKING options and errors', () => {
  it('every error text, in Redis order of checks', async () => {
    const p = await conn();
    const other = await conn();
    const id = await clientId(other);
    await withId(p, id, (i) => ['CLIENT', 'TRACKING', 'on', 'REDIRECT', i, 'REDIRECT', i]);
    for (const argv of [
      ['CLIENT', 'TRACKING'], ['CLIENT', 'TRACKING', 'maybe'], ['CLIENT', 'TRACKING', 'on', 'REDIRECT'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x'], ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '0'], ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '-1'],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '99999999999999999999'], ['CLIENT', 'TRACKING', 'on', 'PREFIX'],
      ['CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'], ['CLIENT', 'TRACKING', 'on', 'BOGUS'],
      ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTOUT', 'OPTIN'], ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT', 'PREFIX', 'a'],
      // OFF parses the options too, but does not check how they combine
      ['CLIENT', 'TRACKING', 'off', 'REDIRECT', '999999'], ['CLIENT', 'TRACKING', 'off', 'PREFIX', 'a'],
      ['CLIENT', 'TRACKING', 'off', 'OPTIN', 'OPTOUT'], ['CLIENT', 'TRACKING', 'off', 'x'],
      ['CLIENT', 'TRACKING', 'ON', 'optin'], ['CLIENT', 'TRACKING', 'on', 'OPTOUT'], ['CLIENT', 'TRACKING', 'on', 'BCAST'],
      ['CLIENT', 'TRACKING', 'on', 'noloop'], ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'CACHING'], ['CLIENT', 'CACHING', 'yes', 'x'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING', 'no'],
      ['CLIENT', 'CACHING', 'maybe'], ['CLIENT', 'TRACKING', 'Off'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING', 'maybe'],
      ['CLIENT', 'GETREDIR', 'x'], ['CLIENT', 'TRACKINGINFO', 'x'], ['CLIENT', 'GETREDIR'], ['CLIENT', 'TRACKINGINFO'],
    ]) {
      await cmd(p, argv);
    }
  });

  it('OPTIN/OPTOUT/BCAST cannot change while on; options combine with the current mode', async () => {
    const p = await conn(3);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'OPTIN']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'OPTOUT']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST']);
    await cmd(p, ['CLIENT', 'CACHING', 'yes']);
    await cmd(p, ['CLIENT', 'TRACKINGINFO']);
    // re-enabling without OPTIN drops it (and CACHING stays set, as in Redis)
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'NOLOOP']);
    await cmd(p, ['CLIENT', 'TRACKINGINFO']);
    await cmd(p, ['CLIENT', 'GETREDIR']);
    await cmd(p, ['CLIENT', 'TRACKING', 'off']);
    await cmd(p, ['CLIENT', 'TRACKINGINFO']);
    await cmd(p, ['CLIENT', 'GETREDIR']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'OPTOUT']);
    await cmd(p, ['CLIENT', 'CACHING', 'no']);
    await cmd(p, ['CLIENT', 'TRACKINGINFO']);
  });

  it('BCAST prefixes: overlaps are refused, exactly as Redis 7.0 words (and sometimes also accepts) them', async () => {
    const p = await conn(3);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'xyz', 'PREFIX', 'xy']);
    await cmd(p, ['CLIENT', 'TRACKINGINFO']);
    // an overlap found for a later prefix still turns tracking on: an error, then OK
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b', 'PREFIX', 'bc'], 2);
    await cmd(p, ['CLIENT', 'TRACKINGINFO']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'bcd']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'c', 'PREFIX', 'd']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x\r\ny', 'PREFIX', 'x']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST']);
    await cmd(p, ['CLIENT', 'TRACKINGINFO']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on']);
    await cmd(p, ['CLIENT', 'TRACKING', 'off']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST']);
    await cmd(p, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a']);
    await cmd(p, ['CLIENT', 'TRACKINGINFO']);
    await cmd(p, ['CLIENT', 'TRACKING', 'off']);
  });
});

describe('default mode', () => {
  it('RESP3: a key read is invalidated once when another client writes it', async () => {
    const t = await conn(3);
    const w = await conn();
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(w, ['SET', 'k', 'v']);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['MGET', 'k', 'k2', 'k3']);
    await cmd(w, ['SET', 'k', 'v2']);
    await sameRead(t);
    // no longer tracked until read again
    await cmd(w, ['SET', 'k', 'v3']);
    await cmd(w, ['MSET', 'k2', '1', 'k3', '2']);
    await sameReads(t, 2);
    await cmd(t, ['PING']);
    await cmd(t, ['HGETALL', 'h']);
    await cmd(t, ['EXISTS', 'k', 'h']);
    // DEL of a missing key modifies nothing: h is still tracked afterwards
    await cmd(w, ['DEL', 'k', 'h']);
    await sameRead(t);
    await cmd(w, ['HSET', 'h', 'f', 'v']);
    await sameRead(t);
    await cmd(t, ['PING']);
  });

  it('the client writing a key it tracks reads its reply first, then the message; NOLOOP skips it', async () => {
    const t = await conn(3);
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['SET', 'k', '1'], 2);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['INCR', 'k'], 2);
    await cmd(t, ['CLIENT', 'TRACKING', 'on', 'NOLOOP']);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['SET', 'k', '3']);
    await cmd(t, ['GET', 'k']);
    const w = await conn();
    await cmd(w, ['SET', 'k', '4']);
    await sameRead(t);
    await cmd(t, ['CLIENT', 'TRACKINGINFO']);
  });

  it('MULTI/EXEC: the messages follow the whole EXEC reply', async () => {
    const t = await conn(3);
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['MULTI']);
    await cmd(t, ['SET', 'k', '2']);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['SET', 'k', '3']);
    await cmd(t, ['EXEC'], 3);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['MULTI']);
    await cmd(t, ['FLUSHDB']);
    await cmd(t, ['GET', 'x']);
    await cmd(t, ['EXEC'], 2);
  });

  it('RESP2 without redirection: nothing is sent, but the table is kept', async () => {
    const t = await conn();
    const w = await conn();
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(t, ['GET', 'a']);
    await cmd(t, ['SET', 'a', '1']);
    await cmd(t, ['GET', 'a']);
    await cmd(t, ['GET', 'b']);
    await sameTrackingInfo();
    await cmd(w, ['SET', 'a', '2']);
    await cmd(t, ['PING']);
    await sameTrackingInfo();
    await cmd(t, ['CLIENT', 'TRACKING', 'off']);
  });

  it('keys of every kind of read: multi-key, SORT_RO, blocking reads that answer at once, reads that fail', async () => {
    const t = await conn(3);
    const w = await conn();
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(w, ['SET', 'str', 'x']);
    for (const argv of [
      ['SUNION', 's1', 's2'], ['SORT_RO', 'l1'], ['LRANGE', 'str', '0', '-1'], ['ZUNION', '2', 'z1', 'z2'],
      ['XREAD', 'STREAMS', 'x1', 'x2', '0', '0'], ['SCAN', '0'], ['DBSIZE'], ['TYPE', 't1'], ['STRLEN', 't2'],
    ]) {
      await cmd(t, argv);
    }
    await sameTrackingInfo();
    for (const k of ['s1', 's2', 'l1', 'str', 'z1', 'z2', 'x1', 'x2', 't1', 't2']) {
      await cmd(w, ['SET', k, 'v']);
      await sameRead(t);
    }
    await cmd(t, ['PING']);
  });

  it('the table is global, not per database; FLUSHALL and FLUSHDB send a null to every tracking client', async () => {
    const t3 = await conn(3);
    const t2 = await conn();
    const sub = await conn();
    const w = await conn();
    const subId = await clientId(sub);
    await cmd(sub, ['SUBSCRIBE', 'x']);
    await cmd(t3, ['CLIENT', 'TRACKING', 'on']);
    await withId(t2, subId, (i) => ['CLIENT', 'TRACKING', 'on', 'REDIRECT', i]);
    await cmd(t3, ['SELECT', '1']);
    await cmd(t3, ['GET', 'k']);
    await cmd(w, ['SET', 'k', 'in db 0']);
    await sameRead(t3);
    await cmd(w, ['FLUSHDB']);
    await sameRead(t3);
    await sameRead(sub);
    await cmd(t3, ['FLUSHALL'], 2);
    await sameRead(sub);
    await cmd(t2, ['FLUSHALL', 'ASYNC']);
    await sameRead(t3);
    await sameRead(sub);
    await sameTrackingInfo();
  });
});

describe('OPTIN and OPTOUT', () => {
  it('CACHING yes tracks the next command only (or a transaction); CLIENT subcommands keep it', async () => {
    const t = await conn(3);
    const w = await conn();
    await cmd(t, ['CLIENT', 'TRACKING', 'on', 'OPTIN']);
    const steps = [
      ['GET', 'a'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'GETNAME'], ['GET', 'b'], ['GET', 'c'],
      ['CLIENT', 'CACHING', 'yes'], ['MULTI'], ['GET', 'd'], ['GET', 'e'], ['EXEC'], ['GET', 'f'],
      ['CLIENT', 'CACHING', 'yes'], ['NOSUCH'], ['GET', 'g'],
      ['CLIENT', 'CACHING', 'yes'], ['GET'], ['GET', 'h'],
      ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'NOSUCH'], ['GET', 'i'],
      ['CLIENT', 'CACHING', 'yes'], ['CLIENT'], ['GET', 'j'],
      ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING'], ['GET', 'k'],
      ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'TRACKINGINFO'], ['PING'], ['CLIENT', 'TRACKINGINFO'],
    ];
    for (const argv of steps) await cmd(t, argv);
    for (const k of 'abcdefghijk') {
      await cmd(w, ['SET', k, '1']);
      await cmd(t, ['PING'], ['b', 'd', 'e', 'k'].includes(k) ? 2 : 1);
    }
  });

  it('CACHING no leaves the next command untracked in OPTOUT mode', async () => {
    const t = await conn(3);
    const w = await conn();
    await cmd(t, ['CLIENT', 'TRACKING', 'on', 'OPTOUT']);
    await cmd(t, ['GET', 'a']);
    await cmd(t, ['CLIENT', 'CACHING', 'no']);
    await cmd(t, ['CLIENT', 'TRACKINGINFO']);
    await cmd(t, ['GET', 'b']);
    await cmd(t, ['GET', 'c']);
    for (const k of 'abc') {
      await cmd(w, ['SET', k, '1']);
      await cmd(t, ['PING'], k === 'b' ? 1 : 2);
    }
  });
});

describe('REDIRECT', () => {
  it('RESP2: messages go to the redirect client as __redis__:invalidate messages when it is subscribed', async () => {
    const t = await conn();
    const r = await conn();
    const w = await conn();
    const rid = await clientId(r);
    await withId(t, rid, (i) => ['CLIENT', 'TRACKING', 'on', 'REDIRECT', i]);
    await flagsAndRedir(t, rid);
    await withId(t, rid, () => ['CLIENT', 'GETREDIR']);
    await withId(t, rid, () => ['CLIENT', 'TRACKINGINFO']);
    // not in Pub/Sub mode yet: nothing arrives
    await cmd(t, ['GET', 'k']);
    await cmd(w, ['SET', 'k', '1']);
    await cmd(r, ['PING']);
    await cmd(r, ['SUBSCRIBE', '__redis__:invalidate']);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['GET', 'j']);
    await cmd(w, ['MSET', 'k', '2', 'j', '3']);
    await sameReads(r, 2);
    // the writer itself, in default mode, also triggers the message
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['DEL', 'k']);
    await sameRead(r);
    await cmd(r, ['PING']);
  });

  it('RESP3 redirect client gets pushes; a RESP3 tracking client redirecting to a RESP2 subscriber sends its own null', async () => {
    const t = await conn(3);
    const r3 = await conn(3);
    const r2 = await conn();
    const w = await conn();
    const id3 = await clientId(r3);
    const id2 = await clientId(r2);
    await withId(t, id3, (i) => ['CLIENT', 'TRACKING', 'on', 'REDIRECT', i]);
    await cmd(t, ['GET', 'k']);
    await cmd(w, ['SET', 'k', '1']);
    await sameRead(r3);
    await cmd(w, ['FLUSHALL']);
    await sameRead(r3);
    await cmd(r2, ['SUBSCRIBE', 'anything']);
    await withId(t, id2, (i) => ['CLIENT', 'TRACKING', 'on', 'REDIRECT', i]);
    await cmd(w, ['FLUSHALL']);
    await sameRead(r2);
    await cmd(t, ['PING']);
  });

  it('the redirect client goes away: flag R, broken_redirect, and tracking-redir-broken pushes in RESP3', async () => {
    const t3 = await conn(3);
    const t2 = await conn();
    const r = await conn();
    const w = await conn();
    const rid = await clientId(r);
    await withId(t3, rid, (i) => ['CLIENT', 'TRACKING', 'on', 'REDIRECT', i]);
    await withId(t2, rid, (i) => ['CLIENT', 'TRACKING', 'on', 'REDIRECT', i]);
    await cmd(t3, ['GET', 'k']);
    await cmd(t2, ['GET', 'k']);
    await withId(w, rid, (i) => ['CLIENT', 'KILL', 'ID', i]);
    await cmd(w, ['SET', 'k', '1']);
    await withId(t3, rid, () => ['PING'], 2);
    await cmd(t2, ['PING']);
    await flagsAndRedir(t3, rid);
    await flagsAndRedir(t2, rid);
    await withId(t3, rid, () => ['CLIENT', 'TRACKINGINFO']);
    await withId(t3, rid, () => ['GET', 'k']);
    await withId(t3, rid, () => ['SET', 'k', '2'], 2);
    await withId(t3, rid, () => ['FLUSHDB'], 2);
    // turning tracking on again clears the flag
    await cmd(t3, ['CLIENT', 'TRACKING', 'on']);
    await cmd(t3, ['CLIENT', 'TRACKINGINFO']);
  });
});

describe('BCAST', () => {
  it('one message per prefix, in prefix order, with the keys of the turn in byte order; NOLOOP drops own keys', async () => {
    const b1 = await conn(3);
    const b2 = await conn(3);
    const w = await conn();
    await cmd(b1, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b', 'PREFIX', 'a', 'NOLOOP']);
    await cmd(b2, ['CLIENT', 'TRACKING', 'on', 'BCAST']);
    await cmd(w, ['MSET', 'a1', '1', 'b1', '2', 'c', '3', 'a0', '4', 'a1', '5']);
    await sameReads(b1, 2);
    await sameRead(b2);
    // b1 wrote them itself: b1 hears nothing, b2 does
    await cmd(b1, ['MSET', 'a9', '1', 'a8', '2']);
    await sameRead(b2);
    await cmd(w, ['DEL', 'a1', 'b1', 'zz']);
    await sameReads(b1, 2);
    await sameRead(b2);
    // a client that is not NOLOOP hears about its own writes after its reply
    await cmd(b2, ['SET', 'x', '1'], 2);
    await cmd(b1, ['PING']);
    await sameTrackingInfo();
    await cmd(b1, ['CLIENT', 'TRACKINGINFO']);
    await cmd(b1, ['CLIENT', 'TRACKING', 'off']);
    await sameTrackingInfo();
    await cmd(b2, ['CLIENT', 'TRACKING', 'off']);
  });

  it('binary prefixes and keys, and the empty prefix', async () => {
    const b = await conn(3);
    const w = await conn();
    await cmd(b, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', '\x00\xff', 'PREFIX', 'é']);
    await cmd(b, ['CLIENT', 'TRACKINGINFO']);
    await cmd(w, ['MSET', '\x00\xffz', '1', '\x00\xfe', '2', 'éa', '3', '\x00\xff', '4']);
    await sameReads(b, 2);
    await cmd(b, ['PING']);
  });

  it('RESP2 BCAST with REDIRECT to a subscriber; FLUSHALL still sends a null', async () => {
    const b = await conn();
    const r = await conn();
    const w = await conn();
    const rid = await clientId(r);
    await cmd(r, ['SUBSCRIBE', 'c']);
    await withId(b, rid, (i) => ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'REDIRECT', i]);
    await flagsAndRedir(b, rid);
    await cmd(w, ['SET', 'user:1', 'a']);
    await sameRead(r);
    await cmd(w, ['SET', 'other', 'a']);
    await cmd(w, ['FLUSHALL']);
    await sameRead(r);
    await cmd(r, ['PING']);
  });

  it('keys changed in MULTI/EXEC and by scripts arrive together at the end of the turn', async () => {
    const b = await conn(3);
    const w = await conn();
    await cmd(b, ['CLIENT', 'TRACKING', 'on', 'BCAST']);
    await cmd(w, ['MULTI']);
    await cmd(w, ['SET', 'q', '1']);
    await cmd(w, ['SET', 'p', '1']);
    await cmd(w, ['EXEC']);
    await sameRead(b);
    await cmd(w, ['EVAL', "redis.call('set', KEYS[1], 1) redis.call('del', KEYS[2]) return 1", '2', 'm', 'n']);
    await sameRead(b);
  });
});

describe('scripts', () => {
  it("a script's reads track the keys of the script's own call (EVAL's KEYS); EVAL_RO and FCALL_RO likewise", async () => {
    const t = await conn(3);
    const w = await conn();
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(t, ['EVAL', 'return 1', '1', 'k1']);
    await cmd(t, ['EVAL', "return redis.call('get', 'x')", '1', 'k2']);
    await cmd(t, ['EVAL', "return redis.call('get', 'x')", '0']);
    await cmd(t, ['EVAL_RO', "return redis.call('get', 'x')", '1', 'k3']);
    await cmd(t, ['EVAL', "redis.call('get', 'x') redis.call('get', 'y') return 1", '2', 'k4', 'k5']);
    await cmd(t, ['EVAL', "redis.call('set', 'x', 1) return 1", '1', 'k6']);
    await cmd(t, ['FUNCTION', 'LOAD', "#!lua name=tracklib\nredis.register_function{function_name='rd', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}"]);
    await cmd(t, ['FCALL', 'rd', '1', 'f1']);
    await cmd(t, ['FCALL_RO', 'rd', '1', 'f2']);
    await sameTrackingInfo();
    for (const k of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'x', 'y', 'f1', 'f2']) {
      await cmd(w, ['SET', k, 'v']);
      await cmd(t, ['PING'], ['k2', 'k3', 'k4', 'k5', 'f1', 'f2'].includes(k) ? 2 : 1);
    }
    await cmd(t, ['FUNCTION', 'DELETE', 'tracklib']);
  });

  it('a script that writes keys its caller tracks: the messages follow the reply; NOLOOP applies to the caller', async () => {
    const t = await conn(3);
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(t, ['EVAL', "return redis.call('get', KEYS[1])", '1', 'k']);
    await cmd(t, ['EVAL', "redis.call('set', KEYS[1], 1) redis.call('get', KEYS[1]) return 1", '1', 'k'], 2);
    await cmd(t, ['EVAL', "redis.call('set', KEYS[1], 2) return 1", '1', 'k'], 2);
    await cmd(t, ['CLIENT', 'TRACKING', 'on', 'NOLOOP']);
    await cmd(t, ['EVAL', "return redis.call('get', KEYS[1])", '1', 'k']);
    await cmd(t, ['EVAL', "redis.call('set', KEYS[1], 3) return 1", '1', 'k']);
    await cmd(t, ['PING']);
  });
});

describe('expiry, eviction of the table, and closing', () => {
  it('a tracked key that expires: lazily on read (message after the reply), or by the active cycle', async () => {
    const t = await conn(3);
    await cmd(t, ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    // SET then GET in one transaction: the key is tracked with its TTL still ahead
    await cmd(t, ['MULTI']);
    await cmd(t, ['SET', 'k', 'v', 'PX', '50']);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['EXEC']);
    await sleep(100);
    await cmd(t, ['GET', 'k'], 2);
    // NOLOOP: a key that expires on the client's own read is not announced to it
    await cmd(t, ['CLIENT', 'TRACKING', 'on', 'NOLOOP']);
    await cmd(t, ['MULTI']);
    await cmd(t, ['SET', 'k', 'v', 'PX', '50']);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['EXEC']);
    await sleep(100);
    await cmd(t, ['GET', 'k']);
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(t, ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    await cmd(t, ['MULTI']);
    await cmd(t, ['SET', 'k', 'v', 'PX', '50']);
    await cmd(t, ['GET', 'k']);
    // k was tracked again by the GET that found it expired: the SET invalidates it
    await cmd(t, ['EXEC'], 2);
    // the active cycle deletes it while nothing runs
    await sameRead(t);
    await cmd(t, ['PING']);
  });

  it('tracking-table-max-keys: keys beyond the limit are forgotten with an invalidation', async () => {
    const t = await conn(3);
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await cmd(t, ['GET', 'a']);
    await cmd(t, ['GET', 'b']);
    await cmd(t, ['GET', 'c']);
    await sameTrackingInfo();
    await pair.same(['CONFIG', 'SET', 'tracking-table-max-keys', '1']);
    // which keys go is random; the message may come from the cron or before the next command
    const frames = async (c: Conn): Promise<string[]> => {
      c.writeRaw(encode(['PING']));
      const out: string[] = [];
      for (;;) {
        const s = text(await c.read());
        if (s === '+PONG\r\n') break;
        out.push(s.replace(/\$1\r\n[abc]\r\n/, '$1\r\nK\r\n'));
      }
      return out;
    };
    const [a, b] = await Promise.all([frames(t.real), frames(t.ours)]);
    expect(b).toEqual(a);
    expect(a).toEqual(['>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nK\r\n', '>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nK\r\n']);
    await sameTrackingInfo();
    await pair.same(['CONFIG', 'SET', 'tracking-table-max-keys', '0']);
  });

  it('RESET and closing the connection turn tracking off', async () => {
    const before = text(await pair.real.send('INFO', 'clients')).match(/tracking_clients:(\d+)/)![1];
    const t = await conn(3);
    await cmd(t, ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p']);
    await waitTrackingClients(Number(before) + 1);
    await sameTrackingInfo();
    await cmd(t, ['RESET']);
    await cmd(t, ['CLIENT', 'TRACKINGINFO']);
    await cmd(t, ['CLIENT', 'GETREDIR']);
    await waitTrackingClients(Number(before));
    await sameTrackingInfo();
    await cmd(t, ['CLIENT', 'TRACKING', 'on']);
    await waitTrackingClients(Number(before) + 1);
    t.real.close();
    t.ours.close();
    await waitTrackingClients(Number(before));
  });
});
