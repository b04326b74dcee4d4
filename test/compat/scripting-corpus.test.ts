import { describe, it } from 'vitest';
import { usePair } from '../support/pair';
import { Conn, type Step } from '../support/harness';
import { corpus, type ScriptCase } from './scripts/corpus';

// Lua scripting (EVAL, EVALSHA, SCRIPT, FUNCTION, FCALL) compared with a real Redis, one case per
// test. The corpus and how it was checked: ./scripts/corpus.ts.

const pair = usePair();

/** Run one case on fresh connections to both servers, with no scripts or functions loaded. */
async function runCase(c: ScriptCase): Promise<void> {
  if (c.effects) return runEffectsCase(c);
  // Fresh connections so a hung or crashed case cannot shift replies into the next one.
  const conns = { real: await Conn.open(pair.ports.real), ours: await Conn.open(pair.ports.ours) };
  try {
    for (const conn of [conns.real, conns.ours]) {
      await conn.send('SCRIPT', 'FLUSH');
      await conn.send('FUNCTION', 'FLUSH');
      if (c.resp === 3) await conn.send('HELLO', '3'); // its reply carries ids: not compared
    }
    const last = c.steps.length - 1;
    const steps: Step[] = c.steps.map((argv, i) => ({ argv, normalize: i === last ? c.normalize : undefined }));
    await pair.sameOn(conns, ...steps);
  } finally {
    conns.real.close();
    conns.ours.close();
  }
}

/** Side-effect cases use the fixture's own connections: sameEffects watches those. */
async function runEffectsCase(c: ScriptCase): Promise<void> {
  for (const conn of [pair.real, pair.ours]) {
    await conn.send('SCRIPT', 'FLUSH');
    await conn.send('FUNCTION', 'FLUSH');
  }
  await pair.sameEffects(...c.steps);
}

for (const category of corpus) {
  describe(`scripting corpus: ${category.title}`, () => {
    for (const c of category.cases) {
      it(c.resp === 3 ? `${c.name} [RESP3]` : c.name, () => runCase(c));
    }
  });
}
