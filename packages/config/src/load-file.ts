/** Loading input files: read, parse with positions, validate, and fail with every problem at once. */
import { dirname, resolve } from 'node:path';
import {
  type Environment,
  EnvironmentSchema,
  ErrorCode,
  fileReadReason,
  isSortieError,
  type Project,
  ProjectSchema,
  readRegularFile,
  type Scenario,
  ScenarioSchema,
  type ScriptLibrary,
  ScriptLibrarySchema,
  SortieError,
  type SourceLocation,
} from '@sortie/core';
import type * as z from 'zod';
import type { InexactNumber } from './inexact-numbers.js';
import { formatJsonPath, type PathSegment } from './json-path.js';
import { createInputError, findEmptySource, tryParseSource } from './parse-source.js';
import type { LocateTarget, ParsedSource } from './parsed-source.js';
import type { SourceOrigins } from './source-origins.js';
import { checkUtf8, checkUtf8Text, NOT_UTF8 } from './text-encoding.js';
import { validateSource } from './validate-source.js';

export interface LoadedFile<T> {
  value: T;
  /** The path as the caller gave it (relative stays relative); used in every location. */
  file: string;
  /** dirname(file), absolute. */
  dir: string;
  /** The source text as read: a run plan carries it so `locate` can be rebuilt elsewhere. */
  text: string;
  /** Location of a JSON path inside the file (for later runtime errors); see ParsedSource.locate. */
  locate(path: ReadonlyArray<PathSegment>, target?: LocateTarget): SourceLocation;
  /**
   * For a value converted from `text` (a Postman collection): where its parts are written in `text`.
   * `locate` already applies it; a run plan carries it so positions are found again elsewhere.
   */
  origins?: SourceOrigins;
}

/**
 * Loads and validates a scenario file (.json, .yaml or .yml).
 * @throws SortieError FILE_NOT_FOUND when the file cannot be read; INVALID_INPUT titled
 *   "Invalid scenario" with one detail per problem (syntax error, or every validation problem).
 */
export function loadScenario(file: string, options: LoadOptions = {}): Promise<LoadedFile<Scenario>> {
  return loadValidatedFile(file, ScenarioSchema, 'Invalid scenario', options);
}

/**
 * Loads and validates an environment file (.json, .yaml or .yml).
 * @throws SortieError FILE_NOT_FOUND when the file cannot be read; INVALID_INPUT titled
 *   "Invalid environment" with one detail per problem.
 */
export async function loadEnvironment(file: string, options: LoadOptions = {}): Promise<LoadedFile<Environment>> {
  try {
    return await loadValidatedFile(file, EnvironmentSchema, 'Invalid environment', options);
  } catch (error) {
    throw isSortieError(error) ? hintEnvironmentMixUp(error, file) : error;
  }
}

/**
 * Two first-hour mix-ups with -e, told so: a scenario (at its `steps`, not only "unknown property"),
 * and a `.env` file of NAME=value lines (which --variables-file reads), not only "unsupported file type".
 */
function hintEnvironmentMixUp(error: SortieError, file: string): SortieError {
  const dotEnv = /(?:^|[\\/.])env$/i.test(file);
  const index = error.details.findIndex((detail) =>
    dotEnv
      ? detail.title === 'Unsupported file'
      : detail.location?.path === '$' && detail.hint === undefined && detail.message.startsWith('unknown property "steps"'),
  );
  const detail = error.details[index];
  if (detail === undefined) return error;
  const hint = dotEnv
    ? 'a .env file (NAME=value lines) sets variables with --variables-file <file>; -e takes an environment file (.json, .yaml or .yml)'
    : 'this file is a scenario (it has "steps"), not an environment: give it to run as a file, and an environment with -e';
  const hinted = new SortieError(
    detail.code,
    detail.title,
    detail.message,
    detail.location === undefined ? { hint } : { hint, location: detail.location },
  );
  const details = error.details.map((each, at) => (at === index ? hinted : each));
  return new SortieError(error.code, error.title, error.message, {
    details,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.location === undefined ? {} : { location: error.location }),
  });
}

