// <sdp-search-cluster> in a real browser, on one page: the cluster green,
// node-1 killed (a replica promoted, yellow, the unassigned copies shown)
// and started again (green); a search revealed phase by phase; deep paging's
// cost per shard and the 10,000 window refused beside the Search button with
// nothing changed; dfs scores; a tour whose numbers come from its run;
// screenshots in both themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectRefused, launch, openPage, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-search-cluster';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);

test('nodes, health, a search in phases, deep paging, dfs, a tour', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=search-cluster');
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
  const badge = widget(page).locator('.health');
  assert.match(await badge.textContent(), /^green/);
  assert.equal(await widget(page).locator('.node').count(), 3);
  assert.equal(await widget(page).locator('.nodes .copy.primary').count(), 3);

  // Kill node-1: a replica is promoted, the lost replicas wait: yellow.
  await button(page, 'Kill node-1').click();
  assert.match(await badge.textContent(), /^yellow/);
  let snap = await snapshot(page);
  assert.equal(snap.counters.promotions, 1);
  assert.ok(await widget(page).getByRole('group', { name: 'unassigned copies' }).isVisible());
  await shootBothThemes(page, widget(page).getByRole('region', { name: 'Cluster' }), 'search-cluster-node-down');
  await button(page, 'Start node-1').click();
  assert.match(await badge.textContent(), /^green/);

  // A search, phase by phase.
  await button(page, 'Search').click();
  const phases = widget(page).getByRole('list', { name: 'Search phases' }).locator('li');
  assert.match(await phases.nth(0).textContent(), /^Fan-out: node-1 \(coordinating\)/);
  assert.match(await phases.nth(1).getAttribute('class'), /pending/);
  while (!(await button(page, 'Next phase').isDisabled())) await button(page, 'Next phase').click();
  assert.match(await phases.nth(2).textContent(), /^Reduce: /);
  assert.match(await phases.nth(3).textContent(), /^Fetch phase: /);

  // Deep paging: every shard sends from + size.
  await widget(page).getByLabel('from', { exact: true }).fill('290');
  await button(page, 'Search').click();
  snap = await snapshot(page);
  const last = await page.evaluate((t) => document.querySelector(t).log.at(-1), TAG);
  assert.equal(last.from, 290);
  const paging = widget(page).getByRole('region', { name: 'Pagination' });
  assert.match(await paging.textContent(), /every shard sends from \+ size = 300/);
  await widget(page).getByLabel('from', { exact: true }).fill('9995');
  const search = button(page, 'Search');
  await expectRefused(page, TAG, search, () => search.click(),
    /Result window is too large, from \+ size must be less than or equal to: \[10000\] but was \[10005\]/, 'from 9995');
  await widget(page).getByLabel('from', { exact: true }).fill('0');

  // dfs: the scores column says which statistics it used.
  await widget(page).getByLabel('Search type').selectOption('dfs_query_then_fetch');
  await button(page, 'Search').click();
  const scores = widget(page).getByRole('region', { name: 'Scores' });
  assert.match(await scores.textContent(), /score \(dfs\)/);
  assert.match(await scores.textContent(), /all shards \(dfs\)/);
  await shootBothThemes(page, widget(page), 'search-cluster-search');

  // A tour: its numbers come from its own run.
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  const index = options.findIndex((t) => /^A search in phases/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  const description = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(description, /\{\{/);
  assert.match(description, /The first page of match_all costs 50 hits/);
  assert.deepEqual(problems, []);
  await context.close();
});
