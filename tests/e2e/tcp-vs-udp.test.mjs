// <sdp-tcp-vs-udp> in a real browser: on a lossy link TCP's application gets
// every message in order after retransmissions while UDP's misses some, and
// the strips, notes and charts say so; bad link values are refused next to
// the link controls with nothing changed; the Mathis sweep puts six measured
// points beside the sim's curve; screenshots in both themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { controlOf, expectRefused, launch, openPage, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-tcp-vs-udp';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);
const control = (page, name) => controlOf(button(page, name));
const chartLabel = (page, title) => widget(page).locator(`canvas[aria-label^="${title}"]`).getAttribute('aria-label');

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

test('loss 10%: TCP delivers every message in order after retransmissions; UDP\'s application misses some', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-vs-udp');
  await ready(page);
  await widget(page).getByLabel('Loss (0–1)').fill('0.1');
  await button(page, 'Apply to the link').click();
  await button(page, 'Send').click(); // 100 messages of 1,000 B every 10 ms, over both
  await button(page, 'Run to the end').click();
  const snap = await snapshot(page);
  assert.equal(snap.link.loss, 0.1);
  const sent = snap.tcp.app.messages_sent;
  assert.equal(sent, 200); // the 100 the widget starts with, and these
  assert.equal(snap.tcp.app.messages_delivered, sent);
  assert.equal(snap.tcp.app.missing, 0);
  assert.ok(snap.tcp.retransmits_fast + snap.tcp.retransmits_timeout > 0);
  assert.ok(snap.udp.app.missing > 0);
  // The strips: every TCP cell delivered; as many lost UDP cells as the link lost.
  const strips = widget(page).locator('svg.strip');
  assert.equal(await strips.nth(0).locator('rect.delivered').count(), sent);
  assert.equal(await strips.nth(0).locator('rect.lost').count(), 0);
  assert.equal(await strips.nth(1).locator('rect.lost').count(), snap.udp.lost_by_link);
  const notes = await widget(page).locator('.app-note').allTextContents();
  assert.match(notes[0], new RegExp(`^${sent} of ${sent} messages delivered, in order, none twice\\.`));
  assert.match(notes[1], new RegExp(`^${snap.udp.app.messages_delivered} of ${sent} datagrams arrived\\. Lost: #\\d+`));
  assert.match(await widget(page).locator('.narration li').first().textContent(),
    new RegExp(`TCP ${sent} of ${sent} messages in order .*UDP ${snap.udp.app.messages_delivered} of ${sent}`));
  // The charts name their latest values: TCP's bytes reach the total; retransmissions are marked.
  assert.match(await chartLabel(page, 'Bytes each application received'), /TCP \(in order\) 200 \(peak 200\)/);
  assert.match(await chartLabel(page, 'TCP\'s congestion window'), /(timeout|fast retransmit) [^;]*\(peak \d/);
  await shootBothThemes(page, widget(page), 'tcp-vs-udp-lossy');
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad input on the link controls is refused next to them and changes nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-vs-udp');
  await ready(page);
  const refused = async (label, value, pattern) => {
    const apply = button(page, 'Apply to the link');
    const before = await expectRefused(page, TAG, apply, async () => {
      await widget(page).getByLabel(label).fill(value);
      await apply.click();
    }, pattern, `${label} = ${value}`);
    await widget(page).getByLabel(label).fill(String(before.link[{ 'Loss (0–1)': 'loss', 'Latency (ms)': 'latency_ms', 'Duplicate (0–1)': 'duplicate' }[label]]));
  };
  await refused('Loss (0–1)', '1.5', /"loss".*\[0, 1\].*1\.5/);
  await refused('Duplicate (0–1)', '-0.2', /"duplicate".*\[0, 1\]/);
  await refused('Latency (ms)', '', /"latency_ms"/);
  await shootBothThemes(page, widget(page).locator('.controls'), 'tcp-vs-udp-refused');
  // A good value after the refusals is taken, and clears the message.
  await widget(page).getByLabel('Loss (0–1)').fill('0.05');
  await button(page, 'Apply to the link').click();
  assert.equal((await snapshot(page)).link.loss, 0.05);
  assert.equal(await control(page, 'Apply to the link').locator('.field-error').textContent(), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Mathis: six measured points from 0.1% to 5% beside the sim\'s curve, with a table of both', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=tcp-vs-udp');
  await ready(page);
  await widget(page).getByLabel('Seconds per point').selectOption('60');
  await button(page, 'Measure p = 0.1%…5%').click();
  const snap = await snapshot(page);
  assert.deepEqual(snap.mathis.map((m) => m.loss), [0.001, 0.002, 0.005, 0.01, 0.02, 0.05]);
  const rows = await widget(page).locator('table.mathis tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.equal(rows.length, 6);
  rows.forEach((row, i) => {
    assert.equal(row[1], `${Math.round(snap.mathis[i].predicted_bytes_per_s / 1000).toLocaleString('en-US')} kB/s`);
    assert.equal(row[3], snap.mathis[i].ratio.toFixed(2));
  });
  // At 5% the timeouts the model leaves out pull TCP below the curve.
  assert.ok(snap.mathis[5].ratio < 1 && snap.mathis[5].timeouts > 0);
  assert.match(await chartLabel(page, 'Throughput vs loss'), /measured \(this TCP\) [^;]*\(peak \d/);
  await shootBothThemes(page, widget(page).locator('.charts'), 'tcp-vs-udp-charts');
  assert.deepEqual(problems, []);
  await context.close();
});
