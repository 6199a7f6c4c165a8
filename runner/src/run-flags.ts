/**
 * The flags of `sortie run` that users bring from Newman and Hurl: selection (--grep, --tag), pacing
 * and limits (--delay-request, --timeout, --timeout-script, --retry), HTTP (--ignore-redirects,
 * --proxy, cookie jar files, a client certificate), variables (--variable, --variables-file), what is
 * printed (--silent, -q, --json), report files and the exit code (-x).
 */
import { MAX_TIMER_MS } from '@sortie/core';
import { usageError as usageErrorWith } from './parse-options.js';
import { wholeNumber } from './whole-number.js';

/** Where a usage error of `sortie run` points: its own options, which the main help does not list. */
export const RUN_HINT = "run 'sortie run --help' for its options";

function usageError(message: string, hint = RUN_HINT) {
  return usageErrorWith(message, hint);
}

export const RUN_FLAG_OPTIONS = {
  grep: { type: 'string' },
  tag: { type: 'string', multiple: true },
  'delay-request': { type: 'string' },
  timeout: { type: 'string' },
  'timeout-script': { type: 'string' },
  retry: { type: 'string' },
  'ignore-redirects': { type: 'boolean' },
  proxy: { type: 'string' },
  'cookie-jar': { type: 'string' },
  'export-cookie-jar': { type: 'string' },
  'ssl-client-cert': { type: 'string' },
  'ssl-client-key': { type: 'string' },
  'ssl-client-passphrase': { type: 'string' },
  variable: { type: 'string', multiple: true },
  'variables-file': { type: 'string', multiple: true },
  'report-junit': { type: 'string' },
  'report-json': { type: 'string' },
  json: { type: 'boolean' },
  silent: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'suppress-exit-code': { type: 'boolean', short: 'x' },
} as const;

/** What the console shows: everything, only failures and the summary (-q), or nothing (--silent, --json). */
export type OutputLevel = 'normal' | 'quiet' | 'silent';

/** A client certificate from the command line (files as given, read by the run command). */
export interface ClientCertificateFlags {
  cert: string;
  key?: string;
  /** A secret: redacted everywhere. */
  passphrase?: string;
}

export interface RunFlags {
  /** `--grep`: only scenarios whose name (or file) matches this regular expression. */
  grep?: RegExp;
  /** `--tag` (repeatable): only scenarios and steps carrying one of these tags. */
  tags: string[];
  /** `--delay-request`: ms to wait before each request. */
  delayRequest?: number;
  /** `--timeout`: the whole run's time limit in ms. */
  timeoutRun?: number;
  /** `--timeout-script`: each script's time limit in ms. */
  timeoutScript?: number;
  /** `--retry`: default retries of every request step that sets none. */
  retry?: number;
  /** `--ignore-redirects`: no redirect is followed. */
  ignoreRedirects: boolean;
  /** `--proxy`: every request through this proxy. */
  proxy?: string;
  /** `--cookie-jar`: cookies loaded before the run (Netscape cookie file). */
  cookieJar?: string;
  /** `--export-cookie-jar`: cookies written after the run (Netscape cookie file). */
  exportCookieJar?: string;
  clientCertificate?: ClientCertificateFlags;
  /** `--variables-file` (repeatable): `NAME=value` files, read in order, under --env-var/--variable. */
  variablesFiles: string[];
  /** `--report-junit`: the JUnit report, to this file. */
  reportJunit?: string;
  /** `--report-json`: the JSON report, to this file. */
  reportJson?: string;
  /** `--json`: the JSON report on stdout, nothing else there. */
  json: boolean;
  output: OutputLevel;
  /** `-x`: exit 0 even when the run failed. */
  suppressExitCode: boolean;
}

