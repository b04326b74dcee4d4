import type { Engine } from '../../engine/server';
import type { LinkState } from '../../engine/replication/replica';

/**
 * A node's replication at a glance, for the page's Nodes panel: INFO replication's main figures,
 * read in the worker without a client (so the page's polling shows in neither MONITOR nor
 * CLIENT LIST).
 *
 *   page → worker  { type: 'replication', id }
 *   worker → page  { type: 'replication', id, state: ReplicationState }
 */
export interface ReplicationState {
  role: 'master' | 'slave';
  /** Whom a replica follows (master_host / master_port); null for a master. */
  masterHost: string | null;
  masterPort: number | null;
  /** ROLE's name for the link to our master ('none' for a master); master_link_status is "up" when 'connected'. */
  link: LinkState;
  /** master_repl_offset. */
  masterReplOffset: number;
  /** slave_repl_offset (null for a master). */
  replOffset: number | null;
  replid: string;
  /** Our replicas (INFO's slaveN): their listening port, state and acknowledged offset. */
  replicas: { port: number; state: string; offset: number }[];
  /** INFO stats. */
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  keys: number;
}

export interface ReplicationStateRequest {
  type: 'replication';
  id: number;
}

export interface ReplicationStateMessage {
  type: 'replication';
  id: number;
  state: ReplicationState;
}

export function replicationState(e: Engine): ReplicationState {
  const repl = e.replication;
  const link = repl.link;
  return {
    role: link === null ? 'master' : 'slave',
    masterHost: link?.host ?? null,
    masterPort: link?.port ?? null,
    link: link?.state ?? 'none',
    masterReplOffset: repl.masterReplOffset,
    // As INFO computes slave_repl_offset.
    replOffset: link === null ? null : link.state === 'connected' ? link.reploff : (link.cachedMaster()?.offset ?? 1),
    replid: repl.replid,
    replicas: repl.replicas.map((c) => ({ port: c.replica!.listeningPort, state: c.replica!.state, offset: c.replica!.ackOffset })),
    syncFull: repl.syncFull,
    syncPartialOk: repl.syncPartialOk,
    syncPartialErr: repl.syncPartialErr,
    keys: e.dbs.reduce((n, db) => n + db.size, 0),
  };
}
