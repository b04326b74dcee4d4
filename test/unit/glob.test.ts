import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileGlob, isMatchAll, stringMatch } from '../../src/engine/util/glob';
import { GLOB_CASES } from '../compat/gen/keys';


describe('stringMatch (Redis stringmatchlen)', () => {
  it.each(GLOB_CASES)('%j vs %j', (pattern, subject, expected) => {
    expect(stringMatch(pattern, subject)).toBe(expected);
    expect(compileGlob(pattern)(subject)).toBe(expected);
  });

  it('folds ASCII case with nocase, ranges included', () => {
    expect(stringMatch('HeLLo*', 'hello world', true)).toBe(true);
    expect(stringMatch('HeLLo*', 'hello world', false)).toBe(false);
    expect(stringMatch('[A-C]x', 'bX', true)).toBe(true);
    expect(stringMatch('[a-c]', 'B', true)).toBe(true);
    expect(stringMatch('[abc]', 'B', true)).toBe(true);
    expect(stringMatch('[\\B]', 'b', true)).toBe(false); // escaped set members compare exactly
    expect(stringMatch('\xc9', '\xe9', true)).toBe(false); // only ASCII folds
    expect(compileGlob('MAXMEMORY*', true)('maxmemory-policy')).toBe(true);
  });

  it('gives up past 1000 nested stars, as Redis does', () => {
    const subject = 'a'.repeat(1001);
    expect(stringMatch('*a'.repeat(999) + '*', subject)).toBe(true);
    expect(stringMatch('*a'.repeat(1000) + '*', subject)).toBe(true);
    expect(stringMatch('*a'.repeat(1001), subject)).toBe(false);
    expect(stringMatch('a*'.repeat(1001), subject)).toBe(true);
  });

  it('answers patterns built to backtrack (exponential backtracking would never return)', () => {
    expect(stringMatch('a*'.repeat(30) + 'b', 'a'.repeat(5000))).toBe(false);
    expect(stringMatch('*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(20000))).toBe(false);
  });

  it('recognises the match-all pattern', () => {
    expect(isMatchAll('*')).toBe(true);
    expect(isMatchAll('**')).toBe(false);
    expect(isMatchAll('')).toBe(false);
  });

  it('compiled fast paths agree with the general matcher', () => {
    const alphabet = ['a', 'b', '*', '?', '[', ']', '^', '-', '\\', '\0', '\xff'];
    const str = (max: number) => fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((a) => a.join(''));
    fc.assert(
      fc.property(str(8), str(10), (pattern, subject) => {
        expect(compileGlob(pattern)(subject)).toBe(stringMatch(pattern, subject));
      }),
      { numRuns: 20000 },
    );
    const shaped = fc.tuple(fc.constantFrom('', '*', '**'), fc.stringMatching(/^[a-c]{0,4}$/), fc.constantFrom('', '*', '**'));
    fc.assert(
      fc.property(shaped, fc.stringMatching(/^[a-c]{0,8}$/), ([pre, mid, post], subject) => {
        const pattern = pre + mid + post;
        expect(compileGlob(pattern)(subject)).toBe(stringMatch(pattern, subject));
      }),
      { numRuns: 20000 },
    );
  });
});
