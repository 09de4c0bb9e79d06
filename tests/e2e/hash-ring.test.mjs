// The hash ring widget in a real browser (Debian's Chromium, headless).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ring = (page) => page.locator('sdp-hash-ring');
// Playwright's locators pierce open shadow roots.
const control = (page, name) => ring(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate(() => document.querySelector('sdp-hash-ring').session.snapshot({ full: true }));
const narration = (page) => ring(page).locator('.narration li').first().textContent();

async function ready(page) {
  await ring(page).locator('svg.ring path.band').first().waitFor();
}

test('its topic page loads with no console errors and draws the ring', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=partitioning', { colorScheme });
    await ready(page);
    assert.equal(await ring(page).locator('svg.ring path.band').count(), 4);
    assert.match(await ring(page).locator('svg.ring text.centre.big').textContent(), /4 nodes/);
    assert.equal(await ring(page).locator('svg.bars rect').count(), 4);
    await shoot(page, `gallery-${colorScheme}`, { fullPage: true });
    await shoot(ring(page), `hash-ring-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('"Add node" changes the ring and reports the moved keys beside theory', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page);
  await control(page, 'Add node').click();
  await ring(page).locator('svg.ring path.band').nth(4).waitFor();
  assert.match(await narration(page), /Added node E \(100 points\): \d+ of 500 keys moved, all to E/);
  const snap = await snapshot(page);
  assert.equal(snap.nodes.length, 5);
  assert.ok(snap.last_change.moved > 0);
  assert.deepEqual(Object.keys(snap.last_change.moved_to), ['E']);
  assert.match(await ring(page).locator('.stats').textContent(), /Theory: 20\.0%/);
  await page.waitForTimeout(1500); // let the trails finish drawing
  await shoot(ring(page), 'hash-ring-after-add');
  await control(page, 'Undo').click();
  await ring(page).locator('svg.ring path.band').nth(4).waitFor({ state: 'detached' });
  assert.equal((await snapshot(page)).nodes.length, 4);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a share link reloads to exactly the same state', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page);
  await ring(page).getByLabel('New node id').fill('cache-x');
  await ring(page).getByLabel('Weight of the new node').fill('2.5');
  await control(page, 'Add node').click();
  await control(page, 'Remove node').click(); // removes the first node, A
  await ring(page).getByLabel('Seed').fill('99');
  await ring(page).getByLabel('Seed').dispatchEvent('change');
  await ring(page).getByLabel('Key to look up').fill('user:7');
  await control(page, 'Look up').click();
  await control(page, 'Share').click();
  const url = await ring(page).getByLabel('Link to this exact state').inputValue();
  assert.match(url, /#hash-ring=/);
  const expected = await snapshot(page);

  const second = await openPage(browser, url.replace(/^https?:\/\/[^/]+/, ''));
  await ready(second.page);
  assert.deepEqual(await snapshot(second.page), expected);
  assert.equal(await ring(second.page).getByLabel('Seed').inputValue(), '99');
  assert.equal(await ring(second.page).locator('svg.ring path.walk, svg.ring circle.walk-stop').count() > 0, true);
  await shoot(ring(second.page), 'hash-ring-from-share-link');
  assert.deepEqual([...problems, ...second.problems], []);
  await second.context.close();
  await context.close();
});

test('user text is rendered as text, never as HTML', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page);
  const evil = '<img src=x onerror=alert(1)>';
  await ring(page).getByLabel('New node id').fill(evil);
  await control(page, 'Add node').click();
  await ring(page).getByLabel('Key to look up').fill('<script>alert(2)</script>');
  await control(page, 'Look up').click();
  const shadowImages = await page.evaluate(() => document.querySelector('sdp-hash-ring').shadowRoot.querySelectorAll('img, script').length);
  assert.equal(shadowImages, 0);
  assert.equal(await ring(page).getByLabel('Node to remove').locator('option').last().textContent(), evil);
  assert.ok((await narration(page)).includes('<script>alert(2)</script>'));
  await shoot(ring(page), 'hash-ring-html-as-text');
  assert.deepEqual(problems, []); // a dialog (alert) would be recorded here
  await context.close();
});

test('bad input shows a message next to the control and changes nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page);
  const before = await snapshot(page);
  await ring(page).getByLabel('Weight of the new node').fill('0');
  await control(page, 'Add node').click();
  const addGroup = ring(page).locator('.control', { has: page.getByRole('button', { name: 'Add node' }) });
  assert.match(await addGroup.locator('.field-error').textContent(), /field "weight" must be a number in \[0\.01, 100\] \(got 0\)/);
  await ring(page).getByLabel('Weight of the new node').fill('1');
  await ring(page).getByLabel('New node id').fill('A');
  await control(page, 'Add node').click();
  assert.match(await addGroup.locator('.field-error').textContent(), /a node "A" already exists/);
  await ring(page).getByLabel('Key to look up').fill('');
  await control(page, 'Look up').click();
  const keyGroup = ring(page).locator('.control', { has: page.getByRole('button', { name: 'Look up' }) });
  assert.match(await keyGroup.locator('.field-error').textContent(), /field "key" must not be empty/);
  await ring(page).getByLabel('Seed').fill('-5');
  await ring(page).getByLabel('Seed').dispatchEvent('change');
  assert.match(await ring(page).locator('.toolbar .field-error').textContent(), /Seed "-5" refused: must be an integer in \[0, 4294967295\]; kept seed 1\./);
  assert.deepEqual(await snapshot(page), before);
  await shoot(ring(page), 'hash-ring-bad-input');
  // The widget is still usable after all that.
  await ring(page).getByLabel('New node id').fill('Z');
  await control(page, 'Add node').click();
  assert.equal(await addGroup.locator('.field-error').textContent(), '');
  assert.equal((await snapshot(page)).nodes.length, 5);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the guided tour steps through a canonical scenario', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page);
  for (let i = 0; i < 7; i += 1) await control(page, 'Step').click();
  assert.match(await ring(page).locator('.tour-text').textContent(), /step 7 of 7/);
  const snap = await snapshot(page);
  assert.deepEqual(snap.nodes.map((n) => n.id), ['A', 'B', 'C', 'D', 'E']);
  assert.equal(snap.keys, 1000);
  assert.match(await ring(page).locator('.narration').textContent(), /End of the tour/);
  await page.waitForTimeout(1300);
  await shoot(ring(page), 'hash-ring-tour-end');
  assert.deepEqual(problems, []);
  await context.close();
});

test('50 nodes and 100k keys render without freezing (keys drawn as density)', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page);
  const started = Date.now();
  await page.evaluate(() => {
    const el = document.querySelector('sdp-hash-ring');
    for (let i = 0; i < 46; i += 1) el.act({ op: 'add_node', id: `n${i}` });
    el.act({ op: 'add_keys', count: 99500 });
  });
  await ring(page).getByText('Inner bars: key density').waitFor();
  const elapsed = Date.now() - started;
  const snap = await snapshot(page);
  assert.equal(snap.nodes.length, 50);
  assert.equal(snap.keys, 100000);
  await page.waitForTimeout(1300);
  await shoot(ring(page), 'hash-ring-50-nodes-100k-keys');
  // Reported, not asserted: timings belong in bench/.
  console.log(`# 46 add_node + 99.5k keys applied and drawn in ${elapsed} ms`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('removing widgets frees their wasm sessions', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page);
  const counts = await page.evaluate(async () => {
    const sdp = await import('/wasm/sdp.mjs');
    const base = sdp.liveSessions();
    for (let i = 0; i < 30; i += 1) {
      const el = document.createElement('sdp-hash-ring');
      el.setAttribute('keys', '50');
      document.body.append(el);
      await new Promise((resolve) => { const t = setInterval(() => { if (el.session) { clearInterval(t); resolve(); } }, 5); });
      el.remove();
      await Promise.resolve();
    }
    await new Promise((r) => setTimeout(r, 50));
    return { base, after: sdp.liveSessions() };
  });
  assert.equal(counts.after, counts.base);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the one-file embed works on a page with nothing else', async () => {
  const { page, problems, context } = await openPage(browser, '/embed-demo.html');
  await ready(page);
  assert.equal(await ring(page).locator('svg.ring path.band').count(), 3);
  await control(page, 'Add node').click();
  assert.equal((await snapshot(page)).nodes.length, 4);
  await shoot(ring(page), 'hash-ring-embed');
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard alone can add a node, and the change is announced', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page);
  await ring(page).getByLabel('New node id').focus();
  await page.keyboard.type('kbd-node');
  await page.keyboard.press('Tab'); // weight
  await page.keyboard.press('Tab'); // Add node
  await page.keyboard.press('Enter');
  assert.ok((await snapshot(page)).nodes.some((n) => n.id === 'kbd-node'));
  const live = ring(page).locator('[role="status"][aria-live="polite"]');
  assert.match(await live.textContent(), /Added node kbd-node/);
  // The vnode slider answers the arrow keys.
  await ring(page).getByLabel('Virtual nodes per unit of weight').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal((await snapshot(page)).config.vnodes, 101);
  assert.deepEqual(problems, []);
  await context.close();
});

test('works inside an iframe on another page', async () => {
  const { page, problems, context } = await openPage(browser, '/embed-demo.html');
  await ready(page);
  await page.evaluate(() => {
    document.body.replaceChildren();
    const frame = document.createElement('iframe');
    frame.src = '/topic.html?t=hash-ring';
    frame.style.cssText = 'width: 1000px; height: 900px';
    document.body.append(frame);
  });
  const frame = page.frameLocator('iframe');
  await frame.locator('sdp-hash-ring svg.ring path.band').first().waitFor();
  await frame.locator('sdp-hash-ring').getByRole('button', { name: 'Add node', exact: true }).click();
  await frame.locator('sdp-hash-ring svg.ring path.band').nth(4).waitFor();
  await shoot(page, 'hash-ring-in-iframe');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a playing tour pauses while the widget is off-screen', async () => {
  const { page, problems, context } = await openPage(browser, '/embed-demo.html', { viewport: { width: 1100, height: 700 } });
  await ready(page);
  await control(page, 'Play tour').click();
  await ring(page).getByText(/step [1-9] of 7/).waitFor();
  await page.evaluate(() => {
    const spacer = document.createElement('div');
    spacer.style.height = '6000px';
    document.body.prepend(spacer);
    window.scrollTo(0, 0);
  });
  await page.waitForTimeout(300);
  const parked = await ring(page).locator('.tour-text').textContent();
  await page.waitForTimeout(3500); // > 2 tour steps at 1x
  assert.equal(await ring(page).locator('.tour-text').textContent(), parked);
  await ring(page).scrollIntoViewIfNeeded();
  await page.waitForFunction((text) => {
    const el = document.querySelector('sdp-hash-ring').shadowRoot.querySelector('.tour-text');
    return el.textContent !== text;
  }, parked, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await context.close();
});
