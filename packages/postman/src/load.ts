/**
 * Loading Postman files as Sortie inputs: a collection as a scenario, an environment as an
 * environment, globals as global variables. Syntax errors and files that are not what they should
 * be are input errors with their place in the file (exit code 2).
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type LoadedFile, originLocator, type ParsedSource, parseSourceText, type SourceOrigins, validateSource } from '@sortie/config';
import {
  type Environment,
  EnvironmentSchema,
  ErrorCode,
  fileReadReason,
  readRegularFile,
  type Scenario,
  ScenarioSchema,
  SortieError,
  type SourceLocation,
} from '@sortie/core';
import type { PmCollection, PmVariableFile } from './collection-types.js';
import { type ConvertCollectionOptions, type ConvertedCollection, convertCollection } from './convert-collection.js';
import { type ConvertedVariableFile, convertVariableFile } from './convert-variables-file.js';
import { detectPostmanValue, type PostmanFileKind } from './detect.js';
import { readV3Collection } from './read-v3.js';
import { blankSecretValues, writtenSecretValues } from './secret-values.js';

/** A collection loaded as a scenario: the file the plan carries (converted text, no secret in it) and what the conversion found. */
export interface LoadedCollection extends Omit<ConvertedCollection, 'scenario' | 'origins'> {
  loaded: LoadedFile<Scenario>;
}

export interface LoadCollectionOptions {
  /** Relative paths resolve here (default: the process's working directory). */
  cwd?: string;
  /** `--working-dir`: where relative form-data and file body paths resolve (default: the collection's folder). */
  workingDir?: string;
  /** `--folder` names. */
  folders?: readonly string[];
}

/**
 * Loads a Postman collection — a v2.0 / v2.1 JSON file, or a v3 folder of YAML files — and converts it into a scenario.
 * @throws SortieError FILE_NOT_FOUND; INVALID_INPUT for malformed JSON, a file that is not a collection, or one of a
 * shape the converter cannot read or whose requests cannot run (a method that is not one, an OAuth 2.0 grant without its URL).
 */
export async function loadCollectionFile(file: string, options: LoadCollectionOptions = {}): Promise<LoadedCollection> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  // A folder is a Collection v3 (YAML files); a file a v2.0 / v2.1 collection (JSON).
  const directory = (await stat(path).catch(() => undefined))?.isDirectory() === true;
  const v3 = directory ? await readV3Collection(path, file) : undefined;
  const read = v3 === undefined ? await readPostmanFile(file, path, 'collection') : undefined;
  const collection = v3?.collection ?? (read?.parsed.data as PmCollection);
  // The scenario's paths are relative to the folder holding the input (a v3 collection's parent), as the plan names
  // the scenario by the input's own path; a v3 collection's file paths are relative to its folder (its working directory).
  const collectionDir = dirname(path);
  const convertOptions: ConvertCollectionOptions = { collectionDir };
  if (directory) convertOptions.workingDir = path;
  if (options.workingDir !== undefined) convertOptions.workingDir = resolve(options.cwd ?? process.cwd(), options.workingDir);
  if (options.folders !== undefined) convertOptions.folders = options.folders;
  const { scenario, notes, origins, ...rest } = convertCollection(collection, convertOptions);
  const loaded =
    read === undefined
      ? toLoadedFile(ScenarioSchema, scenario, file, collectionDir, 'Invalid Postman collection')
      : fromCollectionText(scenario, file, collectionDir, read, origins);
  return { loaded, notes: [...(v3?.notes ?? []), ...notes], ...rest };
}

/**
 * A v2 collection's scenario, positioned in the collection as the user wrote it: errors point at the
 * item, URL, header or script they come from (see convertCollection's origins). The text carried is
 * the collection's own, with the values of its variables typed `secret` blanked out.
 */
