// Prints each scenario's tour text with its {{...}} numbers filled from a run
// of the native CLI: the quick way to check a tour while editing it (the
// build fills them the same way from the wasm engine; native == wasm).
//   node scripts/tour_preview.mjs [scenarios/DIR/FILE.json ...]   (default: all)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillPlaceholders, hasPlaceholders } from './tour_text.mjs';

const cli = process.env.SDP_CLI ?? 'build/native/sdp';
let files = process.argv.slice(2);
if (files.length === 0) {
  for (const dir of readdirSync('scenarios').sort())
    for (const f of readdirSync(join('scenarios', dir)).sort())
      if (f.endsWith('.json')) files.push(join('scenarios', dir, f));
}
let failures = 0;
for (const file of files) {
  const scenario = JSON.parse(readFileSync(file, 'utf8'));
  const text = scenario.description;
  if (typeof text !== 'string' || !hasPlaceholders(text)) continue;
  try {
    const output = JSON.parse(execFileSync(cli, ['run', file], { maxBuffer: 1 << 30 }));
    console.log(`${file}:\n  ${fillPlaceholders(text, output, file)}\n`);
  } catch (e) {
    failures++;
    console.error(`${file}: ${e.message}`);
  }
}
process.exitCode = failures ? 1 : 0;
