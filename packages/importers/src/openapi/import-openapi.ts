/**
 * `sortie import openapi`: an OpenAPI 3.0/3.1 or Swagger 2.0 description (JSON or YAML, `$ref`s
 * across files resolved) as Sortie files — one scenario per tag (per first path segment when an
 * operation has none), one request step per operation with request data from the examples or
 * generated from the schemas, a contract assertion on every step; servers as services, security
 * schemes as auth profiles, secrets as `secrets` declarations.
 */
import { relative, resolve } from 'node:path';
import { checkUtf8, checkUtf8Text, parseSourceText } from '@sortie/config';
import { ErrorCode, formatLocation, readRegularFile, SortieError } from '@sortie/core';
import { HTTP_METHODS, loadOpenApiDocument } from '@sortie/extract';
import { type ImportedFile, type ImportResult, literal, SecretRegistry, slugify } from '../import-result.js';
import { deref, isObject, type Json } from './document-refs.js';
import { styleParameter } from './parameter-style.js';
import { exampleOf, sampleSchema, samplingDocument } from './sample-values.js';
import { importSecuritySchemes } from './security.js';

export interface ImportOpenApiOptions {
  /** The output folder (absolute): the scenarios name the description relative to it. */
  outDir: string;
  /** Where relative paths are shown from in errors (default: the process's working directory). */
  cwd?: string;
  /** Fetches an OpenID Connect discovery document (default: global fetch). */
  fetchJson?: (url: string) => Promise<unknown>;
}

interface Operation {
  method: string;
  path: string;
  operation: Json;
  pathItem: Json;
}

/**
 * @throws SortieError INVALID_INPUT for a description that cannot be read, resolved or validated
 *   (with the file, line, column and JSON path of each problem).
 */
