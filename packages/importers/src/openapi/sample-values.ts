/**
 * Request data for an imported step: the description's own examples first (`example`, the first of
 * `examples`, the schema's `example`/`examples`/`default`), else a value generated from the schema
 * with openapi-sampler (Redocly's generator: readOnly properties left out of requests), on a copy
 * of the description prepared for it (see `samplingDocument`).
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

/** Keys whose values are data, never schemas (unless they name a property). */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-examples']);

/**
 * A copy of the description whose schemas generate values a server accepts. openapi-sampler takes
 * the first `oneOf`/`anyOf` branch, type and `enum` value, and ignores `pattern`; descriptions often
 * put null first (`oneOf: [{type: "null"}, …]`, `type: ["null", "string"]`) and constrain identifiers
 * with a pattern (`^(0|[1-9][0-9]*)$`). So null branches are left out when there are others, null
 * goes last in type lists and enums, a null `default` or `example` is dropped, and a string with a pattern gets an example that matches it
 * when one can be found.
 */
export function samplingDocument(document: Json): Json {
  const copy = structuredClone(document);
  const visit = (node: unknown, key: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, undefined);
      return;
    }
    if (!isObject(node)) return;
    for (const [childKey, child] of Object.entries(node)) {
      if (key !== 'properties' && DATA_KEYS.has(childKey)) continue;
      visit(child, childKey);
    }
    if (key === 'properties') return;
    preferNonNull(node);
    exemplifyPattern(node);
  };
  visit(copy, undefined);
  return copy;
}

function isNullSchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  if (schema.type === 'null' || schema.const === null) return true;
  if (Array.isArray(schema.type) && schema.type.length > 0 && schema.type.every((type) => type === 'null')) return true;
  return Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every((value) => value === null);
}

function preferNonNull(schema: Json): void {
  // `default: null` on a schema that allows more (OpenAI's oneOf parameters): the generator's value is {}.
  for (const key of ['default', 'example']) if (schema[key] === null && !isNullSchema(schema)) delete schema[key];
  for (const key of ['oneOf', 'anyOf']) {
    const branches = schema[key];
    if (!Array.isArray(branches)) continue;
    const others = branches.filter((branch) => !isNullSchema(branch));
    if (others.length > 0 && others.length < branches.length) schema[key] = others;
  }
  if (Array.isArray(schema.type) && schema.type.length > 1 && schema.type[0] === 'null') {
    schema.type = [...schema.type.filter((type) => type !== 'null'), 'null'];
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 1 && schema.enum[0] === null) {
    schema.enum = [...schema.enum.filter((value) => value !== null), null];
  }
}

/** Strings tried against a pattern when the generator's own sample does not match it. */
const PATTERN_CANDIDATES = ['0', '1', 'a', 'A', 'abc', 'ABC', 'a1', 'string', 'example', '00000000-0000-0000-0000-000000000000'];

function exemplifyPattern(schema: Json): void {
  if (typeof schema.pattern !== 'string') return;
  if (schema.type !== undefined && schema.type !== 'string' && !(Array.isArray(schema.type) && schema.type.includes('string'))) return;
  if (['example', 'examples', 'default', 'enum', 'const'].some((key) => schema[key] !== undefined)) return;
  let pattern: RegExp;
  try {
    pattern = new RegExp(schema.pattern, 'u');
  } catch {
    try {
      pattern = new RegExp(schema.pattern);
    } catch {
      return;
    }
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const generated = (enablePatterns: boolean): unknown => {
    try {
      const { pattern: _, ...rest } = schema;
      const base = enablePatterns ? { ...rest, pattern: schema.pattern } : rest;
      return sample({ ...base, type: 'string' } as never, { quiet: true, enablePatterns });
    } catch {
      return undefined;
    }
  };
  for (const candidate of [generated(false), generated(true), ...PATTERN_CANDIDATES]) {
    if (typeof candidate === 'string' && candidate.length >= min && candidate.length <= max && pattern.test(candidate)) {
      schema.example = candidate;
      return;
    }
  }
}
