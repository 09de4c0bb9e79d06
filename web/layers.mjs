// <sdp-layers>: one HTTP request (the `layers` sim) walking down the
// client's stack, hop by hop through the routers, and up the server's.
// The diagram draws each host as its four layers and each router as its
// two (network and link), the links with their MTUs; the stage on show
// lights the layer (or the link) where the request is now, and what it
// already passed stays tinted. Below it, the stage's events with their
// headers as tables (HTTP text, TCP ports and sequence numbers, IPv4
// addresses, TTL, identification, DF/MF and fragment offset, Ethernet
// frames), and the routing table of the router at work, with the routes
// that matched and the longest one marked.
// Attributes: mss, ttl, seed, sync-url, state-key.

import { el, formatCount, numberValue, scrollRegion, selectBox, setSelect, svg, wideDiagram } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const WIDTH = 900;
const PDU_NAMES = { tcp: 'TCP segments', ip: 'IP packets', ethernet: 'Ethernet frames' };
const HEIGHT = 272;
const BOX_W = 116;
const BOX_H = 30;
const LAYER_NAMES = {
  application: 'Application · HTTP',
  transport: 'Transport · TCP',
  network: 'Network · IPv4',
  link: 'Link · Ethernet',
};
const HOST_LAYERS = ['application', 'transport', 'network', 'link'];
const ROUTER_LAYERS = ['network', 'link'];
// Where each node's top box sits (x: centre). Routers R2 and R4 are the two
// ways from R1 to R3, drawn one above the other.
const PLACES = {
  client: { x: 75, y: 46 },
  R1: { x: 265, y: 114 },
  R2: { x: 450, y: 30 },
  R4: { x: 450, y: 198 },
  R3: { x: 635, y: 114 },
  server: { x: 825, y: 46 },
};
const ROWS_SHOWN = 12;
const DEFAULT_REQUEST = { op: 'request', method: 'POST', path: '/upload', body_bytes: 3000 };

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(280px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls input[type=number] { width: 6.5em; }
.controls input.prefix { width: 10.5em; }
.where { font-weight: 600; margin: 8px 0 2px; }
.diagram-box { border: 1px solid var(--sdp-line); border-radius: 4px; background: var(--sdp-panel); margin-top: 8px; }
.diagram { display: block; width: 100%; height: auto; font-family: inherit; }
.diagram text { fill: var(--sdp-fg); font-size: 12px; }
.diagram text.node-name { font-weight: 700; font-size: 13px; }
.diagram text.muted { fill: var(--sdp-muted); font-size: 11px; }
.diagram rect.layer { fill: var(--sdp-bg); stroke: var(--sdp-line); stroke-width: 1.2; }
.diagram rect.layer.passed { fill: color-mix(in srgb, var(--sdp-accent) 14%, var(--sdp-bg)); }
.diagram rect.layer.now { fill: var(--sdp-accent); stroke: var(--sdp-accent); }
.diagram rect.layer.dropped { fill: var(--sdp-error); stroke: var(--sdp-error); }
.diagram text.now, .diagram text.dropped { fill: var(--sdp-accent-fg); font-weight: 600; }
.diagram text.mtu { font-size: 11px; }
.diagram text.mtu.narrow { font-weight: 700; }
.diagram line.wire { stroke: var(--sdp-line); stroke-width: 3; }
.diagram line.wire.passed { stroke: color-mix(in srgb, var(--sdp-accent) 45%, var(--sdp-line)); }
.diagram line.wire.now { stroke: var(--sdp-accent); stroke-width: 5; }
.diagram line.stack { stroke: var(--sdp-line); stroke-width: 1.5; }
.diagram .label-bg { fill: var(--sdp-panel); }
.stage h4 { margin: 10px 0 2px; font-size: 0.92rem; }
.stage p { margin: 2px 0 4px; font-size: 0.9rem; }
.stage .outcome { font-weight: 600; }
.stage .outcome.bad { color: var(--sdp-error); }
.stage .outcome.good { color: var(--sdp-ok); }
.table-box { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.82rem; margin: 2px 0 6px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--sdp-line); padding: 2px 8px 2px 0; text-align: left; white-space: nowrap; }
th { color: var(--sdp-muted); font-weight: 600; }
td.wrap { white-space: normal; min-width: 16em; }
tr.dropped td { color: var(--sdp-error); }
tr.chosen td { font-weight: 700; }
pre.http { background: var(--sdp-bg); border: 1px solid var(--sdp-line); border-radius: 4px; padding: 6px 8px; margin: 2px 0 6px; font-size: 0.82rem; white-space: pre-wrap; }
.wire { display: flex; gap: 2px; margin: 4px 0 6px; font-size: 0.78rem; max-width: 760px; }
.wire .part { flex-basis: 0; min-width: 7.5em; padding: 3px 6px; border-radius: 3px; border: 1px solid var(--sdp-line); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wire .application { background: color-mix(in srgb, var(--sdp-ok) 22%, var(--sdp-bg)); }
.wire .transport { background: color-mix(in srgb, var(--sdp-accent) 22%, var(--sdp-bg)); }
.wire .network { background: color-mix(in srgb, var(--sdp-warn) 26%, var(--sdp-bg)); }
.wire .link { background: color-mix(in srgb, var(--sdp-muted) 26%, var(--sdp-bg)); }
.more { color: var(--sdp-muted); font-size: 0.8rem; margin: 0 0 6px; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 4px 0 0; }
`);

const bytes = (n) => `${formatCount(n)} B`;
const yes = (b) => (b ? '1' : '0');

function layersOf(node) {
  return node.kind === 'host' ? HOST_LAYERS : ROUTER_LAYERS;
}

function boxAt(node, layer) {
  const place = PLACES[node.name];
  const index = layersOf(node).indexOf(layer);
  return { x: place.x - BOX_W / 2, y: place.y + index * (BOX_H + 4) };
}

// The columns of one kind of PDU: [heading, value(pdu)].
const COLUMNS = {
  tcp: [['src port', (p) => p.src_port], ['dst port', (p) => p.dst_port], ['seq (rel.)', (p) => formatCount(p.rel_seq)],
    ['seq', (p) => p.seq], ['ack (rel.)', (p) => p.rel_ack], ['flags', (p) => p.flags], ['header', (p) => bytes(p.header_bytes)],
    ['data', (p) => bytes(p.len)]],
  ip: [['src', (p) => p.src], ['dst', (p) => p.dst], ['TTL', (p) => p.ttl], ['id', (p) => p.id], ['DF', (p) => yes(p.df)],
    ['MF', (p) => yes(p.mf)], ['offset ×8', (p) => `${p.offset} (${formatCount(p.offset_bytes)} B)`],
    ['total', (p) => bytes(p.total_length)], ['carries', (p) => (p.dropped ? `✕ dropped: ${p.dropped}` : p.carries)]],
  ethernet: [['src MAC', (p) => p.src_mac], ['dst MAC', (p) => p.dst_mac], ['EtherType', (p) => p.ethertype],
    ['frame', (p) => `${bytes(p.frame_bytes)} = 14 + ${formatCount(p.ip_total_length)}${p.padding ? ` + ${p.padding} pad` : ''} + 4`]],
};

// What one PDU is on the wire, outermost first: [{layer, name, bytes}].
function wireParts(p) {
  const inner = (protocol, data, header) => {
    const parts = [{ layer: 'network', name: 'IPv4 header', bytes: 20 }];
    if (header > 0) parts.push({ layer: protocol === 'TCP' ? 'transport' : 'network', name: `${protocol} header`, bytes: header });
    const rest = data - header;
    if (rest > 0) {
      const name = protocol === 'ICMP' ? 'quoted datagram' : header > 0 ? 'HTTP bytes' : 'more of the TCP segment';
      parts.push({ layer: protocol === 'ICMP' ? 'network' : 'application', name, bytes: rest });
    }
    return parts;
  };
  switch (p.type) {
    case 'http': return [{ layer: 'application', name: 'request line + headers', bytes: p.header_bytes },
      ...(p.body_bytes ? [{ layer: 'application', name: 'body', bytes: p.body_bytes }] : [])];
    case 'tcp': return [{ layer: 'transport', name: 'TCP header', bytes: p.header_bytes }, { layer: 'application', name: 'HTTP bytes', bytes: p.len }];
    case 'ip': return inner(p.protocol, p.data_bytes, p.transport_header_bytes);
    case 'ethernet': return [{ layer: 'link', name: 'Ethernet header', bytes: 14 },
      ...inner(p.ip_protocol, p.ip_total_length - 20, p.transport_header_bytes),
      ...(p.padding ? [{ layer: 'link', name: 'padding', bytes: p.padding }] : []),
      { layer: 'link', name: 'FCS', bytes: 4 }];
    default: return [];
  }
}

// "R4 · network, R4 · link"; the same place named once, with a count
// ("client · transport ×3" when three ICMP errors arrive together).
function placesOf(events) {
  const counts = new Map();
  for (const e of events) {
    const place = `${e.node} · ${e.layer}`;
    counts.set(place, (counts.get(place) ?? 0) + 1);
  }
  return [...counts].map(([place, n]) => (n > 1 ? `${place} ×${n}` : place)).join(', ');
}

export class LayersElement extends SdpWidget {
  static sim = 'layers';
  static title = 'Layers: one request down the stack and back up';
  static subtitle = 'An HTTP request cut into TCP segments at the MSS, put in IPv4 datagrams and Ethernet frames, forwarded router by router (longest-prefix match, TTL, fragmentation at each link’s MTU, ICMP errors back) and put back together at the server.';
  static styles = [styles];
  static attributes = { mss: { config: 'mss' }, ttl: { config: 'ttl' } };

  #v = {};

  baseConfig() {
    return { mss: 1460, ttl: 64 };
  }

  initialSteps() {
    return [DEFAULT_REQUEST];
  }

  describe(step, r) {
    switch (step.op) {
      case 'request': {
        const what = `${step.method ?? 'GET'} ${step.path ?? '/index.html'}${step.body_bytes ? ` with a ${formatCount(step.body_bytes)}-byte body` : ''}`;
        return `New request: ${what}, TTL ${step.ttl ?? this.config.ttl ?? 64}${step.dont_fragment ? ', DF set' : ''}: ${r.segments} TCP segment${r.segments === 1 ? '' : 's'}, ${r.stages_total} stages. ${this.#eventText(r)}`;
      }
      case 'step':
      case 'run':
        return `Stage ${r.position + 1} of ${r.stages_total}: ${this.#eventText(r)}${r.done ? ` Outcome: ${r.outcome}.` : ''}`;
      case 'set_mtu': return `${r.link}: MTU ${formatCount(r.mtu)} (was ${formatCount(r.was)}), from the next request on.`;
      case 'set_route': return `${r.router}: ${r.prefix} now goes via ${r.via} on ${r.link}${r.replaced_via ? ` (was via ${r.replaced_via})` : ''}, from the next request on.`;
      case 'remove_route': return `${r.router}: the route for ${r.prefix} (via ${r.via}) is gone, from the next request on.`;
      default: return '';
    }
  }

  #eventText(r) {
    return r.events.map((e) => e.text).join(' ');
  }

  buildBody(body) {
    const v = this.#v;
    const button = (text, step, props = {}) => el('button', {
      type: 'button', text, ...props,
      onclick: (e) => this.act(typeof step === 'function' ? step() : step, e.currentTarget) });
    const number = (label, min, max, value) => el('input', { type: 'number', min, max, step: 1, value, 'aria-label': label });
    const labelled = (text, input) => el('label', {}, `${text} `, input);
    v.method = selectBox('HTTP method', [['GET', 'GET'], ['POST', 'POST'], ['PUT', 'PUT']]);
    v.method.value = 'POST';
    v.body = number('Body bytes', 0, 65536, 3000);
    v.ttl = number('TTL', 1, 255, 64);
    v.df = el('input', { type: 'checkbox' });
    v.next = button('Next stage', { op: 'step' }, { class: 'primary', title: 'One hop, or one layer inside a host' });
    v.end = button('To the end', { op: 'run' });
    v.position = el('span', { class: 'muted' });
    v.link = selectBox('Link', []);
    v.mtu = number('MTU (bytes)', 68, 65535, 576);
    v.mss = number('MSS (bytes)', 88, 65495, 1460);
    v.router = selectBox('Router', []);
    v.router.addEventListener('change', () => this.refresh());
    v.prefix = el('input', { type: 'text', class: 'prefix', value: '203.0.113.64/26', 'aria-label': 'Destination prefix', spellcheck: false });
    v.via = selectBox('Next hop', []);
    body.append(el('div', { class: 'controls' },
      el('div', {}, el('h3', { text: 'Request (client → server)' }),
        this.controlGroup(labelled('Method', v.method), labelled('Body bytes', v.body)),
        this.controlGroup(labelled('TTL', v.ttl), el('label', {}, v.df, ' DF (don’t fragment)'),
          button('Send request', () => this.#requestStep(), { class: 'primary' }))),
      el('div', {}, el('h3', { text: 'Walk' }),
        this.controlGroup(v.next, v.end), el('p', { class: 'note' }, v.position),
        el('h3', { text: 'TCP (replays the actions)' }),
        this.controlGroup(labelled('MSS', v.mss),
          el('button', { type: 'button', text: 'Apply MSS', onclick: (e) => this.setConfig({ mss: numberValue(v.mss) }, e.currentTarget) }))),
      el('div', {}, el('h3', { text: 'Network (for the next request)' }),
        this.controlGroup(labelled('Link', v.link), labelled('MTU', v.mtu),
          button('Set MTU', () => ({ op: 'set_mtu', link: v.link.value, mtu: numberValue(v.mtu) }))),
        this.controlGroup(labelled('Router', v.router), labelled('Prefix', v.prefix), labelled('via', v.via)),
        this.controlGroup(
          button('Set route', () => ({ op: 'set_route', router: v.router.value, prefix: v.prefix.value.trim(), via: v.via.value })),
          button('Remove route', () => ({ op: 'remove_route', router: v.router.value, prefix: v.prefix.value.trim() }))))));
    v.where = el('p', { class: 'where', 'aria-live': 'off' });
    v.diagram = svg('svg', { class: 'diagram', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img',
      'aria-label': 'The network: client, routers R1 to R4 and server, each drawn as its layers, with the links and their MTUs; the stage on show is highlighted' });
    v.stage = el('div', { class: 'stage' });
    v.tables = el('div', { class: 'tables' });
    body.append(v.where, wideDiagram(v.diagram, 'The path (scrolls sideways on a narrow screen)', { units: WIDTH, class: 'diagram-box' }), v.stage, v.tables,
      el('p', { class: 'note', text: 'Stages are steps, not time: each moves every packet one hop, or one layer inside a host. The TCP handshake and the ACKs are left out (see the TCP connection widget).' }));
  }

  #requestStep() {
    const v = this.#v;
    const step = { op: 'request', method: v.method.value, path: v.method.value === 'GET' ? '/index.html' : '/upload' };
    const body = numberValue(v.body);
    if (body !== 0) step.body_bytes = body;
    step.ttl = numberValue(v.ttl);
    if (v.df.checked) step.dont_fragment = true;
    return step;
  }

  render(snap) {
    const v = this.#v;
    const net = snap.network;
    this.#fillSelect(v.link, net.links.map((l) => [l.name, `${l.name} (${l.a}–${l.b})`]));
    this.#fillSelect(v.router, net.nodes.filter((n) => n.kind === 'router').map((n) => [n.name, n.name]));
    const router = net.nodes.find((n) => n.name === v.router.value);
    const neighbours = net.links.filter((l) => l.a === router.name || l.b === router.name).map((l) => (l.a === router.name ? l.b : l.a));
    this.#fillSelect(v.via, neighbours.map((n) => [n, n]));
    if (this.shadowRoot.activeElement !== v.mss) v.mss.value = String(snap.connection.mss);
    const walk = snap.walk;
    const stage = walk ? walk.stages[walk.position] : null;
    v.next.disabled = !walk || walk.done;
    v.end.disabled = !walk || walk.done;
    v.position.textContent = walk ? `Stage ${walk.position + 1} of ${walk.stages_total}` : 'No request yet.';
    v.where.textContent = stage ? `Stage ${walk.position + 1} of ${walk.stages_total}: ${placesOf(stage.events)}` : 'Send a request to start.';
    this.#drawDiagram(net, walk);
    this.#drawStage(walk, stage);
    this.#drawTables(net, stage);
  }

  // Options that follow the network; the choice stays when it still exists.
  #fillSelect(select, options) {
    const keep = select.value;
    const same = select.options.length === options.length && options.every(([value], i) => select.options[i].value === value);
    if (!same) select.replaceChildren(...options.map(([value, text]) => el('option', { value, text })));
    if (options.some(([value]) => value === keep)) setSelect(select, keep);
  }

  // ---- the network, as layers ------------------------------------------------

  #drawDiagram(net, walk) {
    const now = new Set();
    const passed = new Set();
    const dropped = new Set();
    const wiresNow = new Set();
    const wiresPassed = new Set();
    if (walk) {
      walk.stages.slice(0, walk.position + 1).forEach((stage, i) => {
        for (const e of stage.events) {
          const key = `${e.node}/${e.layer}`;
          const current = i === walk.position;
          (current ? now : passed).add(key);
          if (current && e.dropped) dropped.add(key);
          if (e.link) (current ? wiresNow : wiresPassed).add(e.link);
        }
      });
    }
    const nodes = [];
    const byName = Object.fromEntries(net.nodes.map((n) => [n.name, n]));
    // Links first: from the side of one link-layer box to the facing side of the other.
    for (const link of net.links) {
      const a = boxAt(byName[link.a], 'link');
      const b = boxAt(byName[link.b], 'link');
      const rightward = a.x < b.x;
      const ax = rightward ? a.x + BOX_W : a.x;
      const bx = rightward ? b.x : b.x + BOX_W;
      const ay = a.y + BOX_H / 2;
      const by = b.y + BOX_H / 2;
      const cls = wiresNow.has(link.name) ? 'wire now' : wiresPassed.has(link.name) ? 'wire passed' : 'wire';
      nodes.push(svg('line', { class: cls, x1: ax, y1: ay, x2: bx, y2: by }));
      // Two short lines fit between two boxes: the link's name, its MTU.
      const mtu = `MTU ${formatCount(link.mtu)}`;
      const mx = (ax + bx) / 2;
      const my = (ay + by) / 2;
      const w = Math.max(link.name.length, mtu.length) * 6.6 + 8;
      nodes.push(svg('rect', { class: 'label-bg', x: mx - w / 2, y: my - 14, width: w, height: 30, rx: 3 }));
      nodes.push(svg('text', { class: 'muted', x: mx, y: my - 2, 'text-anchor': 'middle', text: link.name }));
      nodes.push(svg('text', { class: link.mtu < 1500 ? 'mtu narrow' : 'mtu', x: mx, y: my + 12, 'text-anchor': 'middle', text: mtu }));
    }
    for (const node of net.nodes) {
      const place = PLACES[node.name];
      const layers = layersOf(node);
      const address = node.interfaces.map((i) => i.addr).join(', ');
      nodes.push(svg('text', { class: 'node-name', x: place.x, y: place.y - 20, 'text-anchor': 'middle', text: node.name }));
      if (node.kind === 'host') nodes.push(svg('text', { class: 'muted', x: place.x, y: place.y - 6, 'text-anchor': 'middle', text: address }));
      layers.forEach((layer, i) => {
        const box = boxAt(node, layer);
        const key = `${node.name}/${layer}`;
        const cls = dropped.has(key) ? 'dropped' : now.has(key) ? 'now' : passed.has(key) ? 'passed' : '';
        if (i > 0) nodes.push(svg('line', { class: 'stack', x1: place.x, y1: box.y - 4, x2: place.x, y2: box.y }));
        nodes.push(svg('rect', { class: `layer ${cls}`, x: box.x, y: box.y, width: BOX_W, height: BOX_H, rx: 4 },
          svg('title', { text: `${node.name}: ${LAYER_NAMES[layer]}` })));
        nodes.push(svg('text', { class: cls === 'now' || cls === 'dropped' ? cls : '', x: place.x, y: box.y + 19, 'text-anchor': 'middle', text: LAYER_NAMES[layer] }));
      });
    }
    this.#v.diagram.replaceChildren(...nodes);
  }

  // ---- the stage's events and headers -----------------------------------------

  #drawStage(walk, stage) {
    const v = this.#v;
    if (!stage) {
      v.stage.replaceChildren();
      return;
    }
    const parts = [];
    for (const e of stage.events) {
      parts.push(el('h4', { text: `${e.node} · ${LAYER_NAMES[e.layer]}` }), el('p', { text: e.text }));
      parts.push(...this.#pduView(e));
    }
    if (walk.done) {
      parts.push(el('p', { class: `outcome ${walk.delivered ? 'good' : 'bad'}`, text: `Outcome: ${walk.outcome}.` }));
    }
    v.stage.replaceChildren(...parts);
  }

  #pduView(event) {
    const pdus = event.pdus;
    if (pdus.length === 0) return [];
    const out = [];
    // The first PDU as bytes on the wire: each layer's header around the one inside.
    const parts = wireParts(pdus[0]);
    if (parts.length) {
      out.push(el('div', { class: 'wire', role: 'img', 'aria-label': `The first of these on the wire: ${parts.map((w) => `${w.name} ${w.bytes} bytes`).join(', ')}` },
        ...parts.map((w) => el('span', { class: `part ${w.layer}`, style: { 'flex-grow': w.bytes }, title: `${w.name}: ${formatCount(w.bytes)} bytes`,
          text: `${w.name} ${bytes(w.bytes)}` }))));
    }
    const http = pdus.find((p) => p.type === 'http');
    if (http) {
      const text = [http.start_line, ...http.headers, ''].join('\n') + (http.body_bytes ? `\n[${formatCount(http.body_bytes)} bytes of body]` : '');
      out.push(el('pre', { class: 'http', text }));
    }
    for (const type of ['tcp', 'ip', 'ethernet']) {
      const rows = pdus.filter((p) => p.type === type);
      if (rows.length === 0) continue;
      const columns = COLUMNS[type];
      const shown = rows.slice(0, ROWS_SHOWN);
      out.push(scrollRegion('div', PDU_NAMES[type], { class: 'table-box' }, el('table', {},
        el('thead', {}, el('tr', {}, ...columns.map(([h]) => el('th', { text: h })))),
        el('tbody', {}, ...shown.map((p) => el('tr', { class: p.dropped ? 'dropped' : '' },
          ...columns.map(([h, f]) => el('td', { class: h === 'carries' ? 'wrap' : '', text: String(f(p)) }))))))));
      if (rows.length > shown.length) out.push(el('p', { class: 'more', text: `… and ${formatCount(rows.length - shown.length)} more` }));
    }
    // The summary snapshot keeps the first few of a long list.
    const unlisted = (event.pdus_total ?? pdus.length) - pdus.length;
    if (unlisted > 0) out.push(el('p', { class: 'more', text: `… and ${formatCount(unlisted)} more not listed here` }));
    return out;
  }

  // The routing tables of the routers at work (or the one picked below).
  #drawTables(net, stage) {
    const working = stage ? stage.events.filter((e) => e.lookups && e.layer === 'network') : [];
    const shown = working.length ? working : [{ node: this.#v.router.value, lookups: [] }];
    this.#v.tables.replaceChildren(...shown.map((e) => {
      const node = net.nodes.find((n) => n.name === e.node);
      const lookup = e.lookups[0];
      const rows = node.routes.map((r) => {
        const chosen = lookup?.chosen === r.prefix;
        const matched = lookup?.matches.includes(r.prefix);
        return el('tr', { class: chosen ? 'chosen' : '' },
          el('td', { text: r.prefix }), el('td', { text: r.connected ? 'connected' : `via ${r.via}` }), el('td', { text: r.link }),
          el('td', { text: chosen ? '← longest match' : matched ? 'matches, shorter' : '' }));
      });
      const caption = lookup ? `${node.name}'s routing table, looking up ${lookup.dst}` : `${node.name}'s routing table`;
      return el('div', {}, el('h4', { text: caption }), scrollRegion('div', caption, { class: 'table-box' }, el('table', {},
        el('thead', {}, el('tr', {}, ...['prefix', 'next hop', 'link', ''].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...rows))));
    }));
  }
}
