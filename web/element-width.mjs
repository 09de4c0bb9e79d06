// The width a drawing is sized to, without reading layout inside a click.
//
// Reading clientWidth after the DOM changed forces a layout in the middle of
// the handler, and the frame then lays out again (issue #24: 22 ms of a hash
// ring click, 9 ms of a persistence one). Instead, each measured element is
// read once, when first drawn, and then followed by a ResizeObserver, whose
// callbacks run after the frame's layout, where reading it is free. When its
// width changes, `redraw` (the drawing's latest) runs there, before the
// paint, so the picture never shows at a stale width.
//
// One observer per element, held only by the element: a removed widget's
// charts are collected with it (a module-wide observer would keep them).

const watched = new WeakMap(); // element -> {width, redraw}

// The element's clientWidth as of the last layout; `redraw()` runs when it
// changes. Call it on every draw: the latest `redraw` is the one kept.
export function watchedWidth(element, redraw) {
  let entry = watched.get(element);
  if (entry) {
    entry.redraw = redraw;
    return entry.width;
  }
  entry = { width: element.clientWidth, redraw };
  watched.set(element, entry);
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => {
      // A removed or hidden element reports 0: nothing to redraw (its widget
      // may have freed its session); shown again, it redraws if it changed.
      if (!element.isConnected) return;
      const width = element.clientWidth;
      if (width === 0 || width === entry.width) return;
      entry.width = width;
      entry.redraw?.();
    }).observe(element);
  }
  return entry.width;
}
