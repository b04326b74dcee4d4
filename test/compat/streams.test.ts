import { describe, expect, it } from 'vitest';
import { step, usePair } from '../support/pair';
import { type Reply } from '../support/resp-reader';
import { hello, infoShape, sameRead, start, text } from '../support/both';

/**
 * Streams (XADD & co., consumer groups, XINFO, XSETID) against a real Redis 7.0: replies byte for
 * byte, keyspace events and dirty counts (sameEffects). Only what depends on the wall clock is
 * normalised: idle times, seen times and delivery times.
 */
const pair = usePair();

// ---- normalisers for time-dependent fields ----

/** A reply as plain data, with the integer at each listed path replaced by 'T'. */
function plain(r: Reply): unknown {
  switch (r.t) {
    case 'array': return r.v === null ? null : r.v.map(plain);
    case 'map': return r.v.map(([k, v]) => [plain(k), plain(v)]);
    case 'set': case 'push': return r.v.map(plain);
    case 'null': return null;
    case 'bool': return r.v;
    default: return `${r.t}:${r.v}`;
  }
}

/** Replace the values that follow time-like keys, and the times inside PEL entries. */
function timeless(x: unknown, inPending = false): unknown {
  if (!Array.isArray(x)) return x;
  if (inPending) {
    // [id, consumer, time, count] (group PEL / XPENDING) or [id, time, count] (consumer PEL)
    return x.map((e) => (Array.isArray(e) ? e.map((v, i) => (i === e.length - 2 ? 'T' : v)) : e));
  }
  const out: unknown[] = [];
  for (let i = 0; i < x.length; i++) {
    const k = x[i];
    // RESP3 maps come as [key, value] pairs
    if (Array.isArray(k) && k.length === 2 && typeof k[0] === 'string' && /^bulk:(idle|seen-time|pending)$/.test(k[0] as string)) {
      const key = k[0] as string;
      out.push([key, key === 'bulk:pending' ? (Array.isArray(k[1]) ? timeless(k[1], true) : k[1]) : 'T']);
      continue;
    }
    if (typeof k === 'string' && /^bulk:(idle|seen-time)$/.test(k) && i + 1 < x.length) {
      out.push(k, 'T');
      i++;
      continue;
    }
    if (k === 'bulk:pending' && i + 1 < x.length && Array.isArray(x[i + 1])) {
      out.push(k, timeless(x[i + 1], true));
      i++;
      continue;
    }
    out.push(timeless(k));
  }
  return out;
}

const noTimes = (r: Reply): unknown => timeless(plain(r));
/** XPENDING key group start end count: the idle column. */
const pendingIdle = (r: Reply): unknown => timeless(plain(r), true);

/** XADD n entries with IDs 1-1 .. n-1 (fields f/v). */
function fill(key: string, n: number, from = 1, fields: string[] = ['f', 'v']): string[][] {
  const out: string[][] = [];
  for (let i = from; i < from + n; i++) out.push(['XADD', key, `${i}-1`, ...fields]);
  return out;
}

const INFO = (k: string) => ['XINFO', 'STREAM', k];

