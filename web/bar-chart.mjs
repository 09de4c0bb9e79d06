// Bar charts of "how much does each node carry", shared by every widget that
// compares nodes: one bar per node, an optional mark per bar (its fair share),
// and optional horizontal lines (the mean, a capacity). SVG, sized to the
// element's width; labels and values appear only when there is room.

import { formatCount, svg } from './dom.mjs';
import { watchedWidth } from './element-width.mjs';

// bars: [{label, value, colour, title, mark?}]
// options: {height, lines: [{value, label, className}], emptyText,
//           name (the chart's accessible name, followed by its numbers), unit}
export function renderBarChart(svgEl, bars, options = {}) {
  const { height = 170, lines = [], emptyText = 'Nothing to show yet.', name = 'Bar chart', unit = '' } = options;
  const width = Math.max(200, Math.floor(watchedWidth(svgEl, () => renderBarChart(svgEl, bars, options)) || 600));
  svgEl.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svgEl.setAttribute('role', 'img');
  svgEl.setAttribute('aria-label', `${name}: ${barSummary(bars, lines, emptyText, unit)}`);
  if (!bars.length) {
    svgEl.replaceChildren(svg('text', { class: 'muted', x: 8, y: 24, text: emptyText }));
    return;
  }
  const left = 44;
  const bottom = height - (height > 120 ? 24 : 8);
  const top = 14;
  const max = Math.max(1, ...bars.map((b) => b.value), ...bars.map((b) => b.mark ?? 0), ...lines.map((l) => l.value));
  const slot = (width - left - 8) / bars.length;
  const barWidth = Math.max(2, Math.min(48, slot * 0.72));
  const y = (value) => bottom - (value / max) * (bottom - top);
  const parts = [
    svg('line', { x1: left, x2: width - 4, y1: bottom, y2: bottom, class: 'axis' }),
    svg('text', { class: 'muted', x: left - 6, y: top + 4, 'text-anchor': 'end', text: formatCount(Math.round(max)) }),
    svg('text', { class: 'muted', x: left - 6, y: bottom, 'text-anchor': 'end', text: '0' }),
  ];
  const showLabels = height > 120 && slot >= 26;
  bars.forEach((bar, i) => {
    const x = left + slot * i + (slot - barWidth) / 2;
    parts.push(svg('rect', { x: x.toFixed(1), y: y(bar.value).toFixed(1), width: barWidth.toFixed(1),
      height: (bottom - y(bar.value)).toFixed(1), fill: bar.colour, rx: 2 }, svg('title', { text: bar.title ?? `${bar.label}: ${formatCount(bar.value)}` })));
    if (bar.mark !== undefined) {
      parts.push(svg('line', { class: 'ideal', x1: (x - 2).toFixed(1), x2: (x + barWidth + 2).toFixed(1), y1: y(bar.mark).toFixed(1), y2: y(bar.mark).toFixed(1) }));
    }
    if (showLabels) {
      const fit = Math.max(1, Math.floor(slot / 7) - 1);
      const label = bar.label.length > fit + 1 ? `${bar.label.slice(0, fit)}…` : bar.label;
      parts.push(svg('text', { x: (x + barWidth / 2).toFixed(1), y: bottom + 14, 'text-anchor': 'middle', text: label }));
    }
    if (showLabels && slot >= 40) {
      parts.push(svg('text', { class: 'muted', x: (x + barWidth / 2).toFixed(1), y: (y(bar.value) - 4).toFixed(1), 'text-anchor': 'middle', text: formatCount(Math.round(bar.value)) }));
    }
  });
  for (const line of lines) {
    parts.push(svg('line', { class: line.className ?? 'mean', x1: left, x2: width - 4, y1: y(line.value).toFixed(1), y2: y(line.value).toFixed(1) },
      svg('title', { text: line.label ?? '' })));
  }
  svgEl.replaceChildren(...parts);
}

export const barChartCss = `
.bars { width: 100%; display: block; }
.bars .axis { stroke: var(--sdp-muted); }
.bars .mean { stroke: var(--sdp-fg); stroke-dasharray: 5 4; stroke-width: 1.2; }
.bars .cap { stroke: var(--sdp-error); stroke-dasharray: 2 3; stroke-width: 1.5; }
.bars .ideal { stroke: var(--sdp-fg); stroke-width: 2; }
`;

const LISTED_BARS = 12;

// The numbers a screen reader gets instead of the bars: each bar (or, past a
// dozen, the fewest and the most), then the lines.
export function barSummary(bars, lines = [], emptyText = '', unit = '') {
  if (!bars.length) return emptyText;
  const show = (b) => `${b.label} ${formatCount(Math.round(b.value))}`;
  let text;
  if (bars.length <= LISTED_BARS) text = bars.map(show).join(', ');
  else {
    const sorted = [...bars].sort((a, b) => a.value - b.value);
    text = `${bars.length} bars, fewest ${show(sorted[0])}, most ${show(sorted.at(-1))}`;
  }
  if (unit) text += ` ${unit}`;
  const extra = lines.filter((l) => l.label).map((l) => `${l.label} ${formatCount(Math.round(l.value))}`);
  return `${text}${extra.length ? `; ${extra.join(', ')}` : ''}.`;
}
