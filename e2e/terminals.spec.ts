import { expect, test, type Page } from '@playwright/test';
import { lines, screen, terminal } from './support';

/** Several redis-cli terminals, each its own client: pub/sub, MONITOR, blocking pops, WATCH races. */

const PROMPT = /^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?>$/;
/** redis-cli prints how long a slow command took; how long is not for tests to say. */
const ELAPSED = /^\(\d+\.\d\ds\)$/;

/** Focus terminal n, type a line and press Enter. */
async function type(page: Page, n: number, line: string): Promise<void> {
  await terminal(page, n).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Type a command into terminal n and return what it printed before the next prompt (timings left out). */
async function run(page: Page, n: number, command: string): Promise<string[]> {
  const before = (await lines(page, n)).length;
  await type(page, n, command);
  let out: string[] = [];
  await expect
    .poll(async () => {
      const all = await lines(page, n);
      if (all.length <= before || !PROMPT.test(all[all.length - 1])) return null;
      out = all.slice(before, -1).filter((l) => !ELAPSED.test(l));
      return all[before - 1].replace(/^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?> /, '');
    })
    .toBe(command);
  return out;
}

/** The lines after the last `> line` echo in terminal n. */
async function after(page: Page, n: number, line: string): Promise<string[]> {
  const all = await lines(page, n);
  for (let at = all.length - 1; at >= 0; at--) if (all[at].endsWith(`> ${line}`)) return all.slice(at + 1);
  return [];
}

/** Ctrl+C in terminal n: "^C" (with the time taken when slow), then a prompt. */
async function interrupt(page: Page, n: number, expectedPrompt = '127.0.0.1:6379>'): Promise<void> {
  await terminal(page, n).click();
  await page.keyboard.press('Control+C');
  await expect.poll(async () => (await lines(page, n)).slice(-2).join('\n')).toMatch(/^\^C(\(\d+\.\d\ds\))?\n/);
  expect((await lines(page, n)).at(-1)).toBe(expectedPrompt);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await expect(terminal(page, 1)).toHaveAttribute('data-help', 'ready');
  await page.getByTestId('new-terminal').click();
  await expect(terminal(page, 2)).toHaveAttribute('data-help', 'ready');
  await expect.poll(() => screen(page, 1)).toBe('127.0.0.1:6379>');
  await expect.poll(() => screen(page, 2)).toBe('127.0.0.1:6379>');
  await run(page, 1, 'FLUSHALL');
});

test('SUBSCRIBE in one terminal gets what PUBLISH in another sends; Ctrl+C unsubscribes', async ({ page }) => {
  await expect(terminal(page, 2).getByText('client 2')).toBeVisible();
  await type(page, 1, 'SUBSCRIBE news');
  await expect
    .poll(() => after(page, 1, 'SUBSCRIBE news'))
    .toEqual(['Reading messages... (press Ctrl-C to quit)', '1) "subscribe"', '2) "news"', '3) (integer) 1']);

  expect(await run(page, 2, 'PUBLISH news hello')).toEqual(['(integer) 1']);
  await expect
    .poll(async () => (await after(page, 1, 'SUBSCRIBE news')).slice(4))
    .toEqual(['1) "message"', '2) "news"', '3) "hello"']);

  // while subscribed, typing does nothing: only Ctrl+C
  await type(page, 1, 'PING');
  expect(await run(page, 2, 'PUBLISH news "second one"')).toEqual(['(integer) 1']);
  await expect
    .poll(async () => (await after(page, 1, 'SUBSCRIBE news')).slice(7))
    .toEqual(['1) "message"', '2) "news"', '3) "second one"']);
  await page.screenshot({ path: 'test-results/terminals.png' });

  await interrupt(page, 1);
  expect(await run(page, 2, 'PUBLISH news nobody')).toEqual(['(integer) 0']);
  expect(await run(page, 1, 'PING')).toEqual(['PONG']);
});

test('PSUBSCRIBE with a pattern', async ({ page }) => {
  await type(page, 1, 'PSUBSCRIBE news.*');
  await expect
    .poll(() => after(page, 1, 'PSUBSCRIBE news.*'))
    .toEqual(['Reading messages... (press Ctrl-C to quit)', '1) "psubscribe"', '2) "news.*"', '3) (integer) 1']);
  expect(await run(page, 2, 'PUBLISH news.sport goal')).toEqual(['(integer) 1']);
  expect(await run(page, 2, 'PUBLISH weather rain')).toEqual(['(integer) 0']);
  await expect
    .poll(async () => (await after(page, 1, 'PSUBSCRIBE news.*')).slice(4))
    .toEqual(['1) "pmessage"', '2) "news.*"', '3) "news.sport"', '4) "goal"']);
  await interrupt(page, 1);
  expect(await run(page, 2, 'PUBSUB NUMPAT')).toEqual(['(integer) 0']);
});

test('a subscription command that fails does not stream', async ({ page }) => {
  expect(await run(page, 1, 'SUBSCRIBE')).toEqual([
    'Reading messages... (press Ctrl-C to quit)',
    "(error) ERR wrong number of arguments for 'subscribe' command",
  ]);
  expect(await run(page, 1, 'PING')).toEqual(['PONG']);
});

