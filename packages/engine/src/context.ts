import type { RunAuth } from '@sortie/auth/session';
import type { Environment, HttpResponse, OnErrorPolicy, Redactor, Retry, RunEvent, Scenario, Step } from '@sortie/core';
import type { DbConnections, DbScope } from '@sortie/db';
import type { HttpClient } from '@sortie/http';
import type { DynamicValues, RenderOptions, Variables } from '@sortie/template';
import type { Contracts } from './contracts.js';
import type { SourceFile } from './run-options.js';
import type { ScriptHost } from './scripts/script-host.js';

/** Settings of one scenario run after merging CLI flags, scenario options and defaults. */
export interface ResolvedOptions {
  timeoutRequest: number;
  followRedirects: boolean;
  maxRedirects: number;
  maxBodyInReport: number;
  /** Most bytes of a response body, as received and decompressed. */
  maxResponseBytes: number;
  onError: OnErrorPolicy;
  /** Generator of {{$dynamic}} values, shared by the run. */
  dynamic: DynamicValues;
  /** How templates of this scenario render: strict unless `allowUnresolved` (or the run's flag), `dynamic`, the scenario's `objectsInText`. */
  render: RenderOptions;
  /** The scenario's default retries of request steps. */
  retry?: Retry;
  /** `--ignore-redirects`: no redirect is followed, whatever a request says. */
  ignoreRedirects?: boolean;
  /** `--timeout`: when the run must end (epoch ms); no request waits past it. */
  deadline?: number;
  /** `--delay-request`: ms waited before each request. */
  delayRequest?: number;
  /** Steps that do not run under the `--tag` selection (empty without one). */
  deselected: ReadonlySet<Step>;
  /** `--tag`: the selected tags (empty: every step runs); included scenarios are filtered by them too. */
  tags: readonly string[];
  /** Files the plan carries (body files among them), by absolute path. */
  files?: ReadonlyMap<string, Uint8Array>;
  /** The scenario's `defaultScheme`: the scheme put before a URL that has none. */
  defaultScheme?: 'http' | 'https';
}

/** Everything a step needs while a scenario runs. One per scenario run. */
export interface ScenarioContext {
  scenario: SourceFile<Scenario>;
  /** Unique key of this scenario run in the run (file, plus iteration later). */
  key: string;
  vars: Variables;
  http: HttpClient;
  /** Named base URLs of the environment. */
  services: Record<string, string>;
  defaultService?: string;
  options: ResolvedOptions;
  redactor: Redactor;
  emit(event: RunEvent): void;
  /** The response of the last request step that got one (conditions and forEach read it). */
  lastResponse?: HttpResponse;
  /** Iteration of this scenario run (data-driven runs), 0-based. */
  iteration?: number;
  /** How many iterations the run has (pm.info.iterationCount); 1 when not data-driven. */
  iterationCount?: number;
  /** The run's auth session (@sortie/auth): credentials for requests, answers to rejections; shared by every scenario run. */
  auth: RunAuth;
  /** The environment of the run (its auth profiles, services…). */
  environment?: Environment;
  /** The environment as loaded (merged with the project file's defaults): errors of its profiles point into it. */
  environmentFile?: SourceFile<Environment>;
  /** The sandbox, script libraries and script files of the run. */
  scripts: ScriptHost;
  /** Set by `pm.execution.setNextRequest()`: the name of the step to run next, or null to stop. */
  nextStep?: string | null;
  /** The run's database connections, opened on first use. */
  databases(): Promise<DbConnections>;
  /** This scenario run's database transactions (shared with its includes); rolled back when it ends. */
  db: { scope?: DbScope };
  /** The run's contracts (OpenAPI descriptions) by absolute path, loaded once per run. */
  contracts: Contracts;
  /** Aborts the run: the running step finishes, nothing else of the test starts. */
  signal?: AbortSignal;
  /** Aborts teardowns: the grace period after `signal` aborted ended too (see flow/lifecycle.ts). */
  teardownSignal?: AbortSignal;
}

/** Reads the services of an environment into a name → URL map and finds the default one. */
export function readServices(environment: Environment | undefined): { services: Record<string, string>; defaultService?: string } {
  const services: Record<string, string> = {};
  let defaultService: string | undefined;
  for (const [name, service] of Object.entries(environment?.services ?? {})) {
    if (typeof service === 'string') services[name] = service;
    else {
      services[name] = service.url;
      if (service.default === true) defaultService = name;
    }
  }
  const names = Object.keys(services);
  if (defaultService === undefined && names.length === 1) defaultService = names[0];
  return defaultService === undefined ? { services } : { services, defaultService };
}
