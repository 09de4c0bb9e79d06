// Our Kafka sim against the real kafkajs client: for thousands of random keys
// and several partition counts, `produce` must name the partition kafkajs's
// DefaultPartitioner (Java-compatible murmur2) picks. Keyless round robin is
// compared too: kafkajs starts its counter at a random value, so the check is
// that both walk the available partitions in the same cyclic order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { SimSession } from '../../dist/wasm/sdp.mjs';
import { mulberry32 } from './mulberry32.mjs';

const { Partitioners } = createRequire(import.meta.url)('kafkajs');

// Test keys only, seeded so a failure names a reproducible key.
class Rng {
  constructor(seed) { this.next = mulberry32(seed); }
  below(n) { return Math.floor(this.next() * n); }
}

function randomKey(rng) {
  const length = 1 + rng.below(40);
  // Bytes 0x20..0x7e plus some multi-byte UTF-8 (kafkajs hashes UTF-8 bytes, as Java does).
  const wide = Array.from('é中🙂');  // 2, 3 and 4 UTF-8 bytes
  let key = '';
  for (let i = 0; i < length; i++) key += rng.below(10) === 0 ? wide[rng.below(3)] : String.fromCharCode(0x20 + rng.below(95));
  return key;
}

test('keyed records: the same partition as kafkajs DefaultPartitioner for 4,000 random keys', async () => {
  const rng = new Rng(2024);
  for (const partitions of [1, 3, 6, 12, 64]) {
    const session = await SimSession.create('kafka', { seed: 5, config: { brokers: 3, linger_ms: 0, acks: '1' } });
    session.apply({ op: 'create_topic', name: 't', partitions, replication: 1 });
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: partitions }, (_, p) => ({ partitionId: p, leader: 1 }));
    const keys = partitions === 12 ? 2000 : 500;
    for (let i = 0; i < keys; i++) {
      // Within our limit of 64 bytes a key: Kafka keys are arbitrary bytes.
      const chars = Array.from(randomKey(rng));  // code points: never split a surrogate pair
      while (Buffer.byteLength(chars.join('')) > 64) chars.pop();
      const key = chars.join('');
      const expected = partitioner({ topic: 't', partitionMetadata, message: { key } });
      const ours = session.apply({ op: 'produce', topic: 't', key, value: 'v' });
      assert.equal(ours.partition, expected, `key ${JSON.stringify(key)} over ${partitions} partitions`);
    }
    session.delete();
  }
});

test("Kafka's murmur2 test vectors hold through produce", async () => {
  // org.apache.kafka.common.utils.UtilsTest: murmur2 of these strings.
  const vectors = { 21: -973932308, foobar: -790332482, 'a-little-bit-long-string': -985981536,
    'a-little-bit-longer-string': -1486304829, lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8: -58897971, abc: 479470107 };
  const session = await SimSession.create('kafka', { config: { linger_ms: 0, acks: '1' } });
  session.apply({ op: 'create_topic', name: 't', partitions: 64, replication: 1 });
  for (const [key, hash] of Object.entries(vectors)) {
    const ours = session.apply({ op: 'produce', topic: 't', key, value: 'v' });
    assert.equal(ours.partition, (hash & 0x7fffffff) % 64, key);
  }
  session.delete();
});

test('keyless round robin walks the available partitions in the order kafkajs does', async () => {
  const session = await SimSession.create('kafka', { config: { linger_ms: 0, acks: '1', partitioner: 'round_robin' } });
  session.apply({ op: 'create_topic', name: 't', partitions: 5, replication: 1 });
  const ours = Array.from({ length: 15 }, () => session.apply({ op: 'produce', topic: 't', value: 'v' }).partition);
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: 5 }, (_, p) => ({ partitionId: p, leader: 1 }));
  const theirs = Array.from({ length: 15 }, () => partitioner({ topic: 't', partitionMetadata, message: {} }));
  const step = (seq) => seq.slice(1).map((p, i) => (p - seq[i] + 5) % 5);
  assert.deepEqual(step(ours), step(theirs), `ours ${ours}, kafkajs ${theirs}`);
  assert.deepEqual(step(ours), new Array(14).fill(1));
  session.delete();
});
