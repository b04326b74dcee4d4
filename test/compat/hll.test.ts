import { describe, expect, it } from 'vitest';
import { step, usePair, type StepLike } from '../support/pair';
import { compareSteps, runSeed, type Step } from '../support/harness';
import { usePropagationCheck } from '../support/replstream';
import { rng, type Rng } from '../support/rng';
import { genHll } from './gen/hll';

const pair = usePair();

/** An element: binary bytes of every length 0..40 (each MurmurHash tail length), or a number. */
function element(r: Rng): string {
  if (r.chance(0.3)) return String(r.int(0, 1e9));
  let s = '';
  for (let i = r.int(0, 40); i > 0; i--) s += String.fromCharCode(r.int(0, 255));
  return s;
}

/** Run steps in pipelined batches; fail with the first differences and the seed. */
async function sameBatched(steps: Step[], seed: number, batch = 500): Promise<void> {
  for (let i = 0; i < steps.length; i += batch) {
    const diffs = await compareSteps(pair.real, pair.ours, steps.slice(i, i + batch));
    expect(diffs.slice(0, 3), `seed ${seed} (COMPAT_SEED=${seed}), batch at step ${i}\n` + diffs.slice(0, 3).join('\n\n')).toEqual([]);
  }
}

async function configBoth(name: string, value: string): Promise<void> {
  await pair.same(['CONFIG', 'SET', name, value]);
}

/** The header of an HLL: magic, encoding, 3 unused bytes, 8 bytes of cached cardinality. */
function header(encoding: number, card = '\0\0\0\0\0\0\0\x80'): string {
  return 'HYLL' + String.fromCharCode(encoding) + '\0\0\0' + card;
}
const SPARSE_EMPTY = header(1) + '\x7f\xff';
const xzero = (n: number) => String.fromCharCode(0x40 | ((n - 1) >> 8), (n - 1) & 0xff);
const zero = (n: number) => String.fromCharCode(n - 1);
const val = (v: number, n: number) => String.fromCharCode(0x80 | ((v - 1) << 2) | (n - 1));
/** A dense body with every register at `v`. */
function denseAll(v: number): string {
  const regs = new Uint8Array(12288);
  for (let i = 0; i < 16384; i++) {
    const bit = i * 6;
    const b = bit >> 3;
    const fb = bit & 7;
    regs[b] |= (v << fb) & 0xff;
    if (fb > 2) regs[b + 1] |= v >> (8 - fb);
  }
  return String.fromCharCode(...regs);
}

