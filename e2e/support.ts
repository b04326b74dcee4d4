import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { expect, type Page } from '@playwright/test';

/** Helpers shared by the e2e specs: the terminals' text, typing a command into the first one, and the nodes. */

export const PROMPT = /^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?> ?/;

/** A terminal's text, every line on screen and in scrollback: the first one, or terminal n (1, 2, ...). */
export function screen(page: Page, n?: number): Promise<string> {
  return page.evaluate((n) => (n === undefined ? window.__redisTerminal : window.__redisTerminals?.[n])?.text() ?? '', n);
}

export async function lines(page: Page, n?: number): Promise<string[]> {
  return (await screen(page, n)).split('\n');
}

/** Terminal n's element (n = 1 is the first). */
export function terminal(page: Page, n: number) {
  return page.getByTestId(n === 1 ? 'terminal' : `terminal-${n}`);
}

/** Type a command as a person does, press Enter, and return the lines printed before the next prompt. */
export async function run(page: Page, command: string): Promise<string[]> {
  const before = (await lines(page)).length;
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  let out: string[] = [];
  await expect
    .poll(async () => {
      const all = await lines(page);
      // the echoed command line is the last line present before Enter; the new prompt is the last line
      const echo = before - 1;
      if (all.length <= echo + 1 || !PROMPT.test(all[all.length - 1]) || all[all.length - 1].replace(PROMPT, '') !== '') return null;
      out = all.slice(echo + 1, all.length - 1);
      return all[echo];
    })
    .toMatch(new RegExp(`> ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  return out;
}

// ---- a real redis-server for the specs that compare with one ----

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Send commands to a real redis-server and collect the raw replies (one per command). */
export function ask(port: number, cmds: string[][]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(cmds.map((c) => `*${c.length}\r\n` + c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')).join(''));
    });
    let out = '';
    s.on('data', (d) => {
      out += d.toString('latin1');
      if (out.split('\r\n').filter((l) => /^[+:\-$*]/.test(l)).length >= cmds.length) {
        s.end();
        resolve(out);
      }
    });
    s.on('error', reject);
  });
}

export async function startRedis(dir: string): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '',
    '--appendonly', 'no', '--enable-debug-command', 'yes'], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await ask(port, [['PING']])).startsWith('+PONG')) return { port, proc };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('redis-server did not start');
}

/** Send a command to the page's node at `port` on a connection of its own; the reply as text. */
export function askNode(page: Page, port: number, ...args: string[]): Promise<string> {
  return page.evaluate(
    async ([port, args]) => {
      const c = window.__redisNodes!.connect(port);
      try {
        const r = await c.send(...args);
        if (r.type === 'bulk') return new TextDecoder().decode(r.value);
        if (r.type === 'simple' || r.type === 'error') return r.value;
        if (r.type === 'integer') return String(r.value);
        return r.type;
      } finally {
        c.close();
      }
    },
    [port, args] as const,
  );
}

/** Wait until the Nodes panel shows the link of the node at `port` up. */
export async function linkUp(page: Page, port: number): Promise<void> {
  await expect(page.getByTestId(`node-link-${port}`)).toHaveText('up', { timeout: 30_000 });
}
