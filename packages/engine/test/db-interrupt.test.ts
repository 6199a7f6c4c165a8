/**
 * An interrupt (Ctrl-C, SIGTERM: the run's signal) during a long SQL statement, through the real
 * engine against the real PostgreSQL and MariaDB: the statement is cancelled on the server (it ran on
 * to its timeout, and the teardown waited for it), the step is `Interrupted`, and the teardown's own
 * statement runs at once.
 */
import { connect } from 'node:net';
import { type DatabaseConnection, EnvironmentSchema, ErrorCode, ScenarioSchema } from '@sortie/core';
import { DbConnections } from '@sortie/db';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlows } from './support/run-flow.js';

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const [pgUp, mariaUp] = await Promise.all([reachable(5432), reachable(3306)]);
if ((!pgUp || !mariaUp) && process.env.CI) throw new Error('PostgreSQL (5432) or MariaDB (3306) is not reachable, and CI is set');

const table = `probe_db_interrupt_${process.pid}`;
const cases: Array<{
  name: string;
  up: boolean;
  main: DatabaseConnection;
  p: string;
  sleep: string;
  /** How many statements of `sleep` still run on the server. */
  running: string;
}> = [
  {
    name: 'PostgreSQL',
    up: pgUp,
    main: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' },
    p: '$1',
    sleep: `SELECT pg_sleep(30) AS ${table}`,
    running: `SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(30) AS ${table}%'`,
  },
  {
    name: 'MariaDB',
    up: mariaUp,
    main: { type: 'mariadb', url: 'mysql://root@127.0.0.1:3306/test' },
    p: '?',
    sleep: `SELECT SLEEP(30) AS ${table}`,
    running: `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(30) AS ${table}%'`,
  },
];

for (const { name, up, main, p, sleep, running } of cases) {
  describe.skipIf(!up)(`an interrupt during a SQL statement: ${name}`, () => {
    const check = new DbConnections({ main });
    afterAll(async () => {
      await check.execute({ connection: 'main', sql: `DROP TABLE IF EXISTS ${table}` });
      await check.close();
    });
    const stillRunning = async () =>
      Number(((await check.execute({ connection: 'main', sql: running })).rows as Array<{ n: number | string }>)[0]?.n);

    it('cancels the statement on the server, reports the step Interrupted and runs the teardown at once', async () => {
      await check.execute({ connection: 'main', sql: `CREATE TABLE IF NOT EXISTS ${table} (mark VARCHAR(40))` });
      const environment = {
        value: EnvironmentSchema.parse({ name: 'interrupt', databases: { main } }),
        file: 'env.json',
        dir: process.cwd(),
      };
      const scenario = ScenarioSchema.parse({
        name: 'long statement',
        steps: [
          { name: 'sleep', db: { connection: 'main', sql: sleep } },
          { name: 'never', db: { connection: 'main', sql: `INSERT INTO ${table} (mark) VALUES (${p})`, params: ['never'] } },
        ],
        teardown: [
          { name: 'clean up', db: { connection: 'main', sql: `INSERT INTO ${table} (mark) VALUES (${p})`, params: ['teardown'] } },
        ],
      });
      const stop = new AbortController();
      const started = Date.now();
      const run = runFlows([{ value: scenario, file: 'long.json', dir: process.cwd() }], {
        environment,
        signal: stop.signal,
        teardownGrace: 20_000,
        onEvent: (event) => {
          if (event.type === 'step:start' && event.name === 'sleep') setTimeout(() => stop.abort(), 400);
        },
      });
      // While the statement runs, the server has it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await stillRunning()).toBe(1);
      const { result, steps } = await run;
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result.status).toBe('interrupted');
      const sleepStep = steps.find((s) => s.name === 'sleep');
      expect(sleepStep).toMatchObject({ status: 'error', error: { code: ErrorCode.INTERRUPTED, title: 'Interrupted' } });
      expect(sleepStep?.error?.message).toContain('the run was interrupted during this database operation, which was cancelled');
      expect(steps.find((s) => s.name === 'clean up')).toMatchObject({ status: 'passed' });
      const marks = await check.execute({ connection: 'main', sql: `SELECT mark FROM ${table}` });
      expect(marks.rows).toEqual([{ mark: 'teardown' }]);
      // Cancelled on the server, not only abandoned by the client.
      let left = await stillRunning();
      for (let i = 0; i < 20 && left > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        left = await stillRunning();
      }
      expect(left).toBe(0);
    }, 20_000);

    it('does not send a statement whose operation was interrupted while its connection was being opened', async () => {
      // A fresh DbConnections loads its driver and opens a connection first: the interrupt comes before
      // the driver listens for it. The statement ran to its end then, uncancelled, and close() waited for it.
      const fresh = new DbConnections({ main });
      const stop = new AbortController();
      const started = Date.now();
      const operation = fresh.execute({ connection: 'main', sql: sleep }, undefined, stop.signal);
      stop.abort();
      await expect(operation).rejects.toMatchObject({ code: ErrorCode.INTERRUPTED });
      await fresh.close();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await stillRunning()).toBe(0);
    }, 20_000);
  });
}
