/** A source of uniformly distributed numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * Returns a seeded PRNG (mulberry32): the same seed gives the same sequence. Good enough for test data, not for
 * anything secret.
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds a version 4 UUID from a random source.
 * @see https://www.rfc-editor.org/rfc/rfc9562#section-5.4
 */
export function createUuidV4(random: RandomSource): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The seed of one scenario run of a run seeded with `seed` (`--seed`): from the run's place in the
 * whole plan and its attempt (`--retry-failed`), so the values a scenario run generates do not depend
 * on the runs before it: the same with `--parallel`, and in a shard of the run (`--remote --shards`)
 * as in the whole run, while each scenario run and attempt gets values of its own.
 */
export function scenarioRunSeed(seed: number, place: number, attempt = 1): number {
  let hash = Math.trunc(seed) >>> 0;
  for (const part of [Math.trunc(seed / 4294967296), place, attempt]) {
    hash = Math.imul(hash ^ (part >>> 0), 0x9e3779b1) >>> 0;
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b) >>> 0;
    hash = (hash ^ (hash >>> 13)) >>> 0;
  }
  return hash;
}
