// The segments of <sdp-search-index> as bars, in the style of Mike
// McCandless's Lucene merge videos: one bar per segment, left to right in
// index order, its height the documents it holds; the deleted ones (still on
// disk, only cleared in the live-docs bitmap) stacked on top in red; the
// segments the last refresh or merge wrote outlined. The buffer (indexed,
// not yet searchable) is a dashed bar at the end. Not bar-chart.mjs: that
// draws one value per bar, these are two stacked parts and a buffer.

import { formatCount, plural, svg } from './dom.mjs';
import { watchedWidth } from './element-width.mjs';

export const segmentsCss = `
.segments { width: 100%; display: block; }
.segments text { fill: var(--sdp-fg); font-size: 11px; }
.segments text.muted { fill: var(--sdp-muted); }
.segments .live { fill: var(--sdp-accent); }
.segments .deleted { fill: var(--sdp-error); opacity: 0.75; }
.segments .fresh { fill: none; stroke: var(--sdp-fg); stroke-width: 2; }
.segments .buffer { fill: none; stroke: var(--sdp-muted); stroke-dasharray: 4 3; stroke-width: 1.5; }
.segments .axis { stroke: var(--sdp-muted); }
`;

// The segment names the last step wrote: a refresh's new segment and every
// merge's result.
export function writtenBy(result) {
  if (!result || typeof result !== 'object') return new Set();
  const refresh = result.refresh ?? result;
  const names = [refresh.segment, ...(refresh.merges ?? []).map((m) => m.into), ...(result.merges ?? []).map((m) => m.into)];
  return new Set(names.filter((n) => typeof n === 'string'));
}

export function renderSegments(svgEl, snap, fresh, options = {}) {
  const { height = 190 } = options;
  const width = Math.max(280, Math.floor(watchedWidth(svgEl, () => renderSegments(svgEl, snap, fresh, options)) || 700));
  svgEl.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svgEl.setAttribute('role', 'img');
  const segments = snap.segments;
  const bars = segments.map((s) => ({ ...s, kind: 'segment' }));
  if (snap.buffered > 0) bars.push({ name: 'buffer', docs: snap.buffered, live: snap.buffered, deleted: 0, kind: 'buffer' });
  svgEl.setAttribute('aria-label', `Segments by size: ${segments.length === 0 ? 'none yet' : segments.map((s) =>
    `${s.name} ${formatCount(s.docs)} docs${s.deleted ? ` (${formatCount(s.deleted)} deleted)` : ''}`).join(', ')}${snap.buffered ? `; buffer ${formatCount(snap.buffered)} docs not yet searchable` : ''}.`);
  if (bars.length === 0) {
    svgEl.replaceChildren(svg('text', { class: 'muted', x: 8, y: 24, text: 'No segments yet: index documents, then refresh.' }));
    return;
  }
  const left = 44;
  const top = 18;
  const bottom = height - 22;
  const max = Math.max(10, ...bars.map((b) => b.docs));
  const slot = (width - left - 8) / Math.max(bars.length, 6);
  const barWidth = Math.max(4, Math.min(56, slot * 0.7));
  const y = (docs) => bottom - (docs / max) * (bottom - top);
  const parts = [
    svg('line', { class: 'axis', x1: left, x2: width - 4, y1: bottom, y2: bottom }),
    svg('text', { class: 'muted', x: left - 6, y: top + 4, 'text-anchor': 'end', text: formatCount(max) }),
    svg('text', { class: 'muted', x: left - 6, y: bottom, 'text-anchor': 'end', text: '0' }),
  ];
  const showLabels = slot >= 24;
  bars.forEach((bar, i) => {
    const x = left + slot * i + (slot - barWidth) / 2;
    const cx = (x + barWidth / 2).toFixed(1);
    const title = bar.kind === 'buffer'
      ? `buffer: ${plural(bar.docs, 'document')} indexed, not searchable until the next refresh`
      : `${bar.name}: ${plural(bar.docs, 'document')}, ${formatCount(bar.deleted)} deleted (tombstones until a merge)`;
    if (bar.kind === 'buffer') {
      parts.push(svg('rect', { class: 'buffer', x: x.toFixed(1), y: y(bar.docs).toFixed(1), width: barWidth.toFixed(1),
        height: (bottom - y(bar.docs)).toFixed(1) }, svg('title', { text: title })));
    } else {
      parts.push(svg('rect', { class: 'live', x: x.toFixed(1), y: y(bar.live).toFixed(1), width: barWidth.toFixed(1),
        height: (bottom - y(bar.live)).toFixed(1) }, svg('title', { text: title })));
      if (bar.deleted > 0) {
        parts.push(svg('rect', { class: 'deleted', x: x.toFixed(1), y: y(bar.docs).toFixed(1), width: barWidth.toFixed(1),
          height: (y(bar.live) - y(bar.docs)).toFixed(1) }, svg('title', { text: title })));
      }
      if (fresh.has(bar.name)) {
        parts.push(svg('rect', { class: 'fresh', x: (x - 2).toFixed(1), y: (y(bar.docs) - 2).toFixed(1), width: (barWidth + 4).toFixed(1),
          height: (bottom - y(bar.docs) + 2).toFixed(1) }));
      }
    }
    if (showLabels) {
      parts.push(svg('text', { x: cx, y: bottom + 14, 'text-anchor': 'middle', class: bar.kind === 'buffer' ? 'muted' : '', text: bar.name }));
      parts.push(svg('text', { class: 'muted', x: cx, y: (y(bar.docs) - 4).toFixed(1), 'text-anchor': 'middle', text: formatCount(bar.docs) }));
    }
  });
  svgEl.replaceChildren(...parts);
}
