/**
 * Requests seen on the wire (a HAR entry, a curl command) as Sortie files: one step per request,
 * each origin a service, and every credential found — the Authorization header, API-key headers and
 * query parameters, session cookies, password and token fields of bodies — an auth profile or a
 * `{{SECRET}}` template with a `secrets` declaration, never a literal value.
 */
import {
  FIELD_NAME,
  isCredentialHeader,
  isCredentialQueryParameter,
  isSessionCookie,
  SECRET_NAME_PATTERN,
  splitAuthorization,
} from '@sortie/core';
import { type ImportedFile, type ImportResult, literal, SecretRegistry, secretName, slugify } from '../import-result.js';

export interface CapturedRequest {
  /** The step's name (default `METHOD /path`). */
  name?: string;
  method: string;
  url: string;
  headers: Array<[name: string, value: string]>;
  body?: {
    mimeType?: string;
    text?: string;
    params?: Array<{ name: string; value: string }>;
    /** multipart/form-data parts (curl's `-F`, a HAR's multipart params): a value, or a file to read. */
    parts?: CapturedPart[];
    /** A file sent as the body (curl's `--data-binary @file`), relative to the scenario file. */
    file?: string;
  };
  /** Credentials given apart from the headers (curl's `-u`, `--digest`). */
  login?: { user: string; password: string; type: 'basic' | 'digest' };
  /** Settings of the step (curl's `-L`, `--max-time`, `--retry`). */
  settings?: CapturedSettings;
  /** The recorded response status, asserted by the step (HAR). */
  status?: number;
}

/** A step's transfer settings, as the scenario format writes them (docs/http.md, docs/flow-control.md#retries). */
export interface CapturedSettings {
  /** Request timeout, ms. */
  timeout?: number;
  followRedirects?: boolean;
  maxRedirects?: number;
  /** Offer HTTP/2 on TLS connections (curl's --http2). */
  http2?: boolean;
  retry?: { count: number; delay: number; backoff: 'fixed' | 'exponential'; statuses: number[] };
}

/** Headers a client sets by itself (or that the step's body and auth set). */
const DROPPED = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'accept-encoding',
  'cookie',
  'authorization',
  'transfer-encoding',
]);
/** What a browser adds to every request (client hints, fetch metadata): not part of what the API is asked. */
const BROWSER_NOISE = /^(sec-ch-|sec-fetch-|upgrade-insecure-requests$|priority$)/;

/** A multipart/form-data part: its value, or a file (relative to the scenario file). */
export interface CapturedPart {
  name: string;
  value?: string;
  file?: string;
  filename?: string;
  contentType?: string;
}

/** Adds (once per credential `key`) a profile named `base`, `base2`…; `make` gets the suffix of its secrets ('' or `_2`…). */
type AddProfile = (key: string, base: string, make: (suffix: string) => Record<string, unknown>) => string;

export interface CaptureOptions {
  /** The scenario's name. */
  name: string;
  /** The file name of the scenario (without extension). */
  file?: string;
}

