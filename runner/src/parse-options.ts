/**
 * One parser for the options of every command (node:util parseArgs underneath), so the flags every
 * command shares are spelled and understood the same everywhere, and every unknown option gets the
 * same "did you mean …" answer.
 */
import { existsSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ErrorCode, SortieError, suggestClosest } from '@sortie/core';

type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts: `--color` / `--no-color` / `--color on|off|auto`, `-h` / `--help`. */
export const SHARED_OPTIONS = {
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTable;

/** The words `--color` takes besides its boolean forms. */
const COLOR_WORDS: Record<string, string | undefined> = {
  on: '--color',
  always: '--color',
  off: '--no-color',
  never: '--no-color',
  auto: undefined,
};

/** A usage error (exit code 2) with a hint. */
export function usageError(message: string, hint: string): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint });
}

/**
 * `--color on|always`, `--color=on` → `--color`; `off|never` → `--no-color`; `auto` → nothing (the terminal decides).
 * A later flag wins over an earlier one, as with the boolean forms.
 */
export function normaliseColorFlags(argv: readonly string[], hint: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const inline = /^--colou?r=(.*)$/.exec(arg);
    const next = arg === '--color' ? argv[i + 1] : undefined;
    const word = inline?.[1] ?? (next !== undefined && isColorValue(next) ? next : undefined);
    if (word === undefined) {
      out.push(arg);
      continue;
    }
    const key = word.toLowerCase();
    if (!Object.hasOwn(COLOR_WORDS, key)) {
      throw usageError(
        `--color expects on, off or auto, got "${word}"`,
        inline === null
          ? `--color alone turns colours on: to pass "${word}" as an argument, put it before --color or write --color=on`
          : hint,
      );
    }
    const flag = COLOR_WORDS[key];
    if (flag !== undefined) out.push(flag);
    if (inline === null) i++;
  }
  return out;
}

/**
 * Whether the argument after a bare `--color` is meant as its value: one of its words (any case), or
 * a bare word (letters, digits, `_`, no dot or slash) that names no file or folder (`--color maybe`,
 * `--color yes`). Such a word is not taken as a scenario path that does not exist: it is refused as
 * a value of --color, which names the flag. A path, or a word naming an existing file, stays an argument.
 */
function isColorValue(arg: string): boolean {
  if (Object.hasOwn(COLOR_WORDS, arg.toLowerCase())) return true;
  return /^\w+$/.test(arg) && !existsSync(arg);
}

/**
 * What `--color` / `--no-color` / `--color auto` asked for (the last one wins); undefined: the terminal
 * decides. Called on arguments {@link parseCommandOptions} has accepted.
 */
export function readColorFlag(argv: readonly string[]): boolean | undefined {
  let color: boolean | undefined;
  for (const arg of normaliseColorFlags(argv, '')) {
    if (arg === '--') break;
    if (arg === '--color') color = true;
    else if (arg === '--no-color') color = false;
  }
  return color;
}

/**
 * Parses `args` with `options` plus {@link SHARED_OPTIONS}. An unknown option or a missing value is a
 * usage error that names the option and suggests the closest known one. An empty value or argument
 * (`--ca ""`, `sortie run "$UNSET"`) is one too: as a path it would name the working directory. So is
 * an option that takes one value given twice (`-e a.json -e b.json`, `-n 2 --iterations 3`): which
 * one was meant is not guessed (the last one silently won). Options marked `multiple` are repeatable;
 * a flag without a value (`--bail --bail`, `--color --no-color`) may be repeated, the last one winning.
 * `hint` is the command's own help (`run 'sortie run --help' …`), said when nothing closer is known.
 */
