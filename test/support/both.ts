import { expect } from 'vitest';
import type { Answer, Conn } from './harness';
import { encodeCommand, showReply, type Reply } from './resp-reader';

/**
 * Two connections driven in step, one to the real server and one to ours, for tests that send
 * without waiting (blocking commands, pub/sub, MONITOR) and then compare what each side reads.
 */
export type ConnPair = { real: Conn; ours: Conn };

/** A reply's exact bytes as a binary string. */
export const text = (a: Answer): string => a.raw.toString('latin1');

/** Send a command on both sides without waiting for its reply (it may block). */
export function start(p: ConnPair, ...argv: string[]): void {
  p.real.writeRaw(encodeCommand(argv));
  p.ours.writeRaw(encodeCommand(argv));
}

/** The next n replies on both sides: the same bytes, in the same order; returns them. */
export async function sameReads(p: ConnPair, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = await Promise.all([p.real.read(), p.ours.read()]);
    expect(text(b)).toBe(text(a));
    out.push(text(a));
  }
  return out;
}

/** The next reply on both sides: the same bytes; returns them. */
export async function sameRead(p: ConnPair): Promise<string> {
  return (await sameReads(p, 1))[0];
}

/** Switch both connections' protocol (HELLO's reply differs by design: only its type is checked). */
export async function hello(p: ConnPair, resp: string): Promise<void> {
  start(p, 'HELLO', resp);
  const [a, b] = await Promise.all([p.real.read(), p.ours.read()]);
  expect(b.reply.t).toBe(a.reply.t);
}

/** COMMAND INFO without the key specs (ours are derived, simplified; see commands/server.ts). */
export const infoShape = (rep: Reply): unknown => {
  if (rep.t !== 'array' || !rep.v) return showReply(rep);
  return rep.v.map((entry) => (entry.t === 'array' && entry.v ? entry.v.slice(0, 8).map(showReply) : showReply(entry)));
};
