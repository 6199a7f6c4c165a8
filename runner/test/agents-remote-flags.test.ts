/**
 * `sortie run --remote` with `-g`, `--folder` and `--working-dir`, against a real `sortie server` and
 * `sortie agent` (processes of the built CLI on a redis-server of the test's own) and the fixture
 * API: the same Postman collection run here and remotely gives the same output and exit code for
 * each flag; a global typed secret travels as a name only (looked up on the agent, never in Redis or
 * on the server); the body files --working-dir names travel in the bundle. Goldens in
 * runner/test/golden/remote/.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, goldenIn, normaliseText, ROOT, runSortie, startCli } from '@sortie/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, readAllOfRedis, startOwnRedis } from '../../packages/agent/test/redis-server.js';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden', 'remote'));
/** The value of the global typed secret in the globals file: it never leaves this machine. */
const FILE_SECRET = 'glob4l-f1le s3cret+/=&';
/** The agent's own value of that global. */
const AGENT_SECRET = 'glob4l-ag3nt s3cret+/=&';
const UPLOAD = 'upload-contents-7f3a\n';
/** A collection variable typed secret, with its value in the collection: refused by --remote. */
const COLLECTION_SECRET = 'c0llect1on s3cret+/=&';
/** The agent's own value of that variable, once the collection leaves it empty and the project declares it. */
const AGENT_KEY = 'ag3nt-ap1 k3y+/=&';
/** That variable typed secret in a Postman environment export (-e): the bundle carries the file without it. */
const ENV_FILE_SECRET = 'env-f1le s3cret+/=&';

