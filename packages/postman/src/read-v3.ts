/**
 * Postman Collection format 3.0.0 (Postman 12+): a folder of YAML files, read into the same
 * v2.1-shaped collection object the JSON path reads, so that one converter ({@link convertCollection})
 * holds the semantics of both. What is read, and from where:
 * - any folder is a collection root; sub-folders are folders; `*.request.yaml` (or `.yml`) files are
 *   requests; `.resources/definition.yaml` holds a collection's or folder's metadata (name, auth,
 *   variables, scripts, order); `.resources/<request>.resources/` holds a request's examples
 *   (learning.postman.com/docs/collections/collections-schemas, "File and directory structure");
 * - the field shapes of the files are those of Postman's own `collection-schema-v3` agent skill
 *   (github.com/postmanlabs/postman-plugin, skills/collection-schema-v3/SKILL.md and
 *   reference/other_entities.md, other_protocols.md).
 * Anything the documentation does not describe is refused with its place, never guessed.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type ParsedSource, type PathSegment, parseSourceText } from '@sortie/config';
import { ErrorCode, fileReadReason, readRegularFile, SortieError } from '@sortie/core';
import sdk from 'postman-collection';
import type { PmAuth, PmBody, PmCollection, PmEvent, PmFormParam, PmHeader, PmItem, PmUrlObject, PmVariable } from './collection-types.js';
import type { ConversionNote } from './convert-collection.js';
import { DEFINITION, REQUEST_FILE } from './detect.js';

/** Request kinds the v3 documentation lists; only HTTP and GraphQL (over HTTP) run in Sortie. */
const REQUEST_KINDS = new Set([
  'http-request',
  'graphql-request',
  'grpc-request',
  'websocket-request',
  'socket.io-request',
  'mqtt-request',
  'mcp-request',
  'llm-request',
]);
/** v3 request body types that are Postman's raw-body languages in v2.1. */
const RAW_TYPES = new Set(['json', 'text', 'xml', 'html', 'javascript']);

/** A v3 collection as a v2.1-shaped collection, and what the reader wants the user to know. */
export interface ReadV3Collection {
  collection: PmCollection;
  notes: ConversionNote[];
}

interface Reader {
  /** The real path of the root, for the escape checks. */
  root: string;
  /** The root as the user named it (error locations). */
  display: string;
  notes: ConversionNote[];
}

interface Ordered {
  order: number | undefined;
  name: string;
  item: PmItem;
}

/**
 * Reads the collection rooted at `dir` (`display` is how the user named it).
 * @throws SortieError INVALID_INPUT with file, line and column: bad YAML, an unknown `$kind`, a field of the wrong
 *   shape, a path that leaves the collection's folder.
 */
export async function readV3Collection(dir: string, display: string): Promise<ReadV3Collection> {
  const reader: Reader = { root: await realpath(dir), display, notes: [] };
  const rootName = baseName(display);
  const definition = await readDefinition(reader, dir, '');
  const name = definition?.name ?? rootName;
  const collection: PmCollection = {
    info: { name, schema: 'https://schema.postman.com/collection/v3.0.0' },
    item: await readFolderItems(reader, dir, '', undefined),
  };
  if (definition !== undefined) {
    if (definition.auth !== undefined) collection.auth = definition.auth;
    if (definition.event.length > 0) collection.event = definition.event;
    if (definition.variable.length > 0) collection.variable = definition.variable;
    if (definition.behaviour !== undefined) collection.protocolProfileBehavior = definition.behaviour;
  }
  return { collection, notes: reader.notes };
}

interface Definition {
  name?: string;
  order?: number;
  auth?: PmAuth;
  event: PmEvent[];
  variable: PmVariable[];
  behaviour?: Record<string, unknown>;
}

/** A folder's items (sub-folders and requests) in their `order`, then by name. */
async function readFolderItems(reader: Reader, dir: string, rel: string, path: string | undefined): Promise<PmItem[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const items: Ordered[] = [];
  for (const entry of entries) {
    const entryRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    await checkInside(reader, full, entryRel);
    const info = entry.isSymbolicLink() ? await stat(full).catch((error: unknown) => unreadable(reader, entryRel, error)) : entry;
    if (info.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      const definition = await readDefinition(reader, full, entryRel);
      const name = definition?.name ?? entry.name;
      const folderPath = path === undefined ? name : `${path}/${name}`;
      const children = await readFolderItems(reader, full, entryRel, folderPath);
      // A folder with no request below it and no definition holds other files (form-data files, say): not a folder of the collection.
      if (children.length === 0 && definition === undefined) continue;
      const folder: PmItem = { name, item: children };
      if (definition !== undefined) {
        if (definition.auth !== undefined) folder.auth = definition.auth;
        if (definition.event.length > 0) folder.event = definition.event;
        if (definition.behaviour !== undefined) folder.protocolProfileBehavior = definition.behaviour;
        if (definition.variable.length > 0) {
          reader.notes.push({
            path: folderPath,
            message: 'folder variables are not used (as for v2.1 folders): define them on the collection',
            level: 'warning',
          });
        }
      }
      items.push({ order: definition?.order, name, item: folder });
    } else if (info.isFile() && REQUEST_FILE.test(entry.name)) {
      items.push(await readRequest(reader, full, entryRel, entry.name.replace(REQUEST_FILE, ''), path));
    }
  }
  items.sort(byOrder);
  return items.map((entry) => entry.item);
}

