// Differential test: seeded random sorted-set command sequences go to a real
// Redis 7 server (tests/js/redis_server.mjs) and to our redis_zset sim (the
// native CLI, `sdp run -`), and every reply must be deepEqual. The sequences
// mix ZADD with random flags (valid and incompatible), ZINCRBY, ZREM,
// ZPOPMIN/ZPOPMAX with counts (0, negative, junk), ZRANGE in all its forms,
// ZRANGEBYSCORE/ZREVRANGE*, ZCOUNT, ZSCORE/ZMSCORE, ZRANK/ZREVRANK, ZCARD,
// OBJECT ENCODING (the listpack -> skiplist switch), scores Redis refuses
// (nan, 1e400, " 1", trailing junk), wrong arity, WRONGTYPE on a string key.
//
// SDP_CLI picks the binary (default build/native/sdp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connectResp } from './resp_client.mjs';
import { startRedis } from './redis_server.mjs';
import { CLI, caseOf, compareWithServer, makeRng } from './sdp_cli.mjs';

const SEEDS = [1, 2, 3, 4];
const COMMANDS_PER_SEED = 1500;

const LONG_MEMBER = 'x'.repeat(65); // one byte past zset-max-listpack-value
const MEMBERS = [...Array(30)].map((_, i) => `m${i}`).concat(['a', 'ab', 'abc', 'b', 'B', '', 'é', 'job:1', 'job:10', 'job:2']);
const GOOD_SCORES = ['0', '1', '2', '3', '-1', '-2', '10', '1.5', '0.1', '-0', '2.5', 'inf', '-inf', '+inf',
  '1e20', '3.0000000000000004', '0x10', '1e-5', '100', '7', '-3.25', '42'];
const BAD_SCORES = ['nan', 'abc', '1.5x', ' 1', '', '1e400', 'NaN', '--1', '1 '];
const KEYS = ['q', 'q', 'q', 'big', 'big', 'p', 'gone'];
const BOUNDS = ['-inf', '+inf', 'inf', '0', '1', '(1', '2', '(2', '-1', '(-inf', '10', '(10', '1.5', '(', '', 'x', '( 1'];
const INDEXES = ['0', '1', '2', '-1', '-2', '5', '-5', '100', '-100', '3', 'x', '1.5'];

function score(rng) {
  return rng.chance(0.05) ? rng.pick(BAD_SCORES) : rng.pick(GOOD_SCORES);
}

function member(rng) {
  return rng.chance(0.02) ? LONG_MEMBER : rng.pick(MEMBERS);
}

function zadd(rng) {
  const key = rng.pick(KEYS);
  const argv = [caseOf(rng, 'ZADD'), key];
  for (const flag of ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR']) {
    if (rng.chance(flag === 'CH' ? 0.2 : 0.12)) argv.push(caseOf(rng, flag));
  }
  const incr = argv.some((a) => a.toUpperCase() === 'INCR');
  let pairs = incr && rng.chance(0.8) ? 1 : 1 + rng.int(4);
  if (key === 'big') pairs = 1 + rng.int(12);
  for (let i = 0; i < pairs; i += 1) {
    argv.push(score(rng));
    argv.push(key === 'big' && rng.chance(0.8) ? `big${rng.int(400)}` : member(rng));
  }
  if (rng.chance(0.03)) argv.pop(); // odd number of arguments
  return argv;
}

function zrange(rng) {
  const key = rng.pick(KEYS);
  const form = rng.int(6);
  const tail = [];
  if (rng.chance(0.4)) tail.push(caseOf(rng, 'WITHSCORES'));
  if (form === 0) return [caseOf(rng, 'ZRANGE'), key, rng.pick(INDEXES), rng.pick(INDEXES), ...tail, ...(rng.chance(0.3) ? ['REV'] : [])];
  if (form === 1) return [caseOf(rng, 'ZREVRANGE'), key, rng.pick(INDEXES), rng.pick(INDEXES), ...tail];
  const limit = rng.chance(0.4) ? ['LIMIT', rng.pick(['0', '1', '2', '-1', '5', 'x']), rng.pick(['0', '1', '3', '-1', '10'])] : [];
  const min = rng.pick(BOUNDS);
  const max = rng.pick(BOUNDS);
  if (form === 2) return [caseOf(rng, 'ZRANGEBYSCORE'), key, min, max, ...tail, ...limit];
  if (form === 3) return [caseOf(rng, 'ZREVRANGEBYSCORE'), key, max, min, ...tail, ...limit];
  const opts = [rng.pick(['BYSCORE', 'byscore', 'BYSCORE', 'REV', 'LIMIT'])];
  if (rng.chance(0.5)) opts.push('REV');
  return ['ZRANGE', key, min, max, ...opts, ...tail, ...limit];
}

