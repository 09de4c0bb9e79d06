// The search controls of <sdp-search-index>: a small form that writes Query
// DSL (match, match with "operator": "and", term; a price filter and an
// excluded tag turn it into a bool), and the raw JSON box it writes into,
// which the learner can edit and run as it is. The sim parses and refuses
// the query; nothing here checks it, so its errors are Elasticsearch's.

import { el, selectBox } from './dom.mjs';

export const searchCss = `
.query-form .row { flex-wrap: wrap; }
.query-form input.q { flex: 1 1 12em; min-width: 10em; }
.query-form input.small { width: 6em; }
`;

export function searchForm() {
  const f = {};
  f.kind = selectBox('Query type', [['match', 'match (any word)'], ['and', 'match (all words)'], ['term', 'term (not analyzed)']]);
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
      [el('label', {}, 'price ≤ ', f.maxPrice), el('label', {}, 'not tag ', f.notTag), f.runForm]),
    el('p', { class: 'note', text: 'The form writes the Query DSL below; edit it and run it as it is (match, term, range, bool with must / should / filter / must_not, match_all).' }),
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
