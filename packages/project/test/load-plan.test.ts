/** loadPlan: every input validated together, a plan that is plain data and never holds a secret. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCode, isSortieError, type SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hydratePlan, loadPlan, PLAN_FORMAT, type RunPlan, resolvePlanSecrets } from '../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LIBRARY = join(ROOT, 'fixtures', 'script-library', 'acme');
const SECRET = 'plan-secret-value-4f1c9a';
let work: string;

function write(file: string, content: unknown): string {
  const path = join(work, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

async function problemsOf(promise: Promise<unknown>): Promise<SortieError> {
  try {
    await promise;
  } catch (error) {
    if (isSortieError(error)) return error;
    throw error;
  }
  throw new Error('expected loadPlan to reject');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sortie-plan-'));
  write('sortie.config.json', { scripts: [LIBRARY], secrets: ['API_SECRET'], variables: { team: 'qa' } });
  write('environments/local.json', {
    name: 'local',
    variables: { base: 'http://127.0.0.1:1' },
    http: { ca: [join(ROOT, 'fixtures', 'tls', 'ca.pem')] },
  });
  write('.env', `API_SECRET=${SECRET}\n`);
  write('suite/main.json', {
    name: 'main',
    steps: [
      { name: 'in', include: { file: 'parts/part.json' } },
      { name: 'hook', script: { file: 'scripts/hook.js' } },
      { name: 'signed', request: { url: '{{base}}/x' }, pre: [{ script: { use: 'acme/sign-hmac', with: { keyVar: 'API_SECRET' } } }] },
    ],
  });
  write('suite/parts/part.json', { name: 'part', steps: [{ name: 'p', request: { url: '{{base}}/p' } }] });
  write('suite/scripts/hook.js', 'pm.test("hook", () => {});\n');
  write('data/users.csv', 'user,role\nann,admin\nbob,viewer\n');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('loadPlan', () => {
  it('makes a self-contained plan: includes, library scripts, script files, certificates, data rows, secret names only', async () => {
    const plan = await loadPlan({
      paths: ['suite/main.json'],
      cwd: work,
      environment: 'local',
      iterationData: 'data/users.csv',
      env: {},
    });
    expect(plan.format).toBe(PLAN_FORMAT);
    expect(plan.scenarios.map((s) => s.file)).toEqual(['suite/main.json']);
    expect(Object.keys(plan.includes)).toEqual(['suite/parts/part.json']);
    expect(plan.environmentFile?.file).toBe('environments/local.json');
    expect(plan.secrets).toEqual(['API_SECRET']);
    // The data file travels as a file of the plan, not as rows; the rows are read from it where the plan runs.
    expect(plan.iterationData).toEqual({ file: 'data/users.csv', format: 'csv', rows: 2 });
    expect(Buffer.from(plan.files['data/users.csv']!.base64, 'base64').toString('utf8')).toBe('user,role\nann,admin\nbob,viewer\n');
    const shipped: RunPlan = JSON.parse(JSON.stringify(plan));
    expect([...(hydratePlan(shipped, '/srv/agent/run-1').iterationData ?? [])]).toEqual([
      { user: 'ann', role: 'admin' },
      { user: 'bob', role: 'viewer' },
    ]);
    expect(plan.libraries.map((l) => [l.manifest.name, Object.keys(l.scripts)])).toEqual([['acme', ['sign-hmac']]]);
    expect(Object.keys(plan.files)).toContain('suite/scripts/hook.js');
    const ca = Object.entries(plan.files).find(([path]) => path.endsWith('ca.pem'));
    expect(Buffer.from(ca![1].base64, 'base64').toString('utf8')).toBe(readFileSync(join(ROOT, 'fixtures', 'tls', 'ca.pem'), 'utf8'));
    // The secret was looked up (it must exist) but its value is nowhere in the plan.
    expect(JSON.stringify(plan)).not.toContain(SECRET);
    expect(await resolvePlanSecrets(plan, { env: {} })).toEqual({ API_SECRET: SECRET });
  });

  it('survives JSON: the copy hydrates to the same files, positions and sources', async () => {
    const plan = await loadPlan({ paths: ['suite'], cwd: work, environment: 'local' });
    const copy = JSON.parse(JSON.stringify(plan));
    expect(copy).toEqual(plan);
    const [a, b] = [hydratePlan(plan), hydratePlan(copy)];
    expect(b.scenarios[0]?.locate(['steps', 2, 'request', 'url'])).toEqual(a.scenarios[0]?.locate(['steps', 2, 'request', 'url']));
    expect(b.scenarios[0]?.locate(['steps', 2, 'request', 'url'])).toMatchObject({ file: 'suite/main.json', line: 19 });
    expect([...b.includes.keys()]).toEqual([join(work, 'suite', 'parts', 'part.json')]);
    expect(b.libraries.get('acme')?.scripts['sign-hmac']).toContain('pm.');
  });

  it('a plan run where it was made takes the data file as read; its JSON copy carries it as base64', async () => {
    const plan = await loadPlan({ paths: ['suite/main.json'], cwd: work, environment: 'local', iterationData: 'data/users.csv', env: {} });
    const here = hydratePlan(plan);
    const copy: RunPlan = JSON.parse(JSON.stringify(plan));
    expect(copy.files['data/users.csv']).toEqual({ base64: Buffer.from('user,role\nann,admin\nbob,viewer\n').toString('base64') });
    expect(structuredClone(plan).files['data/users.csv']).toEqual(copy.files['data/users.csv']);
    const there = hydratePlan(copy);
    const rows = [
      { user: 'ann', role: 'admin' },
      { user: 'bob', role: 'viewer' },
    ];
    expect([...(here.iterationData ?? [])]).toEqual(rows);
    expect([...(there.iterationData ?? [])]).toEqual(rows);
    const file = join(work, 'data', 'users.csv');
    expect(there.files.get(file)).toEqual(Buffer.from('user,role\nann,admin\nbob,viewer\n'));
    // The same process: the rows found when the plan was made, not decoded and scanned again; they
    // read the file as the run goes, so the run holds no bytes of it.
    expect(here.files.has(file)).toBe(false);
    expect(hydratePlan(plan).iterationData).toBe(here.iterationData);
    expect(hydratePlan(copy).files.get(file)).not.toBe(there.files.get(file));
  });

  it('a plan made here reads its data file again for a copy, and refuses one that changed since', async () => {
    write('data/changing.csv', 'user\nann\n');
    const plan = await loadPlan({
      paths: ['suite/main.json'],
      cwd: work,
      environment: 'local',
      iterationData: 'data/changing.csv',
      env: {},
    });
    expect(JSON.parse(JSON.stringify(plan)).files['data/changing.csv']).toEqual({ base64: Buffer.from('user\nann\n').toString('base64') });
    write('data/changing.csv', 'user\nbob\n');
    utimesSync(join(work, 'data/changing.csv'), new Date(), new Date(Date.now() + 5_000));
    expect(() => JSON.stringify(plan)).toThrow('data/changing.csv changed while the run was reading it');
    expect(() => [...(hydratePlan(plan).iterationData ?? [])]).toThrow('data/changing.csv changed while the run was reading it');
  });

  it('runs a plan made before the data file travelled as a file: its rows are in the plan', () => {
    const plan = { format: PLAN_FORMAT, root: work, scenarios: [], includes: {}, secrets: [], libraries: [], files: {} };
    const legacy = { ...plan, iterationData: { file: 'data/users.csv', rows: [{ user: 'ann' }, { user: 'bob' }] } } as unknown as RunPlan;
    expect([...(hydratePlan(legacy).iterationData ?? [])]).toEqual([{ user: 'ann' }, { user: 'bob' }]);
    const missing = { ...plan, iterationData: { file: 'data/users.csv', format: 'csv', rows: 2 } } as RunPlan;
    expect(() => hydratePlan(missing)).toThrow('the plan does not carry its iteration data file data/users.csv');
  });

  it('--folder keeps the user text: positions of the selected steps are those of the file, after JSON too', async () => {
    write(
      'folders/nested.yaml',
      'name: nested\nsteps:\n  - name: a\n    wait: 1\n  - name: outer\n    group:\n      steps:\n        - name: skip\n          wait: 1\n        - name: inner\n          group:\n            steps:\n              - name: x\n                wait: 1\n              - name: pick\n                wait: 2\n',
    );
    const plan = await loadPlan({ paths: ['folders/nested.yaml'], cwd: work, folders: ['pick', 'a'] });
    const source = plan.scenarios[0];
    expect(source?.text).toBe(readFileSync(join(work, 'folders/nested.yaml'), 'utf8'));
    expect(source?.kept).toEqual([{ at: 0 }, { at: 1, group: [{ at: 1, group: [{ at: 1 }] }] }]);
    const hydrated = hydratePlan(JSON.parse(JSON.stringify(plan)));
    // steps[1].group.steps[0].group.steps[0] of the selection is steps[1].group.steps[1].group.steps[1] as written (line 16).
    const path = ['steps', 1, 'group', 'steps', 0, 'group', 'steps', 0, 'wait'];
    expect(hydrated.scenarios[0]?.locate(path)).toEqual({
      file: 'folders/nested.yaml',
      line: 16,
      column: 23,
      path: '$.steps[1].group.steps[1].group.steps[1].wait',
    });
    expect(hydrated.scenarios[0]?.locate(['steps', 0, 'wait'])).toMatchObject({ line: 4 });
  });

  it('a Postman collection keeps its own text: positions are those of the collection, after JSON too, secrets blanked', async () => {
    const secret = 'pm-secret "quoted" \\ value';
    const text = `{
  "info": { "name": "pm", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
  "variable": [
    { "key": "pw", "value": ${JSON.stringify(secret)}, "type": "secret" },
    { "key": "old", "value": ${JSON.stringify(`${secret} old`)}, "type": "secret", "disabled": true },
    { "key": "plain", "value": "visible" }
  ],
  "auth": { "type": "bearer", "bearer": [{ "key": "token", "value": "{{pw}}" }] },
  "item": [
    { "name": "first", "request": "http://127.0.0.1:1/first" },
    {
      "name": "folder",
      "event": [
        { "listen": "prerequest", "script": { "exec": ["// nothing"] } },
        { "listen": "test", "script": { "exec": ["pm.test('folder', () => {});"] } }
      ],
      "item": [
        {
          "name": "login",
          "event": [{ "listen": "test", "script": { "exec": ["pm.test('own', () => {});"] } }],
          "request": {
            "method": "POST",
            "header": [{ "key": "Accept", "value": "application/json" }],
            "url": { "raw": "http://127.0.0.1:1/login?p={{pw}}", "host": ["127", "0", "0", "1"], "port": "1", "path": ["login"] }
          }
        }
      ]
    }
  ]
}
`;
    write('pm/collection.json', text);
    const lines = text.split('\n');
    const at = (needle: string, occurrence = 0) => {
      const found = lines.flatMap((line, index) => (line.includes(needle) ? [{ line: index + 1, column: line.indexOf(needle) + 1 }] : []));
      return found[occurrence];
    };
    const plan = await loadPlan({ paths: ['pm/collection.json'], cwd: work });
    const source = plan.scenarios[0];
    expect(source?.text).not.toContain('pm-secret');
    expect(source?.text.split('\n').length).toBe(lines.length);
    expect(source?.text).toContain('"visible"');
    const hydrated = hydratePlan(JSON.parse(JSON.stringify(plan)));
    const locate = hydrated.scenarios[0]!.locate;
    const login = ['steps', 1, 'group', 'steps', 0];
    expect(locate([...login, 'request', 'url'])).toEqual({
      file: 'pm/collection.json',
      ...at('"http://127.0.0.1:1/login'),
      path: '$.item[1].item[0].request.url.raw',
    });
    expect(locate([...login, 'request', 'headers', 'Accept'])).toMatchObject({
      ...at('"application/json"'),
      path: '$.item[1].item[0].request.header[0].value',
    });
    // post[0] is the folder's test script, post[1] the request's own.
    expect(locate([...login, 'post', 0, 'script'])).toMatchObject({
      line: at("pm.test('folder'")!.line,
      path: '$.item[1].event[1].script.exec',
    });
    expect(locate([...login, 'post', 1, 'script'])).toMatchObject({
      line: at("pm.test('own'")!.line,
      path: '$.item[1].item[0].event[0].script.exec',
    });
    expect(locate(['steps', 0, 'request', 'url'])).toMatchObject({ ...at('"http://127.0.0.1:1/first"'), path: '$.item[0].request' });
    expect(locate(['defaults', 'plain'])).toMatchObject({ line: at('"visible"')!.line });
    expect(locate(['auth', 'profiles', 'pm', 'token'])).toMatchObject({ line: at('"auth": { "type": "bearer"')!.line });
    // The request selected alone (--folder) is steps[0] of the value, still at its place in the file.
    const selected = hydratePlan(
      JSON.parse(JSON.stringify(await loadPlan({ paths: ['pm/collection.json'], cwd: work, folders: ['login'] }))),
    );
    expect(selected.scenarios[0]!.locate(['steps', 0, 'request', 'url'])).toMatchObject(at('"http://127.0.0.1:1/login')!);
  });

  it('hydrates under another root, as an agent that unpacked the plan elsewhere', async () => {
    const plan = JSON.parse(JSON.stringify(await loadPlan({ paths: ['suite/main.json'], cwd: work })));
    const hydrated = hydratePlan(plan, '/srv/agent/run-1');
    expect([...hydrated.includes.keys()]).toEqual(['/srv/agent/run-1/suite/parts/part.json']);
    expect(hydrated.scenarios[0]?.dir).toBe('/srv/agent/run-1/suite');
    expect(hydrated.files.has('/srv/agent/run-1/suite/scripts/hook.js')).toBe(true);
  });

  it('reports a bad data file, a bad scenario, a bad include and a missing secret together', async () => {
    write('bad/data.csv', 'user,role\nann\n');
    write('bad/scenario.json', {
      name: 'bad',
      steps: [
        { name: 'b', break: true },
        { name: 'i', include: { file: 'nope.json' } },
        { name: 's', request: { url: 'http://x' }, pre: [{ script: { use: 'acme/sign-hmac', with: { key: 'oops' } } }] },
      ],
    });
    const error = await problemsOf(
      loadPlan({ paths: ['bad/scenario.json'], cwd: work, iterationData: 'bad/data.csv', env: { HOME: '/' } }),
    );
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    const texts = error.details.flatMap((d) => [d.message, ...d.details.map((inner) => inner.message)]);
    expect(error.details.map((d) => d.title)).toEqual(['Invalid iteration data', 'Invalid scenario', 'Invalid scenario']);
    expect(texts.some((t) => t.includes('row has 1 field'))).toBe(true);
    expect(texts.some((t) => t.includes('break'))).toBe(true);
    expect(texts.some((t) => t.includes("must have required property 'keyVar'"))).toBe(true);
    expect(texts).toContain('cannot read the included scenario nope.json: no such file');
  });

  it('an include of a file that is not .json, .yaml or .yml is an error at the include that names it', async () => {
    write('wrongtype/parts/login.txt', 'name: login\nsteps: []\n');
    write('wrongtype/s.yaml', 'name: s\nsteps:\n  - include: { file: parts/login.txt }\n  - include: { file: /etc/hostname }\n');
    const error = await problemsOf(loadPlan({ paths: ['s.yaml'], cwd: join(work, 'wrongtype') }));
    const problems = error.details.flatMap((detail) => detail.details);
    expect(problems.map((problem) => [problem.message, problem.location])).toEqual([
      [
        'the included scenario parts/login.txt is not a scenario file: expected .json, .yaml or .yml',
        expect.objectContaining({ file: 's.yaml', line: 3, column: 22, path: '$.steps[0].include.file' }),
      ],
      [
        'the included scenario /etc/hostname is not a scenario file: expected .json, .yaml or .yml',
        expect.objectContaining({ file: 's.yaml', line: 4, column: 22, path: '$.steps[1].include.file' }),
      ],
    ]);
  });

  it('asks for secret values only when env is given', async () => {
    write('nosecret/sortie.config.json', { secrets: ['MISSING_ONE'] });
    write('nosecret/s.json', { name: 's', steps: [] });
    const cwd = join(work, 'nosecret');
    await expect(loadPlan({ paths: ['s.json'], cwd })).resolves.toMatchObject({ secrets: ['MISSING_ONE'] });
    const error = await problemsOf(loadPlan({ paths: ['s.json'], cwd, env: {} }));
    expect(error).toMatchObject({ code: ErrorCode.INVALID_INPUT, title: 'Missing secret' });
  });
});
