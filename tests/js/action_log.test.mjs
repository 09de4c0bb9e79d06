// The widgets' action log (web/action-log.mjs) and link encoding
// (web/url-state.mjs): merge rules, and the proof that matters: replaying the
// compacted log gives the same full snapshot as replaying every step, in the
// real engine, for logs that mix merges with everything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionLog, compactSteps, findLoneSurrogate, jsonBytes, loneSurrogateMessage, MERGE_RULES,
  parseScenarioFile, scenarioFileText } from '../../web/action-log.mjs';
import { encodeState, hashWithParam, StateEncoder } from '../../web/url-state.mjs';
import { runScenario, SdpError, SimSession } from '../../dist/wasm/sdp.mjs';
import { mulberry32 as rng } from './mulberry32.mjs';  // the same logs every run

const pick = (random, list) => list[Math.floor(random() * list.length)];

// Applies steps as a widget does (refused ones dropped); returns the kept
// steps and the full snapshot.
async function replay(sim, seed, config, steps) {
  const session = await SimSession.create(sim, { seed, config });
  const kept = [];
  try {
    for (const step of steps) {
      try {
        session.apply(step);
        kept.push(step);
      } catch (error) {
        if (!(error instanceof SdpError)) throw error;
      }
    }
    return { kept, snapshot: session.snapshot({ full: true }) };
  } finally {
    session.delete();
  }
}

// Raw log vs its compaction: same snapshot, and the compaction is shorter.
async function assertCompactionExact(sim, config, steps, { seed = 7 } = {}) {
  const raw = await replay(sim, seed, config, steps);
  const compacted = compactSteps(sim, raw.kept);
  const again = await replay(sim, seed, config, compacted);
  assert.equal(again.kept.length, compacted.length, `${sim}: every merged step is accepted`);
  assert.deepEqual(again.snapshot, raw.snapshot, `${sim}: compacted replay = raw replay`);
  return { raw: raw.kept.length, compacted: compacted.length };
}

// ---- rules ---------------------------------------------------------------------

test('consecutive advances merge, but never the newest step (Undo takes back one action)', () => {
  const log = new ActionLog('rate_limiter');
  log.push({ op: 'advance', ms: 1000 });
  log.push({ op: 'advance', ms: 1000 });
  assert.deepEqual(log.steps, [{ op: 'advance', ms: 1000 }, { op: 'advance', ms: 1000 }]);
  log.push({ op: 'advance', ms: 500 });
  assert.deepEqual(log.steps, [{ op: 'advance', ms: 2000 }, { op: 'advance', ms: 500 }]);
  log.push({ op: 'hit', key: 'a' });
  assert.deepEqual(log.steps, [{ op: 'advance', ms: 2500 }, { op: 'hit', key: 'a' }]);
  log.push({ op: 'advance', ms: 1 });
  log.reset(log.steps.slice(0, -1));  // Undo
  assert.deepEqual(log.steps, [{ op: 'advance', ms: 2500 }, { op: 'hit', key: 'a' }]);
});

test('rules leave other sims, other ops and odd advances alone', () => {
  const advances = Array.from({ length: 5 }, () => ({ op: 'advance', ms: 100 }));
  for (const sim of ['load_balancer', 'redis_persistence', 'hash_ring', 'redis_zset']) {
    assert.equal(compactSteps(sim, advances).length, 5, sim);
  }
  assert.equal(compactSteps('rate_limiter', [{ op: 'advance', ms: 5, extra: 1 }, { op: 'advance', ms: 5 }, { op: 'hit' }]).length, 3);
  assert.equal(compactSteps('rate_limiter', [{ op: 'hit' }, { op: 'hit' }, { op: 'hit' }]).length, 3);
  assert.deepEqual(Object.keys(MERGE_RULES).sort(), ['api_gateway', 'circuit_breaker', 'kafka', 'rate_limiter']);
});

test('merged advances stay within what every state accepts', () => {
  const kafka = compactSteps('kafka', [...Array(7)].map(() => ({ op: 'advance', ms: 100 })));
  assert.deepEqual(kafka.map((s) => s.ms), [600, 100]);
  const breaker = compactSteps('circuit_breaker', [...Array(12)].map(() => ({ op: 'advance', ms: 500 })));
  assert.ok(breaker.every((s) => s.ms <= 4545), JSON.stringify(breaker));
  assert.deepEqual(breaker.map((s) => s.ms), [4500, 1000, 500]);
});

