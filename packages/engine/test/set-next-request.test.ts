/** pm.execution.setNextRequest / postman.setNextRequest: jump to a step by name, or stop with null. */
import { Redactor, type RunEvent, ScenarioSchema, type StepEndEvent } from '@sortie/core';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

async function run(steps: unknown[]) {
  const events: RunEvent[] = [];
  await runScenarios({
    scenarios: [{ value: ScenarioSchema.parse({ name: 'jumps', variables: { round: 0 }, steps }), file: 'jumps.json', dir: process.cwd() }],
    envVars: { base: server.url },
    redactor: new Redactor(),
    onEvent: (event) => events.push(event),
  });
  return {
    ran: events.filter((e): e is StepEndEvent => e.type === 'step:end').map((e) => `${e.result.name}:${e.result.status}`),
    warnings: events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : [])),
  };
}

const echo = (name: string, script?: string) => ({
  name,
  request: { url: '{{base}}/echo' },
  ...(script === undefined ? {} : { post: [{ script }] }),
});

describe('setNextRequest', () => {
  it('jumps back to a named step until the script stops jumping (a polling loop)', async () => {
    const { ran } = await run([
      echo('start'),
      echo(
        'poll',
        "const n = Number(pm.variables.get('round')) + 1; pm.variables.set('round', n); if (n < 3) pm.execution.setNextRequest('poll');",
      ),
      echo('done'),
    ]);
    expect(ran).toEqual(['start:passed', 'poll:passed', 'poll:passed', 'poll:passed', 'done:passed']);
  });

  it('skips ahead, and null ends the run with the rest skipped', async () => {
    const { ran } = await run([
      echo('a', "postman.setNextRequest('c');"),
      echo('b'),
      echo('c', 'pm.execution.setNextRequest(null);'),
      echo('d'),
    ]);
    expect(ran).toEqual(['a:passed', 'c:passed', 'd:skipped']);
  });

  it('stops with a warning when no step has that name', async () => {
    const { ran, warnings } = await run([echo('a', "pm.execution.setNextRequest('nope');"), echo('b')]);
    expect(ran).toEqual(['a:passed', 'b:skipped']);
    expect(warnings).toEqual(['setNextRequest: no step named "nope" in this list; the remaining steps are skipped']);
  });
});
