import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { WorkerHost, type PortLike } from '../../src/host/worker/host';
import { RedisConnection, type Reply } from '../../src/host/worker/client';
import { RespDecoder, encodeCommand, replyText } from '../../src/host/worker/resp';
import { formatTTY, reprBytes } from '../../src/cli/format';

const enc = new TextEncoder();

function decodeAll(bytes: Uint8Array, chunk = bytes.length): Reply[] {
  const d = new RespDecoder();
  const out: Reply[] = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    d.feed(bytes.slice(i, i + chunk));
    for (let r = d.next(); r !== null; r = d.next()) out.push(r);
  }
  return out;
}

describe('page-side RESP', () => {
  it('encodes a command as a multibulk request, UTF-8 for text', () => {
    expect(new TextDecoder().decode(encodeCommand(['SET', 'greeting', '안녕']))).toBe(
      '*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$6\r\n안녕\r\n',
    );
    const bin = encodeCommand(['GET', new Uint8Array([0, 255])]);
    expect(Array.from(bin.slice(-8))).toEqual([36, 50, 13, 10, 0, 255, 13, 10]);
  });

  it('decodes RESP2 and RESP3 replies, whole or byte by byte', () => {
    const wire = enc.encode(
      '+OK\r\n-ERR bad\r\n:42\r\n:-9223372036854775808\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n*2\r\n$1\r\na\r\n*1\r\n:1\r\n' +
        '_\r\n,3.14\r\n#t\r\n(12345678901234567890\r\n=7\r\ntxt:abc\r\n%1\r\n+k\r\n+v\r\n~1\r\n+m\r\n>2\r\n+message\r\n+x\r\n!5\r\nERR x\r\n' +
        '|1\r\n+ttl\r\n:3\r\n+val\r\n',
    );
    for (const chunk of [wire.length, 1, 3]) {
      const rs = decodeAll(wire, chunk);
      expect(rs.map((r) => r.type)).toEqual([
        'simple', 'error', 'integer', 'integer', 'bulk', 'null', 'null', 'array',
        'null', 'double', 'boolean', 'bignum', 'verbatim', 'map', 'set', 'push', 'error', 'simple',
      ]);
      expect(rs[2]).toEqual({ type: 'integer', value: 42 });
      expect(rs[3]).toEqual({ type: 'integer', value: -9223372036854775808n });
      expect(replyText(rs[4])).toBe('hello');
      expect(replyText(rs[12])).toBe('abc');
      expect(rs[17].attributes?.length).toBe(1);
    }
  });

  it('keeps bulk strings binary-safe', () => {
    const [r] = decodeAll(new Uint8Array([36, 51, 13, 10, 0, 0xff, 10, 13, 10]));
    expect(r).toEqual({ type: 'bulk', value: new Uint8Array([0, 0xff, 10]) });
    expect(formatTTY(r)).toBe('"\\x00\\xff\\n"\n');
  });

  it('rejects a malformed stream', () => {
    const d = new RespDecoder();
    d.feed(enc.encode('?what\r\n'));
    expect(() => d.next()).toThrow(/unknown reply type/);
  });
});

describe('reply formatting like redis-cli', () => {
  it('formats scalars and nested aggregates', () => {
    const rs = decodeAll(enc.encode('*3\r\n$1\r\na\r\n*2\r\n:1\r\n:2\r\n*0\r\n'));
    expect(formatTTY(rs[0])).toBe('1) "a"\n2) 1) (integer) 1\n   2) (integer) 2\n3) (empty array)\n');
    expect(formatTTY({ type: 'null' })).toBe('(nil)\n');
    expect(formatTTY({ type: 'error', value: 'ERR x' })).toBe('(error) ERR x\n');
    expect(reprBytes(enc.encode('안녕 "x"'))).toBe('"\\xec\\x95\\x88\\xeb\\x85\\x95 \\"x\\""');
  });
});

describe('worker host over MessagePorts', () => {
  function open(host: WorkerHost): RedisConnection {
    const ch = new MessageChannel();
    host.attach(ch.port2 as unknown as PortLike);
    return new RedisConnection(ch.port1 as unknown as MessagePort);
  }

  it('serves RESP on a port: PING, SET/GET with UTF-8, errors', async () => {
    const host = new WorkerHost({ config: { 'enable-debug-command': 'yes' } });
    const conn = open(host);
    try {
      expect(await conn.send('PING')).toEqual({ type: 'simple', value: 'PONG' });
      expect(await conn.send('SET', 'greeting', '안녕')).toEqual({ type: 'simple', value: 'OK' });
      const got = await conn.send('GET', 'greeting');
      expect(replyText(got)).toBe('안녕');
      const [a, b] = await Promise.all([conn.send('ECHO', 'one'), conn.send('ECHO', 'two')]);
      expect([replyText(a), replyText(b)]).toEqual(['one', 'two']);
      const err = await conn.send('NOSUCHCOMMAND', 'x');
      expect(err.type).toBe('error');
      expect(host.engine.clients.size).toBe(1);
    } finally {
      conn.close();
      host.stop();
    }
  });

  it('QUIT answers OK, then the connection closes', async () => {
    const host = new WorkerHost();
    const conn = open(host);
    const closed = new Promise<void>((resolve) => {
      conn.onClose = () => resolve();
    });
    expect(await conn.send('QUIT')).toEqual({ type: 'simple', value: 'OK' });
    await closed;
    expect(conn.closed).toBe(true);
    await expect(conn.send('PING')).rejects.toThrow(/closed/);
    expect(host.engine.clients.size).toBe(0);
    host.stop();
  });

  it('frees the client when the page hangs up', async () => {
    const host = new WorkerHost();
    const conn = open(host);
    await conn.send('PING');
    expect(host.engine.clients.size).toBe(1);
    conn.close();
    // The hang-up arrives as a message: wait for it rather than for a fixed time.
    for (let i = 0; i < 500 && host.engine.clients.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(host.engine.clients.size).toBe(0);
    host.stop();
  });
});
