// Scrub and undo in Chromium, on real widgets (bench/scrub_workloads.json):
// the widget's log is built with actAll, then goTo(p) to 40 positions (best
// of 3 each, from the latest state) and Undo (best of 3) are timed from the
// call to the next animation frame (the widget has redrawn; the frame is
// about to be painted). Reports, judges nothing.
//   node bench/scrub_browser.mjs http://127.0.0.1:PORT [WIDGET...]   (a served dist/;
//   only the named workloads when given, e.g. tcp-connection tcp-vs-udp)
// Run against an older dist/ it measures Undo only (no goTo there).
import { chromium } from 'playwright-core';
import { launchOptions } from '../tests/e2e/browser.mjs';
import { actionsAfterStart, workloads } from './scrub_workloads.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8000';
const only = process.argv.slice(3);
const browser = await chromium.launch(launchOptions());
const tagOf = (widget) => `sdp-${widget}`;

// The widget's page with the workload's first `total` steps (all when null).
async function widgetPage(w, total = null) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  await page.goto(`${base}/topic.html?t=${w.widget}`);
  const tag = tagOf(w.widget);
  await page.waitForFunction((t) => document.querySelector(t)?.session, tag);
  // The widget's own start is already applied: add the rest as actions.
  await page.evaluate(([t, steps]) => document.querySelector(t).actAll(steps), [tag, actionsAfterStart(w, total)]);
  return { page, tag };
}

const timed = (page, tag, body) => page.evaluate(async ([t, code]) => {
  const el = document.querySelector(t);
  const start = performance.now();
  await (0, eval)(code)(el); // eslint-disable-line no-eval -- the bench page is ours; evaluate runs outside the CSP
  await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - start;
}, [tag, body]);

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fmt = (ms) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

console.log(`Chromium (${base}): ms from the call to the next frame\n`);
console.log('| widget | actions | go to: median | go to: worst | of which the engine (median) | undo, 30 actions | undo, 1000 actions |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const w of workloads.filter((x) => only.length === 0 || only.includes(x.widget))) {
  const { page, tag } = await widgetPage(w);
  const hasGoTo = await page.evaluate((t) => typeof document.querySelector(t).goTo === 'function', tag);
  const length = await page.evaluate((t) => document.querySelector(t).log.length, tag);
  const go = [];
  let engine = null;
  if (hasGoTo) {
    for (let i = 0; i < 40; i += 1) {
      const p = (i * 7919 + 13) % (length + 1);
      let best = Infinity; // of 3, from the latest state each time: the machine is shared
      for (let r = 0; r < 3; r += 1) {
        await page.evaluate((t) => { const el = document.querySelector(t); el.goTo(el.log.length, { narrate: false }); }, tag);
        best = Math.min(best, await timed(page, tag, `(el) => el.goTo(${p}, { narrate: false })`));
      }
      go.push(best);
    }
    // The engine's share: session.goTo alone, no redraw (the widget's sim
    // session; its view is redrawn at the end by goTo to the latest state).
    engine = await page.evaluate(([t, n]) => {
      const el = document.querySelector(t);
      const sessionSteps = el.session.timeline().steps;
      const times = [];
      for (let i = 0; i < 40; i += 1) {
        let best = Infinity;
        for (let r = 0; r < 3; r += 1) {
          el.session.goTo(sessionSteps);
          const start = performance.now();
          el.session.goTo((i * 7919 + 13) % (sessionSteps + 1));
          best = Math.min(best, performance.now() - start);
        }
        times.push(best);
      }
      el.session.goTo(sessionSteps);
      times.sort((a, b) => a - b);
      return times[20];
    }, [tag, length]);
    await page.evaluate((t) => { const el = document.querySelector(t); el.goTo(el.log.length, { narrate: false }); }, tag);
  }
  await page.close();
  const undo = [];
  for (const n of [30, 1000]) {
    const run = await widgetPage(w, n);
    let best = Infinity;
    for (let r = 0; r < 3; r += 1) {
      best = Math.min(best, await timed(run.page, run.tag, '(el) => el.undo()'));
      const again = actionsAfterStart(w, n).at(-1); // the undone action, done again
      await run.page.evaluate(([t, step]) => document.querySelector(t).act(step), [run.tag, again]);
    }
    undo.push(best);
    await run.page.close();
  }
  const dash = (v) => (v === null || v === undefined ? '—' : fmt(v));
  console.log(`| ${w.widget} | ${length} | ${dash(go.length ? median(go) : null)} | ${dash(go.length ? Math.max(...go) : null)} | ${dash(engine)} | ${fmt(undo[0])} | ${fmt(undo[1])} |`);
}
await browser.close();
