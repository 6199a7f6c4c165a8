/** The dynamic values that work without faker. `date.now` is an Apidog name; the others are Postman's. */
export const BUILTIN_NAMES = ['guid', 'timestamp', 'isoTimestamp', 'randomUUID', 'randomInt', 'date.now'] as const;
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

/** What a `{{$…}}` expression generates, decided when the template is compiled. */
export type DynamicTarget =
  /** A value generated without faker. */
  | { kind: 'builtin'; name: BuiltinName }
  /** A faker call: `faker[module][method](...args)`. */
  | { kind: 'faker'; module: string; method: string; args: unknown[] }
  /** A Postman name that needs more than one faker call (see postman-names.ts). */
  | { kind: 'postman'; name: string };

/**
 * A source of generated values. Rendering is synchronous, so faker is loaded beforehand by
 * `createDynamicValues()`; without it a built-in source serves the values that need no faker.
 */
export interface DynamicValues {
  /** True when faker-backed values (`$person.fullName`, `$randomEmail`…) can be generated. */
  readonly hasFaker: boolean;
  /** Generates the value of one expression, before filters. Throws SortieError when it cannot. */
  generate(target: DynamicTarget): unknown;
  /**
   * A source of the same kind (locale, clock) seeded with `seed`, its generators made when first
   * used. The engine gives each scenario run of a seeded run its own (see `scenarioRunSeed`).
   * `exclusive`: no other exclusive source of this one is used until the caller is done with this
   * one (scenario runs one at a time), so they may share one generator, reseeded.
   */
  withSeed?(seed: number, options?: { exclusive?: boolean }): DynamicValues;
}

/** Returns true when generating `target` needs faker. */
export function needsFaker(target: DynamicTarget): boolean {
  return target.kind !== 'builtin';
}

/** Formats a target as the user wrote it, e.g. `$person.fullName`. */
export function describeTarget(target: DynamicTarget): string {
  return target.kind === 'faker' ? `$${target.module}.${target.method}` : `$${target.name}`;
}
