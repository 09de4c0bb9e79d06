// The index page's card pictures, drawn by the widgets themselves: when a
// card comes near the screen, its topic's first widget is created off-screen
// (with the attributes it has on topic.html), loads its first guided tour (the
// sim's first canonical scenario, or the section's data-card-tour; the fresh
// state where there is none, or where the tour's end draws nothing but empty
// axes), and its largest drawing that shows something becomes the card's
// picture (export.mjs; the topic's next widget when it draws nothing).
// Then the widget is removed, freeing its session.
// One widget at a time, after the page has painted; again when the colour
// scheme changes, since a picture carries its theme's colours.
// docs/gallery.md says why the pictures are not made at build time.
import { largestDrawingUrl } from './export.mjs';
import { defineWidget } from './lazy-widgets.mjs';
import { darkScheme } from './theme.mjs';

const NEAR_PX = 300;
const READY_MS = 20000;
const STAGE_WIDTH_PX = 720;

const scheme = () => (darkScheme?.matches ? 'dark' : 'light');
const frames = (n) => new Promise((resolve) => {
  const next = (left) => (left ? requestAnimationFrame(() => next(left - 1)) : resolve());
  next(n);
});

// Off-screen but laid out (the widgets size their drawings to their box);
// hidden from assistive technology and from focus while a picture is made.
function stage() {
  const box = document.createElement('div');
  box.className = 'card-stage';
  box.setAttribute('aria-hidden', 'true');
  box.inert = true;
  box.style.width = `${STAGE_WIDTH_PX}px`;
  document.body.append(box);
  return box;
}

// The largest drawing of `tag` with `attrs` after its first tour, as an
// image URL, or null when it draws nothing (a console, a table).
async function pictureOf(tag, attrs, tourIndex = 0) {
  defineWidget(tag);
  const box = stage();
  const widget = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) widget.setAttribute(name, value);
  box.append(widget);
  try {
    const until = Date.now() + READY_MS;
    while (!widget.session) {
      if (Date.now() > until || widget.shadowRoot?.querySelector('.load-error')) throw new Error(`${tag} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const tour = widget.tours()[tourIndex] ?? widget.tours()[0];
    if (tour) await widget.loadState({ seed: tour.seed, config: tour.config, steps: tour.steps });
    await frames(2);
    let url = largestDrawingUrl(widget);
    let state = tour ? 'tour' : 'start';
    // A tour whose end the widget does not chart (its topic, its group)
    // leaves no picture, or only empty axes: the fresh state may have one.
    if (!url && tour) {
      await widget.reset();
      await frames(2);
      url = largestDrawingUrl(widget);
      state = 'start';
    }
    // The drawing's own background: SVG and charts leave it transparent.
    return url && { url, state, background: getComputedStyle(widget.shadowRoot.querySelector('.frame')).backgroundColor };
  } finally {
    box.remove();
  }
}

// The card's picture: from the first of the topic's widgets that draws one.
async function draw(slot) {
  for (const { tag, attrs, tour } of JSON.parse(slot.dataset.widgets)) {
    const picture = await pictureOf(tag, attrs, tour);
    if (!picture) continue;
    const image = new Image();
    image.alt = '';
    image.src = picture.url;
    await image.decode().catch(() => {});
    slot.style.backgroundColor = picture.background;
    slot.replaceChildren(image);
    slot.dataset.tag = tag;
    slot.dataset.state = picture.state; // 'tour' (its end) or 'start' (the fresh state)
    slot.dataset.scheme = scheme();
    return;
  }
}

// Draws the pictures of the cards under `root` as they come near; resolves
// `done` (for tests and the bench) when every card seen so far has one.
export function drawCardPictures(root) {
  const slots = [...root.querySelectorAll('.card-picture[data-widgets]')];
  const near = new Set();
  let queue = Promise.resolve();
  let waiting = 0;
  const settle = () => { root.dataset.pictures = waiting ? 'drawing' : 'done'; };
  const enqueue = (slot) => {
    waiting += 1;
    settle();
    queue = queue.then(() => (slot.dataset.scheme === scheme() ? null : draw(slot)))
      .catch((error) => { slot.dataset.error = error.message; })
      .finally(() => { waiting -= 1; settle(); });
  };
  root.dataset.pictures = 'pending'; // until the observer has seen where the cards are
  const observer = new IntersectionObserver((entries) => {
    settle();
    for (const entry of entries) {
      if (!entry.isIntersecting || near.has(entry.target)) continue;
      near.add(entry.target);
      enqueue(entry.target);
    }
  }, { rootMargin: `${NEAR_PX}px 0px` });
  for (const slot of slots) observer.observe(slot);
  darkScheme?.addEventListener('change', () => { for (const slot of near) enqueue(slot); });
}
