// <sdp-cap> in a real browser: a partition in CP makes the minority side
// refuse, visibly; in AP the same read is answered, stale, and the checker
// outlines it on the timeline; bad input on the new controls is refused next
// to the control with nothing changed; the same actions replayed in both
// stances; a tour and a share link.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, reopenFromShareLink, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-cap';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const control = (page, name) => button(page, name).locator('xpath=ancestor::div[contains(@class,"control")][1]');
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);
const lastOp = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot({ full: true }).ops.at(-1), TAG);
const logLength = (page) => page.evaluate((t) => document.querySelector(t).log.length, TAG);

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

// Ticks exactly `replicas` to split off, and partitions.
async function partition(page, replicas) {
  const boxes = widget(page).getByRole('group', { name: 'Replicas to split off' }).getByRole('checkbox');
  for (const box of await boxes.all()) {
    const name = await box.getAttribute('value');
    await box.setChecked(replicas.includes(name));
  }
  await button(page, 'Partition').click();
}

async function clientOp(page, kind, client, extra = {}) {
  await widget(page).getByLabel('Client', { exact: true }).selectOption(client);
  if (extra.value !== undefined) await widget(page).getByLabel('Value to write').fill(String(extra.value));
  await button(page, kind).click();
}

async function setStore(page, fields) {
  for (const [label, value] of Object.entries(fields)) await widget(page).getByLabel(label, { exact: true }).selectOption(String(value));
  await button(page, 'Apply').click();
}

test('CP: after a partition the minority side refuses, visibly; the majority keeps serving', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=cap');
  await ready(page);
  await partition(page, ['r1']);
  assert.deepEqual((await snapshot(page)).cut, [['r1', 'r2'], ['r1', 'r3']]);
  // The cut links are drawn dashed and crossed; the two sides are named.
  assert.equal(await widget(page).locator('.cluster .link.cut').count(), 2);
  assert.deepEqual(await widget(page).locator('.cluster .replica text').allTextContents(),
    ['r1', 'side A', 'r2', 'side B', 'r3', 'side B']);
  await clientOp(page, 'Write', 'c1', { value: 2 });
  const refused = await lastOp(page);
  assert.deepEqual([refused.client, refused.replica, refused.status, refused.ok], ['c1', 'r1', 'refused', false]);
  assert.match(refused.reason, /no quorum/);
  assert.match(await widget(page).locator('.narration li').first().textContent(), /c1 writes x = 2 via r1: refused after 20\d ms — no quorum/);
  const bar = widget(page).locator(`.history g.op[data-op="${refused.id}"]`);
  assert.match(await bar.getAttribute('class'), /refused/);
  assert.equal(await bar.locator('text.mark').textContent(), '✕ refused');
  assert.match(await widget(page).locator('.history .band-label').first().textContent(), /partition r1 \| r2,r3/);
  await clientOp(page, 'Write', 'c2', { value: 3 });
  assert.equal((await lastOp(page)).status, 'ok');
  await clientOp(page, 'Read', 'c3');
  assert.deepEqual([(await lastOp(page)).status, (await lastOp(page)).value], ['ok', 3]);
  const counts = (await snapshot(page)).counts;
  assert.deepEqual([counts.ok, counts.refused, counts.stale_reads], [3, 1, 0]);
  await button(page, 'Check linearizability').click();
  assert.equal(await widget(page).locator('.verdict').textContent(), '✓ linearizable');
  await shootBothThemes(page, widget(page), 'cap-cp-minority-refuses');
  assert.deepEqual(problems, []);
  await context.close();
});

