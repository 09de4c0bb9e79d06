// Writes OUT (web/scenarios.mjs in dist/): every canonical scenario, keyed by
// "dir/file.json", for the widgets' guided tours. Tour descriptions with
// {{...}} placeholders are filled from the scenario's own run in the wasm
// engine (tour_text.mjs), so a tour never states a number the run does not.
//   SDP_WASM_DIR=build/wasm node scripts/bundle_scenarios.mjs scenarios OUT
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../wasm/sdp.mjs';
import { fillPlaceholders, hasPlaceholders } from './tour_text.mjs';

const [, , sourceDir, outFile] = process.argv;
const all = {};
for (const dir of readdirSync(sourceDir).sort()) {
  for (const file of readdirSync(join(sourceDir, dir)).sort()) {
    if (!file.endsWith('.json')) continue;
    const name = `${dir}/${file}`;
    const scenario = JSON.parse(readFileSync(join(sourceDir, dir, file), 'utf8'));
    if (typeof scenario.description === 'string' && hasPlaceholders(scenario.description)) {
      const output = JSON.parse(await runScenario(scenario));
      scenario.description = fillPlaceholders(scenario.description, output, name);
    }
    all[name] = scenario;
  }
}
writeFileSync(outFile, `export default ${JSON.stringify(all)};\n`);