function fromCollectionText(
  scenario: Scenario,
  file: string,
  dir: string,
  read: { text: string; parsed: ParsedSource },
  origins: SourceOrigins,
): LoadedFile<Scenario> {
  const locateOrigin = originLocator(read.parsed, origins);
  // The collection's name as given, even when it was parsed as `<name>.json`.
  const locate: ParsedSource['locate'] = (path, target) => ({ ...locateOrigin(path, target), file });
  const result = validateSource(ScenarioSchema, { data: scenario, format: 'json', locate }, file, read.text.length);
  if ('errors' in result) {
    // What the collection says cannot run here (a method that is not one, an OAuth 2.0 grant without its URL…):
    // invalid input, at the place in the collection.
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid Postman collection', countProblems(file, result.errors.length), {
      location: { file },
      details: result.errors.map((error) => atCollectionPath(error, locate)),
    });
  }
  const text = blankSecretValues(read.text, read.parsed, 'stars');
  return { value: result.value, file, dir, text, locate, origins };
}

/** An environment export loaded as a Sortie environment: secret values are declared as `secrets` and returned apart. */
export interface LoadedPostmanEnvironment {
  loaded: LoadedFile<Environment>;
  secrets: Record<string, string>;
  /**
   * The variables typed `secret` (enabled or not) whose value is written in the file, and where: a
   * bundle sent to a server must not have them (`sortie run --remote` empties them).
   */
  writtenSecrets: Array<{ name: string; location: SourceLocation }>;
}

/**
 * Loads a Postman environment export as an environment (values typed `secret` become declared secrets).
 * @throws SortieError FILE_NOT_FOUND; INVALID_INPUT for malformed JSON or a file that is not an environment.
 */
export async function loadEnvironmentFile(file: string, options: { cwd?: string } = {}): Promise<LoadedPostmanEnvironment> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  const { parsed } = await readPostmanFile(file, path, 'environment');
  const converted = convertVariableFile(parsed.data as PmVariableFile);
  const environment = toEnvironment(converted);
  return {
    loaded: toLoadedFile(EnvironmentSchema, environment, file, dirname(path), 'Invalid Postman environment'),
    secrets: converted.secrets,
    writtenSecrets: writtenSecretValues(parsed, file),
  };
}

/** A Sortie environment of a converted Postman environment. */
export function toEnvironment(converted: ConvertedVariableFile): Environment {
  const environment: Environment = { variables: converted.variables };
  if (converted.name !== undefined) environment.name = converted.name;
  const secrets = Object.keys(converted.secrets);
  if (secrets.length > 0) environment.secrets = secrets;
  return environment;
}

/**
 * Reads a globals file for `-g`: a Postman globals (or environment) export, or a variables file
 * written by `--export-globals` (`{ name, variables }`).
 * @throws SortieError FILE_NOT_FOUND; INVALID_INPUT for anything else.
 */
export async function readGlobalsFile(file: string, options: { cwd?: string } = {}): Promise<ConvertedVariableFile> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  const text = await readText(file, path);
  const parsed = parseSourceText(text, file);
  const data = parsed.data as Record<string, unknown> | null;
  const kind = detectPostmanValue(data);
  if (kind === 'globals' || kind === 'environment') return convertVariableFile(data as unknown as PmVariableFile);
  const variables = data?.variables;
  if (data !== null && typeof data === 'object' && variables !== null && typeof variables === 'object' && !Array.isArray(variables)) {
    return { variables: { ...(variables as Record<string, unknown>) }, secrets: {} };
  }
  throw notA(file, 'globals', 'a Postman globals export ({ "values": [{ "key", "value" }] }) or { "variables": { … } }');
}

