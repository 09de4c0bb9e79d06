// The target for the realtime sim: 10,000 clients x 10 minutes of
// events at 10 events/s, each technique simulated in under 1 s in wasm.
// Runs the same scenario (create, then ten `advance` steps of a minute, as
// a widget would: a step's work is capped) natively (`build/native/sdp run`)
// and in wasm (this tree's module, `runScenario`, in node), and prints a
// markdown table: wall and CPU seconds, fastest of RUNS. CPU seconds are
// the fairer figure on a shared machine (bench/realtime.md).
//
// Usage, after building build/native/sdp and the wasm module:
//   node bench/realtime.mjs [runs]      (default 3)
// SDP_NATIVE=path/to/sdp and SDP_WASM_DIR=dir measure another build (the
// "before" figures of bench/realtime.md are main's build at d78d410).
// SDP_TECHNIQUES=short_polling,long_polling measures only those.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TECHNIQUES } from '../web/realtime-columns.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.env.SDP_WASM_DIR ??= path.join(root, 'build/wasm');
const { runScenario } = await import('../wasm/sdp.mjs');
const RUNS = Number(process.argv[2] ?? 3);
const NATIVE = process.env.SDP_NATIVE ?? path.join(root, 'build/native/sdp');

const scenario = (technique) => JSON.stringify({
  sim: 'realtime', seed: 1,
  config: { technique, clients: 10000, rate: 10, size: 100 },
  steps: Array.from({ length: 10 }, () => ({ op: 'advance', ms: 60000 })),
});

function check(text, where) {
  const out = JSON.parse(text);
  const stopped = out.results.find((r) => r.error || r.stopped);
  if (stopped) throw new Error(`${where}: ${JSON.stringify(stopped)}`);
  return out.snapshot.metrics;
}

// bash's `time` gives the child's user and system CPU seconds.
function nativeTimed(technique) {
  const started = process.hrtime.bigint();
  const result = execFileSync('bash', ['-c', `TIMEFORMAT='%U %S'; { time "${NATIVE}" run - > /dev/null; } 2>&1`],
    { input: scenario(technique), encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const [user, sys] = result.trim().split(/\s+/).map(Number);
  return { wall, cpu: user + sys };
}

async function wasm(technique) {
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const text = await runScenario(scenario(technique));
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, text };
}

const best = (runs) => ({ wall: Math.min(...runs.map((r) => r.wall)), cpu: Math.min(...runs.map((r) => r.cpu)) });
console.log(`realtime, 10,000 clients x 600 s x 10 events/s, fastest of ${RUNS} (${new Date().toISOString().slice(0, 10)})`);
console.log('| technique | deliveries | requests | native wall s | native CPU s | wasm wall s | wasm CPU s |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
const only = process.env.SDP_TECHNIQUES?.split(',');
for (const technique of TECHNIQUES.filter((t) => !only || only.includes(t))) {
  const n = [];
  const w = [];
  let metrics;
  for (let run = 0; run < RUNS; run++) {
    n.push(nativeTimed(technique));
    const r = await wasm(technique);
    metrics = check(r.text, `wasm ${technique}`);
    w.push(r);
  }
  const bn = best(n);
  const bw = best(w);
  console.log(`| ${technique} | ${metrics.deliveries.toLocaleString('en-US')} | ${metrics.requests.toLocaleString('en-US')} | ${bn.wall.toFixed(2)} | ${bn.cpu.toFixed(2)} | ${bw.wall.toFixed(2)} | ${bw.cpu.toFixed(2)} |`);
}
