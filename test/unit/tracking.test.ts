import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { connectTo } from '../support/engine-conn';

/** Client side caching (tracking.ts) on an in-process engine: the table's bookkeeping and the messages. */
function setup(config: Record<string, string> = {}, random = () => 0) {
  const time = { now: 1_700_000_000_000 };
  const engine = new Engine({ clock: () => time.now, monotonic: () => time.now, random, config: { 'enable-debug-command': 'yes', ...config } });
  const connect = (resp: 2 | 3 = 2) => {
    const conn = connectTo(engine);
    if (resp === 3) conn.ask('HELLO', '3');
    return conn;
  };
  return { time, engine, connect };
}

const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const keys = (...ks: string[]) => `*${ks.length}\r\n` + ks.map(bulk).join('');
const push = (...ks: string[]) => '>2\r\n$10\r\ninvalidate\r\n' + keys(...ks);
const pushNull = '>2\r\n$10\r\ninvalidate\r\n_\r\n';
const message = (payload: string) => '*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n' + payload;

describe('the tracking table', () => {
  it('counts keys, items and clients as INFO shows them, and forgets a key once invalidated', () => {
    const { engine, connect } = setup();
    const a = connect(3);
    const b = connect(3);
    const w = connect();
    const t = engine.tracking;
    a.ask('CLIENT', 'TRACKING', 'on');
    b.ask('CLIENT', 'TRACKING', 'on');
    expect(t.clients).toBe(2);
    a.ask('MGET', 'x', 'y');
    b.ask('GET', 'x');
    expect([t.totalKeys(), t.totalItemsCount()]).toEqual([2, 3]);
    expect(w.ask('SET', 'x', '1')).toBe('+OK\r\n');
    expect(a.take()).toBe(push('x'));
    expect(b.take()).toBe(push('x'));
    expect([t.totalKeys(), t.totalItemsCount()]).toEqual([1, 1]);
    const info = w.ask('INFO', 'everything');
    expect(info).toContain('tracking_clients:2\r\n');
    expect(info).toContain('tracking_total_keys:1\r\n');
    expect(info).toContain('tracking_total_items:1\r\n');
    expect(info).toContain('tracking_total_prefixes:0\r\n');
  });

  it('keeps the entries of a client that turned tracking off, and skips them', () => {
    const { engine, connect } = setup();
    const a = connect(3);
    const w = connect();
    a.ask('CLIENT', 'TRACKING', 'on');
    a.ask('GET', 'k');
    a.ask('CLIENT', 'TRACKING', 'off');
    expect(engine.tracking.clients).toBe(0);
    expect(engine.tracking.totalItemsCount()).toBe(1);
    w.ask('SET', 'k', '1');
    expect(a.take()).toBe('');
    expect(engine.tracking.totalKeys()).toBe(0);
  });

  it('a closed connection stops being a tracking client and leaves its prefixes', () => {
    const { engine, connect } = setup();
    const a = connect(3);
    a.ask('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p', 'PREFIX', 'q');
    expect([engine.tracking.clients, engine.tracking.totalPrefixes()]).toEqual([1, 2]);
    a.c.disconnected();
    expect([engine.tracking.clients, engine.tracking.totalPrefixes()]).toEqual([0, 0]);
  });

  it('RESET turns tracking off', () => {
    const { engine, connect } = setup();
    const a = connect(3);
    a.ask('CLIENT', 'TRACKING', 'on', 'OPTIN');
    expect(a.ask('RESET')).toBe('+RESET\r\n');
    expect(engine.tracking.clients).toBe(0);
    expect(a.ask('CLIENT', 'GETREDIR')).toBe(':-1\r\n');
    expect(a.c.flagLetters()).toBe('N');
  });

  it('tracking-table-max-keys forgets random keys with invalidations, before the next command', () => {
    const { engine, connect } = setup({}, () => 0);
    const a = connect(3);
    a.ask('CLIENT', 'TRACKING', 'on');
    for (const k of ['k1', 'k2', 'k3', 'k4']) a.ask('GET', k);
    a.ask('CONFIG', 'SET', 'tracking-table-max-keys', '2');
    // random() = 0 picks the first key of the table each time; the last key moves into its place
    expect(a.ask('PING')).toBe(push('k1') + push('k4') + '+PONG\r\n');
    expect(engine.tracking.totalKeys()).toBe(2);
  });

  it('the cron applies a lowered limit while nothing runs', () => {
    const { engine, connect } = setup();
    const a = connect(3);
    a.ask('CLIENT', 'TRACKING', 'on');
    a.ask('GET', 'k1');
    a.ask('GET', 'k2');
    engine.config.set('tracking-table-max-keys', '1');
    engine.cron();
    expect(a.take()).toBe(push('k1'));
    expect(engine.tracking.totalKeys()).toBe(1);
  });
});

