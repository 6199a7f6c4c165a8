/**
 * Loading Postman files as Sortie inputs: a collection as a scenario, an environment as an
 * environment, globals as global variables. Syntax errors and files that are not what they should
 * be are input errors with their place in the file (exit code 2).
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  checkUtf8,
  checkUtf8Text,
  type LoadedFile,
  originLocator,
  type ParsedSource,
  parseSourceText,
  type SourceOrigins,
  validateSource,
} from '@sortie/config';
import {
  type Environment,
  EnvironmentSchema,
  ErrorCode,
  fileReadReason,
  readRegularFile,
  type Scenario,
  ScenarioSchema,
  SECRET_NAME,
  SECRET_NAME_RULE,
  SortieError,
  type SourceLocation,
} from '@sortie/core';
import type { PmCollection, PmVariableFile } from './collection-types.js';
import { type ConvertCollectionOptions, type ConvertedCollection, convertCollection } from './convert-collection.js';
import { type ConvertedVariableFile, convertVariableFile, variableFileOrigins } from './convert-variables-file.js';
import { detectPostmanValue, isV3CollectionDir, type PostmanFileKind } from './detect.js';
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
  // A folder with no v3 layout (empty, or other files) was read as a collection with no requests, and imported as such.
  if (directory && !(await isV3CollectionDir(path)))
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Not a Postman collection',
      `${file} is not a Postman Collection v3 folder: it has no .resources/definition.yaml and no *.request.yaml file`,
      { location: { file }, hint: 'give the folder Postman wrote, or a v2.0 / v2.1 collection (a JSON file)' },
    );
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
  const { text, parsed } = await readPostmanFile(file, path, 'environment');
  const data = parsed.data as PmVariableFile;
  const converted = convertVariableFile(data);
  const misnamed = Object.keys(converted.secrets).filter((name) => !SECRET_NAME.test(name));
  if (misnamed.length > 0) throw secretNamesError(file, parsed, data, misnamed);
  const environment = toEnvironment(converted);
  // The export as written (its secret values blanked, as a plan carries it), the environment positioned in it.
  const origins = variableFileOrigins(data);
  const locate = originLocator(parsed, origins);
  const loaded = toLoadedFile<Environment>(EnvironmentSchema, environment, file, dirname(path), 'Invalid Postman environment', locate);
  return {
    loaded: {
      ...loaded,
      text: blankSecretValues(text, parsed, 'stars'),
      locate: (jsonPath, target) => ({ ...locate(jsonPath, target), file }),
      origins,
    },
    secrets: converted.secrets,
    writtenSecrets: writtenSecretValues(parsed, file),
  };
}

/**
 * Variables typed secret whose names no `.env` file can set (`my token`): an environment declares its
 * secrets by name, read from the process environment or a .env file. Each is named at its key.
 */
function secretNamesError(file: string, parsed: ParsedSource, data: PmVariableFile, names: string[]): SortieError {
  const problems = names.map((name) => {
    const index = data.values.findLastIndex((entry) => entry !== null && typeof entry === 'object' && entry.key === name);
    return new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid value',
      `the variable "${name}" is typed secret: a secret is read from an environment variable or a .env file, which cannot name "${name}"`,
      {
        location: { ...parsed.locate(['values', index, 'key']), file },
        hint: `name a secret with ${SECRET_NAME_RULE} (api_key, api-key): rename the variable, or type it default`,
      },
    );
  });
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid Postman environment', countProblems(file, problems.length), {
    location: { file },
    details: problems,
  });
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
  const text = await readText(file, path, 'Invalid globals');
  const parsed = parseSourceText(text, file, 'Invalid globals');
  const data = parsed.data as Record<string, unknown> | null;
  const kind = detectPostmanValue(data);
  if (kind === 'globals' || kind === 'environment') {
    checkVariableFile(file, parsed, 'Invalid globals');
    return convertVariableFile(data as unknown as PmVariableFile);
  }
  // Newman takes a bare list of { key, value } as the globals too.
  if (Array.isArray(data) && data.every((entry) => entry !== null && typeof entry === 'object' && typeof entry.key === 'string')) {
    return convertVariableFile({ values: data as PmVariableFile['values'] });
  }
  const variables = data?.variables;
  if (data !== null && typeof data === 'object' && variables !== null && typeof variables === 'object' && !Array.isArray(variables)) {
    return { variables: { ...(variables as Record<string, unknown>) }, secrets: {} };
  }
  throw notA(file, 'globals', 'a Postman globals export ({ "values": [{ "key", "value" }] }) or { "variables": { … } }');
}

