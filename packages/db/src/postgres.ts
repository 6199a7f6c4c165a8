/**
 * PostgreSQL through pg. Every statement goes through the extended query protocol, so `$1`
 * placeholders are bound by the server and a statement text can hold only one statement; with
 * `multipleStatements` (and no params) it goes through the simple query protocol instead.
 * @see https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
 */

import pg from 'pg';
import { throwIfCancelled } from './cancel-signal.js';
import { createPoolWaitError, isTlsRefusal, markConnectFailure } from './db-error.js';
import { readFraction, withSubMilliseconds } from './fraction-of-second.js';
import { parseSafeInteger, toJsonSafe } from './json-safe.js';
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

const INT8_OID = 20;
const TIMESTAMP_OID = 1114;
const DATE_OID = 1082;
const TIMESTAMPTZ_OID = 1184;
const TIMESTAMPTZ_ARRAY_OID = 1185;
const INTERVAL_OID = 1186;
const INTERVAL_ARRAY_OID = 1187;
const TEXT_ARRAY_OID = 1009;
const INT8_ARRAY_OID = 1016;
const TIMESTAMP_ARRAY_OID = 1115;
const DATE_ARRAY_OID = 1182;
const NUMERIC_ARRAY_OID = 1231;
const JSON_OID = 114;
const JSON_ARRAY_OID = 199;
const JSONB_OID = 3802;
const JSONB_ARRAY_OID = 3807;
/** Commands whose row count is the number of rows written. */
const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

/** A DATE is midnight UTC, like MySQL's DATE (pg's own parser uses the process's time zone). */
function parseDate(text: string): Date | string {
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? text : date;
}

