/**
 * A growing list of numbers kept in fixed-size typed-array chunks, for the few numbers a reporter
 * keeps per scenario run. Growing adds a chunk and never copies: a typed array doubled as it grew
 * left each smaller copy behind until V8's next full collection, and for a long-lived list that
 * is the end of the run. With 100,000 data rows the doubled arrays of the JSON reporter were
 * 3.5 MiB live and 3.5 MiB of such copies at the peak (heap snapshot, BENCHMARKS.md 2026-12-04,
 * branch rows5).
 */

/** Numbers per chunk: 8 KiB of float64, 4 KiB of uint32. */
const CHUNK_LENGTH = 1024;
/**
 * The first chunk starts this long and doubles (copied) up to CHUNK_LENGTH; the chunks after it are
 * made whole. A run of one scenario (every remote run, and most local ones) keeps one number in each
 * list: four whole first chunks, 20 KiB zeroed per file reporter per run, were 2.7 % of the agent
 * executor's CPU profile (BENCHMARKS.md, issue 13, session 10). The copies left behind add up to
 * less than one chunk, once per list.
 */
const FIRST_LENGTH = 16;

/** The element types of a list. float64 holds any number; uint32 integers 0 ≤ n < 2^32. */
export type ChunkedNumberType = 'float64' | 'uint32';

export class ChunkedNumbers {
  readonly #type: ChunkedNumberType;
  readonly #chunks: Array<Float64Array | Uint32Array> = [];

  constructor(type: ChunkedNumberType) {
    this.#type = type;
  }

  /** The number at `index`; 0 where nothing was set. */
  get(index: number): number {
    return this.#chunks[Math.floor(index / CHUNK_LENGTH)]?.[index % CHUNK_LENGTH] ?? 0;
  }

  /** Sets the number at `index` (≥ 0), adding the chunks up to it. */
  set(index: number, value: number): void {
    const chunk = Math.floor(index / CHUNK_LENGTH);
    const chunks = this.#chunks;
    while (chunks.length <= chunk) chunks.push(this.#make(chunks.length === 0 ? FIRST_LENGTH : CHUNK_LENGTH));
    const offset = index % CHUNK_LENGTH;
    let target = chunks[chunk] as Float64Array | Uint32Array;
    if (offset >= target.length) {
      // Only the first chunk is ever shorter: it grows to the next power of two past `offset`.
      let length = target.length * 2;
      while (length <= offset) length *= 2;
      const grown = this.#make(length);
      grown.set(target);
      chunks[chunk] = grown;
      target = grown;
    }
    target[offset] = value;
  }

  #make(length: number): Float64Array | Uint32Array {
    return this.#type === 'float64' ? new Float64Array(length) : new Uint32Array(length);
  }
}
