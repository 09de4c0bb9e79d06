// The styles of <sdp-cap>: its controls, the cluster picture and the
// history timeline. Colours come from the theme's variables, so dark mode
// follows; every mark on the timeline also says what it is in words.
import { sheetFrom } from './theme.mjs';

const tint = (variable, percent) => `color-mix(in srgb, var(${variable}) ${percent}%, transparent)`;

export const capStyles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls input[type=number] { width: 7em; }
.controls input[type=text] { width: 5em; }
.controls .label { color: var(--sdp-muted); font-size: 0.9rem; }
.sides { display: inline-flex; flex-wrap: wrap; gap: 2px 8px; }
.sides label { font-size: 0.9rem; color: var(--sdp-fg); display: inline-flex; align-items: center; gap: 2px; }
.main { display: grid; grid-template-columns: minmax(260px, 380px) minmax(280px, 1fr); gap: 12px 16px; margin-top: 10px; align-items: start; }
@container (max-width: 640px) { .main { grid-template-columns: 1fr; } }
/* A grid column is at least as wide as its content's widest word or
   picture: min-width 0 lets a column be the widget's width, and the
   cluster picture (a named scroll region) scroll inside it on a phone. */
.main > * { min-width: 0; }
.cluster-box { border: 1px solid var(--sdp-line); border-radius: 4px; background: var(--sdp-panel); }
.cluster { display: block; width: 100%; height: auto; font-family: inherit; }
.cluster text { fill: var(--sdp-fg); font-size: 12px; }
.cluster .muted { fill: var(--sdp-muted); font-size: 11px; }
.cluster .link { stroke: var(--sdp-muted); stroke-width: 2; }
.cluster .link.cut { stroke: var(--sdp-error); stroke-dasharray: 5 4; }
.cluster .cross { stroke: var(--sdp-error); stroke-width: 2.6; }
.cluster .client { fill: var(--sdp-bg); stroke: var(--sdp-muted); }
.cluster .client-link { stroke: var(--sdp-line); stroke-width: 1.5; }
.cluster .replica circle, .cluster .replica rect { stroke: var(--sdp-fg); stroke-width: 1; }
.cluster .replica.beyond circle, .cluster .replica.beyond rect { stroke: var(--sdp-error); stroke-width: 4; }
.cluster .knife-line { stroke: var(--sdp-error); stroke-width: 1.5; stroke-dasharray: 7 5; pointer-events: none; }
.cluster .knife-handle { fill: var(--sdp-bg); stroke: var(--sdp-error); stroke-width: 2.5; cursor: grab; touch-action: none; }
.cluster .knife-handle.dragging { cursor: grabbing; }
.cluster .knife:not(.active) .knife-label { display: none; }
.cluster .knife:not(.active) .knife-line { opacity: 0.4; }
.knife-status { color: var(--sdp-muted); font-size: 0.85rem; }
.control input[type=range] { width: 7em; vertical-align: middle; }
.cluster text.knife-label { fill: var(--sdp-error); font-size: 11px; font-weight: 600; pointer-events: none; }
.cluster text.values { font-size: 11px; font-variant-numeric: tabular-nums; }
.cluster text.stance { font-weight: 700; font-size: 13px; }
.stat { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; margin-bottom: 10px; }
.stat h4 { margin: 0 0 4px; font-size: 0.9rem; }
.stat dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; font-size: 0.86rem; }
.stat dt { color: var(--sdp-muted); }
.stat dd { margin: 0; font-variant-numeric: tabular-nums; }
.stat dd.ok { color: var(--sdp-ok); font-weight: 600; }
.stat dd.bad { color: var(--sdp-error); font-weight: 600; }
.verdict { font-weight: 700; margin: 0; }
.verdict.linearizable { color: var(--sdp-ok); }
.verdict.not_linearizable { color: var(--sdp-error); }
.compare table { border-collapse: collapse; font-size: 0.84rem; margin-top: 4px; }
.compare caption { text-align: left; color: var(--sdp-muted); font-size: 0.8rem; }
.compare th, .compare td { border-bottom: 1px solid var(--sdp-line); padding: 2px 8px 2px 0; text-align: left; font-variant-numeric: tabular-nums; }
.timeline-title { font-size: 0.9rem; margin: 10px 0 4px; color: var(--sdp-muted); font-weight: 600; }
.timeline-box { overflow-x: auto; border: 1px solid var(--sdp-line); border-radius: 4px; background: var(--sdp-panel); }
/* The lane names' own strip lies over the timeline's label column (a
   negative margin, set where it is drawn) and sticks to the box's left
   edge while the timeline scrolls. */
