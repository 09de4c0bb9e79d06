// Entry point of the index page (index.html): the topic cards (written by
// scripts/gallery_cards.mjs from topic.html) get their pictures from the
// widgets themselves (card-pictures.mjs). The cards are links and work
// before and without the engine; if it cannot load, the page says so.
import { loadSdp } from '../wasm/sdp.mjs';
import { drawCardPictures } from './card-pictures.mjs';

const banner = document.getElementById('load-error');
loadSdp().then(() => drawCardPictures(document.querySelector('main')), (error) => {
  banner.textContent = `The simulations could not start, so the cards have no pictures: ${error.message}. They need a current browser with WebAssembly enabled.`;
  banner.hidden = false;
});
