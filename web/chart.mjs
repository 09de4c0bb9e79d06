// Time-series charts for every widget: a thin wrapper over uPlot (bundled
// in dist/web/vendor) that follows the widget's theme and its width. A canvas
// says nothing to a screen reader: each chart's canvas is an image named by
// its title and the latest value of every series, renewed on every update.

import uPlot from './vendor/uPlot.esm.js';
import uplotCss from './vendor/uplot-css.mjs';
import { darkScheme, sheetFrom } from './theme.mjs';
import { watchedWidth } from './element-width.mjs';

export const chartSheet = sheetFrom(`${uplotCss}
.u-legend { font-size: 12px; color: var(--sdp-fg); }
.u-title { font-size: 13px; font-weight: 600; color: var(--sdp-fg); }
.chart-empty { color: var(--sdp-muted); font-size: 0.9rem; margin: 8px 0; }
`);

// spec: {title, xLabel, yLabel, yFormat?, logX?, height?, points? (default true),
//        y2Label? (a second y axis, on the right, for series with right: true),
//        xRange? ((min, max) -> [lo, hi]; default: from 0, at least 4 wide),
//        xIncrs? (x tick steps; default whole numbers 1, 2, 5, ... 1000),
//        series: [{label, colour, dash?, width? (default 2), right?,
//                  line? (false: markers only, filled, at each non-null value)}]}
// Series are drawn in order, so a later one lies on top of an earlier one.
// The widgets' colours follow the OS theme live (theme.mjs's media query);
// a chart's axis and grid colours are read when it is built, so it is built
// again when the theme has changed since.
const schemeNow = () => (darkScheme?.matches ? 'dark' : 'light');

// Compare mode (web/compare-lanes.mjs): a chart in lane B hands its data to
// the chart of the same title in lane A, which draws B's series over its own,
// dashed and named "B: …" (uPlot.join aligns the two lanes' x values). Lane
// B still draws its own charts too.
const chartsOf = new WeakMap(); // lane A widget -> Map(title -> LineChart)
const ownerOf = (host) => host.getRootNode?.()?.host ?? null;
const LANE_B_DASH = [6, 4];

function withLaneB(spec, laneB) {
  return { ...spec, series: [...spec.series, ...laneB.series.map((s) => ({ ...s, label: `B: ${s.label}`, dash: LANE_B_DASH }))] };
}

// Compare is off: lane A's charts draw their own series only.
export function dropOverlays(widget) {
  for (const chart of chartsOf.get(widget)?.values() ?? []) chart.overlay(null);
}

export class LineChart {
  #plot = null;
  #host;
  #spec;
  #scheme = null;
  #data = null;
  #overlay = null; // lane B's data for this chart (compare mode), or null
  #drawnSeries = 0;

  constructor(host, spec) {
    this.#host = host;
    this.#spec = spec;
  }

