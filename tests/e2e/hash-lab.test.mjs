// The hashing lab in a real browser: six schemes react to one change.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const lab = (page) => page.locator('sdp-hash-lab');
const button = (page, name) => lab(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-hash-lab').session.snapshot());
const card = (page, title) => lab(page).getByRole('region', { name: title });

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-hash-lab')?.session);
  await lab(page).locator('.card').first().waitFor();
}

test('one node joins: every scheme reports its moves beside the ideal', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-lab', { colorScheme });
    await ready(page);
    assert.equal(await lab(page).locator('.card').count(), 6);
    await button(page, 'Add node').click();
    await lab(page).getByText('ideal 16.7%').first().waitFor();
    const change = (await snapshot(page)).last_change;
    assert.equal(change.change, 'add_node F');
    for (const scheme of ['ring', 'ketama', 'jump', 'rendezvous', 'maglev', 'bounded']) {
      assert.ok(Math.abs(change.schemes[scheme].moved_fraction - 1 / 6) < 0.04, scheme);
    }
    assert.equal(await lab(page).locator('.card .moved-bar').count(), 6);
    await button(page, 'Sweep vnodes').click();
    await lab(page).getByText('Ring: load spread vs virtual nodes').waitFor();
    await shoot(lab(page), `hash-lab-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a hot key overloads plain hashing; bounded loads caps it', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-lab');
  await ready(page);
  await button(page, 'Reset').click();
  await lab(page).getByLabel('Zipf skew of the requests').fill('1.4');
  await lab(page).getByLabel('How many requests to add').selectOption('50000');
  await button(page, 'Add requests').click();
  await lab(page).getByText(/hottest key "key:1"/).waitFor();
  const snap = await snapshot(page);
  const by = Object.fromEntries(snap.schemes.map((s) => [s.scheme, s]));
  assert.ok(by.ring.max_over_mean > 1.5, `ring ${by.ring.max_over_mean}`);
  assert.ok(by.bounded.max <= snap.bounded.capacity);
  // HAProxy-style slots: ceil((served+1)·factor/100) split by weight, so one over the mean bound.
  assert.ok(by.bounded.max_over_mean <= 1 + snap.config.epsilon + 2 / by.bounded.mean);
  assert.match(await card(page, 'Ring + virtual nodes').locator('.over').first().textContent(), /× mean/);
  await shoot(lab(page), 'hash-lab-hot-key');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a lookup names each scheme’s owner on its card; Maglev M follows the select', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-lab');
  await ready(page);
  await lab(page).getByLabel('Key to look up').fill('session:alice');
  await button(page, 'Look up').click();
  await lab(page).locator('.card .owner').first().waitFor();
  assert.equal(await lab(page).locator('.card .owner').count(), 6);
  assert.match(await card(page, 'Maglev').locator('.owner').textContent(), /“session:alice” → [A-E]/);
  await lab(page).getByLabel('Maglev table size M').selectOption('251');
  assert.equal((await snapshot(page)).config.table_size, 251);
  assert.match(await card(page, 'Maglev').textContent(), /memory\s*1004 B/);
  assert.deepEqual(problems, []);
  await context.close();
});
