import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { WorkerHost, type PortLike } from '../../src/host/worker/host';
import { ConnectionClosedError, ConnectionRefusedError, RedisConnection } from '../../src/host/worker/client';
import { ALL_COMMANDS } from '../../src/engine/commands/index';
import { CliSession, type CliTransport } from '../../src/cli/session';
import { helpFromSpecs } from '../../src/cli/help';
import { splitLine, INVALID_ARGUMENTS } from '../../src/cli/split';
import type { Reply } from '../../src/host/worker/resp';

/** A session on a real engine (WorkerHost over a MessageChannel); pass a host to share one. */
function session(host = new WorkerHost()): { cli: CliSession; sent: string[][]; host: WorkerHost } {
  let conn: RedisConnection | null = null;
  let streamClosed: (() => void) | null = null;
  let pushTo: ((r: Reply) => void) | null = null;
  const sent: string[][] = [];
  const current = (): RedisConnection => {
    if (conn === null || conn.closed) {
      const ch = new MessageChannel();
      host.attach(ch.port2 as unknown as PortLike);
      conn = new RedisConnection(ch.port1 as unknown as MessagePort);
      conn.onClose = () => streamClosed?.();
      conn.onPush = (r) => pushTo?.(r);
    }
    return conn;
  };
  const transport: CliTransport = {
    send(args) {
      sent.push(args.map((a) => String.fromCharCode(...a)));
      return current().send(...args);
    },
    stream(args, onReply, onClosed) {
      sent.push(args.map((a) => String.fromCharCode(...a)));
      streamClosed = onClosed;
      const end = current().sendStreaming(args, onReply);
      return () => {
        streamClosed = null;
        end();
      };
    },
    close() {
      streamClosed = null;
      conn?.close();
    },
    onPush(fn) {
      pushTo = fn;
    },
  };
  const cli = new CliSession(transport);
  cli.entries = helpFromSpecs(ALL_COMMANDS);
  return { cli, sent, host };
}

const bulk = (s: string): Reply => ({ type: 'bulk', value: new TextEncoder().encode(s) });
const int = (n: number): Reply => ({ type: 'integer', value: n });
const arr = (...v: Reply[]): Reply => ({ type: 'array', value: v });

/** A transport the test drives by hand: it answers or streams what the test says, when it says. */
class FakeTransport implements CliTransport {
  sent: string[][] = [];
  onPush?: (fn: (r: Reply) => void) => void;
  closes = 0;
  onReply: ((r: Reply) => void) | null = null;
  onClosed: (() => void) | null = null;
  streamEnded = false;
  /** Replies for send(), in order; an empty queue leaves the command waiting (like BLPOP). */
  answers: Reply[] = [];
  private waiting: ((e: Error) => void)[] = [];

  send(args: Uint8Array[]): Promise<Reply> {
    this.sent.push(args.map((a) => String.fromCharCode(...a)));
    const answer = this.answers.shift();
    if (answer) return Promise.resolve(answer);
    return new Promise((_, reject) => this.waiting.push(reject));
  }
  stream(args: Uint8Array[], onReply: (r: Reply) => void, onClosed: () => void): () => void {
    this.sent.push(args.map((a) => String.fromCharCode(...a)));
    this.onReply = onReply;
    this.onClosed = onClosed;
    this.streamEnded = false;
    return () => {
      this.streamEnded = true;
    };
  }
  close(): void {
    this.closes++;
    for (const reject of this.waiting.splice(0)) reject(new Error('connection closed'));
  }
}

