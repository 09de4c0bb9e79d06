// Shared setup for the browser tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), console errors collected,
// screenshots written to build/screenshots/ for a human to look at.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export const baseUrl = process.env.SDP_BASE_URL ?? 'http://127.0.0.1:8000';
export const screenshotDir = fileURLToPath(new URL('../../build/screenshots/', import.meta.url));
mkdirSync(screenshotDir, { recursive: true });

export function launchOptions() {
  return {
    executablePath: process.env.SDP_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  };
}

// The suite's shared browser when scripts/e2e.sh started one
// (browser-server.mjs), else a browser of this file's own. close() on a
// connected browser closes this file's contexts and disconnects.
export async function launch() {
  const shared = process.env.SDP_BROWSER_WS;
  return shared ? chromium.connect(shared) : chromium.launch(launchOptions());
}

// Test-only pages live in tests/e2e/pages/ and are served at /test/NAME on
// the site's origin (so they load its modules), never copied into dist/.
const testPages = fileURLToPath(new URL('./pages/', import.meta.url));

// A page that records console errors, page errors and failed requests.
// initScript runs in the page before any of its own scripts. `timeout` (ms)
// is for the navigation: a page opened with a long link replays its whole
// log before `load`.
export async function openPage(browser, path, { colorScheme = 'light', viewport = { width: 1200, height: 1000 }, initScript = null, timeout } = {}) {
  const context = await browser.newContext({ colorScheme, viewport });
  if (initScript) await context.addInitScript(initScript);
  await context.route(`${baseUrl}/test/*`, (route) =>
    route.fulfill({ path: testPages + basename(new URL(route.request().url()).pathname) }));
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.url()}`));
  page.on('dialog', (dialog) => { problems.push(`dialog: ${dialog.message()}`); dialog.dismiss(); });
  await page.goto(baseUrl + path, timeout ? { timeout } : undefined);
  return { page, context, problems };
}

// target: a page or a locator (a widget); options go to Playwright.
export async function shoot(target, name, options = {}) {
  await target.screenshot({ path: `${screenshotDir}${name}.png`, ...options });
}

// Resolves after the page has drawn two more frames: what a change
// scheduled for the next frame (a redraw) has done by then is on screen.
export const twoFrames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

// Shoots `locator` as NAME-light.png, then, with the page switched to dark
// (the widgets' colours follow the media query live), as NAME-dark.png: one
// page instead of a second load and replay for the dark screenshot.
// A theme change redraws the widgets (their charts read the theme's
// colours): each shot waits two frames for that redraw, so `locator` is
// resolved in the redrawn widget.
export async function shootBothThemes(page, locator, name) {
  await page.emulateMedia({ colorScheme: 'light' });
  await twoFrames(page);
  await shoot(locator, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await twoFrames(page);
  await shoot(locator, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
  await twoFrames(page);
}

// The form group (div.control) a button sits in: where a widget shows the
// message for a step it refused.
export const controlOf = (button) => button.locator('xpath=ancestor::div[contains(@class,"control")][1]');

// Runs `act` and checks that the widget <tag> refused it next to `button`:
// the message under it matches `pattern`, and the snapshot and the action
// log are what they were before.
export async function expectRefused(page, tag, button, act, pattern, what = 'the refused step') {
  const state = () => page.evaluate((t) => {
    const widget = document.querySelector(t);
    return { snapshot: widget.session.snapshot(), actions: widget.log.length };
  }, tag);
  const before = await state();
  await act();
  assert.match(await controlOf(button).locator('.field-error').textContent(), pattern);
  assert.deepEqual(await state(), before, `${what} changed the simulation`);
  return before.snapshot;
}

// A download's bytes. The suite's browser is a shared one the test files
// connect to, where Playwright gives no local path; the stream works either way.
export async function downloadedBytes(download) {
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// The widget <tag>'s share link, opened in a second page of the same
// context, restores the snapshot `page` shows. `ready(page)` waits for the
// widget as the calling test file defines it. Returns the second page.
export async function reopenFromShareLink(page, context, tag, ready) {
  const snapshotOf = (p) => p.evaluate((t) => document.querySelector(t).session.snapshot(), tag);
  const before = await snapshotOf(page);
  const url = await page.evaluate((t) => { const w = document.querySelector(t); w.flushLink(); return w.shareUrl(); }, tag);
  const second = await context.newPage();
  await second.goto(url);
  await ready(second);
  assert.deepEqual(await snapshotOf(second), before, `<${tag}>: the share link restores the snapshot`);
  return second;
}

// Every widget on topic.html, in page order: [{tag, id}] (id: what
// topic.html?t=ID shows alone), read from its HTML. Opening the page would
// create widgets just to list them. A widget added there is found here.
export async function topicPageWidgets() {
  const html = await (await fetch(`${baseUrl}/topic.html`)).text();
  const found = new Map();
  for (const [, tag, id] of html.matchAll(/<(sdp-[a-z0-9-]+)\b[^>]*\bid="([^"]+)"/g)) {
    if (!found.has(tag)) found.set(tag, id);
  }
  return [...found].map(([tag, id]) => ({ tag, id }));
}

// Creates every widget of a topic page (they are created when scrolled
// near: web/lazy-widgets.mjs) and waits until each has started; back at
// the top afterwards. Returns their tags.
export async function createAllWidgets(page) {
  const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('main *')]
    .map((e) => e.localName).filter((n) => n.startsWith('sdp-')))]);
  for (const tag of tags) {
    await page.locator(tag).scrollIntoViewIfNeeded();
    await page.waitForFunction((t) => document.querySelector(t)?.session, tag, { timeout: 60_000 });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await twoFrames(page);
  return tags;
}

// The index page's card pictures (web/card-pictures.mjs) are drawn, in the
// colour scheme the page now has, for every card that came near the screen.
export async function cardPicturesDrawn(page, colorScheme) {
  await page.waitForFunction((scheme) => {
    const main = document.querySelector('main');
    const drawn = [...main.querySelectorAll('.card-picture[data-scheme]')];
    return main.dataset.pictures === 'done' && drawn.length > 0 && drawn.every((s) => s.dataset.scheme === scheme);
  }, colorScheme, { timeout: 120_000 });
}
