import { describe, expect, it } from 'vitest';
import { PROTO_INLINE_MAX_SIZE, ProtocolError, RequestParser, type ParserLimits } from '../../src/engine/resp/parser';

const bytes = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
};

const mbulk = (...argv: string[]): string => `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

interface Outcome { cmds: string[][]; error: string | null; waiting: boolean }

/** Feed the chunks one by one, pulling every complete command after each; stop at the first error. */
function run(chunks: readonly (string | Uint8Array)[], limits: Partial<ParserLimits> = {}): Outcome {
  const p = new RequestParser();
  Object.assign(p.limits, limits);
  const cmds: string[][] = [];
  for (const ch of chunks) {
    p.feed(typeof ch === 'string' ? bytes(ch) : ch);
    for (;;) {
      let cmd: string[] | null;
      try {
        cmd = p.next();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        return { cmds, error: e.message, waiting: false };
      }
      if (cmd === null) break;
      cmds.push(cmd);
    }
  }
  return { cmds, error: null, waiting: p.pending > 0 };
}

/** Every way of cutting s in two, plus byte by byte: all must parse like the whole. */
function splits(s: string): string[][] {
  const out: string[][] = [[s]];
  for (let i = 1; i < s.length; i++) out.push([s.slice(0, i), s.slice(i)]);
  out.push(s.split(''));
  return out;
}

describe('RequestParser: multibulk', () => {
  const stream =
    mbulk('SET', 'key', 'value') + mbulk('GET', 'key') + mbulk('ECHO', '') + mbulk('SET', 'bin\x00\r\n\xff', '\r\n') +
    '*0\r\n' + mbulk('PING') + mbulk('MSET', 'a', '1', 'b', 'x'.repeat(40));
  const expected = [
    ['SET', 'key', 'value'], ['GET', 'key'], ['ECHO', ''], ['SET', 'bin\x00\r\n\xff', '\r\n'], ['PING'],
    ['MSET', 'a', '1', 'b', 'x'.repeat(40)],
  ];

  it('parses a pipelined stream', () => {
    expect(run([stream])).toEqual({ cmds: expected, error: null, waiting: false });
  });

  it('gives the same commands however the bytes are split (every boundary, and byte by byte)', () => {
    for (const chunks of splits(stream)) {
      expect(run(chunks), JSON.stringify(chunks.map((c) => c.length))).toEqual({ cmds: expected, error: null, waiting: false });
    }
  });

  it('every pair of cut points of a shorter stream', () => {
    const s = mbulk('SET', 'k', 'v') + mbulk('GET', 'k');
    for (let i = 1; i < s.length; i++) {
      for (let j = i + 1; j < s.length; j++) {
        expect(run([s.slice(0, i), s.slice(i, j), s.slice(j)]).cmds).toEqual([['SET', 'k', 'v'], ['GET', 'k']]);
      }
    }
  });

  it('waits for an incomplete command and reports it as pending', () => {
    const s = mbulk('SET', 'key', 'value');
    for (let i = 1; i < s.length; i++) {
      const r = run([s.slice(0, i)]);
      expect(r.cmds).toEqual([]);
      expect(r.error).toBeNull();
    }
    const p = new RequestParser();
    p.feed(bytes(s.slice(0, 10)));
    expect(p.next()).toBeNull();
    expect(p.pending).toBeGreaterThan(0);
  });

  it('needs the byte after a count line\'s CR, but does not check it is LF', () => {
    const p = new RequestParser();
    p.feed(bytes('*1\r'));
    expect(p.next()).toBeNull();
    p.feed(bytes('x$4\rxPING\r\n'));
    expect(p.next()).toEqual(['PING']);
  });

  it('skips the two bytes after a bulk without checking them (like Redis)', () => {
    expect(run(['*1\r\n$4\r\nPINGxy' + mbulk('ECHO', 'a')]).cmds).toEqual([['PING'], ['ECHO', 'a']]);
    expect(run(['*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nbXY*1\r\n$4\r\nPING\r\n']).cmds).toEqual([['SET', 'a', 'b'], ['PING']]);
  });

  it('skips *0 and negative counts', () => {
    expect(run(['*0\r\n*-1\r\n*-9223372036854775808\r\n' + mbulk('PING') + '*0\r\n']).cmds).toEqual([['PING']]);
  });

  it('keeps every byte value of arguments', () => {
    let all = '';
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
    const r = run([mbulk('SET', all, all.split('').reverse().join(''))]);
    expect(r.cmds).toEqual([['SET', all, all.split('').reverse().join('')]]);
  });

  it('does not depend on the caller keeping a fed chunk unchanged after next() returned null', () => {
    const p = new RequestParser();
    const s = mbulk('SET', 'key', 'value');
    const chunk = bytes(s.slice(0, 20));
    p.feed(chunk);
    expect(p.next()).toBeNull();
    chunk.fill(0x21);
    p.feed(bytes(s.slice(20)));
    expect(p.next()).toEqual(['SET', 'key', 'value']);
  });
});

describe('RequestParser: big bulks', () => {
  const big = 'abcdefghij'.repeat(10_000) + '\xff\x00'; // 100002 bytes
  const s = mbulk('SET', 'k', big) + mbulk('GET', 'k');

  it('arrive in many chunks of any size', () => {
    for (const size of [1, 7, 1000, 4096, 16384, 65536, 99_999]) {
      const chunks: string[] = [];
      for (let i = 0; i < s.length; i += size) chunks.push(s.slice(i, i + size));
      const r = run(chunks);
      expect(r.error).toBeNull();
      expect(r.cmds.length).toBe(2);
      expect(r.cmds[0][2] === big).toBe(true);
      expect(r.cmds[1]).toEqual(['GET', 'k']);
    }
  });

  it('are split around the header, the payload and the CRLF', () => {
    const head = s.indexOf(big);
    for (const cut of [head - 3, head - 1, head, head + 1, head + big.length, head + big.length + 1, head + big.length + 2]) {
      const r = run([s.slice(0, cut), s.slice(cut)]);
      expect(r.cmds.length, `cut at ${cut}`).toBe(2);
      expect(r.cmds[0][2] === big).toBe(true);
    }
  });

  it('count in pending while they arrive', () => {
    const p = new RequestParser();
    p.feed(bytes(s.slice(0, 50_000)));
    expect(p.next()).toBeNull();
    expect(p.pending).toBe(50_000 - s.indexOf(big));
    p.feed(bytes(s.slice(50_000, 80_000)));
    expect(p.next()).toBeNull();
    expect(p.pending).toBe(80_000 - s.indexOf(big));
    p.feed(bytes(s.slice(80_000)));
    expect(p.next()![2] === big).toBe(true);
    expect(p.next()).toEqual(['GET', 'k']);
    expect(p.next()).toBeNull();
    expect(p.pending).toBe(0);
  });

  it('can be exactly proto-max-bulk-len long', () => {
    const r = run([mbulk('SET', 'k', 'x'.repeat(40_000))], { maxBulkLen: 40_000 });
    expect(r.cmds[0][2].length).toBe(40_000);
  });
});

describe('RequestParser: inline commands', () => {
  it('splits lines like sdssplitargs, with or without CR', () => {
    expect(run(['PING\r\n', 'ECHO hello\n', '  SET  a   "b c" \'d\'\t\r\n']).cmds).toEqual([['PING'], ['ECHO', 'hello'], ['SET', 'a', 'b c', 'd']]);
  });

  it('skips empty and blank lines', () => {
    expect(run(['\r\n\r\n\n   \r\n\t\nPING\r\n']).cmds).toEqual([['PING']]);
  });

  it('mixes with multibulk', () => {
    expect(run(['PING\r\n' + mbulk('ECHO', 'x') + 'ECHO y\r\n']).cmds).toEqual([['PING'], ['ECHO', 'x'], ['ECHO', 'y']]);
  });

  it('is chunk independent', () => {
    const s = 'SET a "b\\x41\\n"\r\nGET a\nPING\r\n';
    for (const chunks of splits(s)) {
      expect(run(chunks).cmds).toEqual([['SET', 'a', 'bA\n'], ['GET', 'a'], ['PING']]);
    }
  });

  it('keeps a CR that is not right before the LF', () => {
    expect(run(['ECHO a\rb\r\r\n']).cmds).toEqual([['ECHO', 'a', 'b']]);
  });

  it('accepts a line of exactly PROTO_INLINE_MAX_SIZE bytes', () => {
    const line = 'ECHO ' + 'x'.repeat(PROTO_INLINE_MAX_SIZE - 5);
    const r = run([line + '\n']);
    expect(r.error).toBeNull();
    expect(r.cmds[0][1].length).toBe(PROTO_INLINE_MAX_SIZE - 5);
  });

  it('a NUL byte hides the line end, as with strchr: the parser waits', () => {
    expect(run(['PI\x00NG\r\nPING\r\n'])).toEqual({ cmds: [], error: null, waiting: true });
    expect(run(['PING\r\nEC\x00HO\n'])).toEqual({ cmds: [['PING']], error: null, waiting: true });
  });
});

describe('RequestParser: protocol errors (Redis 7.0 texts)', () => {
  const err = (chunks: string[], limits: Partial<ParserLimits> = {}): string | null => run(chunks, limits).error;

  it('too big inline request', () => {
    const max = PROTO_INLINE_MAX_SIZE;
    expect(err(['x'.repeat(max)])).toBeNull();
    expect(err(['x'.repeat(max + 1)])).toBe('Protocol error: too big inline request');
    expect(err(['x'.repeat(max), 'y'])).toBe('Protocol error: too big inline request');
    // The line end arriving in the same chunk does not rescue a line Redis would have refused.
    expect(err(['x'.repeat(max + 1) + '\r\n'])).toBe('Protocol error: too big inline request');
    // Behind a NUL, Redis cannot see the line end: it gives up once more than the limit is buffered.
    expect(err(['A\x00\r\n' + 'PING\r\n'.repeat(max / 6 + 1)])).toBe('Protocol error: too big inline request');
  });

  it('too big mbulk count string', () => {
    const max = PROTO_INLINE_MAX_SIZE;
    expect(err(['*' + '1'.repeat(max - 1)])).toBeNull();
    expect(err(['*' + '1'.repeat(max)])).toBe('Protocol error: too big mbulk count string');
    expect(err(['*1\x00\r\n' + 'x'.repeat(max)])).toBe('Protocol error: too big mbulk count string');
    expect(run(['*1\x00\r\n$4\r\nPING\r\n'])).toEqual({ cmds: [], error: null, waiting: true });
  });

  it('too big bulk count string', () => {
    const max = PROTO_INLINE_MAX_SIZE;
    expect(err(['*1\r\n$' + '1'.repeat(max - 1)])).toBeNull();
    expect(err(['*1\r\n$' + '1'.repeat(max)])).toBe('Protocol error: too big bulk count string');
    expect(err(['*1\r\n$4\x00\r\nPING\r\n' + 'x'.repeat(max)])).toBe('Protocol error: too big bulk count string');
  });

  it('invalid multibulk length', () => {
    for (const line of ['*abc', '*', '*01', '*+1', '*-0', '*1x', '* 1', '*1 ', '*2147483648', '*9223372036854775807',
      '*9223372036854775808', '*-9223372036854775809', '*' + '1'.repeat(21), '*\x01']) {
      expect(err([line + '\r\n']), line).toBe('Protocol error: invalid multibulk length');
    }
    // INT_MAX itself is fine: the parser waits for the arguments.
    expect(run(['*2147483647\r\n'])).toEqual({ cmds: [], error: null, waiting: false });
  });

  it('invalid bulk length', () => {
    for (const line of ['$abc', '$', '$-1', '$-0', '$+4', '$04', '$4 ', '$9223372036854775808', '$-9223372036854775809']) {
      expect(err(['*1\r\n' + line + '\r\n']), line).toBe('Protocol error: invalid bulk length');
    }
    expect(err(['*1\r\n$9223372036854775807\r\n'], { maxBulkLen: Number.MAX_SAFE_INTEGER })).toBe('Protocol error: invalid bulk length');
  });

  it('proto-max-bulk-len', () => {
    expect(err([mbulk('SET', 'k', 'x'.repeat(101))], { maxBulkLen: 100 })).toBe('Protocol error: invalid bulk length');
    expect(err([mbulk('SET', 'k', 'x'.repeat(100))], { maxBulkLen: 100 })).toBeNull();
    expect(err(['*1\r\n$536870912\r\n'])).toBeNull();
    expect(err(['*1\r\n$536870913\r\n'])).toBe('Protocol error: invalid bulk length');
  });

  it("expected '$', got ...", () => {
    expect(err(['*1\r\n:5\r\n'])).toBe("Protocol error: expected '$', got ':'");
    expect(err(['*2\r\n$3\r\nGET\r\n+x\r\n'])).toBe("Protocol error: expected '$', got '+'");
    expect(err(['*1\r\n\xff\r\n'])).toBe("Protocol error: expected '$', got '\xff'");
    // addReplyErrorFormat turns CR and LF into spaces.
    expect(err(['*1\r\n\r\n'])).toBe("Protocol error: expected '$', got ' '");
    expect(err(['*1\r\n\n\r\n'])).toBe("Protocol error: expected '$', got ' '");
  });

  it('unbalanced quotes', () => {
    for (const line of ['SET "a b', "SET 'a b", 'ECHO "a"b', "ECHO 'a'b", 'ECHO "\\"']) {
      expect(err([line + '\r\n']), line).toBe('Protocol error: unbalanced quotes in request');
    }
  });

  it('unauthenticated limits', () => {
    const limits = { unauthenticated: true };
    expect(err(['*10\r\n'], limits)).toBeNull();
    expect(err(['*11\r\n'], limits)).toBe('Protocol error: unauthenticated multibulk length');
    expect(err(['*1\r\n$16384\r\n'], limits)).toBeNull();
    expect(err(['*1\r\n$16385\r\n'], limits)).toBe('Protocol error: unauthenticated bulk length');
    // The invalid-length checks come first.
    expect(err(['*2147483648\r\n'], limits)).toBe('Protocol error: invalid multibulk length');
    expect(err(['*1\r\n$999999999999\r\n'], limits)).toBe('Protocol error: invalid bulk length');
    // Authenticated: no such limits.
    expect(err(['*11\r\n$16385\r\n'])).toBeNull();
  });

  it('reports an error only once the commands before it have been taken', () => {
    expect(run([mbulk('PING') + 'ECHO a\r\n' + '*x\r\n' + mbulk('PING')])).toEqual({
      cmds: [['PING'], ['ECHO', 'a']], error: 'Protocol error: invalid multibulk length', waiting: false,
    });
  });
});
