/** Iteration data (`-d`): the rows a data-driven run iterates over, from a CSV or a JSON file. */
import { open } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { assertRegularFile, ErrorCode, fileReadReason, SortieError } from '@sortie/core';
import { bytesInMemory, type IterationDataFormat, type IterationRow, IterationRows, RowBounds, type RowBytes } from './iteration-rows.js';
import { MAX_NESTING } from './nesting.js';
import { type CsvDialect, type CsvRecord, createCsvError, parseCsvRecord, scanCsv } from './parse-csv.js';
import { parseSourceText } from './parse-source.js';
import { changedFileError, fileIdentity, RowFile, releaseNow, sameFile, transientBuffer } from './row-file.js';
import { checkUtf8, checkUtf8Text } from './text-encoding.js';

export { type IterationDataFormat, type IterationRow, IterationRows } from './iteration-rows.js';

/** A data file read and checked: its format and its rows, read by index from the file as the run goes. */
export interface IterationData {
  format: IterationDataFormat;
  rows: IterationRows;
  /**
   * The file's bytes, read again (what a plan that leaves this process carries).
   * @throws SortieError when the file changed since it was checked.
   */
  readBytes(): Buffer;
}

/**
 * Reads iteration data (`file` relative to `cwd`, default the process's working directory, named as given): a `.csv` file with a header row (RFC 4180; every row must have as many
 * fields as the header) or a `.json` file holding an array of objects. Every row is checked once,
 * none is kept: {@link IterationRows.at} parses a row from the bytes when a scenario run needs it.
 * @throws SortieError FILE_NOT_FOUND when the file cannot be read; INVALID_INPUT with the file and
 *   line of a ragged row, a malformed quote, a bad header, or JSON that is not an array of objects.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
export async function loadIterationData(file: string, options: { cwd?: string; csv?: CsvDialect } = {}): Promise<IterationData> {
  const extension = extname(file).toLowerCase();
  if (extension !== '.csv' && extension !== '.json') {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid iteration data', `unsupported file type for ${file}`, {
      location: { file },
      hint: 'iteration data is a .csv file with a header row or a .json array of objects',
    });
  }
  const path = resolve(options.cwd ?? process.cwd(), file);
  const { bytes, identity } = await readIdentified(path).catch((error: unknown) => {
    if (error instanceof SortieError) throw error;
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read iteration data ${file}: ${fileReadReason(error)}`, {
      location: { file },
      cause: error,
    });
  });
  const format: IterationDataFormat = extension === '.json' ? 'json' : options.csv === 'newman' ? 'csv-newman' : 'csv';
  // Checked from the bytes read now; the run then reads its rows from the file, not from these bytes.
  const source = new RowFile(path, file, identity);
  try {
    return { format, rows: findRows(bytes, format, file, source), readBytes: () => source.readAll() };
  } finally {
    releaseNow(bytes);
  }

  /** The bytes of the regular file at `path` and what the file was when they were read (the same before and after). */
  async function readIdentified(path: string) {
    await assertRegularFile(path);
    const handle = await open(path, 'r');
    try {
      const before = fileIdentity(await handle.stat({ bigint: true }));
      const bytes = transientBuffer(Number(before.size));
      for (let done = 0; done < bytes.length; ) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, done);
        if (bytesRead === 0) throw changedFileError(file);
        done += bytesRead;
      }
      if (!sameFile(before, fileIdentity(await handle.stat({ bigint: true })))) throw changedFileError(file);
      return { bytes, identity: before };
    } finally {
      await handle.close();
    }
  }
}

/**
 * Checks the bytes of a data file and finds its rows (`file` names it in errors): what
 * {@link loadIterationData} does after reading the file, and what a plan's receiver does with the
 * bytes the plan carries.
 * @throws SortieError INVALID_INPUT as {@link loadIterationData}.
 */
export function readIterationRows(bytes: Buffer, format: IterationDataFormat, file: string): IterationRows {
  return findRows(bytes, format, file, bytesInMemory(bytes));
}

/** Checks `bytes` and finds their rows, which are then read from `source` (the same bytes, or the file they were read from). */
function findRows(bytes: Buffer, format: IterationDataFormat, file: string, source: RowBytes): IterationRows {
  checkUtf8(bytes, file, 'Invalid iteration data');
  // A Postman run reads CSV as Newman does, which decodes bad bytes to U+FFFD without a word.
  if (format !== 'csv-newman') checkUtf8Text(bytes, file, 'Invalid iteration data');
  if (format === 'json') return readJsonRows(bytes, file, source);
  return readCsvRows(bytes, file, source, format === 'csv-newman' ? 'newman' : 'rfc4180');
}

/** CSV text with a header row → one object per record, values as strings. */
export function parseCsvRows(text: string, file: string): IterationRow[] {
  const bytes = Buffer.from(text);
  return [...readCsvRows(bytes, file, bytesInMemory(bytes))];
}

/**
 * The records of a CSV file: the first names the columns; every other must have as many fields
 * (`rfc4180`). In the `newman` dialect, as Newman does, the header may name a column twice (the
 * later one wins) or not at all, and a row may have fewer (the missing columns are left out of it)
 * or more (the extra fields are dropped).
 */
