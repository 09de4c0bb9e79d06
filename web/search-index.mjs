// <sdp-search-index>: one Elasticsearch index (one shard, a Lucene index)
// from the `search_index` sim. Documents come from a form, raw JSON or the
// built-in product corpus; the analyzer shows the terms a title becomes; the
// mapping and its field statistics; the segments as bars (refresh writes a
// new immutable one, a delete is a tombstone, merges rewrite them — the
// write amplification counted); the inverted index of a chosen term; and a
// search (match, match_phrase, term, bool; sorted by score or a field) with
// every hit's score explained, its matched words highlighted, and a tag facet.
// Attributes: products (corpus documents at the start, 0-240),
// segments-per-tier, seed, sync-url, state-key.

import { el, formatCount, plural, scrollRegion, selectBox, setSelect, svg } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { CORPUS_SIZE, isProduct, productSteps } from './search-index-corpus.mjs';
import { hitsCss, renderFacets, renderHits, score } from './search-index-hits.mjs';
import { postingsCss, renderPostings, renderTermList, shownTerms } from './search-index-postings.mjs';
import { renderSegments, segmentsCss, writtenBy } from './search-index-segments.mjs';
import { FACET, queryFromForm, searchCss, searchExtras, searchForm } from './search-index-query.mjs';

const BATCH = 30; // corpus documents per refresh
const DEFAULT_PRODUCTS = 90;
const ANALYZER_NOTE = 'StandardAnalyzer, as Lucene 8 and Elasticsearch\'s "standard" analyzer: split at Unicode word boundaries, then lowercase. No stop words ("the" is a term), no stemming ("shoes" and "shoe" are different terms).';

const styles = sheetFrom(`
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(340px, 100%), 1fr)); gap: 8px 20px; align-items: start; }
h3 { font-size: 0.92rem; margin: 10px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 2px 0 4px; }
.control .row { flex-wrap: wrap; }
label.grow { flex: 1 1 18em; display: flex; gap: 6px; align-items: center; }
input.wide, textarea { width: 100%; box-sizing: border-box; font: inherit; color: inherit; background: var(--sdp-bg); border: 1px solid var(--sdp-line); border-radius: 6px; padding: 4px 6px; }
textarea { font-family: ui-monospace, monospace; font-size: 0.82rem; min-height: 3.2em; resize: vertical; }
input.id { width: 5.5em; }
input.price { width: 5.5em; }
input.tag { width: 7em; }
.tokens { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; min-height: 1.6em; }
.tokens span { border: 1px solid var(--sdp-line); border-radius: 4px; padding: 1px 6px; font-family: ui-monospace, monospace; font-size: 0.82rem; background: var(--sdp-panel); }
.tokens span sub { color: var(--sdp-muted); margin-left: 3px; }
table.mapping { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
table.mapping th, table.mapping td { border-bottom: 1px solid var(--sdp-line); padding: 2px 12px 2px 0; text-align: left; }
table.mapping th { color: var(--sdp-muted); font-weight: 600; }
.counters { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 0.88rem; margin: 4px 0; }
.counters b { font-variant-numeric: tabular-nums; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.8rem; color: var(--sdp-muted); }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
.legend .live { background: var(--sdp-accent); }
.legend .deleted { background: var(--sdp-error); opacity: 0.75; }
.legend .fresh { border: 2px solid var(--sdp-fg); box-sizing: border-box; }
.legend .buffer { border: 1.5px dashed var(--sdp-muted); box-sizing: border-box; }
.table-box { overflow-x: auto; }
`);

export class SearchIndexElement extends SdpWidget {
  static sim = 'search_index';
  static title = 'Search index: analyzer, segments, merges and BM25';
  static subtitle = 'One Elasticsearch shard as Lucene builds it: terms from the analyzer, an inverted index per immutable segment, deletes as tombstones, tiered merges, and scores equal to Lucene 8.7\'s, explained.';
  static styles = [styles, sheetFrom(segmentsCss + hitsCss + postingsCss + searchCss)];
  static attributes = {
    products: { type: 'integer', min: 0, max: CORPUS_SIZE, default: DEFAULT_PRODUCTS },
    'segments-per-tier': { config: 'segments_per_tier' },
  };