export function importCapturedRequests(requests: readonly CapturedRequest[], options: CaptureOptions): ImportResult {
  const secrets = new SecretRegistry();
  const notes: string[] = [];
  const origins = new Map<string, string>();
  const profiles: Record<string, Record<string, unknown>> = {};
  const profileByCredential = new Map<string, string>();
  // One profile per credential; a second credential of the same kind (an admin's token, then a user's) is a
  // second profile whose secrets are told apart by a suffix (`BEARER_TOKEN_2`): both are replayed as recorded.
  const addProfile: AddProfile = (key, base, make) => {
    const known = profileByCredential.get(key);
    if (known !== undefined) return known;
    let name = base;
    let suffix = '';
    for (let n = 2; profiles[name] !== undefined; n++) {
      name = `${base}${n}`;
      suffix = `_${n}`;
    }
    profiles[name] = make(suffix);
    profileByCredential.set(key, name);
    return name;
  };
  const steps = requests.map((captured) => {
    const url = new URL(captured.url);
    let service = origins.get(url.origin);
    if (service === undefined) {
      service = origins.size === 0 ? 'api' : `api${origins.size + 1}`;
      origins.set(url.origin, service);
    }
    let auth: string | undefined;
    const headers: Record<string, string> = {};
    const authorization = captured.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1];
    // The Authorization header (or curl's -u) is the step's profile: an API-key header sent with it
    // (X-API-Key next to a Bearer token) stays a header of the step, its value a secret.
    const authorized = authorization !== undefined || captured.login !== undefined;
    for (const [rawName, value] of captured.headers) {
      const name = rawName.toLowerCase();
      // A Host other than the URL's (curl -H 'Host: shop.example' http://10.0.0.5/) names the virtual host asked for
      // (RFC 9110 §7.2): it is kept; the URL's own is the one the client sends by itself.
      const otherHost = name === 'host' && !isHostOf(value, url);
      if (name.startsWith(':') || (DROPPED.has(name) && !otherHost) || BROWSER_NOISE.test(name)) continue;
      if (name === 'content-type' && captured.body !== undefined) continue;
      // `Expect: 100-continue` (curl adds it to a large body; `-H 'Expect: 100-continue'`) cannot be sent by the
      // run's HTTP client: kept, it made the step an error every time. Without it the body is sent at once,
      // which RFC 9110 §10.1.1 lets a client do.
      if (name === 'expect') {
        const note = `${captured.method.toUpperCase()} ${url.pathname}: the header "${rawName}: ${value}" is left out: the HTTP client cannot send it, and sends the body at once (RFC 9110 §10.1.1; docs/http.md)`;
        if (!notes.includes(note)) notes.push(note);
        continue;
      }
      // A name that is not a token (RFC 9110 §5.1: `-H 'Bad Header: v'`, which curl sends as written) cannot be
      // sent by the run's HTTP client, and a scenario holding it is refused at load: left out, with a note.
      if (!FIELD_NAME.test(rawName)) {
        const note = `${captured.method.toUpperCase()} ${url.pathname}: the header ${JSON.stringify(rawName)} is left out: a header name can only have letters, digits and !#$%&'*+-.^_\`|~ (RFC 9110 §5.1)`;
        if (!notes.includes(note)) notes.push(note);
        continue;
      }
      if (isCredentialHeader(name)) {
        const secret = secretName(rawName);
        if (auth === undefined && !authorized) {
          auth = addProfile(`header ${name} ${value}`, slugify(rawName, 'api-key'), (suffix) => ({
            type: 'apiKey',
            in: 'header',
            name: rawName,
            value: secrets.declare(`${secret}${suffix}`, `the ${rawName} header of the captured requests`),
          }));
        } else headers[rawName] = secrets.declare(secret, `the ${rawName} header of the captured requests`);
        continue;
      }
      if (name === 'proxy-authorization') {
        // The proxy's credentials (RFC 9110 §11.7.2): the scheme is kept, the credentials are a secret.
        const { scheme } = splitAuthorization(value);
        const secret = secrets.declare('PROXY_AUTHORIZATION_CREDENTIALS', 'the credentials of the Proxy-Authorization header');
        headers[rawName] = scheme === '' ? secret : `${literal(scheme)} ${secret}`;
        continue;
      }
      // A URL in a header (the page a browser came from) holds the page's query: its credentials are secrets too.
      headers[literal(rawName)] =
        name === 'referer' || name === 'location' || name === 'content-location' ? hideQueryCredentials(value, secrets) : literal(value);
    }
    if (authorization !== undefined) auth = authorizationProfile(authorization, addProfile, secrets) ?? auth;
    // curl sends a custom Authorization header instead of the one -u would make (curl(1), -H).
    if (captured.login !== undefined && authorization === undefined) {
      const { type } = captured.login;
      auth = addProfile(`${type} ${captured.login.user}`, type, (suffix) => ({
        type,
        username: secrets.declare(`${secretName(type, 'username')}${suffix}`, `user name of HTTP ${type} authentication`),
        password: secrets.declare(`${secretName(type, 'password')}${suffix}`, `password of HTTP ${type} authentication`),
      }));
    }
    const cookie = captured.headers
      .filter(([name]) => name.toLowerCase() === 'cookie')
      .map(([, value]) => value)
      .join('; ');
    if (cookie !== '') headers.Cookie = templateCookies(cookie, secrets);
    const query: Record<string, string | string[]> = {};
    for (const [rawName, value] of url.searchParams) {
      const name = literal(rawName);
      let kept = literal(value);
      if (isCredentialQueryParameter(rawName)) {
        if (auth === undefined) {
          auth = addProfile(`query ${rawName} ${value}`, slugify(rawName, 'api-key'), (suffix) => ({
            type: 'apiKey',
            in: 'query',
            name,
            value: secrets.declare(`${secretName(rawName)}${suffix}`, `the ${rawName} query parameter of the captured requests`),
          }));
          continue;
        }
        kept = secrets.declare(secretName(rawName), `the ${rawName} query parameter of the captured requests`);
      }
      const previous = query[name];
      query[name] = previous === undefined ? kept : [...(Array.isArray(previous) ? previous : [previous]), kept];
    }
    const request: Record<string, unknown> = { method: captured.method.toUpperCase(), service, url: url.pathname || '/' };
    if (Object.keys(headers).length > 0) request.headers = headers;
    if (Object.keys(query).length > 0) request.query = query;
    const body = importBody(captured.body, secrets);
    if (body !== undefined) request.body = body;
    // A recorded redirect (RFC 9110 §15.4) is followed by the entry of its target: the step returns the
    // 3xx as recorded instead of following it (which made the step's status the target's).
    if (captured.status !== undefined && captured.status >= 300 && captured.status < 400 && captured.status !== 304) {
      request.followRedirects = false;
    }
    if (auth !== undefined) request.auth = auth;
    const { retry, ...transfer } = captured.settings ?? {};
    Object.assign(request, transfer);
    const step: Record<string, unknown> = { name: literal(captured.name ?? `${request.method} ${url.pathname}`), request };
    if (retry !== undefined) step.retry = retry;
    if (captured.status !== undefined && captured.status > 0) step.post = [{ assert: { status: { equals: captured.status } } }];
    return step;
  });
  const variables: Record<string, string> = {};
  const services: Record<string, unknown> = {};
  let index = 0;
  for (const [origin, service] of origins) {
    const variable = index === 0 ? 'baseUrl' : `baseUrl${index + 1}`;
    variables[variable] = origin;
    services[service] = index === 0 ? { url: `{{${variable}}}`, default: true } : `{{${variable}}}`;
    index += 1;
  }
  const environment: Record<string, unknown> = { name: options.name, variables };
  if (secrets.names.length > 0) environment.secrets = secrets.names;
  environment.services = services;
  if (Object.keys(profiles).length > 0) environment.auth = { profiles };
  const files: ImportedFile[] = [
    { path: `scenarios/${options.file ?? slugify(options.name, 'imported')}`, kind: 'scenario', value: { name: options.name, steps } },
    { path: 'environments/default', kind: 'environment', value: environment },
    { path: 'sortie.config', kind: 'project', value: { defaultEnvironment: 'default' } },
  ];
  return { files, secrets: secrets.list, notes };
}

