// The timeline under every widget (web/timeline-scrubber.mjs): scrubbing
// back and forth shows exactly what a straight run showed at each action,
// Step back / Step forward move one action, a share link keeps the
// position, and acting in the past discards the later actions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, reopenFromShareLink, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const timelineOf = (page, tag) => page.evaluate((t) => {
  const { position, length } = document.querySelector(t).timeline;
  return { position, length };
}, tag);
const snapshotOf = (page, tag) => page.evaluate((t) => document.querySelector(t).session.snapshot(), tag);
// What a fresh session shows after the widget's first n logged actions.
const replayedSnapshot = (page, tag, n) => page.evaluate(async ([t, count]) => {
  const { SimSession } = await import('/wasm/sdp.mjs');
  const w = document.querySelector(t);
  const fresh = await SimSession.create(w.constructor.sim, { seed: w.seed, config: w.config });
  for (const step of w.log.slice(0, count)) fresh.apply(step);
  const snap = fresh.snapshot();
  fresh.delete();
  return snap;
}, [tag, n]);

// A drag to `position`: input events on the way there (each shown on its
// frame), then the change event of letting go.
const dragTo = (range, position) => range.evaluate(async (input, to) => {
  const from = Number(input.value);
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  for (const p of [Math.round((from + to) / 2), to]) {
    input.value = String(p);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await frame();
  }
  input.dispatchEvent(new Event('change', { bubbles: true }));
}, position);

async function readyWidget(page, tag) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, tag);
  await page.locator(tag).locator('.timeline input[type="range"]').waitFor();
  await page.locator(tag).scrollIntoViewIfNeeded();
}

// Clicks each button (by its visible name), recording the snapshot after
// each: recorded[n] is the state after n actions of the straight run.
async function straightRun(page, tag, names) {
  const widget = page.locator(tag);
  const start = await timelineOf(page, tag);
  const recorded = [];
  recorded[start.length] = await snapshotOf(page, tag);
  for (const name of names) {
    await widget.getByRole('button', { name, exact: true }).click();
    const { length } = await timelineOf(page, tag);
    recorded[length] = await snapshotOf(page, tag);
  }
  return recorded;
}

test('load balancer: scrubbing, stepping, a deep link and a branch', async () => {
  const tag = 'sdp-load-balancer';
  const { page, problems, context } = await openPage(browser, '/topic.html?t=load-balancer');
  await readyWidget(page, tag);
  const widget = page.locator(tag);
  const range = widget.locator('.timeline input[type="range"]');
  const recorded = await straightRun(page, tag, ['+5 s', '+30 s', '+5 s', '+30 s', '+5 s', '+30 s']);
  const { length } = await timelineOf(page, tag);
  assert.ok(length >= 6);

  // The keyboard: Home is the start, arrows one action, End the latest.
  await range.focus();
  await page.keyboard.press('Home');
  assert.deepEqual(await timelineOf(page, tag), { position: 0, length });
  assert.deepEqual(await snapshotOf(page, tag), await replayedSnapshot(page, tag, 0));
  assert.match(await range.getAttribute('aria-valuetext'), /^Start, before \d+ actions$/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await snapshotOf(page, tag), await replayedSnapshot(page, tag, 2));
  assert.match(await range.getAttribute('aria-valuetext'), new RegExp(`^After action 2 of ${length}: advance \\d+ ms$`));
  // A drag: input events at many positions, back and forth, then let go.
  for (const p of [length, 1, length - 1, 3, 0, length - 2, length]) {
    await dragTo(range, p);
    assert.deepEqual(await snapshotOf(page, tag), recorded[p] ?? await replayedSnapshot(page, tag, p), `scrubbed to ${p}`);
  }
  await page.keyboard.press('End');
  assert.deepEqual(await snapshotOf(page, tag), recorded[length], 'back at the end: the straight run\'s state');

  // Step back twice, forward once.
  await widget.getByRole('button', { name: 'Step back', exact: true }).click();
  await widget.getByRole('button', { name: 'Step back', exact: true }).click();
  await widget.getByRole('button', { name: 'Step forward', exact: true }).click();
  assert.deepEqual(await timelineOf(page, tag), { position: length - 1, length });
  assert.deepEqual(await snapshotOf(page, tag), recorded[length - 1]);
  assert.match(await widget.locator('.narration li').first().textContent(), /^Showing the state after action \d+ of \d+; acting now discards the 1 later action\.$/);

  // The share link holds the position: the same snapshot at the same place.
  await dragTo(range, 2);
  const second = await reopenFromShareLink(page, context, tag, (p) => readyWidget(p, tag));
  assert.deepEqual(await timelineOf(second, tag), { position: 2, length });
  assert.deepEqual(await snapshotOf(second, tag), await replayedSnapshot(page, tag, 2));
  await second.close();

  await shootBothThemes(page, widget.locator('.timeline'), 'scrub-load-balancer-timeline');
  await shootBothThemes(page, widget, 'scrub-load-balancer');

  // Acting in the past: no question asked, the later actions are gone.
  await widget.getByRole('button', { name: '+5 s', exact: true }).click();
  assert.deepEqual(await timelineOf(page, tag), { position: 3, length: 3 });
  assert.match(await widget.locator('.narration li').first().textContent(), new RegExp(`^Branched: ${length - 2} later actions discarded\\.`));
  // Undo takes back that action: the state after the first 2.
  await widget.getByRole('button', { name: 'Undo', exact: true }).click();
  assert.deepEqual(await timelineOf(page, tag), { position: 2, length: 2 });
  assert.deepEqual(await snapshotOf(page, tag), await replayedSnapshot(page, tag, 2));
  assert.deepEqual(problems, []);
  await context.close();
});

test('kafka: scrubbing back and forth ends where the straight run ended', async () => {
  const tag = 'sdp-kafka';
  const { page, problems, context } = await openPage(browser, '/topic.html?t=kafka');
  await readyWidget(page, tag);
  const widget = page.locator(tag);
  const leader = (await snapshotOf(page, tag)).topics[0].partitions[0].leader;
  const recorded = await straightRun(page, tag, ['Produce', '+1 s', `Kill broker ${leader}`, '+1 s', '+1 s']);
  const { length } = await timelineOf(page, tag);
  const range = widget.locator('.timeline input[type="range"]');
  for (const p of [0, length, 1, length - 1, 2, length]) {
    await dragTo(range, p);
    assert.deepEqual(await snapshotOf(page, tag), recorded[p] ?? await replayedSnapshot(page, tag, p), `scrubbed to ${p}`);
  }
  assert.deepEqual(await snapshotOf(page, tag), recorded[length]);
  await dragTo(range, length - 2);
  await shootBothThemes(page, widget.locator('.timeline'), 'scrub-kafka-timeline');
  assert.deepEqual(problems, []);
  await context.close();
});
