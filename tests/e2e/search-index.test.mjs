// <sdp-search-index> in a real browser: it starts with three segments of
// corpus products; indexing + refresh writes a new segment; a delete is a
// tombstone (struck through in the postings, red in the bars) until a merge
// purges it; a search lists hits whose explain lines up with the sim's
// numbers; refused input is said next to its control and changes nothing;
// a share link restores the state; the tours run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectRefused, launch, openPage, reopenFromShareLink, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-search-index';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const snapshot = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot(), TAG);
const loadButton = (page) => widget(page).getByRole('button', { name: /^(Index|Update) products \d+–\d+ \+ refresh$/ });

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

test('it starts with three segments of products, the analyzer, the mapping and an inverted index', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=search-index');
  await ready(page);
  const snap = await snapshot(page);
  assert.deepEqual(snap.segments.map((s) => [s.name, s.docs]), [['_0', 30], ['_1', 30], ['_2', 30]]);
  assert.equal(await widget(page).locator('svg.segments rect.live').count(), 3);
  // The title box's tokens: lowercased, split at the hyphen, "the" kept.
  assert.deepEqual(await widget(page).locator('.tokens span').evaluateAll((spans) => spans.map((s) => s.firstChild.textContent)),
    ['the', 'quick', 'dry', 'blue', 'running', 'shoes']);
  assert.equal(await widget(page).getByText(/No stop words .*, no stemming/).count(), 1);
  const rows = await widget(page).locator('table.mapping tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 2).map((c) => c.textContent).join(':')));
  assert.deepEqual(rows, ['body:text', 'price:integer', 'tag:keyword', 'title:text']);
  // The most frequent title term is chosen, with its postings.
  assert.ok(await widget(page).locator('table.postings tbody tr').count() > 0);
  assert.equal(await loadButton(page).textContent(), 'Index products 91–120 + refresh');
  await shootBothThemes(page, widget(page), 'search-index-start');
  assert.deepEqual(problems, []);
  await context.close();
});