function lex(rng) {
  // BYLEX is defined when every score is equal: its own key, all scores 0.
  const item = () => rng.pick(['-', '+', '[a', '(a', '[ab', '(b', '[m1', '(m2', 'a', '[', '(', '+x']);
  switch (rng.int(3)) {
    case 0: return ['ZADD', 'lex', '0', rng.pick(MEMBERS)];
    case 1: return ['ZRANGEBYLEX', 'lex', item(), item(), ...(rng.chance(0.3) ? ['LIMIT', rng.pick(['0', '1', '-1']), rng.pick(['1', '2', '-1'])] : [])];
    default: return ['ZRANGE', 'lex', item(), item(), 'BYLEX', ...(rng.chance(0.4) ? ['REV'] : []), ...(rng.chance(0.1) ? ['WITHSCORES'] : [])];
  }
}

function command(rng) {
  const key = rng.pick(KEYS);
  const r = rng.next();
  if (r < 0.30) return zadd(rng);
  if (r < 0.36) return [caseOf(rng, 'ZINCRBY'), key, score(rng), member(rng)];
  if (r < 0.42) return ['ZREM', key, member(rng), ...(rng.chance(0.4) ? [member(rng), member(rng)] : [])];
  if (r < 0.50) {
    const argv = [rng.pick(['ZPOPMIN', 'ZPOPMAX', 'zpopmin']), key];
    if (rng.chance(0.7)) argv.push(rng.pick(['0', '1', '2', '5', '200', '-1', 'x', '1.5']));
    if (rng.chance(0.03)) argv.push('1');
    return argv;
  }
  if (r < 0.64) return zrange(rng);
  if (r < 0.67) return lex(rng);
  if (r < 0.70) return ['ZCOUNT', key, rng.pick(BOUNDS), rng.pick(BOUNDS)];
  if (r < 0.75) return ['ZSCORE', key, member(rng)];
  if (r < 0.77) return ['ZMSCORE', key, member(rng), member(rng)];
  if (r < 0.81) return [rng.pick(['ZRANK', 'ZREVRANK']), key, member(rng)];
  if (r < 0.84) return ['ZCARD', key];
  if (r < 0.88) return ['OBJECT', 'ENCODING', rng.pick(['q', 'big', 'p', 'lex', 's'])];
  if (r < 0.90) return rng.pick([['ZADD', key], ['ZADD', key, '1'], ['ZSCORE', key], ['ZCARD'], ['ZRANK', key],
    ['ZINCRBY', key, '1'], ['ZRANGE', key, '0'], ['ZPOPMIN'], ['ZCOUNT', key, '0'], ['ZREM', key]]);
  if (r < 0.92) return rng.pick([['SET', 's', 'text'], ['ZADD', 's', '1', 'a'], ['ZRANGE', 's', '0', '-1'],
    ['ZPOPMIN', 's', '0'], ['ZSCORE', 's', 'a'], ['ZREM', 's', 'a'], ['ZCARD', 's'], ['TYPE', 's'], ['TYPE', key]]);
  if (r < 0.93) return ['DEL', rng.pick(['q', 'p', 'gone', 'lex'])];
  if (r < 0.95) return ['EXISTS', key, 'big'];
  return ['ZRANGE', key, '0', '-1', 'WITHSCORES'];
}

