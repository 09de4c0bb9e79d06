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