test('index + refresh writes a new segment; batches merge under the tiered policy', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=search-index');
  await ready(page);
  await widget(page).getByLabel('Title', { exact: true }).fill('Blue bamboo desk lamp');
  await button(page, 'Index').click();
  let snap = await snapshot(page);
  assert.equal(snap.buffered, 1);
  assert.equal(await widget(page).locator('svg.segments rect.buffer').count(), 1);
  await button(page, 'Refresh').click();
  snap = await snapshot(page);
  assert.deepEqual(snap.segments.map((s) => s.docs), [30, 30, 30, 1]);
  assert.equal(snap.buffered, 0);
  assert.equal(await widget(page).locator('svg.segments rect.fresh').count(), 1, 'the new segment is outlined');
  // Two batches make six segments: more than 5 per tier, so they merge.
  // The time the page is blocked: the click handler runs synchronously
  // (apply 31 steps, narrate, redraw). Logged, not asserted (timings
  // belong in bench/).
  const timings = [];
  for (let i = 0; i < 2; i++) {
    timings.push(await page.evaluate((t) => {
      const load = [...document.querySelector(t).shadowRoot.querySelectorAll('button')].find((b) => /products \d+–\d+ \+ refresh/.test(b.textContent));
      const t0 = performance.now();
      load.click();
      return performance.now() - t0;
    }, TAG));
  }
  console.log(`# a 30-product batch + refresh blocked the page ${timings.map((t) => t.toFixed(0)).join(', ')} ms`);
  snap = await snapshot(page);
  assert.equal(snap.counters.merges, 1);
  assert.ok(snap.segments.length < 6, JSON.stringify(snap.segments));
  assert.equal(snap.segments.reduce((n, s) => n + s.docs, 0), 151);
  assert.ok(snap.counters.write_amplification > 1);
  assert.match(await widget(page).locator('.counters').textContent(), /write amplification \d\.\d\d \(\d+ docs written \/ 151 flushed\)/);
  assert.match(await widget(page).locator('section[aria-label="Segments"] .note').textContent(), /merged \d+ segments .* into _\w+: \d+ docs rewritten/);
  await shootBothThemes(page, widget(page).locator('section[aria-label="Segments"]'), 'search-index-merged');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a delete is a tombstone in the postings and the bars until a force merge purges it', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=search-index');
  await ready(page);
  await widget(page).getByLabel('Id to delete').fill('p001');
  await button(page, 'Delete').click();
  await button(page, 'Refresh').click();
  let snap = await snapshot(page);
  assert.equal(snap.docs.deleted, 1);
  assert.equal(snap.segments[0].deleted, 1);
  assert.equal(await widget(page).locator('svg.segments rect.deleted').count(), 1);
  // p001 is "Slim Blue ceramic earbuds": its posting for "earbuds" stays, struck through.
  await widget(page).getByLabel('Terms starting with').fill('earbuds');
  await widget(page).getByRole('button', { name: /^earbuds \d+$/ }).click();
  const tombstone = widget(page).locator('table.postings tr.tombstone');
  assert.equal(await tombstone.count(), 1);
  assert.match(await tombstone.textContent(), /p001.*deleted \(tombstone\)/);
  await shootBothThemes(page, widget(page).locator('section[aria-label="Inverted index"]'), 'search-index-tombstone');
  await button(page, 'Force merge to 1').click();
  snap = await snapshot(page);
  assert.equal(snap.docs.deleted, 0);
  assert.equal(snap.segments.length, 1);
  assert.equal(snap.counters.deletes_purged, 1);
  assert.equal(await tombstone.count(), 0);
  assert.equal(await widget(page).locator('svg.segments rect.deleted').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a search lists hits; explain shows idf and tf as the sim computed them', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=search-index');
  await ready(page);
  await widget(page).getByLabel('Query text').fill('blue earbuds');
  await button(page, 'Search').click();
  const result = await page.evaluate((t) => document.querySelector(t).session.apply(
    { op: 'search', query: '{"match":{"title":"blue earbuds"}}', size: 10, explain: true }), TAG);
  assert.ok(result.hits.total.value > 0);
  assert.equal(await widget(page).getByLabel('Query JSON').inputValue(), '{"match":{"title":"blue earbuds"}}');
  const hits = widget(page).locator('ol.hits > li');
  assert.equal(await hits.count(), Math.min(10, result.hits.total.value));
  const top = result.hits.hits[0];
  assert.equal(await hits.first().locator('.score').textContent(), top._score.toFixed(4));
  assert.match(await hits.first().locator('.meta').textContent(), new RegExp(`_id ${top._id}`));
  await hits.first().locator('summary').click();
  const formulas = await hits.first().locator('.formula').allTextContents();
  assert.ok(formulas.length >= 1);
  assert.match(formulas[0], /^title:(blue|earbuds) → idf \d\.\d{4} \(n = \d+ docs with the term of N = 90\) × tf \d\.\d{4} \(freq 1, field length \d+, average \d(\.\d{4})?\) = \d\.\d{4}$/);
  await shootBothThemes(page, widget(page).locator('section[aria-label="Search"]'), 'search-index-explain');
  // A bool from the form: price filter and an excluded tag.
  await widget(page).getByLabel('Price at most').fill('100');
  await widget(page).getByLabel('Not tag').fill('audio');
  await button(page, 'Search').click();
  assert.equal(await widget(page).getByLabel('Query JSON').inputValue(),
    '{"bool":{"must":[{"match":{"title":"blue earbuds"}}],"filter":[{"range":{"price":{"lte":100}}}],"must_not":[{"term":{"tag":"audio"}}]}}');
  const bool = await page.evaluate((t) => document.querySelector(t).log.at(-1), TAG);
  assert.equal(bool.op, 'search');
  // Delete from a hit: logged as a delete of that _id.
  const firstId = /_id (\S+)/.exec(await hits.first().locator('.meta').textContent())[1];
  await hits.first().getByRole('button', { name: `Delete ${firstId}` }).click();
  assert.deepEqual(await page.evaluate((t) => document.querySelector(t).log.at(-1), TAG), { op: 'delete', id: firstId });

  // A title that looks like HTML stays text, in the hit and in its highlight.
  await widget(page).getByLabel('Title', { exact: true }).fill('<img src=x onerror="window.owned=1"> Black running shoes');
  await button(page, 'Index').click();
  await button(page, 'Refresh').click();
  // match_phrase with a slop, sorted by price: highlights and the tag facet.
  await widget(page).getByLabel('Price at most').fill('');
  await widget(page).getByLabel('Not tag').fill('');
  await widget(page).getByLabel('Query type').selectOption('phrase');
  await widget(page).getByLabel('Query text').fill('running shoes');
  await widget(page).getByLabel('Slop').fill('1');
  await widget(page).getByLabel('Sort by').selectOption('price-asc');
  await button(page, 'Search').click();
  const step = await page.evaluate((t) => document.querySelector(t).log.at(-1), TAG);
  assert.equal(step.query, '{"match_phrase":{"title":{"query":"running shoes","slop":1}}}');
  assert.equal(step.sort, '[{"price":"asc"}]');
  const phrase = await page.evaluate(([t, s]) => document.querySelector(t).session.apply(s), [TAG, step]);
  assert.ok(phrase.hits.total.value >= 2, JSON.stringify(phrase.hits.total));
  assert.equal(await hits.count(), Math.min(10, phrase.hits.total.value));
  const prices = phrase.hits.hits.map((h) => h.sort[0]);
  assert.deepEqual(prices, [...prices].sort((a, b) => a - b), 'cheapest first');
  assert.equal(await hits.first().locator('.score').textContent(), '–', 'sorted by a field: no _score');
  assert.match(await hits.first().locator('.meta').textContent(), new RegExp(`sort \\[${prices[0]}\\]`));
  // Every hit's title marks both words, as <em> elements from the sim's highlight.
  const marked = await hits.locator('.title').evaluateAll((titles) => titles.map((t) => [...t.querySelectorAll('em')].map((e) => e.textContent.toLowerCase())));
  assert.ok(marked.every((words) => words.includes('running') && words.includes('shoes')), JSON.stringify(marked));
  const html = hits.filter({ hasText: 'onerror' });
  assert.equal(await html.count(), 1);
  assert.equal(await html.locator('img').count(), 0);
  assert.match(await html.locator('.title').textContent(), /^<img src=x onerror="window\.owned=1"> Black running shoes$/);
  assert.equal(await page.evaluate(() => window.owned), undefined);
  // The facet lists the terms aggregation's buckets, counts from the run.
  const buckets = phrase.aggregations.tags.buckets.map((b) => `${b.key}${b.doc_count}`);
  assert.deepEqual(await widget(page).locator('ul.facets li').allTextContents(), buckets);
  await shootBothThemes(page, widget(page).locator('section[aria-label="Search"]'), 'search-index-phrase-facet');
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad input is refused next to its control with Elasticsearch\'s error, and changes nothing', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=search-index');
  await ready(page);
  const refused = (name, pattern) => expectRefused(page, TAG, button(page, name), () => button(page, name).click(), pattern, name);
  await widget(page).getByLabel('Price', { exact: true }).fill('cheap');
  await refused('Index', /\[mapper_parsing_exception\] failed to parse field \[price\] of type \[integer\].*'cheap'/);
  await widget(page).getByLabel('Document JSON').fill('{"title": "Red fox", "colour": "red"}');
  await refused('Index JSON', /\[strict_dynamic_mapping_exception\] mapping set to strict, dynamic introduction of \[colour\] within \[_doc\] is not allowed/);
  await widget(page).getByLabel('Query JSON').fill('{"match": {"title": "red"}');
  await refused('Run JSON', /search: field "query": not valid JSON: .*parse error/);
  await widget(page).getByLabel('Query JSON').fill('{"mtch": {"title": "red"}}');
  await refused('Run JSON', /\[parsing_exception\] unknown query \[mtch\]/);
  await widget(page).getByLabel('Query field').selectOption('price');
  await widget(page).getByLabel('Query type').selectOption('term');
  await widget(page).getByLabel('Query text').fill('abc');
  await refused('Search', /\[query_shard_exception\] failed to create query/);
  await shoot(widget(page), 'search-index-refused-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a share link restores the state, searches included', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=search-index');
  await ready(page);
  await loadButton(page).click();
  await widget(page).getByLabel('Id to delete').fill('p002');
  await button(page, 'Delete').click();
  await button(page, 'Search').click();
  const log = await page.evaluate((t) => document.querySelector(t).log, TAG);
  const second = await reopenFromShareLink(page, context, TAG, ready);
  assert.deepEqual(await second.evaluate((t) => document.querySelector(t).log, TAG), log);
  assert.equal(await widget(second).locator('ol.hits > li').count(), await widget(page).locator('ol.hits > li').count());
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tours run from the scenarios, their numbers from the run', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=search-index');
  await ready(page);
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  const index = options.findIndex((t) => /a merge purges it/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  const text = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(text, /\{\{/);
  assert.match(text, /BM25 sees N = 7 titles/);
  for (;;) {
    const position = await widget(page).locator('.tour-text').textContent();
    if (/step (\d+) of \1\)/.test(position)) break;
    await button(page, 'Step').click();
  }
  const snap = await snapshot(page);
  assert.equal(snap.counters.deletes_purged, 2);
  assert.equal(snap.segments.length, 1);
  assert.equal(await widget(page).locator('ol.hits > li').count(), 3);
  await shootBothThemes(page, widget(page), 'search-index-tour');
  // The phrase tour, on the same page: its numbers filled from the run.
  const phraseTour = options.findIndex((t) => /A phrase query, a sloppy phrase, and a tag facet/.test(t));
  assert.ok(phraseTour >= 0, options.join(' | '));
  await tours.selectOption(String(phraseTour));
  const told = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(told, /\{\{/);
  assert.match(told, /finds 2 titles.*slop 1 .*: 3 titles.* 1 \/ \(1 \+ 1\) = 0\.5 .*facet: shoes 4, clothes 1, socks 1/);
  assert.deepEqual(problems, []);
  await context.close();
});
