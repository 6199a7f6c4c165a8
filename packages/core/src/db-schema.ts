/**
 * Database connections (`databases.<name>` in an environment or project file) and database
 * operations (the body of a `db` step or processor). Zod schemas are the source of truth; the
 * TypeScript types are inferred from them.
 */
import * as z from 'zod';
import { deferred, once } from './deferred-schema.js';
import { exactlyOne } from './schema-helpers.js';

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
    z.boolean().describe('true: TLS with the system CAs; false: no TLS.'),
    z.strictObject({
      ca: z.string().min(1).optional().describe('Path of a PEM file with the CA certificate(s) to trust.'),
      rejectUnauthorized: z.boolean().optional().describe('Verify the server certificate (default true).'),
      servername: z.string().min(1).optional().describe('Server name for SNI and certificate checks (default: the host).'),
    }),
  ]);
  /** Fields that describe the server piece by piece; none of them may be combined with `url`. */
  const SERVER_FIELDS = ['host', 'port', 'user', 'password', 'database'] as const;

  const DatabaseConnectionSchema = z
    .strictObject({
      type: z.enum(DATABASE_TYPES).describe('The database kind.'),
      url: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Connection URL (mysql://, postgres://, mongodb://, redis://). Exclusive with host/port/user/password/database. Not for sqlite.',
        ),
      host: z.string().min(1).optional().describe('Host name or address (default 127.0.0.1).'),
      port: z.number().int().min(1).max(65535).optional().describe('Port (default: the database type’s usual port).'),
      user: z.string().min(1).optional().describe('User name.'),
      password: z.string().optional().describe('Use a secret variable; the value never appears in reports or errors.'),
      database: z
        .union([z.string().min(1), z.number().int().nonnegative()])
        .optional()
        .describe('Database name (Redis: the database number; SQLite: the file path, relative to the working directory, or ":memory:").'),
      tls: DatabaseTlsSchema.optional().describe('TLS settings of the connection.'),
      pool: z.number().int().positive().optional().describe('Maximum open connections (default 5; Redis uses one connection).'),
      timeout: z.number().int().positive().optional().describe('Connect timeout and default operation timeout in ms (default 30000).'),
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
      collection: z.string().min(1).describe('The collection.'),
      op: z.enum(MONGO_OPERATIONS).describe('The MongoDB operation.'),
      filter: jsonObject.optional().describe('Query filter as Extended JSON (e.g. {"_id": {"$oid": "…"}}); default {}.'),
      document: jsonObject.optional().describe('insertOne: the document, as Extended JSON.'),
      documents: z.array(jsonObject).min(1).optional().describe('insertMany: the documents, as Extended JSON.'),
      update: z
        .union([jsonObject, z.array(jsonObject)])
        .optional()
        .describe('updateOne/updateMany: update operators ({"$set": …}) or an update pipeline.'),
      pipeline: z.array(jsonObject).optional().describe('aggregate: the stages, as Extended JSON.'),
      options: jsonObject.optional().describe('Driver options of the operation (sort, projection, limit, skip, upsert, …).'),
    })
    .superRefine((value, ctx) => {
      const required = MONGO_REQUIRED[value.op];
      if (required !== undefined && value[required] === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected "${required}" for the MongoDB operation "${value.op}"` });
      }
    });
  const redisArgument = z.union([z.string(), z.number()]);
  const redisCommand = z.array(redisArgument).min(1).describe('A Redis command and its arguments, e.g. ["HGETALL", "user:{{id}}"].');

  const RedisOperationSchema = z.union([
    redisCommand,
    z.strictObject({
      pipeline: z.array(redisCommand).min(1).describe('Commands sent together; the result is the list of replies.'),
    }),
  ]);
  const DbOperationSchema = z
    .strictObject({
      connection: z.string().min(1).describe('Name of a connection under `databases` of the environment.'),
      sql: z.string().min(1).optional().describe('SQL statement with placeholders: ? (MySQL, MariaDB, SQLite) or $1 (PostgreSQL).'),
      transaction: z
        .enum(TRANSACTION_ACTIONS)
        .optional()
        .describe(
          'begin: later operations on this connection in the scenario run use one connection, in a transaction; commit / rollback end it. Still open when the scenario run ends: rolled back.',
        ),
      params: z.array(z.unknown()).optional().describe('Values bound to the placeholders by the driver, never concatenated.'),
      multipleStatements: z.boolean().optional().describe('Allow several statements separated by ";" (default false).'),
      mongo: MongoOperationSchema.optional().describe('A MongoDB operation.'),
      redis: RedisOperationSchema.optional().describe('A Redis command.'),
      timeout: z.number().int().positive().optional().describe('Operation timeout in ms (default: the connection’s timeout).'),
      as: z.string().min(1).optional().describe('Variable that receives the result.'),
    })
    .superRefine((value, ctx) => {
      exactlyOne(['sql', 'mongo', 'redis', 'transaction'], 'a db operation')(value, ctx);
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
