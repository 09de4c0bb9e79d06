// What the browser benches share: a free port, a dist/ served by
// python3 -m http.server on 127.0.0.1, and Debian's Chromium launched the
// way the browser tests launch it (never a downloaded browser).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { launchOptions } from '../tests/e2e/browser.mjs';

export const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
});

// Serves `dir` until stop(); resolves once it answers.
export async function serve(dir) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { await fetch(`${base}/`); return { base, stop: () => child.kill() }; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  child.kill();
  throw new Error(`could not serve ${dir}`);
}

export const launchBrowser = () => chromium.launch(launchOptions());

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
