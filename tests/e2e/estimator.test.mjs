// <sdp-estimator> in a real browser, on one page: the defaults' estimate
// (the 100M DAU x 10 = 11,574 QPS) beside its formula; a hand-checked
// worksheet typed into the boxes; refusals shown beside the box they name,
// with nothing changed; the worksheet downloaded as Markdown; a tour's
// numbers from its run; a share link that restores the state; screenshots in
// both themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { controlOf, downloadedBytes, expectRefused, launch, openPage, reopenFromShareLink, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-estimator';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const box = (page, label) => widget(page).getByLabel(label, { exact: true });
const state = (page) => page.evaluate((t) => {
  const w = document.querySelector(t);
  return { snapshot: w.session.snapshot(), actions: w.log.length };
}, TAG);
const row = (page, label) => widget(page).locator('table.outputs tr').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

const HAND_CHECKED = [
  ['Daily active users', '1000000'], ['Requests per user per day', '100'], ['Reads : writes', '4:1'], ['Peak / average', '3'],
  ['Bytes per object', '500'], ['Retention', '365'], ['Replication factor', '3'], ['Cache share of daily reads', '0.2'],
  ['QPS one server sustains', '500'], ['Bytes one shard holds', '10000000000'], ['p99 latency budget', '250'],
];

test('the worksheet: defaults, a hand-checked case, refusals beside their box, Markdown, a tour, a share link', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=estimates');
  await ready(page);
  // A fresh widget shows the defaults' estimate: the issue's example.
  let { snapshot } = await state(page);
  assert.equal(snapshot.outputs.avg_qps.value, 11574.074);
  assert.match(await row(page, 'Average QPS').textContent(), /11\.6 K req\/s.*dau × requests_per_user_per_day \/ 86,400 s/);
  assert.equal(await box(page, 'Daily active users').inputValue(), '100000000');

  // A hand-checked worksheet (tests/core/estimator_test.cpp has the arithmetic).
  for (const [label, value] of HAND_CHECKED) await box(page, label).fill(value);
  await button(page, 'Estimate').click();
  ({ snapshot } = await state(page));
  assert.deepEqual(snapshot.defaulted, []);
  assert.match(await row(page, 'Servers for the peak').textContent(), /7 servers.*⌈peak_qps \/ per_server_qps⌉/);
  assert.match(await row(page, 'Storage per year (replicated)').textContent(), /11\.0 TB\/year/);
  assert.match(await row(page, 'Cache memory (80/20 rule)').textContent(), /8\.00 GB/);
  assert.match(await widget(page).locator('table.latency tr', { hasText: 'Disk seek' }).textContent(), /10 ms\s*25 in series/);
  assert.match(await widget(page).locator('table.latency tr', { hasText: 'CA->Netherlands' }).textContent(), /1 in series/);
  await shootBothThemes(page, widget(page), 'estimator-worksheet');

  // Refusals: beside the box they name, nothing changed, the box marked.
  const refused = async (label, value, pattern) => {
    const before = await state(page);
    await box(page, label).fill(value);
    await button(page, 'Estimate').click();
    assert.match(await controlOf(box(page, label)).locator('.field-error').textContent(), pattern, label);
    assert.equal(await box(page, label).getAttribute('aria-invalid'), 'true', label);
    assert.deepEqual(await state(page), before, `${label} = ${value} changed the estimate`);
    assert.equal(await controlOf(button(page, 'Estimate')).locator('.field-error').textContent(), '', 'not under the button');
  };
  await refused('Daily active users', '-5', /field "dau" must be an integer in \[0, 10000000000\]/);
  await box(page, 'Daily active users').fill('1000000');
  await refused('Reads : writes', '10', /field "read_write_ratio" must be "r:w"/);
  await box(page, 'Reads : writes').fill('4:1');
  await refused('Cache share of daily reads', '1.5', /field "cache_share" must be a number in \[0, 1\]/);
  await box(page, 'Cache share of daily reads').fill('');
  await refused('Cache share of daily reads', '', /field "cache_share"/);
  await box(page, 'Cache share of daily reads').fill('0.2');
  // Each box within range, together too large to count: a refusal of the
  // combination, under the Estimate button, naming the inputs to lower.
  await box(page, 'Bytes per object').fill('1000000000000');
  const estimate = button(page, 'Estimate');
  await expectRefused(page, TAG, estimate, () => estimate.click(),
    /storage_per_day .*comes to more than 18,446,744,073,709,551,615 B\/day.*lower .*object_bytes/, 'an overflowing combination');
  await box(page, 'Bytes per object').fill('500');
  await shootBothThemes(page, widget(page), 'estimator-refused');
  // Fixed, the next Estimate clears the marks.
  await button(page, 'Estimate').click();
  assert.equal(await box(page, 'Daily active users').getAttribute('aria-invalid'), null);

  // Download > Worksheet (Markdown): the same numbers and formulas.
  await button(page, 'Download').click();
  const [file] = await Promise.all([page.waitForEvent('download'), button(page, 'Worksheet (Markdown)').click()]);
  const markdown = (await downloadedBytes(file)).toString('utf8');
  assert.match(markdown, /^# Back-of-the-envelope estimate/);
  assert.match(markdown, /\| Servers for the peak \| 7 servers \| 7 servers \| `⌈peak_qps \/ per_server_qps⌉` \|/);
  assert.match(markdown, /\| dau \| 1000000 \|/);
  assert.match(markdown, /\| Disk seek \| 10 ms \| 25 \|/);

  // The share link restores the worksheet.
  const second = await reopenFromShareLink(page, context, TAG, ready);
  assert.equal(await box(second, 'Daily active users').inputValue(), '1000000');
  await second.close();

  // A tour: its numbers come from its own run.
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  const index = options.findIndex((t) => /^From users to QPS/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  const description = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(description, /\{\{/);
  assert.match(description, /11\.6 K req\/s on average \(11574\.074\)/);
  assert.deepEqual(problems, []);
  await context.close();
});