/** Let the session's promises run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('splitting lines like redis-cli', () => {
  it('quotes, escapes, UTF-8 bytes, unbalanced quotes', () => {
    expect(splitLine('set a "b c"')).toEqual(['set', 'a', 'b c']);
    expect(splitLine(`set a 'it\\'s'`)).toEqual(['set', 'a', "it's"]);
    expect(splitLine('set "\\x00\\n" x')).toEqual(['set', '\x00\n', 'x']);
    expect(splitLine('set 이름 x')).toEqual(['set', '\xec\x9d\xb4\xeb\xa6\x84', 'x']);
    expect(splitLine('set "a')).toBeNull();
    expect(splitLine('set "a"b')).toBeNull();
    expect(splitLine('   ')).toEqual([]);
  });
});

describe('a redis-cli session', () => {
  it('runs commands and prints replies as redis-cli does', async () => {
    const { cli, sent } = session();
    expect(cli.prompt()).toBe('127.0.0.1:6379> ');
    expect((await cli.run('SET greeting hello')).output).toBe('OK\r\n');
    expect((await cli.run('GET greeting')).output).toBe('"hello"\r\n');
    expect((await cli.run('SET 이름 레디스')).output).toBe('OK\r\n');
    expect(sent[sent.length - 1]).toEqual(['SET', '\xec\x9d\xb4\xeb\xa6\x84', '\xeb\xa0\x88\xeb\x94\x94\xec\x8a\xa4']);
    expect((await cli.run('GET 이름')).output).toBe('"\\xeb\\xa0\\x88\\xeb\\x94\\x94\\xec\\x8a\\xa4"\r\n');
    expect((await cli.run('INCR greeting')).output).toBe('(error) ERR value is not an integer or out of range\r\n');
    expect((await cli.run('SET bin "a\\x00\\xff"')).output).toBe('OK\r\n');
    expect((await cli.run('GET bin')).output).toBe('"a\\x00\\xff"\r\n');
    expect((await cli.run('MGET greeting nothing')).output).toBe('1) "hello"\r\n2) (nil)\r\n');
    expect((await cli.run('SET "unbalanced')).output).toBe(INVALID_ARGUMENTS + '\r\n');
    expect((await cli.run('')).output).toBe('');
    expect((await cli.run('   ')).output).toBe('');
  });

  it('tracks SELECT in the prompt like redis-cli', async () => {
    const { cli } = session();
    expect((await cli.run('SELECT 2')).output).toBe('OK\r\n');
    expect(cli.prompt()).toBe('127.0.0.1:6379[2]> ');
    expect((await cli.run('SELECT 99')).output).toBe('(error) ERR DB index is out of range\r\n');
    expect(cli.prompt()).toBe('127.0.0.1:6379[2]> ');
    await cli.run('select 0');
    expect(cli.prompt()).toBe('127.0.0.1:6379> ');
    await cli.run('SELECT 3');
    await cli.run('RESET');
    expect(cli.prompt()).toBe('127.0.0.1:6379> ');
    await cli.run('SELECT 3');
    expect((await cli.run('quit')).output).toBe('');
    expect(cli.prompt()).toBe('127.0.0.1:6379> ');
    expect((await cli.run('PING')).output).toBe('PONG\r\n');
  });

  it('HELP, :set, clear, repeat counts', async () => {
    const { cli, sent } = session();
    const n = sent.length;
    expect((await cli.run('HELP SET')).output).toContain('\x1b[1mSET\x1b[0m \x1b[90mkey value [NX|XX]');
    expect((await cli.run('help')).output).toContain('redis-cli 7.0.15\r\n');
    expect(sent.length).toBe(n);
    expect((await cli.run(':set nohints')).output).toBe('');
    expect(cli.hint('set')).toBeNull();
    expect((await cli.run(':set hints')).output).toBe('');
    expect(cli.hint('get')).toBe(' key');
    expect((await cli.run(':set foo')).output).toBe("unknown redis-cli preference 'foo'\r\n");
    expect((await cli.run(':x')).output).toBe("unknown redis-cli internal command ':x'\r\n");
    expect(await cli.run('clear')).toEqual({ output: '', clear: true });
    expect((await cli.run('3 INCR c')).output).toBe('(integer) 1\r\n(integer) 2\r\n(integer) 3\r\n');
    expect((await cli.run('0 INCR c')).output).toBe('Invalid redis-cli repeat command option value.\r\n');
    expect((await cli.run('"" INCR c')).output).toBe('Invalid redis-cli repeat command option value.\r\n');
    expect((await cli.run('+ x')).output).toBe("(error) ERR unknown command '+', with args beginning with: 'x' \r\n");
  });

  it('prints server text safely and INFO raw', async () => {
    const { cli } = session();
    const info = (await cli.run('INFO server')).output;
    expect(info).toMatch(/^# Server\r\nredis_version:7\.0\.\d+\r\n/);
    await cli.run('SET esc "\\x1b[2J"');
    expect((await cli.run('GET esc')).output).toBe('"\\x1b[2J"\r\n');
    await cli.run('CLIENT SETNAME a');
    expect((await cli.run('CLIENT LIST')).output).not.toContain('\x1b');
  });
});

describe('SUBSCRIBE and MONITOR stream until Ctrl+C (fake transport)', () => {
  it('prints "Reading messages...", then every reply as it arrives, and ^C ends it', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    let clock = 1000;
    cli.now = () => clock;
    const written: string[] = [];
    cli.write = (text) => written.push(text);
    const run = cli.run('SUBSCRIBE ch other');
    expect(cli.streaming).toBe(true);
    expect(cli.busy).toBe(true);
    expect(t.sent).toEqual([['SUBSCRIBE', 'ch', 'other']]);
    expect(written.join('')).toBe('Reading messages... (press Ctrl-C to quit)\r\n');
    t.onReply!(arr(bulk('subscribe'), bulk('ch'), int(1)));
    t.onReply!(arr(bulk('subscribe'), bulk('other'), int(2)));
    t.onReply!(arr(bulk('message'), bulk('ch'), bulk('hi')));
    expect(written.join('')).toBe(
      'Reading messages... (press Ctrl-C to quit)\r\n' +
        '1) "subscribe"\r\n2) "ch"\r\n3) (integer) 1\r\n' +
        '1) "subscribe"\r\n2) "other"\r\n3) (integer) 2\r\n' +
        '1) "message"\r\n2) "ch"\r\n3) "hi"\r\n',
    );
    clock += 1300;
    expect(cli.interrupt()).toBe(true);
    expect(t.closes).toBe(1);
    expect(t.streamEnded).toBe(true);
    expect((await run).output).toBe('(1.30s)\r\n');
    expect(written.at(-1)).toBe('^C');
    expect(cli.streaming).toBe(false);
    expect(cli.busy).toBe(false);
    expect(cli.interrupt()).toBe(false);
    // a late message on the old connection prints nothing
    t.onReply!(arr(bulk('message'), bulk('ch'), bulk('late')));
    expect(written.join('')).not.toContain('late');
  });

  it('without a writer, run() returns the whole stream; a quick ^C ends the line', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    cli.now = () => 0;
    const run = cli.run('PSUBSCRIBE c*');
    t.onReply!(arr(bulk('psubscribe'), bulk('c*'), int(1)));
    t.onReply!(arr(bulk('pmessage'), bulk('c*'), bulk('ch'), bulk('hi')));
    cli.interrupt();
    expect((await run).output).toBe(
      'Reading messages... (press Ctrl-C to quit)\r\n1) "psubscribe"\r\n2) "c*"\r\n3) (integer) 1\r\n' +
        '1) "pmessage"\r\n2) "c*"\r\n3) "ch"\r\n4) "hi"\r\n^C\r\n',
    );
  });

  it('RESP3 pushes print like arrays; SSUBSCRIBE streams too', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    cli.now = () => 0;
    const run = cli.run('SSUBSCRIBE a');
    t.onReply!({ type: 'push', value: [bulk('ssubscribe'), bulk('a'), int(1)] });
    t.onReply!({ type: 'push', value: [bulk('smessage'), bulk('a'), bulk('m')] });
    cli.interrupt();
    expect((await run).output).toBe(
      'Reading messages... (press Ctrl-C to quit)\r\n1) "ssubscribe"\r\n2) "a"\r\n3) (integer) 1\r\n1) "smessage"\r\n2) "a"\r\n3) "m"\r\n^C\r\n',
    );
  });

  it('an error reply ends the streaming (the connection stays)', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    cli.now = () => 0;
    const run = cli.run('SUBSCRIBE');
    t.onReply!({ type: 'error', value: "ERR wrong number of arguments for 'subscribe' command" });
    expect((await run).output).toBe(
      "Reading messages... (press Ctrl-C to quit)\r\n(error) ERR wrong number of arguments for 'subscribe' command\r\n",
    );
    expect(t.streamEnded).toBe(true);
    expect(t.closes).toBe(0);
    expect(cli.streaming).toBe(false);
    const run2 = cli.run('MONITOR x');
    t.onReply!({ type: 'error', value: "ERR wrong number of arguments for 'monitor' command" });
    expect((await run2).output).toBe("(error) ERR wrong number of arguments for 'monitor' command\r\n");
  });

  it('MONITOR prints OK and each line as status text; --raw has no "Reading messages..."', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    cli.now = () => 0;
    const run = cli.run('MONITOR');
    t.onReply!({ type: 'simple', value: 'OK' });
    t.onReply!({ type: 'simple', value: '1795251342.315464 [0 127.0.0.1:37028] "SET" "k" "v x"' });
    cli.interrupt();
    expect((await run).output).toBe('OK\r\n1795251342.315464 [0 127.0.0.1:37028] "SET" "k" "v x"\r\n^C\r\n');

    cli.raw = true;
    const raw = cli.run('SUBSCRIBE a');
    t.onReply!(arr(bulk('subscribe'), bulk('a'), int(1)));
    cli.interrupt();
    expect((await raw).output).toBe('subscribe\r\na\r\n1\r\n^C\r\n');
  });

  it('the server closing the connection ends the streaming with an error', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    cli.now = () => 0;
    t.answers.push({ type: 'simple', value: 'OK' });
    await cli.run('SELECT 3');
    const run = cli.run('SUBSCRIBE a');
    t.onReply!(arr(bulk('subscribe'), bulk('a'), int(1)));
    t.onClosed!();
    expect((await run).output).toBe(
      'Reading messages... (press Ctrl-C to quit)\r\n1) "subscribe"\r\n2) "a"\r\n3) (integer) 1\r\nError: Server closed the connection\r\n',
    );
    expect(cli.prompt()).toBe('127.0.0.1:6379> ');
  });

  it('Ctrl+C reconnects on the same database, out of MULTI, as redis-cli does', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    cli.now = () => 0;
    t.answers.push({ type: 'simple', value: 'OK' }, { type: 'simple', value: 'OK' });
    await cli.run('SELECT 2');
    await cli.run('MULTI');
    expect(cli.prompt()).toBe('127.0.0.1:6379[2](TX)> ');
    const run = cli.run('SUBSCRIBE ch');
    t.onReply!({ type: 'simple', value: 'QUEUED' });
    t.answers.push({ type: 'simple', value: 'OK' });
    cli.interrupt();
    expect((await run).output).toBe('Reading messages... (press Ctrl-C to quit)\r\nQUEUED\r\n^C\r\n');
    expect(t.sent.at(-1)).toEqual(['SELECT', '2']);
    expect(cli.prompt()).toBe('127.0.0.1:6379[2]> ');
  });

  it('Ctrl+C while a blocking command waits drops the connection and returns to the prompt', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    let clock = 0;
    cli.now = () => clock;
    const run = cli.run('BLPOP list 0');
    await settle();
    expect(cli.busy).toBe(true);
    expect(cli.streaming).toBe(false);
    clock = 2500;
    expect(cli.interrupt()).toBe(true);
    expect((await run).output).toBe('^C(2.50s)\r\n');
    expect(t.closes).toBe(1);
    expect(cli.busy).toBe(false);
  });

  it('a slow command gets its time printed, like redis-cli', async () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    const times = [1000, 1750, 2000, 2400];
    cli.now = () => times.shift()!;
    t.answers.push(arr(bulk('list'), bulk('a')), int(1));
    expect((await cli.run('BLPOP list 0')).output).toBe('1) "list"\r\n2) "a"\r\n(0.75s)\r\n');
    expect((await cli.run('LPUSH list b')).output).toBe('(integer) 1\r\n');
  });
});

describe('streaming on a real engine', () => {
  it('SUBSCRIBE in one session, PUBLISH in another, Ctrl+C unsubscribes', async () => {
    const a = session();
    const b = session(a.host);
    a.cli.now = b.cli.now = () => 0;
    const written: string[] = [];
    a.cli.write = (text) => written.push(text);
    const sub = a.cli.run('SUBSCRIBE news');
    await expect.poll(() => written.join('')).toContain('3) (integer) 1\r\n');
    expect((await b.cli.run('PUBLISH news hello')).output).toBe('(integer) 1\r\n');
    await expect.poll(() => written.join('')).toContain('1) "message"\r\n2) "news"\r\n3) "hello"\r\n');
    a.cli.interrupt();
    expect((await sub).output).toBe('\r\n');
    // the hang-up reaches the engine on the other connection's own port: wait for it
    await expect.poll(async () => (await b.cli.run('PUBSUB NUMSUB news')).output).toBe('1) "news"\r\n2) (integer) 0\r\n');
    expect((await b.cli.run('PUBLISH news again')).output).toBe('(integer) 0\r\n');
    expect((await a.cli.run('PING')).output).toBe('PONG\r\n');
  });

  it('RESP3: the subscription replies are pushes and print the same', async () => {
    const a = session();
    const b = session(a.host);
    a.cli.now = () => 0;
    await a.cli.run('HELLO 3');
    const sub = a.cli.run('SUBSCRIBE news');
    await b.cli.run('PUBLISH news hi');
    a.cli.interrupt();
    const out = (await sub).output;
    expect(out.startsWith('Reading messages... (press Ctrl-C to quit)\r\n1) "subscribe"\r\n2) "news"\r\n3) (integer) 1\r\n')).toBe(true);
    // after Ctrl+C the new connection speaks RESP2 again, as redis-cli's does
    expect((await a.cli.run('HGETALL nothing')).output).toBe('(empty array)\r\n');
  });

  it('BLPOP waits until another session pushes', async () => {
    const a = session();
    const b = session(a.host);
    a.cli.now = b.cli.now = () => 0;
    const pop = a.cli.run('BLPOP jobs 0');
    await settle();
    expect(a.cli.busy).toBe(true);
    expect((await b.cli.run('LPUSH jobs j1')).output).toBe('(integer) 1\r\n');
    expect((await pop).output).toBe('1) "jobs"\r\n2) "j1"\r\n');
  });
});

describe('RESP3 pushes outside streaming', () => {
  it('pushes that come between commands print before the next reply, as redis-cli prints them', async () => {
    const t = new FakeTransport();
    let pushTo: ((r: Reply) => void) | null = null;
    t.onPush = (fn) => {
      pushTo = fn;
    };
    const cli = new CliSession(t);
    cli.now = () => 0;
    pushTo!({ type: 'push', value: [bulk('invalidate'), arr(bulk('k'), bulk('\x1b[2J'))] });
    // a flush invalidates everything: the key list is null and it prints as a plain reply
    pushTo!({ type: 'push', value: [bulk('invalidate'), { type: 'null' }] });
    t.answers.push({ type: 'simple', value: 'PONG' }, { type: 'simple', value: 'PONG' });
    expect((await cli.run('PING')).output).toBe("-> invalidate: 'k', '^[[2J'\r\n1) \"invalidate\"\r\n2) (nil)\r\nPONG\r\n");
    expect((await cli.run('PING')).output).toBe('PONG\r\n');
  });

  it('a push while a command waits prints at once', () => {
    const t = new FakeTransport();
    const cli = new CliSession(t);
    const written: string[] = [];
    cli.write = (text) => written.push(text);
    void cli.run('BLPOP l 0');
    return settle().then(() => {
      cli.push({ type: 'push', value: [bulk('invalidate'), arr(bulk('a'), bulk('b'))] });
      expect(written).toEqual(["-> invalidate: 'a', 'b'\r\n"]);
      cli.interrupt();
    });
  });
});

/**
 * A transport to a node the test kills and restarts, as the page's terminals see one (Terminal.tsx):
 * the connection breaks with the node, the next command on it fails, and connecting while the node
 * is down is refused. Commands answer OK, GET answers "1".
 */
