/**
 * The handler at the top of the chain: collects one response (status, headers, body), measures its
 * phases, enforces the whole-exchange timeout and settles a promise.
 */
import { isUtf8 } from 'node:buffer';
import type { HeaderList, HttpResponse, Timings } from '@sortie/core';
import { describeInterruption, ErrorCode, isRunTimeLimit, MAX_TIMER_MS, redactUserinfo, SortieError } from '@sortie/core';
import type { Dispatcher } from 'undici';
import { armConnectionProbe, type SocketInfo, type SocketObserver } from './connection-probe.js';
import { convertHttpError, type ErrorContext } from './convert-error.js';
import { BodyDecodeError, BodyTooLargeError, decodeBody } from './decode-body.js';
import type { RedirectContext } from './redirect-handler.js';
import { type Http1Parser, http1ParserOf, readLengthFields } from './refused-length-fields.js';
import { http1VersionOf } from './response-version.js';
import { type ConnectionTimings, claimConnectionTimings } from './timed-connector.js';

/** Options of {@link collectResponse}. */
export interface CollectResponseOptions {
  method: string;
  /** The requested URL (as given). */
  url: string;
  /** Whole-exchange timeout in ms, redirects and body included; 0 or a non-finite value disables it. */
  timeout: number;
  /** Most bytes of the body, as received and decompressed. */
  maxResponseBytes: number;
  /**
   * Cuts the exchange when it aborts (Ctrl-C, SIGTERM, the end of a teardown grace period): the request
   * fails at once as `Interrupted`, its reason told by describeInterruption.
   */
  signal?: AbortSignal;
}

type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Turns undici's raw header list (`[name, value, …]` as Buffers) into a HeaderList keeping case and order. */
function readRawHeaders(raw: unknown, parsed: ResponseHeaders): HeaderList {
  const list: HeaderList = [];
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i += 2) list.push([String(toLatin1(raw[i])), headerValueText(raw[i + 1])]);
    return list;
  }
  for (const name in parsed) {
    const value = parsed[name];
    if (Array.isArray(value)) for (const item of value) list.push([name, item]);
    else if (value !== undefined) list.push([name, value]);
  }
  return list;
}

function toLatin1(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
}

const NON_ASCII = /[\x80-\xff]/;

/**
 * A header value's text. RFC 9110 §5.5 leaves bytes past ASCII opaque (obs-text); servers that send them
 * today send UTF-8 (`Content-Disposition: filename="café.pdf"`, a name in a custom header), which curl,
 * Hurl and browsers' devtools show as such: a value that is valid UTF-8 is read so, any other byte by
 * byte (Latin-1), so nothing is lost.
 */
function headerValueText(value: unknown): string {
  if (!Buffer.isBuffer(value)) return String(value);
  const text = value.toString('latin1');
  return NON_ASCII.test(text) && isUtf8(value) ? value.toString('utf8') : text;
}

class ResponseCollector implements Dispatcher.DispatchHandler, SocketObserver {
  readonly #options: CollectResponseOptions;
  readonly #resolve: (response: HttpResponse) => void;
  readonly #reject: (error: SortieError) => void;
  readonly #startedAt = performance.now();
  #timer: NodeJS.Timeout | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #settled = false;
  #redirects: string[] = [];
  #connection: ConnectionTimings | undefined;
  #httpVersion = '1.1';
  #socket: object | undefined;
  #parser: Http1Parser | undefined;
  #sentAt = 0;
  #firstByteAt = 0;
  #status = 0;
  #statusText = '';
  #headers: HeaderList = [];
  #contentEncoding: string | string[] | undefined;
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(options: CollectResponseOptions, resolve: (response: HttpResponse) => void, reject: (error: SortieError) => void) {
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
    // A timeout past what a Node timer holds (about 24.8 days) is as good as none; it must not become 1 ms.
    if (options.timeout > 0 && options.timeout <= MAX_TIMER_MS) this.#timer = setTimeout(() => this.#onTimeout(), options.timeout);
    if (options.signal?.aborted === true) this.#onAbort();
    else options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    if (this.#settled) {
      controller.abort(new SortieError(ErrorCode.TIMEOUT, 'Request timed out', 'aborted after the timeout or an interruption'));
      return;
    }
    this.#controller = controller;
    const redirects = (context as Partial<RedirectContext> | undefined)?.redirects;
    if (redirects !== undefined) this.#redirects = redirects;
    this.#connection = undefined;
    this.#socket = undefined;
    this.#parser = undefined;
    this.#sentAt = performance.now();
    armConnectionProbe(this);
  }

