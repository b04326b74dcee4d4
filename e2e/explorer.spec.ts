import { expect, test, type Page } from '@playwright/test';
import { lines } from './support';

/**
 * The keyspace explorer beside the terminals: it sees what the terminals write (keyspace events),
 * edits through commands it logs as redis-cli lines, shows expiry live, stays smooth with a
 * million keys, and shows values as text only.
 */

test.use({ viewport: { width: 1400, height: 900 } });

const PROMPT = /^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?>$/;

/** Type a command into terminal 1 and return what it printed before the next prompt (timings left out). */
async function run(page: Page, command: string): Promise<string[]> {
  await page.getByTestId('terminal').click();
  const before = (await lines(page)).length;
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  let out: string[] = [];
  await expect
    .poll(async () => {
      const all = await lines(page);
      if (all.length <= before || !PROMPT.test(all[all.length - 1])) return null;
      out = all.slice(before, -1).filter((l) => !/^\(\d+\.\d\ds\)$/.test(l));
      return all[before - 1].replace(/^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?> /, '');
    }, { timeout: 60_000 })
    .toBe(command);
  return out;
}

const explorer = (page: Page) => page.getByTestId('explorer');
const keyRow = (page: Page, key: string) => explorer(page).locator(`[data-testid="explorer-key"][data-key="${key.replace(/"/g, '\\"')}"]`);
const details = (page: Page) => page.getByTestId('key-details');

async function select(page: Page, key: string): Promise<void> {
  await keyRow(page, key).click();
  await expect(details(page)).toHaveAttribute('data-key', key);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await expect(page.getByTestId('terminal')).toHaveAttribute('data-help', 'ready');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('127.0.0.1:6379>');
  await run(page, 'FLUSHALL');
  await expect(page.getByTestId('explorer-summary')).toHaveText('0 keys');
});

test('keys of every type written in the terminal appear in the explorer, with their values', async ({ page }) => {
  test.setTimeout(60_000);
  await page.getByTestId('explorer-list').click();
  expect(await run(page, 'SET greeting "hello world"')).toEqual(['OK']);
  expect(await run(page, 'SET config \'{"a":1,"b":[true,null]}\'')).toEqual(['OK']);
  expect(await run(page, 'SET blob "\\x00\\x01\\xffAB"')).toEqual(['OK']);
  expect(await run(page, 'RPUSH queue first second third')).toEqual(['(integer) 3']);
  expect(await run(page, 'HSET user:1 name Ada born 1815')).toEqual(['(integer) 2']);
  expect(await run(page, 'SADD tags red green')).toEqual(['(integer) 2']);
  expect(await run(page, 'ZADD board 10 alice 20 bob')).toEqual(['(integer) 2']);
  // Streams, HyperLogLogs and geo sets are tested when this build has their commands.
  const hasStreams = (await run(page, 'XADD events 1-1 kind click'))[0] === '"1-1"';
  const hasHll = (await run(page, 'PFADD visitors a b c'))[0] === '(integer) 1';
  const hasGeo = (await run(page, 'GEOADD places 13.361389 38.115556 Palermo'))[0] === '(integer) 1';
  console.log(`explorer e2e: streams ${hasStreams}, HyperLogLog ${hasHll}, geo ${hasGeo}`);

  const expected: Record<string, string> = { greeting: 'STR', config: 'STR', blob: 'STR', queue: 'LIST', 'user:1': 'HASH', tags: 'SET', board: 'ZSET' };
  if (hasStreams) expected.events = 'STRM';
  if (hasHll) expected.visitors = 'STR';
  if (hasGeo) expected.places = 'ZSET';
  for (const [key, badge] of Object.entries(expected)) await expect(keyRow(page, key).locator('.kx-type')).toHaveText(badge);
  await expect(page.getByTestId('explorer-summary')).toHaveText(`${Object.keys(expected).length} keys`);

  await select(page, 'greeting');
  await expect(page.getByTestId('key-type')).toHaveText('string');
  await expect(page.getByTestId('key-encoding')).toHaveText('embstr');
  await expect(page.getByTestId('key-size')).toHaveText('11 bytes');
  await expect(page.getByTestId('key-ttl')).toHaveText('TTL no TTL');
  await expect(page.getByTestId('string-value')).toHaveText('hello world');

  await select(page, 'config');
  await expect(page.getByTestId('string-value')).toHaveText('{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}');

  await select(page, 'blob');
  await expect(page.getByTestId('string-value')).toHaveText('00000000  00 01 ff 41 42                                     |...AB|');

  await select(page, 'queue');
  await expect(page.getByTestId('key-encoding')).toHaveText(/quicklist|listpack/);
  const items = page.getByTestId('value-view').locator('tbody tr');
  await expect(items).toHaveCount(3);
  await expect(items.nth(2).locator('td').nth(0)).toHaveText('2');
  await expect(items.nth(2).locator('td').nth(1)).toContainText('third');

  await select(page, 'user:1');
  await expect(page.getByTestId('value-view').locator('tbody tr').first()).toContainText('name');
  await expect(page.getByTestId('value-view')).toContainText('Ada');
  await expect(page.getByTestId('value-view')).toContainText('1815');

  await select(page, 'tags');
  await expect(page.getByTestId('key-encoding')).toHaveText('hashtable'); // Redis 7.0: intset or hashtable
  await expect(page.getByTestId('value-view').locator('tbody tr')).toHaveCount(2);

  await select(page, 'board');
  await expect(page.getByTestId('value-view').locator('tbody tr').nth(1)).toContainText('bob');
  await expect(page.getByTestId('value-view').locator('tbody tr').nth(1)).toContainText('20');

  if (hasStreams) {
    expect(await run(page, 'XGROUP CREATE events workers 0')).toEqual(['OK']);
    expect((await run(page, 'XREADGROUP GROUP workers w1 COUNT 1 STREAMS events >')).length).toBeGreaterThan(0);
    await select(page, 'events');
    await expect(page.getByTestId('value-view')).toContainText('1-1');
    await expect(page.getByTestId('value-view')).toContainText('kind: click');
    await expect(page.getByTestId('stream-groups')).toContainText('workers');
    await expect(page.getByTestId('stream-groups')).toContainText('1-1 → w1');
    await page.getByTestId('explorer').screenshot({ path: 'test-results/explorer-stream.png' });
  }
  if (hasHll) {
    await select(page, 'visitors');
    await expect(page.getByTestId('hll-count')).toContainText('PFCOUNT → 3');
  }
  if (hasGeo) {
    await select(page, 'places');
    await expect(page.getByTestId('value-view')).toContainText('Palermo');
    await expect(page.getByTestId('value-view')).toContainText('13.36');
  }

  // The tree groups by ':' with a count per folder.
  expect(await run(page, 'MSET user:2 x session:a 1 session:b 2')).toEqual(['OK']);
  await page.getByTestId('explorer-tree').click();
  await expect(explorer(page).locator('[data-testid="explorer-folder"][data-path="session:"]')).toContainText('2');
  await expect(explorer(page).locator('[data-testid="explorer-folder"][data-path="user:"]')).toContainText('2');
  await explorer(page).locator('[data-testid="explorer-folder"][data-path="user:"]').click();
  await expect(keyRow(page, 'user:2')).toBeVisible();
  await page.screenshot({ path: 'test-results/explorer.png' });
});

