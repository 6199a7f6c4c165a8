/** Chooses the parser by file extension and turns syntax errors into one INVALID_INPUT error. */
import { extname } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { EMPTY_FILE, parseJsonSource } from './parse-json.js';
import { parseYamlSource } from './parse-yaml.js';
import type { ParsedSource, ParseOutcome, SourceFormat } from './parsed-source.js';
import { NOT_UTF8 } from './text-encoding.js';

const FORMATS: Record<string, SourceFormat> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };

/** The format implied by a file name, or undefined for an unsupported extension. */
export function detectSourceFormat(file: string): SourceFormat | undefined {
  return FORMATS[extname(file).toLowerCase()];
}

/**
 * Parses `text` as JSON or YAML (by the extension of `file`), keeping source positions; without
 * throwing. Used by the loaders, which give syntax errors their own title.
 */
export function tryParseSource(text: string, file: string): ParseOutcome {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const format = detectSourceFormat(file);
  if (format === 'json') return parseJsonSource(source, file);
  if (format === 'yaml') return parseYamlSource(source, file);
  const message = `unsupported file type ${JSON.stringify(extname(file) || file)}, expected .json, .yaml or .yml`;
  return { errors: [new SortieError(ErrorCode.INVALID_INPUT, 'Unsupported file', message, { location: { file } })] };
}

/**
 * The problem of a JSON or YAML file that holds no document: only whitespace, or for YAML only
 * comments and document markers (which `yaml` reads as null, and a schema then called "expected an
 * object, got null"); undefined when it holds one. For the loaders, whose files must hold an object.
 * @see https://yaml.org/spec/1.2.2/#91-documents
 */
export function findEmptySource(text: string, file: string): SortieError | undefined {
  const format = detectSourceFormat(file);
  const empty =
    format === 'json'
      ? text.replace(/^\ufeff/, '').trim() === ''
      : format === 'yaml' &&
        text.split(/\r\n|\r|\n/).every((line) => /^\ufeff?\s*(#.*)?$/.test(line) || /^(---|\.\.\.)\s*(#.*)?$/.test(line));
  if (!empty) return undefined;
  const message =
    format === 'json' ? 'the file is empty, expected a JSON value' : 'the file is empty (or holds only comments), expected a YAML document';
  return new SortieError(ErrorCode.INVALID_INPUT, EMPTY_FILE, message, { location: { file, line: 1, column: 1 } });
}

/**
 * Parses JSON or YAML text (by extension: .json, .yaml, .yml) keeping source positions.
 * JSON is strict (no comments, no trailing commas); YAML is one YAML 1.2 document.
 * @throws SortieError INVALID_INPUT with the line and column of the syntax error (in `details`), titled
 *   `title` (what the file is for: "Invalid iteration data"), else after the format ("Invalid JSON").
 * @see https://www.rfc-editor.org/rfc/rfc8259
 * @see https://yaml.org/spec/1.2.2/
 */
export function parseSourceText(text: string, file: string, title?: string): ParsedSource {
  const outcome = tryParseSource(text, file);
  if ('parsed' in outcome) return outcome.parsed;
  const format = detectSourceFormat(file);
  const titled = title ?? (format === 'json' ? 'Invalid JSON' : format === 'yaml' ? 'Invalid YAML' : 'Unsupported file');
  throw createInputError(titled, file, outcome.errors);
}

/** One INVALID_INPUT error for a file, carrying every problem found in `details`. */
export function createInputError(title: string, file: string, problems: SortieError[]): SortieError {
  const syntax = problems.length === 1 && problems[0]?.title === 'Syntax error';
  const format = detectSourceFormat(file);
  const summary = syntax
    ? `${file} is not valid ${format === 'yaml' ? 'YAML' : 'JSON'}`
    : problems.length === 1 && problems[0]?.title === EMPTY_FILE
      ? `${file} is empty`
      : problems.length === 1 && problems[0]?.title === NOT_UTF8
        ? `${file} is not UTF-8 text`
        : problems.length === 1 && problems[0]?.title === 'Unsupported file'
          ? problems[0].message
          : `${file} has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`;
  return new SortieError(ErrorCode.INVALID_INPUT, title, summary, { location: { file }, details: problems });
}
