// Embed and Download from any widget (issue #22, points 4 and 5): the Embed
// snippets carry the current state and, pasted into a fresh page, show the
// same snapshot; the sample blog post renders three widgets with its own
// styles intact both ways; CSV, PNG and text exports hold what they promise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { baseUrl, downloadedBytes, launch, openPage, screenshotDir, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-circuit-breaker';
const widget = (page) => page.locator(TAG).first();

async function ready(page, tag = TAG) {
  await page.waitForFunction((t) => [...document.querySelectorAll(t)].every((w) => w.session), tag);
}

// A state that is not the starting one: two tour steps and another seed.
async function changeState(page) {
  await widget(page).scrollIntoViewIfNeeded();
  const step = widget(page).getByRole('button', { name: 'Step', exact: true });
  await step.click();
  await step.click();
  await widget(page).getByLabel('Seed').fill('42');
  await widget(page).getByLabel('Seed').press('Enter');
  await page.waitForFunction((t) => document.querySelector(t).seed === 42, TAG);
}

const snapshotOf = (target, tag = TAG) => target.evaluate((t) => document.querySelector(t).session.snapshot(), tag);

// Serves `html` at /fresh.html on the site's origin (a page that is not in dist/).
async function freshPage(html) {
  const context = await browser.newContext();
  await context.route(`${baseUrl}/fresh.html`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.goto(`${baseUrl}/fresh.html`);
  return { page, context, problems };
}

test('the Embed snippets hold the current state and reproduce its snapshot in a fresh page', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, problems } = await openPage(browser, '/topic.html?t=circuit-breaker', { colorScheme });
    await ready(page);
    await changeState(page);
    const expected = await snapshotOf(page);
    const scenario = await page.evaluate((t) => document.querySelector(t).scenario(), TAG);
    assert.ok(scenario.steps.length >= 2, 'the state has actions');
    const embed = widget(page).getByRole('button', { name: 'Embed', exact: true });
    await embed.focus();
    await page.keyboard.press('Enter'); // keyboard operable
    assert.equal(await embed.getAttribute('aria-expanded'), 'true');
    const iframeBox = widget(page).getByRole('textbox', { name: 'iframe snippet' });
    const scriptBox = widget(page).getByRole('textbox', { name: 'script and element snippet' });
    const iframe = await iframeBox.inputValue();
    const script = await scriptBox.inputValue();
    assert.match(iframe, /^<iframe src="[^"]+\/widget\.html\?w=circuit-breaker#circuit-breaker=[A-Za-z0-9_-]+"/);
    assert.match(script, /^<script type="module" src="[^"]+\/sdp-embed\.js"><\/script>\n<sdp-circuit-breaker seed="42" rps="\d+(\.\d+)?" state="[A-Za-z0-9_-]+"><\/sdp-circuit-breaker>$/);
    // The copy buttons' names start with their visible label (WCAG 2.5.3).
    const copy = widget(page).getByRole('button', { name: 'Copy iframe', exact: true });
    await copy.click();
    await widget(page).getByText(/^(Copied|Selected: press Ctrl\+C)/).first().waitFor();
    await shoot(widget(page), `embed-panel-${colorScheme}`);

    // The script snippet in a fresh page.
    const withScript = await freshPage(`<!doctype html><meta charset="utf-8"><title>fresh</title>${script}`);
    await ready(withScript.page);
    assert.deepEqual(await snapshotOf(withScript.page), expected);
    assert.deepEqual(await withScript.page.evaluate((t) => document.querySelector(t).scenario(), TAG), scenario);
    assert.deepEqual(withScript.problems, []);
    await withScript.context.close();

    // The iframe snippet in a fresh page.
    const withFrame = await freshPage(`<!doctype html><meta charset="utf-8"><title>fresh</title>${iframe}`);
    const frame = withFrame.page.frameLocator('iframe');
    await frame.locator(TAG).waitFor();
    const inner = withFrame.page.frames().find((f) => f.url().includes('widget.html'));
    await ready(inner);
    assert.deepEqual(await snapshotOf(inner), expected);
    assert.deepEqual(withFrame.problems, []);
    await withFrame.context.close();

    if (colorScheme === 'light') {
      // Stepped back on the timeline: the snippet opens at that moment and
      // keeps the later actions (one more fresh page, light only).
      const back = scenario.steps.length - 1;
      const earlier = await page.evaluate(([t, at]) => {
        const w = document.querySelector(t);
        w.goTo(at);
        return w.session.snapshot();
      }, [TAG, back]);
      const scriptThen = await scriptBox.inputValue();
      assert.notEqual(scriptThen, script);
      const atThen = await freshPage(`<!doctype html><meta charset="utf-8"><title>fresh</title>${scriptThen}`);
      await ready(atThen.page);
      assert.deepEqual(await snapshotOf(atThen.page), earlier);
      assert.deepEqual(await atThen.page.evaluate((t) => document.querySelector(t).timeline.position, TAG), back);
      assert.deepEqual(await atThen.page.evaluate((t) => document.querySelector(t).scenario(), TAG), scenario);
      assert.deepEqual(atThen.problems, []);
      await atThen.context.close();
    }

    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a damaged state attribute is refused with a note, and the widget starts from its attributes', async () => {
  const { page, context, problems } = await freshPage('<!doctype html><meta charset="utf-8"><title>fresh</title>'
    + `<script type="module" src="${baseUrl}/sdp-embed.js"></script><sdp-circuit-breaker state="not*base64" rps="150"></sdp-circuit-breaker>`
    + '<sdp-circuit-breaker id="plain" rps="150"></sdp-circuit-breaker>');
  await ready(page);
  await widget(page).getByText('The state attribute is damaged (not valid state); starting fresh.').waitFor();
  const [damaged, plain] = await page.evaluate((t) => [...document.querySelectorAll(t)].map((w) => w.scenario()), TAG);
  assert.equal(damaged.config.rps, 150);
  assert.deepEqual(damaged, plain);
  assert.deepEqual(problems, []);
  await context.close();
});

