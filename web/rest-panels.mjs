// The read-only panels of <sdp-rest>, each drawn from the snapshot or the
// last request's result: the response (status line, headers, JSON body),
// what the client can know beside what the layers know, the request log,
// the cache's entries, the store's resources and the counters.

import { el, formatCount, scrollRegion } from './dom.mjs';

// RFC 9110 section 15's reason phrases for the statuses the API answers.
export const REASONS = {
  200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized',
  404: 'Not Found', 405: 'Method Not Allowed', 422: 'Unprocessable Content', 503: 'Service Unavailable', 507: 'Insufficient Storage',
};
// Response headers in the order a reader looks for them.
const HEADER_ORDER = ['Cache-Control', 'Age', 'ETag', 'Location', 'Allow', 'WWW-Authenticate', 'Content-Type'];

export const panelsCss = `
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(380px, 100%), 1fr)); gap: 10px 16px; margin-top: 10px; }
.card { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; font-size: 0.86rem; min-width: 0; }
.card h4 { margin: 0 0 6px; font-size: 0.92rem; }
.card .muted, .card .empty { color: var(--sdp-muted); }
.card .empty { margin: 2px 0; }
.status-line { font: 600 0.95rem ui-monospace, monospace; margin: 0 0 4px; }
.status-line .code { display: inline-block; padding: 0 6px; border-radius: 4px; border: 1.5px solid currentColor; }
.status-line .ok { color: var(--sdp-ok); }
.status-line .redirect { color: var(--sdp-accent); }
.status-line .client-error, .status-line .server-error { color: var(--sdp-error); }
table.kv, table.list { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.kv td, table.list td, table.list th { text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid var(--sdp-line); vertical-align: top; }
table.list th { color: var(--sdp-muted); font-weight: 600; }
table.kv td:first-child { white-space: nowrap; color: var(--sdp-muted); }
table.log td:first-child, table.log td:nth-child(3) { white-space: nowrap; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.8rem; }
pre.body { margin: 6px 0 0; padding: 6px 8px; background: var(--sdp-panel); border-radius: 6px; max-height: 12em; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.views { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.views dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 8px; margin: 0; }
.views dt { color: var(--sdp-muted); }
.views dd { margin: 0; overflow-wrap: anywhere; }
.counters { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.88rem; margin: 6px 0; }
.counters b { font-variant-numeric: tabular-nums; }
.fresh { color: var(--sdp-ok); font-weight: 600; }
.stale { color: var(--sdp-fg); font-weight: 600; }
.table-box { overflow-x: auto; max-height: 16em; overflow-y: auto; }
@container (max-width: 560px) { .views { grid-template-columns: 1fr; } }
`;

export function statusText(status) {
  return `${status} ${REASONS[status] ?? ''}`.trim();
}

function statusClass(status) {
  if (status < 300) return 'ok';
  if (status < 400) return 'redirect';
  return status < 500 ? 'client-error' : 'server-error';
}

function orderedHeaders(headers = {}) {
  const known = HEADER_ORDER.filter((h) => h in headers);
  return [...known, ...Object.keys(headers).filter((h) => !known.includes(h))].map((h) => [h, headers[h]]);
}

const codeCell = (t) => el('td', {}, el('code', { text: t }));

// The response as the client receives it: status line, headers, body.
export function drawResponse(host, exchange) {
  if (!exchange) {
    host.replaceChildren(el('h4', { text: 'Response' }), el('p', { class: 'empty', text: 'Send a request to see the response.' }));
    return;
  }
  const { step, result } = exchange;
  const body = result.body === null ? null : JSON.stringify(result.body, null, 2);
  host.replaceChildren(el('h4', { text: `Response to ${step.method} ${step.path}` }),
    el('p', { class: 'status-line' }, 'HTTP/1.1 ', el('span', { class: `code ${statusClass(result.status)}`, text: statusText(result.status) })),
    el('table', { class: 'kv', 'aria-label': 'Response headers' },
      el('tbody', {}, ...orderedHeaders(result.headers).map(([k, v]) => el('tr', {}, el('td', { text: k }), codeCell(v))))),
    body === null ? el('p', { class: 'empty', text: `No body (${result.status === 304 ? 'a 304 has none: the client uses the copy it has' : 'a 204 has none'}).` })
      : scrollRegion('pre', 'Response body', { class: 'body', text: body }));
}

