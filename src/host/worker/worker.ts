/**
 * Web Worker entry: one Redis server (a "node") per worker. The page talks to it with the
 * messages in protocol.ts, plus the replication ones (network.ts, replication-state.ts).
 *
 * The worker's name says which node it is: "redis 6379", or "redis 6381 replicaof 127.0.0.1 6380"
 * for a replica started as one (a restarted replica), as redis-server's --port and --replicaof.
 */
import { WorkerHost } from './host';
import { IdbStorage, nodeDatabaseName } from './idb-storage';
import type { FromWorker, ReadyMessage, ToWorker } from './protocol';
import { workerDialer, type DialMessage } from './network';
import { replicationState, type ReplicationStateMessage, type ReplicationStateRequest } from './replication-state';
import { initScripting } from '../../engine/scripting/vm';
// The Lua VM's WebAssembly, served from our own bundle (no CDN: the playground works offline).
import luaWasmUrl from 'wasmoon-lua5.1/dist/liblua5.1.wasm?url';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker, transfer: Transferable[] = []): void => self.postMessage(m, transfer);

// Each node keeps its files in its own IndexedDB database. The page runs with the append-only
// file on (appendfsync everysec), so a reload or a crashed tab comes back with every write but
// those of the last second, the way a Redis restart with that configuration would.
const named = /^redis (\d+)(?: replicaof (\S+) (\d+))?/.exec(self.name ?? '');
const port = named ? named[1] : '6379';
const config: Record<string, string> = { 'enable-debug-command': 'yes', appendonly: 'yes', port };
if (named?.[2]) config.replicaof = `${named[2]} ${named[3]}`;
const storage = new IdbStorage(nodeDatabaseName(port));
// A replica's connection to its master goes through the page's simulated network (network.ts).
const dial = workerDialer(
  (m: DialMessage, transfer) => self.postMessage(m, transfer),
  () => host.engine.flushReplies(),
);
const host = new WorkerHost({ config, engine: { storage, dial } });

// Connections that arrive while the Lua VM loads wait for it, so EVAL works from the first command.
const early: ToWorker[] = [];
let loaded = false;
self.onmessage = (ev: MessageEvent<ToWorker | ReplicationStateRequest>) => {
  const msg = ev.data;
  if (msg && msg.type === 'replication') {
    const m: ReplicationStateMessage = { type: 'replication', id: msg.id, state: replicationState(host.engine) };
    self.postMessage(m);
  } else if (loaded) {
    host.handle(msg, post);
  } else {
    early.push(msg);
  }
};

const loading = host.engine.loadFromStorage().then((r) => {
  if (r.error) console.error('Could not load the saved data, starting empty:', r.error);
  host.start();
  return r;
});

initScripting(luaWasmUrl)
  .catch((e) => console.error('Lua VM failed to load: EVAL will answer an error', e))
  .then(() => loading)
  .then((r) => {
    loaded = true;
    for (const m of early) host.handle(m, post);
    early.length = 0;
    const ready: ReadyMessage = { type: 'ready', version: host.version, loaded: r };
    self.postMessage(ready);
  });
