// Long action logs in a real browser (issue #25): clicks stay answered and
// the URL is written once per burst, not per click; a note warns before a
// link grows too long to open and offers a file; Export / Import round-trip
// to the identical snapshot; compacted logs replay to the same state as every
// step; a truncated Redis reply says so; a lone surrogate gets a sentence.
// Every log here is generated deterministically in the test.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { downloadedBytes, launch, openPage, shoot, shootBothThemes } from './browser.mjs';
import { decodeState, encodeState, LINK_LIMIT_CHARS, LINK_WARN_CHARS } from '../../web/url-state.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ZSET = 'sdp-redis-zset';
const CONFIG = { draw_nodes: 24 };
const START = [{ op: 'fill', key: 'jobs', count: 8, prefix: 'job-', max_score: 1000 }, { op: 'view', key: 'jobs' }];
const zadd = (i) => ({ op: 'command', line: `ZADD jobs ${(i * 7919) % 1000003} member-${i}` });
const linkParam = (steps) => `redis-zset=${encodeState({ seed: 1, config: CONFIG, steps })}`;

// START + ZADDs, as many as keep the link parameter at most `chars` long.
function zsetSteps(chars) {
  const steps = [...START];
  const perStep = linkParam([...START, zadd(1000)]).length - linkParam(START).length;
  const n = Math.floor((chars - linkParam(START).length) / perStep);
  for (let i = 0; i < n; i += 1) steps.push(zadd(i));
  while (linkParam(steps).length > chars) steps.pop();
  return steps;
}

async function ready(page, tag) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, tag, { timeout: 120000 });
}

// Leaves only `tag` on the page (topic.html?t=TAG shows it alone already):
// its errors are its own, and a click lays out one widget.
async function onlyWidget(page, tag) {
  await page.evaluate((t) => {
    for (const el of document.querySelectorAll('*')) if (el.localName.startsWith('sdp-') && el.localName !== t) el.remove();
  }, tag);
}

async function openWidget(tag, { hash = '', colorScheme = 'light' } = {}) {
  const opened = await openPage(browser, `/topic.html?t=${tag.slice(4)}${hash}`, { colorScheme, timeout: 180000 });
  await ready(opened.page, tag);
  await onlyWidget(opened.page, tag);
  await opened.page.locator(tag).scrollIntoViewIfNeeded();
  return opened;
}

const button = (page, tag, name) => page.locator(tag).getByRole('button', { name, exact: true });

async function runLine(page, line) {
  const input = page.locator(ZSET).getByLabel('Redis command', { exact: true });
  await input.fill(line);
  await input.press('Enter');
}

// Counts history.replaceState calls from now on (after writing what is pending).
async function countUrlWrites(page, tag) {
  await page.evaluate((t) => {
    document.querySelector(t).flushLink();
    const original = history.replaceState.bind(history);
    window.urlWrites = 0;
    history.replaceState = (...args) => { window.urlWrites += 1; return original(...args); };
  }, tag);
}

// Ten clicks of "Add a job" in one task; whether the URL changed meanwhile.
async function burstOfClicks(page, tag) {
  return page.evaluate((t) => {
    const w = document.querySelector(t);
    const add = [...w.shadowRoot.querySelectorAll('button')].find((b) => b.textContent === 'Add a job');
    const href = location.href;
    const before = w.log.length;
    for (let i = 0; i < 10; i += 1) add.click();
    return { sameUrl: location.href === href, writes: window.urlWrites, added: w.log.length - before };
  }, tag);
}

async function urlState(page, tag) {
  const { hash, scenario } = await page.evaluate((t) => ({ hash: location.hash, scenario: document.querySelector(t).scenario() }), tag);
  const written = decodeState(new URLSearchParams(hash.slice(1)).get('redis-zset'));
  return { written, expected: { seed: scenario.seed, config: scenario.config, steps: scenario.steps } };
}