/** Ordered by `order` (numbers, compared), those without one after them; ties by name (code points). */
function byOrder(a: Ordered, b: Ordered): number {
  if (a.order !== undefined && b.order !== undefined && a.order !== b.order) return a.order - b.order;
  if (a.order !== undefined && b.order === undefined) return -1;
  if (a.order === undefined && b.order !== undefined) return 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Reads `<dir>/.resources/definition.yaml` when there is one. */
async function readDefinition(reader: Reader, dir: string, rel: string): Promise<Definition | undefined> {
  const names = await readdir(join(dir, '.resources')).catch(() => [] as string[]);
  const file = names.find((name) => DEFINITION.test(name));
  if (file === undefined) return undefined;
  const fileRel = `${rel === '' ? '' : `${rel}/`}.resources/${file}`;
  const full = join(dir, '.resources', file);
  await checkInside(reader, full, fileRel);
  const doc = await parseFile(reader, full, fileRel);
  const data = doc.data;
  if (data.$kind !== 'collection') {
    throw invalid(doc, ['$kind'], `"$kind" of a definition file must be "collection", got ${describe(data.$kind)}`);
  }
  const definition: Definition = { event: [], variable: [] };
  const name = optionalString(doc, data, 'name');
  if (name !== undefined && name !== '') definition.name = name;
  const order = optionalNumber(doc, data, 'order');
  if (order !== undefined) definition.order = order;
  if (data.auth !== undefined && data.auth !== null) definition.auth = readAuth(doc, data.auth, ['auth']);
  definition.event = readScripts(doc, data.scripts, 'definition');
  definition.variable = readList(doc, data.variables, ['variables']).map(({ value, at }) => readVariable(doc, value, at));
  return definition;
}

async function readRequest(reader: Reader, full: string, rel: string, stem: string, parentPath: string | undefined): Promise<Ordered> {
  const doc = await parseFile(reader, full, rel);
  const data = doc.data;
  const kind = data.$kind;
  if (typeof kind !== 'string' || !REQUEST_KINDS.has(kind)) {
    const expected = [...REQUEST_KINDS].map((known) => `"${known}"`).join(', ');
    throw invalid(doc, ['$kind'], `"$kind" of a request file must be one of ${expected}, got ${describe(kind)}`);
  }
  const name = optionalString(doc, data, 'name') || stem;
  const order = optionalNumber(doc, data, 'order');
  const itemPath = parentPath === undefined ? name : `${parentPath}/${name}`;
  const item: PmItem = { name };
  if (kind !== 'http-request' && kind !== 'graphql-request') {
    item.unsupported = `a ${kind} is not an HTTP request: Sortie runs http-request and graphql-request`;
    item.request = { url: typeof data.url === 'string' ? data.url : '', method: 'GET' };
    return { order, name, item };
  }
  const resources = join(full, '..', '.resources', `${stem}.resources`, 'scripts');
  if ((await readdir(resources).catch(() => [] as string[])).length > 0) {
    // Postman's page names a scripts folder here but no documentation gives the shape of its files.
    item.unsupported = `its scripts are files in .resources/${stem}.resources/scripts/, a part of the v3 format whose shape Postman does not document (write them inline as "scripts")`;
  }
  if (typeof data.examples === 'string') checkPath(reader, doc, data.examples, ['examples'], join(full, '..'));
  const url = optionalString(doc, data, 'url') ?? '';
  const urlObject: PmUrlObject = { raw: url };
  if (data.queryParams !== undefined) {
    urlObject.query = readPairs(doc, data.queryParams, ['queryParams']).map((pair) => ({
      key: pair.key,
      value: pair.value,
      ...(pair.disabled ? { disabled: true } : {}),
    }));
  }
  if (data.pathVariables !== undefined) {
    urlObject.variable = readPairs(doc, data.pathVariables, ['pathVariables']).map((pair) => ({ key: pair.key, value: pair.value }));
  }
  const request: NonNullable<Exclude<PmItem['request'], string>> = {
    url: urlObject.query === undefined && urlObject.variable === undefined ? url : withParts(urlObject),
    method: kind === 'graphql-request' ? 'POST' : (optionalString(doc, data, 'method') ?? 'GET'),
  };
  if (data.headers !== undefined) request.header = readPairs(doc, data.headers, ['headers']) as PmHeader[];
  if (data.auth !== undefined && data.auth !== null) request.auth = readAuth(doc, data.auth, ['auth']);
  if (kind === 'graphql-request') {
    item.protocol = 'graphql';
    const query = optionalString(doc, data, 'query') ?? '';
    const variables = optionalString(doc, data, 'variables');
    request.body = { mode: 'graphql', graphql: { query, ...(variables === undefined ? {} : { variables }) } };
  } else if (data.body !== undefined && data.body !== null) {
    const body = readBody(reader, doc, data.body);
    if (body !== undefined) request.body = body;
  }
  item.request = request;
  const events = readScripts(doc, data.scripts, kind === 'graphql-request' ? 'graphql' : 'http');
  if (events.length > 0) item.event = events;
  const behaviour = readSettings(reader, doc, data.settings, itemPath);
  if (behaviour !== undefined) item.protocolProfileBehavior = behaviour;
  return { order, name, item };
}

/** The URL parts, read from the text by the collection SDK (as Newman reads v2.1's `raw`); the query and path-variable lists win over the text's. */
function withParts(url: PmUrlObject): PmUrlObject {
  const parts = sdk.Url.parse(url.raw ?? '') as PmUrlObject;
  if (url.query !== undefined) parts.query = url.query;
  if (url.variable !== undefined) parts.variable = url.variable;
  return parts;
}

/** `{ type, content }` → the v2.1 body of that mode. */
function readBody(reader: Reader, doc: Doc, value: unknown): PmBody | undefined {
  const body = record(doc, value, ['body']);
  const type = body.type;
  if (typeof type !== 'string') throw invalid(doc, ['body', 'type'], `"body.type" must be a string, got ${describe(type)}`);
  const content = body.content;
  if (type === 'none') return undefined;
  if (RAW_TYPES.has(type)) {
    if (content !== undefined && content !== null && typeof content !== 'string') {
      throw invalid(doc, ['body', 'content'], `"body.content" of a ${type} body must be a string, got ${describe(content)}`);
    }
    return { mode: 'raw', raw: content ?? '', options: { raw: { language: type } } };
  }
  if (type === 'urlencoded') {
    return { mode: 'urlencoded', urlencoded: readPairs(doc, content ?? [], ['body', 'content']) as PmFormParam[] };
  }
  if (type === 'formdata') {
    const fields = readList(doc, content ?? [], ['body', 'content']).map(({ value: field, at }) => {
      const entry = record(doc, field, at) as PmFormParam & Record<string, unknown>;
      if (typeof entry.key !== 'string') throw invalid(doc, [...at, 'key'], `"key" must be a string, got ${describe(entry.key)}`);
      const sources = Array.isArray(entry.src) ? entry.src : typeof entry.src === 'string' ? [entry.src] : [];
      sources.forEach((src, index) => {
        checkPath(reader, doc, src, Array.isArray(entry.src) ? [...at, 'src', index] : [...at, 'src'], reader.root);
      });
      return entry;
    });
    return { mode: 'formdata', formdata: fields };
  }
  if (type === 'file') {
    const file = record(doc, content ?? {}, ['body', 'content']);
    if (typeof file.src !== 'string')
      throw invalid(doc, ['body', 'content', 'src'], `"body.content.src" of a file body must be a path, got ${describe(file.src)}`);
    checkPath(reader, doc, file.src, ['body', 'content', 'src'], reader.root);
    return { mode: 'file', file: { src: file.src } };
  }
  // Not a documented body type: the request is reported as one that cannot run (the converter's message).
  return { mode: type };
}

/** `{ type, credentials }` (credentials a map or a list of `{ key, value }`) → a v2.1 auth. A list is multiAuth. */
function readAuth(doc: Doc, value: unknown, at: PathSegment[]): PmAuth {
  if (Array.isArray(value)) {
    // multiAuth: Postman documents the field names (id, name, type, credentials, rules) but not how rules choose.
    return { type: 'multiAuth (a list of auths with rules, whose selection Postman does not document)' };
  }
  const auth = record(doc, value, at);
  const type = auth.type;
  if (typeof type !== 'string') throw invalid(doc, [...at, 'type'], `"auth.type" must be a string, got ${describe(type)}`);
  if (type === 'noauth' || type === 'inherit') return { type };
  const credentials = auth.credentials === undefined ? [] : readPairs(doc, auth.credentials, [...at, 'credentials'], true);
  return { type, [type]: credentials.map(({ key, value: credential }) => ({ key, value: credential })) };
}

/**
 * `scripts: [{ type, code, language? }]` → v2.1 events. On a request `beforeRequest`/`afterResponse`
 * (a GraphQL request: `beforeQuery`/`afterResponse`); on a definition protocol-prefixed, and a
 * GraphQL request runs the `graphql:` ones. Scripts of protocols Sortie does not run are kept out.
 */
function readScripts(doc: Doc, value: unknown, level: 'definition' | 'http' | 'graphql'): PmEvent[] {
  const events: PmEvent[] = [];
  for (const { value: script, at } of readList(doc, value, ['scripts'])) {
    const entry = record(doc, script, at);
    const type = entry.type;
    if (typeof type !== 'string') throw invalid(doc, [...at, 'type'], `"type" of a script must be a string, got ${describe(type)}`);
    if (entry.language !== undefined && entry.language !== 'text/javascript') {
      throw invalid(doc, [...at, 'language'], `"language" of a script must be "text/javascript", got ${describe(entry.language)}`);
    }
    const code = entry.code ?? '';
    if (typeof code !== 'string') throw invalid(doc, [...at, 'code'], `"code" of a script must be a string, got ${describe(code)}`);
    const listen = scriptListen(type, level);
    if (listen === undefined) {
      const expected =
        level === 'definition'
          ? '"http:beforeRequest", "http:afterResponse", "graphql:beforeQuery", "graphql:afterResponse" (or grpc:…)'
          : level === 'graphql'
            ? '"beforeQuery" or "afterResponse"'
            : '"beforeRequest" or "afterResponse"';
      throw invalid(doc, [...at, 'type'], `"type" of a script here must be ${expected}, got ${describe(type)}`);
    }
    if (listen !== '') events.push({ listen, script: { type: 'text/javascript', exec: code.split('\n') } });
  }
  return events;
}

/** The v2.1 event a v3 script type becomes ('' for a protocol Sortie does not run), undefined for an unknown type. */
function scriptListen(type: string, level: 'definition' | 'http' | 'graphql'): string | undefined {
  if (level === 'http') return type === 'beforeRequest' ? 'prerequest' : type === 'afterResponse' ? 'test' : undefined;
  if (level === 'graphql') return type === 'beforeQuery' ? 'graphql:prerequest' : type === 'afterResponse' ? 'graphql:test' : undefined;
  const known: Record<string, string> = {
    'http:beforeRequest': 'prerequest',
    'http:afterResponse': 'test',
    'graphql:beforeQuery': 'graphql:prerequest',
    'graphql:afterResponse': 'graphql:test',
    'grpc:beforeInvoke': '',
    'grpc:onIncomingMessage': '',
    'grpc:afterResponse': '',
  };
  return known[type];
}

/** `settings` of a request → v2.1 `protocolProfileBehavior` (the converter applies and warns). */
function readSettings(reader: Reader, doc: Doc, value: unknown, itemPath: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  const settings = record(doc, value, ['settings']);
  const behaviour: Record<string, unknown> = {};
  for (const key of ['strictSSL', 'followRedirects', 'maxRedirects'] as const)
    if (settings[key] !== undefined) behaviour[key] = settings[key];
  if (Array.isArray(settings.disabledSystemHeaders) && settings.disabledSystemHeaders.length > 0) {
    reader.notes.push({
      path: itemPath,
      message: `disabledSystemHeaders (${settings.disabledSystemHeaders.join(', ')}) is not supported: Sortie sends its usual headers`,
      level: 'warning',
    });
  }
  return Object.keys(behaviour).length > 0 ? behaviour : undefined;
}

function readVariable(doc: Doc, value: unknown, at: PathSegment[]): PmVariable {
  const entry = record(doc, value, at);
  if (typeof entry.key !== 'string') throw invalid(doc, [...at, 'key'], `"key" of a variable must be a string, got ${describe(entry.key)}`);
  const variable: PmVariable = { key: entry.key, value: entry.value === undefined || entry.value === null ? '' : entry.value };
  if (entry.disabled === true) variable.disabled = true;
  if (entry.type === 'secret' || entry.secret === true) variable.type = 'secret';
  return variable;
}

interface Pair {
  key: string;
  value: string;
  disabled?: boolean;
  [field: string]: unknown;
}

/** A list of `{ key, value, disabled? }`, or a map `key: value` (both shapes are documented). */
function readPairs(doc: Doc, value: unknown, at: PathSegment[], keepValues = false): Pair[] {
  const pairValue = (entry: unknown) => (keepValues && entry !== undefined && entry !== null ? entry : text(entry)) as string;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(([key, entry]) => ({ key, value: pairValue(entry) }));
  }
  return readList(doc, value, at).map(({ value: entry, at: entryAt }) => {
    const pair = record(doc, entry, entryAt);
    if (typeof pair.key !== 'string') throw invalid(doc, [...entryAt, 'key'], `"key" must be a string, got ${describe(pair.key)}`);
    return { ...pair, key: pair.key, value: pairValue(pair.value), ...(pair.disabled === true ? { disabled: true } : {}) } as Pair;
  });
}

