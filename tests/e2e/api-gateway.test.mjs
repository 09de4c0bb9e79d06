// The API gateway in a real browser: each request stops where it was refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widget = (page) => page.locator('sdp-api-gateway');
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-api-gateway').session.snapshot());

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('sdp-api-gateway')?.session);
  await widget(page).locator('svg.pipeline').waitFor();
  await widget(page).scrollIntoViewIfNeeded();
}

async function send(page, client, path, method = 'GET') {
  await widget(page).getByLabel('Client', { exact: true }).selectOption(client);
  await widget(page).getByLabel('Method', { exact: true }).selectOption(method);
  await widget(page).getByLabel('Path', { exact: true }).fill(path);
  await button(page, 'Send').click();
  return (await snapshot(page)).recent.at(-1);
}

test('every refusal stops at its stage with its status and headers', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=api-gateway', { colorScheme });
    await ready(page);
    let r = await send(page, 'alice', '/api/orders');
    assert.equal(r.status, 200);
    assert.equal(r.service, 'orders');
    assert.ok(r.headers['RateLimit-Remaining'] !== undefined);
    r = await send(page, 'mallory', '/api/orders');
    assert.deepEqual([r.status, r.stage], [401, 'auth']);
    r = await send(page, 'eve', '/api/orders');
    assert.deepEqual([r.status, r.stage], [401, 'auth']);
    assert.match(r.reason, /expired/);
    r = await send(page, 'oscar', '/api/orders');
    assert.equal(r.status, 401);
    r = await send(page, 'anonymous', '/api/orders');
    assert.equal(r.status, 401);
    r = await send(page, 'bob', '/nowhere');
    assert.deepEqual([r.status, r.stage], [404, 'route']);
    await button(page, 'orders: up').click();
    r = await send(page, 'bob', '/api/orders');
    assert.deepEqual([r.status, r.stage], [503, 'service']);
    // alice's burst runs into her own limit; bob's bucket is untouched.
    await widget(page).getByLabel('Client', { exact: true }).selectOption('alice');
    await widget(page).getByLabel('Path', { exact: true }).fill('/api/users');
    await button(page, 'Burst 20').click();
    const snap = await snapshot(page);
    const alice = snap.users.find((u) => u.user === 'alice');
    assert.ok(alice.by_status['429'] > 0);
    assert.equal(snap.users.find((u) => u.user === 'bob').by_status['429'], 0);
    await widget(page).getByText(/Retry-After/).first().waitFor();
    assert.ok(await widget(page).locator('svg.pipeline circle').count() >= 20);
    await page.waitForTimeout(600); // let the dots land before the picture
    await shoot(widget(page), `api-gateway-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a route prefix must start with "/": refused next to the form, nothing changes', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=api-gateway');
  await ready(page);
  const before = JSON.stringify((await snapshot(page)).routes);
  await widget(page).getByLabel('New route prefix').fill('reports');
  await button(page, 'Add route').click();
  await widget(page).locator('.field-error', { hasText: 'prefix' }).waitFor();
  assert.equal(JSON.stringify((await snapshot(page)).routes), before);
  await widget(page).getByLabel('New route prefix').fill('/api/orders/export');
  await button(page, 'Add route').click();
  const r = await send(page, 'alice', '/api/orders/export/2026');
  assert.equal(r.route, '/api/orders/export');
  assert.deepEqual(problems, []);
  await context.close();
});