  // data: [xs, ys1, ys2, ...] (uPlot's column layout)
  update(data) {
    this.#data = data;
    const owner = ownerOf(this.#host);
    const laneA = owner?.compareLane?.laneA;
    if (laneA) {
      chartsOf.get(laneA)?.get(this.#spec.title)?.overlay({ data, spec: this.#spec });
    } else if (owner) {
      if (!chartsOf.has(owner)) chartsOf.set(owner, new Map());
      chartsOf.get(owner).set(this.#spec.title, this);
    }
    this.#draw();
  }

  // Lane B's chart's {data, spec} (null: none); drawn at once, at the width
  // drawn last: reading the host's width here would lay out the page again
  // in the middle of lane B's drawing.
  overlay(laneB) {
    this.#overlay = laneB;
    if (this.#data) this.#draw(this.#plot?.width);
  }

  #draw(knownWidth = null) {
    const spec = this.#overlay ? withLaneB(this.#spec, this.#overlay.spec) : this.#spec;
    const data = this.#overlay ? uPlot.join([this.#data, this.#overlay.data]) : this.#data;
    const width = knownWidth ?? Math.max(240, Math.floor(watchedWidth(this.#host, () => this.#data && this.#draw()) || 480));
    if (!this.#plot || this.#plot.width !== width || this.#scheme !== schemeNow() || this.#drawnSeries !== spec.series.length) {
      this.#plot?.destroy();
      this.#scheme = schemeNow();
      this.#drawnSeries = spec.series.length;
      this.#plot = new uPlot(this.#options(width, spec), data, this.#host);
      this.#plot.root.querySelector('canvas').setAttribute('role', 'img');
      // uPlot's legend is a table of header cells only (no values: not live):
      // to a screen reader it is a list of names, which the canvas' name has.
      this.#plot.root.querySelector('.u-legend')?.setAttribute('role', 'presentation');
    } else {
      this.#plot.setData(data);
    }
    const canvas = this.#plot.root.querySelector('canvas');
    canvas.setAttribute('aria-label', `${spec.title}. ${chartSummary(spec, data)}`);
    // Axes with no line: a picture of the widget passes over it (export.mjs).
    canvas.dataset.empty = String(!hasValues(data));
  }

  destroy() {
    const charts = chartsOf.get(ownerOf(this.#host));
    if (charts?.get(this.#spec.title) === this) charts.delete(this.#spec.title);
    this.#plot?.destroy();
    this.#plot = null;
  }

  #options(width, spec) {
    const fromZero = (u, min, max) => [0, max > 0 ? max * 1.15 : 1];
    const style = getComputedStyle(this.#host);
    const fg = style.getPropertyValue('--sdp-muted').trim() || '#666';
    const grid = style.getPropertyValue('--sdp-line').trim() || '#ddd';
    const axis = (label) => ({ label, stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } });
    return {
      title: spec.title,
      width,
      // A live legend shows "--" until the pointer is over the plot: the
      // legend names the series, the canvas' name carries the values.
      legend: { live: false },
      height: spec.height ?? 180,
      scales: {
        // Whole-number x (steps, changes), padded so one point is not at an edge;
        // or a log scale for parameter sweeps.
        x: spec.logX ? { time: false, distr: 3 }
          : { time: false, range: spec.xRange ? (u, min, max) => spec.xRange(min, max) : (u, min, max) => [Math.min(0, min), Math.max(max + 1, 4)] },
        y: { range: fromZero },
        // The right axis tops out at twice its maximum: its lines stay in the
        // lower half instead of running along the left axis' maxima.
        ...(spec.y2Label ? { y2: { range: (u, min, max) => [0, max > 0 ? max * 2.2 : 1] } } : {}),
      },
      axes: [spec.logX ? axis(spec.xLabel) : { ...axis(spec.xLabel), incrs: spec.xIncrs ?? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
        { ...axis(spec.yLabel), size: 56, values: spec.yFormat ? (u, v) => v.map(spec.yFormat) : undefined },
        ...(spec.y2Label ? [{ ...axis(spec.y2Label), scale: 'y2', side: 1, size: 56, grid: { show: false } }] : [])],
      series: [{ label: spec.xLabel }, ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: s.width ?? 2,
        dash: s.dash,
        scale: s.right && spec.y2Label ? 'y2' : 'y',
        ...(s.line === false
          ? { paths: () => null, points: { show: true, size: 9, fill: s.colour } }
          : { points: { show: spec.points ?? true, size: 6 } }),
        value: spec.yFormat ? (u, v) => (v == null ? '–' : spec.yFormat(v)) : undefined,
      }))],
    };
  }
}

// Whether any series has a value to draw (data[0] is x).
const hasValues = (data) => data.slice(1).some((ys) => ys?.some((v) => Number.isFinite(v)));

// "name (unit)" -> [name, unit]; a label without a unit is all name.
function splitUnit(label = '') {
  const m = /^(.*) \(([^()]+)\)$/.exec(label);
  return m ? [m[1], m[2]] : [label, ''];
}

function formatValue(v) {
  if (!Number.isFinite(v)) return 'none';
  const rounded = Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(3));
  return rounded.toLocaleString('en-US');
}

// One sentence: each series' latest value (at the last x) and its peak.
export function chartSummary(spec, data) {
  const xs = data[0] ?? [];
  if (xs.length === 0) return 'No data yet.';
  const last = xs.length - 1;
  const [xName, xUnit] = splitUnit(spec.xLabel);
  const at = `${xName} ${formatValue(xs[last])}${xUnit ? ` ${xUnit}` : ''}`;
  const parts = spec.series.map((s, i) => {
    const ys = data[i + 1] ?? [];
    const unit = s.right && spec.y2Label ? spec.y2Label : spec.yLabel;
    const show = (v) => (spec.yFormat && !(s.right && spec.y2Label) ? spec.yFormat(v) : `${formatValue(v)} ${unit}`);
    const values = ys.filter((v) => Number.isFinite(v));
    const peak = values.length ? Math.max(...values) : NaN;
    return `${s.label} ${Number.isFinite(ys[last]) ? show(ys[last]) : 'none'} (peak ${Number.isFinite(peak) ? show(peak) : 'none'})`;
  });
  return `At ${at}: ${parts.join('; ')}.`;
}