test('random sorted-set command sequences: every reply equals the real Redis server\'s', async (t) => {
  const server = await startRedis();
  t.after(() => server.stop());
  const client = await connectResp(server.port);
  t.after(() => client.close());
  const version = await client.call(['INFO', 'server']);
  assert.match(version.value, /redis_version:7\.0\./, 'the differential test pins Redis 7.0');

  let compared = 0;
  const errorsSeen = new Set();
  const encodingsSeen = new Set();
  for (const seed of SEEDS) {
    await client.call(['FLUSHALL']);
    const rng = makeRng(seed);
    const commands = [];
    for (let i = 0; i < COMMANDS_PER_SEED; i += 1) commands.push(command(rng));
    for (const key of ['q', 'big', 'p', 'lex', 'gone']) commands.push(['ZRANGE', key, '0', '-1', 'WITHSCORES']);
    await compareWithServer(client, 'redis_zset', commands, seed, (argv, expected) => {
      if (expected.type === 'error') errorsSeen.add(expected.value);
      if (argv[0] === 'OBJECT' && expected.type === 'bulk') encodingsSeen.add(expected.value);
      compared += 1;
    });
  }
  // The sequences must actually reach the interesting cases.
  assert.ok(compared >= SEEDS.length * COMMANDS_PER_SEED);
  for (const e of ['ERR XX and NX options at the same time are not compatible',
    'ERR GT, LT, and/or NX options at the same time are not compatible',
    'ERR INCR option supports a single increment-element pair', 'ERR value is not a valid float',
    'ERR syntax error', 'ERR value is out of range, must be positive',
    'WRONGTYPE Operation against a key holding the wrong kind of value',
    'ERR min or max is not a float']) {
    assert.ok(errorsSeen.has(e), `no command produced ${e}`);
  }
  assert.deepEqual([...encodingsSeen].sort(), ['embstr', 'listpack', 'skiplist']);
});

test('the listpack -> skiplist switch: 128 entries stay a listpack, the 129th converts', async (t) => {
  const server = await startRedis();
  t.after(() => server.stop());
  const client = await connectResp(server.port);
  t.after(() => client.close());
  const commands = [];
  for (let i = 1; i <= 129; i += 1) {
    commands.push(['ZADD', 'jobs', String(i * 10), `job:${i}`]);
    if (i >= 127) commands.push(['OBJECT', 'ENCODING', 'jobs']);
  }
  commands.push(['ZADD', 'small', '1', 'a'], ['OBJECT', 'ENCODING', 'small']);
  commands.push(['ZADD', 'small', '2', 'y'.repeat(64)], ['OBJECT', 'ENCODING', 'small']);
  commands.push(['ZADD', 'small', '3', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'small']);
  commands.push(['ZPOPMIN', 'jobs', '100'], ['OBJECT', 'ENCODING', 'jobs'], ['ZRANGE', 'jobs', '0', '-1', 'WITHSCORES']);
  const ours = await compareWithServer(client, 'redis_zset', commands, 9);
  const encodings = ours.filter((r) => r.argv[0] === 'OBJECT').map((r) => r.reply.value);
  assert.deepEqual(encodings, ['listpack', 'listpack', 'skiplist', 'listpack', 'listpack', 'skiplist', 'skiplist']);
});

test('the canonical redis_zset scenarios answer like the real server (their command steps)', async (t) => {
  const fs = await import('node:fs');
  const server = await startRedis();
  t.after(() => server.stop());
  const client = await connectResp(server.port);
  t.after(() => client.close());
  const dir = 'scenarios/redis_zset';
  let compared = 0;
  for (const name of fs.readdirSync(dir).sort()) {
    const scenario = JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8'));
    await client.call(['FLUSHALL']);
    const out = spawnSync(CLI, ['run', `${dir}/${name}`]);
    assert.equal(out.status, 0, `${name}: ${out.stderr}`);
    const results = JSON.parse(out.stdout.toString('utf8')).results;
    // fill draws from our seeded generator; a scenario is compared up to its first fill.
    for (let i = 0; i < scenario.steps.length && scenario.steps[i].op === 'command'; i += 1) {
      assert.deepEqual(results[i].reply, await client.call(results[i].argv), `${name} step ${i}`);
      compared += 1;
    }
  }
  assert.ok(compared >= 10);
});
