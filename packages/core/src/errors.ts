/**
 * One error base class for everything that is a usage or input problem, or a failure to run a
 * step. Every error carries a stable `code` (tests assert the code, never the message), a short
 * `title`, an optional `hint` and, for input errors, a source location.
 */

/** Stable error codes. Never rename one: reports and tests depend on them. */
export const ErrorCode = {
  /** A scenario/environment/project file does not validate. */
  INVALID_INPUT: 'SORTIE_INVALID_INPUT',
  /** A file could not be read (missing, unreadable). */
  FILE_NOT_FOUND: 'SORTIE_FILE_NOT_FOUND',
  /** The CLI was called with bad arguments. */
  USAGE: 'SORTIE_USAGE',
  /** A `{{variable}}` could not be resolved. */
  UNRESOLVED_VARIABLE: 'SORTIE_UNRESOLVED_VARIABLE',
  /** A template expression is malformed. */
  TEMPLATE_SYNTAX: 'SORTIE_TEMPLATE_SYNTAX',
  /** Network-level failure: refused, reset, DNS, TLS. */
  NETWORK: 'SORTIE_NETWORK',
  /** A request (or an operation) exceeded its timeout. */
  TIMEOUT: 'SORTIE_TIMEOUT',
  /** Too many redirects. */
  REDIRECT: 'SORTIE_REDIRECT',
  /** A selector could not be evaluated (bad JSONPath, body is not JSON, …). */
  SELECTOR: 'SORTIE_SELECTOR',
  /** Auth profile could not produce a credential. */
  AUTH: 'SORTIE_AUTH',
  /** A step names an auth profile that no scenario, environment or project declares. */
  AUTH_UNKNOWN_PROFILE: 'SORTIE_AUTH_UNKNOWN_PROFILE',
  /** The API rejected the credential again after it was renewed (or re-signed) once. */
  AUTH_REJECTED: 'SORTIE_AUTH_REJECTED',
  /** The grant needs a person (browser or device) and there is no usable token: `sortie auth login`. */
  AUTH_LOGIN_REQUIRED: 'SORTIE_AUTH_LOGIN_REQUIRED',
  /** The token endpoint answered with an error (an OAuth 2.0 error response, or a non-2xx status). */
  AUTH_OAUTH_ERROR: 'SORTIE_AUTH_OAUTH_ERROR',
  /** The token endpoint could not be reached, or did not answer within the token request timeout. */
  AUTH_UNREACHABLE: 'SORTIE_AUTH_UNREACHABLE',
  /** The token endpoint answered, but its response holds no token where the profile says. */
  AUTH_NO_TOKEN: 'SORTIE_AUTH_NO_TOKEN',
  /** A script failed (exception, limit exceeded). */
  SCRIPT: 'SORTIE_SCRIPT',
  /** A database operation failed. */
  DB: 'SORTIE_DB',
  /** The run was interrupted (SIGINT). */
  INTERRUPTED: 'SORTIE_INTERRUPTED',
  /**
   * Something the installation of Sortie lacks: an optional native module that is not installed or
   * was not built (better-sqlite3, kerberos), or a file of the package itself. A run that meets it
   * exits with code 2, as for invalid input: the API was never tested.
   */
  NOT_INSTALLED: 'SORTIE_NOT_INSTALLED',
  /** A bug in Sortie. */
  INTERNAL: 'SORTIE_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Where in an input file a problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** JSON path of the offending value, e.g. `$.steps[0].request.url`. */
  path?: string;
}

export interface SortieErrorOptions {
  hint?: string;
  location?: SourceLocation;
  cause?: unknown;
  /** Further errors found at the same time (e.g. every validation issue of a file). */
  details?: SortieError[];
}

/**
 * Marks every SortieError, whichever copy of this module made it: the built package holds two (the
 * executable's and the library entry's chunk loader throw one for a missing file of the package,
 * runner/src/code-cache.ts, and the chunks have their own), and `instanceof` must hold for both.
 */
const SORTIE_ERROR = Symbol.for('sortie.SortieError');

export class SortieError extends Error {
  /** True for a SortieError of any copy of this module; a subclass keeps the usual prototype check. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about (SortieError or a subclass)
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    // biome-ignore lint/complexity/noThisInStatic: only SortieError itself recognises another copy's errors
    return this === SortieError && typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SORTIE_ERROR] === true;
  }

  readonly code: ErrorCode;
  /** A short title such as "Invalid scenario" or "Connection refused". */
  readonly title: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly details: SortieError[];

  constructor(code: ErrorCode, title: string, message: string, options: SortieErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SortieError';
    this.code = code;
    this.title = title;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.location !== undefined) this.location = options.location;
    this.details = options.details ?? [];
  }

  /** Serialisable form used in reports. */
  toJSON(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, title: this.title, message: this.message };
    if (this.hint !== undefined) info.hint = this.hint;
    if (this.location !== undefined) info.location = this.location;
    return info;
  }
}

Object.defineProperty(SortieError.prototype, SORTIE_ERROR, { value: true });

/** The serialised form of an error inside a result. */
export interface ErrorInfo {
  code: ErrorCode | string;
  title: string;
  message: string;
  hint?: string;
  location?: SourceLocation;
}

export function isSortieError(value: unknown): value is SortieError {
  return value instanceof SortieError;
}

/** Converts anything thrown into ErrorInfo without leaking a stack trace. */
export function toErrorInfo(error: unknown, fallbackCode: ErrorCode = ErrorCode.INTERNAL): ErrorInfo {
  if (isSortieError(error)) return error.toJSON();
  if (error instanceof Error) return { code: fallbackCode, title: error.name || 'Error', message: error.message };
  return { code: fallbackCode, title: 'Error', message: String(error) };
}

/** Formats a location as `file:line:column`. */
export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}
