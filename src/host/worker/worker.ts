/**
 * Web Worker entry: one Redis server ("node 6379") per worker. The page talks to it with the
 * messages in protocol.ts.
 */
import { WorkerHost } from './host';
import type { ReadyMessage, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const host = new WorkerHost({ config: { 'enable-debug-command': 'yes' } });
host.start();

self.onmessage = (ev: MessageEvent<ToWorker>) => host.handle(ev.data);

const ready: ReadyMessage = { type: 'ready', version: host.version };
self.postMessage(ready);
