/**
 * Converts driver errors into SortieErrors at the package boundary. A message carries the
 * database's own message, the connection name and the statement with placeholders — never
 * parameter values, passwords or the password part of a connection URL.
 */
import { describeInterruption, ErrorCode, REDACTED, type Redactor, SortieError } from '@sortie/core';
import { describeOperation } from './describe-operation.js';
import type { DatabaseConnection, DbOperation } from './types.js';

/** Error codes of Node's network layer that mean the server could not be reached. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);

/** Errors a driver threw while opening a connection (a refused login, an unknown database): see {@link markConnectFailure}. */
const connectFailures = new WeakSet<object>();

/**
 * Marks `error` as thrown while a connection was being opened, so {@link toDbError} reports it as
 * "Database connection failed" pointing at the connection, whatever the server's words (wrong password,
 * unknown database): the operation itself never ran. Returns `error`.
 */
export function markConnectFailure(error: unknown): unknown {
  if (error !== null && typeof error === 'object') connectFailures.add(error);
  return error;
}

/**
 * A server that does not take TLS, refusing a connection that asked for it: PostgreSQL (pg: `The server
 * does not support SSL connections`), MySQL and MariaDB (mysql2: HANDSHAKE_NO_SSL_SUPPORT).
 */
export function isTlsRefusal(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  if ((error as { code?: unknown }).code === 'HANDSHAKE_NO_SSL_SUPPORT') return true;
  return error instanceof Error && error.message === 'The server does not support SSL connections';
}

/** What a converted error is about. */
export interface DbErrorContext {
  connection: string;
  op: DbOperation;
  redactor: Redactor;
}

/** Replaces the password of every `scheme://user:password@host` URL in `text`. */
export function redactUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi, `$1${REDACTED}@`);
}

/** Registers every password of the given connections (plain and inside URLs) with `redactor`. */
export function registerSecrets(redactor: Redactor, configs: Record<string, DatabaseConnection>): void {
  for (const config of Object.values(configs)) {
    redactor.add(config.password);
    if (config.url !== undefined) {
      try {
        redactor.add(decodeURIComponent(new URL(config.url).password));
      } catch {
        // An unparsable URL has no password we could find; redactUrlPasswords still applies.
      }
    }
  }
}

/** Reads the database's own message from whatever a driver threw. */
export function readDriverMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    const inner = error.errors.map((e) => readDriverMessage(e)).filter((m) => m.length > 0);
    if (inner.length > 0) return [...new Set(inner)].join('; ');
  }
  if (error instanceof Error) {
    if (error.message.length > 0) return error.message;
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}

/**
 * The error's code, else the first one of the errors inside it: an AggregateError's, or its `cause`'s
 * (the MongoDB driver's server selection error has none; the network error it wraps has ECONNREFUSED).
 */