describe('XADD', () => {
  it('explicit, partial and incremental IDs', async () => {
    await pair.same(
      ['XADD', 's', '1-1', 'f', 'v'], ['XADD', 's', '1-*', 'a', 'b'], ['XADD', 's', '1', 'x', 'y'],
      ['XADD', 's', '2-*', 'f', 'v'], ['XADD', 's', '2-5', 'f', 'v'], ['XADD', 's', '2-*', 'f', 'v'],
      ['XADD', 's', '3', 'f', 'v', 'g', 'w', 'h', ''], ['XADD', 's', '18446744073709551614-*', 'f', 'v'],
      ['XRANGE', 's', '-', '+'], ['XLEN', 's'], INFO('s'),
      ['XADD', 's', '18446744073709551615-18446744073709551615', 'f', 'v'],
      ['XADD', 's', '18446744073709551615-*', 'f', 'v'], ['XADD', 's', '*', 'f', 'v'],
      ['XADD', 'm', '18446744073709551615-18446744073709551614', 'f', 'v'],
      ['XADD', 'm', '18446744073709551615-*', 'f', 'v'], ['XADD', 'm', '18446744073709551615-*', 'f', 'v'],
      ['XADD', 'q', '5-18446744073709551615', 'f', 'v'], ['XADD', 'q', '5-*', 'f', 'v'], ['XADD', 'q', '6-*', 'f', 'v'],
      ['XRANGE', 'q', '-', '+'], INFO('q'),
      ['XADD', 'b', '9007199254740993-9007199254740995', 'f', 'v'], ['XADD', 'b', '9007199254740993-*', 'f', 'v'],
      ['XRANGE', 'b', '9007199254740993', '9007199254740993'], ['XREVRANGE', 'b', '+', '9007199254740993-9007199254740996'],
    );
  });

  it('auto IDs after a future last ID, and IDs beyond 2^53 everywhere', async () => {
    const B = '9007199254740993';
    await pair.same(
      ['XADD', 'f', '99999999999999-5', 'f', 'v'], ['XADD', 'f', '*', 'f', 'v'], ['XADD', 'f', 'MAXLEN', '~', '0', '*', 'f', 'v'],
      ['XRANGE', 'f', '-', '+'], ['XADD', 'f', '99999999999999-18446744073709551615', 'f', 'v'], ['XADD', 'f', '*', 'f', 'v'],
      ['XADD', 'b', `${B}-1`, 'f', 'v'], ['XADD', 'b', `${B}-9007199254740995`, 'f', 'v'], ['XADD', 'b', `${B}-*`, 'f', 'v'],
      ['XADD', 'b', '18446744073709551000-18446744073709551000', 'f', 'v'], ['XADD', 'b', '18446744073709551000-*', 'f', 'v'],
      ['XRANGE', 'b', `(${B}-1`, '+'], ['XREVRANGE', 'b', '+', `(${B}-9007199254740996`, 'COUNT', '2'],
      ['XRANGE', 'b', `${B}`, `${B}`], ['XRANGE', 'b', '(18446744073709551000-18446744073709551000', '+'],
      ['XGROUP', 'CREATE', 'b', 'g', `${B}-5`], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'b', '>'], ['XINFO', 'GROUPS', 'b'],
      ['XPENDING', 'b', 'g'], ['XACK', 'b', 'g', `${B}-9007199254740995`], ['XDEL', 'b', `${B}-9007199254740996`],
      ['XTRIM', 'b', 'MINID', '18446744073709551000'], ['XINFO', 'STREAM', 'b'], ['XREAD', 'STREAMS', 'b', `${B}`],
      ['XAUTOCLAIM', 'b', 'g', 'd', '0', '0', 'JUSTID'], ['XCLAIM', 'b', 'g', 'e', '0', '18446744073709551000-18446744073709551000', 'JUSTID'],
      ['XSETID', 'b', '18446744073709551615-18446744073709551615'], ['XADD', 'b', '*', 'f', 'v'], ['XINFO', 'STREAM', 'b'],
    );
  });

  it('ID syntax as Redis parses it', async () => {
    const ids = [
      ' 5', '+5', '5 ', '-5', '5-', '5-x', '5--0', '5--1', '5-+3', '5- 3', '\t7', '0x10', '1e3', '',
      '18446744073709551616', '18446744073709551615', '9223372036854775808-1', '-18446744073709551615',
      '10\x00zz', '11-\x00', '1'.repeat(127), '1'.repeat(128), '12-*-1', '*-1', '13-**', '-', '+', '$', '>',
    ];
    for (const id of ids) await pair.same(['XADD', `k${ids.indexOf(id)}`, id, 'f', 'v']);
    await pair.same(['XADD', 'z', '0-0', 'f', 'v'], ['XADD', 'z', '0', 'f', 'v'], ['XADD', 'z', '0-*', 'f', 'v'], ['EXISTS', 'z']);
  });

  it('errors: arity, order, smaller IDs, types, NOMKSTREAM', async () => {
    await pair.same(
      ['XADD', 's', '5-5', 'f'], ['XADD', 's', '5-5', 'f', 'v', 'g'], ['XADD', 's', '*'], ['XADD', 's'],
      ['XADD', 's', '5-5', 'f', 'v'], ['XADD', 's', '5-5', 'f', 'v'], ['XADD', 's', '5-4', 'f', 'v'], ['XADD', 's', '4', 'f', 'v'],
      ['XADD', 's', '5', 'f', 'v'], ['XADD', 's', '5-*', 'f', 'v'],
      ['SET', 'str', 'x'], ['XADD', 'str', '1-1', 'f', 'v'], ['XADD', 'str', 'NOMKSTREAM', '1-1', 'f', 'v'],
      ['XADD', 'n', 'NOMKSTREAM', '1-1', 'f', 'v'], ['XADD', 'n', 'nomkstream', '*', 'f', 'v'], ['EXISTS', 'n'],
      ['XADD', 's', 'NOMKSTREAM', '6-1', 'f', 'v'], ['XADD', 's', 'NOMKSTREAM', 'NOMKSTREAM', '7-1', 'f', 'v'],
      ['XLEN', 'str'], ['XRANGE', 'str', '-', '+'], ['XLEN', 'nokey'],
    );
  });

  it('MAXLEN / MINID / LIMIT argument errors', async () => {
    await pair.same(
      ['XADD', 's', 'MAXLEN', '-1', '1-1', 'f', 'v'], ['XADD', 's', 'MAXLEN', 'x', '1-1', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', '-1', '1-1', 'f', 'v'], ['XADD', 's', 'MAXLEN', '=', '~', '1', '1-1', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '5', 'MINID', '5', '1-1', 'f', 'v'], ['XADD', 's', 'MINID', '5', 'MAXLEN', '5', '1-1', 'f', 'v'],
      ['XADD', 's', 'MINID', 'x', '1-1', 'f', 'v'], ['XADD', 's', 'MINID', '-', '1-1', 'f', 'v'],
      ['XADD', 's', 'LIMIT', '5', '1-1', 'f', 'v'], ['XADD', 's', 'LIMIT', '0', '1-1', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '5', 'LIMIT', '5', '1-1', 'f', 'v'], ['XADD', 's', 'MAXLEN', '5', 'LIMIT', '-1', '1-1', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', 'x', '1-1', 'f', 'v'], ['XADD', 's', 'MAXLEN', '=', '5', 'LIMIT', '5', '1-1', 'f', 'v'],
      ['XADD', 's', 'MAXLEN'], ['XADD', 's', 'MAXLEN', '5'], ['XADD', 's', 'MAXLEN', '5', '*'], ['XADD', 's', 'MAXLEN', '~', '5'],
      ['XADD', 's', 'MAXLEN', '5', '5', '1-1', 'f', 'v'], ['XADD', 's', 'LIMIT', '1', 'MAXLEN', '~', '1', '1-1', 'f', 'v'],
      ['XTRIM', 's'], ['XTRIM', 's', 'MAXLEN'], ['XTRIM', 's', 'LIMIT', '5'], ['XTRIM', 's', 'MAXLEN', '5', 'x'],
      ['XTRIM', 's', 'MAXLEN', '5', 'LIMIT', '5'], ['XTRIM', 's', 'MAXLEN', '~', '5', 'LIMIT', '5'],
      ['XTRIM', 's', 'MINID', '5', 'LIMIT', '0'], ['XTRIM', 's', 'MINID', '~', '5', 'LIMIT', '0'],
      ['XTRIM', 's', 'foo', '1'], ['XTRIM', 's', 'MAXLEN', '5', 'MINID', '1'],
      ['SET', 'str', 'x'], ['XTRIM', 'str', 'MAXLEN', '1'], ['XTRIM', 'str', 'MAXLEN', 'x'], ['XTRIM', 'nokey', 'MAXLEN', '1'],
    );
  });
});

describe('trimming', () => {
  it('exact MAXLEN and MINID', async () => {
    await pair.same(...fill('s', 30));
    await pair.same(
      ['XTRIM', 's', 'MAXLEN', '25'], ['XLEN', 's'], INFO('s'), ['XTRIM', 's', 'MAXLEN', '=', '20'],
      ['XTRIM', 's', 'MINID', '15'], ['XTRIM', 's', 'MINID', '=', '15-2'], ['XRANGE', 's', '-', '+', 'COUNT', '2'], INFO('s'),
      ['XADD', 's', 'MAXLEN', '3', '40-1', 'f', 'v'], ['XRANGE', 's', '-', '+'], ['XADD', 's', 'MINID', '40', '41-1', 'a', 'b'],
      ['XRANGE', 's', '-', '+'], ['XTRIM', 's', 'MAXLEN', '0'], ['XLEN', 's'], ['EXISTS', 's'], INFO('s'),
      ['XADD', 's', '50-1', 'f', 'v'], INFO('s'),
    );
  });

  it('~ trimming removes whole nodes (stream-node-max-entries)', async () => {
    await pair.same(...fill('s', 450));
    await pair.same(
      INFO('s'), ['XTRIM', 's', 'MAXLEN', '~', '420'], ['XLEN', 's'], ['XTRIM', 's', 'MAXLEN', '~', '290'], ['XLEN', 's'],
      INFO('s'), ['XTRIM', 's', 'MINID', '~', '330'], ['XLEN', 's'], ['XTRIM', 's', 'MINID', '~', '400-1'], ['XLEN', 's'],
      ['XADD', 's', 'MAXLEN', '~', '10', '1000-1', 'f', 'v'], ['XLEN', 's'], INFO('s'),
    );
  });

  it('~ trimming with LIMIT and the default limit', async () => {
    await pair.same(['CONFIG', 'SET', 'stream-node-max-entries', '10']);
    await pair.same(...fill('s', 2000));
    await pair.same(
      INFO('s'), ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '35'], ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '5'], ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '0'], ['XLEN', 's'],
      ['XTRIM', 's', 'MINID', '~', '1500', 'LIMIT', '100'], ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '0'], ['XLEN', 's'], INFO('s'),
    );
    await pair.same(['CONFIG', 'SET', 'stream-node-max-entries', '100']);
  });

  it('node boundaries follow stream-node-max-bytes, fields, integers and deletions', async () => {
    await pair.same(['CONFIG', 'SET', 'stream-node-max-bytes', '200']);
    const big = 'x'.repeat(40);
    const steps: string[][] = [];
    for (let i = 1; i <= 60; i++) {
      const fields = i % 7 === 0 ? ['other', String(i * 1000)] : i % 5 === 0 ? ['f', big, 'g', '12'] : ['f', String(i), 'g', 'v'];
      steps.push(['XADD', 's', `${i * 3}-${i % 4}`, ...fields]);
    }
    await pair.same(...steps, INFO('s'), ['XDEL', 's', '3-1', '6-2', '9-3'], ['XTRIM', 's', 'MAXLEN', '~', '50'], ['XLEN', 's'], INFO('s'));
    await pair.same(['CONFIG', 'SET', 'stream-node-max-bytes', '0'], ['CONFIG', 'SET', 'stream-node-max-entries', '0']);
    await pair.same(...fill('u', 300), INFO('u'), ['XTRIM', 'u', 'MAXLEN', '~', '5'], ['XLEN', 'u']);
    await pair.same(['CONFIG', 'SET', 'stream-node-max-entries', '3']);
    await pair.same(...fill('w', 40), INFO('w'), ['XDEL', 'w', '4-1', '5-1', '6-1'], INFO('w'), ['XADD', 'w', '100-1', 'f', 'v'], INFO('w'));
    await pair.same(['CONFIG', 'SET', 'stream-node-max-bytes', '4096'], ['CONFIG', 'SET', 'stream-node-max-entries', '100']);
  });
});

