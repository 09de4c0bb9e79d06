// Entry point of the gallery page (index.html): loads the engine from
// wasm/sdp.js + sdp.wasm and defines the widgets. If the engine cannot load,
// the page says so instead of staying blank. ?topic=ID shows one topic or
// one widget (gallery-topic.mjs).
import { loadSdp } from '../wasm/sdp.mjs';
import { focusTopic } from './gallery-topic.mjs';
import { defineWidgets } from './widgets.mjs';

const banner = document.getElementById('load-error');
const focus = focusTopic();
if (focus?.error) {
  banner.textContent = focus.error;
  banner.hidden = false;
}
defineWidgets();
loadSdp().catch((error) => {
  banner.textContent = `The simulations could not start: ${error.message}. They need a current browser with WebAssembly enabled.`;
  banner.hidden = false;
});