test('edits from the explorer run as commands, shown in the log, and the value changes', async ({ page }) => {
  test.setTimeout(60_000);
  expect(await run(page, 'HSET user:1 name Ada')).toEqual(['(integer) 1']);
  await page.getByTestId('explorer-folder').click();
  await select(page, 'user:1');

  const add = page.getByTestId('add-element');
  await add.getByPlaceholder('field').fill('title');
  await add.getByPlaceholder('value').fill('Countess of Lovelace');
  await add.getByRole('button', { name: 'HSET' }).click();
  const log = page.getByTestId('log-entry');
  await expect(log.first()).toContainText('127.0.0.1:6379> HSET user:1 title "Countess of Lovelace"');
  await expect(log.first()).toContainText('(integer) 1');
  await expect(page.getByTestId('value-view')).toContainText('Countess of Lovelace');
  expect(await run(page, 'HGET user:1 title')).toEqual(['"Countess of Lovelace"']);

  // Another terminal's write shows in the open key at once.
  expect(await run(page, 'HSET user:1 born 1815')).toEqual(['(integer) 1']);
  await expect(page.getByTestId('value-view')).toContainText('1815');
  await expect(page.getByTestId('key-size')).toHaveText('3 fields');

  await page.getByRole('button', { name: 'remove field born' }).click();
  await expect(log.first()).toContainText('> HDEL user:1 born');
  await expect(page.getByTestId('key-size')).toHaveText('2 fields');

  // TTL set and counting, then cleared.
  await page.getByTestId('expire').getByPlaceholder('seconds').fill('500');
  await page.getByTestId('expire').getByRole('button', { name: 'EXPIRE' }).click();
  await expect(log.first()).toContainText('> EXPIRE user:1 500');
  await expect(page.getByTestId('key-ttl')).toHaveText(/^TTL \d+ min \d\d s$/);
  await page.getByTestId('persist').click();
  await expect(log.first()).toContainText('> PERSIST user:1');
  await expect(page.getByTestId('key-ttl')).toHaveText('TTL no TTL');

  await page.getByTestId('rename').getByPlaceholder('new name').fill('person:1');
  await page.getByTestId('rename').getByRole('button', { name: 'RENAME' }).click();
  await expect(log.first()).toContainText('> RENAME user:1 person:1');
  await expect(details(page)).toHaveAttribute('data-key', 'person:1');
  expect(await run(page, 'EXISTS user:1 person:1')).toEqual(['(integer) 1']);

  // A new key of each kind from the form.
  await page.getByTestId('create-key').locator('summary').click();
  await page.getByTestId('create-type').selectOption('list');
  await page.getByTestId('create-name').fill('todo');
  await page.getByTestId('create-form').getByPlaceholder('first element').fill('write tests');
  await page.getByTestId('create-form').getByRole('button', { name: 'create' }).click();
  await expect(log.first()).toContainText('> RPUSH todo "write tests"');
  await expect(details(page)).toHaveAttribute('data-key', 'todo');
  await page.getByRole('button', { name: 'edit element 0' }).click();
  await page.getByRole('textbox', { name: 'new element 0' }).fill('tests written');
  await page.getByRole('button', { name: 'save' }).click();
  await expect(log.first()).toContainText('> LSET todo 0 "tests written"');
  expect(await run(page, 'LRANGE todo 0 -1')).toEqual(['1) "tests written"']);

  await page.getByTestId('create-type').selectOption('string');
  await page.getByTestId('create-name').fill('note');
  await page.getByTestId('create-form').getByPlaceholder('value').fill('draft');
  await page.getByTestId('create-form').getByRole('button', { name: 'create' }).click();
  await expect(page.getByTestId('string-value')).toHaveText('draft');
  await page.getByTestId('string-editor').fill('final');
  await page.getByTestId('string-save').click();
  await expect(log.first()).toContainText('> SET note final KEEPTTL');
  await expect(page.getByTestId('string-value')).toHaveText('final');

  await page.getByTestId('delete-key').click();
  await expect(log.first()).toContainText('> DEL note');
  await expect(page.getByTestId('key-gone')).toHaveText('deleted');
  await expect(keyRow(page, 'note')).toHaveCount(0);
  expect(await run(page, 'EXISTS note')).toEqual(['(integer) 0']);
  await page.screenshot({ path: 'test-results/explorer-edits.png' });
});

