// Never crash, never leak, in the browser — for every widget in the gallery:
// a seeded monkey test, create/remove cycles with the wasm heap and embind
// handles measured, and a readable message when the engine cannot load. The
// gallery runs under its Content-Security-Policy (no inline script or style,
// no eval, no remote origins): any violation is a console error and fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';
import { mulberry32 as rng } from '../js/mulberry32.mjs';  // the monkey does the same thing every run

const MONKEY_ACTIONS = 200;
// After the warm-up (first growth of caches and of the heap), a widget that
// frees everything leaves the live C++ bytes and the allocator's in-use bytes
// exactly where they were: measured flat at every 25th of 100 cycles for all
// eleven widgets. So the check is equality, which catches a leak of a single
// allocation over the run; it used to be "< 16 kB over 500 cycles" (32 bytes
// a cycle), at 8 times the cost (394 s of the browser suite).
const LEAK_WARMUP = 20;
const LEAK_CYCLES = 40;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

let ids = new Map();
async function galleryWidgets() {
  const { page, context } = await openPage(browser, '/');
  // Each widget's tag and the id of its first element (for ?topic=).
  const widgets = await page.evaluate(() => {
    const first = new Map();
    for (const e of document.querySelectorAll('*')) {
      if (e.localName.startsWith('sdp-') && !first.has(e.localName)) first.set(e.localName, e.id);
    }
    return [...first];
  });
  await context.close();
  ids = new Map(widgets);
  return widgets.map(([tag]) => tag);
}

// The gallery showing one widget (?topic=ID, keeping the page's CSP, styles
// and engine): the others are never created, so a console error is this
// widget's and each check pays for its widget alone.
const openWidgetAlone = (tag) => openPage(browser, `/?topic=${encodeURIComponent(ids.get(tag))}`);

async function widgetReady(page, tag) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, tag);
}

const NASTY_TEXT = ['', ' ', 'A', 'node-1', '<img src=x onerror=alert(1)>', '"quotes" & \'apos\'',
  'x'.repeat(300), 'Köln 🔑', '\u202eevil', '${alert(1)}', 'null', '-1'];
const NASTY_NUMBERS = ['', '-1', '0', '0.001', '1', '2.5', '1e9', 'abc', '999999999999', 'NaN'];

test('every gallery widget survives a seeded monkey', async () => {
  const tags = await galleryWidgets();
  assert.ok(tags.length >= 1);
  for (const tag of tags) {
    const { page, problems, context } = await openWidgetAlone(tag);
    await widgetReady(page, tag);
    const random = rng(20261129);
    const counts = { click: 0, text: 0, number: 0, select: 0, range: 0 };
    for (let done = 0; done < MONKEY_ACTIONS;) {
      // Fresh list each time: controls are re-rendered by the widget.
      // One round trip describes them all (it was two per action).
      const controls = page.locator(`${tag} button:visible:enabled, ${tag} input:visible:enabled, ${tag} select:visible:enabled`);
      const described = await controls.evaluateAll((els) => els.map((el) => ({
        kind: el.localName === 'input' ? el.type : el.localName,
        label: el.textContent || el.getAttribute('aria-label') || '',
        readonly: el.hasAttribute('readonly'),
      })));
      const index = Math.floor(random() * described.length);
      const control = controls.nth(index);
      const { kind, label, readonly } = described[index];
      if (/Play tour|Pause/.test(label)) continue; // timers would make the run depend on speed
      if (kind === 'text' && readonly) continue;
      done += 1;
      if (kind === 'button') {
        // A real mouse click at the button's centre, without Playwright's
        // wait for two still animation frames: the controls were just listed
        // as visible and enabled, and a user does not wait either (a third
        // less time per click).
        await control.click({ force: true });
        counts.click += 1;
      } else if (kind === 'select') {
        const options = await control.locator('option').count();
        if (options) await control.selectOption({ index: Math.floor(random() * options) });
        counts.select += 1;
      } else if (kind === 'range') {
        const value = String(1 + Math.floor(random() * 500));
        await control.evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change')); }, value);
        counts.range += 1;
      } else if (kind === 'number') {
        await control.fill(NASTY_NUMBERS[Math.floor(random() * NASTY_NUMBERS.length)]).catch(() => {});
        await control.dispatchEvent('change');
        counts.number += 1;
      } else if (kind === 'text') {
        await control.fill(NASTY_TEXT[Math.floor(random() * NASTY_TEXT.length)]);
        counts.text += 1;
      }
    }
    console.log(`# monkey ${tag}: ${MONKEY_ACTIONS} actions ${JSON.stringify(counts)}`);
    await shoot(page.locator(tag), `monkey-${tag}`);
    // Still alive: the session answers and a snapshot is well-formed.
    const snapshot = await page.evaluate((t) => document.querySelector(t).session.snapshot(), tag);
    assert.equal(typeof snapshot, 'object');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test(`every widget created and removed ${LEAK_CYCLES} times leaves the wasm heap and handles flat`, async () => {
  const tags = await galleryWidgets();
  for (const tag of tags) {
    const { page, problems, context } = await openWidgetAlone(tag);
    await widgetReady(page, tag);
    const result = await page.evaluate(async ({ t, cycles, warmup }) => {
      const sdp = await import('/wasm/sdp.mjs');
      const module = await sdp.loadSdp();
      const cycle = async () => {
        const el = document.createElement(t);
        document.body.append(el);
        while (!el.session) await new Promise((r) => setTimeout(r, 1));
        el.remove();
        await new Promise((r) => setTimeout(r, 0)); // let disconnect's microtask run
      };
      for (let i = 0; i < warmup; i += 1) await cycle();
      const measure = () => ({ heap: module.heapInUse(), live: module.liveBytes(),
        handles: module.count_emval_handles(), sessions: sdp.liveSessions() });
      const before = measure();
      for (let i = 0; i < cycles; i += 1) await cycle();
      return { before, after: measure() };
    }, { t: tag, cycles: LEAK_CYCLES, warmup: LEAK_WARMUP });
    console.log(`# leak check ${tag}: ${LEAK_CYCLES} cycles after ${LEAK_WARMUP}, live C++ bytes ${result.before.live} -> ${result.after.live}, heap in use ${result.before.heap} -> ${result.after.heap} bytes, emval handles ${result.before.handles} -> ${result.after.handles}, sessions ${result.before.sessions} -> ${result.after.sessions}`);
    assert.deepEqual(result.after, result.before);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('when the engine cannot load, the page says so instead of staying blank', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route('**/sdp.wasm', (route) => route.abort());
  await page.goto(`${process.env.SDP_BASE_URL ?? 'http://127.0.0.1:8000'}/`);
  const banner = page.locator('#load-error');
  await banner.waitFor({ state: 'visible' });
  assert.match(await banner.textContent(), /could not start/);
  const widgetMessage = page.locator('sdp-hash-ring .load-error');
  await widgetMessage.waitFor();
  assert.match(await widgetMessage.textContent(), /could not start.*WebAssembly/);
  assert.equal(await page.locator('sdp-hash-ring .toolbar').isVisible(), false);
  await shoot(page, 'engine-failed-to-load');
  await context.close();
});