describe('XRANGE / XREVRANGE / XDEL', () => {
  it('ranges, exclusive bounds, COUNT', async () => {
    await pair.same(...fill('s', 10), ['XADD', 's', '10-2', 'g', 'w']);
    await pair.same(
      ['XRANGE', 's', '-', '+'], ['XRANGE', 's', '3', '5'], ['XRANGE', 's', '(3-1', '(5-1'], ['XRANGE', 's', '(3', '5'],
      ['XREVRANGE', 's', '+', '-', 'COUNT', '3'], ['XREVRANGE', 's', '(10-2', '(2-1'], ['XREVRANGE', 's', '5', '3'],
      ['XRANGE', 's', '5', '3'], ['XRANGE', 's', '-', '+', 'COUNT', '0'], ['XRANGE', 's', '-', '+', 'COUNT', '-5'],
      ['XRANGE', 's', '-', '+', 'COUNT', '1', 'COUNT', '2'], ['XRANGE', 's', '-', '+', 'COUNT'], ['XRANGE', 's', '-', '+', 'LIMIT', '1'],
      ['XRANGE', 's', '-', '+', 'COUNT', 'x'], ['XRANGE', 's', '(-', '+'], ['XRANGE', 's', '-', '(+'], ['XRANGE', 's', '(', '+'],
      ['XRANGE', 's', 'x', '+'], ['XRANGE', 's', '-', 'x'], ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'],
      ['XRANGE', 's', '-', '(0-0'], ['XRANGE', 's', '(0', '+', 'COUNT', '2'], ['XRANGE', 'nokey', '-', '+'],
      ['XRANGE', 'nokey', 'x', '+'], ['XRANGE', 'nokey', '-', '+', 'COUNT', '0'], ['XREVRANGE', 's', '-', '+'],
      ['XRANGE', 's', '10', '10'], ['XRANGE', 's', '10-2', '10-2'], ['XRANGE', 's', '(10-1', '10'],
    );
  });

  it('XDEL: counts, first entry, max deleted id, empty streams', async () => {
    await pair.same(...fill('s', 5));
    await pair.sameEffects(
      ['XDEL', 's', '1-1'], INFO('s'), ['XDEL', 's', '1-1', '3-1', '3-1', '9-9'], INFO('s'),
      ['XDEL', 's', 'x'], ['XDEL', 's', '2-1', 'x'], ['XDEL', 's', '-'], ['XDEL', 'nokey', '1-1'], ['XDEL', 'nokey', 'x'],
      ['XDEL', 's', '2-1', '4-1', '5-1'], ['XLEN', 's'], ['EXISTS', 's'], INFO('s'), ['XRANGE', 's', '-', '+'],
      ['XADD', 's', '6-1', 'f', 'v'], INFO('s'), ['XDEL', 's', '6'], INFO('s'),
    );
  });

  it('XSETID', async () => {
    await pair.same(...fill('s', 3));
    await pair.sameEffects(
      ['XSETID', 's', '2-1'], ['XSETID', 's', '3-1'], ['XSETID', 's', '10-1'], INFO('s'), ['XADD', 's', '10-*', 'f', 'v'],
      ['XSETID', 's', '20', 'ENTRIESADDED', '2'], ['XSETID', 's', '20', 'ENTRIESADDED', '100'], ['XSETID', 's', '20', 'ENTRIESADDED', '-1'],
      ['XSETID', 's', '20', 'ENTRIESADDED', 'x'], ['XSETID', 's', '20', 'MAXDELETEDID', '30'], ['XSETID', 's', '20', 'MAXDELETEDID', '15'],
      INFO('s'), ['XSETID', 's', '14'], ['XSETID', 's', '16', 'MAXDELETEDID', '0'], INFO('s'),
      ['XSETID', 's', '16', 'FOO'], ['XSETID', 's', '16', 'ENTRIESADDED'], ['XSETID', 's', 'x'], ['XSETID', 's', '-'],
      ['XSETID', 'nokey', '1'], ['SET', 'str', 'x'], ['XSETID', 'str', '1'],
      ['XDEL', 's', '1-1', '2-1', '3-1', '10-2'], ['XSETID', 's', '0-1'], INFO('s'), ['XSETID', 's', '25'], INFO('s'),
    );
  });
});

