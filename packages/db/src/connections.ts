/**
 * The named database connections of a run. A connection opens on first use (its driver module is
 * loaded with `import()` only then), stays pooled for the run and is closed by `close()`, which the
 * engine calls when the run ends, fails or is interrupted.
 */
import { ErrorCode, Redactor, SortieError } from '@sortie/core';
import { type CancelSignal, OperationCancel } from './cancel-signal.js';
import {
  createInterruptedError,
  createTimeoutError,
  type DbErrorContext,
  hasUnescapedUserinfo,
  registerSecrets,
  toDbError,
  unescapedUserinfoError,
} from './db-error.js';
import {
  type DatabaseConnection,
  type DatabaseType,
  type DbDriver,
  type DbOperation,
  type DbResult,
  type DbSession,
  DEFAULT_DB_TIMEOUT,
  type DriverFactory,
} from './types.js';

/** Each driver lives in its own module so that only the drivers a run uses are loaded. */
const DRIVER_LOADERS: Record<DatabaseType, () => Promise<DriverFactory>> = {
  mysql: async () => (await import('./mysql.js')).createMysqlDriver,
  mariadb: async () => (await import('./mysql.js')).createMysqlDriver,
  sqlite: async () => (await import('./sqlite.js')).createSqliteDriver,
  postgres: async () => (await import('./postgres.js')).createPostgresDriver,
  mongodb: async () => (await import('./mongodb.js')).createMongoDriver,
  redis: async () => (await import('./redis.js')).createRedisDriver,
};

/** The database types each kind of operation runs against. */
const OPERATION_TYPES: Record<OperationKind, readonly DatabaseType[]> = {
  sql: ['mysql', 'mariadb', 'postgres', 'sqlite'],
  transaction: ['mysql', 'mariadb', 'postgres', 'sqlite'],
  mongo: ['mongodb'],
  redis: ['redis'],
};

