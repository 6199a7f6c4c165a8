/**
 * What a static credential must be to go in a header: a token or API key with a line break or a character outside
 * ISO-8859-1 (a `€` pasted into an environment file), or an API key header name with a space, made the HTTP client
 * refuse the request with "invalid Authorization header", which named neither the profile nor the field.
 */
import { type ApiKeyAuth, type BasicAuth, type BearerAuth, FIELD_NAME } from '@sortie/core';
import { ProfileFieldError } from './auth-error.js';

/** RFC 9110 §5.1: a field name is a token. */
/** RFC 9110 §5.5: a field value is visible ASCII, space, tab and obs-text (0x80–0xFF); never CR, LF or NUL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Throws SORTIE_AUTH ("Invalid auth profile") when the header a bearer or apiKey profile sets could not be sent. The
 * message names the profile and the field, never the value (a secret). Basic credentials are base64: always sendable.
 */
export function checkStaticCredential(name: string, profile: BearerAuth | BasicAuth | ApiKeyAuth): void {
  const fields: Array<[string, string]> = [];
  if (profile.type === 'bearer') fields.push(['token', profile.token], ['prefix', profile.prefix ?? '']);
  if (profile.type === 'apiKey' && profile.in !== 'query') {
    if (!FIELD_NAME.test(profile.name)) {
      throw new ProfileFieldError(
        name,
        ['name'],
        'Invalid auth profile',
        `name "${profile.name}" is not a valid header name (RFC 9110 §5.1)`,
        {
          hint: "a header name is letters, digits and !#$%&'*+-.^_`|~, without spaces",
        },
      );
    }
    fields.push(['value', profile.value]);
  }
  for (const [field, value] of fields) {
    if (FIELD_VALUE.test(value)) continue;
    throw new ProfileFieldError(
      name,
      [field],
      'Invalid auth profile',
      `the ${field} contains a line break or a character outside ISO-8859-1, which a header cannot carry (RFC 9110 §5.5)`,
      { hint: `check the variable the ${field} comes from (a stray newline or a pasted character)` },
    );
  }
}
