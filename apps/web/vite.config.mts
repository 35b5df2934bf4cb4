import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const source = (pkg: string, entry = 'index.ts') => fileURLToPath(new URL(`../../packages/${pkg}/src/${entry}`, import.meta.url));

// The shared packages build to CommonJS for Node; the screens bundle their TypeScript source.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@xephang/protocol': source('protocol'),
      '@xephang/client': source('client'),
      '@xephang/core': source('core'),
      '@xephang/catalog': source('catalog'),
      '@xephang/voice/browser': source('voice', 'browser/index.ts'),
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    // `npm run dev -w @xephang/web` against a hub started with --allow-origin http://localhost:5173
    proxy: { '/socket.io': { target: 'http://localhost:8080', ws: true }, '/api': 'http://localhost:8080' },
  },
});