test('circuit breaker: no merges for an hour of advances after the dependency comes back', () => {
  const up = [{ op: 'dependency', down: true }, { op: 'advance', ms: 500 }, { op: 'dependency', down: false, warmup_ms: 3600000 }];
  const ticks = [...Array(4)].map(() => ({ op: 'advance', ms: 500 }));
  assert.equal(compactSteps('circuit_breaker', [...up, ...ticks]).length, 3 + 4);
  // Boundaries inside the hour after it stay; from then on they merge again.
  const hour = [...Array(1800)].map(() => ({ op: 'advance', ms: 2000 }));
  const out = compactSteps('circuit_breaker', [...up, ...hour, ...ticks]);
  assert.equal(out.length, 3 + 1800 + 1);
  assert.ok(out.slice(3, 3 + 1799).every((s) => s.ms === 2000));
  assert.deepEqual(out.slice(-2), [{ op: 'advance', ms: 3500 }, { op: 'advance', ms: 500 }]);
  // Going down again resets the warm-up: merges are safe at once.
  assert.equal(compactSteps('circuit_breaker', [...up, { op: 'dependency', down: true }, ...ticks]).length, 3 + 1 + 2);
});

test('the log tracks its JSON size exactly through merges, undos and resets', () => {
  const random = rng(11);
  const log = new ActionLog('circuit_breaker');
  for (let i = 0; i < 2000; i += 1) {
    const r = random();
    if (r < 0.6) log.push({ op: 'advance', ms: 1 + Math.floor(random() * 900) });
    else if (r < 0.8) log.push({ op: 'call', count: 1 + Math.floor(random() * 5) });
    else if (r < 0.9) log.push({ op: 'dependency', down: random() < 0.5, note: 'Köln 🔑' });
    else if (log.length) log.reset(log.steps.slice(0, -1));  // Undo
    assert.equal(log.jsonBytes, Buffer.byteLength(JSON.stringify(log.steps)), `after action ${i}`);
  }
  assert.equal(jsonBytes({ line: 'é🔑' }), Buffer.byteLength(JSON.stringify({ line: 'é🔑' })));
});

// ---- the engine agrees ------------------------------------------------------------

test('rate limiter and API gateway: compacted logs replay to the same snapshot', async () => {
  const random = rng(1);
  const limiter = [];
  for (let i = 0; i < 600; i += 1) {
    const r = random();
    if (r < 0.6) limiter.push({ op: 'advance', ms: pick(random, [1, 7, 250, 1000, 60000]) });
    else if (r < 0.9) limiter.push({ op: 'hit', key: pick(random, ['a', 'b']) });
    else limiter.push({ op: 'burst', count: 3, key: 'a' });
  }
  const a = await assertCompactionExact('rate_limiter', {}, limiter);
  assert.ok(a.compacted < a.raw * 0.8, JSON.stringify(a));
  const gateway = [];
  for (let i = 0; i < 400; i += 1) {
    const r = random();
    if (r < 0.6) gateway.push({ op: 'advance', ms: pick(random, [1, 100, 1000]) });
    else gateway.push({ op: 'request', user: pick(random, ['alice', 'bob']), path: '/api/orders' });
  }
  const g = await assertCompactionExact('api_gateway', {}, gateway);
  assert.ok(g.compacted < g.raw * 0.8, JSON.stringify(g));
});

test('circuit breaker: live ticks, outages and warm-ups compact to the same snapshot', async () => {
  const random = rng(2);
  const steps = [];
  for (let i = 0; i < 500; i += 1) {
    const r = random();
    if (r < 0.75) steps.push({ op: 'advance', ms: pick(random, [100, 500, 500, 500, 1000]) });
    else if (r < 0.8) steps.push({ op: 'dependency', down: true });
    else if (r < 0.85) steps.push({ op: 'dependency', down: false, warmup_ms: pick(random, [0, 2000, 30000]) });
    else if (r < 0.9) steps.push({ op: 'load', rps: pick(random, [50, 200, 400]), duration_ms: pick(random, [300, 2000]) });
    else if (r < 0.95) steps.push({ op: 'call', count: 20 });
    else steps.push({ op: 'configure', retry: pick(random, ['off', 'immediate', 'backoff']), max_retries: 2 });
  }
  for (const config of [{}, { warmup_ms: 10000, rps: 300, bucket_ms: 100 }]) {
    const result = await assertCompactionExact('circuit_breaker', config, steps);
    assert.ok(result.compacted < result.raw, JSON.stringify(result));
  }
  // Long quiet stretches too (the series skips ahead past kept buckets).
  const quiet = [{ op: 'load', rps: 0 }, ...[...Array(40)].map(() => ({ op: 'advance', ms: 4000 })), { op: 'load', rps: 100 },
    ...[...Array(40)].map(() => ({ op: 'advance', ms: 500 }))];
  await assertCompactionExact('circuit_breaker', { bucket_ms: 10 }, quiet);
});

