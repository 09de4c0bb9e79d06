// Under each topic on topic.html: its widgets' guided tours (a button each
// that brings the widget into view and plays the tour) and a link to its
// exercises on exercises.html, filtered to its widgets. Tours come from the
// bundled scenarios (tours.mjs), so the list is there before any widget is
// created; exercises are counted from exercises/index.json, whose paths
// start with the widget's name (kafka/01-keep-up.json).
import { el, plural } from './dom.mjs';
import { defineWidget } from './lazy-widgets.mjs';
import { toursFor } from './tours.mjs';
import { widgetClass } from './widgets.mjs';

const READY_MS = 20000;

async function started(widget) {
  const until = Date.now() + READY_MS;
  while (!widget.session) {
    if (Date.now() > until) throw new Error(`${widget.localName} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function playTour(widget, index, status) {
  defineWidget(widget.localName);
  widget.scrollIntoView({ block: 'start' });
  try {
    await started(widget);
    widget.playTour(index);
  } catch (error) {
    status.textContent = `The tour could not start: ${error.message}.`;
  }
}

function tourList(widgets, status) {
  const items = widgets.flatMap((widget) => {
    const tours = toursFor(widgetClass(widget.localName).sim);
    if (!tours.length) return [];
    const title = widgetClass(widget.localName).title;
    return [el('li', {}, `${title}: `, ...tours.flatMap((tour, i) => [
      el('button', { type: 'button', class: 'tour-button', text: tour.title,
        'aria-label': `Play the tour ${tour.title} (${title})`, onclick: () => playTour(widget, i, status) }), ' ']))];
  });
  return items.length ? [el('h3', { text: 'Guided tours' }), el('ul', { class: 'tour-list' }, ...items)] : [];
}

// names: the widgets' tags without "sdp-"; exercises: exercises/index.json's paths.
function exercisesLink(names, exercises) {
  const count = exercises.filter((path) => names.some((name) => path.startsWith(`${name}/`))).length;
  if (!count) return null;
  return el('p', {}, el('a', { href: `exercises.html?widgets=${names.join(',')}`,
    text: `${plural(count, 'graded exercise')} on this topic` }), ', from easy to hard, checked on hidden seeds.');
}

export async function addTopicExtras(sections) {
  const parts = sections.map((section) => {
    const widgets = [...section.children].filter((node) => widgetClass(node.localName));
    const status = el('p', { class: 'topic-status', role: 'status' });
    const box = el('div', { class: 'topic-extras' }, ...tourList(widgets, status), status);
    section.append(box);
    return { box, names: widgets.map((w) => w.localName.slice(4)) };
  });
  let exercises = [];
  try {
    const response = await fetch('exercises/index.json');
    if (response.ok) exercises = await response.json();
  } catch {
    return; // the tours still work; the exercises page has its own error
  }
  for (const { box, names } of parts) {
    const link = exercisesLink(names, exercises);
    if (link) box.append(el('h3', { text: 'Exercises' }), link);
  }
}
