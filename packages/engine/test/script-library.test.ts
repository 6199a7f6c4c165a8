/**
 * Public scripts: a library folder with sortie-library.json, called by name with arguments that are
 * checked against the script's declared parameters; the example scenario signs requests that the
 * fixture API verifies with its own HMAC implementation.
 */
import { join, relative } from 'node:path';
import { Redactor, type RunEvent, ScenarioSchema, type StepEndEvent } from '@sortie/core';
import { FIXTURE_HMAC_KEY, type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { hydratePlan, loadPlan } from '@sortie/project';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LIBRARY = join(ROOT, 'fixtures', 'script-library', 'acme');
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

/** Plans the library's example scenario with the library (the plan carries the scripts it uses). */
async function planExample() {
  return hydratePlan(await loadPlan({ paths: [join(LIBRARY, 'examples', 'sign-hmac.json')], scripts: [LIBRARY], cwd: ROOT }));
}

async function run(scenario: Parameters<typeof runScenarios>[0]['scenarios'][number]) {
  const { libraries } = await planExample();
  const events: RunEvent[] = [];
  const redactor = new Redactor();
  redactor.add(FIXTURE_HMAC_KEY);
  const result = await runScenarios({
    scenarios: [scenario],
    envVars: { base: server.url, HMAC_KEY: FIXTURE_HMAC_KEY },
    scriptLibraries: libraries,
    redactor,
    onEvent: (event) => events.push(event),
  });
  const steps = events.filter((e): e is StepEndEvent => e.type === 'step:end').map((e) => e.result);
  return { result, steps };
}

describe('script libraries', () => {
  it('runs the library example: signed requests verified by the API, a wrong key refused', async () => {
    const [loaded] = (await planExample()).scenarios;
    const { result, steps } = await run(loaded!);
    expect(
      steps.map((s) => [s.name, s.status]),
      JSON.stringify(steps.map((s) => s.error)),
    ).toEqual([
      ['signed order', 'passed'],
      ['a wrong key is refused', 'passed'],
    ]);
    expect(steps[0]?.assertions.map((a) => a.selector)).toEqual([
      'status is 200',
      'body is JSON with the expected keys',
      'jsonpath $.verified',
    ]);
    expect(result.status).toBe('passed');
  });

  it('locates an error of a library script in its file relative to the working directory, not at its id', async () => {
    const value = ScenarioSchema.parse({
      name: 'throws',
      steps: [{ name: 's', script: { use: 'acme/sign-hmac', with: { keyVar: 'unset' } } }],
    });
    const { steps } = await run({ value, file: 't.json', dir: ROOT });
    const file = relative(process.cwd(), join(LIBRARY, 'sign-hmac.js'));
    // Line 6 of sign-hmac.js: `if (!key) throw new Error(…)`; QuickJS's column is that of the `(` of `new Error(`.
    expect(steps[0]?.error?.message).toBe(`Script "acme/sign-hmac" failed at ${file}:6:26: Error: sign-hmac: variable "unset" is empty`);
    expect(steps[0]?.error?.location).toEqual({ file, line: 6, column: 26 });
  });

  it('names an unknown library script and lists what exists (a scenario run without loadPlan)', async () => {
    const value = ScenarioSchema.parse({ name: 'unknown', steps: [{ name: 's', script: { use: 'acme/nope' } }] });
    const { steps } = await run({ value, file: 'u.json', dir: ROOT });
    expect(steps[0]?.error?.message).toBe('library "acme" has no script "nope"');
    expect(steps[0]?.error?.hint).toBe('scripts: sign-hmac, expect-json');
  });
});
