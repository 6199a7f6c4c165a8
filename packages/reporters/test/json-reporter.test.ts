import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Redactor, type RunEvent } from '@sortie/core';
import { goldenIn, normaliseReport } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeReporters,
  createJsonReporter,
  dispatchEvent,
  REPORT_SCHEMA_URL,
  REPORT_VERSION,
  type ReportScenario,
  ReportSchema,
} from '../src/index.js';
import { driveJson, feed } from './support/drive.js';
import { containerStep, interleavedRun, requestStep, type ScenarioPlan, sequentialRun } from './support/events.js';
import { failuresPlan, iterationPlan, loadErrorPlan, nestedPlan, parallelPlans, passingPlan } from './support/plans.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden'));

type ReportStep = ReportScenario['steps'][number];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-json-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function parseReport(text: string) {
  return ReportSchema.parse(JSON.parse(text));
}

/** Temporary spool directories of JSON reporters that are currently open. */
function listSpoolDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('sortie-json-') && !name.startsWith('sortie-json-test-'));
}

describe('JSON reporter', () => {
  const jumpsPlan = (): ScenarioPlan => {
    const poll = () => requestStep({ id: '1', name: 'poll' });
    const group = () => containerStep('2', 'checks', 'group', [requestStep({ id: '2.0', name: 'check', path: ['checks'] })]);
    return {
      name: 'jumps',
      file: 'jumps.json',
      steps: [requestStep({ id: '0', name: 'start' }), poll(), poll(), poll(), group(), group(), requestStep({ id: '3', name: 'done' })],
    };
  };

  it('gives each run of a step that setNextRequest runs again an id of its own (steps inside a group run again too)', async () => {
    for (const options of [{}, { nestedOnly: ['2'] }]) {
      const report = JSON.parse(await driveJson(dir, 'jumps', sequentialRun([{ ...jumpsPlan(), ...options }])));
      const ids: string[] = [];
      const walk = (steps: ReportStep[]) => {
        for (const step of steps) {
          ids.push(step.id);
          walk(step.children ?? []);
        }
      };
      walk(report.scenarios[0].steps);
      expect(ids).toEqual(['0', '1', '1~2', '1~3', '2', '2.0', '2~2', '2~2.0', '3']);
    }
  });

  it('writes a versioned report that validates against ReportSchema', async () => {
    const text = await driveJson(dir, 'passing', sequentialRun([passingPlan()]));
    const report = parseReport(text);
    expect(report.$schema).toBe(REPORT_SCHEMA_URL);
    expect(report.version).toBe(REPORT_VERSION);
    expect(report.tool).toEqual({ name: 'sortie', version: '1.2.3' });
    expect(report.startedAt).toBe('2025-01-02T03:04:05.678Z');
    expect(report.status).toBe('passed');
    expect(report.scenarios).toHaveLength(1);
    expect(report.scenarios[0]?.steps.map((s) => s.name)).toEqual(['list users', 'create user']);
    expect(report.scenarios[0]?.steps[0]?.response?.status).toBe(200);
    await expectGolden('json-passing.json', normaliseReport(text));
  });

  it('pretty-prints deterministically: the same events give the same bytes', async () => {
    const events = sequentialRun([failuresPlan(), loadErrorPlan()]);
    const first = await driveJson(dir, 'same-1', events);
    const second = await driveJson(dir, 'same-2', events);
    expect(first).toBe(second);
    expect(first.split('\n')[1]).toBe(`  "$schema": "${REPORT_SCHEMA_URL}",`);
  });

  it('records failures, errors, skipped steps, nested containers and a scenario that failed to load', async () => {
    const text = await driveJson(dir, 'failures', sequentialRun([failuresPlan(), loadErrorPlan()]));
    const report = parseReport(text);
    expect(report.status).toBe('error');
    const [orders, broken] = report.scenarios;
    expect(orders?.name).toBe('Orders <&> "quoted"');
    expect(orders?.steps.map((s) => s.status)).toEqual(['failed', 'error', 'failed', 'passed', 'skipped']);
    expect(orders?.steps[1]?.error).toMatchObject({ code: ErrorCode.NETWORK, hint: 'is the server running?' });
    expect(orders?.steps[1]?.attempts?.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(orders?.steps[0]?.assertions[2]?.message).toBe('expected "Zoë & <Ω>" but was null\u0001\u001b[31m ☕');
    // The group's children came as their own events: nested under the group with all their details, once.
    const group = orders?.steps[2];
    expect(group).toMatchObject({ id: '2', kind: 'group' });
    expect(group?.children?.map((c) => c.id)).toEqual(['2.0', '2.1']);
    expect(group?.children?.[0]?.logs?.map((l) => l.message)).toEqual(['token length 32', 'slow login:\nsecond line']);
    expect(group?.children?.[1]?.response?.body?.text).toBe('{"ok":true}');
    // The loop came as one result with nested iterations: they are kept as given.
    expect(orders?.steps[3]?.children?.map((c) => c.id)).toEqual(['3.0', '3.1']);
    expect(broken).toMatchObject({ name: 'broken', status: 'error', steps: [], error: { code: ErrorCode.INVALID_INPUT } });
    await expectGolden('json-failures.json', normaliseReport(text));
  });

  it('keeps the steps of interleaved scenario runs with their own scenario', async () => {
    const [alpha, beta] = parallelPlans();
    const text = await driveJson(dir, 'interleaved', interleavedRun(alpha, beta));
    const report = parseReport(text);
    expect(report.scenarios.map((s) => [s.name, s.steps.map((step) => step.name)])).toEqual([
      ['Alpha', ['a1', 'a2', 'a3']],
      ['Beta', ['b1', 'b2']],
    ]);
    await expectGolden('json-interleaved.json', normaliseReport(text));
  });

  it('keeps the iteration of data-driven scenario runs apart', async () => {
    const report = parseReport(await driveJson(dir, 'iterations', sequentialRun([iterationPlan(0), iterationPlan(1)])));
    expect(report.scenarios.map((s) => [s.iteration, s.steps[0]?.name])).toEqual([
      [0, 'row 0'],
      [1, 'row 1'],
    ]);
  });

  it('redacts secrets in every string, keeping the JSON valid', async () => {
    const secret = 'p4ssw0rd-xyz';
    const numericSecret = '1234.5';
    const redactor = new Redactor();
    redactor.add(secret);
    redactor.add(numericSecret);
    const plan = passingPlan();
    plan.steps.push(
      requestStep({
        id: '2',
        name: 'login',
        url: `http://127.0.0.1:4010/login?password=${secret}`,
        requestHeaders: [['x-password', secret]],
        responseBody: `{"echo":"${secret}"}`,
        error: { code: ErrorCode.AUTH, title: 'Auth failed', message: `rejected ${secret}` },
        status: 'error',
      }),
    );
    const text = await driveJson(dir, 'redacted', sequentialRun([plan]), redactor);
    expect(text).not.toContain(secret);
    const report = parseReport(text);
    expect(report.durationMs).toBe(1234.5);
    const login = report.scenarios[0]?.steps[2];
    expect(login?.request?.url).toBe('http://127.0.0.1:4010/login?password=[REDACTED]');
    expect(login?.request?.headers).toContainEqual(['x-password', '[REDACTED]']);
    expect(login?.error?.message).toBe('rejected [REDACTED]');
  });

  it('keeps its own fields whole when a short secret also spells part of them ("2025", "json", "sortie")', async () => {
    const redactor = new Redactor();
    for (const secret of ['2025', 'json', 'sortie', 'Users']) redactor.add(secret);
    const text = await driveJson(dir, 'short-secrets', sequentialRun([passingPlan()]), redactor);
    const report = parseReport(text);
    expect(report.$schema).toBe(REPORT_SCHEMA_URL);
    expect(report.tool).toEqual({ name: 'sortie', version: '1.2.3' });
    expect(report.startedAt).toBe('2025-01-02T03:04:05.678Z');
    expect(report.scenarios[0]?.startedAt).toBe('2025-01-02T03:04:05.678Z');
    // What the scenario wrote is still redacted.
    expect(report.scenarios[0]?.name).toBe('[REDACTED] API');
    expect(report.scenarios[0]?.file).toBe('scenarios/[REDACTED].[REDACTED]');
    expect(report.scenarios[0]?.steps[0]?.response?.headers).toContainEqual(['content-type', 'application/[REDACTED]']);
  });

  it('redacts secrets JSON escapes (quotes, backslashes, newlines) and secrets in object keys', async () => {
    const quoted = 'pa"ss\\wo\nrd';
    const keyed = 'k3y-s3cret';
    const redactor = new Redactor();
    redactor.add(quoted);
    redactor.add(keyed);
    const plan = passingPlan();
    plan.steps.push(
      requestStep({
        id: '2',
        name: 'login',
        url: 'http://127.0.0.1:4010/login',
        requestHeaders: [['x-password', quoted]],
        responseBody: JSON.stringify({ [keyed]: true, echo: `said ${quoted}` }),
      }),
    );
    const text = await driveJson(dir, 'redacted-escaped', sequentialRun([plan]), redactor);
    const report = parseReport(text);
    const login = report.scenarios[0]?.steps[2];
    expect(login?.request?.headers).toContainEqual(['x-password', '[REDACTED]']);
    expect(login?.response?.body?.text).toBe('{"[REDACTED]":true,"echo":"said [REDACTED]"}');
    expect(JSON.stringify(report)).not.toContain(keyed);
    expect(JSON.stringify(report)).not.toContain(JSON.stringify(quoted).slice(1, -1));
  });

  it('nests a group\u2019s steps and a loop\u2019s passes (with their steps) under children, in execution order', async () => {
    const text = await driveJson(dir, 'nested', sequentialRun([nestedPlan()]));
    const [scenario] = parseReport(text).scenarios;
    const tree = (steps: ReportStep[] | undefined): unknown[] =>
      (steps ?? []).map((s) => (s.children === undefined ? s.id : { [`${s.id} ${s.kind} ${s.name}`]: tree(s.children) }));
    expect(tree(scenario?.steps)).toEqual([
      { '0 group setup': ['0.0', { '0.1 if admin?': ['0.1.0'] }] },
      { '1 loop poll': [{ '1.0 iteration poll[0]': ['1.0.0', '1.0.1'] }, { '1.1 iteration poll[1]': ['1.1.0', '1.1.1'] }] },
      { '2 forEach each': [] },
      '3',
    ]);
    const secondProbe = scenario?.steps[1]?.children?.[1]?.children?.[0];
    expect(secondProbe).toMatchObject({ status: 'failed', request: { url: 'http://127.0.0.1:4010/probe?n=1' } });
    expect(secondProbe?.response?.body?.text).toBe('{"ready":false}');
    expect(secondProbe?.assertions[0]?.message).toBe('expected true but was false');
    expect(scenario?.steps[0]?.children?.[0]?.response?.body?.text).toBe('{"token":"t"}');
    // Streamed piece by piece, yet exactly what pretty-printing the whole report at once gives.
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    await expectGolden('json-nested.json', normaliseReport(text));
  });

  it('keeps the first 64 KiB of a scenario run in memory and streams the rest to a temporary file, removed when closed', async () => {
    const before = new Set(listSpoolDirs());
    const file = join(dir, 'spool', 'report.json');
    const reporter = createJsonReporter({ file });
    const big = 'x'.repeat(40 * 1024);
    const plan: ScenarioPlan = {
      name: 'big',
      file: 'scenarios/big.json',
      steps: [0, 1, 2].map((i) => requestStep({ id: String(i), name: `big ${i}`, responseBody: `{"b":"${big}"}` })),
    };
    const events = sequentialRun([plan]);
    const stepEnds = events.flatMap((e, index) => (e.type === 'step:end' ? [index] : []));
    for (const event of events.slice(0, (stepEnds[0] ?? 0) + 1)) dispatchEvent([reporter], event);
    expect(listSpoolDirs().filter((name) => !before.has(name))).toEqual([]);
    for (const event of events.slice((stepEnds[0] ?? 0) + 1, (stepEnds[1] ?? 0) + 1)) dispatchEvent([reporter], event);
    const spoolDirs = listSpoolDirs().filter((name) => !before.has(name));
    expect(spoolDirs).toHaveLength(1);
    const spoolDir = join(tmpdir(), spoolDirs[0]!);
    const spooled = (await readdir(spoolDir)).map((name) => readFileSync(join(spoolDir, name), 'utf8')).join('');
    expect(spooled).toContain('"name": "big 1"');
    expect(existsSync(file)).toBe(false);
    for (const event of events.slice((stepEnds[1] ?? 0) + 1)) dispatchEvent([reporter], event);
    await closeReporters([reporter]);
    expect(existsSync(spoolDir)).toBe(false);
    expect(parseReport(await readFile(file, 'utf8')).scenarios[0]?.steps.map((s) => s.name)).toEqual(['big 0', 'big 1', 'big 2']);
  });

  it('removes a loop pass\u2019s spool file as soon as the pass ends', async () => {
    const before = new Set(listSpoolDirs());
    const big = 'y'.repeat(70 * 1024);
    const passes = Array.from({ length: 12 }, (_, n) =>
      containerStep(`0.${n}`, `loop[${n}]`, 'iteration', [
        requestStep({ id: `0.${n}.0`, name: 'fetch', path: [`loop[${n}]`], responseBody: `{"n":${n},"b":"${big}"}` }),
      ]),
    );
    const plan: ScenarioPlan = { name: 'loop', file: 'scenarios/loop.json', steps: [containerStep('0', 'loop', 'loop', passes)] };
    const events = sequentialRun([plan]);
    const loopEnd = events.findIndex((e) => e.type === 'step:end' && e.result.id === '0');
    const file = join(dir, 'loop-spool', 'report.json');
    const reporter = createJsonReporter({ file });
    for (const event of events.slice(0, loopEnd)) dispatchEvent([reporter], event);
    // Every pass outgrew memory and had a file; only the loop's own spool is left.
    const spoolDir = join(tmpdir(), listSpoolDirs().filter((name) => !before.has(name))[0] ?? 'missing');
    expect(await readdir(spoolDir)).toHaveLength(1);
    for (const event of events.slice(loopEnd)) dispatchEvent([reporter], event);
    await closeReporters([reporter]);
    const loop = parseReport(await readFile(file, 'utf8')).scenarios[0]?.steps[0];
    const bodies = loop?.children?.map((pass) => JSON.parse(pass.children?.[0]?.response?.body?.text ?? '{}') as { n: number; b: string });
    expect(bodies?.map((body) => body.n)).toEqual(passes.map((_, n) => n));
    expect(bodies?.every((body) => body.b === big)).toBe(true);
  });

  it('assembles a report of 20,000 steps from its spool files', async () => {
    const plan: ScenarioPlan = {
      name: 'many',
      file: 'scenarios/many.json',
      steps: Array.from({ length: 20_000 }, (_, i) => requestStep({ id: String(i), name: `step ${i}`, responseBody: `{"i":${i}}` })),
    };
    const report = parseReport(await driveJson(dir, 'many', sequentialRun([plan])));
    const steps = report.scenarios[0]?.steps ?? [];
    expect(steps).toHaveLength(20_000);
    expect(steps[19_999]?.response?.body?.text).toBe('{"i":19999}');
  });

  it('writes the scenarios that ended when closed before the run ended', async () => {
    const events = sequentialRun([passingPlan(), failuresPlan()]);
    const cut = events.findIndex((e: RunEvent) => e.type === 'scenario:start' && e.name.startsWith('Orders'));
    const file = join(dir, 'interrupted', 'report.json');
    await feed(createJsonReporter({ file }), events.slice(0, cut + 3));
    const report = parseReport(await readFile(file, 'utf8'));
    expect(report.scenarios.map((s) => s.name)).toEqual(['Users API']);
    expect(report.totals.steps).toBe(2);
  });

  it('rejects with SORTIE_USAGE when the report path cannot be written', async () => {
    // blocker/report.json is a file, so it cannot be a directory.
    await driveJson(dir, 'blocker', sequentialRun([passingPlan()]));
    const reporter = createJsonReporter({ file: join(dir, 'blocker', 'report.json', 'x.json') });
    for (const event of sequentialRun([passingPlan()])) dispatchEvent([reporter], event);
    await expect(closeReporters([reporter])).rejects.toMatchObject({ code: ErrorCode.USAGE });
  });
});