test('circuit breaker: why boundaries inside a warm-up stay (the capacity sample shows)', async () => {
  const config = { bucket_ms: 1000, rps: 0 };
  const comeBack = [{ op: 'dependency', down: true }, { op: 'advance', ms: 1000 }, { op: 'dependency', down: false, warmup_ms: 30000 }];
  const ticks = [...Array(8)].map(() => ({ op: 'advance', ms: 530 }));
  const raw = await replay('circuit_breaker', 3, config, [...comeBack, ...ticks]);
  const forced = await replay('circuit_breaker', 3, config, [...comeBack, { op: 'advance', ms: 8 * 530 }]);
  assert.notDeepEqual(forced.snapshot.series.capacity, raw.snapshot.series.capacity);
  assert.equal(compactSteps('circuit_breaker', raw.kept).length, raw.kept.length);
  // Without the come-back, the same merge is exact.
  await assertCompactionExact('circuit_breaker', config, ticks, { seed: 3 });
});

test('circuit breaker: the merge bound is accepted at the highest load any state allows', async () => {
  const session = await SimSession.create('circuit_breaker', { config: { rps: 100000, retry: 'immediate', max_retries: 10 } });
  assert.throws(() => session.apply({ op: 'advance', ms: 4546 }), /too long/);
  assert.ok(session.apply({ op: 'advance', ms: 4545 }));
  session.delete();
});

test('kafka: compacted logs replay to the same snapshot; the bound is the worst case\'s limit', async () => {
  const random = rng(3);
  const steps = [{ op: 'create_topic', name: 'events', partitions: 3, replication: 2 },
    { op: 'stream', topic: 'events', rate: 2000, keys: 'hot' },
    { op: 'consumer_join', group: 'g', id: 'c1', topic: 'events', rate: 1500 }];
  for (let i = 0; i < 300; i += 1) {
    const r = random();
    if (r < 0.8) steps.push({ op: 'advance', ms: pick(random, [10, 50, 100, 250]) });
    else if (r < 0.85) steps.push({ op: 'kill_broker', id: 2 });
    else if (r < 0.9) steps.push({ op: 'start_broker', id: 2 });
    else if (r < 0.95) steps.push({ op: 'produce', topic: 'events', key: 'k', value: 'v' });
    else steps.push({ op: 'poll', group: 'g', id: 'c1', max: 100 });
  }
  const result = await assertCompactionExact('kafka', { brokers: 3 }, steps);
  assert.ok(result.compacted < result.raw * 0.7, JSON.stringify(result));
  // 8 topics streaming 1e6 records/s each: 626 ms is refused, so 625 is the bound.
  const session = await SimSession.create('kafka', { config: { brokers: 1 } });
  for (let t = 0; t < 8; t += 1) {
    session.apply({ op: 'create_topic', name: `t${t}`, partitions: 1, replication: 1 });
    session.apply({ op: 'stream', topic: `t${t}`, rate: 1000000, value_bytes: 0 });
  }
  assert.throws(() => session.apply({ op: 'advance', ms: 626 }), /5000000/);
  session.delete();
});

// ---- links and files ------------------------------------------------------------------

test('the incremental encoder writes exactly what encodeState writes', () => {
  const random = rng(5);
  const log = new ActionLog('rate_limiter');
  const encoder = new StateEncoder();
  let config = { limit: 5 };
  for (let i = 0; i < 1500; i += 1) {
    const r = random();
    if (r < 0.5) log.push({ op: 'advance', ms: 1 + Math.floor(random() * 50) });
    else if (r < 0.9) log.push({ op: 'hit', key: pick(random, ['a', 'Köln', '🔑', 'x'.repeat(1 + (i % 5))]) });
    else if (r < 0.95) log.reset(log.steps.slice(0, -1));  // Undo
    else if (r < 0.97) log.reset(log.steps.slice(0, Math.floor(log.length / 2)));
    else config = { limit: 1 + Math.floor(random() * 9) };
    if (i % 7 === 0 || i > 1400) {
      assert.equal(encoder.encode(3, config, log), encodeState({ seed: 3, config, steps: log.steps }), `after action ${i}`);
    }
  }
});