/** A collection sending its variable `apiKey` (typed secret, with `value`) and checking the server received it. */
const secretCollection = (value: string) => ({
  info: { name: 'Secret variable', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  variable: [{ key: 'apiKey', value, type: 'secret' }],
  item: [
    {
      name: 'Send the key',
      event: [
        testScript([
          "pm.test('the key is set', () => pm.expect(pm.variables.get('apiKey')).to.not.be.empty);",
          "pm.test('the server got it', () => pm.expect(pm.response.json().headers['x-api-key']).to.eql(pm.variables.get('apiKey')));",
        ]),
      ],
      request: { method: 'GET', header: [{ key: 'X-Api-Key', value: '{{apiKey}}' }], url: '{{base}}/echo' },
    },
  ],
});

let redis: OwnRedis;
let api: FixtureServer;
let work: string;
let project: string;
let serverUrl: string;
let dataDir: string;
const tokens = { submit: '', read: '' };
const processes: ChildProcess[] = [];

const testScript = (lines: string[]) => ({ listen: 'test', script: { type: 'text/javascript', exec: lines } });

/** A hand-written Postman v2.1 collection: a folder using globals, one sending files, one that fails. */
const COLLECTION = {
  info: { name: 'Remote flags', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    {
      name: 'Globals',
      item: [
        {
          name: 'greet',
          request: {
            method: 'GET',
            url: '{{base}}/echo?greeting={{greeting}}',
            header: [{ key: 'X-Global-Secret', value: '{{globalSecret}}' }],
          },
          event: [
            testScript([
              "pm.test('the greeting global arrived', () => pm.expect(pm.response.json().query.greeting).to.equal('hello'));",
              "pm.test('the secret global was sent', () => {",
              "  const sent = pm.response.json().headers['x-global-secret'];",
              '  pm.expect(sent.length).to.be.above(10);',
              "  pm.expect(sent).to.equal(pm.globals.get('globalSecret'));",
              '});',
            ]),
          ],
        },
      ],
    },
    {
      name: 'Uploads',
      item: [
        {
          name: 'form with a file',
          request: {
            method: 'POST',
            url: '{{base}}/echo',
            body: { mode: 'formdata', formdata: [{ key: 'doc', type: 'file', src: 'upload.txt' }] },
          },
          event: [
            testScript([
              "pm.test('the file part holds the file', () => pm.expect(pm.response.json().body).to.include('upload-contents-7f3a'));",
            ]),
          ],
        },
        {
          name: 'file body',
          request: { method: 'POST', url: '{{base}}/echo', body: { mode: 'file', file: { src: 'upload.txt' } } },
          event: [
            testScript(["pm.test('the body is the file', () => pm.expect(pm.response.json().body).to.equal('upload-contents-7f3a\\n'));"]),
          ],
        },
      ],
    },
    {
      name: 'Broken',
      item: [
        {
          name: 'fails',
          request: { method: 'GET', url: '{{base}}/status/500' },
          event: [testScript(["pm.test('status is 200', () => pm.response.to.have.status(200));"])],
        },
      ],
    },
  ],
};

const GLOBALS = {
  name: 'Globals',
  values: [
    { key: 'greeting', value: 'hello', type: 'default', enabled: true },
    { key: 'globalSecret', value: FILE_SECRET, type: 'secret', enabled: true },
  ],
  _postman_variable_scope: 'globals',
};

/** A globals file whose values are not all strings: a number, a boolean, an object and a list. */
const TYPED_GLOBALS = {
  name: 'Typed',
  values: [
    { key: 'count', value: 3, type: 'default', enabled: true },
    { key: 'on', value: true, type: 'default', enabled: true },
    { key: 'user', value: { id: 7, tags: ['a', 'b'] }, type: 'default', enabled: true },
    { key: 'ids', value: [1, 2], type: 'default', enabled: true },
    { key: 'word', value: 'plain', type: 'default', enabled: true },
  ],
  _postman_variable_scope: 'globals',
};

/** Checks the type and value of each global, as Newman (and a local run) keep them, and sends two of them. */
const TYPED_COLLECTION = {
  info: { name: 'Typed globals', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    {
      name: 'typed',
      request: { method: 'GET', url: '{{base}}/echo?count={{count}}&id={{user}}' },
      event: [
        testScript([
          "pm.test('count is the number 3', () => pm.expect(pm.globals.get('count')).to.equal(3));",
          "pm.test('on is true', () => pm.expect(pm.globals.get('on')).to.equal(true));",
          "pm.test('user is an object', () => pm.expect(pm.globals.get('user')).to.eql({ id: 7, tags: ['a', 'b'] }));",
          "pm.test('ids is a list', () => pm.expect(pm.globals.get('ids')).to.eql([1, 2]));",
          "pm.test('word is a string', () => pm.expect(pm.globals.get('word')).to.equal('plain'));",
          "pm.test('count was sent as 3', () => pm.expect(pm.response.json().query.count).to.equal('3'));",
        ]),
      ],
    },
  ],
};

beforeAll(async () => {
  ensureBuilt();
  redis = await startOwnRedis();
  api = await startFixtureServer();
  work = await mkdtemp(join(tmpdir(), 'sortie-remote-flags-'));
  project = join(work, 'project');
  await mkdir(join(project, 'collections'), { recursive: true });
  await mkdir(join(project, 'data'), { recursive: true });
  await writeFile(join(project, 'collections', 'remote.postman_collection.json'), JSON.stringify(COLLECTION, null, 2));
  await writeFile(join(project, 'globals.json'), JSON.stringify(GLOBALS, null, 2));
  await writeFile(join(project, 'data', 'upload.txt'), UPLOAD);
  await mkdir(join(project, 'secret-var'));
  await writeFile(join(project, 'secret-var', 'collection.json'), JSON.stringify(secretCollection(COLLECTION_SECRET), null, 2));
  await mkdir(join(project, 'secret-declared'));
  await writeFile(join(project, 'secret-declared', 'collection.json'), JSON.stringify(secretCollection(''), null, 2));
  await writeFile(join(project, 'secret-declared', 'sortie.config.json'), JSON.stringify({ secrets: ['apiKey'] }));
  await mkdir(join(project, 'secret-env'));
  await writeFile(join(project, 'secret-env', 'collection.json'), JSON.stringify(secretCollection(''), null, 2));
  await writeFile(
    join(project, 'secret-env', 'local.postman_environment.json'),
    JSON.stringify({ name: 'local', values: [{ key: 'apiKey', value: ENV_FILE_SECRET, type: 'secret', enabled: true }] }, null, 2),
  );
  await mkdir(join(project, 'typed-globals'));
  await writeFile(join(project, 'typed-globals', 'collection.json'), JSON.stringify(TYPED_COLLECTION, null, 2));
  await writeFile(join(project, 'typed-globals', 'globals.json'), JSON.stringify(TYPED_GLOBALS, null, 2));
  await mkdir(join(project, 'timeout'));
  await writeFile(
    join(project, 'timeout', 'slow.json'),
    JSON.stringify({
      name: 'Slow',
      steps: [{ name: 'slow', request: { method: 'GET', url: '{{base}}/slow?ms=4000' }, post: [{ assert: { status: { equals: 200 } } }] }],
    }),
  );
  await writeFile(join(project, 'timeout', 'vars.env'), `base=${api.url}\n`);
  await writeFile(join(project, 'secret-declared', 'secret.env'), `apiKey=${AGENT_KEY}\n`);
  dataDir = join(work, 'server-data');
  for (const scope of ['submit', 'read'] as const) {
    const created = await runSortie(['server', 'token', 'create', '--scope', scope, '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    tokens[scope] = created.stdout.trim();
  }
  const server = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/, {
    cwd: work,
  });
  processes.push(server.child);
  serverUrl = server.match[1] as string;
  // The agent runs in a folder of its own: nothing of the project is there, only its secret.
  const agentDir = join(work, 'agent');
  await mkdir(agentDir);
  for (const [name, pool, env] of [
    ['agent-flags', 'default', { globalSecret: AGENT_SECRET, apiKey: AGENT_KEY }],
    ['agent-bare', 'bare', {}],
  ] as const) {
    const agent = await startCli(['agent', '--redis', redis.url, '--name', name, '--pool', pool], /waiting for runs/, {
      env,
      cwd: agentDir,
    });
    processes.push(agent.child);
  }
}, 120_000);

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  await api?.close();
  await redis?.close();
  await rm(work, { recursive: true, force: true });
});

