import { expect, test, type Page } from '@playwright/test';
import { lines, run, screen } from './support';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await expect(page.getByTestId('terminal')).toHaveAttribute('data-help', 'ready');
  await page.getByTestId('terminal').click();
  await expect.poll(() => screen(page)).toBe('127.0.0.1:6379>');
});

test('redis-cli in the page: replies, UTF-8, errors, SELECT, history, HELP', async ({ page }) => {
  expect(await run(page, 'SET greeting hello')).toEqual(['OK']);
  expect(await run(page, 'GET greeting')).toEqual(['"hello"']);
  expect(await run(page, 'SET 이름 레디스')).toEqual(['OK']);
  expect(await run(page, 'GET 이름')).toEqual(['"\\xeb\\xa0\\x88\\xeb\\x94\\x94\\xec\\x8a\\xa4"']);
  expect(await run(page, 'INCR greeting')).toEqual(['(error) ERR value is not an integer or out of range']);
  expect(await run(page, 'RPUSH list a b "c d"')).toEqual(['(integer) 3']);
  expect(await run(page, 'MGET greeting nothing')).toEqual(['1) "hello"', '2) (nil)']);
  expect(await run(page, 'SET "unbalanced')).toEqual(['Invalid argument(s)']);

  expect(await run(page, 'SELECT 2')).toEqual(['OK']);
  expect((await lines(page)).at(-1)).toBe('127.0.0.1:6379[2]>');
  expect(await run(page, 'GET greeting')).toEqual(['(nil)']);

  // history: ArrowUp recalls the last command first, ArrowDown comes back to the empty line
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('127.0.0.1:6379[2]> GET greeting'); // GET's hint is empty once the key is typed
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('127.0.0.1:6379[2]> SELECT 2');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('127.0.0.1:6379[2]>');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('127.0.0.1:6379[2]> MGET greeting nothing [key ...]'); // with its hint
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await lines(page)).slice(-4)).toEqual(['127.0.0.1:6379[2]> MGET greeting nothing', '1) (nil)', '2) (nil)', '127.0.0.1:6379[2]>']);
  expect(await run(page, 'SELECT 0')).toEqual(['OK']);

  const help = await run(page, 'HELP SET');
  expect(help[0]).toBe('');
  expect(help[1]).toBe('  SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
  expect(help[2]).toMatch(/^  summary: .+/);
  expect(help.slice(3)).toEqual(['  since: 1.0.0', '  group: string', '']);

  await page.screenshot({ path: 'test-results/terminal.png' });
});

test('grey hints while typing, Tab completion, Ctrl+C, Ctrl+L', async ({ page }) => {
  await page.keyboard.type('SET k');
  // the grey hint: what is left of SET's syntax (cut at the end of the row, like linenoise)
  await expect.poll(async () => (await lines(page)).at(-1)).toMatch(/^127\.0\.0\.1:6379> SET k value \[NX\|XX\] \[GET\] \[EX seconds/);
  await page.keyboard.press('Control+C');
  await expect.poll(async () => (await lines(page)).slice(-2)).toEqual(['127.0.0.1:6379> SET k^C', '127.0.0.1:6379>']);

  await page.keyboard.type('getd');
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('127.0.0.1:6379> GETDEL key');
  await page.keyboard.type(' k');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await lines(page)).slice(-3)).toEqual(['127.0.0.1:6379> GETDEL k', '(nil)', '127.0.0.1:6379>']);

  // editing: left, home, end, backspace, delete
  await page.keyboard.type('ECHO wrld');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('o');
  await page.keyboard.press('Home');
  await page.keyboard.press('Delete');
  await page.keyboard.type('e');
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('d!');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await lines(page)).slice(-2)).toEqual(['"world!"', '127.0.0.1:6379>']);

  await page.keyboard.press('Control+L');
  await expect.poll(() => screen(page)).toBe('127.0.0.1:6379>');
});

test('a multi-line paste runs each line', async ({ page }) => {
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'SET a 1\nINCR a\nGET a\n');
    const ta = document.querySelector('.xterm-helper-textarea')!;
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await expect.poll(() => screen(page)).toBe(
    ['127.0.0.1:6379> SET a 1', 'OK', '127.0.0.1:6379> INCR a', '(integer) 2', '127.0.0.1:6379> GET a', '"2"', '127.0.0.1:6379>'].join('\n'),
  );
});

test('history is kept across reloads', async ({ page }) => {
  await run(page, 'PING from-before');
  await page.reload();
  await expect(page.getByTestId('terminal')).toHaveAttribute('data-help', 'ready');
  await page.getByTestId('terminal').click();
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => screen(page)).toBe('127.0.0.1:6379> PING from-before [message]'); // with PING's hint
});

test('Ctrl+R searches the history backwards and Enter runs the line found', async ({ page }) => {
  expect(await run(page, 'SET kept 1')).toEqual(['OK']);
  expect(await run(page, 'GET kept')).toEqual(['"1"']);
  expect(await run(page, 'PING')).toEqual(['PONG']);
  await page.keyboard.press('Control+R');
  await page.keyboard.type('kep');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe("(reverse-i-search)`kep': GET kept");
  await page.keyboard.press('Control+R');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe("(reverse-i-search)`kep': SET kept 1");
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await lines(page)).slice(-3)).toEqual(['127.0.0.1:6379> SET kept 1', 'OK', '127.0.0.1:6379>']);
});

test('the --raw switch prints values as they are: UTF-8 readable, no quotes or types', async ({ page }) => {
  expect(await run(page, 'SET 이름 "레디스"')).toEqual(['OK']);
  expect(await run(page, 'GET 이름')).toEqual(['"\\xeb\\xa0\\x88\\xeb\\x94\\x94\\xec\\x8a\\xa4"']);
  expect(await run(page, 'RPUSH l a b')).toEqual(['(integer) 2']);
  await page.getByTestId('raw-1').check();
  await page.getByTestId('terminal').click();
  expect(await run(page, 'GET 이름')).toEqual(['레디스']);
  expect(await run(page, 'LRANGE l 0 -1')).toEqual(['a', 'b']);
  expect(await run(page, 'LLEN l')).toEqual(['2']);
  await page.getByTestId('raw-1').uncheck();
  await page.getByTestId('terminal').click();
  expect(await run(page, 'LLEN l')).toEqual(['(integer) 2']);
  await page.screenshot({ path: 'test-results/raw-mode.png' });
});
