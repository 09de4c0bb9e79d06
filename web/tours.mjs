// Guided tours are the canonical scenarios in scenarios/ (one source for
// tests, benchmarks and presets). make_dist.sh turns them into scenarios.mjs.
import scenarios from './scenarios.mjs';

export function toursFor(sim) {
  return Object.keys(scenarios)
    .sort()
    .map((path) => scenarios[path])
    .filter((s) => s.sim === sim && s.title)
    .map((s) => ({ title: s.title, description: s.description ?? '', seed: s.seed ?? 1, config: s.config ?? {}, steps: s.steps ?? [] }));
}

// One canonical scenario by its path ("architecture/01_url_shortener.json"),
// or undefined: a widget that applies a worked example's steps.
export function scenarioAt(path) {
  return scenarios[path];
}
