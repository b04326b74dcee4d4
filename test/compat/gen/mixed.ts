import type { Rng, Step } from '../../support/harness';
import { genStrings } from './strings';
import { genBitmaps } from './bitmaps';
import { genKeys } from './keys';
import { genHashes } from './hashes';
import { genSets } from './sets';
import { genLists } from './lists';
import { genZsets } from './zsets';

/**
 * All groups at once on one small key space: the per-group generators, with the keys they name
 * folded onto the same few names, so that key commands act on every type, each type's commands
 * meet the others' keys (WRONGTYPE), and RENAME/COPY/MOVE carry values between them. Both servers
 * get identical commands; only the mix is new.
 *
 * What the folding keeps true for the generators' comparisons: at most 8 keys per database (the
 * key generator's SCAN compares whole pages), hashes that stay listpacks (their field order is
 * compared exactly, so the big-hash steps are left out), and zsets for lex ranges whose members
 * all share a score (they keep names of their own).
 */
const FOLDED = /^[sbkhtlz]:/;
const LEX_KEY = /^z:l(\d)$/;

function fold(arg: string): string {
  const lex = LEX_KEY.exec(arg);
  if (lex) return 'k:l' + lex[1];
  if (!FOLDED.test(arg)) return arg;
  let h = 0;
  for (let i = 0; i < arg.length; i++) h = (h * 31 + arg.charCodeAt(i)) >>> 0;
  return 'k:' + (h % 4);
}

const GENERATORS = [genStrings, genBitmaps, genKeys, genKeys, genHashes, genSets, genLists, genZsets];

export function genMixed(r: Rng): Step {
  for (;;) {
    const s = r.pick(GENERATORS)(r);
    if (s.argv.some((a) => a.startsWith('h:big'))) continue;
    return { argv: s.argv.map(fold), normalize: s.normalize };
  }
}
