/**
 * Redaction happens once, as events leave the engine: every step type gets the same treatment.
 * Uses the machine's Redis (127.0.0.1:6379) for the db step.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AssertionResult,
  type Environment,
  EnvironmentSchema,
  type ErrorInfo,
  Redactor,
  type RunEvent,
  type StepEndEvent,
} from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactEvent } from '../src/redact-event.js';
import { type FlowServer, startFlowServer } from './support/flow-server.js';
import { runFlow } from './support/run-flow.js';

const SECRET = 'sk-live-9f8e7d6c5b4a';

let server: FlowServer;
beforeAll(async () => {
  server = await startFlowServer();
});
afterAll(async () => {
  await server.close();
});

function environment(): { value: Environment; file: string; dir: string } {
  const value = EnvironmentSchema.parse({ databases: { cache: { type: 'redis', url: 'redis://127.0.0.1:6379' } } });
  return { value, file: 'env.json', dir: process.cwd() };
}

function eventsText(events: RunEvent[]): string {
  return JSON.stringify(events);
}

describe('redaction at emit', () => {
  it('keeps the engine\u2019s own words of an assertion (operator "test", source "script") when a short secret spells them', async () => {
    const redactor = new Redactor();
    for (const secret of ['test', 'script', 'passed']) redactor.add(secret);
    const run = await runFlow(
      {
        name: 'short secrets',
        steps: [
          {
            name: 'echo',
            request: { url: `${server.url}/echo` },
            post: [{ script: "pm.test('a test that passed', () => pm.expect(1).to.equal(1));" }],
          },
        ],
      },
      { redactor },
    );
    const [assertion] = run.steps[0]!.assertions;
    expect(assertion).toMatchObject({ operator: 'test', source: 'script', passed: true });
    // What the scenario wrote is still redacted.
    expect(assertion?.name).toBe('a [REDACTED] that [REDACTED]');
  });

  it('redacts a db step like every other step: its failed assertion, error and logs carry no secret', async () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    const key = `sortie:test:redact:${process.pid}`;
    const run = await runFlow(
      {
        name: 'db redaction',
        options: { onError: 'continue' },
        variables: { stored: SECRET },
        steps: [
          { name: 'store', db: { connection: 'cache', redis: ['SET', key, SECRET, 'EX', '60'] } },
          {
            name: 'read back',
            db: { connection: 'cache', redis: ['GET', key] },
            post: [
              { assert: { jsonpath: { path: '$.value', equals: 'something else' } } },
              { script: `console.log('value is ' + pm.variables.get('stored'))` },
            ],
          },
          { name: 'bad command', db: { connection: 'cache', redis: ['NO-SUCH-COMMAND', SECRET] } },
        ],
      },
      { redactor, environment: environment() },
    );
    const read = run.steps.find((s) => s.name === 'read back')!;
    expect(read.error).toBeUndefined();
    expect(read.status).toBe('failed');
    expect(read.assertions[0]?.passed).toBe(false);
    expect(JSON.stringify(read.assertions)).toContain('[REDACTED]');
    expect(read.logs?.[0]?.message).toBe('value is [REDACTED]');
    expect(run.steps.find((s) => s.name === 'bad command')?.status).toBe('error');
    expect(eventsText(run.events)).not.toContain(SECRET);
  });

  it('redacts database passwords from the start of the run, before the first db operation and in a run without one', async () => {
    const literal = 'db-pw-literal-4d2c';
    const fromVariable = 'db-pw/var@7e1a';
    const value = EnvironmentSchema.parse({
      variables: { pgUrl: `postgres://app:${encodeURIComponent(fromVariable)}@127.0.0.1:1/test`, later: 'unused' },
      databases: {
        main: { type: 'postgres', url: '{{pgUrl}}' },
        other: { type: 'mysql', host: '127.0.0.1', port: 1, user: 'root', password: literal },
        notYet: { type: 'mysql', password: '{{setLater}}' },
      },
    });
    const run = await runFlow(
      {
        name: 'passwords before any db operation',
        steps: [
          {
            name: 'print them',
            script: `console.log(${JSON.stringify(literal)}); console.log(${JSON.stringify(fromVariable)}); console.log(pm.environment.get('pgUrl')); console.log('{{setLater}}')`,
          },
        ],
      },
      { environment: { value, file: 'env.json', dir: process.cwd() } },
    );
    expect(run.steps[0]?.status).toBe('passed');
    const logs = run.steps[0]?.logs?.map((log) => log.message);
    // Before: the passwords registered only when the first db operation opened the connections.
    // A setting whose variable is not set yet is no password: it registers when the connections open.
    expect(logs).toEqual(['[REDACTED]', '[REDACTED]', 'postgres://app:[REDACTED]@127.0.0.1:1/test', '{{setLater}}']);
    expect(eventsText(run.events)).not.toContain(literal);
  });

  // A script that stored `'Basic ' + …` under `authorization`, or a JWT under `jwt`, left it in the
  // clear (logs, reports, --export-globals): only names like token/password/apiKey made a secret.
  it('makes a variable a script sets to a credential value (Bearer/Basic …, a JWT) a secret, whatever its name', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXBhcnQ';
    const basic = 'dXNlcjpwYXNzd29yZA==';
    const run = await runFlow({
      name: 'credential values',
      steps: [
        {
          name: 'store',
          script: `pm.globals.set('authorization', 'Basic ${basic}'); pm.environment.set('jwt', '${jwt}');
                   pm.environment.set('greeting', 'Bearer'); pm.environment.set('note', 'basic idea');
                   console.log(pm.globals.get('authorization'), pm.environment.get('jwt'), '${basic}');`,
        },
        { name: 'later', script: "console.log(pm.environment.get('jwt'), pm.environment.get('greeting'), pm.environment.get('note'));" },
      ],
    });
    expect(run.steps.map((s) => s.status)).toEqual(['passed', 'passed']);
    const text = eventsText(run.events);
    expect(text).not.toContain(basic);
    expect(text).not.toContain(jwt);
    // Words that are not credentials stay as they are.
    expect(run.steps[1]?.logs?.[0]?.message).toBe('[REDACTED] Bearer basic idea');
  });

  it('redacts a wait step error and a request step assertion the same way', async () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    const run = await runFlow(
      {
        name: 'request and wait',
        options: { onError: 'continue' },
        steps: [
          {
            name: 'echo',
            request: { url: `${server.url}/echo`, query: { k: SECRET } },
            post: [{ assert: { jsonpath: { path: '$.k', equals: 'other' } } }],
          },
          { name: 'wait', wait: `{{missing_${SECRET}}}` },
        ],
      },
      { redactor, strictVariables: true },
    );
    expect(run.steps.map((s) => s.status)).toEqual(['failed', 'error']);
    expect(eventsText(run.events)).not.toContain(SECRET);
  });

  it("redacts a secret the server echoes in the response's reason phrase (HTTP/1.1 401 Bad <token>) or a header name", async () => {
    // The events are what an agent streams to Redis: no later redaction pass sees them there.
    const echo = createServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('t');
      res.statusMessage = `Bad token ${token}`;
      res.writeHead(401, { [`x-seen-${token}`]: '1' }).end();
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const redactor = new Redactor();
      redactor.add(SECRET);
      const run = await runFlow(
        {
          name: 'reason phrase',
          steps: [{ name: 'echo', request: { url: `http://127.0.0.1:${(echo.address() as AddressInfo).port}/?t=${SECRET}` } }],
        },
        { redactor },
      );
      expect(run.steps[0]?.response?.statusText).toBe('Bad token [REDACTED]');
      expect(run.steps[0]?.response?.headers).toContainEqual(['x-seen-[REDACTED]', '1']);
      expect(eventsText(run.events)).not.toContain(SECRET);
    } finally {
      echo.close();
    }
  });

  it('redacts a secret inside a binary body, which the record keeps as base64 (the events an agent streams to Redis)', async () => {
    const binary = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      // The secret at each of base64's three byte alignments.
      res.end(Buffer.concat([0, 1, 2].map((offset) => Buffer.concat([Buffer.alloc(offset, 0xff), Buffer.from(SECRET), Buffer.from([0])]))));
    });
    await new Promise<void>((resolve) => binary.listen(0, '127.0.0.1', resolve));
    try {
      const redactor = new Redactor();
      redactor.add(SECRET);
      const run = await runFlow(
        {
          name: 'binary body',
          steps: [{ name: 'bytes', request: { url: `http://127.0.0.1:${(binary.address() as AddressInfo).port}/` } }],
        },
        { redactor },
      );
      const body = run.steps[0]?.response?.body;
      expect(body?.encoding).toBe('base64');
      expect(body?.text.match(/\[REDACTED\]/g)).toHaveLength(3);
      expect(Buffer.from(body?.text.replaceAll('[REDACTED]', '') ?? '', 'base64').toString('latin1')).not.toContain(SECRET.slice(0, 8));
      expect(eventsText(run.events)).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 12));
    } finally {
      binary.close();
    }
  });

  it('leaves a result that holds no secret as it is, and redacts the parts of one that does', () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    const assertion = { selector: 'status', operator: 'equals', expected: 200, actual: 200, passed: true };
    const clean = stepEnd([assertion]);
    redactEvent(clean, redactor);
    expect(clean.result.assertions[0]).toBe(assertion);
    const leaking = stepEnd([{ ...assertion, passed: false, actual: SECRET }]);
    leaking.result.error = { code: 'SORTIE_NETWORK', title: 'Refused', message: `no ${SECRET}` };
    redactEvent(leaking, redactor);
    expect(leaking.result.assertions[0]?.actual).toBe('[REDACTED]');
    expect(leaking.result.error.message).toBe('no [REDACTED]');
  });
});

function stepEnd(assertions: AssertionResult[]): StepEndEvent & { result: { error?: ErrorInfo } } {
  return {
    type: 'step:end',
    scenario: 'x.json',
    result: { id: '0', name: 'step', kind: 'request', path: [], status: 'passed', startedAt: 0, durationMs: 1, assertions, extracted: [] },
  };
}
