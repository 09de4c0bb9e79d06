// The built-in corpus of <sdp-search-index> (web/search-index-corpus.mjs):
// the same documents on every run, every one accepted by the sim's strict
// mapping, and indexing past the end is an update of the same ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../dist/wasm/sdp.mjs';
import { CORPUS_SIZE, isProduct, product, productId, productSteps } from '../../web/search-index-corpus.mjs';

test('products are a pure function of their number, with distinct ids', () => {
  assert.deepEqual(product(7), product(7));
  const ids = new Set(productSteps(0, CORPUS_SIZE).map((s) => s.id));
  assert.equal(ids.size, CORPUS_SIZE);
  assert.equal(productId(CORPUS_SIZE), productId(0), 'past the end the ids come round again');
  assert.equal(JSON.parse(product(CORPUS_SIZE).doc).title, JSON.parse(product(0).doc).title);
  assert.ok(isProduct(productSteps(5, 1)[0], 5));
  assert.ok(!isProduct(productSteps(5, 1)[0], 6));
  assert.ok(!isProduct({ op: 'index', id: 'p006', doc: '{"title":"x"}' }, 5));
});

test('the sim indexes the whole corpus and then updates it', async () => {
  const steps = [...productSteps(0, CORPUS_SIZE), { op: 'refresh' }, ...productSteps(CORPUS_SIZE, 30), { op: 'refresh' }];
  const out = JSON.parse(await runScenario({ sim: 'search_index', seed: 1, steps }));
  const errors = out.results.filter((r) => r.error);
  assert.deepEqual(errors, []);
  assert.equal(out.results.filter((r) => r.result === 'created').length, CORPUS_SIZE);
  assert.equal(out.results.filter((r) => r.result === 'updated').length, 30);
  assert.equal(out.snapshot.docs.live, CORPUS_SIZE);
  assert.equal(out.snapshot.docs.deleted, 30);
  // Titles of 2 to 7 words, so that BM25's length normalisation shows.
  const lengths = productSteps(0, CORPUS_SIZE).map((s) => JSON.parse(s.doc).title.split(' ').length);
  assert.ok(Math.min(...lengths) >= 2 && Math.max(...lengths) <= 8, `${Math.min(...lengths)}..${Math.max(...lengths)}`);
  assert.ok(new Set(lengths).size >= 4);
});
