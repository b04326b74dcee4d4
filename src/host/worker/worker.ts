/**
 * Web Worker entry: one Redis server ("node 6379") per worker. The page talks to it with the
 * messages in protocol.ts.
 */
import { WorkerHost } from './host';
import { IdbStorage } from './idb-storage';
import type { FromWorker, ReadyMessage, ToWorker } from './protocol';
import { initScripting } from '../../engine/scripting/vm';
// The Lua VM's WebAssembly, served from our own bundle (no CDN: the playground works offline).
import luaWasmUrl from 'wasmoon-lua5.1/dist/liblua5.1.wasm?url';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker, transfer: Transferable[] = []): void => self.postMessage(m, transfer);

// Each node keeps its files in its own IndexedDB database. The page runs with the append-only
// file on (appendfsync everysec), so a reload or a crashed tab comes back with every write but
// those of the last second, the way a Redis restart with that configuration would.
const storage = new IdbStorage('redis-playground-6379');
const host = new WorkerHost({ config: { 'enable-debug-command': 'yes', appendonly: 'yes' }, engine: { storage } });

// Connections that arrive while the Lua VM loads wait for it, so EVAL works from the first command.
const early: ToWorker[] = [];
let loaded = false;
self.onmessage = (ev: MessageEvent<ToWorker>) => {
  if (loaded) host.handle(ev.data, post);
  else early.push(ev.data);
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
