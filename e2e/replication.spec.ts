import { expect, test, type Page } from '@playwright/test';
import { linkUp, run } from './support';

/**
 * Replication in the page: the master 6379 and replicas in their own workers, joined by the
 * simulated network, driven from the Nodes panel; values read through connections to each node.
 */

test.setTimeout(120_000);

/** GET on the node at `port`, through a connection of its own; null for a missing key. */
function get(page: Page, port: number, key: string): Promise<string | null> {
  return page.evaluate(
    async ([port, key]) => {
      const c = window.__redisNodes!.connect(port);
      try {
        const r = await c.send('GET', key);
        return r.type === 'bulk' ? new TextDecoder().decode(r.value) : null;
      } finally {
        c.close();
      }
    },
    [port, key] as const,
  );
}

/** What the node panel knows of a node (its last polled replication state). */
function nodeState(page: Page, port: number) {
  return page.evaluate((port) => window.__redisNodes!.snapshot().find((n) => n.port === port) ?? null, port);
}

test('a master, two replicas and a sub-replica: sync, cut and heal, kill and restart', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
  const panel = page.getByTestId('nodes-panel');

  // Two replicas of the master, and a replica of the first one.
  await panel.getByTestId('add-replica').click();
  await linkUp(page, 6380);
  await panel.getByTestId('add-replica').click();
  await linkUp(page, 6381);
  await panel.getByTestId('add-subreplica-6380').click();
  await linkUp(page, 6382);
  await expect(page.getByTestId('node-role-6382')).toHaveText('replica of 6380');
  await expect(page.getByTestId('node-replicas-6379')).toHaveText('6380, 6381');
  await expect(page.getByTestId('node-replicas-6380')).toHaveText('6382');

  // A write on the master (terminal 1) reaches every node, the sub-replica through its replica.
  await page.getByTestId('terminal').click();
  expect(await run(page, 'SET greeting hello')).toEqual(['OK']);
  for (const port of [6380, 6381, 6382]) await expect.poll(() => get(page, port, 'greeting')).toBe('hello');

  // A terminal on the sub-replica: redis-cli's prompt shows its port; it is read-only.
  await page.getByTestId('terminal-node').selectOption('6382');
  await page.getByTestId('new-terminal').click();
  await expect(page.getByTestId('terminal-node-2')).toHaveText('→ 127.0.0.1:6382');
  await expect.poll(() => page.evaluate(() => window.__redisTerminals?.[2]?.text() ?? '')).toMatch(/^127\.0\.0\.1:6382>$/m);
  await page.getByTestId('terminal-2').click();
  await page.keyboard.type('GET greeting');
  await page.keyboard.press('Enter');
  await page.keyboard.type('SET x 1');
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.evaluate(() => window.__redisTerminals?.[2]?.text() ?? ''))
    .toContain(`127.0.0.1:6382> GET greeting\n"hello"\n127.0.0.1:6382> SET x 1\n(error) READONLY You can't write against a read only replica.`);

  // Cut 6381 from the master: it misses a write, then catches up with a partial resync once healed.
  const partialBefore = (await nodeState(page, 6379))!.state!.syncPartialOk;
  await page.getByTestId('cut-6381').click();
  await expect(page.getByTestId('node-link-6381')).toContainText('down');
  await expect(page.getByTestId('node-link-6381')).toContainText('cut');
  await page.getByTestId('terminal').click();
  expect(await run(page, 'SET during-cut 42')).toEqual(['OK']);
  await expect.poll(() => get(page, 6380, 'during-cut')).toBe('42');
  expect(await get(page, 6381, 'during-cut')).toBeNull();
  await page.getByTestId('heal-6381').click();
  await linkUp(page, 6381);
  await expect.poll(() => get(page, 6381, 'during-cut')).toBe('42');
  await expect.poll(async () => (await nodeState(page, 6379))!.state!.syncPartialOk).toBe(partialBefore + 1);

  // Latency on a link: the writes still arrive, in order.
  await page.getByTestId('latency-6381').fill('200');
  await page.getByTestId('terminal').click();
  expect(await run(page, 'RPUSH slow a b c')).toEqual(['(integer) 3']);
  expect(await run(page, 'RPUSH slow d')).toEqual(['(integer) 4']);
  await expect
    .poll(() => page.evaluate(async () => {
      const c = window.__redisNodes!.connect(6381);
      try {
        const r = await c.send('LRANGE', 'slow', '0', '-1');
        return r.type === 'array' ? r.value.map((x) => (x.type === 'bulk' ? new TextDecoder().decode(x.value) : '?')).join('') : '';
      } finally {
        c.close();
      }
    }))
    .toBe('abcd');
  await page.getByTestId('latency-6381').fill('0');

  // Kill 6380 (its sub-replica loses its master), write meanwhile, restart it: it comes back with
  // its data from IndexedDB, as a replica of 6379 again, and resyncs; so does 6382.
  await page.waitForTimeout(1500); // appendfsync everysec: let 6380's AOF catch up before the "crash"
  await page.getByTestId('kill-6380').click();
  await page.getByTestId('terminal').click();
  await expect(page.getByTestId('node-link-6380')).toHaveText('killed');
  await expect(page.getByTestId('node-link-6382')).toContainText('down', { timeout: 20_000 });
  expect(await run(page, 'SET while-down yes')).toEqual(['OK']);
  await expect(page.getByTestId('node-replicas-6379')).toHaveText('6381', { timeout: 20_000 });
  await page.getByTestId('restart-6380').click();
  const loaded = await page.evaluate(async () => (await window.__redisNodes!.engine(6380)!.ready).loaded);
  expect(loaded?.keys ?? 0).toBeGreaterThanOrEqual(2);
  await linkUp(page, 6380);
  await linkUp(page, 6382);
  await expect(page.getByTestId('node-role-6380')).toHaveText('replica of 6379');
  for (const port of [6380, 6381, 6382]) await expect.poll(() => get(page, port, 'while-down')).toBe('yes');
  expect(await get(page, 6380, 'greeting')).toBe('hello');

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: 'test-results/replication.png', fullPage: true });
});
