/**
 * `sortie init`: the files it writes and what it prints (golden files in golden/init/), the created
 * project validating and running against the fixture API, the refusal to overwrite, and the
 * questions on a real terminal (a pseudo-terminal from util-linux `script`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { CLI, ensureBuilt, expectGolden, normaliseText, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const GOLDEN = join(import.meta.dirname, 'golden', 'init');
const WRITTEN = ['sortie.config.json', 'environments/dev.yaml', 'scenarios/first.yaml', '.env.example', '.gitignore'];
let server: FixtureServer;
let work: string;

beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-init-'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** A new empty folder for one test. */
function folder(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  return dir;
}

describe('sortie init --yes', () => {
  it('writes the project, the dev environment, a first scenario, .env.example and .gitignore', async () => {
    const dir = folder('yes');
    const result = await runSortie(['init', '--yes'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectGolden(join(GOLDEN, 'yes.out'), result.stdout);
    for (const file of WRITTEN) expectGolden(join(GOLDEN, 'yes', file), readFileSync(join(dir, file), 'utf8'));
  });

  it('creates a project that validates and runs against the API', async () => {
    const dir = folder('runs');
    expect((await runSortie(['init', '-y'], { cwd: dir })).code).toBe(0);
    const validated = await runSortie(['validate', 'scenarios/first.yaml'], { cwd: dir });
    expect(validated.code).toBe(0);
    expectGolden(join(GOLDEN, 'validate.out'), validated.stdout);
    // The fixture API's /echo/ answers any request; the run writes the project's JUnit report.
    const ran = await runSortie(['run', 'scenarios/first.yaml', '--env-var', `base=${server.url}/echo`], { cwd: dir });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expectGolden(join(GOLDEN, 'run.out'), normaliseText(ran.stdout, server.port));
    expect(existsSync(join(dir, 'sortie-reports', 'junit.xml'))).toBe(true);
  });

  it('writes into a folder given as argument, creating it', async () => {
    const result = await runSortie(['init', 'api-tests', '--yes'], { cwd: folder('argument') });
    expect(result.code).toBe(0);
    expectGolden(join(GOLDEN, 'folder.out'), result.stdout);
    expect(existsSync(join(work, 'argument', 'api-tests', 'scenarios', 'first.yaml'))).toBe(true);
    // The "Next:" commands, run as printed: they ran from the parent folder, without the project
    // file (looked for from the working folder up), so its dev environment's "base" was not defined.
    const base = join(work, 'argument', 'api-tests', 'environments', 'dev.yaml');
    writeFileSync(base, readFileSync(base, 'utf8').replace('http://localhost:8080', `${server.url}/echo`));
    const next = result.stdout.slice(result.stdout.indexOf('Next:')).split('\n').slice(1, 4);
    expect(next[0]).toBe('  cd api-tests');
    const ran = await runSortie(next[2]!.trim().split(/\s+/).slice(1, 3), { cwd: join(work, 'argument', 'api-tests') });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
  });

  it('quotes a folder name the shell would split in its "cd" line', async () => {
    const result = await runSortie(['init', "it's mine", '--yes'], { cwd: folder('quoted') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("\n  cd 'it'\\''s mine'\n  sortie validate scenarios/first.yaml\n");
  });

  it('appends to an existing .gitignore without touching its lines, and adds nothing twice', async () => {
    const dir = folder('gitignore');
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n/.env');
    expect((await runSortie(['init', '--yes'], { cwd: dir })).code).toBe(0);
    expectGolden(join(GOLDEN, 'gitignore-appended'), readFileSync(join(dir, '.gitignore'), 'utf8'));
  });

  it('keeps the CRLF line ends of a .gitignore written on Windows', async () => {
    const dir = folder('gitignore-crlf');
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\r\n.env');
    expect((await runSortie(['init', '--yes'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\r\n.env\r\nsortie-reports/\r\n');
  });
});

describe('refusals', () => {
  it('never overwrites a file: exit 2, nothing written', async () => {
    const dir = folder('existing');
    mkdirSync(join(dir, 'environments'));
    writeFileSync(join(dir, 'environments', 'dev.yaml'), 'name: mine\n');
    const result = await runSortie(['init', '--yes'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectGolden(join(GOLDEN, 'existing.err'), result.stderr);
    expect(readFileSync(join(dir, 'environments', 'dev.yaml'), 'utf8')).toBe('name: mine\n');
    expect(existsSync(join(dir, 'sortie.config.json'))).toBe(false);
  });

  it('refuses to write a project file or dev environment that another of their names would shadow (exit 2)', async () => {
    // A run reads sortie.config.json before sortie.config.yaml, environments/dev.json before dev.yaml:
    // init --yes used to write the .json beside the user's .yaml, silently replacing their project.
    const dir = folder('other-names');
    mkdirSync(join(dir, 'environments'));
    writeFileSync(join(dir, 'sortie.config.yaml'), 'defaultEnvironment: prod\n');
    writeFileSync(join(dir, 'environments', 'dev.json'), '{ "name": "mine" }\n');
    const result = await runSortie(['init', '--yes'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectGolden(join(GOLDEN, 'other-names.err'), result.stderr);
    for (const file of WRITTEN) expect(existsSync(join(dir, file)), file).toBe(false);
    expect(readFileSync(join(dir, 'sortie.config.yaml'), 'utf8')).toBe('defaultEnvironment: prod\n');
  });

  it('names a folder argument that is a file, before asking or writing anything (exit 2)', async () => {
    const dir = folder('file-as-folder');
    writeFileSync(join(dir, 'notes'), 'mine\n');
    for (const args of [
      ['init', 'notes', '--yes'],
      ['init', 'notes', '--yes', '--force'],
      ['init', 'notes'],
    ]) {
      const result = await runSortie(args, { cwd: dir });
      expect(result.code).toBe(2);
      expectGolden(join(GOLDEN, 'file-as-folder.err'), result.stderr);
    }
    expect(readFileSync(join(dir, 'notes'), 'utf8')).toBe('mine\n');
  });

  it('overwrites with --force', async () => {
    const dir = folder('force');
    writeFileSync(join(dir, 'sortie.config.json'), '{}\n');
    const result = await runSortie(['init', '--yes', '--force'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'sortie.config.json'), 'utf8')).toBe(readFileSync(join(GOLDEN, 'yes', 'sortie.config.json'), 'utf8'));
  });

  it('asks no question when not on a terminal: --yes is needed (exit 2)', async () => {
    const result = await runSortie(['init'], { cwd: folder('no-tty') });
    expect(result.code).toBe(2);
    expectGolden(join(GOLDEN, 'no-tty.err'), result.stderr);
  });

  it('rejects an unknown option (exit 2)', async () => {
    const result = await runSortie(['init', '--yes', '--overwrite'], { cwd: folder('bad-option') });
    expect(result.code).toBe(2);
    expectGolden(join(GOLDEN, 'bad-option.err'), result.stderr);
  });

  it('prints its help', async () => {
    const result = await runSortie(['init', '--help']);
    expect(result.code).toBe(0);
    expectGolden(join(GOLDEN, 'help.out'), result.stdout);
  });
});

/**
 * Runs `sortie init` on a pseudo-terminal (`script`), typing each answer once the CLI has printed
 * the question it answers; resolves with the exit code and the screen.
 */
function initOnTerminal(cwd: string, answers: readonly { after: string; keys: string }[]): Promise<{ code: number; screen: string }> {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} init`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let next = 0;
  child.stdout.setEncoding('utf8').on('data', (data: string) => {
    screen += data;
    while (next < answers.length && screen.includes((answers[next] as { after: string }).after)) {
      child.stdin.write((answers[next] as { keys: string }).keys);
      next += 1;
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, screen }));
  });
}

describe('sortie init on a terminal', () => {
  it.skipIf(process.platform === 'win32')('asks for the base URL, the path and the format', async () => {
    const dir = folder('questions');
    const down = '\u001b[B';
    const { code, screen } = await initOnTerminal(dir, [
      { after: 'Base URL of the API', keys: `${'\u007f'.repeat(30)}${server.url}\r` },
      { after: 'Path the first scenario checks', keys: '\u007f/echo/hello\r' },
      { after: 'Format of the files', keys: `${down}\r` },
    ]);
    expect(screen).toContain('Created a Sortie project in .:');
    expect(code).toBe(0);
    const scenario = JSON.parse(readFileSync(join(dir, 'scenarios', 'first.json'), 'utf8')) as { steps: { request: { url: string } }[] };
    expect(scenario.steps[0]?.request.url).toBe('{{base}}/echo/hello');
    expect(readFileSync(join(dir, 'environments', 'dev.yaml'), 'utf8')).toContain(`base: "${server.url}"`);
    // The answers make a project that runs as it is, with no --env-var.
    const ran = await runSortie(['run', 'scenarios/first.json'], { cwd: dir });
    expect(ran.code).toBe(0);
    expectGolden(join(GOLDEN, 'questions-run.out'), normaliseText(ran.stdout, server.port));
  });

  it.skipIf(process.platform === 'win32')(
    'drops the trailing slash of a base URL, so the first scenario never asks for //path',
    async () => {
      const dir = folder('questions-slash');
      const { code } = await initOnTerminal(dir, [
        { after: 'Base URL of the API', keys: `${'\u007f'.repeat(30)}${server.url}/echo/\r` },
        { after: 'Path the first scenario checks', keys: '\u007f/hello\r' },
        { after: 'Format of the files', keys: '\r' },
      ]);
      expect(code).toBe(0);
      expect(readFileSync(join(dir, 'environments', 'dev.yaml'), 'utf8')).toContain(`base: "${server.url}/echo"\n`);
      const ran = await runSortie(['run', 'scenarios/first.yaml', '--verbose'], { cwd: dir });
      expect(ran.code).toBe(0);
      expect(ran.stdout).toContain(`> GET ${server.url}/echo/hello\n`);
    },
  );

  it.skipIf(process.platform === 'win32')('refuses before asking anything when the project file exists', async () => {
    const dir = folder('questions-existing');
    writeFileSync(join(dir, 'sortie.config.json'), '{}\n');
    const { code, screen } = await initOnTerminal(dir, []);
    expect(code).toBe(2);
    expect(screen).not.toContain('Base URL');
    expect(screen).toContain('error: Files already exist: sortie init would overwrite sortie.config.json');
  });
});
