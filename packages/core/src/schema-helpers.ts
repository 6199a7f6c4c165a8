/** Small pieces shared by the format schemas. */
import * as z from 'zod';

export const scalar = z.union([z.string(), z.number(), z.boolean()]);

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
