// The widget classes, imported in node (no DOM): for tools and tests that
// read the widgets' own declarations (attributes, CSV columns). Only the
// class bodies are evaluated; no widget is constructed.
import { register } from 'node:module';

register('./widget_loader_hooks.mjs', import.meta.url);
// Stand-ins for what the modules touch at import time (base class, sheets).
globalThis.HTMLElement ??= class {};
globalThis.CSSStyleSheet ??= class { replaceSync() {} };

// [{tag, widget}] in gallery order.
export async function widgetClasses() {
  const { widgetClass, widgetTags } = await import('../web/widgets.mjs');
  return widgetTags().map((tag) => ({ tag, widget: widgetClass(tag) }));
}
