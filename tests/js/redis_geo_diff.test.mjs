// Differential test: seeded random GEO command sequences go to a real Redis 7
// server (tests/js/redis_server.mjs) and to our redis_geo sim (the native CLI,
// `sdp run -`), and every reply must be deepEqual: GEOADD scores (read back
// with ZSCORE), GEOPOS coordinates, GEOHASH strings, GEODIST in every unit,
// GEOSEARCH by radius and by box with every option, and the errors for
// out-of-range and malformed input. Points include the edges (latitude
// +-85.05112878, longitude +-180, just outside both), clusters that searches
// find, the poles' neighbourhood and the antimeridian.
//
// SDP_CLI picks the binary (default build/native/sdp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectResp } from './resp_client.mjs';
import { startRedis } from './redis_server.mjs';
import { caseOf, compareWithServer, makeRng } from './sdp_cli.mjs';

const SEEDS = [1, 2, 3];
const COMMANDS_PER_SEED = 1200;
const LAT_MAX = 85.05112878;

const KEYS = ['g', 'g', 'g', 'g2', 'big'];
const MEMBERS = [...Array(60)].map((_, i) => `m${i}`).concat(['Palermo', 'Catania', 'x y', 'é']);
const UNITS = ['m', 'km', 'mi', 'ft', 'KM', 'Mi', 'FT', 'M'];
const BAD_UNITS = ['parsec', '', 'kms'];
// Where points gather, so that searches find some: [lon, lat, spread in degrees].
const CLUSTERS = [[13.36, 38.11, 2], [-0.12, 51.5, 1], [139.7, 35.7, 0.5], [179.7, 0, 0.6],
  [-179.7, 10, 0.6], [0, 84.5, 0.6], [20, -84.6, 0.5], [0, 0, 0.01]];

// A coordinate as text: a few decimals, full precision, or an exponent.
function text(rng, x) {
  const form = rng.int(5);
  if (form === 0) return x.toFixed(rng.int(4));
  if (form === 1) return x.toFixed(6);
  if (form === 2 && x !== 0) return x.toExponential(8);
  return String(x);
}

function lonLat(rng) {
  const r = rng.next();
  if (r < 0.45) {
    const [lon, lat, spread] = rng.pick(CLUSTERS);
    const x = Math.max(-180, Math.min(180, lon + rng.uniform(-spread, spread)));
    const y = Math.max(-LAT_MAX, Math.min(LAT_MAX, lat + rng.uniform(-spread, spread)));
    return [text(rng, x), text(rng, y)];
  }
  if (r < 0.75) return [text(rng, rng.uniform(-180, 180)), text(rng, rng.uniform(-LAT_MAX, LAT_MAX))];
  if (r < 0.92) {
    // The edges, exactly and just inside / outside.
    const lon = rng.pick(['180', '-180', '179.9999999', '-179.9999999', '180.0000001', '-180.0000001', '0', '-0']);
    const lat = rng.pick(['85.05112878', '-85.05112878', '85.0511287', '-85.0511287', '85.05112879',
      '-85.05112879', '0', '-0', '85', '-85']);
    return [lon, lat];
  }
  // Out of range or not numbers at all.
  return rng.pick([['200', '100'], ['10', '90'], ['-181', '0'], ['0', '-86'], ['abc', '1'], ['1', 'nan'],
    ['inf', '0'], ['1e400', '0'], ['', '1'], [' 1', '2'], ['1', '2x'], ['0x10', '0x1p4']]);
}

function geoadd(rng) {
  const key = rng.chance(0.2) ? 'big' : rng.pick(KEYS);
  const argv = [caseOf(rng, 'GEOADD'), key];
  for (const flag of ['NX', 'XX', 'CH']) {
    if (rng.chance(flag === 'CH' ? 0.15 : 0.07)) argv.push(caseOf(rng, flag));
  }
  const points = key === 'big' ? 1 + rng.int(10) : 1 + rng.int(3);
  for (let i = 0; i < points; i += 1) {
    argv.push(...lonLat(rng));
    argv.push(key === 'big' ? `b${rng.int(300)}` : rng.pick(MEMBERS));
  }
  if (rng.chance(0.03)) argv.pop();
  return argv;
}

