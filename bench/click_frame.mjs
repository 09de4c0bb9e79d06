// Speed a person feels (issue #24): for every widget at its default size,
// a REAL click (Playwright's mouse, through Chromium's input pipeline) on
// its main actions — the first buttons of its body, each step of its first
// guided tour, the timeline's Step back and Undo — timed from the click
// event to the end of the first frame rendered after the widget's last
// redraw for it. Then the long tasks after the first paint of the index
// and of a topic page. Headless Debian Chromium via playwright-core.
//
//   node bench/click_frame.mjs [--only a,b] [DIST_DIR ...]    default: dist
//
// ROUNDS (default 3) fresh page loads per widget; each round clicks the
// same sequence, so the state before every click is the same in every
// round. Several dist dirs (a build before a change and after) are measured
// in turns, widget by widget, so that the machine's load hits them alike.
// Prints markdown; bench/click_frame.md keeps a run. Reports, judges
// nothing: no timing here passes or fails.
//
// How a click is timed, in the page:
// - t0: the click event's timeStamp (when Chromium created the event);
// - the handler's end: a bubbling click listener on window, which runs
//   after the button's own listener (composed events reach window last);
// - the widget's redraws: its render() and refresh() are wrapped, so that
//   async work (Undo, a config change awaiting a new session) counts too;
// - frames: from the click on, every requestAnimationFrame posts a message,
//   which runs once that frame's style, layout and paint are done.
// "to frame" = the first frame end after the last of the handler and the
// redraws, minus t0, once 120 ms pass with no redraw (cap 5 s). Event Timing
// (type 'event', durationThreshold 16) gives Chromium's own figure, from
// the input to the next paint; it has no entry under 16 ms ("<16").
//
// Wall-clock times grow with the machine's load (other builds share its 2
// cores), so each click also reports the renderer main thread's CPU time
// (DevTools Performance.getMetrics in thread ticks, from just before the
// click to the settled frame: TaskDuration, of which ScriptDuration and
// RecalcStyle + Layout), and how many layouts ran (LayoutCount: more than
// one per click is layout forced inside the handler, then done again).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { launchBrowser, median, serve } from './browser_harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const MAIN_BUTTONS = 4;   // the first buttons of a widget's body: what a user clicks first
const MAX_TOUR_STEPS = 12;
const BACK_CLICKS = 2;    // Step back, then Undo, twice each
const QUIET_MS = 120;
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1].split(',') : null;
const dists = args.length ? args : ['dist'];

const WIDGETS = ['hash-ring', 'hash-lab', 'load-balancer', 'circuit-breaker', 'api-gateway', 'rate-limiter', 'kafka',
  'redis-zset', 'redis-geo', 'redis-persistence', 'gossip', 'tcp-connection', 'tcp-vs-udp', 'layers', 'http-vs-https',
  'rest', 'realtime', 'cap', 'search-index', 'estimator'].filter((id) => !only || only.includes(id));

// In the page before its scripts: the click and frame recorders.
function recordClicks() {
  const rec = { t0: null, handlerEnd: 0, activity: 0, frames: [], events: [] };
  window.__clickRec = rec;
  let looping = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    rec.frames.push(performance.now());
    const quiet = performance.now() - Math.max(rec.activity, rec.handlerEnd) > 120;
    if (quiet && rec.frames.length > 1) { looping = false; rec.done = true; return; }
    if (performance.now() - rec.t0 > 5000) { looping = false; rec.done = true; return; }
    requestAnimationFrame(() => channel.port2.postMessage(0));
  };
  window.addEventListener('click', (event) => {
    rec.t0 = event.timeStamp > 0 && event.timeStamp <= performance.now() ? event.timeStamp : performance.now();
    rec.handlerEnd = 0; rec.activity = 0; rec.frames = []; rec.done = false;
    if (!looping) { looping = true; requestAnimationFrame(() => channel.port2.postMessage(0)); }
  }, true);
  window.addEventListener('click', () => { rec.handlerEnd = performance.now(); });
  // Event Timing: Chromium's input -> next paint, for the slow ones.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'click') rec.events.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

