import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { ALL_COMMANDS } from '../../src/engine/commands/index';
import { WorkerHost, type PortLike } from '../../src/host/worker/host';
import { RedisConnection } from '../../src/host/worker/client';
import { COMMAND_GROUPS, helpFromDocs, helpFromSpecs, helpText } from '../../src/cli/help';
import { completionsFor, hintFor } from '../../src/cli/hints';

const entries = helpFromSpecs(ALL_COMMANDS);

describe('help table', () => {
  it('has commands and subcommands, upper case, sorted', () => {
    const names = entries.map((e) => e.name);
    expect(names).toContain('SET');
    expect(names).toContain('CLIENT LIST');
    expect([...names].sort()).toEqual(names);
    const set = entries.find((e) => e.name === 'SET')!;
    // redis-cli 7.0.15's params string for SET
    expect(set.params).toBe('key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    expect(set.since).toBe('1.0.0');
    expect(set.group).toBe('string');
  });

  it('COMMAND DOCS from the engine gives the same table (RESP2 and RESP3)', async () => {
    const host = new WorkerHost();
    const ch = new MessageChannel();
    host.attach(ch.port2 as unknown as PortLike);
    const conn = new RedisConnection(ch.port1 as unknown as MessagePort);
    try {
      const docs2 = helpFromDocs(await conn.send('COMMAND', 'DOCS'));
      await conn.send('HELLO', '3');
      const docs3 = helpFromDocs(await conn.send('COMMAND', 'DOCS'));
      expect(docs2).toEqual(entries);
      expect(docs3).toEqual(entries);
    } finally {
      conn.close();
    }
  });
});

describe('HELP output, in redis-cli layout', () => {
  it('HELP SET', () => {
    expect(helpText(['set'], entries)).toBe(
      '\r\n  \x1b[1mSET\x1b[0m \x1b[90mkey value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]\x1b[0m\r\n' +
        `  \x1b[33msummary:\x1b[0m ${entries.find((e) => e.name === 'SET')!.summary}\r\n` +
        '  \x1b[33msince:\x1b[0m 1.0.0\r\n' +
        '  \x1b[33mgroup:\x1b[0m string\r\n' +
        '\r\n',
    );
  });

  it('HELP with no arguments, an unknown command, a container, a group', () => {
    expect(helpText([], entries)).toMatch(/^redis-cli 7\.0\.15\nTo get help about Redis commands type:\n/);
    expect(helpText(['nosuch'], entries)).toBe('\r\n');
    const client = helpText(['client'], entries);
    expect(client).toContain('\x1b[1mCLIENT LIST\x1b[0m');
    expect(client).toContain('\x1b[1mCLIENT ID\x1b[0m');
    const strings = helpText(['@STRING'], entries);
    expect(strings).toContain('\x1b[1mAPPEND\x1b[0m \x1b[90mkey value\x1b[0m\r\n');
    expect(strings).not.toContain('group:');
    expect(strings).not.toContain('\x1b[1mDEL\x1b[0m');
  });
});

describe('hints', () => {
  it('the params after the command, minus the typed arguments, up to the first optional', () => {
    expect(hintFor('set', entries)).toBe(' key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    expect(hintFor('SET ', entries)).toBe('key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    expect(hintFor('set k', entries)).toBe(' value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    expect(hintFor('set k v ', entries)).toBe('[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    expect(hintFor('get k', entries)).toBe(' ');
    expect(hintFor('client list ', entries)).toBe(entries.find((e) => e.name === 'CLIENT LIST')!.params);
    expect(hintFor('nosuch x', entries)).toBeNull();
    expect(hintFor('', entries)).toBeNull();
    expect(hintFor('set "unbalanced', entries)).toBeNull();
  });
});

describe('completion', () => {
  it('command names as the table spells them (redis-cli 7.0: upper case)', () => {
    const c = completionsFor('se', entries, COMMAND_GROUPS);
    expect(c[0]).toBe('SELECT');
    expect(c).toContain('SET');
    expect(c).toContain('SETRANGE');
    expect(completionsFor('client l', entries, COMMAND_GROUPS)).toEqual(['CLIENT LIST']);
    expect(completionsFor('zzz', entries, COMMAND_GROUPS)).toEqual([]);
  });

  it('after "help ": groups too, keeping what was typed before', () => {
    expect(completionsFor('help @str', entries, COMMAND_GROUPS)).toEqual(['help @string', 'help @stream']);
    expect(completionsFor('HELP  getd', entries, COMMAND_GROUPS)).toEqual(['HELP  GETDEL']);
  });
});