test('a short link is written once per burst of clicks, never in the click itself', async () => {
  const { page, problems, context } = await openWidget(ZSET);
  await countUrlWrites(page, ZSET);
  assert.deepEqual(await burstOfClicks(page, ZSET), { sameUrl: true, writes: 0, added: 10 });
  await page.waitForFunction(() => window.urlWrites > 0);
  await page.waitForTimeout(2500);  // longer than any write delay
  assert.equal(await page.evaluate(() => window.urlWrites), 1, 'ten clicks, one URL write');
  const { written, expected } = await urlState(page, ZSET);
  assert.deepEqual(written, expected);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reload right after a burst of clicks keeps every click (written as the page hides, carried over the reload)', async () => {
  // The write waits for 0.75 s of quiet: a reader who reloads sooner must
  // still find the clicks, so the page writes what is pending as it goes.
  const { page, problems, context } = await openPage(browser, `/topic.html?t=${ZSET.slice(4)}`, { timeout: 180000 });
  await ready(page, ZSET);
  const { added } = await page.evaluate((t) => {
    const w = document.querySelector(t);
    const add = [...w.shadowRoot.querySelectorAll('button')].find((b) => b.textContent === 'Add a job');
    for (let i = 0; i < 10; i += 1) add.click();
    return { added: w.log.length };
  }, ZSET);
  const stillUnwritten = await page.evaluate(() => location.hash);
  assert.ok(!stillUnwritten.includes('redis-zset='), 'the clicks are not in the URL yet');
  await page.reload();
  await ready(page, ZSET);
  assert.equal(await page.evaluate((t) => document.querySelector(t).log.length, ZSET), added);
  assert.deepEqual(problems, []);
  await context.close();
});

test('with a long log every click is answered; the address bar gets the link on Share', async () => {
  const steps = zsetSteps(900000);
  const { page, problems, context } = await openWidget(ZSET, { hash: `#${linkParam(steps)}` });
  assert.equal(await page.evaluate((t) => document.querySelector(t).log.length, ZSET), steps.length);
  // Real clicks: each one changes the set.
  for (let i = 0; i < 3; i += 1) {
    const size = await page.evaluate((t) => document.querySelector(t).session.snapshot().view.size, ZSET);
    await button(page, ZSET, 'Add a job').click();
    assert.equal(await page.evaluate((t) => document.querySelector(t).session.snapshot().view.size, ZSET), size + 1);
  }
  const note = page.locator(ZSET).locator('.link-note');
  assert.match(await note.locator('span').textContent(), /^This widget's link is 0\.8\d MB long: to keep every click fast, the address bar gets it only when you press Share or switch to another tab or window\.$/);
  await shoot(page.locator(ZSET).locator('.toolbar'), 'long-log-lazy-light');
  await countUrlWrites(page, ZSET);
  assert.deepEqual(await burstOfClicks(page, ZSET), { sameUrl: true, writes: 0, added: 10 });
  await page.waitForTimeout(2500);
  assert.equal(await page.evaluate(() => window.urlWrites), 0, 'a long link waits for Share or for the page to be hidden');
  // The tab hidden (another tab chosen): the link is written then.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    delete document.visibilityState;
  });
  assert.equal(await page.evaluate(() => window.urlWrites), 1);
  let { written, expected } = await urlState(page, ZSET);
  assert.deepEqual(written, expected);
  assert.equal(written.steps.length, steps.length + 13);
  await button(page, ZSET, 'Add a job').click();
  await button(page, ZSET, 'Share').click();
  assert.equal(await page.evaluate(() => window.urlWrites), 2);
  ({ written, expected } = await urlState(page, ZSET));
  assert.deepEqual(written, expected);
  assert.equal(written.steps.length, steps.length + 14);
  assert.equal(await page.locator(ZSET).getByLabel('Link to this exact state').inputValue(), await page.evaluate(() => location.href));
  assert.deepEqual(problems, []);
  await context.close();
});

// Each test shoots its page in both themes: replaying the 1.5 MB log once
// per theme cost 37 s.
test('the link note warns before the limit and offers a file', async () => {
  const steps = zsetSteps(LINK_WARN_CHARS - 3000);
  const { page, problems, context } = await openWidget(ZSET, { hash: `#${linkParam(steps)}` });
  const note = page.locator(ZSET).locator('.link-note');
  assert.doesNotMatch(await note.textContent(), /browsers do not open/, 'no warning while the link is short enough');
  // Add jobs until the note warns: the link still opens then.
  const added = await page.evaluate((t) => {
    const w = document.querySelector(t);
    const note = w.shadowRoot.querySelector('.link-note');
    let n = 0;
    for (; !note.classList.contains('warn') && n < 500; n += 1) w.act({ op: 'command', line: `ZADD jobs ${n} warn-member-with-a-long-name-${n}` });
    w.flushLink();
    return n;
  }, ZSET);
  assert.ok(added > 1 && added < 500, `the warning came after ${added} actions`);
  assert.match(await note.textContent(), /link is 1\.5 MB long; browsers do not open links over 2 MB.*Export the state as a file/);
  assert.ok(await note.getByRole('button', { name: 'Export as a file' }).isVisible());
  const url = await page.evaluate(() => location.href);
  assert.ok(url.length < LINK_LIMIT_CHARS, 'warned while the link still opens');
  assert.ok(new URLSearchParams(new URL(url).hash.slice(1)).get('redis-zset'), 'the state is still in the URL');
  await shootBothThemes(page, page.locator(ZSET).locator('.toolbar'), 'long-log-warning');
  assert.deepEqual(problems, []);
  await context.close();
});

