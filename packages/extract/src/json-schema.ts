import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { getSchemaModules } from './lazy-modules.js';

/** Distinct schemas (by JSON text) compiled at most; the cache is emptied when it grows past this. */
const MAX_CACHED = 500;

type AnyAjv = Ajv | Ajv2019 | Ajv2020;

let draft07: Ajv | undefined;
let draft2019: Ajv2019 | undefined;
let draft2020: Ajv2020 | undefined;

const byObject = new WeakMap<object, ValidateFunction>();
const byText = new Map<string, ValidateFunction>();

/** The Ajv instance for the draft the schema declares in `$schema` (draft-07 when it declares none). */
function getAjv(schema: Record<string, unknown>): AnyAjv {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  const options = { allErrors: true, strict: false };
  const { Ajv, Ajv2019, Ajv2020, addFormats } = getSchemaModules();
  if (declared.includes('2020-12')) {
    draft2020 ??= addFormats(new Ajv2020(options)) as Ajv2020;
    return draft2020;
  }
  if (declared.includes('2019-09')) {
    draft2019 ??= addFormats(new Ajv2019(options)) as Ajv2019;
    return draft2019;
  }
  draft07 ??= addFormats(new Ajv(options)) as Ajv;
  return draft07;
}

/**
 * Compiles a JSON Schema once: by object identity first, then by its JSON text, so the same schema
 * in every iteration of a loop costs one compilation. Supports drafts 07, 2019-09 and 2020-12 (by
 * `$schema`) and the ajv-formats formats.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation
 * @throws Error from ajv when the schema itself is invalid.
 */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  let validate = byObject.get(schema);
  if (validate !== undefined) return validate;
  const text = JSON.stringify(schema);
  validate = byText.get(text);
  if (validate === undefined) {
    const ajv = getAjv(schema);
    // A schema with an `$id` stays registered in its Ajv instance, even after this cache is emptied.
    const registered = typeof schema.$id === 'string' ? ajv.getSchema(schema.$id) : undefined;
    validate = registered ?? ajv.compile(schema);
    if (byText.size >= MAX_CACHED) byText.clear();
    byText.set(text, validate);
  }
  byObject.set(schema, validate);
  return validate;
}

/** Formats ajv errors as `<instancePath> <message>` items, e.g. `/id must be integer`. */
export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  if (errors === null || errors === undefined || errors.length === 0) return 'the value does not match';
  return errors.map((error) => `${error.instancePath === '' ? '/' : error.instancePath} ${error.message ?? 'is invalid'}`).join('; ');
}
