// Entry point of exercises.html: the list of exercises by topic and
// difficulty (with the learner's progress), and one exercise at a time
// (#<exercise id>): its widget in the starting state, the task, Check
// (web/exercise-grader.mjs), the per-seed results, hints one by one, Reset.
import { loadSdp } from '../wasm/sdp.mjs';
import { el } from './dom.mjs';
import { checkShape, DIFFICULTIES, formatValue } from './exercise-format.mjs';
import { gradeScenario } from './exercise-grader.mjs';
import { markPassed, readProgress } from './exercise-progress.mjs';
import { defineWidgets } from './widgets.mjs';

const INDEX_URL = 'exercises/index.json';
const WIDGET_READY_MS = 15000;
const root = document.getElementById('exercises');

defineWidgets();

function showLoadError(message) {
  const banner = document.getElementById('load-error');
  banner.textContent = message;
  banner.hidden = false;
}

// The exercises, and the files refused: one that cannot be read, is not
// JSON, or fails the format's checks (checkShape; the engine-backed checks
// are scripts/check-exercise.mjs's) is listed with its mistakes, naming
// the field, and left out; the others still load.
async function loadExercises() {
  const response = await fetch(INDEX_URL);
  if (!response.ok) throw new Error(`${INDEX_URL}: HTTP ${response.status}`);
  const paths = await response.json();
  if (!Array.isArray(paths)) throw new Error(`${INDEX_URL} is not a list of files`);
  const loaded = await Promise.all(paths.map(async (path) => {
    const file = `exercises/${path}`;
    let exercise;
    try {
      const reply = await fetch(file);
      if (!reply.ok) return { file, problems: [{ field: '(file)', error: `HTTP ${reply.status}` }] };
      exercise = JSON.parse(await reply.text());
    } catch (error) {
      return { file, problems: [{ field: '(file)', error: `not valid JSON: ${error.message}` }] };
    }
    const problems = checkShape(exercise);
    return problems.length ? { file, problems } : { exercise };
  }));
  const ids = new Set();
  for (const entry of loaded.filter((e) => e.exercise)) {
    if (ids.has(entry.exercise.id)) entry.problems = [{ field: 'id', error: `id ${JSON.stringify(entry.exercise.id)} is used by another exercise` }];
    ids.add(entry.exercise.id);
  }
  return {
    exercises: loaded.filter((e) => e.exercise && !e.problems).map((e) => e.exercise),
    refused: loaded.filter((e) => e.problems).map((e) => ({ file: e.file ?? e.exercise.id, problems: e.problems })),
  };
}

const byDifficulty = (a, b) => DIFFICULTIES.indexOf(a.difficulty) - DIFFICULTIES.indexOf(b.difficulty) || a.id.localeCompare(b.id);

// ?widgets=kafka,cap (a topic page's link): only those widgets' exercises.
// Returns null when the page lists them all.
function widgetFilter() {
  const names = new URLSearchParams(window.location.search).get('widgets');
  return names === null ? null : new Set(names.split(',').map((name) => `sdp-${name.trim()}`));
}

// What the filtered list shows, as the list's first children (none unfiltered).
function filterNote(filter, shown) {
  if (!filter) return [];
  const text = shown.length
    ? `Showing the ${shown.length} exercises of this topic's widgets. `
    : 'No exercise for the widgets this link names. ';
  return [el('p', { class: 'exercise-filter' }, text, el('a', { href: 'exercises.html', text: 'All exercises' }))];
}

function renderList(allExercises, refused) {
  const filter = widgetFilter();
  const exercises = filter ? allExercises.filter((e) => filter.has(e.widget)) : allExercises;
  const progress = readProgress();
  const topics = [...new Set(exercises.map((e) => e.topic))].sort();
  const passed = exercises.filter((e) => progress[e.id]).length;
  root.replaceChildren(
    ...filterNote(filter, exercises),
    el('p', { class: 'exercise-progress', text: `Passed ${passed} of ${exercises.length}.` }),
    ...topics.map((topic) => el('section', { class: 'exercise-topic' },
      el('h2', { text: topic }),
      el('ul', { class: 'exercise-list' }, ...exercises.filter((e) => e.topic === topic).sort(byDifficulty).map((e) => el('li', {},
        el('a', { href: `#${e.id}`, text: e.title }), ' ',
        el('span', { class: `difficulty ${e.difficulty}`, text: e.difficulty }),
        progress[e.id] ? el('span', { class: 'passed-mark', text: '✓ passed' }) : null))))),
    refused.length ? el('section', { class: 'exercise-refused', role: 'alert' },
      el('h2', { text: 'Exercise files refused' }),
      el('p', { text: 'These files are not valid exercises (docs/exercises.md); each mistake names its field.' }),
      el('ul', {}, ...refused.map((r) => el('li', {}, el('code', { text: r.file }),
        el('ul', {}, ...r.problems.map((p) => el('li', { text: `${p.field}: ${p.error}` }))))))) : '');
  document.title = 'Exercises — System Design Playground';
}

