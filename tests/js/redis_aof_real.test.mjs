// The AOF our redis_persistence sim writes is real: scenarios run through the
// native CLI (`sdp run -`), the appendonlydir (manifest + base + incr files,
// Redis 7.0's multi-part AOF) comes out of its read_file op, and the real
// tools judge it: redis-check-aof on the manifest must accept it (exit 0),
// and a real Redis 7 started on it (--appendonly yes --dir <tmp>) must hold
// exactly the data set our sim holds after its own restart, key by key (GET,
// ZRANGE k 0 -1 WITHSCORES), write the same "!!!" lines for a torn incr file,
// and leave the same files behind. Covered: everysec + power loss,
// BGREWRITEAOF with and without the RDB preamble (same manifest and log
// lines), a torn incr file with aof-load-truncated yes (same truncation
// offset) and no (same startup error), a torn incr file right after a
// rewrite (only that file is cut; the base stays), rdb_changes_since_last_save
// after a restart, the idle appendfsync-always fsync (watched with strace),
// and dump.rdb.
//
// SDP_CLI picks the binary (default build/native/sdp). Every server is stopped
// in a finally block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectResp } from './resp_client.mjs';
import { startRedis } from './redis_server.mjs';
import { runScenario } from './sdp_cli.mjs';
import { mulberry32 } from './mulberry32.mjs';

function runSim(config, steps, seed = 7) {
  const out = runScenario({ sim: 'redis_persistence', seed, config, steps });
  out.results.forEach((res, i) => assert.ok(!('error' in res), `step ${i}: ${res.error}`));
  return out;
}

function fileOf(output) {
  const read = output.results.find((r) => r.name === 'dump.rdb');
  assert.ok(read?.exists, 'the scenario reads an existing dump.rdb');
  return Buffer.from(read.base64, 'base64');
}

// The appendonlydir our sim has on disk: { manifest, files: {name: Buffer} }.
function dirOf(output) {
  const read = output.results.find((r) => r.name === 'appendonlydir');
  assert.ok(read?.exists, 'the scenario reads an existing appendonlydir');
  const files = Object.fromEntries(read.files.map((f) => [f.name, Buffer.from(f.base64, 'base64')]));
  return { manifest: read.manifest, files };
}

