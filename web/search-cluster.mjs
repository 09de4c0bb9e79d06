// <sdp-search-cluster>: an Elasticsearch 7 cluster from the `search_cluster`
// sim. Nodes hold shard copies (primary solid, replica outlined); Kill and
// Start show promotion, yellow and red, and recovery. A search shows its
// phases step by step (fan-out, dfs, query, reduce, fetch), what deep paging
// costs, each hit's score with local idf and with dfs_query_then_fetch, the
// node query cache, and a conjunction led by its cheapest clause.
// Attributes: nodes (1-9), shards (1-8), replicas (0-3), products (0-5000),
// seed, sync-url, state-key.

import { el, NumberFields, plural, selectBox } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { healthBadge, nodesCss, renderNodes } from './search-cluster-nodes.mjs';
import {
  phaseSteps, renderCache, renderHits, renderPaging, renderPhases, renderPlan, renderTermStats, searchCss,
} from './search-cluster-search.mjs';

// Two required terms (so the planner has a conjunction to order) and a
// range filter (so the query cache has something it may cache).
const DEFAULT_QUERY = '{"bool": {"must": [{"term": {"title": "red"}}, {"term": {"title": "kettle"}}], "filter": [{"range": {"price": {"lt": 100}}}]}}';

const styles = sheetFrom(`
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(360px, 100%), 1fr)); gap: 8px 20px; align-items: start; }
h3 { font-size: 0.92rem; margin: 10px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 2px 0 4px; }
.control .row { flex-wrap: wrap; }
textarea { width: 100%; box-sizing: border-box; font: 0.82rem ui-monospace, monospace; color: inherit; background: var(--sdp-bg); border: 1px solid var(--sdp-line); border-radius: 6px; padding: 4px 6px; min-height: 3.6em; resize: vertical; }
input[type=number] { width: 6.5em; }
.control label { display: inline-flex; gap: 4px; align-items: center; }
.summary { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
.table-box { overflow-x: auto; }
${nodesCss}
${searchCss}
`);

export class SearchClusterElement extends SdpWidget {
  static sim = 'search_cluster';
  static title = 'Search cluster: shards, replicas and the distributed search';
  static subtitle = 'An Elasticsearch 7 index over nodes: Murmur3 routing, primaries and replicas, a node lost and recovered, and a search in phases — deep paging, local vs global idf, the node query cache, the cheapest clause first.';
  static styles = [styles];
  static attributes = {
    nodes: { type: 'integer', min: 1, max: 9, default: 3 },
    shards: { type: 'integer', min: 1, max: 8, default: 3 },
    replicas: { type: 'integer', min: 0, max: 3, default: 1 },
    products: { type: 'integer', min: 0, max: 5000, default: 600 },
  };

  #v = {};
  #last = null; // {step, result, at} of the last search
  #shown = 0; // phases revealed of the last search

  initialSteps(values) {
    const steps = [{ op: 'nodes', count: values.nodes }, { op: 'create_index', shards: values.shards, replicas: values.replicas }];
    if (values.products > 0) steps.push({ op: 'bulk', count: values.products }, { op: 'refresh' });
    return steps;
  }

  replayStarted() {
    this.#last = null;
  }

  stepApplied(step, result) {
    if (step.op === 'search') {
      this.#last = { step, result, at: this.log.length };
      this.#shown = 1;
    }
  }

