/**
 * The rows of an iteration data file, read by index: where each row starts in the file, and the
 * file's bytes read again as the run goes (row-file.ts; in memory for a plan from elsewhere). A row
 * is parsed when it is asked for and not kept, so a run over 100,000 rows holds 4 bytes of position
 * per row, instead of every row as objects (about 100 bytes a row for `{ n, user }`, and a parse of
 * the whole file that raised the peak RSS by 30 MB before the first request; figures in
 * BENCHMARKS.md, 2026-12-03), or the file (about 30 bytes a row in the benchmark; branch rows6).
 */

/** One row: column (or property) name → value. CSV values are strings (numbers too when read as Newman reads them, `csv-newman`). */
export type IterationRow = Record<string, unknown>;

/** The data file formats (`-d`): `csv-newman` is a CSV file read as Newman reads it, for a run of Postman collections. */
export type IterationDataFormat = 'csv' | 'csv-newman' | 'json';

/**
 * Where rows lie, growing as a scan finds them: the start of each row and the end of the last (see
 * {@link IterationRows.fromBounds}). Offsets fit 32 bits: the bytes come from readFile (at most
 * 2 GiB) or from a plan's base64 string (a V8 string holds under 2^29 characters).
 */
export class RowBounds {
  /**
   * Starts in fixed 64 KiB chunks: a typed array doubled as it grew dropped copies of up to 512 KB
   * for 100,000 rows, and glibc raises its mmap threshold to the size of such a block when it is
   * freed (see transientBuffer in row-file.ts); a block under 128 KiB never moves it.
   */
  readonly #chunks: Uint32Array[] = [];
  #count = 0;
  #end = 0;

  get count(): number {
    return this.#count;
  }

  /** A row at bytes `[start, end)`; rows are added in file order. */
  add(start: number, end: number): void {
    const at = this.#count % BOUNDS_CHUNK;
    if (at === 0) this.#chunks.push(new Uint32Array(BOUNDS_CHUNK));
    (this.#chunks[this.#chunks.length - 1] as Uint32Array)[at] = start;
    this.#count++;
    this.#end = end;
  }

  /** The starts and the last end, in one array (empty for no rows). */
  finish(): Uint32Array {
    if (this.#count === 0) return new Uint32Array(0);
    const bounds = new Uint32Array(this.#count + 1);
    for (const [index, chunk] of this.#chunks.entries()) {
      bounds.set(chunk.subarray(0, Math.min(BOUNDS_CHUNK, this.#count - index * BOUNDS_CHUNK)), index * BOUNDS_CHUNK);
    }
    bounds[this.#count] = this.#end;
    return bounds;
  }
}

/** Starts per chunk of {@link RowBounds}: 64 KiB. */
const BOUNDS_CHUNK = 16 * 1024;

/**
 * Where the bytes of rows come from: a data file read again as the run goes (see {@link RowFile}), or
 * bytes in memory (a plan from another machine carries the file).
 */
export interface RowBytes {
  /**
   * Bytes that hold `[start, end)` of the file: `data`, whose byte 0 is byte `offset` of the file.
   * @throws SortieError when the file can no longer be read as it was.
   */
  window(start: number, end: number): { data: Buffer; offset: number };
}

/** Bytes in memory as {@link RowBytes}. */
export function bytesInMemory(bytes: Buffer): RowBytes {
  const whole = { data: bytes, offset: 0 };
  return { window: () => whole };
}

/** How the text between the end of a row and the start of the next is trimmed: CSV rows are contiguous, JSON objects have a comma and white space between them. */
export type RowSeparator = 'none' | 'json';

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

  /**
   * Rows of `source` by where they start: row `i` is bytes `bounds[i]` to `bounds[i + 1]` (the last
   * bound is where the last row ends), less what `separator` says lies between two rows; each is
   * parsed by `parse` from its bytes (`data`, `start`, `end`: offsets in `data`). One offset a row
   * (4 bytes) instead of a start and an end, and no copy of the file when `source` reads it.
   */
  static fromBounds(
    source: RowBytes,
    bounds: Uint32Array,
    separator: RowSeparator,
    parse: (data: Buffer, start: number, end: number) => IterationRow,
  ): IterationRows {
    return new IterationRows(Math.max(0, bounds.length - 1), (index) => {
      const start = bounds[index] as number;
      const { data, offset } = source.window(start, bounds[index + 1] as number);
      let end = (bounds[index + 1] as number) - offset;
      if (separator === 'json') {
        // Back over the white space and the comma after the object, to its closing brace.
        for (let c = data[end - 1]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c; c = data[--end - 1]);
      }
      return parse(data, start - offset, end);
    });
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
