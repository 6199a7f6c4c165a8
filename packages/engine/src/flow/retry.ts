import {
  type AttemptRecord,
  ErrorCode,
  getHeader,
  type HttpResponse,
  isSortieError,
  type PreparedRequest,
  type Retry,
  sleep as realSleep,
  toErrorInfo,
} from '@sortie/core';

/** Statuses retried when a retry policy does not name its own. */
export const DEFAULT_RETRY_STATUSES: readonly number[] = Object.freeze([429, 502, 503, 504]);
/** Delay before the first retry when the policy gives none, in ms. */
export const DEFAULT_RETRY_DELAY_MS = 500;
/** Upper bound of one delay when the policy gives none, in ms. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 30_000;

/** Seams for tests; the defaults are the real clock and Math.random. */
export interface SendWithRetryOptions {
  /** Waits `ms` (default: a timer that an abort ends early). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for jitter (default Math.random). */
  random?: () => number;
  /** The current time in epoch ms, for `Retry-After` dates (default Date.now). */
  now?: () => number;
}

/** What the last attempt gave, and every attempt made. */
export interface RetryOutcome {
  response?: HttpResponse;
  /** What the last attempt threw, when it got no response. */
  error?: unknown;
  attempts: AttemptRecord[];
  /**
   * The last attempt was one that is retried too (a listed status, a network error): the retries ran out
   * (or the run was interrupted) rather than an attempt coming out differently. A step that passes so is not flaky.
   */
  exhausted: boolean;
}

/**
 * Sends a request, retrying per `retry`: on the listed statuses (default 429, 502, 503, 504) and,
 * unless `networkErrors` is false, on NETWORK/TIMEOUT errors. Delays are fixed or exponential
 * (`delay × 2^n`), randomised between half and all of themselves with `jitter`, capped at `maxDelay`;
 * a `Retry-After` header (seconds or an HTTP date) raises the delay to what the server asked, within
 * `maxDelay`. Any other error is not retried. Never throws: the last response or error is returned
 * with one AttemptRecord per attempt (error infos are not redacted here: the caller redacts).
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 (Retry-After)
 */
export async function sendWithRetry(
  send: (request: PreparedRequest) => Promise<HttpResponse>,
  request: PreparedRequest,
  retry: Retry | undefined,
  signal?: AbortSignal,
  options: SendWithRetryOptions = {},
): Promise<RetryOutcome> {
  const wait = options.sleep ?? realSleep;
  const statuses = retry?.statuses ?? DEFAULT_RETRY_STATUSES;
  const retries = retry?.count ?? 0;
  const attempts: AttemptRecord[] = [];
  let delayMs = 0;
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    const record: AttemptRecord = { attempt, durationMs: 0, delayMs };
    attempts.push(record);
    let outcome: { response: HttpResponse } | { error: unknown };
    try {
      outcome = { response: await send(request) };
      record.status = outcome.response.status;
    } catch (error) {
      outcome = { error };
      record.error = toErrorInfo(error);
    }
    record.durationMs = performance.now() - started;
    const retryable = 'response' in outcome ? statuses.includes(outcome.response.status) : isRetryableError(outcome.error, retry);
    if (!retryable || attempt > retries || signal?.aborted) return { ...outcome, attempts, exhausted: retryable };
    delayMs = computeDelay(retry, attempt, options.random ?? Math.random);
    if ('response' in outcome) delayMs = applyRetryAfter(delayMs, outcome.response, retry, options.now ?? Date.now);
    await wait(delayMs, signal);
    if (signal?.aborted) return { ...outcome, attempts, exhausted: true };
  }
}

/**
 * The delay before retry number `retryNumber` (1-based): `delay` for fixed backoff, `delay × 2^(n-1)`
 * for exponential, then jitter (a value between half and all of it), then the `maxDelay` cap.
 */
export function computeDelay(retry: Retry | undefined, retryNumber: number, random: () => number = Math.random): number {
  const base = retry?.delay ?? DEFAULT_RETRY_DELAY_MS;
  const max = retry?.maxDelay ?? DEFAULT_RETRY_MAX_DELAY_MS;
  let delay = retry?.backoff === 'exponential' ? base * 2 ** (retryNumber - 1) : base;
  delay = Math.min(delay, max);
  if (retry?.jitter === true) delay = delay / 2 + (random() * delay) / 2;
  return Math.round(delay);
}

/**
 * Reads `Retry-After`: delay-seconds or an HTTP date. Returns the wait in ms, or undefined when
 * absent or unreadable.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function readRetryAfter(response: HttpResponse, now: () => number = Date.now): number | undefined {
  const value = getHeader(response.headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

function applyRetryAfter(delay: number, response: HttpResponse, retry: Retry | undefined, now: () => number): number {
  const asked = readRetryAfter(response, now);
  if (asked === undefined) return delay;
  return Math.min(Math.max(delay, asked), retry?.maxDelay ?? DEFAULT_RETRY_MAX_DELAY_MS);
}

function isRetryableError(error: unknown, retry: Retry | undefined): boolean {
  if (retry?.networkErrors === false || !isSortieError(error)) return false;
  return error.code === ErrorCode.NETWORK || error.code === ErrorCode.TIMEOUT;
}
