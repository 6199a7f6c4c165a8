import { join } from 'node:path';
import { ErrorCode, Redactor, type RunEvent, type RunResult } from '@sortie/core';
import { goldenIn, normaliseText } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { closeReporters, createCliReporter, dispatchEvent } from '../src/index.js';
import { driveCli } from './support/drive.js';
import { failedAssertion, interleavedRun, requestStep, type ScenarioPlan, scenarioResult, sequentialRun } from './support/events.js';
import { failuresPlan, iterationPlan, loadErrorPlan, parallelPlans, passingPlan } from './support/plans.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden'));

describe('CLI reporter', () => {
  it('prints a header per scenario, a line per step and a summary for a passing run', async () => {
    const out = await driveCli(sequentialRun([passingPlan()]));
    expect(out).toContain('▶ Users API  (scenarios/users.json)\n  ✓ list users  GET http://127.0.0.1:4010/users → 200 (12 ms)\n');
    expect(out).toContain('  ✓ create user  POST http://127.0.0.1:4010/users → 201 (12 ms)\n');
    expect(out).toContain('Scenarios   1 passed, 0 failed, 0 errored, 0 skipped\n');
    expect(out).toContain('Assertions  3 (0 failed)\n');
    expect(out).toMatch(/PASSED\n$/);
    await expectGolden('cli-passing.txt', normaliseText(out));
  });

  it('lists failed assertions under a failed step and title, message and hint under an errored step', async () => {
    const out = await driveCli(sequentialRun([failuresPlan(), loadErrorPlan()]));
    expect(out).toContain('  ✗ get order <#1> & "friends"  GET http://127.0.0.1:4010/orders/1?sort=a&b=<c> → 404 (12 ms)\n');
    expect(out).toContain('      ✗ status equals: expected 200 but was 404\n');
    expect(out).toContain(
      '  ! refund  POST http://127.0.0.1:1/refund (12 ms) (3 attempts)\n      Connection refused: connect ECONNREFUSED 127.0.0.1:1\n      hint: is the server running?\n',
    );
    expect(out).toContain('  - cleanup\n');
    expect(out).toContain('  ✗ checkout › pay 💳  GET');
    expect(out).toContain('  ✓ poll › loop[1] › status  GET');
    expect(out).toContain(
      '▶ broken  (scenarios/broken.json)\n  ! Invalid scenario: expected an array at $.steps\n    hint: steps must be a list\n',
    );
    expect(out).toContain('Scenarios   0 passed, 0 failed, 2 errored, 0 skipped\n');
    expect(out).toContain('Steps       7 (2 failed, 1 error, 1 skipped)\n');
    expect(out).toMatch(/FAILED\n$/);
    await expectGolden('cli-failures.txt', normaliseText(out));
  });

  it('never prints raw control characters from a response or a message', async () => {
    const out = await driveCli(sequentialRun([failuresPlan()]), { verbose: true });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(out).toContain('but was null\\x01\\x1b[31m ☕');
  });

  it('shows bidirectional overrides from a scenario or a response as \\uXXXX: raw, they reorder the rest of the terminal line', async () => {
    const body = '{"file":"\u202etxt.exe","isolate":"\u2067x\u2069"}';
    const plan = {
      name: 'bidi \u202e reversed',
      file: 'scenarios/bidi.json',
      steps: [
        requestStep({
          id: '0',
          name: 'download \u202dfile',
          status: 'failed',
          responseBody: body,
          assertions: [failedAssertion('status', 'equals', 200, 404, 'expected 200 but got \u202e404')],
        }),
      ],
    };
    for (const verbose of [false, true]) {
      const out = await driveCli(sequentialRun([plan]), { verbose });
      expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      expect(out).toContain('▶ bidi \\u202e reversed');
      expect(out).toContain('✗ download \\u202dfile');
      expect(out).toContain('expected 200 but got \\u202e404');
      expect(out).toContain('\\u202etxt.exe');
      expect(out).toContain('\\u2067x\\u2069');
    }
  });

  it('cuts a URL past 500 characters on the step line, saying how much is left out', async () => {
    const url = `http://127.0.0.1:4010/${'a'.repeat(300_000)}`;
    const plan = { name: 'long url', file: 'scenarios/long.json', steps: [requestStep({ id: '0', name: 'long', url })] };
    const out = await driveCli(sequentialRun([plan]));
    const line = out.split('\n').find((text) => text.includes('✓ long')) ?? '';
    expect(line).toContain(`GET ${url.slice(0, 500)}… (299,522 more characters) → 200`);
    expect(line.length).toBeLessThan(600);
  });

  it('keeps a scenario title with a line feed on its header line, as a step name is kept on its line', async () => {
    const plan = { ...passingPlan(), name: 'Users API\nfolded by YAML\n' };
    const out = await driveCli(sequentialRun([plan]));
    expect(out).toContain('▶ Users API\\nfolded by YAML\\n  (scenarios/users.json)\n');
  });

  it('prints headers and bodies with verbose', async () => {
    const out = await driveCli(sequentialRun([failuresPlan()]), { verbose: true });
    expect(out).toContain('      > GET http://127.0.0.1:4010/orders/1?sort=a&b=<c>\n      > accept: application/json\n');
    expect(out).toContain(
      '      < HTTP/1.1 404 Not Found\n      < content-type: application/json\n      <\n      < {"error":"not found \\x07 café ☕ 日本"}\n',
    );
    expect(out).toContain('      ✓ header content-type contains\n');
    await expectGolden('cli-failures-verbose.txt', normaliseText(out));
  });

  it('shows the attempts of a retried request on its line, and the step\u2019s script console lines with or without verbose (as Newman)', async () => {
    const plain = await driveCli(sequentialRun([failuresPlan()]));
    expect(plain).toContain('  ! refund  POST http://127.0.0.1:1/refund (12 ms) (3 attempts)\n');
    expect(plain).toContain(
      '  ✓ checkout › login  GET http://127.0.0.1:4010/users → 200 (12 ms)\n' +
        '      [log] login.post[0]: token length 32\n      [warn] login.post[0]: slow login:\n      second line\n',
    );
    // --quiet leaves out the passed step, and so its console lines.
    const quiet = await driveCli(sequentialRun([failuresPlan()]), { quiet: true });
    expect(quiet).not.toContain('token length 32');
    const verbose = await driveCli(sequentialRun([failuresPlan()]), { verbose: true });
    expect(verbose).toContain(
      '  ✓ checkout › login  GET http://127.0.0.1:4010/users → 200 (12 ms)\n      ✓ status equals\n' +
        '      [log] login.post[0]: token length 32\n      [warn] login.post[0]: slow login:\n      second line\n      > GET',
    );
  });

  it('prints each of two interleaved scenario runs as one block', async () => {
    const [alpha, beta] = parallelPlans();
    const out = await driveCli(interleavedRun(alpha, beta));
    const lines = out.split('\n');
    const alphaAt = lines.indexOf('▶ Alpha  (scenarios/alpha.json)');
    const betaAt = lines.indexOf('▶ Beta  (scenarios/beta.json)');
    expect(alphaAt).toBeGreaterThanOrEqual(0);
    expect(betaAt).toBeGreaterThan(alphaAt);
    expect(lines.slice(alphaAt + 1, alphaAt + 4).map((l) => l.slice(0, 8))).toEqual(['  ✓ a1  ', '  ✓ a2  ', '  ✓ a3  ']);
    expect(lines.slice(betaAt + 1, betaAt + 4).map((l) => l.slice(0, 8))).toEqual(['  ✓ b1  ', '  ✗ b2  ', '      ✗ ']);
    await expectGolden('cli-interleaved.txt', normaliseText(out));
  });

  it('prints live: a step line is written when the step ends, before the scenario ends', async () => {
    const chunks: string[] = [];
    const reporter = createCliReporter({ write: (text) => chunks.push(text) });
    const events = sequentialRun([passingPlan()]);
    const firstStepEnd = events.findIndex((e) => e.type === 'step:end');
    for (const event of events.slice(0, firstStepEnd + 1)) dispatchEvent([reporter], event);
    expect(chunks.join('')).toContain('✓ list users');
    expect(chunks.join('')).not.toContain('create user');
    for (const event of events.slice(firstStepEnd + 1)) dispatchEvent([reporter], event);
    await closeReporters([reporter]);
    expect(chunks.join('')).toContain('create user');
  });

  it('marks a step whose failure is ignored (on-error: ignore)', async () => {
    const plan = passingPlan();
    const ignored = requestStep({ id: '2', name: 'optional ping', status: 'failed', assertions: [] });
    ignored.ignored = true;
    plan.steps.push(ignored);
    const out = await driveCli(sequentialRun([plan]));
    expect(out).toContain('  ✗ optional ping  GET http://127.0.0.1:4010/users → 200 (12 ms) (ignored)\n');
  });

  it('names a failed or passed assertion by its own name when it has one', async () => {
    const plan = passingPlan();
    const assertion = (passed: boolean) => ({
      selector: 'jsonpath $.total',
      operator: 'gte',
      expected: 1,
      passed,
      source: 'assert' as const,
      actual: 0,
      name: 'at least one order',
      ...(passed ? {} : { message: 'expected jsonpath $.total to be at least 1 but was 0' }),
    });
    plan.steps.push(requestStep({ id: '2', name: 'orders', status: 'failed', assertions: [assertion(false)] }));
    plan.steps.push(requestStep({ id: '3', name: 'orders again', assertions: [assertion(true)] }));
    const out = await driveCli(sequentialRun([plan]), { verbose: true });
    expect(out).toContain('      ✗ at least one order: jsonpath $.total gte: expected jsonpath $.total to be at least 1 but was 0\n');
    expect(out).toContain('      ✓ at least one order: jsonpath $.total gte\n');
  });

  it('names the iteration of a data-driven scenario run', async () => {
    const out = await driveCli(sequentialRun([iterationPlan(3)]));
    expect(out).toContain('▶ Data driven [iteration 3]  (scenarios/data.json)\n');
  });

  it('uses ANSI colours only when asked', async () => {
    const plain = await driveCli(sequentialRun([failuresPlan()]));
    const coloured = await driveCli(sequentialRun([failuresPlan()]), { color: true });
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[32m✓\u001b[39m');
    expect(coloured).toContain('\u001b[31m✗\u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('prints warnings and token failures, and debug logs and token activity only with verbose', async () => {
    const events: RunEvent[] = sequentialRun([passingPlan()]);
    events.splice(
      2,
      0,
      { type: 'log', level: 'warn', message: 'slow response', scenario: 'scenarios/users.json' },
      { type: 'log', level: 'debug', message: 'cache miss' },
      { type: 'token', action: 'obtained', profile: 'api', grant: 'client_credentials', durationMs: 8 },
      { type: 'token', action: 'failed', profile: 'admin', message: 'invalid_client' },
    );
    const quiet = await driveCli(events);
    expect(quiet).toContain('    [warn] slow response\n');
    expect(quiet).toContain('    ! token failed for admin: invalid_client\n');
    expect(quiet).not.toContain('cache miss');
    expect(quiet).not.toContain('token obtained');
    const verbose = await driveCli(events, { verbose: true });
    expect(verbose).toContain('    [debug] cache miss\n');
    expect(verbose).toContain('    * token obtained for api (client_credentials) in 8 ms\n');
  });

  it('passes every chunk through the redactor and hides credential headers in verbose output', async () => {
    const secret = 'tok-abcdef-123';
    const redactor = new Redactor();
    redactor.add(secret);
    const plan = passingPlan();
    plan.steps.push(
      requestStep({
        id: '2',
        name: 'me',
        url: `http://127.0.0.1:4010/me?token=${secret}`,
        requestHeaders: [
          ['authorization', 'Bearer not-registered-value'],
          ['x-trace', secret],
        ],
        status: 'error',
        noResponse: true,
        error: { code: ErrorCode.AUTH, title: 'Auth failed', message: `token ${secret} rejected`, hint: `renew ${secret}` },
      }),
    );
    const out = await driveCli(sequentialRun([plan]), { verbose: true, redactor });
    expect(out).not.toContain(secret);
    expect(out).not.toContain('not-registered-value');
    expect(out).toContain('GET http://127.0.0.1:4010/me?token=[REDACTED]');
    expect(out).toContain('> authorization: [REDACTED]');
    expect(out).toContain('Auth failed: token [REDACTED] rejected');
  });

  it('does not count the scenario run an interrupt cut short as passed', async () => {
    // The run was interrupted during "slow": the step finished, "after" never ran (skipped), and
    // the scenario runs that had not started are listed as not run.
    const cut: ScenarioPlan = {
      name: 'cut short',
      file: 'scenarios/cut.json',
      steps: [requestStep({ id: '0', name: 'slow' }), requestStep({ id: '1', name: 'after', status: 'skipped' })],
    };
    const done: ScenarioPlan = { name: 'done before', file: 'scenarios/done.json', steps: [requestStep({ id: '0', name: 'fast' })] };
    const events = sequentialRun([done, cut]);
    const end = events.at(-1) as { type: 'run:end'; result: RunResult };
    end.result.status = 'interrupted';
    // The engine marks the run it cut short.
    for (const event of events) if (event.type === 'scenario:end' && event.result.name === 'cut short') event.result.interrupted = true;
    for (const scenario of end.result.scenarios) if (scenario.name === 'cut short') scenario.interrupted = true;
    const never = { ...scenarioResult({ name: 'never', file: 'scenarios/never.json', steps: [] }, 2), notRun: 'interrupted' as const };
    end.result.scenarios.push(never);
    const out = await driveCli(events);
    expect(out).toContain('Scenarios   1 passed, 0 failed, 0 errored, 1 interrupted, 1 skipped\n');
    expect(out).toMatch(/INTERRUPTED\n$/);
    // A run cancelled on a server (sortie run --remote's Ctrl-C, the API's cancel) says so, not INTERRUPTED.
    end.result.cancelled = true;
    expect(await driveCli(events)).toMatch(/\nCANCELLED\n$/);
    // Without the engine's mark (no interrupt), a passed run with a skipped step is counted as passed.
    const plain = await driveCli(sequentialRun([done, cut]));
    expect(plain).toContain('Scenarios   2 passed, 0 failed, 0 errored, 0 skipped\n');
  });
});
