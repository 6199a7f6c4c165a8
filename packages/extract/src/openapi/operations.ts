/**
 * Finding the operation of a request in an OpenAPI description: by `operationId`, or by method and
 * path, with path templates (`/pets/{petId}`) and the path part of every server URL (`servers`,
 * server variables included) as a prefix, or none. A concrete path wins over a templated one.
 * @see https://spec.openapis.org/oas/v3.1.0#path-templating-matching
 * @see https://spec.openapis.org/oas/v3.1.0#server-object
 */

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface OperationEntry {
  method: (typeof HTTP_METHODS)[number];
  /** The path template as written, e.g. `/pets/{petId}`. */
  path: string;
  operationId?: string;
  /** JSON pointer of the operation in the (bundled) description. */
  pointer: string;
  operation: Record<string, unknown>;
  /** How to match a request path (server prefixes included). */
  matchers: RegExp[];
  /** Number of templated segments (fewer wins). */
  templated: number;
}

type Json = Record<string, unknown>;

/** Every operation of the description's `paths`, with its matchers. */
export function indexOperations(document: Json): OperationEntry[] {
  const entries: OperationEntry[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  const rootServers = serverPrefixes(document.servers);
  for (const [path, raw] of Object.entries(paths)) {
    // A path item may be a $ref (to components/pathItems in 3.1, or where bundling put a shared file).
    const { value: item, pointer: itemPointer } = resolveRef(document, raw, `/paths/${escapePointer(path)}`);
    if (!isObject(item)) continue;
    const pathServers = Array.isArray(item.servers) && item.servers.length > 0 ? serverPrefixes(item.servers) : rootServers;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const servers = Array.isArray(operation.servers) && operation.servers.length > 0 ? serverPrefixes(operation.servers) : pathServers;
      const template = templateSource(path);
      const entry: OperationEntry = {
        method,
        path,
        pointer: `${itemPointer}/${method}`,
        operation,
        // The servers' path prefixes, then the bare path: a mock server or a test deployment often serves the
        // description's paths at its root, whatever `servers` says.
        matchers: [...new Set([...servers, ''])].map((prefix) => new RegExp(`^${prefix}${template}/?$`)),
        templated: (path.match(/\{[^}]*\}/g) ?? []).length,
      };
      if (typeof operation.operationId === 'string') entry.operationId = operation.operationId;
      entries.push(entry);
    }
  }
  return entries;
}

/** The operation a request reaches: the concrete path first, then the fewest templated segments. */
export function matchOperation(entries: readonly OperationEntry[], method: string, url: string): OperationEntry | undefined {
  const lower = method.toLowerCase();
  const path = requestPath(url);
  let best: OperationEntry | undefined;
  for (const entry of entries) {
    if (entry.method !== lower) continue;
    if (!entry.matchers.some((matcher) => matcher.test(path))) continue;
    if (best === undefined || entry.templated < best.templated) best = entry;
  }
  return best;
}

/** The path of a request URL (percent-encoding kept; an empty path is `/`). */
function requestPath(url: string): string {
  try {
    return new URL(url).pathname || '/';
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

/** A path template as a regular expression source: `{name}` matches one non-empty segment. */
function templateSource(path: string): string {
  return path
    .split(/(\{[^}]*\})/)
    .map((part) => (/^\{[^}]*\}$/.test(part) ? '[^/]+' : escapeRegExp(part)))
    .join('');
}

/**
 * The path part of each server URL as a regular expression source, without a trailing slash:
 * `https://api.example.com/v1` → `/v1`; a variable matches what its `enum` allows, or any segment text.
 */
function serverPrefixes(servers: unknown): string[] {
  const list = Array.isArray(servers) && servers.length > 0 ? servers : [{ url: '/' }];
  const prefixes = new Set<string>();
  for (const server of list) {
    if (!isObject(server) || typeof server.url !== 'string') continue;
    const variables = isObject(server.variables) ? server.variables : {};
    // A variable that holds the origin (`{origin}/v2`, default `https://api.example.com`) is its default:
    // the origin is left out below, not taken for a path segment.
    const url = server.url.replace(/\{([^}]*)\}/g, (written, name: string) => {
      const fallback = isObject(variables[name]) ? variables[name].default : undefined;
      return typeof fallback === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(fallback) ? fallback : written;
    });
    // The path part: after scheme://authority when there is one. Server URLs may be relative.
    const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^\/\/[^/]*/, '');
    const path = withoutOrigin.startsWith('/') ? withoutOrigin : `/${withoutOrigin}`;
    const source = path
      .split(/(\{[^}]*\})/)
      .map((part) => {
        const name = /^\{([^}]*)\}$/.exec(part)?.[1];
        if (name === undefined) return escapeRegExp(part);
        const variable = variables[name];
        const allowed = isObject(variable) && Array.isArray(variable.enum) ? variable.enum.map(String) : undefined;
        return allowed === undefined ? '[^/]*' : `(?:${allowed.map(escapeRegExp).join('|')})`;
      })
      .join('')
      .replace(/\/+$/, '');
    prefixes.add(source);
  }
  return [...prefixes];
}

/**
 * What a value of the (bundled) description is once its `$ref`s are followed, with the JSON pointer
 * of where it is: `pointer` itself when the value is no reference. Only internal (`#/…`) references.
 */
export function resolveRef(document: Json, value: unknown, pointer: string): { value: unknown; pointer: string } {
  let current = value;
  let at = pointer;
  for (let hops = 0; hops < 32 && isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#'); hops++) {
    at = decodeFragment(current.$ref.slice(1));
    current = at
      .split('/')
      .slice(1)
      .reduce<unknown>((node, raw) => {
        const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        return isObject(node) || Array.isArray(node) ? (node as Json)[key] : undefined;
      }, document);
  }
  return { value: current, pointer: at };
}

/** A URI fragment as a JSON pointer (`%7B` → `{`); kept as written when it is not valid percent-encoding. */
function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