test('past the limit the state leaves the URL and Share says why', async () => {
  // Over the limit (a file imported): the note says so, the URL drops the
  // parameter (so other widgets' links still open), Share says why.
  const over = zsetSteps(LINK_LIMIT_CHARS + 50000);
  const { page, problems, context } = await openWidget(ZSET);
  await page.locator(ZSET).locator('input[type=file]').setInputFiles({ name: 'big.json', mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ sim: 'redis_zset', seed: 1, config: CONFIG, steps: over })) });
  await page.locator(ZSET).getByText(`Loaded ${over.length.toLocaleString('en-US')} steps.`).first().waitFor({ timeout: 120000 });
  await page.evaluate((t) => document.querySelector(t).flushLink(), ZSET);
  const note = page.locator(ZSET).locator('.link-note');
  await note.waitFor();
  assert.match(await note.textContent(), /This state is 2\.\d\d MB as a link, over the 2 MB browsers open: the page address no longer keeps it/);
  assert.equal(await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('redis-zset')), null);
  await button(page, ZSET, 'Share').click();
  await page.locator(ZSET).getByText('Too long for a link (over 2 MB): use Export to save it as a file.').waitFor();
  await shootBothThemes(page, page.locator(ZSET).locator('.toolbar'), 'long-log-over');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an exported file is the scenario sdp run replays, and imports back to the identical snapshot', async () => {
  const { page, problems, context } = await openWidget(ZSET);
  await button(page, ZSET, 'Fill past 128 entries').click();
  await runLine(page, 'ZADD jobs 5 "Köln 🔑"');
  await button(page, ZSET, 'Worker takes the earliest').click();
  const original = await page.evaluate((t) => document.querySelector(t).session.snapshot({ full: true }), ZSET);
  const download = page.waitForEvent('download');
  await button(page, ZSET, 'Export').click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^redis_zset-\d+-steps\.json$/);
  const text = (await downloadedBytes(file)).toString('utf8');
  const scenario = JSON.parse(text);
  assert.deepEqual(Object.keys(scenario), ['sim', 'seed', 'config', 'steps']);
  // The wasm runner (byte-identical to `sdp run`) replays it to the same state.
  const replayed = await page.evaluate(async (t) => JSON.parse(await (await import('/wasm/sdp.mjs')).runScenario(t)).snapshot, text);
  assert.deepEqual(replayed, original);
  assert.deepEqual(problems, []);
  await context.close();

  const fresh = await openWidget(ZSET);
  await fresh.page.locator(ZSET).locator('input[type=file]').setInputFiles({ name: file.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
  await fresh.page.locator(ZSET).getByText(`Loaded ${scenario.steps.length.toLocaleString('en-US')} steps.`).first().waitFor();
  assert.deepEqual(await fresh.page.evaluate((t) => document.querySelector(t).session.snapshot({ full: true }), ZSET), original);
  // A file for another widget is refused with a sentence, and nothing changes.
  await fresh.page.locator(ZSET).locator('input[type=file]').setInputFiles({ name: 'geo.json', mimeType: 'application/json',
    buffer: Buffer.from('{"sim":"redis_geo","steps":[]}') });
  await fresh.page.locator(ZSET).locator('.field-error').getByText('That file is for "redis_geo"; this widget runs "redis_zset".', { exact: true }).waitFor();
  assert.deepEqual(await fresh.page.evaluate((t) => document.querySelector(t).session.snapshot({ full: true }), ZSET), original);
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();
});

// Records every step a widget applies (its own log compacts them).
async function recordSteps(page, tag) {
  await page.evaluate((t) => {
    const w = document.querySelector(t);
    window.rawSteps = [...w.log];
    const act = w.act.bind(w);
    w.act = (step, source) => {
      const result = act(step, source);
      if (result) window.rawSteps.push(step);
      return result;
    };
  }, tag);
}

