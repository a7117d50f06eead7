import { defineConfig } from 'vite';

/** Where `/admin` goes while developing (`vite` / `vite preview`); the service serves the build itself. */
const api = process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:3200';
const proxy = { '/admin': { target: api, changeOrigin: false } };

export default defineConfig({
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  base: '/console/',
  // Vite 8 transforms JSX with oxc; no React plugin needed (no fast refresh, full reloads).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: { proxy },
  preview: { proxy },
});
