/**
 * CSV for iteration data, read with `csv-parse` (the reader the script sandbox bundles too): records
 * with the line each starts on, and errors at `file:line`. A large data file is scanned without
 * keeping its records ({@link scanCsv}); a record is parsed again from its bytes when it is needed.
 */
import { ErrorCode, SortieError } from '@sortie/core';
import type { CsvError, Info, Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { placeOfByte } from './text-encoding.js';

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  /** Strings; in the `newman` dialect unquoted numbers are numbers. */
  fields: unknown[];
}

/**
 * How a CSV file is read: `rfc4180` (Sortie's reading, below), or `newman` — as Newman 6 reads
 * `-d` for a Postman collection (its csv-parse options: fields trimmed, an unquoted integer or float
 * cast to a number as its csvAutoParse does, empty lines kept as rows with one empty field, rows of
 * any length).
 * @see https://github.com/postmanlabs/newman/blob/v6.2.2/lib/run/options.js (iterationData)
 */
export type CsvDialect = 'rfc4180' | 'newman';

/**
 * RFC 4180 with csv-parse: fields separated by commas, records by CRLF, LF or CR; a quoted field
 * may hold commas, line breaks and `""`. A byte order mark and empty lines are skipped; a quote
 * inside an unquoted field, or text right after a closing quote, is kept as written
 * (`relax_quotes`); rows may differ in length (checked against the header by the caller, with the
 * row's line). Nothing is trimmed and every value stays a string.
 * @see https://www.rfc-editor.org/rfc/rfc4180#section-2
 */
/** Where the last complete record ended (for the place of an unterminated quote). */
interface Seen {
  lastLine?: number;
  /** Byte offset just after it (csv-parse's `info.bytes`). */
  lastEnd?: number;
}

function csvOptions(seen: Seen, dialect: CsvDialect = 'rfc4180'): Options {
  return {
    bom: true,
    ...recordOptions(dialect),
    info: true,
    raw: true,
    on_record: (parsed) => {
      const { info } = parsed as unknown as ParsedRecord;
      seen.lastLine = info.lines;
      seen.lastEnd = info.bytes;
      return parsed;
    },
  };
}

interface ParsedRecord {
  record: unknown[];
  raw: string;
  info: Info;
}

/**
 * Splits CSV text into records.
 * @throws SortieError INVALID_INPUT at `file:line` for an unterminated quoted field.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const seen: Seen = {};
  let parsed: ParsedRecord[];
  try {
    parsed = parseSync(text, csvOptions(seen)) as ParsedRecord[];
  } catch (error) {
    throw convertCsvError(error, file, seen, () => Buffer.from(text));
  }
  return parsed.map(toRecord);
}

/**
 * Scans CSV bytes record by record, keeping none: `each` gets the record and the byte offset just
 * after it (csv-parse's `info.bytes`), so a caller can note where each record lies. An error `each`
 * throws stops the scan and is thrown as it is.
 * @throws SortieError INVALID_INPUT at `file:line` (see {@link parseCsv}).
 */
export function scanCsv(
  bytes: Buffer,
  file: string,
  each: (record: CsvRecord, end: number) => void,
  dialect: CsvDialect = 'rfc4180',
): void {
  const seen: Seen = {};
  const options = csvOptions(seen, dialect);
  options.on_record = (parsed) => {
    const record = parsed as unknown as ParsedRecord;
    seen.lastLine = record.info.lines;
    seen.lastEnd = record.info.bytes;
    each(toRecord(record), record.info.bytes);
    return null;
  };
  try {
    parseSync(bytes, options);
  } catch (error) {
    throw convertCsvError(error, file, seen, () => bytes);
  }
}

/** Options of a dialect for one record found by {@link scanCsv}: the same reading, without what only the scan needs. */
function recordOptions(dialect: CsvDialect): Options {
  const common: Options = { relax_column_count: true, relax_quotes: true, record_delimiter: ['\r\n', '\n', '\r'] };
  if (dialect === 'rfc4180') return { ...common, skip_empty_lines: true };
  return { ...common, trim: true, cast: (value, context) => (context.quoting ? value : newmanAutoParse(value)) };
}

