/**
 * Browser figures, in Debian's headless Chromium against a production build (vite build + preview):
 * page load to the first prompt, command round trips from a page connection to the worker and
 * back (median, p99), and SAVE / load of N small keys with IndexedDB as the storage.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { freePort } from './tcp';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface BrowserFigures {
  firstPromptMs: number;
  rttMedianMs: number;
  rttP99Ms: number;
  saveMs: number;
  loadMs: number;
  keys: number;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export async function measureBrowser(keys: number, log: (s: string) => void): Promise<BrowserFigures> {
  log('browser: vite build...');
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const port = await freePort();
  const preview = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(port), '--strictPort'], {
    cwd: ROOT, stdio: 'ignore',
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const page = await browser.newPage();
    // tsx (esbuild) wraps named functions in __name(...); functions sent to the page need it too.
    await page.addInitScript('globalThis.__name = (f) => f;');
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => (window.__redisTerminal?.text() ?? '').endsWith('127.0.0.1:6379>'));
    const firstPromptMs = Date.now() - t0;

    log('browser: round trips...');
    const rtts = await page.evaluate(async () => {
      const conn = window.__redisEngine!.connect();
      const out: number[] = [];
      for (let i = 0; i < 2200; i++) {
        const t = performance.now();
        await conn.send('PING');
        if (i >= 200) out.push(performance.now() - t); // after warm-up
      }
      conn.close();
      return out;
    });

    log(`browser: SAVE / load of ${keys} keys (IndexedDB)...`);
    const timings = await page.evaluate(async (n) => {
      const conn = window.__redisEngine!.connect();
      const timed = async (...argv: string[]): Promise<number> => {
        const t = performance.now();
        const r = await conn.send(...argv);
        if (r.type === 'error') throw new Error(`${argv.join(' ')}: error reply`);
        return performance.now() - t;
      };
      await timed('CONFIG', 'SET', 'appendonly', 'no');
      await timed('FLUSHALL');
      await timed('DEBUG', 'POPULATE', String(n));
      const save = await timed('SAVE');
      const load = await timed('DEBUG', 'RELOAD', 'NOSAVE');
      const size = await conn.send('DBSIZE');
      await timed('FLUSHALL');
      conn.close();
      return { save, load, size: size.type === 'integer' ? Number(size.value) : -1 };
    }, keys);
    if (timings.size !== keys) throw new Error(`reload brought back ${timings.size} keys, not ${keys}`);
    return {
      firstPromptMs,
      rttMedianMs: percentile(rtts, 50),
      rttP99Ms: percentile(rtts, 99),
      saveMs: timings.save,
      loadMs: timings.load,
      keys,
    };
  } finally {
    await browser.close();
    preview.kill();
  }
}
