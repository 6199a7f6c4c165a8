import pg from 'pg';
import type { SqlDriver, SqlRow, SqlValue } from './sql-driver.js';

/** `?` placeholders → PostgreSQL's `$1, $2, …` (the store's statements hold no `?` in literals). */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** PostgreSQL for the run history (`--database postgres://…`): a small pool, one statement each. */
export function openPostgresDriver(url: string): SqlDriver {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on('error', () => {});
  return {
    async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
      return (await pool.query(toPostgresPlaceholders(sql), [...params])).rows as SqlRow[];
    },
    async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
      return (await pool.query(toPostgresPlaceholders(sql), [...params])).rowCount ?? 0;
    },
    async exec(sql: string): Promise<void> {
      await pool.query(sql);
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
