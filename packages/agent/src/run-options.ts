import type { RunSettings } from '@sortie/api';
import { MAX_RETRY_FAILED, MAX_SHARDS, suggestClosest } from '@sortie/core';

/**
 * The `sortie run` options a run submission may carry (`"options"` of `POST /api/runs` and of a
 * schedule), in ONE table: the server checks a submission with {@link checkRunOptions}, the agent
 * reads a job's options with {@link runOptionsOf}, so what the server accepts is what the agent uses.
 * `sortie run --remote` (runner `remoteOptions`) sends only names of this table.
 */
type Settings = Pick<RunSettings, 'envVars' | 'globals'> & { options: NonNullable<RunSettings['options']> };

interface OptionSpec {
  /** What the value must be, for the message: "a whole number ≥ 1". */
  expected: string;
  /** The problems of a value, each "<path>: expected …, got …"; none when it is valid. */
  check: (value: unknown, path: string) => string[];
  /** Puts a valid value into the run's settings (not called for a value `check` refused). */
  apply: (settings: Settings, value: never) => void;
}

const MAX_SHOWN = 40;
/** At most this many problems are named: 10,000 unknown names do not make a 10,000-line answer. */
const MAX_PROBLEMS = 20;

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** A name as it can be printed: control characters escaped, a long one cut. */
function printable(name: string): string {
  const escaped = JSON.stringify(name).slice(1, -1);
  return escaped.length > MAX_SHOWN ? `${escaped.slice(0, MAX_SHOWN)}…` : escaped;
}

function wholeNumber(min: number, unit = ''): Omit<OptionSpec, 'apply'> {
  const expected = `a whole number${unit} ≥ ${min}`;
  return {
    expected,
    check: (value, path) =>
      typeof value === 'number' && Number.isSafeInteger(value) && value >= min
        ? []
        : [`${path}: expected ${expected}, got ${shown(value)}`],
  };
}

/** 1 to `max`. */
function wholeNumberUpTo(max: number): Omit<OptionSpec, 'apply'> {
  const expected = `a whole number from 1 to ${max}`;
  return {
    expected,
    check: (value, path) =>
      typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= max
        ? []
        : [`${path}: expected ${expected}, got ${shown(value)}`],
  };
}

const flag: Omit<OptionSpec, 'apply'> = {
  expected: 'true or false',
  check: (value, path) => (typeof value === 'boolean' ? [] : [`${path}: expected true or false, got ${shown(value)}`]),
};

const text: Omit<OptionSpec, 'apply'> = {
  expected: 'a string',
  check: (value, path) => (typeof value === 'string' ? [] : [`${path}: expected a string, got ${shown(value)}`]),
};

const stringMap: Omit<OptionSpec, 'apply'> = {
  expected: 'an object of strings: {"name": "value"}',
  check: (value, path) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return [`${path}: expected an object of strings: {"name": "value"}, got ${shown(value)}`];
    return Object.entries(value)
      .filter(([, item]) => typeof item !== 'string')
      .map(([key, item]) => `${path}.${printable(key)}: expected a string, got ${shown(item)}`);
  },
};

/** An object of JSON values: a `-g` globals file's values keep their types (a number, an object), as in a local run. */
const jsonMap: Omit<OptionSpec, 'apply'> = {
  expected: 'an object of JSON values: {"name": value}',
  check: (value, path) =>
    value === null || typeof value !== 'object' || Array.isArray(value)
      ? [`${path}: expected an object of JSON values: {"name": value}, got ${shown(value)}`]
      : [],
};

const stringList: Omit<OptionSpec, 'apply'> = {
  expected: 'a list of strings',
  check: (value, path) => {
    if (!Array.isArray(value)) return [`${path}: expected a list of strings, got ${shown(value)}`];
    return value.flatMap((item, i) => (typeof item === 'string' ? [] : [`${path}[${i}]: expected a string, got ${shown(item)}`]));
  },
};

