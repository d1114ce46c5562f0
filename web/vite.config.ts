/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * src/boot.ts is its own entry, loaded by its own <script> ahead of the app's: Vite would
 * bundle two module scripts of index.html into one, and boot.ts must not wait for the app's
 * script to download (it exists to start the first reads meanwhile).
 */
function bootScript(): Plugin {
  return {
    name: 'starling-boot-script',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunk = ctx.bundle && Object.values(ctx.bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'boot');
        const src = chunk ? `/${chunk.fileName}` : '/src/boot.ts';
        return [{ tag: 'script', attrs: { type: 'module', crossorigin: true, src }, injectTo: 'head-prepend' }];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), bootScript()],
  server: {
    proxy: {
      // The Rust server; `ws: true` also forwards the /api/stream WebSocket.
      '/api': { target: 'http://127.0.0.1:3001', ws: true, changeOrigin: true },
    },
  },
  // No source maps in the build: they would be served to everyone (the dev server has its own).
  build: {
    outDir: 'dist',
    sourcemap: false,
    rollupOptions: { input: { index: 'index.html', boot: 'src/boot.ts' } },
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    // twitter-text's ESM build is .js without "type": "module"; let Vite transform it.
    server: { deps: { inline: ['twitter-text'] } },
  },
});