test('one parameter changes, the others keep their text', () => {
  assert.equal(hashWithParam('', 'a', 'x'), 'a=x');
  assert.equal(hashWithParam('#a=1&b=2', 'a', 'x'), 'a=x&b=2');
  assert.equal(hashWithParam('#b=2&a=1', 'a', null), 'b=2');
  assert.equal(hashWithParam('#b=%2Fkeep', 'my key', 'v'), 'b=%2Fkeep&my+key=v');
  assert.equal(new URLSearchParams(hashWithParam('#my+key=old&c=3', 'my key', 'new')).get('my key'), 'new');
});

test('an exported file is the scenario sdp run replays, and reads back', async () => {
  const steps = [{ op: 'command', line: 'ZADD jobs 1 a 2 b' }, { op: 'command', line: 'ZRANGE jobs 0 -1' }];
  const text = scenarioFileText('redis_zset', { seed: 9, config: { draw_nodes: 24 }, steps });
  assert.deepEqual(Object.keys(JSON.parse(text)), ['sim', 'seed', 'config', 'steps']);
  const out = JSON.parse(await runScenario(text));
  assert.deepEqual(out.results[1].reply.value.map((r) => r.value), ['a', 'b']);
  assert.deepEqual(parseScenarioFile(text, 'redis_zset'), { seed: 9, config: { draw_nodes: 24 }, steps });
  assert.throws(() => parseScenarioFile(text, 'redis_geo'), /That file is for "redis_zset"; this widget runs "redis_geo"\./);
  assert.throws(() => parseScenarioFile('{"sim":', 'redis_zset'), /not valid JSON/);
  assert.throws(() => parseScenarioFile('[1]', 'redis_zset'), /expected a JSON object/);
  assert.throws(() => parseScenarioFile('{"sim":"redis_zset","steps":{}}', 'redis_zset'), /not a list of steps/);
  for (const seed of ['-2', '4294967296', '1.5', '"7"']) {
    assert.throws(() => parseScenarioFile(`{"sim":"redis_zset","seed":${seed}}`, 'redis_zset'),
      /^Error: That file's "seed" is refused: it must be an integer in \[0, 4294967295\]\.$/, seed);
  }
});

test('a lone surrogate is found and explained in a sentence', async () => {
  assert.equal(findLoneSurrogate({ op: 'command', line: 'SET k 🔑' }), null);
  assert.deepEqual(findLoneSurrogate({ op: 'command', line: 'SET k \uD83D' }), { field: 'line', index: 6 });
  assert.deepEqual(findLoneSurrogate({ op: 'produce', key: '\uDC00x' }), { field: 'key', index: 0 });
  assert.match(loneSurrogateMessage({ field: 'line', index: 6 }), /^The text has a broken character \(position 7 of "line"\): .*\.$/);
  // What the engine would have said instead.
  const session = await SimSession.create('redis_zset');
  assert.throws(() => session.apply({ op: 'command', line: 'SET k \uD83D' }), /parse_error\.101/);
  session.delete();
});

test('time travel: merged steps count their session steps; truncate keeps the first n as they were', () => {
  const log = new ActionLog('kafka');
  const advance = (ms) => ({ op: 'advance', ms });
  // 100 + 200 merge (<= 625 ms) once 400 arrives; 300 + 400 would not.
  for (const [i, step] of [advance(100), advance(200), advance(400), { op: 'produce', topic: 't' }].entries()) log.push(step, { i });
  assert.deepEqual(log.steps, [advance(300), advance(400), { op: 'produce', topic: 't' }]);
  assert.equal(log.sessionSteps(1), 2, 'the merged step stands for two session steps');
  assert.equal(log.sessionSteps(3), 4);
  assert.deepEqual(log.resultAt(0), { i: 1 }, 'a merge keeps the later result');
  const generation = log.generation;
  log.truncate(2);
  assert.deepEqual(log.steps, [advance(300), advance(400)]);
  assert.equal(log.sessionSteps(2), 3);
  assert.notEqual(log.generation, generation, 'a link encoder starts again');
  assert.equal(log.jsonBytes, Buffer.byteLength(JSON.stringify(log.steps)));
  // Pushing after a truncate merges as if the log had always been this.
  log.push(advance(25));
  log.push(advance(1));
  assert.deepEqual(log.steps, [advance(300), advance(425), advance(1)]);
  assert.equal(log.sessionSteps(3), 5);
});
