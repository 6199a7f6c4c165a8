/**
 * What the server keeps across restarts: runs, stored plans, schedules and API tokens. One
 * interface, two implementations (embedded SQLite by default, PostgreSQL with `--database`), and
 * one test suite that runs against both.
 */

/** Where a run is in its life. `queued` and `running` are the only states that change. */
export type RunStatus = 'queued' | 'running' | 'passed' | 'failed' | 'error' | 'cancelled' | 'interrupted';

/** The statuses a run never leaves. */
export const FINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['passed', 'failed', 'error', 'cancelled', 'interrupted']);

/** Who started a run. */
export type RunTrigger = 'api' | 'remote' | 'schedule' | 'dashboard';

/** Counts of a finished run, as the run summary has them. */
export interface RunCounts {
  scenarios: number;
  steps: number;
  requests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
}

export interface RunRecord {
  id: string;
  status: RunStatus;
  trigger: RunTrigger;
  pool: string;
  /** The stored plan the run executes. */
  planId: string;
  /** Set when a schedule produced the run. */
  scheduleId?: string;
  /** Name of the agent that ran (or is running) it. */
  agent?: string;
  /** The `sortie run` options of the submission (no secret: the server refuses secret values). */
  options: Record<string, unknown>;
  /** Which delivery of the job this is (1, or 2 after an agent was lost and the job was retried). */
  attempt: number;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  counts?: RunCounts;
  /** Why a run ended as `error`, `cancelled` or `interrupted`, e.g. "agent lost". */
  message?: string;
  /** Report files kept for the run (`report.json`, `junit.xml`, `report.html`). */
  reports: string[];
}

export interface PlanRecord {
  id: string;
  name: string;
  /** sha256 of the bundle, so the same upload is stored once. */
  digest: string;
  createdAt: number;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  planId: string;
  /** A cron pattern (5 fields, or 6 with seconds) or, with `every`, nothing. */
  cron?: string;
  /** Interval in ms, instead of `cron`. */
  every?: number;
  pool: string;
  options: Record<string, unknown>;
  paused: boolean;
  createdAt: number;
}

export type TokenScope = 'read' | 'submit' | 'admin';

export interface TokenRecord {
  id: string;
  name: string;
  scope: TokenScope;
  /** sha256 (hex) of the token; the token itself is never stored. */
  hash: string;
  createdAt: number;
  lastUsedAt?: number;
}

/** The most runs one page of the run list holds (`GET /api/runs?limit=`, docs/server-api.openapi.yaml). */
export const MAX_RUN_PAGE = 500;

export interface RunQuery {
  status?: RunStatus;
  pool?: string;
  trigger?: RunTrigger;
  scheduleId?: string;
  /** Newest first; default 50, at most MAX_RUN_PAGE. */
  limit?: number;
  offset?: number;
}

export type RunPatch = Partial<Omit<RunRecord, 'id' | 'createdAt' | 'planId' | 'trigger'>>;

export interface Store {
  insertRun(run: RunRecord): Promise<void>;
  updateRun(id: string, patch: RunPatch): Promise<RunRecord | undefined>;
  /** `updateRun` without reading the run back: one statement (the tracker's per-run updates). */
  patchRun(id: string, patch: RunPatch): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(query?: RunQuery): Promise<{ runs: RunRecord[]; total: number }>;
  /** Runs that may still change (queued or running): what the server reconciles after a restart. */
  listOpenRuns(): Promise<RunRecord[]>;
  /** Deletes finished runs that ended before `time`; returns their ids and reports (so their report files go too). */
  deleteRunsEndedBefore(time: number): Promise<{ id: string; reports: string[] }[]>;
  /** Deletes the plans stored before `time` that no run or schedule names (retention); returns their ids. */
  deletePlansUnusedBefore(time: number): Promise<string[]>;

  insertPlan(plan: PlanRecord): Promise<void>;
  getPlan(id: string): Promise<PlanRecord | undefined>;
  findPlanByDigest(digest: string): Promise<PlanRecord | undefined>;

  insertSchedule(schedule: ScheduleRecord): Promise<void>;
  updateSchedule(id: string, patch: Partial<Omit<ScheduleRecord, 'id' | 'createdAt'>>): Promise<ScheduleRecord | undefined>;
  getSchedule(id: string): Promise<ScheduleRecord | undefined>;
  listSchedules(): Promise<ScheduleRecord[]>;
  deleteSchedule(id: string): Promise<boolean>;

  insertToken(token: TokenRecord): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRecord | undefined>;
  touchToken(id: string, time: number): Promise<void>;
  listTokens(): Promise<TokenRecord[]>;
  deleteToken(id: string): Promise<boolean>;

  close(): Promise<void>;
}