export async function importOpenApi(specPath: string, options: ImportOpenApiOptions): Promise<ImportResult> {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, specPath);
  const display = (file: string) => relative(cwd, file) || file;
  // Each file's bytes by the name it is shown by: one that is not UTF-8 is refused where its first bad byte is,
  // instead of being read with U+FFFD in place of its letters (an example, an enum value changed silently).
  const bytesOf = new Map<string, Buffer>();
  const loaded = await loadOpenApiDocument(path, {
    read: async (file) => {
      const bytes = await readRegularFile(file);
      bytesOf.set(display(file), bytes);
      return bytes;
    },
    parse: (text, file) => {
      const bytes = bytesOf.get(file);
      if (bytes !== undefined) {
        checkUtf8(bytes, file, 'Invalid OpenAPI description');
        checkUtf8Text(bytes, file, 'Invalid OpenAPI description');
      }
      return parseSourceText(text, file);
    },
    display,
  });
  const document = loaded.document;
  // What swagger2openapi could not convert as written: the step sends what the OpenAPI 3.0 version says.
  const notes: string[] = loaded.warnings.map(
    ({ message, location }) =>
      `${formatLocation(location)}${location.path === undefined ? '' : ` (${location.path})`}: converting Swagger 2.0 to OpenAPI 3.0 (swagger2openapi): ${message}`,
  );
  const secrets = new SecretRegistry();
  // Errors at a security scheme (OpenID Connect discovery) point into the root file as written.
  let root: ReturnType<typeof parseSourceText> | undefined;
  const locate = (jsonPath: ReadonlyArray<string | number>) => {
    root ??= parseSourceText(rootText, relative(cwd, path) || path);
    return root.locate(jsonPath);
  };
  const rootText = await readRegularFile(path, 'utf8');
  const { services, variables, serverUrl, placeholderServerUrl } = importServers(document, notes);
  const security = await importSecuritySchemes(document, {
    secrets,
    notes,
    locate,
    ...(serverUrl === undefined ? {} : { serverUrl }),
    ...(placeholderServerUrl === undefined ? {} : { placeholderServerUrl }),
    ...(options.fetchJson ? { fetchJson: options.fetchJson } : {}),
  });
  // The profiles of a requirement's schemes, all of which must be met (OpenAPI 3.0.3 §4.7.30): a step
  // has one auth profile, an API key's preferred to be sent as a header of the step instead.
  const profilesOf = (requirements: unknown): string[] | 'none' | undefined => {
    if (!Array.isArray(requirements)) return undefined;
    if (requirements.length === 0 || requirements.some((r) => isObject(r) && Object.keys(r).length === 0)) return 'none';
    const first = requirements.find(isObject);
    const names = Object.keys(first ?? {}).flatMap((scheme) => security.bySchema.get(scheme) ?? []);
    const isKey = (name: string) => isObject(security.profiles[name]) && security.profiles[name].type === 'apiKey';
    return [...names.filter((name) => !isKey(name)), ...names.filter(isKey)];
  };
  const authOf = (requirements: unknown): string | undefined => {
    const names = profilesOf(requirements);
    return names === 'none' ? 'none' : names?.[0];
  };
  const alsoOf = (requirements: unknown): Json[] => {
    const names = profilesOf(Array.isArray(requirements) ? requirements : document.security);
    return names === 'none' || names === undefined
      ? []
      : names.slice(1).flatMap((name) => (isObject(security.profiles[name]) ? [security.profiles[name]] : []));
  };
  const defaultAuth = authOf(document.security);
  const cookieKeyOf = (name: string | undefined): string | undefined => {
    const profile = name === undefined ? undefined : security.profiles[name];
    return isObject(profile) && profile.type === 'apiKey' && profile.name === 'Cookie' && typeof profile.value === 'string'
      ? profile.value
      : undefined;
  };

  // Operations are read from a copy prepared for generating values (null branches last, patterns exemplified).
  const samples = samplingDocument(document);
  const groups = new Map<string, { description?: string; operations: Operation[] }>();
  const tagDescriptions = new Map(
    (Array.isArray(document.tags) ? document.tags : []).filter(isObject).map((tag) => [String(tag.name), tag.description]),
  );
  for (const [apiPath, rawItem] of Object.entries(isObject(samples.paths) ? samples.paths : {})) {
    const pathItem = deref(samples, rawItem);
    if (isObject(pathItem) && typeof pathItem.$ref === 'string') {
      // A path item whose $ref leads back to itself (`/a` → `/b` → `/a`): its operations cannot be found.
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid OpenAPI description', `the path item ${apiPath} is a loop of $refs`, {
        location: locate(['paths', apiPath]),
        hint: 'a $ref of a path item must lead to a path item with operations, not back to itself',
      });
    }
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!isObject(operation)) continue;
      const tag =
        Array.isArray(operation.tags) && typeof operation.tags[0] === 'string'
          ? operation.tags[0]
          : (apiPath.split('/').find((s) => s !== '' && !s.startsWith('{')) ?? 'root');
      const group = groups.get(tag) ?? { operations: [] };
      const description = tagDescriptions.get(tag);
      if (typeof description === 'string') group.description = description;
      group.operations.push({ method, path: apiPath, operation, pathItem });
      // Callbacks are requests the API sends back (to a URL the request gave), like webhooks: not steps.
      const callbacks = isObject(operation.callbacks) ? Object.keys(operation.callbacks) : [];
      if (callbacks.length > 0) {
        notes.push(
          `${method.toUpperCase()} ${apiPath}: the callbacks ${callbacks.map((name) => `"${name}"`).join(', ')} are not imported: they are requests the API sends back, not operations to call`,
        );
      }
      groups.set(tag, group);
    }
  }
  if (groups.size === 0) notes.push(`${relative(cwd, path) || path} describes no operations under "paths": no scenario written`);
  // OpenAPI 3.1 webhooks are requests the API sends to its subscribers, not operations a client calls.
  const webhooks = document.webhooks;
  if (webhooks !== null && typeof webhooks === 'object' && !Array.isArray(webhooks) && Object.keys(webhooks).length > 0) {
    const names = Object.keys(webhooks)
      .map((name) => `"${name}"`)
      .join(', ');
    notes.push(`the webhooks ${names} are not imported: they are requests the API sends to its subscribers, not operations to call`);
  }

  // The environment's variables (baseUrl…) and secrets: a path parameter of the same name would hide them.
  const taken = new Set([...Object.keys(variables), ...secrets.names]);
  const specFromScenarios = relative(resolve(options.outDir, 'scenarios'), path).split('\\').join('/');
  const files: ImportedFile[] = [];
  const used = new Set<string>();
  /** The services made for operations' own servers, by URL. */
  const serviceByUrl = new Map<string, string>();
  for (const [tag, group] of groups) {
    let slug = slugify(tag, 'operations');
    while (used.has(slug)) slug = `${slug}-2`;
    used.add(slug);
    const scenarioVariables: Record<string, unknown> = {};
    const pathVariable = pathVariableNames(group.operations, taken);
    const steps = group.operations.map((entry) =>
      importOperation(samples, entry, {
        spec: specFromScenarios,
        variables: scenarioVariables,
        pathVariable,
        serviceOf: (entry) => operationService(entry, services, variables, serviceByUrl),
        authOf,
        alsoOf,
        defaultAuth,
        cookieKeyOf,
        notes,
      }),
    );
    const scenario: Record<string, unknown> = { name: tag };
    if (group.description !== undefined) scenario.description = group.description;
    if (Object.keys(scenarioVariables).length > 0) scenario.variables = scenarioVariables;
    scenario.options = { onError: 'continue' };
    scenario.steps = steps;
    files.push({ path: `scenarios/${slug}`, kind: 'scenario', value: scenario });
  }

  const environment: Record<string, unknown> = {
    name: typeof (document.info as Json | undefined)?.title === 'string' ? (document.info as Json).title : 'imported',
  };
  if (Object.keys(variables).length > 0) environment.variables = variables;
  if (secrets.names.length > 0) environment.secrets = secrets.names;
  environment.services = services;
  if (Object.keys(security.profiles).length > 0) {
    const auth: Record<string, unknown> = { profiles: security.profiles };
    if (defaultAuth !== undefined) auth.use = defaultAuth;
    environment.auth = auth;
  }
  files.push({ path: 'environments/default', kind: 'environment', value: environment, origins: security.origins });
  files.push({ path: 'sortie.config', kind: 'project', value: { defaultEnvironment: 'default' } });
  return { files, secrets: secrets.list, notes, input: { file: relative(cwd, path) || path, locate } };
}

