import { ErrorCode, SortieError } from '@sortie/api';
import { isFetchBadPort, redactUserinfo } from '@sortie/core';

/** A Sortie server's HTTP API as `sortie run --remote` uses it. Errors are SortieErrors a person can read. */
export class ServerClient {
  readonly #base: string;
  readonly #token: string;

  constructor(url: string, token: string) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SortieError(ErrorCode.USAGE, 'Usage error', `--remote expects the server's URL, got "${redactUserinfo(url)}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new SortieError(ErrorCode.USAGE, 'Usage error', `--remote expects an http:// or https:// URL, got "${parsed.protocol}"`);
    }
    if (parsed.username !== '' || parsed.password !== '') {
      throw new SortieError(ErrorCode.USAGE, 'Usage error', `--remote takes no credentials in the URL (${redactUserinfo(url)})`, {
        hint: 'pass the API token with --token or SORTIE_TOKEN',
      });
    }
    // The API's paths are appended to the URL: "http://host:8787/?x=1" sent POST /?x=1/api/runs, and
    // the server answered "no route POST /".
    if (parsed.search !== '' || parsed.hash !== '') {
      throw new SortieError(
        ErrorCode.USAGE,
        'Usage error',
        `--remote takes the server's URL without a query or fragment, got "${redactUserinfo(url)}"`,
        { hint: REMOTE_URL_HINT },
      );
    }
    const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    if (isFetchBadPort(port)) {
      throw new SortieError(
        ErrorCode.USAGE,
        'Usage error',
        `--remote: port ${port} is one of the Fetch standard's bad ports, which fetch clients (this one, browsers) refuse to connect to`,
        { hint: 'run `sortie server` on another --port (8787 by default), or reach it through a proxy on another port' },
      );
    }
    this.#base = parsed.href.replace(/\/$/, '');
    this.#token = headerToken(token);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.#token}`);
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, { ...init, headers });
    } catch (error) {
      // fetch rejects with "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a timeout) is its cause.
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = reason?.code ?? reason?.message ?? (error as Error).message;
      throw new SortieError(ErrorCode.NETWORK, 'Server unreachable', `cannot reach the Sortie server at ${this.#base} (${cause})`, {
        hint: 'check --remote and that `sortie server` is running',
      });
    }
    if (response.ok) return response;
    throw await toError(response);
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.request(path, init);
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      // A web page, a proxy's sign-in page: was "internal error: Unexpected token '<' … please report it".
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new SortieError(
        ErrorCode.USAGE,
        'Not a Sortie server',
        `${this.#base} answered ${path} with ${response.status} and ${type}, not the JSON of a Sortie server`,
        { hint: NOT_A_SERVER_HINT },
      );
    }
  }
}

/**
 * The API token as the Authorization header carries it. Spaces and line breaks around it (a token
 * file or CI secret saved with a CRLF line end) are dropped; any other character a header cannot
 * carry is a usage error that does not show the token. fetch refused such a header with an internal
 * error ("please report it", exit 1) whose message held the whole token.
 */
function headerToken(token: string): string {
  const trimmed = token.trim();
  if (trimmed === '') throw new SortieError(ErrorCode.USAGE, 'Usage error', 'the API token is empty', { hint: TOKEN_HINT });
  const bad = /[^\x21-\x7e]/.exec(trimmed);
  if (bad !== null) {
    throw new SortieError(
      ErrorCode.USAGE,
      'Usage error',
      `the API token has a character an HTTP header cannot carry (U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} at position ${bad.index + 1})`,
      { hint: TOKEN_HINT },
    );
  }
  return trimmed;
}

const TOKEN_HINT = 'pass the token `sortie server token create` printed, as it is, with --token or SORTIE_TOKEN';

/** What to check when the URL answers, but not as a Sortie server does. */
const NOT_A_SERVER_HINT = 'check --remote: the URL of `sortie server` (http://host:8787 by default), not of a page or a proxy sign-in';

interface ErrorBody {
  code?: string;
  title?: string;
  message?: string;
  hint?: string;
  /** 401 / 403: the scope the endpoint needs. */
  scope?: unknown;
  location?: SortieError['location'];
  details?: ErrorBody[];
}

/** What --remote takes. */
const REMOTE_URL_HINT = 'http://host:8787, or the path a proxy serves it under: https://ci.example/sortie';

