// Tour texts take their numbers from the run ({{...}} placeholders, filled by
// the build): the resolver's rules, and every canonical scenario's
// placeholders resolving against its own `sdp run` output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillPlaceholders, hasPlaceholders } from '../../scripts/tour_text.mjs';
import { runScenario } from './sdp_cli.mjs';

const output = { results: [{ partition: 3 }, { error: 'x' }], snapshot: { metrics: { share: 0.4567, lost: 0, p99_us: 20550 } } };

test('placeholders are filled from the output, with pct, fixed and ms formats', () => {
  assert.equal(fillPlaceholders('key goes to p{{results.0.partition}}', output), 'key goes to p3');
  assert.equal(fillPlaceholders('{{ snapshot.metrics.lost }} lost', output), '0 lost');
  assert.equal(fillPlaceholders('{{snapshot.metrics.share|pct}}', output), '46%');
  assert.equal(fillPlaceholders('{{snapshot.metrics.share|fixed:2}}', output), '0.46');
  assert.equal(fillPlaceholders('p99 {{snapshot.metrics.p99_us|ms}}', output), 'p99 21 ms');
  assert.equal(fillPlaceholders('no placeholder {here}', output), 'no placeholder {here}');
  assert.ok(hasPlaceholders('a {{b}} c'));
  assert.ok(!hasPlaceholders('a {b} c'));
});

test('a placeholder that names nothing, an object or a bad format is an error naming it', () => {
  assert.throws(() => fillPlaceholders('{{results.2.partition}}', output, 'kafka/x.json'),
    /kafka\/x\.json: \{\{results\.2\.partition\}\} names nothing/);
  assert.throws(() => fillPlaceholders('{{snapshot.metrics}}', output), /is an object/);
  assert.throws(() => fillPlaceholders('{{results.1.error|pct}}', output), /not a number/);
  assert.throws(() => fillPlaceholders('{{snapshot.metrics.lost|round}}', output), /unknown format \|round/);
});

test('every canonical tour text resolves against its own run', () => {
  let filled = 0;
  for (const dir of readdirSync('scenarios').sort()) {
    for (const file of readdirSync(join('scenarios', dir)).filter((f) => f.endsWith('.json')).sort()) {
      const scenario = JSON.parse(readFileSync(join('scenarios', dir, file), 'utf8'));
      if (typeof scenario.description !== 'string' || !hasPlaceholders(scenario.description)) continue;
      const text = fillPlaceholders(scenario.description, runScenario(scenario), `${dir}/${file}`);
      assert.ok(!text.includes('{{'), `${dir}/${file}: unfilled placeholder left`);
      filled += 1;
    }
  }
  console.log(`# ${filled} tour texts with numbers from the run`);
});
