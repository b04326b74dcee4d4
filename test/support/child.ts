import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Conn, freePort } from './harness';

/** Our Node server as a separate process (npm run server), for tests that kill or stop it. */
export interface Server {
  proc: ChildProcess;
  port: number;
  /** What the process wrote on stderr so far. */
  stderr(): string;
}

export async function startServer(dir: string, args: string[]): Promise<Server> {
  // The free port may be taken by another test file before the server binds it: try another.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('src/host/node/main.ts'), '--port', String(port), '--dir', dir, '--save', '',
        '--enable-debug-command', 'yes', ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    for (let i = 0; i < 400 && proc.exitCode === null; i++) {
      try {
        // Only our own process counts (another file's server may hold the port).
        const c = await Conn.open(port);
        const info = (await c.send('INFO', 'server')).raw.toString('latin1');
        c.close();
        if (info.includes(`process_id:${proc.pid}\r\n`)) return { proc, port, stderr: () => stderr };
        if (info.includes('process_id:')) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    if (proc.exitCode === null) proc.kill('SIGKILL');
    if (attempt >= 3) throw new Error('server did not start on a port of its own: ' + stderr);
  }
}

/** SIGKILL (no chance to save anything), resolved once the process is gone. */
export function kill(s: Server): Promise<void> {
  return exited(s, () => s.proc.kill('SIGKILL'));
}

/** Resolves with the exit code once the process has ended (after `cause`, if given). */
export function exited(s: Server, cause?: () => void): Promise<void> {
  return new Promise((resolve) => {
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) return resolve();
    s.proc.once('exit', () => resolve());
    cause?.();
  });
}
