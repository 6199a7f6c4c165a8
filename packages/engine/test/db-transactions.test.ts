/** Transactions across db steps, through the real engine: one held connection per scenario run, rolled back when it ends open. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseConnection, EnvironmentSchema, ScenarioSchema } from '@sortie/core';
import { DbConnections } from '@sortie/db';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlows } from './support/run-flow.js';

const dir = mkdtempSync(join(tmpdir(), 'sortie-engine-tx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pgUp = await new Promise<boolean>((resolve) => {
  import('node:net').then(({ connect }) => {
    const socket = connect({ port: 5432, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
});
if (!pgUp && process.env.CI) throw new Error('PostgreSQL (5432) is not reachable, and CI is set');

const table = `sortie_engine_tx_${process.pid}`;
const cases: Array<{ name: string; up: boolean; main: DatabaseConnection; p: string }> = [
  { name: 'SQLite', up: true, main: { type: 'sqlite', database: join(dir, 'tx.db') }, p: '?' },
  { name: 'PostgreSQL', up: pgUp, main: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' }, p: '$1' },
];

for (const { name, up, main, p } of cases) {
  describe.skipIf(!up)(`transaction steps: ${name}`, () => {
    const environment = { value: EnvironmentSchema.parse({ name: 'tx', databases: { main } }), file: 'env.json', dir };
    const scenario = (file: string, steps: unknown[]) => ({ value: ScenarioSchema.parse({ name: file, steps }), file, dir });
    const check = new DbConnections({ main });
    afterAll(async () => {
      await check.execute({ connection: 'main', sql: `DROP TABLE IF EXISTS ${table}` });
      await check.close();
    });
    const ids = async () =>
      ((await check.execute({ connection: 'main', sql: `SELECT id FROM ${table} ORDER BY id` })).rows as Array<{ id: string }>).map(
        (r) => r.id,
      );

    it('a scenario that begins and inserts without commit leaves no row; one that commits across steps keeps it', async () => {
      await check.execute({ connection: 'main', sql: `CREATE TABLE IF NOT EXISTS ${table} (id VARCHAR(20) PRIMARY KEY)` });
      const insert = (id: string) => ({
        name: `insert ${id}`,
        db: { connection: 'main', sql: `INSERT INTO ${table} (id) VALUES (${p})`, params: [id] },
      });
      const run = await runFlows(
        [
          scenario('open.json', [{ name: 'begin', db: { connection: 'main', transaction: 'begin' } }, insert('open')]),
          scenario('committed.json', [
            { name: 'begin', db: { connection: 'main', transaction: 'begin' } },
            insert('a'),
            {
              name: 'seen inside the transaction',
              db: { connection: 'main', sql: `SELECT count(*) AS n FROM ${table} WHERE id = ${p}`, params: ['a'] },
              post: [{ assert: { jsonpath: { path: '$.rows[0].n', equals: 1 } } }],
            },
            { name: 'commit', db: { connection: 'main', transaction: 'commit' } },
          ]),
        ],
        { environment },
      );
      expect(run.trace.map((t) => t.replace(/^\S+ /, ''))).toEqual([
        'begin passed',
        'insert open passed',
        'begin passed',
        'insert a passed',
        'seen inside the transaction passed',
        'commit passed',
      ]);
      expect(run.steps[0]!.db?.[0]?.operation).toBe('BEGIN');
      expect(await ids()).toEqual(['a']);
    });

    it('commit without begin is a step error with a hint', async () => {
      const run = await runFlows([scenario('stray.json', [{ name: 'commit', db: { connection: 'main', transaction: 'commit' } }])], {
        environment,
      });
      expect(run.steps[0]!.status).toBe('error');
      expect(run.steps[0]!.error).toMatchObject({
        code: 'SORTIE_DB',
        message: 'cannot commit on the connection "main": no transaction is open on it',
      });
    });
  });
}
