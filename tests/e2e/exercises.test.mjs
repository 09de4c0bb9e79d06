// exercises.html in a real browser: the list by topic and difficulty, one
// exercise failed with the starting configuration and passed with the
// reference, both through the page's own controls and graded on every
// hidden seed in the wasm engine; a change the exercise does not allow is
// refused; hints one by one; progress in localStorage across reloads, and a
// corrupt value there does not break the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { baseUrl, launch, openPage, shoot } from './browser.mjs';

// axe-core from npm, served on the site's origin (the page's CSP allows
// scripts from 'self' only), as tests/e2e/a11y.test.mjs does.
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_URL = `${baseUrl}/test/axe-exercises.min.js`;

async function axeViolations(page, context) {
  await context.route(AXE_URL, (route) => route.fulfill({ path: AXE_PATH, contentType: 'text/javascript' }));
  await page.addScriptTag({ url: AXE_URL });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
  });
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const exercises = readdirSync('exercises').flatMap((w) => readdirSync(`exercises/${w}`).map((f) => JSON.parse(readFileSync(`exercises/${w}/${f}`, 'utf8'))));
const EXERCISE = 'load-balancer/01-half-speed-server';
const lb = exercises.find((e) => e.id === EXERCISE);

async function openExercise(page) {
  await page.getByRole('link', { name: lb.title }).click();
  await page.getByRole('heading', { name: lb.title }).waitFor();
  await page.getByRole('button', { name: 'Check' }).and(page.locator(':enabled')).waitFor();
}

async function check(page) {
  await page.getByRole('button', { name: 'Check' }).click();
  await page.locator('.check-status').filter({ hasText: /Passed on all|Not yet|Not checked/ }).waitFor({ timeout: 60000 });
  return page.locator('.check-status').textContent();
}