describe('messages', () => {
  it('RESP3: the writer reads its own reply first; commands of one pipeline each invalidate', () => {
    const { connect } = setup();
    const a = connect(3);
    a.ask('CLIENT', 'TRACKING', 'on');
    a.ask('GET', 'k');
    expect(a.ask('SET', 'k', 'v')).toBe('+OK\r\n' + push('k'));
    a.ask('GET', 'k');
    expect(a.ask('MULTI')).toBe('+OK\r\n');
    a.ask('DEL', 'k');
    a.ask('GET', 'k');
    a.ask('SET', 'k', '2');
    expect(a.ask('EXEC')).toBe('*3\r\n:1\r\n_\r\n+OK\r\n' + push('k') + push('k'));
  });

  it('RESP2: only through a redirect client in Pub/Sub mode', () => {
    const { connect } = setup();
    const a = connect();
    const r = connect();
    const w = connect();
    a.ask('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(r.c.id));
    a.ask('GET', 'k');
    w.ask('SET', 'k', '1');
    expect(a.take() + r.take()).toBe('');
    r.ask('SUBSCRIBE', 'x');
    a.ask('GET', 'k');
    w.ask('SET', 'k', '2');
    expect(r.take()).toBe(message(keys('k')));
    w.ask('FLUSHALL');
    expect(r.take()).toBe(message('$-1\r\n'));
  });

  it('a redirect client that is gone: flagged, and RESP3 clients are told each time', () => {
    const { connect } = setup();
    const a = connect(3);
    const r = connect();
    const w = connect();
    const rid = r.c.id;
    a.ask('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(rid));
    a.ask('GET', 'k');
    r.c.disconnected();
    w.ask('SET', 'k', '1');
    expect(a.take()).toBe(`>2\r\n$21\r\ntracking-redir-broken\r\n:${rid}\r\n`);
    expect(a.c.flagLetters()).toBe('tR');
    expect(a.ask('CLIENT', 'GETREDIR')).toBe(`:${rid}\r\n`);
  });

  it('CLIENT REPLY OFF drops replies but not the invalidations', () => {
    const { connect } = setup();
    const a = connect(3);
    a.ask('CLIENT', 'TRACKING', 'on');
    a.ask('GET', 'k');
    a.ask('CLIENT', 'REPLY', 'OFF');
    expect(a.ask('SET', 'k', '1')).toBe(push('k'));
    expect(a.ask('GET', 'k')).toBe('');
  });

  it('DEBUG RELOAD and FLUSHDB: the running client reads the null after its reply, the others at once', () => {
    const { connect } = setup();
    const a = connect(3);
    const b = connect(3);
    a.ask('CLIENT', 'TRACKING', 'on');
    b.ask('CLIENT', 'TRACKING', 'on');
    expect(a.ask('DEBUG', 'RELOAD')).toBe('+OK\r\n' + pushNull);
    expect(b.take()).toBe(pushNull);
    expect(a.ask('FLUSHDB')).toBe('+OK\r\n' + pushNull);
    expect(b.take()).toBe(pushNull);
  });
});

describe('BCAST', () => {
  it('batches the keys of a whole turn (a pipeline) per prefix, deduplicated and sorted', () => {
    const { connect } = setup();
    const b = connect(3);
    const w = connect();
    b.ask('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'u:', 'PREFIX', 'a');
    // several commands in one feed: one message per prefix at the end of the turn
    w.c.feed(Buffer.from('SET u:2 x\r\nSET u:1 x\r\nSET a x\r\nSET u:2 y\r\nSET other z\r\n', 'latin1'));
    expect(w.take()).toBe('+OK\r\n'.repeat(5));
    expect(b.take()).toBe(push('a') + push('u:1', 'u:2'));
    expect(b.ask('CLIENT', 'TRACKINGINFO')).toBe(
      '%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*2\r\n$1\r\na\r\n$2\r\nu:\r\n',
    );
  });

  it('NOLOOP drops the keys the client modified last, and keys expired or evicted count as nobody', () => {
    const { time, connect } = setup();
    const b = connect(3);
    const w = connect();
    b.ask('CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP');
    b.c.feed(Buffer.from('SET a 1\r\nSET b 1\r\n', 'latin1'));
    expect(b.take()).toBe('+OK\r\n+OK\r\n');
    w.ask('SET', 'b', '2');
    expect(b.take()).toBe(push('b'));
    b.ask('SET', 'e', '1', 'PX', '10');
    b.take();
    time.now += 100;
    // the key expires while b reads it: b is told, though NOLOOP
    expect(b.ask('GET', 'e')).toBe('_\r\n' + push('e'));
  });

  it('a prefix overlap reported after the first prefix still enables tracking (Redis 7.0)', () => {
    const { engine, connect } = setup();
    const b = connect();
    expect(b.ask('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b', 'PREFIX', 'bc')).toBe(
      "-ERR Prefix 'b' overlaps with another provided prefix 'bc'. Prefixes for a single client must not overlap.\r\n+OK\r\n",
    );
    expect(engine.tracking.totalPrefixes()).toBe(3);
    expect(b.ask('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b\0x')).toBe(
      "-ERR Prefix 'b' overlaps with an existing prefix 'b'. Prefixes for a single client must not overlap.\r\n",
    );
    expect(b.ask('CLIENT', 'LIST', 'ID', String(b.c.id))).toMatch(/ flags=tB .* redir=0 resp=2\n\r\n$/);
  });
});
