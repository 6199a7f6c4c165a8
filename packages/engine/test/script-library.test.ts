/**
 * Public scripts: a library folder with sortie-library.json, called by name with arguments that are
 * checked against the script's declared parameters; the example scenario signs requests that the
 * fixture API verifies with its own HMAC implementation.
 */
import { join } from 'node:path';
import { loadScenario } from '@sortie/config';
import { Redactor, type RunEvent, ScenarioSchema, type StepEndEvent } from '@sortie/core';
import { FIXTURE_HMAC_KEY, type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LIBRARY = join(ROOT, 'fixtures', 'script-library', 'acme');
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

async function run(scenario: Parameters<typeof runScenarios>[0]['scenarios'][number]) {
  const events: RunEvent[] = [];
  const redactor = new Redactor();
  redactor.add(FIXTURE_HMAC_KEY);
  const result = await runScenarios({
    scenarios: [scenario],
    envVars: { base: server.url, HMAC_KEY: FIXTURE_HMAC_KEY },
    scriptLibraries: [LIBRARY],
    projectDir: ROOT,
    redactor,
    onEvent: (event) => events.push(event),
  });
  const steps = events.filter((e): e is StepEndEvent => e.type === 'step:end').map((e) => e.result);
  return { result, steps };
}

describe('script libraries', () => {
  it('runs the library example: signed requests verified by the API, a wrong key refused', async () => {
    const loaded = await loadScenario(join(LIBRARY, 'examples', 'sign-hmac.json'));
    const { result, steps } = await run(loaded);
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

  it('rejects arguments that do not match the declared parameters', async () => {
    const value = ScenarioSchema.parse({
      name: 'bad args',
      steps: [{ name: 'x', request: { url: '{{base}}/echo' }, pre: [{ script: { use: 'acme/sign-hmac', with: { key: 'oops' } } }] }],
    });
    const { steps } = await run({ value, file: 'bad.json', dir: ROOT });
    expect(steps[0]?.error?.code).toBe('SORTIE_INVALID_INPUT');
    expect(steps[0]?.error?.message).toContain("must have required property 'keyVar'");
  });

  it('names an unknown library script and lists what exists', async () => {
    const value = ScenarioSchema.parse({ name: 'unknown', steps: [{ name: 's', script: { use: 'acme/nope' } }] });
    const { steps } = await run({ value, file: 'u.json', dir: ROOT });
    expect(steps[0]?.error?.message).toBe('library "acme" has no script "nope"');
    expect(steps[0]?.error?.hint).toBe('scripts: sign-hmac, expect-json');
  });
});
