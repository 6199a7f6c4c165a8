import type { SqlDriver, SqlRow, SqlValue } from './sql-driver.js';
import {
  MAX_RUN_PAGE,
  type PlanRecord,
  type RunPatch,
  type RunQuery,
  type RunRecord,
  type RunStatus,
  type RunTrigger,
  type ScheduleRecord,
  type Store,
  type TokenRecord,
  type TokenScope,
} from './store.js';

const DEFAULT_PAGE = 50;

/** The columns of a run that `updateRun` may change, and how each is written. */
const RUN_COLUMNS: Record<keyof RunPatch, [column: string, write: (value: unknown) => SqlValue]> = {
  status: ['status', asText],
  pool: ['pool', asText],
  scheduleId: ['schedule_id', asText],
  agent: ['agent', asText],
  options: ['options', asJson],
  attempt: ['attempt', asNumber],
  startedAt: ['started_at', asNumber],
  endedAt: ['ended_at', asNumber],
  counts: ['counts', asJson],
  message: ['message', asText],
  reports: ['reports', asJson],
};

const SCHEDULE_COLUMNS: Record<keyof Omit<ScheduleRecord, 'id' | 'createdAt'>, [string, (value: unknown) => SqlValue]> = {
  name: ['name', asText],
  planId: ['plan_id', asText],
  cron: ['cron', asText],
  every: ['every_ms', asNumber],
  pool: ['pool', asText],
  options: ['options', asJson],
  paused: ['paused', (value) => (value === true ? 1 : 0)],
};

/** The store over any `SqlDriver`: the same statements for SQLite and PostgreSQL. */
export class SqlStore implements Store {
  readonly #db: SqlDriver;

  constructor(db: SqlDriver) {
    this.#db = db;
  }

