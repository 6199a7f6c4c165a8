/**
 * A scenario's `defaults`: variables below the environment (Postman's collection variables), rendered
 * before `variables`; and where `pm.collectionVariables` goes with and without them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowServer, startFlowServer } from './support/flow-server.js';
import { runFlow } from './support/run-flow.js';

let server: FlowServer;
beforeAll(async () => {
  server = await startFlowServer();
});
afterAll(() => server.close());

describe('scenario defaults', () => {
  it('are overridden by --env-var and by the scenario variables, win over globals, and are rendered first', async () => {
    const run = await runFlow(
      {
        name: 'defaults',
        defaults: { page: '10', who: 'default', region: 'eu', size: 'default-size' },
        variables: { who: 'scenario', label: '{{region}}-{{page}}' },
        steps: [
          {
            name: 'echo',
            request: { url: `${server.url}/echo`, query: { page: '{{page}}', who: '{{who}}', label: '{{label}}', size: '{{size}}' } },
            post: [{ assert: { jsonpath: { path: '$', equals: { page: '20', who: 'scenario', label: 'eu-20', size: 'default-size' } } } }],
          },
        ],
      },
      { envVars: { page: '20' }, globals: { size: 'global-size', region: 'global-region' } },
    );
    expect(run.steps.flatMap((s) => s.assertions).map((a) => [a.passed, a.actual])).toEqual([
      [true, { page: '20', who: 'scenario', label: 'eu-20', size: 'default-size' }],
    ]);
  });

  for (const [declared, expected] of [
    [true, 'environment'],
    [false, 'collection'],
  ] as const) {
    it(`pm.collectionVariables is ${declared ? 'the defaults (below the environment)' : 'the scenario variables (above it), as before'} when defaults are ${declared ? '' : 'not '}declared`, async () => {
      const script = [
        "pm.collectionVariables.set('c', 'collection');",
        "pm.environment.set('c', 'environment');",
        `pm.test('pm.variables.get', () => pm.expect(pm.variables.get('c')).to.equal('${expected}'));`,
        "pm.test('pm.collectionVariables.get', () => pm.expect(pm.collectionVariables.get('c')).to.equal('collection'));",
      ].join('\n');
      const run = await runFlow({
        name: 'collection variables',
        ...(declared ? { defaults: {} } : {}),
        steps: [{ name: 'echo', request: { url: `${server.url}/echo` }, post: [{ script }] }],
      });
      expect(run.steps.flatMap((s) => s.assertions).map((a) => [a.name, a.passed])).toEqual([
        ['pm.variables.get', true],
        ['pm.collectionVariables.get', true],
      ]);
    });
  }
});
