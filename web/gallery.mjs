// Entry point of the gallery page (index.html): loads the engine from
// wasm/sdp.js + sdp.wasm and defines the widgets. If the engine cannot load,
// the page says so instead of staying blank.
import { loadSdp } from '../wasm/sdp.mjs';
import { defineWidgets } from './widgets.mjs';

defineWidgets();
loadSdp().catch((error) => {
  const banner = document.getElementById('load-error');
  banner.textContent = `The simulations could not start: ${error.message}. They need a current browser with WebAssembly enabled.`;
  banner.hidden = false;
});
