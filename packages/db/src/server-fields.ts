import type { DatabaseConnection } from './types.js';

/** The connection fields MySQL and PostgreSQL drivers share (mysql2 PoolOptions and pg PoolConfig alike). */
export interface ServerFields {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
}

/** Host (default 127.0.0.1), port (default `defaultPort`), user, password and database of a connection, for `Object.assign` into driver options. */
export function serverFields(config: DatabaseConnection, defaultPort: number): ServerFields {
  const fields: ServerFields = { host: config.host ?? '127.0.0.1', port: config.port ?? defaultPort };
  if (config.user !== undefined) fields.user = config.user;
  if (config.password !== undefined) fields.password = config.password;
  if (config.database !== undefined) fields.database = String(config.database);
  return fields;
}
