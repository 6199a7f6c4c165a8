/**
 * The largest result an operation may return, in rows (SQL rows, MongoDB documents) and in bytes (the
 * size of its values, about the size of its JSON): a `SELECT` of five million rows or of huge BLOBs was
 * held whole in memory, and then written into the report. The drivers read rows one at a time and count
 * each with a {@link ResultBudget}; past the limit they keep no more rows, and the operation fails with
 * `Database result too large`, like an HTTP body past `maxResponseBytes`.
 */
import type { DatabaseConnection, DbOperation } from './types.js';

/** Rows (or documents) one operation may return, by default. */
export const DEFAULT_MAX_ROWS = 100_000;
/** Bytes of values one operation may return, by default: 100 MiB, as `maxResponseBytes`. */
export const DEFAULT_MAX_RESULT_BYTES = 104_857_600;

/** The limits of one operation: its own, else its connection's, else the defaults. */
export interface ResultLimit {
  maxRows: number;
  maxResultBytes: number;
}

export function readResultLimit(op: DbOperation, config: DatabaseConnection): ResultLimit {
  return {
    maxRows: op.maxRows ?? config.maxRows ?? DEFAULT_MAX_ROWS,
    maxResultBytes: op.maxResultBytes ?? config.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
  };
}

/** Thrown by {@link ResultBudget.add} when a result grows past its limit. */
export class ResultTooLargeError extends Error {
  override readonly name = 'ResultTooLargeError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Counts the rows of one operation's result (of all its statements) against its limit. */
export class ResultBudget {
  readonly #limit: ResultLimit;
  #rows = 0;
  #bytes = 0;

  constructor(limit: ResultLimit | undefined) {
    this.#limit = limit ?? { maxRows: DEFAULT_MAX_ROWS, maxResultBytes: DEFAULT_MAX_RESULT_BYTES };
  }

  /** Counts one row (an array of values, or a document); throws {@link ResultTooLargeError} past the limit. */
  add(row: unknown): void {
    this.#rows += 1;
    if (this.#rows > this.#limit.maxRows)
      throw new ResultTooLargeError(
        `the result has more than ${this.#limit.maxRows} rows (maxRows: ${this.#limit.maxRows})`,
        'select fewer rows (WHERE, LIMIT; a MongoDB filter or "limit" option), or raise "maxRows" on the operation or the connection',
      );
    this.#bytes += estimateSize(row, 0);
    if (this.#bytes > this.#limit.maxResultBytes)
      throw new ResultTooLargeError(
        `the result is larger than ${this.#limit.maxResultBytes} bytes (maxResultBytes: ${this.#limit.maxResultBytes}) at row ${this.#rows}`,
        'select fewer rows or smaller columns, or raise "maxResultBytes" on the operation or the connection',
      );
  }
}

/** About the bytes of `value` as JSON text: a string's length, a binary's base64, 8 for a number. */
function estimateSize(value: unknown, depth: number): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return 8;
  if (value instanceof Date) return 26;
  if (ArrayBuffer.isView(value)) return Math.ceil((value.byteLength * 4) / 3) + 2;
  if (depth > 64) return 8;
  let size = 2;
  if (Array.isArray(value)) {
    for (const item of value) size += estimateSize(item, depth + 1) + 1;
    return size;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) size += key.length + 4 + estimateSize(item, depth + 1);
    return size;
  }
  return 8;
}
