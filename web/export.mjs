// Export from any widget: its metrics as CSV, its picture as PNG (and SVG
// where it draws SVG), its action log and narration as text. Nothing here is
// per widget: a widget only declares which series its CSV holds
// (static csvColumns, see metricsTable), and the rest reads what every
// widget has (a session, a snapshot, a shadow root, a log).

import { el } from './dom.mjs';

// ---- CSV (RFC 4180) -----------------------------------------------------------

// One field: quoted when it holds a comma, a quote, CR or LF (RFC 4180 §2.6),
// with inner quotes doubled (§2.7). null / undefined are empty fields.
export function csvField(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// A header row and records, each line ended by CRLF (RFC 4180 §2.1, §2.3).
export function csvText(columns, rows) {
  return [columns, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

// A snapshot's scalar values (numbers, booleans, strings) at any depth, as
// [dotted.path, value] in the snapshot's order; arrays are left out (they
// are lists of things, not metrics). Widgets without a time series export these.
export function scalarMetrics(snapshot, prefix = '', out = []) {
  for (const [key, value] of Object.entries(snapshot ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) continue;
    if (value !== null && typeof value === 'object') scalarMetrics(value, path, out);
    else if (value !== null) out.push([path, value]);
  }
  return out;
}

// The table a widget's CSV holds: {columns, rows}. A widget with time series
// declares them, `static csvColumns = ['series:t_ms', ...]` or a function
// (snapshot) -> such a list: the session's columns of those names, side by
// side, one row per sample. Otherwise: the snapshot's scalar metrics, one
// per row (metric, value).
export function metricsTable(widget) {
  const snapshot = widget.session.snapshot();
  const declared = widget.constructor.csvColumns;
  const names = typeof declared === 'function' ? declared(snapshot) : declared;
  if (!names?.length) return { columns: ['metric', 'value'], rows: scalarMetrics(snapshot) };
  const data = names.map((name) => Array.from(widget.session.column(name)));
  const length = Math.max(...data.map((d) => d.length));
  const rows = Array.from({ length }, (_, i) => data.map((d) => d[i]));
  return { columns: names, rows };
}

// ---- text: the action log and the narration ----------------------------------

// Every action of the log as the JSON step the sim replays (numbered), then
// the narration, oldest first.
export function logText(widget, narration) {
  const { sim, seed, config, steps } = widget.scenario();
  const lines = [
    `${widget.constructor.title} (sim ${sim}), seed ${seed}`,
    `config: ${JSON.stringify(config)}`,
    '',
    `Actions (${steps.length}):`,
    ...steps.map((step, i) => `${i + 1}. ${JSON.stringify(step)}`),
    '',
    `Narration (${narration.length} lines, oldest first):`,
    ...narration.map((line) => `- ${line}`),
  ];
  return `${lines.join('\n')}\n`;
}

// ---- pictures ------------------------------------------------------------------

const SVG_NS = 'http://www.w3.org/2000/svg';
const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity',
  'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility'];

// The widget's drawings in page order: its canvases and its top-level SVGs
// that are drawn (not hidden, not empty).
function drawings(widget) {
  const body = widget.shadowRoot.querySelector('.body');
  return [...body.querySelectorAll('canvas, svg')].filter((node) => {
    if (node.tagName.toLowerCase() === 'svg' && node.parentElement?.closest('svg')) return false;
    const box = node.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  });
}

// The widget's largest drawing as an image URL (a data: URL, which the
// pages' CSP allows), or null when it draws nothing: SVG with its colours
// written in, a canvas as PNG. The index page's topic cards show it. A chart
// with axes but no line yet (chart.mjs marks it data-empty) is no picture:
// an empty chart as large as a full one would otherwise win by page order.
export function largestDrawingUrl(widget) {
  const area = (node) => { const box = node.getBoundingClientRect(); return box.width * box.height; };
  const [node] = drawings(widget).filter((n) => n.dataset?.empty !== 'true').sort((a, b) => area(b) - area(a));
  if (!node) return null;
  return node instanceof SVGElement
    ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(standaloneSvg(node))}`
    : node.toDataURL('image/png');
}

export function hasSvg(widget) {
  return drawings(widget).some((node) => node instanceof SVGElement);
}

// A standalone copy of a drawn SVG: the shadow root's styles (CSS variables,
// dark mode) do not travel with the markup, so each element's computed paint
// and font are written into it as attributes.
export function standaloneSvg(node) {
  const copy = node.cloneNode(true);
  const originals = [node, ...node.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const style = getComputedStyle(original);
    for (const prop of STYLE_PROPS) {
      const value = style.getPropertyValue(prop);
      if (value) copies[i].setAttribute(prop, value);
    }
  });
  const box = node.getBoundingClientRect();
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(Math.round(box.width)));
  copy.setAttribute('height', String(Math.round(box.height)));
  return new XMLSerializer().serializeToString(copy);
}

// All of the widget's SVG drawings as one SVG file (stacked), or null.
export function svgText(widget) {
  const svgs = drawings(widget).filter((node) => node instanceof SVGElement);
  if (svgs.length === 0) return null;
  if (svgs.length === 1) return standaloneSvg(svgs[0]);
  let y = 0;
  let width = 0;
  const parts = svgs.map((node) => {
    const box = node.getBoundingClientRect();
    const part = standaloneSvg(node).replace('<svg', `<svg y="${y}"`);
    y += Math.round(box.height);
    width = Math.max(width, Math.round(box.width));
    return part;
  });
  return `<svg xmlns="${SVG_NS}" width="${width}" height="${y}">${parts.join('')}</svg>`;
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the drawing could not be rendered as an image'));
    image.src = url;
  });
}

const PAD = 12;
const CAPTION = 22;

// The widget's picture as a PNG blob: its title, then every canvas and SVG it
// draws, stacked in page order on its background colour. A widget that draws
// nothing (a console, a table) gets its title and the latest narration.
export async function pngBlob(widget, narration) {
  const frame = widget.shadowRoot.querySelector('.frame');
  const style = getComputedStyle(frame);
  const nodes = drawings(widget);
  const boxes = nodes.map((node) => node.getBoundingClientRect());
  const images = await Promise.all(nodes.map((node) => (node instanceof SVGElement
    // A data: URL, not a blob: the pages' CSP allows images from 'self' and data: only.
    ? loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(standaloneSvg(node))}`)
    : node)));
  // A chart's title is HTML above its canvas (uPlot's .u-title): drawn as a caption.
  const captions = nodes.map((node) => node.closest('.uplot')?.querySelector('.u-title')?.textContent ?? '');
  const lines = nodes.length ? [] : narration.slice(-6);
  const titleHeight = 32;
  const width = Math.max(320, ...boxes.map((b) => Math.round(b.width))) + 2 * PAD;
  const height = titleHeight + boxes.reduce((sum, b, i) => sum + Math.round(b.height) + PAD + (captions[i] ? CAPTION : 0), 0)
    + lines.length * 20 + 2 * PAD;
  const canvas = el('canvas', { width, height });
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = style.backgroundColor && style.backgroundColor !== 'rgba(0, 0, 0, 0)' ? style.backgroundColor : '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = style.color || '#000000';
  ctx.font = `bold 18px ${style.fontFamily || 'sans-serif'}`;
  ctx.fillText(widget.constructor.title || widget.localName, PAD, PAD + 18);
  let y = PAD + titleHeight;
  images.forEach((image, i) => {
    const { width: w, height: h } = boxes[i];
    if (captions[i]) {
      ctx.font = `bold 14px ${style.fontFamily || 'sans-serif'}`;
      ctx.fillText(captions[i], PAD, y + 15);
      y += CAPTION;
    }
    ctx.drawImage(image, PAD, y, Math.round(w), Math.round(h));
    y += Math.round(h) + PAD;
  });
  ctx.font = `14px ${style.fontFamily || 'sans-serif'}`;
  for (const line of lines) {
    ctx.fillText(line, PAD, y + 14);
    y += 20;
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the picture could not be encoded'))), 'image/png'));
}

