import { join } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { openPostgresDriver } from './postgres-driver.js';
import { SCHEMA_SQL, type SqlDriver } from './sql-driver.js';
import { SqlStore } from './sql-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** `--database`: a `postgres://` or `postgresql://` URL; otherwise SQLite under `dataDir`. */
  database?: string;
  /** `--data-dir`: where the SQLite file (`sortie.db`) lives. */
  dataDir: string;
}

/** Opens the run history and creates its tables when they are missing. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const driver = await openDriver(options);
  try {
    await driver.exec(SCHEMA_SQL);
  } catch (error) {
    await driver.close().catch(() => {});
    throw new SortieError(ErrorCode.USAGE, 'Database unavailable', `cannot open the run history: ${describe(error)}`, {
      hint:
        options.database === undefined
          ? 'check that --data-dir is writable'
          : 'check the --database URL and that the server accepts connections',
      cause: error,
    });
  }
  return new SqlStore(driver);
}

/**
 * The SQLite file of the run history: `sortie.db` in `dataDir` without `database`, the path of a
 * `sqlite:` URL (`sqlite:history.db`, `sqlite:///var/lib/sortie/history.db`); undefined for
 * PostgreSQL. A relative path is relative to the process's working directory, as `dataDir` is.
 */
export function sqliteFile(options: OpenStoreOptions): string | undefined {
  if (options.database === undefined) return join(options.dataDir, 'sortie.db');
  return /^sqlite:/i.test(options.database) ? options.database.replace(/^sqlite:(\/\/)?/i, '') : undefined;
}

async function openDriver(options: OpenStoreOptions): Promise<SqlDriver> {
  const url = options.database;
  if (url !== undefined && /^postgres(ql)?:\/\//i.test(url)) return openPostgresDriver(url);
  const file = sqliteFile(options);
  if (file !== undefined) {
    const { openSqliteDriver } = await import('./sqlite-driver.js');
    return openSqliteDriver(file);
  }
  throw new SortieError(ErrorCode.USAGE, 'Unsupported database', 'the --database URL must start with postgres:// or sqlite:', {
    hint: 'leave --database out to keep the history in SQLite under --data-dir',
  });
}

/** A driver error's message without the URL (which may hold a password). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s@/]*@/gi, (match) => match.replace(/:[^:@/]*@$/, ':***@'));
}
