// Gossip in a real browser: a rumour that leaves a residue, anti-entropy
// that reaches the rest, 10,000 nodes drawn as blended cells, and a tour
// whose numbers come from the run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { controlOf, expectRefused, launch, openPage, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widget = (page) => page.locator('sdp-gossip');
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
// The epidemic's grid (the membership section below has its own).
const epidemicCells = (page) => widget(page).locator('.grid').first().locator('rect');
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-gossip').session.snapshot());

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-gossip')?.session);
  await widget(page).locator('.grid rect').first().waitFor({ state: 'attached' });
  await widget(page).scrollIntoViewIfNeeded();
}

test('a rumour dies out with a residue; anti-entropy then reaches every node', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=gossip', { colorScheme });
    await ready(page);
    assert.equal(await epidemicCells(page).count(), 400);
    await button(page, 'Run to the end').click();
    let snap = await snapshot(page);
    assert.equal(snap.quiet, true);
    assert.ok(snap.residue > 0, `residue ${snap.residue}`);
    await widget(page).getByText(/never informed/).first().waitFor();
    await shoot(widget(page), `gossip-rumour-residue-${colorScheme}`);
    await widget(page).getByLabel('Algorithm').selectOption('anti_entropy');
    await widget(page).getByLabel('Direction').selectOption('push_pull');
    await button(page, 'Run to the end').click();
    snap = await snapshot(page);
    assert.equal(snap.informed, snap.live);
    assert.equal(snap.residue, 0);
    assert.equal(await widget(page).locator('.charts .uplot').count(), 3);
    await shoot(widget(page), `gossip-anti-entropy-${colorScheme}`);
    // Async timing on the same page: every node on its own timer, messages
    // delayed; the step button lets one period pass, the chart runs over time.
    await widget(page).getByLabel('Algorithm').selectOption('rumor');
    await widget(page).getByLabel('Direction').selectOption('push');
    await widget(page).getByLabel('Nodes', { exact: true }).selectOption('1000');
    await widget(page).getByLabel('Timing').selectOption('async');
    assert.equal(await widget(page).getByLabel('Network delay').isEnabled(), true);
    await button(page, '+1 s (1 period)').click();
    snap = await snapshot(page);
    assert.equal(snap.config.timing, 'async');
    assert.equal(snap.async.now_ms, 1000);
    assert.ok(snap.informed > 1 && snap.informed < 1000, `informed ${snap.informed}`);
    await button(page, 'Run to the end').click();
    snap = await snapshot(page);
    assert.equal(snap.quiet, true);
    assert.ok(snap.residue > 0 && snap.residue < 0.5, `async residue ${snap.residue}`);
    await widget(page).getByText('Informed fraction over time').waitFor();
    await shoot(widget(page), `gossip-async-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('10,000 nodes: cells blend the states of the nodes they stand for', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=gossip', { colorScheme });
    await ready(page);
    await widget(page).getByLabel('Nodes', { exact: true }).selectOption('10000');
    await button(page, '1 round').click();
    for (let i = 0; i < 6; i += 1) await button(page, '1 round').click();
    const snap = await snapshot(page);
    assert.equal(snap.config.nodes, 10000);
    assert.equal(snap.round, 7);
    assert.equal(await epidemicCells(page).count(), 2500);
    assert.match(await widget(page).locator('.note').first().textContent(), /4 per cell/);
    await button(page, 'Run to the end').click();
    await shoot(widget(page), `gossip-10000-nodes-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the Table 1 tour: trials per k, numbers from the run', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=gossip');
  await ready(page);
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  const index = options.findIndex((t) => /Table 1/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  const text = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(text, /\{\{/);
  assert.match(text, /k = 1: residue 0\.\d{3}/);
  for (let i = 0; i < 9; i += 1) await button(page, 'Step').click();
  const snap = await snapshot(page);
  assert.equal(snap.last_trials.k, 5);
  assert.ok(snap.last_trials.residue < 0.01);
  await widget(page).getByText('Last trials (averages)').waitFor();
  await shoot(widget(page), 'gossip-tour-table1-light');
  assert.deepEqual(problems, []);
  await context.close();
});

// One page: SWIM on 10,000 nodes (aggregated cells), a kill, the views
// spreading, the chart; heartbeat refused at that size, next to the control.
test('membership: a killed node is suspected, then declared dead everywhere; heartbeat refused at 10,000', async () => {
  const { page, problems, context } = await openPage(browser, '/?topic=gossip');
  await ready(page);
  const section = widget(page).locator('section.membership');
  const membershipButton = (name) => section.getByRole('button', { name, exact: true });
  await widget(page).getByLabel('Nodes', { exact: true }).selectOption('10000');
  await section.getByLabel('Failure detector').selectOption('heartbeat');
  await expectRefused(page, 'sdp-gossip', membershipButton('Start'), () => membershipButton('Start').click(), /at most 1000 nodes/);
  await section.getByLabel('Failure detector').selectOption('swim');
  await membershipButton('Start').click();
  await membershipButton('Kill a node').click();
  // Someone pings the dead node within e/(e-1) periods on average: step
  // seconds until a member suspects it.
  let m;
  for (let i = 0; i < 8; i += 1) {
    await membershipButton('+1 s').click();
    m = (await snapshot(page)).membership;
    if (m.killed[0].views.suspect + m.killed[0].views.dead > 0) break;
  }
  assert.equal(m.killed.length, 1);
  assert.equal(m.nodes, 10000);
  assert.ok(m.killed[0].views.suspect + m.killed[0].views.dead > 0, JSON.stringify(m.killed[0].views));
  assert.equal(await section.locator('.grid rect').count(), 2500);
  await shootBothThemes(page, section, 'gossip-membership-suspect-10000');
  for (let i = 0; i < 3; i += 1) await membershipButton('+10 s').click();
  m = (await snapshot(page)).membership;
  assert.equal(m.killed[0].views.dead, m.live, JSON.stringify(m.killed[0]));
  assert.equal(m.false_positives.members, 0);
  assert.match(await section.locator('dl').textContent(), /everyone knows\s*after [\d,]+ ms/);
  assert.equal(await section.locator('.uplot').count(), 1);
  await shootBothThemes(page, section, 'gossip-membership-dead-10000');
  assert.equal(await controlOf(membershipButton('Start')).locator('.field-error').textContent(), '');
  assert.deepEqual(problems, []);
  await context.close();
});