class KillableTransport implements CliTransport {
  up = true;
  sent: string[][] = [];
  private conn: 'open' | 'broken' | null = null;
  kill(): void {
    this.up = false;
    if (this.conn === 'open') this.conn = 'broken';
  }
  send(args: Uint8Array[]): Promise<Reply> {
    if (this.conn === 'broken') {
      this.conn = null;
      return Promise.reject(new ConnectionClosedError());
    }
    if (this.conn === null) {
      if (!this.up) return Promise.reject(new ConnectionRefusedError(6379));
      this.conn = 'open';
    }
    const cmd = args.map((a) => String.fromCharCode(...a));
    this.sent.push(cmd);
    return Promise.resolve(cmd[0] === 'GET' ? bulk('1') : { type: 'simple', value: 'OK' });
  }
  stream(): () => void {
    throw new Error('not used');
  }
  close(): void {
    this.conn = null;
  }
  refused(): ConnectionRefusedError | null {
    return this.up ? null : new ConnectionRefusedError(6379);
  }
}

describe('the node goes away and comes back (redis-cli 7.0 against a redis-server shut down and restarted)', () => {
  it('"Server closed the connection", then "Could not connect" while down, then a silent reconnect', async () => {
    const t = new KillableTransport();
    const cli = new CliSession(t);
    cli.entries = helpFromSpecs(ALL_COMMANDS);
    expect(cli.startup()).toBe('');
    expect((await cli.run('SET a 1')).output).toBe('OK\r\n');
    t.kill();
    // The command sent on the broken connection.
    expect((await cli.run('GET a')).output).toBe('Error: Server closed the connection\r\n');
    expect(cli.prompt()).toBe('not connected> ');
    // Each command while down tries to connect.
    expect((await cli.run('GET a')).output).toBe('Could not connect to Redis at 127.0.0.1:6379: Connection refused\r\n');
    expect(cli.prompt()).toBe('not connected> ');
    // A repeated command stops at the first failed connect.
    expect((await cli.run('3 PING')).output).toBe('Could not connect to Redis at 127.0.0.1:6379: Connection refused\r\n');
    // HELP and empty lines need no server.
    expect((await cli.run('')).output).toBe('');
    expect((await cli.run('HELP GET')).output).toContain('GET');
    expect(cli.prompt()).toBe('not connected> ');
    t.up = true;
    expect((await cli.run('GET a')).output).toBe('"1"\r\n');
    expect(cli.prompt()).toBe('127.0.0.1:6379> ');
    expect(t.sent.at(-1)).toEqual(['GET', 'a']);
  });

  it('keeps the database across the reconnect (SELECT first), as cliConnect does', async () => {
    const t = new KillableTransport();
    const cli = new CliSession(t);
    await cli.run('SELECT 2');
    expect(cli.prompt()).toBe('127.0.0.1:6379[2]> ');
    t.kill();
    expect((await cli.run('PING')).output).toBe('Error: Server closed the connection\r\n');
    expect(cli.prompt()).toBe('not connected> ');
    expect((await cli.run('PING')).output).toBe('Could not connect to Redis at 127.0.0.1:6379: Connection refused\r\n');
    t.up = true;
    const before = t.sent.length;
    expect((await cli.run('PING')).output).toBe('OK\r\n');
    expect(t.sent.slice(before)).toEqual([['SELECT', '2'], ['PING']]);
    expect(cli.prompt()).toBe('127.0.0.1:6379[2]> ');
  });

  it('SHUTDOWN: the connection closing is its answer, nothing printed, then not connected', async () => {
    const t = new KillableTransport();
    const cli = new CliSession(t);
    await cli.run('SELECT 1');
    const send = t.send.bind(t);
    t.send = (args) => {
      if (String.fromCharCode(...args[0]) === 'SHUTDOWN') {
        t.kill();
        return Promise.reject(new ConnectionClosedError());
      }
      return send(args);
    };
    expect((await cli.run('SHUTDOWN NOSAVE')).output).toBe('');
    expect(cli.prompt()).toBe('not connected> ');
    expect((await cli.run('PING')).output).toBe('Could not connect to Redis at 127.0.0.1:6379: Connection refused\r\n');
    t.up = true;
    expect((await cli.run('PING')).output).toBe('OK\r\n');
    expect(cli.prompt()).toBe('127.0.0.1:6379[1]> ');
  });

  it('a node that is down at startup: redis-cli says so at once, and for each command', async () => {
    const t = new KillableTransport();
    t.up = false;
    const cli = new CliSession(t);
    expect(cli.startup()).toBe('Could not connect to Redis at 127.0.0.1:6379: Connection refused\r\n');
    expect(cli.prompt()).toBe('not connected> ');
    expect((await cli.run('PING')).output).toBe('Could not connect to Redis at 127.0.0.1:6379: Connection refused\r\n');
    expect(cli.prompt()).toBe('not connected> ');
    t.up = true;
    expect((await cli.run('PING')).output).toBe('OK\r\n');
  });
});
