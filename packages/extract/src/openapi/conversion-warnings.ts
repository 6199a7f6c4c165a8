/**
 * The warnings of swagger2openapi: what it could not convert losslessly from Swagger 2.0 to OpenAPI 3.0
 * (`collectionFormat: ssv` on a path parameter, `tsv`, nested formats, a reference it could not resolve…).
 * With `warnOnly` it writes each one on the object concerned as an `x-s2o-warning` property; they are
 * taken out of the converted document here and placed in the Swagger 2.0 file as written.
 */
import type { SourceLocation } from '@sortie/core';

/** A conversion warning, where the Swagger 2.0 file says what it concerns. */
export interface ConversionWarning {
  message: string;
  location: SourceLocation;
}

/** The property swagger2openapi writes a warning in (its `warnProperty` default). */
const WARNING = 'x-s2o-warning';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Removes every warning from `converted` (in place) and returns them, each located in the Swagger 2.0
 * document `original` by `locate` (at the nearest value the original has when the converter moved it).
 */
export function takeConversionWarnings(
  converted: Json,
  original: Json,
  locate: (path: ReadonlyArray<string | number>) => SourceLocation,
): ConversionWarning[] {
  const warnings: ConversionWarning[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index]);
      return;
    }
    const record = value as Json;
    if (typeof record[WARNING] === 'string') {
      warnings.push({ message: record[WARNING], location: locate(originalPath(path, record, original)) });
      delete record[WARNING];
    }
    for (const [key, child] of Object.entries(record)) visit(child, [...path, key]);
  };
  visit(converted, []);
  return warnings;
}

/** Where the Swagger 2.0 sections went in OpenAPI 3.0 (swagger2openapi's moves), first key by first key. */
const SECTIONS: Record<string, string> = { schemas: 'definitions', parameters: 'parameters', responses: 'responses' };

/**
 * The path in the Swagger 2.0 document of a value of the converted one: the components back in their
 * sections, a parameter found by its name and place (body and form parameters left the list, so its
 * index may differ), and any other path cut back to the nearest value the original has.
 */
function originalPath(path: ReadonlyArray<string | number>, value: Json, original: Json): Array<string | number> {
  let mapped: Array<string | number> = [...path];
  if (path[0] === 'components' && typeof path[1] === 'string' && SECTIONS[path[1]] !== undefined)
    mapped = [SECTIONS[path[1]] as string, ...path.slice(2)];
  const at = mapped.lastIndexOf('parameters');
  if (at !== -1 && typeof mapped[at + 1] === 'number') {
    const list = valueAt(original, mapped.slice(0, at + 1));
    const index = Array.isArray(list) ? list.findIndex((item) => isObject(item) && item.name === value.name && item.in === value.in) : -1;
    if (index !== -1) mapped = [...mapped.slice(0, at + 1), index, ...mapped.slice(at + 2)];
  }
  while (mapped.length > 0 && valueAt(original, mapped) === undefined) mapped = mapped.slice(0, -1);
  return mapped;
}

function valueAt(document: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = document;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