test('a key that expires fades out with the reason, live', async ({ page }) => {
  await page.getByTestId('explorer-list').click();
  expect(await run(page, 'SET keep 1')).toEqual(['OK']);
  expect(await run(page, 'SET soon 1')).toEqual(['OK']);
  await select(page, 'soon');
  expect(await run(page, 'PEXPIRE soon 1500')).toEqual(['(integer) 1']);
  await expect(page.getByTestId('key-ttl')).toHaveClass(/kx-ttl-live/);
  // The active expiry cycle deletes it; no command reads it meanwhile.
  await expect(keyRow(page, 'soon')).toHaveAttribute('data-gone', 'expired');
  await expect(page.getByTestId('key-gone')).toHaveText('expired');
  await expect(keyRow(page, 'soon')).toHaveCount(0);
  await expect(keyRow(page, 'keep')).toBeVisible();
  await expect(page.getByTestId('explorer-summary')).toHaveText('1 key');
});

test('a million keys from DEBUG POPULATE: rows at once, loaded as the list scrolls', async ({ page }) => {
  test.setTimeout(120_000);
  expect(await run(page, 'DEBUG POPULATE 1000000')).toEqual(['OK']);
  await expect(page.getByTestId('explorer-summary')).toContainText('of 1,000,000 keys loaded');
  const folder = explorer(page).locator('[data-testid="explorer-folder"][data-path="key:"]');
  await expect(folder).toBeVisible();
  await page.getByTestId('explorer-list').click();
  const rows = page.getByTestId('explorer-rows');
  const first = await rows.locator('[data-testid="explorer-key"]').first().getAttribute('data-key');
  expect(first).toMatch(/^key:\d+$/);
  // Only the rows in view are in the page.
  expect(await rows.locator('[data-testid="explorer-key"]').count()).toBeLessThan(60);
  for (let i = 0; i < 20; i++) await rows.evaluate((el) => el.scrollBy(0, 2000));
  await expect(rows.locator('[data-testid="explorer-key"]').first()).not.toHaveAttribute('data-key', first!);
  // Scrolling near the end loads more with SCAN.
  await rows.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(async () => Number(((await page.getByTestId('explorer-summary').textContent()) ?? '').split(' ')[0].replace(/,/g, ''))).toBeGreaterThan(1000);
  await expect(rows.locator('.kx-type').first()).toHaveText('STR');
  await page.getByTestId('explorer').screenshot({ path: 'test-results/explorer-million.png' });
});

