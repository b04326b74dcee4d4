import { expect, type Page } from '@playwright/test';

/** Helpers shared by the e2e specs: the first terminal's text, and typing a command into it. */

export const PROMPT = /^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?> ?/;

/** The terminal's text: every line on screen and in scrollback. */
export function screen(page: Page): Promise<string> {
  return page.evaluate(() => window.__redisTerminal?.text() ?? '');
}

export async function lines(page: Page): Promise<string[]> {
  return (await screen(page)).split('\n');
}

/** Type a command as a person does, press Enter, and return the lines printed before the next prompt. */
export async function run(page: Page, command: string): Promise<string[]> {
  const before = (await lines(page)).length;
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  let out: string[] = [];
  await expect
    .poll(async () => {
      const all = await lines(page);
      // the echoed command line is the last line present before Enter; the new prompt is the last line
      const echo = before - 1;
      if (all.length <= echo + 1 || !PROMPT.test(all[all.length - 1]) || all[all.length - 1].replace(PROMPT, '') !== '') return null;
      out = all.slice(echo + 1, all.length - 1);
      return all[echo];
    })
    .toMatch(new RegExp(`> ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  return out;
}