// Wraps the widget's render and refresh (instance properties shadow the
// class's methods, and the base calls this.render / this.refresh).
function watchRedraws(tag) {
  const w = document.querySelector(tag);
  for (const name of ['render', 'refresh']) {
    const original = w[name];
    w[name] = function wrapped(...a) {
      try { return original.apply(this, a); } finally { window.__clickRec.activity = performance.now(); }
    };
  }
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

async function clickAndTime(page, cdp, handle) {
  await handle.scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30))));
  // The mouse at the button's centre, not handle.click(): Playwright's
  // actionability checks (hit tests, waiting for stable frames) would run
  // inside the measured CPU window.
  const box = await handle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const before = await metrics(cdp);
  await page.mouse.down();
  await page.mouse.up();
  await page.waitForFunction(() => window.__clickRec.done, null, { timeout: 20000, polling: 20 });
  // Event Timing entries reach the observer in a low-priority task, after the
  // paint: wait a little for the click's (none comes under 16 ms).
  await page.waitForFunction(() => window.__clickRec.events.some((e) => Math.abs(e.start - window.__clickRec.t0) < 50), null,
    { timeout: 300, polling: 20 }).catch(() => {});
  const after = await metrics(cdp);
  const delta = (name) => after[name] - before[name];
  const cpu = { cpu: 1000 * delta('TaskDuration'), script: 1000 * delta('ScriptDuration'),
    styleLayout: 1000 * (delta('RecalcStyleDuration') + delta('LayoutDuration')), layouts: delta('LayoutCount') };
  return { ...cpu, ...(await page.evaluate(() => {
    const rec = window.__clickRec;
    const last = Math.max(rec.handlerEnd, rec.activity);
    const end = rec.frames.find((f) => f > last) ?? rec.frames.at(-1);
    const event = rec.events.filter((e) => Math.abs(e.start - rec.t0) < 50).at(-1);
    return { frame: end - rec.t0, handler: rec.handlerEnd - rec.t0, event: event ? event.duration : null };
  })) };
}

// The buttons, by what they are: the main ones found once per round
// (they are the same buttons each round: the same page, the same state).
const bodyButton = (page, tag, i) => page.evaluateHandle(([t, n]) => {
  const buttons = [...document.querySelector(t).shadowRoot.querySelectorAll('.body button')].filter((b) => !b.disabled && b.offsetParent);
  return buttons[n] ?? null;
}, [tag, i]);
const toolbarButton = (page, tag, text) => page.evaluateHandle(([t, x]) => [...document.querySelector(t).shadowRoot.querySelectorAll('button')]
  .find((b) => b.textContent.trim().endsWith(x) && !b.disabled) ?? null, [tag, text]);

async function measureWidget(browser, base, id) {
  const tag = `sdp-${id}`;
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  await context.addInitScript(recordClicks);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/topic.html?t=${id}`);
  await page.waitForFunction((t) => document.querySelector(t)?.session, tag, { timeout: 60000 });
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  await page.evaluate(watchRedraws, tag);
  const out = [];
  const labels = await page.evaluate(([t, n]) => [...document.querySelector(t).shadowRoot.querySelectorAll('.body button')]
    .filter((b) => !b.disabled && b.offsetParent).slice(0, n).map((b) => b.textContent.trim()), [tag, MAIN_BUTTONS]);
  for (const [i, label] of labels.entries()) {
    const handle = await bodyButton(page, tag, i);
    if (!(await handle.evaluate((b) => b !== null))) continue;
    out.push({ action: `click "${label}"`, kind: 'main', ...(await clickAndTime(page, cdp, handle)) });
  }
  const tourSteps = await page.evaluate((t) => document.querySelector(t).tours()[0]?.steps.length ?? 0, tag);
  for (let i = 0; i < Math.min(tourSteps, MAX_TOUR_STEPS); i++) {
    const step = await toolbarButton(page, tag, 'Step');
    out.push({ action: `tour step ${i + 1}`, kind: 'tour', ...(await clickAndTime(page, cdp, step)) });
  }
  for (let i = 0; i < BACK_CLICKS; i++) {
    const back = await toolbarButton(page, tag, 'Step back');
    if (await back.evaluate((b) => b !== null)) out.push({ action: `timeline step back ${i + 1}`, kind: 'back', ...(await clickAndTime(page, cdp, back)) });
  }
  for (let i = 0; i < BACK_CLICKS; i++) {
    const undo = await toolbarButton(page, tag, 'Undo');
    out.push({ action: `Undo ${i + 1}`, kind: 'undo', ...(await clickAndTime(page, cdp, undo)) });
  }
  await context.close();
  return { actions: out, errors };
}

// Long tasks after the first paint: the index (its card pictures run a
// session each) and a topic page, settled for 3 s after the load.
async function longTasks(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  await context.addInitScript(recordClicks);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 3000)));
  const result = await page.evaluate(() => {
    const paint = performance.getEntriesByType('paint').find((e) => e.name === 'first-paint')?.startTime ?? 0;
    const after = window.__longTasks.filter((t) => t.start >= paint);
    return { count: after.length, total: after.reduce((s, t) => s + t.duration, 0), worst: Math.max(0, ...after.map((t) => t.duration)) };
  });
  await context.close();
  return result;
}

const fmt = (x) => (x === null || x === undefined ? '—' : x < 10 ? x.toFixed(1) : x.toFixed(0));
const loadAtStart = loadavg();
const browser = await launchBrowser();
const servers = await Promise.all(dists.map((d) => serve(resolve(d))));
const results = dists.map(() => ({}));
const pages = dists.map(() => ({ index: [], topic: [] }));
try {
  for (const id of WIDGETS) {
    for (let round = 0; round < ROUNDS; round++) {
      for (let d = 0; d < dists.length; d++) {
        const run = await measureWidget(browser, servers[d].base, id);
        (results[d][id] ??= []).push(run);
        process.stderr.write(`${dists[d]} ${id} round ${round + 1}: ${run.actions.map((a) => fmt(a.frame)).join(' ')}${run.errors.length ? ` errors: ${run.errors.join('; ')}` : ''}\n`);
      }
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let d = 0; d < dists.length; d++) {
      pages[d].index.push(await longTasks(browser, `${servers[d].base}/`));
      pages[d].topic.push(await longTasks(browser, `${servers[d].base}/topic.html?t=redis`));
    }
  }
} finally {
  await browser.close();
  for (const s of servers) s.stop();
}
const loadAtEnd = loadavg();

console.log(`Headless Chromium, 1200 × 1000, ${ROUNDS} rounds (a fresh page each); ms from the click event to the end of the first frame`
  + ` after the widget's last redraw. Load average (1/5/15 min) at the start ${loadAtStart.map((x) => x.toFixed(2)).join(' / ')},`
  + ` at the end ${loadAtEnd.map((x) => x.toFixed(2)).join(' / ')}, on 2 cores.\n`);