function withTempDir(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdp-aof-'));
  return Promise.resolve()
    .then(() => fn(dir))
    .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

function writeAofDir(dir, aof) {
  const aofDir = path.join(dir, 'appendonlydir');
  fs.mkdirSync(aofDir);
  fs.writeFileSync(path.join(aofDir, 'appendonly.aof.manifest'), aof.manifest);
  for (const [name, bytes] of Object.entries(aof.files)) fs.writeFileSync(path.join(aofDir, name), bytes);
  return aofDir;
}

function checkAof(aof) {
  return withTempDir((dir) => {
    const aofDir = writeAofDir(dir, aof);
    const r = spawnSync('redis-check-aof', [path.join(aofDir, 'appendonly.aof.manifest')], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  });
}

async function realDump(port) {
  const client = await connectResp(port);
  try {
    const keys = (await client.call(['KEYS', '*'])).value.map((k) => k.value).sort();
    const dump = {};
    for (const key of keys) {
      const type = (await client.call(['TYPE', key])).value;
      if (type === 'string') {
        dump[key] = { type, value: (await client.call(['GET', key])).value };
      } else {
        const flat = (await client.call(['ZRANGE', key, '0', '-1', 'WITHSCORES'])).value.map((v) => v.value);
        const items = [];
        for (let i = 0; i < flat.length; i += 2) items.push([flat[i], flat[i + 1]]);
        dump[key] = { type, items };
      }
    }
    return dump;
  } finally {
    client.close();
  }
}

// Starts a real Redis on our appendonlydir; returns its data set, its
// rdb_changes_since_last_save, its log and what it left in appendonlydir.
function loadInRealRedis(aof, extraArgs = []) {
  return withTempDir(async (dir) => {
    const aofDir = writeAofDir(dir, aof);
    const server = await startRedis(['--appendonly', 'yes', '--appendfilename', 'appendonly.aof',
      ...extraArgs, '--dir', dir]);
    try {
      const dump = await realDump(server.port);
      const client = await connectResp(server.port);
      const info = (await client.call(['INFO', 'persistence'])).value;
      client.close();
      const dirty = Number(/rdb_changes_since_last_save:(\d+)/.exec(info)[1]);
      const log = fs.readFileSync(path.join(server.dir, 'redis.log'), 'utf8');
      const files = Object.fromEntries(fs.readdirSync(aofDir).sort()
        .map((f) => [f, fs.readFileSync(path.join(aofDir, f))]));
      return { dump, dirty, log, files };
    } finally {
      await server.stop();
    }
  });
}

const ourDump = (output) => output.snapshot.data.dump;
// Load times differ ("0.000 seconds" here, "0.001 seconds" there).
const sameTimes = (text) => text.replace(/\d+\.\d{3} seconds/g, 'N seconds');

test('everysec + power loss: redis-check-aof accepts our AOF and Redis 7 loads our data set', async () => {
  const out = runSim({ appendonly: 'yes', appendfsync: 'everysec', save: '' }, [
    { op: 'write', line: 'SET greeting "hello world"' },
    { op: 'write', line: 'ZADD q 1.5 a -inf b +inf c 3.0000000000000004 d' },
    { op: 'stream', rate: 300, pattern: 'mixed', keys: 20 },
    { op: 'advance', ms: 2600 },
    { op: 'crash', kind: 'power' },
    { op: 'read_file', name: 'appendonlydir' },
    { op: 'restart' },
  ]);
  const restart = out.results[6];
  assert.equal(restart.loaded_from, 'aof');
  assert.ok(restart.lost.acked_lost > 0 && restart.lost.window_ms <= 2000, JSON.stringify(restart.lost));
  const aof = dirOf(out);
  assert.equal(aof.manifest,
    'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  const check = await checkAof(aof);
  assert.equal(check.status, 0, check.out);
  assert.match(check.out, /All AOF files and manifest are valid/);
  const real = await loadInRealRedis(aof);
  assert.deepEqual(real.dump, ourDump(out));
  assert.ok(Object.keys(real.dump).length > 20);
  // Real Redis leaves the directory as it found it, as our sim does.
  assert.deepEqual(Object.keys(real.files), ['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof',
    'appendonly.aof.manifest']);
  assert.deepEqual(real.files['appendonly.aof.1.incr.aof'], aof.files['appendonly.aof.1.incr.aof']);
  // Our start log is Redis's: every line of ours appears in the real log.
  for (const line of restart.log.map((l) => l.text).filter((t) => !t.startsWith('Redis version'))) {
    assert.ok(sameTimes(real.log).includes(sameTimes(line)), `real log has: ${line}`);
  }
});

for (const preamble of ['yes', 'no']) {
  test(`bgrewriteaof (aof-use-rdb-preamble ${preamble}) keeps the data set, and Redis 7 agrees`, async () => {
    const out = runSim({ appendonly: 'yes', appendfsync: 'always', save: '', aof_use_rdb_preamble: preamble }, [
      { op: 'stream', rate: 200, pattern: 'mixed', keys: 15 },
      { op: 'advance', ms: 1500 },
      { op: 'bgrewriteaof' },
      { op: 'advance', ms: 700 },
      { op: 'stream', rate: 0 },
      { op: 'advance', ms: 100 },
      { op: 'read_file', name: 'appendonlydir' },
      { op: 'restart' },
    ]);
    const rewrite = out.snapshot.aof.last_rewrite;
    assert.ok(rewrite.bytes_after < rewrite.bytes_before, JSON.stringify(rewrite));
    const aof = dirOf(out);
    const base = `appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`;
    assert.equal(aof.manifest, `file ${base} seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n`);
    assert.equal(aof.files[base].subarray(0, 5).toString(), preamble === 'yes' ? 'REDIS' : '*2\r\n$');
    const check = await checkAof(aof);
    assert.equal(check.status, 0, check.out);
    assert.ok(out.results[7].shutdown !== null, 'a clean SHUTDOWN first');
    assert.equal(out.results[7].lost.acked_lost, 0);
    const real = await loadInRealRedis(aof);
    assert.deepEqual(real.dump, ourDump(out));
    assert.equal(real.dirty, out.snapshot.rdb.dirty, 'replayed incr commands count as changes');
  });
}

test('a real rewrite logs the lines our sim logs, and leaves the same manifest', async () => {
  const out = runSim({ appendonly: 'yes', appendfsync: 'everysec', save: '' }, [
    { op: 'write', line: 'SET a 1' },
    { op: 'bgrewriteaof' },
    { op: 'advance', ms: 500 },
  ]);
  const ours = out.snapshot.log.map((l) => l.text)
    .filter((t) => !t.startsWith('Redis version') && !t.startsWith('[sim]'))
    .map((t) => t.replace(/temp-rewriteaof-bg-\d+/, 'temp-rewriteaof-bg-PID').replace(/pid \d+/, 'pid PID'));
  await withTempDir(async (dir) => {
    const server = await startRedis(['--appendonly', 'yes', '--dir', dir]);
    try {
      const client = await connectResp(server.port);
      await client.call(['SET', 'a', '1']);
      await client.call(['BGREWRITEAOF']);
      let log = '';
      for (let i = 0; i < 200 && !log.includes('Background AOF rewrite finished successfully'); i += 1) {
        await new Promise((r) => setTimeout(r, 25));
        log = fs.readFileSync(path.join(server.dir, 'redis.log'), 'utf8');
      }
      client.close();
      const real = log.split('\n').map((l) => l.replace(/^\d+:[A-Z] [^*#-]*[*#-] /, ''))
        .map((t) => t.replace(/temp-rewriteaof-bg-\d+/, 'temp-rewriteaof-bg-PID').replace(/pid \d+/, 'pid PID'));
      let at = 0;
      for (const line of ours) {
        const found = real.indexOf(line, at);
        assert.ok(found >= 0, `real log has, in order: ${line}\n${real.join('\n')}`);
        at = found + 1;
      }
      assert.equal(fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8'),
        out.snapshot.aof.manifest);
    } finally {
      await server.stop();
    }
  });
});

function tornScenario(loadTruncated, extra = []) {
  return runSim({ appendonly: 'yes', appendfsync: 'everysec', save: '', aof_load_truncated: loadTruncated }, [
    ...extra,
    { op: 'stream', rate: 100, pattern: 'jobs' },
    { op: 'advance', ms: 1550 },
    { op: 'crash', kind: 'power', torn_bytes: 20 },
    { op: 'read_file', name: 'appendonlydir' },
    { op: 'restart' },
  ]);
}

test('torn incr file, aof-load-truncated yes: same truncation offset and data set as Redis 7', async () => {
  const out = tornScenario('yes');
  const crash = out.results.at(-3);
  const restart = out.results.at(-1);
  assert.equal(crash.torn.kept_bytes, 20);
  assert.ok(restart.started);
  const at = restart.truncated.at_offset;
  const aof = dirOf(out);
  const incr = aof.files['appendonly.aof.1.incr.aof'];
  assert.equal(incr.length, at + 20);
  const check = await checkAof(aof);
  assert.equal(check.status, 1);
  assert.match(check.out, new RegExp(`ok_up_to=${at},`));
  const real = await loadInRealRedis(aof, ['--aof-load-truncated', 'yes']);
  assert.match(real.log, new RegExp(`!!! Truncating the AOF appendonly\\.aof\\.1\\.incr\\.aof at offset ${at} !!!`));
  for (const line of restart.log.map((l) => l.text).filter((t) => !t.startsWith('Redis version'))) {
    assert.ok(sameTimes(real.log).includes(sameTimes(line)), `real log has: ${line}`);
  }
  assert.deepEqual(real.dump, ourDump(out));
  assert.equal(real.files['appendonly.aof.1.incr.aof'].length, at);
});

test('torn incr file, aof-load-truncated no: Redis 7 refuses to start with the message we print', async () => {
  const out = tornScenario('no');
  const restart = out.results.at(-1);
  assert.equal(restart.started, false);
  assert.equal(out.snapshot.server.state, 'failed');
  await assert.rejects(loadInRealRedis(dirOf(out), ['--aof-load-truncated', 'no']), (err) => {
    assert.ok(err.message.includes(restart.startup_error), `${err.message}\n---\n${restart.startup_error}`);
    return true;
  });
});

test('a torn first command after a rewrite: only the incr file is cut (offset 0), the base stays', async () => {
  const scenario = runSim({ appendonly: 'yes', appendfsync: 'everysec', save: '' }, [
    { op: 'write', line: 'ZADD jobs 1 early 2 later' },
    { op: 'bgrewriteaof' },
    { op: 'advance', ms: 1000 },
    { op: 'config_set', appendfsync: 'no' },
    { op: 'write', line: 'SET after rewrite' },
    { op: 'crash', kind: 'power', torn_bytes: 10 },
    { op: 'read_file', name: 'appendonlydir' },
    { op: 'restart' },
  ]);
  const restart = scenario.results.at(-1);
  assert.equal(restart.truncated.file, 'appendonly.aof.2.incr.aof');
  assert.equal(restart.truncated.at_offset, 0);
  const aof = dirOf(scenario);
  const real = await loadInRealRedis(aof, ['--aof-load-truncated', 'yes']);
  assert.match(real.log, /Truncating the AOF appendonly\.aof\.2\.incr\.aof at offset 0 !!!/);
  assert.equal(real.files['appendonly.aof.2.incr.aof'].length, 0);
  assert.deepEqual(real.files['appendonly.aof.2.base.rdb'], aof.files['appendonly.aof.2.base.rdb']);
  assert.deepEqual(real.dump, ourDump(scenario));
  assert.deepEqual(Object.keys(real.dump), ['jobs']);
  assert.deepEqual(scenario.snapshot.aof.files.map((f) => f.bytes),
    [real.files['appendonly.aof.2.base.rdb'].length, 0]);
});

test('restart after writes: rdb_changes_since_last_save counts the replayed commands, as in Redis 7', async () => {
  const out = runSim({ appendonly: 'yes', appendfsync: 'always', save: '' }, [
    { op: 'write', line: 'SET a 1' },
    { op: 'write', line: 'INCR n' },
    { op: 'write', line: 'ZADD z 1 m' },
    { op: 'bgrewriteaof' },
    { op: 'advance', ms: 500 },
    { op: 'write', line: 'SET b 2' },
    { op: 'write', line: 'INCR n' },
    { op: 'advance', ms: 100 },
    { op: 'crash', kind: 'process' },
    { op: 'read_file', name: 'appendonlydir' },
    { op: 'restart' },
  ]);
  assert.equal(out.snapshot.rdb.dirty, 2, 'the base (an RDB) does not count, the incr commands do');
  const real = await loadInRealRedis(dirOf(out));
  assert.equal(real.dirty, 2);
  assert.deepEqual(real.dump, ourDump(out));
});

// Integers below n from a seeded mulberry32, so a failing case can be replayed from its seed.
function makeRng(seed) {
  const next = mulberry32(seed);
  return (n) => Math.floor(next() * n);
}

test('random crash points: whatever survives, Redis 7 loads the same data set', async () => {
  const policies = ['always', 'everysec', 'no'];
  for (let seed = 1; seed <= 6; seed += 1) {
    const rand = makeRng(seed);
    const steps = [
      { op: 'write', line: 'SET "key with spaces" "line one\\r\\nline two"' },
      { op: 'write', line: 'ZADD scores -0 zero 1e-5 tiny 3.0000000000000004 third +inf top "-inf" bottom' },
      { op: 'write', line: 'SET unicode "κλειδί ✓"' },
      { op: 'stream', rate: 50 + rand(400), pattern: 'mixed', keys: 1 + rand(30) },
      { op: 'advance', ms: 500 + rand(2500) },
    ];
    if (rand(2) === 0) steps.push({ op: 'bgrewriteaof' }, { op: 'advance', ms: rand(1500) + 1 });
    steps.push({ op: 'crash', kind: rand(2) ? 'power' : 'process', torn_bytes: rand(3) ? 0 : 1 + rand(30) },
      { op: 'read_file', name: 'appendonlydir' }, { op: 'restart' });
    const config = { appendonly: 'yes', appendfsync: policies[rand(3)], save: '',
      aof_use_rdb_preamble: rand(2) ? 'yes' : 'no', fsync_ms: rand(3) ? 2 : 1500 };
    const out = runSim(config, steps, seed);
    const context = `seed ${seed}: ${JSON.stringify(config)} ${JSON.stringify(out.results.at(-3))}`;
    const restart = out.results.at(-1);
    if (!restart.started) {
      // A torn incr file that is not the last one (the old file of a rewrite
      // killed before its background fsync): Redis 7 refuses to start too.
      await assert.rejects(loadInRealRedis(dirOf(out), ['--aof-load-truncated', 'yes']), (err) => {
        assert.ok(err.message.includes(restart.startup_error), `${context}\n${err.message}`);
        return true;
      });
      continue;
    }
    const real = await loadInRealRedis(dirOf(out), ['--aof-load-truncated', 'yes']);
    assert.deepEqual(real.dump, ourDump(out), context);
  }
});

test('dump.rdb from BGSAVE loads in Redis 7 as the same data set', async () => {
  const out = runSim({ appendonly: 'no', save: '' }, [
    { op: 'write', line: 'SET s "bytes \\x00\\xff here"' },
    { op: 'write', line: 'INCRBY n 41' },
    { op: 'write', line: 'ZADD z 1 a 1 b 0.5 c -inf d' },
    { op: 'bgsave' },
    { op: 'advance', ms: 500 },
    { op: 'read_file', name: 'dump.rdb' },
  ]);
  const bytes = fileOf(out);
  await withTempDir(async (dir) => {
    fs.writeFileSync(path.join(dir, 'dump.rdb'), bytes);
    const check = spawnSync('redis-check-rdb', [path.join(dir, 'dump.rdb')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const server = await startRedis(['--dbfilename', 'dump.rdb', '--dir', dir]);
    try {
      const client = await connectResp(server.port);
      assert.deepEqual(await client.call(['GET', 'n']), { type: 'bulk', value: '41' });
      const s = await client.call(['STRLEN', 's']);
      client.close();
      assert.equal(s.value, 13);
      const real = await realDump(server.port);
      const ours = ourDump(out);
      delete real.s;
      delete ours.s;  // binary bytes: compared by length above (the client decodes UTF-8)
      assert.deepEqual(real, ours);
    } finally {
      await server.stop();
    }
  });
});

// flushAppendOnlyFile (7.0.12+): with an empty buffer, appendfsync always
// fsyncs bytes written but not yet synced. Seen from outside with strace: after
// CONFIG SET appendfsync always, with no further write, the main thread
// (tid == pid) calls fdatasync on the AOF; before 7.0.12 nothing did.
// The writes happen under appendfsync no, so no fsync of them can come from
// anywhere else: under everysec, the first write after a second of quiet is
// fsynced at once by a bio thread, which marks the bytes synced and leaves the
// main thread nothing to do (CI hit exactly that race).
test('appendfsync always while idle: the main thread fsyncs written bytes, as our sim does', async (t) => {
  if (spawnSync('strace', ['-V']).status !== 0) {
    t.skip('strace is not installed: cannot watch the real server\'s fdatasync calls');
    return;
  }
  const before = runSim({ appendonly: 'yes', appendfsync: 'no', save: '' }, [
    { op: 'advance', ms: 1100 },
    { op: 'write', line: 'SET a 1' },
    { op: 'write', line: 'SET b 2' },
    { op: 'advance', ms: 150 },
  ]);
  assert.ok(before.snapshot.aof.durable_bytes < before.snapshot.aof.file_bytes, 'appendfsync no leaves bytes unsynced');
  const out = runSim({ appendonly: 'yes', appendfsync: 'no', save: '' }, [
    { op: 'advance', ms: 1100 },
    { op: 'write', line: 'SET a 1' },
    { op: 'write', line: 'SET b 2' },
    { op: 'config_set', appendfsync: 'always' },
    { op: 'advance', ms: 150 },
  ]);
  assert.equal(out.snapshot.at_risk.power_loss, 0);
  assert.equal(out.snapshot.aof.durable_bytes, out.snapshot.aof.file_bytes);
  await withTempDir(async (dir) => {
    const server = await startRedis(['--appendonly', 'yes', '--appendfsync', 'no', '--dir', dir]);
    const trace = path.join(dir, 'trace');
    const strace = spawn('strace', ['-f', '-e', 'trace=fdatasync,fsync', '-p', String(server.pid), '-o', trace],
      { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 500));  // strace attached
      const client = await connectResp(server.port);
      // Redis writes the AOF before it replies, so once both replies are here
      // the bytes are in the file, unsynced, and the buffer is empty.
      const writes = await Promise.all([client.call(['SET', 'a', '1']), client.call(['SET', 'b', '2'])]);
      assert.deepEqual(writes.map((r) => r.value), ['OK', 'OK']);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await client.call(['CONFIG', 'SET', 'appendfsync', 'always'])).value, 'OK');
      await new Promise((r) => setTimeout(r, 300));  // a few serverCron passes, no write
      client.close();
    } finally {
      strace.kill('SIGINT');
      await new Promise((r) => strace.on('exit', r));
      await server.stop();
    }
    const mainThread = fs.readFileSync(trace, 'utf8').split('\n')
      .filter((l) => l.startsWith(`${server.pid} `) && /fdatasync|fsync/.test(l));
    assert.ok(mainThread.length >= 1, `the main thread fsynced after CONFIG SET: ${mainThread.join('\n')}`);
  });
});
