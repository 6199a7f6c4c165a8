/**
 * Schemas built on first use. Building Zod schemas is most of what importing @sortie/core costs
 * (`sortie run` with one request: the auth, signing-scheme and database schemas, ~750 of the ~1,700
 * schema objects, took 45–90 ms of a 110–180 ms import on the shared 2-core machine, see
 * BENCHMARKS.md), and most runs never parse an auth profile or a database operation.
 */
import * as z from 'zod';

/** `build`, called once, on the first call of the returned function. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

/**
 * A schema that stands for `get()`'s and builds it when a value is first parsed with it
 * (`z.lazy`). Zod asks a field's schema whether it is optional (`_zod.optin`, `_zod.optout`) before
 * parsing an object, including a field the input does not have, and a lazy schema answers by
 * building its inner schema: the answer is given here instead. Only for schemas that are neither
 * optional nor defaulted themselves (their wrappers, `.optional()`, say so); a test checks it
 * against the built schemas.
 */
export function deferred<T extends z.ZodType>(get: () => T): z.ZodLazy<T> {
  const schema = z.lazy(get);
  for (const key of ['optin', 'optout'] as const) {
    Object.defineProperty(schema._zod, key, { value: undefined, writable: true, configurable: true });
  }
  return schema;
}
