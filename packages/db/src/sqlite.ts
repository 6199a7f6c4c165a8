/**
 * SQLite through better-sqlite3: a database file (or `:memory:`) opened in this process. The driver
 * is synchronous, so one handle per connection serves every operation in turn; a transaction
 * (`reserve`) holds the handle, and other operations on the connection wait until it ends. `?`,
 * `?NNN` and `$1`-style placeholders are bound by SQLite. A running statement cannot be cut off: a
 * timeout only reports it.
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
import { createRequire } from 'node:module';
import { nativeModuleUnavailable } from '@sortie/core';
import type Database from 'better-sqlite3';
import { toJsonSafe } from './json-safe.js';
import {
  type CancelSignal,
  type DatabaseConnection,
  type DbDriver,
  type DbOperation,
  type DbResult,
  type DbSession,
  DEFAULT_DB_TIMEOUT,
} from './types.js';

/** Prepared statements kept per connection (preparing costs more than running a small SELECT). */
const STATEMENT_CACHE_SIZE = 200;

/**
 * Opens the file with better-sqlite3, loaded here (an optional native dependency of the package): a
 * missing or unbuilt module is a clear error of the step, not a failure to load the driver.
 */
function openDatabase(file: string, timeout: number): Database.Database {
  try {
    const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
    return new BetterSqlite3(file, { timeout });
  } catch (error) {
    throw nativeModuleUnavailable(error, 'better-sqlite3', 'SQLite') ?? error;
  }
}

/** Creates the SQLite driver of one connection; the file opens on first use. */
export function createSqliteDriver(config: DatabaseConnection): DbDriver {
  const file = String(config.database ?? ':memory:');
  let db: Database.Database | undefined;
  const statements = new Map<string, Database.Statement>();
  /** Settles when the transaction holding the handle ends. */
  let held: Promise<void> = Promise.resolve();

  const open = (): Database.Database => {
    if (db === undefined) {
      db = openDatabase(file, config.timeout ?? DEFAULT_DB_TIMEOUT);
      db.pragma('foreign_keys = ON');
    }
    return db;
  };

  const prepare = (handle: Database.Database, sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = handle.prepare(sql).safeIntegers(true);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  };

  const run = (op: DbOperation): DbResult => {
    const handle = open();
    if (op.transaction !== undefined) {
      handle.exec(op.transaction.toUpperCase());
      return { rowCount: 0 };
    }
    const sql = op.sql ?? '';
    if (op.multipleStatements === true && (op.params ?? []).length === 0) {
      const before = handle.prepare('SELECT total_changes() AS n').pluck().get() as number;
      handle.exec(sql);
      const affectedRows = (handle.prepare('SELECT total_changes() AS n').pluck().get() as number) - before;
      return { rowCount: affectedRows, affectedRows };
    }
    const statement = prepare(handle, sql);
    const params = (op.params ?? []).map(toSqliteValue);
    if (statement.reader) {
      const rows = toJsonSafe(statement.all(...params)) as unknown[];
      return { rows, rowCount: rows.length };
    }
    const info = statement.run(...params);
    const out: DbResult = { rowCount: info.changes, affectedRows: info.changes };
    const insertId = toJsonSafe(info.lastInsertRowid);
    if (info.changes > 0 && /^\s*(insert|replace)\b/i.test(sql) && (typeof insertId === 'number' || typeof insertId === 'string'))
      out.insertId = insertId;
    return out;
  };

  return {
    async execute(op: DbOperation, signal?: CancelSignal): Promise<DbResult> {
      // Wait for a transaction of another scenario run to end: its statements must not mix with ours.
      for (let current = held; ; current = held) {
        await current;
        if (current === held) break;
      }
      // Timed out while waiting: the caller has reported it, the statement must not run after all.
      if (signal?.aborted === true) throw new Error('operation cancelled after its timeout');
      return run(op);
    },
    async reserve(): Promise<DbSession> {
      for (let current = held; ; current = held) {
        await current;
        if (current === held) break;
      }
      let release!: () => void;
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      return {
        execute: async (op) => run(op),
        release: () => release(),
      };
    },
    async close(): Promise<void> {
      statements.clear();
      db?.close();
      db = undefined;
    },
  };
}

/** SQLite binds numbers, bigints, strings, buffers and null; booleans become 1/0, anything else its JSON text. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}
