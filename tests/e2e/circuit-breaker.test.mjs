// The circuit breaker in a real browser: break the dependency, see the
// pile-up without a breaker and fast failures with one; charts and state band.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectRefused, launch, openPage, reopenFromShareLink, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-circuit-breaker';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-circuit-breaker').session.snapshot());

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-circuit-breaker')?.session);
  await widget(page).locator('.stat').first().waitFor();
  await widget(page).scrollIntoViewIfNeeded();
}

test('without a breaker a hanging dependency fills the queue; with one it trips and recovers', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=circuit-breaker', { colorScheme });
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
  const { page, problems, context } = await openPage(browser, '/topic.html?t=circuit-breaker');
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
  const { page, problems, context } = await openPage(browser, '/topic.html?t=circuit-breaker');
  await ready(page);
  const before = JSON.stringify(await snapshot(page));
  const result = await page.evaluate(() => document.querySelector('sdp-circuit-breaker').act({ op: 'configure', failure_rate_threshold: 150 }));
  assert.equal(result, null);
  assert.equal(JSON.stringify(await snapshot(page)), before);
  assert.deepEqual(problems, []);
  await context.close();
});

// resilience4j's maxWaitDurationInHalfOpenState: a trial that has not decided
// in time ends in transitionToStateAfterWaitDuration (OPEN by default, or
// CLOSED). With the dependency hanging, the trial calls wait for the 1 s
// timeout, so a 500 ms max wait always runs out first.
const MAX_WAIT_REASON = 'max wait in half-open elapsed';

// Reset replays the starting state in a new session: wait until it is in place.
async function resetWidget(page) {
  await button(page, 'Reset').click();
  await page.waitForFunction((t) => document.querySelector(t).log.length === 1, TAG);
}

async function setMaxWait(page, ms, then) {
  await widget(page).getByLabel('HALF_OPEN max wait (ms)').fill(ms);
  await widget(page).getByLabel('then go to', { exact: false }).selectOption(then);
  await button(page, 'Apply max wait').click();
}

test('the HALF_OPEN max wait sends the breaker to OPEN or CLOSED, as chosen', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=circuit-breaker');
  await ready(page);
  const fromHalfOpen = (snap) => snap.transitions.filter((t) => t.from === 'HALF_OPEN');
  // Without a max wait (the default, 0) the trials decide: no transition says max wait.
  await button(page, 'Down (hangs)').click();
  for (let i = 0; i < 2; i++) await button(page, '+5 s').click();
  let snap = await snapshot(page);
  assert.equal(snap.config.max_wait_duration_in_half_open_state_ms, 0);
  assert.ok(fromHalfOpen(snap).length > 0);
  assert.ok(fromHalfOpen(snap).every((t) => t.reason !== MAX_WAIT_REASON), JSON.stringify(fromHalfOpen(snap)));
  await resetWidget(page);

  for (const then of ['OPEN', 'CLOSED']) {
    await setMaxWait(page, '500', then);
    snap = await snapshot(page);
    assert.deepEqual([snap.config.max_wait_duration_in_half_open_state_ms, snap.config.transition_to_state_after_wait_duration], [500, then]);
    await button(page, 'Down (hangs)').click();
    for (let i = 0; i < 2; i++) await button(page, '+5 s').click();
    snap = await snapshot(page);
    const ended = fromHalfOpen(snap);
    assert.ok(ended.length > 0);
    for (const t of ended) {
      assert.equal(t.reason, MAX_WAIT_REASON);
      assert.equal(t.to, then);
      const entered = snap.transitions.findLast((e) => e.to === 'HALF_OPEN' && e.t_ms <= t.t_ms);
      assert.equal(Math.round(t.t_ms - entered.t_ms), 500, 'HALF_OPEN lasts exactly the max wait');
    }
    await widget(page).locator('.transitions li', { hasText: `HALF_OPEN → ${then}: ${MAX_WAIT_REASON}` }).first().waitFor();
    if (then === 'CLOSED') await shootBothThemes(page, widget(page), 'circuit-breaker-half-open-max-wait');
    await resetWidget(page);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad max-wait values are refused next to their control; a trip from METRICS_ONLY is refused as resilience4j does', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=circuit-breaker');
  await ready(page);
  const apply = button(page, 'Apply max wait');
  for (const value of ['-1', '1.5', '3600001', '']) {
    await widget(page).getByLabel('HALF_OPEN max wait (ms)').fill(value);
    await expectRefused(page, TAG, apply, () => apply.click(),
      /"max_wait_duration_in_half_open_state_ms" must be an integer in \[0, 3600000\]/, `max wait ${value}`);
  }
  await button(page, 'Metrics only').click();
  assert.equal((await snapshot(page)).breaker.state, 'METRICS_ONLY');
  const trip = button(page, 'Trip the breaker');
  await expectRefused(page, TAG, trip, () => trip.click(),
    /illegal state transition from METRICS_ONLY to OPEN \(resilience4j throws IllegalStateTransitionException\)/, 'trip from METRICS_ONLY');
  await shoot(widget(page), 'circuit-breaker-metrics-only-trip-refused-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a share link keeps the HALF_OPEN max wait and where it goes', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=circuit-breaker');
  await ready(page);
  await setMaxWait(page, '700', 'CLOSED');
  await button(page, 'Down (hangs)').click();
  await button(page, '+5 s').click();
  const second = await reopenFromShareLink(page, context, TAG, ready);
  assert.equal(await widget(second).getByLabel('HALF_OPEN max wait (ms)').inputValue(), '700');
  assert.equal(await widget(second).getByLabel('then go to', { exact: false }).inputValue(), 'CLOSED');
  assert.deepEqual(problems, []);
  await context.close();
});
