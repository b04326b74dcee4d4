import type { Rng, Step } from '../../support/harness';
import { genMixed } from './mixed';

/**
 * Random transactions over the mixed command stream: MULTI ... EXEC/DISCARD blocks of mixed
 * commands, WATCH/UNWATCH of the folded key names (so the block's own earlier writes dirty it),
 * misplaced transaction commands, and commands that fail to queue (EXECABORT). Inside a block only
 * steps whose reply is compared exactly are used: their real replies arrive in EXEC's array.
 */
export function makeGenTransactions(): (r: Rng) => Step {
  let inMulti = false;
  const key = (r: Rng): string => r.pick(['k:0', 'k:1', 'k:2', 'k:3', 'k:l0', 'nokey']);
  return (r: Rng): Step => {
    const p = r.next();
    if (!inMulti) {
      if (p < 0.1) {
        inMulti = true;
        return { argv: ['MULTI'] };
      }
      if (p < 0.15) return { argv: ['WATCH', key(r), ...(r.chance(0.5) ? [key(r)] : [])] };
      if (p < 0.17) return { argv: ['UNWATCH'] };
      if (p < 0.18) return { argv: [r.pick(['EXEC', 'DISCARD'])] };
      return genMixed(r);
    }
    if (p < 0.12) {
      inMulti = false;
      return { argv: ['EXEC'] };
    }
    if (p < 0.14) {
      inMulti = false;
      return { argv: ['DISCARD'] };
    }
    if (p < 0.15) return { argv: [r.pick(['MULTI', 'WATCH'])].concat(r.chance(0.5) ? [key(r)] : []) };
    if (p < 0.16) return { argv: r.pick([['NOSUCH', 'x'], ['GET'], ['SET', 'k:0']]) };
    if (p < 0.165) {
      inMulti = false;
      return { argv: ['EXEC', 'extra'] };
    }
    for (;;) {
      const s = genMixed(r);
      // OBJECT REFCOUNT: Redis's queued argv holds a reference to a value SET in the same block.
      if (s.normalize === undefined && s.argv[0] !== 'OBJECT') return s;
    }
  };
}
