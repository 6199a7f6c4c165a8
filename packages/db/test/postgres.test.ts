import { type AddressInfo, createServer, type Socket } from 'node:net';
import { ErrorCode, Redactor } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbConnections } from '../src/index.js';
import { catchError, createRandomName, shouldSkipService } from './services.js';

const skip = await shouldSkipService('PostgreSQL', 5432);

describe.skipIf(skip)('PostgreSQL driver (127.0.0.1:5432)', () => {
  const database = createRandomName();
  const admin = new DbConnections({ admin: { type: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' } });
  const db = new DbConnections({
    main: { type: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database },
    byUrl: { type: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${database}` },
  });

  beforeAll(async () => {
    await admin.execute({ connection: 'admin', sql: `CREATE DATABASE ${database}` });
    await db.execute({
      connection: 'main',
      sql: 'CREATE TABLE people (id SERIAL PRIMARY KEY, name TEXT NOT NULL, big BIGINT, photo BYTEA, seen TIMESTAMP, at TIMESTAMPTZ, score NUMERIC(10,2))',
    });
  });

  afterAll(async () => {
    await db.close();
    await admin.execute({ connection: 'admin', sql: `DROP DATABASE IF EXISTS ${database} WITH (FORCE)` });
    await admin.close();
  });

  it('binds $1 parameters, returns RETURNING rows and affected rows', async () => {
    const inserted = await db.execute({
      connection: 'main',
      sql: 'INSERT INTO people (name) VALUES ($1), ($2) RETURNING id, name',
      params: ['Ada', 'Grace'],
    });
    expect(inserted.rowCount).toBe(2);
    expect(inserted.affectedRows).toBe(2);
    expect(inserted.rows).toEqual([
      { id: expect.any(Number), name: 'Ada' },
      { id: expect.any(Number), name: 'Grace' },
    ]);

    const found = await db.execute({ connection: 'byUrl', sql: 'SELECT name FROM people WHERE name = $1', params: ['Grace'] });
    expect(found).toEqual({ rows: [{ name: 'Grace' }], rowCount: 1 });

    const updated = await db.execute({
      connection: 'main',
      sql: 'UPDATE people SET big = $1 WHERE name = ANY($2)',
      params: [7, ['Ada', 'Grace']],
    });
    expect(updated).toEqual({ rowCount: 2, affectedRows: 2 });
  });

  it('keeps every column of the same name: later ones are named id_2, id_3… (only the last value was kept)', async () => {
    const same = await db.execute({ connection: 'main', sql: 'SELECT 1 AS id, 2 AS id, 3 AS id_2, 4 AS id' });
    expect(same.rows).toEqual([{ id: 1, id_3: 2, id_2: 3, id_4: 4 }]);
    const several = await db.execute({ connection: 'main', sql: 'SELECT 1 AS id, 2 AS id; SELECT 3 AS id', multipleStatements: true });
    expect(several.statements?.map((statement) => statement.rows)).toEqual([[{ id: 1, id_2: 2 }], [{ id: 3 }]]);
    await db.execute({
      connection: 'main',
      sql: 'CREATE TABLE db2_a (id INT, name TEXT); CREATE TABLE db2_b (id INT, a_id INT)',
      multipleStatements: true,
    });
    await db.execute({
      connection: 'main',
      sql: "INSERT INTO db2_a VALUES (1, 'x'); INSERT INTO db2_b VALUES (7, 1)",
      multipleStatements: true,
    });
    const joined = await db.execute({ connection: 'main', sql: 'SELECT * FROM db2_a JOIN db2_b ON db2_b.a_id = db2_a.id' });
    expect(joined.rows).toEqual([{ id: 1, name: 'x', id_2: 7, a_id: 1 }]);
    const returned = await db.execute({ connection: 'main', sql: 'UPDATE db2_b SET id = 8 RETURNING id, a_id AS id' });
    expect(returned).toEqual({ rows: [{ id: 8, id_2: 1 }], rowCount: 1, affectedRows: 1 });
  });

  it('keeps a value containing SQL as data: the table survives', async () => {
    const hostile = "x'; DROP TABLE people; --";
    await db.execute({ connection: 'main', sql: 'INSERT INTO people (name) VALUES ($1)', params: [hostile] });
    const found = await db.execute({ connection: 'main', sql: 'SELECT name FROM people WHERE name = $1', params: [hostile] });
    expect(found.rows).toEqual([{ name: hostile }]);
    const tables = await db.execute({
      connection: 'main',
      sql: "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'people'",
    });
    expect(tables.rows).toEqual([{ n: 1 }]);
  });

  it('converts BIGINT, BYTEA, timestamps and NUMERIC into JSON-safe values', async () => {
    const { rows } = await db.execute({
      connection: 'main',
      sql: 'INSERT INTO people (name, big, photo, seen, at, score) VALUES ($1, $2, $3, $4, $5, $6) RETURNING big, photo, seen, at, score',
      params: ['Types', '9007199254740993', Buffer.from('hi there'), '2024-02-03 04:05:06', '2024-02-03T04:05:06+02:00', '12.50'],
    });
    expect(rows).toEqual([
      {
        big: '9007199254740993',
        photo: Buffer.from('hi there').toString('base64'),
        seen: '2024-02-03T04:05:06.000Z',
        at: '2024-02-03T02:05:06.000Z',
        score: '12.50',
      },
    ]);
    const count = await db.execute({ connection: 'main', sql: 'SELECT COUNT(*) AS n FROM people WHERE name = $1', params: ['Types'] });
    expect(count.rows).toEqual([{ n: 1 }]);
  });

  it('reads DATE as midnight UTC whatever the process time zone, and count(*) as a number', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/Paris';
    try {
      const { rows } = await db.execute({
        connection: 'main',
        sql: "SELECT DATE '2024-02-03' AS d, (SELECT count(*) FROM pg_class WHERE false) AS n",
      });
      expect(rows).toEqual([{ d: '2024-02-03T00:00:00.000Z', n: 0 }]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('reads arrays of BIGINT, TIMESTAMP and DATE element by element as their columns read (they followed the process time zone)', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const { rows } = await db.execute({
        connection: 'main',
        sql: `SELECT ARRAY[9007199254740993, 7, NULL]::bigint[] AS big,
          ARRAY[TIMESTAMP '2024-02-03 04:05:06', NULL] AS stamps, ARRAY[[DATE '2024-02-03'], [DATE '2024-02-04']] AS days,
          TIMESTAMP '2024-02-03 04:05:06' AS stamp, DATE '2024-02-03' AS day`,
      });
      expect(rows).toEqual([
        {
          big: ['9007199254740993', 7, null],
          stamps: ['2024-02-03T04:05:06.000Z', null],
          days: [['2024-02-03T00:00:00.000Z'], ['2024-02-04T00:00:00.000Z']],
          stamp: '2024-02-03T04:05:06.000Z',
          day: '2024-02-03T00:00:00.000Z',
        },
      ]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('keeps the microseconds of TIMESTAMP and TIMESTAMPTZ (they were cut to milliseconds: .123456 became .123)', async () => {
    const { rows } = await db.execute({
      connection: 'main',
      sql: `SELECT TIMESTAMP '2024-02-03 04:05:06.123456' AS stamp, TIMESTAMPTZ '2024-02-03 04:05:06.000001+05:30' AS zoned,
        ARRAY[TIMESTAMPTZ '2024-02-03 04:05:06.1234+00', NULL] AS list, TIMESTAMP '2024-02-03 04:05:06.120' AS millis,
        TIMESTAMPTZ '2024-02-03 04:05:06+00' AS whole`,
    });
    expect(rows).toEqual([
      {
        stamp: '2024-02-03T04:05:06.123456Z',
        zoned: '2024-02-02T22:35:06.000001Z',
        list: ['2024-02-03T04:05:06.1234Z', null],
        millis: '2024-02-03T04:05:06.120Z',
        whole: '2024-02-03T04:05:06.000Z',
      },
    ]);
  });

  it('reads INTERVAL as the text PostgreSQL prints, not an object (a zero interval was {})', async () => {
    const { rows } = await db.execute({
      connection: 'main',
      sql: "SELECT now() - now() AS zero, INTERVAL '1 day 2 hours' AS d, INTERVAL '-1 year 3 mins 1.5 sec' AS mixed, ARRAY[INTERVAL '1 hour'] AS list",
    });
    expect(rows).toEqual([{ zero: '00:00:00', d: '1 day 02:00:00', mixed: '-1 years +00:03:01.5', list: ['01:00:00'] }]);
  });

  it('keeps an integer beyond 2^53 inside JSON and JSONB as its digits, like a BIGINT (it was rounded: …993 became …992)', async () => {
    const { rows } = await db.execute({
      connection: 'main',
      sql: `SELECT '{"big":9007199254740993,"small":-12,"f":1.5,"s":"9007199254740993","list":[-9007199254740993]}'::jsonb AS b,
        '[12345678901234567890, "a\\"12345678901234567890"]'::json AS j, ARRAY['{"a":9007199254740993}'::jsonb] AS arr`,
    });
    expect(rows).toEqual([
      {
        b: { big: '9007199254740993', small: -12, f: 1.5, s: '9007199254740993', list: ['-9007199254740993'] },
        j: ['12345678901234567890', 'a"12345678901234567890'],
        arr: [{ a: '9007199254740993' }],
      },
    ]);
  });

  it('reads \'infinity\' the same for TIMESTAMP, TIMESTAMPTZ and DATE (TIMESTAMPTZ gave "Infinity")', async () => {
    const { rows } = await db.execute({
      connection: 'main',
      sql: "SELECT 'infinity'::timestamp AS a, 'infinity'::timestamptz AS b, '-infinity'::timestamptz AS c, 'infinity'::date AS d, ARRAY['-infinity'::timestamptz] AS e",
    });
    expect(rows).toEqual([{ a: 'infinity', b: 'infinity', c: '-infinity', d: 'infinity', e: ['-infinity'] }]);
  });

  it('reads NUMERIC[] elements as text, like a NUMERIC column (they were rounded numbers: 12.50 became 12.5)', async () => {
    const { rows } = await db.execute({
      connection: 'main',
      sql: "SELECT '{12.50,12345678901234567890.123,NULL,NaN}'::numeric[] AS amounts, ARRAY[[1.0],[2.25]]::numeric(4,2)[] AS grid, 12.50::numeric AS one",
    });
    expect(rows).toEqual([{ amounts: ['12.50', '12345678901234567890.123', null, 'NaN'], grid: [['1.00'], ['2.25']], one: '12.50' }]);
  });

  it('reports a server that does not take TLS as a failed connection with a hint at "tls" (it was a Database error of the statement)', async () => {
    // The test server runs without TLS.
    const tls = new DbConnections({ tls: { type: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'test', tls: true } });
    try {
      const error = await catchError(tls.execute({ connection: 'tls', sql: 'SELECT 1' }));
      expect(error).toMatchObject({
        code: ErrorCode.DB,
        title: 'Database connection failed',
        message: 'The server does not support SSL connections (connection "tls", statement: SELECT 1)',
        hint: `the server does not take TLS connections: check the connection's "tls" (or sslmode / ssl in the url)`,
      });
    } finally {
      await tls.close();
    }
  });

  it('reports a refused login (unknown database) as a failed connection, and the same error of a statement as its own', async () => {
    const missing = `${database}_missing`;
    const wrong = new DbConnections({ gone: { type: 'postgres', url: `postgres://postgres:Wrong-Passw0rd-42@127.0.0.1:5432/${missing}` } });
    try {
      const error = await catchError(wrong.execute({ connection: 'gone', sql: 'SELECT 1' }));
      expect(error).toMatchObject({
        code: ErrorCode.DB,
        title: 'Database connection failed',
        hint: "error code 3D000: the server refused to open the connection: check the connection's user, password and database (or url)",
      });
      expect(error.message).toContain(`database "${missing}" does not exist`);
      expect(`${error.message} ${error.hint}`).not.toContain('Wrong-Passw0rd-42');
      const drop = await catchError(db.execute({ connection: 'main', sql: `DROP DATABASE ${missing}` }));
      expect(drop).toMatchObject({ title: 'Database error', hint: 'error code 3D000' });
    } finally {
      await wrong.close();
    }
  });

  it('refuses several statements unless the operation opts in', async () => {
    const sql = "INSERT INTO people (name) VALUES ('multi'); SELECT COUNT(*) AS n FROM people WHERE name = 'multi'";
    const refused = await catchError(db.execute({ connection: 'main', sql }));
    expect(refused.code).toBe(ErrorCode.DB);
    expect(refused.message).toContain('multiple commands');
    expect(refused.hint).toBe(
      'error code 42601; the SQL holds several statements: add "multipleStatements": true to the operation to run them all',
    );
    const none = await db.execute({ connection: 'main', sql: "SELECT COUNT(*) AS n FROM people WHERE name = 'multi'" });
    expect(none.rows).toEqual([{ n: 0 }]);
    // With params the statements go through one prepared statement, which holds one (the hint said to add what was there).
    const withParams = await catchError(
      db.execute({ connection: 'main', sql: 'SELECT $1::int AS a; SELECT 2 AS b', params: [1], multipleStatements: true }),
    );
    expect(withParams.hint).toBe(
      'error code 42601; with "params", PostgreSQL and SQLite run only one statement (they bind parameters to a single prepared statement): give the statement that takes them an operation of its own',
    );

    const result = await db.execute({ connection: 'main', sql, multipleStatements: true });
    expect(result.statements).toHaveLength(2);
    expect(result.statements?.[0]).toMatchObject({ affectedRows: 1 });
    expect(result.rows).toEqual([{ n: 1 }]);
  });

  it('reports the database message and the statement with placeholders, not the values', async () => {
    const error = await catchError(
      db.execute({ connection: 'main', sql: 'SELECT * FROM no_such_table WHERE name = $1', params: ['private-value-123'] }),
    );
    expect(error.code).toBe(ErrorCode.DB);
    expect(error.message).toContain('relation "no_such_table" does not exist');
    expect(error.message).toContain('SELECT * FROM no_such_table WHERE name = $1');
    expect(error.message).not.toContain('private-value-123');
  });

  it('says where in the SQL PostgreSQL found the error: line and column of the statement', async () => {
    const error = await catchError(db.execute({ connection: 'main', sql: 'SELECT *\n  FROM people WHER id = $1', params: [1] }));
    expect(error.message).toBe(
      'syntax error at or near "id" at line 2, column 20 of the SQL (connection "main", statement: SELECT * FROM people WHER id = $1)',
    );
    const multi = await catchError(db.execute({ connection: 'main', sql: 'SELECT 1;\r\nSELEC 2', multipleStatements: true }));
    expect(multi.message).toMatch(/^syntax error at or near "SELEC" at line 2, column 1 of the SQL \(/);
    // A parameter PostgreSQL cannot read has no position in the SQL: none is made up.
    const none = await catchError(db.execute({ connection: 'main', sql: 'SELECT $1::int', params: ['x'] }));
    expect(none.message).toMatch(/^invalid input syntax for type integer: "x" \(connection/);
  });

  it('keeps every part of a secret param out of the error: PostgreSQL quotes the part a format read (invalid value "tok_")', async () => {
    const secret = 'tok_live_9f8e7d6c5b4a39281706f5e4';
    const redactor = new Redactor();
    redactor.add(secret);
    const guarded = new DbConnections({ main: { type: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${database}` } }, { redactor });
    try {
      const part = await catchError(guarded.execute({ connection: 'main', sql: "SELECT to_date($1, 'YYYY-MM-DD')", params: [secret] }));
      expect(part.message).toBe(`invalid value "[REDACTED]" for "YYYY" (connection "main", statement: SELECT to_date($1, 'YYYY-MM-DD'))`);
      const whole = await catchError(guarded.execute({ connection: 'main', sql: 'SELECT $1::uuid', params: [secret] }));
      expect(whole.message).toMatch(/^invalid input syntax for type uuid: "\[REDACTED\]" /);
      // A param that holds no secret stays: it says which value was wrong.
      const plain = await catchError(guarded.execute({ connection: 'main', sql: "SELECT to_date($1, 'YYYY-MM-DD')", params: ['soon'] }));
      expect(plain.message).toMatch(/^invalid value "soon" for "YYYY" /);
    } finally {
      await guarded.close();
    }
  });

  it('stops an operation at its timeout and the connection stays usable', async () => {
    const error = await catchError(db.execute({ connection: 'main', sql: 'SELECT pg_sleep($1)', params: [5], timeout: 200 }));
    expect(error.code).toBe(ErrorCode.TIMEOUT);
    expect(error.message).toContain('SELECT pg_sleep($1)');
    const after = await db.execute({ connection: 'main', sql: 'SELECT 1 + 1 AS two' });
    expect(after.rows).toEqual([{ two: 2 }]);
  });

  it('cancels a timed-out statement of a full pool at once (the cancel waited for a connection of the busy pool)', async () => {
    const one = new DbConnections({ one: { type: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${database}`, pool: 1 } });
    try {
      const started = Date.now();
      const error = await catchError(one.execute({ connection: 'one', sql: 'SELECT pg_sleep($1)', params: [5], timeout: 300 }));
      expect(error.code).toBe(ErrorCode.TIMEOUT);
      // The next operation gets the one connection as soon as the server cancelled the statement, long before 5 s.
      const after = await one.execute({ connection: 'one', sql: 'SELECT 1 + 1 AS two' });
      expect(after.rows).toEqual([{ two: 2 }]);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await one.close();
    }
  });

  it('gives up a connection the server terminated during a statement: the next operation opens a new one (it failed with "Connection terminated unexpectedly")', async () => {
    const one = new DbConnections({ one: { type: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${database}`, pool: 1 } });
    try {
      const pid = (await one.execute({ connection: 'one', sql: 'SELECT pg_backend_pid() AS pid' })).rows?.[0] as { pid: number };
      const sleeping = catchError(one.execute({ connection: 'one', sql: 'SELECT pg_sleep(20)', timeout: 60_000 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await admin.execute({ connection: 'admin', sql: 'SELECT pg_terminate_backend($1)', params: [pid.pid] });
      const error = await sleeping;
      expect(error.message).toMatch(/^terminating connection due to administrator command /);
      expect((await one.execute({ connection: 'one', sql: 'SELECT 1 + 1 AS two' })).rows).toEqual([{ two: 2 }]);
    } finally {
      await one.close();
    }
  });

  it("stops an operation at the run's deadline (--timeout) when that comes first, in a scope too (it ran on to its own timeout)", async () => {
    for (const run of [
      (deadline: number) => db.execute({ connection: 'main', sql: 'SELECT pg_sleep(5)' }, deadline),
      (deadline: number) => db.openScope().execute({ connection: 'main', sql: 'SELECT pg_sleep(5)' }, deadline),
    ]) {
      const started = Date.now();
      const error = await catchError(run(started + 300));
      expect(error.code).toBe(ErrorCode.TIMEOUT);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    // A deadline further away than the operation's own timeout leaves that timeout.
    const started = Date.now();
    const own = await catchError(db.execute({ connection: 'main', sql: 'SELECT pg_sleep(5)', timeout: 200 }, Date.now() + 60_000));
    expect(own.code).toBe(ErrorCode.TIMEOUT);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe.skipIf(skip)('PostgreSQL connect_timeout with a busy pool (127.0.0.1:5432)', () => {
  it('says the pool was busy, not that the server did not answer, when no pooled connection came free in time', async () => {
    const db = new DbConnections({ one: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test?connect_timeout=2', pool: 1 } });
    const holder = db.openScope();
    try {
      await holder.execute({ connection: 'one', transaction: 'begin' });
      const started = Date.now();
      const error = await catchError(db.execute({ connection: 'one', sql: 'SELECT 1' }));
      expect(error).toMatchObject({ code: ErrorCode.DB, title: 'Database error' });
      expect(error.message).toContain(`the pool's only connection did not come free within 2 s (connect_timeout in the url)`);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await holder.close();
      await db.close();
    }
  });

  it('refuses a connect_timeout that is no whole number of seconds', async () => {
    const db = new DbConnections({ bad: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test?connect_timeout=soon' } });
    try {
      const error = await catchError(db.execute({ connection: 'bad', sql: 'SELECT 1' }));
      expect(error).toMatchObject({ code: ErrorCode.DB });
      expect(error.message).toContain('connect_timeout in the url expects a whole number of seconds, got "soon"');
    } finally {
      await db.close();
    }
  });
});

describe('PostgreSQL connect_timeout in the url (libpq: seconds, 1 read as 2)', () => {
  /** A server that accepts connections and never answers: the client waits for the server's first message. */
  async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('gives up connecting after connect_timeout, not after the 30 s default (it was ignored)', async () => {
    const silent = await silentServer();
    const db = new DbConnections({
      slow: { type: 'postgres', url: `postgres://postgres:s3cret%40pw@127.0.0.1:${silent.port}/test?connect_timeout=2` },
    });
    try {
      const started = Date.now();
      const error = await catchError(db.execute({ connection: 'slow', sql: 'SELECT 1' }));
      const took = Date.now() - started;
      expect(error.code).toBe(ErrorCode.DB);
      expect(error.title).toBe('Database connection failed');
      expect(error.message).toContain('within 2 s (connect_timeout in the url)');
      expect(error.message).not.toContain('s3cret');
      expect(took).toBeGreaterThanOrEqual(1_900);
      expect(took).toBeLessThan(5_000);
    } finally {
      await db.close();
      await silent.close();
    }
  });

  it('lets the connection\'s own "timeout" win over connect_timeout', async () => {
    const silent = await silentServer();
    const db = new DbConnections({
      slow: { type: 'postgres', url: `postgres://postgres@127.0.0.1:${silent.port}/test?connect_timeout=20`, timeout: 300 },
    });
    try {
      const started = Date.now();
      const error = await catchError(db.execute({ connection: 'slow', sql: 'SELECT 1' }));
      expect([ErrorCode.DB, ErrorCode.TIMEOUT]).toContain(error.code);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await db.close();
      await silent.close();
    }
  });
});
