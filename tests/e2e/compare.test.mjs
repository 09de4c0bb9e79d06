// Compare mode (web/compare-lanes.mjs), from the widget base, on three
// different widgets of one page (tests/e2e/pages/compare.html): identical
// lanes on an identical config, a measured difference that equals running
// lane B's settings alone, a step lane B refuses leaving lane A as a run of
// its own, and the share link restoring compare. Three page loads in all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot, shootBothThemes, twoFrames } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WIDGETS = ['lb', 'cb', 'kafka'];
const widget = (page, id) => page.locator(`#${id}`);
// Lane B: the element of the same kind inside lane A's compare section.
const laneB = (page, id) => widget(page, id).locator('.lane-b-host > *');
const compareButton = (page, id) => widget(page, id).getByRole('button', { name: 'Compare A/B', exact: true });

async function allReady(page) {
  await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id)?.session), WIDGETS);
}

// Both lanes' snapshots and logs, and lane B's own edits as the link holds them.
const lanes = (page, id) => page.evaluate((i) => {
  const a = document.getElementById(i);
  const b = a.shadowRoot.querySelector('.lane-b-host > *');
  return { a: a.session.snapshot(), b: b?.session?.snapshot() ?? null, aLog: a.log.length, bLog: b?.log.length ?? null };
}, id);

// Waits until lane B has a session built from lane A's current state and
// nothing is pending, then until its table has been drawn on screen.
async function settled(page, id) {
  await page.waitForFunction((i) => {
    const a = document.getElementById(i);
    const b = a.shadowRoot.querySelector('.lane-b-host > *');
    return b?.session && b.log.length >= a.log.length;
  }, id);
  await widget(page, id).locator('.compare-diff').scrollIntoViewIfNeeded();
  await laneIdle(page, id);
}

// Lane B and the table draw a few times a second at most: waits for the
// last drawing (and two frames for it to be on screen).
async function laneIdle(page, id) {
  await twoFrames(page);
  await page.waitForFunction((i) => document.getElementById(i).shadowRoot.querySelector('.lane-b-host > *').compareLane.idle, id);
  await twoFrames(page);
}

const summary = (page, id) => widget(page, id).locator('.compare-diff [role=status]').textContent();

// The diff table's cells for one metric: [A, B].
async function row(page, id, metric) {
  const cells = widget(page, id).locator('table.diff tbody tr').filter({ has: page.getByRole('rowheader', { name: metric, exact: true }) }).locator('td');
  return [await cells.nth(0).textContent(), await cells.nth(1).textContent()];
}

// A separate session of `sim` (no widget) from seed, config and steps.
const runAlone = (page, scenario) => page.evaluate(async ({ sim, seed, config, steps }) => {
  const { SimSession } = await import('/wasm/sdp.mjs');
  const session = await SimSession.create(sim, { seed, config });
  try {
    for (const step of steps) session.apply(step);
    return session.snapshot();
  } finally {
    session.delete();
  }
}, scenario);

const formatted = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

