// <sdp-redis-geo>: Redis GEO on a plane of longitude and latitude (no map
// tiles). Click to GEOADD a place and see its 52-bit interleaved score and its
// GEOHASH; search a radius and see the nine cells Redis scans and which
// candidates the distance filter keeps. Attributes: seed, sync-url, state-key.

import { el, formatCount, svg, wideDiagram } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { consoleSheet, RedisConsole } from './redis-console.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const KEY = 'sicily';
const W = 640;
const H = 420;
const RADII = [50, 100, 150, 300];
const PLACES = [['13.361389', '38.115556', 'Palermo'], ['15.087269', '37.502669', 'Catania'], ['13.5765', '37.3111', 'Agrigento'],
  ['15.5542', '38.1938', 'Messina'], ['15.2866', '37.0755', 'Syracuse'], ['12.4372', '37.7990', 'Marsala'], ['14.2681', '40.8518', 'Naples']];
const EXAMPLES = ['GEODIST sicily Palermo Catania km', 'GEOHASH sicily Palermo Catania', 'GEOPOS sicily Palermo',
  'GEOSEARCH sicily FROMLONLAT 15 37 BYBOX 200 150 km ASC WITHDIST', 'GEOADD sicily 200 100 nowhere'];

const styles = sheetFrom(`
.layout { display: grid; grid-template-columns: minmax(300px, 1.3fr) minmax(280px, 1fr); gap: 16px; align-items: start; }
@container (max-width: 760px) { .layout { grid-template-columns: minmax(0, 1fr); } }
.layout > * { min-width: 0; }
h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.plane { width: 100%; height: auto; display: block; border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); background: var(--sdp-panel); cursor: crosshair; }
.plane text { font-size: 12px; fill: var(--sdp-fg); }
.plane .grid { stroke: var(--sdp-line); stroke-width: 1; }
.plane .grid-label { fill: var(--sdp-muted); font-size: 10px; }
.plane .place { fill: var(--sdp-fg); }
.plane .place.kept { fill: var(--sdp-ok); }
.plane .place.dropped { fill: var(--sdp-error); }
.plane .place.added { fill: var(--sdp-accent); }
.plane .cell { fill: var(--sdp-accent); fill-opacity: 0.07; stroke: var(--sdp-accent); stroke-width: 1.2; }
.plane .cell.excluded, .plane .cell.duplicate { fill: none; stroke-dasharray: 4 3; stroke-opacity: 0.6; }
.plane .cell-label { fill: var(--sdp-accent); font-size: 10px; }
.plane .radius { fill: none; stroke: var(--sdp-ok); stroke-width: 2; stroke-dasharray: 6 4; }
.bits { font-family: ui-monospace, monospace; font-size: 0.78rem; word-break: break-all; line-height: 1.5; }
:host { --geo-lon: #2457d6; --geo-lat: #a3501a; } /* ≥ 4.5:1 on --sdp-bg and --sdp-panel */
@media (prefers-color-scheme: dark) { :host { --geo-lon: #7aa2ff; --geo-lat: #f2a36b; } }
.bits .lon { color: var(--geo-lon); }
.bits .lat { color: var(--geo-lat); }
.facts { font-size: 0.85rem; margin: 4px 0; }
.facts dt { color: var(--sdp-muted); }
.facts dd { margin: 0 0 4px; font-variant-numeric: tabular-nums; word-break: break-all; }
.note { color: var(--sdp-muted); font-size: 0.85rem; margin: 4px 0; }
`);

const ELLIPSE_SEGMENTS = 180;