  describe(step, r) {
    switch (step.op) {
      case 'nodes': return `Added ${r.added.join(', ')}.`;
      case 'create_index': return `Index ${r.index}: ${plural(r.number_of_shards, 'shard')} × ${r.number_of_replicas + 1} copies, ${r.number_of_routing_shards} routing shards (factor ${r.routing_factor}); health ${r.health}.`;
      case 'index': return `${r._id} → murmur3 ${r.routing_hash} → shard ${r._shard}, written to ${r.copies.join(', ')}.`;
      case 'bulk': return `${plural(r.indexed, 'product')} indexed, each routed by Murmur3 of its _id.`;
      case 'refresh': return `Refreshed ${r._shards.successful} of ${r._shards.total} shard copies.`;
      case 'kill_node': return `${r.node} is down: lost ${r.copies_lost.join(', ') || 'no copies'}${allocationText(r.allocation)}. Health ${r.health}.`;
      case 'start_node':
      case 'reroute': return `${step.op === 'reroute' ? 'Reroute' : `${r.node} is up`}${allocationText(r.allocation)}. Health ${r.health}.`;
      case 'search': return phaseSteps(r)[0];
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    v.badge = el('span', {});
    v.master = el('span', { class: 'note' });
    v.nodes = el('div', { class: 'nodes' });
    v.query = el('textarea', { 'aria-label': 'Query DSL JSON', rows: 3, spellcheck: 'false' });
    v.query.value = DEFAULT_QUERY;
    v.paging = new NumberFields([['from', 'from', 'hits to skip'], ['size', 'size', 'hits per page']], { min: 0 });
    v.paging.show({ from: 0, size: 10 });
    v.type = selectBox('Search type', [['query_then_fetch', 'query_then_fetch (local idf)'], ['dfs_query_then_fetch', 'dfs_query_then_fetch (global idf)']]);
    v.run = el('button', { type: 'button', class: 'primary', text: 'Search', onclick: (e) => this.#search(e.currentTarget) });
    v.next = el('button', { type: 'button', text: 'Next phase', onclick: () => this.#nextPhase() });
    v.phases = el('ol', { class: 'phases', 'aria-label': 'Search phases' });
    v.paged = el('div', {});
    v.hits = el('div', { class: 'table-box' });
    v.stats = el('div', { class: 'table-box' });
    v.cache = el('div', { class: 'table-box' });
    v.plan = el('div', { class: 'table-box' });
    const button = (text, step, title) => el('button', { type: 'button', text, title, onclick: (e) => this.act(step, e.currentTarget) });
    body.append(
      el('section', { 'aria-label': 'Cluster' },
        el('div', { class: 'summary' }, v.badge, v.master),
        this.controlGroup(button('Add a node', { op: 'nodes', count: 1 }, 'A master, data and ingest node'),
          button('Add a coordinating-only node', { op: 'nodes', count: 1, roles: 'coordinating_only' }, 'Holds no shards: only routes searches'),
          button('Reroute now', { op: 'reroute' }, 'Elasticsearch waits index.unassigned.node_left.delayed_timeout (1 minute) before rebuilding lost replicas elsewhere'),
          button('Index 200 products', { op: 'bulk', count: 200 }), button('Refresh', { op: 'refresh' })),
        v.nodes,
        el('div', { class: 'legend', 'aria-hidden': 'true' }, el('span', { class: 'copy primary', text: 'P0' }), 'primary',
          el('span', { class: 'copy replica', text: 'R0' }), 'replica', el('span', { class: 'copy unassigned', text: 'R0' }), 'unassigned',
          el('span', { class: 'copy replica searched', text: 'R0' }), 'searched by the last query'),
        ),
      el('section', { 'aria-label': 'Search' },
        el('h3', { text: 'Search' }),
        el('div', { class: 'control' }, el('div', { class: 'row' }, v.query),
          el('div', { class: 'row' }, ...v.paging.labels(), el('label', {}, 'type ', v.type), v.run, v.next),
          el('div', { class: 'field-error', role: 'alert' })),
        v.phases),
      el('div', { class: 'grid' },
        el('section', { 'aria-label': 'Pagination' }, el('h3', { text: 'Pagination: hits sent per shard' }), v.paged,
          el('p', { class: 'note', text: 'from + size may be at most 10,000 (index.max_result_window): deeper pages cost every shard from + size hits; search_after pages with a sort key instead.' })),
        el('section', { 'aria-label': 'Scores' }, el('h3', { text: 'Scores: local idf vs dfs_query_then_fetch' }), v.hits, v.stats)),
      el('div', { class: 'grid' },
        el('section', { 'aria-label': 'Node query cache' }, el('h3', { text: 'Node query cache (filter clauses)' }), v.cache),
        el('section', { 'aria-label': 'Query planning' }, el('h3', { text: 'Query planning: the cheapest clause leads' }), v.plan)));
  }

  #search(source) {
    const v = this.#v;
    const { from, size } = v.paging.values();
    this.act({ op: 'search', query: v.query.value, from, size, search_type: v.type.value }, source);
  }

  #nextPhase() {
    if (!this.#last) return;
    const steps = phaseSteps(this.#last.result);
    if (this.#shown >= steps.length) return;
    this.#shown += 1;
    this.narrate(steps[this.#shown - 1]);
    this.refresh();
  }

  render(snap) {
    const v = this.#v;
    v.badge.replaceChildren(healthBadge(snap.status));
    v.master.textContent = `master: ${snap.master ?? 'none (writes are blocked)'} · ${snap.index ? `${snap.index.docs} docs, ${snap.index.number_of_shards} shards × ${snap.index.number_of_replicas + 1} copies, routing shards ${snap.index.number_of_routing_shards}` : 'no index yet'}`;
    const r = this.#last?.result;
    const searched = new Set(r ? r.phases.find((p) => p.phase === 'query').shards.map((s) => `${s.copy}@${s.node}`) : []);
    renderNodes(v.nodes, snap, searched, (n, source) => this.act({ op: n.up ? 'kill_node' : 'start_node', node: n.name }, source));
    if (!r) {
      v.phases.replaceChildren(el('li', { class: 'pending', text: 'No search yet' }));
      for (const box of [v.paged, v.hits, v.stats, v.cache, v.plan]) box.replaceChildren();
      v.next.disabled = true;
      return;
    }
    const steps = phaseSteps(r);
    renderPhases(v.phases, steps, this.#shown);
    v.next.disabled = this.#shown >= steps.length;
    renderPaging(v.paged, r, this.#last.step.size ?? 10);
    renderHits(v.hits, r);
    renderTermStats(v.stats, r);
    renderCache(v.cache, r, snap);
    renderPlan(v.plan, r);
  }
}

function allocationText(events) {
  if (!events?.length) return '';
  return `; ${events.map((e) => e.event === 'recovered' ? `${e.copy} recovered on ${e.node} (${e.docs_copied} docs copied)`
    : e.event === 'promoted' ? `shard ${e.shard}'s replica on ${e.node} promoted to primary` : `shard ${e.shard}'s primary back on ${e.node}`).join(', ')}`;
}
