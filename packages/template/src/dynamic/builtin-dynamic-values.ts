import { ErrorCode, SortieError } from '@sortie/core';
import { type BuiltinName, type DynamicTarget, type DynamicValues, describeTarget } from './dynamic-values.js';
import { createSeededRandom, createUuidV4, type RandomSource } from './seeded-random.js';

/** Options of {@link createBuiltinDynamicValues}. */
export interface BuiltinDynamicValuesOptions {
  /** Makes `$guid`, `$randomUUID` and `$randomInt` reproducible. Default: unseeded (crypto / Math.random). */
  seed?: number;
  /** The clock for `$timestamp`, `$isoTimestamp` and `$date.now`, in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
}

/**
 * Creates the lightweight source of dynamic values that needs no faker: `$guid`, `$randomUUID` (UUID v4),
 * `$timestamp` (Unix seconds), `$isoTimestamp`, `$randomInt` (0–1000, like Postman) and `$date.now` (a Date).
 */
export function createBuiltinDynamicValues(options: BuiltinDynamicValuesOptions = {}): DynamicValues {
  const random: RandomSource | undefined = options.seed === undefined ? undefined : createSeededRandom(options.seed);
  const now = options.now ?? Date.now;
  // Web Crypto's randomUUID: node:crypto (20 built-in modules) loads only when a run asks for one (cold start, BENCHMARKS.md).
  const nextUuid = random === undefined ? () => globalThis.crypto.randomUUID() : () => createUuidV4(random);
  const nextFloat = random ?? Math.random;
  const generators: Record<BuiltinName, () => unknown> = {
    guid: nextUuid,
    randomUUID: nextUuid,
    timestamp: () => Math.floor(now() / 1000),
    isoTimestamp: () => new Date(now()).toISOString(),
    randomInt: () => Math.floor(nextFloat() * 1001),
    'date.now': () => new Date(now()),
  };
  return {
    hasFaker: false,
    withSeed: (seed: number) => createBuiltinDynamicValues({ ...options, seed }),
    generate(target: DynamicTarget): unknown {
      if (target.kind === 'builtin') return generators[target.name]();
      throw new SortieError(
        ErrorCode.USAGE,
        'Dynamic values not loaded',
        `dynamic value "${describeTarget(target)}" needs faker, which is not loaded`,
        {
          hint: 'load it with createDynamicValues() before rendering (the engine does when needsDynamicValues(scenario) is true)',
        },
      );
    },
  };
}

/** The unseeded built-in source used when rendering without `options.dynamic`. */
export const DEFAULT_DYNAMIC_VALUES: DynamicValues = createBuiltinDynamicValues();
