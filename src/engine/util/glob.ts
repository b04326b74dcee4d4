/**
 * Glob-style matching exactly as Redis's stringmatchlen (util.c) does it, for KEYS, SCAN MATCH,
 * CONFIG GET and PSUBSCRIBE. Patterns and subjects are binary strings.
 *
 * What the syntax means, including Redis's quirks:
 * - `*` any run of characters, `?` one character, `\x` the character x literally;
 * - `[abc]`, `[^abc]` (negated), `[a-z]` ranges, which also work reversed (`[z-a]`); inside brackets
 *   `\` escapes the next character; bytes compare as C's signed char, so ranges reaching past 0x7f
 *   behave as they do in Redis;
 * - a `[` that is never closed takes the rest of the pattern as its set; a trailing lone `\`
 *   matches a backslash;
 * - an empty subject only matches an empty pattern (so "*" does not match "": KEYS and SCAN
 *   treat the pattern "*" specially, see `isMatchAll`);
 * - more than 1000 nested `*` give up (no match), Redis's guard against abusive patterns.
 */

const STAR = 42; // *
const QMARK = 63; // ?
const LBRACKET = 91; // [
const RBRACKET = 93; // ]
const BACKSLASH = 92; // \
const CARET = 94; // ^
const DASH = 45; // -

/** The character at i, or 0 past the end (C strings end with NUL). */
function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0;
}

/** A byte as C's (signed) char. */
function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

/** C's tolower in the "C" locale. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

interface MatchState {
  /** Set once a '*' failed at every position: longer matches of earlier stars cannot help. */
  skipLonger: boolean;
}

function matchImpl(pat: string, p: number, str: string, s: number, nocase: boolean, st: MatchState, nesting: number): boolean {
  if (nesting > 1000) return false;
  const pn = pat.length;
  const sn = str.length;
  while (p < pn && s < sn) {
    const pc = pat.charCodeAt(p);
    switch (pc) {
      case STAR: {
        while (p < pn && at(pat, p + 1) === STAR) p++;
        if (pn - p === 1) return true;
        while (s < sn) {
          if (matchImpl(pat, p + 1, str, s, nocase, st, nesting + 1)) return true;
          if (st.skipLonger) return false;
          s++;
        }
        st.skipLonger = true;
        return false;
      }
      case QMARK:
        s++;
        break;
      case LBRACKET: {
        p++;
        const not = at(pat, p) === CARET;
        if (not) p++;
        let match = false;
        const sc = str.charCodeAt(s);
        for (;;) {
          const c0 = at(pat, p);
          if (c0 === BACKSLASH && pn - p >= 2) {
            p++;
            if (at(pat, p) === sc) match = true;
          } else if (c0 === RBRACKET) {
            break;
          } else if (p >= pn) {
            // Unterminated set: step back so the outer loop ends on the last character.
            p--;
            break;
          } else if (pn - p >= 3 && at(pat, p + 1) === DASH) {
            let start = signed(c0);
            let end = signed(at(pat, p + 2));
            let c = signed(sc);
            if (start > end) {
              const t = start;
              start = end;
              end = t;
            }
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            p += 2;
            if (c >= start && c <= end) match = true;
          } else if (!nocase) {
            if (c0 === sc) match = true;
          } else if (lower(c0) === lower(sc)) {
            match = true;
          }
          p++;
        }
        if (not) match = !match;
        if (!match) return false;
        s++;
        break;
      }
      default: {
        // '\' escapes the next character (a lone trailing '\' stands for itself).
        if (pc === BACKSLASH && pn - p >= 2) p++;
        const c0 = pat.charCodeAt(p);
        const sc = str.charCodeAt(s);
        if (nocase ? lower(c0) !== lower(sc) : c0 !== sc) return false;
        s++;
        break;
      }
    }
    p++;
    if (s === sn) {
      while (at(pat, p) === STAR) p++;
      break;
    }
  }
  return p === pn && s === sn;
}

/** stringmatchlen: whether str matches the glob pattern (nocase: ASCII letters fold). */
export function stringMatch(pattern: string, str: string, nocase = false): boolean {
  return matchImpl(pattern, 0, str, 0, nocase, { skipLonger: false }, 0);
}

/** The pattern "*" exactly: KEYS and SCAN skip matching for it (so it also lists the empty key). */
export function isMatchAll(pattern: string): boolean {
  return pattern.length === 1 && pattern.charCodeAt(0) === STAR;
}

function isSpecial(c: number): boolean {
  return c === STAR || c === QMARK || c === LBRACKET || c === BACKSLASH;
}

/**
 * A matcher for one pattern, to test many subjects: the same answers as stringMatch, with fast
 * paths for the common shapes "literal", "prefix*", "*suffix" and "*infix*" (case-sensitive).
 */
export function compileGlob(pattern: string, nocase = false): (str: string) => boolean {
  if (!nocase) {
    const n = pattern.length;
    // Leading and trailing runs of '*', and whether the middle is free of special characters.
    let lead = 0;
    while (lead < n && pattern.charCodeAt(lead) === STAR) lead++;
    let trail = n;
    while (trail > lead && pattern.charCodeAt(trail - 1) === STAR) trail--;
    let plain = true;
    for (let i = lead; i < trail; i++) {
      if (isSpecial(pattern.charCodeAt(i))) {
        plain = false;
        break;
      }
    }
    if (plain) {
      const mid = pattern.slice(lead, trail);
      const starsBefore = lead > 0;
      const starsAfter = trail < n;
      if (!starsBefore && !starsAfter) return (s) => s === mid;
      // Any star: the empty subject never matches (Redis's loop never starts).
      if (mid.length === 0) return (s) => s.length > 0;
      if (!starsBefore) return (s) => s.startsWith(mid);
      if (!starsAfter) return (s) => s.endsWith(mid);
      return (s) => s.includes(mid);
    }
  }
  return (s) => matchImpl(pattern, 0, s, 0, nocase, { skipLonger: false }, 0);
}
