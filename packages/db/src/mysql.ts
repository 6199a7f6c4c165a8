/**
 * MySQL / MariaDB through mysql2. Statements run as server-side prepared statements
 * (`execute`, `?` placeholders bound by the server, one statement each whatever the connection allows);
 * with `multipleStatements` they run through `query`, values escaped by mysql2. One pool per connection
 * serves both (its connections allow several statements, which only `query` uses), so `pool` bounds
 * every connection the run opens to the server.
 * @see https://sidorares.github.io/node-mysql2/docs/documentation/prepared-statements
 */

import { createConnection, createPool, type Pool, type PoolConnection, type PoolOptions, type ResultSetHeader } from 'mysql2/promise';
import { throwIfCancelled } from './cancel-signal.js';
import { createPoolWaitError, isTlsRefusal, markConnectFailure } from './db-error.js';
import { withSubMilliseconds } from './fraction-of-second.js';
import { toJsonSafe } from './json-safe.js';
import { parseJsonKeepingIntegers } from './json-text.js';
import { ResultBudget, readResultLimit } from './result-limit.js';
import { toRowObjects } from './row-objects.js';
import { serverFields } from './server-fields.js';
import { readTlsOptions } from './tls-options.js';
import {
  type CancelSignal,
  type DatabaseConnection,
  type DbDriver,
  type DbOperation,
  type DbResult,
  type DbSession,
  DEFAULT_DB_TIMEOUT,
  DEFAULT_POOL_SIZE,
} from './types.js';

