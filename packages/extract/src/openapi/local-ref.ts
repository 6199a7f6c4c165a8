/**
 * Reference Objects that point into the description itself (`$ref: '#/components/responses/NotFound'`):
 * the response, header or path item they name, followed through chains. The loader bundles a
 * description (other files' parts are moved in and referenced from inside it), so a response shared
 * through `components` is still a reference when a response is checked.
 * @see https://spec.openapis.org/oas/v3.1.0#reference-object
 * @see https://www.rfc-editor.org/rfc/rfc6901 (JSON Pointer; in a URI fragment, percent-encoded: RFC 6901 §6)
 */

/** Chains longer than this (or a loop) are left unresolved; the loader's validation refuses a $ref that points at nothing. */
const MAX_HOPS = 32;

/**
 * `value`, or what its `$ref` (and theirs) names in `document`, with the JSON pointer of where it
 * was found (`pointer`, for a value that is not a reference).
 */
export function followLocalRef(document: unknown, value: unknown, pointer: string): { value: unknown; pointer: string } {
  let current = value;
  let at = pointer;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const ref = isObject(current) && typeof current.$ref === 'string' ? current.$ref : undefined;
    if (ref === undefined || !ref.startsWith('#')) break;
    const target = resolvePointer(document, ref.slice(1));
    if (target === undefined) break;
    current = target.value;
    at = target.pointer;
  }
  return { value: current, pointer: at };
}

/** The value at a URI-fragment JSON pointer (`/components/responses/Not%20found`), and the pointer unencoded. */
function resolvePointer(document: unknown, fragment: string): { value: unknown; pointer: string } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {
    return undefined;
  }
  if (decoded !== '' && !decoded.startsWith('/')) return undefined;
  let value = document;
  for (const token of decoded === '' ? [] : decoded.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value) && /^(0|[1-9]\d*)$/.test(key)) value = value[Number(key)];
    else if (isObject(value) && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return { value, pointer: decoded };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
