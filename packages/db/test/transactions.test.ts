import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseConnection, ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbConnections } from '../src/index.js';
import { catchError, createRandomName, isReachable } from './services.js';

const table = createRandomName('sortie_tx');
const sqliteDir = mkdtempSync(join(tmpdir(), 'sortie-tx-'));
const mariaUp = await isReachable(3306);
const pgUp = await isReachable(5432);
if ((!mariaUp || !pgUp) && process.env.CI) throw new Error('MariaDB (3306) or PostgreSQL (5432) is not reachable, and CI is set');

const cases: Array<{ name: string; up: boolean; config: DatabaseConnection; placeholder: (n: number) => string }> = [
  {
    name: 'MariaDB (type mariadb)',
    up: mariaUp,
    config: { type: 'mariadb', url: 'mysql://root@127.0.0.1:3306/test', pool: 2 },
    placeholder: () => '?',
  },
  {
    name: 'PostgreSQL',
    up: pgUp,
    config: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test', pool: 2 },
    placeholder: (n) => `$${n}`,
  },
  { name: 'SQLite', up: true, config: { type: 'sqlite', database: join(sqliteDir, 'tx.db') }, placeholder: () => '?' },
];

afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

for (const { name, up, config, placeholder } of cases) {
  describe.skipIf(!up)(`transactions across operations: ${name}`, () => {
    const db = new DbConnections({ main: config });
    const count = async (id: string) => {
      const { rows } = await db.execute({
        connection: 'main',
        sql: `SELECT count(*) AS n FROM ${table} WHERE id = ${placeholder(1)}`,
        params: [id],
      });
      return Number((rows as Array<{ n: number | string }>)[0]!.n);
    };
    const insert = (id: string) => ({ connection: 'main', sql: `INSERT INTO ${table} (id) VALUES (${placeholder(1)})`, params: [id] });

    beforeAll(async () => {
      await db.execute({ connection: 'main', sql: `CREATE TABLE ${table} (id VARCHAR(40) PRIMARY KEY)` });
    });
    afterAll(async () => {
      await db.execute({ connection: 'main', sql: `DROP TABLE IF EXISTS ${table}` });
      await db.close();
    });

    it('a scope closed with its transaction open leaves no row; others do not see it meanwhile', async () => {
      const scope = db.openScope();
      await scope.execute({ connection: 'main', transaction: 'begin' });
      await scope.execute(insert('left-open'));
      for (let i = 0; i < 3; i++) await scope.execute({ connection: 'main', sql: 'SELECT 1 AS one' });
      expect(scope.openTransactions).toEqual(['main']);
      if (config.type !== 'sqlite') expect(await count('left-open')).toBe(0); // SQLite: the other caller waits for the transaction instead
      await scope.close();
      expect(scope.openTransactions).toEqual([]);
      expect(await count('left-open')).toBe(0);
    });

    it('commit keeps the row, rollback drops it', async () => {
      const scope = db.openScope();
      await scope.execute({ connection: 'main', transaction: 'begin' });
      await scope.execute(insert('committed'));
      await scope.execute({ connection: 'main', transaction: 'commit' });
      await scope.execute({ connection: 'main', transaction: 'begin' });
      await scope.execute(insert('rolled-back'));
      await scope.execute({ connection: 'main', transaction: 'rollback' });
      await scope.close();
      expect(await count('committed')).toBe(1);
      expect(await count('rolled-back')).toBe(0);
    });

    it('a failed statement inside the transaction: MySQL and SQLite commit the rest; PostgreSQL says the commit rolled back (it passed, keeping nothing)', async () => {
      const scope = db.openScope();
      await scope.execute({ connection: 'main', transaction: 'begin' });
      await scope.execute(insert('before-failure'));
      const duplicate = await catchError(scope.execute(insert('before-failure')));
      expect(duplicate.code).toBe(ErrorCode.DB);
      if (config.type === 'postgres') {
        const commit = await catchError(scope.execute({ connection: 'main', transaction: 'commit' }));
        expect(commit).toMatchObject({ code: ErrorCode.DB, title: 'Database error', hint: 'error code 25P02' });
        expect(commit.message).toBe(
          'the transaction was rolled back, not committed: a statement in it failed, which aborts a PostgreSQL transaction, so nothing it wrote was kept (connection "main", statement: COMMIT)',
        );
        expect(scope.openTransactions).toEqual([]);
        expect(await count('before-failure')).toBe(0);
      } else {
        await scope.execute({ connection: 'main', transaction: 'commit' });
        expect(await count('before-failure')).toBe(1);
      }
      await scope.close();
    });

    // A server-side connection to lose: SQLite has none (its file is opened in-process), so the case is not registered for it.
    const withServer = (config.type === 'sqlite' ? () => undefined : it) as typeof it;
    withServer(
      'a connection the server closes while a transaction holds it: the next operation fails, nothing crashes, the scope closes',
      async () => {
        const scope = db.openScope();
        await scope.execute({ connection: 'main', transaction: 'begin' });
        await scope.execute(insert('lost'));
        const own = await scope.execute({
          connection: 'main',
          sql: config.type === 'postgres' ? 'SELECT pg_backend_pid() AS pid' : 'SELECT CONNECTION_ID() AS pid',
        });
        const pid = Number((own.rows as Array<{ pid: number }>)[0]!.pid);
        // Another connection ends it, as a server restart or a dropped network would.
        await db.execute(
          config.type === 'postgres'
            ? { connection: 'main', sql: 'SELECT pg_terminate_backend($1)', params: [pid] }
            : { connection: 'main', sql: 'KILL ?', params: [pid], multipleStatements: true },
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        // Before (PostgreSQL): the held client emitted 'error' with no listener and the process died.
        const lost = await catchError(scope.execute({ connection: 'main', sql: 'SELECT 1 AS one' }));
        expect(lost.code).toBe(ErrorCode.DB);
        await scope.close();
        expect(scope.openTransactions).toEqual([]);
        expect(await count('lost')).toBe(0);
      },
    );

    it('refuses begin twice, commit without begin, and a transaction outside a scope', async () => {
      const scope = db.openScope();
      await scope.execute({ connection: 'main', transaction: 'begin' });
      const twice = await catchError(scope.execute({ connection: 'main', transaction: 'begin' }));
      expect(twice.code).toBe(ErrorCode.DB);
      expect(twice.message).toBe('cannot begin on the connection "main": a transaction is already open on it');
      await scope.close();
      const none = await catchError(scope.execute({ connection: 'main', transaction: 'commit' }));
      expect(none.message).toBe('cannot commit on the connection "main": no transaction is open on it');
      const outside = await catchError(db.execute({ connection: 'main', transaction: 'begin' }));
      expect(outside.code).toBe(ErrorCode.INVALID_INPUT);
    });
  });
}

describe('SQLite: one handle for every scenario run', () => {
  it("an operation waiting for another run's transaction times out and never runs afterwards", async () => {
    const db = new DbConnections({ lite: { type: 'sqlite', database: join(sqliteDir, 'wait.db') } });
    await db.execute({ connection: 'lite', sql: 'CREATE TABLE t (id INTEGER)' });
    const holder = db.openScope();
    await holder.execute({ connection: 'lite', transaction: 'begin' });
    const waiting = await catchError(db.execute({ connection: 'lite', sql: 'INSERT INTO t (id) VALUES (?)', params: [1], timeout: 100 }));
    expect(waiting.code).toBe(ErrorCode.TIMEOUT);
    await holder.execute({ connection: 'lite', transaction: 'commit' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await db.execute({ connection: 'lite', sql: 'SELECT count(*) AS n FROM t' })).rows).toEqual([{ n: 0 }]);
    await db.close();
  });
});

describe('transactions on a connection without them', () => {
  it('refuses begin on Redis before connecting', async () => {
    const db = new DbConnections({ cache: { type: 'redis', url: 'redis://127.0.0.1:1' } });
    const error = await catchError(db.openScope().execute({ connection: 'cache', transaction: 'begin' }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toBe('a "transaction" operation cannot run on the redis connection "cache"');
    await db.close();
  });
});
