/**
 * Browser figures, in Debian's headless Chromium against a production build (vite build + preview):
 * page load to the first prompt, command round trips from a page connection to the worker and
 * back (median, p99), SAVE / load of N small keys with IndexedDB as the storage, and the keyspace
 * explorer with a million keys (first rows after DEBUG POPULATE, frame times while scrolling).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { freePort } from './tcp';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface BrowserFigures {
  firstPromptMs: number;
  rttMedianMs: number;
  rttP99Ms: number;
  saveMs: number;
  loadMs: number;
  keys: number;
  explorer: ExplorerFigures;
}

export interface ExplorerFigures {
  keys: number;
  /** DEBUG POPULATE's own time, from a page connection. */
  populateMs: number;
  /** From the populate's reply to the explorer's first rows on screen. */
  firstRowsMs: number;
  /** requestAnimationFrame intervals while the key list scrolls (and loads more with SCAN). */
  frames: number;
  frameMedianMs: number;
  frameP95Ms: number;
  frameMaxMs: number;
  /** Keys the list loaded during the scroll. */
  loadedAfterScroll: number;
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
    log('browser: keyspace explorer with 1,000,000 keys...');
    const explorer = await measureExplorer(page, 1_000_000);
    return {
      firstPromptMs,
      rttMedianMs: percentile(rtts, 50),
      rttP99Ms: percentile(rtts, 99),
      saveMs: timings.save,
      loadMs: timings.load,
      keys,
      explorer,
    };
  } finally {
    await browser.close();
    preview.kill();
  }
}

/**
 * The keyspace explorer (list view) after DEBUG POPULATE: how soon its first rows show, and the
 * frame times while its list scrolls down 240 px (10 rows) a frame for 4 seconds, past the loaded keys so
 * that it loads more with SCAN on the way.
 */
async function measureExplorer(page: Page, keys: number): Promise<ExplorerFigures> {
  await page.getByTestId('explorer-list').click();
  const r = await page.evaluate(async (n) => {
    const conn = window.__redisEngine!.connect();
    await conn.send('FLUSHALL');
    const rows = document.querySelector('[data-testid="explorer-rows"]')!;
    // Wait until the explorer shows the empty database, then time the populate and its rows.
    const frame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));
    while (rows.querySelector('[data-testid="explorer-key"]') !== null) await frame();
    const t0 = performance.now();
    await conn.send('DEBUG', 'POPULATE', String(n));
    const t1 = performance.now();
    while (rows.querySelector('[data-testid="explorer-key"]') === null) await frame();
    const t2 = performance.now();
    const deltas: number[] = [];
    let last = await frame();
    const end = last + 4000;
    while (last < end) {
      rows.scrollBy(0, 240);
      const now = await frame();
      deltas.push(now - last);
      last = now;
    }
    const summary = document.querySelector('[data-testid="explorer-summary"]')?.textContent ?? '';
    await conn.send('FLUSHALL');
    conn.close();
    return { populateMs: t1 - t0, firstRowsMs: t2 - t1, deltas, loaded: Number(summary.split(' ')[0].replace(/,/g, '')) };
  }, keys);
  return {
    keys,
    populateMs: r.populateMs,
    firstRowsMs: r.firstRowsMs,
    frames: r.deltas.length,
    frameMedianMs: percentile(r.deltas, 50),
    frameP95Ms: percentile(r.deltas, 95),
    frameMaxMs: Math.max(...r.deltas),
    loadedAfterScroll: r.loaded,
  };
}
