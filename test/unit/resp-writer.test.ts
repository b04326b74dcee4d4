import { describe, expect, it } from 'vitest';
import { ReplyWriter } from '../../src/engine/resp/writer';
import { ByteBuf } from '../../src/engine/util/bytes';

const text = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
};

/** What fn writes, in RESP2 and in RESP3. */
function out(fn: (w: ReplyWriter) => void): { 2: string; 3: string } {
  const res = { 2: '', 3: '' };
  for (const v of [2, 3] as const) {
    const w = new ReplyWriter();
    w.resp = v;
    fn(w);
    res[v] = text(w.take());
  }
  return res;
}

describe('ReplyWriter: simple types', () => {
  it.each([
    ['ok', (w: ReplyWriter) => w.ok(), '+OK\r\n', '+OK\r\n'],
    ['status', (w: ReplyWriter) => w.status('PONG'), '+PONG\r\n', '+PONG\r\n'],
    ['empty status', (w: ReplyWriter) => w.status(''), '+\r\n', '+\r\n'],
    ['error', (w: ReplyWriter) => w.error('WRONGTYPE x'), '-WRONGTYPE x\r\n', '-WRONGTYPE x\r\n'],
    ['err', (w: ReplyWriter) => w.err('syntax error'), '-ERR syntax error\r\n', '-ERR syntax error\r\n'],
    ['syntaxErr', (w: ReplyWriter) => w.syntaxErr(), '-ERR syntax error\r\n', '-ERR syntax error\r\n'],
    ['wrongType', (w: ReplyWriter) => w.wrongType(), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n', '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n'],
    ['int 0', (w: ReplyWriter) => w.int(0), ':0\r\n', ':0\r\n'],
    ['int -0', (w: ReplyWriter) => w.int(-0), ':0\r\n', ':0\r\n'],
    ['int 7', (w: ReplyWriter) => w.int(7), ':7\r\n', ':7\r\n'],
    ['int 10', (w: ReplyWriter) => w.int(10), ':10\r\n', ':10\r\n'],
    ['int -1', (w: ReplyWriter) => w.int(-1), ':-1\r\n', ':-1\r\n'],
    ['int 1234567890', (w: ReplyWriter) => w.int(1234567890), ':1234567890\r\n', ':1234567890\r\n'],
    ['int 2^53-1', (w: ReplyWriter) => w.int(9007199254740991), ':9007199254740991\r\n', ':9007199254740991\r\n'],
    ['int -(2^53-1)', (w: ReplyWriter) => w.int(-9007199254740991), ':-9007199254740991\r\n', ':-9007199254740991\r\n'],
    ['int LLONG_MAX', (w: ReplyWriter) => w.int(9223372036854775807n), ':9223372036854775807\r\n', ':9223372036854775807\r\n'],
    ['int LLONG_MIN', (w: ReplyWriter) => w.int(-9223372036854775808n), ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
    ['bulk', (w: ReplyWriter) => w.bulk('hello'), '$5\r\nhello\r\n', '$5\r\nhello\r\n'],
    ['empty bulk', (w: ReplyWriter) => w.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
    ['binary bulk', (w: ReplyWriter) => w.bulk('\x00\r\n\xff'), '$4\r\n\x00\r\n\xff\r\n', '$4\r\n\x00\r\n\xff\r\n'],
    ['bulkBuf', (w: ReplyWriter) => w.bulkBuf(new ByteBuf('ab\x80')), '$3\r\nab\x80\r\n', '$3\r\nab\x80\r\n'],
    ['bulkInt', (w: ReplyWriter) => w.bulkInt(-42), '$3\r\n-42\r\n', '$3\r\n-42\r\n'],
    ['bulkInt bigint', (w: ReplyWriter) => w.bulkInt(-9223372036854775808n), '$20\r\n-9223372036854775808\r\n', '$20\r\n-9223372036854775808\r\n'],
    ['nil', (w: ReplyWriter) => w.nil(), '$-1\r\n', '_\r\n'],
    ['nullArray', (w: ReplyWriter) => w.nullArray(), '*-1\r\n', '_\r\n'],
    ['double', (w: ReplyWriter) => w.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
    ['double 0.1', (w: ReplyWriter) => w.double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
    ['double inf', (w: ReplyWriter) => w.double(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
    ['double -inf', (w: ReplyWriter) => w.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['double -0', (w: ReplyWriter) => w.double(-0), '$2\r\n-0\r\n', ',-0\r\n'],
    ['double 1e300', (w: ReplyWriter) => w.double(1e300), '$23\r\n1.0000000000000001e+300\r\n', ',1.0000000000000001e+300\r\n'],
    ['bool true', (w: ReplyWriter) => w.bool(true), ':1\r\n', '#t\r\n'],
    ['bool false', (w: ReplyWriter) => w.bool(false), ':0\r\n', '#f\r\n'],
    ['verbatim', (w: ReplyWriter) => w.verbatim('some text'), '$9\r\nsome text\r\n', '=13\r\ntxt:some text\r\n'],
    ['verbatim mkd', (w: ReplyWriter) => w.verbatim('# x', 'mkd'), '$3\r\n# x\r\n', '=7\r\nmkd:# x\r\n'],
    ['bigNumber', (w: ReplyWriter) => w.bigNumber('123456789012345678901234567890'), '$30\r\n123456789012345678901234567890\r\n', '(123456789012345678901234567890\r\n'],
  ])('%s', (_name, fn, resp2, resp3) => {
    expect(out(fn)).toEqual({ 2: resp2, 3: resp3 });
  });

  it('integers of every digit count, around each power of ten and of two', () => {
    const values: number[] = [];
    for (let p = 1; p <= 1e16; p *= 10) values.push(p - 1, p, p + 1);
    for (let e = 0; e <= 53; e++) values.push(2 ** e - 1, 2 ** e);
    for (const v of values) {
      for (const n of [v, -v]) {
        if (!Number.isSafeInteger(n)) continue;
        const w = new ReplyWriter();
        w.int(n);
        w.arrayLen(n);
        expect(text(w.take())).toBe(`:${n}\r\n*${n}\r\n`);
      }
    }
  });

  it('bulk strings of every length up to 300 and beyond, ASCII and not', () => {
    for (const n of [...Array(301).keys(), 1000, 4096, 100_000]) {
      for (const ch of ['a', '\x80', '\xe9', '\x00']) {
        const s = 'x'.repeat(Math.max(0, n - 1)) + (n > 0 ? ch : '');
        const w = new ReplyWriter();
        w.bulk(s);
        expect(text(w.take()) === `$${n}\r\n${s}\r\n`, `length ${n}, last ${ch.charCodeAt(0)}`).toBe(true);
      }
    }
  });

  it('long status and error texts, raw and rawBytes', () => {
    const long = 'e'.repeat(200) + '\xff';
    const w = new ReplyWriter();
    w.status(long);
    w.error('ERR ' + long);
    w.raw('$1\r\n');
    w.rawBytes(new Uint8Array([0, 120, 13, 10, 0]), 1, 4);
    expect(text(w.take())).toBe(`+${long}\r\n-ERR ${long}\r\n$1\r\nx\r\n`);
  });

  it('counts errors and reports each text', () => {
    const w = new ReplyWriter();
    const seen: string[] = [];
    w.onError = (m) => seen.push(m);
    w.err('a');
    w.wrongType();
    w.ok();
    w.syntaxErr();
    expect(w.errors).toBe(3);
    expect(seen).toEqual(['ERR a', 'WRONGTYPE Operation against a key holding the wrong kind of value', 'ERR syntax error']);
  });

  it('grows past its initial buffer and take() resets it', () => {
    const w = new ReplyWriter();
    for (let i = 0; i < 5000; i++) w.bulk('v' + i);
    const first = text(w.take());
    expect(first.startsWith('$2\r\nv0\r\n$2\r\nv1\r\n')).toBe(true);
    expect(first.endsWith('$5\r\nv4999\r\n')).toBe(true);
    expect(w.len).toBe(0);
    w.ok();
    expect(text(w.take())).toBe('+OK\r\n');
  });
});

describe('ReplyWriter: aggregates', () => {
  it.each([
    ['arrayLen', (w: ReplyWriter) => w.arrayLen(3), '*3\r\n', '*3\r\n'],
    ['arrayLen 0', (w: ReplyWriter) => w.arrayLen(0), '*0\r\n', '*0\r\n'],
    ['arrayLen big', (w: ReplyWriter) => w.arrayLen(123456789), '*123456789\r\n', '*123456789\r\n'],
    ['mapLen', (w: ReplyWriter) => w.mapLen(2), '*4\r\n', '%2\r\n'],
    ['setLen', (w: ReplyWriter) => w.setLen(2), '*2\r\n', '~2\r\n'],
    ['pushLen', (w: ReplyWriter) => w.pushLen(3), '*3\r\n', '>3\r\n'],
    ['emptyArray', (w: ReplyWriter) => w.emptyArray(), '*0\r\n', '*0\r\n'],
    ['bulks', (w: ReplyWriter) => w.bulks(['a', '', 'bc']), '*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n', '*3\r\n$1\r\na\r\n$0\r\n\r\n$2\r\nbc\r\n'],
  ])('%s', (_name, fn, resp2, resp3) => {
    expect(out(fn)).toEqual({ 2: resp2, 3: resp3 });
  });

  it('attributeLen (RESP3)', () => {
    const w = new ReplyWriter();
    w.resp = 3;
    w.attributeLen(1);
    w.bulk('k');
    w.int(1);
    w.ok();
    expect(text(w.take())).toBe('|1\r\n$1\r\nk\r\n:1\r\n+OK\r\n');
  });

  it('a map of mixed values', () => {
    expect(out((w) => {
      w.mapLen(2);
      w.bulk('a');
      w.double(2.5);
      w.bulk('b');
      w.nil();
    })).toEqual({
      2: '*4\r\n$1\r\na\r\n$3\r\n2.5\r\n$1\r\nb\r\n$-1\r\n',
      3: '%2\r\n$1\r\na\r\n,2.5\r\n$1\r\nb\r\n_\r\n',
    });
  });
});

describe('ReplyWriter: deferred lengths', () => {
  it('a deferred array, set after its elements', () => {
    expect(out((w) => {
      w.ok();
      const d = w.deferLen();
      for (let i = 0; i < 3; i++) w.int(i);
      w.setDeferredArrayLen(d, 3);
      w.ok();
    })).toEqual({ 2: '+OK\r\n*3\r\n:0\r\n:1\r\n:2\r\n+OK\r\n', 3: '+OK\r\n*3\r\n:0\r\n:1\r\n:2\r\n+OK\r\n' });
  });

  it('empty, and with many elements', () => {
    expect(out((w) => { const d = w.deferLen(); w.setDeferredArrayLen(d, 0); })[2]).toBe('*0\r\n');
    const w = new ReplyWriter();
    const d = w.deferLen();
    for (let i = 0; i < 20_000; i++) w.bulk(String(i));
    w.setDeferredArrayLen(d, 20_000);
    const s = text(w.take());
    expect(s.startsWith('*20000\r\n$1\r\n0\r\n$1\r\n1\r\n')).toBe(true);
    expect(s.endsWith('$5\r\n19999\r\n')).toBe(true);
  });

  it('map and set lengths in both protocols', () => {
    expect(out((w) => {
      const m = w.deferLen();
      w.bulk('k');
      w.int(1);
      w.setDeferredMapLen(m, 1);
      const s = w.deferLen();
      w.bulk('x');
      w.setDeferredSetLen(s, 1);
    })).toEqual({ 2: '*2\r\n$1\r\nk\r\n:1\r\n*1\r\n$1\r\nx\r\n', 3: '%1\r\n$1\r\nk\r\n:1\r\n~1\r\n$1\r\nx\r\n' });
  });

  it('nested, inner set first (the usual order)', () => {
    expect(out((w) => {
      const outer = w.deferLen();
      for (let i = 0; i < 2; i++) {
        const inner = w.deferLen();
        w.bulk('a' + i);
        w.bulk('b' + i);
        w.setDeferredArrayLen(inner, 2);
      }
      const m = w.deferLen();
      w.bulk('f');
      w.double(1);
      w.setDeferredMapLen(m, 1);
      w.setDeferredArrayLen(outer, 3);
    })).toEqual({
      2: '*3\r\n*2\r\n$2\r\na0\r\n$2\r\nb0\r\n*2\r\n$2\r\na1\r\n$2\r\nb1\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n',
      3: '*3\r\n*2\r\n$2\r\na0\r\n$2\r\nb0\r\n*2\r\n$2\r\na1\r\n$2\r\nb1\r\n%1\r\n$1\r\nf\r\n,1\r\n',
    });
  });

  it('nested, outer set first, and siblings set in reverse order', () => {
    const w = new ReplyWriter();
    const outer = w.deferLen();
    const a = w.deferLen();
    w.int(1);
    const b = w.deferLen();
    w.int(2);
    w.int(3);
    w.setDeferredArrayLen(outer, 2);
    w.setDeferredArrayLen(b, 2);
    w.setDeferredArrayLen(a, 1);
    expect(text(w.take())).toBe('*2\r\n*1\r\n:1\r\n*2\r\n:2\r\n:3\r\n');
  });

  it('deep nesting', () => {
    const w = new ReplyWriter();
    const ds = [];
    for (let i = 0; i < 50; i++) ds.push(w.deferLen());
    w.ok();
    for (let i = ds.length - 1; i >= 0; i--) w.setDeferredArrayLen(ds[i], 1);
    expect(text(w.take())).toBe('*1\r\n'.repeat(50) + '+OK\r\n');
  });
});
