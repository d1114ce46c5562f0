// A real `starling` server for the browser tests: a temporary data directory, a free
// port, the built UI; killed and cleaned up by `stopServer`. Shared by run.mjs and perf.mjs,
// with the paths both use.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the browser tests find things, each overridable by the environment. */
export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = resolve(webDir, '..');
/** The built UI the server serves (E2E_DIST, default web/dist). */
export const distDir = process.env.E2E_DIST || join(webDir, 'dist');
export const artifacts = join(webDir, 'e2e-artifacts');
export const bin = process.env.STARLING_BIN || join(repo, 'target', 'release', 'starling');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * Starts the server and waits until it answers `/api/health`. Rate limits are off: the
 * tests act as several people from one address. A failure carries `server` (for its log).
 */
export async function startServer() {
  if (!existsSync(bin)) throw new Error(`no server binary at ${bin}; build it with: cargo build --release -p starling-server (or set STARLING_BIN)`);
  if (!existsSync(join(distDir, 'index.html'))) throw new Error(`no built UI at ${distDir}; run: npm run build`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'starling-e2e-'));
  const child = spawn(bin, ['serve', '--port', String(port), '--data-dir', dataDir, '--web-dir', distDir], {
    env: { ...process.env, STARLING_RATE_LIMIT: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const server = { child, base, dataDir, log: () => log, exited };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw Object.assign(new Error(`server exited early (${child.exitCode ?? child.signalCode}):\n${log}`), { server });
    }
    if (log.includes('starling listening on')) {
      try {
        const r = await fetch(`${base}/api/health`);
        if (r.ok) return server;
      } catch {
        // not accepting yet
      }
    }
    if (Date.now() > deadline) throw Object.assign(new Error(`server not ready after 60 s:\n${log}`), { server });
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopServer(server) {
  if (!server) return;
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await server.exited;
    clearTimeout(timer);
  }
  if (!process.env.E2E_KEEP_DATA) rmSync(server.dataDir, { recursive: true, force: true });
}
