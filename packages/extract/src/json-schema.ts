import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type AjvDraft04 from 'ajv-draft-04';
import { getSchemaModules } from './lazy-modules.js';

/** Distinct schemas (by JSON text) compiled at most; the cache is emptied when it grows past this. */
const MAX_CACHED = 500;

type AnyAjv = Ajv | Ajv2019 | Ajv2020 | AjvDraft04;

let draft04: AjvDraft04 | undefined;
let draft07: Ajv | undefined;
let draft2019: Ajv2019 | undefined;
let draft2020: Ajv2020 | undefined;

const byObject = new WeakMap<object, ValidateFunction>();
const byText = new Map<string, ValidateFunction>();

/**
 * The Ajv instance for the draft the schema declares in `$schema`: draft-04 (Postman's tv4 dialect:
 * `id`, boolean `exclusiveMaximum`), draft-06 and draft-07 (one instance), 2019-09 or 2020-12; draft-07
 * when it declares none. Ajv's logger is off: a library never prints (an unknown `format` is ignored,
 * as JSON Schema allows, without a warning on stderr in the middle of a run's output).
 */
function getAjv(schema: Record<string, unknown>): AnyAjv {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  const options = { allErrors: true, strict: false, logger: false as const };
  const { Ajv, Ajv2019, Ajv2020, AjvDraft04, draft06MetaSchema, addFormats } = getSchemaModules();
  if (declared.includes('2020-12')) {
    draft2020 ??= addFormats(new Ajv2020(options)) as Ajv2020;
    return draft2020;
  }
  if (declared.includes('2019-09')) {
    draft2019 ??= addFormats(new Ajv2019(options)) as Ajv2019;
    return draft2019;
  }
  if (declared.includes('draft-04')) {
    draft04 ??= addFormats(new AjvDraft04(options)) as AjvDraft04;
    return draft04;
  }
  if (draft07 === undefined) {
    draft07 = addFormats(new Ajv(options)) as Ajv;
    draft07.addMetaSchema(draft06MetaSchema);
  }
  return draft07;
}

/**
 * Compiles a JSON Schema once by object identity, then by its JSON text, so the same schema in every
 * iteration of a loop costs one compilation. Supports drafts 04, 06, 07, 2019-09 and 2020-12 (by
 * `$schema`) and the ajv-formats formats. Nothing stays registered in Ajv: two different schemas
 * with the same `$id` (generators write `http://example.com/example.json` in every one) are each
 * checked as written, never the second by the first.
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
    try {
      validate = ajv.compile(schema);
    } finally {
      // Ajv keeps a compiled schema under its `$id`; the compiled function no longer needs it.
      ajv.removeSchema(schema);
    }
    if (byText.size >= MAX_CACHED) byText.clear();
    byText.set(text, validate);
  }
  byObject.set(schema, validate);
  return validate;
}

/** Errors listed at most in a message; the rest are counted. */
const MAX_LISTED_ERRORS = 10;

/** One ajv error as `<instancePath> <message>`, naming the property an additionalProperties or unevaluatedProperties error is about. */
function formatSchemaError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    return `${path} must NOT have additional property ${JSON.stringify(params.additionalProperty)}`;
  if (error.keyword === 'unevaluatedProperties')
    return `${path} must NOT have unevaluated property ${JSON.stringify(params.unevaluatedProperty)}`;
  return `${path} ${error.message ?? 'is invalid'}`;
}

/**
 * Formats ajv errors as `<instancePath> <message>` items, e.g. `/id must be integer`, each said once
 * and at most {@link MAX_LISTED_ERRORS} of them (an array of 10,000 bad items is not a 10,000-item message).
 */
export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  if (errors === null || errors === undefined || errors.length === 0) return 'the value does not match';
  const items = [...new Set(errors.map(formatSchemaError))];
  const listed = items.slice(0, MAX_LISTED_ERRORS).join('; ');
  return items.length > MAX_LISTED_ERRORS ? `${listed}; and ${items.length - MAX_LISTED_ERRORS} more` : listed;
}
