// Widgets that survive the page they are put in (issue #25): attributes with
// values a widget does not allow, links with bad seeds, a seed box left empty,
// and two widgets that claim one state-key. Every widget still starts (with
// the defaults of what it refused), says exactly what it refused and what is
// allowed, and works: a control, Reset. The pages are tests/e2e/pages/*.html.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SEED = 'must be an integer in [0, 4294967295]; using the default (1).';

// id -> the notes the widget must show, in order, and a control to try.
const WIDGETS = {
  'ring-all': {
    notes: [
      'nodes="1e9" refused: must be an integer in [0, 50]; using the default (4).',
      'keys="1e9" refused: must be an integer in [0, 200000]; using the default (200).',
      'vnodes="abc" refused: must be an integer in [1, 1000]; using the default.',
      'replicas="99" refused: must be an integer in [1, 10]; using the default.',
      'hash="md5" refused: must be one of: murmur3, fnv1a, xxhash64; using the default.',
    ],
    control: 'Add node',
    start: (log) => assert.deepEqual(log.map((s) => s.id ?? s.count), ['A', 'B', 'C', 'D', 200]),
  },
  'ring-some': {
    notes: [
      `seed="" refused: ${SEED}`,
      'vnodes="abc" refused: must be an integer in [1, 1000]; using the default.',
    ],
    control: 'Add node',
    // The attributes that were allowed are used: 3 nodes, 50 keys.
    start: (log) => assert.deepEqual(log.map((s) => s.id ?? s.count), ['A', 'B', 'C', 50]),
  },
  lab: {
    notes: [
      'nodes="-1" refused: must be an integer in [0, 100]; using the default (5).',
      'zipf="9" refused: must be a number in [0, 3]; using the default.',
    ],
    control: 'Add node',
    start: (log) => assert.deepEqual(log.at(-1), { op: 'add_keys', count: 7 }),
  },
  kafka: {
    notes: [
      'brokers="x" refused: must be an integer in [1, 16]; using the default (3).',
      // Allowed by the field's range, refused by the sim: its own words.
      'partitions="100" refused: create_topic: INVALID_PARTITIONS: field "partitions" must be at least 1 (and at most 64 in this sim), got 100; using the default (6).',
    ],
    control: '+1 s',
    start: (log) => assert.equal(log[0].partitions, 6),
  },
  'kafka-one-broker': {
    notes: [], // one broker is allowed: the topic gets one replica
    control: '+1 s',
    start: (log, config) => {
      assert.equal(config.brokers, 1);
      assert.deepEqual([log[0].partitions, log[0].replication], [2, 1]);
    },
  },
  lb: {
    notes: [
      `seed="1e308" refused: ${SEED}`,
      'servers="abc" refused: must be an integer in [0, 1000]; using the default (4).',
    ],
    control: '+30 s',
  },
  'rl-limit': {
    notes: ['limit="0" refused: must be an integer in [1, 1000000]; using the default (10).'],
    control: 'One request',
  },
  'rl-window': {
    notes: ['window-ms="1e308" refused: must be an integer in [1, 86400000]; using the default (1000).'],
    control: 'One request',
  },
  'rl-nginx': {
    // Each value is in its field's range; together the sim refuses them, in
    // its words, and the widget keeps what it can: limit 5, window 1000 ms.
    notes: ['window-ms="86400000" refused: config: leaky_bucket: field "window_ms": nginx keeps its rate in 1/1000 requests per second, and 5 per 86400000 ms rounds to 0 (needs limit * 1000000 >= window_ms); using the default (1000).'],
    control: 'One request',
    start: (log, config) => assert.deepEqual(config, { limit: 5, window_ms: 1000 }),
  },
  cb: {
    notes: ['rps="-1" refused: must be a number in [0, 100000]; using the default (100).'],
    control: '+1 s',
  },
  gateway: { notes: [`seed="-1" refused: ${SEED}`], control: 'Burst 20' },
  zset: { notes: [`seed="NaN" refused: ${SEED}`], control: 'Add a job' },
  geo: { notes: [`seed="18446744073709551616" refused: ${SEED}`], control: 'example' },
  persistence: { notes: [`seed="<script>alert(1)</script>" refused: ${SEED}`], control: '+1 s' },
  gossip: {
    notes: [
      'nodes="1" refused: must be an integer in [2, 10000]; using the default (400).',
      'fanout="9999" refused: must be an integer in [1, 50]; using the default (1).',
    ],
    control: '1 round',
    start: (log, config) => {
      assert.deepEqual(log, [{ op: 'inject', node: 0 }]);
      assert.equal(config.nodes, 400);
    },
  },
  'gossip-fanout': {
    // Each value is in its field's range; together the sim refuses them.
    notes: ['fanout="5" refused: config: field "fanout" must be below the number of nodes (5): a node has only 4 others to contact; got 5; using the default (1).'],
    control: '1 round',
    start: (log, config) => assert.deepEqual([config.nodes, config.fanout], [5, 1]),
  },
  tcp: {
    notes: [
      'latency-ms="-5" refused: must be an integer in [0, 10000]; using the default (50).',
      'msl-ms="abc" refused: must be an integer in [1, 600000]; using the default (30000).',
    ],
    control: 'Connect',
    start: (log, config) => {
      assert.deepEqual(log, []);
      assert.deepEqual([config.latency_ms, config.msl_ms], [50, 30000]);
    },
  },
  'tcp-vs-udp': {
    notes: [
      'loss="1.5" refused: must be a number in [0, 1]; using the default (0.02).',
      'messages="5000" refused: must be an integer in [1, 1000]; using the default (100).',
    ],
    control: 'Send',
    // The allowed attribute is used: 20 ms; the refused ones fall back.
    start: (log, config) => {
      assert.deepEqual([config.latency_ms, config.loss], [20, 0.02]);
      assert.deepEqual(log[0], { op: 'send', messages: 100, size: 1000, interval_ms: 10 });
    },
  },
  cap: {
    notes: [
      'replicas="9" refused: must be an integer in [3, 7]; using the default (3).',
      'mode="xp" refused: must be one of: cp, ap, cache_fallback, cache_fail; using the default (cp).',
      'clients="0" refused: must be an integer in [1, 8]; using the default (3).',
    ],
    control: 'Write',
    start: (log, config) => {
      assert.deepEqual(log, [{ op: 'write', client: 'c1', replica: 'r1', key: 'x', value: 1 }]);
      assert.deepEqual([config.n, config.mode, config.clients], [3, 'cp', 3]);
    },
  },
  layers: {
    notes: [
      'mss="12" refused: must be an integer in [88, 65495]; using the default (1460).',
      'ttl="0" refused: must be an integer in [1, 255]; using the default (64).',
    ],
    control: 'Next stage',
    start: (log, config) => {
      assert.deepEqual(log.map((s) => s.op), ['request']);
      assert.deepEqual([config.mss, config.ttl], [1460, 64]);
    },
  },
  'http-vs-https': {
    // The range checks come first, then the sim's own refusal of the config.
    notes: [
      'scheme="ftp" refused: must be one of: http, https; using the default (http).',
      'attacker="spy" refused: must be one of: none, eavesdrop, tamper, impersonate; using the default (eavesdrop).',
      'server-name="Bank Example" refused: config: field "server_name": "Bank Example" must be a DNS name: lowercase letters, digits, \'-\' and \'.\' between labels, e.g. bank.example; using the default (bank.example).',
    ],
    control: 'Send',
    start: (log, config) => {
      assert.deepEqual(log.map((s) => [s.op, s.mode ?? s.scheme]), [['attacker', 'eavesdrop'], ['request', 'http']]);
      assert.equal(config.server_name, 'bank.example');
    },
  },
  'search-index': {
    notes: [
      'products="300" refused: must be an integer in [0, 240]; using the default (90).',
      'segments-per-tier="1" refused: must be an integer in [2, 50]; using the default (5).',
    ],
    control: 'Refresh',
    // 90 corpus products, a refresh after every 30.
    start: (log, config) => {
      assert.equal(log.filter((s) => s.op === 'index').length, 90);
      assert.equal(log.filter((s) => s.op === 'refresh').length, 3);
      assert.equal(config.segments_per_tier, 5);
    },
  },
  'search-cluster': {
    notes: [
      'nodes="0" refused: must be an integer in [1, 9]; using the default (3).',
      'shards="99" refused: must be an integer in [1, 8]; using the default (3).',
      'products="-1" refused: must be an integer in [0, 5000]; using the default (600).',
    ],
    control: 'Refresh',
    // Three nodes, 3 shards x 2 copies, 600 generated products, refreshed.
    start: (log, config) => {
      assert.deepEqual(log.map((s) => s.op), ['nodes', 'create_index', 'bulk', 'refresh']);
      assert.deepEqual([log[0].count, log[1].shards, log[1].replicas, log[2].count], [3, 3, 1, 600]);
      assert.deepEqual(config, {});
    },
  },
  realtime: {
    notes: [
      'clients="5000" refused: must be an integer in [0, 1000]; using the default (20).',
      'rate="-1" refused: must be a number in [0, 100]; using the default (2).',
    ],
    control: 'Advance',
    start: (log, config) => {
      assert.deepEqual(log, [{ op: 'advance', ms: 5000 }]);
      assert.deepEqual([config.clients, config.rate], [20, 2]);
    },
  },
  rest: {
    notes: [
      'replicas="0" refused: must be an integer in [1, 8]; using the default (3).',
      'max-age="-5" refused: must be an integer in [0, 86400]; using the default (60).',
      'cache-control="sometimes" refused: must be one of: public, private, no-cache, no-store; using the default (public).',
      'cache="yes" refused: must be true or false; using the default (true).',
    ],
    control: 'Send',
    // A fresh widget's one step: user 1 is created, so the first GET finds it.
    start: (log, config) => {
      assert.deepEqual(log.map((s) => `${s.method} ${s.path}`), ['PUT /users/1']);
      assert.deepEqual(config, {});
    },
  },
  estimator: {
    notes: [
      'dau="-5" refused: must be an integer in [0, 10000000000]; using the default (100000000).',
      'requests-per-user="lots" refused: must be an integer in [0, 1000000]; using the default (10).',
      'p99-ms="0" refused: must be an integer in [1, 3600000]; using the default (200).',
    ],
    control: 'Estimate',
    // Every attribute at its default: the fresh sim's estimate, no step.
    start: (log, config) => {
      assert.deepEqual(log, []);
      assert.deepEqual(config, {});
    },
  },
  design: {
    notes: ['problem="everything" refused: must be one of: custom, url_shortener, chat, news_feed; using the default (custom).'],
    control: 'Run',
    // Your own problem: an empty worksheet and no components.
    start: (log, config) => {
      assert.deepEqual(log, []);
      assert.equal(config.problem ?? 'custom', 'custom');
    },
  },
};

