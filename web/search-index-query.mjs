// The search controls of <sdp-search-index>: a small form that writes Query
// DSL (match, match with "operator": "and", match_phrase with a slop, term;
// a price filter and an excluded tag turn it into a bool), and the raw JSON
// box it writes into, which the learner can edit and run as it is. Both
// runs send the same sort, highlight (the searched fields) and a terms
// aggregation on tag (the facet list). The sim parses and refuses all of
// it; nothing here checks it, so its errors are Elasticsearch's.

import { el, numberBox, selectBox } from './dom.mjs';

export const searchCss = `
.query-form .row { flex-wrap: wrap; }
.query-form input.q { flex: 1 1 12em; min-width: 10em; }
.query-form input.small { width: 6em; }
.query-form input.slop { width: 4em; }
`;

// The sort choices: [value, label, ES sort JSON or null for relevance].
const SORTS = [['score', 'relevance (_score)', null], ['price-asc', 'price, low first', [{ price: 'asc' }]],
  ['price-desc', 'price, high first', [{ price: 'desc' }]], ['tag', 'tag, then relevance', ['tag', '_score']]];
export const FACET = 'tags';

export function searchForm() {
  const f = {};
  f.kind = selectBox('Query type', [['match', 'match (any word)'], ['and', 'match (all words)'],
    ['phrase', 'match_phrase (words in order)'], ['term', 'term (not analyzed)']]);
  f.slop = numberBox('Slop', { class: 'slop', min: 0, value: '0', title: 'match_phrase: how many moves the words may be apart' });
  f.sort = selectBox('Sort by', SORTS.map(([value, label]) => [value, label]));
  f.field = selectBox('Query field', [['title', 'title'], ['body', 'body'], ['tag', 'tag'], ['price', 'price']]);
  f.text = el('input', { type: 'text', class: 'q', 'aria-label': 'Query text', value: 'blue running shoes' });
  f.maxPrice = el('input', { type: 'text', class: 'small', 'aria-label': 'Price at most', placeholder: 'any' });
  f.notTag = el('input', { type: 'text', class: 'small', 'aria-label': 'Not tag', placeholder: 'none' });
  f.json = el('textarea', { 'aria-label': 'Query JSON', rows: 3, spellcheck: 'false' });
  f.json.value = '{"match": {"title": "blue running shoes"}}';
  f.runForm = el('button', { type: 'button', class: 'primary', text: 'Search' });
  f.runJson = el('button', { type: 'button', text: 'Run JSON' });
  const group = (...rows) => el('div', { class: 'control' }, ...rows.map((r) => el('div', { class: 'row' }, ...r)),
    el('div', { class: 'field-error', role: 'alert' }));
  f.element = el('div', { class: 'query-form' },
    group([f.kind, f.field, f.text],
      [el('label', {}, 'slop ', f.slop), el('label', {}, 'price ≤ ', f.maxPrice), el('label', {}, 'not tag ', f.notTag)],
      [el('label', {}, 'sort ', f.sort), f.runForm]),
    el('p', { class: 'note', text: 'The form writes the Query DSL below; edit it and run it as it is (match, match_phrase, term, range, bool with must / should / filter / must_not, match_all). Both buttons also send the sort, a highlight of title and body, and a terms aggregation on tag.' }),
    group([f.json], [f.runJson]));
  return f;
}

// The form's query as JSON text. Values go in as typed: a price that is not
// a number reaches the sim, which refuses it as Elasticsearch does.
export function queryFromForm(f) {
  const field = f.field.value;
  const text = f.text.value;
  let query;
  if (f.kind.value === 'term') query = { term: { [field]: text } };
  else if (f.kind.value === 'phrase') {
    const slop = f.slop.value.trim();
    query = { match_phrase: { [field]: slop === '' || slop === '0' ? text : { query: text, slop: /^-?\d+$/.test(slop) ? Number(slop) : slop } } };
  }
  else if (f.kind.value === 'and') query = { match: { [field]: { query: text, operator: 'and' } } };
  else query = { match: { [field]: text } };
  const max = f.maxPrice.value.trim();
  const not = f.notTag.value.trim();
  if (max === '' && not === '') return JSON.stringify(query);
  const bool = { must: [query] };
  if (max !== '') bool.filter = [{ range: { price: { lte: /^-?\d+$/.test(max) ? Number(max) : max } } }];
  if (not !== '') bool.must_not = [{ term: { tag: not } }];
  return JSON.stringify({ bool });
}

// The rest of the search body, as the op's JSON-text fields: the sort the
// form picks, <em> highlights of the text fields, the tag facet.
export function searchExtras(f) {
  const sort = SORTS.find(([value]) => value === f.sort.value)?.[2];
  const extras = {
    highlight: JSON.stringify({ fields: { title: {}, body: {} } }),
    aggs: JSON.stringify({ [FACET]: { terms: { field: 'tag' } } }),
  };
  if (sort) extras.sort = JSON.stringify(sort);
  return extras;
}
