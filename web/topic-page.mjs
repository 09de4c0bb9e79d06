// Entry point of topic.html: one topic (?t=ID, what an index card links
// to), one widget (?t=WIDGET-ID) or, without ?t=, every topic on one page.
// Each topic gets its tours and exercises (topic-extras.mjs); its widgets
// are created when they scroll near (lazy-widgets.mjs). If the engine
// cannot load, the page says so instead of staying blank.
import { loadSdp } from '../wasm/sdp.mjs';
import { focusTopic } from './gallery-topic.mjs';
import { defineWhenNear } from './lazy-widgets.mjs';
import { addTopicExtras } from './topic-extras.mjs';

const banner = document.getElementById('load-error');
const focus = focusTopic();
if (focus?.error) {
  banner.textContent = focus.error;
  banner.hidden = false;
}
const main = document.querySelector('main');
addTopicExtras([...main.querySelectorAll(':scope > section')]);
defineWhenNear(main);
loadSdp().catch((error) => {
  banner.textContent = `The simulations could not start: ${error.message}. They need a current browser with WebAssembly enabled.`;
  banner.hidden = false;
});