/** Reads a Postman file, checking it is of the kind expected. */
async function readPostmanFile(file: string, path: string, expected: PostmanFileKind): Promise<{ text: string; parsed: ParsedSource }> {
  const title = expected === 'collection' ? 'Invalid Postman collection' : 'Invalid environment';
  const text = await readText(file, path, title);
  // JSON exports of any name; YAML for the v3 environment files (`*.environment.yaml`, `*.globals.yaml`).
  const parsed = parseSourceText(text, /\.(json|ya?ml)$/i.test(file) ? file : `${file}.json`, title);
  const kind = detectPostmanValue(parsed.data);
  const accepted = expected === 'environment' ? kind === 'environment' || kind === 'globals' : kind === expected;
  if (!accepted) {
    const what =
      expected === 'collection'
        ? 'a Postman collection (a v2.0 / v2.1 JSON file with an "info" object holding "schema" or "_postman_id", or a v3 folder of YAML files)'
        : 'a Postman environment export (a "values" list of { "key", "value" })';
    throw notA(file, expected, what);
  }
  if (expected === 'collection' && Array.isArray((parsed.data as Record<string, unknown>).requests)) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Postman Collection v1 is not supported',
      `${file} is a Postman Collection v1 (a "requests" list); Sortie runs v2.0, v2.1 and v3 collections`,
      {
        location: { ...locationOf(parsed, ['requests']), file },
        hint: 'open it in Postman and export it again (Export → Collection v2.1)',
      },
    );
  }
  if (expected === 'collection') checkCollection(file, parsed);
  else checkVariableFile(file, parsed, 'Invalid Postman environment');
  return { text, parsed };
}

/**
 * An environment or globals export's `values`: a list of `{ key, value }` objects. A list of another
 * shape was read as a Sortie environment ("unknown property values"), or crashed the loader.
 */
function checkVariableFile(file: string, parsed: ParsedSource, title: string): void {
  const fail: Fail = (at, message) => {
    throw new SortieError(ErrorCode.INVALID_INPUT, title, `${file}: ${message}`, { location: { file, ...locationOf(parsed, at) } });
  };
  const values = (parsed.data as Record<string, unknown>).values;
  if (!Array.isArray(values)) fail(['values'], '"values" must be a list of { "key", "value" }');
  for (const [index, entry] of values.entries()) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      fail(['values', index], 'each entry of "values" must be an object { "key", "value" }');
    const key = (entry as Record<string, unknown>).key;
    if (key !== undefined && typeof key !== 'string') fail(['values', index, 'key'], '"key" must be text');
  }
}

type Fail = (at: Array<string | number>, message: string) => never;

/** The collection's own parts the converter reads (variables, auth, scripts), then its items. */
function checkCollection(file: string, parsed: ParsedSource): void {
  const fail: Fail = (at, message) => {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid Postman collection', `${file}: ${message}`, {
      location: { file, ...locationOf(parsed, at) },
    });
  };
  const collection = parsed.data as Record<string, unknown>;
  checkLevel(collection, [], fail);
  checkItems(collection.item, ['item'], fail);
}

/** What the collection and each folder or request may have: `variable` (a list), `auth` (an object), `event`. */
function checkLevel(owner: Record<string, unknown>, at: Array<string | number>, fail: Fail): void {
  checkList(owner, 'variable', at, fail, '{ "key", "value" }');
  checkObject(owner, 'auth', at, fail);
  checkEvents(owner.event, at, fail);
}

/**
 * `event`: a list of events (or one event object, as the collection SDK reads it) whose `script` is
 * text or an object whose `exec` is text or a list of lines.
 */
function checkEvents(event: unknown, at: Array<string | number>, fail: Fail): void {
  if (event === undefined || event === null) return;
  if (typeof event !== 'object') fail([...at, 'event'], '"event" must be a list of { "listen", "script" }');
  const list = Array.isArray(event) ? event : [event];
  for (const [index, entry] of list.entries()) {
    const where = Array.isArray(event) ? [...at, 'event', index] : [...at, 'event'];
    const script = (entry as { script?: unknown } | null)?.script;
    if (script === undefined || script === null || typeof script === 'string') continue;
    if (!isObject(script)) fail([...where, 'script'], '"script" must be text or an object with "exec"');
    const exec = (script as { exec?: unknown }).exec;
    if (exec === undefined || exec === null || typeof exec === 'string') continue;
    if (!Array.isArray(exec) || exec.some((line) => line !== null && typeof line !== 'string'))
      fail([...where, 'script', 'exec'], '"exec" must be the script as text or a list of lines');
  }
}

/**
 * A request's headers (a list of { key, value } with text keys and scalar values, or v2.0's text), its
 * `body` and `auth` (objects), its form bodies (lists), and its `url` (text, or an object whose `host`
 * and `path` are text or lists and whose `query` and `variable` are lists).
 */
