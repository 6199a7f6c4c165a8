/**
 * Reads the name and value of every `Set-Cookie` header; when a name repeats, the last one wins.
 * A Set-Cookie that removes its cookie (`Max-Age` of zero or less, else an `Expires` in the past: how a
 * logout clears a session) leaves no cookie of that name, as a user agent's store does (RFC 6265
 * §5.3 step 12); the cookie selector found `sid` with the value "" after a logout. Other attributes
 * (Path, Domain…) are ignored.
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.2 (steps 1–5 of the set-cookie algorithm)
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.3 (Max-Age wins over Expires, step 3)
 */
export function parseSetCookies(headerValues: readonly string[], now = Date.now()): Map<string, string> {
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
    if (semicolon !== -1 && isRemoval(header.slice(semicolon + 1), now)) cookies.delete(name);
    else cookies.set(name, pair.slice(equals + 1).trim());
  }
  return cookies;
}

/** Whether the attributes of a Set-Cookie expire its cookie at once: Max-Age ≤ 0, else an Expires before `now`. */
function isRemoval(attributes: string, now: number): boolean {
  let maxAge: string | undefined;
  let expires: string | undefined;
  for (const attribute of attributes.split(';')) {
    const equals = attribute.indexOf('=');
    if (equals === -1) continue;
    const key = attribute.slice(0, equals).trim().toLowerCase();
    const value = attribute.slice(equals + 1).trim();
    // §5.2.2: a Max-Age that is not a (negative) integer is ignored; the last attribute of a name wins.
    if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = value;
    else if (key === 'expires') expires = value;
  }
  if (maxAge !== undefined) return Number(maxAge) <= 0;
  if (expires === undefined) return false;
  const time = Date.parse(expires);
  return !Number.isNaN(time) && time < now;
}
