import { describe, it } from 'vitest';
import { usePair } from '../support/pair';
import { genMixed } from './gen/mixed';

/** All command groups at once on one small key space (see gen/mixed.ts). */
const pair = usePair();

describe('all command groups mixed', () => {
  it('matches Redis over a seeded random run', async () => {
    await pair.random(genMixed, Number(process.env.COMPAT_COUNT ?? 5000));
  });
});
