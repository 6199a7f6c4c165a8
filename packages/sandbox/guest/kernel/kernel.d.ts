/**
 * What the kernel's scope has that its files do not declare: the host bridge (the `host` argument
 * of the kernel function, see src/host-bridge.ts and the create*HostFunctions of src/*.ts) and the
 * constants src/kernel.ts writes at the top of the kernel function from the host's own values.
 */

/** Host functions; values cross as strings, numbers and booleans (objects as JSON text). */
interface HostBridge {
  /** The run's context (request, info, cookies, args) as JSON: src/sandbox.ts `describeContext`. */
  context(): string;
  varGet(scope: string, name: string): string | undefined;
  varHas(scope: string, name: string): boolean;
  varToObject(scope: string): string;
  /** Applies queued variable writes (JSON array of writes). */
  varWrite(json: string): undefined;
  /** Renders a template: with every scope, or only `scope`'s variables (and dynamic values). */
  replaceIn(template: string, scope?: string): string;
  /** The response body as text, when it was not sent with exec. */
  responseText(): string;
  /** The response's header pairs as JSON (`[[name, value], …]`). */
  responseHeaders(): string;
  setTimer(id: number, ms: number): undefined;
  clearTimer(id: number): undefined;
  /** Sends a request (JSON of a Postman request or a URL string); resolves with the response as JSON. */
  sendRequest(json: string): Promise<string>;
  /** The run's cookie jar for a URL, as JSON `{ name: value }`. */
  cookieJar(url: string): Promise<string>;
  /** Evaluates a bundled library or Node module; its exports, or undefined when there is no such module. */
  loadLibrary(name: string): unknown;
  /** `length` random bytes as hex. */
  randomHex(length: number): string;
  /** The script failed (an uncaught error): the run ends without waiting for its timers and requests. */
  endRun(): undefined;
}

declare const host: HostBridge;
/** Most log lines kept per run, and longest message (src/console.ts). */
declare const MAX_LOG_LINES: number;
declare const MAX_LOG_MESSAGE: number;
declare const MAX_TEST_NAME: number;
/** Module names `require` knows, and those frozen after loading (src/libraries.ts). */
declare const AVAILABLE_MODULES: string[];
declare const HARDENED_MODULES: string[];
/** Name of the error `finish` reports for a script still waiting on a promise nothing can settle (src/script-error.ts). */
declare const SCRIPT_PENDING: string;

/** A header or query parameter. */
interface KeyValue {
  key: string;
  value: string | null | undefined;
  disabled?: boolean;
}

/** A cookie in Postman's shape. */
interface Cookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: Date;
  maxAge?: number;
  httpOnly: boolean;
  secure: boolean;
  hostOnly: boolean;
  session: boolean;
  sameSite?: string;
}