// Computed styles of host elements that the widgets could disturb.
async function hostStyles(page) {
  return page.evaluate(() => {
    const props = ['font-family', 'font-size', 'color', 'background-color', 'letter-spacing', 'text-align', 'text-transform',
      'border-left-width', 'border-left-style', 'padding-top', 'line-height'];
    const pick = (selector) => {
      const style = getComputedStyle(document.querySelector(selector));
      return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
    };
    return Object.fromEntries(['body', 'h1', 'h2', 'p', 'p.caption', 'section.dark', 'div.subscribe', 'div.subscribe button']
      .map((s) => [s, pick(s)]));
  });
}

test('the blog sample renders three widgets; its styles and theirs stay apart', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, problems } = await openPage(browser, '/examples/blog-post.html', { colorScheme });
    const tags = ['sdp-hash-ring', 'sdp-rate-limiter', 'sdp-gossip'];
    for (const tag of tags) await ready(page, tag);
    assert.equal(await page.evaluate((t) => document.querySelectorAll(t.join(',')).length, tags), 3);
    // The host's button / div / text rules do not reach inside.
    const inside = await page.evaluate(() => {
      const root = document.querySelector('sdp-hash-ring').shadowRoot;
      const button = getComputedStyle(root.querySelector('button'));
      const div = getComputedStyle(root.querySelector('div.toolbar'));
      const text = getComputedStyle(root.querySelector('.subtitle'));
      return { buttonBg: button.backgroundColor, buttonTransform: button.textTransform, buttonBorder: button.borderTopStyle,
        divBorderLeft: div.borderLeftWidth, letterSpacing: text.letterSpacing, textAlign: text.textAlign, font: text.fontFamily };
    });
    assert.notEqual(inside.buttonBg, 'rgb(255, 105, 180)', 'hotpink button rule leaked in');
    assert.equal(inside.buttonTransform, 'none');
    assert.equal(inside.buttonBorder, 'solid');
    assert.equal(inside.divBorderLeft, '0px');
    assert.equal(inside.letterSpacing, 'normal');
    assert.equal(inside.textAlign, 'start');
    assert.doesNotMatch(inside.font, /Georgia/);
    // The widgets' styles do not leak out: the same host elements computed
    // with the embed script replaced by an empty one (no widgets defined).
    const withWidgets = await hostStyles(page);
    const plainContext = await browser.newContext({ colorScheme });
    await plainContext.route('**/sdp-embed.js', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    const plain = await plainContext.newPage();
    await plain.goto(`${baseUrl}/examples/blog-post.html`);
    assert.deepEqual(withWidgets, await hostStyles(plain));
    assert.equal(await plain.evaluate(() => document.querySelector('sdp-hash-ring').shadowRoot), null);
    await plainContext.close();
    await shoot(page, `embed-blog-post-${colorScheme}`, { fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

async function download(page, name) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    widget(page).getByRole('button', { name, exact: true }).click(),
  ]);
  return downloadedBytes(file);
}

