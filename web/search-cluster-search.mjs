// The last search of <sdp-search-cluster>, drawn from its result: the phases
// as numbered steps (revealed one at a time, each narrated), the hits each
// shard sent (deep paging's cost), the page with each hit's score under both
// search types, the per-shard term statistics behind them, the node query
// cache and the conjunction's cost in both orders.
import { el, formatCount, formatPercent, plural } from './dom.mjs';

export const searchCss = `
ol.phases { margin: 4px 0; padding-left: 1.4em; }
ol.phases li { margin: 3px 0; }
ol.phases li.pending { color: var(--sdp-muted); }
ol.phases li.pending::after { content: " (next)"; }
table.t { border-collapse: collapse; font-size: 0.84rem; font-variant-numeric: tabular-nums; margin: 4px 0; }
table.t th, table.t td { border-bottom: 1px solid var(--sdp-line); padding: 2px 10px 2px 0; text-align: left; }
table.t th { color: var(--sdp-muted); font-weight: 600; }
table.t td.num { text-align: right; }
.big { font-size: 1.05rem; font-weight: 700; }
`;

const fixed = (x, d = 4) => (x === null || x === undefined ? '–' : Number(x).toFixed(d));

// The phases as sentences, in order (dfs first when asked for).
export function phaseSteps(r) {
  const steps = [];
  const query = r.phases.find((p) => p.phase === 'query');
  const fetch = r.phases.find((p) => p.phase === 'fetch');
  const dfs = r.phases.find((p) => p.phase === 'dfs');
  const copies = query.shards.map((s) => `${s.copy} on ${s.node}`).join(', ');
  steps.push(`Fan-out: ${r.coordinator} (coordinating) picks one copy of each shard, rotating over primary and replicas: ${copies}.${r._shards.failed ? ` ${plural(r._shards.failed, 'shard')} has no live copy and is skipped (partial results).` : ''}`);
  if (dfs) {
    steps.push(`DFS phase: each shard reports its term statistics; summed: ${dfs.global.map((g) => `${g.term} in ${formatCount(g.doc_freq)} of ${formatCount(g.doc_count)} docs`).join(', ') || 'no terms'}.`);
  }
  steps.push(`Query phase: each shard scores its own documents and sends back its top from + size = ${formatCount(query.window)} (ids and scores only): ${query.shards.map((s) => `shard ${s.shard} ${formatCount(s.hits_returned)}`).join(', ')}; ${formatCount(r.hits_transferred)} hits in all.`);
  steps.push(`Reduce: ${r.coordinator} merges the ${formatCount(r.hits_transferred)} hits by score and keeps ${plural(r.hits.hits.length, 'hit')} of the page.`);
  steps.push(`Fetch phase: only the shards holding those hits send the documents: ${fetch.shards.map((s) => `shard ${s.shard} ${s.docs}`).join(', ') || 'none'}.`);
  return steps;
}

export function renderPhases(list, steps, shown) {
  list.replaceChildren(...steps.map((text, i) => el('li', { class: i < shown ? '' : 'pending', text: i < shown ? text : text.split(':')[0] })));
}

export function renderPaging(box, r, size) {
  const query = r.phases.find((p) => p.phase === 'query');
  const page = r.hits.hits.length;
  box.replaceChildren(
    el('p', {}, el('span', { class: 'big', text: formatCount(r.hits_transferred) }), ` hits sent to the coordinator for a page of ${plural(size, 'hit')} (${formatCount(page)} found): every shard sends from + size = ${formatCount(query.window)}.`),
    el('table', { class: 't' },
      el('thead', {}, el('tr', {}, ...['shard', 'copy', 'node', 'matched', 'hits sent'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...query.shards.map((s) => el('tr', {}, el('td', { text: s.shard }), el('td', { text: s.copy }), el('td', { text: s.node }),
        el('td', { class: 'num', text: formatCount(s.matched) }), el('td', { class: 'num', text: formatCount(s.hits_returned) }))))));
}

export function renderHits(box, r) {
  const dfs = r.search_type === 'dfs_query_then_fetch';
  const other = dfs ? 'local_score' : 'dfs_score';
  box.replaceChildren(el('table', { class: 't' },
    el('thead', {}, el('tr', {}, ...['#', '_id', 'shard', 'title', `score (${dfs ? 'dfs' : 'local idf'})`, `score with ${dfs ? 'local idf' : 'dfs'}`]
      .map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...r.hits.hits.map((h, i) => el('tr', {}, el('td', { text: i + 1 }), el('td', { text: h._id }), el('td', { text: h._shard }),
      el('td', { text: h._source.title ?? JSON.stringify(h._source) }), el('td', { class: 'num', text: fixed(h._score) }), el('td', { class: 'num', text: fixed(h[other]) }))))));
}

export function renderTermStats(box, r) {
  const { shards, global } = r.term_stats;
  if (!global.length) {
    box.replaceChildren(el('p', { class: 'note', text: 'The query scores no terms.' }));
    return;
  }
  box.replaceChildren(el('table', { class: 't' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'term' }), ...shards.map((s) => el('th', { scope: 'col', text: `shard ${s.shard}: n / N, idf` })),
      el('th', { scope: 'col', text: 'all shards (dfs)' }))),
    el('tbody', {}, ...global.map((g, i) => el('tr', {}, el('td', { text: g.term }),
      ...shards.map((s) => el('td', { text: `${s.terms[i].doc_freq} / ${s.terms[i].doc_count}, ${fixed(s.terms[i].idf)}` })),
      el('td', { text: `${g.doc_freq} / ${g.doc_count}, ${fixed(g.idf)}` }))))));
}

