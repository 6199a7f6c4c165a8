import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Redactor, type RunEvent } from '@sortie/core';
import { goldenIn, normaliseJunit } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeReporters, createJunitReporter, dispatchEvent } from '../src/index.js';
import { driveJunit, feed } from './support/drive.js';
import { containerStep, interleavedRun, requestStep, type ScenarioPlan, sequentialRun } from './support/events.js';
import { failuresPlan, iterationPlan, loadErrorPlan, parallelPlans, passingPlan } from './support/plans.js';
import { validateJunit } from './support/xsd.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden'));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-junit-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectValid(xml: string): Promise<void> {
  const result = await validateJunit(xml);
  expect(result.errors).toEqual([]);
  expect(result.valid).toBe(true);
}

/** The text of the first element `<name …>…</name>` after `from`. */
function elementAfter(xml: string, from: string, name: string): string {
  const start = xml.indexOf(`<${name} `, xml.indexOf(from));
  return xml.slice(start, xml.indexOf(`</${name}>`, start) + name.length + 3);
}

describe('JUnit reporter', () => {
  const jumpsPlan = (): ScenarioPlan => {
    const poll = () => requestStep({ id: '1', name: 'poll' });
    const group = () => containerStep('2', 'checks', 'group', [requestStep({ id: '2.0', name: 'check', path: ['checks'] })]);
    return {
      name: 'jumps',
      file: 'jumps.json',
      steps: [requestStep({ id: '0', name: 'start' }), poll(), poll(), poll(), group(), group(), requestStep({ id: '3', name: 'done' })],
    };
  };

  it('names each later run of a step that setNextRequest runs again "<name> [run N]", so CI keeps every run', async () => {
    for (const options of [{}, { nestedOnly: ['2'] }]) {
      const xml = await driveJunit(dir, 'jumps', sequentialRun([{ ...jumpsPlan(), ...options }]));
      await expectValid(xml);
      const names = [...xml.matchAll(/<testcase name="([^"]*)"/g)].map((match) => match[1]);
      expect(names).toEqual(['start', 'poll', 'poll [run 2]', 'poll [run 3]', 'checks › check', 'checks › check [run 2]', 'done']);
    }
  });

  it('writes one testsuite per scenario run and one testcase per request step for a passing run', async () => {
    const xml = await driveJunit(dir, 'passing', sequentialRun([passingPlan()]));
    await expectValid(xml);
    expect(xml).toMatch(/<testsuites name="sortie" tests="2" failures="0" errors="0" time="1\.23\d">/);
    expect(xml).toMatch(
      /<testsuite name="Users API" tests="2" failures="0" errors="0" skipped="0" time="0\.251" timestamp="2025-01-02T03:04:05" hostname="localhost" id="0" package="scenarios\/users\.json"/,
    );
    expect(xml).toContain('<testcase name="list users" classname="Users API" time="0.012"/>');
    await expectGolden('junit-passing.xml', normaliseJunit(xml));
  });

  it('maps failed assertions to <failure>, step errors to <error> and skipped steps to <skipped/>', async () => {
    const xml = await driveJunit(dir, 'failures', sequentialRun([failuresPlan(), loadErrorPlan()]));
    await expectValid(xml);
    const failure = elementAfter(xml, 'name="get order', 'failure');
    expect(failure).toContain('type="AssertionFailure"');
    expect(failure).toContain('message="2 assertions failed: status equals: expected 200 but was 404"');
    expect(failure).toContain('jsonpath $.name equals: expected "Zoë &amp; &lt;Ω&gt;" but was null');
    const error = elementAfter(xml, 'name="refund"', 'error');
    expect(error).toContain('type="SORTIE_NETWORK"');
    expect(error).toContain('message="connect ECONNREFUSED 127.0.0.1:1"');
    expect(error).toContain('Connection refused: connect ECONNREFUSED 127.0.0.1:1\nhint: is the server running?');
    expect(xml).toMatch(/<testcase name="cleanup" classname="Orders &lt;&amp;&gt; &quot;quoted&quot;" time="[\d.]+">\s*<skipped\/>/);
    expect(xml).toMatch(/<testsuite name="Orders &lt;&amp;&gt; &quot;quoted&quot;" tests="7" failures="2" errors="1" skipped="1"/);
    await expectGolden('junit-failures.xml', normaliseJunit(xml));
  });

  it('walks into containers so each leaf step is one testcase, whether children come as events or nested', async () => {
    const xml = await driveJunit(dir, 'containers', sequentialRun([failuresPlan()]));
    expect(xml).toContain('<testcase name="checkout › login"');
    expect(xml.match(/<testcase name="checkout › pay 💳"/g)).toHaveLength(1);
    expect(xml.match(/<testcase name="poll › loop\[\d\] › status"/g)).toHaveLength(2);
    expect(xml).not.toContain('<testcase name="checkout"');
    expect(xml).not.toContain('<testcase name="poll"');
  });

  it('replaces characters XML 1.0 cannot carry instead of writing an invalid document', async () => {
    const xml = await driveJunit(dir, 'control', sequentialRun([failuresPlan()]));
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain('was null\\u0001\\u001b[31m ☕');
    await expectValid(xml);
  });

  it('shows a bidirectional override in a scenario or step name as \\u202e, so a CI page does not show the line reversed', async () => {
    const plan = passingPlan();
    plan.name = 'Users \u202eIPA';
    plan.steps.push(
      requestStep({
        id: '2',
        name: 'pay \u2067yromem',
        status: 'error',
        noResponse: true,
        error: { code: ErrorCode.NETWORK, title: 'Connection refused', message: 'refused \u202d127.0.0.1' },
      }),
    );
    const xml = await driveJunit(dir, 'bidi', sequentialRun([plan]));
    await expectValid(xml);
    expect(xml).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(xml).toContain('<testcase name="pay \\u2067yromem" classname="Users \\u202eIPA"');
    expect(xml).toContain('<error message="refused \\u202d127.0.0.1" type="SORTIE_NETWORK">');
  });

  it('turns a scenario that failed to load into a testsuite with one errored testcase', async () => {
    const xml = await driveJunit(dir, 'load-error', sequentialRun([loadErrorPlan()]));
    await expectValid(xml);
    expect(xml).toMatch(/<testsuite name="broken" tests="1" failures="0" errors="1" skipped="0"/);
    const error = elementAfter(xml, '<testcase name="broken"', 'error');
    expect(error).toContain('type="SORTIE_INVALID_INPUT"');
    expect(error).toContain(
      'Invalid scenario: expected an array at $.steps\nhint: steps must be a list\nat scenarios/broken.json:3:12 ($.steps)',
    );
  });

  it('keeps the steps of interleaved scenario runs in their own testsuite', async () => {
    const [alpha, beta] = parallelPlans();
    const xml = await driveJunit(dir, 'interleaved', interleavedRun(alpha, beta));
    await expectValid(xml);
    const alphaSuite = xml.slice(xml.indexOf('<testsuite name="Alpha"'), xml.indexOf('<testsuite name="Beta"'));
    const betaSuite = xml.slice(xml.indexOf('<testsuite name="Beta"'));
    expect(alphaSuite.match(/classname="Alpha"/g)).toHaveLength(3);
    expect(alphaSuite).not.toContain('name="b');
    expect(betaSuite.match(/classname="Beta"/g)).toHaveLength(2);
    expect(betaSuite).toContain('<failure message="status equals: expected 201 but was 200" type="AssertionFailure">');
    await expectGolden('junit-interleaved.xml', normaliseJunit(xml));
  });

  it('writes a step whose failure is ignored (on-error: ignore) as a passing testcase with the problem in <system-out>', async () => {
    const plan = passingPlan();
    const ignored = requestStep({
      id: '2',
      name: 'optional ping',
      status: 'error',
      noResponse: true,
      error: { code: ErrorCode.TIMEOUT, title: 'Timeout', message: 'no response after 100 ms' },
    });
    ignored.ignored = true;
    plan.steps.push(ignored);
    const xml = await driveJunit(dir, 'ignored', sequentialRun([plan]));
    await expectValid(xml);
    expect(xml).toMatch(/<testsuite name="Users API" tests="3" failures="0" errors="0"/);
    expect(xml).toContain('<system-out>ignored (on-error: ignore): Timeout: no response after 100 ms</system-out>');
    expect(xml).not.toContain('<error ');
  });

  it('names a failed assertion by its own name when it has one', async () => {
    const plan = passingPlan();
    plan.steps.push(
      requestStep({
        id: '2',
        name: 'orders',
        status: 'failed',
        assertions: [
          {
            selector: 'jsonpath $.total',
            operator: 'gte',
            expected: 1,
            passed: false,
            source: 'assert',
            actual: 0,
            name: 'at least one order',
            message: 'expected 1 or more',
          },
        ],
      }),
    );
    const xml = await driveJunit(dir, 'named', sequentialRun([plan]));
    await expectValid(xml);
    expect(xml).toContain('>at least one order: jsonpath $.total gte: expected 1 or more</failure>');
  });

  it('names each iteration of a data-driven scenario', async () => {
    const xml = await driveJunit(dir, 'iterations', sequentialRun([iterationPlan(0), iterationPlan(1)]));
    await expectValid(xml);
    expect(xml).toContain('<testsuite name="Data driven [iteration 0]"');
    expect(xml).toMatch(/<testsuite name="Data driven \[iteration 1\]"[^>]*>\s*<testcase name="row 1"/);
    expect(xml).toContain('id="1"');
  });

  it('gives each iteration’s test cases a class of their own, so CI servers keep every iteration (classname + name unique)', async () => {
    // Data-driven runs repeat the same steps: Jenkins keys a test case by classname and name, and
    // merged the iterations into one test case when the class was the bare scenario name.
    const sameSteps = (iteration: number) => ({ ...iterationPlan(iteration), steps: iterationPlan(0).steps });
    const xml = await driveJunit(dir, 'iteration-classes', sequentialRun([sameSteps(0), sameSteps(1), sameSteps(2)]));
    await expectValid(xml);
    const keys = [...xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)].map((m) => `${m[2]} / ${m[1]}`);
    expect(keys).toEqual(['Data driven [iteration 0] / row 0', 'Data driven [iteration 1] / row 0', 'Data driven [iteration 2] / row 0']);
  });

  it('passes every string through the redactor', async () => {
    const secret = 's3cr3t-t0ken';
    const redactor = new Redactor();
    redactor.add(secret);
    const plan = passingPlan();
    plan.name = `Users ${secret}`;
    plan.steps.push(
      requestStep({
        id: '2',
        name: `token ${secret}`,
        status: 'error',
        noResponse: true,
        error: { code: ErrorCode.AUTH, title: 'Auth failed', message: `bad token ${secret}`, hint: `refresh ${secret}` },
      }),
    );
    const xml = await driveJunit(dir, 'redacted', sequentialRun([plan]), redactor);
    await expectValid(xml);
    expect(xml).not.toContain(secret);
    expect(xml).toContain('bad token [REDACTED]');
    expect(xml).toContain('<testcase name="token [REDACTED]" classname="Users [REDACTED]"');
  });

  it('keeps each finished scenario run\u2019s test cases on disk, small and large runs alike, in run order', async () => {
    const many: ScenarioPlan = {
      name: 'Many',
      file: 'scenarios/many.json',
      steps: Array.from({ length: 3000 }, (_, i) => requestStep({ id: String(i), name: `step ${i}` })),
    };
    const xml = await driveJunit(dir, 'many', sequentialRun([iterationPlan(0), many, iterationPlan(1)]));
    await expectValid(xml);
    expect(xml).toContain('<testsuites name="sortie" tests="3002" failures="0" errors="0"');
    const suites = xml.split('<testsuite ').slice(1);
    expect(suites.map((suite) => [suite.match(/^name="([^"]*)"/)?.[1], suite.match(/<testcase /g)?.length])).toEqual([
      ['Data driven [iteration 0]', 1],
      ['Many', 3000],
      ['Data driven [iteration 1]', 1],
    ]);
    expect(suites[1]?.match(/<testcase name="step (\d+)"/g)?.at(-1)).toBe('<testcase name="step 2999"');
  });

  it('writes the scenarios that ended when closed before the run ended', async () => {
    const events = sequentialRun([passingPlan(), failuresPlan()]);
    const cut = events.findIndex((e: RunEvent) => e.type === 'scenario:start' && e.name.startsWith('Orders'));
    const file = join(dir, 'interrupted', 'junit.xml');
    await feed(createJunitReporter({ file }), events.slice(0, cut + 2));
    const { readFile } = await import('node:fs/promises');
    const xml = await readFile(file, 'utf8');
    await expectValid(xml);
    expect(xml).toContain('<testsuite name="Users API"');
    expect(xml).not.toContain('Orders');
  });

  it('rejects with SORTIE_USAGE when the report path cannot be written', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const reporter = createJunitReporter({ file: join(blocker, 'junit.xml') });
    for (const event of sequentialRun([passingPlan()])) dispatchEvent([reporter], event);
    await expect(closeReporters([reporter])).rejects.toMatchObject({ code: ErrorCode.USAGE });
  });

  it('the XSD check rejects what the schema forbids (a skipped attribute on <testsuites>)', async () => {
    const result = await validateJunit('<?xml version="1.0"?>\n<testsuites name="x" skipped="1"></testsuites>\n');
    expect(result.valid).toBe(false);
  });
});
