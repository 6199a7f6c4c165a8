/**
 * MongoDB through the official driver. Filters, documents, updates, pipelines and options are
 * Extended JSON (canonical or relaxed: `{"$oid": …}`, `{"$date": …}`), deserialised before they are
 * sent; results come back as relaxed Extended JSON so they are plain JSON.
 * @see https://www.mongodb.com/docs/manual/reference/mongodb-extended-json/
 */
import { type AbstractCursor, BSON, type Document, MongoClient, type MongoClientOptions } from 'mongodb';
import { toAbortSignal } from './cancel-signal.js';
import { markConnectFailure } from './db-error.js';
import { ResultBudget, readResultLimit } from './result-limit.js';
import { readTlsOptions } from './tls-options.js';
import {
  type CancelSignal,
  type DatabaseConnection,
  type DbDriver,
  type DbOperation,
  type DbResult,
  DEFAULT_DB_TIMEOUT,
  DEFAULT_POOL_SIZE,
  type MongoOperation,
} from './types.js';

/** Creates the MongoDB driver of one connection; the client connects on first use. */
export function createMongoDriver(config: DatabaseConnection): DbDriver {
  const { url, options } = readClientOptions(config);
  let client: MongoClient | undefined;

  return {
    async execute(op: DbOperation, signal?: CancelSignal): Promise<DbResult> {
      client ??= new MongoClient(url, options);
      // Connect first (at once when connected) so a refused login (Authentication failed) is told apart
      // from an error of the operation.
      await client.connect().catch((error: unknown) => {
        throw markConnectFailure(error);
      });
      const database = config.database === undefined ? undefined : String(config.database);
      // The MongoDB driver takes a real AbortSignal (its `signal` option).
      const budget = new ResultBudget(readResultLimit(op, config));
      return runOperation(client.db(database), op.mongo!, budget, signal === undefined ? undefined : toAbortSignal(signal));
    },
    async close(): Promise<void> {
      const current = client;
      client = undefined;
      await current?.close().catch(() => undefined);
    },
  };
}

function readClientOptions(config: DatabaseConnection): { url: string; options: MongoClientOptions } {
  const timeout = config.timeout ?? DEFAULT_DB_TIMEOUT;
  const options: MongoClientOptions = {
    maxPoolSize: config.pool ?? DEFAULT_POOL_SIZE,
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
  };
  // The driver lets these options override the URL's: an option the URL sets (`?serverSelectionTimeoutMS=500`)
  // is the user's, so it keeps it unless the connection's own field (`timeout`, `pool`) says otherwise.
  const inUrl = readUrlOptionNames(config.url);
  if (config.pool === undefined && inUrl.has('maxpoolsize')) delete options.maxPoolSize;
  if (config.timeout === undefined && inUrl.has('serverselectiontimeoutms')) delete options.serverSelectionTimeoutMS;
  if (config.timeout === undefined && inUrl.has('connecttimeoutms')) delete options.connectTimeoutMS;
  const tls = readTlsOptions(config);
  if (tls !== undefined) {
    options.tls = true;
    if (tls.ca !== undefined) options.ca = tls.ca;
    if (tls.rejectUnauthorized === false) options.tlsAllowInvalidCertificates = true;
    if (tls.servername !== undefined) options.servername = tls.servername;
  }
  if (config.url !== undefined) return { url: config.url, options };
  if (config.user !== undefined) {
    options.auth = { username: config.user };
    if (config.password !== undefined) options.auth.password = config.password;
  }
  return { url: `mongodb://${config.host ?? '127.0.0.1'}:${config.port ?? 27017}/`, options };
}

/**
 * The names of the options in a connection string's query, in lower case (MongoDB reads them in any case).
 * @see https://www.mongodb.com/docs/manual/reference/connection-string-options/
 */
function readUrlOptionNames(url: string | undefined): Set<string> {
  const query = url?.split('#')[0]?.split('?')[1];
  if (query === undefined) return new Set();
  return new Set(query.split('&').map((pair) => (pair.split('=')[0] ?? '').toLowerCase()));
}

/**
 * Extended JSON (canonical or relaxed) → BSON values. A `$numberLong` becomes a bigint, sent as a
 * 64-bit integer (relaxed reading alone makes it a JS number, rounded beyond 2^53).
 */
function fromExtendedJson<T>(value: unknown, field: string): T {
  const converted = BSON.EJSON.deserialize(value as Document, { relaxed: true, useBigInt64: true }) as T;
  refuseInvalidDates(converted, field);
  return converted;
}

/**
 * Throws for a `{"$date": …}` that is no date (`"not a date"`, `"2024-13-45"`): the driver would store
 * it as 1970-01-01, silently.
 */
function refuseInvalidDates(value: unknown, path: string): void {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new Error(
        `${path}: {"$date": …} is not a date; write ISO 8601 text ("2024-02-03T04:05:06Z") or {"$numberLong": "<ms since 1970>"}`,
      );
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) refuseInvalidDates(item, `${path}[${index}]`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return;
  for (const [key, item] of Object.entries(value)) refuseInvalidDates(item, `${path}.${key}`);
}

