// mulberry32: a tiny seeded PRNG for tests (the monkey, random logs, random
// keys), so a failing case replays from its seed. Test inputs only: the
// simulations use their own Rng (core/include/sdp/random.h).
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
