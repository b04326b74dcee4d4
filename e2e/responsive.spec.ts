import { expect, test, type Page } from '@playwright/test';
import { lines, terminal } from './support';

/**
 * The engine works in a worker and slices long work, so a 1,000,000-key DEBUG POPULATE and the
 * BGSAVE of those keys leave the page answering: typing echoes in another terminal while the worker
 * is busy, and other clients' commands are served while the snapshot is written.
 */

const PROMPT = /^127\.0\.0\.1:6379(\[\d+\])?>$/;

async function type(page: Page, n: number, text: string): Promise<void> {
  await terminal(page, n).click();
  await page.keyboard.type(text);
}

/** The lines terminal n printed after `> command`, once its next prompt is there (timings left out). */
async function reply(page: Page, n: number, command: string): Promise<string[]> {
  let out: string[] = [];
  await expect.poll(async () => {
    const all = await lines(page, n);
    let at = all.length - 1;
    while (at >= 0 && !all[at].endsWith(`> ${command}`)) at--;
    if (at < 0 || !PROMPT.test(all[all.length - 1])) return false;
    out = all.slice(at + 1, -1).filter((l) => !/^\(\d+\.\d\ds\)$/.test(l));
    return true;
  }, { timeout: 60_000 }).toBe(true);
  return out;
}

async function run(page: Page, n: number, command: string): Promise<string[]> {
  await type(page, n, command);
  await page.keyboard.press('Enter');
  return reply(page, n, command);
}

test('typing and other clients go on during DEBUG POPULATE 1000000 and its BGSAVE', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await page.getByTestId('new-terminal').click();
  await expect(terminal(page, 2)).toHaveAttribute('data-help', 'ready');
  await expect.poll(async () => (await lines(page, 2)).at(-1)).toMatch(PROMPT);
  await run(page, 1, 'FLUSHALL');

  // The worker is busy for a long while with the populate; the page is not: the other terminal
  // echoes what is typed before the populate answers.
  await type(page, 1, 'DEBUG POPULATE 1000000');
  await page.keyboard.press('Enter');
  await type(page, 2, 'DBSIZE');
  await expect.poll(async () => (await lines(page, 2)).at(-1)).toBe('127.0.0.1:6379> DBSIZE');
  expect((await lines(page, 1)).at(-1), 'the populate is still running').toBe('127.0.0.1:6379> DEBUG POPULATE 1000000');
  await page.keyboard.press('Enter');
  expect(await reply(page, 1, 'DEBUG POPULATE 1000000')).toEqual(['OK']);
  expect(await reply(page, 2, 'DBSIZE')).toEqual(['(integer) 1000000']);

  // BGSAVE writes the snapshot in slices: commands from the other terminal are served meanwhile.
  expect(await run(page, 1, 'BGSAVE')).toEqual(['Background saving started']);
  const info = await run(page, 2, 'INFO persistence');
  expect(info, 'served while the save runs').toContain('rdb_bgsave_in_progress:1');
  expect(await run(page, 2, 'SET written:during:save yes')).toEqual(['OK']);
  expect(await run(page, 2, 'GET key:999999')).toEqual(['"value:999999"']);
  await expect.poll(async () => (await run(page, 1, 'INFO persistence')).join('\n'), { timeout: 60_000 })
    .toMatch(/rdb_bgsave_in_progress:0[\s\S]*rdb_last_bgsave_status:ok/);
  expect(await run(page, 1, 'DBSIZE')).toEqual(['(integer) 1000001']);
  await page.screenshot({ path: 'test-results/responsive.png' });
});
