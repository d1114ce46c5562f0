/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      // The Rust server; `ws: true` also forwards the /api/stream WebSocket.
      '/api': { target: 'http://127.0.0.1:3001', ws: true, changeOrigin: true },
    },
  },
  // No source maps in the build: they would be served to everyone (the dev server has its own).
  build: { outDir: 'dist', sourcemap: false },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    // twitter-text's ESM build is .js without "type": "module"; let Vite transform it.
    server: { deps: { inline: ['twitter-text'] } },
  },
});
