// What the real-Redis suites share: running a scenario through our native CLI
// (`sdp run -`, the same code the wasm build runs), turning argv into the
// redis-cli line our sims parse, and a small seeded generator so that a
// failing random sequence can be replayed.
//
// SDP_CLI picks the binary (default build/native/sdp).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mulberry32 } from './mulberry32.mjs';

export const CLI = process.env.SDP_CLI ?? 'build/native/sdp';

// Runs {sim, seed, config?, steps} and returns the CLI's parsed output.
export function runScenario(scenario) {
  const out = spawnSync(CLI, ['run', '-'], { input: JSON.stringify(scenario), maxBuffer: 1 << 28 });
  assert.equal(out.status, 0, `${CLI} run - failed: ${out.stderr}`);
  return JSON.parse(out.stdout.toString('utf8'));
}

// A redis-cli line that SplitCommandLine turns back into exactly `argv`:
// every argument quoted, quotes and backslashes escaped, control bytes as \xHH.
export function cliLine(argv) {
  return argv
    .map((arg) => {
      let out = '"';
      for (const ch of arg) {
        const code = ch.codePointAt(0);
        if (ch === '"' || ch === '\\') out += `\\${ch}`;
        else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
        else out += ch;
      }
      return `${out}"`;
    })
    .join(' ');
}

// Each argv as one `command` step of `sim`; returns the per-step results.
export function runCommands(sim, commands, seed) {
  return runScenario({ sim, seed, steps: commands.map((argv) => ({ op: 'command', line: cliLine(argv) })) }).results;
}

// A seeded generator (mulberry32) with the helpers the random tests use.
export function makeRng(seed) {
  const next = mulberry32(seed);
  const int = (n) => Math.floor(next() * n);
  const pick = (items) => items[int(items.length)];
  const uniform = (lo, hi) => lo + (hi - lo) * next();
  return { next, int, pick, uniform, chance: (p) => next() < p };
}

// A command name in upper or (30% of the time) lower case: Redis accepts both.
export function caseOf(rng, word) {
  return rng.chance(0.3) ? word.toLowerCase() : word;
}

// The differential loop: runs `commands` through our `sim` and through a real
// server (`client`, tests/js/resp_client.mjs) and requires, for every
// command, that we accepted the step, split the line back into the same argv
// and gave exactly the server's reply. `visit(argv, reply)` sees each reply.
export async function compareWithServer(client, sim, commands, seed, visit = () => {}) {
  const ours = runCommands(sim, commands, seed);
  assert.equal(ours.length, commands.length);
  for (let i = 0; i < commands.length; i += 1) {
    const expected = await client.call(commands[i]);
    const where = `seed ${seed}, command #${i}: ${JSON.stringify(commands[i])}`;
    assert.ok(!('error' in ours[i]), `${where}: our step was refused: ${ours[i].error}`);
    assert.deepEqual(ours[i].argv, commands[i], `${where}: redis-cli line split differently`);
    assert.deepEqual(ours[i].reply, expected, where);
    visit(commands[i], expected);
  }
  return ours;
}
