/**
 * redis-cli 7.0's hintsCallback and completionCallback, over the help table.
 * Lines are text as typed; they are UTF-8 encoded and split like redis-cli splits them.
 */
import type { HelpEntry } from './help';
import { splitLine } from './split';

const eqi = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The grey hint shown after the typed line, or null: the params of the longest command name the
 * line starts with, minus the arguments already typed (redis-cli drops one word per typed
 * argument, stopping at the first optional `[`). Starts with a space unless the line ends in one.
 */
export function hintFor(line: string, entries: readonly HelpEntry[]): string | null {
  const argv = splitLine(line);
  if (argv === null || argv.length === 0) return null;
  let match: HelpEntry | null = null;
  let matchlen = 0;
  for (const e of entries) {
    const n = e.words.length;
    if (n <= argv.length && n > matchlen && e.words.every((w, j) => eqi(w, argv[j]))) {
      match = e;
      matchlen = n;
    }
  }
  if (match === null) return null;
  let hint = match.params;
  let toremove = argv.length - matchlen;
  while (toremove > 0 && hint.length > 0) {
    if (hint[0] === '[') break;
    if (hint[0] === ' ') toremove--;
    hint = hint.slice(1);
  }
  const endspace = line.length > 0 && /\s/.test(line[line.length - 1]);
  return endspace ? hint : ' ' + hint;
}

/**
 * Tab completions for the line, in table order: command names (as the table spells them, upper
 * case, like redis-cli 7.0), or after "help " also @groups; what was typed before the word is kept.
 */
export function completionsFor(line: string, entries: readonly HelpEntry[], groups: readonly string[]): string[] {
  let start = 0;
  let withGroups = false;
  if (line.length >= 5 && eqi(line.slice(0, 5), 'help ')) {
    start = 5;
    while (start < line.length && /\s/.test(line[start])) start++;
    withGroups = true;
  }
  const head = line.slice(0, start);
  const typed = line.slice(start).toLowerCase();
  const out: string[] = [];
  if (withGroups) for (const g of groups) if (('@' + g).startsWith(typed)) out.push(head + '@' + g);
  for (const e of entries) if (e.name.toLowerCase().startsWith(typed)) out.push(head + e.name);
  return out;
}