/** The Authorization header as a profile: Bearer, Basic (user name and password secret), else the header value as a secret. */
function authorizationProfile(value: string, addProfile: AddProfile, secrets: SecretRegistry): string | undefined {
  const { scheme, credentials: credential } = splitAuthorization(value);
  if (/^bearer$/i.test(scheme)) {
    return addProfile(`bearer ${credential}`, 'bearer', (suffix) => ({
      type: 'bearer',
      token: secrets.declare(`BEARER_TOKEN${suffix}`, 'the bearer token of the captured requests'),
    }));
  }
  if (/^basic$/i.test(scheme)) {
    return addProfile(`basic ${credential}`, 'basic', (suffix) => ({
      type: 'basic',
      username: secrets.declare(`BASIC_USERNAME${suffix}`, 'user name of HTTP basic authentication'),
      password: secrets.declare(`BASIC_PASSWORD${suffix}`, 'password of HTTP basic authentication'),
    }));
  }
  return addProfile(`authorization ${value}`, 'authorization', (suffix) => ({
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    // A value of one word (no scheme) is all credentials: none of it is written.
    value:
      scheme === ''
        ? secrets.declare(`AUTHORIZATION_CREDENTIALS${suffix}`, 'the credentials of the Authorization header')
        : `${scheme} ${secrets.declare(`AUTHORIZATION_CREDENTIALS${suffix}`, `the ${scheme} credentials of the Authorization header`)}`,
  }));
}

