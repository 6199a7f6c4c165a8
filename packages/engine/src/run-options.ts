import type { SharedTokenStore } from '@sortie/auth/session';
import type { Environment, Redactor, RunEventListener, Scenario, SourceLocation } from '@sortie/core';
import type { ClientCertificateOptions, ConnectionPool, CookieFileEntry } from '@sortie/http';
import type { LoadedLibrary } from '@sortie/project';
import type { Variables } from '@sortie/template';

/** A validated input file with where it came from. */
export interface SourceFile<T> {
  value: T;
  /** Path as the user gave it (used in reports). */
  file: string;
  /** Absolute directory of the file (relative paths in the file resolve against it). */
  dir: string;
  /** The source text, when known: failures show the line they come from. */
  text?: string;
  /** Line and column of a JSON path in the file, when known (a loaded file or a hydrated plan has it). */
  locate?(path: ReadonlyArray<string | number>): SourceLocation;
}

/** Rows read by index, as an array is: `at(index)` for `0 <= index < length`. */
export interface IterationRowList {
  readonly length: number;
  at(index: number): Record<string, unknown> | undefined;
}

export interface RunOptions {
  scenarios: SourceFile<Scenario>[];
  /** Every scenario an `include` reaches, validated before the run, by absolute path (see `loadPlan` of @sortie/project). */
  includes?: ReadonlyMap<string, SourceFile<Scenario>>;
  environment?: SourceFile<Environment>;
  /** `--env-var k=v`: environment-scope variables, overriding the environment file. */
  envVars?: Record<string, string>;
  /** `-g`'s values (their JSON types kept, as Newman keeps them) and `--global-var k=v` (strings): global-scope variables. */
  globals?: Record<string, unknown>;
  /** Receives every run event, in order. */
  onEvent: RunEventListener;
  /** Every secret the run touches is registered here; every emitted string passed through it. */
  redactor: Redactor;
  /** Default request timeout in ms (30000); a scenario or step may override it. */
  timeoutRequest?: number;
  /** Stop the whole run at the first failed or errored step (default false). */
  bail?: boolean;
  /** Skip TLS verification (default false). */
  insecure?: boolean;
  /** Extra CA certificates (PEM text). */
  ca?: string[];
  /** Bytes of each body kept in reports (default 10240); scenario options may override. */
  maxBodyInReport?: number;
  /** Most bytes of a response body, as received and decompressed (default 100 MiB); scenario options and steps may override. */
  maxResponseBytes?: number;
  /** Unresolved {{variables}} are errors (default true). */
  strictVariables?: boolean;
  /** Seed for every generated {{$dynamic}} value: the same seed gives the same values. */
  seed?: number;
  /** Faker locale for dynamic values (default en). */
  locale?: string;
  /**
   * Iteration data rows (`-d`): every scenario runs once per row; row values are `data`-scope
   * variables. An array, or rows read by index (@sortie/config's IterationRows): a row is asked for
   * when its scenario run starts and is not kept after it.
   */
  iterationData?: IterationRowList;
  /** `-n`: run every scenario this many times (with iterationData: cycles through the rows). */
  iterations?: number;
  /** `--parallel N`: scenario runs at the same time (default 1); variables stay isolated. */
  parallel?: number;
  /**
   * Runs only this shard's scenario runs (`sortie run --remote --shards`: one job per shard, on
   * whichever agents take them): every `count`-th of the planned runs from `index` on. Their events
   * carry their place in the whole plan, so the shards' reports merge into one.
   */
  shard?: RunShard;
  /**
   * Environment and global variables shared by the run. The caller may pass its own so it can read
   * what the run changed afterwards (`--export-environment`, `--export-globals`).
   */
  sharedVariables?: Variables;
  /** Script libraries by name, with the sources of the scripts the scenarios use (see `loadPlan` of @sortie/project). */
  scriptLibraries?: ReadonlyMap<string, LoadedLibrary>;
  /**
   * Files the run reads (CA and client certificates, script files, request body files) by absolute
   * path. When given, certificates and script files are read from nothing else (a file not in it is
   * reported as not found); a body file not in it (a path made from variables) is read from disk.
   */
  files?: ReadonlyMap<string, Uint8Array>;
  /** Persist OAuth tokens across runs: the cache file, SORTIE_TOKEN_KEY, and whether every profile is cached. */
  tokenCache?: { file: string; key?: string; all?: boolean };
  /**
   * Tokens shared with other processes (runner agents, through Redis): the auth-state manager's cache and
   * single-flight reach across them for the grants that run unattended. Without it, each run keeps its own.
   */
  sharedTokens?: SharedTokenStore;
  /**
   * Keep-alive connections shared with other runs (`createConnectionPool` of @sortie/http; a runner agent
   * keeps one for its runs): the run's HTTP client sends over them, with its own cookie jar. Default: the
   * run opens connections of its own and closes them at its end.
   */
  connectionPool?: ConnectionPool;
  /** A person is at the terminal: a device_code profile may prompt and wait during the run (default false). */
  interactive?: boolean;
  /** Per-script time limit in ms (default 5000). */
  scriptTimeout?: number;
  /** Folder of the sandbox's bundled `require()` libraries (default: the sandbox package's; the bundled CLI ships its own). */
  sandboxLibrariesDir?: string;
  /**
   * A script that keeps the thread busy (a `while (true) {}`) stops as soon as the process gets SIGINT or
   * SIGTERM, before its listeners could abort `signal` (default false). For a process that runs this one
   * run and interrupts it on those signals (`sortie run`); a runner agent leaves it off: its runs get
   * `--grace` to finish, then their `signal` stops them.
   */
  scriptsStopOnSignals?: boolean;
  /** Keep a cookie jar across steps (default true; `--no-cookies`). */
  cookies?: boolean;
  /** Aborts the run (SIGINT): the running step finishes as an error, nothing else starts; teardowns and afterAll still run (teardownGrace). */
  signal?: AbortSignal;
  /**
   * Stops the run as its own `--bail` does, from outside: another shard of a run split with
   * `--shards` failed under `--bail`. No scenario run starts after it aborts; those running finish;
   * the rest are listed as not run (`bail`), and the run result says `bailed`.
   */
  bailSignal?: AbortSignal;
  /**
   * `--tag`: a tag selection (see findDeselectedSteps of @sortie/core): tagged steps none of whose tags
   * (nor their containers' and scenario's) is selected do not run and are not reported. Default: every step runs.
   */
  tags?: readonly string[];
  /**
   * `--timeout`: when the run must end (epoch ms). No request waits past it (its timeout is cut); pair it with
   * a `signal` that aborts at the same time so nothing else starts. Default: none.
   */
  deadline?: number;
  /** `--delay-request`: ms waited before each request step sends (default 0). */
  delayRequest?: number;
  /** `--ignore-redirects`: no redirect is followed, whatever scenarios and requests say (default false). */
  ignoreRedirects?: boolean;
  /** `--retry N`: retries of request steps that set none and whose scenario sets none (default none). */
  retry?: number;
  /** `--proxy`: every request through this proxy, over the environment's `http.proxy` and HTTP(S)_PROXY. */
  proxy?: string;
  /**
   * `--ssl-client-cert`: a client certificate (PEM cert + key, or PKCS#12) for every host, replacing the
   * environment's certificate for every host (its per-host ones still apply); the passphrase is a secret.
   */
  clientCertificate?: ClientCertificateOptions;
  /** `--cookie-jar`: cookies the run's jar starts with (parseCookieFile of @sortie/http). */
  initialCookies?: readonly CookieFileEntry[];
  /** `--export-cookie-jar`: receives the jar's cookies when the run ends (before the run resolves). */
  onCookies?: (cookies: CookieFileEntry[]) => void | Promise<void>;
  /** `--timeout-run`: the whole run's time limit in ms; when it passes the run stops as after an interrupt (status `interrupted`). Default: none. */
  timeoutRun?: number;
  /** How long teardowns and the afterAll hook may still run after `signal` aborted (or timeoutRun passed), in ms (default 10000). */
  teardownGrace?: number;
  /** Project hooks (sortie.config.json): beforeAll runs once before every scenario run, afterAll once after them all, whatever happened. */
  hooks?: { beforeAll?: PlannedHook; afterAll?: PlannedHook };
  /** `--retry-failed N`: after the run, scenario runs that failed run again (whole), up to N more times each; one that then passes is flaky. */
  retryFailed?: number;
  /** `--fail-on-flaky`: a flaky step or scenario run (passed only on a retry) makes the run fail (default false). */
  failOnFlaky?: boolean;
  /**
   * Which scenario runs RunResult.scenarios lists: 'all' (the default), or 'problems': the hooks and
   * only the scenario runs that did not simply pass: failed, errored, not run, flaky, or whose teardown
   * failed. The others are counted in `totals`, `status` and `omittedScenarios` and then let go, so a
   * run of many passing iterations keeps no memory per run (events still carry every result).
   */
  keepResults?: 'all' | 'problems';
}

/** One of `count` parts of a run (`sortie run --remote --shards`), 0-based. */
export interface RunShard {
  index: number;
  count: number;
}

/** A project hook ready to run: a scenario (a file, or the hook's steps as one), and beforeAll's exported variable names. */
export interface PlannedHook {
  scenario: SourceFile<Scenario>;
  export?: string[];
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 10;
export const DEFAULT_MAX_BODY_IN_REPORT = 10_240;
