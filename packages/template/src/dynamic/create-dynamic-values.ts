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
  const faker = new module.Faker({ locale: selectLocales(module.allLocales, options.locale ?? 'en') });
  if (options.seed !== undefined) faker.seed(options.seed);
  const now = options.now;
  if (now !== undefined) faker.setDefaultRefDate(() => new Date(now()));
  const builtins = createBuiltinDynamicValues({
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(now === undefined ? {} : { now }),
  });
  return {
    hasFaker: true,
    generate(target: DynamicTarget): unknown {
      if (target.kind === 'builtin') return builtins.generate(target);
      try {
        if (target.kind === 'postman') return (POSTMAN_NAMES[target.name] as (faker: Faker) => unknown)(faker);
        const methods = (faker as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[target.module]!;
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
