// The load balancer in a real browser: two algorithms on the same requests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectRefused, launch, openPage, reopenFromShareLink, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-load-balancer';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-load-balancer').session.snapshot());

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-load-balancer')?.session);
  await widget(page).locator('.lane').first().waitFor();
  await widget(page).scrollIntoViewIfNeeded();
}

test('compare mode: a slow server hurts round robin far more than least response time', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=load-balancer', { colorScheme });
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
  const { page, problems, context } = await openPage(browser, '/topic.html?t=load-balancer');
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
  const { page, problems, context } = await openPage(browser, '/topic.html?t=load-balancer');
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
  const { page, problems, context } = await openPage(browser, '/topic.html?t=load-balancer');
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

// nginx's passive check (max_fails / fail_timeout, on by default in nginx,
// off by default here): without it least connections sends almost every
// request to a failed server first (it answers at once, so it holds no
// connections) and retries it elsewhere; with nginx's default one refused
// connection takes the server out for fail_timeout, after which one
// connection tries it again.
test('the passive check closes least connections\' black hole: out after one failure, tried again after fail_timeout', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=load-balancer');
  await ready(page);
  const lane = (snap) => snap.lanes.findIndex((l) => l.algorithm === 'least_connections');
  // Fails s2, lets 5 s pass, and returns the least-connections lane's retries
  // in those 5 s (the widget's visible summary shows the running total).
  const retriedAfterFailing = async () => {
    const before = await snapshot(page);
    await button(page, 'Fail s2').click();
    await button(page, '+5 s').click();
    const after = await snapshot(page);
    const i = lane(after);
    const summary = await widget(page).locator('.lane').nth(i).locator('.summary').textContent();
    assert.match(summary, new RegExp(`${after.lanes[i].totals.retried.toLocaleString('en-US')} retried`));
    await widget(page).locator('.lane').nth(i).getByText(/down · [\d,]+ refused or lost/).waitFor();
    return after.lanes[i].totals.retried - before.lanes[i].totals.retried;
  };
  // Undo replays the log in a new session: wait for it before the next click.
  const undoTwice = async () => {
    for (let i = 0; i < 2; i++) {
      const steps = await page.evaluate((t) => document.querySelector(t).log.length, TAG);
      await button(page, 'Undo').click();
      await page.waitForFunction(([t, n]) => document.querySelector(t).log.length === n, [TAG, steps - 1]);
    }
  };

  assert.equal((await snapshot(page)).config.max_fails, 0, 'off by default in the model');
  assert.match(await widget(page).locator('.controls').textContent(), /nginx's own default is on: max_fails=1 fail_timeout=10s/);
  const off = await retriedAfterFailing();
  await undoTwice();

  await button(page, 'nginx default').click();
  let snap = await snapshot(page);
  assert.deepEqual([snap.config.max_fails, snap.config.fail_timeout_ms], [1, 10000]);
  assert.equal(await widget(page).getByLabel('max_fails').inputValue(), '1');
  assert.equal(await widget(page).getByLabel('fail_timeout (ms)').inputValue(), '10000');
  const nginx = await retriedAfterFailing();
  assert.equal(nginx, 1, 'one refused connection takes the server out for the rest of the 10 s');
  assert.ok(off > 100 * nginx, `retried without the passive check ${off}, with it ${nginx}`);
  await shootBothThemes(page, widget(page), 'load-balancer-passive-check');
  await undoTwice();

  // A shorter fail_timeout lets the failed server be tried again sooner.
  await widget(page).getByLabel('fail_timeout (ms)').fill('2000');
  await button(page, 'Apply').click();
  assert.equal((await snapshot(page)).config.fail_timeout_ms, 2000);
  const short = await retriedAfterFailing();
  assert.ok(short > nginx && short < off / 10, `fail_timeout 2 s: ${short} retried (10 s: ${nginx}, off: ${off})`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad passive-check values are refused next to Apply and change nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=load-balancer');
  await ready(page);
  const apply = button(page, 'Apply');
  const refused = async (label, value, pattern) => {
    await widget(page).getByLabel(label, { exact: true }).fill(value);
    await expectRefused(page, TAG, apply, () => apply.click(), pattern, `${label} ${value}`);
    await widget(page).getByLabel(label, { exact: true }).fill(label === 'max_fails' ? '0' : '10000');
  };
  for (const value of ['-1', '1.5', '101', '']) await refused('max_fails', value, /"max_fails" must be an integer in \[0, 100\]/);
  for (const value of ['0', '2.5', '3600001']) await refused('fail_timeout (ms)', value, /"fail_timeout_ms" must be an integer in \[1, 3600000\]/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a share link keeps the passive check', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=load-balancer');
  await ready(page);
  await widget(page).getByLabel('max_fails').fill('2');
  await widget(page).getByLabel('fail_timeout (ms)').fill('3000');
  await button(page, 'Apply').click();
  await button(page, 'Fail s2').click();
  await button(page, '+5 s').click();
  const before = await snapshot(page);
  assert.deepEqual([before.config.max_fails, before.config.fail_timeout_ms], [2, 3000]);
  const second = await reopenFromShareLink(page, context, TAG, ready);
  assert.equal(await widget(second).getByLabel('max_fails').inputValue(), '2');
  assert.equal(await widget(second).getByLabel('fail_timeout (ms)').inputValue(), '3000');
  assert.deepEqual(problems, []);
  await context.close();
});
