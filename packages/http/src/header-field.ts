/**
 * What a request header can carry, checked before undici sees it: undici refuses a bad one with "invalid
 * X-Tok header", which says neither what is wrong nor where. The value is never quoted (it may be a secret).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.1 (field names are tokens)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.5 (field values: visible characters, space, tab, obs-text)
 */
import { ErrorCode, FIELD_NAME, redactUserinfo, SortieError } from '@sortie/core';

/** A character outside field-content: a control character other than tab, DEL, or one above U+00FF. */
const BAD_VALUE_CHARACTER = /[\0-\x08\x0a-\x1f\x7f\u0100-\uffff]/u;

const TITLE = 'Invalid header';
const PREFIX = 'request header "';

/** Throws an INVALID_INPUT error naming the header when `name` or `value` cannot be sent. */
export function checkHeaderField(name: string, value: string, method: string, url: string): void {
  const exchange = `(${method} ${redactUserinfo(url)})`;
  if (!FIELD_NAME.test(name)) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      TITLE,
      `${PREFIX}${name}" has a name a header cannot have: only letters, digits and !#$%&'*+-.^_\`|~ (RFC 9110 §5.1) ${exchange}`,
      { hint: 'rename the header' },
    );
  }
  const bad = BAD_VALUE_CHARACTER.exec(value);
  if (bad === null) return;
  const char = bad[0];
  const what =
    char === '\n' || char === '\r'
      ? 'a line break'
      : char.charCodeAt(0) > 0xff
        ? `the character U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
        : `the control character 0x${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  const hint =
    char === '\n' || char === '\r'
      ? 'remove the line break from the value (in a .env file, "\\n" inside double quotes is one), or encode the value'
      : 'encode the value (percent-encoding or base64), as the API expects it';
  throw new SortieError(
    ErrorCode.INVALID_INPUT,
    TITLE,
    `${PREFIX}${name}" has ${what} in its value, which a header cannot carry (RFC 9110 §5.5) ${exchange}`,
    { hint },
  );
}

/**
 * The INVALID_INPUT error of a header the client cannot send at all (`Expect`, `Upgrade`…: undici refuses
 * them), naming the header as {@link checkHeaderField} does, so the step's error points at that header.
 */
export function unsendableHeaderError(name: string, what: string, hint: string, method: string, url: string): SortieError {
  return new SortieError(
    ErrorCode.INVALID_INPUT,
    TITLE,
    `${PREFIX}${name}" cannot be sent: the HTTP client cannot send ${what} (${method} ${redactUserinfo(url)})`,
    { hint },
  );
}

/** The name of the header an error of {@link checkHeaderField} or {@link unsendableHeaderError} is about, else undefined. */
export function invalidHeaderName(error: { code: string; title: string; message: string }): string | undefined {
  if (error.code !== ErrorCode.INVALID_INPUT || error.title !== TITLE || !error.message.startsWith(PREFIX)) return undefined;
  // A header name is a token (RFC 9110 §5.1), which has no `"`: the first one after it ends it.
  const end = error.message.indexOf('" ', PREFIX.length);
  return end === -1 ? undefined : error.message.slice(PREFIX.length, end);
}
