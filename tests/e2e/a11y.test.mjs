// Accessibility in a real browser. axe-core (npm) checks the gallery, the
// other pages and every widget, in light and dark, against WCAG 2.1 A and AA,
// inside the widgets' shadow roots, before and after each widget's first
// tour: 0 violations. A keyboard-only pass operates each widget's main
// controls, and every canvas and SVG must have a name. The widgets are found
// on topic.html, so a new widget is checked without touching this file; each
// is checked on its own page (topic.html?t=ID), where no other widget
// redraws with it when the theme changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { baseUrl, cardPicturesDrawn, createAllWidgets, launch, openPage, shoot, topicPageWidgets, twoFrames } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_URL = `${baseUrl}/test/axe.min.js`;
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Rules switched off, each with the reason. Keep it empty unless a rule is
// wrong for this project; a real finding is fixed, never listed here.
const DISABLED_RULES = {};
const SCHEMES = ['light', 'dark'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The pages' CSP allows scripts from 'self' only: axe is served from the
// site's origin (a test-only route) and loaded by a <script src>, as the
// page's own scripts are; nothing is relaxed for the test.
async function open(path, colorScheme) {
  const opened = await openPage(browser, path, { colorScheme });
  await opened.context.route(AXE_URL, (route) => route.fulfill({ path: AXE_PATH, contentType: 'text/javascript' }));
  await opened.page.addScriptTag({ url: AXE_URL });
  return opened;
}

// Runs axe on the document or on one element (its shadow tree included).
async function audit(page, selector = null) {
  return page.evaluate(async ({ selector, tags, disabled }) => {
    const context = selector ? document.querySelector(selector) : document;
    const result = await window.axe.run(context, {
      runOnly: { type: 'tag', values: tags },
      rules: Object.fromEntries(disabled.map((id) => [id, { enabled: false }])),
      resultTypes: ['violations', 'incomplete'],
    });
    // Contrast axe leaves undecided that the design decides (see assertClean).
    const decided = (n) => {
      // target: one entry per frame; in it, one selector per shadow root.
      const path = [n.target.at(-1)].flat();
      let node = document;
      for (const selector of path) node = (node.shadowRoot ?? node)?.querySelector(selector);
      const keys = [...n.any, ...n.all, ...n.none].map((c) => c.data?.messageKey);
      if (node?.closest('svg[role="img"]')) return 'text drawn in an SVG image';
      // Symbols only (✓, —): axe will not judge them; their colours are plain
      // (no overlap, no image), so the ratio is computed here.
      if (keys.includes('nonBmp') && node) {
        const rgb = (c) => c.match(/[\d.]+/g).map(Number);
        const lum = (c) => {
          const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        let box = node;
        while (box && (getComputedStyle(box).backgroundColor === 'rgba(0, 0, 0, 0)')) box = box.parentElement;
        const bg = box ? getComputedStyle(box).backgroundColor : 'rgb(255, 255, 255)';
        const [hi, lo] = [lum(getComputedStyle(node).color), lum(bg)].sort((a, b) => b - a);
        const ratio = (hi + 0.05) / (lo + 0.05);
        if (ratio >= 4.5 && rgb(bg).length === 3) return `symbols only, ${ratio.toFixed(1)}:1 computed`;
      }
      if (keys.includes('elmPartiallyObscured')) {
        for (let box = node?.parentElement; box; box = box.parentElement) {
          const style = getComputedStyle(box);
          const scrolls = /auto|scroll/.test(style.overflowX + style.overflowY)
            && (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight);
          if (scrolls && box.tabIndex >= 0) return 'scrolled out of view in a focusable scroll region';
        }
      }
      return null;
    };
    const brief = (rule) => ({
      id: rule.id, impact: rule.impact, help: rule.help,
      nodes: rule.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | '),
        summary: (n.failureSummary ?? [...n.any, ...n.all, ...n.none].map((c) => c.message).join('; '))
          .replace(/\s+/g, ' ').slice(0, 240),
        decided: rule.id === 'color-contrast' ? decided(n) : null,
      })),
    });
    return { violations: result.violations.map(brief), incomplete: result.incomplete.map(brief) };
  }, { selector, tags: WCAG_TAGS, disabled: Object.keys(DISABLED_RULES) });
}

