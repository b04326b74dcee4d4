import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/server';
import { monitorLine, repr } from '../../src/engine/monitor';
import { connectTo } from '../support/engine-conn';

/** An engine with a fixed clock and in-memory connections whose output is collected. */
function setup(config: Record<string, string> = {}) {
  const time = { now: 1_700_000_000_123 };
  const engine = new Engine({ clock: () => time.now, monotonic: () => time.now, config });
  const connect = () => connectTo(engine, { addr: '10.0.0.1:5555' });
  return { time, engine, connect };
}

const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const msg = (ch: string, m: string) => '*3\r\n' + bulk('message') + bulk(ch) + bulk(m);
const pmsg = (p: string, ch: string, m: string) => '*4\r\n' + bulk('pmessage') + bulk(p) + bulk(ch) + bulk(m);
const conf = (kind: string, ch: string | null, n: number) => '*3\r\n' + bulk(kind) + (ch === null ? '$-1\r\n' : bulk(ch)) + `:${n}\r\n`;

describe('pub/sub', () => {
  it('confirms subscriptions with the running count and delivers messages', () => {
    const { connect } = setup();
    const a = connect();
    const b = connect();
    a.send('SUBSCRIBE', 'x', 'y', 'x');
    expect(a.take()).toBe(conf('subscribe', 'x', 1) + conf('subscribe', 'y', 2) + conf('subscribe', 'x', 2));
    b.send('PUBLISH', 'x', 'hello');
    expect(b.take()).toBe(':1\r\n');
    expect(a.take()).toBe(msg('x', 'hello'));
    b.send('PUBLISH', 'nobody', 'hello');
    expect(b.take()).toBe(':0\r\n');
    expect(a.take()).toBe('');
  });

  it('delivers to a channel and a matching pattern of the same client', () => {
    const { connect } = setup();
    const a = connect();
    const b = connect();
    a.send('SUBSCRIBE', 'news.1');
    a.send('PSUBSCRIBE', 'news.*');
    expect(a.take()).toBe(conf('subscribe', 'news.1', 1) + conf('psubscribe', 'news.*', 2));
    b.send('PUBLISH', 'news.1', 'm');
    expect(b.take()).toBe(':2\r\n');
    expect(a.take()).toBe(msg('news.1', 'm') + pmsg('news.*', 'news.1', 'm'));
  });

  it('unsubscribes everything, and answers a null channel when there is nothing', () => {
    const { engine, connect } = setup();
    const a = connect();
    a.send('UNSUBSCRIBE');
    a.send('PUNSUBSCRIBE');
    a.send('SUNSUBSCRIBE');
    expect(a.take()).toBe(conf('unsubscribe', null, 0) + conf('punsubscribe', null, 0) + conf('sunsubscribe', null, 0));
    a.send('SUBSCRIBE', 'a');
    a.send('PSUBSCRIBE', 'p1', 'p2');
    a.send('SSUBSCRIBE', 's');
    a.take();
    expect(a.c.flagLetters()).toBe('P');
    a.send('PUNSUBSCRIBE');
    expect(a.take()).toBe(conf('punsubscribe', 'p1', 2) + conf('punsubscribe', 'p2', 1));
    a.send('UNSUBSCRIBE');
    expect(a.take()).toBe(conf('unsubscribe', 'a', 0));
    expect(a.c.inPubSub()).toBe(true); // still on a shard channel
    a.send('SUNSUBSCRIBE', 's', 's');
    expect(a.take()).toBe(conf('sunsubscribe', 's', 0) + conf('sunsubscribe', 's', 0));
    expect(a.c.inPubSub()).toBe(false);
    expect(engine.pubsub.channels.size + engine.pubsub.patterns.size + engine.pubsub.shardChannels.size).toBe(0);
  });

  it('shard channels: their own count, smessage, no patterns', () => {
    const { connect } = setup();
    const a = connect();
    const b = connect();
    a.send('PSUBSCRIBE', '*');
    a.send('SSUBSCRIBE', 's1', 's2');
    expect(a.take()).toBe(conf('psubscribe', '*', 1) + conf('ssubscribe', 's1', 1) + conf('ssubscribe', 's2', 2));
    b.send('SPUBLISH', 's1', 'v');
    expect(b.take()).toBe(':1\r\n');
    expect(a.take()).toBe('*3\r\n' + bulk('smessage') + bulk('s1') + bulk('v'));
  });

  it('uses RESP3 pushes, and RESP3 subscribers may run any command', () => {
    const { connect } = setup();
    const a = connect();
    const b = connect();
    a.send('HELLO', '3');
    a.take();
    a.send('SUBSCRIBE', 'c');
    expect(a.take()).toBe('>3\r\n' + bulk('subscribe') + bulk('c') + ':1\r\n');
    a.send('SET', 'k', 'v');
    a.send('PING');
    expect(a.take()).toBe('+OK\r\n+PONG\r\n');
    b.send('PUBLISH', 'c', 'm');
    expect(a.take()).toBe('>3\r\n' + bulk('message') + bulk('c') + bulk('m'));
    a.send('UNSUBSCRIBE', 'nope');
    expect(a.take()).toBe('>3\r\n' + bulk('unsubscribe') + bulk('nope') + ':1\r\n');
  });

  it('limits RESP2 subscribers and answers their PING with an array', () => {
    const { connect } = setup();
    const a = connect();
    a.send('SUBSCRIBE', 'c');
    a.take();
    a.send('GET', 'k');
    expect(a.take()).toBe("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n");
    a.send('PING');
    a.send('PING', 'x');
    expect(a.take()).toBe('*2\r\n' + bulk('pong') + bulk('') + '*2\r\n' + bulk('pong') + bulk('x'));
  });

  it('RESET and disconnecting drop subscriptions', () => {
    const { engine, connect } = setup();
    const a = connect();
    const b = connect();
    a.send('SUBSCRIBE', 'c');
    b.send('PSUBSCRIBE', 'c*');
    a.send('RESET');
    expect(engine.pubsub.channels.size).toBe(0);
    b.c.disconnected();
    expect(engine.pubsub.patterns.size).toBe(0);
  });

  it('CLIENT REPLY OFF does not stop pushes (Redis 7.0.15 lets them through)', () => {
    const { connect } = setup();
    const a = connect();
    const b = connect();
    a.send('HELLO', '3'); // (a RESP2 subscriber cannot run CLIENT)
    a.send('SUBSCRIBE', 'c');
    a.send('CLIENT', 'REPLY', 'OFF');
    a.take();
    b.send('PUBLISH', 'c', 'm');
    expect(b.take()).toBe(':1\r\n');
    expect(a.take()).toBe('>3\r\n' + bulk('message') + bulk('c') + bulk('m'));
    a.send('PING');
    expect(a.take()).toBe('');
  });

  it('PUBSUB introspection', () => {
    const { connect } = setup();
    const a = connect();
    const b = connect();
    a.send('SUBSCRIBE', 'x1', 'x2', 'y');
    b.send('SUBSCRIBE', 'x1');
    a.send('PSUBSCRIBE', 'p*');
    b.send('PSUBSCRIBE', 'p*', 'q*');
    a.send('SSUBSCRIBE', 'sh');
    const q = connect();
    q.send('PUBSUB', 'CHANNELS', 'x*');
    q.send('PUBSUB', 'NUMSUB', 'x1', 'y', 'z');
    q.send('PUBSUB', 'NUMPAT');
    q.send('PUBSUB', 'SHARDCHANNELS');
    q.send('PUBSUB', 'SHARDNUMSUB', 'sh');
    q.send('PUBSUB', 'CHANNELS', 'a', 'b');
    expect(q.take()).toBe(
      '*2\r\n' + bulk('x1') + bulk('x2') +
      '*6\r\n' + bulk('x1') + ':2\r\n' + bulk('y') + ':1\r\n' + bulk('z') + ':0\r\n' +
      ':2\r\n' +
      '*1\r\n' + bulk('sh') +
      '*2\r\n' + bulk('sh') + ':1\r\n' +
      "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n",
    );
  });
});