/** Creates the MySQL driver of one connection; pools open on first use. */
export function createMysqlDriver(config: DatabaseConnection): DbDriver {
  const base = readPoolOptions(config);
  const size = base.connectionLimit ?? DEFAULT_POOL_SIZE;
  const wait = readPoolWait(config);
  let pool: Pool | undefined;
  const getPool = (): Pool => {
    pool ??= createUtcPool(base);
    return pool;
  };

  /** Runs `op` on `connection`; a timeout stops the statement on the server too. */
  const run = async (connection: PoolConnection, op: DbOperation, signal?: CancelSignal, held = false): Promise<DbResult> => {
    const threadId = connection.threadId;
    const kill = () => killQuery(base, threadId);
    // Past the result limit the connection is closed, which stops the statement on the server at once (a KILL
    // QUERY from a new connection waited behind the rows still coming in); in a transaction the rest of the
    // rows are read and dropped instead, keeping it.
    const stopAtLimit = held ? undefined : () => closeConnection(connection);
    const stopListening = signal?.onAbort(kill);
    try {
      throwIfCancelled(signal);
      if (op.transaction !== undefined) {
        await TRANSACTION[op.transaction](connection);
        return { rowCount: 0 };
      }
      const sql = op.sql ?? '';
      const params = op.params ?? [];
      const budget = new ResultBudget(readResultLimit(op, config));
      // mysql2's own connection, whose commands hand out rows one at a time when given no callback.
      const core = connection.connection as unknown as CoreConnection;
      if (op.multipleStatements === true) {
        const values = params.map(toQueryValue);
        refuseIdentifierPlaceholders(connection, sql, values.length);
        return await readCommand(core, core.query(sql, values), budget, stopAtLimit);
      }
      // Prepared once per connection (mysql2 caches it, as execute() does); the server says how many
      // placeholders it has: MariaDB reads params beyond them as garbage (2.5e-323) instead of failing.
      const statement = await connection.prepare(sql);
      checkParamCount(params.length, countPlaceholders(statement));
      // A CALL returns one result per result set of the procedure, and its own status: as several statements.
      return await readCommand(core, core.execute(sql, params), budget, stopAtLimit);
    } finally {
      stopListening?.();
    }
  };

  return {
    async execute(op: DbOperation, signal?: CancelSignal): Promise<DbResult> {
      const pool = getPool();
      const connection = await openConnection(pool, size, wait);
      try {
        return await run(connection, op, signal);
      } finally {
        giveBack(pool, connection);
      }
    },
    async reserve(): Promise<DbSession> {
      const pool = getPool();
      const connection = await openConnection(pool, size, wait);
      return {
        execute: (op, signal) => run(connection, op, signal, true),
        release: (broken) => giveBack(pool, connection, broken === true),
      };
    },
    async close(): Promise<void> {
      const current = pool;
      pool = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

/**
 * Stops the statement running on the connection `threadId` (a timeout, an interrupt), from a connection of
 * its own opened for it: one of the pool may all be busy (`pool: 1`, its one connection running the
 * statement), and a KILL that waited for one would stop whatever that connection ran by then.
 * @see https://mariadb.com/kb/en/kill/
 */
function killQuery(options: PoolOptions, threadId: number): Promise<void> {
  const { connectionLimit: _limit, ...single } = options;
  return createConnection({ ...single, multipleStatements: false })
    .then(async (connection) => {
      try {
        await connection.query(`KILL QUERY ${Number(threadId)}`);
      } finally {
        connection.destroy();
      }
    })
    .catch(() => undefined);
}

/** Connections of each pool handed out and not yet given back. */
const checkedOut = new WeakMap<Pool, number>();

/** How long an operation waits for a connection of a busy pool: the connection's `timeout`, as for PostgreSQL. */
function readPoolWait(config: DatabaseConnection): { ms: number; described: string } {
  if (config.timeout !== undefined) return { ms: config.timeout, described: `${config.timeout} ms (the connection's "timeout")` };
  return { ms: DEFAULT_DB_TIMEOUT, described: `${DEFAULT_DB_TIMEOUT} ms (the default "timeout")` };
}

/**
 * A connection of `pool`; a server's refusal to open one (wrong password, unknown database) is marked as such.
 * mysql2 waits for a connection of a busy pool (all `size` held, by transactions of other runs) without a
 * limit: the wait is bounded by `wait`, and its error says the pool was busy, not that the statement was slow.
 */
async function openConnection(pool: Pool, size: number, wait: { ms: number; described: string }): Promise<PoolConnection> {
  const busy = (checkedOut.get(pool) ?? 0) >= size;
  const getting = pool.getConnection().then((connection) => {
    checkedOut.set(pool, (checkedOut.get(pool) ?? 0) + 1);
    return connection;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    if (!busy) return await getting;
    const limit = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(createPoolWaitError(size, wait.described)), wait.ms);
    });
    return await Promise.race([getting, limit]);
  } catch (error) {
    // Gave up waiting: the connection that comes free later goes back to the pool.
    getting.then(
      (connection) => giveBack(pool, connection),
      () => undefined,
    );
    // The server's own errors carry a SQLSTATE (28000 access denied, 42000 unknown database); a network one does not.
    if (typeof (error as { sqlState?: unknown } | null)?.sqlState === 'string' || isTlsRefusal(error)) throw markConnectFailure(error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Connections closed while an operation used them (a result past its limit): they do not go back to the pool. */
const closed = new WeakSet<PoolConnection>();

/**
 * Closes a connection in use, its socket at once: mysql2's destroy() only ends the socket's writing side,
 * and goes on reading (and parsing) every row the server still sends. {@link giveBack} then leaves it out of the pool.
 */
function closeConnection(connection: PoolConnection): void {
  closed.add(connection);
  connection.destroy();
  (connection.connection as unknown as { stream?: { destroy(): void } }).stream?.destroy();
}

/** Gives a connection back to its pool (`broken`: closes it instead). */
function giveBack(pool: Pool, connection: PoolConnection, broken = false): void {
  checkedOut.set(pool, Math.max(0, (checkedOut.get(pool) ?? 0) - 1));
  if (closed.has(connection)) return;
  if (broken) connection.destroy();
  else connection.release();
}

/**
 * A pool whose sessions run in UTC: the server converts TIMESTAMP values (and NOW(), FROM_UNIXTIME…)
 * to the session's time zone, and the driver reads them as UTC (`timezone: 'Z'`). A server whose
 * time zone is SYSTEM on a machine that is not on UTC would otherwise give instants hours off.
 * The statement is queued on each new connection before anything else runs on it.
 */
function createUtcPool(options: PoolOptions): Pool {
  const created = createPool(options);
  created.pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'", () => undefined);
  });
  return created;
}

/**
 * A param for `query` (multipleStatements), where mysql2 writes the values into the text itself: an
 * object or array becomes its JSON text, as a prepared statement binds it. mysql2 would write an array
 * as a list of values (`[1, 2]` filling one `?` with `1, 2`, so a variable's value changed the
 * statement's shape) and an object as `[object Object]`, or as `col = value` pairs after SET (a
 * variable choosing which columns an UPDATE writes).
 * @see https://sidorares.github.io/node-mysql2/docs/documentation/extras#escaping-query-values
 */
function toQueryValue(value: unknown): unknown {
  if (value === undefined) return null;
  return value !== null && typeof value === 'object' && !Buffer.isBuffer(value) ? JSON.stringify(value) : value;
}

const IDENTIFIER_PROBE = 'sortie_identifier_placeholder_probe';

/**
 * Throws when a param would fill a `??`: mysql2's `query` (multipleStatements) writes it into the text
 * as a name (`SELECT ?? FROM t` with "password" reads the column password), so the variable would
 * choose what the statement reads or writes. A prepared statement has no `??` (a syntax error there).
 * Found by formatting the text with a probe value, which mysql2 quotes as a name only there.
 */
function refuseIdentifierPlaceholders(connection: PoolConnection, sql: string, count: number): void {
  if (count === 0) return;
  const probe = connection.format(
    sql,
    Array.from({ length: count }, () => IDENTIFIER_PROBE),
  );
  if (probe.includes(`\`${IDENTIFIER_PROBE}\``))
    throw new Error(
      '"??" would take a name (a column or table) from "params", so a value would choose what the statement reads: write the name in the SQL',
    );
}

/** The number of placeholders of a prepared statement, as the server reported them. */
function countPlaceholders(statement: unknown): number {
  const parameters = (statement as { statement?: { parameters?: unknown[] } }).statement?.parameters;
  return Array.isArray(parameters) ? parameters.length : 0;
}

/** Throws (a database error of the operation) when `given` params do not match `expected` placeholders. */
function checkParamCount(given: number, expected: number): void {
  if (given === expected) return;
  const params = `${given} ${given === 1 ? 'param was' : 'params were'}`;
  throw new Error(`${params} given for ${expected} ${expected === 1 ? 'placeholder' : 'placeholders'} (?)`);
}

const TRANSACTION: Record<NonNullable<DbOperation['transaction']>, (connection: PoolConnection) => Promise<void>> = {
  begin: (connection) => connection.beginTransaction(),
  commit: (connection) => connection.commit(),
  rollback: (connection) => connection.rollback(),
};

function readPoolOptions(config: DatabaseConnection): PoolOptions {
  const options: PoolOptions = {
    connectionLimit: config.pool ?? DEFAULT_POOL_SIZE,
    multipleStatements: true,
    connectTimeout: config.timeout ?? DEFAULT_DB_TIMEOUT,
    // BIGINT → number when safe, else string; DATETIME read as UTC and reported as ISO text.
    supportBigNumbers: true,
    bigNumberStrings: false,
    timezone: 'Z',
    jsonStrings: true,
    // Rows as arrays with their fields: two columns of the same name both keep their value (see row-objects.ts).
    rowsAsArray: true,
    typeCast: (field, next) => {
      if (field.type === 'FLOAT') return toShortestFloat(next());
      if (DATE_TYPES.has(field.type)) return readDateText(field.string(), field.length);
      if (field.type === 'TIME') return readTimeText(field.string(), field.length);
      // An integer beyond 2^53 inside a JSON column stays its digits, like a BIGINT.
      // (jsonStrings: next() gives the text; MariaDB's JSON is a LONGTEXT marked json in its extended metadata.)
      if (field.type === 'JSON' || (field as { extendedFormat?: string }).extendedFormat === 'json') {
        const text = next();
        return typeof text === 'string' ? parseJsonKeepingIntegers(text) : text;
      }
      return next();
    },
  };
  if (config.url !== undefined) options.uri = config.url;
  else Object.assign(options, serverFields(config, 3306));
  const tls = readTlsOptions(config);
  if (tls !== undefined) options.ssl = tls;
  return options;
}

const DATE_TYPES = new Set(['DATE', 'NEWDATE', 'DATETIME', 'TIMESTAMP']);

/**
 * A DATE, DATETIME or TIMESTAMP as the server sends its text (`2024-02-03 04:05:06.123456`; in UTC, the
 * session's time zone): a Date when it is a day of the calendar, else the text itself. MySQL keeps
 * dates that are none (`0000-00-00`, `2024-00-10`, `2024-02-00`) unless sql_mode forbids them: mysql2
 * made them null, 1899-11-30 or another day (2024-00-10 → 2023-12-10).
 * @see https://dev.mysql.com/doc/refman/8.4/en/date-and-time-types.html
 */
function readDateText(text: string | null, width: number | undefined): Date | string | null {
  if (text === null) return null;
  // The binary protocol sends a zero DATETIME(3) without its fraction ('0000-00-00 00:00:00'); the text protocol with it.
  if (text.length === 19 && width !== undefined && width > 20) text = `${text}.${'0'.repeat(width - 20)}`;
  const parts = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/.exec(text);
  if (parts === null) return text;
  const [year, month, day, hours, minutes, seconds] = parts.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const date = new Date(Date.UTC(2000, month! - 1, day!, hours, minutes, seconds, Number((parts[7] ?? '').padEnd(3, '0').slice(0, 3))));
  date.setUTCFullYear(year!);
  return date.getUTCMonth() === month! - 1 && date.getUTCDate() === day ? withSubMilliseconds(date, parts[7]) : text;
}

/**
 * A TIME as the server prints it, with as many fraction digits as the column has (`TIME(3)`:
 * `12:34:56.100`, `-00:00:00.500`). The binary protocol of prepared statements sends the value as
 * numbers and mysql2 drops the fraction's trailing zeros (`12:34:56.1`, and `12:34:56` for `.000`),
 * while the text protocol of `multipleStatements` gives the server's text. The column's width is
 * 10 (`-838:59:59`), plus 1 and the fraction digits.
 */
function readTimeText(text: string | null, width: number | undefined): string | null {
  if (text === null || width === undefined || width <= 11) return text;
  const digits = width - 11;
  const [whole, fraction = ''] = text.split('.');
  return fraction.length >= digits ? text : `${whole}.${fraction.padEnd(digits, '0')}`;
}

/**
 * A FLOAT column holds a 4-byte float: the binary protocol of prepared statements sends those bytes and
 * mysql2 widens them to a double (1.1 → 1.100000023841858). As the server prints it (and as the text
 * protocol of `multipleStatements` reads it), the value is the shortest decimal that is the same float.
 */
function toShortestFloat(value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  const single = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return Number(single.toPrecision(9));
}

/** A command of mysql2's own connection run without a callback: it emits each result set's fields, then its rows one by one. */
interface CommandEvents {
  on(event: string, listener: (...args: never[]) => void): unknown;
}
interface CoreConnection {
  query(sql: string, values: unknown[]): CommandEvents;
  execute(sql: string, values: unknown[]): CommandEvents;
  once(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The result of `command`, its rows counted within `budget` as they come (mysql2's callback and promise
 * forms keep every row until the last one). Past the budget no more rows are kept and the operation
 * fails: at once after `close` (which closes the connection), else once the statement has ended.
 * A result set begins with a `fields` event (undefined for a write, whose status comes as the one result).
 */
function readCommand(
  connection: CoreConnection,
  command: CommandEvents,
  budget: ResultBudget,
  close: (() => void) | undefined,
): Promise<DbResult> {
  let lost: ((error: Error) => void) | undefined;
  const reading = new Promise<DbResult>((resolve, reject) => {
    // A command without a callback is not told when the connection fails (the server went away, or
    // killed it): mysql2 tells the connection only.
    lost = reject;
    connection.once('error', lost);
    const sets: { fields: unknown; rows: unknown[][]; header?: ResultSetHeader }[] = [];
    let overflow: Error | undefined;
    command.on('fields', (fields: unknown) => {
      sets.push({ fields, rows: [] });
    });
    command.on('result', (row: unknown) => {
      const current = sets.at(-1);
      if (!Array.isArray(row)) {
        if (current === undefined || current.header !== undefined)
          sets.push({ fields: undefined, rows: [], header: row as ResultSetHeader });
        else current.header = row as ResultSetHeader;
        return;
      }
      if (overflow !== undefined || current === undefined) return;
      try {
        budget.add(row);
      } catch (error) {
        overflow = error as Error;
        for (const set of sets) set.rows = [];
        if (close !== undefined) {
          close();
          reject(overflow);
        }
        return;
      }
      current.rows.push(row);
    });
    command.on('error', (error: Error) => reject(overflow ?? error));
    command.on('end', () => {
      if (overflow !== undefined) return reject(overflow);
      const statements = sets.map((set) =>
        set.header !== undefined ? readResult(set.header, undefined) : readResult(set.rows, set.fields),
      );
      if (statements.length <= 1) return resolve(statements[0] ?? { rowCount: 0 });
      resolve({ ...statements[statements.length - 1]!, statements });
    });
  });
  return reading.finally(() => {
    if (lost !== undefined) connection.off('error', lost);
  });
}

function isResultSetHeader(value: unknown): value is ResultSetHeader {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'affectedRows' in value && 'insertId' in value;
}

/** Converts the result of one statement: its rows (arrays, with `fields` naming their columns) or what it changed. */
function readResult(result: unknown, fields: unknown): DbResult {
  if (isResultSetHeader(result)) {
    const out: DbResult = { rowCount: result.affectedRows, affectedRows: result.affectedRows };
    const insertId = toJsonSafe(result.insertId);
    if ((typeof insertId === 'number' && insertId !== 0) || typeof insertId === 'string') out.insertId = insertId;
    return out;
  }
  const names = Array.isArray(fields) ? fields.map((field) => String((field as { name?: unknown }).name)) : [];
  const rows = Array.isArray(result) ? toRowObjects(names, result as unknown[][], toJsonSafe) : [];
  return { rows, rowCount: rows.length };
}