const widget = (page, id) => page.locator(`#${id}`);
const notes = (page, id) => widget(page, id).locator('.notice li').allTextContents();
const state = (page, id) => page.evaluate((i) => {
  const w = document.getElementById(i);
  return { session: !!w.session && !w.session.deleted, log: w.log, config: w.config, seed: w.seed };
}, id);

function control(page, id, name) {
  // The geo widget's one-click action: its first example command.
  if (name === 'example') return widget(page, id).locator('button[title="Run this command"]').first();
  return widget(page, id).getByRole('button', { name, exact: true });
}

async function allStarted(page, ids) {
  await page.waitForFunction((list) => list.every((i) => document.getElementById(i)?.session), ids);
}

test('every widget with refused attributes starts with their defaults, says what is allowed, and works', async () => {
  const { page, problems, context } = await openPage(browser, '/test/hostile-attributes.html');
  const ids = Object.keys(WIDGETS);
  await allStarted(page, ids);
  for (const [id, expected] of Object.entries(WIDGETS)) {
    const start = await state(page, id);
    assert.ok(start.session, `${id} has a session`);
    assert.equal(start.seed, 1, id);
    assert.deepEqual(await notes(page, id), expected.notes, id);
    assert.equal(await widget(page, id).locator('.notice').isVisible(), expected.notes.length > 0, id);
    expected.start?.(start.log, start.config);

    await control(page, id, expected.control).click();
    const acted = await state(page, id);
    assert.equal(acted.log.length, start.log.length + 1, `${id}: "${expected.control}" applied one step`);
    assert.equal(await widget(page, id).locator('.toolbar .field-error').textContent(), '', id);

    await control(page, id, 'Reset').click();
    await page.waitForFunction(({ i, n }) => document.getElementById(i).log.length === n, { i: id, n: start.log.length });
    const reset = await state(page, id);
    assert.deepEqual(reset.log, start.log, `${id}: Reset returns to the start`);
    assert.deepEqual(reset.config, start.config, id);
    assert.deepEqual(await notes(page, id), expected.notes, `${id}: the notes still stand after Reset`);
  }
  await shootAll(page, ATTRIBUTE_SHOTS, 'light');
  assert.deepEqual(problems, []);
  await context.close();
});

