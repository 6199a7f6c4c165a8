/**
 * A parameter's value as the description says it is sent: its `style` and `explode` (OpenAPI 3.0.3
 * §4.7.12.2 "Parameter Object" fixed fields, §4.7.12.4 "Style Values"; Swagger 2.0's
 * `collectionFormat` becomes these when the description is converted). The expansions are those of
 * RFC 6570 (§3.2.2 simple, §3.2.5 label, §3.2.7 matrix, §3.2.8/§3.2.9 form), which OpenAPI names;
 * `spaceDelimited`, `pipeDelimited` and `deepObject` are OpenAPI's own.
 * @see https://spec.openapis.org/oas/v3.0.3#style-values
 * @see https://www.rfc-editor.org/rfc/rfc6570#section-3.2
 */
import { isObject, type Json } from './document-refs.js';

/** How a parameter is sent: the text of a path segment or header, query pairs, or cookie pairs. */
export type StyledParameter =
  | { in: 'path' | 'header'; text: Scalar }
  | { in: 'query' | 'cookie'; pairs: Array<[name: string, value: Scalar]> };

type Scalar = string | number | boolean;

/** Where a parameter is, its style (default `form` for query and cookie, `simple` for path and header) and explode (default true for `form` only). */
export function styleParameter(parameter: Json, value: unknown): StyledParameter {
  const where = parameter.in === 'path' || parameter.in === 'header' || parameter.in === 'cookie' ? parameter.in : 'query';
  const name = String(parameter.name);
  // A parameter with `content` instead of a schema is its media type's text (JSON): no style applies (§4.7.12.2).
  if (isObject(parameter.content)) {
    return where === 'path' || where === 'header'
      ? { in: where, text: primitive(value) }
      : { in: where, pairs: [[name, primitive(value)]] };
  }
  const style = typeof parameter.style === 'string' ? parameter.style : where === 'query' || where === 'cookie' ? 'form' : 'simple';
  const explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
  // A path parameter's values are percent-encoded (RFC 6570 §3.2.1: only unreserved characters pass; OpenAPI
  // 3.0.3 §4.7.12.2 allows reserved ones in query values only): `a/b?c` is one segment, not a path and a query.
  if (where === 'path') return { in: where, text: expandInline(style, name, encodeValues(value), explode) };
  if (where === 'header') return { in: where, text: expandInline(style, name, value, explode) };
  return { in: where, pairs: expandPairs(style, name, value, explode) };
}

/** A primitive as text (a nested array or object, which no style defines, as JSON). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Strings percent-encoded, in arrays and objects too (keys included); numbers and booleans as they are. */
function encodeValues(value: unknown): unknown {
  if (typeof value === 'string') return encodeURIComponent(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? encodeURIComponent(item) : item));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [encodeURIComponent(key), typeof item === 'string' ? encodeURIComponent(item) : item]),
    );
  }
  return value;
}

/** A primitive as it is (a number stays a number), anything else as text. */
function primitive(value: unknown): Scalar {
  return typeof value === 'number' || typeof value === 'boolean' ? value : text(value);
}

/** An object's members as [key, text] pairs. */
function members(value: Json): Array<[string, string]> {
  return Object.entries(value).map(([key, item]) => [key, text(item)]);
}

/** simple, label, matrix: one string (a path segment, a header value). */
function expandInline(style: string, name: string, value: unknown, explode: boolean): Scalar {
  const list = Array.isArray(value) ? value.map(text) : undefined;
  const object = !Array.isArray(value) && isObject(value) ? members(value) : undefined;
  if (style === 'label') {
    // RFC 6570 §3.2.5: {.x} → .a,b ; {.x*} → .a.b ; objects .k,v,k2,v2 / .k=v.k2=v2
    if (list !== undefined) return `.${list.join(explode ? '.' : ',')}`;
    if (object !== undefined) return `.${object.map(([k, v]) => (explode ? `${k}=${v}` : `${k},${v}`)).join(explode ? '.' : ',')}`;
    return `.${text(value)}`;
  }
  if (style === 'matrix') {
    // RFC 6570 §3.2.7: {;x} → ;x=a,b ; {;x*} → ;x=a;x=b ; objects ;x=k,v / ;k=v;k2=v2
    if (list !== undefined) return explode ? list.map((item) => `;${name}=${item}`).join('') : `;${name}=${list.join(',')}`;
    if (object !== undefined) {
      return explode ? object.map(([k, v]) => `;${k}=${v}`).join('') : `;${name}=${object.map(([k, v]) => `${k},${v}`).join(',')}`;
    }
    return `;${name}=${text(value)}`;
  }
  // simple (RFC 6570 §3.2.2): a,b ; objects k,v,k2,v2 / k=v,k2=v2
  if (list !== undefined) return list.join(',');
  if (object !== undefined) return object.map(([k, v]) => (explode ? `${k}=${v}` : `${k},${v}`)).join(',');
  return primitive(value);
}

/** form, spaceDelimited, pipeDelimited, deepObject: name=value pairs (a query string, a Cookie header). */
function expandPairs(style: string, name: string, value: unknown, explode: boolean): Array<[string, Scalar]> {
  const list = Array.isArray(value) ? value.map(text) : undefined;
  const object = !Array.isArray(value) && isObject(value) ? members(value) : undefined;
  if (style === 'deepObject' && object !== undefined) return object.map(([k, v]) => [`${name}[${k}]`, v]);
  const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
  if (list !== undefined) return explode ? list.map((item) => [name, item]) : [[name, list.join(separator)]];
  if (object !== undefined) return explode ? object : [[name, object.flat().join(separator)]];
  return [[name, primitive(value)]];
}
