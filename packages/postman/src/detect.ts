/**
 * Telling Postman files apart by their content (not their name; a v3 collection by its folder layout): a collection has `info` with a
 * Postman schema URL or a `_postman_id`, or (as Newman takes it) an `item` list and no `steps`; a v1 collection
 * (`name`, `requests`) is recognised to be refused by name; an environment or globals export has `values[]` of
 * `{ key, value }` (a key no Sortie file has) and `_postman_variable_scope`. Cheap and free of the Postman SDK, so a loader
 * can ask before it loads the converter.
 */

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A Collection v3 request file and definition file (learning.postman.com/docs/collections/collections-schemas). */
export const REQUEST_FILE = /\.request\.ya?ml$/i;
export const DEFINITION = /^definition\.ya?ml$/i;
/** v3 environment and globals files: the suffix is the format's rule. */
const V3_VARIABLE_FILE = /\.(environment|globals)\.ya?ml$/i;

/** What a parsed JSON value is, as far as Postman is concerned. */
export type PostmanFileKind = 'collection' | 'environment' | 'globals';

const SCHEMA_URL = /^https?:\/\/schema\.(getpostman|postman)\.com\/json\/collection\/v(\d+)\.(\d+)\.(\d+)/;

/** The collection format version a schema URL names (`2.1.0`), or undefined when it is not a Postman collection schema. */
export function collectionSchemaVersion(schema: unknown): string | undefined {
  if (typeof schema !== 'string') return undefined;
  const match = SCHEMA_URL.exec(schema);
  return match === null ? undefined : `${match[2]}.${match[3]}.${match[4]}`;
}

/** Whether a parsed value is a Postman collection, environment or globals export (else undefined). */
export function detectPostmanValue(value: unknown): PostmanFileKind | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const info = record.info;
  if (info !== null && typeof info === 'object' && !Array.isArray(info)) {
    const fields = info as Record<string, unknown>;
    if (collectionSchemaVersion(fields.schema) !== undefined || typeof fields._postman_id === 'string') return 'collection';
  }
  // Newman runs a collection without `info` (an `item` list is enough), and names a v1 collection (`requests`) as one.
  if (record.steps === undefined && (Array.isArray(record.item) || (Array.isArray(record.requests) && typeof record.name === 'string'))) {
    return 'collection';
  }
  // `values` is no key of a Sortie file: an export whose `values` is malformed (not a list, a null entry) is
  // still one, for its loader to say what is wrong where, not "unknown property values".
  if (record.values !== undefined && record.steps === undefined && record.variables === undefined) {
    const scope = record._postman_variable_scope;
    if (scope === 'globals') return 'globals';
    return 'environment';
  }
  return undefined;
}

/**
 * Whether a file's text is a Postman file, looking only at JSON text that parses (a Postman export is
 * JSON), or, given the file's name, at a v3 `*.environment.yaml` / `*.globals.yaml`. Returns undefined for anything else, malformed JSON included: the caller's own loader
 * then reports what is wrong with it.
 */
export function detectPostmanText(text: string, file?: string): PostmanFileKind | undefined {
  if (file !== undefined && V3_VARIABLE_FILE.test(file)) {
    try {
      // Merge keys (<<) as the loader reads them (@sortie/config parseYamlSource).
      return detectPostmanValue(parseYaml(text, { merge: true }));
    } catch {
      return undefined;
    }
  }
  const start = text.trimStart();
  if (!start.startsWith('{') || !/"(info|values|item|requests)"\s*:/.test(start)) return undefined;
  try {
    return detectPostmanValue(JSON.parse(start));
  } catch {
    return undefined;
  }
}

/**
 * Whether a folder is laid out as a Collection v3: a `.resources/definition.yaml`, or `*.request.yaml`
 * files in it — or, with `deep`, in a folder below (dot-folders and node_modules aside).
 */
export async function isV3CollectionDir(dir: string, options: { deep?: boolean } = { deep: true }): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) return false;
  for (const entry of entries) {
    if (entry.isFile() && REQUEST_FILE.test(entry.name)) return true;
    if (entry.isDirectory() && entry.name === '.resources') {
      const inside = await readdir(join(dir, entry.name)).catch(() => [] as string[]);
      if (inside.some((name) => DEFINITION.test(name))) return true;
    }
  }
  if (options.deep !== true) return false;
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    if (await isV3CollectionDir(join(dir, entry.name))) return true;
  }
  return false;
}
