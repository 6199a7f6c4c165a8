/**
 * Query-string building for request URLs.
 */
import { fieldText } from './field-text.js';

/** A query parameter value; arrays repeat the key. */
export type QueryValue = string | number | boolean | Array<string | number | boolean>;

/** Query parameters by name. */
export type QueryParams = Record<string, QueryValue>;

/**
 * Appends query parameters to a URL, keeping the parameters already in it byte for byte (they are not
 * re-encoded). Array values repeat the key (`a=1&a=2`); names and values are percent-encoded as URI components,
 * a lone surrogate as U+FFFD (as the URL parser encodes one in the path) where encodeURIComponent would throw.
 * A fragment (`#...`) stays at the end. Works on absolute URLs and on paths.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.4
 * @see https://url.spec.whatwg.org/#concept-urlencoded-serializer
 */
export function buildUrl(url: string, query?: QueryParams): string {
  if (query === undefined) return url;
  let added = '';
  for (const name in query) {
    const value = query[name];
    if (value === undefined) continue;
    const key = encodeComponent(name);
    if (Array.isArray(value)) {
      for (const item of value) added += `&${key}=${encodeComponent(fieldText(item))}`;
    } else {
      added += `&${key}=${encodeComponent(fieldText(value))}`;
    }
  }
  if (added === '') return url;

  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = base.indexOf('?');
  let joined: string;
  if (queryAt === -1) joined = `${base}?${added.slice(1)}`;
  else if (queryAt === base.length - 1 || base.endsWith('&')) joined = base + added.slice(1);
  else joined = base + added;
  return joined + fragment;
}

/** `String.prototype.toWellFormed` (ES2024, Node 20): each lone surrogate becomes U+FFFD; a well-formed text is returned as it is. */
type WellFormable = string & { toWellFormed(): string };

function encodeComponent(text: string): string {
  return encodeURIComponent((text as WellFormable).toWellFormed());
}
