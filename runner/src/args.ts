import { ErrorCode, MAX_RETRY_FAILED, MAX_SHARDS, MAX_TIMER_MS, SortieError, suggestClosest } from '@sortie/core';
import { parseCommandOptions, readColorFlag } from './parse-options.js';
import { RUN_FLAG_OPTIONS, RUN_HINT, type RunFlags, readRunFlags } from './run-flags.js';
import { wholeNumber } from './whole-number.js';

export const REPORTER_NAMES = ['cli', 'json', 'junit', 'html'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

export interface RunArgs extends RunFlags {
  command: 'run';
  files: string[];
  /** `-e`: an environment file or a name in the project's environments folder. */
  env?: string;
  envVars: Record<string, string>;
  /** The names of {@link envVars} set with `--variable` (the others came with `--env-var`), for messages that name the flag. */
  variableNames?: string[];
  globals: Record<string, string>;
  /** `-r`; when absent, the project's reporters, else cli. */
  reporters?: ReporterName[];
  /** `--out-dir`; when absent, the project's outDir, else sortie-reports. */
  outDir?: string;
  /** `--report-html`: where the HTML report goes (adds the html reporter); default `<out-dir>/report.html`. */
  reportHtml?: string;
  /** `-d`: a CSV or JSON file of iteration rows. */
  iterationData?: string;
  /** `-n`: how many iterations. */
  iterations?: number;
  /** `--parallel`: scenario runs at the same time. */
  parallel?: number;
  /** false with `--no-cookies`. */
  cookies: boolean;
  exportEnvironment?: string;
  exportGlobals?: string;
  bail: boolean;
  /** `--retry-failed N`: rerun failed scenarios up to N times after the run. */
  retryFailed?: number;
  /** `--fail-on-flaky`: a step or scenario that passed only on a retry fails the run. */
  failOnFlaky: boolean;
  /** `--teardown-grace ms`: how long teardowns and afterAll may run after an interrupt. */
  teardownGrace?: number;
  /** `--timeout-run ms`: the whole run's time limit. */
  timeoutRun?: number;
  timeoutRequest?: number;
  /** `--max-response-bytes`. */
  maxResponseBytes?: number;
  insecure: boolean;
  ca: string[];
  verbose: boolean;
  color?: boolean;
  allowUnresolved: boolean;
  seed?: number;
  locale?: string;
  /** `--scripts`: script library folders (or npm packages), added to the project's. */
  scripts: string[];
  /** `--token-cache`: keep every OAuth profile's tokens in the encrypted token cache. */
  tokenCache: boolean;
  /** `--remote URL`: run on the agents of a Sortie server instead of here. */
  remote?: string;
  /** `--token`: the server's API token (default SORTIE_TOKEN). */
  token?: string;
  /** `--pool`: the agents' pool (default `default`). */
  pool?: string;
  /** `--shards`: split the remote run into this many parts, run by the pool's agents side by side. */
  shards?: number;
  /** `-g`: a globals file (a Postman globals export, or `{ variables }`). */
  globalsFile?: string;
  /** `--folder` (repeatable): run only the folders / groups or requests / steps of these names. */
  folders: string[];
  /** `--working-dir`: where a Postman collection's body file paths resolve. */
  workingDir?: string;
}
export interface ValidateArgs {
  command: 'validate';
  files: string[];
  /** `--scripts`: script libraries whose calls are checked too. */
  scripts: string[];
  env?: string;
  /** `--folder` (repeatable): the names must exist, as for `sortie run`. */
  folders: string[];
  /** `-d`: an iteration data file, read and checked as `sortie run` would. */
  iterationData?: string;
  /** `-g`: a globals file, read and checked as `sortie run` would. */
  globalsFile?: string;
  color?: boolean;
}
export type CliArgs =
  | RunArgs
  | ValidateArgs
  | { command: 'auth'; argv: readonly string[] }
  | { command: 'scripts'; argv: readonly string[] }
  | { command: 'import'; argv: readonly string[] }
  | { command: 'agent'; argv: readonly string[] }
  | { command: 'server'; argv: readonly string[] }
  | { command: 'init'; argv: readonly string[] }
  | { command: 'help'; topic?: string }
  | { command: 'version' };

const runOptions = {
  env: { type: 'string', short: 'e' },
  'env-var': { type: 'string', multiple: true },
  'global-var': { type: 'string', multiple: true },
  reporters: { type: 'string', short: 'r' },
  'out-dir': { type: 'string' },
  'report-html': { type: 'string' },
  bail: { type: 'boolean' },
  'retry-failed': { type: 'string' },
  'fail-on-flaky': { type: 'boolean' },
  'teardown-grace': { type: 'string' },
  'timeout-run': { type: 'string' },
  'timeout-request': { type: 'string' },
  'max-response-bytes': { type: 'string' },
  insecure: { type: 'boolean', short: 'k' },
  ca: { type: 'string', multiple: true },
  verbose: { type: 'boolean' },
  'allow-unresolved': { type: 'boolean' },
  seed: { type: 'string' },
  locale: { type: 'string' },
  'iteration-data': { type: 'string', short: 'd' },
  iterations: { type: 'string', short: 'n' },
  parallel: { type: 'string' },
  'no-cookies': { type: 'boolean' },
  scripts: { type: 'string', multiple: true },
  'token-cache': { type: 'boolean' },
  'export-environment': { type: 'string' },
  'export-globals': { type: 'string' },
  remote: { type: 'string' },
  token: { type: 'string' },
  pool: { type: 'string' },
  shards: { type: 'string' },
  ...RUN_FLAG_OPTIONS,
  globals: { type: 'string', short: 'g' },
  folder: { type: 'string', multiple: true },
  'working-dir': { type: 'string' },
  // Newman's long names of -e, -n and --ca.
  environment: { type: 'string' },
  'iteration-count': { type: 'string' },
  'ssl-extra-ca-certs': { type: 'string', multiple: true },
} as const;

/** The options of `sortie validate` (VALIDATE_HELP), out of {@link runOptions} and the shared ones. */
const VALIDATE_OPTIONS = new Set(['env', 'environment', 'iteration-data', 'globals', 'folder', 'scripts', 'color', 'no-color', 'help']);

/**
 * Newman options with no option of that name here, and what to use instead: a Newman command line
 * pasted into `sortie run` gets this rather than a "did you mean" for a look-alike.
 */
function newmanOnlyOption(arg: string): string | undefined {
  const name = arg.split('=')[0]!;
  const report = /^--reporter-(junit|json|html|htmlextra)-export$/.exec(name)?.[1];
  if (report !== undefined) {
    const flag = report === 'htmlextra' ? 'html' : report;
    return `${name} is Newman's: write the ${flag} report with --report-${flag} <file> (or -r ${flag} and --out-dir <dir>)`;
  }
  if (name.startsWith('--reporter-'))
    return `${name} is an option of a Newman reporter: the reporters here are cli, json, junit and html (-r), written with --out-dir or --report-json/--report-junit/--report-html <file>`;
  if (name === '--disable-unicode')
    return "--disable-unicode is Newman's: the output here always uses Unicode symbols (✓ ✗ ▶); --no-color turns colours off";
  if (name === '--export-collection')
    return "--export-collection is Newman's: the collection is not written back; --export-environment and --export-globals write the variables";
  if (name === '--ssl-client-cert-list')
    return "--ssl-client-cert-list is Newman's: give client certificates per host in the environment's http.clientCertificates (docs/http.md), or one for every host with --ssl-client-cert";
  return undefined;
}

/** Newman's `--bail [modifiers]`: `folder`, `failure`, or both separated by a comma. */
const NEWMAN_BAIL_MODIFIERS = /^(?:folder|failure)(?:,(?:folder|failure))?$/;

/** The value of an option that has a Newman name too (-e and --environment); both given is a usage error. */
function eitherName<T>(value: T | undefined, newman: T | undefined, ours: string, newmans: string, hint: string): T | undefined {
  if (value !== undefined && newman !== undefined)
    throw usage(`${ours} and ${newmans} are the same option (${newmans} is Newman's name): give one`, hint);
  return value ?? newman;
}

const COMMANDS = ['run', 'validate', 'init', 'import', 'auth', 'scripts', 'agent', 'server', 'help', 'version'];

const VALIDATE_HINT = "run 'sortie validate --help' for its options";

function usage(message: string, hint = RUN_HINT): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint });
}