// What the client can tell (only HTTP) beside what the UI can (the layers).
export function drawViews(host, exchange) {
  const dl = (...rows) => el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  if (!exchange) {
    host.replaceChildren(el('h4', { text: 'Who answered?' }), el('p', { class: 'empty', text: 'No request yet.' }));
    return;
  }
  const r = exchange.result;
  const age = r.headers.Age;
  // `bypass`: the request went past the cache (only GETs are looked up), or there is no cache.
  const bypass = r.via.includes('cache') ? 'bypass: only a GET is looked up' : 'bypass: no shared cache in front';
  const cacheWord = { hit: 'hit: fresh, no replica asked', revalidated: 'revalidated: stale, the origin said 304', miss: 'miss: asked the origin', bypass };
  host.replaceChildren(el('h4', { text: 'Who answered?' }),
    el('div', { class: 'views' },
      el('div', {}, el('p', { class: 'muted', text: 'The client\'s view: only HTTP' }),
        dl(['status', statusText(r.status)], ['Age', age === undefined ? 'none' : `${age} s`],
          ['so', age === undefined ? 'cannot tell who answered' : 'some cache answered, nothing more'])),
      el('div', {}, el('p', { class: 'muted', text: 'The UI\'s view: the layers' }),
        dl(['served_by', r.served_by], ['via', r.via.join(' → ')], ['cache', cacheWord[r.cache] ?? r.cache],
          ...(r.invalidated ? [['invalidated', r.invalidated.join(', ')]] : [])))));
}

// The requests the sim keeps (its log), newest first, with each one's Age
// from the widget's record of results (`ages`, aligned with the log's end).
export function drawLog(host, snap, ages) {
  const log = snap.log;
  const offset = ages.length - log.length;
  const rows = log.map((entry, i) => el('tr', {},
    el('td', { text: `${(entry.t_ms / 1000).toFixed(entry.t_ms % 1000 ? 1 : 0)} s` }),
    codeCell(`${entry.method} ${entry.path}`), el('td', { text: statusText(entry.status) }),
    el('td', { text: entry.served_by }), el('td', { text: entry.cache }),
    el('td', { text: ages[offset + i] ?? '—' }))).reverse();
  host.replaceChildren(el('h4', { text: `Request log (the last ${formatCount(log.length)}, newest first)` }),
    rows.length ? scrollRegion('div', 'Request log', { class: 'table-box' }, el('table', { class: 'list log' },
      el('thead', {}, el('tr', {}, ...['t', 'request', 'status', 'served_by', 'cache', 'Age'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...rows))) : el('p', { class: 'empty', text: 'No request yet.' }));
}

export function drawCache(host, snap) {
  const entries = snap.cache.entries;
  const heading = el('h4', { text: `Shared cache (GET responses carry "${snap.cache_control}")` });
  if (!snap.cache.enabled) {
    host.replaceChildren(heading, el('p', { class: 'empty', text: 'No shared cache: the config turned it off, so every request reaches a replica.' }));
    return;
  }
  const state = (e) => {
    if (e.no_cache) return el('span', { class: 'stale', text: 'revalidate every time' });
    return el('span', { class: e.fresh ? 'fresh' : 'stale', text: e.fresh ? 'fresh' : 'stale: next GET revalidates' });
  };
  const rows = entries.map((e) => el('tr', {}, codeCell(e.uri),
    el('td', { text: e.no_cache ? `${e.age_s} s / no-cache` : `${e.age_s} s / ${e.max_age_s} s` }), codeCell(e.etag), el('td', {}, state(e))));
  const table = scrollRegion('div', 'Cache entries', { class: 'table-box' }, el('table', { class: 'list cache' },
    el('thead', {}, el('tr', {}, ...['key (path)', 'age / max-age', 'ETag', 'state'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...rows)));
  host.replaceChildren(heading, entries.length ? table
    : el('p', { class: 'empty', text: 'Empty: a GET 200 the response allows a shared cache to keep is stored here.' }));
}

export function drawStore(host, snap) {
  const res = snap.resources;
  const rows = [...res.users.map((u) => [`/users/${u.id}`, u]), ...res.orders.map((o) => [`/orders/${o.id}`, o])];
  host.replaceChildren(el('h4', { text: 'Data store (shared by every replica)' }),
    rows.length ? scrollRegion('div', 'Resources in the store', { class: 'table-box' }, el('table', { class: 'list store' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'resource' }), el('th', { scope: 'col', text: 'representation' }))),
      el('tbody', {}, ...rows.map(([uri, value]) => el('tr', {}, codeCell(uri), codeCell(JSON.stringify(value)))))))
      : el('p', { class: 'empty', text: 'No resources yet.' }),
    el('p', { class: 'muted', text: `Next ids: user ${res.next_user_id}, order ${res.next_order_id}. Idempotency-Keys kept: ${res.idempotency_keys.length ? res.idempotency_keys.map((k) => k.key ?? JSON.stringify(k)).join(', ') : 'none'}.` }));
}

export function drawCounters(host, snap) {
  const c = snap.counters;
  host.replaceChildren(...[
    ['requests', c.requests], ['reached a replica', c.origin_requests], ['cache hits', c.cache_hits], ['revalidated (304)', c.cache_revalidations],
    ['misses', c.cache_misses], ['stored', c.cache_stores], ['invalidated by writes', c.cache_invalidations],
    ['bytes client side', c.bytes_client], ['bytes origin side', c.bytes_origin],
  ].map(([k, v]) => el('span', {}, `${k} `, el('b', { text: formatCount(v) }))));
}