/**
 * Servers as services: `api` (the default), `api2`…; each URL a `baseUrl` variable, server variables
 * filled with their defaults. `serverUrl` is the first one's URL when it is absolute (the base of the
 * description's relative URLs), else undefined and `placeholderServerUrl` the stand-in it was given.
 */
function importServers(
  document: Json,
  notes: string[],
): {
  services: Record<string, unknown>;
  variables: Record<string, unknown>;
  serverUrl: string | undefined;
  placeholderServerUrl: string | undefined;
} {
  const servers = (Array.isArray(document.servers) ? document.servers : []).filter(isObject);
  const services: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  let serverUrl: string | undefined;
  let placeholderServerUrl: string | undefined;
  const list = servers.length > 0 ? servers : [{ url: '/' }];
  list.forEach((server, index) => {
    const suffix = index === 0 ? '' : String(index + 1);
    let url = serverUrlOf(server);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      if (index === 0) serverUrl = url;
    } else {
      notes.push(
        `server "${String(server.url)}" is relative: set baseUrl${suffix} to the API's origin (e.g. --env-var baseUrl${suffix}=https://api.example.com${url === '/' ? '' : url})`,
      );
      url = `http://localhost${url === '/' ? '' : url}`;
      if (index === 0) placeholderServerUrl = url;
    }
    variables[`baseUrl${suffix}`] = url.replace(/\/+$/, '');
    services[`api${suffix}`] = index === 0 ? { url: `{{baseUrl${suffix}}}`, default: true } : `{{baseUrl${suffix}}}`;
  });
  return { services, variables, serverUrl, placeholderServerUrl };
}

/** A server's URL with its variables filled with their defaults (OpenAPI 3.0.3 §4.7.5). */
function serverUrlOf(server: Json): string {
  let url = String(server.url ?? '/');
  for (const [name, variable] of Object.entries(isObject(server.variables) ? server.variables : {})) {
    const value = isObject(variable) && variable.default !== undefined ? String(variable.default) : '';
    url = url.replaceAll(`{${name}}`, value);
  }
  return url;
}

/**
 * The service of an operation whose path item or itself names its own `servers` (OpenAPI 3.0.3
 * §4.7.9.1, §4.7.10: they override the description's): its first absolute one, as a service `apiN`
 * whose URL is the variable `baseUrlN`, one per URL. Undefined when the operation uses the description's.
 */