type FlagValues = {
  [K in keyof typeof RUN_FLAG_OPTIONS]?: (typeof RUN_FLAG_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof RUN_FLAG_OPTIONS)[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

/** Reads the values parsed with {@link RUN_FLAG_OPTIONS}. Throws a usage error for a bad value or a bad combination. */
export function readRunFlags(values: FlagValues & { verbose?: boolean }): RunFlags {
  const flags: RunFlags = {
    tags: (values.tag ?? []).map((tag) => readTag(tag)),
    ignoreRedirects: values['ignore-redirects'] === true,
    variablesFiles: values['variables-file'] ?? [],
    json: values.json === true,
    output: values.silent === true || values.json === true ? 'silent' : values.quiet === true ? 'quiet' : 'normal',
    suppressExitCode: values['suppress-exit-code'] === true,
  };
  if (values.grep !== undefined) flags.grep = readPattern(values.grep);
  if (values['delay-request'] !== undefined) flags.delayRequest = readMs(values['delay-request'], '--delay-request', true);
  if (values.timeout !== undefined) flags.timeoutRun = readMs(values.timeout, '--timeout', false);
  if (values['timeout-script'] !== undefined) flags.timeoutScript = readMs(values['timeout-script'], '--timeout-script', false);
  if (values.retry !== undefined) flags.retry = readRetry(values.retry);
  if (values.proxy !== undefined) flags.proxy = readProxy(values.proxy);
  if (values['cookie-jar'] !== undefined) flags.cookieJar = values['cookie-jar'];
  if (values['export-cookie-jar'] !== undefined) flags.exportCookieJar = values['export-cookie-jar'];
  if (values['report-junit'] !== undefined) flags.reportJunit = values['report-junit'];
  if (values['report-json'] !== undefined) flags.reportJson = values['report-json'];
  const cert = values['ssl-client-cert'];
  const key = values['ssl-client-key'];
  const passphrase = values['ssl-client-passphrase'];
  if (cert === undefined && (key !== undefined || passphrase !== undefined))
    throw usageError('--ssl-client-key and --ssl-client-passphrase go with --ssl-client-cert');
  if (cert !== undefined) {
    flags.clientCertificate = { cert };
    if (key !== undefined) flags.clientCertificate.key = key;
    if (passphrase !== undefined) flags.clientCertificate.passphrase = passphrase;
  }
  if (values.silent === true && values.quiet === true) throw usageError('--silent and -q/--quiet do not go together');
  // Each of these would silently drop the other: --json writes the JSON report where --silent writes
  // nothing, and -q, --silent and --json all print less than --verbose asks for.
  if (values.silent === true && values.json === true)
    throw usageError('--silent and --json do not go together', '--json prints only the JSON report on stdout; --silent prints nothing');
  if (values.verbose === true) {
    const quieter =
      values.json === true ? '--json' : values.silent === true ? '--silent' : values.quiet === true ? '-q/--quiet' : undefined;
    if (quieter !== undefined)
      throw usageError(
        `--verbose and ${quieter} do not go together`,
        values.json === true ? 'for both, write the JSON report to a file: --verbose --report-json <file>' : 'give one of them',
      );
  }
  return flags;
}

function readTag(tag: string): string {
  if (!/^[^\s,]+$/.test(tag))
    throw usageError(`--tag expects one tag (no spaces or commas), got "${tag}"`, 'repeat --tag for several tags');
  return tag;
}

function readPattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch (error) {
    throw usageError(`--grep expects a regular expression: ${(error as Error).message}`);
  }
}

function readMs(value: string, flag: string, zeroAllowed: boolean): number {
  const n = wholeNumber(value);
  if (n === undefined || n < (zeroAllowed ? 0 : 1))
    throw usageError(`${flag} expects a ${zeroAllowed ? 'whole' : 'positive whole'} number of milliseconds, got "${value}"`);
  // What a Node timer holds (about 24.8 days): a longer one would fire after 1 ms.
  if (n > MAX_TIMER_MS) throw usageError(`${flag} expects at most ${MAX_TIMER_MS} milliseconds (about 24 days), got "${value}"`);
  return n;
}

function readRetry(value: string): number {
  const n = wholeNumber(value);
  if (n === undefined || n > 100) throw usageError(`--retry expects a number of retries from 0 to 100, got "${value}"`);
  return n;
}

function readProxy(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value is not echoed: a proxy URL may carry a password.
    throw usageError('--proxy expects a URL such as http://proxy.example:3128');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`--proxy expects an http: or https: URL, got a ${url.protocol} URL`);
  return value;
}
