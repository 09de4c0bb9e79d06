// Stable, distinguishable colours for up to ~50 nodes. Slots are handed out
// in the order nodes appear in the action log and freed when they leave, so a
// replay (undo, a shared link) gives every node the colour it had before.

// 12 hand-picked hues first (readable on light and dark backgrounds), then
// golden-angle hues with alternating lightness.
const BASE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948',
  '#b07aa1', '#ff9da7', '#9c755f', '#3fa7d6', '#8cd17d', '#d37295'];

export function slotColour(slot) {
  if (slot < BASE.length) return BASE[slot];
  const hue = Math.round((slot * 137.508) % 360);
  const light = slot % 2 ? 58 : 46;
  return `hsl(${hue} 62% ${light}%)`;
}

export class Palette {
  #slots = new Map();

  assign(id) {
    if (this.#slots.has(id)) return;
    const used = new Set(this.#slots.values());
    let slot = 0;
    while (used.has(slot)) slot += 1;
    this.#slots.set(id, slot);
  }

  // Keeps slots in step with the action log: called for every applied step.
  follow(step) {
    if (step.op === 'add_node') this.assign(step.id);
    if (step.op === 'remove_node' || step.op === 'fail_node') this.release(step.id);
  }

  release(id) {
    this.#slots.delete(id);
  }

  clear() {
    this.#slots.clear();
  }

  colour(id) {
    if (!this.#slots.has(id)) this.assign(id);
    return slotColour(this.#slots.get(id));
  }
}

// ---- text on a coloured background -------------------------------------------

// '#rgb', '#rrggbb' or 'hsl(h s% l%)' (what this palette hands out) -> [r, g, b] in 0..255.
export function parseColour(colour) {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d) : hex[1].match(/../g);
    return digits.map((d) => parseInt(d, 16));
  }
  const hsl = /^hsl\(\s*([\d.]+)\s+([\d.]+)%\s+([\d.]+)%\s*\)$/.exec(colour);
  if (hsl) {
    const [h, s, l] = [Number(hsl[1]), Number(hsl[2]) / 100, Number(hsl[3]) / 100];
    const a = s * Math.min(l, 1 - l);
    const channel = (n) => {
      const k = (n + h / 30) % 12;
      return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
    };
    return [channel(0), channel(8), channel(4)];
  }
  throw new Error(`parseColour: unsupported colour ${colour}`);
}

// WCAG 2.x relative luminance and contrast ratio.
export function luminance(colour) {
  const [r, g, b] = parseColour(colour).map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// Black or white, whichever contrasts more with the background: text on a
// node's or a key's colour stays readable (≥ 4.5:1 for every colour above
// and for any colour whose luminance is not near 0.18, where both give ~4.6).
export function textOn(background) {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}