// The widget has started once it holds a session (its start is async).
async function widgetReady(widget) {
  const until = Date.now() + WIDGET_READY_MS;
  while (!widget.session) {
    if (Date.now() > until) throw new Error(`${widget.localName} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function allowedText(exercise) {
  const parts = [];
  for (const [name, range] of Object.entries(exercise.allow.config ?? {})) parts.push(`config ${name}${rangeText(range)}`);
  for (const [op, fields] of Object.entries(exercise.allow.ops ?? {})) {
    const limits = Object.entries(fields).map(([f, r]) => `${f}${rangeText(r)}`).join(', ');
    parts.push(`${op}${limits ? ` (${limits})` : ''}`);
  }
  return parts.join('; ');
}

// {op: 'advance', ms: 30000} -> "advance ms=30000"
function stepText({ op, ...fields }) {
  return [op, ...Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)].join(' ');
}

function rangeText(range) {
  if (range?.one_of) return ` one of ${range.one_of.join(', ')}`;
  if (range?.min !== undefined || range?.max !== undefined) return ` in [${range.min ?? '…'}, ${range.max ?? '…'}]`;
  return '';
}

function renderExercise(exercise) {
  const widget = document.createElement(exercise.widget);
  const hintList = el('ol', { class: 'hints' });
  const hintButton = el('button', { type: 'button', text: `Show a hint (${exercise.hints.length} left)` });
  const status = el('p', { class: 'check-status', role: 'status', 'aria-live': 'polite' });
  const results = el('div', { class: 'check-results' });
  const checkButton = el('button', { type: 'button', class: 'primary', text: 'Check', disabled: true });
  const resetButton = el('button', { type: 'button', text: 'Reset exercise', disabled: true });
  const start = () => widget.loadState({ seed: exercise.start.seed, config: exercise.start.config ?? {}, steps: exercise.start.steps ?? [] });

  hintButton.addEventListener('click', () => {
    const shown = hintList.children.length;
    if (shown < exercise.hints.length) hintList.append(el('li', { text: exercise.hints[shown] }));
    const left = exercise.hints.length - hintList.children.length;
    hintButton.textContent = left ? `Show a hint (${left} left)` : 'No more hints';
    hintButton.disabled = left === 0;
  });
  checkButton.addEventListener('click', async () => {
    checkButton.disabled = true;
    const { position, length } = widget.timeline;
    const moment = position < length ? ` the moment shown (after ${position} of ${length} actions)` : '';
    status.textContent = `Checking${moment} on ${exercise.hidden_seeds.length} hidden seeds…`;
    results.replaceChildren();
    try {
      const grade = await gradeScenario(exercise, widget.shownScenario(), {
        onSeed: (index, count) => { status.textContent = `Checking hidden seed ${index + 1} of ${count}…`; },
      });
      showGrade(exercise, grade, status, results);
    } catch (error) {
      status.textContent = `The check could not run: ${error.message}`;
    } finally {
      checkButton.disabled = false;
    }
  });
  resetButton.addEventListener('click', async () => {
    await start();
    results.replaceChildren();
    status.textContent = 'Back to the starting state.';
  });

  root.replaceChildren(el('article', { class: 'exercise' },
    el('p', {}, el('a', { href: '#', text: '← All exercises' })),
    el('h2', { text: exercise.title }),
    el('p', { class: 'exercise-meta' }, el('span', { class: `difficulty ${exercise.difficulty}`, text: exercise.difficulty }), ` ${exercise.topic}`),
    el('p', { class: 'task', text: exercise.task }),
    el('p', { class: 'allowed', text: `You may change: ${allowedText(exercise)}. Everything else stays as it starts.` }),
    exercise.check?.steps?.length
      ? el('p', { class: 'allowed', text: `Check replays your configuration and actions on each hidden seed, then: ${exercise.check.steps.map(stepText).join('; ')}.` })
      : null,
    el('div', { class: 'exercise-actions' }, checkButton, resetButton, hintButton),
    status, results, hintList,
    widget));
  document.title = `${exercise.title} — Exercises`;
  widgetReady(widget).then(start).then(() => {
    checkButton.disabled = false;
    resetButton.disabled = false;
  }).catch((error) => { status.textContent = `The widget could not start: ${error.message}`; });
}

function showGrade(exercise, grade, status, results) {
  if (grade.refused.length) {
    status.textContent = 'Not checked: you changed something this exercise does not allow.';
    results.replaceChildren(el('ul', { class: 'refused' }, ...grade.refused.map((r) => el('li', { text: r.error }))));
    return;
  }
  const passed = grade.seeds.filter((s) => s.pass).length;
  status.textContent = grade.pass
    ? `Passed on all ${grade.seeds.length} hidden seeds.`
    : `Not yet: passed on ${passed} of ${grade.seeds.length} hidden seeds; every one must pass.`;
  if (grade.pass) markPassed(exercise.id);
  const rows = grade.seeds.map((seed) => el('tr', { class: seed.pass ? 'pass' : 'fail' },
    el('td', { text: String(seed.seed) }),
    el('td', { text: seed.pass ? 'pass' : 'fail' }),
    el('td', {}, ...(seed.error ? [seed.error] : seed.checks.map((c) => el('div', { text: checkText(c) }))))));
  results.replaceChildren(el('table', { class: 'seed-results' },
    el('caption', { text: 'Per hidden seed: what your configuration measured, beside the goal' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Seed' }), el('th', { scope: 'col', text: 'Result' }), el('th', { scope: 'col', text: 'Measured (goal)' }))),
    el('tbody', {}, ...rows)));
}

function checkText(check) {
  const name = check.agg ? `${check.agg}(${check.metric})` : check.metric;
  if (check.error) return `${name}: ${check.error}`;
  return `${check.pass ? '✓' : '✗'} ${name} = ${formatValue(check.measured)} (goal ${check.op} ${formatValue(check.value)})`;
}

async function showPage() {
  let exercises;
  let refused;
  try {
    ({ exercises, refused } = await loadExercises());
  } catch (error) {
    showLoadError(`The exercises could not be loaded: ${error.message}.`);
    return;
  }
  const route = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const exercise = exercises.find((e) => e.id === id);
    if (exercise) renderExercise(exercise);
    else renderList(exercises, refused);
    window.scrollTo(0, 0);
  };
  window.addEventListener('hashchange', route);
  route();
  loadSdp().catch((error) => showLoadError(`The simulations could not start: ${error.message}. They need a current browser with WebAssembly enabled.`));
}

showPage();
