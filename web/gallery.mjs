// Entry point of a page that shows widgets as written in its HTML, every
// one created at once (the test pages in tests/e2e/pages/): loads the engine
// from wasm/sdp.js + sdp.wasm and defines the widgets. If the engine cannot
// load, the page says so instead of staying blank. The site's own pages have
// their entries: index-page.mjs (the index) and topic-page.mjs (topic.html).
import { loadSdp } from '../wasm/sdp.mjs';
import { defineWidgets } from './widgets.mjs';

const banner = document.getElementById('load-error');
defineWidgets();
loadSdp().catch((error) => {
  banner.textContent = `The simulations could not start: ${error.message}. They need a current browser with WebAssembly enabled.`;
  banner.hidden = false;
});
