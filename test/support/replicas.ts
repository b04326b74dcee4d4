import { Conn } from './harness';
import { showReply } from './resp-reader';

/** Helpers for compat tests that run real and our servers as masters and replicas over loopback. */

/** One command on a fresh connection, the reply as text (errors as "(error) ..."). */
export async function ask(port: number, ...argv: string[]): Promise<string> {
  const c = await Conn.open(port);
  try {
    const r = (await c.send(...argv)).reply;
    if (r.t === 'simple' || r.t === 'int') return r.v;
    if (r.t === 'bulk') return r.v ?? '(nil)';
    if (r.t === 'error') return '(error) ' + r.v;
    return showReply(r);
  } finally {
    c.close();
  }
}

/** One INFO section as field → value. */
export async function info(port: number, section = 'replication'): Promise<Map<string, string>> {
  const text = await ask(port, 'INFO', section);
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/**
 * Wait until the replica's link is up and it applied everything the master sent so far; with
 * `online`, also until the master lists its (only) replica as online.
 */
export async function caughtUp(master: number, replica: number, online = false): Promise<void> {
  for (let i = 0; ; i++) {
    const [m, r] = await Promise.all([info(master), info(replica)]);
    if (r.get('master_link_status') === 'up' && r.get('master_sync_in_progress') === '0' &&
      r.get('slave_repl_offset') === m.get('master_repl_offset') &&
      (!online || (m.get('slave0') ?? '').includes('state=online'))) return;
    if (i > 400) throw new Error(`replica never caught up: master ${m.get('master_repl_offset')}, replica ${r.get('slave_repl_offset')} (${r.get('master_link_status')})`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** Send commands on one connection, pipelined in batches; replies ignored (random steps may fail). */
export async function write(port: number, cmds: string[][]): Promise<void> {
  const c = await Conn.open(port);
  try {
    for (let i = 0; i < cmds.length; i += 100) await c.pipeline(cmds.slice(i, i + 100));
  } finally {
    c.close();
  }
}
