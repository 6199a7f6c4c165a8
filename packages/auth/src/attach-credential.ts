/**
 * Putting a credential on a request: static schemes (bearer, basic, apiKey) and OAuth 2.0 tokens (header with a
 * prefix, or a query parameter).
 */
import type { ApiKeyAuth, BasicAuth, BearerAuth, OAuth2Auth, PreparedRequest } from '@sortie/core';
import { setHeader } from './signing/request-parts.js';

/** Returns a copy of `request` whose query parameter `name` is set to `value`. */
export function setQueryParam(request: PreparedRequest, name: string, value: string): PreparedRequest {
  const url = new URL(request.url);
  url.searchParams.set(name, value);
  return { ...request, url: url.toString() };
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
 * The "bearer" token type is written "Bearer" whatever its case in the response.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2
 */
export function attachToken(profile: OAuth2Auth, token: string, tokenType: string | undefined, request: PreparedRequest): PreparedRequest {
  const placement = profile.placement ?? { in: 'header' as const, name: 'Authorization' };
  if (placement.in === 'query') return setQueryParam(request, placement.name, token);
  const type = tokenType === undefined || tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType;
  const prefix = placement.prefix ?? type;
  return setHeader(request, placement.name, prefix === '' ? token : `${prefix} ${token}`);
}
