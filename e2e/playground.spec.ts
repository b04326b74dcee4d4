import { expect, test, type Page } from '@playwright/test';

/** Type a command into the form, run it, and return the reply element it produced. */
async function run(page: Page, command: string) {
  const replies = page.getByTestId('reply');
  const before = await replies.count();
  await page.getByLabel('Command').fill(command);
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(replies).toHaveCount(before + 1);
  const reply = replies.nth(before);
  await expect(page.getByTestId('command').nth(before)).toHaveText(command);
  return reply;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
});

test('loads the engine in a worker and answers PING', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Redis playground' })).toBeVisible();
  await expect(page.getByTestId('ping')).toHaveText('PONG');
  const reply = await run(page, 'PING hello');
  await expect(reply).toHaveText('"hello"');
});

test('shows redis_version from INFO server', async ({ page }) => {
  const version = page.getByTestId('version');
  await expect(version).toHaveText(/^7\.0\.\d+$/);
});

test('SET and GET a UTF-8 value', async ({ page }) => {
  await expect(await run(page, 'SET greeting 안녕')).toHaveText('OK');
  await expect(await run(page, 'GET greeting')).toHaveText('"안녕"');
  await expect(await run(page, 'GET nothing-here')).toHaveText('(nil)');
  await page.screenshot({ path: 'test-results/playground.png', fullPage: true });
});

test('STRLEN counts UTF-8 bytes', async ({ page }) => {
  await run(page, 'SET greeting 안녕');
  await expect(await run(page, 'STRLEN greeting')).toHaveText('(integer) 6');
});

test('an error reply shows as an error', async ({ page }) => {
  const reply = await run(page, 'NOSUCHCOMMAND a b');
  await expect(reply).toHaveText("(error) ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b' ");
  await expect(reply).toHaveClass(/error/);
  const arity = await run(page, 'GET');
  await expect(arity).toHaveText("(error) ERR wrong number of arguments for 'get' command");
  await expect(arity).toHaveClass(/error/);
  const ok = await run(page, 'PING');
  await expect(ok).not.toHaveClass(/error/);
  await page.screenshot({ path: 'test-results/error-reply.png', fullPage: true });
});

test('values render as text, never as HTML', async ({ page }) => {
  await run(page, 'SET html <img/src=x/onerror=alert(1)><b>bold</b>');
  const reply = await run(page, 'GET html');
  await expect(reply).toHaveText('"<img/src=x/onerror=alert(1)><b>bold</b>"');
  await expect(reply.locator('b, img')).toHaveCount(0);
});