function report(where, rules) {
  const count = rules.reduce((n, r) => n + r.nodes.length, 0);
  const lines = [`${where}: ${rules.length} rules, ${count} elements`];
  for (const r of rules) {
    lines.push(`  ${r.id} (${r.impact}) × ${r.nodes.length}: ${r.help}`);
    for (const n of r.nodes.slice(0, 8)) lines.push(`    ${n.target} — ${n.summary}`);
    if (r.nodes.length > 8) lines.push(`    … and ${r.nodes.length - 8} more`);
  }
  return lines.join('\n');
}

// Contrast axe could not decide must be decided by design, never left to luck:
// - text drawn in an SVG diagram (axe cannot see SVG backgrounds) is coloured
//   only with the theme's text tokens on its background tokens, or with
//   textOn() over a fill; tests/js/contrast.test.mjs checks those pairs;
// - text scrolled out of sight in a (focusable) scroll region has the style
//   of the lines axe does check on screen;
// - a cell of symbols only (axe will not judge those) has its ratio computed
//   from its plain colours.
// Everything else (text over overlapping boxes, images, translucency) fails.
function assertClean(where, { violations, incomplete }) {
  assert.equal(violations.length, 0, report(where, violations));
  const undecided = incomplete.filter((r) => r.id === 'color-contrast')
    .map((r) => ({ ...r, nodes: r.nodes.filter((n) => !n.decided) })).filter((r) => r.nodes.length);
  assert.equal(undecided.length, 0, report(`${where} (contrast axe could not decide)`, undecided));
}

