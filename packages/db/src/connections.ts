/**
 * The named database connections of a run. A connection opens on first use (its driver module is
 * loaded with `import()` only then), stays pooled for the run and is closed by `close()`, which the
 * engine calls when the run ends, fails or is interrupted.
 */
import { ErrorCode, Redactor, SortieError } from '@sortie/core';
import { createTimeoutError, type DbErrorContext, registerSecrets, toDbError } from './db-error.js';
import {
  type DatabaseConnection,
  type DatabaseType,
  type DbDriver,
  type DbOperation,
  type DbResult,
  DEFAULT_DB_TIMEOUT,
  type DriverFactory,
} from './types.js';

/** Each driver lives in its own module so that only the drivers a run uses are loaded. */
const DRIVER_LOADERS: Record<DatabaseType, () => Promise<DriverFactory>> = {
  mysql: async () => (await import('./mysql.js')).createMysqlDriver,
  postgres: async () => (await import('./postgres.js')).createPostgresDriver,
  mongodb: async () => (await import('./mongodb.js')).createMongoDriver,
  redis: async () => (await import('./redis.js')).createRedisDriver,
};

/** The database types each kind of operation runs against. */
const OPERATION_TYPES: Record<'sql' | 'mongo' | 'redis', readonly DatabaseType[]> = {
  sql: ['mysql', 'postgres'],
  mongo: ['mongodb'],
  redis: ['redis'],
};

export interface DbConnectionsOptions {
  /**
   * The run's redactor. Every connection password (plain or inside a URL) is registered with it, and
   * error messages pass through it. Default: a redactor of its own that knows the passwords.
   */
  redactor?: Redactor;
}

/** Opens connections lazily on first use, pools them for the run, closes all in `close()`. */
export class DbConnections {
  readonly #configs: Record<string, DatabaseConnection>;
  readonly #drivers = new Map<string, Promise<DbDriver>>();
  readonly #redactor: Redactor;

  constructor(configs: Record<string, DatabaseConnection>, options: DbConnectionsOptions = {}) {
    this.#configs = configs;
    this.#redactor = options.redactor ?? new Redactor();
    registerSecrets(this.#redactor, configs);
  }

  /**
   * Runs one operation on its named connection, within `op.timeout` (default: the connection's
   * `timeout`, else 30000 ms). Throws `SortieError` with `ErrorCode.DB` when the database reports an
   * error, `ErrorCode.TIMEOUT` when the operation runs too long, `ErrorCode.INVALID_INPUT` for an
   * unknown connection or an operation of the wrong kind for it.
   */
  async execute(op: DbOperation): Promise<DbResult> {
    const config = this.#readConfig(op);
    const context: DbErrorContext = { connection: op.connection, op, redactor: this.#redactor };
    const timeout = op.timeout ?? config.timeout ?? DEFAULT_DB_TIMEOUT;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<DbResult> | undefined;
    try {
      const driver = await this.#openDriver(op.connection, config);
      running = driver.execute(op, controller.signal);
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(createTimeoutError(context, timeout));
        }, timeout);
      });
      return await Promise.race([running, timedOut]);
    } catch (error) {
      throw toDbError(error, context);
    } finally {
      clearTimeout(timer);
      // The losing side of the race still settles later; its error was already reported.
      running?.catch(() => undefined);
    }
  }

  /** Closes every opened connection; the next `execute` opens them again. Never throws. */
  async close(): Promise<void> {
    const drivers = [...this.#drivers.values()];
    this.#drivers.clear();
    await Promise.allSettled(drivers.map(async (driver) => (await driver).close()));
  }

  #readConfig(op: DbOperation): DatabaseConnection {
    const config = Object.hasOwn(this.#configs, op.connection) ? this.#configs[op.connection] : undefined;
    if (config === undefined) {
      const known = Object.keys(this.#configs);
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Unknown database connection', `no database connection named "${op.connection}"`, {
        hint: known.length > 0 ? `known connections: ${known.join(', ')}` : 'declare it under "databases" in the environment',
      });
    }
    const kind = op.sql !== undefined ? 'sql' : op.mongo !== undefined ? 'mongo' : 'redis';
    if (!OPERATION_TYPES[kind].includes(config.type)) {
      throw new SortieError(
        ErrorCode.INVALID_INPUT,
        'Wrong database operation',
        `a "${kind}" operation cannot run on the ${config.type} connection "${op.connection}"`,
        { hint: `"${kind}" runs on ${OPERATION_TYPES[kind].join(' or ')} connections` },
      );
    }
    return config;
  }

  /** Loads the driver module and creates the driver once per connection, even for concurrent first uses. */
  #openDriver(name: string, config: DatabaseConnection): Promise<DbDriver> {
    let driver = this.#drivers.get(name);
    if (driver === undefined) {
      driver = DRIVER_LOADERS[config.type]().then((create) => create(config));
      this.#drivers.set(name, driver);
      driver.catch(() => {
        if (this.#drivers.get(name) === driver) this.#drivers.delete(name);
      });
    }
    return driver;
  }
}
