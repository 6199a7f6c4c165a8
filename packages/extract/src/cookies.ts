/**
 * Reads the name and value of every `Set-Cookie` header; when a name repeats, the last one wins.
 * Attributes (Path, Expires, …) are ignored.
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.2 (steps 1–5 of the set-cookie algorithm)
 */
export function parseSetCookies(headerValues: readonly string[]): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of headerValues) {
    // 1. The name-value-pair is everything up to the first ";".
    const semicolon = header.indexOf(';');
    const pair = semicolon === -1 ? header : header.slice(0, semicolon);
    // 2. Without "=", ignore the set-cookie-string.
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    // 3–5. Name and value, with surrounding whitespace removed; an empty name is ignored.
    const name = pair.slice(0, equals).trim();
    if (name === '') continue;
    cookies.set(name, pair.slice(equals + 1).trim());
  }
  return cookies;
}