/** Reads a Postman file, checking it is of the kind expected. */
async function readPostmanFile(file: string, path: string, expected: PostmanFileKind): Promise<{ text: string; parsed: ParsedSource }> {
  const text = await readText(file, path);
  // JSON exports of any name; YAML for the v3 environment files (`*.environment.yaml`, `*.globals.yaml`).
  const parsed = parseSourceText(text, /\.(json|ya?ml)$/i.test(file) ? file : `${file}.json`);
  const kind = detectPostmanValue(parsed.data);
  const accepted = expected === 'environment' ? kind === 'environment' || kind === 'globals' : kind === expected;
  if (!accepted) {
    const what =
      expected === 'collection'
        ? 'a Postman collection (a v2.0 / v2.1 JSON file with an "info" object holding "schema" or "_postman_id", or a v3 folder of YAML files)'
        : 'a Postman environment export (a "values" list of { "key", "value" })';
    throw notA(file, expected, what);
  }
  if (expected === 'collection') checkCollection(file, parsed);
  return { text, parsed };
}

/**
 * The shape the converter relies on, checked before it runs: `item` lists of objects (folders with
 * their own `item` list, requests), a request that is a URL string or an object whose `url` is a
 * string or an object; `event` and `variable` lists at every level, each event's script a string or
 * an object whose `exec` is a string or a list of strings; a request's `header` a list (each `key` a string, each
 * `value` a string, number or boolean) or a string,
 * its `body` and `auth` objects; a URL object's `host` and `path` strings or lists, its `query` and
 * `variable` lists.
 */
function checkCollection(file: string, parsed: ReturnType<typeof parseSourceText>): void {
  const fail = (at: Array<string | number>, message: string): never => {
    const where = parsed.locate(at);
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid Postman collection', `${file}: ${message}`, {
      location: { file, line: where.line, column: where.column, path: where.path ?? '$' },
    });
  };
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  const list = (owner: Record<string, unknown>, key: string, at: Array<string | number>, what: string): void => {
    if (owner[key] !== undefined && owner[key] !== null && !Array.isArray(owner[key]))
      fail([...at, key], `"${key}" must be a list of ${what}`);
  };
  const textOrList = (owner: Record<string, unknown>, key: string, at: Array<string | number>): void => {
    const value = owner[key];
    if (value !== undefined && value !== null && typeof value !== 'string' && !Array.isArray(value))
      fail([...at, key], `"${key}" must be a string or a list`);
  };
  const object = (owner: Record<string, unknown>, key: string, at: Array<string | number>, what: string): void => {
    if (owner[key] !== undefined && owner[key] !== null && !isObject(owner[key])) fail([...at, key], `"${key}" must be ${what}`);
  };
  const level = (owner: Record<string, unknown>, at: Array<string | number>): void => {
    list(owner, 'variable', at, 'variables');
    list(owner, 'event', at, 'events');
    object(owner, 'auth', at, 'an object');
    for (const [index, event] of ((owner.event as unknown[] | undefined) ?? []).entries()) {
      if (!isObject(event)) continue;
      const script = event.script;
      const scriptAt = [...at, 'event', index, 'script'];
      if (script !== undefined && script !== null && typeof script !== 'string' && !isObject(script))
        fail(scriptAt, '"script" must be a string or an object');
      if (!isObject(script)) continue;
      const exec = script.exec;
      if (
        exec !== undefined &&
        exec !== null &&
        typeof exec !== 'string' &&
        !(Array.isArray(exec) && exec.every((line) => typeof line === 'string'))
      )
        fail([...scriptAt, 'exec'], '"exec" must be a string or a list of strings');
    }
  };
  const items = (value: unknown, at: Array<string | number>): void => {
    if (value === undefined) return;
    if (!Array.isArray(value)) fail(at, '"item" must be a list of folders and requests');
    for (const [index, item] of (value as unknown[]).entries()) {
      const itemAt = [...at, index];
      if (!isObject(item)) fail(itemAt, 'each entry of "item" must be a folder or a request (an object)');
      const entry = item as Record<string, unknown>;
      level(entry, itemAt);
      if (entry.item !== undefined) items(entry.item, [...itemAt, 'item']);
      const request = entry.request;
      if (request === undefined || typeof request === 'string') continue;
      const requestAt = [...itemAt, 'request'];
      if (!isObject(request)) fail(requestAt, '"request" must be a URL or an object');
      const fields = request as Record<string, unknown>;
      textOrList(fields, 'header', requestAt);
      for (const [index, header] of (Array.isArray(fields.header) ? fields.header : []).entries()) {
        if (!isObject(header)) continue;
        const headerAt = [...requestAt, 'header', index];
        if (header.key !== undefined && header.key !== null && typeof header.key !== 'string')
          fail([...headerAt, 'key'], 'a header\'s "key" must be a string');
        if (header.value !== undefined && header.value !== null && !['string', 'number', 'boolean'].includes(typeof header.value))
          fail([...headerAt, 'value'], 'a header\'s "value" must be a string');
      }
      object(fields, 'body', requestAt, 'an object');
      object(fields, 'auth', requestAt, 'an object');
      const url = fields.url;
      if (url !== undefined && !isObject(url) && typeof url !== 'string')
        fail([...requestAt, 'url'], '"url" must be a string or an object');
      if (!isObject(url)) continue;
      const urlAt = [...requestAt, 'url'];
      textOrList(url, 'host', urlAt);
      textOrList(url, 'path', urlAt);
      list(url, 'query', urlAt, 'parameters');
      list(url, 'variable', urlAt, 'variables');
    }
  };
  const collection = parsed.data as Record<string, unknown>;
  level(collection, []);
  items(collection.item, ['item']);
}

