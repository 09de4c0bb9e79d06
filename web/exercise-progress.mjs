// Which exercises the learner has passed, kept in localStorage under one
// namespaced key. Whatever is stored there (another page's value, a
// hand-edited or truncated one) is read as "nothing passed" rather than
// trusted; storage that refuses to write (private mode, quota) is ignored.

export const PROGRESS_KEY = 'sdp.exercises.v1';

export function readProgress(storage = globalThis.localStorage) {
  let parsed;
  try {
    parsed = JSON.parse(storage?.getItem(PROGRESS_KEY) ?? '{}');
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const passed = {};
  for (const [id, entry] of Object.entries(parsed)) {
    if (entry && typeof entry === 'object' && entry.passed === true) passed[id] = { passed: true };
  }
  return passed;
}

export function markPassed(id, storage = globalThis.localStorage) {
  const progress = readProgress(storage);
  progress[id] = { passed: true };
  try {
    storage?.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    // not kept: the page still says "passed" until it is left
  }
  return progress;
}
