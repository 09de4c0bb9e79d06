// bench/architecture.md's wasm figures: the 10-component, 10k req/s, 60 s
// architecture (bench/architecture_10k.json) run in node on build/wasm's
// module, in six 10 s steps (runScenario, as `sdp run` does natively) and
// as one 60 s step through a SimSession (the page's path, with the step
// budget on). CPU time of this process; best of three.
//   SDP_WASM_DIR=build/wasm node bench/architecture_bench.mjs
import { readFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { runScenario, SdpError, SimSession } from '../wasm/sdp.mjs';

const scenario = JSON.parse(readFileSync(new URL('./architecture_10k.json', import.meta.url), 'utf8'));
const cpu = () => { const u = cpuUsage(); return (u.user + u.system) / 1e6; };

async function best(label, fn) {
  let min = Infinity;
  let detail = '';
  for (let i = 0; i < 3; i++) {
    const t0 = cpu();
    detail = await fn();
    min = Math.min(min, cpu() - t0);
  }
  console.log(`| ${label} | ${min.toFixed(2)} s | ${detail} |`);
}

await runScenario(scenario); // load and compile the module first
await best('six 10 s steps (runScenario)', async () => {
  const out = JSON.parse(await runScenario(scenario));
  return `${out.snapshot.events.toLocaleString('en-US')} events, p99 ${out.snapshot.end_to_end.p99_ms} ms`;
});
await best('one 60 s step (SimSession, step budget on)', async () => {
  const session = await SimSession.create('architecture', { seed: scenario.seed, config: scenario.config });
  try {
    for (const step of scenario.steps.filter((s) => s.op !== 'advance')) session.apply(step);
    session.apply({ op: 'advance', ms: 60000 });
    return 'ran';
  } catch (error) {
    if (!(error instanceof SdpError)) throw error;
    return `refused: ${error.message}`;
  } finally {
    session.delete();
  }
});
