import { expect, test } from '@playwright/test';
import { PROMPT, run, screen } from './support';

/** After one visit the page works with the network off: the service worker serves the build. */

test('reloads offline with the engine, Lua and the saved data', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
  // The service worker has cached the build once it controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
  await page.getByTestId('terminal').click();
  await expect.poll(() => screen(page)).toMatch(PROMPT);
  expect(await run(page, 'SET offline:greeting "still here"')).toEqual(['OK']);
  // appendfsync always, so the write is on IndexedDB before the reload (not a second later).
  expect(await run(page, 'CONFIG SET appendfsync always')).toEqual(['OK']);
  expect(await run(page, 'SET offline:counter 41')).toEqual(['OK']);

  await context.setOffline(true);
  await page.reload();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await expect(page.getByTestId('status')).toContainText('engine ready');
  await page.getByTestId('terminal').click();
  await expect.poll(() => screen(page)).toMatch(PROMPT);
  expect(await run(page, 'GET offline:greeting')).toEqual(['"still here"']);
  expect(await run(page, 'INCR offline:counter')).toEqual(['(integer) 42']);
  // The Lua VM's WebAssembly came from the cache too.
  expect(await run(page, "EVAL \"return redis.call('GET', KEYS[1])\" 1 offline:greeting")).toEqual(['"still here"']);
  await page.screenshot({ path: 'test-results/offline.png', fullPage: true });
});