const ATTRIBUTE_SHOTS = ['ring-all', 'kafka', 'persistence', 'gossip-fanout'];
const LINK_SHOTS = ['seed-script', 'second'];

async function shootAll(page, ids, colorScheme) {
  for (const id of ids) await shoot(widget(page, id), `hostile-${id}-${colorScheme}`);
}

function base64Url(text) {
  return Buffer.from(text, 'utf8').toString('base64url');
}

// Raw JSON text, so that 2^64 reaches the page as the digits a link holds.
const LINK_SEEDS = {
  'seed-2-64': ['18446744073709551616', '18446744073709552000'],
  'seed-1e308': ['1e308', '1e+308'],
  'seed-nan': ['"NaN"', '"NaN"'],
  'seed-minus-1': ['-1', '-1'],
  'seed-script': ['"<script>alert(1)</script>"', '"<script>alert(1)</script>"'],
  'seed-empty': ['""', '""'],
};
const LINK_STEPS = '[{"op":"fill","key":"jobs","count":3,"prefix":"job-","max_score":10}]';

const LINKS = `/test/hostile-links.html#${Object.entries(LINK_SEEDS)
  .map(([id, [json]]) => `${id}=${base64Url(`{"seed":${json},"config":{"draw_nodes":24},"steps":${LINK_STEPS}}`)}`)
  .join('&')}`;

