import type { Faker, LocaleDefinition } from '@faker-js/faker';
import { ErrorCode, SortieError } from '@sortie/core';
import { formatSuggestion } from '../suggest.js';
import { createBuiltinDynamicValues } from './builtin-dynamic-values.js';
import { type DynamicTarget, type DynamicValues, describeTarget } from './dynamic-values.js';
import { POSTMAN_NAMES } from './postman-names.js';

/** What `createDynamicValues` needs from the `@faker-js/faker` module. */
export interface FakerModule {
  Faker: typeof Faker;
  allLocales: Record<string, LocaleDefinition>;
}

/** Options of {@link createDynamicValues}. */
export interface DynamicValuesOptions {
  /** Makes every generated value reproducible (faker and the built-ins). Default: a random seed. */
  seed?: number;
  /** faker's locale, e.g. `de`, `fr`, `ja`, `pt-BR`. Default: `en`. */
  locale?: string;
  /**
   * The clock in epoch milliseconds, for `$timestamp`, `$isoTimestamp`, `$date.now` and faker's relative dates
   * (`$date.past`…). Fix it together with `seed` for values that do not change from day to day. Default: `Date.now`.
   */
  now?: () => number;
  /** Loads faker. Default: `import('@faker-js/faker')`. Tests inject it to observe laziness. */
  loadFaker?: () => Promise<FakerModule>;
}

/**
 * Loads faker (once per call, with a dynamic import) and returns a source of every dynamic value: the built-ins,
 * Postman's names and `$module.method(…)` calls. Each call has its own faker instance, so seeds never interfere.
 * Throws SortieError USAGE for an unknown locale.
 */
export async function createDynamicValues(options: DynamicValuesOptions = {}): Promise<DynamicValues> {
  const module = await (options.loadFaker ?? loadFakerModule)();
  const family: FakerFamily = { module, locales: selectLocales(module.allLocales, options.locale ?? 'en'), now: options.now };
  const source = fakerValues(family, options.seed);
  // Made now, not when first used: as before, the instance exists once the source does.
  source.faker();
  return source.values;
}

/** What the sources of one `createDynamicValues` call share: faker, the locale, the clock, and the instance exclusive sources reseed. */
interface FakerFamily {
  module: FakerModule;
  locales: LocaleDefinition[];
  now: (() => number) | undefined;
  /** The instance of the `withSeed(…, { exclusive: true })` sources, and which of them seeded it last. */
  exclusive?: { faker: Faker; owner: object };
}

function newFaker(family: FakerFamily, seed: number | undefined): Faker {
  const faker = new family.module.Faker({ locale: family.locales });
  if (seed !== undefined) faker.seed(seed);
  const now = family.now;
  if (now !== undefined) faker.setDefaultRefDate(() => new Date(now()));
  return faker;
}

/**
 * A faker-backed source seeded with `seed`, its faker instance made when first used. An exclusive
 * one (`withSeed(seed, { exclusive: true })`) reseeds the family's one instance when it takes it
 * over instead (making a faker costs ~90 µs, seeding one ~20 µs: a seeded run of 10,000 rows).
 */
function fakerValues(family: FakerFamily, seed: number | undefined, exclusive = false): { values: DynamicValues; faker: () => Faker } {
  let made: Faker | undefined;
  const token = {};
  const faker = (): Faker => {
    if (!exclusive) {
      made ??= newFaker(family, seed);
      return made;
    }
    if (family.exclusive === undefined) family.exclusive = { faker: newFaker(family, seed), owner: token };
    else if (family.exclusive.owner !== token) {
      if (seed !== undefined) family.exclusive.faker.seed(seed);
      family.exclusive.owner = token;
    }
    return family.exclusive.faker;
  };
  const now = family.now;
  const builtins = createBuiltinDynamicValues({
    ...(seed === undefined ? {} : { seed }),
    ...(now === undefined ? {} : { now }),
  });
  const values: DynamicValues = {
    hasFaker: true,
    withSeed: (other, options) => fakerValues(family, other, options?.exclusive === true).values,
    generate(target: DynamicTarget): unknown {
      if (target.kind === 'builtin') return builtins.generate(target);
      try {
        if (target.kind === 'postman') return (POSTMAN_NAMES[target.name] as (faker: Faker) => unknown)(faker());
        const methods = (faker() as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[target.module]!;
        const value = methods[target.method]!(...target.args);
        // `$number.bigInt` gives a BigInt, which neither JSON nor the reports can hold: its digits, as text.
        return typeof value === 'bigint' ? value.toString() : value;
      } catch (error) {
        throw new SortieError(
          ErrorCode.TEMPLATE_SYNTAX,
          'Dynamic value failed',
          `dynamic value "${describeTarget(target)}" failed: ${error instanceof Error ? error.message : String(error)}`,
          { hint: 'check its arguments against the faker documentation (https://fakerjs.dev/api/)', cause: error },
        );
      }
    },
  };
  return { values, faker };
}

function loadFakerModule(): Promise<FakerModule> {
  return import('@faker-js/faker');
}

/** Picks `[de_AT, de, en, base]`-style fallbacks for a locale name; accepts `de-AT`, `de_at`, `DE`. */
function selectLocales(all: Record<string, LocaleDefinition>, requested: string): LocaleDefinition[] {
  const byLowerName = new Map(Object.keys(all).map((name) => [name.toLowerCase(), name]));
  const name = byLowerName.get(requested.trim().replace(/-/g, '_').toLowerCase());
  if (name === undefined || name === 'base') {
    const names = Object.keys(all).filter((n) => n !== 'base');
    const some = ['en', 'en_US', 'de', 'fr', 'es', 'it', 'ja', 'zh_CN', 'pt_BR', 'ru'].filter((n) => Object.hasOwn(all, n));
    throw new SortieError(
      ErrorCode.USAGE,
      'Unknown locale',
      `unknown locale "${requested}"${formatSuggestion(requested, names)} (valid locales include ${some.join(', ')}; ${names.length} in all)`,
      { hint: `all locales: ${names.join(', ')}` },
    );
  }
  const chain = [name];
  const language = name.split('_')[0]!;
  if (language !== name && Object.hasOwn(all, language)) chain.push(language);
  for (const fallback of ['en', 'base']) if (!chain.includes(fallback)) chain.push(fallback);
  return chain.map((n) => all[n]!);
}
