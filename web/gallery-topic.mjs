// topic.html?t=ID shows one part of the gallery: a topic (a section's
// heading id, e.g. "redis": what the index page's cards link to) or a single
// widget (its element id, e.g. "kafka"). topic.html without ?t= shows every
// topic on one page. The widgets left out are removed before any custom
// element is defined, so they are never created (no wasm session, no first
// run). Called by topic-page.mjs first.
import { widgetClass } from './widgets.mjs';

const sections = () => [...document.querySelectorAll('main > section')];

function topicIds() {
  return sections().map((s) => s.querySelector('h2[id]')?.id).filter(Boolean);
}

function widgetIds() {
  return [...document.querySelectorAll('main [id]')].filter((el) => el.localName.startsWith('sdp-')).map((el) => el.id);
}

function backLink() {
  const back = document.createElement('p');
  back.className = 'topic-back';
  const link = document.createElement('a');
  link.href = 'index.html';
  link.textContent = 'All topics';
  back.append(link);
  return back;
}

// Returns null when the page shows everything, else the title it now has,
// or {error} naming what is allowed (the page then shows every topic).
export function focusTopic(search = window.location.search) {
  const id = new URLSearchParams(search).get('t');
  if (id === null) return null;
  const target = id === '' ? null : document.getElementById(id);
  const isTopic = target?.localName === 'h2' && target.parentElement?.parentElement?.localName === 'main';
  const isWidget = Boolean(target?.localName.startsWith('sdp-') && target.closest('main > section'));
  if (!isTopic && !isWidget) {
    const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
    return { error: `No topic or widget "${shown}". Topics: ${topicIds().join(', ')}. Widgets: ${widgetIds().join(', ')}.` };
  }
  const section = target.closest('main > section');
  for (const other of sections()) if (other !== section) other.remove();
  if (isWidget) {
    // One widget: its section's heading, the widget and the link to its
    // docs, nothing that introduces the section's other widgets.
    const docs = target.nextElementSibling?.matches('p.docs-link') ? target.nextElementSibling : null;
    for (const child of [...section.children]) {
      if (child !== target && child !== docs && child.localName !== 'h2') child.remove();
    }
  }
  section.before(backLink());
  const heading = section.querySelector('h2');
  const title = isWidget ? widgetClass(target.localName)?.title ?? heading.textContent : heading.textContent;
  document.title = `${title} — System Design Playground`;
  return { title };
}