/**
 * Loads and validates a project file (`sortie.config.json`, `.yaml` or `.yml`).
 * @throws SortieError FILE_NOT_FOUND when the file cannot be read; INVALID_INPUT titled
 *   "Invalid project file" with one detail per problem.
 */
export function loadProject(file: string, options: LoadOptions = {}): Promise<LoadedFile<Project>> {
  return loadValidatedFile(file, ProjectSchema, 'Invalid project file', options);
}

/**
 * Loads and validates a script library manifest (`sortie-library.json`).
 * @throws SortieError FILE_NOT_FOUND when the file cannot be read (the reason's `cause` kept);
 *   INVALID_INPUT titled "Invalid script library" with one detail per problem, each at its line and column.
 */
export function loadScriptLibraryManifest(file: string, options: LoadOptions = {}): Promise<LoadedFile<ScriptLibrary>> {
  return loadValidatedFile(file, ScriptLibrarySchema, 'Invalid script library', options);
}

/** Options of the file loaders. */
export interface LoadOptions {
  /** A relative `file` is relative to this folder (default the process's working directory); it is still named as given. */
  cwd?: string;
}

async function loadValidatedFile<T>(file: string, schema: z.ZodType<T>, title: string, options: LoadOptions): Promise<LoadedFile<T>> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  const bytes = await readInputFile(path, file);
  checkUtf8(bytes, file, title);
  // JSON text is UTF-8 (RFC 8259, section 8.1) and so is this YAML (YAML 1.2.2, section 5.2): a file
  // saved as Windows-1252 would read with U+FFFD in place of its accented letters and send them so.
  // Titled as the syntax errors are ("Invalid scenario: f.yaml is not UTF-8 text"), with the byte's place in the detail.
  try {
    checkUtf8Text(bytes, file, NOT_UTF8, 'save it as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)');
  } catch (error) {
    throw createInputError(title, file, [error as SortieError]);
  }
  const text = bytes.toString('utf8');
  const empty = findEmptySource(text, file);
  if (empty !== undefined) throw createInputError(title, file, [empty]);
  const outcome = tryParseSource(text, file);
  if ('errors' in outcome) throw createInputError(title, file, outcome.errors);
  const result = validateSource(schema, outcome.parsed, file, text.length);
  const inexact = (outcome.parsed.inexactNumbers ?? []).map((number) => inexactNumberError(number, outcome.parsed, file));
  if ('errors' in result || inexact.length > 0) {
    const errors = [...('errors' in result ? result.errors : []), ...inexact];
    errors.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
    throw createInputError(title, file, errors);
  }
  return { value: result.value, file, dir: dirname(path), text, locate: outcome.parsed.locate };
}

/**
 * A number the file holds with more precision than it can be read with: refused wherever it is, as
 * it would be sent, stored or compared as another value (inexact-numbers.ts).
 */
function inexactNumberError(number: InexactNumber, parsed: ParsedSource, file: string): SortieError {
  const location = { ...parsed.locate(number.path), file, path: formatJsonPath(number.path) };
  // The digits are not quoted: the value may be a secret (a numeric key or PIN); the place names it.
  const asText = `write it as a string, in quotes${
    number.path.includes('body')
      ? "; a JSON body with such a number can be sent as text: body: { text: '…', contentType: application/json }"
      : ''
  }`;
  const message = Number.isFinite(number.readAs)
    ? `this number has more digits than a number keeps exactly (15 to 17 significant digits, integers up to 2^53): it would be sent, stored or compared as another value`
    : 'this number is beyond the largest number (about 1.8e308)';
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid value', message, { location, hint: asText });
}

/** Reads a file (a regular one: never a pipe or a device, which could block for ever), converting Node's errors into FILE_NOT_FOUND with a readable reason. */
async function readInputFile(path: string, file: string): Promise<Buffer> {
  try {
    return await readRegularFile(path);
  } catch (error) {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${file}: ${fileReadReason(error)}`, {
      location: { file },
      cause: error,
    });
  }
}
