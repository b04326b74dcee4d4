import { useEffect, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import type { RedisConnection } from '../../host/worker/client';
import { helpFromDocs } from '../../cli/help';
import type { CliTransport } from '../../cli/session';
import { getConnection, getEngine } from '../engine';
import { mountTerminal, type TerminalController } from './controller';

declare global {
  interface Window {
    /** For tests: the terminal's screen text. */
    __redisTerminal?: TerminalController;
  }
}

/** The page's connection as the terminal's transport; a replaced connection resets the prompt. */
function pageTransport(): CliTransport & { onReset(fn: () => void): void } {
  let last: RedisConnection | null = null;
  let reset: (() => void) | null = null;
  return {
    send(args) {
      const c = getConnection();
      if (last !== null && c !== last) reset?.();
      last = c;
      return c.send(...args);
    },
    close() {
      last?.close();
    },
    onReset(fn) {
      reset = fn;
    },
  };
}

/** The redis-cli terminal. */
export function RedisTerminal() {
  const host = useRef<HTMLDivElement>(null);
  const [help, setHelp] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ctl = mountTerminal(el, pageTransport());
    window.__redisTerminal = ctl;
    let cancelled = false;
    (async () => {
      try {
        await getEngine().ready;
        // A connection of its own, like redis-cli's COMMAND DOCS at startup.
        const conn = getEngine().connect();
        const docs = await conn.send('COMMAND', 'DOCS');
        conn.close();
        if (cancelled) return;
        ctl.setHelp(helpFromDocs(docs));
        setHelp('ready');
      } catch {
        if (!cancelled) setHelp('failed');
      }
    })();
    return () => {
      cancelled = true;
      if (window.__redisTerminal === ctl) delete window.__redisTerminal;
      ctl.dispose();
    };
  }, []);

  return (
    <div className="terminal" data-testid="terminal" data-help={help} onClick={() => window.__redisTerminal?.focus()}>
      {/* xterm fits itself to this element, which has no padding of its own */}
      <div className="terminal-host" ref={host} />
    </div>
  );
}
