// The inverted index of <sdp-search-index>: a field's term dictionary (the
// most frequent terms, or those starting with a prefix) as buttons, and the
// chosen term's postings per segment — doc id within the segment, _id,
// term frequency, positions, and whether the document is live or a
// tombstone. Read from the sim's `terms` and `postings` ops (read-only).

import { el, formatCount, plural, scrollRegion } from './dom.mjs';

export const postingsCss = `
.term-list { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.term-list button { padding: 0 8px; min-height: 24px; font-size: 0.82rem; }
.term-list button[aria-pressed="true"] .df { color: inherit; }
.term-list .df { color: var(--sdp-muted); font-variant-numeric: tabular-nums; }
table.postings { border-collapse: collapse; font-size: 0.82rem; font-variant-numeric: tabular-nums; margin: 4px 0; }
table.postings th, table.postings td { border-bottom: 1px solid var(--sdp-line); padding: 2px 10px 2px 0; text-align: left; }
table.postings th { color: var(--sdp-muted); font-weight: 600; }
table.postings tr.tombstone td { color: var(--sdp-error); text-decoration: line-through; }
table.postings tr.tombstone td.state { text-decoration: none; }
`;

const TERMS_SHOWN = 24;
const ROWS_SHOWN = 15;

// The terms to offer: with a prefix, the first ones alphabetically (as the
// dictionary is sorted); without, the most frequent.
export function shownTerms(terms, prefix) {
  const list = prefix ? terms : [...terms].sort((a, b) => b.doc_freq - a.doc_freq || (a.term < b.term ? -1 : 1));
  return list.slice(0, TERMS_SHOWN);
}

export function renderTermList(box, terms, chosen, onChoose) {
  if (terms.length === 0) {
    box.replaceChildren(el('span', { class: 'note', text: 'No terms: nothing indexed in this field has been refreshed yet.' }));
    return;
  }
  // Named by what it shows ("blue 9"); the tooltip says what the number is.
  box.replaceChildren(...terms.map((t) => el('button', {
    type: 'button', 'aria-pressed': String(t.term === chosen),
    title: `${t.term}: in ${plural(t.doc_freq, 'document')}, ${plural(t.total_term_freq, 'occurrence')} (deleted documents count until merged)`,
    onclick: () => onChoose(t.term),
  }, t.term, ' ', el('span', { class: 'df', text: formatCount(t.doc_freq) }))));
}

// postings: the `postings` op's result; segment: a segment name or '' (all).
export function renderPostings(box, postings, segment) {
  const groups = postings.segments.filter((s) => !segment || s.segment === segment);
  if (groups.length === 0) {
    box.replaceChildren(el('p', { class: 'note', text: segment
      ? `"${postings.term}" is not in segment ${segment}.` : `"${postings.term}" is in no segment of ${postings.field}.` }));
    return;
  }
  const rows = [];
  for (const g of groups) {
    for (const p of g.postings) {
      if (rows.length >= ROWS_SHOWN) break;
      rows.push(el('tr', { class: p.live ? '' : 'tombstone' },
        el('td', { text: g.segment }), el('td', { text: p.doc }), el('td', { text: p._id }), el('td', { text: p.freq }),
        el('td', { text: p.positions.length ? p.positions.join(', ') : '(keyword: none)' }),
        el('td', { class: 'state', text: p.live ? 'live' : 'deleted (tombstone)' })));
    }
  }
  const listed = groups.reduce((n, g) => n + g.postings.length, 0);
  box.replaceChildren(...[
    el('p', { class: 'note', text: `${postings.field}:"${postings.term}" — docFreq ${formatCount(postings.doc_freq)} over the whole index (tombstones included, as Lucene counts until a merge); ${groups.map((g) => `${g.segment}: ${formatCount(g.doc_freq)}`).join(', ')}.` }),
    scrollRegion('div', 'Postings', { class: 'table-box' }, el('table', { class: 'postings' },
      el('thead', {}, el('tr', {}, ...['segment', 'doc', '_id', 'tf', 'positions', 'live docs bit'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...rows))),
    listed > rows.length || postings.truncated ? el('p', { class: 'note', text: `The first ${rows.length} of ${formatCount(postings.doc_freq)} postings shown.` }) : null,
  ].filter(Boolean));
}
