// <sdp-tcp-connection> in a real browser: the handshake's states on the
// right sides, a simultaneous close through CLOSING, a lost SYN sent again
// after the RTO (and drawn so), refused input next to its control with
// nothing changed, and a share link that restores the state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { controlOf, expectRefused, launch, openPage, reopenFromShareLink, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-tcp-connection';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);
const states = async (page) => {
  const s = await snapshot(page);
  return [s.client.state, s.server.state];
};
// The state labels drawn beside each lifeline, top to bottom.
const bandLabels = (page) => widget(page).locator('.diagram text.state-label').allTextContents();

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

async function nextEvents(page, n) {
  for (let i = 0; i < n; i += 1) await button(page, 'Next event').click();
}

test('handshake: SYN-SENT on the client, SYN-RECEIVED on the server, then ESTABLISHED on both', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-connection', { colorScheme });
    await ready(page);
    assert.deepEqual(await states(page), ['CLOSED', 'LISTEN']);
    await button(page, 'Connect').click();
    assert.deepEqual(await states(page), ['SYN-SENT', 'LISTEN']);
    await nextEvents(page, 1);
    assert.deepEqual(await states(page), ['SYN-SENT', 'SYN-RECEIVED']);
    await nextEvents(page, 2);
    assert.deepEqual(await states(page), ['ESTABLISHED', 'ESTABLISHED']);
    // Client labels are drawn left of the client lifeline, server labels right of the server's.
    const labels = await widget(page).locator('.diagram text.state-label').evaluateAll((nodes) =>
      nodes.map((n) => ({ text: n.textContent, x: Number(n.getAttribute('x')) })));
    const left = labels.filter((l) => l.x < 380).map((l) => l.text);
    const right = labels.filter((l) => l.x > 380).map((l) => l.text);
    assert.deepEqual(left, ['CLOSED', 'SYN-SENT', 'ESTABLISHED']);
    assert.deepEqual(right, ['CLOSED', 'LISTEN', 'SYN-RECEIVED', 'ESTABLISHED']); // passive open at t = 0
    const arrows = await widget(page).locator('.diagram text').allTextContents();
    assert.ok(arrows.includes('SYN seq=0'), arrows.join(' | '));
    assert.ok(arrows.includes('SYN,ACK seq=0 ack=1'), arrows.join(' | '));
    assert.ok(arrows.includes('ACK seq=1 ack=1'), arrows.join(' | '));
    await widget(page).getByLabel('Bytes to send').fill('3000');
    await button(page, 'Send data').click();
    await nextEvents(page, 2);
    assert.equal((await snapshot(page)).server.bytes_delivered, 3000);
    await shoot(widget(page), `tcp-handshake-data-${colorScheme}`);
    // Absolute numbers: the ISNs drawn from the seed.
    await widget(page).getByLabel(/relative seq numbers/).uncheck();
    const iss = (await snapshot(page)).client.iss;
    assert.ok((await widget(page).locator('.diagram text').allTextContents()).includes(`SYN seq=${iss}`));
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('simultaneous close: both ends pass through CLOSING, then TIME-WAIT counts down 2·MSL', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-connection', { colorScheme });
    await ready(page);
    await button(page, 'Connect').click();
    await nextEvents(page, 3);
    await button(page, 'Close both at once').click();
    assert.deepEqual(await states(page), ['FIN-WAIT-1', 'FIN-WAIT-1']);
    await nextEvents(page, 1);
    assert.deepEqual(await states(page), ['CLOSING', 'CLOSING']);
    await nextEvents(page, 1);
    assert.deepEqual(await states(page), ['TIME-WAIT', 'TIME-WAIT']);
    const labels = await bandLabels(page);
    assert.equal(labels.filter((l) => l === 'CLOSING').length, 2);
    const snap = await snapshot(page);
    assert.equal(snap.client.time_wait_ends_us - snap.now_us, 2 * 30000 * 1000);
    await widget(page).getByText('TIME-WAIT ends in').first().waitFor();
    assert.match(await widget(page).locator('.end').first().textContent(), /TIME-WAIT ends in60 s \(2·MSL = 60 s\)/);
    await shoot(widget(page), `tcp-simultaneous-close-${colorScheme}`);
    await nextEvents(page, 1); // 2·MSL later
    assert.deepEqual(await states(page), ['CLOSED', 'CLOSED']);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a dropped SYN ends in a cross and is sent again after the RTO, marked as a retransmission', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-connection');
  await ready(page);
  await button(page, 'Drop next segment').click();
  await button(page, 'Connect').click();
  assert.equal(await widget(page).locator('.diagram .cross').count(), 1);
  await nextEvents(page, 1); // the RTO
  const snap = await snapshot(page);
  assert.equal(snap.now_us, 1000 * 1000);
  assert.deepEqual(snap.segments.map((s) => [s.flags, s.rel_seq, s.dropped, s.retransmission]),
    [['SYN', 0, true, false], ['SYN', 0, false, true]]);
  assert.equal(await widget(page).locator('.diagram .seg.retx').count(), 1);
  assert.match(await widget(page).locator('.narration li').first().textContent(),
    /The client's SYN was lost; after the RTO of 1,000 ms it is sent again\./);
  const texts = await widget(page).locator('.diagram text').allTextContents();
  assert.ok(texts.some((t) => /… 1\.0 s later …/.test(t)), texts.join(' | '));
  await nextEvents(page, 2);
  assert.deepEqual(await states(page), ['ESTABLISHED', 'SYN-RECEIVED']);
  await shoot(widget(page), 'tcp-lost-syn-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad input is refused next to its control and changes nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-connection');
  await ready(page);
  const refused = (name, pattern) => expectRefused(page, TAG, button(page, name), () => button(page, name).click(), pattern, name);
  await refused('Send data', /send \(client, CLOSED\): error: connection does not exist/);
  await button(page, 'Connect').click();
  await nextEvents(page, 3);
  await button(page, 'Close client').click();
  await refused('Close client', /close \(client, FIN-WAIT-1\): error: connection closing/);
  await refused('Send data', /send \(client, FIN-WAIT-1\): error: connection closing/);
  // MSS 0: the config is refused, the old one stays.
  const config = await page.evaluate((t) => document.querySelector(t).config, TAG);
  await widget(page).getByLabel('MSS (bytes)').fill('0');
  await button(page, 'Apply').click();
  await controlOf(button(page, 'Apply')).locator('.field-error').getByText(/mss/).waitFor();
  assert.match(await controlOf(button(page, 'Apply')).locator('.field-error').textContent(), /"mss".*\[1, 65495\]/);
  assert.deepEqual(await page.evaluate((t) => document.querySelector(t).config, TAG), config);
  assert.deepEqual(await states(page), ['FIN-WAIT-1', 'ESTABLISHED']);
  await shoot(widget(page), 'tcp-refused-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a config change replays the actions; a share link restores the state', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-connection');
  await ready(page);
  await widget(page).getByLabel('Latency (ms)').fill('200');
  await button(page, 'Apply').click();
  await page.waitForFunction((t) => document.querySelector(t).config.latency_ms === 200, TAG);
  await button(page, 'Connect').click();
  await nextEvents(page, 3);
  await button(page, 'Close server').click();
  await nextEvents(page, 1);
  const before = await snapshot(page);
  assert.equal(before.now_us, 800 * 1000);
  assert.deepEqual([before.client.state, before.server.state], ['CLOSE-WAIT', 'FIN-WAIT-1']);
  const second = await reopenFromShareLink(page, context, TAG, ready);
  assert.equal(await second.locator(TAG).getByLabel('Latency (ms)').inputValue(), '200');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tours run from the scenarios, their numbers from the run', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-connection');
  await ready(page);
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  assert.equal(options.length, 4, options.join(' | '));
  const index = options.findIndex((t) => /closed port/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  const text = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(text, /\{\{/);
  for (;;) {
    const position = await widget(page).locator('.tour-text').textContent();
    if (/step (\d+) of \1\)/.test(position)) break;
    await button(page, 'Step').click();
  }
  const snap = await snapshot(page);
  assert.equal(snap.client.error, 'error: connection reset');
  assert.ok(snap.segments.some((s) => s.flags === 'RST,ACK'));
  await shoot(widget(page), 'tcp-tour-rst-light');
  assert.deepEqual(problems, []);
  await context.close();
});
