import { expect, test, type Page } from '@playwright/test';
import { run, screen } from './support';

/** The page's checks, now through the redis-cli terminal. */



test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await page.getByTestId('terminal').click();
  await expect.poll(() => screen(page)).toBe('127.0.0.1:6379>');
});

test('loads the engine in a worker and answers PING', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Redis playground' })).toBeVisible();
  await expect(page.getByTestId('ping')).toHaveText('PONG');
  expect(await run(page, 'PING hello')).toEqual(['"hello"']);
  expect(await run(page, 'PING')).toEqual(['PONG']);
});

test('shows redis_version from INFO server', async ({ page }) => {
  await expect(page.getByTestId('version')).toHaveText(/^7\.0\.\d+$/);
});

test('SET and GET a UTF-8 value', async ({ page }) => {
  expect(await run(page, 'SET greeting 안녕')).toEqual(['OK']);
  // redis-cli shows the bytes of non-ASCII values escaped
  expect(await run(page, 'GET greeting')).toEqual(['"\\xec\\x95\\x88\\xeb\\x85\\x95"']);
  expect(await run(page, 'GET nothing-here')).toEqual(['(nil)']);
  await page.screenshot({ path: 'test-results/playground.png', fullPage: true });
});

test('STRLEN counts UTF-8 bytes', async ({ page }) => {
  await run(page, 'SET greeting 안녕');
  expect(await run(page, 'STRLEN greeting')).toEqual(['(integer) 6']);
});

test('an error reply shows as an error', async ({ page }) => {
  expect(await run(page, 'NOSUCHCOMMAND a b')).toEqual([
    "(error) ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b'",
  ]);
  expect(await run(page, 'GET')).toEqual(["(error) ERR wrong number of arguments for 'get' command"]);
  expect(await run(page, 'PING')).toEqual(['PONG']);
  await page.screenshot({ path: 'test-results/error-reply.png', fullPage: true });
});

test('values render as text, never as HTML', async ({ page }) => {
  await run(page, 'SET html <img/src=x/onerror=alert(1)><b>bold</b>');
  expect(await run(page, 'GET html')).toEqual(['"<img/src=x/onerror=alert(1)><b>bold</b>"']);
  await expect(page.getByTestId('terminal').locator('b, img')).toHaveCount(0);
  // escape sequences in values are shown, not run
  await run(page, 'SET esc "\\x1b[2J\\x1b]0;title\\x07"');
  expect(await run(page, 'GET esc')).toEqual(['"\\x1b[2J\\x1b]0;title\\a"']);
});

async function reload(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await page.getByTestId('terminal').click();
  await expect.poll(() => screen(page)).toBe('127.0.0.1:6379>');
}

/** Wait until the AOF has nothing in flight to storage (everysec: written, not yet fsynced, is fine). */
async function aofWritten(page: Page): Promise<void> {
  await expect
    .poll(async () => (await run(page, 'INFO persistence')).filter((l) => /^aof_(buffer_length|pending_bio_fsync):/.test(l)).join(','))
    .toBe('aof_buffer_length:0,aof_pending_bio_fsync:0');
}

test('keeps every write across a page reload (AOF and RDB in IndexedDB)', async ({ page }) => {
  expect(await run(page, 'CONFIG GET appendonly')).toEqual(['1) "appendonly"', '2) "yes"']);
  expect(await run(page, 'SET kept "across reloads"')).toEqual(['OK']);
  expect(await run(page, 'RPUSH list a b c')).toEqual(['(integer) 3']);
  expect(await run(page, 'SELECT 2')).toEqual(['OK']);
  expect(await run(page, 'HSET h field value')).toEqual(['(integer) 1']);
  await aofWritten(page);
  await reload(page);
  await expect(page.getByTestId('loaded')).toHaveText('loaded 3 keys from the AOF');
  expect(await run(page, 'GET kept')).toEqual(['"across reloads"']);
  expect(await run(page, 'LRANGE list 0 -1')).toEqual(['1) "a"', '2) "b"', '3) "c"']);
  // After the reload the prompt is back in db 0 (a new connection), so SELECT again.
  expect(await run(page, 'SELECT 2')).toEqual(['OK']);
  expect(await run(page, 'HGET h field')).toEqual(['"value"']);
  expect(await run(page, 'SELECT 0')).toEqual(['OK']);
  // A rewrite compacts the files; the data still comes back.
  expect(await run(page, 'BGREWRITEAOF')).toEqual(['Background append only file rewriting started']);
  await expect
    .poll(async () => (await run(page, 'INFO persistence')).find((l) => l.startsWith('aof_rewrites:')))
    .toBe('aof_rewrites:1');
  expect(await run(page, 'SET after rewrite')).toEqual(['OK']);
  await aofWritten(page);
  await reload(page);
  expect(await run(page, 'MGET kept after')).toEqual(['1) "across reloads"', '2) "rewrite"']);
});

test('SAVE writes an RDB snapshot that a restart without the AOF loads', async ({ page }) => {
  expect(await run(page, 'SET snap shot')).toEqual(['OK']);
  expect(await run(page, 'SAVE')).toEqual(['OK']);
  expect(await run(page, 'DEBUG RELOAD NOSAVE')).toEqual(['OK']);
  expect(await run(page, 'GET snap')).toEqual(['"shot"']);
});

test('the status bar shows keys, memory, clients and persistence, live', async ({ page }) => {
  await expect(page.getByTestId('statusbar-keys')).toHaveText('0 keys');
  expect(await run(page, 'SET a 1')).toEqual(['OK']);
  expect(await run(page, 'RPUSH l x y')).toEqual(['(integer) 2']);
  await expect(page.getByTestId('statusbar-keys')).toHaveText('2 keys');
  await expect(page.getByTestId('statusbar-clients')).toHaveText(/^\d+ clients?$/);
  await expect(page.getByTestId('statusbar')).toContainText(/memory \d/);
  await expect(page.getByTestId('statusbar-persistence')).toHaveText(/^AOF on · \d+ changes? since the last save/);
  expect(await run(page, 'CONFIG SET appendonly no')).toEqual(['OK']);
  await expect(page.getByTestId('statusbar-persistence')).toHaveText(/^AOF off/);
  await page.screenshot({ path: 'test-results/statusbar.png', fullPage: true });
});
