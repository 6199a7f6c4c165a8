/**
 * Turning the schemas of an OpenAPI description into JSON Schema 2020-12 that checks a response:
 * - OpenAPI 3.0 (and 3.1 descriptions that kept them): `nullable: true` adds `null` to the type (and
 *   to `enum`); boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric form.
 * - `discriminator` over `oneOf`/`anyOf` of references: the branch is chosen by the property's value
 *   (mapping, the branch's own const/enum, or the schema name), so a violation names the fields of
 *   that branch.
 * - `writeOnly` properties are not required in a response, and must not appear in one.
 * The document is copied; the original is left as it was.
 * @see https://spec.openapis.org/oas/v3.0.3#schema-object
 * @see https://spec.openapis.org/oas/v3.1.0#discriminator-object
 */

type Schema = Record<string, unknown>;

const SCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_VALUES = [
  'additionalProperties',
  'items',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
];
/** Keys whose values are data (examples), never schemas, wherever they appear. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-examples']);

/** The description with every schema made ready for checking responses (see the module comment). */
export function toResponseDialect(document: Schema): Schema {
  const copy = structuredClone(document);
  const seen = new WeakSet<object>();
  const visitSchema = (schema: unknown): void => {
    if (!isObject(schema) || seen.has(schema)) return;
    seen.add(schema);
    for (const key of SCHEMA_MAPS) if (isObject(schema[key])) for (const child of Object.values(schema[key])) visitSchema(child);
    for (const key of SCHEMA_LISTS) if (Array.isArray(schema[key])) for (const child of schema[key]) visitSchema(child);
    for (const key of SCHEMA_VALUES) {
      const child = schema[key];
      if (Array.isArray(child)) for (const item of child) visitSchema(item);
      else visitSchema(child);
    }
    // 3.1 dropped `nullable` and boolean exclusive bounds, but descriptions converted from 3.0 keep
    // them (OpenAI's): read as 3.0 reads them (for valid 2020-12 this changes nothing).
    convertOpenApi30(schema);
    applyDiscriminator(schema, copy);
    hideWriteOnly(schema);
  };
  // Every `schema` of a parameter, header or media type, and every component schema.
  const visitDocument = (node: unknown, key: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const item of node) visitDocument(item, undefined);
      return;
    }
    if (!isObject(node)) return;
    for (const [childKey, child] of Object.entries(node)) {
      if (DATA_KEYS.has(childKey)) continue;
      if (childKey === 'schema' && isObject(child)) visitSchema(child);
      else if (childKey === 'schemas' && key === 'components' && isObject(child))
        for (const schema of Object.values(child)) visitSchema(schema);
      else visitDocument(child, childKey);
    }
  };
  visitDocument(copy, undefined);
  return copy;
}

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** OpenAPI 3.0's extensions and changes to JSON Schema (draft 4 style), in 2020-12 terms. */
function convertOpenApi30(schema: Schema): void {
  for (const [bound, limit] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (schema[bound] === true && typeof schema[limit] === 'number') {
      schema[bound] = schema[limit];
      delete schema[limit];
    } else if (typeof schema[bound] === 'boolean') delete schema[bound];
  }
  convertNullable(schema);
}

/** `nullable: true` (OpenAPI 3.0) as JSON Schema: null added to the type, to `enum`, or as an `anyOf` branch. */
function convertNullable(schema: Schema): void {
  if (schema.nullable !== true) {
    delete schema.nullable;
    return;
  }
  delete schema.nullable;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (schema.type === undefined) {
    // No type (a composition, or a $ref wrapped in allOf): null, or what the rest says.
    const rest: Schema = { ...schema };
    for (const key of Object.keys(schema)) delete schema[key];
    schema.anyOf = [{ type: 'null' }, rest];
  }
}

/**
 * A discriminator over `oneOf`/`anyOf` of `$ref`s: `if the property is "dog" then Dog` for each
 * value, and the property required with one of the known values. A branch's values are those its
 * `mapping` gives it, else those its own property allows (`const`, `enum`: what generated
 * descriptions rely on), else its schema name (the implicit mapping).
 */