function anyMember(rng, key) {
  return key === 'big' && rng.chance(0.7) ? `b${rng.int(300)}` : rng.pick(MEMBERS);
}

function size(rng) {
  return rng.pick([() => '0', () => text(rng, rng.uniform(0, 1000)), () => text(rng, rng.uniform(0, 300)),
    () => text(rng, rng.uniform(100, 3000)), () => text(rng, rng.uniform(1000, 25000)),
    () => rng.pick(['1e5', '40000', 'inf', '-1', 'x', '0.5'])])();
}

function geosearch(rng) {
  const key = rng.pick(['g', 'g', 'g2', 'big', 'big', 'none', 'str']);
  const parts = [];
  const from = rng.next();
  if (from < 0.45) parts.push([caseOf(rng, 'FROMMEMBER'), anyMember(rng, key)]);
  else if (from < 0.97) parts.push([caseOf(rng, 'FROMLONLAT'), ...lonLat(rng)]);
  const by = rng.next();
  const unit = () => (rng.chance(0.03) ? rng.pick(BAD_UNITS) : rng.pick(UNITS));
  if (by < 0.5) parts.push([caseOf(rng, 'BYRADIUS'), size(rng), unit()]);
  else if (by < 0.97) parts.push([caseOf(rng, 'BYBOX'), size(rng), size(rng), unit()]);
  if (rng.chance(0.3)) parts.push([rng.pick(['ASC', 'DESC', 'asc'])]);
  if (rng.chance(0.35)) {
    parts.push(['COUNT', rng.pick(['1', '2', '3', '5', '10', '50', '0', '-1', 'x'])]);
    if (rng.chance(0.3)) parts.push(['ANY']);
  } else if (rng.chance(0.03)) {
    parts.push(['ANY']);
  }
  for (const w of ['WITHCOORD', 'WITHDIST', 'WITHHASH']) {
    if (rng.chance(0.3)) parts.push([caseOf(rng, w)]);
  }
  if (rng.chance(0.02)) parts.push([rng.pick(['STORE', 'BYRADIUS', 'FROMLONLAT', 'junk'])]);
  // Options may come in any order.
  for (let i = parts.length - 1; i > 0; i -= 1) {
    const j = rng.int(i + 1);
    [parts[i], parts[j]] = [parts[j], parts[i]];
  }
  return [caseOf(rng, 'GEOSEARCH'), key, ...parts.flat()];
}

function command(rng) {
  const key = rng.pick(KEYS);
  const r = rng.next();
  if (r < 0.30) return geoadd(rng);
  if (r < 0.55) return geosearch(rng);
  if (r < 0.63) return [caseOf(rng, 'GEOPOS'), key, ...[...Array(1 + rng.int(3))].map(() => anyMember(rng, key))];
  if (r < 0.70) return [caseOf(rng, 'GEOHASH'), key, ...[...Array(1 + rng.int(3))].map(() => anyMember(rng, key))];
  if (r < 0.80) {
    const argv = [caseOf(rng, 'GEODIST'), key, anyMember(rng, key), anyMember(rng, key)];
    if (rng.chance(0.6)) argv.push(rng.chance(0.05) ? rng.pick(BAD_UNITS) : rng.pick(UNITS));
    if (rng.chance(0.02)) argv.push('extra');
    return argv;
  }
  if (r < 0.86) return ['ZSCORE', key, anyMember(rng, key)];
  if (r < 0.88) return ['ZREM', key, anyMember(rng, key)];
  if (r < 0.90) return rng.pick([['SET', 'str', 'text'], ['GEOADD', 'str', '1', '2', 'a'], ['GEOPOS', 'str', 'a'],
    ['GEOHASH', 'str', 'a'], ['GEODIST', 'str', 'a', 'b'], ['GEODIST', 'str', 'a', 'b', 'parsec']]);
  if (r < 0.92) return rng.pick([['GEOADD', key, '1'], ['GEOADD', key, '1', '2'], ['GEOPOS'], ['GEODIST', key, 'a'],
    ['GEOSEARCH', key, 'FROMLONLAT', '1', '2'], ['GEOHASH']]);
  if (r < 0.93) return ['DEL', rng.pick(['g', 'g2'])];
  return ['ZRANGE', key, '0', '-1', 'WITHSCORES'];
}

