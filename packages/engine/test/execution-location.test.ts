/** pm.execution.location: the scenario's name, the groups around the step, the step's name (Newman: collection, folders, request). */
import { Redactor, type RunEvent, ScenarioSchema } from '@sortie/core';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const LOG = 'console.log(JSON.stringify(pm.execution.location), pm.execution.location.current);';

describe('pm.execution.location', () => {
  it('names the scenario, the enclosing groups and the step, in request and script steps, before and after', async () => {
    const events: RunEvent[] = [];
    const steps = [
      {
        name: 'Users',
        group: {
          steps: [
            {
              name: 'Admins',
              group: { steps: [{ name: 'Get admin', request: { url: '{{base}}/echo' }, pre: [{ script: LOG }], post: [{ script: LOG }] }] },
            },
            { name: 'Check', script: LOG },
          ],
        },
      },
      { name: 'Top', request: { url: '{{base}}/echo' }, post: [{ script: LOG }] },
    ];
    await runScenarios({
      scenarios: [{ value: ScenarioSchema.parse({ name: 'My API', steps }), file: 'api.json', dir: process.cwd() }],
      envVars: { base: server.url },
      redactor: new Redactor(),
      onEvent: (event) => events.push(event),
    });
    const logs = events.flatMap((event) =>
      event.type === 'step:end' ? (event.result.logs ?? []).map((line) => `${event.result.name}: ${line.message}`) : [],
    );
    expect(logs).toEqual([
      'Get admin: ["My API","Users","Admins","Get admin"] Get admin',
      'Get admin: ["My API","Users","Admins","Get admin"] Get admin',
      'Check: ["My API","Users","Check"] Check',
      'Top: ["My API","Top"] Top',
    ]);
  });

  it('names wait and container steps in their own processors, as other steps are named (not "step")', async () => {
    const events: RunEvent[] = [];
    const INFO = 'console.log(pm.info.requestName, JSON.stringify(pm.execution.location));';
    const steps = [
      {
        name: 'Outer',
        group: { steps: [{ name: 'Pause', wait: 1, pre: [{ script: INFO }], post: [{ script: INFO }] }] },
        post: [{ script: INFO }],
      },
      { name: 'Twice', loop: { count: 1, steps: [{ name: 'Inner', script: '1' }] }, pre: [{ script: INFO }] },
    ];
    await runScenarios({
      scenarios: [{ value: ScenarioSchema.parse({ name: 'My API', steps }), file: 'api.json', dir: process.cwd() }],
      envVars: {},
      redactor: new Redactor(),
      onEvent: (event) => events.push(event),
    });
    const logs = events.flatMap((event) =>
      event.type === 'step:end' ? (event.result.logs ?? []).map((line) => `${line.script}: ${line.message}`) : [],
    );
    expect(logs).toEqual([
      'Pause.pre[0]: Pause ["My API","Outer","Pause"]',
      'Pause.post[0]: Pause ["My API","Outer","Pause"]',
      'Outer.post[0]: Outer ["My API","Outer"]',
      'Twice.pre[0]: Twice ["My API","Twice"]',
    ]);
  });
});