// A filter as a reader writes it: price < 100, not the described tree.
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
function filterText(f) {
  const range = f.int_range;
  if (range) {
    if (range.gte === range.lte) return `${range.field} = ${range.gte}`;
    const lo = range.gte === INT_MIN ? '' : `${range.gte} ≤ `;
    const hi = range.lte === INT_MAX ? '' : ` ≤ ${range.lte}`;
    return lo && !hi ? `${range.field} ≥ ${range.gte}` : `${lo}${range.field}${hi}`;
  }
  if (f.term) return `${f.term.field}:${f.term.term}`;
  return JSON.stringify(f);
}

export function renderCache(box, r, snap) {
  const c = snap.query_cache;
  const rows = r.query_cache.filter((e) => e.policy !== 'never cached');
  const never = [...new Set(r.query_cache.filter((e) => e.policy === 'never cached').map((e) => filterText(e.filter)))];
  box.replaceChildren(
    el('p', {}, 'Hit rate, all nodes: ', el('span', { class: 'big', text: c.hit_rate === null ? '–' : formatPercent(c.hit_rate) }),
      ` (${plural(c.hits, 'hit')}, ${formatCount(c.misses)} ${c.misses === 1 ? 'miss' : 'misses'} per segment).`),
    rows.length ? el('table', { class: 't' },
      el('caption', { class: 'note', text: `Rule: ${rows[0].policy} on a node (Lucene's UsageTrackingQueryCachingPolicy). Counts are per segment.` }),
      el('thead', {}, el('tr', {}, ...['filter', 'node', 'shard', 'uses', 'hits', 'misses', 'cached now'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...rows.map((e) => el('tr', {}, el('td', { text: filterText(e.filter) }), el('td', { text: e.node }), el('td', { text: e.shard }),
        el('td', { class: 'num', text: e.uses }), el('td', { class: 'num', text: e.segment_hits }),
        el('td', { class: 'num', text: e.segment_misses }), el('td', { class: 'num', text: e.segments_cached }))))) : el('p', { class: 'note', text: 'This query has no cacheable filter clause (add a range under "filter").' }),
    never.length ? el('p', { class: 'note', text: `Never cached (term queries are already fast): ${never.join(', ')}.` }) : '');
}

export function renderPlan(box, r) {
  const p = r.planning;
  if (!p) {
    box.replaceChildren(el('p', { class: 'note', text: 'Needs a bool with two or more required term clauses (must / filter).' }));
    return;
  }
  const list = (clauses) => clauses.map((c) => `${c.clause} (cost ${formatCount(c.cost)})`).join(' → ');
  box.replaceChildren(el('table', { class: 't' },
    el('thead', {}, el('tr', {}, ...['order', 'clauses, lead first', 'postings visited'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {},
      el('tr', {}, el('td', { text: 'as written' }), el('td', { text: list(p.written_order) }), el('td', { class: 'num', text: formatCount(p.postings_visited_written_order) })),
      el('tr', {}, el('td', { text: 'cheapest first (Lucene)' }), el('td', { text: list(p.cheapest_first) }), el('td', { class: 'num', text: formatCount(p.postings_visited_cheapest_first) })))));
}
