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
    while (this.#chunks.length <= chunk) {
      this.#chunks.push(this.#type === 'float64' ? new Float64Array(CHUNK_LENGTH) : new Uint32Array(CHUNK_LENGTH));
    }
    (this.#chunks[chunk] as Float64Array | Uint32Array)[index % CHUNK_LENGTH] = value;
  }
}