test('a link whose seed is not allowed is restored with seed 1, and says which seed it replaced', async () => {
  const { page, problems, context } = await openPage(browser, LINKS);
  await allStarted(page, [...Object.keys(LINK_SEEDS), 'first', 'second']);
  for (const [id, [, shownAs]] of Object.entries(LINK_SEEDS)) {
    assert.deepEqual(await notes(page, id), [`The link's seed ${shownAs} refused: ${SEED}`], id);
    const restored = await state(page, id);
    assert.equal(restored.seed, 1, id);
    assert.deepEqual(restored.log, JSON.parse(LINK_STEPS), `${id}: the rest of the link is restored`);
    assert.equal(await widget(page, id).locator('.narration li').first().textContent(), 'Restored the shared state.');
  }
  await shootAll(page, LINK_SHOTS, 'light');
  assert.deepEqual(problems, []);
  await context.close();
});

// Issue #24's hostile links, all on one page: each widget must start, say
// what it refused, run no script, and stay usable.
const KAFKA_FREEZE = [  // froze a tab for 184 s before the per-step budget
  { op: 'create_topic', name: 't', partitions: 64, replication: 3 },
  { op: 'stream', topic: 't', rate: 100000, value_bytes: 100000 },
  { op: 'advance', ms: 10000 },
];
const DEPTH = 100000;
const HTML = '<img src=x onerror=pwned=1>'; // fits the 32-byte fields, so it is shown
const HTML_LONG = '<script>window.pwned=1</script><img src=x onerror="window.pwned=1">';
const HOSTILE_LINKS = {
  'link-kafka': `{"seed":1,"config":{},"steps":${JSON.stringify(KAFKA_FREEZE)}}`,
  'link-nested': `{"seed":1,"config":{"draw_nodes":24},"steps":[{"op":"fill","key":"jobs","count":3,"prefix":"job-","max_score":10},{"op":"view","key":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}]}`,
  'link-foreign': `{"seed":1,"config":{"brokers":3},"steps":${JSON.stringify(KAFKA_FREEZE.slice(0, 2))}}`,
  'link-html': JSON.stringify({ seed: 1, config: { draw_nodes: 24 }, steps: [
    { op: 'fill', key: 'jobs', count: 3, prefix: HTML, max_score: 10 },
    { op: 'command', line: `ZADD jobs 1 ${HTML}` },
    { op: HTML_LONG },
  ] }),
};
// Records the page's longest task (reported, not judged: without the worker
// that issue #24 also asks for, replaying a heavy link blocks the page).
const LONGEST_TASK = () => {
  window.longestTask = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.longestTask = Math.max(window.longestTask, e.duration);
  }).observe({ type: 'longtask', buffered: true });
};

