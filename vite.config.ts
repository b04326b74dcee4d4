import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, transformWithEsbuild, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Emits sw.js, the service worker that lets the built page work offline (src/ui/offline). It is
 * compiled from TypeScript here, with the list of files to precache and a version derived from that
 * list put in front, so each build has its own worker and cache.
 */
function servicePrecache(): Plugin {
  let publicDir = '';
  return {
    name: 'playground-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'index.html');
      const copied = publicDir ? readdirSync(publicDir) : [];
      const files = ['./', ...built, ...copied].sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const source = path.resolve('src/ui/offline/service-worker.ts');
      const { code } = await transformWithEsbuild(readFileSync(source, 'utf8'), source, { loader: 'ts', target: 'es2022', format: 'iife' });
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: `const PRECACHE = ${JSON.stringify(files)};\nconst VERSION = ${JSON.stringify(version)};\n${code}`,
      });
    },
  };
}

/** `npm run dev` serves the playground at http://127.0.0.1:5173/ (a fixed port: fails if taken). */
export default defineConfig({
  plugins: [react(), servicePrecache()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', sourcemap: true },
});
