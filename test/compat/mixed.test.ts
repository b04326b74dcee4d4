import { describe, it } from 'vitest';
import { usePair } from '../support/pair';
import type { Rng, Step } from '../support/harness';
import { genStrings } from './gen/strings';
import { genBitmaps } from './gen/bitmaps';
import { genKeys } from './gen/keys';

/**
 * All groups at once on one small key space: the per-group generators, with every key they name
 * folded onto the same 7 names, so that key commands act on bitmaps, string commands on renamed,
 * moved and copied keys, and so on. Both servers get identical commands; only the mix is new.
 */
const FOLDED = /^[sbk]:/;

function fold(arg: string): string {
  if (!FOLDED.test(arg)) return arg;
  let h = 0;
  for (let i = 0; i < arg.length; i++) h = (h * 31 + arg.charCodeAt(i)) >>> 0;
  return 'k:' + (h % 7);
}

export function genMixed(r: Rng): Step {
  const gen = r.pick([genStrings, genStrings, genBitmaps, genKeys, genKeys]);
  const s = gen(r);
  return { argv: s.argv.map(fold), normalize: s.normalize };
}

const pair = usePair();

describe('all command groups mixed', () => {
  it('matches Redis over a seeded random run', async () => {
    await pair.random(genMixed, Number(process.env.COMPAT_COUNT ?? 5000));
  });
});
