/**
 * The host interface of the sandbox. The engine adapts its own objects (variable scopes, the
 * request being built, the response, its HTTP client) to these shapes; tests use plain fakes.
 */
import type { AssertionResult, HeaderList, HttpResponse, SortieError } from '@sortie/core';

/** Variable scopes as scripts see them (Postman names are mapped onto these). */
export type ScriptScope = 'local' | 'data' | 'scenario' | 'environment' | 'defaults' | 'global';

/** Where `pm.collectionVariables` goes: the scenario's `defaults` (below the environment, as in Postman) or its `variables`. */
export type CollectionScope = 'defaults' | 'scenario';

/**
 * Variables of every scope. `pm.variables` → merged view for get/has/toObject and `'local'` for
 * set/unset; `pm.environment` → `'environment'`; `pm.globals` → `'global'`;
 * `pm.collectionVariables` → the context's `collectionScope` (`'scenario'` when unset);
 * `pm.iterationData` → `'data'` (its writes last until the script ends: the engine restores the row, as Newman does).
 */
export interface ScriptVariables {
  /** Value of `name`: in `scope`, or the highest scope that has it when `scope` is omitted. */
  get(name: string, scope?: ScriptScope): unknown;
  set(scope: ScriptScope, name: string, value: unknown): void;
  unset(scope: ScriptScope, name: string): void;
  has(name: string, scope?: ScriptScope): boolean;
  clear(scope: ScriptScope): void;
  /** Every variable of `scope`, or the merged view when omitted. */
  toObject(scope?: ScriptScope): Record<string, unknown>;
  /**
   * `{{var}}` replacement — the engine passes the one template implementation. With `scope`, only that scope's
   * variables (and dynamic values) are replaced, any other `{{name}}` stays as written, as postman-collection's
   * VariableScope.replaceIn does (`pm.environment.replaceIn`); without it, every scope (`pm.variables.replaceIn`).
   */
  replaceIn(template: string, scope?: ScriptScope): string;
}

/** The request as a script sees it; mutable in pre-request scripts. */
export interface ScriptRequest {
  method: string;
  url: string;
  headers: HeaderList;
  /** A text body (Postman's `raw` mode). */
  body?: string;
  /** The language of a text body (`json`, `xml`, `html`, `javascript`, `text`): `pm.request.body.options.raw.language`. */
  bodyLanguage?: string;
  /** A form body (Postman's `urlencoded` or `formdata` mode), instead of `body`. */
  form?: ScriptForm;
  /** A GraphQL body (Postman's `graphql` mode) as written, instead of `body`; seen by pre-request scripts. */
  graphql?: ScriptGraphql;
}