const RECORD_OPTIONS = { rfc4180: recordOptions('rfc4180'), newman: recordOptions('newman') };

/**
 * Newman's csvAutoParse of an unquoted value: an integer (`-12`, `+4`, no leading zero) by parseInt,
 * else what its float test accepts (`1.50`, `1e3`, `0`; also `0x10`, read as 0) by parseFloat.
 */
function newmanAutoParse(value: string): string | number {
  if (/^(-|\+)?([1-9]+[0-9]*)$/.test(value)) return Number.parseInt(value, 10);
  if (Number(value) - Number.parseFloat(value) + 1 >= 0) return Number.parseFloat(value);
  return value;
}

/** The fields of the record at bytes `start`..`end` (a range {@link scanCsv} reported); empty lines before it are skipped (rfc4180). */
export function parseCsvRecord(bytes: Buffer, start: number, end: number, dialect: CsvDialect = 'rfc4180'): unknown[] {
  const [record] = parseSync(bytes.subarray(start, end), RECORD_OPTIONS[dialect]) as unknown[][];
  return record ?? [];
}

/** The line a record starts on: the line it ends on, less the line breaks inside it. */
function toRecord({ record, raw, info }: ParsedRecord): CsvRecord {
  const inner = raw.replace(/^(\r\n|\r|\n)+/, '').replace(/(\r\n|\r|\n)$/, '');
  const breaks = inner.match(/\r\n|\r|\n/g)?.length ?? 0;
  return { line: info.lines - breaks, fields: record };
}

/** csv-parse's errors as INVALID_INPUT at a line; anything else (a read error) is passed on. */
function convertCsvError(error: unknown, file: string, seen: Seen, bytes: () => Buffer): unknown {
  const code = (error as CsvError | undefined)?.code;
  const line = (error as { lines?: number }).lines ?? 1;
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    // csv-parse names the last line; the field opened in the record after the last complete one.
    const place = findUnclosedQuote(bytes(), seen.lastEnd ?? 0) ?? { line: Math.min((seen.lastLine ?? 0) + 1, line) };
    return createCsvError(file, place, 'unterminated quoted field', 'close the field with "');
  }
  if (code === 'CSV_INVALID_CLOSING_QUOTE') {
    return createCsvError(file, line, 'unexpected text after a closing quote', 'write a quote inside a quoted field as ""');
  }
  if (typeof code === 'string' && code.startsWith('CSV_')) return createCsvError(file, line, (error as Error).message);
  return error;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * The line and column (in characters) of the quote that opens a field never closed, in the records
 * from byte `from` (where the last complete record ended) on; undefined when there is none.
 */
function findUnclosedQuote(bytes: Buffer, from: number): { line: number; column: number } | undefined {
  let at = from;
  let fieldStart = true;
  while (at < bytes.length) {
    const byte = bytes[at];
    if (fieldStart && byte === QUOTE) {
      let close = bytes.indexOf(QUOTE, at + 1);
      while (close !== -1 && bytes[close + 1] === QUOTE) close = bytes.indexOf(QUOTE, close + 2);
      if (close === -1) return placeOfByte(bytes, at);
      at = close + 1;
      fieldStart = false;
      continue;
    }
    fieldStart = byte === COMMA || byte === CR || byte === LF;
    at += 1;
  }
  return undefined;
}

/** An INVALID_INPUT error for a CSV file at a line (and column). */
export function createCsvError(
  file: string,
  place: number | { line: number; column?: number },
  message: string,
  hint?: string,
): SortieError {
  const location = typeof place === 'number' ? { file, line: place } : { file, ...place };
  const options = hint === undefined ? { location } : { location, hint };
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid iteration data', message, options);
}
