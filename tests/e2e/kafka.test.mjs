// Kafka in a real browser: keys land where the Java client puts them, a dead
// broker's partitions elect new leaders, a crash before commit redelivers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widget = (page) => page.locator('sdp-kafka');
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-kafka').session.snapshot());

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-kafka')?.session);
  await widget(page).locator('.cell').first().waitFor();
  await widget(page).scrollIntoViewIfNeeded();
}

test('a keyed record goes to murmur2(key) % partitions; killing a leader elects one from the ISR', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=kafka', { colorScheme });
    await ready(page);
    // Kafka's own vector: murmur2("21") = -973932308; toPositive -> 1173551340; % 6 = 0.
    await widget(page).getByLabel('Key', { exact: true }).fill('21');
    await button(page, 'Produce').click();
    await button(page, '+1 s').click();
    let snap = await snapshot(page);
    const p0 = snap.topics[0].partitions[0];
    assert.ok(p0.tail.some((r) => r.key === '21'), 'key "21" is in partition 0');
    const leader = snap.topics[0].partitions[0].leader;
    await button(page, `Kill broker ${leader}`).click();
    await button(page, '+1 s').click();
    snap = await snapshot(page);
    const after = snap.topics[0].partitions[0];
    assert.notEqual(after.leader, leader);
    assert.ok(after.leader > 0, 'a new leader was elected');
    assert.equal(snap.counters.lost_acked, 0, 'acks=all, min ISR 2: nothing acknowledged is lost');
    await shoot(widget(page), `kafka-election-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('crashing a consumer before it commits redelivers its batch to another member', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=kafka');
  await ready(page);
  await button(page, 'Commit c1').click();
  // It polls ten more records, processes them, and dies before committing.
  await button(page, 'Crash before commit c1').click();
  await button(page, '+10 s').click();
  const snap = await snapshot(page);
  const group = snap.groups[0];
  assert.equal(group.members.length, 1, 'c1 left the group by crashing');
  assert.ok(group.counters.duplicates > 0, `duplicates ${group.counters.duplicates}`);
  await widget(page).getByText(/duplicates/).first().waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a hot key makes one partition lag; bad input is refused with Kafka-style messages', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=kafka');
  await ready(page);
  await widget(page).getByLabel('Stream keys').selectOption('hot');
  await widget(page).getByLabel('Stream rate').selectOption('100');
  await button(page, '+10 s').click();
  const snap = await snapshot(page);
  const lags = snap.groups[0].partitions.map((p) => p.lag);
  const hot = snap.topics[0].stream.hot_partitions[0];
  assert.equal(Math.max(...lags), lags[hot], `the hot partition ${hot} lags most: ${lags}`);
  await shoot(widget(page), 'kafka-hot-key');
  const error = await page.evaluate(() => {
    try {
      document.querySelector('sdp-kafka').session.apply({ op: 'produce', topic: 'nope', value: 'x' });
      return null;
    } catch (e) { return e.message; }
  });
  assert.match(error, /UNKNOWN_TOPIC_OR_PARTITION/);
  assert.deepEqual(problems, []);
  await context.close();
});
