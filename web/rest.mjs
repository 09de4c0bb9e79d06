// <sdp-rest>: a small resource API behind the layers of a RESTful system
// (the `rest` sim): client -> shared cache -> gateway -> stateless replicas
// -> one data store. The user builds HTTP requests (method, path, headers,
// body) and sees the route each one took and which layer answered
// (web/rest-path.mjs), the response as the client gets it beside what only
// the layers know, the request log, the cache's entries, the store and the
// counters (web/rest-panels.mjs), and a chart of origin load against cache
// hits. Quick buttons: send the last request again (PUT and DELETE leave the
// same state, POST duplicates unless it carries an Idempotency-Key), kill or
// start a replica, let time pass so cached responses go stale.
// Attributes: replicas, max-age, cache-control, cache, seed, sync-url, state-key.

import { el, formatCount, NumberFields, plural, selectBox, setSelect, wideDiagram } from './dom.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { RequestForm, requestCss } from './rest-request.mjs';
import { drawPath, PATH_WIDTH, pathCss } from './rest-path.mjs';
import { drawCache, drawCounters, drawLog, drawResponse, drawStore, drawViews, panelsCss, statusText } from './rest-panels.mjs';

const ADVANCES = [[1000, '1 s'], [10000, '10 s'], [30000, '30 s'], [60000, '1 min'], [300000, '5 min']];
const CACHE_CONTROLS = [['public', 'public, max-age=N'], ['private', 'private, max-age=N'], ['no-cache', 'public, no-cache'], ['no-store', 'no-store']];
// The sim's defaults (rest_sim.h), shown in the settings until changed.
const SETTING_DEFAULTS = { replicas: 3, max_age_s: 60, cache_control: 'public', cache: true };
const AUTH = { Authorization: 'Bearer alice' };
// A fresh widget holds one user, so that the first GET finds something.
const FIRST_USER = { op: 'request', method: 'PUT', path: '/users/1', headers: AUTH, body: '{"name": "Ada", "city": "London"}' };

const styles = sheetFrom(`
:host { container-type: inline-size; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(400px, 100%), 1fr)); gap: 8px 20px; align-items: start; }
h3 { font-size: 0.92rem; margin: 8px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.control .row { flex-wrap: wrap; }
.settings { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.settings label { display: flex; gap: 6px; align-items: center; }
.settings input[type=number] { width: 6em; }
.stack { display: flex; flex-direction: column; gap: 10px; min-width: 0; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 2px 0 4px; }
${requestCss}
${pathCss}
${panelsCss}
`);

export class RestElement extends SdpWidget {
  static sim = 'rest';
  static title = 'REST over a layered system';
  static subtitle = 'Call a small resource API through a shared cache, a gateway and stateless replicas: methods and status codes, max-age and ETags, idempotency, and which layer answered — which the client cannot tell.';
  static styles = [styles, chartSheet];
  static attributes = {
    replicas: { config: 'replicas', default: SETTING_DEFAULTS.replicas },
    'max-age': { config: 'max_age_s', default: SETTING_DEFAULTS.max_age_s },
    'cache-control': { config: 'cache_control', default: SETTING_DEFAULTS.cache_control },
    cache: { config: 'cache', default: SETTING_DEFAULTS.cache },
  };

  #v = {};
  #exchange = null; // the last request step and its result
  #ages = []; // each request's Age header ('—' without one), in order
  #served = []; // per request: {origin: reached a replica, cache: the cache answered} (the chart)

  initialSteps() {
    return [FIRST_USER];
  }

  replayStarted() {
    this.#exchange = null;
    this.#ages = [];
    this.#served = [];
  }

  stepApplied(step, result) {
    if (step.op !== 'request') return;
    this.#exchange = { step, result };
    this.#ages.push(result.headers.Age === undefined ? '—' : `${result.headers.Age} s`);
    this.#served.push({ origin: result.via.some((layer) => layer.startsWith('replica-')), cache: result.served_by === 'cache' });
  }

