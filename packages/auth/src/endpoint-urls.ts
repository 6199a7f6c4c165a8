/**
 * The endpoints of a token profile, checked once its templates are rendered: a token request to `/token` (an empty
 * `{{issuer}}`) or to `localhost:8080/token` (no scheme, so `localhost:` is read as one) failed with "Invalid URL" or
 * named the endpoint `null8080/token`. Now the step's error names the field and the value it got.
 */
import type { AuthProfile } from '@sortie/core';
import { ProfileFieldError } from './auth-error.js';

/** Endpoint fields of an `oauth2` profile. */
const OAUTH2_ENDPOINTS = ['authUrl', 'tokenUrl', 'refreshUrl', 'deviceAuthorizationUrl', 'callbackUrl'] as const;

/**
 * Throws SORTIE_AUTH ("Invalid auth profile") when an endpoint of `profile` is not an absolute http:// or https://
 * URL (RFC 3986 §4.3). Profiles without endpoints (bearer, basic, apiKey) pass. `redact` takes the secrets out of
 * the value the message quotes (a key in a query string).
 */
export function checkEndpointUrls(name: string, profile: AuthProfile, redact: (text: string) => string): void {
  const fields: Array<[string, unknown]> = [];
  if (profile.type === 'oauth2') for (const field of OAUTH2_ENDPOINTS) fields.push([field, profile[field]]);
  if (profile.type === 'customToken') fields.push(['request.url', profile.request.url]);
  for (const [field, value] of fields) {
    if (typeof value !== 'string' || isHttpUrl(value)) continue;
    throw new ProfileFieldError(
      name,
      field.split('.'),
      'Invalid auth profile',
      `${field} "${redact(value)}" is not an absolute http:// or https:// URL`,
      { hint: 'write the scheme and host (https://auth.example.com/token), and check that the variables in it have values' },
    );
  }
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}
