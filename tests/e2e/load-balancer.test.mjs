// The load balancer in a real browser: two algorithms on the same requests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widget = (page) => page.locator('sdp-load-balancer');
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-load-balancer').session.snapshot());

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-load-balancer')?.session);
  await widget(page).locator('.lane').first().waitFor();
  await widget(page).scrollIntoViewIfNeeded();
}

test('compare mode: a slow server hurts round robin far more than least response time', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/?topic=load-balancer', { colorScheme });
    await ready(page);
    await widget(page).getByLabel('Compare with').selectOption('least_response_time');
    await button(page, 'Slow ×5 s2').click();
    await button(page, '+30 s').click();
    const snap = await snapshot(page);
    assert.equal(snap.lanes.length, 2);
    const [rr, lrt] = snap.lanes;
    assert.equal(rr.totals.arrived, lrt.totals.arrived, 'both lanes saw the same requests');
    assert.ok(rr.latency.p99_ms > 2 * lrt.latency.p99_ms, `p99 ${rr.latency.p99_ms} vs ${lrt.latency.p99_ms}`);
    assert.equal(await widget(page).locator('.lane').count(), 2);
    assert.equal(await widget(page).locator('.uplot').count(), 2);
    await shoot(widget(page), `load-balancer-compare-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('L4 pins connections: a new server gets nothing until L7', async () => {
  const { page, problems, context } = await openPage(browser, '/?topic=load-balancer');
  await ready(page);
  await widget(page).getByLabel('Compare with').selectOption('');
  await widget(page).getByLabel('Mode').selectOption('l4');
  await button(page, '+5 s').click();
  await button(page, 'Add a server').click();
  await button(page, '+5 s').click();
  let snap = await snapshot(page);
  const added = snap.lanes[0].servers.at(-1);
  assert.equal(added.assigned, 0);
  await widget(page).getByLabel('Mode').selectOption('l7');
  await button(page, '+5 s').click();
  snap = await snapshot(page);
  assert.ok(snap.lanes[0].servers.at(-1).assigned > 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('killing every server makes requests fail visibly, not crash', async () => {
  const { page, problems, context } = await openPage(browser, '/?topic=load-balancer');
  await ready(page);
  for (const id of ['s1', 's2', 's3', 's4']) await button(page, `Remove ${id}`).click();
  await button(page, '+5 s').click();
  const snap = await snapshot(page);
  assert.ok(snap.lanes[0].totals.no_server > 0);
  await widget(page).getByText(/failed or late/).first().waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

// A tour (or a link) may choose a rate the rate box does not list: the box
// must show it, and the next traffic change must keep it (it used to go
// blank, and the next change sent 0 req/s).
test('a rate the box does not list is shown, and kept by the next traffic change', async () => {
  const { page, problems, context } = await openPage(browser, '/?topic=load-balancer');
  await ready(page);
  await page.evaluate(() => document.querySelector('sdp-load-balancer').act({ op: 'traffic', rps: 320, cost: 'exponential', pattern: 'poisson' }));
  const rate = widget(page).getByLabel('Requests per second');
  assert.equal(await rate.inputValue(), '320');
  assert.equal(await rate.locator('option:checked').textContent(), '320 req/s');
  await widget(page).getByLabel('Arrival pattern').selectOption('bursty');
  const snap = await snapshot(page);
  assert.equal(snap.traffic.rps, 320);
  assert.equal(snap.traffic.pattern, 'bursty');
  assert.deepEqual(problems, []);
  await context.close();
});
