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
import { ResultBudget, readResultLimit } from './result-limit.js';
import { toRowObjects } from './row-objects.js';
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
    const budget = new ResultBudget(readResultLimit(op, config));
    if (op.multipleStatements === true && (op.params ?? []).length === 0) return runStatements(handle, sql, budget);
    return runStatement(prepare(handle, sql), (op.params ?? []).map(toSqliteValue), sql, budget);
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

/** Runs one prepared statement: its rows (read one at a time, within `budget`), or what it changed. */
function runStatement(statement: Database.Statement, params: unknown[], sql: string, budget: ResultBudget): DbResult {
  if (statement.reader) {
    // Rows as arrays: two columns of the same name both keep their value (see row-objects.ts).
    const names = statement.columns().map((column) => column.name);
    const read: unknown[][] = [];
    // Leaving the loop (a row past the budget) ends the statement: better-sqlite3 resets it.
    for (const row of statement.raw(true).iterate(...params) as IterableIterator<unknown[]>) {
      budget.add(row);
      read.push(row);
    }
    const rows = toRowObjects(names, read, toJsonSafe);
    return { rows, rowCount: rows.length };
  }
  const info = statement.run(...params);
  const out: DbResult = { rowCount: info.changes, affectedRows: info.changes };
  const insertId = toJsonSafe(info.lastInsertRowid);
  if (info.changes > 0 && /^\s*(insert|replace)\b/i.test(sql) && (typeof insertId === 'number' || typeof insertId === 'string'))
    out.insertId = insertId;
  return out;
}

/**
 * Runs the statements of `sql` one after the other and returns each one's result (`statements`), the
 * last one's at the top, as on MySQL and PostgreSQL. The text is cut after each `;` outside quotes and
 * comments; a piece SQLite calls incomplete (the `;` inside a trigger's BEGIN … END) takes the next one.
 */
function runStatements(handle: Database.Database, sql: string, budget: ResultBudget): DbResult {
  const statements: DbResult[] = [];
  let pending = '';
  const pieces = splitAfterSemicolons(sql);
  for (const [index, piece] of pieces.entries()) {
    pending += piece;
    let statement: Database.Statement;
    try {
      statement = handle.prepare(pending).safeIntegers(true);
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (/contains no statements/.test(message)) continue;
      if (/incomplete input/.test(message) && index < pieces.length - 1) continue;
      throw error;
    }
    statements.push(runStatement(statement, [], pending, budget));
    pending = '';
  }
  if (statements.length === 0) return { rowCount: 0 };
  return { ...statements[statements.length - 1]!, statements };
}

/**
 * Cuts SQL text after each `;` that is not inside a string, a quoted name or a comment.
 * @see https://www.sqlite.org/lang_keywords.html (quoting) and https://www.sqlite.org/lang_comment.html
 */
function splitAfterSemicolons(sql: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  const skipTo = (end: string, from: number): number => {
    const found = sql.indexOf(end, from);
    return found === -1 ? sql.length : found + end.length;
  };
  while (i < sql.length) {
    const char = sql[i]!;
    if (char === "'" || char === '"' || char === '`') {
      // A quote inside is written twice: '' closes and reopens, which reads the same.
      i = skipTo(char, i + 1);
    } else if (char === '[') i = skipTo(']', i + 1);
    else if (char === '-' && sql[i + 1] === '-') i = skipTo('\n', i + 2);
    else if (char === '/' && sql[i + 1] === '*') i = skipTo('*/', i + 2);
    else {
      i++;
      if (char === ';') {
        pieces.push(sql.slice(start, i));
        start = i;
      }
    }
  }
  if (start < sql.length) pieces.push(sql.slice(start));
  return pieces;
}

/** SQLite binds numbers, bigints, strings, buffers and null; booleans become 1/0, anything else its JSON text. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}
