// The circuit breaker in a real browser: break the dependency, see the
// pile-up without a breaker and fast failures with one; charts and state band.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widget = (page) => page.locator('sdp-circuit-breaker');
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-circuit-breaker').session.snapshot());

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-circuit-breaker')?.session);
  await widget(page).locator('.stat').first().waitFor();
  await widget(page).scrollIntoViewIfNeeded();
}

test('without a breaker a hanging dependency fills the queue; with one it trips and recovers', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/?topic=circuit-breaker', { colorScheme });
    await ready(page);
    await button(page, 'Disable').click();
    await button(page, 'Down (hangs)').click();
    await button(page, '+5 s').click();
    let snap = await snapshot(page);
    assert.equal(snap.breaker.state, 'DISABLED');
    assert.equal(snap.service.queue, snap.service.queue_limit);
    assert.ok(snap.totals.overloaded > 0);
    await widget(page).locator('.stat h4', { hasText: 'Breaker: DISABLED' }).waitFor();
    await shoot(widget(page), `circuit-breaker-pile-up-${colorScheme}`);

    await button(page, 'Reset breaker').click();
    await button(page, '+5 s').click();
    snap = await snapshot(page);
    assert.notEqual(snap.breaker.state, 'CLOSED');
    assert.ok(snap.totals.rejected > 0, 'the open breaker fails calls fast');
    await button(page, 'Healthy').click();
    await button(page, '+5 s').click();
    snap = await snapshot(page);
    assert.equal(snap.breaker.state, 'CLOSED');
    assert.ok(snap.transitions.some((t) => t.to === 'HALF_OPEN'));
    await widget(page).locator('.transitions li', { hasText: 'HALF_OPEN → CLOSED' }).first().waitFor();
    // Three charts, each with data, and a state band with one rect per bucket.
    assert.equal(await widget(page).locator('.uplot').count(), 3);
    const buckets = (await page.evaluate(() => document.querySelector('sdp-circuit-breaker').session.column('series:t_ms'))).length;
    assert.equal(await widget(page).locator('svg.band rect').count(), buckets);
    await shoot(widget(page), `circuit-breaker-recovered-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the guided tour runs to its end and narrates every step', async () => {
  const { page, problems, context } = await openPage(browser, '/?topic=circuit-breaker');
  await ready(page);
  const tour = widget(page).getByLabel('Guided tour');
  await tour.selectOption({ label: 'The breaker trips, probes, and closes again' });
  for (let i = 0; i < 6; i++) await button(page, 'Step').click();
  const snap = await snapshot(page);
  assert.equal(snap.breaker.state, 'CLOSED');
  assert.ok(snap.transition_count >= 4);
  await widget(page).getByRole('listitem').filter({ hasText: 'End of the tour' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a bad setting is refused next to its control and changes nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/?topic=circuit-breaker');
  await ready(page);
  const before = JSON.stringify(await snapshot(page));
  const result = await page.evaluate(() => document.querySelector('sdp-circuit-breaker').act({ op: 'configure', failure_rate_threshold: 150 }));
  assert.equal(result, null);
  assert.equal(JSON.stringify(await snapshot(page)), before);
  assert.deepEqual(problems, []);
  await context.close();
});
