import { useEffect, useRef, useState, type FormEvent } from 'react';
import { replyText, type Reply } from '../host/worker/resp';
import { getConnection, getEngine } from './engine';
import { formatReply, isRawCommand } from './format';

type Status =
  | { state: 'loading' }
  | { state: 'ready'; ping: string; version: string }
  | { state: 'failed'; error: string };

interface Entry {
  id: number;
  command: string;
  text: string;
  error: boolean;
}

const MAX_ENTRIES = 200;

/** redis_version out of INFO server's text, or what went wrong. */
function versionOf(info: Reply): string {
  if (info.type === 'bulk' || info.type === 'verbatim') {
    const m = /^redis_version:(.*)$/m.exec(replyText(info) ?? '');
    if (m) return m[1].trim();
  }
  const why = formatReply(info).split('\n')[0];
  return `unknown (INFO server: ${why.length > 60 ? why.slice(0, 59) + '…' : why})`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function App() {
  const [status, setStatus] = useState<Status>({ state: 'loading' });
  const [entries, setEntries] = useState<Entry[]>([]);
  const [line, setLine] = useState('');
  const nextId = useRef(1);
  const logEnd = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        await getEngine().ready;
        const conn = getConnection();
        const pong = await conn.send('PING');
        const info = await conn.send('INFO', 'server');
        if (!cancelled) setStatus({ state: 'ready', ping: formatReply(pong), version: versionOf(info) });
      } catch (e) {
        if (!cancelled) setStatus({ state: 'failed', error: message(e) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    logEnd.current?.scrollIntoView({ block: 'nearest' });
  }, [entries]);

  async function run(ev: FormEvent): Promise<void> {
    ev.preventDefault();
    // Split on spaces for now; the terminal will bring redis-cli's quoting rules.
    const argv = line.trim().split(/\s+/).filter((a) => a !== '');
    if (argv.length === 0) return;
    setLine('');
    let text: string;
    let error: boolean;
    try {
      const reply = await getConnection().send(...argv);
      text = formatReply(reply, isRawCommand(argv));
      error = reply.type === 'error';
    } catch (e) {
      text = `(error) ${message(e)}`;
      error = true;
    }
    const entry: Entry = { id: nextId.current++, command: argv.join(' '), text, error };
    setEntries((prev) => [...prev.slice(-(MAX_ENTRIES - 1)), entry]);
  }

  const ready = status.state === 'ready';
  return (
    <div className="app">
      <header className="header">
        <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={28} height={28} />
        <h1>Redis playground</h1>
      </header>

      <main>
        <p className={`status ${status.state}`} data-testid="status" aria-live="polite">
          {status.state === 'loading' && 'engine loading…'}
          {status.state === 'ready' && (
            <>
              <strong>engine ready</strong>
              <span className="fact">
                PING → <code data-testid="ping">{status.ping}</code>
              </span>
              <span className="fact">
                redis_version <code data-testid="version">{status.version}</code>
              </span>
            </>
          )}
          {status.state === 'failed' && `engine failed: ${status.error}`}
        </p>

        <form className="command" onSubmit={run}>
          <label htmlFor="command">Command</label>
          <input
            id="command"
            value={line}
            onChange={(e) => setLine(e.target.value)}
            placeholder="SET greeting hello"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            autoFocus
          />
          <button type="submit" disabled={!ready}>
            Run
          </button>
        </form>

        <ol className="log" data-testid="log">
          {entries.map((e) => (
            <li key={e.id} className="entry">
              <div className="prompt">
                <span aria-hidden="true">&gt; </span>
                <span data-testid="command">{e.command}</span>
              </div>
              <pre className={e.error ? 'reply error' : 'reply'} data-testid="reply">
                {e.text}
              </pre>
            </li>
          ))}
        </ol>
        <div ref={logEnd} />
      </main>

      <footer className="footer">
        A Redis 7.0 server written in TypeScript, running in a Web Worker in this tab. Nothing leaves your
        browser; data is lost on reload for now.
      </footer>
    </div>
  );
}
