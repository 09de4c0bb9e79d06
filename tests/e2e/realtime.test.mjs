// <sdp-realtime> in a real browser: it starts with long polling and draws a
// timeline per client and the four charts; every technique runs; a dropped
// connection costs SSE nothing and a WebSocket events; WebRTC signals then
// goes peer to peer; all five compare on one stream; refused input is said
// next to its control and changes nothing; a share link restores the state;
// the tour runs with its numbers filled in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectRefused, launch, openPage, reopenFromShareLink, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-realtime';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);
const marks = (page, kind) => widget(page).locator(`svg.timeline .mark.${kind}`).count();

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

async function useTechnique(page, name) {
  await widget(page).getByLabel('Technique', { exact: true }).selectOption(name);
  assert.equal((await snapshot(page)).technique, name);
}

test('starts with long polling: lanes of requests, held GETs and deliveries, and four charts', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=realtime');
  await ready(page);
  const snap = await snapshot(page);
  assert.equal(snap.technique, 'long_polling');
  assert.equal(snap.clients, 20);
  assert.equal(snap.now_us, 5e6);
  assert.equal(await widget(page).locator('svg.timeline .lane-name').count(), 5);
  assert.ok(await marks(page, 'request') > 0, 'requests drawn');
  assert.ok(await marks(page, 'delivery') > 0, 'deliveries drawn');
  assert.ok(await widget(page).locator('svg.timeline .span.held').count() > 0, 'held GETs drawn');
  assert.equal(await widget(page).locator('.charts canvas').count(), 4);
  assert.match(await widget(page).locator('.charts').textContent(), /Delivery latency.*requests per second.*Bytes on the wire.*holds open/s);
  assert.deepEqual(await widget(page).getByLabel('Technique', { exact: true }).locator('option').evaluateAll((os) => os.map((o) => o.value)),
    ['short_polling', 'long_polling', 'sse', 'websocket', 'webrtc'], 'only the five techniques can be chosen');
  await shootBothThemes(page, widget(page), 'realtime-long-polling');
  assert.deepEqual(problems, []);
  await context.close();
});

test('every technique runs on the stream; WebRTC signals through the server, then goes peer to peer', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=realtime');
  await ready(page);
  for (const technique of ['short_polling', 'long_polling', 'sse', 'websocket', 'webrtc']) {
    await useTechnique(page, technique);
    await button(page, 'Advance').click();
    const m = (await snapshot(page)).metrics;
    assert.ok(m.deliveries > 0, `${technique}: ${m.deliveries} deliveries`);
    assert.equal(m.missed + m.duplicates + m.out_of_order, 0, technique);
    if (technique === 'short_polling') assert.ok(m.empty_responses > 0, 'a quiet stream answers polls empty');
    if (technique === 'sse' || technique === 'websocket') assert.equal(m.open_connections, 20);
  }
  const m = (await snapshot(page)).metrics;
  assert.ok(m.signalling_messages > 0 && m.p2p_bytes > 0, JSON.stringify(m));
  assert.equal(m.open_connections, 0, 'the server holds nothing once the data channels are open');
  assert.ok(await widget(page).locator('svg.timeline .span.peer').count() > 0, 'peer-to-peer spans drawn');
  assert.match(await widget(page).locator('.stat').first().textContent(), /peer to peer [\d,]+ kB; [\d,]+ signalling messages relayed/);
  await shootBothThemes(page, widget(page), 'realtime-webrtc');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a dropped connection: SSE resumes from Last-Event-ID with nothing lost, a WebSocket misses events', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=realtime');
  await ready(page);
  // At the default 2 events/s the timeline (the sim's last 200 lines of its
  // first 8 clients) reaches back past the drop and the reconnect 3 s later.
  await useTechnique(page, 'sse');
  await button(page, 'Advance').click();
  await button(page, 'Drop connection').click();
  await button(page, 'Advance').click();
  let snap = await snapshot(page);
  assert.equal(snap.metrics.missed, 0);
  assert.equal(snap.first_clients[0].missed, 0);
  const titles = await widget(page).locator('svg.timeline title').allTextContents();
  assert.ok(titles.some((t) => /client 0 .*connection dropped/.test(t)), 'the drop is on client 0\'s lane');
  assert.ok(titles.some((t) => /client 0 .*GET \/stream, Last-Event-ID #\d+/.test(t)), 'the reconnect carries Last-Event-ID');
  assert.ok(await marks(page, 'drop') >= 1);
  await shootBothThemes(page, widget(page), 'realtime-sse-drop');

  await useTechnique(page, 'websocket');
  await button(page, 'Advance').click();
  await button(page, 'Drop connection').click();
  await button(page, 'Advance').click();
  snap = await snapshot(page);
  assert.ok(snap.metrics.missed > 0, 'events sent during the back-off are lost');
  assert.equal(snap.first_clients[0].missed, snap.metrics.missed);
  assert.ok(await marks(page, 'lost') >= 1, 'the loss is marked on the lane');
  assert.match(await widget(page).locator('table.clients td.bad').first().textContent(), /^\d+$/);
  await shootBothThemes(page, widget(page), 'realtime-websocket-drop');
  assert.deepEqual(problems, []);
  await context.close();
});