type OperationKind = 'sql' | 'transaction' | 'mongo' | 'redis';

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
   * unknown connection or an operation of the wrong kind for it, `ErrorCode.INTERRUPTED` when
   * `interrupt` aborts (the operation is cancelled on the server then).
   */
  async execute(op: DbOperation, deadline?: number, interrupt?: AbortSignal): Promise<DbResult> {
    return this.#run(
      op,
      (driver, signal) => {
        if (op.transaction !== undefined) throw noTransaction(op);
        return driver.execute(op, signal);
      },
      deadline,
      interrupt,
    );
  }

  /**
   * A scope for one scenario run: operations run like `execute`, except that between a
   * `transaction: begin` and its `commit` / `rollback` every operation on that connection runs on
   * one connection held for the scope. `close()` rolls back what is still open.
   */
  openScope(): DbScope {
    return new DbScope(this);
  }

  /** @internal Runs `op` through `call` with the connection's timeout and error conversion. */
  async run(
    op: DbOperation,
    call: (driver: DbDriver, signal: CancelSignal) => Promise<DbResult>,
    deadline?: number,
    interrupt?: AbortSignal,
  ): Promise<DbResult> {
    return this.#run(op, call, deadline, interrupt);
  }

  /**
   * `deadline` (epoch ms, a run's `--timeout`): the operation is cancelled then at the latest.
   * `interrupt` (the run's Ctrl-C / SIGTERM signal): the operation is cancelled on the server when it
   * aborts (PostgreSQL pg_cancel_backend, MySQL KILL QUERY, MongoDB's abort, a Redis reconnect) and
   * fails at once as `Interrupted`, so the teardowns do not wait for a long statement.
   */
  async #run(
    op: DbOperation,
    call: (driver: DbDriver, signal: CancelSignal) => Promise<DbResult>,
    deadline?: number,
    interrupt?: AbortSignal,
  ): Promise<DbResult> {
    const config = this.#readConfig(op);
    const context: DbErrorContext = { connection: op.connection, op, redactor: this.#redactor };
    // Before a driver reads it: a driver that misreads it looks part of the password up as a host.
    if (config.url !== undefined && hasUnescapedUserinfo(config.url)) throw unescapedUserinfoError(context);
    if (interrupt?.aborted === true) throw createInterruptedError(context, interrupt);
    const own = op.timeout ?? config.timeout ?? DEFAULT_DB_TIMEOUT;
    const timeout = deadline === undefined ? own : Math.max(1, Math.min(own, deadline - Date.now()));
    const controller = new OperationCancel();
    let timer: NodeJS.Timeout | undefined;
    let stopListening: (() => void) | undefined;
    let running: Promise<DbResult> | undefined;
    try {
      const driver = await this.#openDriver(op.connection, config);
      const started = performance.now();
      running = call(driver, controller);
      const stopped = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(createTimeoutError(context, timeout));
        }, timeout);
        if (interrupt === undefined) return;
        const onInterrupt = () => {
          controller.abort();
          reject(createInterruptedError(context, interrupt));
        };
        if (interrupt.aborted) onInterrupt();
        else {
          interrupt.addEventListener('abort', onInterrupt, { once: true });
          stopListening = () => interrupt.removeEventListener('abort', onInterrupt);
        }
      });
      const result = await Promise.race([running, stopped]);
      // SQLite runs its statement in this thread: the timer cannot fire before the statement has ended,
      // so the limit is checked once it has (the statement ran to its end; what it wrote is kept).
      if (config.type === 'sqlite' && performance.now() - started > timeout) throw createTimeoutError(context, timeout, SQLITE_OVERRAN);
      return result;
    } catch (error) {
      throw toDbError(error, context);
    } finally {
      clearTimeout(timer);
      stopListening?.();
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
    const kind: OperationKind =
      op.sql !== undefined ? 'sql' : op.transaction !== undefined ? 'transaction' : op.mongo !== undefined ? 'mongo' : 'redis';
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

const SQLITE_OVERRAN =
  'SQLite cannot stop a statement while it runs: it ran to its end, and what it wrote is kept; raise "timeout" on the operation or the connection';

function noTransaction(op: DbOperation): SortieError {
  return new SortieError(ErrorCode.INVALID_INPUT, 'No transaction scope', `"transaction: ${op.transaction}" needs a scenario run's scope`, {
    hint: 'run it through DbConnections.openScope()',
  });
}

/**
 * The transactions of one scenario run, by connection name. Each open transaction holds one
 * connection (`DbDriver.reserve`) until it ends; `close()` rolls back and releases every one still open.
 */
export class DbScope {
  readonly #connections: DbConnections;
  readonly #open = new Map<string, DbSession>();

  constructor(connections: DbConnections) {
    this.#connections = connections;
  }

  /** Names of the connections with an open transaction. */
  get openTransactions(): string[] {
    return [...this.#open.keys()];
  }

  /**
   * Runs one operation: on the held connection while its transaction is open, else like
   * `DbConnections.execute`; cancelled at `deadline` (epoch ms) at the latest, or when `interrupt` aborts.
   */
  execute(op: DbOperation, deadline?: number, interrupt?: AbortSignal): Promise<DbResult> {
    return this.#connections.run(
      op,
      async (driver, signal) => {
        const held = this.#open.get(op.connection);
        if (op.transaction === undefined) return held === undefined ? driver.execute(op, signal) : held.execute(op, signal);
        if (op.transaction === 'begin') {
          if (held !== undefined) throw transactionState(op, 'a transaction is already open on it');
          if (driver.reserve === undefined) throw transactionState(op, 'its database has no transactions here');
          const session = await driver.reserve();
          // Timed out while waiting for the connection: the caller has gone, give it back.
          if (signal.aborted) {
            session.release();
            return { rowCount: 0 };
          }
          try {
            const result = await session.execute(op, signal);
            this.#open.set(op.connection, session);
            return result;
          } catch (error) {
            session.release(true);
            throw error;
          }
        }
        if (held === undefined) throw transactionState(op, 'no transaction is open on it');
        this.#open.delete(op.connection);
        let broken = false;
        try {
          return await held.execute(op, signal);
        } catch (error) {
          broken = true;
          throw error;
        } finally {
          held.release(broken);
        }
      },
      deadline,
      interrupt,
    );
  }

  /** Rolls back every transaction still open and gives its connection back. Never throws. */
  async close(): Promise<void> {
    const open = [...this.#open.entries()];
    this.#open.clear();
    await Promise.all(
      open.map(async ([connection, session]) => {
        let broken = false;
        try {
          await session.execute({ connection, transaction: 'rollback' });
        } catch {
          broken = true;
        } finally {
          session.release(broken);
        }
      }),
    );
  }
}

function transactionState(op: DbOperation, problem: string): SortieError {
  return new SortieError(
    ErrorCode.DB,
    'Database transaction',
    `cannot ${op.transaction} on the connection "${op.connection}": ${problem}`,
    { hint: 'each "transaction: begin" needs one "commit" or "rollback" later in the same scenario run' },
  );
}