/** A problem of the converted scenario with the JSON path of its place in the collection (`$.item[0].request.method`), as its line and column are. */
function atCollectionPath(error: SortieError, locate: ParsedSource['locate']): SortieError {
  const shown = error.location;
  const segments = shown?.path === undefined ? undefined : parseJsonPath(shown.path);
  if (shown === undefined || segments === undefined) return error;
  const location = { ...shown, path: locate(segments).path ?? shown.path };
  return new SortieError(error.code, error.title, error.message, { ...(error.hint === undefined ? {} : { hint: error.hint }), location });
}

/** The segments of a path formatJsonPath wrote (`$.steps[0]["a b"]`), or undefined for any other text. */
function parseJsonPath(text: string): Array<string | number> | undefined {
  if (!text.startsWith('$')) return undefined;
  const segment = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  const segments: Array<string | number> = [];
  segment.lastIndex = 1;
  while (segment.lastIndex < text.length) {
    const match = segment.exec(text);
    if (match === null) return undefined;
    segments.push(match[1] ?? (match[2] === undefined ? (JSON.parse(match[3]!) as string) : Number(match[2])));
  }
  return segments;
}

function countProblems(file: string, count: number): string {
  return `${file} has ${count} ${count === 1 ? 'problem' : 'problems'}`;
}

function notA(file: string, kind: string, what: string): SortieError {
  return new SortieError(ErrorCode.INVALID_INPUT, `Not a Postman ${kind}`, `${file} is not ${what}`, {
    location: { file, line: 1, column: 1, path: '$' },
  });
}

async function readText(file: string, path: string): Promise<string> {
  try {
    return await readRegularFile(path, 'utf8');
  } catch (error) {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${file}: ${fileReadReason(error)}`, {
      location: { file },
      cause: error,
    });
  }
}

/**
 * The converted value as a loaded file: validated (defaults applied) and carried as its own JSON text,
 * so positions of later errors point into that text and the original's secret values are not carried.
 */
function toLoadedFile<T>(
  schema: Parameters<typeof validateSource<T>>[0],
  value: unknown,
  file: string,
  dir: string,
  title: string,
): LoadedFile<T> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const parsed = parseSourceText(text, 'converted.json');
  const result = validateSource(schema, parsed, file, text.length);
  if ('errors' in result) {
    throw new SortieError(ErrorCode.INVALID_INPUT, title, countProblems(file, result.errors.length), {
      location: { file },
      details: result.errors,
    });
  }
  return { value: result.value, file, dir, text, locate: parsed.locate };
}