describe('PFADD / PFCOUNT basics', () => {
  it('creates sparse HLLs, caches the count in the header', async () => {
    await pair.same(
      ['PFADD', 'h1'], ['GET', 'h1'], ['PFCOUNT', 'h1'], ['GET', 'h1'], ['PFADD', 'h1'], ['TYPE', 'h1'],
      ['OBJECT', 'ENCODING', 'h1'], ['STRLEN', 'h1'],
      ['PFADD', 'h2', 'a', 'b', 'c'], ['GET', 'h2'], ['PFADD', 'h2', 'a'], ['PFADD', 'h2', 'b', 'c'], ['PFCOUNT', 'h2'],
      ['GET', 'h2'], ['PFCOUNT', 'h2'], ['PFADD', 'h2', 'd'], ['GET', 'h2'], ['PFCOUNT', 'h2'], ['GET', 'h2'],
      ['PFADD', 'h3', ''], ['PFADD', 'h3', ''], ['GET', 'h3'], ['PFCOUNT', 'h3'], ['PFCOUNT', 'nosuch'],
      ['PFDEBUG', 'ENCODING', 'h2'], ['PFDEBUG', 'DECODE', 'h2'], ['OBJECT', 'ENCODING', 'h2'],
    );
  });

  it('counts match through the sparse to dense conversion (default hll-sparse-max-bytes)', async () => {
    const seed = runSeed();
    const r = rng(seed);
    const steps: Step[] = [];
    for (let n = 0; n < 3000; n++) {
      steps.push({ argv: ['PFADD', 'big', element(r)] });
      if (n % 50 === 0) steps.push({ argv: ['PFCOUNT', 'big'] }, { argv: ['PFDEBUG', 'ENCODING', 'big'] });
      if (n % 250 === 0) steps.push({ argv: ['GET', 'big'] });
    }
    steps.push({ argv: ['GET', 'big'] }, { argv: ['PFCOUNT', 'big'] }, { argv: ['GET', 'big'] });
    await sameBatched(steps, seed);
  });

  it('hundreds of thousands of elements, in batches of varying size, GET byte-identical', async () => {
    const seed = runSeed();
    const r = rng(seed);
    const steps: Step[] = [];
    let total = 0;
    for (let key = 0; key < 3; key++) {
      const k = 'many' + key;
      while (total < (key + 1) * 100000) {
        const n = r.int(1, r.chance(0.2) ? 2000 : 40);
        const argv = ['PFADD', k];
        for (let i = 0; i < n; i++) argv.push(element(r));
        total += n;
        steps.push({ argv });
        if (r.chance(0.1)) steps.push({ argv: ['PFCOUNT', k] });
        if (r.chance(0.03)) steps.push({ argv: ['GET', k] });
      }
      steps.push({ argv: ['GET', k] }, { argv: ['PFCOUNT', k] }, { argv: ['PFDEBUG', 'ENCODING', k] });
    }
    steps.push({ argv: ['PFCOUNT', 'many0', 'many1', 'many2'] }, { argv: ['PFCOUNT', 'many0', 'many1'] });
    await sameBatched(steps, seed, 50);
  });

  it('varying hll-sparse-max-bytes', async () => {
    const seed = runSeed();
    for (const max of ['0', '1', '20', '100', '500', '3000', '8000', '16000']) {
      const r = rng(seed + Number(max));
      await configBoth('hll-sparse-max-bytes', max);
      const steps: Step[] = [];
      const k = 'm' + max;
      steps.push({ argv: ['PFADD', k] }, { argv: ['GET', k] });
      for (let n = 0; n < 1500; n++) {
        const argv = ['PFADD', k];
        for (let i = r.int(1, 8); i > 0; i--) argv.push(element(r));
        steps.push({ argv });
        if (n % 20 === 0) steps.push({ argv: ['PFDEBUG', 'ENCODING', k] }, { argv: ['STRLEN', k] });
        if (n % 100 === 0) steps.push({ argv: ['GET', k] }, { argv: ['PFCOUNT', k] });
      }
      steps.push({ argv: ['GET', k] }, { argv: ['PFCOUNT', k] });
      await sameBatched(steps, seed);
    }
    await configBoth('hll-sparse-max-bytes', '3000');
  });

  it('lowering hll-sparse-max-bytes below a sparse HLL\'s size: it turns dense at its next growth', async () => {
    const seed = runSeed();
    const r = rng(seed);
    const steps: Step[] = [{ argv: ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'] }];
    const argv = ['PFADD', 'low'];
    for (let i = 0; i < 700; i++) argv.push(element(r));
    steps.push({ argv }, { argv: ['STRLEN', 'low'] }, { argv: ['CONFIG', 'SET', 'hll-sparse-max-bytes', '100'] });
    for (let i = 0; i < 300; i++) steps.push({ argv: ['PFADD', 'low', element(r)] }, { argv: ['PFDEBUG', 'ENCODING', 'low'] });
    steps.push({ argv: ['GET', 'low'] }, { argv: ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'] });
    await sameBatched(steps, seed);
  });

  it('small cardinalities: exact estimates and sparse opcodes (ZERO, XZERO, VAL runs)', async () => {
    const seed = runSeed();
    const r = rng(seed);
    const steps: Step[] = [];
    for (let k = 0; k < 40; k++) {
      const key = 's' + k;
      for (let n = r.int(1, 300); n > 0; n--) steps.push({ argv: ['PFADD', key, 'e' + r.int(0, 400)] });
      steps.push({ argv: ['PFDEBUG', 'DECODE', key] }, { argv: ['GET', key] }, { argv: ['PFCOUNT', key] });
    }
    await sameBatched(steps, seed);
  });

  it('integers and elements of every length', async () => {
    const steps: StepLike[] = [];
    let all = '';
    for (let i = 0; i < 300; i++) all += String.fromCharCode((i * 37) & 0xff);
    for (let len = 0; len <= 300; len++) steps.push(['PFADD', 'len', all.slice(0, len)]);
    steps.push(['GET', 'len'], ['PFCOUNT', 'len']);
    for (let i = -100; i < 100; i++) steps.push(['PFADD', 'ints', String(i * 1000003)]);
    steps.push(['GET', 'ints'], ['PFCOUNT', 'ints'], ['PFADD', 'ints', '9223372036854775807', '-9223372036854775808']);
    await pair.same(...steps);
  });
});

describe('PFCOUNT of several keys', () => {
  it('the union of sparse, dense and missing keys', async () => {
    const seed = runSeed();
    const r = rng(seed);
    const steps: Step[] = [];
    const sizes = [0, 1, 10, 100, 1000, 5000, 20000];
    sizes.forEach((n, i) => {
      const argv = ['PFADD', 'u' + i];
      for (let j = 0; j < n; j++) argv.push(element(r));
      steps.push({ argv }, { argv: ['PFDEBUG', 'ENCODING', 'u' + i] });
    });
    for (let t = 0; t < 60; t++) {
      const argv = ['PFCOUNT'];
      for (let j = r.int(2, 6); j > 0; j--) argv.push(r.chance(0.15) ? 'missing' + j : 'u' + r.int(0, sizes.length - 1));
      steps.push({ argv });
    }
    // several keys never write the cache
    steps.push({ argv: ['GET', 'u3'] }, { argv: ['PFCOUNT', 'u3', 'u4'] }, { argv: ['GET', 'u3'] });
    steps.push({ argv: ['PFCOUNT', 'missing', 'missing2'] }, { argv: ['PFCOUNT', 'u1', 'u1'] });
    await sameBatched(steps, seed);
  });
});

describe('PFMERGE', () => {
  it('mixed encodings, missing keys, the destination included', async () => {
    const seed = runSeed();
    for (const max of ['3000', '200', '0']) {
      await configBoth('hll-sparse-max-bytes', max);
      const r = rng(seed + Number(max));
      const steps: Step[] = [];
      const sizes = [0, 3, 40, 300, 2000, 30000];
      sizes.forEach((n, i) => {
        const argv = ['PFADD', 'p' + i];
        for (let j = 0; j < n; j++) argv.push(element(r));
        steps.push({ argv });
      });
      for (let t = 0; t < 40; t++) {
        const dest = r.chance(0.5) ? 'dest' + r.int(0, 3) : 'p' + r.int(0, sizes.length - 1);
        const argv = ['PFMERGE', dest];
        for (let j = r.int(0, 4); j > 0; j--) argv.push(r.chance(0.15) ? 'missing' : 'p' + r.int(0, sizes.length - 1));
        steps.push({ argv }, { argv: ['GET', dest] }, { argv: ['PFDEBUG', 'ENCODING', dest] }, { argv: ['PFCOUNT', dest] });
        if (r.chance(0.3)) steps.push({ argv: ['PFADD', dest, element(r), element(r)] });
      }
      steps.push({ argv: ['PFMERGE', 'empty'] }, { argv: ['GET', 'empty'] }, { argv: ['PFMERGE', 'empty', 'nosuch'] });
      await sameBatched(steps, seed);
      await pair.same(['FLUSHALL']);
    }
    await configBoth('hll-sparse-max-bytes', '3000');
  });

  it('sparse sources with high registers, into a sparse or dense destination', async () => {
    await pair.same(
      ['SET', 'hi', header(1) + xzero(100) + val(32, 2) + xzero(16282)],
      ['SET', 'hi2', header(1) + zero(64) + val(5, 4) + xzero(16316)],
      ['PFMERGE', 'd1', 'hi', 'hi2'], ['GET', 'd1'], ['PFDEBUG', 'DECODE', 'd1'], ['PFCOUNT', 'd1'],
      ['SET', 'dn', header(0) + denseAll(40)], ['PFMERGE', 'd2', 'hi', 'dn'], ['PFDEBUG', 'ENCODING', 'd2'], ['GET', 'd2'],
      ['PFMERGE', 'hi', 'hi2'], ['GET', 'hi'],
    );
  });
});

describe('PFDEBUG', () => {
  it('GETREG, DECODE, ENCODING, TODENSE', async () => {
    await pair.same(
      ['PFADD', 'd', 'a', 'b', 'c', 'd', 'e'], ['PFDEBUG', 'GETREG', 'd'], ['PFDEBUG', 'ENCODING', 'd'], ['GET', 'd'],
      ['PFADD', 'd2', 'x', 'y'], ['PFDEBUG', 'DECODE', 'd2'], ['PFDEBUG', 'TODENSE', 'd2'], ['PFDEBUG', 'TODENSE', 'd2'],
      ['PFDEBUG', 'DECODE', 'd2'], ['PFDEBUG', 'encoding', 'd2'], ['GET', 'd2'], ['PFCOUNT', 'd2'],
      ['PFDEBUG', 'getreg', 'd2'], ['PFDEBUG', 'Decode', 'd'],
      ['PFDEBUG', 'nosuch', 'd'], ['PFDEBUG', 'nosuch', 'missing'], ['PFDEBUG', 'GETREG', 'missing'],
      ['PFDEBUG', 'GETREG\0x', 'd2'], ['PFDEBUG', 'bad\r\nname', 'd2'],
      ['PFDEBUG', 'GETREG'], ['PFDEBUG', 'GETREG', 'd', 'x'], ['PFDEBUG'],
      ['SET', 'str', 'hello'], ['PFDEBUG', 'GETREG', 'str'], ['LPUSH', 'list', 'a'], ['PFDEBUG', 'ENCODING', 'list'],
    );
  });

  it('DECODE of a sparse HLL with every opcode', async () => {
    await pair.same(
      ['SET', 'op', header(1) + zero(1) + val(1, 1) + zero(64) + val(32, 4) + xzero(65) + val(7, 3) + xzero(16384 - 1 - 1 - 64 - 4 - 65 - 3)],
      ['PFDEBUG', 'DECODE', 'op'], ['PFCOUNT', 'op'], ['PFDEBUG', 'GETREG', 'op'], ['GET', 'op'],
    );
  });
});

describe('PFSELFTEST', () => {
  it('passes', async () => {
    await pair.same(['PFSELFTEST'], ['PFSELFTEST', 'x']);
  });
});

describe('wrong types and damaged HLLs', () => {
  it('WRONGTYPE for other types and for strings that are no HLL', async () => {
    await pair.same(
      ['LPUSH', 'l', 'a'], ['PFADD', 'l', 'x'], ['PFCOUNT', 'l'], ['PFCOUNT', 'l', 'l'], ['PFMERGE', 'l'], ['PFMERGE', 'd', 'l'],
      ['EXISTS', 'd'],
      ['SET', 'i', '12345'], ['PFADD', 'i', 'x'], ['PFCOUNT', 'i'], ['SET', 'e', ''], ['PFADD', 'e'], ['PFCOUNT', 'e', 'x'],
      ['SET', 'short', 'HYLL\x01\0\0\0\0\0\0\0\0\0\0'], ['PFADD', 'short', 'a'],
      ['SET', 'magic', 'HYLX' + SPARSE_EMPTY.slice(4)], ['PFCOUNT', 'magic'],
      ['SET', 'enc2', header(2) + '\x7f\xff'], ['PFCOUNT', 'enc2'],
      ['SET', 'dense-short', header(0) + denseAll(1).slice(1)], ['PFCOUNT', 'dense-short'],
      ['SET', 'dense-long', header(0) + denseAll(1) + 'x'], ['PFADD', 'dense-long', 'a'],
      ['SET', 'sparse-as-dense', header(0) + '\x7f\xff'], ['PFMERGE', 'x', 'sparse-as-dense'],
      ['SET', 'ok', SPARSE_EMPTY], ['PFMERGE', 'ok', 'l'], ['PFCOUNT', 'ok', 'i'], ['GET', 'ok'],
      ['PFADD'], ['PFCOUNT'], ['PFMERGE'],
    );
  });

  it('corrupted sparse bodies: INVALIDOBJ where Redis finds it', async () => {
    const bodies = [
      xzero(16000), // too few registers
      xzero(16384) + zero(5), // too many
      xzero(10000) + val(3, 2) + xzero(6000), // too few, a VAL inside
      xzero(16383) + val(2, 4), // VAL past the end
      zero(10) + String.fromCharCode(0x7f), // truncated XZERO at the end
      '', // no opcodes at all
      xzero(16384) + xzero(16384),
      val(5, 4).repeat(5000), // 20000 registers
    ];
    const steps: StepLike[] = [];
    bodies.forEach((body, i) => {
      const k = 'c' + i;
      steps.push(
        ['SET', k, header(1) + body], ['PFCOUNT', k], ['PFCOUNT', k, 'nosuch'], ['PFMERGE', 'dst' + i, k],
        ['EXISTS', 'dst' + i], ['PFDEBUG', 'DECODE', k], ['PFDEBUG', 'TODENSE', k], ['PFDEBUG', 'GETREG', k],
        ['GET', k],
      );
      for (const e of ['a', 'b', 'foo', 'bar', 'x1', 'x2', 'x3', 'hello', 'world']) steps.push(['PFADD', k, e]);
      steps.push(['GET', k], ['PFCOUNT', k], ['PFADD', k, ...Array.from({ length: 200 }, (_, j) => 'y' + j)], ['GET', k]);
    });
    await pair.same(...steps);
  });

  it('an XZERO cut short by the end: Redis reads the byte after the string, which a split may have left there', async () => {
    const steps: StepLike[] = [];
    for (const [i, body] of [[0x98, 0x57], [0x57], [0x3f, 0x41], [0x98, 0x40, 0x02, 0x57]].entries()) {
      const k = 'cut' + i;
      steps.push(['SET', k, header(1) + String.fromCharCode(...body)], ['PFDEBUG', 'DECODE', k]);
      for (let j = 0; j < 60; j++) steps.push(['PFADD', k, 'x' + j], ['PFDEBUG', 'DECODE', k], ['GET', k]);
      steps.push(['PFCOUNT', k], ['PFCOUNT', k, 'nosuch'], ['PFMERGE', 'm' + i, k], ['PFDEBUG', 'TODENSE', k], ['GET', k]);
    }
    await pair.same(...steps);
  });

  it('valid but odd values: registers above 51, stored cardinalities, every register at the maximum', async () => {
    await pair.same(
      ['SET', 'all63', header(0) + denseAll(63)], ['PFCOUNT', 'all63'], ['GET', 'all63'], ['PFCOUNT', 'all63'],
      ['PFCOUNT', 'all63', 'nosuch'],
      ['SET', 'all51', header(0) + denseAll(51)], ['PFCOUNT', 'all51'], ['PFCOUNT', 'all51', 'x'],
      ['SET', 'all50', header(0) + denseAll(50)], ['PFCOUNT', 'all50'], ['SET', 'all20', header(0) + denseAll(20)], ['PFCOUNT', 'all20'],
      ['SET', 'all1', header(0) + denseAll(1)], ['PFCOUNT', 'all1'], ['PFADD', 'all1', 'z'], ['PFCOUNT', 'all1'],
      ['SET', 'cached', header(1, '\x39\x30\0\0\0\0\0\0') + '\x7f\xff'], ['PFCOUNT', 'cached'],
      ['SET', 'cached2', header(1, '\xff\xff\xff\xff\xff\xff\xff\x7f') + '\x7f\xff'], ['PFCOUNT', 'cached2'],
      ['SET', 'cached3', header(1, '\0\0\0\0\0\0\x20\0') + '\x7f\xff'], ['PFCOUNT', 'cached3'],
      ['SET', 'cached4', header(1, '\x01\0\0\0\0\0\0\x80') + '\x7f\xff'], ['PFCOUNT', 'cached4'], ['GET', 'cached4'],
      ['SET', 'unused', 'HYLL\x01abc\0\0\0\0\0\0\0\x80\x7f\xff'], ['PFADD', 'unused', 'q'], ['PFDEBUG', 'TODENSE', 'unused'], ['GET', 'unused'],
      ['SET', 'merge', header(0) + denseAll(63)], ['PFMERGE', 'mdst', 'merge'], ['GET', 'mdst'], ['PFCOUNT', 'mdst'],
    );
  });

  it('OBJECT ENCODING: SET values become raw once PF* touches them', async () => {
    await pair.same(
      ['SET', 'em', SPARSE_EMPTY], ['OBJECT', 'ENCODING', 'em'], ['PFCOUNT', 'em', 'x'], ['OBJECT', 'ENCODING', 'em'],
      ['PFCOUNT', 'em'], ['OBJECT', 'ENCODING', 'em'],
      ['SET', 'em2', header(1, '\0\0\0\0\0\0\0\0') + '\x7f\xff'], ['PFCOUNT', 'em2'], ['OBJECT', 'ENCODING', 'em2'],
      ['SET', 'em3', SPARSE_EMPTY], ['PFMERGE', 'x', 'em3'], ['OBJECT', 'ENCODING', 'em3'], ['OBJECT', 'ENCODING', 'x'],
      ['SET', 'em4', SPARSE_EMPTY], ['PFDEBUG', 'ENCODING', 'em4'], ['OBJECT', 'ENCODING', 'em4'],
      ['SET', 'em5', SPARSE_EMPTY], ['PFADD', 'em5'], ['OBJECT', 'ENCODING', 'em5'],
    );
  });
});

describe('with other commands', () => {
  it('TTLs survive in-place changes; expired keys count as missing; DUMP and string commands see the same bytes', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => 'big' + i);
    await pair.same(
      ['PFADD', 't', 'a'], ['EXPIRE', 't', '1000'], ['PFADD', 't', 'b', 'c'], ['TTL', 't'], ['PFCOUNT', 't'], ['TTL', 't'],
      ['PFMERGE', 't', 'nosuch'], ['TTL', 't'], ['PFDEBUG', 'TODENSE', 't'], ['TTL', 't'],
      ['PFADD', 'gone', 'x'], ['PEXPIRE', 'gone', '1'], ['DEBUG', 'SLEEP', '0.01'], ['PFCOUNT', 'gone'], ['PFADD', 'gone'],
      ['GET', 'gone'],
      ['PFADD', 'd', 'a', 'b'], ['DUMP', 'd'], ['PFADD', 'dd', ...big], ['DUMP', 'dd'], ['PFCOUNT', 'dd'], ['DUMP', 'dd'],
      ['STRLEN', 'd'], ['GETRANGE', 'd', '0', '3'], ['DEBUG', 'DIGEST-VALUE', 'd', 'dd'],
      ['APPEND', 'd', '\x7f'], ['PFCOUNT', 'd'], ['PFADD', 'd', 'q'],
      ['SET', 'r', '\0'], ['SETRANGE', 'dd', '20', 'zzz'], ['PFCOUNT', 'dd'], ['PFDEBUG', 'GETREG', 'dd'],
      ['APPEND', 'dd', 'x'], ['PFCOUNT', 'dd'], ['SETRANGE', 'h', '0', 'HYLL'], ['PFADD', 'h', 'a'],
      ['COMMAND', 'GETKEYS', 'PFMERGE', 'a', 'b', 'c'], ['COMMAND', 'GETKEYS', 'PFCOUNT', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'PFDEBUG', 'GETREG', 'k'], ['COMMAND', 'GETKEYS', 'PFADD', 'k', 'e'],
    );
  });

  it('WATCH: PFCOUNT touches the key when it refreshes the cached count, not when it reads it', async () => {
    const other = await pair.connect();
    await pair.same(['PFADD', 'w', 'a']);
    await pair.same(['WATCH', 'w']);
    await pair.sameOn(other, ['PFCOUNT', 'w']);
    await pair.same(['MULTI'], ['PING'], ['EXEC']);
    await pair.same(['WATCH', 'w']);
    await pair.sameOn(other, ['PFCOUNT', 'w'], ['PFCOUNT', 'w', 'x'], ['PFADD', 'w', 'a']);
    await pair.same(['MULTI'], ['PING'], ['EXEC']);
  });

  it('RESP3', async () => {
    const conns = await pair.connect();
    await pair.sameOn(
      conns, step(['HELLO', '3'], () => 'hello'), ['PFADD', 'r3', 'a', 'b'], ['PFCOUNT', 'r3'], ['PFCOUNT', 'r3', 'x'],
      ['PFDEBUG', 'DECODE', 'r3'], ['PFDEBUG', 'ENCODING', 'r3'], ['PFDEBUG', 'GETREG', 'r3'], ['PFMERGE', 'r3'],
    );
  });
});

describe('random runs', () => {
  it('PFADD, PFCOUNT, PFMERGE, PFDEBUG and damaged values, mixed (seeded; DEBUG DIGEST at the end)', async () => {
    await pair.random(genHll, 4000);
    await configBoth('hll-sparse-max-bytes', '3000');
  });
});

describe('side effects', () => {
  it('keyspace events, dirty, hits and misses', async () => {
    await pair.sameEffects(
      ['PFADD', 'k'], ['PFADD', 'k', 'a', 'b', 'c'], ['PFADD', 'k', 'a'], ['PFCOUNT', 'k'], ['PFCOUNT', 'k'],
      ['PFCOUNT', 'k', 'nosuch'], ['PFCOUNT', 'nosuch'], ['PFMERGE', 'k2', 'k', 'nosuch'], ['PFMERGE', 'k2'],
      ['PFDEBUG', 'TODENSE', 'k'], ['PFDEBUG', 'TODENSE', 'k'], ['PFDEBUG', 'GETREG', 'k2'], ['PFDEBUG', 'ENCODING', 'k2'],
      ['PFADD', 'k', 'x', 'y', 'z', 'w'], ['PFCOUNT', 'k'], ['PFDEBUG', 'GETREG', 'nosuch'],
      ['SET', 'bad', header(1) + xzero(100)], ['PFADD', 'bad', 'a', 'b'], ['PFCOUNT', 'bad'], ['PFMERGE', 'k3', 'bad'],
    );
  });

  it('inside MULTI and from scripts', async () => {
    await pair.same(
      ['MULTI'], ['PFADD', 'm', 'a'], ['PFCOUNT', 'm'], ['PFMERGE', 'm2', 'm'], ['GET', 'm2'], ['EXEC'],
      ['EVAL', "return redis.call('pfadd', KEYS[1], 'x', 'y')", '1', 'm3'],
      ['EVAL', "return redis.call('pfcount', KEYS[1])", '1', 'm3'],
      ['EVAL', "return redis.pcall('pfcount', KEYS[1])", '1', 'm3'],
      step(['EVAL_RO', "return redis.pcall('pfcount', KEYS[1])", '1', 'm3']),
      ['EVAL', "return redis.call('pfadd', KEYS[1], 'x', 'y')", '1', 'm3'],
      ['EVAL_RO', "return redis.pcall('pfcount', KEYS[1])", '1', 'm3'],
    );
  });
});

describe('propagation to replicas and the AOF', () => {
  const samePropagation = usePropagationCheck(pair).same;

  it('PFCOUNT propagates when it refreshes the cached count; PFDEBUG when it changes the encoding', async () => {
    await samePropagation(
      ['PFADD', 'p', 'a', 'b'], ['PFADD', 'p', 'a'], ['PFCOUNT', 'p'], ['PFCOUNT', 'p'], ['PFCOUNT', 'p', 'q'],
      ['PFADD', 'q', 'c'], ['PFMERGE', 'r', 'p', 'q'], ['PFCOUNT', 'nosuch'], ['PFDEBUG', 'ENCODING', 'p'],
      ['PFDEBUG', 'TODENSE', 'p'], ['PFDEBUG', 'TODENSE', 'p'], ['PFDEBUG', 'GETREG', 'q'], ['PFDEBUG', 'GETREG', 'q'],
      ['MULTI'], ['PFADD', 'p', 'z'], ['PFCOUNT', 'p'], ['EXEC'], ['PFADD'], ['PFCOUNT', 'p'],
    );
  });
});