// Runs the commands through our sim and the server, comparing every reply,
// and notes which errors and non-empty searches the sequence reached.
async function compare(client, commands, seed, seen) {
  return compareWithServer(client, 'redis_geo', commands, seed, (argv, expected) => {
    if (expected.type === 'error') seen.errors.add(expected.value.replace(/pair .*/, 'pair'));
    if (/^geosearch$/i.test(argv[0]) && expected.type === 'array' && expected.value.length > 0) {
      seen.searchHits += 1;
    }
  });
}

test('random GEO command sequences: every reply equals the real Redis server\'s', async (t) => {
  const server = await startRedis();
  t.after(() => server.stop());
  const client = await connectResp(server.port);
  t.after(() => client.close());
  const version = await client.call(['INFO', 'server']);
  assert.match(version.value, /redis_version:7\.0\./, 'the differential test pins Redis 7.0');

  const seen = { errors: new Set(), searchHits: 0 };
  for (const seed of SEEDS) {
    await client.call(['FLUSHALL']);
    const rng = makeRng(seed);
    const commands = [];
    for (let i = 0; i < COMMANDS_PER_SEED; i += 1) commands.push(command(rng));
    for (const key of ['g', 'g2', 'big']) commands.push(['ZRANGE', key, '0', '-1', 'WITHSCORES']);
    await compare(client, commands, seed, seen);
  }
  // The sequences must reach the interesting cases.
  assert.ok(seen.searchHits >= 100, `only ${seen.searchHits} searches found anything`);
  for (const e of ['ERR invalid longitude,latitude pair', 'ERR value is not a valid float', 'ERR syntax error',
    'ERR unsupported unit provided. please use M, KM, FT, MI', 'ERR could not decode requested zset member',
    'ERR COUNT must be > 0', 'ERR radius cannot be negative', 'ERR need numeric radius',
    'ERR height or width cannot be negative', 'ERR the ANY argument requires COUNT argument',
    'WRONGTYPE Operation against a key holding the wrong kind of value']) {
    assert.ok(seen.errors.has(e), `no command produced ${e}`);
  }
});

test('the documented vectors and ties: Palermo, Catania, equal distances', async (t) => {
  const server = await startRedis();
  t.after(() => server.stop());
  const client = await connectResp(server.port);
  t.after(() => client.close());
  const commands = [
    ['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
    ['ZSCORE', 'Sicily', 'Palermo'], ['ZSCORE', 'Sicily', 'Catania'],
    ['GEOHASH', 'Sicily', 'Palermo', 'Catania'], ['GEOPOS', 'Sicily', 'Palermo', 'Catania'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'mi'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'ft'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
    ['GEOADD', 'Sicily', '200', '100', 'x'],
  ];
  // Many members on one spot: the order of ties under qsort and pqsort.
  const spot = ['GEOADD', 'same'];
  for (let i = 0; i < 50; i += 1) spot.push(String(2.35 + (i % 2) * 0.01), '48.85', `p${i}`);
  commands.push(spot);
  for (const count of ['3', '10', '26', '49']) {
    commands.push(['GEOSEARCH', 'same', 'FROMLONLAT', '2.351', '48.85', 'BYRADIUS', '10', 'km', 'COUNT', count]);
    commands.push(['GEOSEARCH', 'same', 'FROMLONLAT', '2.351', '48.85', 'BYRADIUS', '10', 'km', 'COUNT', count, 'DESC']);
  }
  const seen = { errors: new Set(), searchHits: 0 };
  const ours = await compare(client, commands, 1, seen);
  assert.deepEqual(ours[1].reply, { type: 'bulk', value: '3479099956230698' });
  assert.deepEqual(ours[3].reply.value.map((r) => r.value), ['sqc8b49rny0', 'sqdtr74hyu0']);
  assert.deepEqual(ours[5].reply, { type: 'bulk', value: '166274.1516' });
  assert.equal(ours[0].trace.bytes_per_point, 8);
});
