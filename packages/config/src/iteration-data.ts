/** Iteration data (`-d`): the rows a data-driven run iterates over, from a CSV or a JSON file. */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { createCsvError, parseCsv } from './parse-csv.js';
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
  let text: string;
  try {
    text = await readFile(resolve(options.cwd ?? process.cwd(), file), 'utf8');
  } catch (error) {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read iteration data ${file}`, {
      location: { file },
      cause: error,
    });
  }
  return extension === '.csv' ? parseCsvRows(text, file) : parseJsonRows(text, file);
}

/** CSV text with a header row → one object per record, values as strings. */
export function parseCsvRows(text: string, file: string): IterationRow[] {
  const [header, ...records] = parseCsv(text, file);
  if (header === undefined) throw createCsvError(file, 1, 'the file is empty', 'the first row names the columns');
  const seen = new Set<string>();
  for (const [index, name] of header.fields.entries()) {
    if (name.trim() === '') throw createCsvError(file, header.line, `column ${index + 1} of the header row has no name`);
    if (seen.has(name)) throw createCsvError(file, header.line, `column name ${JSON.stringify(name)} appears twice in the header row`);
    seen.add(name);
  }
  return records.map((record) => {
    if (record.fields.length !== header.fields.length) {
      const count = (n: number) => `${n} ${n === 1 ? 'field' : 'fields'}`;
      throw createCsvError(
        file,
        record.line,
        `row has ${count(record.fields.length)}, the header row has ${count(header.fields.length)}`,
        'quote values that contain commas or line breaks',
      );
    }
    const row: IterationRow = {};
    header.fields.forEach((name, index) => {
      row[name] = record.fields[index];
    });
    return row;
  });
}

/** JSON text holding an array of objects → the objects, values as written. */
export function parseJsonRows(text: string, file: string): IterationRow[] {
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

function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