function operationService(
  entry: Operation,
  services: Record<string, unknown>,
  variables: Record<string, unknown>,
  byUrl: Map<string, string>,
): string | undefined {
  const own = Array.isArray(entry.operation.servers) ? entry.operation.servers : entry.pathItem.servers;
  const server = (Array.isArray(own) ? own : []).filter(isObject)[0];
  if (server === undefined) return undefined;
  const url = serverUrlOf(server).replace(/\/+$/, '');
  // A relative one is relative to the description's server: not a service of its own (left as it was).
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return undefined;
  const known = byUrl.get(url) ?? Object.entries(variables).find(([name, value]) => /^baseUrl\d*$/.test(name) && value === url)?.[0];
  if (known !== undefined) return known.startsWith('baseUrl') ? `api${known.slice('baseUrl'.length)}` : known;
  let n = 2;
  while (services[`api${n}`] !== undefined || variables[`baseUrl${n}`] !== undefined) n++;
  variables[`baseUrl${n}`] = url;
  services[`api${n}`] = `{{baseUrl${n}}}`;
  byUrl.set(url, `api${n}`);
  return `api${n}`;
}

interface OperationContext {
  spec: string;
  variables: Record<string, unknown>;
  authOf(requirements: unknown): string | undefined;
  /** The profiles of the other schemes a requirement names with the step's (OpenAPI 3.0.3 §4.7.30). */
  alsoOf(requirements: unknown): Json[];
  defaultAuth: string | undefined;
  /** The `name=value` a profile that sends an API key in a cookie adds; undefined for any other profile. */
  cookieKeyOf(profile: string | undefined): string | undefined;
  notes: string[];
  /** The service of an operation with servers of its own (or its path item's); undefined for the description's. */
  serviceOf(entry: Operation): string | undefined;
  /** The scenario variable of a path parameter (its name as written) in a path template. */
  pathVariable(path: string, name: string): string;
}

function importOperation(document: Json, entry: Operation, ctx: OperationContext): Record<string, unknown> {
  const { operation, pathItem } = entry;
  const parameters = mergeParameters(document, pathItem.parameters, operation.parameters);
  let url = entry.path;
  const query: Record<string, unknown> = {};
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const parameter of parameters) {
    const name = String(parameter.name);
    const required = parameter.required === true || parameter.in === 'path';
    const example = exampleOf(document, parameter) ?? exampleOf(document, firstMedia(parameter.content) ?? {});
    if (!required && example === undefined) continue;
    const value = example ?? sampleSchema(document, parameter.schema) ?? '';
    // Sent as the description says it is serialised (style, explode).
    const styled = styleParameter(parameter, value);
    // Examples and generated values are literal text: a `{{` in them is not a Sortie variable.
    if (styled.in === 'path') {
      const variable = ctx.pathVariable(entry.path, name);
      if (!(variable in ctx.variables)) ctx.variables[variable] = literal(styled.text);
      url = url.replaceAll(`{${name}}`, `{{${variable}}}`);
    } else if (styled.in === 'header') headers[literal(name)] = literal(String(styled.text));
    else if (styled.in === 'cookie') cookies.push(...styled.pairs.map(([key, item]) => `${literal(key)}=${literal(item)}`));
    else if (parameter.in === 'query' && styled.in === 'query') {
      for (const [key, item] of styled.pairs) {
        const previous = query[literal(key)];
        query[literal(key)] =
          previous === undefined ? literal(item) : [...(Array.isArray(previous) ? previous : [previous]), literal(item)];
      }
    }
  }
  const auth = ctx.authOf(operation.security);
  // The requirement's other schemes are met by the step itself: an API key is its header, query
  // parameter or cookie; a second sign-in cannot be, and the notes say so.
  for (const also of ctx.alsoOf(operation.security)) {
    if (also.type !== 'apiKey' || typeof also.name !== 'string' || typeof also.value !== 'string') {
      ctx.notes.push(
        `${entry.method.toUpperCase()} ${entry.path} requires two sign-ins (${auth} and a ${String(also.type)} one): the step sends only ${auth}'s`,
      );
    } else if (also.in === 'query') query[also.name] = also.value;
    else if (also.name === 'Cookie') cookies.push(also.value);
    else headers[also.name] = also.value;
  }
  // An API key in a cookie is a profile that sets the Cookie header: with cookie parameters too, the
  // profile's header replaced the step's, and the parameters were not sent. Both go in the step's header.
  const cookieKey = cookies.length > 0 ? ctx.cookieKeyOf(auth ?? ctx.defaultAuth) : undefined;
  if (cookieKey !== undefined) cookies.push(cookieKey);
  if (cookies.length > 0) headers.Cookie = cookies.join('; ');
  const request: Record<string, unknown> = { method: entry.method.toUpperCase(), service: ctx.serviceOf(entry) ?? 'api', url };
  if (Object.keys(headers).length > 0) request.headers = headers;
  if (Object.keys(query).length > 0) request.query = query;
  const body = requestBody(document, operation.requestBody, (type) =>
    ctx.notes.push(
      `${entry.method.toUpperCase()} ${entry.path} sends a binary body (${type}): the step sends an empty one; set body.file to a file to send`,
    ),
  );
  if (body !== undefined) request.body = literal(body);
  if (cookieKey !== undefined) request.auth = 'none';
  else if (auth !== undefined && auth !== ctx.defaultAuth) request.auth = auth;
  const id = typeof operation.operationId === 'string' ? operation.operationId : undefined;
  // A summary is meant to be short; some descriptions write paragraphs of Markdown there: the first line names the step.
  const summary = typeof operation.summary === 'string' ? (operation.summary.trim().split(/\r?\n/)[0]?.trim() ?? '') : '';
  const name = summary !== '' ? summary : (id ?? `${entry.method.toUpperCase()} ${entry.path}`);
  const contract: Record<string, unknown> = { spec: ctx.spec };
  if (id !== undefined) contract.operation = id;
  return { name: literal(name), request, post: [{ assert: { openapi: contract } }] };
}

