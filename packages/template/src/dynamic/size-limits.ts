/**
 * Bounds on what a `{{$module.method(…)}}` may ask faker to build. faker builds what it is asked for in one
 * synchronous call that nothing can interrupt: `$string.alpha(100000000)` or `$date.betweens(count=1e8)` ran the
 * process out of memory (a V8 crash, exit 134) or past any time limit. Arguments are literals, so the bound is
 * checked when the scenario is loaded, before anything runs.
 */
import { TemplateSyntaxIssue } from '../template-errors.js';

/** The largest length or count a dynamic value may ask for (characters, words, sentences, dates, items…). */
export const MAX_DYNAMIC_SIZE = 100_000;

/**
 * faker methods whose output grows with an argument, and the positions of those arguments. Such an argument is a
 * number, a `{ min, max }` range, or an options object whose `length`, `count` or `extensionCount` is one of those.
 */
const SIZE_ARGUMENTS: Readonly<Record<string, readonly number[]>> = {
  'airline.flightNumber': [0],
  'date.betweens': [0],
  'finance.accountNumber': [0],
  'finance.pin': [0],
  'git.commitSha': [0],
  'helpers.uniqueArray': [1],
  'internet.password': [0],
  'lorem.lines': [0],
  'lorem.paragraph': [0],
  'lorem.paragraphs': [0],
  'lorem.sentence': [0],
  'lorem.sentences': [0],
  'lorem.slug': [0],
  'lorem.words': [0],
  'string.alpha': [0],
  'string.alphanumeric': [0],
  'string.binary': [0],
  'string.fromCharacters': [1],
  'string.hexadecimal': [0],
  'string.nanoid': [0],
  'string.numeric': [0],
  'string.octal': [0],
  'string.sample': [0],
  'string.symbol': [0],
  'system.fileName': [0],
  'word.words': [0],
};

/** Keys of an options object (or a range) that hold a size. */
const SIZE_KEYS = ['length', 'count', 'extensionCount', 'min', 'max'];

/** faker methods that repeat a character as often as a `{n}` or `{n,m}` quantifier in a pattern argument says. */
const QUANTIFIED_PATTERNS: Readonly<Record<string, readonly number[]>> = {
  'finance.creditCardNumber': [0],
  'helpers.fromRegExp': [0],
  'helpers.replaceCreditCardSymbols': [0],
};

/**
 * Throws {@link TemplateSyntaxIssue} when an argument of `$module.method(…)` asks for more than {@link MAX_DYNAMIC_SIZE}.
 * `$helpers.fake("{{…}}")` calls faker methods from its pattern text, so a number above the bound anywhere in it counts.
 */
export function checkDynamicSizes(name: string, args: readonly unknown[]): void {
  let largest = 0;
  for (const at of SIZE_ARGUMENTS[name] ?? []) largest = Math.max(largest, sizeOf(args[at], 0));
  for (const at of QUANTIFIED_PATTERNS[name] ?? []) {
    for (const pattern of patternTexts(args[at])) {
      for (const match of pattern.matchAll(/\{(\d+)(?:,(\d+))?\}/g)) largest = Math.max(largest, Number(match[1]), Number(match[2] ?? 0));
    }
  }
  if (name === 'helpers.fake') {
    for (const pattern of patternTexts(args[0]))
      for (const match of pattern.matchAll(/\d+/g)) largest = Math.max(largest, Number(match[0]));
  }
  if (largest > MAX_DYNAMIC_SIZE) {
    throw new TemplateSyntaxIssue(
      `dynamic value "$${name}" asks for a length or count of ${largest}, above the limit of ${MAX_DYNAMIC_SIZE}`,
      'for a larger body, send it from a file with body.file',
    );
  }
}

function sizeOf(value: unknown, depth: number): number {
  if (typeof value === 'number') return Number.isNaN(value) ? 0 : value;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || depth > 1) return 0;
  let largest = 0;
  for (const key of SIZE_KEYS)
    if (Object.hasOwn(value, key)) largest = Math.max(largest, sizeOf((value as Record<string, unknown>)[key], depth + 1));
  return largest;
}

function patternTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (value !== null && typeof value === 'object') return Object.values(value).filter((item): item is string => typeof item === 'string');
  return [];
}