async function toError(response: Response): Promise<SortieError> {
  const body = (await response.json().catch(() => ({}))) as { error?: unknown };
  // A Sortie server's error is an object with a code and a message; another API's `error` may be a string.
  const sortieError = isErrorBody(body.error) ? body.error : undefined;
  const error = sortieError ?? {};
  // The server names the scope the endpoint needs (`error.scope`); older servers did not.
  const scope = typeof error.scope === 'string' ? error.scope : undefined;
  if (response.status === 401) {
    return new SortieError(ErrorCode.USAGE, 'Unauthorized', 'the server refused the API token', {
      hint: `pass a token with --token or SORTIE_TOKEN (\`sortie server token create --scope ${scope ?? 'submit'}\`)`,
    });
  }
  if (response.status === 403) {
    const message = error.message ?? `this needs a token with the ${scope ?? 'a larger'} scope`;
    return scope === undefined
      ? new SortieError(ErrorCode.USAGE, 'Forbidden', message)
      : new SortieError(ErrorCode.USAGE, 'Forbidden', message, {
          hint: `use a token made with \`sortie server token create --scope ${scope}\` (read < submit < admin)`,
        });
  }
  // A server stopping (Fastify answers 503 while it closes) or a proxy in front of one that is away:
  // as unreachable, so a client following a run waits for it to come back.
  // The server's own 503 says what it is missing (Redis away: "the run was not queued").
  if (response.status === 503 && error.code === ErrorCode.NETWORK && error.message !== undefined) return fromBody(error, response.status);
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return new SortieError(
      ErrorCode.NETWORK,
      'Server unavailable',
      `the Sortie server answered ${response.status} (stopping or restarting?)`,
      {
        hint: 'check that `sortie server` is running',
      },
    );
  }
  // No error of a Sortie server in the body: another server answered (a 404 of another API, a proxy's page).
  if (sortieError === undefined && response.status === 413) {
    return new SortieError(
      ErrorCode.USAGE,
      'Request too large',
      'a proxy in front of the Sortie server refused the upload as too large (413)',
      {
        hint: "let the proxy take bundles of up to 20 MiB, the server's limit (nginx: client_max_body_size 20m)",
      },
    );
  }
  if (sortieError === undefined) return fromBody(error, response.status, NOT_A_SERVER_HINT);
  // A Sortie server that has no such route: --remote has a path too many (`http://host:8787/api`).
  if (response.status === 404 && error.message?.startsWith('no route ') === true) {
    const doubled = response.url !== '' && new URL(response.url).pathname.includes('/api/api/');
    return fromBody(
      error,
      response.status,
      doubled
        ? `leave /api out of --remote, the server's URL: ${REMOTE_URL_HINT}`
        : `check the path of --remote, the server's URL: ${REMOTE_URL_HINT}`,
    );
  }
  return fromBody(error, response.status);
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { code, message } = value as ErrorBody;
  return typeof code === 'string' && typeof message === 'string';
}

function fromBody(error: ErrorBody, status: number, hint = error.hint): SortieError {
  const code = (Object.values(ErrorCode) as string[]).includes(error.code ?? '')
    ? (error.code as ErrorCode)
    : status >= 500
      ? ErrorCode.INTERNAL
      : ErrorCode.USAGE;
  const options: ConstructorParameters<typeof SortieError>[3] = {};
  if (hint !== undefined) options.hint = hint;
  if (error.location !== undefined) options.location = error.location;
  if (error.details !== undefined) options.details = error.details.map((detail) => fromBody(detail, status));
  return new SortieError(code, error.title ?? `HTTP ${status}`, error.message ?? `the server answered ${status}`, options);
}

/** One Server-Sent Event. */
export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/** Parses a text/event-stream body into events (WHATWG HTML §9.2.6: lines, `field: value`, blank line ends an event). */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let current: Partial<ServerSentEvent> & { data?: string } = {};
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (current.data !== undefined)
          yield { event: current.event ?? 'message', data: current.data, ...(current.id === undefined ? {} : { id: current.id }) };
        current = {};
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
        else if (field === 'event') current.event = value;
        else if (field === 'id') current.id = value;
      }
      newline = buffer.indexOf('\n');
    }
  }
}
