// The toolbar's "Embed" button: two snippets that show this widget in its
// current state on another page, (1) an <iframe> of the site's one-widget
// page (widget.html) with the state in its link, (2) the one-file embed
// script and the <sdp-*> element, with the config as attributes where the
// widget declares them and the exact state (seed, config, action log) in its
// `state` attribute, encoded as the share link encodes it (url-state.mjs).

import { el } from './dom.mjs';
import { encodeState, hashWithParam } from './url-state.mjs';

// Where this code was loaded from: the module's URL, or in the classic
// build (sdp-embed.classic.js, which has no import.meta) the script's src,
// which is known only while the script first runs.
const LOADED_FROM = import.meta.url ?? globalThis.document?.currentScript?.src ?? globalThis.location?.href;

// The site's root: this module is web/embed-panel.mjs on the site, or
// bundled into sdp-embed.js at the root.
export function siteRoot(moduleUrl = LOADED_FROM) {
  return new URL(/\/web\/[^/]+\.mjs(\?.*)?$/.test(moduleUrl) ? '../' : './', moduleUrl).href;
}

const IFRAME_HEIGHT = 900;

function escapeAttribute(text) {
  return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// What the snippets carry: the seed, config and whole action log, and,
// when the timeline shows an earlier moment, that position ("at", as in a
// share link), so the embedded widget opens where the author stood and
// keeps the later actions to step forward into.
function embeddedState(widget) {
  const { seed, config, steps } = widget.scenario();
  const { position, length } = widget.timeline;
  return position < length ? { seed, config, steps, at: position } : { seed, config, steps };
}

// The one-widget page's address showing `widget` in its current state.
export function iframeUrl(widget, root = siteRoot()) {
  const name = widget.localName.replace(/^sdp-/, '');
  return `${root}widget.html?w=${encodeURIComponent(name)}#${hashWithParam('', name, encodeState(embeddedState(widget)))}`;
}

// [name, value] of the attributes that reproduce the current state: the
// seed, each declared config attribute with its current value, and `state`.
export function embedAttributes(widget) {
  const state = embeddedState(widget);
  const attributes = [['seed', state.seed]];
  for (const [name, declaration] of Object.entries(widget.constructor.attributes)) {
    if (declaration.config && state.config[declaration.config] !== undefined) attributes.push([name, state.config[declaration.config]]);
  }
  attributes.push(['state', encodeState(state)]);
  return attributes;
}

export function iframeSnippet(widget, root = siteRoot()) {
  const title = widget.constructor.title || widget.localName;
  return `<iframe src="${escapeAttribute(iframeUrl(widget, root))}" title="${escapeAttribute(title)}" `
    + `width="100%" height="${IFRAME_HEIGHT}" loading="lazy" style="border:0"></iframe>`;
}

export function scriptSnippet(widget, root = siteRoot()) {
  const tag = widget.localName;
  const attributes = embedAttributes(widget).map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
  return `<script type="module" src="${root}sdp-embed.js"></script>\n<${tag}${attributes}></${tag}>`;
}

// Copies the box's text: the clipboard when the browser allows, else the
// text is selected for Ctrl+C, and `status` says which.
async function copy(box, status) {
  box.focus();
  box.select();
  try {
    await navigator.clipboard.writeText(box.value);
    status.textContent = 'Copied';
  } catch {
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
  }
}

export class EmbedPanel {
  #widget;
  #snippets = [];

  constructor(widget) {
    this.#widget = widget;
    const snippet = (label, make) => {
      const box = el('textarea', { readonly: true, rows: 3, spellcheck: 'false', 'aria-label': `${label} snippet` });
      const status = el('span', { class: 'share-status', 'aria-live': 'polite' });
      const button = el('button', { type: 'button', text: `Copy ${label}`, onclick: () => copy(box, status) });
      this.#snippets.push({ box, status, make });
      return el('div', { class: 'embed-snippet' }, el('div', { class: 'row' }, el('strong', { text: label }), button, status), box);
    };
    this.box = el('div', { class: 'embed-box', role: 'group', 'aria-label': 'Embed', hidden: true },
      el('p', { text: 'Paste one of these into your page to show this widget in this exact state.' }),
      snippet('iframe', (w) => iframeSnippet(w)),
      snippet('script and element', (w) => scriptSnippet(w)));
    this.button = el('button', { type: 'button', text: 'Embed', 'aria-expanded': 'false',
      title: 'Snippets that embed this widget, in this state, in another page', onclick: () => this.toggle() });
  }

  get buttons() { return [this.button]; }
  get rows() { return [this.box]; }

  toggle(open = this.box.hidden) {
    this.box.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) this.update();
  }

  // Rewrites the snippets from the current state (while open, after each change).
  update() {
    if (this.box.hidden || !this.#widget.session) return;
    for (const { box, status, make } of this.#snippets) {
      box.value = make(this.#widget);
      status.textContent = '';
    }
  }
}
