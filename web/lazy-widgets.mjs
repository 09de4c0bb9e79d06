// Creates a page's widgets only when they scroll near the screen: a widget
// is defined (so created: its wasm session, its first run and drawing) when
// it comes within NEAR_PX of the viewport. Until then it is an undefined
// element that page.css gives a placeholder's height, so the ones below stay
// far. A page with one widget creates it at once. Each tag is on a page once
// (topic.html), so defining a tag creates exactly that element.
import { widgetClass } from './widgets.mjs';

const NEAR_PX = 600;

export function defineWidget(tag) {
  const widget = widgetClass(tag);
  if (widget && !customElements.get(tag)) customElements.define(tag, widget);
}

// The undefined <sdp-*> elements under `root`, each defined when near.
export function defineWhenNear(root) {
  const pending = [...root.querySelectorAll(':not(:defined)')].filter((node) => widgetClass(node.localName));
  if (pending.length <= 1 || typeof IntersectionObserver !== 'function') {
    for (const node of pending) defineWidget(node.localName);
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      defineWidget(entry.target.localName);
    }
  }, { rootMargin: `${NEAR_PX}px 0px` });
  for (const node of pending) observer.observe(node);
}
