import { expect, test, type Page } from '@playwright/test';
import { PROMPT, askNode as ask, linkUp, run, screen } from './support';

/**
 * The replication topology survives a page reload: the replicas added from the Nodes panel come
 * back (each restarted from its own IndexedDB data, then resynced with its master), a killed node
 * stays killed until Restart, a link's latency is kept, and a removed node is forgotten.
 */

test.setTimeout(180_000);

/**
 * Wait until the node's AOF holds everything: a replica rewrites its AOF after a full sync (until
 * then the file lacks the synced data, as in Redis), and nothing is left in flight to IndexedDB.
 */
async function aofWritten(page: Page, port: number): Promise<void> {
  await expect
    .poll(async () => {
      const info = await ask(page, port, 'INFO', 'persistence');
      return ['aof_rewrite_in_progress', 'aof_rewrite_scheduled', 'aof_buffer_length', 'aof_pending_bio_fsync']
        .map((f) => new RegExp(`^${f}:(.*)\r?$`, 'm').exec(info)?.[1])
        .join(',');
    }, { timeout: 20_000 })
    .toBe('0,0,0,0');
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await page.getByTestId('terminal').click();
  await expect.poll(() => screen(page)).toMatch(PROMPT);
}

test('replicas, a sub-replica and a killed node come back after a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
  const panel = page.getByTestId('nodes-panel');

  // A replica, a sub-replica behind it, and a second replica that will be killed.
  await panel.getByTestId('add-replica').click();
  await linkUp(page, 6380);
  await panel.getByTestId('add-subreplica-6380').click();
  await linkUp(page, 6381);
  await panel.getByTestId('add-replica').click();
  await linkUp(page, 6382);
  await page.getByTestId('latency-6381').fill('30');

  await page.getByTestId('terminal').click();
  expect(await run(page, 'SET greeting hello')).toEqual(['OK']);
  expect(await run(page, 'RPUSH list a b c')).toEqual(['(integer) 3']);
  for (const port of [6380, 6381, 6382]) await expect.poll(() => ask(page, port, 'GET', 'greeting')).toBe('hello');
  for (const port of [6379, 6380, 6381, 6382]) await aofWritten(page, port);
  await page.getByTestId('kill-6382').click();
  await expect(page.getByTestId('node-link-6382')).toHaveText('killed');
  // appendfsync everysec: let the last second reach IndexedDB before the reload.
  await page.waitForTimeout(1500);

  await reload(page);

  // The nodes are back, with their roles; the killed one is listed, not started.
  await expect(page.getByTestId('node-6380')).toBeVisible();
  await expect(page.getByTestId('node-6381')).toBeVisible();
  await expect(page.getByTestId('node-6382')).toHaveAttribute('data-status', 'killed');
  await expect(page.getByTestId('node-link-6382')).toHaveText('killed');
  await expect(page.getByTestId('node-role-6382')).toHaveText('replica of 6379');
  await expect(page.getByTestId('restart-6382')).toBeVisible();
  // Each replica started from its own saved data (its AOF), before resyncing.
  for (const port of [6380, 6381]) {
    const loaded = await page.evaluate(async (port) => (await window.__redisNodes!.engine(port)!.ready).loaded, port);
    expect(loaded).toMatchObject({ source: 'aof', keys: 2 });
  }
  await linkUp(page, 6380);
  await linkUp(page, 6381);
  await expect(page.getByTestId('node-role-6380')).toHaveText('replica of 6379');
  await expect(page.getByTestId('node-role-6381')).toHaveText('replica of 6380');
  await expect(page.getByTestId('node-replicas-6379')).toHaveText('6380');
  await expect(page.getByTestId('node-replicas-6380')).toHaveText('6381');
  await expect(page.getByTestId('latency-6381')).toHaveValue('30');
  for (const port of [6380, 6381]) {
    expect(await ask(page, port, 'GET', 'greeting')).toBe('hello');
    expect(await ask(page, port, 'LLEN', 'list')).toBe('3');
  }

  // A write after the reload reaches the replica and the sub-replica.
  expect(await run(page, 'SET after reload')).toEqual(['OK']);
  for (const port of [6380, 6381]) await expect.poll(() => ask(page, port, 'GET', 'after')).toBe('reload');

  // Restart the killed node: its data, then the writes it missed.
  await page.getByTestId('restart-6382').click();
  await linkUp(page, 6382);
  await expect.poll(() => ask(page, 6382, 'GET', 'after')).toBe('reload');
  expect(await ask(page, 6382, 'GET', 'greeting')).toBe('hello');

  // Remove the sub-replica: it is gone, and stays gone after another reload.
  await page.getByTestId('remove-6381').click();
  await expect(page.getByTestId('node-6381')).toHaveCount(0);
  await expect(page.getByTestId('node-replicas-6380')).toHaveText('', { timeout: 20_000 });
  // Its IndexedDB database is deleted, so a new node on 6381 would start empty.
  await expect
    .poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('redis-playground-')).sort()))
    .toEqual(['redis-playground-6379', 'redis-playground-6380', 'redis-playground-6382']);
  await reload(page);
  await linkUp(page, 6380);
  await linkUp(page, 6382);
  await expect(page.getByTestId('node-6381')).toHaveCount(0);
  await expect.poll(() => ask(page, 6382, 'GET', 'after')).toBe('reload');

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: 'test-results/replication-reload.png', fullPage: true });
});
