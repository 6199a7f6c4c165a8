/**
 * @sortie/db — database operations (MySQL, PostgreSQL, MongoDB, Redis) for `db` steps and processors.
 */
export { DbConnections, type DbConnectionsOptions } from './connections.js';
export { redactUrlPasswords } from './db-error.js';
export { describeOperation } from './describe-operation.js';
export { toJsonSafe } from './json-safe.js';
export type {
  DatabaseConnection,
  DatabaseType,
  DbDriver,
  DbOperation,
  DbResult,
  DriverFactory,
  MongoOperation,
  RedisOperation,
} from './types.js';
export { DEFAULT_DB_TIMEOUT, DEFAULT_POOL_SIZE } from './types.js';