describe('consumer groups', () => {
  it('XGROUP CREATE / SETID / DESTROY / CREATECONSUMER / DELCONSUMER and their errors', async () => {
    await pair.sameEffects(
      ['XGROUP', 'CREATE', 's', 'g', '$'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'], ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'], ['XGROUP', 'CREATE', 's', 'g2', '0', 'ENTRIESREAD', '5'],
      ['XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', '-1'], ['XGROUP', 'CREATE', 's', 'g4', '0', 'ENTRIESREAD', '-2'],
      ['XGROUP', 'CREATE', 's', 'g4', '0', 'ENTRIESREAD', 'x'], ['XGROUP', 'CREATE', 's', 'g4', '0', 'FOO'],
      ['XGROUP', 'CREATE', 's', 'g4', '-'], ['XGROUP', 'CREATE', 's', 'g4', 'x'], ['XGROUP', 'CREATE', 's', 'g4', '1-1', 'MKSTREAM', 'ENTRIESREAD', '0'],
      ['XGROUP', 'CREATE', 's', 'g4', '1', 'ENTRIESREAD'], ['XGROUP', 'CREATE', 's'], ['XGROUP', 'CREATE', 's', 'g'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'g', '5'], ['XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '3'], ['XGROUP', 'SETID', 's', 'g', '-'],
      ['XGROUP', 'SETID', 's', 'g', '+'], ['XGROUP', 'SETID', 's', 'g', 'x'], ['XGROUP', 'SETID', 's', 'nog', '5'],
      ['XGROUP', 'SETID', 's', 'g', '5', 'MKSTREAM'], ['XGROUP', 'SETID', 's', 'g', '5', 'ENTRIESREAD'],
      ['XGROUP', 'SETID', 's', 'g', '5', 'ENTRIESREAD', '1', 'x'], ['XGROUP', 'SETID', 'nokey', 'g', '5'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'], ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'c1'],
      ['XGROUP', 'CREATECONSUMER', 'nokey', 'g', 'c1'], ['XGROUP', 'CREATECONSUMER', 's', 'g'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'], ['XGROUP', 'DELCONSUMER', 's', 'nog', 'c1'],
      ['XGROUP', 'DESTROY', 's', 'g'], ['XGROUP', 'DESTROY', 's', 'g'], ['XGROUP', 'DESTROY', 'nokey', 'g'], ['XGROUP', 'DESTROY', 's'],
      ['XGROUP', 'NOSUCH', 's', 'g'], ['XGROUP', 'NOSUCH'], ['XGROUP'], ['XGROUP', 'HELP'], ['XGROUP', 'help', 'x'],
      ['SET', 'str', 'x'], ['XGROUP', 'CREATE', 'str', 'g', '$'], ['XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'DESTROY', 'str', 'g'], ['XINFO', 'GROUPS', 's'],
    );
  });

  it('XREADGROUP, XACK, XPENDING with entries-read and lag', async () => {
    await pair.same(...fill('s', 6), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'late', '$']);
    await pair.sameEffects(
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'], ['XPENDING', 's', 'g'],
      step(['XPENDING', 's', 'g', '-', '+', '10'], pendingIdle), step(['XPENDING', 's', 'g', '-', '+', '10', 'bob'], pendingIdle),
      step(['XPENDING', 's', 'g', '(1-1', '(5-1', '2'], pendingIdle), step(['XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '3'], pendingIdle),
      step(['XPENDING', 's', 'g', 'IDLE', '100000000', '-', '+', '3'], pendingIdle), ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
      ['XPENDING', 's', 'g', '-', '+', '0'], ['XPENDING', 's', 'g', '-', '+', '-1'],
      ['XPENDING', 's', 'g', '-', '+'], ['XPENDING', 's', 'g', '-'], ['XPENDING', 's', 'g', 'IDLE', '5', '-', '+'],
      ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '1'], ['XPENDING', 's', 'g', '-', '+', 'x'], ['XPENDING', 's', 'g', 'x', '+', '1'],
      ['XPENDING', 's', 'g', '-', '+', '1', 'c', 'extra'], ['XPENDING', 's', 'nog'], ['XPENDING', 'nokey', 'g'],
      ['XPENDING', 'nokey', 'g', 'x', '+', '1'], ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '1'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '1-1'],
      ['XACK', 's', 'g', '1-1', '3-1', '3-1', '99-1'], ['XACK', 's', 'g', 'x'], ['XACK', 's', 'nog', '1-1'], ['XACK', 'nokey', 'g', '1-1'],
      ['XACK', 's', 'g', '2-1', 'x'], ['XPENDING', 's', 'g'], ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '4-1'], ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '0'], ['XINFO', 'GROUPS', 's'],
      ['XADD', 's', '7-1', 'f', 'v'], ['XINFO', 'GROUPS', 's'], ['XREADGROUP', 'GROUP', 'late', 'x', 'NOACK', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'], ['XPENDING', 's', 'late'], ['XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'g', '0'], ['XINFO', 'GROUPS', 's'], ['XREADGROUP', 'GROUP', 'g', 'dave', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'], ['XPENDING', 's', 'g'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'dave'], ['XPENDING', 's', 'g'],
      step(['XINFO', 'CONSUMERS', 's', 'g'], noTimes), ['XINFO', 'CONSUMERS', 's', 'nog'], ['XINFO', 'CONSUMERS', 'nokey', 'g'],
    );
  });

  it('lag rules: tombstones, estimates, ENTRIESREAD, XSETID', async () => {
    await pair.same(...fill('s', 10), ['XGROUP', 'CREATE', 's', 'a', '0'], ['XGROUP', 'CREATE', 's', 'b', '5-1', 'ENTRIESREAD', '5']);
    await pair.same(
      ['XGROUP', 'CREATE', 's', 'c', '0', 'ENTRIESREAD', '3'], ['XGROUP', 'CREATE', 's', 'd', '$'], ['XGROUP', 'CREATE', 's', 'e', '3-1'],
      ['XGROUP', 'CREATE', 's', 'f', '99-1'], ['XINFO', 'GROUPS', 's'], ['XDEL', 's', '7-1'], ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'a', 'x', 'COUNT', '3', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'e', 'x', 'COUNT', '3', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'], ['XDEL', 's', '1-1'], ['XINFO', 'GROUPS', 's'], ['XTRIM', 's', 'MINID', '8'], ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'b', 'x', 'STREAMS', 's', '>'], ['XINFO', 'GROUPS', 's'], ['XINFO', 'STREAM', 's'],
      ['XSETID', 's', '50', 'ENTRIESADDED', '30', 'MAXDELETEDID', '40'], ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'a', '$'], ['XGROUP', 'SETID', 's', 'c', '9-1', 'ENTRIESREAD', '9'], ['XINFO', 'GROUPS', 's'],
      ['XTRIM', 's', 'MAXLEN', '0'], ['XINFO', 'GROUPS', 's'], ['XADD', 's', '60-1', 'f', 'v'], ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'], ['XINFO', 'GROUPS', 'e'], ['XGROUP', 'CREATE', 'e', 'h', '5'], ['XINFO', 'GROUPS', 'e'],
    );
  });

  it('counters near the 64-bit limits', async () => {
    await pair.same(...fill('s', 3), ['XGROUP', 'CREATE', 's', 'g', '0', 'ENTRIESREAD', '9223372036854775807'],
      ['XGROUP', 'CREATE', 's', 'h', '0', 'ENTRIESREAD', '9007199254740993']);
    await pair.same(
      ['XINFO', 'GROUPS', 's'], ['XSETID', 's', '10', 'ENTRIESADDED', '9223372036854775806'], ['XINFO', 'GROUPS', 's'], INFO('s'),
      ['XADD', 's', '11-1', 'f', 'v'], ['XADD', 's', '12-1', 'f', 'v'], INFO('s'), ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'h', 'c', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'], ['XSETID', 's', '20', 'ENTRIESADDED', '9007199254740993'], ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '9223372036854775808'], ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '-9223372036854775808'],
    );
  });

  it('XCLAIM: IDLE, TIME, RETRYCOUNT, FORCE, JUSTID, LASTID, deleted entries', async () => {
    await pair.same(...fill('s', 6), ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '4', 'STREAMS', 's', '>']);
    await pair.sameEffects(
      ['XCLAIM', 's', 'g', 'bob', '0', '1-1', 'JUSTID'], ['XCLAIM', 's', 'g', 'bob', '0', '2-1', '3-1'],
      ['XCLAIM', 's', 'g', 'bob', '100000000', '4-1'], ['XCLAIM', 's', 'g', 'carol', '0', '4-1', 'TIME', '1000', 'RETRYCOUNT', '7', 'JUSTID'],
      step(['XPENDING', 's', 'g', '-', '+', '10'], pendingIdle), step(['XINFO', 'STREAM', 's', 'FULL'], noTimes),
      ['XCLAIM', 's', 'g', 'carol', '0', '5-1'], ['XCLAIM', 's', 'g', 'carol', '0', '5-1', 'FORCE'], ['XCLAIM', 's', 'g', 'carol', '0', '6-1', 'FORCE', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'carol', '0', '99-1', 'FORCE'], step(['XPENDING', 's', 'g', '-', '+', '10'], pendingIdle),
      ['XCLAIM', 's', 'g', 'dan', '0', '1-1', 'LASTID', '5-1', 'JUSTID'], ['XINFO', 'GROUPS', 's'],
      ['XCLAIM', 's', 'g', 'dan', '0', '77-1', 'LASTID', '50'], ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '2-1'], ['XCLAIM', 's', 'g', 'dan', '0', '2', '3-1'], ['XPENDING', 's', 'g'],
      ['XCLAIM', 's', 'g', 'dan', '0', '3-1', 'IDLE', '-5', 'TIME', '99999999999999', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'dan', 'x', '1-1'], ['XCLAIM', 's', 'g', 'dan', '-5', '1-1', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'dan', '0', '1-1', 'IDLE', 'x'], ['XCLAIM', 's', 'g', 'dan', '0', '1-1', 'TIME', 'x'],
      ['XCLAIM', 's', 'g', 'dan', '0', '1-1', 'RETRYCOUNT', 'x'], ['XCLAIM', 's', 'g', 'dan', '0', '1-1', 'LASTID', 'x'],
      ['XCLAIM', 's', 'g', 'dan', '0', '1-1', 'FOO'], ['XCLAIM', 's', 'g', 'dan', '0', '1-1', 'IDLE'], ['XCLAIM', 's', 'g', 'dan', '0', 'x'],
      ['XCLAIM', 's', 'nog', 'dan', '0', '1-1'], ['XCLAIM', 'nokey', 'g', 'dan', '0', '1-1'], ['XCLAIM', 's', 'g', 'dan', '0'],
      step(['XINFO', 'CONSUMERS', 's', 'g'], noTimes),
    );
  });

  it('XAUTOCLAIM: cursor, COUNT, JUSTID, deleted entries', async () => {
    await pair.same(...fill('s', 30), ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>']);
    await pair.sameEffects(
      ['XAUTOCLAIM', 's', 'g', 'bob', '0', '0', 'COUNT', '3'], ['XAUTOCLAIM', 's', 'g', 'bob', '0', '(3-1', 'COUNT', '2', 'JUSTID'],
      ['XDEL', 's', '6-1', '7-1', '9-1'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', '6', 'COUNT', '2'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0-0', 'COUNT', '4'], ['XAUTOCLAIM', 's', 'g', 'carol', '100000000', '-'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '28', 'COUNT', '5'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', '99'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '(18446744073709551615-18446744073709551615'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'COUNT', '0'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'COUNT', 'x'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'COUNT', '576460752303423488'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'COUNT'],
      ['XAUTOCLAIM', 's', 'g', 'carol', 'x', '0'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', 'x'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'FOO'],
      ['XAUTOCLAIM', 's', 'nog', 'carol', '0', '0'], ['XAUTOCLAIM', 'nokey', 'g', 'carol', '0', '0'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '-1', '0', 'COUNT', '1', 'JUSTID'],
      ['XPENDING', 's', 'g'], step(['XINFO', 'CONSUMERS', 's', 'g'], noTimes),
    );
    // The scan stops after COUNT * 10 attempts: the cursor is where it stopped.
    await pair.same(...fill('many', 60), ['XGROUP', 'CREATE', 'many', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 'many', '>'],
      ['XCLAIM', 'many', 'g', 'a', '0', '45-1', '50-1', 'TIME', '1000', 'JUSTID'],
      ['XAUTOCLAIM', 'many', 'g', 'b', '3600000', '0', 'COUNT', '2'], ['XAUTOCLAIM', 'many', 'g', 'b', '3600000', '21-1', 'COUNT', '2'],
      ['XAUTOCLAIM', 'many', 'g', 'b', '3600000', '41-1', 'COUNT', '2', 'JUSTID'], ['XAUTOCLAIM', 'many', 'g', 'b', '3600000', '41-1', 'COUNT', '1'],
      ['XAUTOCLAIM', 'many', 'g', 'b', '3600000', '46-1', 'COUNT', '1']);
    // Many deleted entries with a small COUNT.
    await pair.same(['XDEL', 's', ...Array.from({ length: 15 }, (_, i) => `${i + 10}-1`)],
      ['XAUTOCLAIM', 's', 'g', 'dan', '0', '0', 'COUNT', '3'], ['XAUTOCLAIM', 's', 'g', 'dan', '0', '0', 'COUNT', '1'],
      ['XPENDING', 's', 'g']);
  });

  it('XREADGROUP argument errors', async () => {
    await pair.same(['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['SET', 'str', 'x']);
    await pair.same(
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', '>'], ['XREADGROUP', 'GROUP', 'nog', 'c', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'], ['XREADGROUP', 'COUNT', '1', 'STREAMS', 's', '>', 'x', 'y'],
      ['XREADGROUP', 'COUNT', '1', 'NOACK', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 'x', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 'x', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '-1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'FOO', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'x'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 's', '>', '>'], ['XREADGROUP', 'GROUP', 'g', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '-3', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '(0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', 'x'],       ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'nokey', '>', '>'],
    );
  });
});

describe('XREAD', () => {
  it('one or several streams, $, COUNT, errors, RESP3', async () => {
    await pair.same(...fill('a', 5), ...fill('b', 3, 10), ['SET', 'str', 'x']);
    const steps: string[][] = [
      ['XREAD', 'STREAMS', 'a', '0'], ['XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '2', '0'], ['XREAD', 'STREAMS', 'a', 'b', '$', '$'],
      ['XREAD', 'STREAMS', 'a', 'nokey', 'b', '3-1', '0', '11'], ['XREAD', 'STREAMS', 'nokey', '0'], ['XREAD', 'STREAMS', 'a', '(1'],
      ['XREAD', 'STREAMS', 'a'], ['XREAD', 'STREAMS', 'a', 'b', '0'], ['XREAD', 'STREAMS', 'a', '>'], ['XREAD', 'STREAMS', 'a', 'x'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'], ['XREAD', 'NOACK', 'STREAMS', 'a', '0'], ['XREAD', 'COUNT', 'x', 'STREAMS', 'a', '0'],
      ['XREAD', 'COUNT', '-1', 'STREAMS', 'a', '3'], ['XREAD', 'COUNT', '0', 'STREAMS', 'a', '3'], ['XREAD', 'STREAMS', 'str', '0'],
      ['XREAD', 'STREAMS', 'a', 'str', '0', '0'], ['XREAD', 'FOO', 'STREAMS', 'a', '0'], ['XREAD', 'COUNT', '1'], ['XREAD', 'STREAMS'],
      ['XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'], ['XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'], ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '1.5', 'STREAMS', 'a', '0'], ['XREAD', 'STREAMS', 'a', 'a', '0', '3'], ['XREAD', 'STREAMS', 'a', '18446744073709551615-18446744073709551615'],
      ['XREAD', 'streams', 'STREAMS', '0', '0'],
    ];
    await pair.same(...steps);
    const conns = await pair.connect();
    await hello(conns, '3');
    await pair.sameOn(conns, ...steps, ['XGROUP', 'CREATE', 'a', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '2', 'STREAMS', 'a', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'],
    ['XINFO', 'GROUPS', 'a'], step(['XINFO', 'CONSUMERS', 'a', 'g'], noTimes), step(['XINFO', 'STREAM', 'a', 'FULL'], noTimes),
    ['XINFO', 'STREAM', 'a'], ['XPENDING', 'a', 'g'], ['XPENDING', 'a', 'nog'], ['XAUTOCLAIM', 'a', 'g', 'd', '0', '0', 'JUSTID']);
  });

  it('counts keyspace hits and misses like Redis', async () => {
    await pair.same(...fill('a', 2));
    await pair.sameEffects(['XREAD', 'STREAMS', 'a', 'nokey', '0', '0'], ['XREAD', 'STREAMS', 'a', '$'], ['XLEN', 'a'], ['XLEN', 'nokey'],
      ['XRANGE', 'nokey', '-', '+'], ['XINFO', 'STREAM', 'a']);
  });
});

describe('XINFO', () => {
  it('STREAM, FULL with COUNT, GROUPS, CONSUMERS, HELP and errors', async () => {
    await pair.same(...fill('s', 25), ['XGROUP', 'CREATE', 's', 'g2', '0'], ['XGROUP', 'CREATE', 's', 'g1', '$'],
      ['XREADGROUP', 'GROUP', 'g2', 'zed', 'COUNT', '15', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g2', 'amy', 'COUNT', '3', 'STREAMS', 's', '>'], ['XGROUP', 'CREATECONSUMER', 's', 'g2', 'bea']);
    await pair.same(
      INFO('s'), step(['XINFO', 'STREAM', 's', 'FULL'], noTimes), step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '2'], noTimes),
      step(['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'], noTimes), step(['XINFO', 'STREAM', 's', 'full', 'count', '-1'], noTimes),
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT'], ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'], ['XINFO', 'STREAM', 's', 'FOO'],
      ['XINFO', 'STREAM', 's', 'FULL', 'FOO', '1'], ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1', 'x'],
      ['XINFO', 'GROUPS', 's'], step(['XINFO', 'CONSUMERS', 's', 'g2'], noTimes), ['XINFO', 'CONSUMERS', 's', 'g1'],
      ['XINFO', 'STREAM', 'nokey'], ['XINFO', 'GROUPS', 'nokey'], ['XINFO', 'STREAM'], ['XINFO', 'GROUPS', 's', 'x'], ['XINFO', 'CONSUMERS', 's'],
      ['XINFO', 'HELP'], ['XINFO', 'HELP', 'x'], ['XINFO', 'NOSUCH', 's'], ['XINFO'], ['SET', 'str', 'x'], ['XINFO', 'STREAM', 'str'],
      ['XINFO', 'GROUPS', 'str'], ['XINFO', 'CONSUMERS', 'str', 'g'], ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'], INFO('e'),
      step(['XINFO', 'STREAM', 'e', 'FULL'], noTimes), ['XINFO', 'GROUPS', 'e'],
    );
  });

  it('radix tree counters across many nodes and deletions', async () => {
    await pair.same(['CONFIG', 'SET', 'stream-node-max-entries', '2']);
    const steps: string[][] = [];
    for (let i = 0; i < 200; i++) steps.push(['XADD', 's', `${i * 37 + 1}-${i % 3}`, 'f', 'v']);
    await pair.same(...steps, INFO('s'));
    await pair.same(['XDEL', 's', '1-0', '38-1', '75-2', '112-0', '186-2'], INFO('s'), ['XTRIM', 's', 'MAXLEN', '~', '150'], INFO('s'));
    await pair.same(['XADD', 'big', '4294967296-0', 'f', 'v'], ['XADD', 'big', '4294967297-5', 'f', 'v'], ['XADD', 'big', '1099511627776-0', 'f', 'v'],
      ['XADD', 'big', '18446744073709551615-0', 'f', 'v'], INFO('big'));
    await pair.same(['CONFIG', 'SET', 'stream-node-max-entries', '100']);
  });
});

describe('generic commands on streams', () => {
  it('TYPE, OBJECT ENCODING, COPY, RENAME, DEL, EXISTS', async () => {
    await pair.same(...fill('s', 3), ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>']);
    await pair.same(
      ['TYPE', 's'], ['OBJECT', 'ENCODING', 's'], ['COPY', 's', 't'], ['XADD', 't', '9-1', 'x', 'y'], ['XLEN', 's'], ['XLEN', 't'],
      ['XINFO', 'GROUPS', 't'], ['XPENDING', 't', 'g'], ['RENAME', 't', 'u'], ['XRANGE', 'u', '-', '+'], ['DEL', 'u'], ['EXISTS', 'u', 's'],
      ['SCAN', '0', 'TYPE', 'stream'],
    );
  });
});

describe('MEMORY USAGE', () => {
  it('listpacks (preallocated tail, shrunk when closed), radix trees, groups, PELs, consumers', async () => {
    const mem = (k: string) => ['MEMORY', 'USAGE', k];
    await pair.same(['XADD', 's', '1-1', 'a', 'b'], mem('s'), ...fill('s', 149, 2), mem('s'), ...fill('s', 850, 151), mem('s'));
    await pair.same(['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '300', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '5', 'STREAMS', 's', '>'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'carol'], mem('s'),
      ['XACK', 's', 'g', '7-1', '100-1'], ['XTRIM', 's', 'MAXLEN', '10'], mem('s'), ['XDEL', 's', '995-1'], mem('s'));
    await pair.same(['CONFIG', 'SET', 'stream-node-max-bytes', '300'], ...fill('t', 50, 1, ['field', 'value']), mem('t'),
      // SAMPLES: how many nodes the estimate looks at (0 = all), as objectComputeSize does.
      [...mem('t'), 'SAMPLES', '0'], [...mem('t'), 'SAMPLES', '1'], [...mem('t'), 'SAMPLES', '3'], [...mem('t'), 'SAMPLES', '1000'],
      ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'], mem('e'), ['CONFIG', 'SET', 'stream-node-max-bytes', '4096']);
  });
});

describe('keyspace events and dirty', () => {
  it('XADD with trimming, XTRIM, groups', async () => {
    await pair.sameEffects(
      ...fill('s', 5), ['XADD', 's', 'MAXLEN', '3', '10-1', 'f', 'v'], ['XADD', 's', 'MAXLEN', '10', '11-1', 'f', 'v'],
      ['XTRIM', 's', 'MAXLEN', '1'], ['XTRIM', 's', 'MAXLEN', '1'], ['XADD', 's', 'NOMKSTREAM', '12-1', 'f', 'v'],
      ['XADD', 'n', 'NOMKSTREAM', '1-1', 'f', 'v'], ['XADD', 's', '1-1', 'f', 'v'],
      ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 'm', 'g', '0', 'MKSTREAM'], ['XGROUP', 'SETID', 's', 'g', '0'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'], ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c3', 'NOACK', 'STREAMS', 's', '0'],
      ['XACK', 's', 'g', '11-1'], ['XCLAIM', 's', 'g', 'c4', '0', '12-1', 'JUSTID'], ['XAUTOCLAIM', 's', 'g', 'c5', '0', '0', 'JUSTID'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c5'], ['XGROUP', 'DESTROY', 's', 'g'], ['XSETID', 's', '100'], ['XDEL', 's', '12-1'],
      ['XLEN', 's'],
    );
  });
});

describe('transactions and scripts', () => {
  it('XREAD BLOCK inside MULTI and scripts does not block', async () => {
    await pair.same(['XADD', 'a', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'a', 'g', '$']);
    await pair.same(
      ['MULTI'], ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '$'], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'a', '>'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '0'], ['EXEC'],
      ['EVAL', "return redis.pcall('XREAD', 'BLOCK', '0', 'STREAMS', 'a', '$')", '0'],
      ['EVAL', "return redis.pcall('xread', 'STREAMS', 'a', '0')", '0'],
      ['EVAL', "return redis.pcall('XADD', 'a', '5-1', 'f', 'v')", '0'],
    );
  });
});

describe('COMMAND metadata', () => {
  it('COMMAND INFO and GETKEYS', async () => {
    await pair.same(
      step(['COMMAND', 'INFO', 'xadd', 'xtrim', 'xdel', 'xlen', 'xrange', 'xrevrange', 'xread', 'xreadgroup', 'xack', 'xpending',
        'xclaim', 'xautoclaim', 'xsetid', 'xgroup', 'xinfo', 'xgroup|create', 'xgroup|setid', 'xgroup|destroy',
        'xgroup|createconsumer', 'xgroup|delconsumer', 'xgroup|help', 'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xinfo|help'], infoShape),
      ['COMMAND', 'GETKEYS', 'XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0', '0'],
      ['COMMAND', 'GETKEYS', 'XREADGROUP', 'GROUP', 'streams', 'c', 'BLOCK', '0', 'NOACK', 'STREAMS', 'streams', '>'],
      ['COMMAND', 'GETKEYS', 'XREAD', 'STREAMS', 'a', 'b', '0'], ['COMMAND', 'GETKEYS', 'XREAD', 'COUNT', '1'],
      ['COMMAND', 'GETKEYS', 'XADD', 's', '*', 'f', 'v'], ['COMMAND', 'GETKEYS', 'XGROUP', 'CREATE', 's', 'g', '$'],
      ['COMMAND', 'GETKEYS', 'XINFO', 'STREAM', 's'],
    );
  });
});

describe('blocking reads', () => {
  it('XREAD BLOCK woken by XADD from another client, RESP2 and RESP3', async () => {
    const a = await pair.connect();
    for (const resp of ['2', '3']) {
      await hello(a, resp);
      start(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's1', 's2', '$', '$');
      await pair.waitBlocked(1);
      await pair.same(['XADD', 's2', '1-1', 'f', 'v'], ['XADD', 's2', '2-1', 'g', 'w']);
      await sameRead(a);
      await pair.waitBlocked(0);
      start(a, 'XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's2', '1-1');
      await sameRead(a);
      await pair.same(['DEL', 's1', 's2']);
    }
    await hello(a, '2');
  });

  it('XREAD BLOCK: times out with a null reply; waits past its ID; several clients', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    start(a, 'XREAD', 'BLOCK', '20', 'STREAMS', 'q', '$');
    await sameRead(a);
    await pair.same(['XADD', 'q', '5-1', 'f', 'v']);
    start(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 'q', '9-1');
    await pair.waitBlocked(1);
    start(b, 'XREAD', 'COUNT', '5', 'BLOCK', '0', 'STREAMS', 'q', '0');
    await sameRead(b);
    start(b, 'XREAD', 'BLOCK', '0', 'STREAMS', 'q', '$');
    await pair.waitBlocked(2);
    await pair.same(['XADD', 'q', '6-1', 'f', 'v']);
    await sameRead(b);
    await pair.waitBlocked(1);
    await pair.same(['XADD', 'q', '9-1', 'f', 'v'], ['DEL', 'q'], ['SET', 'q', 'x']);
    await pair.waitBlocked(1);
    await pair.same(['DEL', 'q'], ['XADD', 'q', '9-2', 'a', 'b']);
    await sameRead(a);
    await pair.waitBlocked(0);
  });

  it('XREADGROUP BLOCK: served in order, NOACK, errors when the key or group goes', async () => {
    const a = await pair.connect();
    const b = await pair.connect();
    await pair.same(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
    start(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await pair.waitBlocked(1);
    start(b, 'XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'BLOCK', '0', 'NOACK', 'STREAMS', 's', '>');
    await pair.waitBlocked(2);
    await pair.same(['XADD', 's', '1-1', 'f', 'v']);
    await sameRead(a);
    await pair.waitBlocked(1);
    await pair.same(['XADD', 's', '2-1', 'f', 'v'], ['XADD', 's', '3-1', 'f', 'v']);
    await sameRead(b);
    await pair.waitBlocked(0);
    await pair.same(['XPENDING', 's', 'g'], ['XINFO', 'GROUPS', 's']);

    start(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await sameRead(a);
    start(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await pair.waitBlocked(1);
    await pair.same(['XGROUP', 'DESTROY', 's', 'g']);
    await sameRead(a);
    await pair.same(['XGROUP', 'CREATE', 's', 'g', '$']);
    for (const kill of [['DEL', 's'], ['SET', 's', 'x'], ['RENAME', 's', 't'], ['FLUSHDB'], ['FLUSHALL'], ['SWAPDB', '0', '9'], ['EXPIRE', 's', '0'], ['PEXPIRE', 's', '1']]) {
      await pair.same(['DEL', 's', 't'], ['SELECT', '9'], ['FLUSHDB'], ['SELECT', '0'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
      start(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
      await pair.waitBlocked(1);
      await pair.same(kill);
      await sameRead(a);
      await pair.waitBlocked(0);
    }
    // XREAD (no group) stays blocked when the key is deleted.
    start(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await pair.waitBlocked(1);
    await pair.same(['DEL', 's', 't'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'], ['XGROUP', 'SETID', 's', 'g', '0'], ['XADD', 's', '7-1', 'x', 'y']);
    await sameRead(a);
    // XSETID moves the last ID without waking anyone; the next XADD serves what is past the client's ID.
    start(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await pair.waitBlocked(1);
    await pair.same(['XSETID', 's', '100-0'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'zed'], ['XDEL', 's', '7-1']);
    await pair.waitBlocked(1);
    await pair.same(['XADD', 's', '101-0', 'k', 'v']);
    await sameRead(a);
    // A group moved by another reader: the blocked one waits for newer entries.
    start(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await sameRead(a);
    start(a, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '50', 'STREAMS', 's', '>');
    await sameRead(a);
    await pair.same(step(['XINFO', 'CONSUMERS', 's', 'g'], noTimes));
  });

  it('CLIENT UNBLOCK (timeout or ERROR) and timeouts in RESP3', async () => {
    const a = await pair.connect();
    const [ia, ib] = await Promise.all([a.real.send('CLIENT', 'ID'), a.ours.send('CLIENT', 'ID')]);
    const ids = { real: text(ia).slice(1, -2), ours: text(ib).slice(1, -2) };
    for (const how of [[], ['ERROR']]) {
      start(a, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await sameRead(a); // NOGROUP: no such key yet
      await pair.same(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
      start(a, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await pair.waitBlocked(1);
      const [x, y] = await Promise.all([pair.real.send('CLIENT', 'UNBLOCK', ids.real, ...how), pair.ours.send('CLIENT', 'UNBLOCK', ids.ours, ...how)]);
      expect(text(y)).toBe(text(x));
      await sameRead(a);
      start(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await pair.waitBlocked(1);
      await Promise.all([pair.real.send('CLIENT', 'UNBLOCK', ids.real, ...how), pair.ours.send('CLIENT', 'UNBLOCK', ids.ours, ...how)]);
      await sameRead(a);
      await pair.same(['DEL', 's']);
    }
    await hello(a, '3');
    start(a, 'XREAD', 'BLOCK', '10', 'STREAMS', 's', '$');
    await sameRead(a);
    await pair.same(['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']);
    start(a, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '10', 'STREAMS', 's', '>');
    await sameRead(a);
    start(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '0');
    await pair.waitBlocked(1);
    await pair.same(['XADD', 's', '1-1', 'f', 'v']);
    await sameRead(a);
    await hello(a, '2');
  });
});