const RUN_OPTIONS: Record<string, OptionSpec> = {
  iterations: {
    ...wholeNumber(1),
    apply: (s, v: number) => {
      s.options.iterations = v;
    },
  },
  parallel: {
    ...wholeNumber(1),
    apply: (s, v: number) => {
      s.options.parallel = v;
    },
  },
  timeoutRequest: {
    ...wholeNumber(1, ' of milliseconds'),
    apply: (s, v: number) => {
      s.options.timeoutRequest = v;
    },
  },
  maxResponseBytes: {
    ...wholeNumber(1),
    apply: (s, v: number) => {
      s.options.maxResponseBytes = v;
    },
  },
  seed: {
    ...wholeNumber(0),
    apply: (s, v: number) => {
      s.options.seed = v;
    },
  },
  locale: {
    ...text,
    apply: (s, v: string) => {
      s.options.locale = v;
    },
  },
  bail: {
    ...flag,
    apply: (s, v: boolean) => {
      if (v) s.options.bail = true;
    },
  },
  retryFailed: {
    ...wholeNumberUpTo(MAX_RETRY_FAILED),
    apply: (s, v: number) => {
      s.options.retryFailed = v;
    },
  },
  failOnFlaky: {
    ...flag,
    apply: (s, v: boolean) => {
      if (v) s.options.failOnFlaky = true;
    },
  },
  teardownGrace: {
    ...wholeNumber(1, ' of milliseconds'),
    apply: (s, v: number) => {
      s.options.teardownGrace = v;
    },
  },
  timeoutRun: {
    ...wholeNumber(1, ' of milliseconds'),
    apply: (s, v: number) => {
      s.options.timeoutRun = v;
    },
  },
  insecure: {
    ...flag,
    apply: (s, v: boolean) => {
      if (v) s.options.insecure = true;
    },
  },
  cookies: {
    ...flag,
    apply: (s, v: boolean) => {
      if (!v) s.options.cookies = false;
    },
  },
  allowUnresolved: {
    ...flag,
    apply: (s, v: boolean) => {
      if (v) s.options.strictVariables = false;
    },
  },
  envVars: {
    ...stringMap,
    apply: (s, v: Record<string, string>) => {
      s.envVars = { ...v };
    },
  },
  globals: {
    ...jsonMap,
    apply: (s, v: Record<string, unknown>) => {
      s.globals = { ...v };
    },
  },
  // The names of the globals a `-g` file types secret: each agent takes their values from its environment.
  globalSecrets: { ...stringList, apply: () => {} },
  // `--shards N`: the server puts the run on the queue as N jobs (each job's `shard` says which part it runs).
  shards: {
    ...wholeNumberUpTo(MAX_SHARDS),
    apply: () => {},
  },
};

/** The option names a submission may carry. */
export const RUN_OPTION_NAMES: readonly string[] = Object.keys(RUN_OPTIONS);

/**
 * The problems of a submission's `options` object, each naming the field and what it expects
 * (`options.iterations: expected a whole number ≥ 1, got "abc"`); empty when every option is valid.
 */
export function checkRunOptions(raw: Record<string, unknown>, path = 'options'): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const spec = Object.hasOwn(RUN_OPTIONS, name) ? RUN_OPTIONS[name] : undefined;
    if (spec === undefined) {
      const closest = suggestClosest(name, RUN_OPTION_NAMES);
      problems.push(`${path}.${printable(name)}: not a run option${closest === undefined ? '' : ` (did you mean "${closest}"?)`}`);
    } else {
      problems.push(...spec.check(value, `${path}.${name}`));
    }
  }
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), `${path}: ${problems.length - MAX_PROBLEMS} more problems not named`];
}

/** The run settings of a job's options: the valid ones of {@link RUN_OPTIONS} (the server refused any other). */
export function runOptionsOf(raw: Record<string, unknown>): Pick<RunSettings, 'envVars' | 'globals' | 'options'> {
  const settings: Settings = { envVars: {}, globals: {}, options: {} };
  for (const [name, spec] of Object.entries(RUN_OPTIONS)) {
    const value = raw[name];
    if (value !== undefined && spec.check(value, name).length === 0) spec.apply(settings, value as never);
  }
  return settings;
}
