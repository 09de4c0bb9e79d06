// Never crash, never leak, in the browser — for every widget in the gallery:
// a seeded monkey test, create/remove cycles with the wasm heap and embind
// handles measured, and a readable message when the engine cannot load. The
// gallery runs under its Content-Security-Policy (no inline script or style,
// no eval, no remote origins): any violation is a console error and fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, launch, openPage, shoot, topicPageWidgets } from './browser.mjs';
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
  ids = new Map((await topicPageWidgets()).map(({ tag, id }) => [tag, id]));
  return [...ids.keys()];
}

// The topic page showing one widget (?t=ID, keeping the page's CSP, styles
// and engine): the others are never created, so a console error is this
// widget's and each check pays for its widget alone.
const openWidgetAlone = (tag) => openPage(browser, `/topic.html?t=${encodeURIComponent(ids.get(tag))}`);

async function widgetReady(page, tag) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, tag);
}

const NASTY_TEXT = ['', ' ', 'A', 'node-1', '<img src=x onerror=alert(1)>', '"quotes" & \'apos\'',
  'x'.repeat(300), 'Köln 🔑', '\u202eevil', '${alert(1)}', 'null', '-1'];
const NASTY_NUMBERS = ['', '-1', '0', '0.001', '1', '2.5', '1e9', 'abc', '999999999999', 'NaN'];

// The monkey itself runs inside the page, one evaluate per widget: a
// Playwright click is several protocol round trips and a fresh listing of the
// controls each time (70-96 ms an action), where the widget's own work is a
// few ms; in the page it costs what the user's click costs. Each action is
// what a user's would be at the DOM level: click() on a button or checkbox,
// a value set and its input/change events for a box, a select or a slider.
// It waits a frame after each action, so every action is drawn.
// (Serialised into the page with its RNG: the page's CSP forbids eval, the
// protocol's evaluate does not.)
async function monkeyInPage(random, { tag, actions, nastyText, nastyNumbers }) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  // Every button, input and select under the widget, through open shadow
  // roots, that a user could operate now: laid out, visible, enabled.
  const controls = () => {
    const found = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.matches('button, input, select') && el.matches(':enabled')
          && el.getClientRects().length && el.checkVisibility({ visibilityProperty: true })) found.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    const widget = document.querySelector(tag);
    walk(widget.shadowRoot ?? widget);
    return found;
  };
  const fire = (el, ...types) => { for (const type of types) el.dispatchEvent(new Event(type, { bubbles: true })); };
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const counts = { click: 0, text: 0, number: 0, select: 0, range: 0 };
  for (let done = 0, tries = 0; done < actions; tries += 1) {
    const list = controls();  // fresh each time: the widget re-renders its controls
    if (!list.length || tries > 20 * actions) throw new Error(`${tag}: no control to operate after ${done} actions`);
    const el = list[Math.floor(random() * list.length)];
    const kind = el.localName === 'input' ? el.type : el.localName;
    const label = el.textContent || el.getAttribute('aria-label') || '';
    if (/Play tour|Pause/.test(label)) continue;  // timers would make the run depend on speed
    if (kind === 'text' && el.readOnly) continue;
    done += 1;
    if (kind === 'button' || kind === 'checkbox' || kind === 'radio') {
      el.click();
      counts.click += 1;
    } else if (kind === 'select') {
      if (el.options.length) { el.selectedIndex = Math.floor(random() * el.options.length); fire(el, 'input', 'change'); }
      counts.select += 1;
    } else if (kind === 'range') {
      el.value = String(1 + Math.floor(random() * 500));
      fire(el, 'input', 'change');
      counts.range += 1;
    } else if (kind === 'number') {
      el.value = pick(nastyNumbers);  // a number box turns 'abc' into '', as typing it would
      fire(el, 'input', 'change');
      counts.number += 1;
    } else {
      el.value = pick(nastyText);
      fire(el, 'input');
      counts.text += 1;
    }
    await frame();
  }
  return counts;
}

test('every gallery widget survives a seeded monkey', async () => {
  const tags = await galleryWidgets();
  assert.ok(tags.length >= 10, `widgets found in the gallery: ${tags}`);
  for (const tag of tags) {
    const { page, problems, context } = await openWidgetAlone(tag);
    await widgetReady(page, tag);
    const args = { tag, actions: MONKEY_ACTIONS, nastyText: NASTY_TEXT, nastyNumbers: NASTY_NUMBERS };
    const counts = await page.evaluate(`(${monkeyInPage})((${rng})(20261129), ${JSON.stringify(args)})`);
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
  await page.goto(`${baseUrl}/topic.html?t=hash-ring`);
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
