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

/**
 * Open a connection, write `input` (commands as argv arrays, or raw protocol text), and collect
 * every byte the server sends until it closes the connection or stays quiet for `quietMs`.
 */
export function talk(port: number, input: (string[] | string)[], quietMs = 250): Promise<Talk> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | null = null;
    const done = (closed: boolean): void => {
      if (timer) clearTimeout(timer);
      s.destroy();
      resolve({ text, closed });
    };
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => done(false), quietMs);
    };
    s.once('connect', () => {
      const bufs = input.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : encodeCommand(x)));
      s.write(Buffer.concat(bufs));
      arm();
    });
    s.on('data', (d) => { text += d.toString('latin1'); arm(); });
    s.on('close', () => done(true));
    s.on('error', reject);
  });
}

/** HELLO's connection id inside raw reply bytes, masked. */
export const maskHelloId = (t: string): string => t.replace(/\$2\r\nid\r\n:\d+\r\n/g, '$2\r\nid\r\n:<id>\r\n');

/**
 * The same raw exchange with both servers: bytes (through `mask`, for ids) and whether the
 * connection was closed must match.
 */
export async function sameTalk(
  ports: { real: number; ours: number }, input: (string[] | string)[], opts: { quietMs?: number; mask?: (t: string) => string } = {},
): Promise<Talk> {
  const [a, b] = await Promise.all([talk(ports.real, input, opts.quietMs), talk(ports.ours, input, opts.quietMs)]);
  const mask = opts.mask ?? ((t: string) => t);
  expect(JSON.stringify(mask(b.text)), 'bytes').toBe(JSON.stringify(mask(a.text)));
  expect(b.closed, 'closed').toBe(a.closed);
  return a;
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
