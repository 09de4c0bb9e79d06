// Time-series charts for every widget: a thin wrapper over uPlot (bundled
// in dist/web/vendor) that follows the widget's theme and its width.

import uPlot from './vendor/uPlot.esm.js';
import uplotCss from './vendor/uplot-css.mjs';
import { sheetFrom } from './theme.mjs';

export const chartSheet = sheetFrom(`${uplotCss}
.u-legend { font-size: 12px; color: var(--sdp-fg); }
.u-title { font-size: 13px; font-weight: 600; color: var(--sdp-fg); }
.chart-empty { color: var(--sdp-muted); font-size: 0.9rem; margin: 8px 0; }
`);

// spec: {title, xLabel, yLabel, yFormat?, logX?, height?, points? (default true),
//        y2Label? (a second y axis, on the right, for series with right: true),
//        series: [{label, colour, dash?, width? (default 2), right?}]}
// Series are drawn in order, so a later one lies on top of an earlier one.
export class LineChart {
  #plot = null;
  #host;
  #spec;

  constructor(host, spec) {
    this.#host = host;
    this.#spec = spec;
  }

  // data: [xs, ys1, ys2, ...] (uPlot's column layout)
  update(data) {
    const width = Math.max(240, Math.floor(this.#host.clientWidth || 480));
    if (!this.#plot || this.#plot.width !== width) {
      this.#plot?.destroy();
      this.#plot = new uPlot(this.#options(width), data, this.#host);
    } else {
      this.#plot.setData(data);
    }
  }

  destroy() {
    this.#plot?.destroy();
    this.#plot = null;
  }

  #options(width) {
    const fromZero = (u, min, max) => [0, max > 0 ? max * 1.15 : 1];
    const style = getComputedStyle(this.#host);
    const fg = style.getPropertyValue('--sdp-muted').trim() || '#666';
    const grid = style.getPropertyValue('--sdp-line').trim() || '#ddd';
    const axis = (label) => ({ label, stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } });
    const spec = this.#spec;
    return {
      title: spec.title,
      width,
      height: spec.height ?? 180,
      scales: {
        // Whole-number x (steps, changes), padded so one point is not at an edge;
        // or a log scale for parameter sweeps.
        x: spec.logX ? { time: false, distr: 3 } : { time: false, range: (u, min, max) => [Math.min(0, min), Math.max(max + 1, 4)] },
        y: { range: fromZero },
        // The right axis tops out at twice its maximum: its lines stay in the
        // lower half instead of running along the left axis' maxima.
        ...(spec.y2Label ? { y2: { range: (u, min, max) => [0, max > 0 ? max * 2.2 : 1] } } : {}),
      },
      axes: [spec.logX ? axis(spec.xLabel) : { ...axis(spec.xLabel), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
        { ...axis(spec.yLabel), size: 56, values: spec.yFormat ? (u, v) => v.map(spec.yFormat) : undefined },
        ...(spec.y2Label ? [{ ...axis(spec.y2Label), scale: 'y2', side: 1, size: 56, grid: { show: false } }] : [])],
      series: [{ label: spec.xLabel }, ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: s.width ?? 2,
        dash: s.dash,
        scale: s.right && spec.y2Label ? 'y2' : 'y',
        points: { show: spec.points ?? true, size: 6 },
        value: spec.yFormat ? (u, v) => (v == null ? '–' : spec.yFormat(v)) : undefined,
      }))],
    };
  }
}