test('hostile links: a step that would run for minutes, deep nesting, another widget\'s state, HTML everywhere', async () => {
  const url = `/test/hostile-links.html#${Object.entries(HOSTILE_LINKS).map(([id, json]) => `${id}=${base64Url(json)}`).join('&')}`;
  const { page, problems, context } = await openPage(browser, url, { timeout: 120000, initScript: LONGEST_TASK });
  await allStarted(page, Object.keys(HOSTILE_LINKS));
  // The Kafka link: its first two steps, and the advance refused by the
  // per-step work budget (docs/step_budget.md) instead of minutes of work.
  const [kafkaNote] = await notes(page, 'link-kafka');
  assert.match(kafkaNote, /^1 step of the link's 3 refused and skipped \(the first: advance: too much work for one step; nothing was changed\. It passed 5,000,000 units of work .* lower "ms" \(10000\), or lower the rates and sizes set before it\)\.$/);
  assert.deepEqual((await state(page, 'link-kafka')).log, KAFKA_FREEZE.slice(0, 2));
  assert.deepEqual(await notes(page, 'link-nested'), [
    "1 step of the link's 2 refused and skipped (the first: JSON nested too deeply: more than 256 levels of [ ] or { } (at byte 274)).",
  ]);
  assert.match((await notes(page, 'link-foreign'))[0], /^The link's state could not be restored \(config: unknown field "brokers"; allowed: vnodes, replicas, hash\); starting fresh\.$/);
  // HTML is text: accepted where it fits a field, refused where it does not,
  // never an element, never run.
  const html = await state(page, 'link-html');
  assert.deepEqual(html.log.map((s) => s.op), ['fill', 'command']);
  assert.match((await notes(page, 'link-html'))[0], /^1 step of the link's 3 refused and skipped \(the first: unknown op/);
  assert.ok((await widget(page, 'link-html').textContent()).includes(HTML) || await page.evaluate((h) =>
    document.getElementById('link-html').shadowRoot.textContent.includes(h), HTML), 'the HTML is shown as text');
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'no script ran');
  assert.equal(await page.evaluate(() => [...document.querySelectorAll('[id^=link-]')]
    .reduce((n, w) => n + w.shadowRoot.querySelectorAll('img, script').length, 0)), 0, 'no element came from a link');
  // Every one stays usable.
  for (const [id, name] of [['link-kafka', 'Reset'], ['link-nested', 'Add a job'], ['link-foreign', 'Reset'], ['link-html', 'Add a job']]) {
    const before = (await state(page, id)).log.length;
    await control(page, id, name).click();
    assert.ok((await state(page, id)).session, `${id} works after ${name}`);
    if (name !== 'Reset') assert.equal((await state(page, id)).log.length, before + 1, `${id}: ${name} applied`);
  }
  await shoot(widget(page, 'link-kafka'), 'hostile-link-kafka-light');
  console.log(`longest task while opening the hostile links: ${Math.round(await page.evaluate(() => window.longestTask))} ms`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a seed box that is empty or out of range is refused and the seed kept', async () => {
  const { page, problems, context } = await openPage(browser, '/test/hostile-links.html');
  await allStarted(page, ['seed-empty']);
  const box = widget(page, 'seed-empty').getByLabel('Seed', { exact: true });
  const error = widget(page, 'seed-empty').locator('.toolbar .field-error');
  await box.fill('7');
  await box.dispatchEvent('change');
  await page.waitForFunction(() => document.getElementById('seed-empty').seed === 7);
  for (const typed of ['', '-1', '1e308', '18446744073709551616', '4294967296', '2.5']) {
    await box.fill(typed);
    await box.dispatchEvent('change');
    assert.equal(await error.textContent(), `Seed "${typed}" refused: must be an integer in [0, 4294967295]; kept seed 7.`);
    assert.equal(await box.inputValue(), '7');
    assert.equal((await state(page, 'seed-empty')).seed, 7);
  }
  await shoot(widget(page, 'seed-empty').locator('.toolbar'), 'hostile-seed-box');
  assert.deepEqual(problems, []);
  await context.close();
});

test('two widgets with one state-key: the second says so and leaves the URL to the first', async () => {
  const { page, problems, context } = await openPage(browser, '/test/hostile-links.html');
  await allStarted(page, ['first', 'second']);
  assert.deepEqual(await notes(page, 'first'), []);
  assert.deepEqual(await notes(page, 'second'), [
    'state-key "ring" is already used by another widget on this page (an earlier <sdp-hash-ring>): this one does not keep its state in the URL, so that neither overwrites the other\'s. Give each widget its own state-key.',
  ]);
  // The URL is written once actions pause (web/link-writer.mjs): write it now.
  const ringParam = () => page.evaluate(() => {
    for (const w of document.querySelectorAll('sdp-hash-ring')) w.flushLink();
    return new URLSearchParams(location.hash.slice(1)).get('ring');
  });
  await control(page, 'first', 'Add node').click();
  const firstLink = await ringParam();
  assert.ok(firstLink, 'the first widget keeps its state in the URL');
  await control(page, 'second', 'Add node').click();
  await control(page, 'second', 'Add node').click();
  assert.equal(await ringParam(), firstLink, 'the second widget leaves it alone');

  // Reloaded, the link restores the first widget; the second starts fresh.
  await page.reload();
  await allStarted(page, ['first', 'second']);
  assert.deepEqual((await state(page, 'first')).log.map((s) => s.id ?? s.count), ['A', 'B', 20, 'C']);
  assert.deepEqual((await state(page, 'second')).log.map((s) => s.id ?? s.count), ['A', 'B', 'C', 20]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the notes in dark mode', async () => {
  for (const [path, ids] of [['/test/hostile-attributes.html', ATTRIBUTE_SHOTS], [LINKS, LINK_SHOTS]]) {
    const { page, problems, context } = await openPage(browser, path, { colorScheme: 'dark' });
    await allStarted(page, ids);
    await shootAll(page, ids, 'dark');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

// Issue #24: a link of many heavy steps. The page replays it a slice at a
// time (web/replay-runner.mjs): the tab answers between steps, a long replay
// shows its progress with Cancel, and past the replay budget (lowered to
// 4,000,000 units on this page by small-replay-budget.js) the link is
// refused as a whole before any of it shows. The page replays one link at
// a time. Each advance uses about 46,000 units, so a link passes the budget
// after about 88 steps: the test cancels the first one as soon as its
// progress shows (after 250 ms), long before that.
const HEAVY_CANCEL_ADVANCES = 1000;
const HEAVY_REFUSED_ADVANCES = 1000;
// Before the replay went in slices, the page did not run a timer for the
// whole replay (over a second); now a slice (30 ms) and one step at most.
const HEAVY_GAP_MS = 500;
const heavyStart = (rate) => [
  { op: 'create_topic', name: 't', partitions: 8, replication: 3 },
  { op: 'stream', topic: 't', rate },
];
const HEAVY_START = heavyStart(20000);
const heavyLink = (advances, rate) => JSON.stringify({ seed: 1, config: {}, steps: [...heavyStart(rate), ...Array(advances).fill({ op: 'advance', ms: 1000 })] });
const HEAVY_LINKS = { 'heavy-cancel': heavyLink(HEAVY_CANCEL_ADVANCES, 20000), 'heavy-refused': heavyLink(HEAVY_REFUSED_ADVANCES, 20000) };
// The longest the page went without running a 10 ms timer.
const LONGEST_GAP = () => {
  window.longestGap = 0;
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    window.longestGap = Math.max(window.longestGap, now - last);
    last = now;
  }, 10);
};

test('a link of many heavy steps: the tab answers, the replay shows progress and can be cancelled, and past its budget it is refused', async () => {
  const url = `/test/heavy-links.html#${Object.entries(HEAVY_LINKS).map(([id, json]) => `${id}=${base64Url(json)}`).join('&')}`;
  const { page, problems, context } = await openPage(browser, url, { timeout: 120000, initScript: LONGEST_GAP });
  // Cancel as soon as the progress shows, from inside the page (between two
  // slices), so that the link cannot finish first on a fast machine.
  const seen = await widget(page, 'heavy-cancel').evaluate((w) => new Promise((resolve) => {
    const check = () => {
      const row = w.shadowRoot?.querySelector('.replay-progress');
      if (!row || row.hidden) {
        requestAnimationFrame(check);
        return;
      }
      const state = { text: row.textContent, inert: w.shadowRoot.querySelector('.toolbar').inert };
      row.querySelector('button').click();
      resolve(state);
    };
    check();
  }));
  await page.evaluate(() => { window.longestGap = 0; }); // from here on: the replays, not the page's load
  const total = HEAVY_START.length + HEAVY_CANCEL_ADVANCES;
  assert.match(seen.text, new RegExp(`^Replaying step [\\d,]+ of ${total.toLocaleString('en-US')} steps…Cancel$`));
  assert.equal(seen.inert, true, 'controls are inert meanwhile');
  // The other link is still replaying (or, on a slow machine, already refused).
  await shoot(widget(page, 'heavy-refused'), 'heavy-link-progress-light');
  await allStarted(page, Object.keys(HEAVY_LINKS));
  const gap = await page.evaluate(() => window.longestGap);
  const [cancelled] = await notes(page, 'heavy-cancel');
  const at = Number(cancelled.match(/^The link's state could not be restored \(its replay was cancelled at step (\d+) of 1,002\); starting fresh\.$/)?.[1]);
  assert.ok(at > 0 && at < total, cancelled);
  const refusedTotal = HEAVY_START.length + HEAVY_REFUSED_ADVANCES;
  const [refused] = await notes(page, 'heavy-refused');
  const used = refused.match(new RegExp(`^The link's state could not be restored \\(replaying its ${refusedTotal.toLocaleString('en-US')} steps needs more than 4,000,000 units of work \\(the first ([\\d,]+) steps used ([\\d,]+)\\), the most one link or file may ask for, as for \`sdp run\`; split it, or lower its rates and durations\\); starting fresh\\.$`));
  assert.ok(used && Number(used[1].replaceAll(',', '')) < refusedTotal && Number(used[2].replaceAll(',', '')) >= 4000000, refused);
  for (const id of Object.keys(HEAVY_LINKS)) {
    assert.equal(await widget(page, id).locator('.replay-progress').isHidden(), true, id);
    assert.ok(!(await state(page, id)).log.some((step) => step.name === 't'), `${id} started fresh, with none of the link`);
    await control(page, id, 'Reset').click();
    assert.ok((await state(page, id)).session, `${id} works after Reset`);
  }
  console.log(`longest gap between 10 ms timers while replaying: ${Math.round(gap)} ms`);
  assert.ok(gap < HEAVY_GAP_MS, `the page answered between steps (longest gap ${Math.round(gap)} ms)`);
  assert.deepEqual(problems, []);
  await context.close();
});