function readList(doc: Doc, value: unknown, at: PathSegment[]): Array<{ value: unknown; at: PathSegment[] }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(doc, at, `"${at.join('.')}" must be a list, got ${describe(value)}`);
  return value.map((entry, index) => ({ value: entry, at: [...at, index] }));
}

function record(doc: Doc, value: unknown, at: PathSegment[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(doc, at, `"${at.join('.') || 'the file'}" must be a mapping, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function optionalString(doc: Doc, data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(doc, [key], `"${key}" must be a string, got ${describe(value)}`);
  return value;
}

function optionalNumber(doc: Doc, data: Record<string, unknown>, key: string): number | undefined {
  const value = data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(doc, [key], `"${key}" must be a number, got ${describe(value)}`);
  return value;
}

interface Doc {
  parsed: ParsedSource;
  data: Record<string, unknown>;
  /** The file as named in messages (the root as the user gave it, then the path inside). */
  file: string;
}

async function parseFile(reader: Reader, full: string, rel: string): Promise<Doc> {
  const file = `${reader.display.replace(/\/+$/, '')}/${rel}`;
  const text = await readRegularFile(full, 'utf8').catch((error: unknown) => unreadable(reader, rel, error));
  let parsed: ParsedSource;
  try {
    parsed = parseSourceText(text, file);
  } catch (error) {
    if (!(error instanceof SortieError)) throw error;
    // The pitfall Postman's own guidance names first: an unquoted {{variable}} starts a YAML flow mapping.
    const hint = "single-quote values holding {{variables}} or any of : # & * ! [ ] { } > | (url: '{{base}}/users')";
    const details = error.details.map(
      (detail) =>
        new SortieError(detail.code, detail.title, detail.message, {
          ...(detail.location === undefined ? {} : { location: detail.location }),
          hint: detail.hint ?? hint,
        }),
    );
    throw new SortieError(error.code, error.title, error.message, {
      ...(error.location === undefined ? {} : { location: error.location }),
      details,
    });
  }
  const doc = { parsed, data: {} as Record<string, unknown>, file };
  doc.data = record(doc, parsed.data, []);
  return doc;
}

/** A path named in a file must stay inside the collection's folder (RFC 3986 dot-segments resolved first). */
function checkPath(reader: Reader, doc: Doc, path: string, at: PathSegment[], base: string): void {
  const target = isAbsolute(path) ? path : resolve(base, path);
  if (!inside(reader.root, target)) {
    throw invalid(doc, at, `the path ${JSON.stringify(path)} leaves the collection's folder (paths are relative to it and stay inside)`);
  }
}

/** Files and folders of the collection must be inside its root, symbolic links followed. */
async function checkInside(reader: Reader, full: string, rel: string): Promise<void> {
  const real = await realpath(full).catch(() => full);
  if (!inside(reader.root, real)) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid Postman collection',
      `${reader.display}/${rel} leads outside the collection's folder (to ${real})`,
      {
        location: { file: `${reader.display}/${rel}` },
      },
    );
  }
}

/** A file of the collection's folder that cannot be read (a dangling or looping symbolic link, a named pipe…). */
function unreadable(reader: Reader, rel: string, error: unknown): never {
  const file = `${reader.display.replace(/\/+$/, '')}/${rel}`;
  throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${file}: ${fileReadReason(error)}`, {
    location: { file },
  });
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function invalid(doc: Doc, at: PathSegment[], message: string): SortieError {
  const location = doc.parsed.locate(at);
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid Postman collection', `${doc.file}: ${message}`, {
    location: { file: doc.file, line: location.line, column: location.column, path: location.path },
    hint: 'the v3 file shapes: https://learning.postman.com/docs/collections/collections-schemas',
  });
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

function baseName(path: string): string {
  const parts = path.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] || 'Postman collection';
}