test('the list shows every exercise under its topic, easiest first', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/exercises.html', { colorScheme });
    await page.locator('.exercise-list a').first().waitFor();
    const topics = [...new Set(exercises.map((e) => e.topic))].sort();
    assert.deepEqual(await page.locator('.exercise-topic h2').allTextContents(), topics);
    for (const topic of topics) {
      const section = page.locator('.exercise-topic').filter({ has: page.getByRole('heading', { name: topic, exact: true }) });
      const expected = exercises.filter((e) => e.topic === topic);
      assert.equal(await section.locator('li').count(), expected.length, topic);
      const order = (await section.locator('.difficulty').allTextContents()).map((d) => ['easy', 'medium', 'hard'].indexOf(d));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `${topic}: easiest first`);
    }
    assert.equal(await page.locator('.exercise-progress').textContent(), `Passed 0 of ${exercises.length}.`);
    // Nothing but the progress line and the topics (an absent "refused"
    // section once showed as the word "null" under the list).
    assert.deepEqual(await page.locator('#exercises > *').evaluateAll((els) => els.map((e) => e.className)),
      ['exercise-progress', ...topics.map(() => 'exercise-topic')]);
    assert.doesNotMatch(await page.locator('#exercises').innerText(), /\bnull\b|undefined/);
    await shoot(page, `exercises-list-${colorScheme}`, { fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the index page links to the exercises', async () => {
  const { page, problems, context } = await openPage(browser, '/');
  // The cards' pictures drawn first: leaving earlier aborts their loads (requestfailed).
  await page.waitForFunction(() => document.querySelector('main').dataset.pictures === 'done', null, { timeout: 60000 });
  await page.getByRole('link', { name: 'Exercises' }).click();
  await page.locator('.exercise-list a').first().waitFor();
  assert.match(page.url(), /exercises\.html$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an exercise fails as it starts and passes with the reference, on every hidden seed; progress survives a reload', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/exercises.html', { colorScheme });
    await openExercise(page);
    const widget = page.locator(lb.widget);
    assert.match(await check(page), new RegExp(`Not yet: passed on 0 of ${lb.hidden_seeds.length} hidden seeds`));
    const rows = page.locator('.seed-results tbody tr');
    assert.deepEqual(await rows.locator('td:first-child').allTextContents(), lb.hidden_seeds.map(String));
    for (const row of await rows.all()) {
      assert.equal(await row.locator('td').nth(1).textContent(), 'fail');
      assert.match(await row.locator('td').nth(2).textContent(), /✗ snapshot\.lanes\.0\.latency\.p99_ms = [\d.]+ \(goal < 300\)/);
    }
    // A change the exercise does not allow (a server's speed) is refused, not graded.
    await widget.getByRole('button', { name: 'Slow ×5' }).first().click();
    assert.match(await check(page), /Not checked/);
    assert.match(await page.locator('.refused').textContent(), /op "server_slow" is not allowed here/);
    if (colorScheme === 'light') {
      // Stepped back to before that action: Check grades the moment shown.
      await widget.evaluate((w) => w.goTo(w.timeline.length - 1));
      assert.match(await check(page), new RegExp(`Not yet: passed on 0 of ${lb.hidden_seeds.length} hidden seeds`));
    }
    await page.getByRole('button', { name: 'Reset exercise' }).click();
    await page.locator('.check-status').filter({ hasText: 'Back to the starting state.' }).waitFor();
    assert.deepEqual(await widget.evaluate((w) => w.scenario().steps), lb.start.steps);
    // The reference, through the widget's own control.
    await widget.getByLabel('Algorithm').selectOption('least_connections');
    assert.match(await check(page), new RegExp(`Passed on all ${lb.hidden_seeds.length} hidden seeds`));
    for (const row of await rows.all()) {
      assert.equal(await row.locator('td').nth(1).textContent(), 'pass');
      const text = await row.locator('td').nth(2).textContent();
      const measured = Number(text.match(/= ([\d.]+) \(goal < 300\)/)[1]);
      assert.ok(measured < 300, text);
    }
    await page.getByRole('button', { name: /Show a hint/ }).click();
    assert.deepEqual(await page.locator('.hints li').allTextContents(), lb.hints.slice(0, 1));
    await page.getByRole('button', { name: /Show a hint/ }).click();
    assert.deepEqual(await page.locator('.hints li').allTextContents(), lb.hints.slice(0, 2));
    await page.locator('.exercise-actions').scrollIntoViewIfNeeded();
    await shoot(page, `exercises-passed-${colorScheme}`, { fullPage: true });
    assert.deepEqual(await axeViolations(page, context), [], `axe on the exercise view (${colorScheme})`);
    await page.reload();
    await page.getByRole('heading', { name: lb.title }).waitFor();
    await page.getByRole('link', { name: '← All exercises' }).click();
    const item = page.locator('.exercise-list li').filter({ has: page.getByRole('link', { name: lb.title }) });
    await item.locator('.passed-mark').waitFor();
    assert.equal(await page.locator('.exercise-progress').textContent(), `Passed 1 of ${exercises.length}.`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a config change made with the widget\'s controls is graded too (rate limiter: Apply to all six)', async () => {
  const rl = exercises.find((e) => e.id === 'rate-limiter/02-burst-and-rate');
  const { page, problems, context } = await openPage(browser, `/exercises.html#${rl.id}`);
  await page.getByRole('heading', { name: rl.title }).waitFor();
  await page.getByRole('button', { name: 'Check' }).and(page.locator(':enabled')).waitFor();
  const widget = page.locator(rl.widget);
  assert.match(await check(page), /Not yet/);
  // A plausible wrong answer: the same bucket, refilled ten times faster.
  await widget.getByLabel('Limit per window').selectOption('100');
  await widget.getByRole('button', { name: 'Apply to all six' }).click();
  await page.waitForFunction(() => document.querySelector('sdp-rate-limiter').config.limit === 100);
  assert.match(await check(page), /Not yet: passed on 0 of 5/);
  assert.match(await page.locator('.seed-results tbody tr').first().textContent(), /✗ result\.algorithms\.token_bucket\.allowed = \d+ \(goal <= 450\)/);
  await widget.getByLabel('Window', { exact: true }).selectOption('10000');
  await widget.getByRole('button', { name: 'Apply to all six' }).click();
  await page.waitForFunction(() => document.querySelector('sdp-rate-limiter').config.window_ms === 10000);
  assert.match(await check(page), /Passed on all 5 hidden seeds/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a malformed exercise file is refused with the field named; the others still load', async () => {
  // Opened on a quiet page first: the routes below must be in place before
  // exercises.html asks for its files.
  const { page, problems, context } = await openPage(browser, '/docs/exercises.html', { colorScheme: 'dark' });
  const broken = structuredClone(lb);
  broken.id = 'broken/01-bad';
  broken.widget = 'sdp-nope';
  broken.goal.all[0].op = '=<';
  delete broken.hidden_seeds;
  const index = [...exercises.map((e) => `${e.id}.json`), 'broken/01-bad.json', 'broken/02-not-json.json'];
  await context.route('**/exercises/index.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(index) }));
  await context.route('**/exercises/broken/01-bad.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(broken) }));
  await context.route('**/exercises/broken/02-not-json.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"id": ' }));
  await page.goto(`${baseUrl}/exercises.html`);
  const refused = page.locator('.exercise-refused');
  await refused.waitFor();
  const bad = refused.locator('li').filter({ has: page.locator('code', { hasText: 'exercises/broken/01-bad.json' }) });
  const lines = await bad.locator('ul li').allTextContents();
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.match(lines[0], /^widget: unknown widget "sdp-nope"/);
  assert.match(lines[1], /^goal\.all\[0\]\.op: goal\.all\[0\]\.op "=<" is not a comparison/);
  assert.match(lines[2], /^hidden_seeds: hidden_seeds must list at least 5 seeds \(got none\)/);
  const notJson = refused.locator('li').filter({ has: page.locator('code', { hasText: 'exercises/broken/02-not-json.json' }) });
  assert.match(await notJson.locator('ul li').textContent(), /^\(file\): not valid JSON/);
  assert.equal(await page.locator('.exercise-list li').count(), exercises.length);
  await refused.scrollIntoViewIfNeeded();
  await shoot(page, 'exercises-refused-dark');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a corrupt or foreign progress value reads as nothing passed', async () => {
  for (const junk of ['{not json', '[1,2,3]', '{"x": {"passed": "yes"}}']) {
    const { page, problems, context } = await openPage(browser, '/exercises.html',
      { initScript: `localStorage.setItem('sdp.exercises.v1', ${JSON.stringify(junk)})` });
    await page.locator('.exercise-list a').first().waitFor();
    assert.equal(await page.locator('.exercise-progress').textContent(), `Passed 0 of ${exercises.length}.`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
