import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Redactor, type RunEvent } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonReporter, REPORT_SCHEMA_URL, REPORT_VERSION, ReportSchema } from '../src/index.js';
import { driveJson, feed } from './support/drive.js';
import { interleavedRun, requestStep, type ScenarioPlan, sequentialRun } from './support/events.js';
import { expectGolden, normaliseJson } from './support/golden.js';
import { failuresPlan, iterationPlan, loadErrorPlan, parallelPlans, passingPlan } from './support/plans.js';

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
    await expectGolden('json-passing.json', normaliseJson(text));
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
    expect(orders?.steps.map((s) => s.status)).toEqual(['failed', 'error', 'passed', 'failed', 'failed', 'passed', 'skipped']);
    expect(orders?.steps[1]?.error).toMatchObject({ code: ErrorCode.NETWORK, hint: 'is the server running?' });
    expect(orders?.steps[0]?.assertions[2]?.message).toBe('expected "Zoë & <Ω>" but was null\u0001\u001b[31m ☕');
    // The group's children came as their own step:end events: they are not repeated inside the group.
    expect(orders?.steps[4]).toMatchObject({ id: '2', kind: 'group' });
    expect(orders?.steps[4]?.children).toBeUndefined();
    // The loop came as one result with nested iterations: they are kept.
    expect(orders?.steps[5]?.children?.map((c) => c.id)).toEqual(['3.0', '3.1']);
    expect(broken).toMatchObject({ name: 'broken', status: 'error', steps: [], error: { code: ErrorCode.INVALID_INPUT } });
    await expectGolden('json-failures.json', normaliseJson(text));
  });

  it('keeps the steps of interleaved scenario runs with their own scenario', async () => {
    const [alpha, beta] = parallelPlans();
    const text = await driveJson(dir, 'interleaved', interleavedRun(alpha, beta));
    const report = parseReport(text);
    expect(report.scenarios.map((s) => [s.name, s.steps.map((step) => step.name)])).toEqual([
      ['Alpha', ['a1', 'a2', 'a3']],
      ['Beta', ['b1', 'b2']],
    ]);
    await expectGolden('json-interleaved.json', normaliseJson(text));
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

  it('streams steps to a temporary file as they arrive and removes it when closed', async () => {
    const before = new Set(listSpoolDirs());
    const file = join(dir, 'spool', 'report.json');
    const reporter = createJsonReporter({ file });
    const events = sequentialRun([passingPlan()]);
    const firstStepEnd = events.findIndex((e) => e.type === 'step:end');
    for (const event of events.slice(0, firstStepEnd + 1)) reporter.onEvent(event);
    const spoolDirs = listSpoolDirs().filter((name) => !before.has(name));
    expect(spoolDirs).toHaveLength(1);
    const spoolDir = join(tmpdir(), spoolDirs[0]!);
    const spooled = (await readdir(spoolDir)).map((name) => readFileSync(join(spoolDir, name), 'utf8')).join('');
    expect(spooled).toContain('"name": "list users"');
    expect(existsSync(file)).toBe(false);
    for (const event of events.slice(firstStepEnd + 1)) reporter.onEvent(event);
    await reporter.close();
    expect(existsSync(spoolDir)).toBe(false);
    expect(parseReport(await readFile(file, 'utf8')).scenarios[0]?.steps).toHaveLength(2);
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
    for (const event of sequentialRun([passingPlan()])) reporter.onEvent(event);
    await expect(reporter.close()).rejects.toMatchObject({ code: ErrorCode.USAGE });
  });
});
