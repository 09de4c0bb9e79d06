// Shared look of every widget: colour tokens (light and dark), controls,
// layout. Adopted into each widget's shadow root as a constructable
// stylesheet, so pages with a strict CSP (no inline styles) still work.

export const themeCss = `
:host {
  --sdp-bg: #ffffff;
  --sdp-panel: #f5f6f8;
  --sdp-fg: #1b1f24;
  --sdp-muted: #5b6470;
  --sdp-line: #d5d9e0;
  --sdp-accent: #2457d6;
  --sdp-accent-fg: #ffffff;
  --sdp-error: #b3261e;
  --sdp-ok: #1e7d3a;
  --sdp-warn: #b36b00; /* a marker colour: ≥ 3:1 on --sdp-bg and --sdp-panel */
  /* ≥ 3:1 against --sdp-bg and --sdp-panel (WCAG 1.4.11, 2.4.11): 4.3 and 4.0 */
  --sdp-focus: #c25e00;
  --sdp-radius: 8px;
  display: block;
  color: var(--sdp-fg);
  background: var(--sdp-bg);
  border: 1px solid var(--sdp-line);
  border-radius: var(--sdp-radius);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  /* Inherited text properties a host page may set (a blog's body text):
     the font shorthand resets the rest, these it does not. */
  letter-spacing: normal; word-spacing: normal; text-transform: none; text-align: start;
  text-indent: 0; text-shadow: none; white-space: normal; font-variant: normal;
  container-type: inline-size;
}
@media (prefers-color-scheme: dark) {
  :host {
    --sdp-bg: #16191e;
    --sdp-panel: #1f242b;
    --sdp-fg: #e6e9ee;
    --sdp-muted: #a0a8b4;
    --sdp-line: #363d47;
    --sdp-accent: #7aa2ff;
    --sdp-accent-fg: #0d1220;
    --sdp-error: #ff8a80;
    --sdp-ok: #7bd88f;
    --sdp-warn: #e39a22;
    --sdp-focus: #ff9f1c; /* 8.6:1 on --sdp-bg, 7.6:1 on --sdp-panel */
  }
}
* { box-sizing: border-box; }
.frame { padding: 12px 16px 16px; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; margin-bottom: 8px; }
h2 { font-size: 1.15rem; margin: 0; }
.subtitle { color: var(--sdp-muted); margin: 0; font-size: 0.92rem; }
.toolbar {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px;
  padding: 8px; background: var(--sdp-panel); border-radius: var(--sdp-radius);
  margin-bottom: 12px;
}
.toolbar[hidden], .panel[hidden] { display: none; }
.toolbar .sep { width: 1px; align-self: stretch; background: var(--sdp-line); margin: 0 4px; }
.toolbar .tour-text { flex-basis: 100%; color: var(--sdp-muted); font-size: 0.88rem; margin: 0; }
button, select, input {
  font: inherit; color: inherit; background: var(--sdp-bg);
  border: 1px solid var(--sdp-line); border-radius: 6px; padding: 4px 10px; min-height: 30px;
}
button { cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--sdp-accent); }
button.primary { background: var(--sdp-accent); color: var(--sdp-accent-fg); border-color: var(--sdp-accent); }
button[aria-pressed="true"] { background: var(--sdp-fg); color: var(--sdp-bg); border-color: var(--sdp-fg); }
button .icon { display: inline-block; width: 1.1em; }
button:disabled { opacity: 0.5; cursor: default; }
input[type="number"] { width: 6.5em; }
input[type="range"] { padding: 0; min-height: auto; accent-color: var(--sdp-accent); }
:focus-visible { outline: 3px solid var(--sdp-focus); outline-offset: 1px; }
label { color: var(--sdp-muted); font-size: 0.9rem; }
.row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 6px 0; }
.field-error { color: var(--sdp-error); font-size: 0.88rem; margin: 2px 0 6px; min-height: 0; }
.field-error:empty { display: none; }
.panel { background: var(--sdp-panel); border-radius: var(--sdp-radius); padding: 10px 12px; }
.panel h3 { font-size: 0.95rem; margin: 0 0 6px; }
.narration { margin: 0; padding: 0; list-style: none; font-size: 0.9rem; }
.narration li { padding: 2px 0; color: var(--sdp-muted); }
.narration li:first-child { color: var(--sdp-fg); }
.share-box { display: flex; gap: 6px; align-items: center; flex-basis: 100%; }
.share-box[hidden] { display: none; }
.share-box input { flex: 1; min-width: 0; font-size: 0.85rem; }
.embed-box, .export-box { flex-basis: 100%; display: flex; flex-direction: column; gap: 6px; font-size: 0.9rem; }
.export-box { flex-direction: row; flex-wrap: wrap; align-items: center; }
.embed-box[hidden], .export-box[hidden], .export-box button[hidden] { display: none; }
.embed-box p { margin: 0; color: var(--sdp-muted); }
.embed-snippet .row { margin: 0 0 4px; }
.embed-box textarea { width: 100%; box-sizing: border-box; font: 0.8rem ui-monospace, monospace; resize: vertical;
  color: var(--sdp-fg); background: var(--sdp-bg); border: 1px solid var(--sdp-line); border-radius: 6px; padding: 6px; }
.link-note { flex-basis: 100%; font-size: 0.88rem; padding: 6px 8px; border-radius: 6px;
  border: 1px solid var(--sdp-warn); border-left-width: 4px; background: var(--sdp-bg); }
.link-note.over { border-color: var(--sdp-error); }
.link-note.lazy { border: none; padding: 0; background: none; color: var(--sdp-muted); }
.link-note button[hidden] { display: none; }
.link-note[hidden] { display: none; }
.link-note button { margin-left: 4px; }
.diagram-scroll { overflow-x: auto; overflow-y: hidden; }
.scroll-region:focus-visible { outline-offset: -3px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.load-error { color: var(--sdp-error); padding: 16px; }
.notice {
  display: flex; align-items: flex-start; gap: 6px 12px; margin: 0 0 10px; padding: 6px 8px 6px 10px;
  background: var(--sdp-panel); border: 1px solid var(--sdp-line); border-left: 4px solid var(--sdp-error);
  border-radius: var(--sdp-radius); font-size: 0.9rem;
}
.notice[hidden] { display: none; }
.replay-progress {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; margin: 0 0 10px; padding: 6px 8px 6px 10px;
  background: var(--sdp-panel); border: 1px solid var(--sdp-line); border-left: 4px solid var(--sdp-accent);
  border-radius: var(--sdp-radius); font-size: 0.9rem;
}
.replay-progress[hidden] { display: none; }
.replay-progress progress { flex: 1; min-width: 120px; }
/* What a long replay made inert (web/replay-runner.mjs) looks it. */
.frame [inert] { opacity: 0.55; }
.notice ul { flex: 1; margin: 0; padding: 0 0 0 1.1em; }
.notice li { margin: 3px 0; overflow-wrap: anywhere; }
svg text { fill: var(--sdp-fg); font: 11px system-ui, sans-serif; }
svg .muted { fill: var(--sdp-muted); }
/* Phones and touch screens: targets a finger can hit (40 px; WCAG 2.5.8
   asks for 24, Apple's and Google's guides for 44 and 48), and no control
   wider than the widget (a select is as wide as its longest option). */
@media (max-width: 600px), (pointer: coarse) {
  /* !important: a widget's compact chips (min-height 24px) grow here too. */
  button, select, input:not([type="checkbox"]):not([type="radio"]) { min-height: 40px !important; min-width: 40px !important; }
  label:has(input[type="checkbox"]), label:has(input[type="radio"]) { display: inline-flex; align-items: center; gap: 4px; min-height: 40px !important; min-width: 40px; }
  select, input { max-width: 100%; }
}
@media (prefers-reduced-motion: reduce) {
  * { animation: none !important; transition: none !important; }
}
`;

let shared = null;
// One CSSStyleSheet object shared by every widget instance.
// The OS colour scheme the theme's media query follows, for code that reads
// the theme's colours when it draws (null outside a browser).
export const darkScheme = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

export function themeSheet() {
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(themeCss);
  }
  return shared;
}

export function sheetFrom(css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}
