import { type AddressInfo, createServer } from 'node:net';
import { DatabaseConnectionSchema, DbOperationSchema, ErrorCode, Redactor } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { DbConnections, describeOperation, redactUrlPasswords, toJsonSafe } from '../src/index.js';
import { catchError, findClosedPort } from './services.js';

describe('DbConnections', () => {
  it('rejects an unknown connection name with the known names as hint', async () => {
    const db = new DbConnections({ main: { type: 'redis' } });
    const error = await catchError(db.execute({ connection: 'other', redis: ['PING'] }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.hint).toContain('main');
  });

  it('rejects an operation of the wrong kind for the connection type', async () => {
    const db = new DbConnections({ cache: { type: 'redis' } });
    const error = await catchError(db.execute({ connection: 'cache', sql: 'SELECT 1' }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toContain('redis');
  });

  it('opens nothing until used, so closing unused connections to absent servers succeeds', async () => {
    const port = await findClosedPort();
    const db = new DbConnections({
      a: { type: 'mysql', port },
      b: { type: 'postgres', port },
      c: { type: 'mongodb', port },
      d: { type: 'redis', port },
    });
    await expect(db.close()).resolves.toBeUndefined();
  });

  it('says "connection refused" with host and port and a hint for MySQL, MariaDB, PostgreSQL, Redis and MongoDB alike', async () => {
    const port = await findClosedPort();
    const db = new DbConnections({
      a: { type: 'mysql', port, timeout: 2000 },
      b: { type: 'mariadb', port, timeout: 2000 },
      c: { type: 'postgres', port, timeout: 2000 },
      d: { type: 'redis', port, timeout: 2000 },
      e: { type: 'mongodb', url: `mongodb://127.0.0.1:${port}/app`, timeout: 500 },
    });
    try {
      for (const [connection, op] of [
        ['a', { sql: 'SELECT 1' }],
        ['b', { sql: 'SELECT 1' }],
        ['c', { sql: 'SELECT 1' }],
        ['d', { redis: ['GET', 'k'] as string[] }],
        ['e', { mongo: { collection: 'c', op: 'find' } }],
      ] as const) {
        const error = await catchError(db.execute({ connection, ...op }));
        expect(error.code).toBe(ErrorCode.DB);
        expect(error.title).toBe('Database connection failed');
        expect(error.message).toMatch(
          new RegExp(`^connect ECONNREFUSED 127\\.0\\.0\\.1:${port} \\(connection "${connection}", statement: `),
        );
        expect(error.hint).toBe(
          "error code ECONNREFUSED: check that the server runs and that the connection's host and port (or url) point at it",
        );
      }
    } finally {
      await db.close();
    }
  });

  it('reports an unreachable server as a connection failure without the password of its URL', async () => {
    const port = await findClosedPort();
    const redactor = new Redactor();
    const db = new DbConnections(
      { pg: { type: 'postgres', url: `postgres://app:Hidden-Secret-77@127.0.0.1:${port}/app`, timeout: 2000 } },
      { redactor },
    );
    try {
      const error = await catchError(db.execute({ connection: 'pg', sql: 'SELECT $1::int', params: [41] }));
      expect(error.code).toBe(ErrorCode.DB);
      expect(error.title).toBe('Database connection failed');
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.message).toContain('SELECT $1::int');
      expect(`${error.message} ${error.hint}`).not.toContain('Hidden-Secret-77');
      expect(redactor.redact('password Hidden-Secret-77')).toBe('password [REDACTED]');
    } finally {
      await db.close();
    }
  });
});

describe('a connection url that cannot be read', () => {
  it('refuses a url that reads as another host, a password with "@" or "#" as written, before connecting (it connected to the host "ss", sending the user and password)', async () => {
    // A server that would receive the connection the url names (127.0.0.1:<port>) if the check were gone.
    let connected = false;
    const server = createServer((socket) => {
      connected = true;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const db = new DbConnections({
      pg: { type: 'postgres', url: `postgres://u:p@127.0.0.1:${port}/w#rd-Pg1@db.example:5432/test` },
      rd: { type: 'redis', url: `redis://:p@ss-Rd2@127.0.0.1:${port}` },
    });
    try {
      const pg = await catchError(db.execute({ connection: 'pg', sql: 'SELECT 1' }));
      const rd = await catchError(db.execute({ connection: 'rd', redis: ['PING'] }));
      for (const error of [pg, rd]) {
        expect(error).toMatchObject({ code: ErrorCode.INVALID_INPUT, title: 'Invalid database connection' });
        expect(error.hint).toMatch(/percent-encoded \(\/ as %2F, @ as %40/);
      }
      expect(pg.message).toBe(
        'the url of the connection: a "#" or a second "@" in it reads as another host (connection "pg", statement: SELECT 1)',
      );
      expect(`${pg.message}${rd.message}`).not.toMatch(/Pg1|Rd2/);
      expect(connected).toBe(false);
    } finally {
      await db.close();
      server.close();
    }
  });

  it('is an invalid connection saying how to encode the password, for every type, and never shows the password (it was "Database error: Invalid URL")', async () => {
    const db = new DbConnections({
      pg: { type: 'postgres', url: 'postgres://u:pa/ss-Pg1@127.0.0.1:5432/test' },
      my: { type: 'mysql', url: 'mysql://u:Port-My2@127.0.0.1:99999/test' },
      rd: { type: 'redis', url: 'redis://:pa/ss-Rd3@127.0.0.1:6379' },
      mg: { type: 'mongodb', url: 'mongodb://u:pa/ss-Mg4@127.0.0.1:27017/test' },
      mgOption: { type: 'mongodb', url: 'mongodb://127.0.0.1:27017/test?bogusOption=1' },
    });
    try {
      const errors = [];
      for (const [connection, op] of [
        ['pg', { sql: 'SELECT 1' }],
        ['my', { sql: 'SELECT 1' }],
        ['rd', { redis: ['PING'] as string[] }],
        ['mg', { mongo: { collection: 'c', op: 'find' } }],
        ['mgOption', { mongo: { collection: 'c', op: 'find' } }],
      ] as const) {
        errors.push(await catchError(db.execute({ connection, ...op })));
      }
      expect(errors.map((error) => [error.code, error.title])).toEqual(
        Array(5).fill([ErrorCode.INVALID_INPUT, 'Invalid database connection']),
      );
      expect(errors.map((error) => error.message)).toEqual([
        'the url of the connection: not a valid URL (connection "pg", statement: SELECT 1)',
        'the url of the connection: not a valid URL (connection "my", statement: SELECT 1)',
        'the url of the connection: not a valid URL (connection "rd", statement: PING)',
        'the url of the connection: Password contains unescaped characters (connection "mg", statement: c.find({}))',
        'the url of the connection: option bogusoption is not supported (connection "mgOption", statement: c.find({}))',
      ]);
      expect(errors[0]!.hint).toBe(
        'write it as scheme://user:password@host:port/database (a port from 1 to 65535), with each character of the user or password that a URL reserves percent-encoded (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F, % as %25, a space as %20)',
      );
      expect(errors[3]!.hint).toBe(errors[0]!.hint);
      expect(errors[4]!.hint).toBe(
        'the options a MongoDB url takes: https://www.mongodb.com/docs/manual/reference/connection-string-options/',
      );
      expect(JSON.stringify(errors.map((error) => ({ ...error, message: error.message, hint: error.hint })))).not.toMatch(
        /Pg1|My2|Rd3|Mg4/,
      );
    } finally {
      await db.close();
    }
  });

  it('refuses a url whose password holds an unescaped "@" before any driver reads it: the rest of the password was looked up as the host and named in the error', async () => {
    // The MongoDB driver cut at the first "@" (getaddrinfo ENOTFOUND tail-mg5.invalid); pg and mysql2, given a "/"
    // before it, took the part after the first "@" as the host (getaddrinfo ENOTFOUND tail-pg6.invalid).
    const redactor = new Redactor();
    const db = new DbConnections(
      {
        mg: { type: 'mongodb', url: 'mongodb://u:Hunter2@tail-mg5.invalid@127.0.0.1:1/test?serverSelectionTimeoutMS=300' },
        pg: { type: 'postgres', url: 'postgres://u:Hunter2:P@tail-pg6.invalid/wd@127.0.0.1:1/test', timeout: 2000 },
        my: { type: 'mysql', url: 'mysql://u:Hunter2:P@tail-my7.invalid/wd@127.0.0.1:1/test', timeout: 2000 },
        rd: { type: 'redis', url: 'redis://:Hunter2@tail-rd8.invalid@127.0.0.1:1', timeout: 2000 },
        // One "@", and "@" in the query: no userinfo problem (refused at the closed port).
        ok: { type: 'postgres', url: 'postgres://u:p%40ss-word@127.0.0.1:1/test?application_name=a@b', timeout: 2000 },
      },
      { redactor },
    );
    try {
      const errors = [];
      for (const [connection, op] of [
        ['mg', { mongo: { collection: 'c', op: 'find' } }],
        ['pg', { sql: 'SELECT 1' }],
        ['my', { sql: 'SELECT 1' }],
        ['rd', { redis: ['PING'] as string[] }],
        ['ok', { sql: 'SELECT 1' }],
      ] as const) {
        errors.push(await catchError(db.execute({ connection, ...op })));
      }
      expect(errors.map((error) => [error.code, error.title])).toEqual([
        ...Array(4).fill([ErrorCode.INVALID_INPUT, 'Invalid database connection']),
        [ErrorCode.DB, 'Database connection failed'],
      ]);
      expect(errors[1]!.message).toBe(
        'the url of the connection: a "#" or a second "@" in it reads as another host (connection "pg", statement: SELECT 1)',
      );
      expect(errors[0]!.hint).toContain('@ as %40');
      expect(JSON.stringify(errors.map((error) => ({ ...error, message: error.message, hint: error.hint })))).not.toMatch(/tail-|Hunter2/);
    } finally {
      await db.close();
    }
  });
});

describe('describeOperation', () => {
  it('keeps SQL placeholders and never shows parameter values', () => {
    expect(describeOperation({ connection: 'c', sql: 'SELECT *\n  FROM t WHERE a = ?', params: ['secret'] })).toBe(
      'SELECT * FROM t WHERE a = ?',
    );
  });

  it('shows the shape of a MongoDB operation with every value as ?', () => {
    const text = describeOperation({
      connection: 'c',
      mongo: {
        collection: 'users',
        op: 'updateOne',
        filter: { _id: { $oid: '65a1b2c3d4e5f60718293a4b' }, age: { $gt: 3 } },
        update: { $set: { name: 'Eve' } },
      },
    });
    expect(text).toBe('users.updateOne({"_id": ?, "age": {"$gt": ?}}, {"$set": {"name": ?}})');
  });

  it('shows Redis command names with ? for every argument', () => {
    expect(describeOperation({ connection: 'c', redis: ['hgetall', 'user:42'] })).toBe('HGETALL ?');
    expect(
      describeOperation({
        connection: 'c',
        redis: {
          pipeline: [
            ['SET', 'k', 'v'],
            ['GET', 'k'],
          ],
        },
      }),
    ).toBe('SET ? ?; GET ?');
  });
});

describe('toJsonSafe', () => {
  it('converts bigint, binary, dates and nested values into JSON-safe values', () => {
    const value = toJsonSafe({
      small: 5n,
      huge: 2n ** 64n,
      bytes: Buffer.from('ab'),
      at: new Date(0),
      bad: new Date(Number.NaN),
      list: [1n, undefined],
    });
    expect(value).toEqual({
      small: 5,
      huge: '18446744073709551616',
      bytes: 'YWI=',
      at: '1970-01-01T00:00:00.000Z',
      bad: null,
      list: [1, null],
    });
  });
});

describe('redactUrlPasswords', () => {
  it('hides the password part of connection URLs', () => {
    expect(redactUrlPasswords('failed: mysql://root:pa55word@db:3306/x and redis://:tok3n@cache')).toBe(
      'failed: mysql://root:[REDACTED]@db:3306/x and redis://:[REDACTED]@cache',
    );
  });
});

describe('db schema', () => {
  it('accepts a connection given by URL or by parts, but not both', () => {
    expect(DatabaseConnectionSchema.safeParse({ type: 'postgres', url: 'postgres://h/db', pool: 3 }).success).toBe(true);
    expect(
      DatabaseConnectionSchema.safeParse({ type: 'mysql', host: 'h', user: 'u', password: 'p', database: 'd', tls: { ca: 'ca.pem' } })
        .success,
    ).toBe(true);
    const both = DatabaseConnectionSchema.safeParse({ type: 'mysql', url: 'mysql://h/d', host: 'h' });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.message).toContain('"host"');
    expect(DatabaseConnectionSchema.safeParse({ type: 'oracle', url: 'x' }).success).toBe(false);
  });

  it('requires exactly one of sql, mongo and redis in an operation', () => {
    expect(DbOperationSchema.safeParse({ connection: 'c', sql: 'SELECT ?', params: [1], as: 'rows' }).success).toBe(true);
    expect(DbOperationSchema.safeParse({ connection: 'c', redis: { pipeline: [['GET', 'k']] } }).success).toBe(true);
    expect(DbOperationSchema.safeParse({ connection: 'c' }).success).toBe(false);
    expect(DbOperationSchema.safeParse({ connection: 'c', sql: 'SELECT 1', redis: ['PING'] }).success).toBe(false);
    expect(DbOperationSchema.safeParse({ connection: 'c', redis: ['PING'], params: [1] }).success).toBe(false);
  });

  it('refuses a template as the connection name when the file is loaded (it ran, as an unknown connection "{{c}}")', () => {
    const templated = DbOperationSchema.safeParse({ connection: '{{c}}', sql: 'SELECT 1' });
    expect(templated.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['connection'], 'expected the name of a connection under "databases": "connection" takes no {{variables}}'],
    ]);
  });

  it('requires the field each MongoDB operation needs', () => {
    expect(DbOperationSchema.safeParse({ connection: 'c', mongo: { collection: 'u', op: 'insertOne' } }).success).toBe(false);
    expect(DbOperationSchema.safeParse({ connection: 'c', mongo: { collection: 'u', op: 'insertOne', document: { a: 1 } } }).success).toBe(
      true,
    );
    expect(DbOperationSchema.safeParse({ connection: 'c', mongo: { collection: 'u', op: 'drop' } }).success).toBe(false);
  });
});