  async insertRun(run: RunRecord): Promise<void> {
    await this.#db.run(
      `INSERT INTO sortie_runs (id, status, trigger_kind, pool, plan_id, schedule_id, agent, options, attempt, created_at,
        started_at, ended_at, counts, message, reports) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        run.id,
        run.status,
        run.trigger,
        run.pool,
        run.planId,
        run.scheduleId ?? null,
        run.agent ?? null,
        JSON.stringify(run.options),
        run.attempt,
        run.createdAt,
        run.startedAt ?? null,
        run.endedAt ?? null,
        run.counts === undefined ? null : JSON.stringify(run.counts),
        run.message ?? null,
        JSON.stringify(run.reports),
      ],
    );
  }

  async updateRun(id: string, patch: RunPatch): Promise<RunRecord | undefined> {
    await this.#update('sortie_runs', id, patch, RUN_COLUMNS);
    return this.getRun(id);
  }

  async patchRun(id: string, patch: RunPatch): Promise<void> {
    await this.#update('sortie_runs', id, patch, RUN_COLUMNS);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const [row] = await this.#db.all('SELECT * FROM sortie_runs WHERE id = ?', [id]);
    return row === undefined ? undefined : toRun(row);
  }

  async listRuns(query: RunQuery = {}): Promise<{ runs: RunRecord[]; total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.status !== undefined) where.push('status = ?') && params.push(query.status);
    if (query.pool !== undefined) where.push('pool = ?') && params.push(query.pool);
    if (query.trigger !== undefined) where.push('trigger_kind = ?') && params.push(query.trigger);
    if (query.scheduleId !== undefined) where.push('schedule_id = ?') && params.push(query.scheduleId);
    const clause = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
    // 0 asks for the total alone (the API's minimum): it was taken as 1 and listed a run.
    const limit = Math.min(Math.max(0, Math.trunc(query.limit ?? DEFAULT_PAGE)), MAX_RUN_PAGE);
    const offset = Math.max(0, Math.trunc(query.offset ?? 0));
    const rows = await this.#db.all(`SELECT * FROM sortie_runs${clause} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [
      ...params,
      limit,
      offset,
    ]);
    const [count] = await this.#db.all(`SELECT COUNT(*) AS n FROM sortie_runs${clause}`, params);
    return { runs: rows.map(toRun), total: Number(count?.n ?? 0) };
  }

  async listOpenRuns(): Promise<RunRecord[]> {
    const rows = await this.#db.all("SELECT * FROM sortie_runs WHERE status IN ('queued', 'running') ORDER BY created_at");
    return rows.map(toRun);
  }

  async deleteRunsEndedBefore(time: number): Promise<{ id: string; reports: string[] }[]> {
    const rows = await this.#db.all('SELECT id, reports FROM sortie_runs WHERE ended_at IS NOT NULL AND ended_at < ?', [time]);
    const runs = rows.map((row) => ({ id: String(row.id), reports: JSON.parse(String(row.reports)) as string[] }));
    if (runs.length > 0) await this.#db.run('DELETE FROM sortie_runs WHERE ended_at IS NOT NULL AND ended_at < ?', [time]);
    return runs;
  }

  async deletePlansUnusedBefore(time: number): Promise<string[]> {
    const unused = 'created_at < ? AND id NOT IN (SELECT plan_id FROM sortie_runs) AND id NOT IN (SELECT plan_id FROM sortie_schedules)';
    const deleted: string[] = [];
    for (const row of await this.#db.all(`SELECT id FROM sortie_plans WHERE ${unused} ORDER BY id`, [time])) {
      // One by one, the condition checked again: a run or schedule made meanwhile keeps its plan.
      const id = String(row.id);
      if ((await this.#db.run(`DELETE FROM sortie_plans WHERE id = ? AND ${unused}`, [id, time])) > 0) deleted.push(id);
    }
    return deleted;
  }

  async insertPlan(plan: PlanRecord): Promise<void> {
    await this.#db.run('INSERT INTO sortie_plans (id, name, digest, created_at) VALUES (?, ?, ?, ?)', [
      plan.id,
      plan.name,
      plan.digest,
      plan.createdAt,
    ]);
  }

  async getPlan(id: string): Promise<PlanRecord | undefined> {
    const [row] = await this.#db.all('SELECT * FROM sortie_plans WHERE id = ?', [id]);
    return row === undefined ? undefined : toPlan(row);
  }

  async findPlanByDigest(digest: string): Promise<PlanRecord | undefined> {
    const [row] = await this.#db.all('SELECT * FROM sortie_plans WHERE digest = ?', [digest]);
    return row === undefined ? undefined : toPlan(row);
  }

  async insertSchedule(schedule: ScheduleRecord): Promise<void> {
    await this.#db.run(
      'INSERT INTO sortie_schedules (id, name, plan_id, cron, every_ms, pool, options, paused, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        schedule.id,
        schedule.name,
        schedule.planId,
        schedule.cron ?? null,
        schedule.every ?? null,
        schedule.pool,
        JSON.stringify(schedule.options),
        schedule.paused ? 1 : 0,
        schedule.createdAt,
      ],
    );
  }

  async updateSchedule(id: string, patch: Partial<Omit<ScheduleRecord, 'id' | 'createdAt'>>): Promise<ScheduleRecord | undefined> {
    await this.#update('sortie_schedules', id, patch, SCHEDULE_COLUMNS);
    return this.getSchedule(id);
  }

  async getSchedule(id: string): Promise<ScheduleRecord | undefined> {
    const [row] = await this.#db.all('SELECT * FROM sortie_schedules WHERE id = ?', [id]);
    return row === undefined ? undefined : toSchedule(row);
  }

  async listSchedules(): Promise<ScheduleRecord[]> {
    return (await this.#db.all('SELECT * FROM sortie_schedules ORDER BY created_at, id')).map(toSchedule);
  }

  async deleteSchedule(id: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM sortie_schedules WHERE id = ?', [id])) > 0;
  }

  async insertToken(token: TokenRecord): Promise<void> {
    await this.#db.run('INSERT INTO sortie_tokens (id, name, scope, hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)', [
      token.id,
      token.name,
      token.scope,
      token.hash,
      token.createdAt,
      token.lastUsedAt ?? null,
    ]);
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | undefined> {
    const [row] = await this.#db.all('SELECT * FROM sortie_tokens WHERE hash = ?', [hash]);
    return row === undefined ? undefined : toToken(row);
  }

  async touchToken(id: string, time: number): Promise<void> {
    await this.#db.run('UPDATE sortie_tokens SET last_used_at = ? WHERE id = ?', [time, id]);
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.#db.all('SELECT * FROM sortie_tokens ORDER BY created_at, id')).map(toToken);
  }

  async deleteToken(id: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM sortie_tokens WHERE id = ?', [id])) > 0;
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  async #update<P extends object>(
    table: string,
    id: string,
    patch: P,
    columns: Record<string, [string, (value: unknown) => SqlValue]>,
  ): Promise<void> {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    for (const [key, value] of Object.entries(patch)) {
      const column = columns[key];
      if (column === undefined) continue;
      sets.push(`${column[0]} = ?`);
      params.push(value === undefined ? null : column[1](value));
    }
    if (sets.length === 0) return;
    await this.#db.run(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }
}

