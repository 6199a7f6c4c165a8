/**
 * @sortie/db — database operations (MySQL/MariaDB, PostgreSQL, SQLite, MongoDB, Redis) for `db` steps and processors.
 */
export { DbConnections, type DbConnectionsOptions, DbScope } from './connections.js';
export { redactUrlPasswords, registerSecrets } from './db-error.js';
export { describeOperation } from './describe-operation.js';
export { toJsonSafe } from './json-safe.js';
export type {
  CancelSignal,
  DatabaseConnection,
  DatabaseType,
  DbDriver,
  DbOperation,
  DbResult,
  DbSession,
  DriverFactory,
  MongoOperation,
  RedisOperation,
} from './types.js';
export { DEFAULT_DB_TIMEOUT, DEFAULT_POOL_SIZE } from './types.js';
