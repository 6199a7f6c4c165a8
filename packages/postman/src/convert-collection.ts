/**
 * A Postman collection (v2.0 / v2.1) → a Sortie scenario with Newman's semantics:
 * - folders → groups (flattened into one list when a script calls setNextRequest, whose jumps cross folders);
 * - pre-request and test scripts of the collection, each enclosing folder and the request, in that
 *   order, as the request step's `pre` and `post` script processors;
 * - auth inherited through folders (`inherit`, `noauth`), each distinct auth a named profile;
 * - collection variables → the scenario's `defaults` (below the environment, as in Newman); unresolved `{{…}}` kept as written, failures do not
 *   stop the run (Newman carries on after a failed test);
 * - request settings: redirects, URL encoding, TLS.
 * Anything that cannot run becomes a step that fails with its item path and the reason; the rest runs.
 * @see https://schema.postman.com/json/collection/v2.1.0/collection.json
 */
import type { PathSegment, SourceOrigins } from '@sortie/config';
import type { AnyAuthProfile, Processor, RequestSpec, Scenario, Step } from '@sortie/core';
import { setOwn } from '@sortie/core';
import { collectionOrigins, type WrittenAt } from './collection-origins.js';
import type { PmAuth, PmCollection, PmEvent, PmHeader, PmItem, PmRequest, PmVariable } from './collection-types.js';
import { convertAuth, NoCredential, UnsupportedAuth } from './convert-auth.js';
import { type BodyPaths, convertBody, UnsupportedBody } from './convert-body.js';
import { eventSource, type LevelScript, scriptProcessors, usesSetNextRequest } from './convert-scripts.js';
import { convertUrl } from './convert-url.js';
import { typedValue } from './variable-types.js';

/** Options of {@link convertCollection}. */
export interface ConvertCollectionOptions extends BodyPaths {
  /** `--folder`: run only these folders or requests (by name, at any depth), in collection order. */
  folders?: readonly string[];
}

/** Something the conversion wants the user to know: where (an item path) and what. */
export interface ConversionNote {
  /** The item path, `Folder/Request`, or the collection's name. */
  path: string;
  message: string;
  /** `error`: the item cannot run (it is reported as an error step); `warning`: it runs, differently from Newman. */
  level: 'error' | 'warning';
}

export interface ConvertedCollection {
  scenario: Scenario;
  notes: ConversionNote[];
  /** Auth profile name → the fields of that profile that hold a secret (for the importer, which never writes them). */
  secretFields: Record<string, string[]>;
  /** Names given to `folders` that match no folder or request. */
  missingFolders: string[];
  /** Collection variables typed `secret`: name → value (redacted everywhere; the importer never writes them). */
  secretVariables: Record<string, string>;
  /** Where the scenario's steps, auth profiles and defaults are written in the collection (JSON paths of both). */
  origins: SourceOrigins;
}

/** One level of the item tree: the collection itself, a folder, or a request item. */
interface Level {
  name: string;
  path: string;
  /** Where the level is written in the collection: the root, or an `item` entry. */
  at: PathSegment[];
  /** Where its auth is written: a request's under its `request`, a folder's and the collection's as their own `auth`. */
  authAt: PathSegment[];
  auth?: PmAuth | null;
  event?: PmEvent[];
  /** The level's `event` is written as one object, not a list (the collection SDK reads both). */
  singleEvent?: boolean;
  protocolProfileBehavior?: Record<string, unknown>;
}

interface Walk {
  options: ConvertCollectionOptions;
  notes: ConversionNote[];
  profiles: Record<string, AnyAuthProfile>;
  secretFields: Record<string, string[]>;
  /** Profile name by the auth object it came from (one profile per distinct auth). */
  profileOf: Map<PmAuth, string>;
  flatten: boolean;
  /** Where the steps, scripts and profiles made are written in the collection. */
  written: WrittenAt;
  /** What the conversion is reading while it may throw UnsupportedAuth / UnsupportedBody. */
  problemAt: PathSegment[] | undefined;
}