const COLLECTION_FILE = 'collections/remote.postman_collection.json';
const local = (args: string[]) =>
  runSortie(['run', COLLECTION_FILE, ...args, '--env-var', `base=${api.url}`, '--no-color'], { cwd: project });
const remote = (args: string[]) =>
  runSortie(
    ['run', '--remote', serverUrl, '--token', tokens.submit, COLLECTION_FILE, ...args, '--env-var', `base=${api.url}`, '--no-color'],
    {
      cwd: project,
    },
  );

/** The run's output without times, and with the fixture API's port. */
const output = (text: string) => normaliseText(text.replaceAll(api.url, 'http://API'));

describe('sortie run --remote with -g, --folder and --working-dir', { timeout: 120_000 }, () => {
  it.each([
    ['-g and --folder', ['-g', 'globals.json', '--folder', 'Globals'], 0],
    ['--working-dir and --folder', ['--working-dir', 'data', '--folder', 'Uploads'], 0],
    ['all three, two folders', ['-g', 'globals.json', '--working-dir', 'data', '--folder', 'Uploads', '--folder', 'Globals'], 0],
    ['no --folder: the failing folder runs too', ['-g', 'globals.json', '--working-dir', 'data'], 1],
  ] as const)('%s: the same output and exit code as a local run', async (_name, args, code) => {
    const here = await local([...args]);
    const there = await remote([...args]);
    expect(here.code, here.stderr).toBe(code);
    expect(there.code, there.stderr).toBe(code);
    expect(output(there.stdout)).toBe(output(here.stdout));
    expect(there.stdout).toMatch(code === 0 ? /PASSED/ : /FAILED/);
  });

  it('a -g file of numbers, booleans, objects and lists: its globals keep their types there as here', async () => {
    const cwd = join(project, 'typed-globals');
    const args = ['collection.json', '-g', 'globals.json', '--env-var', `base=${api.url}`, '--no-color'];
    const here = await runSortie(['run', ...args], { cwd });
    const there = await runSortie(['run', '--remote', serverUrl, '--token', tokens.submit, ...args], { cwd });
    expect(here.code, here.stdout + here.stderr).toBe(0);
    expect(there.code, there.stdout + there.stderr).toBe(0);
    expect(output(there.stdout)).toBe(output(here.stdout));
    expect(there.stdout).toMatch(/Assertions +6 \(0 failed\)|Assertions +6\b/);
  });

  it.each([
    ['--timeout', ['--timeout', '1500']],
    ['--timeout-run', ['--timeout-run', '1500']],
  ])('%s cuts the request in flight there as here (the agent let it run 4 s and pass; --timeout was refused)', async (_name, flags) => {
    const cwd = join(project, 'timeout');
    // --variables-file and --variable set environment variables there as here.
    const args = ['slow.json', ...flags, '--variables-file', 'vars.env', '--variable', 'unused=1', '--no-color'];
    const here = await runSortie(['run', ...args], { cwd });
    const there = await runSortie(['run', '--remote', serverUrl, '--token', tokens.submit, ...args], { cwd });
    for (const outcome of [here, there]) {
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(1);
      expect(outcome.stdout).toMatch(/Interrupted: the run reached its time limit during this request/);
      expect(outcome.stdout).toMatch(/Scenarios {3}0 passed, 0 failed, 1 errored/);
      expect(outcome.stdout).toMatch(/INTERRUPTED/);
      // Said the same way there as here, on stderr (the remote run printed the engine's "[warn] The run timeout …" log line instead).
      expect(outcome.stderr).toContain('Timed out: the run took longer than --timeout 1500 ms, so it did not pass.\n');
      expect(outcome.stdout).not.toContain('The run timeout');
    }
  });

  it.each([
    ['-q', ['-q']],
    ['--silent', ['--silent']],
  ])('%s prints there what it prints here (it was refused with --remote, exit 2)', async (_name, flags) => {
    const [here, there] = [await local(['--folder', 'Broken', ...flags]), await remote(['--folder', 'Broken', ...flags])];
    expect([here.code, there.code]).toEqual([1, 1]);
    expect(output(there.stdout)).toBe(output(here.stdout));
    expect(there.stderr).not.toMatch(/queued/);
    if (flags[0] === '--silent') expect(there.stdout).toBe('');
    else expect(there.stdout).toMatch(/FAILED/);
  });

  it('-x: a failed remote run exits 0, as a local one; --export-environment and --export-globals are refused (exit 2)', async () => {
    const failing = await remote(['--folder', 'Broken', '-x']);
    expect(failing.code, failing.stderr).toBe(0);
    expect(failing.stdout).toMatch(/FAILED/);
    for (const flag of ['--export-environment', '--export-globals']) {
      const refused = await remote(['--folder', 'Broken', flag, 'vars.json']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`${flag} does not go with --remote: the variables a run ends with stay on the agent that ran it`);
    }
  });

  it('refuses a declared secret in a --variables-file, as in --env-var, before uploading (exit 2)', async () => {
    const cwd = join(project, 'secret-declared');
    const args = ['collection.json', '--variables-file', 'secret.env', '--env-var', `base=${api.url}`, '--no-color'];
    const there = await runSortie(['run', '--remote', serverUrl, '--token', tokens.submit, ...args], { cwd });
    expect(there.code).toBe(2);
    // It named --env-var, a flag the user never gave: the refusal names the file the secret is in.
    expect(there.stderr).toContain('--variables-file secret.env (apiKey) would send a secret value to the server');
    expect(there.stderr).not.toContain(AGENT_KEY);
    const withVariable = await runSortie(['run', '--remote', serverUrl, '--token', tokens.submit, ...args, '--variable', 'apiKey=x'], {
      cwd,
    });
    expect(withVariable.code).toBe(2);
    expect(withVariable.stderr).toContain('--variable apiKey would send a secret value to the server');
  });

  it('without --working-dir the file is not found, here and on the agent alike', async () => {
    const [here, there] = [await local(['--folder', 'Uploads']), await remote(['--folder', 'Uploads'])];
    expect([here.code, there.code]).toEqual([1, 1]);
    for (const outcome of [here, there]) expect(outcome.stdout).toMatch(/body file "upload\.txt" does not exist/);
  });

  it('an unknown --folder is the local usage error, exit 2, before anything is uploaded', async () => {
    const [here, there] = [await local(['--folder', 'Nope']), await remote(['--folder', 'Nope'])];
    expect([here.code, there.code]).toEqual([2, 2]);
    expect(there.stderr).toBe(here.stderr);
    golden('folder-unknown.err', there.stderr);
  });

  it('refuses --global-var for a global the file types secret, and a --working-dir outside the folder', async () => {
    const secret = await remote(['-g', 'globals.json', '--global-var', 'globalSecret=x', '--folder', 'Globals']);
    expect(secret.code).toBe(2);
    golden('global-var-secret.err', secret.stderr);
    const outside = await remote(['--working-dir', '..', '--folder', 'Uploads']);
    expect(outside.code).toBe(2);
    golden('working-dir-outside.err', outside.stderr);
  });

  it('ends the run as an error naming the agent when the agent has no value for a global typed secret', async () => {
    const outcome = await remote(['-g', 'globals.json', '--folder', 'Globals', '--pool', 'bare']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /error: agent agent-bare: Missing secret: global "globalSecret" \(typed secret in the globals file\) has no value/,
    );
  });

  it('refuses a collection variable typed secret with its value in the file, before uploading (exit 2); a local run takes it', async () => {
    const cwd = join(project, 'secret-var');
    const args = ['collection.json', '--env-var', `base=${api.url}`, '--no-color'];
    const there = await runSortie(['run', '--remote', serverUrl, '--token', tokens.submit, ...args], { cwd });
    expect(there.code).toBe(2);
    expect(there.stdout).toBe('');
    golden('collection-secret.err', there.stderr);
    const here = await runSortie(['run', ...args], { cwd });
    expect(here.code, here.stdout).toBe(0);
    expect(here.stdout).not.toContain(COLLECTION_SECRET);
  });

  it('runs the collection once its value is empty and the project declares it: the agent sends its own value', async () => {
    const cwd = join(project, 'secret-declared');
    const args = ['collection.json', '--env-var', `base=${api.url}`, '--no-color', '-r', 'cli,json', '--out-dir', 'out'];
    const there = await runSortie(['run', '--remote', serverUrl, '--token', tokens.submit, ...args], { cwd });
    expect(there.code, there.stdout + there.stderr).toBe(0);
    expect(there.stdout).toMatch(/✓ Send the key/);
    const report = JSON.parse(await readFile(join(cwd, 'out', 'report.json'), 'utf8')) as {
      status: string;
      totals: { assertions: number; failedAssertions: number };
    };
    expect(report.status).toBe('passed');
    expect(report.totals).toMatchObject({ assertions: 2, failedAssertions: 0 });
    expect(JSON.stringify(report)).not.toContain(AGENT_KEY);
  });

  it("a Postman environment (-e) travels without its values typed secret: the agent sends its own; a local run the file's", async () => {
    const cwd = join(project, 'secret-env');
    const args = [
      'collection.json',
      '-e',
      'local.postman_environment.json',
      '--env-var',
      `base=${api.url}`,
      '--no-color',
      '-r',
      'cli,json',
    ];
    for (const where of ['remote', 'local'] as const) {
      const out = `out-${where}`;
      const command = where === 'remote' ? ['run', '--remote', serverUrl, '--token', tokens.submit] : ['run'];
      const outcome = await runSortie([...command, ...args, '--out-dir', out], { cwd });
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0);
      const report = await readFile(join(cwd, out, 'report.json'), 'utf8');
      expect((JSON.parse(report) as { totals: unknown }).totals).toMatchObject({ assertions: 2, failedAssertions: 0 });
      for (const secret of [ENV_FILE_SECRET, AGENT_KEY]) expect(report).not.toContain(secret);
    }
  });

  it('keeps both values of the secret global out of Redis, job payloads included, and out of the server', async () => {
    const forms = (secret: string) => [
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ];
    const all = [
      ...forms(FILE_SECRET),
      ...forms(AGENT_SECRET),
      ...forms(COLLECTION_SECRET),
      ...forms(AGENT_KEY),
      ...forms(ENV_FILE_SECRET),
    ];
    const client = new Redis(redis.url);
    try {
      const entries = await readAllOfRedis(client);
      const jobs = entries.filter(({ key }) => key.startsWith('bull:sortie-runs-default:'));
      // The job carries the name of the secret global (JSON inside JSON: quotes escaped), never a value.
      expect(jobs.map(({ text }) => text).join('\n')).toMatch(/globalSecrets\\*":\[\\*"globalSecret\\*"\]/);
      let scanned = 0;
      for (const { key, text } of entries) {
        scanned += text.length;
        for (const form of all) expect(text, `${key} holds the secret`).not.toContain(form);
        // Nor where the server keeps its data (a plan's root was the server's staging folder).
        expect(text, `${key} names the server's folder`).not.toContain(dataDir);
      }
      expect(scanned).toBeGreaterThan(10_000);
    } finally {
      client.disconnect();
    }
    // The server's records, stored plans and reports.
    const runs = JSON.stringify(
      await (await fetch(`${serverUrl}/api/runs?limit=500`, { headers: { authorization: `Bearer ${tokens.read}` } })).json(),
    );
    for (const form of all) expect(runs).not.toContain(form);
    for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const bytes = await readFile(join(entry.parentPath, entry.name));
      for (const form of all) expect(bytes.includes(form), `${entry.name} holds the secret`).toBe(false);
    }
  });
});