/**
 * The scenario variables of the path parameters of a scenario's operations. A parameter names one
 * thing in every operation whose path is the same up to it (`{id}` of GET, PUT and DELETE
 * `/users/{id}` and of `/users/{id}/posts`): one variable, `id`, so a step that sets it (an id a POST
 * returned) sets it for the others. The same name in other paths (`/users/{id}` and `/orders/{id}`)
 * names other things, each with its own example: a variable each, named by the segment before it
 * (`users_id`, `orders_id`), as a Postman collection gives each request its own path variables.
 * A name the environment has (`{baseUrl}` would hide the service's URL) gets `path_` before it.
 */
function pathVariableNames(operations: readonly Operation[], taken: ReadonlySet<string>): (path: string, name: string) => string {
  /** The path up to a parameter (its own `{name}` included) → the parameter's name. */
  const holders = new Map<string, string>();
  const prefixesOf = new Map<string, string[]>();
  for (const { path } of operations) {
    for (const match of path.matchAll(/\{([^{}]+)\}/g)) {
      const prefix = path.slice(0, (match.index ?? 0) + match[0].length);
      if (holders.has(prefix)) continue;
      const name = match[1] ?? '';
      holders.set(prefix, name);
      prefixesOf.set(name, [...(prefixesOf.get(name) ?? []), prefix]);
    }
  }
  const plainOf = (text: string) => text.replace(/[^A-Za-z0-9_]/g, '_');
  const chosen = new Map<string, string>();
  const names = new Set<string>(taken);
  const claim = (wanted: string): string => {
    // `{baseUrl}` would hide the environment's baseUrl, the URL of the service: `{{path_baseUrl}}`.
    let variable = taken.has(wanted) ? `path_${wanted}` : wanted;
    for (let n = 2; names.has(variable); n++) variable = `${wanted}_${n}`;
    names.add(variable);
    return variable;
  };
  // Names held by one path first, so that they keep their plain name whatever order the operations come in.
  const entries = [...prefixesOf].sort(([, a], [, b]) => a.length - b.length);
  for (const [name, prefixes] of entries) {
    for (const prefix of prefixes) {
      const segments = prefix
        .split('/')
        .slice(0, -1)
        .filter((segment) => segment !== '' && !segment.includes('{'));
      const qualifier = prefixes.length > 1 ? plainOf(segments[segments.length - 1] ?? 'path') : undefined;
      chosen.set(prefix, claim(qualifier === undefined ? plainOf(name) : `${qualifier}_${plainOf(name)}`));
    }
  }
  return (path, name) => {
    const at = path.indexOf(`{${name}}`);
    return chosen.get(path.slice(0, at + name.length + 2)) ?? claim(plainOf(name));
  };
}

/** Path-level parameters, overridden by operation-level ones of the same name and place. */
function mergeParameters(document: Json, shared: unknown, own: unknown): Json[] {
  const byKey = new Map<string, Json>();
  for (const list of [shared, own]) {
    for (const raw of Array.isArray(list) ? list : []) {
      const parameter = deref(document, raw);
      if (isObject(parameter)) byKey.set(`${String(parameter.in)} ${String(parameter.name)}`, parameter);
    }
  }
  return [...byKey.values()];
}

