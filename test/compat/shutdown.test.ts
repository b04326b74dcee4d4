import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePair } from '../support/pair';
import { Conn } from '../support/harness';
import { encodeCommand } from '../support/resp-reader';
import { exited, kill, startServer } from '../support/child';

/** SHUTDOWN: its errors against a real Redis; what it saves, with our server as a process. */
const pair = usePair();

describe('SHUTDOWN', () => {
  it('gives Redis errors for bad options, ABORT with nothing to abort, and inside MULTI', async () => {
    await pair.same(
      ['SHUTDOWN', 'x'], ['SHUTDOWN', 'SAVE', 'NOSAVE'], ['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'ABORT', 'NOW'],
      ['SHUTDOWN', 'NOSAVE', 'ABORT'], ['MULTI'], ['SHUTDOWN'], ['EXEC'],
    );
  });

  async function shutdown(dir: string, args: string[], setup: string[][], shutdownArgs: string[]): Promise<void> {
    const s = await startServer(dir, args);
    const c = await Conn.open(s.port);
    for (const cmd of setup) await c.send(...cmd);
    c.writeRaw(encodeCommand(['SHUTDOWN', ...shutdownArgs]));
    await exited(s);
    expect(s.proc.exitCode).toBe(0);
    c.close();
  }

  async function keysAfterRestart(dir: string, args: string[]): Promise<string> {
    const s = await startServer(dir, args);
    const c = await Conn.open(s.port);
    const r = (await c.send('SORT', 'keys-list', 'ALPHA')).raw.toString();
    const n = (await c.send('DBSIZE')).raw.toString();
    c.close();
    await kill(s);
    return r + n;
  }

  it('saves the RDB when save points are set, or with SAVE, not with NOSAVE', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shutdown-'));
    await shutdown(dir, ['--save', '3600 1'], [['RPUSH', 'keys-list', 'a', 'b']], []);
    expect(await keysAfterRestart(dir, [])).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n');
    await shutdown(dir, [], [['RPUSH', 'keys-list', 'c']], ['NOSAVE']);
    expect(await keysAfterRestart(dir, [])).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n');
    await shutdown(dir, [], [['RPUSH', 'keys-list', 'c']], ['SAVE']);
    expect(await keysAfterRestart(dir, [])).toBe('*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n:1\r\n');
  }, 60_000);

  it('makes the AOF durable first, even with appendfsync no', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shutdown-aof-'));
    const args = ['--appendonly', 'yes', '--appendfsync', 'no'];
    await shutdown(dir, args, [['RPUSH', 'keys-list', 'x', 'y']], ['NOSAVE']);
    expect(await keysAfterRestart(dir, args)).toBe('*2\r\n$1\r\nx\r\n$1\r\ny\r\n:1\r\n');
  }, 60_000);
});