  #v = {};
  #cursor = 0; // corpus products indexed so far (replays included)
  #lastSearch = null; // {result, at: log length} of the last search
  #term = null; // the inverted index's chosen term (view state, not logged)

  // Lucene's default is 10 segments per tier: with 30-document batches the
  // first merge would come only after the eleventh, and updates past the
  // corpus end drop fully deleted segments before that. With 5 the sixth
  // batch merges (docs/search_index.md).
  baseConfig() {
    return { segments_per_tier: 5 };
  }

  initialSteps(values) {
    return corpusBatches(0, values.products ?? DEFAULT_PRODUCTS);
  }

  replayStarted() {
    this.#cursor = 0;
    this.#lastSearch = null;
  }

  stepApplied(step, result) {
    if (isProduct(step, this.#cursor)) this.#cursor += 1;
    if (step.op === 'search') this.#lastSearch = { result, at: this.log.length };
  }

  describe(step, r) {
    switch (step.op) {
      case 'index': return `${r._id} ${r.result} in the buffer: searchable after the next refresh.`;
      case 'delete': return r.result === 'not_found' ? `No document ${r._id}: nothing deleted.`
        : `${r._id} deleted: its bit in the live-docs bitmap is cleared at the next refresh; the segment itself is never edited.`;
      case 'refresh': return `Refresh: ${r.segment ? `the buffer became segment ${r.segment}` : 'nothing buffered, no new segment'}.${mergeText(r.merges)}`;
      case 'merge':
      case 'force_merge': return `${step.op === 'merge' ? 'Merge policy' : `Force merge to ${step.max_segments}`}:${mergeText(r.merges) || ' nothing to merge.'} ${plural(r.segments, 'segment')} now.`;
      case 'search': return `Search: ${plural(r.hits.total.value, 'hit')}${r.hits.max_score !== null ? `, best score ${score(r.hits.max_score)}` : ''}${step.sort ? `, sorted by ${step.sort}` : ''}.`;
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    const button = (text, step, props = {}) => el('button', { type: 'button', text, ...props,
      onclick: (e) => this.act(typeof step === 'function' ? step() : step, e.currentTarget) });
    const text = (label, cls, props = {}) => el('input', { type: 'text', class: cls, 'aria-label': label, ...props });
    v.id = text('Document id', 'id', { placeholder: 'auto' });
    v.title = text('Title', 'wide', { value: 'The Quick-dry blue running shoes' });
    v.tag = text('Tag', 'tag', { value: 'shoes' });
    v.price = text('Price', 'price', { value: '49', inputmode: 'numeric' });
    v.docJson = el('textarea', { 'aria-label': 'Document JSON', rows: 2, spellcheck: 'false' });
    v.docJson.value = '{"title": "Red wool blanket", "tag": "home", "price": 35}';
    v.deleteId = text('Id to delete', 'id', { value: 'p001' });
    v.tokens = el('div', { class: 'tokens', role: 'list', 'aria-label': 'Tokens of the title' });
    v.title.addEventListener('input', () => this.#showTokens());
    v.load = el('button', { type: 'button', class: 'primary', onclick: (e) => this.#loadProducts(BATCH, e.currentTarget) });

    v.mapping = scrollRegion('div', 'The mapping', { class: 'table-box' });
    v.segments = svg('svg', { class: 'segments' });
    v.counters = el('div', { class: 'counters' });
    v.mergeNote = el('p', { class: 'note' });
    v.tier = selectBox('Segments per tier', [[3, '3'], [5, '5'], [10, '10 (Lucene)']]);
    v.tier.addEventListener('change', () => this.setConfig({ segments_per_tier: Number(v.tier.value) }, v.tier));

    v.field = selectBox('Inverted index field', [['title', 'title'], ['body', 'body'], ['tag', 'tag']]);
    v.field.addEventListener('change', () => { this.#term = null; this.refresh(); });
    v.prefix = text('Terms starting with', 'tag', { placeholder: 'prefix' });
    v.prefix.addEventListener('input', () => this.refresh());
    v.segment = el('select', { 'aria-label': 'Segment', onchange: () => this.refresh() });
    v.termList = el('div', { class: 'term-list', role: 'group', 'aria-label': 'Terms' });
    v.postings = el('div', {});

    v.search = searchForm();
    v.hits = el('ol', { class: 'hits', 'aria-label': 'Hits' });
    v.hitsNote = el('p', { class: 'note' });
    v.facets = el('ul', { class: 'facets', 'aria-label': 'Tag facet' });
    const search = (query, source) => this.act({ op: 'search', query, size: 10, explain: true, ...searchExtras(v.search) }, source);
    v.search.runForm.addEventListener('click', (e) => {
      const query = queryFromForm(v.search);
      v.search.json.value = query;
      search(query, e.currentTarget);
    });
    v.search.runJson.addEventListener('click', (e) => search(v.search.json.value, e.currentTarget));

    const docFromForm = () => {
      const doc = { title: v.title.value };
      if (v.tag.value !== '') doc.tag = v.tag.value;
      // A number when it reads as one; anything else goes as text, and the
      // integer field refuses it as Elasticsearch does.
      if (v.price.value.trim() !== '') doc.price = /^-?\d+$/.test(v.price.value.trim()) ? Number(v.price.value) : v.price.value;
      return withId({ op: 'index', doc: JSON.stringify(doc) }, v.id.value);
    };
    body.append(
      el('div', { class: 'grid' },
        el('section', { 'aria-label': 'Documents' },
          el('h3', { text: 'Documents' }),
          this.controlGroup(v.load, button('Refresh', { op: 'refresh' }, { title: 'Write the buffer as a new segment and make it searchable' })),
          el('p', { class: 'note', text: `The corpus: ${CORPUS_SIZE} product titles made up from word lists; past the last one the same ids come again with new prices (updates).` }),
          el('div', { class: 'control' }, el('div', { class: 'row' }, el('label', { class: 'grow' }, 'Title ', v.title)),
            el('div', { class: 'row' }, el('label', {}, 'Tag ', v.tag), el('label', {}, 'Price ', v.price), el('label', {}, 'Id ', v.id),
              el('button', { type: 'button', text: 'Index', onclick: (e) => this.act(docFromForm(), e.currentTarget) })),
            el('div', { class: 'field-error', role: 'alert' })),
          el('p', { class: 'note', text: ANALYZER_NOTE }),
          v.tokens,
          el('div', { class: 'control' }, el('div', { class: 'row' }, v.docJson),
            el('div', { class: 'row' }, el('button', { type: 'button', text: 'Index JSON',
              onclick: (e) => this.act(withId({ op: 'index', doc: v.docJson.value }, v.id.value), e.currentTarget) })),
            el('div', { class: 'field-error', role: 'alert' })),
          this.controlGroup(el('label', {}, 'Id ', v.deleteId),
            el('button', { type: 'button', text: 'Delete', onclick: (e) => this.act({ op: 'delete', id: v.deleteId.value }, e.currentTarget) }))),
        el('section', { 'aria-label': 'Mapping' },
          el('h3', { text: 'Mapping ("dynamic": "strict") and field statistics' }), v.mapping,
          el('p', { class: 'note', text: 'A field the mapping lacks is refused, as is a value an integer field cannot hold. docCount and the average length feed BM25; deleted documents count until a merge.' }))),
      el('section', { 'aria-label': 'Segments' },
        el('h3', { text: 'Segments (TieredMergePolicy)' }),
        this.controlGroup(button('Merge', { op: 'merge' }, { title: 'Refresh, then run the merge policy' }),
          button('Force merge to 1', { op: 'force_merge', max_segments: 1 }),
          el('label', {}, 'Segments per tier ', v.tier)),
        el('div', { class: 'legend', 'aria-hidden': 'true' }, el('span', {}, el('i', { class: 'live' }), 'live documents'),
          el('span', {}, el('i', { class: 'deleted' }), 'deleted (tombstones)'), el('span', {}, el('i', { class: 'fresh' }), 'written by the last step'),
          el('span', {}, el('i', { class: 'buffer' }), 'buffer (not yet searchable)')),
        v.segments, v.counters, v.mergeNote),
      el('div', { class: 'grid' },
        el('section', { 'aria-label': 'Inverted index' },
          el('h3', { text: 'Inverted index: term → postings' }),
          el('div', { class: 'row' }, el('label', {}, 'Field ', v.field), el('label', {}, 'Terms starting with ', v.prefix), el('label', {}, 'Segment ', v.segment)),
          v.termList, v.postings),
        el('section', { 'aria-label': 'Search' },
          el('h3', { text: 'Search (BM25, k1 1.2, b 0.75)' }),
          v.search.element, v.hitsNote,
          el('div', { class: 'facet-box' }, el('span', { class: 'note', text: 'Matches by tag (terms aggregation):' }), v.facets),
          v.hits)));
    this.#showTokens();
  }

  // Corpus products, BATCH per refresh; a refusal (the index full) stops.
  #loadProducts(count, source) {
    const steps = corpusBatches(this.#cursor, count);
    this.actAll(steps, source, (results) => {
      const indexed = results.filter((r) => r._id).length;
      const refresh = results.filter((r) => 'segments' in r).at(-1);
      const updated = results.filter((r) => r.result === 'updated').length;
      return `${plural(indexed, 'product')} indexed${updated ? ` (${formatCount(updated)} of them updates: the old copies are now tombstones)` : ''} and refreshed${refresh?.segment ? ` into segment ${refresh.segment}` : ''}.${mergeText(refresh?.merges)}`;
    });
  }

  #showTokens() {
    const v = this.#v;
    if (!this.session) return;
    let tokens = [];
    try {
      tokens = this.session.apply({ op: 'analyze', text: v.title.value }).tokens; // read-only: not logged
    } catch { /* too long for _analyze: the Index button says why */ }
    v.tokens.replaceChildren(...tokens.map((t) => el('span', { role: 'listitem', title: `position ${t.position}, offsets ${t.start_offset}–${t.end_offset}, ${t.type}` },
      t.token, el('sub', { text: t.position }))));
    if (tokens.length === 0) v.tokens.append(el('span', { class: 'note', text: 'no tokens' }));
  }

  render(snap, last) {
    const v = this.#v;
    if (v.tokens.childElementCount === 0) this.#showTokens();
    const next = this.#cursor % CORPUS_SIZE;
    v.load.textContent = `${this.#cursor < CORPUS_SIZE ? 'Index' : 'Update'} products ${next + 1}–${Math.min(next + BATCH, CORPUS_SIZE)} + refresh`;
    setSelect(v.tier, snap.settings.segments_per_tier);
    this.#renderMapping(snap);
    renderSegments(v.segments, snap, writtenBy(last));
    const c = snap.counters;
    v.counters.replaceChildren(...[
      ['segments', formatCount(snap.segments.length)], ['live docs', formatCount(snap.docs.live)], ['deleted (tombstones)', formatCount(snap.docs.deleted)],
      ['buffered', formatCount(snap.buffered)], ['refreshes', formatCount(c.refreshes)], ['merges', formatCount(c.merges)],
      ['write amplification', `${c.write_amplification.toFixed(2)} (${formatCount(c.docs_flushed + c.docs_merged)} docs written / ${formatCount(c.docs_flushed)} flushed)`],
    ].map(([k, val]) => el('span', {}, `${k} `, el('b', { text: val }))));
    const merges = last?.merges ?? last?.refresh?.merges;
    v.mergeNote.textContent = merges?.length ? `Last step:${mergeText(merges)}`
      : `The policy keeps up to ${snap.settings.segments_per_tier} segments per tier (segments under ${formatCount(snap.settings.floor_segment_docs)} documents count as that big) and merges up to ${snap.settings.max_merge_at_once} at once, preferring even sizes and many deletes.`;
    this.#renderInverted(snap);
    this.#renderSearch();
  }

  #renderMapping(snap) {
    const props = snap.mapping.properties;
    const rows = Object.entries(props).map(([name, { type }]) => {
      const f = snap.fields[name];
      const how = type === 'text' ? 'analyzed: terms, freqs, positions, norms' : type === 'keyword' ? 'one term, as given' : 'a number: term / range';
      return el('tr', {}, el('td', { text: name }), el('td', { text: type }), el('td', { text: how }),
        el('td', { text: f ? formatCount(f.doc_count) : '–' }), el('td', { text: f?.avgdl != null ? f.avgdl.toFixed(2) : '–' }));
    });
    this.#v.mapping.replaceChildren(el('table', { class: 'mapping' },
      el('thead', {}, el('tr', {}, ...['field', 'type', 'indexed as', 'docCount', 'avg length'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...rows)));
  }

  #renderInverted(snap) {
    const v = this.#v;
    const names = snap.segments.map((s) => s.name);
    const chosenSegment = names.includes(v.segment.value) ? v.segment.value : '';
    v.segment.replaceChildren(el('option', { value: '', text: 'all' }), ...names.map((n) => el('option', { value: n, text: n })));
    v.segment.value = chosenSegment;
    const prefix = v.prefix.value.toLowerCase();
    let terms = [];
    try {
      terms = this.session.apply({ op: 'terms', field: v.field.value, prefix }).terms; // read-only: not logged
    } catch { /* a prefix over 255 bytes: no terms to show */ }
    const shown = shownTerms(terms, prefix);
    if (!terms.some((t) => t.term === this.#term)) this.#term = shown[0]?.term ?? null;
    renderTermList(v.termList, shown, this.#term, (term) => { this.#term = term; this.refresh(); });
    if (this.#term === null) {
      v.postings.replaceChildren();
      return;
    }
    renderPostings(v.postings, this.session.apply({ op: 'postings', field: v.field.value, term: this.#term }), chosenSegment);
  }

  #renderSearch() {
    const v = this.#v;
    const last = this.#lastSearch;
    if (!last) {
      v.hitsNote.textContent = 'No search yet. Only refreshed documents are found.';
      v.hits.replaceChildren();
      v.facets.replaceChildren();
      return;
    }
    const { hits } = last.result;
    const since = this.log.length - last.at;
    v.hitsNote.textContent = `${plural(hits.total.value, 'hit')}${hits.total.relation === 'gte' ? ' or more' : ''}, the first ${Math.min(10, hits.hits.length)} shown.${since > 0 ? ` (${plural(since, 'change')} since: search again to see them.)` : ''}`;
    renderHits(v.hits, hits.hits, (id, source) => this.act({ op: 'delete', id }, source));
    renderFacets(v.facets, last.result.aggregations?.[FACET]);
  }
}

function withId(step, id) {
  return id.trim() === '' ? step : { ...step, id };
}

function mergeText(merges) {
  if (!merges?.length) return '';
  return ` ${merges.map((m) => `merged ${m.from.length} segments (${m.from.join(' ')}) into ${m.into}: ${plural(m.docs, 'doc')} rewritten${m.deletes_purged ? `, ${formatCount(m.deletes_purged)} tombstones purged` : ''}`).join('; ')}.`;
}

// Products [from, from + count), with a refresh after every BATCH.
function corpusBatches(from, count) {
  const steps = [];
  for (let done = 0; done < count; done += BATCH) {
    steps.push(...productSteps(from + done, Math.min(BATCH, count - done)), { op: 'refresh' });
  }
  return steps;
}
