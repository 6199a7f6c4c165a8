/** An RFC 4180 CSV reader for iteration data: records with the line each starts on. */
import { ErrorCode, SortieError } from '@sortie/core';

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

/**
 * Splits CSV text into records per RFC 4180: fields separated by commas, records by CRLF or LF;
 * a field in double quotes may hold commas, line breaks and `""` (one quote). A UTF-8 byte order
 * mark is skipped and empty lines between records are ignored. A quote inside an unquoted field is
 * kept as written. Nothing is trimmed and every value stays a string.
 * @throws SortieError INVALID_INPUT at `file:line` for an unterminated quoted field or text after a closing quote.
 * @see https://www.rfc-editor.org/rfc/rfc4180#section-2
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    // Empty lines between records carry no data.
    const lineEnd = readLineBreak(source, i);
    if (lineEnd > 0) {
      i += lineEnd;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (source[i] === '"') {
        // 2.5–2.7: a quoted field; "" is an escaped quote, line breaks are part of the value.
        const opened = line;
        i++;
        for (;;) {
          if (i >= source.length) throw createCsvError(file, opened, 'unterminated quoted field', 'close the field with "');
          const char = source[i];
          if (char === '"') {
            if (source[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (char === '\n' || (char === '\r' && source[i + 1] !== '\n')) line++;
          field += char;
          i++;
        }
        if (i < source.length && source[i] !== ',' && readLineBreak(source, i) === 0) {
          throw createCsvError(file, line, 'unexpected text after a closing quote', 'write a quote inside a quoted field as ""');
        }
      } else {
        while (i < source.length && source[i] !== ',' && readLineBreak(source, i) === 0) field += source[i++];
      }
      fields.push(field);
      if (source[i] === ',') {
        i++;
        continue;
      }
      const lineBreak = readLineBreak(source, i);
      i += lineBreak;
      if (lineBreak > 0) line++;
      break;
    }
    records.push({ line: start, fields });
  }
  return records;
}

/** Length of the line break at `i` (CRLF, LF or a lone CR), 0 when there is none. */
function readLineBreak(text: string, i: number): number {
  const char = text[i];
  if (char === '\n') return 1;
  if (char === '\r') return text[i + 1] === '\n' ? 2 : 1;
  return 0;
}

/** An INVALID_INPUT error for a CSV file at a line. */
export function createCsvError(file: string, line: number, message: string, hint?: string): SortieError {
  const options = hint === undefined ? { location: { file, line } } : { location: { file, line }, hint };
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid iteration data', message, options);
}
