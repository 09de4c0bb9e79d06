// <sdp-design> in a real browser, on one page (topic.html?t=design): the
// worked URL shortener loaded (estimate, architecture, runs, faults) and its
// numbers on screen; a worked answer shown and saved; a component added by
// hand and a refused wiring shown beside its control with nothing changed;
// a fault that pages; the worksheet as Markdown and the results as JSON;
// the share link restoring it all; screenshots in both themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { controlOf, downloadedBytes, expectRefused, launch, openPage, reopenFromShareLink, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-design';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const box = (page, label) => widget(page).getByLabel(label, { exact: true });
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);
const step = (page, n) => widget(page).locator('section.step').nth(n - 1);

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

test('the worksheet: a worked problem runs, verifies and pages; refusals beside their control; exports; a share link', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=design');
  await ready(page);
  // topic.html asks for the URL shortener; nothing is loaded yet.
  let snap = await snapshot(page);
  assert.equal(snap.problem, 'url_shortener');
  assert.equal(snap.components.length, 0);

  await button(page, 'Load the worked problem').click();
  // Loading sets the problem's SLO first (a config change: a replay), then applies its steps.
  await page.waitForFunction((t) => document.querySelector(t).session.snapshot().components.length === 6, TAG);
  snap = await snapshot(page);
  assert.equal(snap.slo_ms, 100);
  assert.equal(snap.components.length, 6);
  // Step 3: the estimator's numbers, with their formulas.
  assert.match(await step(page, 3).textContent(), new RegExp(`Peak QPS${snap.estimate.text.peak_qps}`));
  // Step 6: the graph has a box per component, the stats a row per component.
  assert.equal(await step(page, 6).locator('svg g.graph-node').count(), 6);
  assert.equal(await step(page, 6).locator('table.stats-table tbody tr').count(), 6);
  assert.match(await step(page, 6).locator('.e2e').textContent(), new RegExp(`p99 ${snap.end_to_end.p99_ms} ms`));
  // The last window is the partitioned cache: the database's busiest replica pages.
  assert.ok(snap.alerts.some((a) => a.rule === 'saturation' && a.component === 'db'), JSON.stringify(snap.alerts));
  assert.equal(await step(page, 10).locator('ul.alerts li').count(), snap.alerts.length);
  // Step 9: every check in a row, estimate beside measured.
  assert.equal(await step(page, 9).locator('tbody tr').count(), snap.verify.length);
  await shootBothThemes(page, widget(page), 'design-url-shortener');

  // A worked answer shown and kept as an action.
  await step(page, 1).getByRole('button', { name: 'Show worked answer' }).click();
  snap = await snapshot(page);
  assert.match(snap.worksheet[0], /short link/);
  assert.equal(await box(page, 'Step 1 answer: Functional requirements').inputValue(), snap.worksheet[0]);

  // Heal the cache, run: nothing pages any more.
  await box(page, 'Fault on').selectOption('cache');
  await box(page, 'Fault').selectOption('heal');
  await button(page, 'Inject').click();
  await button(page, 'Run with the fault').click();
  snap = await snapshot(page);
  assert.deepEqual(snap.alerts, []);
  assert.match(await step(page, 10).textContent(), /Nothing would page/);

  // Refusals beside their control, nothing changed: a cycle, a bad param, bad JSON.
  await box(page, 'From').selectOption('db');
  await box(page, 'To').selectOption('app');
  const connect = button(page, 'Connect');
  await expectRefused(page, TAG, connect, () => connect.click(), /"db" is a database, where a request ends/, 'a database sending onward');
  await box(page, 'From').selectOption('cache');
  await box(page, 'To').selectOption('lb');
  await expectRefused(page, TAG, connect, () => connect.click(), /would make a cycle/, 'a cycle');
  const add = button(page, 'Add');
  await box(page, 'Kind').selectOption('service');
  await box(page, 'Component id').fill('search-api');
  await box(page, 'Params (JSON)').fill('{"replicas": 0}');
  await expectRefused(page, TAG, add, () => add.click(), /field "replicas" must be an integer in \[1, 100\]/, 'replicas 0');
  await box(page, 'Params (JSON)').fill('{replicas: 2}');
  await expectRefused(page, TAG, add, () => add.click(), /must be a JSON object/, 'not JSON');
  // Added for real, it is unreachable until connected: Run says so.
  await box(page, 'Params (JSON)').fill('{"replicas": 2}');
  await add.click();
  const run = button(page, 'Run');
  await expectRefused(page, TAG, run, () => run.click(), /"search-api" \(service\) is unreachable from any client/, 'an unreachable component');
  await shootBothThemes(page, step(page, 6), 'design-refused');

  // Download: the worksheet as Markdown, the results as JSON.
  await button(page, 'Download').click();
  const [md] = await Promise.all([page.waitForEvent('download'), button(page, 'Worksheet (Markdown)').click()]);
  const markdown = (await downloadedBytes(md)).toString('utf8');
  assert.match(markdown, /^# Design worksheet: URL shortener/);
  assert.match(markdown, /## 1\. Functional requirements\n\n\*.*\*\n\nCreate a short link/);
  assert.match(markdown, /\| db \| database \|/);
  const [json] = await Promise.all([page.waitForEvent('download'), button(page, 'Results (JSON)').click()]);
  const results = JSON.parse((await downloadedBytes(json)).toString('utf8'));
  snap = await snapshot(page);
  assert.deepEqual(results.components, snap.components);
  assert.deepEqual(results.end_to_end, snap.end_to_end);

  // The share link restores the worksheet, the architecture and its numbers.
  const second = await reopenFromShareLink(page, context, TAG, ready);
  assert.match(await second.locator(TAG).getByLabel('Step 1 answer: Functional requirements', { exact: true }).inputValue(), /short link/);
  await second.close();
  assert.deepEqual(problems, []);
  await context.close();
});
