// <sdp-rest> in a real browser, on one page: a request and its response; the
// same GET served by the cache, then (after max-age) revalidated with a 304;
// a killed replica changes nothing the client sees; POST twice creates two
// orders, with one Idempotency-Key one; PUT twice leaves one user; 405 with
// Allow and 400 for a body that is not JSON; bad input refused next to its
// control with nothing changed; a share link restores the state; the tour's
// numbers come from its run; screenshots in both themes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectRefused, launch, openPage, reopenFromShareLink, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-rest';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);
const field = (page, label) => widget(page).getByLabel(label, { exact: true });

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

// Fills the request form and sends it; returns the response panel's text.
async function send(page, method, path, { body, key } = {}) {
  await field(page, 'Method').selectOption(method);
  await field(page, 'Path').fill(path);
  if (body !== undefined) await field(page, 'Body').fill(body);
  const keyBox = field(page, 'Send Idempotency-Key');
  if (key === undefined) await keyBox.uncheck();
  else {
    await keyBox.check();
    await field(page, 'Idempotency-Key value').fill(key);
  }
  await button(page, 'Send').click();
  return widget(page).locator('.card').first().textContent();
}

const lastLog = async (page) => (await snapshot(page)).log.at(-1);

test('requests through the layers: cache hit, 304 after max-age, a killed replica, idempotency, the uniform interface', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=rest');
  await ready(page);
  // A fresh widget holds user 1 (its first step, a PUT).
  let snap = await snapshot(page);
  assert.deepEqual(snap.resources.users, [{ id: 1, name: 'Ada', city: 'London' }]);
  assert.deepEqual(await field(page, 'Method').locator('option').evaluateAll((os) => os.map((o) => o.value)),
    ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], 'only the five methods can be chosen');

  // GET: a miss answered by a replica, with ETag and Cache-Control, the JSON body shown.
  let text = await send(page, 'GET', '/users/1');
  assert.match(text, /HTTP\/1\.1 200 OK/);
  assert.match(text, /Cache-Control\s*public, max-age=60/);
  assert.match(text, /ETag\s*"[0-9a-f]{16}"/);
  assert.match(text, /"city": "London"/);
  let log = await lastLog(page);
  assert.equal(log.cache, 'miss');
  assert.match(log.served_by, /^replica-\d$/);
  const views = () => widget(page).locator('.card').nth(1).textContent();
  assert.match(await views(), /Age\s*none.*cannot tell who answered.*served_by\s*replica-\d/s);

  // Again: a fresh hit, answered by the cache with Age; no replica asked.
  const origin = (await snapshot(page)).counters.origin_requests;
  await button(page, 'Send again').click();
  log = await lastLog(page);
  assert.deepEqual([log.served_by, log.cache], ['cache', 'hit']);
  assert.equal((await snapshot(page)).counters.origin_requests, origin);
  assert.match(await views(), /Age\s*0 s.*served_by\s*cache/s);
  assert.match(await widget(page).locator('svg.layers').getAttribute('aria-label'), /answered by cache \(200\)/);
  assert.equal(await widget(page).locator('svg.layers rect.answered').count(), 1);

  // A minute later the entry is stale: the cache revalidates, a replica says 304.
  await field(page, 'How long').selectOption('60000');
  await button(page, 'Advance time').click();
  assert.match(await widget(page).locator('table.cache').textContent(), /\/users\/1\s*60 s \/ 60 s.*stale/s);
  await button(page, 'Send again').click();
  log = await lastLog(page);
  assert.deepEqual([log.status, log.served_by, log.cache], [200, 'cache', 'revalidated']);
  snap = await snapshot(page);
  assert.equal(snap.counters.cache_revalidations, 1);
  assert.equal(snap.counters.origin_requests, origin + 1, 'the 304 came from a replica');
  assert.match(await widget(page).locator('table.cache').textContent(), /0 s \/ 60 s.*fresh/s);
  // The client's own If-None-Match with the ETag it holds: 304, no body.
  await button(page, 'Use the last ETag').click();
  await button(page, 'Send').click();
  assert.match(await widget(page).locator('.card').first().textContent(), /304 Not Modified.*No body/s);
  await widget(page).getByLabel('Send If-None-Match').uncheck();
  await shootBothThemes(page, widget(page), 'rest-cache');

  // Statelessness: kill two replicas; the one left serves the next request from the same store.
  await button(page, 'Kill replica 1').click();
  await button(page, 'Kill replica 2').click();
  snap = await snapshot(page);
  assert.deepEqual(snap.replicas.map((r) => r.up), [false, false, true]);
  text = await send(page, 'GET', '/users');
  log = await lastLog(page);
  assert.deepEqual([log.status, log.served_by, log.cache], [200, 'replica-3', 'miss']);
  assert.match(text, /"name": "Ada"/);
  assert.equal(await widget(page).locator('svg.layers g.down').count(), 2, 'dead replicas greyed');
  assert.match(await widget(page).locator('svg.layers').getAttribute('aria-label'), /replica-1 down, replica-2 down, replica-3 up/);
  await button(page, 'Start replica 1').click();
  await button(page, 'Start replica 2').click();

  // Idempotency: POST twice is two orders; with one Idempotency-Key, one more.
  await send(page, 'POST', '/users/1/orders', { body: '{"item": "book"}' });
  await button(page, 'Send again').click();
  assert.equal((await snapshot(page)).resources.orders.length, 2, 'POST twice: two orders');
  await send(page, 'POST', '/users/1/orders', { body: '{"item": "pen"}', key: '"order-7f3a"' });
  await button(page, 'Send again').click();
  snap = await snapshot(page);
  assert.equal(snap.resources.orders.length, 3, 'the repeat with the same key created nothing');
  assert.deepEqual(snap.log.slice(-2).map((l) => l.status), [201, 201]);
  assert.match(await widget(page).locator('.card').first().textContent(), /Location\s*\/orders\/3/);
  // PUT twice: one user, the same state.
  await send(page, 'PUT', '/users/2', { key: undefined, body: '{"name": "Grace"}' });
  await button(page, 'Send again').click();
  snap = await snapshot(page);
  assert.deepEqual(snap.log.slice(-2).map((l) => l.status), [201, 200]);
  assert.equal(snap.resources.users.length, 2);

  // The uniform interface: 405 with Allow; a body that is not JSON is 400 from the API.
  text = await send(page, 'DELETE', '/users');
  assert.match(text, /405 Method Not Allowed.*Allow\s*GET, POST/s);
  text = await send(page, 'POST', '/users', { body: '{"name": "Ada"' });
  assert.match(text, /400 Bad Request.*not valid JSON/s);
  assert.equal((await snapshot(page)).resources.users.length, 2, 'nothing created');
  // Without Authorization: 401 with WWW-Authenticate (RFC 6750).
  await field(page, 'Send Authorization').uncheck();
  text = await send(page, 'GET', '/users/2');
  assert.match(text, /401 Unauthorized.*WWW-Authenticate\s*Bearer realm="api"/s);
  await field(page, 'Send Authorization').check();
  await shootBothThemes(page, widget(page), 'rest-idempotency');

  // Bad input: refused next to the request controls, naming the field; nothing changes.
  const sendButton = button(page, 'Send');
  const refused = (pattern, what) => expectRefused(page, TAG, sendButton, () => sendButton.click(), pattern, what);
  await field(page, 'Method').selectOption('GET');
  await field(page, 'Path').fill('');
  await refused(/field "path" must not be empty/, 'empty path');
  await field(page, 'Path').fill('users/1');
  await refused(/field "path": "users\/1" must start with \//, 'path without /');
  await field(page, 'Path').fill('/users/1 x');
  await refused(/field "path".*no spaces/, 'path with a space');
  await field(page, 'Path').fill('/users/1');
  await field(page, 'Authorization value').fill(`Bearer ${'a'.repeat(1100)}`);
  await refused(/field "headers": the value of "Authorization" must be at most 1024 bytes/, 'a header over 1024 bytes');
  await field(page, 'Authorization value').fill('Bearer \u0007');
  await refused(/the value of "Authorization" must be .*visible ASCII/, 'a control character in a header');
  await field(page, 'Authorization value').fill('Bearer alice');
  await field(page, 'Method').selectOption('POST');
  await field(page, 'Body').fill(`"${'x'.repeat(5000)}"`);
  await refused(/field "body" must be a JSON value of at most 4096 bytes/, 'a body over the limit');
  await field(page, 'Replicas').fill('9');
  const apply = button(page, 'Apply settings');
  await expectRefused(page, TAG, apply, async () => {
    await apply.click();
    await page.waitForFunction((t) => document.querySelector(t).shadowRoot.querySelector('.settings')
      .closest('.control').querySelector('.field-error').textContent !== '', TAG);
  }, /replicas/, 'replicas 9');
  await field(page, 'Replicas').fill('3');
  await shoot(widget(page), 'rest-refused-light');

  // The share link restores the same state (every request replayed).
  const second = await reopenFromShareLink(page, context, TAG, ready);
  assert.match(await widget(second).locator('.card').first().textContent(), /Response to GET \/users\/2.*401 Unauthorized/s);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tours run from their scenarios, their numbers from the run', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=rest');
  await ready(page);
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  assert.equal(options.length, 4, options.join(' | '));
  const index = options.findIndex((t) => /^Idempotency/.test(t));
  await tours.selectOption(String(index));
  const description = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(description, /\{\{/);
  assert.match(description, /create \/orders\/1 and \/orders\/2/);
  for (;;) {
    if (/step (\d+) of \1\)/.test(await widget(page).locator('.tour-text').textContent())) break;
    await button(page, 'Step').click();
  }
  const snap = await snapshot(page);
  assert.equal(snap.cache.enabled, false, 'the tour\'s config');
  assert.equal(snap.counters.requests, 10);
  assert.match(await widget(page).locator('.card').first().textContent(), /Response to GET \/users\/1\/orders/);
  await shoot(widget(page), 'rest-tour-end-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an exercise graded through the widget\'s settings: only what changed goes into the config', async () => {
  const id = 'rest/03-ride-out-an-outage';
  const { page, problems, context } = await openPage(browser, `/exercises.html#${id}`);
  await page.getByRole('heading', { name: 'Ride out an outage' }).waitFor();
  await page.getByRole('button', { name: 'Check' }).and(page.locator(':enabled')).waitFor();
  const check = async () => {
    await page.getByRole('button', { name: 'Check' }).click();
    await page.locator('.check-status').filter({ hasText: /Passed on all|Not yet|Not checked/ }).waitFor({ timeout: 60000 });
    return page.locator('.check-status').textContent();
  };
  assert.match(await check(page), /Not yet: passed on 0 of 5/);
  assert.match(await page.locator('.seed-results tbody tr').first().textContent(), /result\.status = 503/);
  // The named wrong answer: public, but max-age 60 is stale 150 s later.
  await field(page, 'Cache-Control of GET responses').selectOption('public');
  await button(page, 'Apply settings').click();
  await page.waitForFunction((t) => document.querySelector(t).config.cache_control === 'public', TAG);
  assert.deepEqual(await page.evaluate((t) => document.querySelector(t).config, TAG), { cache_control: 'public', max_age_s: 60 },
    'only the changed setting is in the config');
  assert.match(await check(page), /Not yet: passed on 0 of 5/);
  await field(page, 'max-age (s)').fill('300');
  await button(page, 'Apply settings').click();
  await page.waitForFunction((t) => document.querySelector(t).config.max_age_s === 300, TAG);
  assert.match(await check(page), /Passed on all 5 hidden seeds/);
  assert.deepEqual(problems, []);
  await context.close();
});
