/**
 * Putting a credential on a request: static schemes (bearer, basic, apiKey) and OAuth 2.0 tokens (header with a
 * prefix, or a query parameter).
 */
import type { ApiKeyAuth, BasicAuth, BearerAuth, OAuth2Auth, PreparedRequest } from '@sortie/core';
import { setHeader } from './signing/request-parts.js';

/**
 * Returns a copy of `request` with the query parameter `name` set to `value`: parameters of that name are removed
 * and `name=value` is added last, as postman-runtime's apikey and oauth2 authorizers do. The rest of the URL is
 * kept as it is, byte for byte: re-serialising the query (URLSearchParams) turned `a%20b` into `a+b`, `%41` into
 * `A`, `,` into `%2C` in every other parameter of the request.
 */
export function setQueryParam(request: PreparedRequest, name: string, value: string): PreparedRequest {
  return { ...request, url: replaceQueryParams(request.url, [[name, value]]) };
}

/**
 * Returns `url` with every query parameter named in `params` removed and `params` added last, in order (several of
 * one name all go). The rest of the URL, other parameters included, is kept byte for byte. The added ones are
 * encoded as postman-url-encoder does, or with `form`, as application/x-www-form-urlencoded (URLSearchParams:
 * `+` for a space, `:` and `/` escaped), as OAuth 2.0 clients write the authorization request.
 */
export function replaceQueryParams(url: string, params: ReadonlyArray<readonly [string, string]>, form = false): string {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash);
  const question = beforeHash.indexOf('?');
  const base = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const names = new Set(params.map(([name]) => name));
  const kept =
    question === -1
      ? []
      : beforeHash
          .slice(question + 1)
          .split('&')
          .filter((pair) => pair !== '' && !names.has(decodeQueryKey(pair)));
  for (const [name, value] of params) {
    if (form) kept.push(new URLSearchParams([[name, value]]).toString());
    else kept.push(`${encodeQueryComponent(name, true)}=${encodeQueryComponent(value, false)}`);
  }
  return `${base}?${kept.join('&')}${fragment}`;
}

/** The key of a `key=value` query pair, percent-decoded (`+` is a space); the raw text when it does not decode. */
function decodeQueryKey(pair: string): string {
  const equals = pair.indexOf('=');
  const key = (equals === -1 ? pair : pair.slice(0, equals)).replaceAll('+', ' ');
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * Percent-encodes a query key or value as postman-url-encoder does (the WHATWG special-query set: controls, space,
 * `"`, `#`, `<`, `>`, `'`, non-ASCII; and `&`, plus `=` in a key), and also `+`, which servers read as a space,
 * and a `%` that does not start an escape. Everything else (`,`, `/`, `?`, `:`, `@`…) is sent as written.
 * @see https://url.spec.whatwg.org/#special-query-percent-encode-set
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.4
 */
function encodeQueryComponent(text: string, key: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const code = char.charCodeAt(0);
    if (char === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) out += char;
    else if (code <= 0x20 || code >= 0x7f || '"#<>\'&+%'.includes(char) || (key && char === '=')) {
      const end = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? i + 2 : i + 1;
      out += encodeCharacter(text.slice(i, end));
      i = end - 1;
    } else out += char;
  }
  return out;
}

/** UTF-8 percent-encoding of one character (`'` too, which encodeURIComponent keeps); a lone surrogate as U+FFFD. */
function encodeCharacter(char: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * Attaches a static credential.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1 (bearer)
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2 (basic: user-id ":" password, UTF-8, base64)
 */
export function attachStaticCredential(profile: BearerAuth | BasicAuth | ApiKeyAuth, request: PreparedRequest): PreparedRequest {
  switch (profile.type) {
    case 'bearer':
      return setHeader(request, 'Authorization', profile.prefix === '' ? profile.token : `${profile.prefix} ${profile.token}`);
    case 'basic': {
      const encoded = Buffer.from(`${profile.username}:${profile.password}`, 'utf8').toString('base64');
      return setHeader(request, 'Authorization', `Basic ${encoded}`);
    }
    case 'apiKey':
      return profile.in === 'query' ? setQueryParam(request, profile.name, profile.value) : setHeader(request, profile.name, profile.value);
  }
}

/**
 * Attaches an OAuth 2.0 token where the profile places it: by default `Authorization: <token_type or Bearer> <token>`.
 * The "bearer" token type is written "Bearer" whatever its case in the response, and so is "N_A", the type a token
 * exchange answers for a token that is not an access token (RFC 8693 §2.2.1), which is no auth scheme.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2
 */
export function attachToken(profile: OAuth2Auth, token: string, tokenType: string | undefined, request: PreparedRequest): PreparedRequest {
  const placement = profile.placement ?? { in: 'header' as const, name: 'Authorization' };
  if (placement.in === 'query') return setQueryParam(request, placement.name, token);
  const type = tokenType === undefined || /^(?:bearer|n_a)$/i.test(tokenType) ? 'Bearer' : tokenType;
  const prefix = placement.prefix ?? type;
  return setHeader(request, placement.name, prefix === '' ? token : `${prefix} ${token}`);
}
