/**
 * A tiny seeded PRNG for fault injection: the same seed gives the same numbers on every machine
 * (Math.random cannot be seeded, and a fault run must be replayable).
 */

/** mulberry32: 32 bits of state, uniform floats in [0, 1); plenty for choosing faults. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a over UTF-16 code units, mixed with a seed: a stable 32-bit name for a string. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The draw for one named decision under a seed. Keyed rather than sequential: concurrent requests
 * finish in an order the network decides, so "the n-th draw" would not name the same request twice;
 * a key built from the request does.
 */
export function drawFor(seed: number, key: string): number {
  return mulberry32(hash32(key, seed))();
}
