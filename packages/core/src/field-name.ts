/**
 * What an HTTP field (header) name can be: a token (RFC 9110 §5.1, §5.6.2). One definition for the
 * scenario and auth schemas, the HTTP client's check before sending and the importers.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2
 */

/** The token characters, as the inside of a regular expression's character class. */
export const TOKEN_CHARACTERS = "!#$%&'*+\\-.^_`|~0-9A-Za-z";

/** A whole field name. */
export const FIELD_NAME = new RegExp(`^[${TOKEN_CHARACTERS}]+$`);
