import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { WorkerHost, type PortLike } from '../../src/host/worker/host';
import { RedisConnection } from '../../src/host/worker/client';
import { ALL_COMMANDS } from '../../src/engine/commands/index';
import { CliSession, type CliTransport } from '../../src/cli/session';
import { helpFromSpecs } from '../../src/cli/help';
import { splitLine, INVALID_ARGUMENTS } from '../../src/cli/split';

function session(): { cli: CliSession; sent: string[][] } {
  const host = new WorkerHost();
  let conn: RedisConnection | null = null;
  const sent: string[][] = [];
  const transport: CliTransport = {
    send(args) {
      if (conn === null || conn.closed) {
        const ch = new MessageChannel();
        host.attach(ch.port2 as unknown as PortLike);
        conn = new RedisConnection(ch.port1 as unknown as MessagePort);
      }
      sent.push(args.map((a) => String.fromCharCode(...a)));
      return conn.send(...args);
    },
    close() {
      conn?.close();
    },
  };
  const cli = new CliSession(transport);
  cli.entries = helpFromSpecs(ALL_COMMANDS);
  return { cli, sent };
}

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