/** A GraphQL body as `pm.request.body.graphql` shows it (templates not resolved). */
export interface ScriptGraphql {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/**
 * A form body as `pm.request.body.urlencoded` / `.formdata` show it: its fields in order, as written
 * (variables not resolved). A pre-request script's changes come back the same way.
 */
export interface ScriptForm {
  mode: 'urlencoded' | 'formdata';
  fields: ScriptFormField[];
}

/** A form field; a `formdata` file field has `type: 'file'` and `src` (the path as written) instead of a value. */
export interface ScriptFormField {
  key: string;
  value?: string;
  type?: 'text' | 'file';
  src?: string;
  contentType?: string;
}

/** Everything one script run can see. */
export interface ScriptContext {
  eventName: 'prerequest' | 'test';
  /** Shown in error messages as the file of the script, e.g. `login.post` or `scripts/sign.js`. */
  scriptName: string;
  /**
   * The file shown in error locations when it is not `scriptName`: a library script is named by its
   * id (`acme/sign-hmac`) but located in its file (`libs/acme/sign-hmac.js:6:26`).
   */
  scriptFile?: string;
  requestName: string;
  requestId: string;
  /**
   * `pm.execution.location`: the scenario's name, the names of the groups around the step, the step's
   * name (Postman: the collection, the folders, the request). Default: `[requestName]`.
   */
  location?: string[];
  iteration: number;
  iterationCount: number;
  /** Name of the active environment (`pm.environment.name`); undefined when there is none. */
  environmentName?: string;
  variables: ScriptVariables;
  /** The scope of `pm.collectionVariables` (default `'scenario'`): `'defaults'` when the scenario declares `defaults`. */
  collectionScope?: CollectionScope;
  request?: ScriptRequest;
  response?: HttpResponse;
  /** Cookies for the request's URL, name → value. */
  cookies?: Record<string, string>;
  /**
   * The run's cookie jar: its cookies for `url`, name → value (`pm.cookies.jar().get/getAll`, as
   * postman-sandbox reads the jar, for any URL). Absent: the jar reads `cookies`.
   */
  cookiesFor?(url: string): Promise<Record<string, string>>;
  /** Arguments of a library script (`with`), as `pm.args` and the global `args`. */
  args?: Record<string, unknown>;
  /**
   * Sends a request through Sortie's HTTP stack (`pm.sendRequest`); absent means not allowed.
   * `signal` aborts when the script run ends before the response arrived.
   */
  sendRequest?(req: ScriptRequest | string, signal: AbortSignal): Promise<HttpResponse>;
  /**
   * Stops the script run when it aborts (the run was interrupted): a script still running — even
   * one that keeps the thread busy, see sigint-watch.ts and sigterm-watch.ts — or waiting on a timer
   * ends with `Script interrupted`.
   */
  signal?: AbortSignal;
  /**
   * When the run must end (epoch ms, `--timeout`): a script that keeps the thread busy past it is
   * stopped as by `signal` (the timer that aborts `signal` cannot fire until the script lets go).
   */
  deadline?: number;
}

/** A line a script wrote with `console.*`. */
export interface ScriptLog {
  level: 'log' | 'info' | 'warn' | 'error';
  message: string;
}

/**
 * A write through `pm.cookies.jar()`, in call order: `set` has `name` and `value`, `unset` has
 * `name` only, `clear` has neither (every cookie of `url`). `url` is the URL the script passed.
 */
export interface ScriptCookieWrite {
  url: string;
  name?: string;
  value?: string;
}

/** What one script run produced. A script never throws out of `run`: failures are data. */
export interface ScriptOutcome {
  /** `pm.test` results, source `'script'`, selector = test name. */
  assertions: AssertionResult[];
  logs: ScriptLog[];
  /** The (possibly mutated) request after a pre-request script. */
  request?: ScriptRequest;
  /** `pm.execution.skipRequest()` was called in a pre-request script. */
  skipRequest: boolean;
  /** `pm.execution.setNextRequest()`: a name, `null` to stop, undefined when not called. */
  nextRequest?: string | null;
  visualizer?: { template: string; data: unknown };
  /** `pm.cookies.jar()` set / unset / clear calls, in order, for the engine to apply to its cookie jar; absent when none. */
  cookieWrites?: ScriptCookieWrite[];
  /** Code SCRIPT: an exception (with script name and line:column in the script's source) or a limit exceeded. */
  error?: SortieError;
}

export interface SandboxOptions {
  /** Memory limit of the QuickJS runtime in bytes (default 64 MiB). */
  memoryLimitBytes?: number;
  /** Time limit per script run, including its timers and `pm.sendRequest` calls, in ms (default 5000). */
  timeLimitMs?: number;
  /**
   * QuickJS stack limit in bytes (default 256 KiB). Values much above 320 KiB can exhaust the host's
   * own stack before QuickJS notices, so they are capped there.
   */
  stackSizeBytes?: number;
  /** Folder holding the bundled libraries (default: `dist-libs` next to this package's `src`). */
  librariesDir?: string;
  /**
   * Stop a script that keeps the thread busy when the process gets SIGINT or SIGTERM (default false;
   * see sigint-watch.ts and sigterm-watch.ts). For a one-run process (`sortie run`) whose signal
   * listeners interrupt the run; a long-lived one with a shutdown of its own (`sortie agent`, whose
   * runs get `--grace` to finish) leaves it off and stops its runs with `ScriptContext.signal`.
   */
  watchProcessSignals?: boolean;
}

/** One QuickJS runtime and context, reused by every `run`. Runs must not overlap. */
export interface Sandbox {
  run(source: string, ctx: ScriptContext): Promise<ScriptOutcome>;
  dispose(): void;
}
