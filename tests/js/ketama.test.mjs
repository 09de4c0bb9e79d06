// Our ketama mode against the real npm `hashring` package (libketama's
// layout): the same server list and weights must give the same server for
// every key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { runScenario } from '../../dist/wasm/sdp.mjs';

const HashRing = createRequire(import.meta.url)('hashring');
const KEYS = 5000;

async function ourKetamaOwners(servers, keys, ketamaVnodes) {
  const steps = servers.map(([id, weight]) => ({ op: 'add_node', id, weight }));
  for (const key of keys) steps.push({ op: 'lookup', key });
  const config = ketamaVnodes ? { ketama_vnodes: ketamaVnodes } : {};
  const out = JSON.parse(await runScenario({ sim: 'hash_lab', config, steps }));
  return out.results.slice(servers.length).map((r) => r.owners.ketama);
}

function keysFor(label) {
  const keys = [];
  for (let i = 0; i < KEYS; i += 1) keys.push(`${label}:${i}:${(i * 2654435761) >>> 0}`);
  keys.push('', 'ключ', '🔑', 'a'.repeat(200));
  return keys.filter((k) => k.length > 0 && k.length <= 256);
}

test('equal weights: every key lands on the same server as hashring.get()', async () => {
  for (const n of [1, 2, 3, 10, 50]) {
    const servers = [...Array(n)].map((_, i) => [`10.0.${i >> 8}.${i & 255}:11211`, 1]);
    const reference = new HashRing(servers.map(([id]) => id));
    const keys = keysFor(`user${n}`);
    const ours = await ourKetamaOwners(servers, keys);
    const mismatches = keys.filter((key, i) => ours[i] !== reference.get(key));
    assert.deepEqual(mismatches, [], `${n} servers`);
  }
});

test('weighted servers and a non-default vnode count agree too', async () => {
  const servers = [['cache-a:11211', 1], ['cache-b:11211', 3], ['cache-c:11211', 2.5], ['cache-d:11211', 0.5]];
  const keys = keysFor('w');
  for (const vnodes of [40, 10, 160]) {
    const reference = new HashRing(Object.fromEntries(servers), 'md5', { 'vnode count': vnodes });
    const ours = await ourKetamaOwners(servers, keys, vnodes);
    const mismatches = keys.filter((key, i) => ours[i] !== reference.get(key));
    assert.deepEqual(mismatches, [], `vnode count ${vnodes}`);
    assert.ok(new Set(ours).size === servers.length);
  }
});