function firstMedia(content: unknown): Json | undefined {
  if (!isObject(content)) return undefined;
  const first = Object.values(content)[0];
  return isObject(first) ? first : undefined;
}

/**
 * The request body: JSON, a form, multipart, XML, text or binary, from the media type's example or
 * its schema. A binary body (a file) has no value to generate: it is sent empty, and `binary` says so.
 */
function requestBody(document: Json, raw: unknown, binary: (type: string) => void): Record<string, unknown> | undefined {
  const body = deref(document, raw);
  if (!isObject(body) || !isObject(body.content)) return undefined;
  const types = Object.keys(body.content);
  const pick =
    types.find((type) => /^application\/(.+\+)?json/i.test(type)) ??
    types.find((type) => /x-www-form-urlencoded/i.test(type)) ??
    types.find((type) => /^multipart\/form-data/i.test(type)) ??
    types.find((type) => /xml/i.test(type)) ??
    types.find((type) => /^text\//i.test(type)) ??
    types[0];
  if (pick === undefined) return undefined;
  const media = body.content[pick];
  if (!isObject(media)) return undefined;
  if (/^multipart\/form-data/i.test(pick)) return multipartBody(document, media);
  if (!/json|x-www-form-urlencoded|xml|^text\//i.test(pick)) {
    const example = exampleOf(document, media);
    if (typeof example === 'string') return { text: example, contentType: pick };
    if (body.required === true) binary(pick);
    return body.required === true ? { text: '', contentType: pick } : undefined;
  }
  const value = exampleOf(document, media) ?? sampleSchema(document, media.schema);
  if (value === undefined) return undefined;
  if (/json/i.test(pick)) return pick.toLowerCase().startsWith('application/json') ? { json: value } : { json: value, contentType: pick };
  if (/x-www-form-urlencoded/i.test(pick) && isObject(value)) {
    return {
      form: Object.fromEntries(Object.entries(value).map(([key, item]) => [key, Array.isArray(item) ? item.map(scalar) : scalar(item)])),
    };
  }
  if (/xml/i.test(pick))
    return { xml: typeof value === 'string' ? value : String(value), ...(pick === 'application/xml' ? {} : { contentType: pick }) };
  return { text: typeof value === 'string' ? value : JSON.stringify(value) };
}

/**
 * A multipart/form-data body: one part per property of the object (an array repeats the name); a
 * binary property (`format: binary`, `contentMediaType`) is a part with a filename, its content type
 * from the media type's `encoding`, and no content; another part has the `encoding`'s content type, or
 * application/json when its value is an object or an array (sent as JSON).
 */
function multipartBody(document: Json, media: Json): Record<string, unknown> | undefined {
  const value = exampleOf(document, media) ?? sampleSchema(document, media.schema);
  if (!isObject(value)) return undefined;
  const schema = deref(document, media.schema);
  const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  const encoding = isObject(media.encoding) ? media.encoding : {};
  const parts: Record<string, unknown>[] = [];
  for (const [name, item] of Object.entries(value)) {
    const property = deref(document, properties[name]);
    const items = isObject(property) && property.type === 'array' ? deref(document, property.items) : property;
    const isBinary = isObject(items) && (items.format === 'binary' || typeof items.contentMediaType === 'string');
    const partEncoding = isObject(encoding[name]) ? encoding[name] : {};
    for (const one of Array.isArray(item) ? item : [item]) {
      if (isBinary) {
        const contentType =
          typeof partEncoding.contentType === 'string'
            ? partEncoding.contentType.split(',')[0]?.trim()
            : isObject(items) && typeof items.contentMediaType === 'string'
              ? items.contentMediaType
              : 'application/octet-stream';
        parts.push({ name, value: '', filename: name, contentType });
      } else {
        // The part's media type (OAS 3.0.3 §4.7.14.4, Encoding Object `contentType`): the encoding's,
        // else application/json for an object; other values are text/plain, a part with no header
        // (RFC 7578 §4.4).
        const contentType =
          typeof partEncoding.contentType === 'string'
            ? partEncoding.contentType.split(',')[0]?.trim()
            : isObject(one) || Array.isArray(one)
              ? 'application/json'
              : undefined;
        parts.push({ name, value: scalar(one), ...(contentType ? { contentType } : {}) });
      }
    }
  }
  return parts.length === 0 ? undefined : { multipart: parts };
}

function scalar(value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}