/** A URL with the value of each credential query parameter (`access_token`, `sig`…) a secret; the rest literal. */
function hideQueryCredentials(url: string, secrets: SecretRegistry): string {
  const at = url.indexOf('?');
  if (at === -1) return literal(url);
  const end = url.indexOf('#', at) === -1 ? url.length : url.indexOf('#', at);
  const query = url
    .slice(at + 1, end)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replaceAll('+', ' '));
      } catch {
        // a malformed escape: the name as written
      }
      if (equals === -1 || !isCredentialQueryParameter(name)) return literal(pair);
      return `${literal(rawName)}=${secrets.declare(secretName(name), `the ${name} query parameter of the captured requests`)}`;
    })
    .join('&');
  return `${literal(url.slice(0, at))}?${query}${literal(url.slice(end))}`;
}

/** A Cookie header with each session-like cookie's value a secret. */
function templateCookies(header: string, secrets: SecretRegistry): string {
  return header
    .split(/;\s*/)
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const name = at === -1 ? pair : pair.slice(0, at);
      if (at === -1 || !isSessionCookie(name)) return literal(pair);
      return `${literal(name)}=${secrets.declare(secretName('cookie', name), `the ${name} cookie of the captured requests`)}`;
    })
    .join('; ');
}

/** A body as JSON, a form or text; password and token fields become secrets. */
function importBody(body: CapturedRequest['body'], secrets: SecretRegistry): Record<string, unknown> | undefined {
  if (body === undefined) return undefined;
  const mimeType = (body.mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.file !== undefined) return { file: literal(body.file), ...(mimeType === '' ? {} : { contentType: body.mimeType }) };
  // A multipart body is its parts (a new boundary is drawn when sent): a password field among them is a secret too.
  const parts = body.parts ?? (mimeType === 'multipart/form-data' ? parseMultipart(body.mimeType ?? '', body.text ?? '') : undefined);
  if (parts !== undefined) {
    return {
      multipart: parts.map((part) => {
        const out: Record<string, unknown> = { name: literal(part.name) };
        if (part.file !== undefined) out.file = literal(part.file);
        else if (part.filename === undefined && SECRET_NAME_PATTERN.test(part.name))
          out.value = secrets.declare(secretName(part.name), `the ${part.name} field of a captured multipart form`);
        else out.value = literal(part.value ?? '');
        if (part.filename !== undefined) out.filename = literal(part.filename);
        if (part.contentType !== undefined) out.contentType = part.contentType;
        return out;
      }),
    };
  }
  const hasParams = body.params !== undefined && body.params.length > 0;
  // A text sent as a form (curl's -d sets that type for any data) is read as name=value pairs only when it is
  // one: `-d '{"a":1}'` is sent as written, not as a form field named {"a":1}.
  if (
    (mimeType === 'application/x-www-form-urlencoded' && (hasParams || isFormText(body.text ?? ''))) ||
    (hasParams && !mimeType.startsWith('multipart/'))
  ) {
    const pairs = body.params ?? [...new URLSearchParams(body.text ?? '')].map(([name, value]) => ({ name, value }));
    const form: Record<string, string | string[]> = {};
    for (const { name, value } of pairs) {
      const kept = SECRET_NAME_PATTERN.test(name)
        ? secrets.declare(secretName(name), `the ${name} field of a captured form`)
        : literal(value);
      const previous = form[literal(name)];
      form[literal(name)] = previous === undefined ? kept : [...(Array.isArray(previous) ? previous : [previous]), kept];
    }
    return { form };
  }
  const text = body.text ?? '';
  if (/[/+]json$/.test(mimeType) || (mimeType === 'application/x-www-form-urlencoded' && /^\s*[[{]/.test(text))) {
    try {
      const json = hideSecretFields(JSON.parse(text), secrets);
      return mimeType === 'application/json' ? { json } : { json, contentType: body.mimeType };
    } catch {
      // not JSON after all: sent as text below
    }
  }
  if (text === '') return undefined;
  return mimeType === '' ? { text: literal(text) } : { text: literal(text), contentType: body.mimeType };
}

/**
 * Text that reads back as the same application/x-www-form-urlencoded pairs (WHATWG URL §5.1): every
 * `&`-separated piece is `name=value`, with no space, quote, brace or backslash a form encoder would
 * have escaped.
 */
function isFormText(text: string): boolean {
  return text !== '' && text.split('&').every((piece) => /^[^=\s"{}<>\\^`|]+=[^=\s"{}<>\\^`|]*$/.test(piece));
}

function hideSecretFields(value: unknown, secrets: SecretRegistry): unknown {
  if (Array.isArray(value)) return value.map((item) => hideSecretFields(item, secrets));
  if (value === null || typeof value !== 'object') return literal(value);
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) =>
      SECRET_NAME_PATTERN.test(key) && (typeof child === 'string' || typeof child === 'number')
        ? [literal(key), secrets.declare(secretName(key), `the ${key} field of a captured JSON body`)]
        : [literal(key), hideSecretFields(child, secrets)],
    ),
  );
}

/**
 * A recorded multipart/form-data body (RFC 7578) as its parts: each part's name, filename and content
 * type from its headers (RFC 7578 §4.2, §4.4), its content up to the next delimiter (RFC 2046 §5.1.1).
 * Undefined when the body cannot be split (no boundary, no delimiter found): it is then kept as text.
 */
function parseMultipart(contentType: string, text: string): CapturedPart[] | undefined {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const delimiter = `--${boundary?.[1] ?? boundary?.[2] ?? ''}`;
  if (delimiter === '--' || !text.includes(delimiter)) return undefined;
  const parts: CapturedPart[] = [];
  for (const chunk of text.split(delimiter).slice(1)) {
    if (chunk.startsWith('--')) break;
    const headEnd = chunk.indexOf('\r\n\r\n') === -1 ? chunk.indexOf('\n\n') : chunk.indexOf('\r\n\r\n');
    if (headEnd === -1) return undefined;
    const head = chunk.slice(0, headEnd);
    const content = chunk
      .slice(headEnd)
      .replace(/^(\r\n\r\n|\n\n)/, '')
      .replace(/\r?\n$/, '');
    const disposition = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return undefined;
    const part: CapturedPart = { name, value: content };
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename !== undefined) part.filename = filename;
    const type = /^content-type:\s*(.*?)\s*$/im.exec(head)?.[1];
    if (type !== undefined && type !== '') part.contentType = type;
    parts.push(part);
  }
  return parts;
}

/** Whether a Host header names the URL's host and port (`example.com:443` is `https://example.com`'s). */
function isHostOf(value: string, url: URL): boolean {
  const written = `${url.protocol}//${value.trim()}`;
  return URL.canParse(written) && new URL(written).host === url.host;
}
