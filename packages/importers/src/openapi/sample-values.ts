/**
 * Request data for an imported step: the description's own examples first (`example`, the first of
 * `examples`, the schema's `example`/`examples`/`default`), else a value generated from the schema
 * with openapi-sampler (Redocly's generator: readOnly properties left out of requests).
 */
import { sample } from 'openapi-sampler';
import { deref, isObject, type Json } from './document-refs.js';

/** The example value of a parameter, media type or schema holder (`example`, then `examples`). */
export function exampleOf(document: Json, holder: Json): unknown {
  if (holder.example !== undefined) return holder.example;
  if (isObject(holder.examples)) {
    for (const example of Object.values(holder.examples)) {
      const resolved = deref(document, example);
      if (isObject(resolved) && resolved.value !== undefined) return resolved.value;
    }
  }
  return undefined;
}

/** A value for a schema: its example, else one generated from it. */
export function sampleSchema(document: Json, schema: unknown): unknown {
  const resolved = deref(document, schema);
  if (!isObject(resolved)) return undefined;
  if (resolved.example !== undefined) return resolved.example;
  if (Array.isArray(resolved.examples) && resolved.examples.length > 0) return resolved.examples[0];
  if (resolved.default !== undefined) return resolved.default;
  try {
    return sample(resolved as never, { skipReadOnly: true, skipNonRequired: false, quiet: true }, document);
  } catch {
    return undefined;
  }
}
