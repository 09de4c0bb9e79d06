// <sdp-layers> in a real browser: the request walks stage by stage with the
// right layer lit and the headers shown (TTL down one per router, fragments
// at the 576-byte link, R1's longest match marked), a TTL too small ends in
// ICMP Time Exceeded, refused input is said next to its control and changes
// nothing, a share link restores the state, and the tours run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectRefused, launch, openPage, reopenFromShareLink, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-layers';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);
// The layer boxes lit as "now", by their tooltip ("R1: Network · IPv4").
const lit = (page) => widget(page).locator('.diagram rect.layer.now title').allTextContents();

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

async function stepTo(page, position) {
  while ((await snapshot(page)).walk.position < position) await button(page, 'Next stage').click();
}

test('the default POST walks down, across and up, with the headers of each stage', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=layers');
  await ready(page);
  let snap = await snapshot(page);
  assert.equal(snap.walk.position, 0);
  assert.deepEqual(await lit(page), ['client: Application · HTTP']);
  assert.match(await widget(page).locator('pre.http').textContent(), /^POST \/upload HTTP\/1\.1\nHost: www\.example\.com/);
  await button(page, 'Next stage').click();
  assert.deepEqual(await lit(page), ['client: Transport · TCP']);
  // Three segments: 1460, 1460 and the rest, from relative sequence number 1.
  const segRows = widget(page).locator('.stage tbody tr');
  assert.equal(await segRows.count(), 3);
  assert.match(await segRows.nth(1).textContent(), /1,461/);
  await stepTo(page, 4);
  assert.deepEqual(await lit(page), ['R1: Network · IPv4', 'R1: Link · Ethernet']);
  // R1's table: the /26 via R4 is the longest match, the /24 and the default match too.
  const chosen = widget(page).locator('.tables tr.chosen');
  assert.match(await chosen.textContent(), /203\.0\.113\.64\/26.*via R4/);
  assert.equal(await widget(page).locator('.tables td', { hasText: 'matches, shorter' }).count(), 2);
  await shootBothThemes(page, widget(page), 'layers-r1-lookup');
  await button(page, 'Next stage').click();
  // R4 splits each 1500-byte datagram for the 576-byte link: 552 + 552 + 376.
  snap = await snapshot(page);
  const r4 = snap.walk.stages[5].events[0];
  assert.equal(r4.node, 'R4');
  assert.deepEqual(r4.pdus.slice(0, 3).map((p) => [p.data_bytes, p.offset, p.mf]), [[552, 0, true], [552, 69, true], [376, 138, false]]);
  const ipRows = await widget(page).locator('.stage table').nth(0).locator('tbody tr').allTextContents();
  assert.match(ipRows[0], /10\.0\.|192\.168\.1\.10/);
  assert.ok(ipRows.some((r) => /no TCP header/.test(r)), ipRows.join(' | '));
  await shootBothThemes(page, widget(page), 'layers-r4-fragments');
  await button(page, 'To the end').click();
  snap = await snapshot(page);
  assert.equal(snap.walk.done, true);
  assert.deepEqual(await lit(page), ['server: Application · HTTP']);
  assert.match(await widget(page).locator('.outcome').textContent(), /delivered: the server read all \d+ bytes/);
  assert.equal(await button(page, 'Next stage').isDisabled(), true);
  await shoot(widget(page), 'layers-delivered-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('TTL 3 dies at R3: the box turns red and ICMP Time Exceeded walks back', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=layers');
  await ready(page);
  await widget(page).getByLabel('TTL', { exact: true }).fill('3');
  await button(page, 'Send request').click();
  await stepTo(page, 6);
  assert.equal(await widget(page).locator('.diagram rect.layer.dropped').count(), 1);
  assert.match(await widget(page).locator('.stage').textContent(), /TTL 1 would reach 0/);
  await button(page, 'To the end').click();
  const snap = await snapshot(page);
  assert.equal(snap.walk.delivered, false);
  assert.equal(snap.walk.icmp_sent, 3);
  assert.match(await widget(page).locator('.stage').textContent(), /soft error for TCP/);
  await shootBothThemes(page, widget(page), 'layers-ttl-expired');
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad input is refused next to its control and changes nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=layers');
  await ready(page);
  const refused = (name, pattern) => expectRefused(page, TAG, button(page, name), () => button(page, name).click(), pattern, name);
  await widget(page).getByLabel('MTU (bytes)').fill('67');
  await refused('Set MTU', /"mtu".*\[68, 65535\]/);
  await widget(page).getByLabel('TTL', { exact: true }).fill('0');
  await refused('Send request', /"ttl".*\[1, 255\]/);
  await widget(page).getByLabel('Destination prefix').fill('203.0.113.5/24');
  await refused('Set route', /did you mean 203\.0\.113\.0\/24/);
  await widget(page).getByLabel('Destination prefix').fill('10.0.12.0/24');
  await refused('Remove route', /directly connected/);
  await button(page, 'To the end').click();
  await shoot(widget(page), 'layers-refused-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a route change applies to the next request; a share link restores the state', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=layers');
  await ready(page);
  await widget(page).getByLabel('Destination prefix').fill('203.0.113.64/26');
  await widget(page).getByLabel('Next hop').selectOption('R2');
  await button(page, 'Set route').click();
  await button(page, 'Send request').click();
  await button(page, 'To the end').click();
  const before = await snapshot(page);
  assert.equal(before.walk.fragments_created, 0);
  assert.equal(before.walk.delivered, true);
  await reopenFromShareLink(page, context, TAG, ready);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tours run from the scenarios, their numbers from the run', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=layers');
  await ready(page);
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  const index = options.findIndex((t) => /Don't Fragment/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  const text = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(text, /\{\{/);
  assert.match(text, /next-hop MTU, 576/);
  for (;;) {
    const position = await widget(page).locator('.tour-text').textContent();
    if (/step (\d+) of \1\)/.test(position)) break;
    await button(page, 'Step').click();
  }
  const snap = await snapshot(page);
  assert.equal(snap.walk.icmp_sent, 2);
  await shoot(widget(page), 'layers-tour-df-light');
  assert.deepEqual(problems, []);
  await context.close();
});
