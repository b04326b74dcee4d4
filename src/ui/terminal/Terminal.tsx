import { useEffect, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import { ConnectionClosedError, ConnectionRefusedError, type RedisConnection, type Reply } from '../../host/worker/client';
import { helpFromDocs, type HelpEntry } from '../../cli/help';
import type { CliTransport } from '../../cli/session';
import { getEngine, getNodes } from '../engine';
import { mountTerminal, type TerminalController } from './controller';

declare global {
  interface Window {
    /** For tests: the first terminal's controller (its screen text). */
    __redisTerminal?: TerminalController;
    /** For tests: every open terminal by its number ("client 2" is 2). */
    __redisTerminals?: Record<number, TerminalController>;
  }
}

/**
 * A terminal's own client connection, opened on first use and again after it was closed. Like
 * redis-cli's socket, a connection the server closed (CLIENT KILL, its node killed) fails the next
 * command with ConnectionClosedError; the command after that connects again, which throws
 * ConnectionRefusedError while the node is down.
 */
function terminalTransport(port: number): CliTransport {
  let conn: RedisConnection | null = null;
  let streamClosed: (() => void) | null = null;
  let pushTo: ((r: Reply) => void) | null = null;
  const current = (): RedisConnection => {
    if (conn !== null && conn.closed) {
      conn = null;
      throw new ConnectionClosedError();
    }
    if (conn === null) {
      const c = getNodes().connect(port);
      c.onClose = () => {
        const f = streamClosed;
        streamClosed = null;
        if (f === null) return;
        // The streaming command already said the server closed it: the next command connects again.
        if (conn === c) conn = null;
        f();
      };
      c.onPush = (r) => pushTo?.(r);
      conn = c;
    }
    return conn;
  };
  return {
    send(args) {
      try {
        return current().send(...args);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    stream(args, onReply, onClosed) {
      const c = current();
      streamClosed = onClosed;
      const end = c.sendStreaming(args, onReply);
      return () => {
        streamClosed = null;
        end();
      };
    },
    close() {
      streamClosed = null;
      conn?.close();
      conn = null;
    },
    onPush(fn) {
      pushTo = fn;
    },
    refused() {
      return getNodes().engine(port) === null ? new ConnectionRefusedError(port) : null;
    },
  };
}

/**
 * COMMAND DOCS once for all terminals, on a connection of its own like redis-cli's at startup, from
 * the terminal's node (every node has the same commands; the master may be killed).
 */
let helpEntries: Promise<HelpEntry[]> | null = null;
function loadHelp(port: number): Promise<HelpEntry[]> {
  helpEntries ??= (async () => {
    const engine = getNodes().engine(port) ?? getEngine();
    await engine.ready;
    const conn = engine.connect();
    try {
      return helpFromDocs(await conn.send('COMMAND', 'DOCS'));
    } finally {
      conn.close();
    }
  })();
  helpEntries.catch(() => {
    helpEntries = null; // let the next terminal try again
  });
  return helpEntries;
}

/**
 * One redis-cli terminal with its own connection to the node on `node` (default the master 6379).
 * Terminal 1 is the page's first (window.__redisTerminal).
 */
export function RedisTerminal({ number = 1, node = 6379, onClose }: { number?: number; node?: number; onClose?: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const ctlRef = useRef<TerminalController | null>(null);
  const [help, setHelp] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const transport = terminalTransport(node);
    const ctl = mountTerminal(el, transport, node);
    ctlRef.current = ctl;
    if (number === 1) window.__redisTerminal = ctl;
    window.__redisTerminals = { ...window.__redisTerminals, [number]: ctl };
    let cancelled = false;
    loadHelp(node).then(
      (entries) => {
        if (cancelled) return;
        ctl.setHelp(entries);
        setHelp('ready');
      },
      () => {
        if (!cancelled) setHelp('failed');
      },
    );
    return () => {
      cancelled = true;
      if (window.__redisTerminal === ctl) delete window.__redisTerminal;
      if (window.__redisTerminals?.[number] === ctl) delete window.__redisTerminals[number];
      ctl.dispose();
      transport.close();
      ctlRef.current = null;
    };
  }, [number, node]);

  return (
    <section
      className="terminal"
      data-testid={number === 1 ? 'terminal' : `terminal-${number}`}
      data-help={help}
      onClick={() => ctlRef.current?.focus()}
    >
      <div className="terminal-bar">
        <span className="terminal-title">client {number}</span>
        {node !== 6379 && (
          <span className="terminal-title" data-testid={`terminal-node-${number}`} style={{ marginLeft: 8 }}>
            → 127.0.0.1:{node}
          </span>
        )}
        <label className="terminal-raw" title="Print replies as redis-cli --raw does: values as they are, no quotes or types">
          <input
            type="checkbox"
            data-testid={`raw-${number}`}
            onChange={(e) => {
              ctlRef.current?.setRaw(e.target.checked);
              ctlRef.current?.focus();
            }}
            onClick={(e) => e.stopPropagation()}
          />
          --raw
        </label>
        {onClose && (
          <button
            type="button"
            className="terminal-close"
            aria-label={`Close client ${number}`}
            title="Close this terminal (its connection too)"
            onClick={(e) => {
              e.stopPropagation();
              onClose();
            }}
          >
            ×
          </button>
        )}
      </div>
      {/* xterm fits itself to this element, which has no padding of its own */}
      <div className="terminal-host" ref={host} />
    </section>
  );
}