test('compare on three widgets: identical lanes, a measured difference, a refusal on lane B alone, the share link', async () => {
  const { page, problems, context } = await openPage(browser, '/test/compare.html');
  await allReady(page);

  // 1. Identical config: lane B equals lane A, snapshot for snapshot, and
  // stays equal through shared actions; the table says nothing differs.
  for (const id of WIDGETS) {
    await compareButton(page, id).click();
    await settled(page, id);
    assert.equal(await compareButton(page, id).getAttribute('aria-pressed'), 'true');
    let { a, b } = await lanes(page, id);
    assert.deepEqual(b, a, `${id}: lane B is lane A's copy`);
    assert.match(await summary(page, id), /^The lanes are identical: all \d+ metrics are equal\.$/);
  }
  await widget(page, 'lb').getByRole('button', { name: '+5 s', exact: true }).first().click();
  await widget(page, 'cb').getByRole('button', { name: /^\+\d+ s$/ }).first().click();
  await widget(page, 'kafka').getByRole('button', { name: '+1 s', exact: true }).first().click();
  for (const id of WIDGETS) {
    await settled(page, id);
    const { a, b, aLog, bLog } = await lanes(page, id);
    assert.equal(bLog, aLog, `${id}: lane B took lane A's step`);
    assert.deepEqual(b, a, `${id}: still identical after a shared action`);
    assert.match(await summary(page, id), /identical/);
    await shootBothThemes(page, widget(page, id), `compare-identical-${id}`);
  }

  // 2. Lane B's own setting (the load balancer's algorithm, chosen with lane
  // B's own control), then a shared action: B equals a separate session that
  // runs that setting first and lane A's actions after it; the table shows
  // both lanes' measured values.
  const lbB = laneB(page, 'lb');
  await lbB.getByLabel('Algorithm', { exact: true }).selectOption('least_connections');
  await page.waitForFunction(() => document.getElementById('lb').shadowRoot.querySelector('.lane-b-host > *').session.snapshot().lanes[0].algorithm === 'least_connections');
  await widget(page, 'lb').getByRole('button', { name: '+5 s', exact: true }).first().click();
  await settled(page, 'lb');
  const scenario = await page.evaluate(() => {
    const a = document.getElementById('lb');
    return { sim: 'load_balancer', seed: a.seed, config: a.config, steps: a.log };
  });
  const aloneB = await runAlone(page, { ...scenario,
    steps: [{ op: 'algorithm', name: 'least_connections', compare: 'least_connections' }, ...scenario.steps] });
  const { a, b } = await lanes(page, 'lb');
  assert.deepEqual(b, aloneB, 'lane B equals its settings run alone on the same seed and actions');
  assert.deepEqual(a, await runAlone(page, scenario), 'lane A equals its own scenario run alone');
  assert.notEqual(a.lanes[0].latency.p99_ms, b.lanes[0].latency.p99_ms, 'the two algorithms differ in p99');
  assert.deepEqual(await row(page, 'lb', 'lanes.0.latency.p99_ms'), [formatted(a.lanes[0].latency.p99_ms), formatted(aloneB.lanes[0].latency.p99_ms)]);
  assert.match(await summary(page, 'lb'), /^Lane B differs from lane A in \d+ metrics? of \d+\.$/);
  // Lane A's charts draw lane B's series too, named "B: …".
  const p99Chart = widget(page, 'lb').locator('.frame > .body canvas[aria-label^="p99 latency"]').first(); // lane A's (lane B's is inside it)
  assert.match(await p99Chart.getAttribute('aria-label'), /; B: least connections [\d,.]+ ms/);
  await shootBothThemes(page, widget(page, 'lb'), 'compare-different-lb');

  // 3. Lane B removes a server of its own; lane A fails that server: A takes
  // the step, B refuses it (said on lane B) and stays as it was.
  await lbB.getByRole('button', { name: 'Remove s4', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('lb').shadowRoot.querySelector('.lane-b-host > *').session.snapshot().servers.find((s) => s.id === 's4').removed);
  await settled(page, 'lb');
  const before = await lanes(page, 'lb');
  await widget(page, 'lb').getByRole('button', { name: 'Fail s4', exact: true }).first().click();
  await settled(page, 'lb');
  const afterFail = await lanes(page, 'lb');
  assert.equal(afterFail.aLog, before.aLog + 1, 'lane A took the step');
  assert.equal(afterFail.bLog, before.bLog, 'lane B did not log it');
  assert.deepEqual(afterFail.b, before.b, 'lane B refused it and is unchanged');
  assert.match(await widget(page, 'lb').locator('.lane-refused').textContent(), /^Lane B refused 1 step that lane A took \(the first: .+\)/);
  const scenarioA = await page.evaluate(() => { const w = document.getElementById('lb'); return { sim: 'load_balancer', seed: w.seed, config: w.config, steps: w.log }; });
  assert.deepEqual(afterFail.a, await runAlone(page, scenarioA), 'lane A is what its own actions give, compare or not');
  assert.equal(afterFail.a.servers.find((s) => s.id === 's4').up, false, 'lane A failed s4');
  await widget(page, 'lb').locator('.lane-b').scrollIntoViewIfNeeded();
  await shoot(widget(page, 'lb').locator('.lane-b-head'), 'compare-refused-lb');
  // Undo in lane A rebuilds lane B: its own settings first, then A's log.
  await widget(page, 'lb').getByRole('button', { name: 'Undo', exact: true }).click();
  await settled(page, 'lb');
  const undone = await page.evaluate(() => { const w = document.getElementById('lb'); return { sim: 'load_balancer', seed: w.seed, config: w.config, steps: w.log }; });
  const ownB = [{ op: 'algorithm', name: 'least_connections', compare: 'least_connections' }, { op: 'server_remove', id: 's4' }];
  assert.deepEqual((await lanes(page, 'lb')).b, await runAlone(page, { ...undone, steps: [...ownB, ...undone.steps] }), 'after an undo, B is its settings then A\'s log');

  // 4. The share link restores compare: lane B with its own settings, on
  // every widget (each keeps its state under its own key).
  const url = await page.evaluate((ids) => { for (const id of ids) document.getElementById(id).flushLink(); return location.href; }, WIDGETS);
  const expected = {};
  for (const id of WIDGETS) expected[id] = await lanes(page, id);
  const second = await context.newPage();
  await second.goto(url);
  await allReady(second);
  for (const id of WIDGETS) {
    await settled(second, id);
    assert.deepEqual(await lanes(second, id), expected[id], `${id}: the link restores both lanes`);
  }
  assert.equal(await compareButton(second, 'lb').getAttribute('aria-pressed'), 'true');
  // Same as A: lane B drops its own settings and is A's copy again.
  await laneB(second, 'lb').locator('xpath=ancestor::section[1]').getByRole('button', { name: 'Same as A', exact: true }).click();
  await settled(second, 'lb');
  const copied = await lanes(second, 'lb');
  assert.deepEqual(copied.b, copied.a, 'Same as A makes B a copy of A');

  // Compare off: lane B's element and its session are gone.
  const sessions = () => second.evaluate(async () => (await import('/wasm/sdp.mjs')).liveSessions());
  const live = await sessions();
  await compareButton(second, 'kafka').click();
  assert.equal(await laneB(second, 'kafka').count(), 0);
  await second.waitForFunction((n) => import('/wasm/sdp.mjs').then((m) => m.liveSessions() === n - 1), live);
  assert.deepEqual(problems, []);
  await context.close();
});

test('compare at 390 px: the lanes stack and compare widens nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=circuit-breaker', { viewport: { width: 390, height: 900 } });
  const cb = page.locator('#circuit-breaker');
  await page.waitForFunction(() => document.querySelector('sdp-circuit-breaker')?.session);
  const widthWithout = await page.evaluate(() => document.documentElement.scrollWidth);
  await cb.getByRole('button', { name: 'Compare A/B', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('sdp-circuit-breaker').shadowRoot.querySelector('.lane-b-host > *')?.session);
  await cb.locator('.compare-diff').scrollIntoViewIfNeeded();
  await laneIdle(page, 'circuit-breaker');
  const boxes = await page.evaluate(() => {
    const root = document.querySelector('sdp-circuit-breaker').shadowRoot;
    const box = (sel) => root.querySelector(sel).getBoundingClientRect();
    return { body: box('.frame > .body'), lane: box('.lane-b'), page: document.documentElement.scrollWidth };
  });
  assert.ok(boxes.lane.top >= boxes.body.bottom, 'lane B sits under lane A');
  // The widget's own width at 390 px is issue #22 point 7's: compare adds none.
  assert.ok(boxes.page <= widthWithout, `compare widened the page from ${widthWithout} to ${boxes.page} px`);
  await shoot(cb, 'compare-390-circuit-breaker');
  // What a phone shows: the start of lane B, then the table under it.
  await page.evaluate(() => document.querySelector('#circuit-breaker').shadowRoot.querySelector('.lane-b').scrollIntoView());
  await laneIdle(page, 'circuit-breaker');
  await shoot(page, 'compare-390-circuit-breaker-lane-b');
  await page.evaluate(() => document.querySelector('#circuit-breaker').shadowRoot.querySelector('.compare-diff').scrollIntoView({ block: 'end' }));
  await laneIdle(page, 'circuit-breaker');
  await shoot(page, 'compare-390-circuit-breaker-table');
  assert.deepEqual(problems, []);
  await context.close();
});
