import { expect, test, type Page } from '@playwright/test';
import { askNode, lines, linkUp, terminal } from './support';

/**
 * Killing the master 6379 from the Nodes panel, as a teacher shows a failover: its terminal prints
 * what redis-cli 7.0 prints when its server goes away, the replica loses its link, the replica is
 * promoted and takes writes, the old master restarts and follows it with REPLICAOF.
 */

test.setTimeout(120_000);

/** The last line of a terminal once a command is done: redis-cli's prompt, connected or not. */
const ANY_PROMPT = /^(127\.0\.0\.1:\d+(\[\d+\])?(\(TX\))?|not connected)>$/;

/** Type a command into terminal n, press Enter, and return the lines printed before the next prompt. */
async function runIn(page: Page, n: number, command: string): Promise<string[]> {
  await terminal(page, n).click();
  const before = (await lines(page, n)).length;
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  let out: string[] = [];
  await expect
    .poll(async () => {
      const all = await lines(page, n);
      // the echoed command line is the last line present before Enter; the new prompt is the last line
      const echo = before - 1;
      if (all.length <= echo + 1 || !ANY_PROMPT.test(all[all.length - 1])) return null;
      out = all.slice(echo + 1, all.length - 1);
      return all[echo];
    })
    .toMatch(new RegExp(`> ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  return out;
}

async function lastLine(page: Page, n: number): Promise<string> {
  return (await lines(page, n)).at(-1) ?? '';
}

test('kill the master, promote its replica, restart the old master as a replica of the new one', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('status')).toContainText('engine ready');
  const panel = page.getByTestId('nodes-panel');
  // The master alone: it can be killed, never removed.
  await expect(panel.getByTestId('kill-6379')).toBeVisible();
  await expect(panel.getByTestId('remove-6379')).toHaveCount(0);

  await panel.getByTestId('add-replica').click();
  await linkUp(page, 6380);
  expect(await runIn(page, 1, 'SET k v1')).toEqual(['OK']);
  await expect.poll(() => askNode(page, 6380, 'GET', 'k')).toBe('v1');
  await expect(page.getByTestId('statusbar-keys')).toHaveText('1 key');

  // A terminal on the replica.
  await page.getByTestId('terminal-node').selectOption('6380');
  await page.getByTestId('new-terminal').click();
  await expect.poll(() => lastLine(page, 2)).toBe('127.0.0.1:6380>');

  // Kill the master.
  await panel.getByTestId('kill-6379').click();
  await expect(page.getByTestId('node-6379')).toHaveAttribute('data-status', 'killed');
  await expect(panel.getByTestId('remove-6379')).toHaveCount(0);
  await expect(panel.getByTestId('restart-6379')).toBeVisible();
  // The rest of the page says it is down.
  await expect(page.getByTestId('statusbar-down')).toContainText('127.0.0.1:6379 is down');
  await expect(page.getByTestId('explorer-summary')).toHaveAttribute('data-status', 'down');

  // Its terminal, as redis-cli 7.0: the command sent on the broken connection, then each command tries to connect.
  expect(await runIn(page, 1, 'GET k')).toEqual(['Error: Server closed the connection']);
  expect(await lastLine(page, 1)).toBe('not connected>');
  expect(await runIn(page, 1, 'GET k')).toEqual(['Could not connect to Redis at 127.0.0.1:6379: Connection refused']);
  expect(await lastLine(page, 1)).toBe('not connected>');

  // A terminal opened on it now starts as redis-cli against a server that is down.
  await page.getByTestId('terminal-node').selectOption('6379');
  await page.getByTestId('new-terminal').click();
  await expect.poll(() => lines(page, 3)).toEqual(['Could not connect to Redis at 127.0.0.1:6379: Connection refused', 'not connected>']);

  // The replica loses its link; promote it and write to it from its terminal.
  await expect(page.getByTestId('node-link-6380')).toHaveText(/^down/, { timeout: 30_000 });
  await panel.getByTestId('promote-6380').click();
  await expect(page.getByTestId('node-role-6380')).toHaveText('master', { timeout: 30_000 });
  expect(await runIn(page, 2, 'SET k v2')).toEqual(['OK']);
  expect(await runIn(page, 2, 'SET other x')).toEqual(['OK']);

  // Restart the old master (from its own saved data): the status bar and the explorer pick up again.
  await panel.getByTestId('restart-6379').click();
  await expect(page.getByTestId('node-6379')).toHaveAttribute('data-status', 'up', { timeout: 30_000 });
  await expect(page.getByTestId('node-role-6379')).toHaveText('master');
  await expect(page.getByTestId('statusbar-keys')).toBeVisible();
  await expect(page.getByTestId('explorer-summary')).toHaveAttribute('data-status', 'up');

  // Its terminal reconnects silently with the next command, and makes it a replica of the new master.
  expect(await runIn(page, 1, 'REPLICAOF 127.0.0.1 6380')).toEqual(['OK']);
  expect(await lastLine(page, 1)).toBe('127.0.0.1:6379>');
  await expect(page.getByTestId('node-role-6379')).toHaveText('replica of 6380', { timeout: 30_000 });
  await linkUp(page, 6379);
  await expect.poll(() => askNode(page, 6379, 'GET', 'k')).toBe('v2');
  expect(await runIn(page, 1, 'MGET k other')).toEqual(['1) "v2"', '2) "x"']);
  expect(await runIn(page, 3, 'GET other')).toEqual(['"x"']);
  expect(await lastLine(page, 3)).toBe('127.0.0.1:6379>');
  // The explorer follows the restarted node's data.
  await expect(page.getByTestId('explorer-summary')).toHaveText('2 keys');
  await expect(page.getByTestId('statusbar-keys')).toHaveText('2 keys');
});