dists.forEach((d, di) => {
  if (dists.length > 1) console.log(`## ${d}\n`);
  const summary = [];
  for (const id of WIDGETS) {
    const runs = results[di][id];
    if (!runs) continue;
    const rows = runs[0].actions.map((a, i) => {
      const frames = runs.map((r) => r.actions[i]?.frame).filter((x) => x !== undefined);
      const handlers = runs.map((r) => r.actions[i]?.handler).filter((x) => x !== undefined);
      const events = runs.map((r) => r.actions[i]?.event);
      const pick = (key) => median(runs.map((r) => r.actions[i]?.[key]).filter((x) => x !== undefined));
      return { action: a.action, kind: a.kind, median: median(frames), worst: Math.max(...frames), handler: median(handlers),
        cpu: pick('cpu'), script: pick('script'), styleLayout: pick('styleLayout'), layouts: pick('layouts'),
        event: events.every((e) => e === null) ? '<16' : fmt(median(events.map((e) => e ?? 0))) };
    });
    console.log(`### ${id}\n`);
    console.log('| action | to frame: median | worst | handler | Event Timing | main-thread CPU | of it: script | style + layout | layouts |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(`| ${r.action} | ${fmt(r.median)} | ${fmt(r.worst)} | ${fmt(r.handler)} | ${r.event} | ${fmt(r.cpu)} | ${fmt(r.script)} | ${fmt(r.styleLayout)} | ${r.layouts} |`);
    }
    const byKind = (k) => rows.filter((r) => r.kind === k);
    const main = rows.filter((r) => r.kind === 'main' || r.kind === 'tour');
    const undo = byKind('undo');
    const line = {
      id, actions: rows.length,
      mainMedian: median(main.map((r) => r.median)), mainWorst: Math.max(...main.map((r) => r.worst)),
      over16: main.filter((r) => r.median > 16).length, over50: main.filter((r) => r.worst > 50).length,
      undoWorst: Math.max(...undo.map((r) => r.worst), ...byKind('back').map((r) => r.worst)),
      mainCpu: median(main.map((r) => r.cpu)), worstCpu: Math.max(...rows.map((r) => r.cpu)),
      errors: runs.reduce((n, r) => n + r.errors.length, 0),
    };
    summary.push(line);
    console.log(`\n${id}: ${rows.length} actions; main actions and tour steps: median of medians ${fmt(line.mainMedian)} ms, worst ${fmt(line.mainWorst)} ms;`
      + ` ${line.over16} with a median over 16 ms, ${line.over50} with a worst over 50 ms; step back / undo worst ${fmt(line.undoWorst)} ms;`
      + ` main-thread CPU per click: median ${fmt(line.mainCpu)} ms, the most ${fmt(line.worstCpu)} ms; page errors ${line.errors}\n`);
  }
  console.log('### Summary\n');
  console.log('| widget | actions | main + tour: median of medians | worst | medians > 16 ms | worsts > 50 ms | step back / undo: worst | CPU per click: median | CPU: the most | page errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of summary) {
    console.log(`| ${s.id} | ${s.actions} | ${fmt(s.mainMedian)} | ${fmt(s.mainWorst)} | ${s.over16} | ${s.over50} | ${fmt(s.undoWorst)} | ${fmt(s.mainCpu)} | ${fmt(s.worstCpu)} | ${s.errors} |`);
  }
  const lt = (list) => `${median(list.map((x) => x.count))} long tasks, ${fmt(median(list.map((x) => x.total)))} ms in all, the longest ${fmt(median(list.map((x) => x.worst)))} ms`;
  console.log(`\nLong tasks after the first paint (median of ${ROUNDS} loads, 3 s after \`load\`): index.html ${lt(pages[di].index)}; topic.html?t=redis ${lt(pages[di].topic)}.\n`);
});