/** The usage error for a command (or `sortie help <topic>`) that does not exist, with the closest one. */
function unknownCommand(command: string): SortieError {
  const option = command.startsWith('-');
  // `sortie --versoin`: the options that go before a command are only --help and --version.
  const closest = option ? suggestClosest(command.split('=')[0]!, TOP_LEVEL_OPTIONS) : suggestClosest(command, COMMANDS);
  return usage(
    option ? `unknown option ${command} (options go after a command)` : `unknown command "${command}"`,
    closest === undefined ? 'commands: run, validate, init, import, auth, scripts, agent, server' : `did you mean "sortie ${closest}"?`,
  );
}

/** The options `sortie` takes without a command. */
const TOP_LEVEL_OPTIONS = ['--help', '--version'];

/** Parses the command line (without `node` and the script). Throws SortieError(USAGE). */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = rest[0];
    if (topic === undefined || topic.startsWith('-') || topic === 'help' || topic === 'version') return { command: 'help' };
    // The import command prints its own help (its formats and their options).
    if (topic === 'import') return { command: 'import', argv: ['--help'] };
    if (!COMMANDS.includes(topic)) throw unknownCommand(topic);
    return { command: 'help', topic };
  }
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  if (command === 'scripts') {
    if (rest.includes('--help') || rest.includes('-h') || rest.length === 0) return { command: 'help', topic: 'scripts' };
    return { command: 'scripts', argv: rest };
  }
  if (command === 'import') return { command: 'import', argv: rest };
  if (command === 'agent' || command === 'server' || command === 'init') {
    if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: command };
    return { command, argv: rest };
  }
  if (command === 'auth') {
    if (rest.includes('--help') || rest.includes('-h') || rest.length === 0) return { command: 'help', topic: 'auth' };
    return { command: 'auth', argv };
  }
  if (command !== 'run' && command !== 'validate') throw unknownCommand(command);

  const end = rest.indexOf('--');
  const options = end === -1 ? rest : rest.slice(0, end);
  for (const [index, arg] of options.entries()) {
    const instead = newmanOnlyOption(arg);
    if (instead !== undefined) throw usage(`unknown option ${arg.split('=')[0]}`, instead);
    const next = options[index + 1];
    if (arg === '--bail' && next !== undefined && NEWMAN_BAIL_MODIFIERS.test(next)) {
      throw usage(
        `--bail takes no value here ("${next}" is a modifier of Newman's --bail)`,
        '--bail alone stops the run at the first failed or errored step; a --folder that names nothing is always an error (exit 2)',
      );
    }
  }
  const hint = command === 'run' ? RUN_HINT : VALIDATE_HINT;
  const { values, positionals, inOrder, writtenAs } = parseCommandOptions(rest, runOptions, hint);
  const env = eitherName(values.env, values.environment, '-e/--env', '--environment', hint);
  const iterations = eitherName(values.iterations, values['iteration-count'], '-n/--iterations', '--iteration-count', hint);
  if (values.help === true) return { command: 'help', topic: command };
  if (positionals.length === 0) throw usage(`"sortie ${command}" needs at least one scenario file or folder`, hint);
  const color = readColorFlag(rest);

  if (command === 'validate') {
    // validate shares run's table (one parser, Newman's long names) but takes only these; another one
    // was silently ignored, its value unchecked (`--env-var noeq`, `--bail`).
    const ignored = Object.keys(values).find((name) => !VALIDATE_OPTIONS.has(name));
    if (ignored !== undefined) {
      throw usage(
        `--${ignored} is an option of "sortie run", not of "sortie validate" (which sends nothing and reads no variables)`,
        VALIDATE_HINT,
      );
    }
    const args: ValidateArgs = { command, files: positionals, scripts: values.scripts ?? [], folders: values.folder ?? [] };
    if (env !== undefined) args.env = env;
    if (values['iteration-data'] !== undefined) args.iterationData = values['iteration-data'];
    if (values.globals !== undefined) args.globalsFile = values.globals;
    if (color !== undefined) args.color = color;
    return args;
  }
  const args: RunArgs = {
    ...readRunFlags(values),
    command,
    files: positionals,
    // --variable is Hurl's name for --env-var: both checked under their own name, then one name given
    // by both takes the later value, as two --env-var of one name do.
    envVars: {
      ...parsePairs(values['env-var'], '--env-var'),
      ...parsePairs(values.variable, '--variable'),
      ...parsePairs(inOrder(['env-var', 'variable']), '--env-var'),
    },
    variableNames: Object.keys(parsePairs(values.variable, '--variable')),
    globals: parsePairs(values['global-var'], '--global-var'),
    bail: values.bail === true,
    failOnFlaky: values['fail-on-flaky'] === true,
    insecure: values.insecure === true,
    ca: [...(values.ca ?? []), ...(values['ssl-extra-ca-certs'] ?? [])],
    verbose: values.verbose === true,
    allowUnresolved: values['allow-unresolved'] === true,
    cookies: values['no-cookies'] !== true,
    scripts: values.scripts ?? [],
    tokenCache: values['token-cache'] === true,
    folders: values.folder ?? [],
  };
  if (values.globals !== undefined) args.globalsFile = values.globals;
  if (values['working-dir'] !== undefined) args.workingDir = values['working-dir'];
  if (values.reporters !== undefined) args.reporters = parseReporters(values.reporters);
  if (values['out-dir'] !== undefined) args.outDir = values['out-dir'];
  if (values['report-html'] !== undefined) args.reportHtml = values['report-html'];
  if (env !== undefined) args.env = env;
  if (values['iteration-data'] !== undefined) args.iterationData = values['iteration-data'];
  if (iterations !== undefined)
    args.iterations = parseCount(iterations, writtenAs(values.iterations === undefined ? 'iteration-count' : 'iterations'));
  if (values.parallel !== undefined) args.parallel = parseCount(values.parallel, '--parallel');
  if (values['export-environment'] !== undefined) args.exportEnvironment = values['export-environment'];
  if (values['export-globals'] !== undefined) args.exportGlobals = values['export-globals'];
  if (color !== undefined) args.color = color;
  if (values.seed !== undefined) args.seed = parseSeed(values.seed);
  if (values.locale !== undefined) args.locale = values.locale;
  if (values['retry-failed'] !== undefined) args.retryFailed = parseRetryFailed(values['retry-failed']);
  if (values['teardown-grace'] !== undefined) args.teardownGrace = parsePositiveMs(values['teardown-grace'], '--teardown-grace');
  if (values['timeout-run'] !== undefined) {
    // --timeout is Newman's and Hurl's name of --timeout-run: both given, which one was meant is not guessed.
    if (values.timeout !== undefined) throw usage("--timeout-run and --timeout are the same option (--timeout is Newman's name): give one");
    args.timeoutRun = parsePositiveMs(values['timeout-run'], '--timeout-run');
  }
  if (values['timeout-request'] !== undefined) args.timeoutRequest = parsePositiveMs(values['timeout-request'], '--timeout-request');
  if (values['max-response-bytes'] !== undefined) {
    args.maxResponseBytes = parseCount(values['max-response-bytes'], '--max-response-bytes');
  }
  if (values.remote !== undefined) args.remote = values.remote;
  if (values.token !== undefined) args.token = values.token;
  if (values.pool !== undefined) args.pool = values.pool;
  if (values.shards !== undefined) args.shards = parseShards(values.shards);
  if ((args.token !== undefined || args.pool !== undefined) && args.remote === undefined)
    throw usage('--token and --pool go with --remote');
  if (args.shards !== undefined && args.remote === undefined)
    throw usage('--shards goes with --remote: it splits a run over the agents of a pool (here, use --parallel)');
  if (args.remote !== undefined) {
    // The agents run with their own settings: a flag the remote run would silently drop is refused.
    const local = Object.keys(RUN_FLAG_OPTIONS).find(
      (name) => !REMOTE_FLAGS.has(name) && values[name as keyof typeof values] !== undefined,
    );
    if (local !== undefined)
      throw usage(`--${local} does not go with --remote: ${NOT_REMOTE[local] ?? 'the agents run the plan with their own settings'}`);
    // The variables a run ends with stay on the agent: the file would not be written (it was not, unsaid).
    const exported =
      args.exportEnvironment !== undefined ? 'export-environment' : args.exportGlobals !== undefined ? 'export-globals' : undefined;
    if (exported !== undefined) {
      throw usage(`--${exported} does not go with --remote: the variables a run ends with stay on the agent that ran it`);
    }
  }
  return args;
}

