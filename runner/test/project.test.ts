/**
 * A project folder as a team keeps it: sortie.config.json, environments/, a .env with secrets that
 * must never appear in any output, report or exported file; iteration data from CSV and JSON; the
 * exported environment and globals.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, expectGolden, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(import.meta.dirname, 'golden');
const API_TOKEN = 'tok-7c1e9a44d2b8-end';
const PROJECT_SECRET = 'prj-5f03b6e1a9d7-end';
let server: FixtureServer;
let work: string;
let project: string;

/** Writes a file below the project folder (creating folders) and returns its absolute path. */
function write(path: string, content: unknown): string {
  const file = join(project, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** Every file below `dir`, recursively. */
function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-project-cli-'));
  project = join(work, 'project');
  write('sortie.config.json', {
    defaultEnvironment: 'local',
    reporters: ['cli', 'json', 'junit'],
    outDir: 'out',
    variables: { who: 'project', region: 'eu' },
    secrets: ['PROJECT_SECRET'],
  });
  write('environments/local.json', { name: 'local', variables: { base: server.url }, secrets: ['API_TOKEN'] });
  write('environments/other.yaml', `name: other\nvariables:\n  base: ${server.url}\nsecrets: [API_TOKEN]\n`);
  write(
    'environments/needs-more.json',
    '{\n  "variables": { "base": "http://127.0.0.1:1" },\n  "secrets": [\n    "NOT_SET_ANYWHERE_TOKEN"\n  ]\n}\n',
  );
  write('.env', `# secrets of this machine\nexport API_TOKEN="${API_TOKEN}"\nPROJECT_SECRET='${PROJECT_SECRET}'\n`);
  write('scenarios/secret.json', {
    name: 'uses secrets',
    steps: [
      {
        name: 'send the secrets',
        request: {
          method: 'POST',
          url: '{{base}}/echo?who={{who}}&region={{region}}&p={{PROJECT_SECRET}}',
          headers: { 'X-Api-Token': '{{API_TOKEN}}' },
          body: { json: { token: '{{API_TOKEN}}', project: '{{PROJECT_SECRET}}' } },
        },
        post: [
          { assert: { status: { equals: 200 } } },
          { assert: { jsonpath: { path: '$.json.token', matches: '^tok-[0-9a-f]{12}-end$', notEquals: '\\{{API_TOKEN}}' } } },
          { assert: { header: { name: 'content-type', contains: 'json' } } },
          { extract: { var: 'echoedToken', scope: 'environment', jsonpath: '$.headers["x-api-token"]' } },
          { extract: { var: 'seenWho', scope: 'environment', jsonpath: '$.query.who' } },
          { extract: { var: 'seenRegion', scope: 'global', jsonpath: '$.query.region' } },
        ],
      },
    ],
  });
  write('scenarios/rows.json', {
    name: 'rows',
    steps: [{ name: 'row', request: { url: '{{base}}/echo?user={{user}}&n={{n}}' }, post: [{ assert: { status: { equals: 200 } } }] }],
  });
  write('data/users.csv', 'user,n\r\n"Doe, Jane",1\r\nbob,2\r\n');
  write(
    'data/users.json',
    JSON.stringify([
      { user: 'carol', n: 3 },
      { user: 'dave', n: 4 },
      { user: 'erin', n: 5 },
    ]),
  );
  write('data/ragged.csv', 'user,n\nann,1\nbob,2,3\n');
  mkdirSync(join(project, 'sub'), { recursive: true });
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('project file, environments and secrets', () => {
  it('runs with the default environment and .env secrets, and no secret reaches any output or file', async () => {
    const result = await runSortie(
      [
        'run',
        '../scenarios/secret.json',
        '--verbose',
        '--export-environment',
        '../exports/env.json',
        '--export-globals',
        '../exports/globals.json',
      ],
      { cwd: join(project, 'sub') },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // The secrets were sent: the echo (and the verbose output) shows where they were, redacted.
    expect(result.stdout).toContain('[REDACTED]');
    const written = [...listFiles(join(project, 'out')), ...listFiles(join(project, 'exports'))];
    expect(written.map((file) => file.slice(project.length)).sort()).toEqual([
      '/exports/env.json',
      '/exports/globals.json',
      '/out/junit.xml',
      '/out/report.json',
    ]);
    for (const text of [result.stdout, result.stderr, ...written.map((file) => readFileSync(file, 'utf8'))]) {
      for (const secret of [API_TOKEN, PROJECT_SECRET]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(Buffer.from(secret).toString('base64'));
      }
    }
    const report = JSON.parse(readFileSync(join(project, 'out', 'report.json'), 'utf8'));
    expect(report.scenarios[0].status).toBe('passed');
  });

  it('exports the environment and global scopes without secrets or values holding one', async () => {
    const environment = JSON.parse(readFileSync(join(project, 'exports', 'env.json'), 'utf8'));
    expect(environment).toEqual({ name: 'local', variables: { base: server.url, seenWho: 'project' } });
    const globals = JSON.parse(readFileSync(join(project, 'exports', 'globals.json'), 'utf8'));
    expect(globals).toEqual({ name: 'globals', variables: { who: 'project', region: 'eu', seenRegion: 'eu' } });
  });

  it('lets --global-var win over the project variables and -r/--out-dir over the project reporters', async () => {
    const out = join(work, 'override-out');
    const result = await runSortie(
      ['run', 'scenarios/secret.json', '--global-var', 'who=cli', '-r', 'json', '--out-dir', out, '--export-globals', join(work, 'g.json')],
      { cwd: project },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(work, 'g.json'), 'utf8')).variables.who).toBe('cli');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.scenarios[0].steps[0].request.url).toContain('who=cli');
  });

  it('picks an environment by name with -e', async () => {
    const result = await runSortie(
      ['run', 'scenarios/secret.json', '-e', 'other', '-r', 'cli', '--export-environment', join(work, 'e.json')],
      {
        cwd: project,
      },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'e.json'), 'utf8')).name).toBe('other');
  });

  it('takes a secret from the process environment over .env, and still redacts it', async () => {
    const fromProcess = 'tok-0123456789ab-end';
    const result = await runSortie(['run', 'scenarios/secret.json', '-r', 'cli', '--verbose'], {
      cwd: project,
      env: { API_TOKEN: fromProcess },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain(fromProcess);
    expect(result.stdout).not.toContain(API_TOKEN);
  });

  it('takes a declared secret from --env-var when nothing else sets it, and redacts it everywhere', async () => {
    const fromCli = 'tok-cli0cli0cli0-end';
    write('cli-secret/send.json', {
      name: 'a secret from the command line',
      steps: [
        {
          name: 'send it',
          request: {
            method: 'POST',
            url: '{{base}}/echo',
            headers: { 'X-Api-Token': '{{NOT_SET_ANYWHERE_TOKEN}}' },
            body: { json: { token: '{{NOT_SET_ANYWHERE_TOKEN}}' } },
          },
          post: [{ assert: { jsonpath: { path: '$.json.token', matches: '^tok-cli0cli0cli0-end$' } } }],
        },
      ],
    });
    const out = join(work, 'cli-secret-out');
    const result = await runSortie(
      [
        'run',
        'cli-secret/send.json',
        '-e',
        'needs-more',
        '--env-var',
        `base=${server.url}`,
        '--env-var',
        `NOT_SET_ANYWHERE_TOKEN=${fromCli}`,
        '-r',
        'cli,json',
        '--out-dir',
        out,
        '--verbose',
      ],
      { cwd: project },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('X-Api-Token: [REDACTED]');
    expect(result.stdout + result.stderr).not.toContain(fromCli);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).not.toContain(fromCli);
  });

  it('names a missing secret at its place in the environment file, and runs nothing', async () => {
    const result = await runSortie(['run', 'scenarios/secret.json', '-e', 'needs-more'], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectGolden(join(GOLDEN, 'missing-secret.err'), result.stderr);
  });

  it('lists the environments found for an unknown name', async () => {
    const result = await runSortie(['run', 'scenarios/secret.json', '-e', 'prod'], { cwd: project });
    expect(result.code).toBe(2);
    expectGolden(join(GOLDEN, 'unknown-environment.err'), result.stderr);
  });

  it('validates the project file and the environment without needing the secrets', async () => {
    const result = await runSortie(['validate', 'scenarios', '-e', 'needs-more'], { cwd: project });
    expect(result.code, result.stderr).toBe(0);
    expectGolden(join(GOLDEN, 'validate-project.out'), result.stdout);
  });
});

describe('iteration data', () => {
  const urls = (out: string): string[] =>
    JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).scenarios.map((s: { steps: { request: { url: string } }[] }) =>
      s.steps[0]?.request.url.replace(server.url, ''),
    );

  it('runs once per CSV row with the values as strings', async () => {
    const out = join(work, 'csv-out');
    const result = await runSortie(['run', 'scenarios/rows.json', '-d', 'data/users.csv', '-r', 'json', '--out-dir', out], {
      cwd: project,
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(urls(out)).toEqual(['/echo?user=Doe,%20Jane&n=1', '/echo?user=bob&n=2']);
  });

  it('runs once per object of a JSON file, and -n cycles through the rows', async () => {
    const out = join(work, 'json-out');
    const result = await runSortie(['run', 'scenarios/rows.json', '-d', 'data/users.json', '-n', '4', '-r', 'json', '--out-dir', out], {
      cwd: project,
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(urls(out)).toEqual(['/echo?user=carol&n=3', '/echo?user=dave&n=4', '/echo?user=erin&n=5', '/echo?user=carol&n=3']);
  });

  it('rejects a ragged CSV row with its file and line before anything runs', async () => {
    const result = await runSortie(['run', 'scenarios/rows.json', '-d', 'data/ragged.csv'], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectGolden(join(GOLDEN, 'ragged-csv.err'), result.stderr);
  });

  it('reports a bad data file and a bad scenario together, in one run', async () => {
    write('broken/broken.json', JSON.stringify({ name: 'broken', steps: [{ name: 'out of place', break: true }] }, null, 2));
    const result = await runSortie(['run', 'broken/broken.json', '-d', 'data/ragged.csv'], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectGolden(join(GOLDEN, 'ragged-csv-and-bad-scenario.err'), result.stderr);
  });

  it.each([
    ['--iterations', '0'],
    ['--parallel', 'two'],
  ])('%s %s is a usage error', async (flag, value) => {
    const result = await runSortie(['run', 'scenarios/rows.json', flag, value], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: Usage error: ${flag} expects a positive whole number, got "${value}"\n  hint: run 'sortie run --help' for its options\n`,
    );
  });
});
