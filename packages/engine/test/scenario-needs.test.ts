import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Scenario, ScenarioSchema } from '@sortie/core';
import type { LoadedLibrary } from '@sortie/project';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanScenarioNeeds } from '../src/scenario-needs.js';
import { runFlow } from './support/run-flow.js';

const request = { method: 'GET', url: '{{base}}/ping' };

describe('scanScenarioNeeds', () => {
  it('needs nothing heavy for plain requests, assertions and extracts', () => {
    const scenario = {
      name: 'plain',
      steps: [{ name: 'ping', request, post: [{ assert: { status: { equals: 200 } } }, { extract: { var: 'id', jsonpath: '$.id' } }] }],
    } as Scenario;
    expect(scanScenarioNeeds([scenario])).toEqual({ xml: false, schema: false, faker: false, scripts: false, contracts: false });
  });

  it('finds a script processor, a script step and a script nested in a group', () => {
    const processor = { name: 'p', steps: [{ name: 'ping', request, post: [{ script: "pm.test('ok', () => {})" }] }] } as Scenario;
    const step = { name: 's', steps: [{ name: 'compute', script: 'pm.variables.set("a", 1)' }] } as Scenario;
    const nested = {
      name: 'n',
      steps: [{ name: 'g', group: { steps: [{ name: 'ping', request, pre: [{ script: { file: 'sign.js' } }] }] } }],
    } as Scenario;
    for (const scenario of [processor, step, nested]) expect(scanScenarioNeeds([scenario]).scripts, scenario.name).toBe(true);
  });

  it('does not take a request body field called "script" or "xpath" for a step', () => {
    const scenario = {
      name: 'body',
      steps: [{ name: 'post', request: { ...request, method: 'POST', body: { json: { script: 'x', xpath: '/a', schema: {} } } } }],
    } as Scenario;
    expect(scanScenarioNeeds([scenario])).toEqual({ xml: false, schema: false, faker: false, scripts: false, contracts: false });
  });

  it('finds XPath selectors, JSON Schema assertions and faker values', () => {
    const scenario = {
      name: 'all',
      steps: [
        {
          name: 'ping',
          request: { ...request, query: { name: '{{$randomFirstName}}' } },
          post: [{ assert: { xpath: { path: '/a', equals: 'b' } } }, { assert: { schema: { type: 'object' } } }],
        },
      ],
    } as unknown as Scenario;
    expect(scanScenarioNeeds([scenario])).toEqual({ xml: true, schema: true, faker: true, scripts: false, contracts: false });
  });
});

describe('scanScenarioNeeds and scripts that render dynamic values', () => {
  it('needs faker for a {{$…}} a script renders with replaceIn (it failed: "needs faker, which is not loaded")', () => {
    const rendered = {
      name: 'replaceIn',
      steps: [{ name: 's', script: "pm.variables.set('n', pm.variables.replaceIn('{{$randomFirstName}}'))" }],
    } as Scenario;
    const processor = {
      name: 'processor',
      steps: [{ name: 'ping', request, pre: [{ script: 'const e = pm.variables.replaceIn("{{ $internet.email }}");' }] }],
    } as Scenario;
    for (const scenario of [rendered, processor]) expect(scanScenarioNeeds([scenario]).faker, scenario.name).toBe(true);
  });

  it('does not for built-ins, variables or a visualizer template in a script', () => {
    const scenario = {
      name: 'no faker',
      steps: [
        { name: 's', script: "pm.visualizer.set('{{#each items}}<li>{{name}}</li>{{/each}}'); pm.variables.replaceIn('{{$guid}} {{x}}')" },
      ],
    } as Scenario;
    expect(scanScenarioNeeds([scenario])).toMatchObject({ faker: false, scripts: true });
  });
});

describe('scripts in files that render dynamic values', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sortie-small-needs-'));
    await writeFile(join(dir, 'name.js'), "pm.variables.set('n', pm.variables.replaceIn('{{$randomFirstName}}'));\n");
    await writeFile(join(dir, 'plain.js'), "pm.variables.set('n', pm.variables.replaceIn('{{$guid}}'));\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads faker for a script file using {{$randomFirstName}} without --locale (it failed: "needs faker, which is not loaded")', async () => {
    const steps = [
      { name: 'step', script: { file: 'name.js' } },
      {
        name: 'processor',
        request: { url: 'http://127.0.0.1:9/' },
        pre: [{ script: { file: 'name.js' } }, { script: 'pm.execution.skipRequest()' }],
      },
    ];
    const { steps: results } = await runFlow({ name: 'file', steps }, { dir });
    expect(results.map((r) => `${r.name} ${r.status} ${r.error?.message ?? ''}`)).toEqual(['step passed ', 'processor skipped ']);
  });

  it('loads faker for a script library script using {{$randomFirstName}}', async () => {
    const library: LoadedLibrary = {
      manifest: { name: 'names', version: '1.0.0', scripts: { first: { file: 'name.js' } } },
      dir,
      source: dir,
      scripts: { first: "pm.variables.set('n', pm.variables.replaceIn('{{$randomFirstName}}'));" },
    };
    const scenario = { name: 'library', steps: [{ name: 'step', script: { use: 'names/first' } }] };
    const { steps } = await runFlow(scenario, { dir, scriptLibraries: new Map([['names', library]]) });
    expect(steps.map((r) => `${r.name} ${r.status} ${r.error?.message ?? ''}`)).toEqual(['step passed ']);
  });

  it('still runs a script file that renders only built-in values, and reports a missing one at its step', async () => {
    const steps = [
      { name: 'plain', script: { file: 'plain.js' } },
      { name: 'missing', script: { file: 'missing.js' } },
    ];
    const { steps: results } = await runFlow({ name: 'file', steps }, { dir });
    expect(results.map((r) => `${r.name} ${r.status}`)).toEqual(['plain passed', 'missing error']);
    expect(results[1]?.error?.message).toMatch(/^cannot read script file missing\.js/);
  });
});

describe('scanScenarioNeeds and contracts', () => {
  it('finds openapi assertions and options.contract, which need JSON Schema', () => {
    const assertion = ScenarioSchema.parse({
      name: 'c',
      steps: [{ request: { url: '/' }, post: [{ assert: { openapi: { spec: 'api.yaml' } } }] }],
    });
    expect(scanScenarioNeeds([assertion])).toMatchObject({ contracts: true, schema: true });
    const option = ScenarioSchema.parse({ name: 'c', options: { contract: { spec: 'api.yaml' } }, steps: [{ request: { url: '/' } }] });
    expect(scanScenarioNeeds([option])).toMatchObject({ contracts: true, schema: true });
  });
});