test('BLPOP in one terminal is answered by LPUSH in another; Ctrl+C gives up waiting', async ({ page }) => {
  await type(page, 1, 'BLPOP jobs 0');
  expect(await run(page, 2, 'LPUSH jobs j1')).toEqual(['(integer) 1']);
  await expect.poll(async () => (await lines(page, 1)).at(-1)).toBe('127.0.0.1:6379>');
  expect((await after(page, 1, 'BLPOP jobs 0')).filter((l) => !ELAPSED.test(l))).toEqual(['1) "jobs"', '2) "j1"', '127.0.0.1:6379>']);

  // waiting in database 1; Ctrl+C drops the connection and a new one comes back to database 1
  expect(await run(page, 1, 'SELECT 1')).toEqual(['OK']);
  await type(page, 1, 'BLPOP jobs 0');
  await expect.poll(async () => (await lines(page, 1)).at(-1)).toBe('127.0.0.1:6379[1]> BLPOP jobs 0');
  await expect.poll(async () => (await run(page, 2, 'CLIENT LIST')).filter((l) => l.includes('cmd=blpop')).length).toBe(1);
  await interrupt(page, 1, '127.0.0.1:6379[1]>');
  await expect.poll(async () => (await run(page, 2, 'CLIENT LIST')).filter((l) => l.includes('cmd=blpop')).length).toBe(0);
  expect(await run(page, 1, 'LPUSH jobs j2')).toEqual(['(integer) 1']);
  expect(await run(page, 2, 'LLEN jobs')).toEqual(['(integer) 0']); // database 0's list is untouched
});

test('MONITOR in one terminal shows a SET typed in another', async ({ page }) => {
  await type(page, 2, 'MONITOR');
  await expect.poll(() => after(page, 2, 'MONITOR')).toEqual(['OK']);
  expect(await run(page, 1, 'SET k "v x"')).toEqual(['OK']);
  await expect.poll(async () => (await after(page, 2, 'MONITOR')).slice(1)).toEqual([
    expect.stringMatching(/^\d+\.\d{6} \[0 [^\]]+\] "SET" "k" "v x"$/),
  ]);
  await interrupt(page, 2);
  expect(await run(page, 1, 'GET k')).toEqual(['"v x"']);
  expect((await after(page, 2, 'MONITOR')).slice(1).some((l) => l.includes('"GET"'))).toBe(false);
});

test('a WATCH race: another client changes the key, EXEC fails', async ({ page }) => {
  expect(await run(page, 1, 'WATCH k')).toEqual(['OK']);
  expect(await run(page, 1, 'MULTI')).toEqual(['OK']);
  expect(await run(page, 1, 'INCR k')).toEqual(['QUEUED']);
  expect((await lines(page, 1)).at(-1)).toBe('127.0.0.1:6379(TX)>');
  expect(await run(page, 2, 'SET k 5')).toEqual(['OK']);
  expect(await run(page, 1, 'EXEC')).toEqual(['(nil)']);
  expect(await run(page, 1, 'GET k')).toEqual(['"5"']);
});

test('terminals open side by side and close', async ({ page }) => {
  const one = await terminal(page, 1).boundingBox();
  const two = await terminal(page, 2).boundingBox();
  expect(one && two && Math.abs(one.y - two.y) < 2 && two.x > one.x).toBe(true);
  await expect(terminal(page, 1).getByRole('button')).toHaveCount(0);
  expect(await run(page, 2, 'PING')).toEqual(['PONG']); // a terminal connects on its first command
  await page.getByTestId('new-terminal').click();
  await expect(terminal(page, 3)).toHaveAttribute('data-help', 'ready');
  await expect.poll(() => screen(page, 3)).toBe('127.0.0.1:6379>');
  await expect
    .poll(async () => (await run(page, 3, 'CLIENT LIST')).filter((l) => /^id=\d+ addr=page:/.test(l)).length)
    .toBe(3);
  await page.getByRole('button', { name: 'Close client 2' }).click();
  await expect(terminal(page, 2)).toHaveCount(0);
  expect(await page.evaluate(() => Object.keys(window.__redisTerminals ?? {}))).toEqual(['1', '3']);
  await expect
    .poll(async () => (await run(page, 3, 'CLIENT LIST')).filter((l) => /^id=\d+ addr=page:/.test(l)).length)
    .toBe(2);
  expect(await run(page, 1, 'PING')).toEqual(['PONG']);
});

test('client-side caching: a RESP3 terminal tracking a key hears when another terminal changes it', async ({ page }) => {
  expect((await run(page, 1, 'HELLO 3'))[0]).toBe('1# "server" => "redis"');
  expect(await run(page, 1, 'CLIENT TRACKING ON')).toEqual(['OK']);
  expect(await run(page, 1, 'GET k')).toEqual(['(nil)']);
  expect(await run(page, 2, 'SET k v')).toEqual(['OK']);
  // redis-cli prints the push as hiredis reads it: before the next reply.
  expect(await run(page, 1, 'PING')).toEqual(["-> invalidate: 'k'", 'PONG']);
  // Not tracked again until read again.
  expect(await run(page, 2, 'SET k w')).toEqual(['OK']);
  expect(await run(page, 1, 'PING')).toEqual(['PONG']);
});
