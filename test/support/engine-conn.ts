import type { Client, ConnectionInfo } from '../../src/engine/client';
import type { Engine } from '../../src/engine/server';
import { encodeCommand } from './resp-reader';

/**
 * A client connection to an engine in this process, for unit tests. `send` feeds a command and
 * leaves its output waiting; `take` returns everything written since the last take (blocked
 * clients, pushes). `ask` runs one command and returns just its reply.
 */
export interface EngineConn {
  c: Client;
  send(...argv: string[]): void;
  take(): string;
  ask(...argv: string[]): string;
}

export function connectTo(engine: Engine, info?: ConnectionInfo): EngineConn {
  let out = '';
  const c = engine.connect({ write: (b) => { out += Buffer.from(b).toString('latin1'); }, close: () => {} }, info);
  const send = (...argv: string[]): void => c.feed(encodeCommand(argv));
  const take = (): string => {
    const s = out;
    out = '';
    return s;
  };
  return {
    c,
    send,
    take,
    ask: (...argv) => {
      take();
      send(...argv);
      return take();
    },
  };
}