function applyDiscriminator(schema: Schema, document: Schema): void {
  const discriminator = schema.discriminator;
  if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') return;
  const listKey = Array.isArray(schema.oneOf) ? 'oneOf' : Array.isArray(schema.anyOf) ? 'anyOf' : undefined;
  if (listKey === undefined) return;
  const branches = schema[listKey] as unknown[];
  const refs = branches.map((branch) => (isObject(branch) && typeof branch.$ref === 'string' ? branch.$ref : undefined));
  if (refs.some((ref) => ref === undefined)) return;
  const property = discriminator.propertyName;
  const byValue = new Map<string, string>();
  const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
  for (const [value, target] of Object.entries(mapping)) {
    if (typeof target === 'string')
      byValue.set(value, target.includes('/') || target.includes('#') ? target : `#/components/schemas/${target}`);
  }
  const mapped = new Set(byValue.values());
  const implicit = new Map<string, string>();
  for (const ref of refs as string[]) {
    if (mapped.has(ref)) continue;
    const own = ownValues(document, resolvePointer(document, ref), property);
    const name = decodeURIComponent(ref.slice(ref.lastIndexOf('/') + 1))
      .replace(/~1/g, '/')
      .replace(/~0/g, '~');
    for (const value of own.length > 0 ? own : [name]) {
      // Two branches allowing the same value: the value does not pick a branch; oneOf/anyOf checks as written.
      if (implicit.has(value) && implicit.get(value) !== ref) return;
      implicit.set(value, ref);
    }
  }
  for (const [value, ref] of implicit) if (!byValue.has(value)) byValue.set(value, ref);
  delete schema[listKey];
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  schema.required = required.includes(property) ? required : [...required, property];
  const properties = isObject(schema.properties) ? schema.properties : {};
  const own = isObject(properties[property]) ? properties[property] : {};
  schema.properties = { ...properties, [property]: { ...own, enum: [...byValue.keys()] } };
  const chosen = [...byValue].map(([value, ref]) => ({
    if: { properties: { [property]: { const: value } }, required: [property] },
    // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword
    then: { $ref: ref },
  }));
  schema.allOf = [...(Array.isArray(schema.allOf) ? schema.allOf : []), ...chosen];
}

/** The string values a branch allows for the discriminating property: its `const` or `enum`, directly or in an `allOf` member. */
function ownValues(document: Schema, branch: unknown, property: string, depth = 0): string[] {
  if (!isObject(branch) || depth > 8) return [];
  const resolved = typeof branch.$ref === 'string' ? resolvePointer(document, branch.$ref) : branch;
  if (!isObject(resolved)) return [];
  const properties = isObject(resolved.properties) ? resolved.properties : {};
  let definition = properties[property];
  if (isObject(definition) && typeof definition.$ref === 'string') definition = resolvePointer(document, definition.$ref);
  if (isObject(definition)) {
    if (typeof definition.const === 'string') return [definition.const];
    if (Array.isArray(definition.enum)) return definition.enum.filter((value): value is string => typeof value === 'string');
  }
  const parts = Array.isArray(resolved.allOf) ? resolved.allOf : [];
  for (const part of parts) {
    const values = ownValues(document, part, property, depth + 1);
    if (values.length > 0) return values;
  }
  return [];
}

/** The value an internal `$ref` (`#/components/schemas/Dog`) points at, or undefined. */
function resolvePointer(document: Schema, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let fragment = ref.slice(1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch {}
  return fragment
    .split('/')
    .slice(1)
    .reduce<unknown>((node, raw) => (isObject(node) ? node[raw.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), document);
}

/** A `writeOnly` property is sent, never received: not required in a response, and refused there. */
function hideWriteOnly(schema: Schema): void {
  if (!isObject(schema.properties)) return;
  const writeOnly = Object.entries(schema.properties)
    .filter(([, child]) => isObject(child) && child.writeOnly === true)
    .map(([name]) => name);
  if (writeOnly.length === 0) return;
  if (Array.isArray(schema.required)) schema.required = schema.required.filter((name) => !writeOnly.includes(name as string));
  for (const name of writeOnly) schema.properties[name] = { not: {}, 'x-sortie-write-only': true };
}