/**
 * BSON values → relaxed Extended JSON (plain JSON). A 64-bit integer beyond 2^53 (the driver keeps
 * it as a Long) becomes its digits as a string, as a SQL BIGINT does; relaxed Extended JSON would
 * round it to the nearest double.
 */
function toExtendedJson(value: unknown): unknown {
  return BSON.EJSON.serialize(unsafeLongsAsText(value), { relaxed: true });
}

/** Copies plain objects and arrays with every Long replaced by its digits; anything else is kept as it is. */
function unsafeLongsAsText(value: unknown): unknown {
  if (value instanceof BSON.Long) return value.toString();
  if (Array.isArray(value)) return value.map(unsafeLongsAsText);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = unsafeLongsAsText(item);
  return out;
}

/** The id of an inserted or upserted document: the hex string of an ObjectId, a plain id as is. */
function readInsertId(id: unknown): string | number | undefined {
  if (id instanceof BSON.ObjectId) return id.toHexString();
  if (typeof id === 'string' || typeof id === 'number') return id;
  if (id === undefined || id === null) return undefined;
  return JSON.stringify(toExtendedJson(id));
}

/**
 * The documents of a cursor, read one batch at a time within `budget`; past it the cursor is closed (the
 * server drops the rest) and the operation fails.
 */
async function readCursor(cursor: AbstractCursor<Document>, budget: ResultBudget): Promise<unknown[]> {
  const documents: unknown[] = [];
  try {
    for await (const document of cursor) {
      budget.add(document);
      documents.push(document);
    }
  } finally {
    await cursor.close().catch(() => undefined);
  }
  return toExtendedJson(documents) as unknown[];
}

async function runOperation(
  db: ReturnType<MongoClient['db']>,
  mongo: MongoOperation,
  budget: ResultBudget,
  signal?: AbortSignal,
): Promise<DbResult> {
  const collection = db.collection(mongo.collection);
  const filter = fromExtendedJson<Document>(mongo.filter ?? {}, 'filter');
  const options = fromExtendedJson<Document>(mongo.options ?? {}, 'options');
  const readOptions = signal === undefined ? options : { ...options, signal };
  switch (mongo.op) {
    case 'find': {
      const rows = await readCursor(collection.find(filter, readOptions), budget);
      return { rows, rowCount: rows.length };
    }
    case 'findOne': {
      const document = await collection.findOne(filter, readOptions);
      const value = document === null ? null : toExtendedJson(document);
      return { rows: value === null ? [] : [value], rowCount: value === null ? 0 : 1, value };
    }
    case 'aggregate': {
      const pipeline = fromExtendedJson<Document[]>(mongo.pipeline ?? [], 'pipeline');
      const rows = await readCursor(collection.aggregate(pipeline, readOptions), budget);
      return { rows, rowCount: rows.length };
    }
    case 'countDocuments': {
      const count = await collection.countDocuments(filter, readOptions);
      return { rowCount: count, value: count };
    }
    case 'insertOne': {
      const result = await collection.insertOne(fromExtendedJson<Document>(mongo.document, 'document'), options);
      const out: DbResult = { rowCount: 1, affectedRows: 1, value: toExtendedJson({ insertedId: result.insertedId }) };
      const insertId = readInsertId(result.insertedId);
      if (insertId !== undefined) out.insertId = insertId;
      return out;
    }
    case 'insertMany': {
      const result = await collection.insertMany(fromExtendedJson<Document[]>(mongo.documents ?? [], 'documents'), options);
      const insertedIds = Object.values(result.insertedIds);
      return { rowCount: result.insertedCount, affectedRows: result.insertedCount, value: toExtendedJson({ insertedIds }) };
    }
    case 'updateOne':
    case 'updateMany': {
      const update = fromExtendedJson<Document | Document[]>(mongo.update, 'update');
      const result =
        mongo.op === 'updateOne'
          ? await collection.updateOne(filter, update, options)
          : await collection.updateMany(filter, update, options);
      const out: DbResult = {
        rowCount: result.matchedCount + result.upsertedCount,
        affectedRows: result.modifiedCount + result.upsertedCount,
        value: toExtendedJson({
          matchedCount: result.matchedCount,
          modifiedCount: result.modifiedCount,
          upsertedCount: result.upsertedCount,
          upsertedId: result.upsertedId,
        }),
      };
      const insertId = readInsertId(result.upsertedId);
      if (insertId !== undefined) out.insertId = insertId;
      return out;
    }
    case 'deleteOne':
    case 'deleteMany': {
      const result = mongo.op === 'deleteOne' ? await collection.deleteOne(filter, options) : await collection.deleteMany(filter, options);
      return { rowCount: result.deletedCount, affectedRows: result.deletedCount, value: { deletedCount: result.deletedCount } };
    }
  }
}
