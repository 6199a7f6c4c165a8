/**
 * The rows of an iteration data file, read by index: the file's bytes and where each row lies in
 * them. A row is parsed when it is asked for and not kept, so a run over 100,000 rows holds the
 * file (about 30 bytes a row in the benchmark) and 8 bytes of position per row, instead of every
 * row as objects (about 100 bytes a row for `{ n, user }`, and a parse of the whole file that
 * raised the peak RSS by 30 MB before the first request; figures in BENCHMARKS.md, 2026-12-03).
 */

/** One row: column (or property) name → value. CSV values are always strings. */
export type IterationRow = Record<string, unknown>;

/** The data file formats (`-d`). */
export type IterationDataFormat = 'csv' | 'json';

/**
 * Byte ranges `[start, end)`, growing as a scan finds them. Offsets fit 32 bits: the bytes come from
 * readFile (at most 2 GiB) or from a plan's base64 string (a V8 string holds under 2^29 characters).
 */
export class RowSpans {
  #spans = new Uint32Array(2 * 1024);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(start: number, end: number): void {
    if (2 * this.#count + 2 > this.#spans.length) {
      const larger = new Uint32Array(this.#spans.length * 2);
      larger.set(this.#spans);
      this.#spans = larger;
    }
    this.#spans[2 * this.#count] = start;
    this.#spans[2 * this.#count + 1] = end;
    this.#count++;
  }

  /** Whether `check` holds for every span, in order (stops at the first that fails). */
  every(check: (start: number, end: number) => boolean): boolean {
    for (let index = 0; index < this.#count; index++) {
      if (!check(this.#spans[2 * index] as number, this.#spans[2 * index + 1] as number)) return false;
    }
    return true;
  }

  /** The spans, trimmed to their count. */
  finish(): Uint32Array {
    return this.#spans.slice(0, 2 * this.#count);
  }
}

/**
 * Iteration data as a run reads it: `length` rows, `at(index)` parses one. Arrays have the same
 * shape, so an engine given rows in memory (the library API) reads them the same way.
 */
export class IterationRows implements Iterable<IterationRow> {
  readonly length: number;
  readonly #read: (index: number) => IterationRow;

  private constructor(length: number, read: (index: number) => IterationRow) {
    this.length = length;
    this.#read = read;
  }

  /** Rows at byte `spans` of `bytes`, each parsed by `parse` from its bytes. */
  static fromSpans(bytes: Buffer, spans: Uint32Array, parse: (bytes: Buffer, start: number, end: number) => IterationRow): IterationRows {
    return new IterationRows(spans.length / 2, (index) => parse(bytes, spans[2 * index] as number, spans[2 * index + 1] as number));
  }

  /** Rows already in memory (a plan made before rows were read by index carries them so). */
  static fromArray(rows: readonly IterationRow[]): IterationRows {
    return new IterationRows(rows.length, (index) => rows[index] as IterationRow);
  }

  /** The row at `index` (negative counts from the end, as Array#at), parsed now; undefined past the end. */
  at(index: number): IterationRow | undefined {
    const at = Math.trunc(index) < 0 ? Math.trunc(index) + this.length : Math.trunc(index);
    return at >= 0 && at < this.length ? this.#read(at) : undefined;
  }

  *[Symbol.iterator](): Iterator<IterationRow> {
    for (let index = 0; index < this.length; index++) yield this.#read(index);
  }
}
