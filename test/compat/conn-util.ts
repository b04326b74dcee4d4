import net from 'node:net';
import { expect } from 'vitest';
import { encodeCommand } from '../support/resp-reader';
import type { Conn } from '../support/harness';
import type { Normalize } from '../support/harness';
import { showReply } from '../support/resp-reader';

/**
 * Helpers for the connection-group compat tests: raw exchanges where replies are suppressed or the
 * connection closes (so the harness's one-reply-per-command pipeline does not fit), and steps whose
 * arguments differ per server (client ids, addresses).
 */

export interface Talk { text: string; closed: boolean }

/** A connection that wrote `input` (commands as argv arrays, or raw protocol text) and keeps every byte it gets back. */
class RawTalk implements Talk {
  text = '';
  closed = false;
  /** When the last bytes came (or the input went out). */
  last = Date.now();
  readonly ready: Promise<void>;
  private readonly socket: net.Socket;

  constructor(port: number, input: (string[] | string)[]) {
    this.socket = net.connect(port, '127.0.0.1');
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => {
        const bufs = input.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : encodeCommand(x)));
        this.socket.write(Buffer.concat(bufs));
        this.last = Date.now();
        resolve();
      });
      this.socket.on('error', reject);
    });
    this.socket.on('data', (d) => {
      this.text += d.toString('latin1');
      this.last = Date.now();
    });
    this.socket.on('close', () => { this.closed = true; });
  }

  /** Closed by the server, or quiet for `quietMs`. */
  settled(quietMs: number): boolean {
    return this.closed || Date.now() - this.last >= quietMs;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** HELLO's connection id inside raw reply bytes, masked. */
export const maskHelloId = (t: string): string => t.replace(/\$2\r\nid\r\n:\d+\r\n/g, '$2\r\nid\r\n:<id>\r\n');

/**
 * The same raw exchange with both servers: the bytes (through `mask`, for ids) and whether the
 * connection was closed must match. Each side is read until the server closes the connection or
 * stays quiet for `quietMs`; while the two differ, reading goes on for up to 10 s, since a loaded
 * machine can stall either server for longer than `quietMs` in the middle of its replies.
 */
export async function sameTalk(
  ports: { real: number; ours: number }, input: (string[] | string)[], opts: { quietMs?: number; mask?: (t: string) => string } = {},
): Promise<Talk> {
  const quietMs = opts.quietMs ?? 250;
  const mask = opts.mask ?? ((t: string) => t);
  const a = new RawTalk(ports.real, input);
  const b = new RawTalk(ports.ours, input);
  try {
    await Promise.all([a.ready, b.ready]);
    const patience = Date.now() + 10_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      const settled = a.settled(quietMs) && b.settled(quietMs);
      if (settled && a.closed === b.closed && mask(a.text) === mask(b.text)) break;
      if (Date.now() > patience) break;
    }
  } finally {
    a.destroy();
    b.destroy();
  }
  expect(JSON.stringify(mask(b.text)), 'bytes').toBe(JSON.stringify(mask(a.text)));
  expect(b.closed, 'closed').toBe(a.closed);
  return { text: a.text, closed: a.closed };
}

type Side = 'real' | 'ours';

/**
 * Send a command whose arguments depend on the server (e.g. its client ids) to each side of
 * `conns` and compare the replies, raw or through `normalize`.
 */
export async function sameEach(
  conns: { real: Conn; ours: Conn },
  argv: (side: Side) => string[],
  normalize?: Normalize,
): Promise<void> {
  const [a, b] = await Promise.all([conns.real.send(...argv('real')), conns.ours.send(...argv('ours'))]);
  if (normalize) {
    expect(JSON.stringify(normalize(b.reply)), `${argv('real').join(' ')}\n  redis: ${showReply(a.reply)}\n  ours:  ${showReply(b.reply)}`)
      .toBe(JSON.stringify(normalize(a.reply)));
  } else {
    expect(JSON.stringify(b.raw.toString('latin1')), argv('real').join(' ')).toBe(JSON.stringify(a.raw.toString('latin1')));
  }
}

/** A connection's CLIENT ID on each side. */
export async function ids(conns: { real: Conn; ours: Conn }): Promise<{ real: string; ours: string }> {
  const [a, b] = await Promise.all([conns.real.send('CLIENT', 'ID'), conns.ours.send('CLIENT', 'ID')]);
  if (a.reply.t !== 'int' || b.reply.t !== 'int') throw new Error('CLIENT ID did not answer an integer');
  return { real: a.reply.v, ours: b.reply.v };
}

/** One field of a connection's CLIENT INFO on each side (addr, laddr, ...). */
export async function infoField(conns: { real: Conn; ours: Conn }, field: string): Promise<{ real: string; ours: string }> {
  const get = async (c: Conn): Promise<string> => {
    const r = (await c.send('CLIENT', 'INFO')).reply;
    const text = r.t === 'bulk' || r.t === 'verbatim' ? r.v ?? '' : '';
    const m = new RegExp(`(?:^|[ :])${field}=(\\S*)`).exec(text);
    if (!m) throw new Error(`no ${field}= in CLIENT INFO: ${text}`);
    return m[1];
  };
  const [real, ours] = await Promise.all([get(conns.real), get(conns.ours)]);
  return { real, ours };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
