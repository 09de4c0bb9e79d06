// The gallery's load in headless Chromium (playwright-core, Debian's
// /usr/bin/chromium): time to first paint and first contentful paint, and
// the bytes loaded before the first widget is interactive (it holds a wasm
// session: its controls act), from a cold cache (a new context each run).
// Pages: the index of topic cards (no widget: the bytes before its first
// card picture instead), two topic pages, and — given --before DIR, a
// dist/ built from an older commit — the one-page gallery that index.html
// used to be. Median of RUNS runs. Reports, judges nothing: writes
// bench/gallery.md.
//   node bench/gallery.mjs [--before DIR]     (serves dist/ and DIR itself)
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { launchBrowser, median, serve } from './browser_harness.mjs';

const RUNS = 5;
const TIMEOUT_MS = 120_000;
const args = process.argv.slice(2);
const beforeDir = args[0] === '--before' ? args[1] : null;

// In the page before its scripts: when the first widget outside the card
// stage holds a session, and when the first card picture is shown.
function recordMilestones() {
  window.__milestones = {};
  const poll = () => {
    const m = window.__milestones;
    if (m.widget === undefined) {
      const widget = [...document.querySelectorAll('main *')].find((e) => e.localName.startsWith('sdp-') && e.session);
      if (widget) m.widget = performance.now();
    }
    if (m.picture === undefined && document.querySelector('.card-picture img')) m.picture = performance.now();
    setTimeout(poll, 5);
  };
  poll();
}

async function measure(browser, url, milestone) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  await context.addInitScript(recordMilestones);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction((name) => window.__milestones[name] !== undefined, milestone, { timeout: TIMEOUT_MS });
  const result = await page.evaluate((name) => {
    const at = window.__milestones[name];
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    const bytes = (list) => list.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0);
    return {
      firstPaint: paint['first-paint'], firstContentfulPaint: paint['first-contentful-paint'], at,
      bytesBefore: bytes(entries.filter((e) => e.responseEnd <= at)),
      bytesByPaint: bytes(entries.filter((e) => e.responseEnd <= paint['first-contentful-paint'])),
      filesBefore: entries.filter((e) => e.responseEnd <= at).length,
    };
  }, milestone);
  await context.close();
  return result;
}

const ms = (v) => `${Math.round(v)} ms`;
const kib = (v) => `${(v / 1024).toLocaleString('en-US', { maximumFractionDigits: v < 102400 ? 1 : 0 })} KiB`;

const now = await serve('dist');
const old = beforeDir ? await serve(beforeDir) : null;
const pages = [
  ...(old ? [{ name: 'one-page gallery (before: index.html, all 19 widgets)', url: `${old.base}/`, milestone: 'widget' }] : []),
  { name: 'index of topic cards (index.html)', url: `${now.base}/`, milestone: 'picture' },
  { name: 'topic page, one widget (topic.html?t=kafka)', url: `${now.base}/topic.html?t=kafka`, milestone: 'widget' },
  { name: 'topic page, three widgets (topic.html?t=redis)', url: `${now.base}/topic.html?t=redis`, milestone: 'widget' },
  { name: 'every topic on one page (topic.html)', url: `${now.base}/topic.html`, milestone: 'widget' },
];
const browser = await launchBrowser();
const rows = [];
const load = loadavg()[0];
try {
  for (const p of pages) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, p.url, p.milestone));
    const pick = (key) => median(runs.map((r) => r[key]));
    rows.push(`| ${p.name} | ${ms(pick('firstPaint'))} | ${ms(pick('firstContentfulPaint'))} | ${kib(pick('bytesByPaint'))} | ${p.milestone === 'widget' ? 'first widget interactive' : 'first card picture shown'}: ${ms(pick('at'))} | ${kib(pick('bytesBefore'))} in ${pick('filesBefore')} files |`);
    console.log(rows.at(-1));
  }
} finally {
  await browser.close();
  now.stop();
  old?.stop();
}

const text = `# Gallery load: first paint and bytes before the first widget is interactive

\`node bench/gallery.mjs${beforeDir ? ' --before DIR' : ''}\` (this page is its output). Headless
Chromium (${browser.version()}, Debian's \`/usr/bin/chromium\`, playwright-core), a
1200 × 1000 window, a cold cache (a new context) for each of ${RUNS} runs a page;
the median of each column. Served by \`python3 -m http.server\` on 127.0.0.1
(no compression, no network latency: the bytes matter on a real network,
the times here are mostly CPU). Load average when it started: ${load.toFixed(1)} on
2 cores, shared with other work: the times are only comparable within this
table. Bytes: the navigation and every resource whose response had ended
by the milestone (Resource Timing \`transferSize\`).

| page | first paint | first contentful paint | bytes by then | milestone | bytes loaded by the milestone |
|---|---|---|---|---|---|
${rows.join('\n')}

What a reader gets: every page paints its HTML before its scripts have
run (module scripts wait for the parse). The index's first paint is its
cards (HTML written by \`scripts/gallery_cards.mjs\`), usable at once —
a card is a link; the engine (\`sdp.wasm\`) and the widgets' modules load
after it, for the pictures. A topic page creates only the widgets near the screen
(\`web/lazy-widgets.mjs\`). Every page still loads every widget's module
(\`web/widgets.mjs\` imports them all): splitting that is the next lever
for bytes.
`;
writeFileSync(new URL('./gallery.md', import.meta.url), text);
console.log('wrote bench/gallery.md');