test('Download: CSV rows match the snapshot, PNG is a PNG, the text lists every action', async () => {
  const { page, context, problems } = await openPage(browser, '/topic.html?t=circuit-breaker');
  await ready(page);
  await changeState(page);
  await widget(page).getByRole('button', { name: 'Download', exact: true }).click();
  const csv = (await download(page, 'Metrics (CSV)')).toString('utf8');
  const lines = csv.split('\r\n');
  assert.equal(lines.pop(), '', 'CRLF after the last record');
  const header = lines[0].split(',');
  assert.deepEqual(header.slice(0, 2), ['series:t_ms', 'series:ok']);
  // Expected from the engine in the page: each declared column, sample by sample.
  const expected = await page.evaluate((t) => {
    const w = document.querySelector(t);
    const columns = w.constructor.csvColumns.map((c) => Array.from(w.session.column(c)));
    return { rows: columns[0].map((_, i) => columns.map((c) => String(c[i])).join(',')) };
  }, TAG);
  assert.ok(expected.rows.length > 1, 'the run has several buckets');
  assert.deepEqual(lines.slice(1), expected.rows);
  // Buckets are in time order.
  const times = lines.slice(1).map((l) => Number(l.split(',')[0]));
  assert.deepEqual(times, [...times].sort((a, b) => a - b));

  const png = await download(page, 'Picture (PNG)');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.length > 1000, `PNG of ${png.length} bytes`);
  writeFileSync(`${screenshotDir}export-circuit-breaker-picture.png`, png); // for a human to look at

  const text = (await download(page, 'Log (text)')).toString('utf8');
  const log = await page.evaluate((t) => document.querySelector(t).log, TAG);
  log.forEach((step, i) => assert.ok(text.includes(`${i + 1}. ${JSON.stringify(step)}`), `action ${i + 1} listed`));
  assert.match(text, /Seed 42: the same actions replayed/);
  await shoot(widget(page), 'export-panel-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Download SVG where the widget draws SVG: a standalone SVG with colours written in', async () => {
  const { page, context, problems } = await openPage(browser, '/topic.html?t=hash-ring');
  await ready(page, 'sdp-hash-ring');
  const ring = page.locator('sdp-hash-ring');
  await ring.scrollIntoViewIfNeeded();
  await ring.getByRole('button', { name: 'Download', exact: true }).click();
  const [file] = await Promise.all([page.waitForEvent('download'),
    ring.getByRole('button', { name: 'Picture (SVG)', exact: true }).click()]);
  const svgText = (await downloadedBytes(file)).toString('utf8');
  assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.doesNotMatch(svgText, /var\(--/);
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return { error: doc.querySelector('parsererror') !== null, circles: doc.querySelectorAll('circle, path, line').length };
  }, svgText);
  assert.equal(parsed.error, false);
  assert.ok(parsed.circles > 0);
  assert.deepEqual(problems, []);
  await context.close();
});