/** Converts a parsed collection (already known to be one, see detectPostmanValue). */
export function convertCollection(collection: PmCollection, options: ConvertCollectionOptions): ConvertedCollection {
  const name = nonEmpty(collection.info?.name) ?? 'Postman collection';
  const root: Level = { name, path: name, at: [], authAt: ['auth'] };
  if (collection.auth !== undefined) root.auth = collection.auth;
  setEvents(root, collection.event);
  if (collection.protocolProfileBehavior !== undefined) root.protocolProfileBehavior = collection.protocolProfileBehavior;
  const walk: Walk = {
    options,
    notes: [],
    profiles: {},
    secretFields: {},
    profileOf: new Map(),
    flatten: collectsSetNextRequest(collection),
    written: { steps: new Map(), scripts: new Map(), profiles: new Map(), problems: new Map() },
    problemAt: undefined,
  };
  const { selected, missing } = selectItems(collection.item ?? [], options.folders ?? []);
  const steps = selected.flatMap(({ item, ancestors, at }) => convertItem(item, [root, ...ancestors], at, walk));
  const scenario: Scenario = {
    name,
    options: { onError: 'continue', allowUnresolved: true, objectsInText: 'string', defaultScheme: 'http', carryVariables: true },
    steps,
  };
  // Always declared, even empty: it puts pm.collectionVariables there, below the environment, as in Newman.
  const variables = convertVariables(collection.variable);
  scenario.defaults = variables;
  if (Object.keys(walk.profiles).length > 0) scenario.auth = { profiles: walk.profiles };
  const secretVariables: Record<string, string> = {};
  for (const variable of collection.variable ?? []) {
    const key = variable?.key;
    if (variable?.type === 'secret' && typeof key === 'string' && Object.hasOwn(variables, key)) {
      const value = variables[key];
      // JSON text for a value that is not one (an object parsed from JSON has no prototype, so String() throws).
      setOwn(secretVariables, key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  const origins = collectionOrigins(scenario, collection, walk.written);
  return { scenario, notes: walk.notes, secretFields: walk.secretFields, missingFolders: missing, secretVariables, origins };
}

/** Enabled collection (or environment) variables as name → value. */
export function convertVariables(variables: readonly PmVariable[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const variable of variables ?? []) {
    if (variable === null || typeof variable !== 'object' || variable.disabled === true || variable.enabled === false) continue;
    const key = variable.key ?? variable.id;
    if (typeof key !== 'string' || key === '') continue;
    // Defined, not assigned: a variable named __proto__ is a name like any other.
    setOwn(out, key, variable.value === undefined || variable.value === null ? '' : typedValue(variable.value, variable.type));
  }
  return out;
}

interface Selected {
  item: PmItem;
  ancestors: Level[];
  /** Where the item is written in the collection. */
  at: PathSegment[];
}

/** `--folder`: the items named (outermost match wins), in collection order; every item when no name is given. */
function selectItems(items: readonly PmItem[], names: readonly string[]): { selected: Selected[]; missing: string[] } {
  if (names.length === 0) return { selected: items.map((item, index) => ({ item, ancestors: [], at: ['item', index] })), missing: [] };
  const wanted = new Set(names);
  const found = new Set<string>();
  const selected: Selected[] = [];
  const visit = (list: readonly PmItem[], ancestors: Level[], parentPath: string | undefined, base: PathSegment[]) => {
    for (const [index, item] of list.entries()) {
      const name = itemName(item);
      const path = parentPath === undefined ? name : `${parentPath}/${name}`;
      const at = [...base, 'item', index];
      if (wanted.has(name)) {
        found.add(name);
        selected.push({ item, ancestors, at });
        continue;
      }
      if (Array.isArray(item.item)) visit(item.item, [...ancestors, levelOf(item, path, at)], path, at);
    }
  };
  visit(items, [], undefined, []);
  return { selected, missing: names.filter((name) => !found.has(name)) };
}

function levelOf(item: PmItem, path: string, at: PathSegment[]): Level {
  const folder = Array.isArray(item.item);
  const level: Level = { name: itemName(item), path, at, authAt: folder ? [...at, 'auth'] : [...at, 'request', 'auth'] };
  const auth = folder ? item.auth : typeof item.request === 'object' ? item.request?.auth : undefined;
  if (auth !== undefined) level.auth = auth;
  setEvents(level, item.event);
  if (item.protocolProfileBehavior !== undefined) level.protocolProfileBehavior = item.protocolProfileBehavior;
  return level;
}

/** A level's events: a list as written, or the one event written as an object (the collection SDK takes both). */
function setEvents(level: Level, event: PmEvent[] | PmEvent | undefined): void {
  if (event === undefined) return;
  level.event = eventList(event);
  if (!Array.isArray(event)) level.singleEvent = true;
}

function eventList(event: PmEvent[] | PmEvent | undefined): PmEvent[] {
  if (Array.isArray(event)) return event;
  return event !== null && typeof event === 'object' ? [event] : [];
}

function convertItem(item: PmItem, ancestors: readonly Level[], at: PathSegment[], walk: Walk): Step[] {
  const parent = ancestors.length > 1 ? ancestors[ancestors.length - 1]!.path : undefined;
  const path = parent === undefined ? itemName(item) : `${parent}/${itemName(item)}`;
  const level = levelOf(item, path, at);
  if (Array.isArray(item.item)) {
    const children = item.item.flatMap((child, index) => convertItem(child, [...ancestors, level], [...at, 'item', index], walk));
    if (walk.flatten) return children;
    // An empty folder runs nothing in Newman; a Sortie group needs a step.
    if (children.length === 0) return [];
    const group: Step = { name: itemName(item), group: { steps: children } };
    walk.written.steps.set(group, at);
    return [group];
  }
  const step = convertRequestItem(item, [...ancestors, level], walk);
  walk.written.steps.set(step, at);
  return [step];
}

function convertRequestItem(item: PmItem, levels: readonly Level[], walk: Walk): Step {
  const own = levels[levels.length - 1]!;
  const name = own.name;
  if (item.unsupported !== undefined) {
    walk.notes.push({ path: own.path, message: item.unsupported, level: 'error' });
    return cannotRun(name, own.path, item.unsupported);
  }
  walk.problemAt = undefined;
  try {
    const request = typeof item.request === 'string' ? ({ url: item.request, method: 'GET' } as PmRequest) : (item.request ?? {});
    const spec = convertRequest(request, levels, walk);
    const step: Step = { name, request: spec };
    // Newman's setNextRequest takes a request's id too (postman-runtime's lookup: ids first, then names).
    if (typeof item.id === 'string' && item.id !== '') step.postmanId = item.id;
    // A v3 GraphQL request runs the `graphql:` scripts of each level (v3 scopes folder scripts by protocol).
    const prefix = item.protocol === 'graphql' ? 'graphql:' : '';
    const pre = scriptsOf(levels, `${prefix}prerequest`, 'prerequest', walk);
    const post = scriptsOf(levels, `${prefix}test`, 'test', walk);
    if (pre.length > 0) step.pre = pre;
    if (post.length > 0) step.post = post;
    return step;
  } catch (error) {
    if (!(error instanceof UnsupportedAuth || error instanceof UnsupportedBody)) throw error;
    walk.notes.push({ path: own.path, message: error.message, level: 'error' });
    const step = cannotRun(name, own.path, error.message);
    // The error points at what cannot run: the auth (this item's or the level it is inherited from), the body, the URL.
    walk.written.problems.set(step, walk.problemAt ?? own.at);
    walk.problemAt = undefined;
    return step;
  }
}

/** A step in place of a request that cannot run: an error naming the item and the reason, never a crash. */
function cannotRun(name: string, path: string, reason: string): Step {
  const message = `Postman request "${path}" cannot run: ${reason}`;
  return { name, script: { source: `throw new Error(${JSON.stringify(message)});`, name: path } };
}

function scriptsOf(levels: readonly Level[], listen: string, kind: 'prerequest' | 'test', walk: Walk): Processor[] {
  const scripts: LevelScript[] = [];
  const origins: PathSegment[][] = [];
  for (const level of levels) {
    const source = eventSource(level.event, listen);
    if (source === undefined) continue;
    scripts.push({ path: level.path, source });
    // Where the level's (first) event of that kind is written.
    const index = (level.event ?? []).findIndex((event) => event?.listen === listen && event.disabled !== true);
    origins.push(level.singleEvent === true ? [...level.at, 'event'] : [...level.at, 'event', Math.max(index, 0)]);
  }
  const processors = scriptProcessors(scripts, kind === 'prerequest' ? 'pre-request' : 'test');
  for (const [index, processor] of processors.entries()) walk.written.scripts.set(processor, origins[index]!);
  return processors;
}

/**
 * Request settings postman-runtime honours and Sortie does not: keep the method and body on a 301/302/303
 * redirect, keep the Authorization header on a redirect to another host, no cookie jar for the request.
 */
const UNSUPPORTED_BEHAVIOURS = ['followOriginalHttpMethod', 'followAuthorizationHeader', 'disableCookies'] as const;

/** Methods whose body postman-runtime leaves out ("pruning") unless `protocolProfileBehavior.disableBodyPruning` is true. */
const METHODS_WITHOUT_BODY = new Set(['GET', 'COPY', 'HEAD', 'PURGE', 'UNLOCK']);

function convertRequest(request: PmRequest, levels: readonly Level[], walk: Walk): RequestSpec {
  const own = levels[levels.length - 1]!;
  const spec: RequestSpec = { method: (nonEmpty(request.method) ?? 'GET').toUpperCase(), url: convertUrl(request.url) };
  walk.problemAt = [...own.at, 'request', 'url'];
  if (spec.url === '') throw new UnsupportedBody('the request has no URL');
  walk.problemAt = [...own.at, 'request', 'body'];
  const headers = convertHeaders(request.header);
  if (Object.keys(headers).length > 0) spec.headers = headers;
  const hasContentType = Object.keys(headers).some((key) => key.toLowerCase() === 'content-type');
  const behaviour = Object.assign({}, ...levels.map((level) => level.protocolProfileBehavior ?? {})) as Record<string, unknown>;
  // postman-runtime sends no body with these methods unless disableBodyPruning is set (requester/core.js).
  const pruned = METHODS_WITHOUT_BODY.has(spec.method) && behaviour.disableBodyPruning !== true;
  const body = pruned ? undefined : convertBody(request.body, hasContentType, walk.options);
  walk.problemAt = undefined;
  if (body !== undefined) spec.body = body;
  spec.auth = effectiveAuth(levels, walk);
  if (behaviour.followRedirects === false) spec.followRedirects = false;
  if (typeof behaviour.maxRedirects === 'number' && behaviour.maxRedirects >= 0) spec.maxRedirects = behaviour.maxRedirects;
  if (behaviour.strictSSL === false) {
    walk.notes.push({
      path: own.path,
      message: 'TLS verification off (strictSSL false): run with --insecure for the same',
      level: 'warning',
    });
  }
  const unsupported = UNSUPPORTED_BEHAVIOURS.filter((key) => behaviour[key] === true);
  if (unsupported.length > 0) {
    walk.notes.push({
      path: own.path,
      message: `protocolProfileBehavior ${unsupported.join(', ')} ${unsupported.length === 1 ? 'is' : 'are'} not supported: redirects and cookies work as usual`,
      level: 'warning',
    });
  }
  if (behaviour.disableUrlEncoding === true) {
    walk.notes.push({ path: own.path, message: 'disableUrlEncoding is not supported: the URL is encoded as usual', level: 'warning' });
  }
  return spec;
}

function convertHeaders(headers: PmHeader[] | string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const list: PmHeader[] = typeof headers === 'string' ? parseHeaderText(headers) : (headers ?? []);
  for (const header of list) {
    if (header === null || typeof header !== 'object' || header.disabled === true) continue;
    const key = header.key ?? '';
    if (key === '') continue;
    const value = header.value === undefined || header.value === null ? '' : String(header.value);
    // Repeated headers are sent joined, as one field (RFC 9110 §5.3).
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}

/** v2.0 allows headers as one text block, `Name: value` per line. */
function parseHeaderText(text: string): PmHeader[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .map((line) => {
      const colon = line.indexOf(':');
      return colon === -1 ? { key: line, value: '' } : { key: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    });
}

/**
 * The auth of a request: its own unless absent or `inherit`, else its folder's, up to the
 * collection's; `noauth` (or nothing anywhere) sends no credential.
 */
function effectiveAuth(levels: readonly Level[], walk: Walk): string {
  for (let index = levels.length - 1; index >= 0; index--) {
    const level = levels[index]!;
    const auth = level.auth;
    if (auth === undefined || auth === null || auth.type === undefined || auth.type === 'inherit') continue;
    if (auth.type === 'noauth') return 'none';
    return profileFor(auth, level, walk);
  }
  return 'none';
}

function profileFor(auth: PmAuth, level: Level, walk: Walk): string {
  const known = walk.profileOf.get(auth);
  if (known !== undefined) return known;
  walk.problemAt = level.authAt;
  let converted: ReturnType<typeof convertAuth>;
  try {
    converted = convertAuth(auth);
  } catch (error) {
    if (!(error instanceof NoCredential)) throw error;
    // As Newman, silently: no note (a note is something that runs differently from Newman).
    walk.problemAt = undefined;
    walk.profileOf.set(auth, 'none');
    return 'none';
  }
  walk.problemAt = undefined;
  let name = level.path === 'none' ? 'none (auth)' : level.path;
  for (let n = 2; walk.profiles[name] !== undefined; n++) name = `${level.path} (${n})`;
  walk.profiles[name] = converted.profile;
  walk.secretFields[name] = converted.secretFields.filter((field) => (converted.profile as Record<string, unknown>)[field] !== undefined);
  walk.profileOf.set(auth, name);
  walk.written.profiles.set(name, level.authAt);
  return name;
}

function collectsSetNextRequest(collection: PmCollection): boolean {
  let folders = false;
  let jumps = false;
  const scan = (events: PmEvent[] | undefined) => {
    for (const listen of ['prerequest', 'test', 'graphql:prerequest', 'graphql:test']) {
      const source = eventSource(events, listen);
      if (source !== undefined && usesSetNextRequest(source)) jumps = true;
    }
  };
  scan(eventList(collection.event));
  const visit = (items: readonly PmItem[]) => {
    for (const item of items) {
      scan(eventList(item.event));
      if (Array.isArray(item.item)) {
        folders = true;
        visit(item.item);
      }
    }
  };
  visit(collection.item ?? []);
  return folders && jumps;
}

function itemName(item: PmItem): string {
  return nonEmpty(item.name) ?? nonEmpty(item.id) ?? (Array.isArray(item.item) ? 'Folder' : 'Request');
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
