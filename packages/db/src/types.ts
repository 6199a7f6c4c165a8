/**
 * The driver contract. A new database is one file exporting a `DriverFactory` that returns a
 * `DbDriver`; `DbConnections` loads it with `import()` the first time a connection of its type is used.
 */
import type { DatabaseConnection, DbOperation } from '@sortie/core';
import type { CancelSignal } from './cancel-signal.js';

export type { DatabaseConnection, DatabaseType, DbOperation, MongoOperation, RedisOperation } from '@sortie/core';
export type { CancelSignal } from './cancel-signal.js';

/**
 * What one operation returned, JSON-safe (bigint → number when safe else string, binary → base64,
 * dates → ISO strings, MongoDB values → relaxed Extended JSON) so assertions and extraction can
 * select from it like a response body.
 */
export interface DbResult {
  /** Rows (SQL) or documents (MongoDB find/findOne/aggregate), as plain objects. */
  rows?: unknown[];
  /** Rows returned, or rows/documents affected by a write; for countDocuments the count. */
  rowCount: number;
  /** Rows/documents inserted, changed or deleted. */
  affectedRows?: number;
  /** MySQL AUTO_INCREMENT id, MongoDB inserted/upserted `_id` (hex string for an ObjectId). */
  insertId?: string | number;
  /** The operation's own value: Redis reply, MongoDB write result, findOne document, count. */
  value?: unknown;
  /** With `multipleStatements`: one result per statement (the top-level fields are the last one's). */
  statements?: DbResult[];
}

export interface DbDriver {
  /** Runs one operation. When `signal` aborts the driver cancels the operation where the database allows. */
  execute(op: DbOperation, signal?: CancelSignal): Promise<DbResult>;
  /**
   * SQL drivers: takes one connection out of the pool (for a transaction across steps) until
   * `release`. While it is out, nothing else runs on it.
   */
  reserve?(): Promise<DbSession>;
  /** Closes every connection of the driver. */
  close(): Promise<void>;
}

/** One connection held for a transaction. */
export interface DbSession {
  /** Runs one operation on this connection; `op.transaction` runs BEGIN / COMMIT / ROLLBACK. */
  execute(op: DbOperation, signal?: CancelSignal): Promise<DbResult>;
  /** Gives the connection back to the pool (`broken`: closes it instead). */
  release(broken?: boolean): void;
}

/** Creates a driver for one named connection. Must not connect yet: connections open on first use. */
export type DriverFactory = (config: DatabaseConnection) => DbDriver;

/** Default connect and operation timeout in ms. */
export const DEFAULT_DB_TIMEOUT = 30_000;
/** Default pool size. */
export const DEFAULT_POOL_SIZE = 5;
