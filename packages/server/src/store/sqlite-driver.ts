import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { ErrorCode, makeDirectorySync, nativeModuleUnavailable, SortieError } from '@sortie/core';
import type Database from 'better-sqlite3';
import type { SqlDriver, SqlRow, SqlValue } from './sql-driver.js';

/**
 * The embedded default: one SQLite file (better-sqlite3 12; 13 needs Node 22). Write-ahead logging
 * so readers (the dashboard, `GET /api/runs`) never wait for the writer, with `synchronous = NORMAL`
 * (SQLite's advice for WAL: safe against a crash of the server, and no fsync per run update; a power
 * cut may lose the last updates). Statements are prepared once per SQL text.
 */
export function openSqliteDriver(file: string): SqlDriver {
  if (file !== ':memory:') {
    try {
      makeDirectorySync(dirname(file));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new SortieError(ErrorCode.USAGE, 'Cannot use the data folder', `cannot make ${dirname(file)} (${reason})`, {
        hint: 'pass --data-dir a folder this user can write to',
      });
    }
  }
  let db: Database.Database;
  try {
    // better-sqlite3 is an optional native dependency of the package: loaded here, explained when absent.
    const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
    db = new BetterSqlite3(file);
  } catch (error) {
    const unavailable = nativeModuleUnavailable(error, 'better-sqlite3', 'The SQLite run history', ErrorCode.USAGE);
    if (unavailable !== undefined) throw unavailable;
    // SQLite's own words (SQLITE_CANTOPEN: "unable to open database file"): a folder this user cannot write to.
    if ((error as { code?: string }).code?.startsWith('SQLITE_') === true) {
      throw new SortieError(ErrorCode.USAGE, 'Cannot use the data folder', `cannot open ${file} (${(error as Error).message})`, {
        hint: 'pass --data-dir a folder this user can write to',
      });
    }
    throw error;
  }
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      // The SQL texts are the store's own (a handful, by the columns a patch sets): the cache stays small.
      if (statements.size >= 500) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
      return prepare(sql).all(...params) as SqlRow[];
    },
    async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
      return prepare(sql).run(...params).changes;
    },
    async exec(sql: string): Promise<void> {
      db.exec(sql);
    },
    async close(): Promise<void> {
      db.close();
    },
  };
}
