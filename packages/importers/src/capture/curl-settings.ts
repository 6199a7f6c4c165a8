/**
 * curl's transfer options that are settings of a step, not of the request's content: `-L`/`--max-redirs`
 * (the step's `followRedirects`/`maxRedirects`), `-m`/`--max-time` (its `timeout`), `--retry` and
 * `--retry-delay` (its `retry`). The ones Sortie has no equivalent for are named in the notes, not dropped
 * silently: `-o`, `--connect-timeout`, `--retry-max-time` (and `--retry-all-errors`…, which curlconverter's
 * "not a supported option" warning names).
 * @see https://curl.se/docs/manpage.html
 */
import type { CapturedSettings } from './captured-request.js';

/** curl's transient HTTP errors, which `--retry` retries (curl(1), --retry). */
const CURL_RETRY_STATUSES = [408, 429, 500, 502, 503, 504];

/** The options read here that curlconverter's JSON generator does not support (its warnings for them are replaced by ours). */
export const SETTING_ARGS: readonly string[] = ['retry', 'retry-delay', 'retry-max-time', 'http2', 'cacert', 'cert', 'key'];

/**
 * Options that change only what curl prints (`-sS`, `-v`, a progress bar): the request is the same, and
 * a run's reports show what they would. No note ("-s is not a supported option" said something was lost).
 */
export const OUTPUT_ARGS: readonly string[] = [
  'silent',
  'show-error',
  'verbose',
  'progress-bar',
  'progress-meter',
  'buffer',
  'trace',
  'trace-ascii',
  'trace-time',
  'stderr',
];

export interface CurlSettings {
  settings: CapturedSettings;
  notes: string[];
}

/** The step settings of a command and the notes for the options Sortie does not have. */
export async function readCurlSettings(bash: string): Promise<CurlSettings> {
  const [{ parse }, { supportedArgs }, retryDelay] = await Promise.all([
    import('curlconverter/dist/src/parse.js'),
    import('curlconverter/dist/src/generators/json.js'),
    readRetryDelay(bash),
  ]);
  const request = parse(bash, new Set([...supportedArgs, ...SETTING_ARGS]))[0];
  const settings: CapturedSettings = {};
  const notes: string[] = [];
  if (request === undefined) return { settings, notes };
  if (request.followRedirects === true) {
    settings.followRedirects = true;
    const most = request.maxRedirects === undefined ? undefined : Number(request.maxRedirects.toString());
    // curl: -1 is "no limit"; Sortie's limit is a number of redirects.
    if (most !== undefined && Number.isInteger(most) && most >= 0) settings.maxRedirects = most;
  }
  const seconds = request.timeout === undefined ? undefined : Number(request.timeout.toString());
  if (seconds !== undefined && Number.isFinite(seconds) && seconds > 0) settings.timeout = Math.max(1, Math.round(seconds * 1000));
  const retries = request.retry === undefined ? undefined : Number(request.retry.toString());
  const delay = retryDelay === undefined ? undefined : Number(retryDelay);
  if (retries !== undefined && Number.isInteger(retries) && retries > 0) {
    // curl waits 1 s before the first retry, doubling each time (curl(1), --retry); --retry-delay N waits N s
    // before each retry instead, and 0 keeps the doubling (curl(1), --retry-delay).
    settings.retry =
      delay !== undefined && Number.isFinite(delay) && delay > 0
        ? { count: Math.min(retries, 100), delay: Math.round(delay * 1000), backoff: 'fixed', statuses: CURL_RETRY_STATUSES }
        : { count: Math.min(retries, 100), delay: 1000, backoff: 'exponential', statuses: CURL_RETRY_STATUSES };
    if (retries > 100) notes.push(`curl: --retry ${retries}: a step retries at most 100 times`);
  }
  if (retryDelay !== undefined && !(delay !== undefined && Number.isFinite(delay) && delay >= 0))
    notes.push(`curl: --retry-delay ${retryDelay} is not a number of seconds: the step waits as --retry alone would`);
  else if (retryDelay !== undefined && settings.retry === undefined)
    notes.push(`curl: --retry-delay ${retryDelay} is ignored without --retry (as curl ignores it): the step is not retried`);
  if (request.connectTimeout !== undefined)
    notes.push(
      `curl: --connect-timeout ${request.connectTimeout.toString()} has no equivalent: the step's timeout covers the whole request (docs/http.md, Timeouts)`,
    );
  if (request.retryMaxTime !== undefined) notes.push('curl: --retry-max-time has no equivalent: the step retries its `retry.count` times');
  // curl(1) --http2: HTTP/2 offered (ALPN) on TLS connections, as a step's `http2: true` does (docs/http.md, HTTP/2).
  if (request.http2 === true) settings.http2 = true;
  if (request.cacert !== undefined)
    notes.push(
      `curl: --cacert ${request.cacert.toString()} is not part of the scenario: trust it with \`sortie run --ca ${request.cacert.toString()}\` or the environment's \`http.ca\` (docs/http.md, TLS)`,
    );
  // -E file[:passphrase]: only the file is named, the passphrase is a secret.
  const cert = Array.isArray(request.cert) ? request.cert[0] : request.cert;
  if (cert !== undefined)
    notes.push(
      `curl: -E ${cert.toString()}${request.key === undefined ? '' : ` --key ${request.key.toString()}`} is not part of the scenario: set it as the environment's \`http.clientCertificates\` ({ host, cert, key }) (docs/http.md, Environment HTTP settings)`,
    );
  const output = request.urls[0]?.output?.toString();
  if (output !== undefined && output !== '-')
    notes.push(`curl: -o ${output} is not part of the scenario: the response body is kept in the run's reports (sortie run -r json)`);
  return { settings, notes };
}

/**
 * The `--retry-delay` of the command's first URL, as written (curlconverter reads it but leaves it out of
 * the request it builds): its argument parser gives each URL's options.
 */
async function readRetryDelay(bash: string): Promise<string | undefined> {
  const [{ tokenize }, opts] = await Promise.all([
    import('curlconverter/dist/src/shell/tokenizer.js'),
    import('curlconverter/dist/src/curl/opts.js'),
  ]);
  const argv = tokenize(bash, [])[0]?.[0];
  if (argv === undefined) return undefined;
  const [global] = opts.parseArgs(argv, opts.curlLongOpts, opts.curlLongOptsShortened, opts.curlShortOpts, undefined, []);
  return global.configs[0]?.['retry-delay']?.toString();
}
