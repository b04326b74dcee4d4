import { describe, expect, it } from 'vitest';
import { usePair } from '../support/pair';
import { Conn } from '../support/harness';

const pair = usePair();

describe('connection commands', () => {
  it('PING and ECHO', async () => {
    await pair.same(['PING'], ['ping', 'hello'], ['PING', 'a', 'b'], ['ECHO', 'x'], ['ECHO'], ['echo', ''], ['ECHO', '\x00\xff\r\n']);
  });

  it('unknown commands and wrong arity', async () => {
    await pair.same(
      ['NOSUCH'], ['nosuch', 'a', 'b'], ['NoSuch', 'x'.repeat(200)], ['nosuch', 'a\r\nb'],
      ['x'.repeat(300), 'y'.repeat(100), 'z'.repeat(100)], ['GET'], ['get', 'a', 'b'],
    );
  });
});

describe('protocol errors close the connection after the error, like Redis', () => {
  const cases: [string, string][] = [
    ['bad multibulk count', '*abc\r\n'],
    ['bad bulk length', '*1\r\n$x\r\n'],
    ['negative bulk length', '*1\r\n$-5\r\n'],
    ['missing $', '*1\r\n:5\r\n'],
    ['unbalanced quotes', 'SET "a b\r\n'],
    ['quote not followed by space', 'ECHO "a"b\r\n'],
  ];
  for (const [name, bytes] of cases) {
    it(name, async () => {
      const real = await Conn.open(pair.ports.real);
      const ours = await Conn.open(pair.ports.ours);
      real.writeRaw('PING\r\n' + bytes);
      ours.writeRaw('PING\r\n' + bytes);
      const [r1, o1] = [await real.read(), await ours.read()];
      expect(o1.raw.toString('latin1')).toBe(r1.raw.toString('latin1'));
      const [r2, o2] = [await real.read(), await ours.read()];
      expect(o2.raw.toString('latin1')).toBe(r2.raw.toString('latin1'));
      expect(await real.waitClosed()).toBe(true);
      expect(await ours.waitClosed()).toBe(true);
    });
  }

  it('inline commands with quotes and escapes', async () => {
    for (const line of ['ECHO "a\\x41\\n" \'b\\\'c\'\r\n', 'PING\n', '   \r\nECHO  x   y\r\n', 'ECHO "\\x4"\r\n']) {
      const real = await Conn.open(pair.ports.real);
      const ours = await Conn.open(pair.ports.ours);
      real.writeRaw(line);
      ours.writeRaw(line);
      const [r, o] = [await real.read(), await ours.read()];
      expect(o.raw.toString('latin1'), line).toBe(r.raw.toString('latin1'));
      real.close();
      ours.close();
    }
  });
});

describe('DEBUG DIGEST', () => {
  it('matches Redis on empty and string datasets', async () => {
    await pair.same(
      ['DEBUG', 'DIGEST'],
      ['SET', 'a', '1'], ['SET', 'b', 'hello'], ['SET', '\x00bin\xff', 'x'.repeat(100)],
      ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'a', 'b', 'nosuch'], ['DEBUG', 'DIGEST-VALUE'],
    );
  });
});
