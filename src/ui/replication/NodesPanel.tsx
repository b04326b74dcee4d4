import { useState, useSyncExternalStore } from 'react';
import { MASTER_PORT, type NodeInfo } from '../../host/worker/nodes';
import { getNodes } from '../engine';
import './nodes.css';

/**
 * The Nodes panel: the page's Redis nodes (the master 6379 and its replicas, each an engine in its
 * own Web Worker), their replication state, and the simulated network's controls for the link
 * between each replica and its master. Text only.
 */

function useNodes(): NodeInfo[] {
  const nodes = getNodes();
  return useSyncExternalStore(
    (fn) => nodes.subscribe(fn),
    () => nodes.snapshot(),
  );
}

/** The node picker next to "New terminal": which node the new terminal connects to. */
export function NodeSelect({ value, onChange }: { value: number; onChange: (port: number) => void }) {
  const list = useNodes();
  const ports = list.length > 0 ? list.map((n) => n.port) : [MASTER_PORT];
  return (
    <select
      className="node-select"
      data-testid="terminal-node"
      aria-label="Node for the new terminal"
      title="The node the new terminal connects to"
      value={value}
      onChange={(e) => onChange(Number(e.target.value))}
    >
      {ports.map((p) => (
        <option key={p} value={p}>
          127.0.0.1:{p}
        </option>
      ))}
    </select>
  );
}

function linkText(n: NodeInfo): string {
  if (n.status === 'killed') return 'killed';
  if (n.status === 'starting' || n.state === null) return 'starting';
  if (n.state.role === 'master') return '—';
  const s = n.state.link === 'connected' ? 'up' : `down (${n.state.link})`;
  return n.link?.cut ? `${s}, cut` : s;
}

function roleText(n: NodeInfo): string {
  // A node killed before a page reload has no polled state yet: its remembered master says it.
  if (n.state === null && n.status !== 'killed') return '';
  return n.masterPort === null ? 'master' : `replica of ${n.masterPort}`;
}

function offsetText(n: NodeInfo): string {
  if (n.state === null) return '';
  if (n.state.role === 'master') return String(n.state.masterReplOffset);
  return String(n.state.replOffset ?? '');
}

/** Promote a replica: REPLICAOF NO ONE on a connection of its own (the next poll shows it as a master). */
async function promote(port: number): Promise<void> {
  const conn = getNodes().connect(port, 'nodes-panel');
  try {
    const r = await conn.send('REPLICAOF', 'NO', 'ONE');
    if (r.type === 'error') throw new Error(r.value);
  } finally {
    conn.close();
  }
}

function NodeRow({ n, busy, run }: { n: NodeInfo; busy: boolean; run: (f: () => unknown) => void }) {
  const nodes = getNodes();
  const up = n.status === 'up';
  const replica = n.masterPort !== null;
  const [latency, setLatency] = useState(String(n.link?.latency ?? 0));
  const p = n.port;
  return (
    <tr data-testid={`node-${p}`} data-status={n.status} data-role={n.state?.role ?? ''} data-link={n.state?.link ?? ''}>
      <td className="node-port">{p}</td>
      <td data-testid={`node-role-${p}`}>{roleText(n)}</td>
      <td data-testid={`node-link-${p}`}>{linkText(n)}</td>
      <td data-testid={`node-offset-${p}`} title="master_repl_offset (master) / slave_repl_offset (replica)">
        {offsetText(n)}
      </td>
      <td data-testid={`node-replicas-${p}`} title="connected replicas (their listening ports)">
        {n.state && n.state.replicas.length > 0 ? n.state.replicas.map((r) => r.port).join(', ') : ''}
      </td>
      <td data-testid={`node-traffic-${p}`} title="bytes on the link to its master: in flight / total">
        {n.link ? `${n.link.inFlight} / ${n.link.total} B` : ''}
      </td>
      <td className="node-actions">
        {up && replica && (
          <button type="button" data-testid={`add-subreplica-${p}`} disabled={busy} onClick={() => run(() => nodes.addReplica(p))}
            title={`Start a new node that replicates from ${p} (a chain)`}>
            Add sub-replica
          </button>
        )}
        {up && replica && (
          <button type="button" data-testid={`promote-${p}`} disabled={busy} onClick={() => run(() => promote(p))}
            title="REPLICAOF NO ONE: make this replica a master (it keeps its data and history, so the others can follow it with a partial resync)">
            Promote
          </button>
        )}
        {up && (
          <button type="button" data-testid={`kill-${p}`} onClick={() => nodes.kill(p)}
            title="Terminate the node's worker, as a crash would (its data stays in IndexedDB; the connections to it break)">
            Kill
          </button>
        )}
        {n.status === 'killed' && (
          <button type="button" data-testid={`restart-${p}`} disabled={busy} onClick={() => run(() => nodes.restart(p))}
            title="Start the node again from its saved data (its AOF), as a redis-server restarted after a crash">
            Restart
          </button>
        )}
        {/* The master is never removed: the page's terminals, explorer and status bar are about it. */}
        {p !== MASTER_PORT && (
          <button type="button" data-testid={`remove-${p}`} disabled={busy} onClick={() => nodes.remove(p)}
            title="Stop the node and forget it: its saved data is deleted and it does not come back after a reload">
            Remove
          </button>
        )}
        {replica && !n.link?.cut && (
          <button type="button" data-testid={`cut-${p}`} onClick={() => nodes.cut(p)} title={`Cut the link between ${p} and ${n.masterPort}`}>
            Cut link
          </button>
        )}
        {replica && n.link?.cut && (
          <button type="button" data-testid={`heal-${p}`} onClick={() => nodes.heal(p)} title={`Heal the link between ${p} and ${n.masterPort}`}>
            Heal link
          </button>
        )}
        {replica && (
          <label className="node-latency" title={`One-way latency between ${p} and ${n.masterPort}`}>
            <input
              type="number"
              min={0}
              step={10}
              data-testid={`latency-${p}`}
              value={latency}
              onChange={(e) => {
                setLatency(e.target.value);
                const ms = Number(e.target.value);
                if (Number.isFinite(ms) && ms >= 0) nodes.setLatency(p, ms);
              }}
            />
            ms
          </label>
        )}
      </td>
    </tr>
  );
}

export function NodesPanel() {
  const list = useNodes();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = (f: () => unknown): void => {
    setBusy(true);
    setError('');
    Promise.resolve()
      .then(f)
      .catch((e) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="nodes" data-testid="nodes-panel" aria-label="Nodes">
      <div className="nodes-bar">
        <strong>Nodes</strong>
        <button type="button" data-testid="add-replica" disabled={busy} onClick={() => run(() => getNodes().addReplica(MASTER_PORT))}>
          Add replica
        </button>
        <span className="hint">each node is a Redis server in its own worker; replicas connect to their master over a simulated network</span>
        {error && <span className="nodes-error" data-testid="nodes-error">{error}</span>}
      </div>
      {/* Even with the master alone: it can be killed and restarted too. */}
      {list.length > 0 && (
        <table className="nodes-table">
          <thead>
            <tr>
              <th>port</th>
              <th>role</th>
              <th>link</th>
              <th>offset</th>
              <th>replicas</th>
              <th>traffic</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((n) => (
              <NodeRow key={n.port} n={n} busy={busy} run={run} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
