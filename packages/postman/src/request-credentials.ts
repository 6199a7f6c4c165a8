/**
 * Credentials written literally in the requests of a collection, outside its auth — an Authorization
 * header, an API-key header, a session cookie, a query parameter named like a key or token, a
 * password in the URL — as `{{NAME}}` templates of declared secrets, for `sortie import postman`,
 * which never writes a secret. The names that mark a credential are the other importers' (HAR,
 * curl: `@sortie/core` credential-names). A value made of `{{variables}}` is kept as written: it
 * holds no literal secret.
 */
import {
  isCredentialHeader,
  isCredentialQueryParameter,
  isSessionCookie,
  type RequestSpec,
  type Scenario,
  splitAuthorization,
} from '@sortie/core';

/** A declared secret; `what` says where it was (updated when the same value is found again). */
export interface DeclaredSecret {
  name: string;
  what: string;
}

/** Declares a secret named `base` (or `base_2`… when taken) and returns it. */
export type DeclareSecret = (base: string, what: string) => DeclaredSecret;

/** `Users/Get user` + `password` → `USERS_GET_USER_PASSWORD` (camelCase fields split: `apiKey` → `API_KEY`). */
export function secretName(prefix: string, field: string): string {
  const words = `${prefix} ${field.replace(/([a-z0-9])([A-Z])/g, '$1 $2')}`;
  const name = words
    .normalize('NFKD')
    // The accents NFKD split off (combining marks) go: é → e, not e-.
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z]/.test(name) ? name : `POSTMAN_${name}`;
}

/** Whether `value` holds literal text besides its `{{variables}}` (punctuation between them aside). */
export function holdsLiteral(value: string): boolean {
  return /[A-Za-z0-9]/.test(value.replace(/\{\{[^{}]*\}\}/g, ''));
}

/**
 * Replaces, in place, each literal credential of the requests of `steps` by `{{NAME}}`, declaring
 * NAME: one secret per place and value (a value sent by several requests is one secret).
 */
export function hideRequestCredentials(steps: Scenario['steps'], declare: DeclareSecret): void {
  const known = new Map<string, { secret: DeclaredSecret; what: string; requests: string[] }>();
  const secretFor = (base: string, value: string, what: string, request: string): string => {
    const key = `${base}\n${value}`;
    let entry = known.get(key);
    if (entry === undefined) {
      entry = { secret: declare(base, `${what} of the request "${request}"`), what, requests: [] };
      known.set(key, entry);
    }
    if (!entry.requests.includes(request)) entry.requests.push(request);
    const [first, ...more] = entry.requests;
    if (more.length > 0) {
      const others = more.length === 1 ? `"${more[0]}"` : `${more.length} more`;
      entry.secret.what = `${entry.what} of the requests "${first}" and ${others}`;
    }
    return `{{${entry.secret.name}}}`;
  };
  const visit = (list: Scenario['steps'], path: string | undefined) => {
    for (const step of list) {
      // Every converted step is named after its item.
      const own = step.name ?? '';
      const name = path === undefined ? own : `${path}/${own}`;
      if ('group' in step) visit(step.group.steps, name);
      if ('request' in step) hideInRequest(step.request, (base, value, what) => secretFor(base, value, what, name));
    }
  };
  visit(steps, undefined);
}

type SecretFor = (base: string, value: string, what: string) => string;

function hideInRequest(request: RequestSpec, secretFor: SecretFor): void {
  for (const [header, value] of Object.entries(request.headers ?? {})) {
    if (typeof value !== 'string' || !holdsLiteral(value)) continue;
    const hidden = hideInHeader(header, value, secretFor);
    if (hidden !== value) request.headers![header] = hidden;
  }
  request.url = hideInUrl(request.url, secretFor);
}

function hideInHeader(header: string, value: string, secretFor: SecretFor): string {
  const lower = header.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const prefix = lower === 'proxy-authorization' ? 'PROXY_' : '';
    const { scheme, credentials } = splitAuthorization(value);
    if (!holdsLiteral(credentials)) return value;
    const base = /^bearer$/i.test(scheme) ? 'BEARER_TOKEN' : /^basic$/i.test(scheme) ? 'BASIC_CREDENTIALS' : 'AUTHORIZATION_CREDENTIALS';
    const what = `the ${scheme === '' ? '' : `${scheme} `}credentials of the ${header} header`;
    const secret = secretFor(`${prefix}${base}`, credentials, what);
    return scheme === '' ? secret : `${scheme} ${secret}`;
  }
  if (lower === 'cookie') {
    return value
      .split(/;\s*/)
      .map((pair) => {
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const cookie = pair.slice(at + 1);
        if (at === -1 || !isSessionCookie(name) || !holdsLiteral(cookie)) return pair;
        return `${name}=${secretFor(secretName('COOKIE', name), cookie, `the ${name} cookie`)}`;
      })
      .join('; ');
  }
  if (isCredentialHeader(header)) return secretFor(secretName('', header), value, `the ${header} header`);
  return value;
}

/** The URL with the values of credential query parameters, and a password before the host, as secrets. */
function hideInUrl(url: string, secretFor: SecretFor): string {
  // `scheme://user:password@host…` (the scheme may be left out, as postman-runtime allows).
  const userinfo = /^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#@:]*:)([^/?#@]*)@/.exec(url);
  if (userinfo !== null && holdsLiteral(userinfo[2]!)) {
    const secret = secretFor('URL_PASSWORD', userinfo[2]!, 'the password in the URL');
    url = `${userinfo[1]}${secret}@${url.slice(userinfo[0].length)}`;
  }
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return url;
  const hashAt = url.indexOf('#', queryAt);
  const end = hashAt === -1 ? url.length : hashAt;
  const query = url
    .slice(queryAt + 1, end)
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at === -1) return pair;
      const name = decodeName(pair.slice(0, at));
      const value = pair.slice(at + 1);
      if (!isCredentialQueryParameter(name) || !holdsLiteral(value)) return pair;
      return `${pair.slice(0, at)}=${secretFor(secretName('', name), value, `the ${name} query parameter`)}`;
    })
    .join('&');
  return `${url.slice(0, queryAt + 1)}${query}${url.slice(end)}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    return name;
  }
}