  describe(step, r) {
    switch (step.op) {
      case 'request': {
        const age = r.headers.Age === undefined ? '' : `, Age ${r.headers.Age}`;
        const created = r.status === 201 && r.headers.Location ? ` Location ${r.headers.Location}.` : '';
        return `${step.method} ${step.path} → ${statusText(r.status)}${age}: answered by ${r.served_by} (cache ${r.cache}).${created}`;
      }
      case 'kill_replica': return `${r.replica} is down: the gateway skips it, and any other replica serves the next request from the same store.`;
      case 'start_replica': return `${r.replica} is up again.`;
      case 'advance': return `t = ${formatSeconds(r.time_ms)}: ${formatSeconds(step.ms)} later, every cached response is that much older.`;
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    v.form = new RequestForm();
    v.path = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    v.path.setAttribute('class', 'layers');
    v.path.setAttribute('role', 'img');
    v.replicaButtons = el('div', { class: 'row' });
    v.advance = selectBox('How long', ADVANCES, formatSeconds);
    setSelect(v.advance, 60000);
    v.sendAgain = el('button', { type: 'button', text: 'Send again',
      title: 'Repeat the last request exactly: PUT and DELETE leave the same state, POST creates again (unless it carries an Idempotency-Key)',
      onclick: (e) => this.#sendAgain(e.currentTarget) });
    v.useEtag = el('button', { type: 'button', text: 'Use the last ETag', title: 'Put the last response\'s ETag into If-None-Match',
      onclick: () => this.#useEtag() });
    v.settings = new NumberFields([['replicas', 'Replicas', 'service replicas behind the gateway'],
      ['max_age_s', 'max-age (s)', 'seconds in GET responses\' Cache-Control']], { min: 0 });
    v.cacheControl = selectBox('Cache-Control of GET responses', CACHE_CONTROLS);
    v.cacheOn = el('input', { type: 'checkbox', 'aria-label': 'Shared cache in front' });
    const f = v.form;
    // Too small to read on a phone when scaled down: it scrolls instead.
    body.append(wideDiagram(v.path, 'The layers (scrolls sideways on a narrow screen)', { units: PATH_WIDTH }),
      el('div', { class: 'columns' },
        el('section', { class: 'request', 'aria-label': 'Request' },
          el('h3', { text: 'Request' }),
          el('div', { class: 'control' },
            el('div', { class: 'row' }, f.method, f.path,
              el('button', { type: 'button', class: 'primary', text: 'Send', onclick: (e) => this.act(f.step(), e.currentTarget) }),
              v.sendAgain),
            f.shapes,
            el('div', { class: 'row' }, f.headerCells()),
            el('div', { class: 'row' }, f.body), f.bodyHint,
            el('div', { class: 'row' }, v.useEtag),
            el('div', { class: 'field-error', role: 'alert' })),
          el('h3', { text: 'The layers' }),
          this.controlGroup(el('span', { class: 'note', text: 'Replicas:' }), v.replicaButtons),
          this.controlGroup(el('button', { type: 'button', text: 'Advance time', onclick: (e) => this.act({ op: 'advance', ms: Number(v.advance.value) }, e.currentTarget) }), v.advance),
          el('h3', { text: 'Settings (a change replays the requests)' }),
          this.controlGroup(el('div', { class: 'settings' }, ...v.settings.labels(),
            el('label', {}, 'GET responses say ', v.cacheControl),
            el('label', {}, v.cacheOn, ' shared cache')),
          el('button', { type: 'button', text: 'Apply settings', onclick: (e) => this.#applySettings(e.currentTarget) }))),
        el('section', { class: 'stack', 'aria-label': 'Response' },
          v.response = el('div', { class: 'card', 'aria-live': 'off' }),
          v.views = el('div', { class: 'card' }),
          el('div', { class: 'card chart' }, v.chartHost = el('div'), v.chartNote = el('p', { class: 'note' })))),
      v.counters = el('div', { class: 'counters', 'aria-label': 'Counters' }),
      v.log = el('div', { class: 'card' }),
      el('div', { class: 'panels' }, v.cache = el('div', { class: 'card' }), v.store = el('div', { class: 'card' })));
    v.chart = new LineChart(v.chartHost, {
      title: 'Who carried the load (running totals)', xLabel: 'request', yLabel: 'requests', points: false,
      yFormat: (n) => (Number.isInteger(n) ? formatCount(n) : ''), // counts: no half-request ticks
      series: [{ label: 'reached a replica', colour: '#d9822b' }, { label: 'answered by the cache', colour: '#2f6fd6', dash: [6, 3] }],
    });
  }

  // The last request in the log, once more, exactly as it was sent.
  #sendAgain(source) {
    const last = this.log.findLast((s) => s.op === 'request');
    if (last) this.act(last, source);
  }

  #useEtag() {
    const etag = this.#exchange?.result.headers.ETag;
    if (etag) this.#v.form.use('If-None-Match', etag);
  }

  // Only the settings that differ from what is in force go into the config:
  // an exercise allows changing some fields, and a patch that restated the
  // others would count as changing them.
  #applySettings(source) {
    const v = this.#v;
    const now = { ...SETTING_DEFAULTS, ...this.config };
    const wanted = { ...v.settings.values(), cache_control: v.cacheControl.value, cache: v.cacheOn.checked };
    const patch = Object.fromEntries(Object.entries(wanted).filter(([k, value]) => value !== now[k]));
    if (Object.keys(patch).length === 0) {
      this.narrate('Settings unchanged: nothing to apply.');
      return;
    }
    this.setConfig(patch, source);
  }

  render(snap) {
    const v = this.#v;
    const config = { ...SETTING_DEFAULTS, ...this.config };
    v.settings.show(config);
    setSelect(v.cacheControl, config.cache_control);
    v.cacheOn.checked = config.cache;
    v.sendAgain.disabled = !this.log.some((s) => s.op === 'request');
    v.useEtag.disabled = !this.#exchange?.result.headers.ETag;
    v.replicaButtons.replaceChildren(...snap.replicas.map((r) => el('button', { type: 'button', text: `${r.up ? 'Kill' : 'Start'} replica ${r.id}`,
      title: r.up ? `Stop ${r.name}: the gateway skips it` : `Start ${r.name} again`,
      onclick: (e) => this.act({ op: r.up ? 'kill_replica' : 'start_replica', id: r.id }, e.currentTarget) })));
    drawPath(v.path, snap, this.#exchange?.result ?? null);
    drawResponse(v.response, this.#exchange);
    drawViews(v.views, this.#exchange);
    drawCounters(v.counters, snap);
    drawLog(v.log, snap, this.#ages);
    drawCache(v.cache, snap);
    drawStore(v.store, snap);
    v.chart.update(loadSeries(this.#served));
    v.chartNote.textContent = `After ${plural(this.#served.length, 'request')}: ${snap.counters.origin_requests} reached a replica, ${snap.counters.cache_hits + snap.counters.cache_revalidations} were answered by the cache (${snap.counters.cache_revalidations} of them after a 304 from a replica).`;
  }
}

// Running totals per request: those that reached a replica, those the
// cache answered (a revalidation does both: a replica sent the 304).
function loadSeries(served) {
  const xs = [];
  const origin = [];
  const cache = [];
  let o = 0;
  let c = 0;
  served.forEach((who, i) => {
    if (who.origin) o += 1;
    if (who.cache) c += 1;
    xs.push(i + 1);
    origin.push(o);
    cache.push(c);
  });
  return [xs, origin, cache];
}

function formatSeconds(ms) {
  const s = Number(ms) / 1000;
  return s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s.toLocaleString('en-US')} s`;
}
