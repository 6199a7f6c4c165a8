import { ErrorCode, Redactor } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbConnections } from '../src/index.js';
import { catchError, createRandomName, shouldSkipService } from './services.js';

const skip = await shouldSkipService('MariaDB/MySQL', 3306);

describe.skipIf(skip)('MySQL driver (MariaDB on 127.0.0.1:3306)', () => {
  const database = createRandomName();
  const admin = new DbConnections({ admin: { type: 'mysql', host: '127.0.0.1', port: 3306, user: 'root' } });
  const db = new DbConnections({
    main: { type: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', database },
    byUrl: { type: 'mysql', url: `mysql://root@127.0.0.1:3306/${database}` },
  });

  beforeAll(async () => {
    await admin.execute({ connection: 'admin', sql: `CREATE DATABASE ${database}` });
    await db.execute({
      connection: 'main',
      sql: `CREATE TABLE people (
        id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200) NOT NULL, big BIGINT, photo BLOB, seen DATETIME, score DECIMAL(10,2))`,
    });
  });

  afterAll(async () => {
    await db.close();
    await admin.execute({ connection: 'admin', sql: `DROP DATABASE IF EXISTS ${database}` });
    await admin.close();
  });

  it('binds ? parameters and returns the insert id and affected rows', async () => {
    const first = await db.execute({ connection: 'main', sql: 'INSERT INTO people (name) VALUES (?)', params: ['Ada'] });
    const second = await db.execute({ connection: 'main', sql: 'INSERT INTO people (name) VALUES (?)', params: ['Grace'] });
    expect(first).toMatchObject({ rowCount: 1, affectedRows: 1 });
    expect(typeof first.insertId).toBe('number');
    expect(second.insertId).toBe((first.insertId as number) + 1);

    const rows = await db.execute({ connection: 'byUrl', sql: 'SELECT id, name FROM people WHERE name = ?', params: ['Grace'] });
    expect(rows).toEqual({ rows: [{ id: second.insertId, name: 'Grace' }], rowCount: 1 });

    const updated = await db.execute({
      connection: 'main',
      sql: 'UPDATE people SET big = ? WHERE id IN (?, ?)',
      params: [7, first.insertId, second.insertId],
    });
    expect(updated.affectedRows).toBe(2);
    expect(updated.insertId).toBeUndefined();
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
  });

  it('returns each result set of a CALL as a statement of its own (they came back as rows of arrays)', async () => {
    await db.execute({
      connection: 'main',
      sql: 'CREATE PROCEDURE twice(IN a INT, OUT b INT) BEGIN SELECT a AS x; SELECT a * 3 AS y; SET b = a * 2; END',
    });
    const called = await db.execute({ connection: 'main', sql: 'CALL twice(?, @b)', params: [21] });
    expect(called.statements?.map((statement) => statement.rows)).toEqual([[{ x: 21 }], [{ y: 63 }], undefined]);
    const out = await db.execute({ connection: 'main', sql: 'CALL twice(5, @b); SELECT @b AS b', multipleStatements: true });
    expect(out.rows).toEqual([{ b: 10 }]);
  });

  it('keeps a value containing SQL as data: the table survives', async () => {
    const hostile = "x'; DROP TABLE people; --";
    const inserted = await db.execute({ connection: 'main', sql: 'INSERT INTO people (name) VALUES (?)', params: [hostile] });
    const found = await db.execute({ connection: 'main', sql: 'SELECT name FROM people WHERE id = ?', params: [inserted.insertId] });
    expect(found.rows).toEqual([{ name: hostile }]);
    const tables = await db.execute({ connection: 'main', sql: "SHOW TABLES LIKE 'people'" });
    expect(tables.rowCount).toBe(1);
  });

  it('converts BIGINT, BLOB, DATETIME and DECIMAL into JSON-safe values', async () => {
    const { insertId } = await db.execute({
      connection: 'main',
      sql: 'INSERT INTO people (name, big, photo, seen, score) VALUES (?, ?, ?, ?, ?)',
      params: ['Types', '9007199254740993', Buffer.from('hi there'), '2024-02-03 04:05:06', '12.50'],
    });
    const { rows } = await db.execute({
      connection: 'main',
      sql: 'SELECT big, photo, seen, score FROM people WHERE id = ?',
      params: [insertId],
    });
    expect(rows).toEqual([
      { big: '9007199254740993', photo: Buffer.from('hi there').toString('base64'), seen: '2024-02-03T04:05:06.000Z', score: '12.50' },
    ]);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });

  it('keeps an integer beyond 2^53 inside a JSON column as its digits, like a BIGINT (it was rounded: …993 became …992)', async () => {
    await db.execute({ connection: 'main', sql: 'CREATE TABLE documents (body JSON)' });
    await db.execute({
      connection: 'main',
      sql: 'INSERT INTO documents VALUES (?), (NULL)',
      params: ['{"big":9007199254740993,"n":-7,"name":"é"}'],
    });
    const expected = [{ body: { big: '9007199254740993', n: -7, name: 'é' } }, { body: null }];
    expect((await db.execute({ connection: 'main', sql: 'SELECT body FROM documents' })).rows).toEqual(expected);
    expect((await db.execute({ connection: 'main', sql: 'SELECT body FROM documents', multipleStatements: true })).rows).toEqual(expected);
    const built = await db.execute({ connection: 'main', sql: "SELECT JSON_OBJECT('a', 12345678901234567890) AS k" });
    expect(built.rows).toEqual([{ k: { a: '12345678901234567890' } }]);
  });

  it('reads a FLOAT column as the server prints it (1.1), not the float widened to a double (1.100000023841858)', async () => {
    await db.execute({ connection: 'main', sql: 'CREATE TABLE floats (id INT PRIMARY KEY, f FLOAT, d DOUBLE)' });
    await db.execute({
      connection: 'main',
      sql: 'INSERT INTO floats VALUES (1, 1.1, 0.1), (2, -0.001, 1.5), (3, 16777217, 1e300), (4, NULL, NULL)',
    });
    const sql = 'SELECT f, d FROM floats ORDER BY id';
    const expected = [
      { f: 1.1, d: 0.1 },
      { f: -0.001, d: 1.5 },
      // 16777217 is not a float: the column keeps 16777216.
      { f: 16777216, d: 1e300 },
      { f: null, d: null },
    ];
    expect((await db.execute({ connection: 'main', sql })).rows).toEqual(expected);
    const cast = await db.execute({ connection: 'main', sql: 'SELECT CAST(? AS FLOAT) AS f', params: ['3.25'] });
    expect(cast.rows).toEqual([{ f: 3.25 }]);
    // The text protocol (several statements) reads the same values.
    const text = await db.execute({ connection: 'main', sql: `${sql} LIMIT 2`, multipleStatements: true });
    expect(text.rows).toEqual(expected.slice(0, 2));
  });

  it("reads dates that are no day of the calendar ('0000-00-00', '2024-00-10') as the text MySQL keeps, not null or another day", async () => {
    await db.execute({
      connection: 'main',
      multipleStatements: true,
      sql: `SET SESSION sql_mode = ''; CREATE TABLE odd_dates (id INT PRIMARY KEY, d DATE, dt DATETIME(3));
        INSERT INTO odd_dates VALUES (1, '0000-00-00', '0000-00-00 00:00:00'), (2, '2024-00-10', '2024-02-00 01:02:03.5'),
          (3, '2024-02-29', '2024-02-29 23:59:59.123'), (4, '0012-03-04', NULL); SET SESSION sql_mode = DEFAULT`,
    });
    const expected = [
      { d: '0000-00-00', dt: '0000-00-00 00:00:00.000' },
      { d: '2024-00-10', dt: '2024-02-00 01:02:03.500' },
      { d: '2024-02-29T00:00:00.000Z', dt: '2024-02-29T23:59:59.123Z' },
      { d: '0012-03-04T00:00:00.000Z', dt: null },
    ];
    const sql = 'SELECT d, dt FROM odd_dates ORDER BY id';
    // Before: null, 1899-11-30 (text protocol), 2023-12-10 and 2024-01-31.
    expect((await db.execute({ connection: 'main', sql })).rows).toEqual(expected);
    expect((await db.execute({ connection: 'main', sql, multipleStatements: true })).rows).toEqual(expected);
  });

  it('keeps the microseconds of DATETIME(6) and TIMESTAMP(6), prepared and with multipleStatements (they were cut to milliseconds)', async () => {
    const sql =
      "SELECT CAST('2024-02-03 04:05:06.123456' AS DATETIME(6)) AS fine, CAST('2024-02-03 04:05:06.120000' AS DATETIME(6)) AS millis";
    const expected = [{ fine: '2024-02-03T04:05:06.123456Z', millis: '2024-02-03T04:05:06.120Z' }];
    expect((await db.execute({ connection: 'main', sql })).rows).toEqual(expected);
    expect((await db.execute({ connection: 'main', sql, multipleStatements: true })).rows).toEqual(expected);
  });

  it('gives TIME(n) its n fraction digits, prepared as with multipleStatements (prepared: 12:34:56.1, and none for .000)', async () => {
    const sql =
      "SELECT CAST('12:34:56.1' AS TIME(3)) AS t3, CAST('-00:00:00.5' AS TIME(3)) AS neg, CAST('100:00:00' AS TIME(6)) AS t6, CAST('01:02:03' AS TIME) AS t0, CAST('01:02:03.000001' AS TIME(6)) AS fine";
    const expected = [{ t3: '12:34:56.100', neg: '-00:00:00.500', t6: '100:00:00.000000', t0: '01:02:03', fine: '01:02:03.000001' }];
    expect((await db.execute({ connection: 'main', sql })).rows).toEqual(expected);
    expect((await db.execute({ connection: 'main', sql, multipleStatements: true })).rows).toEqual(expected);
  });

  it('binds an object or array param as its JSON text with multipleStatements, as prepared (an array filled several values, an object was [object Object])', async () => {
    await db.execute({ connection: 'main', sql: 'CREATE TABLE db_probe_params (id INT PRIMARY KEY, name TEXT, role TEXT, doc JSON)' });
    await db.execute({ connection: 'main', sql: "INSERT INTO db_probe_params VALUES (1, 'ann', 'user', NULL)" });
    const doc = { a: 1, list: [1, 'two'] };
    for (const multipleStatements of [false, true]) {
      const result = await db.execute({
        connection: 'main',
        sql: 'SELECT ? AS o, ? AS arr, ? AS nested, ? AS t',
        params: [doc, [1, 2, 3], [[1, 2]], true],
        multipleStatements,
      });
      expect(result.rows).toEqual([{ o: '{"a":1,"list":[1,"two"]}', arr: '[1,2,3]', nested: '[[1,2]]', t: 1 }]);
    }
    // An object after SET was written as `name` = …, `role` = …: the variable chose the columns.
    const set = await catchError(
      db.execute({
        connection: 'main',
        sql: 'UPDATE db_probe_params SET ? WHERE id = 1; SELECT 1',
        params: [{ role: 'admin' }],
        multipleStatements: true,
      }),
    );
    expect(set.code).toBe(ErrorCode.DB);
    await db.execute({
      connection: 'main',
      sql: 'UPDATE db_probe_params SET doc = ? WHERE id = ?; SELECT 1',
      params: [doc, 1],
      multipleStatements: true,
    });
    const row = await db.execute({ connection: 'main', sql: 'SELECT role, doc FROM db_probe_params WHERE id = 1' });
    expect(row.rows).toEqual([{ role: 'user', doc }]);
  });

  it('refuses "??" filled from params with multipleStatements (the param chose the column the statement read)', async () => {
    const sql = "SELECT ?? AS v FROM (SELECT 'hidden' AS password, 'ann' AS name) t; SELECT 1";
    const error = await catchError(db.execute({ connection: 'main', sql, params: ['password'], multipleStatements: true }));
    expect(error).toMatchObject({ code: ErrorCode.DB, title: 'Database error' });
    expect(error.message).toBe(
      `"??" would take a name (a column or table) from "params", so a value would choose what the statement reads: write the name in the SQL (connection "main", statement: ${sql})`,
    );
    // A ? inside a string or a comment is no placeholder.
    const quoted = await db.execute({
      connection: 'main',
      sql: "SELECT '??' AS q, ? AS v /* ?? */; SELECT 1",
      params: ['x'],
      multipleStatements: true,
    });
    expect(quoted.statements?.[0]?.rows).toEqual([{ q: '??', v: 'x' }]);
  });

  it('says the pool was busy when no pooled connection came free within the connection timeout (it was a Database timeout of the statement)', async () => {
    const one = new DbConnections({ one: { type: 'mariadb', url: `mysql://root@127.0.0.1:3306/${database}`, pool: 1, timeout: 1000 } });
    const holder = one.openScope();
    const other = one.openScope();
    try {
      await holder.execute({ connection: 'one', transaction: 'begin' });
      const error = await catchError(other.execute({ connection: 'one', transaction: 'begin', timeout: 5000 }));
      expect(error).toMatchObject({ code: ErrorCode.DB, title: 'Database error' });
      expect(error.message).toBe(
        `the pool's only connection did not come free within 1000 ms (the connection's "timeout"): raise "pool" on the connection (connection "one", statement: BEGIN)`,
      );
      await holder.execute({ connection: 'one', transaction: 'rollback' });
      // The connection the abandoned wait would have had went back to the pool.
      await other.execute({ connection: 'one', transaction: 'begin' });
      expect((await other.execute({ connection: 'one', sql: 'SELECT 1 AS n' })).rows).toEqual([{ n: 1 }]);
    } finally {
      await other.close();
      await holder.close();
      await one.close();
    }
  });

  it('opens one pool per connection: plain, multipleStatements and transactions share its connections (two pools opened twice "pool")', async () => {
    const one = new DbConnections({ one: { type: 'mariadb', url: `mysql://root@127.0.0.1:3306/${database}`, pool: 1 } });
    const scope = one.openScope();
    const threadIds: unknown[] = [];
    const sessionCount = async (): Promise<unknown> => {
      // The sessions on this test's own database: the other connections of the file's, and this pool's.
      const counted = await admin.execute({
        connection: 'admin',
        sql: 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ?',
        params: [database],
      });
      return counted.rows?.[0];
    };
    try {
      const before = (await sessionCount()) as { n: number };
      threadIds.push((await one.execute({ connection: 'one', sql: 'SELECT CONNECTION_ID() AS id' })).rows?.[0]);
      const several = await one.execute({ connection: 'one', sql: 'SELECT 1; SELECT CONNECTION_ID() AS id', multipleStatements: true });
      threadIds.push(several.rows?.[0]);
      await scope.execute({ connection: 'one', transaction: 'begin' });
      threadIds.push((await scope.execute({ connection: 'one', sql: 'SELECT CONNECTION_ID() AS id' })).rows?.[0]);
      await scope.execute({ connection: 'one', transaction: 'rollback' });
      expect(new Set(threadIds.map((row) => JSON.stringify(row))).size).toBe(1);
      expect(await sessionCount()).toEqual({ n: before.n + 1 });
    } finally {
      await scope.close();
      await one.close();
    }
  });

  it('stops a timed-out statement of a full pool at once (the KILL waited for a connection of the busy pool)', async () => {
    const one = new DbConnections({ one: { type: 'mariadb', url: `mysql://root@127.0.0.1:3306/${database}`, pool: 1 } });
    try {
      const started = Date.now();
      const error = await catchError(one.execute({ connection: 'one', sql: 'SELECT SLEEP(?)', params: [5], timeout: 300 }));
      expect(error.code).toBe(ErrorCode.TIMEOUT);
      // The next operation gets the one connection as soon as the server stopped the statement, long before 5 s.
      const after = await one.execute({ connection: 'one', sql: 'SELECT 1 + 1 AS two' });
      expect(after.rows).toEqual([{ two: 2 }]);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await one.close();
    }
  });

  it('fails at once when the server closes the connection during a statement (it waited for the timeout)', async () => {
    const one = new DbConnections({ one: { type: 'mariadb', url: `mysql://root@127.0.0.1:3306/${database}`, pool: 1 } });
    try {
      const threadId = (await one.execute({ connection: 'one', sql: 'SELECT CONNECTION_ID() AS id' })).rows?.[0] as { id: number };
      const started = Date.now();
      const sleeping = catchError(one.execute({ connection: 'one', sql: 'SELECT SLEEP(?)', params: [20], timeout: 60_000 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await admin.execute({ connection: 'admin', sql: `KILL CONNECTION ${Number(threadId.id)}` });
      const error = await sleeping;
      expect(error.code).toBe(ErrorCode.DB);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await one.execute({ connection: 'one', sql: 'SELECT 1 + 1 AS two' })).rows).toEqual([{ two: 2 }]);
    } finally {
      await one.close();
    }
  });

  it('reads TIMESTAMP as the instant it is, whatever the server time zone: the session runs in UTC', async () => {
    // A server whose time zone is not UTC (time_zone SYSTEM on a machine in Europe/Paris) would hand
    // out TIMESTAMPs in its local time, which the driver reads as UTC: every session is set to UTC.
    for (const multipleStatements of [false, true]) {
      const zone = await db.execute({ connection: 'main', sql: 'SELECT @@session.time_zone AS tz', multipleStatements });
      expect(zone.rows).toEqual([{ tz: '+00:00' }]);
    }
    const instant = await db.execute({ connection: 'main', sql: 'SELECT FROM_UNIXTIME(?) AS t', params: [1717243200] });
    expect(instant.rows).toEqual([{ t: '2024-06-01T12:00:00.000Z' }]);
  });

  it('keeps every part of a secret param out of the error: MySQL quotes it cut with "..." (Duplicate entry, Incorrect integer value)', async () => {
    const secret = `tok_live_${'9f8e7d6c5b4a3928'.repeat(12)}`;
    const redactor = new Redactor();
    redactor.add(secret);
    const guarded = new DbConnections({ main: { type: 'mariadb', url: `mysql://root@127.0.0.1:3306/${database}` } }, { redactor });
    try {
      await guarded.execute({ connection: 'main', sql: 'CREATE TABLE secret_keys (k VARCHAR(400) PRIMARY KEY, n INT)' });
      await guarded.execute({ connection: 'main', sql: 'INSERT INTO secret_keys (k) VALUES (?)', params: [secret] });
      const duplicate = await catchError(
        guarded.execute({ connection: 'main', sql: 'INSERT INTO secret_keys (k) VALUES (?)', params: [secret] }),
      );
      expect(duplicate.message).toBe(
        `Duplicate entry '[REDACTED]...' for key 'PRIMARY' (connection "main", statement: INSERT INTO secret_keys (k) VALUES (?))`,
      );
      const integer = await catchError(
        guarded.execute({
          connection: 'main',
          sql: "INSERT INTO secret_keys (k, n) VALUES ('x', ?)",
          params: [`Bearer ${secret}`],
          multipleStatements: true,
        }),
      );
      expect(integer.message).toMatch(/^Incorrect integer value: '\[REDACTED\]\.\.\.' for column `[^`]+`\.`secret_keys`\.`n` at row 1 /);
      // A param that holds no secret stays in the message: it says which value was wrong.
      const insertPlain = { connection: 'main', sql: 'INSERT INTO secret_keys (k) VALUES (?)', params: ['plain-key'] };
      await guarded.execute(insertPlain);
      const plain = await catchError(guarded.execute(insertPlain));
      expect(plain.message).toMatch(/^Duplicate entry 'plain-key' for key 'PRIMARY'/);
    } finally {
      await guarded.close();
    }
  });

  it('refuses more or fewer params than the statement has placeholders (MariaDB read the extra ones as garbage)', async () => {
    const many = await catchError(db.execute({ connection: 'main', sql: "SELECT ? AS a, '?' AS q", params: [1, 2] }));
    expect(many.code).toBe(ErrorCode.DB);
    expect(many.message).toBe(`2 params were given for 1 placeholder (?) (connection "main", statement: SELECT ? AS a, '?' AS q)`);
    const few = await catchError(db.execute({ connection: 'main', sql: 'SELECT ? AS a, ? AS b', params: [1] }));
    expect(few.message).toMatch(/^1 param was given for 2 placeholders \(\?\) /);
    const none = await catchError(db.execute({ connection: 'main', sql: 'SELECT 1 AS a', params: ['x'] }));
    expect(none.message).toMatch(/^1 param was given for 0 placeholders \(\?\) /);
    expect((await db.execute({ connection: 'main', sql: 'SELECT ? AS a', params: [3] })).rows).toEqual([{ a: 3 }]);
  });

  it('refuses several statements unless the operation opts in', async () => {
    const sql = "INSERT INTO people (name) VALUES ('multi'); SELECT COUNT(*) AS n FROM people WHERE name = 'multi'";
    const refused = await catchError(db.execute({ connection: 'main', sql }));
    expect(refused.code).toBe(ErrorCode.DB);
    expect(refused.hint).toBe(
      'error code ER_PARSE_ERROR; the SQL holds several statements: add "multipleStatements": true to the operation to run them all',
    );
    // A syntax error of one statement holding a ';' in a string is not about several statements.
    const typo = await catchError(db.execute({ connection: 'main', sql: "SELEC 'a; SELECT 1'" }));
    expect(typo.hint).toBe('error code ER_PARSE_ERROR');
    const none = await db.execute({ connection: 'main', sql: "SELECT COUNT(*) AS n FROM people WHERE name = 'multi'" });
    expect(none.rows).toEqual([{ n: 0 }]);

    const result = await db.execute({ connection: 'main', sql, multipleStatements: true });
    expect(result.statements).toHaveLength(2);
    expect(result.statements?.[0]).toMatchObject({ affectedRows: 1 });
    expect(result.rows).toEqual([{ n: 1 }]);
  });

  it('reports the database message and the statement with placeholders, not the values', async () => {
    const error = await catchError(
      db.execute({ connection: 'main', sql: 'SELECT * FROM no_such_table WHERE name = ?', params: ['private-value-123'] }),
    );
    expect(error.code).toBe(ErrorCode.DB);
    expect(error.message).toContain("doesn't exist");
    expect(error.message).toContain('SELECT * FROM no_such_table WHERE name = ?');
    expect(error.message).toContain('connection "main"');
    expect(error.message).not.toContain('private-value-123');
  });

  it('keeps the password of a rejected login out of the error', async () => {
    const wrong = new DbConnections({ bad: { type: 'mysql', url: `mysql://root:Wrong-Passw0rd-42@127.0.0.1:3306/${database}` } });
    try {
      const error = await catchError(wrong.execute({ connection: 'bad', sql: 'SELECT 1' }));
      expect(error.code).toBe(ErrorCode.DB);
      expect(error.message).toContain('Access denied');
      expect(`${error.message} ${error.hint}`).not.toContain('Wrong-Passw0rd-42');
    } finally {
      await wrong.close();
    }
  });

  it('reports a server that does not take TLS as a failed connection with a hint at "tls" (it was a Database error of the statement)', async () => {
    // The test server runs without TLS.
    const tls = new DbConnections({ tls: { type: 'mariadb', host: '127.0.0.1', user: 'root', tls: true } });
    try {
      const error = await catchError(tls.execute({ connection: 'tls', sql: 'SELECT 1' }));
      expect(error).toMatchObject({
        code: ErrorCode.DB,
        title: 'Database connection failed',
        message: 'Server does not support secure connection (connection "tls", statement: SELECT 1)',
        hint: `error code HANDSHAKE_NO_SSL_SUPPORT: the server does not take TLS connections: check the connection's "tls" (or sslmode / ssl in the url)`,
      });
    } finally {
      await tls.close();
    }
  });

  it('reports a refused login or an unknown database as a failed connection, not as an error of the statement', async () => {
    const wrong = new DbConnections({
      password: { type: 'mysql', url: `mysql://root:Wrong-Passw0rd-42@127.0.0.1:3306/${database}` },
      database: { type: 'mysql', url: `mysql://root@127.0.0.1:3306/${database}_missing` },
    });
    try {
      const password = await catchError(wrong.execute({ connection: 'password', sql: 'SELECT 1' }));
      expect(password.title).toBe('Database connection failed');
      expect(password.hint).toBe(
        "error code ER_ACCESS_DENIED_ERROR: the server refused to open the connection: check the connection's user, password and database (or url)",
      );
      const missing = await catchError(wrong.execute({ connection: 'database', sql: 'SELECT 1' }));
      expect(missing.title).toBe('Database connection failed');
      expect(missing.message).toContain(`Unknown database '${database}_missing'`);
      // The same server error from a statement stays an error of the statement.
      const use = await catchError(db.execute({ connection: 'main', sql: `USE ${database}_missing` }));
      expect(use.title).toBe('Database error');
      expect(use.hint).toBe('error code ER_BAD_DB_ERROR');
    } finally {
      await wrong.close();
    }
  });

  it('stops an operation at its timeout and the connection stays usable', async () => {
    const error = await catchError(db.execute({ connection: 'main', sql: 'SELECT SLEEP(?)', params: [5], timeout: 200 }));
    expect(error.code).toBe(ErrorCode.TIMEOUT);
    expect(error.message).toContain('SELECT SLEEP(?)');
    const after = await db.execute({ connection: 'main', sql: 'SELECT 1 + 1 AS two' });
    expect(after.rows).toEqual([{ two: 2 }]);
  });
});
