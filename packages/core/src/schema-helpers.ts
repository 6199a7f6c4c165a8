/** Small pieces shared by the format schemas. */
import * as z from 'zod';

export const scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * `schema.describe(description)` without Zod's copy of the schema. Zod 4's `describe` clones the
 * schema it is called on (a new instance whose traits all initialise again) and registers the
 * description on the clone, so that a schema used in several places keeps its own description. On a
 * schema made in place (`z.string()`, `.optional()`, `.min(1)`, `z.literal(…)`), which nothing else
 * holds, that copy is wasted work at every start: ~380 of core's schemas were written that way
 * (BENCHMARKS.md, issue 18, session 11). The description is registered on `schema` itself, in the
 * registry `describe` uses, so schema.description and the published JSON Schemas are the same.
 * Never for a shared schema (a named constant, a function's cached result, `.unwrap()`): every use of
 * it would get the description; `.describe()` stays right there.
 */
export function described<T extends z.ZodType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

/** Exactly one of `keys` must be present on the object. */
export function exactlyOne<T extends Record<string, unknown>>(keys: readonly string[], what: string) {
  return (value: T, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `expected one of ${keys.map((k) => `"${k}"`).join(', ')} in ${what}`
            : `expected only one of ${keys.map((k) => `"${k}"`).join(', ')} in ${what}, found ${present.map((k) => `"${k}"`).join(' and ')}`,
      });
    }
  };
}

/** The keys of each check made by {@link requireExactlyOne}, by check. */
const EXACTLY_ONE_KEYS = new WeakMap<object, readonly string[]>();

/**
 * The check "exactly one of `keys`" (`schema.check(requireExactlyOne(keys, what))`), remembered so
 * that the JSON Schema generator writes the same rule as `oneOf` of `required` (readExactlyOne):
 * the keys are stated once, here, and cannot drift between Zod and the published schemas.
 */
export function requireExactlyOne<T extends Record<string, unknown>>(keys: readonly string[], what: string): z.core.$ZodCheck<T> {
  const check = z.superRefine(exactlyOne<T>(keys, what));
  EXACTLY_ONE_KEYS.set(check, keys);
  return check;
}

/** The keys of an object schema's "exactly one of" check (see requireExactlyOne), if it has one. */
export function readExactlyOne(schema: z.ZodType): readonly string[] | undefined {
  const checks = (schema as { _zod: { def: { checks?: readonly object[] } } })._zod.def.checks ?? [];
  for (const check of checks) {
    const keys = EXACTLY_ONE_KEYS.get(check);
    if (keys !== undefined) return keys;
  }
  return undefined;
}