function checkRequest(request: Record<string, unknown>, at: Array<string | number>, fail: Fail): void {
  const header = request.header;
  if (header !== undefined && header !== null && typeof header !== 'string' && !Array.isArray(header))
    fail([...at, 'header'], '"header" must be a list of { "key", "value" }');
  for (const [index, entry] of (Array.isArray(header) ? header : []).entries()) {
    if (!isObject(entry)) continue;
    if (entry.key !== undefined && entry.key !== null && typeof entry.key !== 'string')
      fail([...at, 'header', index, 'key'], 'a header\'s "key" must be a string');
    if (entry.value !== undefined && entry.value !== null && !['string', 'number', 'boolean'].includes(typeof entry.value))
      fail([...at, 'header', index, 'value'], 'a header\'s "value" must be a string');
  }
  checkObject(request, 'body', at, fail);
  checkObject(request, 'auth', at, fail);
  const body = request.body;
  if (isObject(body)) for (const mode of ['urlencoded', 'formdata']) checkList(body, mode, [...at, 'body'], fail, '{ "key", "value" }');
  const url = request.url;
  if (url !== undefined && !isObject(url) && typeof url !== 'string') fail([...at, 'url'], '"url" must be a string or an object');
  if (!isObject(url)) return;
  for (const part of ['host', 'path']) {
    const value = url[part];
    if (value !== undefined && value !== null && typeof value !== 'string' && !Array.isArray(value))
      fail([...at, 'url', part], `"${part}" must be a string or a list`);
  }
  checkList(url, 'query', [...at, 'url'], fail, '{ "key", "value" }');
  checkList(url, 'variable', [...at, 'url'], fail, '{ "key", "value" }');
}

function checkList(owner: Record<string, unknown>, key: string, at: Array<string | number>, fail: Fail, what: string): void {
  const value = owner[key];
  if (value !== undefined && value !== null && !Array.isArray(value)) fail([...at, key], `"${key}" must be a list of ${what}`);
}

function checkObject(owner: Record<string, unknown>, key: string, at: Array<string | number>, fail: Fail): void {
  const value = owner[key];
  if (value !== undefined && value !== null && !isObject(value)) fail([...at, key], `"${key}" must be an object`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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
function checkItems(items: unknown, path: Array<string | number>, fail: Fail): void {
  if (items === undefined) return;
  if (!Array.isArray(items)) fail(path, '"item" must be a list of folders and requests');
  for (const [index, item] of (items as unknown[]).entries()) {
    const at = [...path, index];
    if (!isObject(item)) fail(at, 'each entry of "item" must be a folder or a request (an object)');
    const entry = item as Record<string, unknown>;
    checkLevel(entry, at, fail);
    if (entry.item !== undefined) checkItems(entry.item, [...at, 'item'], fail);
    const request = entry.request;
    if (request === undefined || typeof request === 'string') continue;
    if (!isObject(request)) fail([...at, 'request'], '"request" must be a URL or an object');
    checkRequest(request as Record<string, unknown>, [...at, 'request'], fail);
  }
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

function locationOf(parsed: ParsedSource, path: Array<string | number>): Omit<SourceLocation, 'file'> {
  const where = parsed.locate(path);
  return { line: where.line, column: where.column, path: where.path ?? '$' };
}

function notA(file: string, kind: string, what: string): SortieError {
  return new SortieError(ErrorCode.INVALID_INPUT, `Not a Postman ${kind}`, `${file} is not ${what}`, {
    location: { file, line: 1, column: 1, path: '$' },
  });
}

/** A file's text; one saved as UTF-16 or UTF-32 is refused by name (`title` heads the error), as Sortie's own files are. */
async function readText(file: string, path: string, title: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path);
  } catch (error) {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${file}: ${fileReadReason(error)}`, {
      location: { file },
      cause: error,
    });
  }
  checkUtf8(bytes, file, title);
  // Postman exports UTF-8: one resaved as Windows-1252 would read with U+FFFD in place of its accented letters.
  checkUtf8Text(bytes, file, title, 'save it as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8), or export it from Postman again');
  return bytes.toString('utf8');
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
  /** Where a part of the value is in the user's file, for its errors (default: in the value's own JSON text). */
  locateOrigin?: ParsedSource['locate'],
): LoadedFile<T> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const parsed = parseSourceText(text, 'converted.json');
  const result = validateSource(schema, locateOrigin === undefined ? parsed : { ...parsed, locate: locateOrigin }, file, text.length);
  if ('errors' in result) {
    throw new SortieError(ErrorCode.INVALID_INPUT, title, countProblems(file, result.errors.length), {
      location: { file },
      details: result.errors,
    });
  }
  return { value: result.value, file, dir, text, locate: parsed.locate };
}