function readCode(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 8) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = readCode(inner, depth + 1);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return readCode((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * Converts a driver error into `SortieError(ErrorCode.DB)` (title "Database connection failed" when the
 * server is unreachable or refused to open the connection); SortieErrors pass through.
 */
export function toDbError(error: unknown, context: DbErrorContext): SortieError {
  if (error instanceof SortieError) return error;
  if (isUrlParseError(error)) return invalidUrl(error, context);
  const code = readCode(error);
  const unreachable = code !== undefined && CONNECTION_CODES.has(code);
  const refused = !unreachable && error !== null && typeof error === 'object' && connectFailures.has(error);
  const clean = (text: string) => context.redactor.redact(redactUrlPasswords(text));
  const where = context.op.sql === undefined ? '' : describePosition(error, context.op.sql);
  const message = clean(
    `${readDriverMessage(error)}${where} (connection "${context.connection}", statement: ${describeOperation(context.op)})`,
  );
  // No `cause`: driver errors carry statement values (mysql2 `sql`, pg `detail`) that must not travel on.
  const options: { hint?: string } = {};
  const hints: string[] = [];
  if (unreachable)
    hints.push(`error code ${code}: check that the server runs and that the connection's host and port (or url) point at it`);
  else if (refused && isTlsRefusal(error))
    hints.push(
      `${code === undefined ? '' : `error code ${code}: `}the server does not take TLS connections: check the connection's "tls" (or sslmode / ssl in the url)`,
    );
  else if (refused)
    hints.push(
      `${code === undefined ? '' : `error code ${code}: `}the server refused to open the connection: check the connection's user, password and database (or url)`,
    );
  else if (code !== undefined) hints.push(`error code ${code}`);
  if (context.op.sql !== undefined && refusedSeveral(error, context.op.sql)) {
    if (context.op.multipleStatements !== true)
      hints.push('the SQL holds several statements: add "multipleStatements": true to the operation to run them all');
    else if ((context.op.params ?? []).length > 0)
      hints.push(
        'with "params", PostgreSQL and SQLite run only one statement (they bind parameters to a single prepared statement): give the statement that takes them an operation of its own',
      );
  }
  if (hints.length > 0) options.hint = clean(hints.join('; '));
  return new SortieError(ErrorCode.DB, unreachable || refused ? 'Database connection failed' : 'Database error', message, options);
}

const URL_HINT =
  'write it as scheme://user:password@host:port/database (a port from 1 to 65535), with each character of the user or password that a URL reserves percent-encoded (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F, % as %25, a space as %20)';
const MONGO_OPTIONS_HINT = 'the options a MongoDB url takes: https://www.mongodb.com/docs/manual/reference/connection-string-options/';

/**
 * Whether a connection `url` has a second `@` before its query: a user or password with a reserved
 * character (`@`, `/`, `?`, `#`) not percent-encoded. RFC 3986 §3.2.1 allows no `@` in userinfo, and the
 * drivers disagree on where it ends: the MongoDB driver cuts at the first `@`, Node's URL parser (pg,
 * mysql2) at the first `/` after `//`, so the rest of the password became the host, was looked up
 * in DNS and was named in the error (`getaddrinfo ENOTFOUND tail-of-the-secret`). Checked before a
 * driver sees the url.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1
 */
export function hasUnescapedUserinfo(url: string): boolean {
  const afterScheme = /^[a-z][a-z\d+.-]*:\/\//i.exec(url);
  if (afterScheme === null) return false;
  const beforeQuery = url.slice(afterScheme[0].length).split(/[?#]/, 1)[0] as string;
  return beforeQuery.indexOf('@') !== beforeQuery.lastIndexOf('@');
}

/** The error for a connection `url` whose user or password holds a reserved character (see hasUnescapedUserinfo). */
export function unescapedUserinfoError(context: DbErrorContext): SortieError {
  return new SortieError(
    ErrorCode.INVALID_INPUT,
    'Invalid database connection',
    context.redactor.redact(
      `the url of the connection has more than one "@": its user or password holds a character a URL reserves, not percent-encoded (connection "${context.connection}", statement: ${describeOperation(context.op)})`,
    ),
    { hint: URL_HINT },
  );
}

/**
 * A connection `url` the driver could not read: Node's URL parser (used by pg, mysql2 and ioredis,
 * `Invalid URL`) or the MongoDB driver's (`MongoParseError`: `Password contains unescaped characters`).
 */
function isUrlParseError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  return (error as { code?: unknown }).code === 'ERR_INVALID_URL' || (error as { name?: unknown }).name === 'MongoParseError';
}

/**
 * The error for a connection whose `url` is no URL, a problem of the settings rather than of the server
 * or the operation. The driver's error is not kept: Node's carries the whole url (`input`), password included.
 */
function invalidUrl(error: unknown, context: DbErrorContext): SortieError {
  const clean = (text: string) => context.redactor.redact(redactUrlPasswords(text));
  const words = (error as { code?: unknown }).code === 'ERR_INVALID_URL' ? 'not a valid URL' : readDriverMessage(error);
  return new SortieError(
    ErrorCode.INVALID_INPUT,
    'Invalid database connection',
    clean(`the url of the connection: ${words} (connection "${context.connection}", statement: ${describeOperation(context.op)})`),
    { hint: /^not a valid URL$|unescaped/.test(words) ? URL_HINT : MONGO_OPTIONS_HINT },
  );
}

/**
 * Whether the database refused the SQL because it holds more than one statement: PostgreSQL and SQLite
 * say so; MySQL and MariaDB report a syntax error near the text that follows a `;`.
 */
function refusedSeveral(error: unknown, sql: string): boolean {
  const message = readDriverMessage(error);
  if (/multiple commands into a prepared statement|contains more than one statement/.test(message)) return true;
  const near = /near '([\s\S]{1,40})/.exec(message)?.[1];
  if ((error as { code?: unknown } | null)?.code !== 'ER_PARSE_ERROR' || near === undefined) return false;
  const start = near.slice(0, 20);
  return sql
    .split(';')
    .slice(1)
    .some((after) => after.trimStart().startsWith(start));
}

/**
 * ` at line L, column C of the SQL` for a PostgreSQL error that has a `position` (1-based, in
 * characters of the statement as written, which the report shows on one line); '' otherwise.
 */
function describePosition(error: unknown, sql: string): string {
  const position = (error as { position?: unknown } | null)?.position;
  if (typeof position !== 'string' || !/^[1-9][0-9]*$/.test(position)) return '';
  const before = Array.from(sql)
    .slice(0, Number(position) - 1)
    .join('');
  const lines = before.split(/\r\n|\r|\n/);
  return ` at line ${lines.length}, column ${Array.from(lines.at(-1) ?? '').length + 1} of the SQL`;
}

/** The error for an operation that did not finish within its timeout. */
export function createTimeoutError(
  context: DbErrorContext,
  timeout: number,
  hint = 'raise "timeout" on the operation or the connection',
): SortieError {
  return new SortieError(
    ErrorCode.TIMEOUT,
    'Database timeout',
    context.redactor.redact(
      `operation did not finish within ${timeout} ms (connection "${context.connection}", statement: ${describeOperation(context.op)})`,
    ),
    { hint },
  );
}

/** The error for an operation the run's interrupt (Ctrl-C, SIGTERM, the end of the teardown grace period) cancelled. */
export function createInterruptedError(context: DbErrorContext, interrupt: AbortSignal): SortieError {
  return new SortieError(
    ErrorCode.INTERRUPTED,
    'Interrupted',
    context.redactor.redact(
      `${describeInterruption(interrupt)} during this database operation, which was cancelled (connection "${context.connection}", statement: ${describeOperation(context.op)})`,
    ),
  );
}
