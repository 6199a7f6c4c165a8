import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@sortie/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DbConnections } from '../src/index.js';
import { catchError } from './services.js';

describe('SQLite driver (better-sqlite3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sortie-sqlite-'));
  const file = join(dir, 'fixtures.db');
  const db = new DbConnections({ main: { type: 'sqlite', database: file }, memory: { type: 'sqlite', database: ':memory:' } });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the file, binds ? parameters, returns the insert id and affected rows', async () => {
    await db.execute({
      connection: 'main',
      sql: 'CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, big INTEGER, score REAL, born DATE, photo BLOB, ok BOOLEAN)',
    });
    const first = await db.execute({ connection: 'main', sql: 'INSERT INTO people (name) VALUES (?)', params: ['Ada'] });
    const second = await db.execute({ connection: 'main', sql: 'INSERT INTO people (name) VALUES (?)', params: ['Grace'] });
    expect(first).toEqual({ rowCount: 1, affectedRows: 1, insertId: 1 });
    expect(second.insertId).toBe(2);
    const found = await db.execute({ connection: 'main', sql: 'SELECT id, name FROM people WHERE name = ?', params: ['Grace'] });
    expect(found).toEqual({ rows: [{ id: 2, name: 'Grace' }], rowCount: 1 });
    const updated = await db.execute({ connection: 'main', sql: 'UPDATE people SET big = ? WHERE id IN (?, ?)', params: [7, 1, 2] });
    expect(updated).toEqual({ rowCount: 2, affectedRows: 2 });
  });

  it('keeps every column of the same name: later ones are named id_2, id_3… (only the last value was kept)', async () => {
    const same = await db.execute({ connection: 'memory', sql: 'SELECT 1 AS id, 2 AS id, 3 AS id_2, 4 AS id' });
    expect(same.rows).toEqual([{ id: 1, id_3: 2, id_2: 3, id_4: 4 }]);
    const several = await db.execute({ connection: 'memory', sql: 'SELECT 1 AS id, 2 AS id; SELECT 3 AS id', multipleStatements: true });
    expect(several.statements?.map((statement) => statement.rows)).toEqual([[{ id: 1, id_2: 2 }], [{ id: 3 }]]);
  });

  it('keeps a value containing SQL as data', async () => {
    const hostile = "x'; DROP TABLE people; --";
    const { insertId } = await db.execute({ connection: 'main', sql: 'INSERT INTO people (name) VALUES (?)', params: [hostile] });
    const found = await db.execute({ connection: 'main', sql: 'SELECT name FROM people WHERE id = ?', params: [insertId] });
    expect(found.rows).toEqual([{ name: hostile }]);
  });

  it('returns large integers as strings, count(*) as a number, booleans as 1/0, blobs as base64', async () => {
    const { insertId } = await db.execute({
      connection: 'main',
      sql: 'INSERT INTO people (name, big, score, born, photo, ok) VALUES (?, ?, ?, ?, ?, ?)',
      params: ['Types', '9007199254740993', 12.5, '2024-02-03', Buffer.from('hi'), true],
    });
    const { rows } = await db.execute({
      connection: 'main',
      sql: 'SELECT CAST(big AS INTEGER) AS big, score, born, photo, ok, (SELECT count(*) FROM people) AS n FROM people WHERE id = ?',
      params: [insertId],
    });
    expect(rows).toEqual([
      { big: '9007199254740993', score: 12.5, born: '2024-02-03', photo: Buffer.from('hi').toString('base64'), ok: 1, n: 4 },
    ]);
  });

  it('runs several statements with multipleStatements, refuses them otherwise', async () => {
    const sql = "INSERT INTO people (name) VALUES ('m1'); INSERT INTO people (name) VALUES ('m2')";
    const refused = await catchError(db.execute({ connection: 'main', sql }));
    expect(refused.code).toBe(ErrorCode.DB);
    expect(refused.hint).toBe('the SQL holds several statements: add "multipleStatements": true to the operation to run them all');
    const both = await db.execute({ connection: 'main', sql, multipleStatements: true });
    expect(both).toMatchObject({ rowCount: 1, affectedRows: 1 });
    expect(both.statements).toHaveLength(2);
    expect(both.statements![1]!.insertId).toBe((both.statements![0]!.insertId as number) + 1);
    // Before: no hint at all (the one without multipleStatements would have said to add what was there).
    const withParams = await catchError(
      db.execute({ connection: 'main', sql: 'SELECT ? AS a; SELECT 2 AS b', params: [1], multipleStatements: true }),
    );
    expect(withParams.hint).toBe(
      'with "params", PostgreSQL and SQLite run only one statement (they bind parameters to a single prepared statement): give the statement that takes them an operation of its own',
    );
  });

  it("returns each statement's result with multipleStatements, the last one's at the top, as MySQL and PostgreSQL do (it returned no rows)", async () => {
    const sql = `CREATE TABLE multi (id INTEGER PRIMARY KEY, note TEXT); -- a comment; with a semicolon
      CREATE TRIGGER multi_note AFTER INSERT ON multi BEGIN UPDATE multi SET note = note || ';x' WHERE id = new.id; END;
      INSERT INTO multi (\`note\`) VALUES ('a;b'), ('c'';d');
      /* ; */ SELECT id, note FROM multi ORDER BY id; SELECT count(*) AS "n;" FROM [multi];
      `;
    const result = await db.execute({ connection: 'main', sql, multipleStatements: true });
    expect(result).toEqual({
      rows: [{ 'n;': 2 }],
      rowCount: 1,
      statements: [
        { rowCount: 0, affectedRows: 0 },
        { rowCount: 0, affectedRows: 0 },
        { rowCount: 2, affectedRows: 2, insertId: 2 },
        {
          rows: [
            { id: 1, note: 'a;b;x' },
            { id: 2, note: "c';d;x" },
          ],
          rowCount: 2,
        },
        { rows: [{ 'n;': 2 }], rowCount: 1 },
      ],
    });
    const broken = await catchError(db.execute({ connection: 'main', sql: 'SELECT 1; SELECT FROM', multipleStatements: true }));
    expect(broken.code).toBe(ErrorCode.DB);
    const unfinished = await catchError(
      db.execute({ connection: 'main', sql: 'CREATE TRIGGER t AFTER INSERT ON multi BEGIN SELECT 1;', multipleStatements: true }),
    );
    expect(unfinished.message).toContain('incomplete input');
  });

  it('reports an SQL error with the statement, and a :memory: database of its own per connection', async () => {
    const error = await catchError(db.execute({ connection: 'memory', sql: 'SELECT * FROM people' }));
    expect(error.code).toBe(ErrorCode.DB);
    expect(error.message).toBe('no such table: people (connection "memory", statement: SELECT * FROM people)');
  });

  it('reports a statement that ran past its timeout as a Database timeout, inside a transaction too (it passed: SQLite blocks the timer)', async () => {
    const rows = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300000)';
    await db.execute({ connection: 'memory', sql: 'CREATE TABLE db_probe_slow (x INTEGER)' });
    const slow = await catchError(
      db.execute({ connection: 'memory', sql: `${rows} INSERT INTO db_probe_slow SELECT x FROM n`, timeout: 1 }),
    );
    expect(slow.code).toBe(ErrorCode.TIMEOUT);
    expect(slow.message).toBe(
      `operation did not finish within 1 ms (connection "memory", statement: ${rows} INSERT INTO db_probe_slow SELECT x FROM n)`,
    );
    expect(slow.hint).toBe(
      'SQLite cannot stop a statement while it runs: it ran to its end, and what it wrote is kept; raise "timeout" on the operation or the connection',
    );
    const kept = await db.execute({ connection: 'memory', sql: 'SELECT count(*) AS n FROM db_probe_slow' });
    expect(kept.rows).toEqual([{ n: 300000 }]);

    const scope = db.openScope();
    await scope.execute({ connection: 'memory', transaction: 'begin' });
    const held = await catchError(scope.execute({ connection: 'memory', sql: `${rows} SELECT count(*) FROM n`, timeout: 1 }));
    expect(held.code).toBe(ErrorCode.TIMEOUT);
    await scope.close();
  });

  it('refuses a Redis operation on a SQLite connection', async () => {
    const wrong = await catchError(db.execute({ connection: 'main', redis: ['GET', 'x'] }));
    expect(wrong.code).toBe(ErrorCode.INVALID_INPUT);
  });
});