export function parseCommandOptions<T extends OptionTable>(
  args: readonly string[],
  options: T,
  hint: string,
): {
  values: ReturnType<typeof parseArgs<{ options: T & typeof SHARED_OPTIONS; allowPositionals: true; args: string[] }>>['values'];
  positionals: string[];
  /** The values of these options (long names), in the order they were given: for two names of one setting. */
  inOrder: (names: readonly string[]) => string[];
  /** How the user wrote an option given with a value (`-n` or `--iterations`), for the errors about it; `--<name>` when not given. */
  writtenAs: (name: string) => string;
} {
  const table = { ...options, ...SHARED_OPTIONS } as T & typeof SHARED_OPTIONS;
  try {
    const parsed = parseArgs({
      args: attachNegativeNumbers(normaliseColorFlags(args, hint), table),
      options: table,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    const given = new Map<string, string>();
    for (const token of parsed.tokens) {
      if (token.kind === 'option' && token.value === '') throw usageError(`option ${token.rawName} needs a value, got an empty one`, hint);
      if (token.kind === 'positional' && token.value === '') throw usageError('an argument is empty (an unset variable?)', hint);
      if (token.kind !== 'option' || token.value === undefined || table[token.name]?.multiple === true) continue;
      const first = given.get(token.name);
      // The values are not shown: --token, --ssl-client-passphrase or a --proxy URL may be secrets.
      if (first !== undefined) throw repeatedOption(token.name, first, token.rawName, hint);
      given.set(token.name, token.rawName);
    }
    const inOrder = (names: readonly string[]) =>
      parsed.tokens.flatMap((token) =>
        token.kind === 'option' && names.includes(token.name) && token.value !== undefined ? [token.value] : [],
      );
    const writtenAs = (name: string) => given.get(name) ?? `--${name}`;
    return { values: parsed.values, positionals: parsed.positionals, inOrder, writtenAs };
  } catch (error) {
    if (error instanceof SortieError) throw error;
    throw describeParseError((error as Error).message, table, hint, args);
  }
}

/**
 * `-n -1`, `--timeout-request -5`: a negative number after an option that takes a value is that value
 * (no option is spelt with a digit), attached as `-n-1` / `--timeout-request=-5`, so the option's own check
 * says what it expects ("-n expects a positive whole number") rather than "looks like an option".
 */
function attachNegativeNumbers(args: readonly string[], table: OptionTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (next !== undefined && /^-(\d|\.\d)/.test(next) && takesValue(arg, table)) {
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Whether `arg` is an option of the table, written alone, that takes a value (`-n`, `--iterations`). */
function takesValue(arg: string, table: OptionTable): boolean {
  const long = /^--([^=]+)$/.exec(arg);
  if (long !== null) return Object.hasOwn(table, long[1]!) && table[long[1]!]!.type === 'string';
  const short = /^-(\w)$/.exec(arg);
  return short !== null && Object.values(table).some((option) => option.short === short[1] && option.type === 'string');
}

/** The usage error for an option of one value given twice, naming both as written (`-n` and `--iterations`). */
function repeatedOption(name: string, first: string, second: string, hint: string): SortieError {
  const both = first === second ? `${first} is given twice` : `${first} and ${second} are the same option (--${name}), given twice`;
  return usageError(`${both}: it takes one value, give it once`, hint);
}

/** Turns node's parse error into our usage error, with "did you mean" for an unknown option. */
function describeParseError(message: string, table: OptionTable, hint: string, args: readonly string[]): SortieError {
  const text = message.replace(/\. To specify a positional argument.*$/s, '').replace(/\. To specify an option argument.*$/s, '');
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(text);
  if (unknown !== null) {
    const [, dashes, name] = unknown;
    const known = Object.entries(table).flatMap(([long, option]) => [
      `--${long}`,
      ...(option.short === undefined ? [] : [`-${option.short}`]),
    ]);
    // A one-letter option is too short to guess from.
    const closest =
      dashes === '--'
        ? suggestClosest(
            `--${name}`,
            known.filter((k) => k.startsWith('--')),
          )
        : undefined;
    return usageError(`unknown option ${dashes}${name}`, closest === undefined ? hint : `did you mean ${closest}?`);
  }
  const missing = /^Option '(?:(-\w), )?(--[\w-]+|-\w)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(text);
  if (missing !== null) {
    // Ambiguous: the next argument starts with "-" (a negative number…); it is taken as a value only when attached.
    const at = args.findIndex((arg) => arg === missing[2] || arg === missing[1]);
    const next = at === -1 ? undefined : args[at + 1];
    if (/argument is ambiguous/.test(text) && next !== undefined) {
      const given = args[at]!;
      const attached = given.startsWith('--') ? `${given}=${next}` : `${given}${next}`;
      return usageError(`option ${given} needs a value, and "${next}" looks like an option`, `to give it as the value, write ${attached}`);
    }
    return usageError(`option ${missing[2]} needs a value`, hint);
  }
  return usageError(text.split('\n')[0]!.replace(/^Option '([^']+)' does not take an argument$/, 'option $1 takes no value'), hint);
}