test('AP: everyone is answered; the stale read is flagged by the checker on the timeline', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=cap');
  await ready(page);
  await setStore(page, { Stance: 'ap' });
  await page.waitForFunction((t) => document.querySelector(t).config.mode === 'ap', TAG);
  await button(page, 'Advance time').click(); // x = 1 reaches every replica
  await partition(page, ['r1']);
  await clientOp(page, 'Write', 'c2', { value: 2 });
  await button(page, 'Advance time').click(); // the read starts after the write's answer, not at the same instant
  await clientOp(page, 'Read', 'c1');
  const read = await lastOp(page);
  assert.deepEqual([read.status, read.value, read.stale], ['ok', 1, true]);
  const bar = widget(page).locator(`.history g.op[data-op="${read.id}"]`);
  assert.equal(await bar.locator('text.mark').textContent(), 'stale');
  await button(page, 'Check linearizability').click();
  const check = (await snapshot(page)).last_check;
  assert.equal(check.verdict, 'not_linearizable');
  assert.deepEqual(check.violating_ops, [read.id]);
  assert.match(await bar.getAttribute('class'), /violating/);
  assert.equal(await bar.locator('text.mark').textContent(), '✗ not linearizable');
  assert.equal(await widget(page).locator('.verdict').textContent(), '✗ not linearizable');
  assert.match(await widget(page).locator('.verdict + .note').textContent(), new RegExp(`#${read.id} c1 reads x via r1`));
  const counts = (await snapshot(page)).counts;
  assert.deepEqual([counts.ok, counts.refused, counts.availability, counts.stale_reads], [3, 0, 1, 1]);
  // The same actions in both stances, side by side.
  await button(page, 'Run these actions in CP and in AP').click();
  const rows = widget(page).locator('.compare tbody tr');
  await rows.first().waitFor();
  const table = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(table.map((r) => r[0]), ['CP', 'AP']);
  assert.equal(table[0][3], '0'); // CP: no stale read
  assert.equal(table[1][3], '1');
  assert.equal(table[0][5], '✓ linearizable');
  assert.equal(table[1][5], '✗ not linearizable');
  await shootBothThemes(page, widget(page), 'cap-ap-stale-read');
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad input on the new controls is refused next to the control, and changes nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=cap');
  await ready(page);
  const refused = async (name, act, pattern) => {
    const before = await snapshot(page);
    const length = await logLength(page);
    await act();
    await control(page, name).locator('.field-error').getByText(pattern).waitFor();
    assert.deepEqual(await snapshot(page), before, `${name} changed the simulation`);
    assert.equal(await logLength(page), length);
  };
  await refused('Partition', () => partition(page, ['r1', 'r2', 'r3']), /partition: field "groups" has an empty group/);
  await refused('Cut link', async () => {
    await widget(page).getByLabel('Link to', { exact: true }).selectOption('r1');
    await button(page, 'Cut link').click();
  }, /cut: fields "a" and "b" must name two different replicas, got r1 twice/);
  await refused('Write', async () => {
    await widget(page).getByLabel('Key').fill('');
    await button(page, 'Write').click();
  }, /"key"/);
  await widget(page).getByLabel('Key').fill('x');
  await refused('Write', () => clientOp(page, 'Write', 'c1', { value: 0 }), /"value"/);
  const config = await page.evaluate((t) => document.querySelector(t).config, TAG);
  await refused('Apply', () => setStore(page, { 'Read quorum R': 4 }), /field "r" must be at most n = 3/);
  assert.deepEqual(await page.evaluate((t) => document.querySelector(t).config, TAG), config);
  await shoot(widget(page), 'cap-refused-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tours run from the scenarios; a share link restores the state', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=cap');
  await ready(page);
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  const index = options.findIndex((t) => /^AP: everyone is answered/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  assert.doesNotMatch(await widget(page).locator('.tour-text').textContent(), /\{\{/);
  for (;;) {
    if (/step (\d+) of \1\)/.test(await widget(page).locator('.tour-text').textContent())) break;
    await button(page, 'Step').click();
  }
  const snap = await snapshot(page);
  assert.deepEqual(snap.lost_writes, [1]);
  assert.ok(await widget(page).locator('.history g.op.violating').count() >= 1);
  await reopenFromShareLink(page, context, TAG, ready);
  assert.deepEqual(problems, []);
  await context.close();
});

// One page for the additions: the partition line (pointer, then keyboard),
// vector-clock siblings through the controls, and the cache stance's picture.
test('the partition line cuts by drag and by keys; siblings are shown and resolved; the cache stance draws a database', async () => {
  const { page, problems, context } = await openPage(browser, '/?topic=cap');
  await ready(page);
  const handle = widget(page).locator('.knife-handle');
  const centreOf = async (locator) => {
    const b = await locator.boundingBox();
    return [b.x + b.width / 2, b.y + b.height / 2];
  };
  // Drag the handle towards r3, stopping inside the ring: r3 alone is split off on release.
  const [hx, hy] = await centreOf(handle);
  const [cx, cy] = await centreOf(widget(page).locator('.cluster text.stance'));
  const [rx, ry] = await centreOf(widget(page).locator('.replica[data-replica="r3"] circle'));
  await page.mouse.move(hx, hy);
  await page.mouse.down();
  await page.mouse.move(cx + (rx - cx) * 0.6, cy + (ry - cy) * 0.6, { steps: 6 });
  assert.deepEqual(await widget(page).locator('.replica.beyond').evaluateAll((gs) => gs.map((g) => g.dataset.replica)), ['r3']);
  await page.mouse.up();
  assert.deepEqual((await snapshot(page)).cut, [['r1', 'r3'], ['r2', 'r3']]);
  assert.match(await widget(page).locator('.narration li').first().textContent(), /partition r3 \| r1,r2/);
  // Keys: the range inputs under the picture move the same line. Facing
  // between r3 and r1 (300°) at 60 % of the ring nothing is beyond it: said
  // next to the controls, nothing logged; at 40 % both are.
  const direction = widget(page).getByLabel('Partition line: direction, degrees clockwise from r1');
  const offset = widget(page).getByLabel('Partition line: distance from the centre, % of the ring');
  const status = widget(page).locator('.knife-status');
  await direction.fill('300');
  await offset.fill('60');
  assert.equal(await status.textContent(), 'The line cuts nothing off.');
  const length = await logLength(page);
  await button(page, 'Cut along the line').click();
  await control(page, 'Cut along the line').locator('.field-error').getByText(/The line cuts no replica off/).waitFor();
  assert.equal(await logLength(page), length);
  await offset.focus();
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowLeft'); // 60 % -> 40 %
  assert.equal(await status.textContent(), 'The line splits off r1, r3.');
  await button(page, 'Cut along the line').focus();
  await page.keyboard.press('Enter');
  assert.deepEqual((await snapshot(page)).cut, [['r1', 'r2'], ['r2', 'r3']]);
  await button(page, 'Heal').click();

  // Vector clocks: concurrent writes on both sides of a partition stay siblings.
  await setStore(page, { Stance: 'ap', 'AP conflicts': 'vclock' });
  await page.waitForFunction((t) => document.querySelector(t).config.conflict === 'vclock', TAG);
  await button(page, 'Advance time').click();
  await clientOp(page, 'Read', 'c2');
  await partition(page, ['r1']);
  await clientOp(page, 'Write', 'c2', { value: 2 });
  await clientOp(page, 'Write', 'c1', { value: 3 });
  await button(page, 'Heal').click();
  await button(page, 'Advance time').click();
  await clientOp(page, 'Read', 'c3');
  const read = await lastOp(page);
  assert.deepEqual([read.values, read.stale], [[3, 2], false]);
  assert.match(await widget(page).locator(`.history g.op[data-op="${read.id}"] text`).first().textContent(), /R x→\{3,2\}/);
  assert.match(await widget(page).locator('.cluster text.values').first().textContent(), /x=\{3,2\}/);
  assert.match(await widget(page).locator('.stat dl').textContent(), /keys with siblings1: x/);
  await button(page, 'Check linearizability').click();
  assert.match(await widget(page).locator('.verdict').textContent(), /not checked/);
  await shootBothThemes(page, widget(page), 'cap-vclock-siblings');
  await clientOp(page, 'Write', 'c3', { value: 4 });
  await button(page, 'Advance time').click();
  assert.deepEqual((await snapshot(page)).replicas.map((r) => r.values.x), [4, 4, 4]);

  // The cache stance: r1 is the database, drawn square and named.
  await setStore(page, { Stance: 'cache_fallback' });
  await page.waitForFunction((t) => document.querySelector(t).config.mode === 'cache_fallback', TAG);
  assert.equal(await widget(page).locator('.replica[data-replica="r1"] rect').count(), 1);
  assert.match(await widget(page).locator('.replica[data-replica="r1"] text').first().textContent(), /r1 DB/);
  await partition(page, ['r1']);
  await clientOp(page, 'Read', 'c2');
  assert.equal((await lastOp(page)).from_cache, true);
  await shootBothThemes(page, widget(page), 'cap-cache-fallback');

  // The conflict rule is AP's alone: disabled in the cache stance, the reason beside it.
  const conflict = widget(page).getByLabel('AP conflicts', { exact: true });
  assert.equal(await conflict.isDisabled(), true);
  assert.match(await widget(page).locator('.conflict-note:visible').textContent(), /AP only/);
  await shootBothThemes(page, widget(page).locator('.controls'), 'cap-conflict-disabled');
  await widget(page).getByLabel('Stance', { exact: true }).selectOption('ap');
  assert.equal(await conflict.isDisabled(), false);
  assert.equal(await widget(page).locator('.conflict-note').isVisible(), false);
  await widget(page).getByLabel('Stance', { exact: true }).selectOption('cache_fallback');
  // Two partitions at one instant (the first lasts 0 us): their band labels
  // are stacked, not printed over each other. A workload makes the history
  // wider than the box, which scrolls to "now"; the lane names stay at its left.
  await button(page, 'Run workload').click();
  await partition(page, ['r3']);
  await partition(page, ['r2', 'r3']);
  const boxes = async (locator) => Promise.all((await locator.all()).map((one) => one.boundingBox()));
  const [a, b] = (await boxes(widget(page).locator('.history:not(.lane-names) .band-label'))).slice(-2);
  const apart = a.y + a.height <= b.y || b.y + b.height <= a.y || a.x + a.width <= b.x || b.x + b.width <= a.x;
  assert.ok(apart, `band labels overlap: ${JSON.stringify([a, b])}`);
  const box = widget(page).locator('.timeline-box');
  assert.ok(await box.evaluate((el) => el.scrollLeft) > 0, 'the history is wider than its box and scrolled to now');
  const view = await box.boundingBox();
  assert.deepEqual(await widget(page).locator('.lane-names .lane-label').allTextContents(), ['c1', 'c2', 'c3']);
  for (const name of await boxes(widget(page).locator('.lane-names .lane-label'))) {
    assert.ok(name.x >= view.x && name.x + name.width <= view.x + 44, `lane name out of view: ${JSON.stringify(name)}`);
  }
  await shootBothThemes(page, widget(page).locator('.timeline-box'), 'cap-timeline-stacked-bands');
  assert.deepEqual(problems, []);
  await context.close();
});