// ---- files ---------------------------------------------------------------------

export function downloadBlob(name, blob) {
  const url = URL.createObjectURL(blob);
  el('a', { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function baseName(widget) {
  return `${widget.constructor.sim}-seed${widget.seed}-${widget.log.length}-steps`;
}

// The toolbar's "Download" button and the row of what it can download.
export class ExportPanel {
  #widget;
  #narration;

  // widget: the SdpWidget; narration(): its narration lines, oldest first.
  constructor(widget, narration) {
    this.#widget = widget;
    this.#narration = narration;
    const item = (text, title, action) => el('button', { type: 'button', text, title,
      onclick: async (event) => { await this.#run(action, event.currentTarget); } });
    this.status = el('span', { class: 'export-status', 'aria-live': 'polite' });
    this.svgButton = item('Picture (SVG)', 'The SVG drawing, with its colours written in', () => this.downloadSvg());
    // Only for widgets that are a document of their own (a worksheet): markdown() -> text.
    this.markdownButton = item('Worksheet (Markdown)', 'The worksheet as a Markdown document', () => this.downloadMarkdown());
    // Only for widgets whose results form a document of their own: resultsJson() -> object.
    this.jsonButton = item('Results (JSON)', 'What the widget built and measured, as one JSON document', () => this.downloadJson());
    this.box = el('div', { class: 'export-box', role: 'group', 'aria-label': 'Download', hidden: true },
      item('Metrics (CSV)', 'The metrics as a CSV table (RFC 4180)', () => this.downloadCsv()),
      item('Picture (PNG)', 'The charts and drawings as a PNG image', () => this.downloadPng()),
      this.svgButton,
      this.markdownButton,
      this.jsonButton,
      item('Log (text)', 'Every action and the narration as plain text', () => this.downloadText()),
      this.status);
    this.button = el('button', { type: 'button', text: 'Download', 'aria-expanded': 'false',
      title: 'Download the metrics (CSV), the picture (PNG, SVG) or the log (text)',
      onclick: () => this.toggle() });
  }

  get buttons() { return [this.button]; }
  get rows() { return [this.box]; }

  toggle(open = this.box.hidden) {
    this.box.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) {
      this.svgButton.hidden = !hasSvg(this.#widget);
      this.markdownButton.hidden = typeof this.#widget.markdown !== 'function';
      this.jsonButton.hidden = typeof this.#widget.resultsJson !== 'function';
    }
  }

  csv() {
    const { columns, rows } = metricsTable(this.#widget);
    return csvText(columns, rows);
  }

  text() {
    return logText(this.#widget, this.#narration());
  }

  png() {
    return pngBlob(this.#widget, this.#narration());
  }

  downloadCsv() {
    downloadBlob(`${baseName(this.#widget)}.csv`, new Blob([this.csv()], { type: 'text/csv' }));
    return 'Metrics saved as CSV.';
  }

  async downloadPng() {
    downloadBlob(`${baseName(this.#widget)}.png`, await this.png());
    return 'Picture saved as PNG.';
  }

  downloadSvg() {
    const text = svgText(this.#widget);
    if (!text) return 'This widget draws no SVG right now.';
    downloadBlob(`${baseName(this.#widget)}.svg`, new Blob([text], { type: 'image/svg+xml' }));
    return 'Picture saved as SVG.';
  }

  downloadMarkdown() {
    downloadBlob(`${baseName(this.#widget)}.md`, new Blob([this.#widget.markdown()], { type: 'text/markdown' }));
    return 'Worksheet saved as Markdown.';
  }

  downloadJson() {
    const text = `${JSON.stringify(this.#widget.resultsJson(), null, 2)}\n`;
    downloadBlob(`${baseName(this.#widget)}.json`, new Blob([text], { type: 'application/json' }));
    return 'Results saved as JSON.';
  }

  downloadText() {
    downloadBlob(`${baseName(this.#widget)}.txt`, new Blob([this.text()], { type: 'text/plain' }));
    return 'Log saved as text.';
  }

  async #run(action) {
    if (!this.#widget.session) return;
    try {
      this.status.textContent = await action();
    } catch (error) {
      this.status.textContent = `Could not export: ${error.message}`;
    }
  }
}
