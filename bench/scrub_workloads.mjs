// bench/scrub_workloads.json, read once for bench/scrub.mjs (wasm under
// node) and bench/scrub_browser.mjs (Chromium); bench/scrub_bench.cpp
// reads the same fields natively (Load).
import { readFileSync } from 'node:fs';

export const { workloads } = JSON.parse(readFileSync(new URL('./scrub_workloads.json', import.meta.url)));

// A workload's steps: the widget's own start (what it applies when it opens),
// the user's setup, then `count` rounds of `step` (one step or a list); the
// first `total` steps when given.
export function stepsOf(w, total = null) {
  const round = [w.step].flat();
  const steps = [...w.start, ...(w.setup ?? [])];
  for (let i = 0; total === null ? i < w.count : steps.length < total; i += 1) steps.push(...round);
  return total === null ? steps : steps.slice(0, total);
}

// What the bench adds as actions to a widget that has applied its own start.
export const actionsAfterStart = (w, total = null) => stepsOf(w, total).slice(w.start.length);