test('all five compared on the same seeded stream, in the docs table\'s columns', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=realtime');
  await ready(page);
  await button(page, 'Compare all five').click();
  const rows = widget(page).locator('table.compare tbody tr');
  assert.equal(await rows.count(), 5);
  assert.deepEqual(await widget(page).locator('table.compare tbody th').allTextContents(),
    ['short polling', 'long polling', 'SSE', 'WebSocket', 'WebRTC']);
  const heads = await widget(page).locator('table.compare thead th').allTextContents();
  assert.deepEqual(heads.slice(1, 4), ['latency p50 ms', 'p99 ms', 'requests/s at server']);
  // Fresh runs of the same stream: the sim's own compare result is in the last row's numbers.
  const last = (await snapshot(page)).compare.runs.find((r) => r.technique === 'webrtc');
  assert.equal((await rows.nth(4).locator('td').first().textContent()), (last.latency_p50_us / 1000).toFixed(last.latency_p50_us < 10000 ? 1 : 0));
  await shootBothThemes(page, widget(page).locator('table.compare'), 'realtime-compare');
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad input is refused next to its control and changes nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=realtime');
  await ready(page);
  const refused = (name, pattern) => expectRefused(page, TAG, button(page, name), () => button(page, name).click(), pattern, name);
  await widget(page).getByLabel('Clients', { exact: true }).fill('');
  await refused('Set clients', /"count"/);
  await widget(page).getByLabel('Events per second').fill('-3');
  await refused('Set stream', /"rate".*\[0, 1000\]/);
  await widget(page).getByLabel('Events per second').fill('2');
  await widget(page).getByLabel('Bytes per event').fill('0');
  await refused('Set stream', /"size".*\[1, 65536\]/);
  await widget(page).getByLabel('Client to drop').fill('20');
  await refused('Drop connection', /clients are 0\.\.19/);
  // The page's own limits (the sim would take these, slowly): said the same way.
  await widget(page).getByLabel('Clients', { exact: true }).fill('5000');
  await refused('Set clients', /clients: at most 1,000 in the page/);
  await widget(page).getByLabel('Clients', { exact: true }).fill('1000');
  await button(page, 'Set clients').click();
  await widget(page).getByLabel('Events per second').fill('100');
  await button(page, 'Set stream').click();
  await widget(page).getByLabel('How long').selectOption('30000');
  await refused('Advance', /advance: 30 s of 1,000 clients at 100 events\/s is about 3,000,000 deliveries; the page simulates at most 500,000/);
  await refused('Compare all five', /compare: 10 s twice .* about 2,000,000 deliveries/);
  await widget(page).getByLabel('Latency (ms)').fill('-1');
  const before = await snapshot(page);
  await button(page, 'Apply settings').click();
  await page.waitForFunction((t) => document.querySelector(t).shadowRoot.querySelector('.settings')
    .closest('.control').querySelector('.field-error').textContent !== '', TAG);
  assert.match(await widget(page).locator('.settings').locator('xpath=ancestor::div[contains(@class,"control")][1]').locator('.field-error').textContent(), /latency_ms/);
  assert.deepEqual(await snapshot(page), before, 'a refused setting changed the simulation');
  await shoot(widget(page), 'realtime-refused-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a share link restores the state', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=realtime');
  await ready(page);
  await useTechnique(page, 'websocket');
  await button(page, 'Advance').click();
  await button(page, 'Drop connection').click();
  await button(page, 'Compare').click();
  await button(page, 'Advance').click();
  const second = await reopenFromShareLink(page, context, TAG, ready);
  assert.equal(await widget(second).locator('table.compare tbody tr').count(), 2);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tour runs from its scenario, its numbers from the run', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=realtime');
  await ready(page);
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  const index = options.findIndex((t) => /^Tour: one stream, five ways/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  const text = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(text, /\{\{/);
  assert.match(text, /misses 0\. .*0 missed; .*missed [1-9]\d*\./);
  for (;;) {
    const position = await widget(page).locator('.tour-text').textContent();
    if (/step (\d+) of \1\)/.test(position)) break;
    await button(page, 'Step').click();
  }
  const snap = await snapshot(page);
  assert.equal(snap.technique, 'webrtc');
  assert.equal(await widget(page).locator('table.compare tbody tr').count(), 5);
  await shoot(widget(page), 'realtime-tour-end-light');
  assert.deepEqual(problems, []);
  await context.close();
});