test('values and keys that look like HTML are shown as text', async ({ page }) => {
  await page.getByTestId('explorer-list').click();
  expect(await run(page, 'SET "<b>key</b>" "<img src=x onerror=alert(1)>"')).toEqual(['OK']);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await select(page, '<b>key</b>');
  await expect(page.getByTestId('string-value')).toHaveText('<img src=x onerror=alert(1)>');
  await expect(page.getByTestId('key-name')).toHaveText('<b>key</b>');
  await expect(explorer(page).locator('img')).toHaveCount(0);
  await expect(explorer(page).locator('b')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('the database selector, and the explorer as a named client of its own', async ({ page }) => {
  await page.getByTestId('explorer-list').click();
  expect(await run(page, 'SELECT 2')).toEqual(['OK']);
  expect(await run(page, 'SET only-in-2 x')).toEqual(['OK']);
  await expect(keyRow(page, 'only-in-2')).toHaveCount(0);
  await page.getByTestId('explorer-db').selectOption('2');
  await expect(keyRow(page, 'only-in-2')).toBeVisible();
  await expect(page.getByTestId('explorer-summary')).toHaveText('1 key');
  expect(await run(page, 'SET also-in-2 y')).toEqual(['OK']);
  await expect(keyRow(page, 'also-in-2')).toBeVisible();
  const clients = (await run(page, 'CLIENT LIST')).filter((l) => l.includes('addr=explorer:'));
  expect(clients).toEqual([expect.stringMatching(/ name=explorer .* db=2 /)]);
});

test('filters by pattern (SCAN MATCH) and by type (SCAN TYPE)', async ({ page }) => {
  await page.getByTestId('explorer-list').click();
  expect(await run(page, 'MSET user:1 a user:2 b order:1 c')).toEqual(['OK']);
  expect(await run(page, 'HSET user:3 name x')).toEqual(['(integer) 1']);
  await expect(page.getByTestId('explorer-summary')).toHaveText('4 keys');
  await page.getByTestId('explorer-pattern').fill('user:*');
  await expect(page.getByTestId('explorer-summary')).toHaveText('3 keys');
  await expect(keyRow(page, 'order:1')).toHaveCount(0);
  await page.getByTestId('explorer-type').selectOption('hash');
  await expect(page.getByTestId('explorer-summary')).toHaveText('1 key');
  await expect(keyRow(page, 'user:3')).toBeVisible();
  // Live updates respect the filter.
  expect(await run(page, 'HSET user:4 name y')).toEqual(['(integer) 1']);
  expect(await run(page, 'HSET order:2 name z')).toEqual(['(integer) 1']);
  expect(await run(page, 'SET user:5 plain')).toEqual(['OK']);
  await expect(keyRow(page, 'user:4')).toBeVisible();
  await expect(page.getByTestId('explorer-summary')).toHaveText('2 keys');
  await expect(keyRow(page, 'order:2')).toHaveCount(0);
  await expect(keyRow(page, 'user:5')).toHaveCount(0);
});

test('long values and big collections are read a page at a time', async ({ page }) => {
  await page.getByTestId('explorer-list').click();
  expect(await run(page, `EVAL "for i = 1, 250 do redis.call('RPUSH', KEYS[1], i) end redis.call('SET', KEYS[2], string.rep('ab', 5000))" 2 big long`)).toEqual(['(nil)']);
  await select(page, 'big');
  const items = page.getByTestId('value-view').locator('tbody tr');
  await expect(items).toHaveCount(100);
  await expect(page.getByTestId('value-view')).toContainText('showing 100 of 250');
  await page.getByTestId('load-more-value').click();
  await expect(items).toHaveCount(200);
  await expect(items.nth(199).locator('.kx-text')).toHaveText('200');

  await select(page, 'long');
  await expect(page.getByTestId('key-size')).toHaveText('10,000 bytes');
  await expect(page.getByTestId('value-view')).toContainText('showing 4,096 of 10,000');
  await page.getByTestId('load-more-value').click();
  await page.getByTestId('load-more-value').click();
  await expect(page.getByTestId('string-value')).toHaveText('ab'.repeat(5000));
  await expect(page.getByTestId('load-more-value')).toHaveCount(0);
});

test('evicted keys fade out with the reason', async ({ page }) => {
  const policy = await run(page, 'CONFIG SET maxmemory-policy allkeys-random');
  test.skip(policy[0] !== 'OK', 'no eviction in this build yet');
  await page.getByTestId('explorer-list').click();
  expect(await run(page, 'MSET a 1 b 2 c 3')).toEqual(['OK']);
  await expect(page.getByTestId('explorer-summary')).toHaveText('3 keys');
  expect(await run(page, 'CONFIG SET maxmemory 1')).toEqual(['OK']);
  await expect(keyRow(page, 'a')).toHaveAttribute('data-gone', 'evicted');
  expect(await run(page, 'CONFIG SET maxmemory 0')).toEqual(['OK']);
  await expect(page.getByTestId('explorer-summary')).toHaveText('0 keys');
});
