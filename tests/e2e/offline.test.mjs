// The offline kit (issue #22, point 8): dist/sdp-offline.zip holds all of
// dist/, and the one-file embed works from file:// — as the classic build
// (sdp-embed.classic.js); the module build is refused there by the browser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, shoot } from './browser.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
let browser;
let kit;
before(async () => {
  browser = await launch();
  kit = mkdtempSync(join(tmpdir(), 'sdp-offline-'));
  execFileSync('unzip', ['-q', join(dist, 'sdp-offline.zip'), '-d', kit]);
});
after(async () => {
  await browser?.close();
  rmSync(kit, { recursive: true, force: true });
});

function files(dir, root = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, root) : [relative(root, path)];
  }).sort();
}

test('the zip holds every file of dist/ but itself', () => {
  assert.deepEqual(files(kit), files(dist).filter((f) => f !== 'sdp-offline.zip'));
});

async function openFile(name, html) {
  writeFileSync(join(kit, name), html);
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  await page.goto(pathToFileURL(join(kit, name)).href);
  return { page, problems };
}

test('from file://, the classic embed runs a widget; the module embed is refused', async () => {
  const { page, problems } = await openFile('offline-classic.html', '<!doctype html><meta charset="utf-8"><title>offline</title>'
    + '<script src="sdp-embed.classic.js"></script><sdp-hash-ring nodes="3" keys="100"></sdp-hash-ring>');
  await page.waitForFunction(() => document.querySelector('sdp-hash-ring').session, null, { timeout: 20000 });
  const snap = await page.evaluate(() => document.querySelector('sdp-hash-ring').session.snapshot());
  assert.equal(snap.keys, 100);
  assert.equal(snap.load.nodes, 3);
  await shoot(page.locator('sdp-hash-ring'), 'offline-file-classic');
  assert.deepEqual(problems, []);
  await page.close();

  const module = await openFile('offline-module.html', '<!doctype html><meta charset="utf-8"><title>offline</title>'
    + '<script type="module" src="sdp-embed.js"></script><sdp-hash-ring></sdp-hash-ring>');
  await module.page.waitForTimeout(1500);
  assert.equal(await module.page.evaluate(() => customElements.get('sdp-hash-ring') === undefined), true,
    'Chromium now runs module scripts from file://: the module embed would do');
  await module.page.close();
});
