/**
 * The little the store needs from a SQL database. Statements use `?` placeholders; a driver whose
 * database wants another style (PostgreSQL's `$1`) converts them.
 */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlDriver {
  /** Rows of a query. */
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs several statements without parameters (the schema). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The schema, in the SQL that SQLite and PostgreSQL both accept. Times are milliseconds since the
 * epoch (BIGINT); structured fields are JSON text. `IF NOT EXISTS` makes opening idempotent.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS sortie_plans (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  digest TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS sortie_runs (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  trigger_kind TEXT NOT NULL,
  pool TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  schedule_id TEXT,
  agent TEXT,
  options TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  ended_at BIGINT,
  counts TEXT,
  message TEXT,
  reports TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sortie_runs_created ON sortie_runs (created_at);
CREATE INDEX IF NOT EXISTS sortie_runs_status ON sortie_runs (status);
CREATE TABLE IF NOT EXISTS sortie_schedules (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  cron TEXT,
  every_ms BIGINT,
  pool TEXT NOT NULL,
  options TEXT NOT NULL,
  paused INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS sortie_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT
);
`;
