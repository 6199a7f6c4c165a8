/**
 * Database connections (`databases.<name>` in an environment or project file) and database
 * operations (the body of a `db` step or processor). Zod schemas are the source of truth; the
 * TypeScript types are inferred from them.
 */
import * as z from 'zod';
import { deferred, once } from './deferred-schema.js';
import { described, exactlyOne } from './schema-helpers.js';

// ---------------------------------------------------------------------------------------------
// Connections

/** `mariadb` is another name for `mysql` (the same driver); `sqlite` keeps its database in a file (`database`) or in memory. */
export const DATABASE_TYPES = ['mysql', 'mariadb', 'postgres', 'sqlite', 'mongodb', 'redis'] as const;
// ---------------------------------------------------------------------------------------------
// Operations

export const MONGO_OPERATIONS = [
  'find',
  'findOne',
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'deleteOne',
  'deleteMany',
  'aggregate',
  'countDocuments',
] as const;
/** Transaction control on a SQL connection; `begin` pins one connection to the scenario run until `commit` or `rollback`. */
export const TRANSACTION_ACTIONS = ['begin', 'commit', 'rollback'] as const;

/** The schemas of this file, built on first use (see deferred-schema.ts). */
const dbSchemas = once(() => {
  const DatabaseTlsSchema = z.union([
    described(z.boolean(), 'true: TLS with the system CAs; false: no TLS.'),
    z.strictObject({
      ca: described(z.string().min(1).optional(), 'Path of a PEM file with the CA certificate(s) to trust.'),
      rejectUnauthorized: described(z.boolean().optional(), 'Verify the server certificate (default true).'),
      servername: described(z.string().min(1).optional(), 'Server name for SNI and certificate checks (default: the host).'),
    }),
  ]);
  /** Fields that describe the server piece by piece; none of them may be combined with `url`. */
  const SERVER_FIELDS = ['host', 'port', 'user', 'password', 'database'] as const;

  const DatabaseConnectionSchema = z
    .strictObject({
      type: described(z.enum(DATABASE_TYPES), 'The database kind.'),
      url: described(
        z.string().min(1).optional(),
        'Connection URL (mysql://, postgres://, mongodb://, redis://). Exclusive with host/port/user/password/database. Not for sqlite.',
      ),
      host: described(z.string().min(1).optional(), 'Host name or address (default 127.0.0.1).'),
      port: described(z.number().int().min(1).max(65535).optional(), 'Port (default: the database type’s usual port).'),
      user: described(z.string().min(1).optional(), 'User name.'),
      password: described(z.string().optional(), 'Use a secret variable; the value never appears in reports or errors.'),
      database: described(
        z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
        'Database name (Redis: the database number; SQLite: the file path, relative to the working directory, or ":memory:").',
      ),
      tls: described(DatabaseTlsSchema.optional(), 'TLS settings of the connection.'),
      pool: described(z.number().int().positive().optional(), 'Maximum open connections (default 5; Redis uses one connection).'),
      timeout: described(z.number().int().positive().optional(), 'Connect timeout and default operation timeout in ms (default 30000).'),
      maxRows: described(
        z.number().int().positive().optional(),
        'Most rows (or MongoDB documents) an operation may return; more is a "Database result too large" error (default 100000).',
      ),
      maxResultBytes: described(
        z.number().int().positive().optional(),
        'Most bytes of values an operation may return, about the size of its JSON; more is a "Database result too large" error (default 104857600, 100 MiB).',
      ),
    })
    .superRefine((value, ctx) => {
      if (value.type === 'sqlite') {
        const other = (['url', 'host', 'port', 'user', 'password', 'tls'] as const).filter((k) => value[k] !== undefined);
        if (typeof value.database !== 'string')
          ctx.addIssue({ code: 'custom', message: 'expected "database" (a file path or ":memory:") in a sqlite connection' });
        if (other.length > 0)
          ctx.addIssue({
            code: 'custom',
            message: `expected no ${other.map((k) => `"${k}"`).join(', ')} in a sqlite connection: it is a file, named by "database"`,
          });
        return;
      }
      if (value.url === undefined) return;
      const mixed = SERVER_FIELDS.filter((k) => value[k] !== undefined);
      if (mixed.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `expected either "url" or ${SERVER_FIELDS.map((k) => `"${k}"`).join('/')} in a database connection, found "url" and ${mixed.map((k) => `"${k}"`).join(', ')}`,
        });
      }
    });
  const jsonObject = z.record(z.string(), z.unknown());

  /** The field each MongoDB operation cannot do without. */
  const MONGO_REQUIRED: Partial<Record<MongoOperationName, 'document' | 'documents' | 'update' | 'pipeline'>> = {
    insertOne: 'document',
    insertMany: 'documents',
    updateOne: 'update',
    updateMany: 'update',
    aggregate: 'pipeline',
  };

  const MongoOperationSchema = z
    .strictObject({
      collection: described(z.string().min(1), 'The collection.'),
      op: described(z.enum(MONGO_OPERATIONS), 'The MongoDB operation.'),
      filter: described(jsonObject.optional(), 'Query filter as Extended JSON (e.g. {"_id": {"$oid": "…"}}); default {}.'),
      document: described(jsonObject.optional(), 'insertOne: the document, as Extended JSON.'),
      documents: described(z.array(jsonObject).min(1).optional(), 'insertMany: the documents, as Extended JSON.'),
      update: described(
        z.union([jsonObject, z.array(jsonObject)]).optional(),
        'updateOne/updateMany: update operators ({"$set": …}) or an update pipeline.',
      ),
      pipeline: described(z.array(jsonObject).optional(), 'aggregate: the stages, as Extended JSON.'),
      options: described(jsonObject.optional(), 'Driver options of the operation (sort, projection, limit, skip, upsert, …).'),
    })
    .superRefine((value, ctx) => {
      const required = MONGO_REQUIRED[value.op];
      if (required !== undefined && value[required] === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected "${required}" for the MongoDB operation "${value.op}"` });
      }
    });
  const redisArgument = z.union([z.string(), z.number()]);
  const redisCommand = described(z.array(redisArgument).min(1), 'A Redis command and its arguments, e.g. ["HGETALL", "user:{{id}}"].');

  const RedisOperationSchema = z.union([
    redisCommand,
    z.strictObject({
      pipeline: described(z.array(redisCommand).min(1), 'Commands sent together; the result is the list of replies.'),
    }),
  ]);
  const DbOperationSchema = z
    .strictObject({
      connection: described(z.string().min(1), 'Name of a connection under `databases` of the environment.'),
      sql: described(z.string().min(1).optional(), 'SQL statement with placeholders: ? (MySQL, MariaDB, SQLite) or $1 (PostgreSQL).'),
      transaction: described(
        z.enum(TRANSACTION_ACTIONS).optional(),
        'begin: later operations on this connection in the scenario run use one connection, in a transaction; commit / rollback end it. Still open when the scenario run ends: rolled back.',
      ),
      params: described(z.array(z.unknown()).optional(), 'Values bound to the placeholders by the driver, never concatenated.'),
      multipleStatements: described(z.boolean().optional(), 'Allow several statements separated by ";" (default false).'),
      mongo: described(MongoOperationSchema.optional(), 'A MongoDB operation.'),
      redis: described(RedisOperationSchema.optional(), 'A Redis command.'),
      timeout: described(z.number().int().positive().optional(), 'Operation timeout in ms (default: the connection’s timeout).'),
      maxRows: described(
        z.number().int().positive().optional(),
        'Most rows (or MongoDB documents) this operation may return (default: the connection’s maxRows).',
      ),
      maxResultBytes: described(
        z.number().int().positive().optional(),
        'Most bytes of values this operation may return (default: the connection’s maxResultBytes).',
      ),
      as: described(z.string().min(1).optional(), 'Variable that receives the result.'),
    })
    .superRefine((value, ctx) => {
      exactlyOne(['sql', 'mongo', 'redis', 'transaction'], 'a db operation')(value, ctx);
      if (value.connection.includes('{{')) {
        // Connection names are read as written: "{{name}}" would only ever be an unknown connection.
        ctx.addIssue({
          code: 'custom',
          path: ['connection'],
          message: 'expected the name of a connection under "databases": "connection" takes no {{variables}}',
        });
      }
      if (value.sql?.includes('{{')) {
        // A template inside SQL text would be string concatenation: values go through `params`.
        ctx.addIssue({
          code: 'custom',
          path: ['sql'],
          message: 'expected no {{variables}} in "sql": put values in "params" and use placeholders (? or $1)',
        });
      }
      if (value.sql === undefined && (value.params !== undefined || value.multipleStatements !== undefined)) {
        ctx.addIssue({ code: 'custom', message: '"params" and "multipleStatements" apply to "sql" only' });
      }
    });
  return { DatabaseTlsSchema, DatabaseConnectionSchema, MongoOperationSchema, RedisOperationSchema, DbOperationSchema };
});

export const DatabaseTlsSchema = deferred(() => dbSchemas().DatabaseTlsSchema);
export const DatabaseConnectionSchema = deferred(() => dbSchemas().DatabaseConnectionSchema);
export const MongoOperationSchema = deferred(() => dbSchemas().MongoOperationSchema);
export const RedisOperationSchema = deferred(() => dbSchemas().RedisOperationSchema);
export const DbOperationSchema = deferred(() => dbSchemas().DbOperationSchema);

export type DatabaseType = (typeof DATABASE_TYPES)[number];

export type DatabaseTls = z.infer<typeof DatabaseTlsSchema>;

export type DatabaseConnection = z.infer<typeof DatabaseConnectionSchema>;

export type MongoOperationName = (typeof MONGO_OPERATIONS)[number];

export type MongoOperation = z.infer<typeof MongoOperationSchema>;

export type RedisOperation = z.infer<typeof RedisOperationSchema>;

export type TransactionAction = (typeof TRANSACTION_ACTIONS)[number];

export type DbOperation = z.infer<typeof DbOperationSchema>;
