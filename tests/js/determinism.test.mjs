// Contract 4: every scenario gives byte-identical output from the native CLI
// and from the wasm runScenario; the CLI behaves as DESIGN.md contract 3 says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listSims, runScenario, SimSession } from '../../dist/wasm/sdp.mjs';
import { decodeState, encodeState } from '../../dist/web/url-state.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sdp = join(root, 'build/native/sdp');
const scenarioFiles = readdirSync(join(root, 'scenarios'), { recursive: true })
  .filter((f) => f.endsWith('.json'))
  .sort();

test('there are canonical scenarios to check', () => {
  assert.ok(scenarioFiles.length >= 3, `found ${scenarioFiles.length}`);
});

for (const file of scenarioFiles) {
  test(`native == wasm, byte for byte: ${file}`, async () => {
    const path = join(root, 'scenarios', file);
    const native = execFileSync(sdp, ['run', path], { encoding: 'utf8' });
    const wasm = await runScenario(readFileSync(path, 'utf8'));
    assert.equal(native, `${wasm}\n`);
    const output = JSON.parse(wasm);
    const steps = JSON.parse(readFileSync(path, 'utf8')).steps;
    assert.equal(output.results.length, steps.length, 'one result per step');
  });
}

test('sdp run - reads stdin; invalid steps are error results; later steps still run', () => {
  const input = JSON.stringify({ sim: 'hash_ring', steps: [
    { op: 'add_node', id: 'A' }, { op: 'remove_node', id: 'B' }, { op: 'lookup', key: 'k' }] });
  const out = JSON.parse(execFileSync(sdp, ['run', '-'], { input, encoding: 'utf8' }));
  assert.equal(out.sim, 'hash_ring');
  assert.deepEqual(out.results[1], { error: 'remove_node: no node "B"; nodes are: A' });
  assert.equal(out.results[2].node, 'A');
});

test('sdp exits non-zero with a one-line message for bad files and unknown sims', () => {
  for (const [input, pattern] of [['{oops', /not valid JSON/], ['{"sim":"kafka2"}', /unknown sim "kafka2"/]]) {
    const r = spawnSync(sdp, ['run', '-'], { input, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  const missing = spawnSync(sdp, ['run', '/nonexistent.json'], { encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /cannot read/);
  assert.notEqual(spawnSync(sdp, ['frobnicate'], { encoding: 'utf8' }).status, 0);
});

test('sdp run --work-budget stops heavy scenarios step by step, and refuses bad values', () => {
  const input = JSON.stringify({ sim: 'hash_ring', steps: [
    { op: 'add_node', id: 'A' }, { op: 'add_keys', count: 5000 }, { op: 'add_node', id: 'B' }] });
  const out = JSON.parse(execFileSync(sdp, ['run', '--work-budget', '3000', '-'], { input, encoding: 'utf8' }));
  assert.equal(out.results[1].added, 5000);
  assert.match(out.results[2].error, /work budget used up \(3000 units\)/);
  assert.equal(out.snapshot.nodes.length, 1, 'the refused step changed nothing');
  const bad = spawnSync(sdp, ['run', '--work-budget', 'lots', '-'], { input, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--work-budget takes a positive whole number/);
});

test('sdp list and the wasm listSims agree', async () => {
  const native = JSON.parse(execFileSync(sdp, ['list'], { encoding: 'utf8' }));
  assert.deepEqual(native, await listSims());
});

// What the widgets do with a share link: state = seed + config + action log.
async function replay({ sim, seed, config, steps }) {
  const session = await SimSession.create(sim, { seed, config });
  const results = steps.map((step) => {
    try { return session.apply(step); } catch (error) { return { error: error.message }; }
  });
  return { session, results };
}

for (const file of scenarioFiles) {
  test(`same process, same bytes; interrupted by a share link == straight: ${file}`, async () => {
    const text = readFileSync(join(root, 'scenarios', file), 'utf8');
    assert.equal(await runScenario(text), await runScenario(text));

    const scenario = JSON.parse(text);
    const base = { sim: scenario.sim, seed: scenario.seed ?? 1, config: scenario.config ?? {} };
    const straight = await replay({ ...base, steps: scenario.steps });
    const cut = Math.floor(scenario.steps.length / 2);
    const first = await replay({ ...base, steps: scenario.steps.slice(0, cut) });
    const link = encodeState({ seed: base.seed, config: base.config, steps: scenario.steps.slice(0, cut) });
    first.session.delete();
    const restored = decodeState(link);
    const resumed = await replay({ ...base, seed: restored.seed, config: restored.config, steps: restored.steps });
    const rest = scenario.steps.slice(cut).map((step) => {
      try { return resumed.session.apply(step); } catch (error) { return { error: error.message }; }
    });
    assert.deepEqual(rest, straight.results.slice(cut));
    assert.deepEqual(resumed.session.snapshot({ full: true }), straight.session.snapshot({ full: true }));
    straight.session.delete();
    resumed.session.delete();
  });
}
