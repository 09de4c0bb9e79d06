// The rate limiters in a real browser: one trace, six algorithms, one row each.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widget = (page) => page.locator('sdp-rate-limiter');
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-rate-limiter').session.snapshot());

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-rate-limiter')?.session);
  await widget(page).locator('.card').first().waitFor();
  await widget(page).scrollIntoViewIfNeeded();
}

test('traffic at the window edges: the fixed window lets twice the limit through, the log never', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=rate-limiter', { colorScheme });
    await ready(page);
    assert.equal(await widget(page).locator('.card').count(), 6);
    await widget(page).getByLabel('Traffic pattern').selectOption('boundary');
    await button(page, 'Send 10 s of traffic').click();
    const snap = await snapshot(page);
    const by = Object.fromEntries(snap.algorithms.map((a) => [a.algorithm, a]));
    assert.equal(by.fixed_window.sliding_window_peak.max_admitted, 2 * snap.config.limit);
    assert.ok(by.sliding_log.sliding_window_peak.max_admitted <= snap.config.limit);
    await widget(page).getByRole('region', { name: 'Fixed window' }).locator('.over').waitFor();
    // The timeline canvas was drawn at the widget's width.
    const width = await widget(page).locator('canvas.timeline').evaluate((c) => c.width);
    assert.ok(width >= 320);
    await shoot(widget(page), `rate-limiter-boundary-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('nginx tour: six of seven pass, and a new limit replays the trace', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=rate-limiter');
  await ready(page);
  await widget(page).getByLabel('Guided tour').selectOption({ label: 'nginx burst=5: six pass, the seventh is refused' });
  await button(page, 'Step').click();
  let snap = await snapshot(page);
  assert.equal(snap.algorithms.find((a) => a.algorithm === 'leaky_bucket').allowed, 6);
  await widget(page).getByLabel('Limit per window').selectOption('5');
  await button(page, 'Apply to all six').click();
  await page.waitForFunction(() => document.querySelector('sdp-rate-limiter').session.snapshot().config.limit === 5);
  snap = await snapshot(page);
  assert.equal(snap.hits, 7);
  assert.deepEqual(problems, []);
  await context.close();
});
