// <sdp-api-gateway>: requests from several clients go through the gateway's
// pipeline, authenticate -> rate limit (per user id from the token) ->
// route, to backend services. Every request is a dot that stops where it was
// refused (401 at the door, 429 at the limiter, or 503 without headers when
// the limiter is nginx's limit_req, 404/405 at the router, 503 at a service
// that is down) or reaches its service. The last response is
// shown with its status, reason and RateLimit headers.
// Attributes: seed, sync-url, state-key.

import { el, formatCount, setSelect, svg, wideDiagram } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';

// Clients: whose token, and how it was made (issue_token's forge kinds).
const CLIENTS = [
  { name: 'alice', user: 'alice', label: 'alice (valid token)' },
  { name: 'bob', user: 'bob', label: 'bob (valid token)' },
  { name: 'mallory', user: 'alice', forge: 'signature', label: 'mallory (forged signature, claims alice)' },
  { name: 'eve', user: 'eve', forge: 'expired', label: 'eve (expired token)' },
  { name: 'oscar', user: 'oscar', forge: 'alg_none', label: 'oscar (alg "none")' },
  { name: 'anonymous', label: 'anonymous (no token)' },
];
const STATUS = {
  200: { colour: '#3f9a52', text: 'OK' },
  401: { colour: '#8e44ad', text: 'Unauthorized' },
  404: { colour: '#8a8f98', text: 'Not Found' },
  405: { colour: '#5f6b7a', text: 'Method Not Allowed' },
  429: { colour: '#e39a22', text: 'Too Many Requests' },
  503: { colour: '#d9434b', text: 'Service Unavailable' },
};
const STAGES = [
  { key: 'auth', title: 'Authenticate', note: 'HS256: signature, alg, exp' },
  { key: 'rate_limit', title: 'Rate limit', note: 'per user id in the token' },
  { key: 'route', title: 'Route', note: 'longest prefix, then method' },
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const ALGORITHMS = ['token_bucket', 'leaky_bucket', 'fixed_window', 'sliding_log', 'sliding_counter', 'gcra'];
const LIMITS = [3, 5, 10, 20];
const DOTS_PER_BOX = 40;
const FLIGHT_MS = 450;

const styles = sheetFrom(`
.pipeline { width: 100%; height: auto; display: block; margin: 8px 0; }
.pipeline .box { fill: var(--sdp-panel); stroke: var(--sdp-line); }
.pipeline .down { fill: var(--sdp-panel); stroke: #d9434b; stroke-dasharray: 5 4; }
.pipeline .title { font-size: 13px; font-weight: 600; fill: var(--sdp-fg); }
.pipeline .note { font-size: 11px; fill: var(--sdp-muted); }
.pipeline .arrow { stroke: var(--sdp-muted); stroke-width: 1.5; fill: none; }
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls input[type="text"] { width: 11em; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 10px; margin-top: 10px; }
.panel { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; font-size: 0.86rem; }
.panel h4 { margin: 0 0 4px; font-size: 0.92rem; }
/* The status colour marks a swatch; the words keep the text colour (readable in both themes). */
.panel .status { font-weight: 700; }
.panel .status .swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.panel .reason { color: var(--sdp-muted); margin: 2px 0 6px; }
.panel table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.panel th, .panel td { text-align: left; padding: 2px 6px 2px 0; border-bottom: 1px solid var(--sdp-line); }
.panel th { color: var(--sdp-muted); font-weight: 600; }
.panel code { font-size: 0.82rem; word-break: break-all; }
.routes li { display: flex; gap: 8px; align-items: center; margin: 2px 0; }
.routes ul { list-style: none; padding: 0; margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 0.8rem; color: var(--sdp-muted); }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; }
`);

// The pipeline in words: where the recent requests stopped, and the services.
function pipelineSummary(snap, recent) {
  const where = new Map();
  for (const r of recent) {
    const place = r.stage === 'service' ? `at ${r.service}` : `stopped at ${STAGES.find((s) => s.key === r.stage)?.title.toLowerCase() ?? r.stage}`;
    const key = `${r.status} ${place}`;
    where.set(key, (where.get(key) ?? 0) + 1);
  }
  const services = snap.services.map((s) => `${s.name} ${s.up ? 'up' : 'down'}`).join(', ');
  const requests = recent.length
    ? `the last ${recent.length} requests: ${[...where].map(([k, n]) => `${n} × ${k}`).join(', ')}`
    : 'no requests yet';
  return `Clients → authenticate → rate limit → route → services (${services}); ${requests}.`;
}

export class ApiGatewayElement extends SdpWidget {
  static sim = 'api_gateway';
  static title = 'API gateway';
  static subtitle = 'Authentication, rate limiting per user and routing: every request stops where the gateway refused it.';
  static styles = [styles];

  #v = {};
  #tokens = new Map(); // client name -> token, minted by the sim (no state change)
  #seenId = -1; // newest request id already drawn (older dots do not fly again)

  replayStarted() {
    this.#tokens.clear();
  }

  describe(step, r) {
    switch (step.op) {
      case 'request':
        return `${r.method} ${r.path} from ${r.user ?? 'an unknown client'}: ${r.status} ${STATUS[r.status].text} at ${r.stage} — ${r.reason}.`;
      case 'burst': {
        const counts = Object.entries(r.by_status).filter(([, n]) => n > 0).map(([s, n]) => `${n} × ${s}`).join(', ');
        return `A burst of ${formatCount(r.count)}: ${counts}.`;
      }
      case 'service': return `Service ${step.name} is ${step.up ? 'up' : 'down'}.`;
      case 'route_add': return `Route ${step.prefix} → ${step.service} added.`;
      case 'route_remove': return `Route ${step.prefix} removed.`;
      case 'limiter': return `Default limiter: ${step.algorithm}, limit ${step.limit}; every user's default bucket restarts.`;
      case 'advance': return `${step.ms / 1000} s later.`;
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    v.pipeline = svg('svg', { class: 'pipeline', viewBox: '0 0 900 290', role: 'img', 'aria-label': 'Clients, gateway stages and services, with each request where it stopped' });
    v.client = el('select', { 'aria-label': 'Client' }, ...CLIENTS.map((c) => el('option', { value: c.name, text: c.label })));
    v.method = el('select', { 'aria-label': 'Method' }, ...METHODS.map((m) => el('option', { value: m, text: m })));
    v.path = el('input', { type: 'text', value: '/api/orders', 'aria-label': 'Path', spellcheck: 'false' });
    const send = this.controlGroup(v.client, v.method, v.path,
      el('button', { type: 'button', class: 'primary', text: 'Send', onclick: (e) => this.#send(1, e.currentTarget) }),
      el('button', { type: 'button', text: 'Burst 20', onclick: (e) => this.#send(20, e.currentTarget) }),
      el('button', { type: 'button', text: 'Wait 1 s', onclick: (e) => this.act({ op: 'advance', ms: 1000 }, e.currentTarget) }));
    v.algorithm = el('select', { 'aria-label': 'Limiter algorithm' }, ...ALGORITHMS.map((a) => el('option', { value: a, text: a })));
    v.limit = el('select', { 'aria-label': 'Requests per second per user' }, ...LIMITS.map((n) => el('option', { value: n, text: `${n} per s per user` })));
    const limiter = this.controlGroup(v.algorithm, v.limit,
      el('button', { type: 'button', text: 'Set limiter', onclick: (e) => this.act({ op: 'limiter', algorithm: v.algorithm.value, limit: Number(v.limit.value), window_ms: 1000 }, e.currentTarget) }));
    v.prefix = el('input', { type: 'text', value: '/api/orders/export', 'aria-label': 'New route prefix', spellcheck: 'false' });
    v.service = el('input', { type: 'text', value: 'reports', 'aria-label': 'New route service', spellcheck: 'false' });
    const addRoute = this.controlGroup(v.prefix, v.service,
      el('button', { type: 'button', text: 'Add route', onclick: (e) => this.act({ op: 'route_add', prefix: v.prefix.value, service: v.service.value }, e.currentTarget) }));
    v.routes = el('div', { class: 'routes' });
    v.services = el('div', {});
    v.last = el('div', { class: 'panel', 'aria-live': 'off' });
    v.users = el('div', { class: 'panel' });
    body.append(wideDiagram(v.pipeline, 'The pipeline (scrolls sideways on a narrow screen)', { units: 900 }),
      el('div', { class: 'legend' }, ...Object.entries(STATUS).map(([s, meta]) =>
        el('span', {}, el('span', { class: 'swatch', style: { background: meta.colour } }), `${s} ${meta.text}`))),
      el('div', { class: 'controls' },
        el('div', {}, el('h3', { text: 'Send a request' }), send),
        el('div', {}, el('h3', { text: 'Rate limit (default)' }), limiter, el('h3', { text: 'Services' }), v.services),
        el('div', {}, el('h3', { text: 'Routes' }), v.routes, addRoute)),
      el('div', { class: 'panels' }, v.last, v.users));
  }

  // A token for the chosen client, minted by the sim itself: issue_token
  // changes no state, so it is not logged; the request step carries the
  // token text, which is all a replay needs.
  #tokenFor(client) {
    if (!client.user) return undefined;
    if (!this.#tokens.has(client.name)) {
      const step = { op: 'issue_token', user: client.user };
      if (client.forge) step.forge = client.forge;
      this.#tokens.set(client.name, this.session.apply(step).token);
    }
    return this.#tokens.get(client.name);
  }

  #send(count, source) {
    const v = this.#v;
    const client = CLIENTS.find((c) => c.name === v.client.value);
    const step = count === 1 ? { op: 'request' } : { op: 'burst', count };
    const token = this.#tokenFor(client);
    if (token !== undefined) step.token = token;
    step.path = v.path.value;
    step.method = v.method.value;
    this.act(step, source);
  }

  render(snap, lastResult) {
    const v = this.#v;
    setSelect(v.algorithm, snap.limiter.algorithm);
    setSelect(v.limit, snap.limiter.params.limit, `limit ${snap.limiter.params.limit}`);
    this.#drawPipeline(snap);
    this.#drawRoutes(snap);
    this.#drawServices(snap);
    this.#drawLast(snap, lastResult);
    this.#drawUsers(snap);
  }

  // Where a request stopped: a stage box, or its service.
  #layout(snap) {
    const services = snap.services.map((s, i) => ({ ...s, x: 700, y: 20 + i * (250 / Math.max(1, snap.services.length)), w: 190, h: Math.min(70, 250 / Math.max(1, snap.services.length) - 8) }));
    const stages = STAGES.map((s, i) => ({ ...s, x: 150 + i * 180, y: 60, w: 160, h: 170 }));
    return { stages, services };
  }

  #drawPipeline(snap) {
    const { stages, services } = this.#layout(snap);
    const text = (x, y, cls, t, anchor = 'start') => svg('text', { x, y, class: cls, 'text-anchor': anchor, text: t });
    const nodes = [
      text(10, 40, 'title', 'Clients'),
      ...CLIENTS.map((c, i) => text(10, 64 + i * 22, 'note', c.label.replace(/ \(.*/, ''))),
      svg('path', { d: 'M110 145 L146 145 M140 140 L146 145 L140 150', class: 'arrow' }),
    ];
    stages.forEach((s, i) => {
      nodes.push(svg('rect', { x: s.x, y: s.y, width: s.w, height: s.h, rx: 8, class: 'box' }),
        text(s.x + 10, s.y + 20, 'title', s.title), text(s.x + 10, s.y + 36, 'note', s.note));
      if (i < stages.length - 1) nodes.push(svg('path', { d: `M${s.x + s.w} 145 L${s.x + s.w + 18} 145 M${s.x + s.w + 12} 140 L${s.x + s.w + 18} 145 L${s.x + s.w + 12} 150`, class: 'arrow' }));
    });
    const router = stages[2];
    for (const s of services) {
      nodes.push(svg('path', { d: `M${router.x + router.w} 145 L${s.x} ${s.y + s.h / 2}`, class: 'arrow' }),
        svg('rect', { x: s.x, y: s.y, width: s.w, height: s.h, rx: 8, class: s.up ? 'box' : 'down' }),
        text(s.x + 10, s.y + 17, 'title', `${s.name}${s.up ? '' : ' (down)'}`));
    }
    // The recent requests as dots, piled where they stopped.
    const piles = new Map();
    const place = (key, box, top) => {
      const n = piles.get(key) ?? 0;
      piles.set(key, n + 1);
      const perRow = Math.max(1, Math.floor((box.w - 16) / 10));
      return { x: box.x + 10 + (n % perRow) * 10, y: box.y + top + Math.floor(n / perRow) * 10 };
    };
    const recent = snap.recent.slice(-DOTS_PER_BOX * 4);
    const flying = [];
    for (const r of recent) {
      const service = r.stage === 'service' ? services.find((s) => s.name === r.service) : null;
      const box = service ?? stages.find((s) => s.key === r.stage);
      if (!box) continue;
      const spot = place(service ? `svc:${service.name}` : r.stage, box, service ? 28 : 52);
      if (spot.y > box.y + box.h - 6) continue;
      const dot = svg('circle', { cx: spot.x, cy: spot.y, r: 4, fill: STATUS[r.status]?.colour ?? '#888' },
        svg('title', { text: `#${r.id} ${r.method} ${r.path}: ${r.status} (${r.reason})` }));
      nodes.push(dot);
      if (r.id > this.#seenId) flying.push({ dot, x: spot.x, y: spot.y });
    }
    this.#v.pipeline.replaceChildren(...nodes);
    this.#v.pipeline.setAttribute('aria-label', pipelineSummary(snap, recent));
    if (snap.recent.length) this.#seenId = snap.recent[snap.recent.length - 1].id;
    this.#fly(flying.slice(-30));
  }

  // New dots travel in from the clients; reduced motion skips the flight.
  #fly(dots) {
    if (!dots.length || matchMedia('(prefers-reduced-motion: reduce)').matches) return;
    const start = performance.now();
    const step = (now) => {
      const t = Math.min(1, (now - start) / FLIGHT_MS);
      const ease = 1 - (1 - t) * (1 - t);
      for (const d of dots) {
        d.dot.setAttribute('cx', String(110 + (d.x - 110) * ease));
        d.dot.setAttribute('cy', String(145 + (d.y - 145) * ease));
      }
      if (t < 1) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  #drawRoutes(snap) {
    this.#v.routes.replaceChildren(el('ul', {}, ...snap.routes.map((r) => el('li', {},
      el('code', { text: `${r.any_method ? '*' : r.methods.join(',')} ${r.prefix} → ${r.service}` }),
      el('button', { type: 'button', text: 'Remove', 'aria-label': `Remove route ${r.prefix}`,
        onclick: (e) => this.act({ op: 'route_remove', prefix: r.prefix }, e.currentTarget) })))));
  }

  #drawServices(snap) {
    this.#v.services.replaceChildren(this.controlGroup(...snap.services.map((s) =>
      el('button', { type: 'button', text: `${s.name}: ${s.up ? 'up' : 'down'}`, 'aria-pressed': String(!s.up),
        title: s.up ? 'Mark it down (503)' : 'Bring it back up',
        onclick: (e) => this.act({ op: 'service', name: s.name, up: !s.up }, e.currentTarget) }))));
  }

  #drawLast(snap, result) {
    const r = result?.status ? result : result?.last ?? snap.recent[snap.recent.length - 1];
    if (!r) {
      this.#v.last.replaceChildren(el('h4', { text: 'Last response' }), el('p', { class: 'reason', text: 'Send a request to see the gateway answer.' }));
      return;
    }
    const headers = Object.entries(r.headers ?? {});
    this.#v.last.replaceChildren(
      el('h4', { text: 'Last response' }),
      el('div', {}, el('span', { class: 'status' }, el('span', { class: 'swatch', style: { background: STATUS[r.status]?.colour ?? '#888' } }), `${r.status} ${STATUS[r.status]?.text ?? ''}`),
        ` — ${r.method} ${r.path}${r.user ? ` as ${r.user}` : ''}`),
      el('p', { class: 'reason', text: `stopped at ${r.stage}: ${r.reason}` }),
      headers.length ? el('table', {}, el('tr', {}, el('th', { text: 'header' }), el('th', { text: 'value' })),
        ...headers.map(([k, val]) => el('tr', {}, el('td', {}, el('code', { text: k })), el('td', {}, el('code', { text: val }))))) : el('p', { class: 'reason', text: 'no headers' }));
  }

  #drawUsers(snap) {
    const rows = snap.users.map((u) => {
      const limit = u.limits[0];
      return el('tr', {}, el('td', { text: u.user }), el('td', { text: formatCount(u.requests) }),
        el('td', { text: Object.entries(u.by_status).filter(([, n]) => n > 0).map(([s, n]) => `${s}×${n}`).join(' ') }),
        el('td', { text: limit ? String(limit.remaining) : '–' }));
    });
    const l = snap.limiter;
    this.#v.users.replaceChildren(el('h4', { text: 'Per user' }),
      el('p', { class: 'reason', text: `default limiter: ${l.algorithm}${l.policy ? ` (${l.policy})` : ''} — ${l.reference}` }),
      rows.length ? el('table', {}, el('tr', {}, ...['user', 'requests', 'by status', 'remaining'].map((h) => el('th', { text: h }))), ...rows)
        : el('p', { class: 'reason', text: 'no authenticated user yet' }));
  }
}