// The part of an ellipse inside the plane, as a path: a circle larger than
// the view is drawn only where it shows, so no shape lies under the controls
// around the plane.
function visibleEllipse(cx, cy, rx, ry) {
  let d = '';
  let drawing = false;
  for (let i = 0; i <= ELLIPSE_SEGMENTS; i++) {
    const a = (i / ELLIPSE_SEGMENTS) * 2 * Math.PI;
    const x = cx + rx * Math.cos(a);
    const y = cy + ry * Math.sin(a);
    const inside = x >= 0 && x <= W && y >= 0 && y <= H;
    if (inside) d += `${drawing ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    drawing = inside;
  }
  return d || 'M0,0';
}

const LISTED_PLACES = 10;

// The plane in words: the places, and what the last search scanned and kept.
function planeSummary(places, search) {
  const names = places.slice(0, LISTED_PLACES).map((p) => p.member).join(', ');
  let text = `Places on a longitude/latitude plane: ${places.length === 1 ? '1 place' : `${places.length} places`}` +
    (places.length ? ` (${names}${places.length > LISTED_PLACES ? ', …' : ''})` : '');
  if (search) {
    const scanned = search.cells.filter((c) => c.status === 'scanned').length;
    const kept = (search.candidates ?? []).filter((c) => c.kept).length;
    const dropped = (search.candidates ?? []).length - kept;
    text += `; last search around ${Number(search.center.lon).toFixed(3)}, ${Number(search.center.lat).toFixed(3)}` +
      (search.shape.kind === 'radius' ? ` within ${search.radius_meters / 1000} km` : '') +
      `: ${scanned} of ${search.cells.length} cells scanned, ${kept} kept, ${dropped} in a scanned cell but too far`;
  }
  return `${text}.`;
}

export class RedisGeoElement extends SdpWidget {
  static sim = 'redis_geo';
  static title = 'Redis GEO';
  static subtitle = 'A place is a sorted-set member whose score is its 52-bit interleaved geohash. Drop places, search a radius, and see the cells Redis scans.';
  static styles = [styles, consoleSheet];

  #v = {};
  #lastAdd = null;
  #lastSearch = null;
  #frame = null;

  initialSteps() {
    return [
      { op: 'command', line: `GEOADD ${KEY} ${PLACES.map((p) => p.join(' ')).join(' ')}` },
      { op: 'command', line: `GEOSEARCH ${KEY} FROMMEMBER Palermo BYRADIUS 150 km ASC WITHDIST` },
    ];
  }

  replayStarted() {
    this.#v.console?.clear();
    this.#lastAdd = null;
    this.#lastSearch = null;
  }

  stepApplied(step, result) {
    if (step.op !== 'command') return;
    this.#v.console.record(step.line, result);
    if (result.trace?.points) this.#lastAdd = result.trace.points.at(-1);
    if (result.trace?.cells) this.#lastSearch = result.trace;
  }

  describe(step, r) {
    if (step.op !== 'command') return '';
    if (r.reply.type === 'error') return `Redis refused: ${r.reply.value}`;
    const t = r.trace ?? {};
    if (t.points?.length) {
      const p = t.points.at(-1);
      return `${p.member}: score ${p.score}, GEOHASH ${p.geohash}.`;
    }
    if (t.cells) {
      const scanned = t.cells.filter((c) => c.status === 'scanned').length;
      return `Search at step ${t.step} (cells ~${cellSize(t)}): ${scanned} cells scanned, ${t.candidates_total ?? t.candidates.length} candidates, ${t.matches} within the ${t.shape.kind}.`;
    }
    if (t.meters !== undefined) return `${t.from.member} → ${t.to.member}: ${(t.meters / 1000).toFixed(2)} km by haversine on Redis's Earth radius.`;
    return '';
  }

  buildBody(body) {
    const v = this.#v;
    v.console = new RedisConsole(this, { run: (line, source) => this.act({ op: 'command', line }, source), examples: EXAMPLES, placeholder: 'GEOADD sicily 14.0 37.5 Caltanissetta' });
    v.plane = svg('svg', { class: 'plane', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Places on a longitude/latitude plane' });
    v.plane.addEventListener('click', (e) => this.#click(e));
    v.mode = el('select', { 'aria-label': 'A click on the plane' },
      el('option', { value: 'add', text: 'click: GEOADD a place' }), el('option', { value: 'search', text: 'click: GEOSEARCH around it' }));
    v.radius = el('select', { 'aria-label': 'Search radius' }, ...RADII.map((r) => el('option', { value: String(r), text: `radius ${r} km` })));
    v.radius.value = '150';
    v.facts = el('div', {});
    body.append(el('div', { class: 'layout' },
      el('div', {}, this.controlGroup(v.mode, v.radius), wideDiagram(v.plane, 'The map (scrolls sideways on a narrow screen)', { units: W, labelPx: 10 }),
        el('p', { class: 'note', text: 'Green dashes: the search radius. Blue boxes: the nine geohash cells Redis scans (dashed: skipped). Green dots passed the distance filter; red ones were in a scanned cell but too far.' })),
      el('div', {}, el('h3', { text: 'The last place added' }), v.facts, el('h3', { text: 'redis-cli' }), v.console.element)));
  }

  #click(e) {
    if (!this.#frame) return;
    const box = this.#v.plane.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * W;
    const py = ((e.clientY - box.top) / box.height) * H;
    const { lon, lat } = this.#frame.invert(px, py);
    const lonText = lon.toFixed(4);
    const latText = lat.toFixed(4);
    if (this.#v.mode.value === 'search') {
      this.act({ op: 'command', line: `GEOSEARCH ${KEY} FROMLONLAT ${lonText} ${latText} BYRADIUS ${this.#v.radius.value} km ASC WITHDIST` }, this.#v.plane);
    } else {
      const n = (this.session.snapshot().view?.size ?? 0) + 1;
      this.act({ op: 'command', line: `GEOADD ${KEY} ${lonText} ${latText} place-${n}` }, this.#v.plane);
    }
  }

  render(snap) {
    const places = snap.view?.places ?? [];
    this.#frame = frameFor(places, this.#lastSearch);
    this.#drawPlane(places);
    this.#drawFacts(snap);
  }

  #drawPlane(places) {
    const f = this.#frame;
    const parts = [];
    for (const lon of f.gridLons) parts.push(svg('line', { x1: f.x(lon), x2: f.x(lon), y1: 0, y2: H, class: 'grid' }),
      svg('text', { x: f.x(lon) + 2, y: H - 4, class: 'grid-label', text: `${lon}°` }));
    for (const lat of f.gridLats) parts.push(svg('line', { x1: 0, x2: W, y1: f.y(lat), y2: f.y(lat), class: 'grid' }),
      svg('text', { x: 2, y: f.y(lat) - 2, class: 'grid-label', text: `${lat}°` }));
    const search = this.#lastSearch;
    const verdict = new Map((search?.candidates ?? []).map((c) => [c.member, c.kept ? 'kept' : 'dropped']));
    if (search) {
      for (const cell of search.cells) {
        if (!cell.bounds) continue;
        const b = cell.bounds;
        // Only the part on the plane: a cell much larger than the view would
        // otherwise lie (invisibly clipped) over the controls around it.
        const [x0, x1] = [Math.max(0, f.x(b.min_lon)), Math.min(W, f.x(b.max_lon))];
        const [y0, y1] = [Math.max(0, f.y(b.max_lat)), Math.min(H, f.y(b.min_lat))];
        if (x1 <= x0 || y1 <= y0) continue;
        parts.push(svg('rect', { x: x0, y: y0, width: x1 - x0, height: y1 - y0, class: `cell ${cell.status}` }));
        if (cell.status === 'scanned') parts.push(svg('text', { x: x0 + 3, y: y0 + 11, class: 'cell-label', text: cell.name.replace('_', '-') }));
      }
      const c = search.center;
      const rx = f.x(c.lon + metresToLon(search.radius_meters, c.lat)) - f.x(c.lon);
      const ry = f.y(c.lat) - f.y(c.lat + search.radius_meters / 111320);
      if (search.shape.kind === 'radius') parts.push(svg('path', { d: visibleEllipse(f.x(c.lon), f.y(c.lat), rx, ry), class: 'radius' }));
      parts.push(svg('path', { d: `M${f.x(c.lon) - 6},${f.y(c.lat)} h12 M${f.x(c.lon)},${f.y(c.lat) - 6} v12`, class: 'radius' }));
    }
    for (const p of places) {
      const added = this.#lastAdd?.member === p.member;
      const cls = added ? 'added' : verdict.get(p.member) ?? '';
      parts.push(svg('circle', { cx: f.x(Number(p.lon)), cy: f.y(Number(p.lat)), r: added ? 6 : 4.5, class: `place ${cls}` }),
        svg('text', { x: f.x(Number(p.lon)) + 7, y: f.y(Number(p.lat)) - 5, text: p.member }));
    }
    this.#v.plane.replaceChildren(...parts);
    this.#v.plane.setAttribute('aria-label', planeSummary(places, search));
  }

  #drawFacts(snap) {
    const p = this.#lastAdd;
    if (!p) return this.#v.facts.replaceChildren(el('p', { class: 'note', text: 'Click the plane to add a place.' }));
    const bits = [...p.bits].map((b, i) => el('span', { class: i % 2 ? 'lat' : 'lon', text: b }));
    const dl = (...pairs) => el('dl', { class: 'facts' }, ...pairs.flatMap(([term, ...desc]) => [el('dt', { text: term }), el('dd', {}, ...desc)]));
    this.#v.facts.replaceChildren(dl(
      ['member', `${p.member} at ${p.lon}, ${p.lat}`],
      ['52 interleaved bits (longitude, latitude)', el('div', { class: 'bits' }, ...bits)],
      ['score (what ZADD stores)', `${p.score} — held in a double: ${snap.bytes_per_point} bytes a place`],
      ['GEOHASH (base32, standard ±90° latitude)', p.geohash],
      ['its cell (26 steps)', `${cellMetres(p.cell)} — GEOPOS answers its centre: ${p.geopos.join(', ')}`]));
  }
}

function metresToLon(m, lat) {
  return m / (111320 * Math.max(0.05, Math.cos((lat * Math.PI) / 180)));
}

function cellSize(t) {
  const c = t.cells.find((cell) => cell.bounds);
  return c ? cellMetres(c.bounds) : '?';
}

function cellMetres(b) {
  const h = (b.max_lat - b.min_lat) * 111320;
  const w = (b.max_lon - b.min_lon) * 111320 * Math.cos((((b.max_lat + b.min_lat) / 2) * Math.PI) / 180);
  const fmt = (m) => (m >= 1000 ? `${formatCount(Math.round(m / 1000))} km` : `${m.toFixed(2)} m`);
  return `${fmt(w)} × ${fmt(h)}`;
}

// An equirectangular frame around the places (and the last search's cells),
// with longitude scaled by cos(latitude) so shapes look right.
function frameFor(places, search) {
  const lons = places.map((p) => Number(p.lon));
  const lats = places.map((p) => Number(p.lat));
  for (const cell of search?.cells ?? []) {
    if (cell.status !== 'scanned' || !cell.bounds) continue;
    lons.push(cell.bounds.min_lon, cell.bounds.max_lon);
    lats.push(cell.bounds.min_lat, cell.bounds.max_lat);
  }
  if (!lons.length) lons.push(-180, 180), lats.push(-80, 80);
  let [lon0, lon1] = [Math.min(...lons), Math.max(...lons)];
  let [lat0, lat1] = [Math.min(...lats), Math.max(...lats)];
  const k = Math.max(0.1, Math.cos((((lat0 + lat1) / 2) * Math.PI) / 180));
  const span = Math.max((lon1 - lon0) * k / W, (lat1 - lat0) / H, 0.5 / H) * 1.15;  // degrees per px
  const cx = (lon0 + lon1) / 2;
  const cy = (lat0 + lat1) / 2;
  const x = (lon) => W / 2 + ((lon - cx) * k) / span;
  const y = (lat) => H / 2 - (lat - cy) / span;
  const invert = (px, py) => ({
    lon: Math.max(-180, Math.min(180, cx + ((px - W / 2) * span) / k)),
    lat: Math.max(-85, Math.min(85, cy - (py - H / 2) * span)) });
  const step = niceStep((W * span) / k / 6);
  const grid = (lo, hi) => { const out = []; for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(Number(v.toFixed(6))); return out; };
  return { x, y, invert, gridLons: grid(cx - (W / 2) * span / k, cx + (W / 2) * span / k), gridLats: grid(cy - (H / 2) * span, cy + (H / 2) * span) };
}

function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
