// Contract 4: every scenario gives byte-identical output from the native CLI
// and from the wasm runScenario; the CLI behaves as DESIGN.md contract 3 says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario, listSims } from '../../dist/wasm/sdp.mjs';

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

test('sdp list and the wasm listSims agree', async () => {
  const native = JSON.parse(execFileSync(sdp, ['list'], { encoding: 'utf8' }));
  assert.deepEqual(native, await listSims());
});