/** `--retry-failed N`: 1 to MAX_RETRY_FAILED (each rerun runs the scenario again and is kept in the reports). */
function parseRetryFailed(value: string): number {
  const times = parseCount(value, '--retry-failed');
  if (times > MAX_RETRY_FAILED) throw usage(`--retry-failed expects at most ${MAX_RETRY_FAILED}, got ${value}`);
  return times;
}

/**
 * The flags of {@link RUN_FLAG_OPTIONS} a remote run keeps: the report files are written here
 * (downloaded), as --report-html's; --timeout is --timeout-run (options.timeoutRun); --variable and
 * --variables-file set environment variables as --env-var does (a declared secret among them is
 * refused); -q and --silent change only what this process prints, -x only its exit code.
 */
const REMOTE_FLAGS: ReadonlySet<string> = new Set([
  'report-junit',
  'report-json',
  'timeout',
  'variable',
  'variables-file',
  'quiet',
  'silent',
  'suppress-exit-code',
]);

/** Why a flag of {@link RUN_FLAG_OPTIONS} is refused with --remote, when it is not the agents' own settings. */
const NOT_REMOTE: Record<string, string> = {
  grep: 'the server runs every scenario of the plan it is sent and cannot select them by name (--folder selects, and travels with the plan)',
  tag: 'the server runs every scenario of the plan it is sent and cannot select them by tag (--folder selects, and travels with the plan)',
  json: 'the JSON report of a remote run is made by the agent and downloaded, not printed here (write it with --report-json <file>)',
};

