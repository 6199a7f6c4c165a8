/**
 * Where a failed step points. A database step: at the operation that failed (the `sql` text, a `redis`
 * command), not at the `db` object's opening brace, so a scenario with several statements says
 * which one; a request whose body file cannot be read: at that `file`. Through the real engine, with
 * scenarios loaded from files (SQLite for the database).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '@sortie/config';
import { EnvironmentSchema } from '@sortie/core';
import { hydratePlan, loadPlan } from '@sortie/project';
import { afterAll, describe, expect, it } from 'vitest';
import { ifStep, runFlows } from './support/run-flow.js';

const dir = mkdtempSync(join(tmpdir(), 'sortie-engine-db-location-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a failed db step', () => {
  it('points at its sql text', async () => {
    const file = join(dir, 'broken.json');
    const text = [
      '{ "name": "broken", "steps": [',
      '  {',
      '    "name": "select",',
      '    "db": {',
      '      "connection": "main",',
      '      "sql": "SELECT * FROM no_such_table"',
      '    }',
      '  }',
      '] }',
    ].join('\n');
    writeFileSync(file, text);
    const loaded = await loadScenario(file);
    const environment = {
      value: EnvironmentSchema.parse({ name: 'db', databases: { main: { type: 'sqlite', database: ':memory:' } } }),
      file: 'env.json',
      dir,
    };
    const run = await runFlows([loaded], { environment });
    const step = run.steps[0]!;
    expect(step.status).toBe('error');
    expect(step.error?.message).toContain('no such table: no_such_table');
    expect(step.location).toMatchObject({ line: 6, column: 14, text: '      "sql": "SELECT * FROM no_such_table"' });
  });

  it('points at its connection when there is no such connection, at the template of an unresolved variable', async () => {
    const file = join(dir, 'unknown.json');
    const steps = [
      { name: 'nowhere', db: { connection: 'nope', sql: 'SELECT 1' } },
      { name: 'unresolved', db: { connection: 'main', sql: 'SELECT ?', params: ['{{missing}}'] } },
    ];
    writeFileSync(file, JSON.stringify({ name: 'unknown', options: { onError: 'continue' }, steps }, null, 2));
    const environment = {
      value: EnvironmentSchema.parse({ name: 'db', databases: { main: { type: 'sqlite', database: ':memory:' } } }),
      file: 'env.json',
      dir,
    };
    const run = await runFlows([await loadScenario(file)], { environment });
    expect(run.steps.map((step) => step.location?.text?.trim())).toEqual(['"connection": "nope",', '"{{missing}}"']);
  });

  it('points at its connection when the connection url cannot be read or names no Redis database number (it pointed at the operation)', async () => {
    const file = join(dir, 'bad-settings.json');
    const steps = [
      { name: 'slash', db: { connection: 'slash', sql: 'SELECT 1' } },
      { name: 'letters', db: { connection: 'letters', redis: ['PING'] } },
    ];
    writeFileSync(file, JSON.stringify({ name: 'bad settings', options: { onError: 'continue' }, steps }, null, 2));
    const databases = {
      slash: { type: 'postgres', url: 'postgres://u:pa/ss-word@127.0.0.1:5432/test' },
      letters: { type: 'redis', database: 'abc' },
    };
    const environment = { value: EnvironmentSchema.parse({ name: 'db', databases }), file: 'env.json', dir };
    const run = await runFlows([await loadScenario(file)], { environment });
    expect(run.steps.map((step) => step.error?.title)).toEqual(['Invalid database connection', 'Invalid database connection']);
    expect(run.steps.map((step) => step.location?.text?.trim())).toEqual(['"connection": "slash",', '"connection": "letters",']);
  });
});

describe('a request whose body file cannot be read', () => {
  it('points at that file in the body or in its multipart part, not at the url', async () => {
    const file = join(dir, 'upload.json');
    const multipart = (part: string) => ({
      multipart: [
        { name: 'note', value: 'x' },
        { name: 'doc', file: part },
      ],
    });
    const steps = [
      { name: 'raw', request: { method: 'POST', url: 'http://127.0.0.1:1/upload', body: { file: 'missing.bin' } } },
      { name: 'parts', request: { method: 'POST', url: 'http://127.0.0.1:1/upload', body: multipart('gone.pdf') } },
      { name: 'templated', request: { method: 'POST', url: 'http://127.0.0.1:1/upload', body: multipart('{{dir}}/gone.pdf') } },
    ];
    writeFileSync(file, JSON.stringify({ name: 'upload', variables: { dir: 'docs' }, options: { onError: 'continue' }, steps }, null, 2));
    const run = await runFlows([await loadScenario(file)]);
    expect(run.steps.map((step) => step.error?.title)).toEqual(['File not found', 'File not found', 'File not found']);
    expect(run.steps.map((step) => step.location?.text?.trim())).toEqual([
      '"file": "missing.bin"',
      '"file": "gone.pdf"',
      '"file": "{{dir}}/gone.pdf"',
    ]);
  });
});

describe('an unresolved variable in what a flow step renders itself', () => {
  it('points at the template naming it: a condition, a loop count or while, forEach items, include variables, a wait', async () => {
    writeFileSync(join(dir, 'part.json'), JSON.stringify({ name: 'part', steps: [{ name: 'p', wait: 0 }] }));
    const file = join(dir, 'flow-unresolved.json');
    const steps = [
      ifStep({ expression: '{{nope1}} == 1' }, [{ name: 't', wait: 0 }], undefined, { name: 'if' }),
      { name: 'lp', loop: { count: 1, steps: [{ name: 'br', break: { expression: '{{nope2}} == 1' } }] } },
      { name: 'count', loop: { count: '{{nope3}}', steps: [{ name: 'x', wait: 0 }] } },
      { name: 'while', loop: { while: { variable: { name: 'x', equals: '{{nope4}}' } }, steps: [{ name: 'x', wait: 0 }] } },
      { name: 'each', forEach: { items: '{{nope5}}', steps: [{ name: 'x', wait: 0 }] } },
      { name: 'inc', include: { file: 'part.json', variables: { a: 'ok', who: '{{nope6}}' } } },
      { name: 'w', wait: '{{nope7}}' },
    ];
    writeFileSync(file, JSON.stringify({ name: 'flow', options: { onError: 'continue' }, steps }, null, 2));
    const plan = hydratePlan(await loadPlan({ paths: ['part.json'], cwd: dir }));
    const includes = new Map(plan.scenarios.map((loaded) => [join(dir, loaded.file), loaded] as const));
    const run = await runFlows([await loadScenario(file)], { includes });
    const errors = run.steps.filter((step) => step.error !== undefined);
    expect(errors.map((step) => step.error?.title)).toEqual(Array(7).fill('Unresolved variable'));
    expect(errors.map((step) => step.location?.text?.trim())).toEqual([
      '"expression": "{{nope1}} == 1"',
      '"expression": "{{nope2}} == 1"',
      '"count": "{{nope3}}",',
      '"equals": "{{nope4}}"',
      '"items": "{{nope5}}",',
      '"who": "{{nope6}}"',
      '"wait": "{{nope7}}"',
    ]);
  });
});

describe('a flow step’s own problem', () => {
  it('points at what is wrong: the condition, the loop count or while, the forEach items (not the opening brace)', async () => {
    const file = join(dir, 'flow-problems.json');
    const steps = [
      ifStep({ expression: '1 == 1 == 1' }, [{ name: 't', wait: 0 }], undefined, { name: 'two operators' }),
      { name: 'count', loop: { count: '{{word}}', steps: [{ name: 'x', wait: 0 }] } },
      { name: 'limit', loop: { count: 5, max: 2, steps: [{ name: 'x', wait: 0 }] } },
      { name: 'forever', loop: { while: { expression: '1 < 2' }, max: 1, steps: [{ name: 'x', wait: 0 }] } },
      { name: 'each', forEach: { items: '{{word}}', steps: [{ name: 'x', wait: 0 }] } },
    ];
    writeFileSync(file, JSON.stringify({ name: 'flow', variables: { word: 'abc' }, options: { onError: 'continue' }, steps }, null, 2));
    const run = await runFlows([await loadScenario(file)]);
    const errors = run.steps.filter((step) => step.error !== undefined);
    expect(errors.map((step) => step.error?.title)).toEqual([
      'Invalid condition',
      'Invalid loop count',
      'Loop limit',
      'Loop limit',
      'Not a list',
    ]);
    expect(errors.map((step) => step.location?.text?.trim())).toEqual([
      '"condition": {',
      '"count": "{{word}}",',
      '"count": 5,',
      '"while": {',
      '"items": "{{word}}",',
    ]);
  });
});

describe('a failed step of a setup or a teardown', () => {
  it('points at where it is written, as a step of the test does (the index held the test steps only)', async () => {
    const file = join(dir, 'lifecycle.json');
    const refused = (name: string) => ({ name, request: { url: `http://127.0.0.1:1/${name}` } });
    const scenario = {
      name: 'lifecycle',
      setup: [refused('prepare')],
      steps: [
        refused('test'),
        { name: 'group', group: { steps: [refused('inner')], teardown: [refused('group-cleanup')] } },
        { name: 'loop', loop: { count: 1, steps: [refused('pass')], teardown: [refused('loop-cleanup')] } },
      ],
      teardown: [refused('cleanup')],
      options: { onError: 'continue' },
    };
    writeFileSync(file, JSON.stringify(scenario, null, 2));
    const run = await runFlows([await loadScenario(file)]);
    const located = run.steps.filter((step) => step.error !== undefined).map((step) => [step.name, step.location?.text?.trim()]);
    expect(located).toEqual(
      ['prepare', 'test', 'inner', 'group-cleanup', 'pass', 'loop-cleanup', 'cleanup'].map((name) => [
        name,
        `"url": "http://127.0.0.1:1/${name}"`,
      ]),
    );
  });
});

describe('a failed step of a scenario written on one long line (minified JSON)', () => {
  it('points at its line and column without copying the whole line into every location', async () => {
    const file = join(dir, 'minified.json');
    const steps = Array.from({ length: 200 }, (_, i) => ({ name: `s${i}`, request: { url: `http://127.0.0.1:1/${i}` } }));
    writeFileSync(file, JSON.stringify({ name: 'minified', options: { onError: 'continue' }, steps }));
    const run = await runFlows([await loadScenario(file)]);
    expect(run.steps).toHaveLength(200);
    const last = run.steps.at(-1);
    expect(last?.location).toMatchObject({ line: 1, path: '$.steps[199].request.url' });
    expect(last?.location?.column).toBeGreaterThan(4096);
    // A 1.4 GB report.json came of 2,000 steps each carrying the 660 KB line.
    for (const step of run.steps) expect(step.location?.text).toBeUndefined();
  });
});
