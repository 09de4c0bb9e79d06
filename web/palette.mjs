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
