/** Iteration data (`-d`): the rows a data-driven run iterates over, from a CSV or a JSON file. */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { findJsonNestingOverflow } from './nesting.js';
import { type CsvRecord, createCsvError, parseCsv, readCsv } from './parse-csv.js';
import { parseSourceText } from './parse-source.js';

/** One row: column (or property) name → value. CSV values are always strings. */
export type IterationRow = Record<string, unknown>;

/**
 * Reads iteration data (`file` relative to `cwd`, default the process's working directory, named as given): a `.csv` file with a header row (RFC 4180; every row must have as many
 * fields as the header) or a `.json` file holding an array of objects.
 * @throws SortieError FILE_NOT_FOUND when the file cannot be read; INVALID_INPUT with the file and
 *   line of a ragged row, a malformed quote, a bad header, or JSON that is not an array of objects.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
export async function loadIterationData(file: string, options: { cwd?: string } = {}): Promise<IterationRow[]> {
  const extension = extname(file).toLowerCase();
  if (extension !== '.csv' && extension !== '.json') {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid iteration data', `unsupported file type for ${file}`, {
      location: { file },
      hint: 'iteration data is a .csv file with a header row or a .json array of objects',
    });
  }
  const path = resolve(options.cwd ?? process.cwd(), file);
  const notFound = (error: unknown) =>
    new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read iteration data ${file}`, { location: { file }, cause: error });
  if (extension === '.json') {
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      throw notFound(error);
    });
    return parseJsonRows(text, file);
  }
  const input = createReadStream(path);
  try {
    return await collectCsvRows(readCsv(input, file), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined && !(error instanceof SortieError)) throw notFound(error);
    throw error;
  } finally {
    input.destroy();
  }
}

/** CSV text with a header row → one object per record, values as strings. */
export function parseCsvRows(text: string, file: string): IterationRow[] {
  const rows = new CsvRows(file);
  for (const record of parseCsv(text, file)) rows.add(record);
  return rows.finish();
}

async function collectCsvRows(records: AsyncIterable<CsvRecord>, file: string): Promise<IterationRow[]> {
  const rows = new CsvRows(file);
  for await (const record of records) rows.add(record);
  return rows.finish();
}

/** Records → rows: the first names the columns; every other must have as many fields. */
class CsvRows {
  readonly #file: string;
  #header: CsvRecord | undefined;
  readonly #rows: IterationRow[] = [];

  constructor(file: string) {
    this.#file = file;
  }

  add(record: CsvRecord): void {
    const header = this.#header;
    if (header === undefined) {
      this.#header = checkHeader(record, this.#file);
      return;
    }
    if (record.fields.length !== header.fields.length) {
      const count = (n: number) => `${n} ${n === 1 ? 'field' : 'fields'}`;
      throw createCsvError(
        this.#file,
        record.line,
        `row has ${count(record.fields.length)}, the header row has ${count(header.fields.length)}`,
        'quote values that contain commas or line breaks',
      );
    }
    const row: IterationRow = {};
    header.fields.forEach((name, index) => {
      row[name] = record.fields[index];
    });
    this.#rows.push(row);
  }

  finish(): IterationRow[] {
    if (this.#header === undefined) throw createCsvError(this.#file, 1, 'the file is empty', 'the first row names the columns');
    return this.#rows;
  }
}

function checkHeader(header: CsvRecord, file: string): CsvRecord {
  const seen = new Set<string>();
  for (const [index, name] of header.fields.entries()) {
    if (name.trim() === '') throw createCsvError(file, header.line, `column ${index + 1} of the header row has no name`);
    if (seen.has(name)) throw createCsvError(file, header.line, `column name ${JSON.stringify(name)} appears twice in the header row`);
    seen.add(name);
  }
  return header;
}

/**
 * JSON text holding an array of objects → the objects, values as written. Rows are parsed with
 * JSON.parse: the positional tree of parseSourceText costs about ten times the rows (100,000 rows
 * peaked at 256 MB against 182 MB for the same CSV), so it is built only to say where a problem is.
 */
export function parseJsonRows(text: string, file: string): IterationRow[] {
  const rows = parseFastRows(text);
  if (rows !== undefined) return rows;
  const parsed = parseSourceText(text, file);
  const fail = (path: number[], message: string) =>
    new SortieError(ErrorCode.INVALID_INPUT, 'Invalid iteration data', message, {
      location: parsed.locate(path),
      hint: 'iteration data in JSON is an array of objects, e.g. [{ "user": "ann" }, { "user": "bob" }]',
    });
  if (!Array.isArray(parsed.data)) throw fail([], `expected an array of objects, got ${describeJsonKind(parsed.data)}`);
  return parsed.data.map((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw fail([index], `expected an object at index ${index}, got ${describeJsonKind(item)}`);
    }
    return item as IterationRow;
  });
}

/**
 * The rows, when the text is an array of objects that JSON.parse reads and the nesting limit allows,
 * else undefined (the caller then parses with positions to report the problem). A duplicate
 * property name makes JSON.parse keep the last: such text also goes the careful way.
 */
function parseFastRows(text: string): IterationRow[] | undefined {
  if (findJsonNestingOverflow(text) !== undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  for (const item of value) if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  // As many properties parsed as written: a duplicate name would have been dropped.
  return countParsedProperties(value) === countWrittenProperties(text) ? (value as IterationRow[]) : undefined;
}

/** Properties of every object in a JSON value, nested ones included (walked without recursion). */
function countParsedProperties(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item === null || typeof item !== 'object') continue;
    const values = Array.isArray(item) ? item : Object.values(item);
    if (!Array.isArray(item)) count += values.length;
    for (const child of values) if (child !== null && typeof child === 'object') stack.push(child);
  }
  return count;
}

/** Property names written in valid JSON text: strings followed by a colon. */
function countWrittenProperties(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 0x22) continue;
    for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    let next = i + 1;
    while (next < text.length && /\s/.test(text[next] as string)) next++;
    if (text.charCodeAt(next) === 0x3a) count++;
  }
  return count;
}

function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