// The index page and every page it or the topic pages link to on the same
// site (each topic, the docs, the embed demo), read from their HTML. Not
// topic.html without ?t=: every topic on one page, the same sections as the
// topic pages audited one by one.
async function sitePages() {
  const pages = new Set();
  for (const from of ['/', '/topic.html']) {
    const html = await (await fetch(baseUrl + from)).text();
    for (const [, href] of html.matchAll(/<a\b[^>]*\bhref="([^"#]+)/g)) {
      const url = new URL(href.replace(/&amp;/g, '&'), `${baseUrl}${from}`);
      if (url.origin !== baseUrl || !/(\.html|\/)$/.test(url.pathname)) continue;
      const page = url.pathname + url.search;
      if (page !== '/topic.html' && page !== '/index.html') pages.add(page);
    }
  }
  pages.delete('/');
  return ['/', ...pages];
}

test('axe: the index, every topic page and every page they link to, light and dark, have no WCAG 2.1 A/AA violations', async () => {
  const pages = await sitePages();
  assert.ok(pages.filter((p) => p.startsWith('/topic.html?t=')).length >= 10, `pages: ${pages}`);
  // The index is opened fresh in each theme (what a user whose OS is dark
  // gets on load); every other page once, then switched to dark live.
  const opens = [...SCHEMES.map((scheme) => ['/', [scheme]]), ...pages.filter((p) => p !== '/').map((p) => [p, SCHEMES])];
  for (const [path, schemes] of opens) {
    const { page, problems, context } = await open(path, schemes[0]);
    if (path === '/') await cardPicturesDrawn(page, schemes[0]);
    else await createAllWidgets(page);
    for (const colorScheme of schemes) {
      await page.emulateMedia({ colorScheme });
      await twoFrames(page);
      assertClean(`${path} (${colorScheme})`, await audit(page));
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

// Fresh, every widget is already audited on its topic page above (both
// themes, shadow roots included). Here each widget, on its own page: the
// keyboard-only pass over its main controls (KEYBOARD below), then axe again
// in the states its first tour leads to. One page and one tour per widget
// for both themes: the widgets follow the colour scheme live (charts are
// drawn again when it changes), so the dark audit sees what a user who
// switches the OS theme sees.
test('every widget: keyboard only, then after its first tour axe in light and dark, every canvas and SVG named', async () => {
  const widgets = await topicPageWidgets();
  assert.ok(widgets.length >= 10, `widgets found: ${widgets.map((w) => w.tag)}`);
  const missing = widgets.map((w) => w.tag).filter((t) => !KEYBOARD[t]);
  assert.deepEqual(missing, [], 'every widget has its main controls listed in KEYBOARD');
  for (const { tag, id } of widgets) {
    const { page, problems, context } = await open(`/topic.html?t=${encodeURIComponent(id)}`, 'light');
    await page.waitForFunction((t) => document.querySelector(t)?.session, tag);
    await keyboardPass(page, tag);
    // The tour visits the states the widget exists to show (a dead broker,
    // an open breaker, a crash and restart...) and fills the charts; from
    // the start (the keyboard pass may have played part of it).
    await page.evaluate(async (name) => {
      const widget = document.querySelector(name);
      widget.pause();
      await widget.reset();
      const steps = widget.tours()[0]?.steps.length ?? 0;
      for (let i = 0; i < steps; i++) await widget.stepTour();
      widget.pause();
    }, tag);
    await twoFrames(page);
    await page.locator(tag).scrollIntoViewIfNeeded();
    await assertGraphicsNamed(page, tag);
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await twoFrames(page);
      assertClean(`<${tag}> after its tour (${colorScheme})`, await audit(page, tag));
      await shoot(page.locator(tag), `a11y-${tag.replace(/^sdp-/, '')}-${colorScheme}`);
    }
    assert.deepEqual(problems, [], `<${tag}>`);
    await context.close();
  }
});

// Compare mode (web/compare-lanes.mjs) on three widgets, lane B with a
// setting of its own so that the table lists differences: both lanes, the
// table and lane A's charts with lane B's series pass axe in both themes.
test('compare A/B on three widgets: axe in light and dark, every canvas and SVG named', async () => {
  const { page, problems, context } = await open('/test/compare.html', 'light');
  const ids = ['lb', 'cb', 'kafka'];
  await page.waitForFunction((names) => names.every((id) => document.getElementById(id)?.session), ids);
  for (const id of ids) {
    await page.locator(`#${id}`).getByRole('button', { name: 'Compare A/B', exact: true }).click();
    await page.waitForFunction((i) => document.getElementById(i).shadowRoot.querySelector('.lane-b-host > *')?.session, id);
  }
  await page.locator('#lb .lane-b-host > *').getByLabel('Algorithm', { exact: true }).selectOption('random');
  await page.locator('#lb').getByRole('button', { name: '+5 s', exact: true }).first().click();
  await page.locator('#lb .compare-diff').scrollIntoViewIfNeeded(); // the table is drawn when seen
  await page.waitForFunction(() => document.getElementById('lb').shadowRoot.querySelector('table.diff tr.differs'));
  for (const id of ids) {
    await page.locator(`#${id} .compare-diff`).scrollIntoViewIfNeeded();
    await twoFrames(page);
    // Lane B draws a few times a second at most: wait for its last drawing.
    await page.waitForFunction((i) => document.getElementById(i).shadowRoot.querySelector('.lane-b-host > *').compareLane.idle, id);
    await twoFrames(page);
    await assertGraphicsNamed(page, `#${id}`);
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await twoFrames(page);
      assertClean(`#${id} comparing (${colorScheme})`, await audit(page, `#${id}`));
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }
  assert.deepEqual(problems, []);
  await context.close();
});

// Every canvas and SVG in the widget has a role and a name, and the
// browser's accessibility tree agrees for those on screen.
async function assertGraphicsNamed(page, tag) {
  const unnamed = await page.evaluate((name) => [...document.querySelector(name).shadowRoot.querySelectorAll('canvas, svg')]
    .filter((g) => !g.closest('[aria-hidden="true"]') && (g.localName === 'canvas' || !g.parentElement?.closest('svg')))
    .filter((g) => g.getAttribute('role') !== 'img' || !(g.getAttribute('aria-label') ?? '').trim())
    .map((g) => `${g.localName}.${g.getAttribute('class') ?? ''} role=${g.getAttribute('role')} label=${g.getAttribute('aria-label')}`), tag);
  assert.deepEqual(unnamed, [], `<${tag}>: graphics without a role and a name`);
  const graphics = page.locator(`${tag} canvas:visible, ${tag} svg:visible`);
  const count = await graphics.count();
  for (let i = 0; i < count; i++) {
    const g = graphics.nth(i);
    // Nested SVGs belong to their outer one; decorative ones (a legend's
    // swatch) are hidden from the tree on purpose, as in the check above.
    if (await g.evaluate((node) => Boolean(node.parentElement?.closest('svg') || node.closest('[aria-hidden="true"]')))) continue;
    const tree = await g.ariaSnapshot();
    assert.match(tree, /^- '?img "[^"]{8,}/, `<${tag}> graphic ${i}: ${tree}`);
  }
}

// ---- keyboard only ------------------------------------------------------------

// What each widget's main controls are, and how to use them with the keyboard:
// Tab until the control has focus, then press the key. Each must change the
// simulation (its action log grows), or the toggle's aria-pressed.
const KEYBOARD = {
  'sdp-hash-ring': [{ name: 'Add node', key: 'Enter' }, { name: 'Look up', key: 'Space' }],
  'sdp-hash-lab': [{ name: 'Add requests', key: 'Enter' }, { name: 'Look up', key: 'Space' }],
  'sdp-circuit-breaker': [{ name: 'Errors', key: 'Enter' }, { name: '+1 s', key: 'Space' },
    { name: 'Run live', key: 'Space', toggle: true }],
  'sdp-rate-limiter': [{ name: 'One request', key: 'Enter' }, { name: 'Send 10 s of traffic', key: 'Space' }],
  'sdp-api-gateway': [{ name: 'Send', key: 'Enter' }, { name: 'Wait 1 s', key: 'Space' }],
  'sdp-load-balancer': [{ name: '+5 s', key: 'Enter' }, { name: 'Add a server', key: 'Space' }],
  'sdp-kafka': [{ name: 'Key', type: 'user-7' }, { name: 'Produce', key: 'Enter' }, { name: '+1 s', key: 'Space' },
    { name: 'Kill broker 1', key: 'Enter' }],
  'sdp-redis-zset': [{ name: 'Add a job', key: 'Enter' }, { name: 'Worker takes the earliest', key: 'Space' },
    { name: 'Redis command', type: 'ZADD jobs 7 job-kb', key: 'Enter' }],
  'sdp-redis-geo': [{ name: 'Redis command', type: 'GEOADD sicily 14.27 37.57 Enna', key: 'Enter' },
    { name: 'GEODIST sicily Palermo Catania km', key: 'Space' }],
  'sdp-redis-persistence': [{ name: '+1 s', key: 'Enter' }, { name: 'kill -9', key: 'Space' }, { name: 'Restart', key: 'Enter' }],
  'sdp-gossip': [{ name: '1 round', key: 'Enter' }, { name: 'Run to the end', key: 'Space' }],
  'sdp-tcp-connection': [{ name: 'Connect', key: 'Enter' }, { name: 'Next event', key: 'Space' }, { name: 'Close both at once', key: 'Enter' }],
  'sdp-tcp-vs-udp': [{ name: 'Send', key: 'Enter' }, { name: 'Advance', key: 'Space' }, { name: 'Run to the end', key: 'Enter' }],
  'sdp-cap': [{ name: 'Write', key: 'Enter' }, { name: 'Partition', key: 'Space' }, { name: 'Check linearizability', key: 'Enter' },
    { name: 'Cut along the line', key: 'Enter' }],
  'sdp-layers': [{ name: 'Next stage', key: 'Enter' }, { name: 'Send request', key: 'Space' }],
  'sdp-http-vs-https': [{ name: 'Send', key: 'Enter' }, { name: 'Put on the path', key: 'Space' }, { name: 'Wait 1 s', key: 'Enter' }],
  'sdp-search-index': [{ name: 'Refresh', key: 'Enter' }, { name: 'Search', key: 'Space' }],
  'sdp-search-cluster': [{ name: 'Kill node-1', key: 'Enter' }, { name: 'Start node-1', key: 'Enter' }, { name: 'Search', key: 'Space' }],
  'sdp-realtime': [{ name: 'Advance', key: 'Enter' }, { name: 'Drop connection', key: 'Space' }],
  'sdp-rest': [{ name: 'Send', key: 'Enter' }, { name: 'Send again', key: 'Space' }, { name: 'Kill replica 1', key: 'Enter' }],
  'sdp-estimator': [{ name: 'Estimate', key: 'Enter' }, { name: 'Defaults', key: 'Space' }],
  'sdp-design': [{ name: 'Load the worked problem', key: 'Enter' }, { name: 'Run', key: 'Space' }],
};

// The focused element, through the shadow roots, and its name as a user sees it.
function focused(page) {
  return page.evaluate(() => {
    let node = document.activeElement;
    while (node?.shadowRoot?.activeElement) node = node.shadowRoot.activeElement;
    if (!node || node === document.body) return { name: '', host: '' };
    const visible = [...node.childNodes].filter((c) => c.getAttribute?.('aria-hidden') !== 'true').map((c) => c.textContent).join('');
    return { name: (node.getAttribute('aria-label') || visible).trim(), host: node.getRootNode().host?.localName ?? '' };
  });
}

async function tabTo(page, tag, name) {
  // Start just before the widget: a click on its title sets where Tab starts.
  await page.locator(tag).locator('header h2').click();
  for (let presses = 0; presses < 200; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.host === tag && now.name === name) return;
  }
  assert.fail(`<${tag}>: Tab never reached "${name}"`);
}

// Tab to each of the widget's main controls and operate it with the key.
async function keyboardPass(page, tag) {
  const steps = [...KEYBOARD[tag]];
  if (await page.evaluate((n) => document.querySelector(n).tours().length > 0, tag)) steps.push({ name: 'Play tour', key: 'Space', toggle: true });
  for (const step of steps) {
    await tabTo(page, tag, step.name);
    if (step.type) await page.keyboard.type(step.type);
    if (!step.key) continue;
    const before = await page.evaluate((n) => document.querySelector(n).log.length, tag);
    const state = await page.evaluate((n) => JSON.stringify(document.querySelector(n).session.snapshot()), tag);
    await page.keyboard.press(step.key);
    if (step.toggle) {
      // On, the simulation moves on its own; off again, it stops.
      const pressed = () => page.evaluate((n) => {
        return document.querySelector(n).shadowRoot.activeElement?.getAttribute('aria-pressed');
      }, tag);
      assert.equal(await pressed(), 'true', `<${tag}> ${step.name}: pressed after ${step.key}`);
      await page.waitForFunction(({ n, s }) => JSON.stringify(document.querySelector(n).session.snapshot()) !== s, { n: tag, s: state }, { timeout: 5000 });
      await page.keyboard.press(step.key);
      assert.equal(await pressed(), 'false', `<${tag}> ${step.name}: released after a second ${step.key}`);
    } else {
      const after = await page.evaluate((n) => document.querySelector(n).log.length, tag);
      assert.ok(after > before, `<${tag}> ${step.name} (${step.key}): the action log grew (${before} → ${after})`);
    }
  }
}

test('a live run says what changes, throttled, and the toggle is announced', async () => {
  const { page, problems, context } = await open('/topic.html?t=circuit-breaker', 'light');
  const cb = page.locator('sdp-circuit-breaker');
  await page.waitForFunction(() => document.querySelector('sdp-circuit-breaker')?.session);
  await cb.getByRole('button', { name: 'Down (hangs)', exact: true }).click();
  const live = cb.getByRole('button', { name: 'Run live', exact: true });
  assert.equal(await live.getAttribute('aria-pressed'), 'false');
  await live.click();
  assert.equal(await live.getAttribute('aria-pressed'), 'true');
  const status = cb.locator('[role="status"][aria-live="polite"]').last();
  // The dependency hangs: the breaker opens within a few simulated seconds,
  // and the live region says so while the run goes on.
  await page.waitForFunction(() => /CLOSED → OPEN/.test(document.querySelector('sdp-circuit-breaker')
    .shadowRoot.querySelector('.narration').textContent), null, { timeout: 15000 });
  const lines = await cb.locator('.narration li').allTextContents();
  assert.ok(lines.length <= 6, 'the narration keeps a few lines');
  assert.match(await status.textContent(), /\S/);
  await live.click();
  assert.equal(await live.getAttribute('aria-pressed'), 'false');
  assert.match(await cb.locator('.narration li').first().textContent(), /^Paused at/);
  assert.deepEqual(problems, []);
  await context.close();
});