/** A timestamp without time zone is read as UTC, like MySQL DATETIME. */
function parseTimestamp(text: string): Date | string {
  const date = new Date(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? text : withSubMilliseconds(date, readFraction(text));
}

/**
 * A TIMESTAMPTZ through pg's parser (its offset applied), with the microseconds a Date cannot hold.
 * `infinity` and `-infinity` (pg's parser: the number Infinity) are the text, as for a TIMESTAMP.
 */
function parseTimestampTz(text: string): unknown {
  const parsed = (builtinParser(TIMESTAMPTZ_OID) as (text: string) => unknown)(text);
  return parsed instanceof Date ? withSubMilliseconds(parsed, readFraction(text)) : text;
}

/** pg-types' parser of the text form of an array (`{a,b}`), each element (never NULL) through `parse`. */
const arrayParser = (pg.types as unknown as { arrayParser: ArrayParser }).arrayParser;
interface ArrayParser {
  create(text: string, parse: (element: string) => unknown): { parse(): unknown[] };
}

/** An array whose elements read as the scalar type's own: `bigint[]`, `timestamp[]`, `date[]` like `bigint`… */
function parseArrayOf(parse: (element: string) => unknown): (text: string) => unknown[] {
  return (text) => arrayParser.create(text, parse).parse();
}

function builtinParser(oid: number, format?: string): unknown {
  return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
}

const typeParsers = {
  getTypeParser(oid: number, format?: string): unknown {
    if (oid === INT8_OID && format !== 'binary') return parseSafeInteger;
    if (oid === TIMESTAMP_OID && format !== 'binary') return parseTimestamp;
    if (oid === DATE_OID && format !== 'binary') return parseDate;
    if (oid === TIMESTAMPTZ_OID && format !== 'binary') return parseTimestampTz;
    if (oid === TIMESTAMPTZ_ARRAY_OID && format !== 'binary') return parseArrayOf(parseTimestampTz);
    // An INTERVAL is the text PostgreSQL prints ('1 day 02:00:00'): pg's own parser makes an object
    // of its parts, and a zero interval an empty object.
    if (oid === INT8_ARRAY_OID && format !== 'binary') return parseArrayOf(parseSafeInteger);
    if (oid === TIMESTAMP_ARRAY_OID && format !== 'binary') return parseArrayOf(parseTimestamp);
    if (oid === DATE_ARRAY_OID && format !== 'binary') return parseArrayOf(parseDate);
    // NUMERIC is text (pg's default, exact); pg parses NUMERIC[] elements as floats, which round.
    if (oid === NUMERIC_ARRAY_OID && format !== 'binary') return builtinParser(TEXT_ARRAY_OID, format);
    if (oid === INTERVAL_OID && format !== 'binary') return String;
    // JSON and JSONB keep an integer beyond 2^53 as its digits, like a BIGINT.
    if ((oid === JSON_OID || oid === JSONB_OID) && format !== 'binary') return parseJsonKeepingIntegers;
    if ((oid === JSON_ARRAY_OID || oid === JSONB_ARRAY_OID) && format !== 'binary') return parseArrayOf(parseJsonKeepingIntegers);
    if (oid === INTERVAL_ARRAY_OID && format !== 'binary') return builtinParser(TEXT_ARRAY_OID, format);
    return builtinParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/** Creates the PostgreSQL driver of one connection; the pool opens connections on first use. */
export function createPostgresDriver(config: DatabaseConnection): DbDriver {
  const connectTimeout = readConnectTimeout(config);
  const options = readPoolConfig(config, connectTimeout.ms);
  let pool: pg.Pool | undefined;
  const getPool = (): pg.Pool => {
    if (pool === undefined) {
      pool = new pg.Pool(options);
      // An idle client that loses its connection must not crash the process.
      pool.on('error', () => undefined);
    }
    return pool;
  };
  /** A connection of the pool; pg's own words for a connect timeout say which limit ended it. */
  const connect = async (): Promise<pg.PoolClient> => {
    try {
      return await getPool().connect();
    } catch (error) {
      // A SQLSTATE here is the server refusing the login (28P01 password, 3D000 unknown database).
      if (hasSqlState(error)) throw markConnectFailure(error);
      // A server that will not talk TLS (The server does not support SSL connections) refused the connection too.
      if (isTlsRefusal(error)) throw markConnectFailure(error);
      throw explainConnectTimeout(error, connectTimeout.described, options.max ?? DEFAULT_POOL_SIZE);
    }
  };

  /** Runs `op` on `client`; a timeout cancels the statement on the server too. */
  const run = async (client: pg.PoolClient, op: DbOperation, signal?: CancelSignal, held = false): Promise<DbResult> => {
    const processId = (client as unknown as { processID?: number }).processID;
    const cancel = () => {
      if (processId !== undefined) cancelBackend(options, processId);
    };
    const stopListening = signal?.onAbort(cancel);
    try {
      throwIfCancelled(signal);
      if (op.transaction !== undefined) {
        const ended = await client.query(op.transaction.toUpperCase());
        if (op.transaction === 'commit' && ended.command === 'ROLLBACK') throw abortedCommit();
        return { rowCount: 0 };
      }
      const simple = op.multipleStatements === true && (op.params ?? []).length === 0;
      // Rows as arrays: two columns of the same name both keep their value (see row-objects.ts).
      const query = { text: op.sql ?? '', values: op.params ?? [], rowMode: 'array', ...(simple ? {} : { queryMode: 'extended' }) };
      // Past the result limit the server cancels the statement; the connection is given back only once it has.
      // In a transaction the rest of the rows are read and dropped instead: a cancel would abort it.
      const stopAtLimit = () => (processId === undefined || held ? Promise.resolve() : cancelBackend(options, processId));
      const result = await queryWithin(client, query as pg.QueryConfig, new ResultBudget(readResultLimit(op, config)), stopAtLimit);
      return Array.isArray(result) ? readMultipleResults(result) : readResult(result);
    } finally {
      stopListening?.();
    }
  };

  return {
    async execute(op: DbOperation, signal?: CancelSignal): Promise<DbResult> {
      const client = await connect();
      let broken: Error | undefined;
      try {
        return await run(client, op, signal);
      } catch (error) {
        // Errors of the server carry a five-character SQLSTATE; anything else may have broken the connection,
        // and so do the server's own words for ending it (57P01 pg_terminate_backend, a shutdown; 08… connection).
        if (!hasSqlState(error) || endsConnection(error)) broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async reserve(): Promise<DbSession> {
      const client = await connect();
      // The pool listens for errors of idle clients only: one held for a transaction whose connection
      // the server closes (a restart, pg_terminate_backend) would emit 'error' with no listener and end
      // the process. Keep the error; the next operation of the transaction fails with it.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost ??= error;
      };
      client.on('error', onError);
      return {
        execute: (op, signal) => (lost === undefined ? run(client, op, signal, true) : Promise.reject(lost)),
        release: (broken) => {
          client.off('error', onError);
          client.release(broken === true || lost !== undefined ? new Error('closed after a failed transaction') : undefined);
        },
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
 * Runs `config` on `client` and reads its rows one at a time within `budget` (pg would keep every row of
 * the result until the last one came). Past the budget no more rows are kept, `stop` has the server cancel
 * the statement, and the operation fails once the statement has ended and `stop` is done (the connection
 * stays usable; a transaction is aborted, as by any failed statement).
 */
function queryWithin(
  client: pg.PoolClient,
  config: pg.QueryConfig,
  budget: ResultBudget,
  stop: () => Promise<void>,
): Promise<pg.QueryResult | pg.QueryResult[]> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query(config);
    // With a "row" listener pg keeps no row itself: each result's rows are kept here.
    const rows = new Map<unknown, unknown[]>();
    let overflow: Error | undefined;
    let stopped: Promise<void> = Promise.resolve();
    query.on('row', (row: unknown, result?: unknown) => {
      if (overflow !== undefined) return;
      try {
        budget.add(row);
      } catch (error) {
        overflow = error as Error;
        rows.clear();
        stopped = stop();
        return;
      }
      const kept = rows.get(result);
      if (kept === undefined) rows.set(result, [row]);
      else kept.push(row);
    });
    query.on('error', (error: Error) => {
      if (overflow === undefined) reject(error);
      else void stopped.then(() => reject(overflow));
    });
    query.on('end', (ended: unknown) => {
      if (overflow !== undefined) return void stopped.then(() => reject(overflow));
      const results = (Array.isArray(ended) ? ended : [ended]) as pg.QueryResult[];
      for (const result of results) result.rows = (rows.get(result) ?? []) as pg.QueryResult['rows'];
      resolve(ended as pg.QueryResult | pg.QueryResult[]);
    });
    client.query(query);
  });
}

/**
 * Cancels the statement the server process `processId` runs (a timeout, an interrupt), from a connection
 * of its own opened for it: the pool's may all be busy (`pool: 1`, its one connection running the
 * statement), and a cancel that waited for one would come too late, or cancel what that process ran by then.
 * @see https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL
 */
function cancelBackend(options: pg.PoolConfig, processId: number): Promise<void> {
  const client = new pg.Client(options);
  client.on('error', () => undefined);
  return client
    .connect()
    .then(() => client.query('SELECT pg_cancel_backend($1)', [processId]))
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => client.end().catch(() => undefined));
}

/**
 * COMMIT of a transaction in which a statement failed: PostgreSQL rolls it back and answers with the
 * command tag ROLLBACK, not an error, so the commit looked done while nothing of the transaction was kept.
 * @see https://www.postgresql.org/docs/current/sql-commit.html
 */
function abortedCommit(): Error {
  return Object.assign(
    new Error(
      'the transaction was rolled back, not committed: a statement in it failed, which aborts a PostgreSQL transaction, so nothing it wrote was kept',
    ),
    { code: '25P02' },
  );
}

/**
 * A server error after which the connection is gone: class 57P (operator intervention: terminated by an
 * administrator, a shutdown) and class 08 (connection exception).
 * @see https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function endsConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('57P') || code.startsWith('08'));
}

function hasSqlState(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * How long a connection may take to open: the connection's `timeout`, else `connect_timeout` of the
 * url, else the default. pg's JavaScript client leaves `connect_timeout` to its native client, so it
 * is read here, as libpq reads it: whole seconds, 0 (or less) waits as long as the operation's timeout
 * allows, 1 is read as 2 (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT).
 */
function readConnectTimeout(config: DatabaseConnection): { ms: number; described: string } {
  if (config.timeout !== undefined) return { ms: config.timeout, described: `${config.timeout} ms (the connection's "timeout")` };
  const text = config.url === undefined ? null : readUrlParameter(config.url, 'connect_timeout');
  if (text === null) return { ms: DEFAULT_DB_TIMEOUT, described: `${DEFAULT_DB_TIMEOUT} ms (the default "timeout")` };
  if (!/^\s*[-+]?[0-9]+\s*$/.test(text))
    throw new Error(`connect_timeout in the url expects a whole number of seconds, got "${text.slice(0, 40)}"`);
  const seconds = Number(text);
  if (seconds <= 0) return { ms: 0, described: 'connect_timeout 0 (no limit of its own)' };
  const ms = Math.max(2, seconds) * 1000;
  return { ms, described: `${ms / 1000} s (connect_timeout in the url)` };
}

/** A query parameter of a connection url; null when absent or the url is no URL (pg then reports it). */
function readUrlParameter(url: string, name: string): string | null {
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}

/**
 * pg-pool's errors at connectionTimeoutMillis, in words that name the limit: a new connection the
 * server did not complete (ETIMEDOUT, "Database connection failed"), or a wait for a busy pool's
 * connection to come free (pg-pool bounds both with the one setting).
 */
function explainConnectTimeout(error: unknown, described: string, poolSize: number): unknown {
  const message = error instanceof Error ? error.message : '';
  if (message === 'Connection terminated due to connection timeout')
    return Object.assign(new Error(`the server did not complete the connection within ${described}`), { code: 'ETIMEDOUT' });
  if (message === 'timeout exceeded when trying to connect') return createPoolWaitError(poolSize, described);
  return error;
}

function readPoolConfig(config: DatabaseConnection, connectTimeoutMs: number): pg.PoolConfig {
  const options: pg.PoolConfig = {
    max: config.pool ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: connectTimeoutMs,
    types: typeParsers,
  };
  if (config.url !== undefined) options.connectionString = config.url;
  else Object.assign(options, serverFields(config, 5432));
  const tls = readTlsOptions(config);
  if (tls !== undefined) options.ssl = tls;
  return options;
}

/** The rows of a result read with rowMode 'array', as objects. */
function readRows(result: pg.QueryResult): unknown[] {
  const names = result.fields.map((field) => field.name);
  return toRowObjects(names, (result.rows ?? []) as unknown[][], toJsonSafe);
}

function readResult(result: pg.QueryResult): DbResult {
  const rowCount = result.rowCount ?? 0;
  if (WRITE_COMMANDS.has(result.command)) {
    const out: DbResult = { rowCount, affectedRows: rowCount };
    // INSERT … RETURNING / UPDATE … RETURNING also return rows.
    if (result.fields.length > 0) out.rows = readRows(result);
    return out;
  }
  const rows = readRows(result);
  return { rows, rowCount: result.fields.length > 0 ? rows.length : rowCount };
}

function readMultipleResults(results: pg.QueryResult[]): DbResult {
  const statements = results.map((result) => readResult(result));
  if (statements.length === 0) return { rowCount: 0 };
  return { ...statements[statements.length - 1]!, statements };
}