describe('keyspace notifications', () => {
  it('publish on __keyspace@db__:key and __keyevent@db__:event as configured', () => {
    const { engine, connect } = setup({ 'notify-keyspace-events': 'KE$' });
    const sub = connect();
    const w = connect();
    sub.send('PSUBSCRIBE', '__key*');
    sub.take();
    w.send('SELECT', '3');
    w.send('SET', 'k', 'v');
    expect(sub.take()).toBe(pmsg('__key*', '__keyspace@3__:k', 'set') + pmsg('__key*', '__keyevent@3__:set', 'k'));
    w.send('LPUSH', 'l', 'x'); // class l is off
    expect(sub.take()).toBe('');
    engine.config.set('notify-keyspace-events', 'El');
    w.send('LPUSH', 'l', 'x');
    expect(sub.take()).toBe(pmsg('__key*', '__keyevent@3__:lpush', 'l'));
  });
});

describe('MONITOR', () => {
  it('quotes arguments as sdscatrepr', () => {
    expect(repr('a b')).toBe('"a b"');
    expect(repr('\n\r\t\x07\x08"\\\x01\xff~')).toBe('"\\n\\r\\t\\a\\b\\"\\\\\\x01\\xff~"');
    expect(monitorLine(1_700_000_000_000_042, 2, '1.2.3.4:5', ['SET', 'k', ''])).toBe(
      '+1700000000.000042 [2 1.2.3.4:5] "SET" "k" ""\r\n',
    );
  });

  it('redacts passwords the way AUTH and HELLO do', () => {
    const line = (...argv: string[]) => monitorLine(0, 0, 'x', argv).slice('+0.000000 [0 x] '.length, -2);
    expect(line('AUTH', 'pw')).toBe('"AUTH" "(redacted)"');
    expect(line('auth', 'u', 'pw')).toBe('"auth" "(redacted)" "(redacted)"');
    expect(line('AUTH', 'a', 'b', 'c')).toBe('"AUTH" "a" "b" "c"');
    expect(line('HELLO', '3', 'AUTH', 'u', 'p', 'SETNAME', 'n')).toBe('"HELLO" "3" "AUTH" "(redacted)" "(redacted)" "SETNAME" "n"');
    expect(line('HELLO', '4', 'AUTH', 'u', 'p')).toBe('"HELLO" "4" "AUTH" "u" "p"');
    expect(line('HELLO', '3', 'AUTH', 'u')).toBe('"HELLO" "3" "AUTH" "u"');
    expect(line('HELLO', '2', 'SETNAME', 'a b', 'AUTH', 'u', 'p')).toBe('"HELLO" "2" "SETNAME" "a b" "AUTH" "u" "p"');
  });

  it('streams commands after they ran, not admin ones; flags=O', () => {
    const { connect } = setup();
    const m = connect();
    const a = connect();
    m.send('MONITOR');
    expect(m.take()).toBe('+OK\r\n');
    m.send('MONITOR');
    expect(m.take()).toBe(''); // ignored
    a.send('SELECT', '1');
    a.send('CONFIG', 'GET', 'x');
    a.send('SET', 'k', 'v\n');
    expect(m.take()).toBe(
      '+1700000000.123000 [1 10.0.0.1:5555] "SELECT" "1"\r\n' +
      '+1700000000.123000 [1 10.0.0.1:5555] "SET" "k" "v\\n"\r\n',
    );
    expect(m.c.flagLetters()).toBe('O');
    m.send('GET', 'k');
    expect(m.take()).toBe("-ERR Replica can't interact with the keyspace\r\n");
    m.send('RESET');
    m.take();
    a.send('PING');
    expect(m.take()).toBe('');
  });
});