function asText(value: unknown): SqlValue {
  return value === null ? null : String(value);
}

function asNumber(value: unknown): SqlValue {
  return value === null ? null : Number(value);
}

function asJson(value: unknown): SqlValue {
  return JSON.stringify(value);
}

/** PostgreSQL returns BIGINT as text; both drivers' nulls become `undefined`. */
function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function optionalText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function toRun(row: SqlRow): RunRecord {
  const run: RunRecord = {
    id: String(row.id),
    status: String(row.status) as RunStatus,
    trigger: String(row.trigger_kind) as RunTrigger,
    pool: String(row.pool),
    planId: String(row.plan_id),
    options: JSON.parse(String(row.options)) as Record<string, unknown>,
    attempt: Number(row.attempt),
    createdAt: Number(row.created_at),
    reports: JSON.parse(String(row.reports)) as string[],
  };
  const scheduleId = optionalText(row.schedule_id);
  if (scheduleId !== undefined) run.scheduleId = scheduleId;
  const agent = optionalText(row.agent);
  if (agent !== undefined) run.agent = agent;
  const startedAt = optionalNumber(row.started_at);
  if (startedAt !== undefined) run.startedAt = startedAt;
  const endedAt = optionalNumber(row.ended_at);
  if (endedAt !== undefined) run.endedAt = endedAt;
  if (row.counts !== null && row.counts !== undefined) run.counts = JSON.parse(String(row.counts)) as RunRecord['counts'] & object;
  const message = optionalText(row.message);
  if (message !== undefined) run.message = message;
  return run;
}

function toPlan(row: SqlRow): PlanRecord {
  return { id: String(row.id), name: String(row.name), digest: String(row.digest), createdAt: Number(row.created_at) };
}

function toSchedule(row: SqlRow): ScheduleRecord {
  const schedule: ScheduleRecord = {
    id: String(row.id),
    name: String(row.name),
    planId: String(row.plan_id),
    pool: String(row.pool),
    options: JSON.parse(String(row.options)) as Record<string, unknown>,
    paused: Number(row.paused) === 1,
    createdAt: Number(row.created_at),
  };
  const cron = optionalText(row.cron);
  if (cron !== undefined) schedule.cron = cron;
  const every = optionalNumber(row.every_ms);
  if (every !== undefined) schedule.every = every;
  return schedule;
}

function toToken(row: SqlRow): TokenRecord {
  const token: TokenRecord = {
    id: String(row.id),
    name: String(row.name),
    scope: String(row.scope) as TokenScope,
    hash: String(row.hash),
    createdAt: Number(row.created_at),
  };
  const lastUsedAt = optionalNumber(row.last_used_at);
  if (lastUsedAt !== undefined) token.lastUsedAt = lastUsedAt;
  return token;
}