/** `--shards N`: 1 to MAX_SHARDS (the server's limit). */
function parseShards(value: string): number {
  const shards = parseCount(value, '--shards');
  if (shards > MAX_SHARDS) throw usage(`--shards expects at most ${MAX_SHARDS}, got ${value}`);
  return shards;
}

function parsePairs(pairs: string[] | undefined, flag: string): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    // Not quoted: these flags carry secret values, and `--env-var "$TOKEN"` (the name forgotten) is a token.
    if (eq < 0) throw usage(`${flag} expects name=value, got an argument without "=" (not shown: it may be a secret)`);
    if (eq === 0) throw usage(`${flag} expects name=value, got an argument with nothing before "=" (not shown: it may be a secret)`);
    entries.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  // fromEntries defines own properties: `out["__proto__"] = value` would be dropped (a string is not a prototype).
  return Object.fromEntries(entries);
}

function parseReporters(value: string): ReporterName[] {
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0) throw usage('-r/--reporters needs at least one reporter', `reporters: ${REPORTER_NAMES.join(', ')}`);
  for (const name of names) {
    if (!(REPORTER_NAMES as readonly string[]).includes(name)) {
      throw usage(`unknown reporter "${name}"`, `reporters: ${REPORTER_NAMES.join(', ')}`);
    }
  }
  return [...new Set(names)] as ReporterName[];
}

/** A positive whole number of milliseconds, at most what a timer holds (about 24.8 days). */
function parsePositiveMs(value: string, flag: string): number {
  const n = wholeNumber(value);
  if (n === undefined || n <= 0) throw usage(`${flag} expects a positive whole number of milliseconds, got "${value}"`);
  if (n > MAX_TIMER_MS) throw usage(`${flag} expects at most ${MAX_TIMER_MS} milliseconds (about 24 days), got "${value}"`);
  return n;
}

function parseCount(value: string, flag: string): number {
  const n = wholeNumber(value);
  if (n === undefined || n <= 0) throw usage(`${flag} expects a positive whole number${beyondSafe(value)}, got "${value}"`);
  return n;
}

/** For digits beyond what a number holds exactly (they read as whole numbers to the user): the limit, named. */
function beyondSafe(value: string): string {
  return /^\d+$/.test(value) && wholeNumber(value) === undefined ? ` of at most ${Number.MAX_SAFE_INTEGER}` : '';
}

function parseSeed(value: string): number {
  const n = wholeNumber(value);
  if (n === undefined) throw usage(`--seed expects a whole number${beyondSafe(value)}, got "${value}"`);
  return n;
}