  onSocket(info: SocketInfo): void {
    this.#sentAt = performance.now();
    this.#connection = claimConnectionTimings(info.socket);
    this.#socket = info.socket;
    this.#parser = http1ParserOf(info.socket);
    this.#httpVersion = info.alpnProtocol === 'h2' ? '2' : '1.1';
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders, statusMessage?: string): void {
    if (statusCode < 200) return;
    this.#firstByteAt = performance.now();
    this.#status = statusCode;
    this.#statusText = statusMessage ?? '';
    this.#headers = readRawHeaders(controller.rawHeaders, headers);
    this.#contentEncoding = headers['content-encoding'];
    // The status line's version (an HTTP/1.0 server's answer is not reported as HTTP/1.1).
    if (this.#httpVersion !== '2' && this.#socket !== undefined) this.#httpVersion = http1VersionOf(this.#socket) ?? this.#httpVersion;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#size += chunk.length;
    if (this.#size > this.#options.maxResponseBytes) {
      this.#finish();
      this.#chunks = [];
      const error = this.#tooLarge('the body is larger than');
      controller.abort(error);
      this.#reject(error);
      return;
    }
    this.#chunks.push(chunk);
  }

  /** The error of a body past maxResponseBytes. */
  #tooLarge(what: string): SortieError {
    const { method, maxResponseBytes } = this.#options;
    return new SortieError(
      ErrorCode.NETWORK,
      'Response too large',
      `${what} ${formatBytes(maxResponseBytes)} (${describeLimit(maxResponseBytes)}) (${method} ${redactUserinfo(this.#currentUrl())})`,
      { hint: 'raise maxResponseBytes (the step, the scenario options or --max-response-bytes) if the body really is that large' },
    );
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    const endedAt = performance.now();
    this.#finish();
    const chunks = this.#chunks;
    const encoded = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
    let body: Buffer;
    try {
      body = decodeBody(encoded, this.#contentEncoding, this.#options.maxResponseBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        this.#reject(this.#tooLarge(`the ${error.encoding} body decompresses to more than`));
        return;
      }
      const reason = error instanceof BodyDecodeError ? error.message : String(error);
      this.#reject(
        new SortieError(
          ErrorCode.NETWORK,
          'Invalid response body',
          `${reason} (${this.#options.method} ${redactUserinfo(this.#currentUrl())})`,
          {
            cause: error,
          },
        ),
      );
      return;
    }
    const timings: Timings = {
      firstByte: this.#firstByteAt - this.#sentAt,
      download: endedAt - this.#firstByteAt,
      total: endedAt - this.#startedAt,
    };
    const connection = this.#connection;
    if (connection !== undefined) {
      timings.dns = connection.dns;
      timings.connect = connection.connect;
      if (connection.tls !== undefined) timings.tls = connection.tls;
    }
    this.#resolve({
      status: this.#status,
      statusText: this.#statusText,
      httpVersion: this.#httpVersion,
      headers: this.#headers,
      body,
      encodedBodySize: this.#size,
      timings,
      url: this.#currentUrl(),
      redirects: this.#redirects,
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#settled) return;
    if (isBodilessLengthMismatch(this.#status, this.#size, error)) {
      this.onResponseEnd();
      return;
    }
    this.#finish();
    const context: ErrorContext = {
      method: this.#options.method,
      url: this.#currentUrl(),
      freshConnection: this.#connection !== undefined,
    };
    if (this.#status === 0) {
      const lengthFields = readLengthFields(this.#parser);
      if (lengthFields !== undefined) context.lengthFields = lengthFields;
    }
    if (this.#status !== 0) {
      const length = this.#headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1];
      context.received = { status: this.#status, bytes: this.#size };
      if (length !== undefined && /^\d+$/.test(length.trim())) context.received.contentLength = Number(length.trim());
    }
    this.#reject(convertHttpError(error, context));
  }

  /** Settles with an error when dispatching itself threw. */
  fail(error: unknown): void {
    if (this.#settled) return;
    this.#finish();
    this.#reject(convertHttpError(error, { method: this.#options.method, url: this.#options.url }));
  }

  #currentUrl(): string {
    return this.#redirects.length === 0 ? this.#options.url : this.#redirects[this.#redirects.length - 1]!;
  }

  #finish(): void {
    this.#settled = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
  }

  /** The run was interrupted while this exchange was on its way: it is cut, not waited for. */
  readonly #onAbort = (): void => {
    if (this.#settled || isRunTimeLimit(this.#options.signal?.reason)) return;
    this.#finish();
    const exchange = `${this.#options.method} ${redactUserinfo(this.#currentUrl())}`;
    const error = new SortieError(
      ErrorCode.INTERRUPTED,
      'Interrupted',
      `${describeInterruption(this.#options.signal)} during this request (${exchange})`,
    );
    this.#controller?.abort(error);
    this.#reject(error);
  };

  #onTimeout(): void {
    if (this.#settled) return;
    this.#finish();
    const { method, timeout } = this.#options;
    const exchange = `${method} ${redactUserinfo(this.#currentUrl())}`;
    // Once the final response's status came, what is late is its body: say so, with what arrived (as curl does).
    const message =
      this.#status === 0
        ? `no response within ${timeout} ms (${exchange})`
        : `the response (${this.#status}) was not complete within ${timeout} ms: ${this.#size} byte${this.#size === 1 ? '' : 's'} of its body received (${exchange})`;
    const error = new SortieError(ErrorCode.TIMEOUT, 'Request timed out', message, {
      hint: 'raise the request timeout if the server is just slow',
    });
    this.#controller?.abort(error);
    this.#reject(error);
  }
}

/**
 * undici (7.x) checks a response's Content-Length against the bytes read even for 204 and 304, which
 * never have a body whatever their header says (RFC 9112 §6.3 rules 1–2): a 304 with the Content-Length of
 * the representation it stands for (RFC 9110 §8.6, §15.4.5) failed as "Response body length does not
 * match content-length header". Such a response is complete once its headers are (curl takes it so).
 */
function isBodilessLengthMismatch(status: number, size: number, error: Error): boolean {
  return (status === 204 || status === 304) && size === 0 && (error as { code?: unknown }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH';
}

/**
 * Dispatches one request and collects its response: the body decoded, sizes, redirects and timings
 * (dns/connect/tls only when the final hop opened a new connection).
 *
 * @see https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherdispatchoptions-handler
 */
export function collectResponse(
  dispatcher: Dispatcher,
  dispatchOptions: Dispatcher.DispatchOptions,
  options: CollectResponseOptions,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const collector = new ResponseCollector(options, resolve, reject);
    try {
      dispatcher.dispatch(dispatchOptions, collector);
    } catch (error) {
      collector.fail(error);
    }
  });
}

/**
 * The setting as it is written: `maxResponseBytes: 1000000` next to `976.6 KiB`, which the user did not
 * write; `maxResponseBytes` alone when the size is already its number (`100 bytes`).
 */
function describeLimit(bytes: number): string {
  return formatBytes(bytes) === `${bytes} bytes` ? 'maxResponseBytes' : `maxResponseBytes: ${bytes}`;
}

/** A byte count as people read it: `100 MiB`, `1.5 KiB`, `512 bytes`. */
function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}
