// Tour texts state numbers that come from the run, never typed by hand: a
// scenario's "description" may hold {{PATH}} placeholders, PATH being a dot
// path into that scenario's output document (the one `sdp run` prints), array
// indexes as numbers: {{results.5.hot_partitions}}, {{snapshot.metrics.lost}}.
// Formats: {{PATH|pct}} (x100, rounded, with %), {{PATH|fixed:N}} (N decimals),
// {{PATH|ms}} (microseconds shown as whole milliseconds, with "ms").
// The build fills them (bundle_scenarios.mjs); a path that does not resolve
// fails the build with the scenario and the placeholder named.

const PLACEHOLDER = /\{\{\s*([^}|\s]+)\s*(?:\|\s*([a-z]+)(?::(\d+))?\s*)?\}\}/g;

function lookup(output, path) {
  let value = output;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

function format(value, kind, digits, where) {
  if (kind === undefined) {
    if (value !== null && typeof value === 'object') throw new Error(`${where} is an object, not a value`);
    return String(value);
  }
  if (typeof value !== 'number') throw new Error(`${where} is not a number, so |${kind} cannot format it`);
  if (kind === 'pct') return `${Math.round(value * 100)}%`;
  if (kind === 'fixed') return value.toFixed(Number(digits ?? 0));
  if (kind === 'ms') return `${Math.round(value / 1000)} ms`;
  throw new Error(`${where}: unknown format |${kind} (allowed: pct, fixed:N, ms)`);
}

// Returns `text` with every placeholder filled from `output`; throws an Error
// naming the first placeholder that does not resolve.
export function fillPlaceholders(text, output, name = 'scenario') {
  return text.replace(PLACEHOLDER, (_, path, kind, digits) => {
    const where = `${name}: {{${path}}}`;
    const value = lookup(output, path);
    if (value === undefined) throw new Error(`${where} names nothing in the run's output`);
    return format(value, kind, digits, where);
  });
}

export function hasPlaceholders(text) {
  return new RegExp(PLACEHOLDER.source).test(text);
}
