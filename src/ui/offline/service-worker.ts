/**
 * The playground's service worker: after one visit the page works offline.
 *
 * The build (vite.config.ts, `servicePrecache`) prepends two constants: PRECACHE, every file of the
 * build (page, scripts, the engine worker, the Lua VM's WebAssembly, styles), and VERSION, a hash of
 * that list. A new build therefore is a new service worker, which caches its own files and then
 * drops the old cache.
 *
 * Pages are fetched network-first (a reload online gets the newest build), everything in the
 * precache cache-first (file names carry content hashes). Nothing else is intercepted.
 */
export {}; // a module, so that `self` below is this file's own declaration
declare const self: ServiceWorkerGlobalScope;
declare const PRECACHE: string[];
declare const VERSION: string;

const PREFIX = 'redis-playground-';
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(pageNetworkFirst(request));
    return;
  }
  // ignoreVary: the preview server answers `Vary: Origin`, and module scripts are requested with an
  // Origin header that the precaching request did not have.
  event.respondWith(caches.match(request, { cacheName: CACHE, ignoreVary: true }).then((hit) => hit ?? fetch(request)));
});

/** The page from the network when it answers, else the cached one (the root page stands for any path). */
async function pageNetworkFirst(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(CACHE);
      await cache.put(new URL('./', self.location.href).href, response.clone());
    }
    return response;
  } catch (e) {
    const cached = await caches.match(new URL('./', self.location.href).href, { cacheName: CACHE, ignoreVary: true });
    if (cached) return cached;
    throw e;
  }
}