function readCsvRows(bytes: Buffer, file: string, source: RowBytes, dialect: CsvDialect = 'rfc4180'): IterationRows {
  let header: CsvRecord | undefined;
  let previous = 0;
  const bounds = new RowBounds();
  scanCsv(
    bytes,
    file,
    (record, end) => {
      if (header === undefined) {
        const names = { line: record.line, fields: record.fields.map(String) };
        // Newman keeps a column named twice (the later one wins) or not at all (the name "").
        header = dialect === 'newman' ? names : checkHeader(names, file);
        previous = end;
        return;
      }
      if (dialect === 'rfc4180' && record.fields.length !== header.fields.length) {
        const count = (n: number) => `${n} ${n === 1 ? 'field' : 'fields'}`;
        throw createCsvError(
          file,
          record.line,
          `row has ${count(record.fields.length)}, the header row has ${count(header.fields.length)}`,
          'quote values that contain commas or line breaks',
        );
      }
      bounds.add(previous, end);
      previous = end;
    },
    dialect,
  );
  if (header === undefined) throw createCsvError(file, 1, 'the file is empty', 'the first row names the columns');
  const names = header.fields as string[];
  // Records are contiguous: each starts where the one before ended.
  return IterationRows.fromBounds(source, bounds.finish(), 'none', (data, start, end) => {
    const fields = parseCsvRecord(data, start, end, dialect);
    const count = dialect === 'newman' ? Math.min(names.length, fields.length) : names.length;
    // Own properties: `row["__proto__"] = field` would drop a column named __proto__ (a string is not a prototype).
    const row: IterationRow = Object.fromEntries(names.slice(0, count).map((name, index) => [name, fields[index]]));
    return row;
  });
}

function checkHeader(header: { line: number; fields: string[] }, file: string): CsvRecord {
  const only = header.fields.length === 1 ? header.fields[0] : undefined;
  const separator = only === undefined ? undefined : [';', '\t'].find((candidate) => only.includes(candidate));
  if (separator !== undefined) {
    // Excel writes ";" in the locales whose decimal mark is a comma; the columns would be one, named
    // "user;size", and every {{user}} unresolved.
    const shown = separator === ';' ? '";"' : 'tabs';
    throw createCsvError(
      file,
      header.line,
      `the header row is one column, ${JSON.stringify(only)}: its names are separated by ${shown}, and CSV separates them by "," (RFC 4180)`,
      'save the file with commas (Excel: "CSV UTF-8 (Comma delimited)"), or write the rows as a .json array of objects',
    );
  }
  const seen = new Set<string>();
  for (const [index, name] of header.fields.entries()) {
    if (name.trim() === '') throw createCsvError(file, header.line, `column ${index + 1} of the header row has no name`);
    if (seen.has(name)) throw createCsvError(file, header.line, `column name ${JSON.stringify(name)} appears twice in the header row`);
    seen.add(name);
  }
  return header;
}

/** JSON text holding an array of objects → the objects, values as written. */
export function parseJsonRows(text: string, file: string): IterationRow[] {
  const bytes = Buffer.from(text);
  return [...readJsonRows(bytes, file, bytesInMemory(bytes))];
}

/**
 * The objects of a JSON array, each checked with JSON.parse and dropped. The positional tree of
 * parseSourceText costs about ten times the rows (100,000 rows peaked at 256 MB against 182 MB for
 * the same CSV), so it is built only to say where a problem is.
 */
function readJsonRows(bytes: Buffer, file: string, source: RowBytes): IterationRows {
  const bounds = findJsonRows(bytes);
  if (bounds !== undefined) {
    return IterationRows.fromBounds(
      source,
      bounds.finish(),
      'json',
      (data, start, end) => JSON.parse(data.toString('utf8', start, end)) as IterationRow,
    );
  }
  return IterationRows.fromArray(parseJsonCarefully(bytes.toString('utf8'), file));
}

/** Rows of JSON text the quick reading refused, parsed with positions: every problem is thrown at its place. */
function parseJsonCarefully(text: string, file: string): IterationRow[] {
  const parsed = parseSourceText(text, file, 'Invalid iteration data');
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
 * Where each object of a top-level JSON array lies, or undefined when the bytes are not `[`, objects
 * separated by commas, `]` (whitespace and a byte order mark allowed), nest past MAX_NESTING, or an
 * object is not a plain row ({@link isPlainRow}). Only the brackets are matched here (strings
 * skipped); each object is then checked by JSON.parse.
 * Works on the UTF-8 bytes: the bytes of a multi-byte character are never ASCII, so no `"`, `{` or `\` is mistaken.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-2
 */
function findJsonRows(bytes: Buffer): RowBounds | undefined {
  const n = bytes.length;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const skipSpace = () => {
    for (let c = bytes[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = bytes[++i]);
  };
  const closes = () => {
    i++;
    skipSpace();
    return i === n;
  };
  const bounds = new RowBounds();
  skipSpace();
  if (bytes[i] !== 0x5b) return undefined;
  i++;
  skipSpace();
  if (bytes[i] === 0x5d) return closes() ? bounds : undefined;
  for (;;) {
    if (bytes[i] !== 0x7b) return undefined;
    const start = i;
    // The array is the first level: an object in it opens the second.
    let depth = 1;
    for (; i < n; i++) {
      const c = bytes[i];
      if (c === 0x22) {
        for (i++; i < n && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
      } else if (c === 0x7b || c === 0x5b) {
        if (++depth > MAX_NESTING) return undefined;
      } else if ((c === 0x7d || c === 0x5d) && --depth === 1) break;
    }
    if (i >= n || !isPlainRow(bytes.toString('utf8', start, ++i))) return undefined;
    bounds.add(start, i);
    skipSpace();
    if (bytes[i] === 0x5d) return closes() ? bounds : undefined;
    if (bytes[i] !== 0x2c) return undefined;
    i++;
    skipSpace();
  }
}

/** A row JSON.parse reads with as many properties as written (a duplicate name would have been dropped). */
function isPlainRow(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return countParsedProperties(value) === countWrittenProperties(text);
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
