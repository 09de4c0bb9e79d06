// "State is a link", and a file when the link gets too long: Share, Export
// (a scenario file `sdp run` replays), Import (load such a file back), and
// the note that says when a widget's link is long (then written to the
// address bar only on Share or when the page is hidden: link-writer.mjs),
// and warns before it grows too long to open, offering the file instead.

import { el } from './dom.mjs';
import { LINK_LIMIT_CHARS, linkStatus } from './url-state.mjs';

// Sizes in MiB, written "MB" as people read them (the limit is 2 MiB),
// rounded so that a link under the limit never reads as at or over it, and
// one over it never reads as at it.
function megabytes(chars, round = Math.floor) {
  return `${String(round((chars / 2 ** 20) * 100) / 100)} MB`;
}

export const LIMIT_TEXT = megabytes(LINK_LIMIT_CHARS);

// What the note says for a status of url-state's linkStatus().
export function linkNoteText(status, chars) {
  if (status === 'lazy') {
    return `This widget's link is ${megabytes(chars)} long: to keep every click fast, the address bar gets it only `
      + 'when you press Share or switch to another tab or window.';
  }
  if (status === 'warn') {
    return `This widget's link is ${megabytes(chars)} long; browsers do not open links over ${LIMIT_TEXT}, `
      + 'so a few more actions will break it. Export the state as a file to keep it.';
  }
  if (status === 'over') {
    return `This state is ${megabytes(chars, Math.ceil)} as a link, over the ${LIMIT_TEXT} browsers open: the page address no `
      + 'longer keeps it, and Share cannot give a working link. Export it as a file (sdp run replays it) and Import it to come back.';
  }
  return '';
}

// Triggers a download of `text` as `name`.
export function downloadText(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = el('a', { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// The toolbar's link and file controls: Share (a box with the link, copied
// when the browser allows), Export, Import, and the note on the link's length.
export class LinkPanel {
  // shareUrl() -> the link to the current state; onExport(); onImport(text,
  // button) with the chosen file's text.
  constructor({ shareUrl, onExport, onImport }) {
    this.shareInput = el('input', { type: 'text', readonly: true, 'aria-label': 'Link to this exact state' });
    this.shareStatus = el('span', { class: 'share-status', 'aria-live': 'polite' });
    this.shareBox = el('div', { class: 'share-box', hidden: true }, this.shareInput, this.shareStatus);
    this.shareButton = el('button', { type: 'button', text: 'Share', onclick: () => this.#share(shareUrl()) });
    this.fileInput = el('input', { type: 'file', accept: '.json,application/json', hidden: true, 'aria-label': 'Scenario file to import',
      onchange: async () => {
        const file = this.fileInput.files?.[0];
        this.fileInput.value = '';
        if (file) onImport(await file.text(), this.importButton);
      } });
    this.exportButton = el('button', { type: 'button', text: 'Export', title: 'Save this state as a scenario file (JSON: sim, seed, config, steps) that sdp run replays',
      onclick: () => onExport() });
    this.importButton = el('button', { type: 'button', text: 'Import', title: 'Load a state from a scenario file saved with Export',
      onclick: () => this.fileInput.click() });
    this.text = el('span', {});
    this.noteExport = el('button', { type: 'button', text: 'Export as a file', onclick: () => onExport() });
    this.note = el('div', { class: 'link-note', role: 'status', hidden: true }, this.text, ' ', this.noteExport);
    this.status = 'ok';
  }

  // The controls, in toolbar order, and the rows that go under them.
  get buttons() { return [this.shareButton, this.exportButton, this.importButton, this.fileInput]; }
  get rows() { return [this.shareBox, this.note]; }

  // Shows or hides the note; cheap when nothing changes.
  update(status, chars) {
    const text = linkNoteText(status, chars);
    if (status === this.status && text === this.text.textContent) return;
    this.status = status;
    this.note.hidden = status === 'ok';
    for (const s of ['lazy', 'warn', 'over']) this.note.classList.toggle(s, status === s);
    this.noteExport.hidden = status === 'lazy';
    this.text.textContent = text;
  }

  async #share(url) {
    this.shareBox.hidden = false;
    const over = linkStatus(url.length) === 'over';
    this.shareInput.hidden = over;
    if (over) {
      this.shareInput.value = '';
      this.shareStatus.textContent = `Too long for a link (over ${LIMIT_TEXT}): use Export to save it as a file.`;
      return;
    }
    this.shareInput.value = url;
    this.shareInput.select();
    try {
      await navigator.clipboard.writeText(url);
      this.shareStatus.textContent = 'Link copied';
    } catch {
      this.shareStatus.textContent = 'Copy this link';
    }
  }
}
