import { expect, test, type Page } from '@playwright/test';
import { askNode as ask, linkUp, run } from './support';

/**
 * Replication faults in the page: a cut longer than the master's backlog reaches ends in a full
 * resync; a promoted replica becomes the master another replica follows with a partial resync.
 * Master commands go through terminal 1; other nodes are read through connections of their own.
 */

test.setTimeout(120_000);

/** A field of the node's INFO (replication and stats), read now. */
async function infoField(page: Page, port: number, field: string): Promise<string | undefined> {
  const info = await ask(page, port, 'INFO', 'replication', 'stats');
  return new RegExp(`^${field}:(.*)\r?$`, 'm').exec(info)?.[1];
}

/** What the node panel knows of a node (its last polled replication state). */
async function nodeState(page: Page, port: number) {
  const n = await page.evaluate((port) => window.__redisNodes!.snapshot().find((n) => n.port === port) ?? null, port);
  return n!.state!;
}

/** Start the page, with the master starting its full syncs at once (not after Redis's 5 s wait for more replicas). */
async function open(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await page.getByTestId('terminal').click();
  expect(await run(page, 'CONFIG SET repl-diskless-sync-delay 0')).toEqual(['OK']);
}

test('a cut longer than the backlog allows ends in a full resync', async ({ page }) => {
  await open(page);
  expect(await run(page, 'CONFIG SET repl-backlog-size 16384')).toEqual(['OK']);
  expect(await run(page, 'SET before cut')).toEqual(['OK']);
  await page.getByTestId('add-replica').click();
  await linkUp(page, 6380);
  await expect.poll(() => ask(page, 6380, 'GET', 'before')).toBe('cut');
  const fullBefore = Number(await infoField(page, 6379, 'sync_full'));

  await page.getByTestId('cut-6380').click();
  await expect(page.getByTestId('node-link-6380')).toContainText('cut');
  await expect(page.getByTestId('node-link-6380')).toContainText('down');
  // About 100 KB of stream (the script's writes are replicated one by one): well past the 16 KB
  // backlog, which like Redis's keeps whole 20 KB blocks and so may hold up to one block more.
  await page.getByTestId('terminal').click();
  expect(await run(page, `EVAL "for i = 1, 200 do redis.call('SET', 'big:' .. i, string.rep('x', 500)) end" 0`)).toEqual(['(nil)']);
  expect(await run(page, 'INCR after-cut')).toEqual(['(integer) 1']);
  expect(await ask(page, 6380, 'GET', 'after-cut')).toBe('null');

  await page.getByTestId('heal-6380').click();
  await linkUp(page, 6380);
  // The panel's polled state shows it too.
  await expect.poll(async () => (await nodeState(page, 6379)).syncFull).toBe(fullBefore + 1);
  expect(await infoField(page, 6379, 'sync_full')).toBe(String(fullBefore + 1));
  await expect.poll(() => ask(page, 6380, 'GET', 'after-cut')).toBe('1');
  await expect.poll(() => ask(page, 6380, 'DEBUG', 'DIGEST')).toBe(await ask(page, 6379, 'DEBUG', 'DIGEST'));
  expect(await ask(page, 6380, 'DBSIZE')).toBe('202');
});

test('promote a replica: another replica follows it with a partial resync', async ({ page }) => {
  await open(page);
  // No PINGs in the stream: both replicas stay at exactly the master's offset between writes.
  expect(await run(page, 'CONFIG SET repl-ping-replica-period 3600')).toEqual(['OK']);
  await page.getByTestId('add-replica').click();
  await linkUp(page, 6380);
  await page.getByTestId('add-replica').click();
  await linkUp(page, 6381);
  await page.getByTestId('terminal').click();
  expect(await run(page, 'RPUSH list a b c')).toEqual(['(integer) 3']);
  expect(await run(page, 'HSET h f v')).toEqual(['(integer) 1']);
  const offset = await infoField(page, 6379, 'master_repl_offset');
  for (const port of [6380, 6381]) await expect.poll(() => infoField(page, port, 'slave_repl_offset')).toBe(offset);

  // Promote 6380 from its row: it becomes a master, keeping its data and the old history as replid2.
  await page.getByTestId('promote-6380').click();
  await expect(page.getByTestId('node-role-6380')).toHaveText('master');
  await expect(page.getByTestId('node-link-6380')).toHaveText('—');
  await expect(page.getByTestId('promote-6380')).toHaveCount(0);
  expect(await ask(page, 6380, 'SET', 'on-new-master', 'yes')).toBe('OK');

  // 6381 follows the new master from a terminal of its own: a partial resync (PSYNC2), no full one.
  await page.getByTestId('terminal-node').selectOption('6381');
  await page.getByTestId('new-terminal').click();
  await expect(page.getByTestId('terminal-node-2')).toHaveText('→ 127.0.0.1:6381');
  await expect.poll(() => page.evaluate(() => window.__redisTerminals?.[2]?.text() ?? '')).toMatch(/^127\.0\.0\.1:6381>$/m);
  await page.getByTestId('terminal-2').click();
  await page.keyboard.type('REPLICAOF 127.0.0.1 6380');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.__redisTerminals?.[2]?.text() ?? '')).toContain('127.0.0.1:6381> REPLICAOF 127.0.0.1 6380\nOK');
  await expect(page.getByTestId('node-role-6381')).toHaveText('replica of 6380', { timeout: 20_000 });
  await linkUp(page, 6381);
  await expect(page.getByTestId('node-replicas-6380')).toHaveText('6381');
  await expect.poll(() => ask(page, 6381, 'GET', 'on-new-master')).toBe('yes');
  expect(await infoField(page, 6380, 'sync_partial_ok')).toBe('1');
  expect(await infoField(page, 6380, 'sync_full')).toBe('0');
  await expect.poll(async () => (await nodeState(page, 6380)).syncPartialOk).toBe(1);
  await expect.poll(() => ask(page, 6381, 'DEBUG', 'DIGEST')).toBe(await ask(page, 6380, 'DEBUG', 'DIGEST'));
  // The old master has no replicas left.
  await expect(page.getByTestId('node-replicas-6379')).toHaveText('');
});

test('FAILOVER on the master hands over to its replica, which the old master then follows', async ({ page }) => {
  await open(page);
  await page.getByTestId('add-replica').click();
  await linkUp(page, 6380);
  await page.getByTestId('terminal').click();
  expect(await run(page, 'SET before failover')).toEqual(['OK']);
  expect(await run(page, 'FAILOVER')).toEqual(['OK']);
  await expect(page.getByTestId('node-role-6379')).toHaveText('replica of 6380', { timeout: 20_000 });
  await expect(page.getByTestId('node-role-6380')).toHaveText('master');
  await linkUp(page, 6379);
  await expect(page.getByTestId('node-replicas-6380')).toHaveText('6379');
  // The old master continued the same history: a partial resync on the new one.
  expect(await infoField(page, 6380, 'sync_partial_ok')).toBe('1');
  expect(await run(page, 'SET x 1')).toEqual([`(error) READONLY You can't write against a read only replica.`]);
  expect(await ask(page, 6380, 'SET', 'after', 'failover')).toBe('OK');
  await expect.poll(() => ask(page, 6379, 'GET', 'after')).toBe('failover');
  expect(await ask(page, 6379, 'GET', 'before')).toBe('failover');
});
