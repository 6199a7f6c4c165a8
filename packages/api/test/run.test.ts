/** run(plan): a plan and its JSON copy run identically; events reach reporters and listeners. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHtmlReporter,
  createJsonReporter,
  createJunitReporter,
  type ErrorInfo,
  loadPlan,
  loadPlanWithSecrets,
  type RunEvent,
  type RunPlan,
  type RunSettings,
  run,
  Variables,
  validate,
} from '../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
}, 60_000);
afterAll(() => server.close());

/** What a run did, without times: every step's id, name, kind and status, and the totals. */
async function trace(plan: RunPlan): Promise<unknown> {
  const events: RunEvent[] = [];
  const result = await run(plan, { env: {}, envVars: { base: server.url }, onEvent: (event) => events.push(event) });
  const steps = events.flatMap((e) =>
    e.type === 'step:end' ? [`${e.result.id} ${e.result.name} ${e.result.kind} ${e.result.status}`] : [],
  );
  return { status: result.status, totals: result.totals, steps };
}

describe('run', () => {
  it('runs a plan and its JSON copy identically (includes and iteration data from the plan)', async () => {
    const plan = await loadPlan({
      paths: ['fixtures/scenarios/flow/flow-control.json', 'fixtures/scenarios/flow/data-driven.json'],
      cwd: ROOT,
      environment: 'fixtures/environments/local.json',
      iterationData: 'fixtures/scenarios/flow/parts/users.csv',
      env: {},
    });
    expect(Object.keys(plan.includes)).toEqual(['fixtures/scenarios/flow/parts/login.json']);
    const copy: RunPlan = JSON.parse(JSON.stringify(plan));
    const [original, shipped] = [await trace(plan), await trace(copy)];
    expect(shipped).toEqual(original);
    expect(original).toMatchObject({ status: 'passed' });
  }, 60_000);

  it('validate checks every input without asking for secret values', async () => {
    const plan = await validate({ paths: ['fixtures/scenarios/ok'], cwd: ROOT });
    expect(plan.scenarios.length).toBeGreaterThan(3);
    await expect(validate({ paths: ['fixtures/scenarios/invalid/bad-include.json'], cwd: ROOT })).rejects.toMatchObject({
      code: 'SORTIE_INVALID_INPUT',
    });
  }, 60_000);

  it("redacts the values of a Postman collection's variables typed secret, which the plan holds (loadPlan, then run)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sortie-api-secret-'));
    try {
      const secret = 'collection-secret-4417';
      const collection = {
        info: { name: 'secret variable', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        variable: [
          { key: 'key', value: secret, type: 'secret' },
          { key: 'base', value: server.url },
        ],
        item: [
          {
            name: 'echo the key',
            request: { method: 'GET', url: '{{base}}/echo?key={{key}}', header: [{ key: 'X-Key', value: '{{key}}' }] },
            event: [
              {
                listen: 'test',
                script: {
                  exec: [
                    "console.log('the key is', pm.collectionVariables.get('key'));",
                    "pm.test('the key is sent', () => pm.expect(pm.response.json().headers['x-key']).to.eql('not ' + pm.variables.get('key')));",
                  ],
                },
              },
            ],
          },
        ],
      };
      await writeFile(join(dir, 'secret.postman_collection.json'), JSON.stringify(collection));
      const plan: RunPlan = JSON.parse(JSON.stringify(await loadPlan({ paths: ['secret.postman_collection.json'], cwd: dir, env: {} })));
      const events: RunEvent[] = [];
      const reports = ['report.json', 'report.xml', 'report.html'].map((name) => join(dir, name));
      const result = await run(plan, {
        env: {},
        reporters: [
          createJsonReporter({ file: reports[0]! }),
          createJunitReporter({ file: reports[1]! }),
          createHtmlReporter({ file: reports[2]! }),
        ],
        onEvent: (event) => events.push(event),
      });
      // The request was sent with the value and the test failed on it: the value was there to leak.
      expect(result.status).toBe('failed');
      const everything = [
        JSON.stringify(events),
        JSON.stringify(result),
        ...(await Promise.all(reports.map((file) => readFile(file, 'utf8')))),
      ];
      expect(everything[0]).toContain('x-key');
      for (const text of everything) expect(text).not.toContain(secret);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('rejects what is not a run plan, or not inputs, with a SortieError that says so (JavaScript callers have no types)', async () => {
    const notAPlan = { code: 'SORTIE_INVALID_INPUT', title: 'Invalid run plan' };
    await expect(run(null as unknown as RunPlan)).rejects.toMatchObject({
      ...notAPlan,
      message: 'expected a run plan of format sortie-plan/1',
    });
    await expect(run({ format: 'sortie-plan/1' } as unknown as RunPlan)).rejects.toMatchObject({
      ...notAPlan,
      message: 'a run plan of format sortie-plan/1 has "root" (a string): this one has none',
    });
    const plan = await loadPlan({ paths: ['fixtures/scenarios/ok/login-and-items.json'], cwd: ROOT });
    await expect(run({ ...plan, scenarios: {} } as unknown as RunPlan)).rejects.toMatchObject({
      ...notAPlan,
      message: 'a run plan of format sortie-plan/1 has "scenarios" (a list): this one has another value',
    });
    const notInputs = { code: 'SORTIE_USAGE', message: '"paths" must be a list of scenario files and folders' };
    await expect(loadPlan({ paths: 'fixtures/scenarios/ok' } as unknown as { paths: string[] })).rejects.toMatchObject(notInputs);
    await expect(validate(undefined as unknown as { paths: string[] })).rejects.toMatchObject(notInputs);
  });

  it('rejects inputs and run settings of the wrong kind with a SortieError that names the field, not a TypeError from inside', async () => {
    const plan = await loadPlan({ paths: ['fixtures/scenarios/ok/login-and-items.json'], cwd: ROOT });
    const inputs: Array<[Record<string, unknown>, string]> = [
      [{ cwd: 5 }, '"cwd" must be a string, got a number'],
      [{ environment: 7 }, '"environment" must be a string, got a number'],
      [{ iterationData: {} }, '"iterationData" must be a string, got an object'],
      [{ workingDir: null }, '"workingDir" must be a string, got null'],
      [{ scripts: 'lib' }, '"scripts" must be a list of strings, got a string'],
      [{ folders: [1] }, '"folders" must be a list of strings, got a list holding a non-string'],
      [{ env: 'x' }, '"env" must be an object of names to values, got a string'],
      [{ secretOverrides: [] }, '"secretOverrides" must be an object of names to values, got a list'],
    ];
    await expect(loadPlan({ paths: [], cwd: ROOT })).rejects.toMatchObject({
      code: 'SORTIE_USAGE',
      title: 'No scenarios',
      message: 'no scenario files or folders given ("paths" is empty)',
    });
    for (const [input, message] of inputs) {
      await expect(
        loadPlan({ paths: ['fixtures/scenarios/ok/login-and-items.json'], cwd: ROOT, ...input } as unknown as { paths: string[] }),
        JSON.stringify(input),
      ).rejects.toMatchObject({ name: 'SortieError', code: 'SORTIE_USAGE', title: 'Invalid inputs', message });
    }
    const settings: Array<[unknown, string]> = [
      [null, 'settings expects an object, got null'],
      ['x', 'settings expects an object, got a string'],
      [{ reporters: {} }, 'reporters expects a list of reporters, got an object'],
      [{ reporters: [null] }, 'reporters expects a list of reporters, got a list'],
      [{ onEvent: 5 }, 'onEvent expects a function, got a number'],
      [{ envVars: { base: undefined } }, 'envVars expects an object of names to string values, got an object'],
      [{ secrets: 's3cr3t' }, 'secrets expects an object of names to string values, got a string'],
      [{ ca: '-----BEGIN CERTIFICATE-----' }, 'ca expects a list of PEM texts, got a string'],
      [{ root: 1 }, 'root expects a folder path (a string), got a number'],
      [{ globals: [] }, 'globals expects an object of names to values, got a list'],
      [{ env: null }, 'env expects an object of names to values, got null'],
      [{ options: 'bail' }, 'options expects an object of run options, got a string'],
    ];
    for (const [given, message] of settings) {
      const error = await run(plan, given as RunSettings).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error, JSON.stringify(given)).toMatchObject({
        name: 'SortieError',
        code: 'SORTIE_INVALID_INPUT',
        title: 'Invalid run setting',
        message,
      });
      // The value itself is never shown: it may be a secret.
      expect(JSON.stringify(error), JSON.stringify(given)).not.toContain('s3cr3t');
    }
  });

  it('rejects run options a JavaScript caller got wrong, before any event or request (parallel: "x" ran nothing and passed)', async () => {
    const requests: string[] = [];
    const api = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('{}');
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      const plan = await validate({ paths: ['fixtures/scenarios/ok/login-and-items.json'], cwd: ROOT });
      const refused: Array<[Record<string, unknown>, string]> = [
        [{ parallel: 'x' }, 'parallel expects a whole number ≥ 1, got "x"'],
        [{ parallel: 0 }, 'parallel expects a whole number ≥ 1, got 0'],
        [{ iterations: -1 }, 'iterations expects a whole number ≥ 1, got -1'],
        [{ iterations: 0 }, 'iterations expects a whole number ≥ 1, got 0'],
        [{ iterations: '3' }, 'iterations expects a whole number ≥ 1, got "3"'],
        [{ timeoutRequest: -5 }, 'timeoutRequest expects a whole number of milliseconds ≥ 1, got -5'],
        [{ delayRequest: Number.NaN }, 'delayRequest expects a whole number of milliseconds ≥ 0, got NaN'],
        [{ seed: 'abc' }, 'seed expects a whole number ≥ 0, got "abc"'],
        [{ keepResults: 'none' }, 'keepResults expects "all" or "problems", got "none"'],
        [{ signal: 'x' }, 'signal expects an AbortSignal, got "x"'],
        [{ retryFailed: -1 }, 'retryFailed expects a whole number from 0 to 100, got -1'],
      ];
      for (const [options, message] of refused) {
        const events: string[] = [];
        await expect(
          run(plan, { envVars: { base }, options: options as RunSettings['options'], onEvent: (event) => events.push(event.type) }),
          JSON.stringify(options),
        ).rejects.toMatchObject({ name: 'SortieError', code: 'SORTIE_INVALID_INPUT', title: 'Invalid run option', message });
        expect(events, JSON.stringify(options)).toEqual([]);
      }
      expect(requests).toEqual([]);
      const fine = await run(plan, {
        envVars: { base },
        options: { parallel: 2, iterations: 2, delayRequest: 0, keepResults: 'problems' },
      });
      // This server answers `{}` to the login (no token): each of the two runs stops after it.
      expect(fine.totals).toMatchObject({ steps: 4, requests: 2 });
      expect(requests).toEqual(['/login?v=2', '/login?v=2']);
    } finally {
      api.close();
    }
  });

  it('a listener that throws does not become an error of the API test: the run goes on, then run() rejects with it', async () => {
    const plan = await loadPlan({ paths: ['fixtures/scenarios/ok/login-and-items.json'], cwd: ROOT });
    const dir = await mkdtemp(join(tmpdir(), 'sortie-api-listener-'));
    try {
      const bug = new Error('bug in the listener');
      const seen: string[] = [];
      const outcome = run(plan, {
        envVars: { base: server.url },
        reporters: [createJsonReporter({ file: join(dir, 'report.json') })],
        onEvent: (event) => {
          if (event.type === 'step:end') seen.push(`${event.result.name} ${event.result.status}`);
          if (event.type === 'run:end') seen.push(`run ${event.result.status} ${event.result.totals.steps} steps`);
          if (event.type === 'step:end' || event.type === 'run:start') throw bug;
        },
      });
      await expect(outcome).rejects.toBe(bug);
      expect(seen).toEqual(['login passed', 'items passed', 'run passed 2 steps']);
      expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))).toMatchObject({
        status: 'passed',
        totals: { steps: 2, passed: 2 },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a report that cannot be written does not reject: run() resolves with the result and names the report in reportErrors', async () => {
    const plan = await loadPlan({ paths: ['fixtures/scenarios/failed/wrong-expectations.json'], cwd: ROOT });
    const dir = await mkdtemp(join(tmpdir(), 'sortie-api-unwritable-'));
    try {
      await writeFile(join(dir, 'a-file'), 'not a folder');
      const result = await run(plan, {
        envVars: { base: server.url },
        reporters: [
          createJsonReporter({ file: join(dir, 'a-file', 'report.json') }),
          createJunitReporter({ file: join(dir, 'junit.xml') }),
          createHtmlReporter({ file: join(dir, 'a-file', 'report.html') }),
        ],
      });
      // The run's own outcome is there (the API failed its assertions), and the report that could be written was.
      expect(result.status).toBe('failed');
      expect(result.totals.failedAssertions).toBeGreaterThan(0);
      expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toContain('<testsuites');
      // Typed with the package's own ErrorInfo, as docs/api.md names it.
      const reportErrors: ErrorInfo[] | undefined = result.reportErrors;
      expect(reportErrors).toMatchObject([
        {
          code: 'SORTIE_USAGE',
          title: 'Cannot write report',
          message: expect.stringMatching(/^cannot write .*a-file\/report\.json \((ENOTDIR|EEXIST)\)$/),
          hint: 'check that the report path is writable and its parent is a directory',
        },
        {
          code: 'SORTIE_USAGE',
          title: 'Cannot write report',
          message: expect.stringMatching(/^cannot write .*a-file\/report\.html \((ENOTDIR|EEXIST)\)$/),
          hint: 'check that the report path is writable and its parent is a directory',
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hands the run its own Variables, exported by the package, to read the environment after the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sortie-api-variables-'));
    try {
      const scenario = {
        name: 'sets an environment variable',
        steps: [
          {
            name: 'echo',
            request: { method: 'GET', url: '{{base}}/echo?who=ann' },
            post: [{ extract: { var: 'who', jsonpath: '$.query.who', scope: 'environment' } }],
          },
        ],
      };
      await writeFile(join(dir, 'scenario.json'), JSON.stringify(scenario));
      const plan = await loadPlan({ paths: ['scenario.json'], cwd: dir });
      const variables = new Variables();
      const result = await run(plan, { envVars: { base: server.url }, variables });
      expect(result.status).toBe('passed');
      expect(variables.getIn('environment', 'who')).toBe('ann');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('points a missing secret of a Postman environment export at its entry in the file, and the plan carries the export without its values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sortie-api-pm-env-'));
    try {
      const secret = 'environment-secret-5521';
      const environment = {
        name: 'staging',
        values: [
          { key: 'base', value: server.url, enabled: true },
          { key: 'token', value: secret, type: 'secret', enabled: true },
        ],
        _postman_variable_scope: 'environment',
      };
      await writeFile(join(dir, 'staging.postman_environment.json'), `${JSON.stringify(environment, null, 2)}\n`);
      const scenario = { name: 'echo', steps: [{ name: 'echo', request: { method: 'GET', url: '{{base}}/echo?t={{token}}' } }] };
      await writeFile(join(dir, 'scenario.json'), JSON.stringify(scenario));
      const inputs = { paths: ['scenario.json'], cwd: dir, environment: 'staging.postman_environment.json' };
      const plan = await loadPlan(inputs);
      expect(JSON.stringify(plan)).not.toContain(secret);
      // The value is in the user's file, never in the plan: run() without it names the entry where it is written.
      await expect(run(plan, { env: {} })).rejects.toMatchObject({
        code: 'SORTIE_INVALID_INPUT',
        message: 'secret "token" has no value',
        location: { file: 'staging.postman_environment.json', line: 10, column: 14 },
      });
      const loaded = await loadPlanWithSecrets(inputs);
      const result = await run(loaded.plan, { secrets: loaded.secrets });
      expect(result.status).toBe('passed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
