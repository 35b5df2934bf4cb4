import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const source = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));

// The shared packages build to CommonJS for Node; the screens bundle their TypeScript source.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@xephang/protocol': source('protocol'),
      '@xephang/client': source('client'),
      '@xephang/core': source('core'),
      '@xephang/catalog': source('catalog'),
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    // `npm run dev -w @xephang/web` against a hub started with --allow-origin http://localhost:5173
    proxy: { '/socket.io': { target: 'http://localhost:8080', ws: true }, '/api': 'http://localhost:8080' },
  },
});
