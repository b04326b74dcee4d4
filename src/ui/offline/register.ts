/**
 * Registers the service worker that makes the page work offline (service-worker.ts). Only in a
 * production build: the dev server's modules change on every edit and must not be cached.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // After load, so caching the build does not compete with the page's own first fetches.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch((e) => {
      console.warn('Offline mode is unavailable: the service worker did not register.', e);
    });
  });
}
