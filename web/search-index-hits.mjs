// The hits of a search in <sdp-search-index>, each with its explain tree as
// the sim returns it (Lucene's Explanation: value + description, nested).
// A BM25 term leaf ("weight(title:shoes in 3)") also gets a one-line
// summary, score = idf × tf with n, N, freq, dl and avgdl, read from the
// same tree: nothing is recomputed here. Highlighted fragments (ES's
// "<em>…</em>" strings) become text nodes and <em> elements: the document's
// text never goes through HTML. The terms aggregation is a facet list.

import { actionButton, el, formatCount } from './dom.mjs';

export const hitsCss = `
.hits { list-style: none; padding: 0; margin: 4px 0; }
.hits > li { border-bottom: 1px solid var(--sdp-line); padding: 4px 0; }
.hit-head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.hit-head .score { font-variant-numeric: tabular-nums; font-weight: 700; min-width: 5.5em; }
.hit-head .title { flex: 1 1 14em; }
.hit-head .meta { color: var(--sdp-muted); font-size: 0.82rem; }
.hit-head button { padding: 0 8px; min-height: 24px; font-size: 0.82rem; }
details.explain { font-size: 0.82rem; margin: 2px 0 0 0; }
details.explain summary { cursor: pointer; color: var(--sdp-muted); }
.explain ul { list-style: none; margin: 0; padding-left: 14px; border-left: 1px solid var(--sdp-line); }
.explain li { margin: 1px 0; }
.explain .v { font-variant-numeric: tabular-nums; font-weight: 600; margin-right: 6px; }
.hit-head .title em, .hit-body em { font-style: normal; font-weight: 700; background: color-mix(in srgb, var(--sdp-warn) 28%, transparent); border-radius: 2px; padding: 0 1px; }
.hit-body { font-size: 0.82rem; color: var(--sdp-muted); margin: 1px 0 0 0; }
.facets { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.85rem; }
.facets li { display: flex; align-items: center; gap: 5px; }
.facets .bar { display: inline-block; height: 8px; background: var(--sdp-accent); border-radius: 2px; min-width: 2px; }
.facets b { font-variant-numeric: tabular-nums; }
.explain .formula { background: var(--sdp-bg); border: 1px solid var(--sdp-line); border-radius: 4px; padding: 2px 6px; margin: 3px 0; }
`;

// Scores print as the double of Lucene's float; 4 decimals on screen, the
// whole value in the tooltip.
export const score = (v) => (v === null || v === undefined ? '–' : Number(v).toFixed(4));
// An explain value: counts (n, N, freq, dl) as integers, the rest as scores.
const value = (v) => (Number.isInteger(v) ? String(v) : score(v));

function child(node, prefix) {
  return node?.details?.find((d) => d.description.startsWith(prefix));
}

// "a <em>b</em> c" -> ['a ', <em>b</em>, ' c']: the pieces between ES's
// default tags as text, the tagged ones in <em> elements made by el().
export function highlighted(fragment) {
  const out = [];
  let inside = false;
  for (const piece of fragment.split(/(<em>|<\/em>)/)) {
    if (piece === '<em>') inside = true;
    else if (piece === '</em>') inside = false;
    else if (piece !== '') out.push(inside ? el('em', { text: piece }) : piece);
  }
  return out;
}

const fragments = (list) => list.flatMap((f, i) => (i ? [' … ', ...highlighted(f)] : highlighted(f)));

// "weight(title:shoes in 3) ..." -> {field, term, idf, tf, n, N, freq, dl, avgdl, score}
// (phrases: "weight(title:\"running shoes\"~1 in 3)", freq from phraseFreq=)
export function bm25Parts(node) {
  const match = /^weight\(([^:]+):(.*) in \d+\)/.exec(node.description ?? '');
  if (!match) return null;
  const computed = child(node, 'score(');
  const idf = child(computed, 'idf');
  const tf = child(computed, 'tf');
  if (!idf || !tf) return null;
  const val = (n, prefix) => child(n, prefix)?.value;
  return { field: match[1], term: match[2], score: node.value, idf: idf.value, tf: tf.value,
    n: val(idf, 'n,'), N: val(idf, 'N,'), freq: val(tf, 'freq') ?? val(tf, 'phraseFreq'), dl: val(tf, 'dl'), avgdl: val(tf, 'avgdl'), boost: val(computed, 'boost') };
}

function formula(p) {
  const boost = p.boost !== undefined && p.boost !== 1 ? `boost ${p.boost} × ` : '';
  // A phrase's idf is the sum of its terms' (no single n); its freq a phrase frequency.
  const idf = p.n === undefined ? `idf ${score(p.idf)} (the sum of the words' idfs)` : `idf ${score(p.idf)} (n = ${p.n} docs with the term of N = ${p.N})`;
  const freq = Number.isInteger(p.freq) ? String(p.freq) : score(p.freq);
  return `${p.field}:${p.term} → ${boost}${idf} × tf ${score(p.tf)} (${p.n === undefined ? 'phrase freq' : 'freq'} ${freq}, field length ${p.dl}, average ${value(p.avgdl)}) = ${score(p.score)}`;
}

function explainNode(node, depth = 0) {
  const parts = bm25Parts(node);
  return el('li', {},
    el('span', { class: 'v', title: String(node.value), text: value(node.value) }),
    node.description,
    parts ? el('div', { class: 'formula', text: formula(parts) }) : null,
    node.details?.length && depth < 8 ? el('ul', {}, ...node.details.map((d) => explainNode(d, depth + 1))) : null);
}

export function explainTree(explanation) {
  return el('details', { class: 'explain' }, el('summary', { text: 'Explain this score' }),
    el('ul', {}, explainNode(explanation)));
}

// hits: the search result's hits.hits; onDelete(id, button) deletes one.
export function renderHits(list, hits, onDelete) {
  list.replaceChildren(...hits.map((hit) => {
    const source = hit._source ?? {};
    const marked = hit.highlight ?? {};
    const meta = [`_id ${hit._id}`, `segment ${hit._segment}`, source.tag !== undefined ? `tag ${source.tag}` : null,
      source.price !== undefined ? `price ${formatCount(source.price)}` : null,
      hit.sort ? `sort ${JSON.stringify(hit.sort)}` : null].filter(Boolean).join(' · ');
    const title = marked.title ? fragments(marked.title) : [source.title ?? source.body ?? JSON.stringify(source)];
    return el('li', {},
      el('div', { class: 'hit-head' },
        el('span', { class: 'score', title: `_score ${hit._score}`, text: score(hit._score) }),
        el('span', { class: 'title' }, ...title),
        el('span', { class: 'meta', text: meta }),
        actionButton('Delete', hit._id, (e) => onDelete(hit._id, e.currentTarget))),
      marked.body ? el('p', { class: 'hit-body' }, ...fragments(marked.body)) : null,
      hit._explanation ? explainTree(hit._explanation) : null);
  }));
}

// A terms aggregation's buckets as a facet list: key, count and a bar.
export function renderFacets(list, agg) {
  const buckets = agg?.buckets ?? [];
  const most = Math.max(1, ...buckets.map((b) => b.doc_count));
  list.replaceChildren(...buckets.map((b) => el('li', {},
    el('span', { text: String(b.key) }),
    el('span', { class: 'bar', style: { width: `${Math.round((48 * b.doc_count) / most)}px` }, 'aria-hidden': 'true' }),
    el('b', { text: formatCount(b.doc_count) }))),
  ...(agg?.sum_other_doc_count ? [el('li', { text: `other: ${formatCount(agg.sum_other_doc_count)}` })] : []));
}
