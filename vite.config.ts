import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** `npm run dev` serves the playground at http://127.0.0.1:5173/ (a fixed port: fails if taken). */
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', sourcemap: true },
});
