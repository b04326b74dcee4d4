import { describe, expect, it } from 'vitest';
import { ProtocolError, RequestParser } from '../../src/engine/resp/parser';
import { rng, type Rng } from '../support/rng';

const SEED = Number(process.env.FUZZ_SEED ?? 20240607);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 600);

const INTERESTING = [42, 36, 13, 10, 0, 32, 34, 39, 92, 120, 45, 43, 48, 49, 57, 255, 128];

function validStream(r: Rng): number[] {
  const out: number[] = [];
  const push = (s: string): void => { for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i)); };
  const n = r.int(1, 6);
  for (let c = 0; c < n; c++) {
    const argc = r.int(0, 5);
    if (r.next() < 0.2) {
      // inline
      const parts: string[] = [];
      for (let i = 0; i < Math.max(1, argc); i++) {
        const w = String.fromCharCode(...Array.from({ length: r.int(0, 6) }, () => r.int(33, 126))).replace(/["'\\]/g, '');
        parts.push(r.next() < 0.3 ? `"${w}"` : w);
      }
      push(parts.join(' ').replace(/^\*/, 'x') + (r.next() < 0.5 ? '\r\n' : '\n'));
      continue;
    }
    push(`*${argc}\r\n`);
    for (let i = 0; i < argc; i++) {
      const len = r.next() < 0.05 ? r.int(30_000, 70_000) : r.int(0, 20);
      push(`$${len}\r\n`);
      for (let k = 0; k < len; k++) out.push(r.int(0, 255));
      push('\r\n');
    }
  }
  return out;
}

function mutate(r: Rng, b: number[]): number[] {
  const out = b.slice();
  const m = r.int(0, 4);
  for (let k = 0; k < m && out.length > 0; k++) {
    const at = r.int(0, out.length - 1);
    switch (r.int(0, 5)) {
      case 0: out[at] = r.int(0, 255); break;
      case 1: out[at] = INTERESTING[r.int(0, INTERESTING.length - 1)]; break;
      case 2: out.splice(at, r.int(1, 8)); break;
      case 3: out.splice(at, 0, ...Array.from({ length: r.int(1, 6) }, () => INTERESTING[r.int(0, INTERESTING.length - 1)])); break;
      case 4: out.splice(at, 0, ...out.slice(at, at + r.int(1, 30))); break;
      case 5: out.splice(at, 0, ...Array.from(`*${r.int(-3, 99999)}\r\n$${r.int(-3, 99999)}\r\n`, (c) => c.charCodeAt(0))); break;
    }
  }
  return out;
}

function randomBytes(r: Rng): number[] {
  return Array.from({ length: r.int(0, 300) }, () => (r.next() < 0.5 ? INTERESTING[r.int(0, INTERESTING.length - 1)] : r.int(0, 255)));
}

interface Outcome { cmds: string[][]; error: string | null }

/** Parse bytes fed in the given chunk sizes. Only ProtocolError may come out, and it must end quickly. */
function parse(bytes: Uint8Array, sizes: number[]): Outcome {
  const p = new RequestParser();
  const cmds: string[][] = [];
  let calls = 0;
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]);
    p.feed(bytes.slice(at, at + n));
    at += n;
    for (;;) {
      // Every call returns a command, null, or throws: bounded by the bytes fed (plus the nulls).
      if (++calls > bytes.length + i + 10) throw new Error('parser loops');
      let cmd: string[] | null;
      try {
        cmd = p.next();
      } catch (e) {
        if (e instanceof ProtocolError) return { cmds, error: e.message };
        throw e;
      }
      if (cmd === null) break;
      cmds.push(cmd);
    }
  }
  return { cmds, error: null };
}

describe(`fuzzed request streams (seed ${SEED}; replay with FUZZ_SEED=${SEED})`, () => {
  it('only ever throw ProtocolError, always terminate, and parse the same however they are chunked', () => {
    const r = rng(SEED);
    let errors = 0;
    let commands = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const kind = r.int(0, 2);
      const raw = kind === 0 ? validStream(r) : kind === 1 ? mutate(r, validStream(r)) : randomBytes(r);
      const bytes = Uint8Array.from(raw);
      const whole = parse(bytes, [bytes.length]);
      const sizes = Array.from({ length: r.int(1, 5) }, () => (r.next() < 0.3 ? 1 : r.int(1, 4000)));
      const chunked = parse(bytes, sizes);
      expect(chunked, `round ${round} (seed ${SEED}), chunk sizes ${sizes}`).toEqual(whole);
      if (kind === 0) expect(whole.error, `round ${round}`).toBeNull();
      if (whole.error) {
        errors++;
        expect(whole.error.startsWith('Protocol error: ')).toBe(true);
      }
      commands += whole.cmds.length;
    }
    // The generator must exercise both sides.
    expect(errors).toBeGreaterThan(20);
    expect(commands).toBeGreaterThan(500);
  }, 600_000);

  it('every prefix of a mutated stream parses to a prefix of the whole stream\'s commands', () => {
    const r = rng(SEED + 1);
    for (let round = 0; round < 40; round++) {
      const bytes = Uint8Array.from(mutate(r, validStream(r)).slice(0, 2000));
      const whole = parse(bytes, [bytes.length]);
      for (let cut = 0; cut <= bytes.length; cut += r.int(1, 50)) {
        const part = parse(bytes.subarray(0, cut), [cut]);
        expect(whole.cmds.slice(0, part.cmds.length)).toEqual(part.cmds);
        if (part.error) expect(part.error).toBe(whole.error);
      }
    }
  });
});
