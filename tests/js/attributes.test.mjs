// Widget attribute checks (web/attributes.mjs) against the sims' own field
// specs: the allowed text is the sim's, a value is taken only when the sim
// would take it, and nothing is silently turned into something else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributeSpec, fallbackText, parseAttribute, parseSeed, refusedMessage, SEED_ALLOWED,
} from '../../web/attributes.mjs';
import { listSims, SimSession } from '../../dist/wasm/sdp.mjs';

const { sims } = await listSims();
const info = (name) => sims.find((s) => s.sim === name);

test('a sim field keeps the sim\'s allowed text; a narrowed or own range is worded the same way', () => {
  assert.equal(attributeSpec('vnodes', { config: 'vnodes' }, info('hash_ring')).allowed, 'an integer in [1, 1000]');
  assert.equal(attributeSpec('hash', { config: 'hash' }, info('hash_ring')).allowed, 'one of: murmur3, fnv1a, xxhash64');
  assert.equal(attributeSpec('zipf', { op: 'add_keys', field: 'zipf' }, info('hash_lab')).allowed, 'a number in [0, 3]');
  const keys = attributeSpec('keys', { op: 'add_keys', field: 'count', min: 0 }, info('hash_ring'));
  assert.deepEqual([keys.min, keys.max, keys.allowed], [0, 200000, 'an integer in [0, 200000]']);
  assert.equal(attributeSpec('nodes', { type: 'integer', min: 0, max: 50 }, info('hash_ring')).allowed, 'an integer in [0, 50]');
  assert.throws(() => attributeSpec('x', { config: 'no_such_field' }, info('hash_ring')), /hash_ring has no such field/);
});

test('numbers: decimal notation within the range, nothing else', () => {
  const spec = attributeSpec('vnodes', { config: 'vnodes' }, info('hash_ring'));
  for (const [text, value] of [['1', 1], [' 20 ', 20], ['1e3', 1000], ['5.0', 5], ['+7', 7]]) {
    assert.equal(parseAttribute(text, spec), value, text);
  }
  for (const text of ['', ' ', 'abc', '0', '1001', '1.5', '1e308', '-1', '0x10', 'Infinity', 'NaN', '1e9', '2^64']) {
    assert.equal(parseAttribute(text, spec), null, text);
  }
  const rps = attributeSpec('rps', { config: 'rps' }, info('circuit_breaker'));
  assert.equal(parseAttribute('0.5', rps), 0.5);
  assert.equal(parseAttribute('-1', rps), null);
});

test('strings and booleans: exactly what the spec lists', () => {
  const hash = attributeSpec('hash', { config: 'hash' }, info('hash_ring'));
  assert.equal(parseAttribute('fnv1a', hash), 'fnv1a');
  assert.equal(parseAttribute('md5', hash), null);
  assert.equal(parseAttribute('FNV1A', hash), null);
  const secret = attributeSpec('secret', { config: 'secret' }, info('api_gateway'));
  assert.equal(parseAttribute('s3cret', secret), 's3cret');
  assert.equal(parseAttribute('', secret), null);
  assert.equal(parseAttribute('a\nb', secret), null);
  assert.equal(parseAttribute('x'.repeat(257), secret), null);
  const routes = attributeSpec('routes', { config: 'default_routes' }, info('api_gateway'));
  assert.deepEqual(['true', 'false', 'yes', ''].map((t) => parseAttribute(t, routes)), [true, false, null, null]);
});

// Alone, that is: a combination (limit 10 per 86400000 ms is below nginx's
// resolution) is the sim's to refuse, and the widget reports it in its words.
test('every value the check takes, the sim takes too', async () => {
  const cases = [['hash_ring', 'vnodes', ['1', '1000', '1e3']], ['rate_limiter', 'window_ms', ['1', '10000000']],
    ['load_balancer', 'servers', ['0', '1000']], ['kafka', 'brokers', ['1', '16']], ['hash_ring', 'hash', ['xxhash64']]];
  for (const [sim, field, texts] of cases) {
    const spec = attributeSpec(field, { config: field }, info(sim));
    for (const text of texts) {
      const session = await SimSession.create(sim, { config: { [field]: parseAttribute(text, spec) } });
      session.delete();
    }
  }
});

test('seeds: an integer in [0, 4294967295], from an attribute or a link', () => {
  assert.equal(SEED_ALLOWED, 'an integer in [0, 4294967295]');
  assert.deepEqual(['0', '42', '4294967295'].map(parseSeed), [0, 42, 4294967295]);
  for (const bad of ['', '-1', '4294967296', '18446744073709551616', '1e308', 'NaN', '<script>', '2.5']) {
    assert.equal(parseSeed(bad), null, bad);
  }
  for (const bad of [-1, 2 ** 64, 1e308, 2.5, NaN, null, undefined, true, [], {}]) {
    assert.equal(parseSeed(bad), null, String(bad));
  }
  assert.equal(parseSeed(7), 7);
});

test('a refusal names the attribute, the value given, what is allowed and what is used instead', () => {
  assert.equal(refusedMessage('nodes', '1e9', 'must be an integer in [0, 50]', fallbackText(4)),
    'nodes="1e9" refused: must be an integer in [0, 50]; using the default (4).');
  assert.equal(refusedMessage('vnodes', 'x'.repeat(100), 'must be an integer in [1, 1000]', fallbackText(undefined)),
    `vnodes="${'x'.repeat(37)}..." refused: must be an integer in [1, 1000]; using the default.`);
});
