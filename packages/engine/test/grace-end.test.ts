/**
 * After an interrupt, teardowns run until the teardown grace period ends; what that end cuts (a SQL
 * statement on the real PostgreSQL, a wait, a request's --delay-request) says that the grace period
 * ended, not that "the run was interrupted" during it (the interrupt came, and was honoured, earlier).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { EnvironmentSchema, ErrorCode, ScenarioSchema } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlows } from './support/run-flow.js';

const pgUp = await new Promise<boolean>((resolve) => {
  const socket = connect({ port: 5432, host: '127.0.0.1' });
  socket.once('connect', () => {
    socket.destroy();
    resolve(true);
  });
  socket.once('error', () => resolve(false));
});
if (!pgUp && process.env.CI) throw new Error('PostgreSQL (5432) is not reachable, and CI is set');

const main = { type: 'postgres' as const, url: 'postgres://postgres@127.0.0.1:5432/test' };
const GRACE_MS = 300;

/** Runs a scenario whose test waits, interrupts it at once, and returns the one teardown step's result. */
async function cutTeardown(teardownStep: unknown, options: { delayRequest?: number } = {}) {
  const scenario = ScenarioSchema.parse({ name: 'cut', steps: [{ name: 'hold', wait: 30_000 }], teardown: [teardownStep] });
  const stop = new AbortController();
  const started = Date.now();
  const run = await runFlows([{ value: scenario, file: 'cut.json', dir: process.cwd() }], {
    environment: { value: EnvironmentSchema.parse({ name: 'grace', databases: { main } }), file: 'env.json', dir: process.cwd() },
    signal: stop.signal,
    teardownGrace: GRACE_MS,
    ...options,
    onEvent: (event) => {
      if (event.type === 'step:start' && event.name === 'hold') setTimeout(() => stop.abort(), 50);
    },
  });
  expect(Date.now() - started).toBeLessThan(5_000);
  return run.steps.find((step) => step.name === 'cleanup');
}

describe('the end of the teardown grace period', () => {
  it.skipIf(!pgUp)(
    'cancels a teardown SQL statement and says the grace period ended (PostgreSQL)',
    async () => {
      const step = await cutTeardown({ name: 'cleanup', db: { connection: 'main', sql: 'SELECT pg_sleep(30) AS fix_flow_grace' } });
      expect(step).toMatchObject({ status: 'error', error: { code: ErrorCode.INTERRUPTED, title: 'Interrupted' } });
      expect(step?.error?.message).toBe(
        `the teardown grace period (${GRACE_MS} ms) ended during this database operation, which was cancelled (connection "main", statement: SELECT pg_sleep(30) AS fix_flow_grace)`,
      );
    },
    10_000,
  );

  it('cuts a teardown wait and says the grace period ended', async () => {
    const step = await cutTeardown({ name: 'cleanup', wait: 30_000 });
    expect(step).toMatchObject({ status: 'error', error: { code: ErrorCode.INTERRUPTED, title: 'Interrupted' } });
    expect(step?.error?.message).toMatch(
      new RegExp(`^the teardown grace period \\(${GRACE_MS} ms\\) ended during this wait, after \\d+ of 30000 ms$`),
    );
  }, 10_000);

  it('stops a teardown request before it is sent and says the grace period ended', async () => {
    const step = await cutTeardown({ name: 'cleanup', request: { url: 'http://127.0.0.1:1/never' } }, { delayRequest: 30_000 });
    expect(step).toMatchObject({ status: 'error', error: { code: ErrorCode.INTERRUPTED, title: 'Interrupted' } });
    expect(step?.error?.message).toBe(`the teardown grace period (${GRACE_MS} ms) ended before this request was sent`);
  }, 10_000);
});

/** A server that answers /ok at once and holds every other request without answering; it notes the paths it received. */
let holding: Server;
let base = '';
const received: string[] = [];
beforeAll(async () => {
  holding = createServer((req, res) => {
    received.push(req.url ?? '');
    if (req.url === '/ok') res.end('ok');
  });
  await new Promise<void>((resolve) => holding.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(holding.address() as AddressInfo).port}`;
});
afterAll(() => {
  holding.closeAllConnections();
  holding.close();
});

describe('a request on its way when the run is interrupted', () => {
  it('is cut at the interrupt (not waited for until its timeout), and the teardown then runs', async () => {
    const scenario = ScenarioSchema.parse({
      name: 'cut',
      steps: [{ name: 'hold', request: { url: `${base}/hold`, timeout: 60_000 } }],
      teardown: [{ name: 'cleanup', request: { url: `${base}/ok` } }],
    });
    const stop = new AbortController();
    const started = Date.now();
    const run = await runFlows([{ value: scenario, file: 'cut.json', dir: process.cwd() }], {
      signal: stop.signal,
      teardownGrace: 10_000,
      onEvent: (event) => {
        if (event.type === 'step:start' && event.name === 'hold') setTimeout(() => stop.abort(), 200);
      },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    const hold = run.steps.find((step) => step.name === 'hold');
    expect(hold).toMatchObject({ status: 'error', error: { code: ErrorCode.INTERRUPTED, title: 'Interrupted' } });
    expect(hold?.error?.message).toMatch(new RegExp(`^the run was interrupted during this request \\(GET ${base}/hold\\)$`));
    expect(run.steps.find((step) => step.name === 'cleanup')).toMatchObject({ status: 'passed' });
    expect(received).toContain('/ok');
  }, 10_000);

  it('in a teardown, is cut when the grace period ends and says so', async () => {
    const step = await cutTeardown({ name: 'cleanup', request: { url: `${base}/teardown-hold`, timeout: 60_000 } });
    expect(received).toContain('/teardown-hold');
    expect(step).toMatchObject({ status: 'error', error: { code: ErrorCode.INTERRUPTED, title: 'Interrupted' } });
    expect(step?.error?.message).toMatch(
      new RegExp(`^the teardown grace period \\(${GRACE_MS} ms\\) ended during this request \\(GET ${base}/teardown-hold\\)$`),
    );
  }, 10_000);
});
