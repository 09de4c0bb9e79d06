// Issue #25: 73 heavy widgets on one page share one wasm instance. Each one
// either runs with its whole state or says, naming itself, that the page's
// memory budget refused it; no page error, no unhandled rejection; the
// earlier widgets keep answering; removing widgets frees memory, and a
// refused widget then starts when asked to try again. The page is generated
// here: the gallery's own widgets are replaced by the 73.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

const WIDGETS = 73;
const MiB = 1024 * 1024;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Per widget: 'running' (with its keys), 'refused' (the message), or 'pending'.
function states(page) {
  return page.evaluate(() => [...document.querySelectorAll('sdp-hash-ring')].map((el) => {
    const refusal = el.shadowRoot?.querySelector('.memory-refusal');
    if (refusal) return { state: 'refused', text: refusal.textContent };
    if (el.session) return { state: 'running', keys: el.session.snapshot().keys };
    return { state: 'pending' };
  }));
}

async function settled(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('sdp-hash-ring')]
    .every((el) => el.session || el.shadowRoot?.querySelector('.memory-refusal')), null,
  { timeout: 10 * 60 * 1000, polling: 500 });
  return states(page);
}

function memory(page) {
  return page.evaluate(async () => (await import('/wasm/sdp.mjs')).memoryUse());
}

test(`${WIDGETS} heavy hash rings on one page: each runs or is refused by name, and removing some recovers`,
  { timeout: 20 * 60 * 1000 }, async () => {
    const { page, problems, context } = await openPage(browser, '/');
    await page.waitForFunction(() => document.querySelector('sdp-hash-ring')?.session);
    await page.evaluate(() => {
      window.rejections = [];
      addEventListener('unhandledrejection', (event) => window.rejections.push(String(event.reason)));
      for (const el of document.querySelectorAll('*')) if (el.localName.startsWith('sdp-')) el.remove();
    });
    const started = Date.now();
    // All at once, as a page with 73 such tags would have them.
    await page.evaluate((count) => {
      const main = document.querySelector('main') ?? document.body;
      for (let i = 0; i < count; i += 1) {
        const el = document.createElement('sdp-hash-ring');
        for (const [name, value] of Object.entries({ nodes: '50', keys: '200000', vnodes: '1000' })) el.setAttribute(name, value);
        main.append(el);
      }
    }, WIDGETS);
    const first = await settled(page);
    const seconds = (Date.now() - started) / 1000;
    const running = first.filter((w) => w.state === 'running');
    const refused = first.map((w, i) => ({ ...w, place: i + 1 })).filter((w) => w.state === 'refused');
    const use = await memory(page);
    console.log(`# ${WIDGETS} heavy rings: ${running.length} running, ${refused.length} refused (first refused: #${refused[0]?.place});`
      + ` ${(use.inUse / MiB).toFixed(0)} MiB in use of a ${(use.budget / MiB).toFixed(0)} MiB budget,`
      + ` wasm memory ${(use.memory / MiB).toFixed(0)} MiB; ${seconds.toFixed(0)} s`);

    // Running widgets hold their whole state: never 65,536 of 200,000 keys.
    for (const w of running) assert.equal(w.keys, 200000);
    assert.ok(running.length >= 20, `only ${running.length} widgets started`);
    assert.ok(refused.length >= 1, 'no widget was refused');
    // Refused ones are the last ones, each named in its own message.
    assert.equal(running.length + refused.length, WIDGETS);
    assert.equal(refused[0].place, running.length + 1);
    for (const w of refused) {
      assert.match(w.text, new RegExp(`^Consistent hashing <sdp-hash-ring #${w.place}> was not started: this page has not enough memory left for it\\.`
        + 'Why: (\\w+: )?out of memory: '));
      assert.match(w.text, /1024 MiB/);
      assert.match(w.text, /Try again$/);
    }
    assert.ok(use.inUse <= use.budget);
    const firstRefused = page.locator('sdp-hash-ring').nth(refused[0].place - 1);
    await firstRefused.scrollIntoViewIfNeeded();
    await shoot(firstRefused, 'many-widgets-refused');

    // The earlier widgets still answer, through their own controls' path.
    const answers = await page.evaluate(() => [...document.querySelectorAll('sdp-hash-ring')].slice(0, 3)
      .map((el) => el.act({ op: 'lookup', key: 'user:still-here' })?.node));
    for (const node of answers) assert.match(node, /^\S+$/);

    // Removing widgets frees their memory; a refused widget then starts.
    const removed = 12;
    await page.evaluate((n) => {
      for (const el of [...document.querySelectorAll('sdp-hash-ring')].slice(0, n)) el.remove();
    }, removed);
    await page.waitForFunction((n) => document.querySelectorAll('sdp-hash-ring').length === 73 - n, removed);
    const freed = await memory(page);
    console.log(`# removed ${removed} running widgets: ${(use.inUse / MiB).toFixed(0)} -> ${(freed.inUse / MiB).toFixed(0)} MiB in use`);
    assert.ok(use.inUse - freed.inUse > removed * 25 * MiB);
    const retry = page.locator('sdp-hash-ring').nth(refused[0].place - 1 - removed).getByRole('button', { name: 'Try again' });
    await retry.click();
    await page.waitForFunction((i) => document.querySelectorAll('sdp-hash-ring')[i].session, refused[0].place - 1 - removed);
    const after = await states(page);
    assert.deepEqual(after[refused[0].place - 1 - removed], { state: 'running', keys: 200000 });
    // And the page has nothing to complain about.
    assert.deepEqual(await page.evaluate(() => window.rejections), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
