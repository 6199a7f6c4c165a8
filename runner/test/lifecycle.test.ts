/**
 * Setup, teardown, project hooks and flakiness through the real CLI in its own process, against the
 * fixture API. The server is asked what arrived (`GET /marks`): a teardown that "ran" must have
 * reached it. A SIGTERM during the test part still runs the teardown; the project's beforeAll runs
 * once whatever --parallel, exports its variables, and afterAll runs after failures; a hook that
 * does not validate stops the run before anything runs (exit 2); a plan shipped as JSON (what an
 * agent receives) carries its hooks.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan, type RunPlan, run } from '@sortie/api';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ReportSchema } from '@sortie/reporters';
import { CLI, ensureBuilt, expectGolden, normaliseJunit, normaliseReport, normaliseText, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';

const GOLDEN = join(import.meta.dirname, 'golden');
const XSD = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'conformance', 'junit-10.xsd'), 'utf8');

let server: FixtureServer;
let work: string;
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'sortie-lifecycle-'));
  return () => rmSync(work, { recursive: true, force: true });
});

const write = (name: string, value: unknown) => {
  mkdirSync(join(work, name, '..'), { recursive: true });
  writeFileSync(join(work, name), `${JSON.stringify(value, null, 2)}\n`);
};
const mark = (name: string) => ({ name: `mark ${name}`, request: { method: 'PUT', url: `{{base}}/marks/${name}` } });

async function marks(): Promise<Record<string, number>> {
  return ((await (await fetch(`${server.url}/marks`)).json()) as { marks: Record<string, number> }).marks;
}

describe('teardown after SIGTERM', () => {
  it('runs the teardown when `sortie run` is killed by SIGTERM during the test part, and the reports say so', async () => {
    write('killed.json', {
      name: 'killed mid-test',
      setup: [mark('sigterm-setup')],
      steps: [
        { name: 'slow', request: { url: '{{base}}/slow?ms=1500' } },
        { name: 'never', request: { url: '{{base}}/status/200' } },
      ],
      teardown: [mark('sigterm-teardown')],
    });
    const out = join(work, 'out');
    const child = spawn(
      process.execPath,
      [CLI, 'run', 'killed.json', '--env-var', `base=${server.url}`, '-r', 'cli,json,junit', '--out-dir', out],
      {
        cwd: work,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('setup › mark sigterm-setup')) resolve();
      });
    });
    // The setup ended, the slow request of the test is on its way: the kill comes during the test part.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(1);
    expect(await marks()).toMatchObject({ 'sigterm-setup': 1, 'sigterm-teardown': 1 });
    expectGolden(join(GOLDEN, 'lifecycle-sigterm.out'), normaliseText(stdout, server.port));
    expect(stderr).toContain('Interrupted (SIGTERM)');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(ReportSchema.safeParse(report).success).toBe(true);
    expect(report).toMatchObject({ status: 'interrupted', scenarios: [{ teardown: 'passed' }] });
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: junit }], schema: [XSD] });
    expect(validation.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(junit).toContain('name="teardown › mark sigterm-teardown"');
  }, 30_000);
});

describe('project hooks', () => {
  function project(hooks: Record<string, unknown>): void {
    write('sortie.config.json', { variables: { base: server.url }, ...hooks });
    write('hooks/after.json', { name: 'clean the tenant', steps: [mark('hooks-after-{{tenant}}')] });
    for (const name of ['a', 'b', 'c'])
      write(`scenarios/${name}.json`, { name: `scenario ${name}`, steps: [mark(`hooks-{{tenant}}-${name}`)] });
  }
  const beforeAll = {
    steps: [
      {
        name: 'seed a tenant',
        request: { method: 'PUT', url: '{{base}}/marks/hooks-before' },
        post: [{ extract: { var: 'tenant', jsonpath: '$.name' } }],
      },
    ],
    export: ['tenant'],
  };

  it('runs beforeAll once with --parallel, hands its exported variable to every scenario, and afterAll last', async () => {
    project({ beforeAll, afterAll: 'hooks/after.json' });
    const out = join(work, 'out');
    const result = await runSortie(['run', 'scenarios', '--parallel', '3', '-r', 'cli,json,junit', '--out-dir', out], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    expect(await marks()).toMatchObject({
      'hooks-before': 1,
      'hooks-hooks-before-a': 1,
      'hooks-hooks-before-b': 1,
      'hooks-hooks-before-c': 1,
      'hooks-after-hooks-before': 1,
    });
    expectGolden(join(GOLDEN, 'lifecycle-hooks.out'), normaliseText(result.stdout, server.port));
    const report = readFileSync(join(out, 'report.json'), 'utf8');
    expect(ReportSchema.safeParse(JSON.parse(report)).success).toBe(true);
    expectGolden(join(GOLDEN, 'lifecycle-hooks.report.json'), normaliseReport(report, server.port));
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: junit }], schema: [XSD] });
    expect(validation.errors.map((e) => e.rawMessage)).toEqual([]);
    expectGolden(join(GOLDEN, 'lifecycle-hooks.junit.xml'), normaliseJunit(junit, server.port));
  }, 30_000);

  it('runs no scenario when beforeAll fails, still runs afterAll, and exits 1', async () => {
    project({
      beforeAll: { steps: [{ name: 'seed', request: { url: '{{base}}/status/503' }, post: [{ assert: { status: { equals: 201 } } }] }] },
      afterAll: { steps: [mark('hooks-after-failed-before')] },
    });
    const result = await runSortie(['run', 'scenarios'], { cwd: work });
    expect(result.code).toBe(1);
    expect(await marks()).toMatchObject({ 'hooks-after-failed-before': 1 });
    expectGolden(join(GOLDEN, 'lifecycle-hooks-before-failed.out'), normaliseText(result.stdout, server.port));
  }, 30_000);

  it('refuses a hook that does not validate, at its place in the project file, before anything runs (exit 2)', async () => {
    project({ beforeAll: { steps: [{ name: 'seed', request: { url: '{{base}}/marks/{{unclosed' } }] } });
    const result = await runSortie(['run', 'scenarios'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectGolden(join(GOLDEN, 'lifecycle-hooks-invalid.err'), normaliseText(result.stderr, server.port));
  }, 30_000);

  it('carries the hooks in the run plan: its JSON copy (what an agent receives) runs them once', async () => {
    project({ beforeAll, afterAll: { steps: [mark('plan-after-{{tenant}}')] } });
    const plan = await loadPlan({ paths: ['scenarios'], cwd: work, env: {} });
    expect(Object.keys(plan.hooks ?? {})).toEqual(['beforeAll', 'afterAll']);
    const shipped: RunPlan = JSON.parse(JSON.stringify(plan));
    const before = (await marks())['hooks-before'] ?? 0;
    const result = await run(shipped, { env: {}, options: { parallel: 2 } });
    expect(result.status).toBe('passed');
    expect(result.scenarios.map((s) => s.hook ?? s.name)).toEqual(['beforeAll', 'scenario a', 'scenario b', 'scenario c', 'afterAll']);
    expect((await marks())['hooks-before']).toBe(before + 1);
    expect(await marks()).toMatchObject({ 'plan-after-hooks-before': 1 });
  }, 30_000);
});

describe('the example of docs/lifecycle.md', () => {
  it('runs fixtures/lifecycle: hooks once with --parallel, setup, teardowns after each pass, flaky steps', async () => {
    const cwd = join(import.meta.dirname, '..', '..', 'fixtures', 'lifecycle');
    const result = await runSortie(['run', 'scenarios', '--parallel', '2', '--env-var', `base=${server.url}`], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(await marks()).toMatchObject({
      'example-tenant': 1,
      'example-tenant-ann': 1,
      'example-tenant-bob': 1,
      'example-tenant-cart': 1,
    });
    expectGolden(join(GOLDEN, 'lifecycle-example.out'), normaliseText(result.stdout, server.port));
  }, 30_000);
});

describe('flaky steps', () => {
  it('passes with a flaky step, and --fail-on-flaky makes the same run fail', async () => {
    const scenario = (key: string) => ({
      name: 'flaky',
      steps: [
        {
          name: 'read',
          request: { url: `{{base}}/flaky/${key}?fail=1` },
          retry: { count: 1, delay: 0 },
          post: [{ assert: { status: { equals: 200 } } }],
        },
      ],
    });
    write('lenient.json', scenario('cli-lenient'));
    write('strict.json', scenario('cli-strict'));
    const lenient = await runSortie(['run', 'lenient.json', '--env-var', `base=${server.url}`], { cwd: work });
    expect(lenient.code).toBe(0);
    const strict = await runSortie(['run', 'strict.json', '--env-var', `base=${server.url}`, '--fail-on-flaky'], { cwd: work });
    expect(strict.code).toBe(1);
    expectGolden(join(GOLDEN, 'lifecycle-fail-on-flaky.out'), normaliseText(strict.stdout, server.port));
  }, 30_000);
});