// The widget's live snapshot, a replay of its (compacted) log and a replay
// of every step it applied.
async function threeSnapshots(page, tag, sim) {
  return page.evaluate(async ({ t, sim }) => {
    const { SimSession } = await import('/wasm/sdp.mjs');
    const w = document.querySelector(t);
    const replay = async (steps) => {
      const s = await SimSession.create(sim, { seed: w.seed, config: w.config });
      for (const step of steps) s.apply(step);
      const snap = s.snapshot({ full: true });
      s.delete();
      return snap;
    };
    return { live: w.session.snapshot({ full: true }), compacted: await replay(w.log), raw: await replay(window.rawSteps),
      kept: w.log.length, applied: window.rawSteps.length };
  }, { t: tag, sim });
}

test('compaction: fewer steps kept, and they replay to the same snapshot as every step', async () => {
  const breaker = await openWidget('sdp-circuit-breaker');
  await recordSteps(breaker.page, 'sdp-circuit-breaker');
  for (let i = 0; i < 6; i += 1) await button(breaker.page, 'sdp-circuit-breaker', '+1 s').click();
  await button(breaker.page, 'sdp-circuit-breaker', 'Run live').click();
  await breaker.page.waitForFunction(() => window.rawSteps.length >= 14, null, { timeout: 20000 });
  await button(breaker.page, 'sdp-circuit-breaker', 'Run live').click();  // pressed again: pause
  const b = await threeSnapshots(breaker.page, 'sdp-circuit-breaker', 'circuit_breaker');
  assert.ok(b.kept < b.applied, `kept ${b.kept} of ${b.applied}`);
  assert.deepEqual(b.compacted, b.raw);
  assert.deepEqual(b.live, b.raw);
  assert.deepEqual(breaker.problems, []);
  await breaker.context.close();

  const limiter = await openWidget('sdp-rate-limiter');
  await recordSteps(limiter.page, 'sdp-rate-limiter');
  for (let i = 0; i < 8; i += 1) await button(limiter.page, 'sdp-rate-limiter', 'Wait 1 s').click();
  const r = await threeSnapshots(limiter.page, 'sdp-rate-limiter', 'rate_limiter');
  assert.ok(r.kept < r.applied, `kept ${r.kept} of ${r.applied}`);
  assert.deepEqual(r.compacted, r.raw);
  assert.deepEqual(r.live, r.raw);
  // Undo takes back one wait, not the merged ones.
  const before = await limiter.page.evaluate(() => document.querySelector('sdp-rate-limiter').session.snapshot().now_ms);
  await button(limiter.page, 'sdp-rate-limiter', 'Undo').click();
  await limiter.page.waitForFunction((t) => document.querySelector('sdp-rate-limiter').session.snapshot().now_ms === t - 1000, before);
  assert.deepEqual(limiter.problems, []);
  await limiter.context.close();
});

test('a truncated reply says so', async () => {
  const { page, problems, context } = await openWidget(ZSET);
  await page.evaluate((t) => document.querySelector(t).act({ op: 'fill', key: 'jobs', count: 2600, prefix: 'job-', max_score: 1000 }), ZSET);
  await runLine(page, 'ZRANGE jobs 0 -1');
  const marker = page.locator(ZSET).locator('.transcript .truncated');
  await marker.waitFor();
  assert.equal(await marker.textContent(), '(reply truncated: the first 2,000 of 2,608 elements are shown)\n');
  assert.ok(await marker.isVisible(), 'scrolled into view at the end of the transcript');
  await shootBothThemes(page, page.locator(ZSET).locator('.console'), 'redis-truncated-reply');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a lone surrogate typed into the console gets a sentence, not a parser error', async () => {
  const { page, problems, context } = await openWidget(ZSET);
  const steps = await page.evaluate((t) => document.querySelector(t).log.length, ZSET);
  // Typed text reaches the page as UTF-8, which cannot hold a lone
  // surrogate; paste-like input can: set the value in the page.
  await page.evaluate((t) => {
    const input = document.querySelector(t).shadowRoot.querySelector('input.line');
    input.value = 'SET key caf\uD83D';
  }, ZSET);
  await page.locator(ZSET).getByLabel('Redis command', { exact: true }).press('Enter');
  const error = page.locator(ZSET).locator('.console .field-error');
  await error.waitFor();
  const text = await error.textContent();
  assert.equal(text, 'The text has a broken character (position 12 of "line"): half of an emoji or other character written as two UTF-16 units, without its other half. It cannot be sent; delete it and type the character again.');
  assert.doesNotMatch(text, /json\.exception/);
  assert.equal(await page.evaluate((t) => document.querySelector(t).log.length, ZSET), steps, 'nothing was applied');
  await shootBothThemes(page, page.locator(ZSET).locator('.console'), 'redis-lone-surrogate');
  assert.deepEqual(problems, []);
  await context.close();
});
