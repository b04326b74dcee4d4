import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ask, run, screen, startRedis } from './support';

/** dump.rdb in and out of the page, checked with a real redis-server 7.0. */



test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await page.getByTestId('terminal').click();
  await expect.poll(() => screen(page)).toBe('127.0.0.1:6379>');
});

test('downloads a dump.rdb that a real redis-server loads, with the same digest', async ({ page }) => {
  await run(page, 'SET greeting 안녕');
  await run(page, 'RPUSH list a b c');
  await run(page, 'HSET h f1 v1 f2 v2');
  await run(page, 'ZADD z 1 one 2.5 two');
  await run(page, 'SADD s 1 2 3');
  await run(page, 'SET ttl x EX 1000');
  const digest = (await run(page, 'DEBUG DIGEST'))[0];
  const dir = mkdtempSync(path.join(tmpdir(), 'page-rdb-'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rdb').click()]);
  expect(download.suggestedFilename()).toBe('dump.rdb');
  await download.saveAs(path.join(dir, 'dump.rdb'));
  const real = await startRedis(dir);
  try {
    const out = await ask(real.port, [['DEBUG', 'DIGEST'], ['DBSIZE']]);
    expect(out).toBe(`+${digest}\r\n:6\r\n`);
  } finally {
    real.proc.kill('SIGKILL');
  }
});

test('opens a real redis-server dump.rdb', async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'real-rdb-'));
  const real = await startRedis(dir);
  let digest: string;
  try {
    const out = await ask(real.port, [
      ['SET', 'from', 'real redis'], ['RPUSH', 'l', 'x', 'y'], ['HSET', 'h', 'a', '1'], ['SELECT', '3'], ['SET', 'in3', 'yes'],
      ['DEBUG', 'DIGEST'], ['SAVE'],
    ]);
    digest = /\+([0-9a-f]{40})\r\n/.exec(out)![1];
  } finally {
    real.proc.kill('SIGKILL');
  }
  await page.getByTestId('open-rdb').setInputFiles(path.join(dir, 'dump.rdb'));
  await expect(page.getByTestId('rdb-note')).toHaveText('dump.rdb loaded: 4 keys');
  await page.getByTestId('terminal').click();
  expect(await run(page, 'GET from')).toEqual(['"real redis"']);
  expect(await run(page, 'DEBUG DIGEST')).toEqual([digest]);
  await page.screenshot({ path: 'test-results/rdb-files.png' });
});

test('refuses a file that is not an RDB, keeping the data', async ({ page }) => {
  await run(page, 'SET keep me');
  const dir = mkdtempSync(path.join(tmpdir(), 'bad-rdb-'));
  const bad = path.join(dir, 'not.rdb');
  (await import('node:fs')).writeFileSync(bad, 'hello, this is no RDB');
  await page.getByTestId('open-rdb').setInputFiles(bad);
  await expect(page.getByTestId('rdb-note')).toHaveText(/^not\.rdb not loaded: /);
  await page.getByTestId('terminal').click();
  expect(await run(page, 'GET keep')).toEqual(['"me"']);
});
