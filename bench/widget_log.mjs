// Long action logs in the page (issue #25, points 3 and 4): how long a click
// takes when the widget holds a 1.7 MB log, and how long replaying 20,000
// ZADDs (and 100,000 ZCARDs) takes in the page next to the same steps in wasm
// directly. Headless Debian Chromium via playwright-core, the gallery page
// with only <sdp-redis-zset> left on it.
//
//   node bench/widget_log.mjs [DIST_DIR ...]     default: dist
//
// Several dist dirs (e.g. a build of the previous commit and this one) are
// measured in turns, round after round, so that load on the machine hits
// them alike. Prints a markdown table; bench/widget_log.md keeps a run.
// Reported, not judged: nothing here passes or fails on timing.
import { resolve } from 'node:path';
import { launchBrowser, serve } from './browser_harness.mjs';
import { encodeState } from '../web/url-state.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
// ZCARD=0 skips the 100,000-step replay (minutes per round on the old page).
const WITH_ZCARD = process.env.ZCARD !== '0';
const CLICKS = 9;
const dists = process.argv.slice(2).length ? process.argv.slice(2) : ['dist'];

const CONFIG = { draw_nodes: 24 };
const START = [{ op: 'fill', key: 'jobs', count: 8, prefix: 'job-', max_score: 1000 }, { op: 'view', key: 'jobs' }];
const zadd = (i) => ({ op: 'command', line: `ZADD jobs ${(i * 7919) % 1000003} member-${i}` });

// ZADDs until the link parameter is `chars` long.
function stepsForLink(chars) {
  const steps = [...START];
  let approx = 0;
  for (let i = 0; approx < chars; i += 1) {
    steps.push(zadd(i));
    if (i % 1000 === 0) approx = encodeState({ seed: 1, config: CONFIG, steps }).length;
  }
  while (encodeState({ seed: 1, config: CONFIG, steps }).length > chars) steps.pop();
  return steps;
}

async function openWidget(browser, base, hash = '') {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // topic.html since the gallery became topic cards: a bare index.html has
  // no widget (it redirects only its old #widget=state links there).
  await page.goto(`${base}/topic.html?t=redis-zset${hash}`, { timeout: 0 });
  await page.waitForFunction(() => document.querySelector('sdp-redis-zset')?.session, null, { timeout: 600000 });
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('*')) if (el.localName.startsWith('sdp-') && el.localName !== 'sdp-redis-zset') el.remove();
  });
  return { page, context, errors };
}

// Median over CLICKS clicks of "Add a job": the click handler alone (act,
// and before this change the URL rewrite), and up to the next frame drawn.
// Then, apart, what writing the link costs: shareUrl() (encoding the state:
// the whole log before, the new steps only after) and history.replaceState
// with it (after this change: on Share or when the page is hidden, never
// in a click, for a link this long).
async function clickTimes(page) {
  return page.evaluate(async (clicks) => {
    const w = document.querySelector('sdp-redis-zset');
    const button = [...w.shadowRoot.querySelectorAll('button')].find((b) => b.textContent === 'Add a job');
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const handler = [], toFrame = [], encode = [], write = [];
    for (let i = 0; i <= clicks; i += 1) {
      const t0 = performance.now();
      button.click();
      const t1 = performance.now();
      await frame();
      const t2 = performance.now();
      const url = w.shareUrl();
      const t3 = performance.now();
      history.replaceState(null, '', url);
      const t4 = performance.now();
      await frame();
      if (i > 0) { handler.push(t1 - t0); toFrame.push(t2 - t0); encode.push(t3 - t2); write.push(t4 - t3); }
    }
    const median = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
    return { handler: median(handler), frame: median(toFrame), encode: median(encode), write: median(write), steps: w.log.length, url: location.href.length };
  }, CLICKS);
}

// What history.replaceState alone costs for a fragment of each length
// (median of 5): why long links are written only on Share or when hidden.
const WRITE_SIZES = [16384, 131072, 524288, 1700000];
async function replaceStateTimes(page) {
  return page.evaluate(async (sizes) => {
    const out = {};
    for (const size of sizes) {
      const times = [];
      for (let i = 0; i < 5; i += 1) {
        const url = `${location.pathname}#x=${String(i).repeat(size)}`;
        const t0 = performance.now();
        history.replaceState(null, '', url);
        times.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 0));
      }
      out[size] = times.sort((a, b) => a - b)[2];
    }
    history.replaceState(null, '', location.pathname);
    return out;
  }, WRITE_SIZES);
}

// Replays `steps` in the widget: Undo replays the whole log but its last
// step, and draws once it is done.
async function pageReplayTime(page, steps) {
  return page.evaluate(async ({ steps, config }) => {
    const w = document.querySelector('sdp-redis-zset');
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const state = { seed: 1, config, steps: [...steps, { op: 'command', line: 'PING' }] };
    let t0 = performance.now();
    if (typeof w.loadState === 'function') {
      await w.loadState(state);
      t0 = performance.now();
      await w.undo();
    } else {
      w.log = state.steps;  // before: a plain array the widget replays on Undo
      await w.undo();
    }
    await frame();
    return { page: performance.now() - t0, replayed: w.log.length };
  }, { steps, config: CONFIG });
}

