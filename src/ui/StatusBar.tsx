import { useEffect, useState } from 'react';
import type { ServerStats } from '../host/worker/protocol';
import { ConnectionRefusedError, NODE_KILLED } from '../host/worker/client';
import { MASTER_PORT } from '../host/worker/nodes';
import { getEngine } from './engine';

/** How often the bar asks the worker for its figures. */
const POLL_MS = 1000;

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** "saved 12 s ago", "saved 3 min ago"... from the last save's Unix time. */
function ago(unixSeconds: number): string {
  const s = Math.max(0, Math.round(Date.now() / 1000 - unixSeconds));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** What persistence is doing, in a few words. */
function persistence(st: ServerStats): string {
  if (st.saving !== null) {
    const what = st.saving.what === 'bgsave' ? 'BGSAVE' : 'AOF rewrite';
    return st.saving.total > 0 ? `${what} ${Math.floor((st.saving.done * 100) / st.saving.total)}%` : what;
  }
  const mode = st.aof ? 'AOF on' : 'AOF off';
  return `${mode} · ${plural(st.changes, 'change')} since the last save (${ago(st.lastSave)})`;
}

/**
 * The server at a glance: keys, memory, clients, persistence. Text only. While the master is
 * killed (Nodes panel) it says so, and shows the figures again once it is restarted.
 */
export function StatusBar() {
  const [stats, setStats] = useState<ServerStats | 'down' | null>(null);
  useEffect(() => {
    let stopped = false;
    const poll = async (): Promise<void> => {
      try {
        const engine = getEngine();
        await engine.ready;
        const st = await engine.stats();
        if (!stopped) setStats(st);
      } catch (e) {
        // Killed (or killed while asked). A worker that failed to load: the status line above says so.
        if (!stopped && e instanceof ConnectionRefusedError) setStats('down');
        else if (!stopped && e instanceof Error && e.message === NODE_KILLED) setStats('down');
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    let timer = setTimeout(() => void poll(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  if (stats === null) return <div className="statusbar" data-testid="statusbar" />;
  if (stats === 'down') {
    return (
      <div className="statusbar" data-testid="statusbar" data-status="down">
        <span data-testid="statusbar-down">127.0.0.1:{MASTER_PORT} is down (killed): restart it in the Nodes panel</span>
      </div>
    );
  }
  return (
    <div className="statusbar" data-testid="statusbar">
      <span data-testid="statusbar-keys">{plural(stats.keys, 'key')}</span>
      <span>{stats.memory === null ? 'memory: not counted (large dataset)' : `memory ${stats.memory}`}</span>
      <span data-testid="statusbar-clients">{plural(stats.clients, 'client')}</span>
      <span data-testid="statusbar-persistence">{persistence(stats)}</span>
    </div>
  );
}