.history-track { display: flex; width: max-content; }
.history-track > svg { flex: none; }
.lane-names { position: sticky; left: 0; z-index: 1; flex: none; background: var(--sdp-panel);
  box-shadow: 1px 0 0 var(--sdp-line); }
.lane-names .lane-label { position: absolute; left: 8px; font-weight: 700; font-size: 12px; line-height: 14px; color: var(--sdp-fg); }
.conflict-note { font-size: 0.82rem; color: var(--sdp-muted); }
.history { display: block; font-family: inherit; }
.history text { fill: var(--sdp-fg); font-size: 11.5px; }
.history .muted { fill: var(--sdp-muted); }
.history .lane { stroke: var(--sdp-line); }
.history .lane-label { font-weight: 700; font-size: 12px; }
.history .band { fill: ${tint('--sdp-error', 9)}; stroke: ${tint('--sdp-error', 45)}; stroke-dasharray: 4 3; }
.history .band-label { fill: var(--sdp-error); font-weight: 600; }
.history .break { stroke: var(--sdp-muted); stroke-dasharray: 2 4; }
.history .now { stroke: var(--sdp-accent); stroke-width: 1.5; }
.history .now-label { fill: var(--sdp-accent); font-weight: 600; }
.history .op rect { stroke-width: 1.5; }
.history .op.write rect { fill: ${tint('--sdp-accent', 20)}; stroke: var(--sdp-accent); }
.history .op.read rect { fill: ${tint('--sdp-ok', 18)}; stroke: var(--sdp-ok); }
.history .op.refused rect, .history .op.unknown rect { fill: none; stroke: var(--sdp-error); stroke-dasharray: 4 3; }
.history .op.in_flight rect { fill: none; stroke: var(--sdp-muted); stroke-dasharray: 2 3; }
.history .op.stale rect { fill: ${tint('--sdp-warn', 28)}; stroke: var(--sdp-warn); stroke-width: 2.5; }
.history .op.violating rect { stroke: var(--sdp-error); stroke-width: 3.5; }
.history .op .mark { font-size: 10.5px; font-weight: 700; fill: var(--sdp-muted); }
.history .op.stale .mark { fill: var(--sdp-warn); }
.history .op.violating .mark, .history .op.refused .mark, .history .op.unknown .mark { fill: var(--sdp-error); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.8rem; color: var(--sdp-muted); margin: 4px 0 0; }
.legend .swatch { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; border: 1.5px solid; }
.legend .swatch.write { background: ${tint('--sdp-accent', 20)}; border-color: var(--sdp-accent); }
.legend .swatch.read { background: ${tint('--sdp-ok', 18)}; border-color: var(--sdp-ok); }
.legend .swatch.stale { background: ${tint('--sdp-warn', 28)}; border-color: var(--sdp-warn); }
.legend .swatch.refused { border-color: var(--sdp-error); border-style: dashed; }
.legend .swatch.violating { border-color: var(--sdp-error); border-width: 3px; }
.legend .swatch.band { background: ${tint('--sdp-error', 9)}; border-color: ${tint('--sdp-error', 45)}; border-style: dashed; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 4px 0 0; }
`);
