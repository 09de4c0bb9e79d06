// Entry point of widget.html, the page an Embed iframe shows: one widget,
// chosen by ?w=NAME (the tag without "sdp-"), keeping its state in the link
// under the key NAME, so widget.html?w=kafka#kafka=STATE opens that state.
import { loadSdp } from '../wasm/sdp.mjs';
import { defineWidgets, widgetTags } from './widgets.mjs';

defineWidgets();
const banner = document.getElementById('load-error');
const name = new URLSearchParams(window.location.search).get('w') ?? '';
const tag = `sdp-${name}`;
if (widgetTags().includes(tag)) {
  const widget = document.createElement(tag);
  widget.id = name;
  widget.setAttribute('sync-url', '');
  document.getElementById('widget').append(widget);
  document.title = `${customElements.get(tag).title} — System Design Playground`;
} else {
  banner.textContent = `No widget named "${name.slice(0, 40)}": use ?w= with one of ${widgetTags().map((t) => t.slice(4)).join(', ')}.`;
  banner.hidden = false;
}
loadSdp().catch((error) => {
  banner.textContent = `The simulation could not start: ${error.message}. It needs a current browser with WebAssembly enabled.`;
  banner.hidden = false;
});