// The same steps in wasm directly, in a page of their own (nothing else has
// run there): runScenario, and a bare loop of session.apply.
async function wasmTimes(page, steps) {
  return page.evaluate(async ({ steps, config }) => {
    const { runScenario, SimSession } = await import('/wasm/sdp.mjs');
    let t0 = performance.now();
    const out = await runScenario({ sim: 'redis_zset', seed: 1, config, steps });
    const scenario = performance.now() - t0;
    t0 = performance.now();
    const session = await SimSession.create('redis_zset', { seed: 1, config });
    for (const step of steps) session.apply(step);
    session.delete();
    return { scenario, loop: performance.now() - t0, bytes: out.length };
  }, { steps, config: CONFIG });
}

async function replayTimes(browser, base, steps) {
  let w = await openWidget(browser, base);
  const page = await pageReplayTime(w.page, steps);
  await w.context.close();
  w = await openWidget(browser, base);
  const wasm = await wasmTimes(w.page, steps);
  await w.context.close();
  return { ...page, ...wasm };
}

const browser = await launchBrowser();
const servers = await Promise.all(dists.map((d) => serve(resolve(d))));
const longLink = stepsForLink(1.7e6);
const zadds = [...START, ...Array.from({ length: 20000 }, (_, i) => zadd(i))];
// 100,000 steps in all: the most one scenario may hold (kMaxSteps).
const zcards = [...START, ...Array.from({ length: 100000 - START.length }, () => ({ op: 'command', line: 'ZCARD jobs' }))];
const results = dists.map(() => ({ clicks: [], writes: [], zadd: [], zcard: [] }));
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let d = 0; d < dists.length; d += 1) {
      const hash = `#redis-zset=${encodeState({ seed: 1, config: CONFIG, steps: longLink })}`;
      let w = await openWidget(browser, servers[d].base, hash);
      const say = (what, value) => process.stderr.write(`round ${round + 1}, ${dists[d]}, ${what}: ${JSON.stringify(value)}\n`);
      results[d].clicks.push({ ...(await clickTimes(w.page)), errors: w.errors.length });
      await w.context.close();
      say('clicks', results[d].clicks.at(-1));
      w = await openWidget(browser, servers[d].base);
      results[d].writes.push(await replaceStateTimes(w.page));
      await w.context.close();
      say('replaceState', results[d].writes.at(-1));
      results[d].zadd.push(await replayTimes(browser, servers[d].base, zadds));
      say('20,000 ZADD', results[d].zadd.at(-1));
      if (WITH_ZCARD) {
        results[d].zcard.push(await replayTimes(browser, servers[d].base, zcards));
        say('100,000 ZCARD', results[d].zcard.at(-1));
      }
    }
  }
} catch (error) {
  // Playwright's messages quote the URL: megabytes of base64.
  console.error(String(error.message).slice(0, 400));
  process.exitCode = 1;
} finally {
  await browser.close();
  for (const s of servers) s.stop();
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => (x === null || x === undefined ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const linkChars = `#redis-zset=${encodeState({ seed: 1, config: CONFIG, steps: longLink })}`.length;
console.log(`Log in the link: ${longLink.length} steps, ${(linkChars / 1e6).toFixed(2)} MB as a link parameter; ${ROUNDS} rounds, medians.\n`);
console.log('| build | click: handler | click: to next frame | link: encode (shareUrl) | link: replaceState '
  + '| 20,000 ZADD: page replay | runScenario (wasm) | session.apply loop '
  + '| 100,000 steps (ZCARD): page replay | runScenario (wasm) | session.apply loop |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
dists.forEach((d, i) => {
  const r = results[i];
  const m = (list, key) => median(list.map((x) => x[key]));
  console.log(`| ${d} | ${ms(m(r.clicks, 'handler'))} | ${ms(m(r.clicks, 'frame'))} | ${ms(m(r.clicks, 'encode'))} | ${ms(m(r.clicks, 'write'))} `
    + `| ${ms(m(r.zadd, 'page'))} | ${ms(m(r.zadd, 'scenario'))} | ${ms(m(r.zadd, 'loop'))} `
    + `| ${ms(m(r.zcard, 'page'))} | ${ms(m(r.zcard, 'scenario'))} | ${ms(m(r.zcard, 'loop'))} |`);
});
console.log();
console.log(`history.replaceState alone, by fragment length (${WRITE_SIZES.map((n) => `${n} chars`).join(' / ')}): `
  + dists.map((d, i) => `${d}: ${WRITE_SIZES.map((n) => ms(median(results[i].writes.map((w) => w[n])))).join(' / ')}`).join('; '));
console.log();
dists.forEach((d, i) => {
  const r = results[i];
  console.log(`${d}: log after the clicks ${r.clicks[0].steps} steps, URL ${r.clicks[0].url} chars, page errors ${r.clicks.map((c) => c.errors).join('/')}; `
    + `replayed ${r.zadd[0].replayed} / ${r.zcard[0]?.replayed} steps; runScenario output ${r.zadd[0].bytes} / ${r.zcard[0]?.bytes} bytes`);
});
