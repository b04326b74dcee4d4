import { useEffect, useRef, useState } from 'react';
import { replyText, type Reply } from '../host/worker/resp';
import { formatTTY } from '../cli/format';
import { getEngine } from './engine';
import { RedisTerminal } from './terminal/Terminal';
import { StatusBar } from './StatusBar';
import { Explorer } from './explorer/Explorer';
import { NodeSelect, NodesPanel } from './replication/NodesPanel';

type Status =
  | { state: 'loading' }
  | { state: 'ready'; ping: string; version: string; loaded: string }
  | { state: 'failed'; error: string };

/** One line of a reply as redis-cli shows it. */
function oneLine(r: Reply): string {
  return formatTTY(r).split('\n')[0];
}

/** redis_version out of INFO server's text, or what went wrong. */
function versionOf(info: Reply): string {
  if (info.type === 'bulk' || info.type === 'verbatim') {
    const m = /^redis_version:(.*)$/m.exec(replyText(info) ?? '');
    if (m) return m[1].trim();
  }
  const why = oneLine(info);
  return `unknown (INFO server: ${why.length > 60 ? why.slice(0, 59) + '…' : why})`;
}

/** What start-up loaded from this browser's storage, in a few words. */
function loadedText(loaded: { source: string; keys: number; error?: string } | undefined): string {
  if (loaded === undefined) return '';
  if (loaded.error !== undefined) return `saved data not loaded: ${loaded.error}`;
  if (loaded.source === 'none') return 'no saved data yet';
  const keys = `${loaded.keys} key${loaded.keys === 1 ? '' : 's'}`;
  return `loaded ${keys} from the ${loaded.source === 'aof' ? 'AOF' : 'RDB'}`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Save the dataset as a dump.rdb a real redis-server loads, or open a real Redis's dump.rdb. */
function RdbFiles() {
  const [note, setNote] = useState('');
  const download = async (): Promise<void> => {
    let bytes: Uint8Array;
    try {
      bytes = await getEngine().exportRdb();
    } catch (e) {
      setNote(`dump.rdb not saved: ${message(e)}`); // the master is killed
      return;
    }
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'dump.rdb';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setNote(`dump.rdb: ${bytes.length.toLocaleString('en-US')} bytes`);
  };
  const open = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    let r: { keys?: number; error?: string };
    try {
      r = await getEngine().importRdb(new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      r = { error: message(e) }; // the master is killed
    }
    // Text only: the file's name and the engine's message are data, never markup.
    setNote(r.error !== undefined ? `${file.name} not loaded: ${r.error}` : `${file.name} loaded: ${r.keys} keys`);
  };
  return (
    <span className="rdb-files">
      <button type="button" className="new-terminal" data-testid="download-rdb" onClick={() => void download()}>
        Download dump.rdb
      </button>
      <label className="new-terminal open-rdb">
        Open dump.rdb…
        <input type="file" accept=".rdb,application/octet-stream" data-testid="open-rdb" onChange={(e) => void open(e.target.files?.[0])} />
      </label>
      <span className="hint" data-testid="rdb-note" aria-live="polite">{note}</span>
    </span>
  );
}

export function App() {
  const [status, setStatus] = useState<Status>({ state: 'loading' });
  // Open terminals by number; each is its own client connection. Number 1 is always there.
  const [terminals, setTerminals] = useState<number[]>([1]);
  const nextTerminal = useRef(2);
  // The node each terminal connects to (6379 unless picked next to "New terminal").
  const terminalNodes = useRef<Record<number, number>>({});
  const [newTerminalNode, setNewTerminalNode] = useState(6379);
  const addTerminal = (): void => {
    const n = nextTerminal.current++;
    terminalNodes.current[n] = newTerminalNode;
    setTerminals((ts) => [...ts, n]);
  };
  const closeTerminal = (n: number): void => setTerminals((ts) => ts.filter((t) => t !== n));

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const { loaded } = await getEngine().ready;
        // A connection of its own, so the terminal's session (database, history) is untouched.
        const conn = getEngine().connect();
        const pong = await conn.send('PING');
        const info = await conn.send('INFO', 'server');
        conn.close();
        if (!cancelled) setStatus({ state: 'ready', ping: oneLine(pong), version: versionOf(info), loaded: loadedText(loaded) });
      } catch (e) {
        if (!cancelled) setStatus({ state: 'failed', error: message(e) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <div className={terminals.length > 1 ? 'app wide' : 'app'}>
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
              <span className="fact" data-testid="loaded">{status.loaded}</span>
            </>
          )}
          {status.state === 'failed' && `engine failed: ${status.error}`}
        </p>

        {/* The terminals, and the keyspace explorer beside them (below them on a narrow window). */}
        <NodesPanel />

        <div className="workspace">
          <div className="workspace-terminals">
            <div className="terminals-bar">
              <button type="button" className="new-terminal" data-testid="new-terminal" onClick={addTerminal}>
                New terminal
              </button>
              <NodeSelect value={newTerminalNode} onChange={setNewTerminalNode} />
              <span className="hint">each terminal is its own client: try SUBSCRIBE in one and PUBLISH in another</span>
              <RdbFiles />
            </div>
            <div className="terminals">
              {terminals.map((n) => (
                <RedisTerminal key={n} number={n} node={terminalNodes.current[n] ?? 6379} onClose={n === 1 ? undefined : () => closeTerminal(n)} />
              ))}
            </div>
          </div>
          <Explorer />
        </div>
      </main>

      <StatusBar />

      <footer className="footer">
        A Redis 7.0 server written in TypeScript, running in a Web Worker in this tab, with a redis-cli
        7.0 terminal. Nothing leaves your browser: the data is kept in this browser's IndexedDB (an
        append-only file and RDB snapshots, as Redis keeps them on disk), so a reload brings it back.
      </footer>
    </div>
  );
}
