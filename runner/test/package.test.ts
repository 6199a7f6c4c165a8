/**
 * The `sortie` package as a user gets it: `pnpm pack` of runner/, installed with npm from the
 * tarball into places that have nothing of this repository — a global prefix (`npm i -g`), `npx`,
 * and a plain TypeScript project that imports the library — then run against the fixture API.
 * Dependencies come from the npm registry (npm's cache may serve them).
 *
 * The installs skip install scripts: the optional native modules (better-sqlite3, kerberos) would
 * otherwise be compiled from source on every run, minutes on a busy machine (`--omit=optional` is
 * ignored by `npm i -g <tarball>`, npm/cli#8284). Their absence is what a user without a compiler
 * gets, and is checked too.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { expectGolden, normaliseText, ROOT } from '@sortie/testkit';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const GOLDEN = join(import.meta.dirname, 'golden', 'package');
const RUNNER = join(ROOT, 'runner');
const MANIFEST = JSON.parse(readFileSync(join(RUNNER, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};
const INSTALL_TIMEOUT = 600_000;

let server: FixtureServer;
let work: string;
let tarball: string;
/** A scenario folder outside the repository: the installed command must not need anything of it. */
let scenarios: string;
/** npm's environment: no install scripts, colours off, no update or funding notices. */
let npmEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  // pnpm's shim of vitest sets NODE_PATH to the repository's packages: a user's installation has no
  // such folder, and with it the installed package found what it lacks there (QuickJS, for one).
  // Every command below inherits this environment.
  delete process.env.NODE_PATH;
  server = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-package-'));
  // `pnpm build` builds the bundle and the declarations; a test run after `node runner/build.mjs` alone
  // lacks the declarations, so build them here (the package must never be packed without them).
  if (!readdirSync(join(RUNNER, 'dist')).includes('index.d.ts')) {
    await exec(process.execPath, [join(RUNNER, 'build.mjs'), '--types'], { cwd: ROOT });
  }
  const packed = await exec('pnpm', ['pack', '--pack-destination', work], { cwd: RUNNER });
  tarball = join(work, `sortie-${MANIFEST.version}.tgz`);
  expect(packed.stdout).toContain(tarball);
  scenarios = join(work, 'scenarios');
  mkdirSync(scenarios);
  cpSync(join(ROOT, 'fixtures', 'scenarios', 'ok', 'login-and-items.json'), join(scenarios, 'login-and-items.json'));
  npmEnv = {
    ...process.env,
    npm_config_ignore_scripts: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_yes: 'true',
    NO_COLOR: '1',
  };
}, INSTALL_TIMEOUT);

afterAll(async () => {
  await server?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
}, 120_000);

/** What `sortie run` printed, with times and the fixture server's port normalised. */
const normalised = (text: string): string => normaliseText(text, 'any');

describe('the tarball', () => {
  it('declares what the bundle loads at run time and nothing of the workspace', async () => {
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    await exec('tar', ['-xzf', tarball, '-C', unpacked]);
    const packageDir = join(unpacked, 'package');
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'] as const) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        expect(name, `${field} of the packed package.json`).not.toMatch(/^@sortie\//);
        expect(range, `${field}.${name}`).not.toMatch(/^workspace:/);
      }
    }
    expect(manifest.engines).toEqual({ node: '>=20.18.1' });
    // Every package the bundle imports at run time (the esbuild externals it really reaches) is declared,
    // and every declared dependency is imported by the bundle or named by the declarations.
    // The bundle is CommonJS (dist/cjs, the entries) but for dist/index.mjs; dist/dist-libs runs in the
    // sandbox. A call inside a string is code generated for later (ajv's `require("ajv-formats/…")`).
    const files = (await exec('tar', ['-tzf', tarball])).stdout
      .split('\n')
      .filter((f) => /\.[mc]?js$/.test(f) && !f.startsWith('package/dist/dist-libs/'));
    expect(files).toContain('package/dist/index.cjs');
    const imported = new Set<string>();
    for (const file of files) {
      const code = readFileSync(join(unpacked, file), 'utf8');
      for (const match of code.matchAll(
        /(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*"([^".][^"]*)"|(?<![\w$.`'"])(?:import|require|__sortieDynamicImport)\("([^".][^"]*)"\)/gm,
      )) {
        const id = (match[1] ?? match[2]) as string;
        if (id.startsWith('node:') || builtinModules.includes(id)) continue;
        imported.add(id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : (id.split('/')[0] as string));
      }
    }
    const declared = { ...MANIFEST.dependencies, ...MANIFEST.optionalDependencies };
    for (const name of imported) expect(Object.keys(declared), `the bundle imports ${name}`).toContain(name);
    const types = readFileSync(join(packageDir, 'dist', 'index.d.ts'), 'utf8');
    for (const name of Object.keys(declared)) {
      const used = imported.has(name) || types.includes(`from '${name}'`) || usesByRequire(packageDir, name);
      expect(used, `${name} is declared but nothing loads it`).toBe(true);
    }
  });

  it('carries the licence, and says which it is and where the project lives (npm shows those fields)', async () => {
    const listed = (await exec('tar', ['-tzf', tarball])).stdout.split('\n');
    expect(listed).toContain('package/LICENSE');
    const licence = (await exec('tar', ['-xzOf', tarball, 'package/LICENSE'])).stdout;
    expect(licence).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    expect(licence).toMatch(/^MIT License\n/);
    const manifest = JSON.parse((await exec('tar', ['-xzOf', tarball, 'package/package.json'])).stdout) as Record<string, unknown>;
    expect(manifest.license).toBe('MIT');
    expect(manifest.homepage).toMatch(/^https:\/\//);
    const repository = manifest.repository as { type: string; url: string; directory: string };
    expect(repository).toMatchObject({ type: 'git', directory: 'runner' });
    expect(repository.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect((manifest.bugs as { url: string }).url).toBe(`${repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/issues`);
  });

  it('ships each module once: the CommonJS copies of the chunks, without the ES chunks they are made from', async () => {
    const listed = (await exec('tar', ['-tzf', tarball])).stdout.split('\n').filter((f) => f !== '');
    const code = listed.filter((f) => /\.[mc]?js$/.test(f) && !f.startsWith('package/dist/dist-libs/'));
    // The entries (the bin, the library for require and for import) and one copy of each chunk.
    expect(code.filter((f) => !f.startsWith('package/dist/cjs/')).sort()).toEqual([
      'package/dist/index.cjs',
      'package/dist/index.mjs',
      'package/dist/sortie.cjs',
    ]);
    expect(listed).toContain('package/dist/chunks/emscripten-module.wasm');
    expect(listed.filter((f) => f.startsWith('package/dist/chunks/'))).toEqual(['package/dist/chunks/emscripten-module.wasm']);
    expect(listed.filter((f) => /\.map$/.test(f))).toEqual([]);
    // Both forms were 8.3 MB; the copies alone are ~4.5 MB.
    expect(statSync(tarball).size).toBeLessThan(5_500_000);
  });

  it("carries a README of its own (npm's page of the package; npm and pnpm pack runner/README.md)", async () => {
    const listed = (await exec('tar', ['-tzf', tarball])).stdout.split('\n');
    expect(listed).toContain('package/README.md');
    const readme = (await exec('tar', ['-xzOf', tarball, 'package/README.md'])).stdout;
    expect(readme).toMatch(/^# sortie\n/);
    for (const name of ['loadPlan', 'run', 'createJsonReporter']) expect(readme, `the README shows ${name}`).toContain(name);
    expect(readme).toContain('Node.js ≥ 20.18.1');
  });
});

/** What `sortie run` says on stderr after a run that met something the installation lacks. */
const UNAVAILABLE_NOTICE =
  'error: the run needs something this installation of sortie lacks (see the errors above): nothing was tested there\n';

/** A native add-on the bundle loads with require() (createRequire), not with import. */
function usesByRequire(packageDir: string, name: string): boolean {
  const chunks = join(packageDir, 'dist', 'cjs');
  return readdirSync(chunks).some((file) => file.endsWith('.cjs') && readFileSync(join(chunks, file), 'utf8').includes(`("${name}")`));
}

describe('npm i -g <tarball>', () => {
  let bin: string;
  beforeAll(async () => {
    const prefix = join(work, 'prefix');
    await exec('npm', ['i', '-g', '--prefix', prefix, tarball], { env: npmEnv, cwd: work });
    bin = join(prefix, 'bin', 'sortie');
  }, INSTALL_TIMEOUT);

  it('installs a `sortie` that prints its version', async () => {
    const { stdout } = await exec(bin, ['--version'], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
    expect(stdout).toBe(`sortie ${MANIFEST.version}\n`);
  });

  it('runs a scenario against the fixture API', async () => {
    const result = await exec(bin, ['run', 'scenarios/login-and-items.json', '--env-var', `base=${server.url}`], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expectGolden(join(GOLDEN, 'installed-run.out'), normalised(result.stdout));
  });

  it('keeps its start-up code cache in the cache folder, and runs the same from it', async () => {
    const cache = join(work, 'code-cache-home');
    const env = { ...process.env, NO_COLOR: '1', SORTIE_CODE_CACHE: cache };
    const args = ['run', 'scenarios/login-and-items.json', '--env-var', `base=${server.url}`];
    expectGolden(join(GOLDEN, 'installed-run.out'), normalised((await exec(bin, args, { cwd: work, env })).stdout));
    const [folder] = readdirSync(join(cache, 'code-cache'));
    expect(readdirSync(join(cache, 'code-cache', folder as string)).filter((file) => file.startsWith('cli-'))).toHaveLength(1);
    expectGolden(join(GOLDEN, 'installed-run.out'), normalised((await exec(bin, args, { cwd: work, env })).stdout));
  });

  it('validates without the repository, and reports an invalid file with exit code 2', async () => {
    writeFileSync(join(work, 'broken.json'), '{ "name": "x", "steps": [ { "request": { "url": 3 } } ] }\n');
    const outcome = await exec(bin, ['validate', 'broken.json'], { cwd: work, env: { ...process.env, NO_COLOR: '1' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome.code).toBe(2);
    expectGolden(join(GOLDEN, 'installed-invalid.err'), normalised(outcome.stderr));
  });

  it('a SQLite step is an error that says what to install, not a stack trace, and exit code 2', async () => {
    // The installs above skipped install scripts: better-sqlite3 is there, but not built.
    cpSync(join(ROOT, 'fixtures', 'environments', 'sqlite.json'), join(work, 'sqlite-env.json'));
    writeFileSync(
      join(scenarios, 'sqlite.yaml'),
      'name: A SQLite step\nsteps:\n  - name: one row\n    db: { connection: fixtures, sql: "SELECT 1 AS one" }\n',
    );
    const outcome = await exec(bin, ['run', 'scenarios/sqlite.yaml', '-e', 'sqlite-env.json'], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    // What the installation lacks is no failure of the API: exit code 2, as for invalid input.
    expect(outcome.code).toBe(2);
    expectGolden(join(GOLDEN, 'sqlite-unavailable.out'), normalised(outcome.stdout).replaceAll(process.versions.node, 'NODE'));
    expect(outcome.stderr).toBe(UNAVAILABLE_NOTICE);
  });

  it('a Negotiate (Kerberos) profile without the kerberos module says what to install, and exits with code 2', async () => {
    // The install skipped install scripts: kerberos is there, but not built.
    cpSync(join(ROOT, 'fixtures', 'scenarios', 'schemes', 'negotiate.json'), join(scenarios, 'negotiate.json'));
    const outcome = await exec(bin, ['run', 'scenarios/negotiate.json', '--env-var', `baseUrl=${server.url}`], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(outcome.code).toBe(2);
    expectGolden(join(GOLDEN, 'negotiate-unavailable.out'), normalised(outcome.stdout).replaceAll(process.versions.node, 'NODE'));
    expect(outcome.stderr).toBe(UNAVAILABLE_NOTICE);
  });

  describe('a broken installation (a file of the package missing)', () => {
    /** A copy of the installed packages, to break: the other tests keep theirs whole. */
    let modules: string;
    let cjs: string;
    beforeAll(() => {
      modules = join(work, 'broken', 'node_modules');
      cpSync(join(bin, '..', '..', 'lib', 'node_modules'), modules, { recursive: true });
      cjs = join(modules, 'sortie', 'dist', 'cjs');
    });
    const sortie = (args: string[]) =>
      exec(process.execPath, [join(modules, 'sortie', 'dist', 'sortie.cjs'), ...args], {
        cwd: work,
        env: { ...process.env, NO_COLOR: '1', SORTIE_CODE_CACHE: 'off' },
      }).then(
        (result) => ({ code: 0, ...result }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    /** Output with the copy's folder and the chunks' hashes made stable. */
    const stable = (text: string) => text.replaceAll(modules, '<modules>').replace(/-[A-Z0-9]{8}\.cjs/g, '-HASH.cjs');

    it("the CLI's own module missing: what is missing and to install again, exit code 2, no stack trace", async () => {
      const { cli } = JSON.parse(readFileSync(join(cjs, 'manifest.json'), 'utf8')) as { cli: string };
      renameSync(join(cjs, `${cli}.cjs`), join(work, 'cli.cjs.removed'));
      try {
        const outcome = await sortie(['--version']);
        expect(outcome.code).toBe(2);
        expectGolden(join(GOLDEN, 'broken-cli-chunk.err'), stable(outcome.stderr));
      } finally {
        renameSync(join(work, 'cli.cjs.removed'), join(cjs, `${cli}.cjs`));
      }
    });

    it('the manifest of its modules missing (dist/cjs/manifest.json): that file is named, exit code 2, no stack trace', async () => {
      renameSync(join(cjs, 'manifest.json'), join(work, 'manifest.json.removed'));
      try {
        const outcome = await sortie(['--version']);
        expect(outcome.code).toBe(2);
        // Not a chunks/cli-*.mjs, a file the package never ships.
        expect(outcome.stderr).not.toMatch(/chunks|\.mjs/);
        expectGolden(join(GOLDEN, 'broken-manifest.err'), stable(outcome.stderr));
      } finally {
        renameSync(join(work, 'manifest.json.removed'), join(cjs, 'manifest.json'));
      }
    });

    it('a module a step loads on first use missing (the SQLite driver): a step error that says so, exit code 2', async () => {
      const driver = readdirSync(cjs).find((file) => /^sqlite-[A-Z0-9]{8}\.cjs$/.test(file)) as string;
      expect(driver).toBeDefined();
      rmSync(join(cjs, driver));
      const outcome = await sortie(['run', 'scenarios/sqlite.yaml', '-e', 'sqlite-env.json']);
      expect(outcome.code).toBe(2);
      expectGolden(join(GOLDEN, 'broken-sqlite-chunk.out'), stable(normalised(outcome.stdout)));
      expect(outcome.stderr).toBe(UNAVAILABLE_NOTICE);
    });

    it("the sandbox's library bundles missing (dist/dist-libs): the script step says what to do, exit code 2, even where pm.test caught it", async () => {
      writeFileSync(
        join(scenarios, 'libraries.json'),
        JSON.stringify({
          name: 'bundled libraries',
          steps: [
            { name: 'chai', script: "pm.test('one is one', () => pm.expect(1).to.eql(1))" },
            { name: 'lodash', script: "pm.variables.set('n', require('lodash').chunk([1, 2, 3], 2).length)" },
          ],
        }),
      );
      const libraries = join(modules, 'sortie', 'dist', 'dist-libs');
      renameSync(libraries, join(work, 'dist-libs.removed'));
      try {
        const outcome = await sortie(['run', 'scenarios/libraries.json']);
        expect(outcome.code, outcome.stdout).toBe(2);
        expectGolden(join(GOLDEN, 'broken-dist-libs.out'), stable(normalised(outcome.stdout)));
        expect(outcome.stderr).toBe(UNAVAILABLE_NOTICE);
      } finally {
        renameSync(join(work, 'dist-libs.removed'), libraries);
      }
    });

    it("QuickJS's WebAssembly file missing: a script step says so (no emscripten abort on stderr), exit code 2", async () => {
      writeFileSync(
        join(scenarios, 'script.json'),
        '{ "name": "a script", "steps": [{ "name": "js", "script": "pm.variables.set(\'a\', 1)" }] }\n',
      );
      rmSync(join(modules, 'sortie', 'dist', 'chunks', 'emscripten-module.wasm'));
      const outcome = await sortie(['run', 'scenarios/script.json']);
      expect(outcome.code, outcome.stdout).toBe(2);
      expectGolden(join(GOLDEN, 'broken-wasm.out'), stable(normalised(outcome.stdout)));
      expect(outcome.stderr).toBe(UNAVAILABLE_NOTICE);
    });
  });
});

describe('npx <tarball>', () => {
  it(
    'runs a scenario against the fixture API',
    async () => {
      // A cache of its own: npx keeps what it installs under <cache>/_npx, removed with the work folder.
      const cache = join(work, 'npx-cache');
      // As the README says: a relative path (npx takes an absolute one for a command to execute).
      const result = await exec(
        'npx',
        [`./${basename(tarball)}`, 'run', 'scenarios/login-and-items.json', '--env-var', `base=${server.url}`],
        {
          cwd: work,
          env: { ...npmEnv, npm_config_cache: cache, npm_config_prefer_offline: 'true' },
        },
      );
      expectGolden(join(GOLDEN, 'installed-run.out'), normalised(result.stdout));
    },
    INSTALL_TIMEOUT,
  );
});

describe("import { run } from 'sortie' in a plain TypeScript project", () => {
  let project: string;
  beforeAll(async () => {
    project = join(work, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'uses-sortie', private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(
      join(project, 'tsconfig.json'),
      `${JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            outDir: 'dist',
            rootDir: 'src',
            types: ['node'],
          },
          include: ['src'],
        },
        null,
        2,
      )}\n`,
    );
    await exec('npm', ['i', tarball, '@types/node@^20', 'typescript@~5.9'], { cwd: project, env: npmEnv });
  }, INSTALL_TIMEOUT);

  it(
    "type-checks docs/api.md's example against the installed package's declarations, rejects a wrong call, and runs it",
    async () => {
      const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
      const example = /```ts example\n([\s\S]*?)```/.exec(doc)?.[1];
      const expected = /It returns:\n\n```\n([\s\S]*?)```/.exec(doc)?.[1];
      expect(example).toContain("from 'sortie'");
      writeFileSync(join(project, 'src', 'example.ts'), example as string);
      writeFileSync(
        join(project, 'src', 'main.ts'),
        [
          "import { example } from './example.js';",
          '',
          'const [base, cwd] = process.argv.slice(2) as [string, string];',
          "process.stdout.write((await example(base, cwd)).join('\\n') + '\\n');",
          '',
        ].join('\n'),
      );
      // The declarations are real types: a wrong call does not compile (and only it: the example does).
      writeFileSync(
        join(project, 'src', 'wrong.ts'),
        [
          "import { loadPlan, run } from 'sortie';",
          '',
          "const plan = await loadPlan({ paths: ['x.json'], cwd: '.' });",
          'const result = await run(plan, { envVars: { base: 1 } });',
          "const status: 'passed' | 'failed' = result.status;",
          'export { status };',
          '',
        ].join('\n'),
      );
      // A CommonJS module of the project (.cts under NodeNext) gets the declarations of require('sortie').
      writeFileSync(
        join(project, 'src', 'uses-require.cts'),
        [
          "import { isSortieError, loadPlan, type RunPlan } from 'sortie';",
          '',
          'export const load: (inputs: Parameters<typeof loadPlan>[0]) => Promise<RunPlan> = loadPlan;',
          "process.stdout.write(typeof load + ' ' + isSortieError(new Error()));",
          '',
        ].join('\n'),
      );
      // One tsc run (it is slow): the errors are reported, the JavaScript is written all the same.
      const compiled = await exec(
        process.execPath,
        [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--noEmitOnError', 'false'],
        {
          cwd: project,
        },
      ).then(
        () => ({ stdout: 'compiled without errors\n' }),
        (error: { stdout: string }) => error,
      );
      expectGolden(join(GOLDEN, 'wrong-call.tsc'), compiled.stdout);
      const result = await exec(process.execPath, [join(project, 'dist', 'main.js'), server.url, ROOT], { cwd: project });
      expect(result.stdout).toBe(expected);
      const required = await exec(process.execPath, [join(project, 'dist', 'uses-require.cjs')], { cwd: project });
      expect(required.stdout).toBe('function false');
    },
    INSTALL_TIMEOUT,
  );

  it("runs scripts that use the sandbox's bundled libraries (pm.expect is chai, require('lodash')) from the library, as the CLI does", async () => {
    writeFileSync(
      join(scenarios, 'scripts.json'),
      JSON.stringify({
        name: 'bundled libraries',
        steps: [
          {
            name: 'status',
            request: { method: 'GET', url: '{{base}}/status/200' },
            post: [
              {
                script:
                  "pm.test('chai', () => pm.expect(pm.response.code).to.eql(200)); pm.test('lodash', () => pm.expect(require('lodash').chunk([1, 2, 3], 2)).to.have.lengthOf(2));",
              },
            ],
          },
        ],
      }),
    );
    writeFileSync(
      join(project, 'scripts.mjs'),
      [
        "import { loadPlan, run } from 'sortie';",
        "const plan = await loadPlan({ paths: ['scenarios/scripts.json'], cwd: process.argv[3] });",
        'const failed = [];',
        'const onEvent = (event) => {',
        "  if (event.type === 'step:end') for (const a of event.result.assertions) if (!a.passed) failed.push(a.message);",
        '};',
        'const result = await run(plan, { envVars: { base: process.argv[2] }, onEvent });',
        "process.stdout.write(result.status + ' ' + result.totals.assertions + ' assertions, ' + result.totals.failedAssertions + ' failed\\n');",
        'process.stdout.write(JSON.stringify(failed));',
        '',
      ].join('\n'),
    );
    const result = await exec(process.execPath, [join(project, 'scripts.mjs'), server.url, work], { cwd: project });
    expect(result.stdout).toBe('passed 2 assertions, 0 failed\n[]');
  });

  it('bundles into a program with esbuild when sortie is left out of the bundle, as the README says, and runs from it', async () => {
    // scripts.mjs (the test above): a run whose scripts use QuickJS's .wasm and the sandbox's libraries.
    writeFileSync(
      join(project, 'scripts.cjs'),
      [
        "const { loadPlan, run } = require('sortie');",
        'void (async () => {',
        "  const plan = await loadPlan({ paths: ['scenarios/scripts.json'], cwd: process.argv[3] });",
        '  const result = await run(plan, { envVars: { base: process.argv[2] } });',
        "  process.stdout.write(result.status + ' ' + result.totals.assertions + ' assertions');",
        '})();',
        '',
      ].join('\n'),
    );
    const bundle = (entry: string, format: 'esm' | 'cjs', external: string[]) =>
      build({
        entryPoints: [join(project, entry)],
        outfile: join(project, 'bundled', `${entry}-${external.length === 0 ? 'inside' : 'external'}.${format === 'esm' ? 'mjs' : 'cjs'}`),
        bundle: true,
        platform: 'node',
        format,
        external,
        logLevel: 'silent',
      });
    const started = (file: string) =>
      exec(process.execPath, [join(project, 'bundled', file), server.url, work], { cwd: project }).then(
        (result) => ({ code: 0, stdout: result.stdout, stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    await bundle('scripts.mjs', 'esm', ['sortie']);
    await bundle('scripts.cjs', 'cjs', ['sortie']);
    expect((await started('scripts.mjs-external.mjs')).stdout).toBe('passed 2 assertions, 0 failed\n[]');
    expect((await started('scripts.cjs-external.cjs')).stdout).toBe('passed 2 assertions');
    // Bundled in, the library cannot find its files: an error that says to leave it out, for both entries.
    await bundle('scripts.mjs', 'esm', []);
    await bundle('scripts.cjs', 'cjs', []);
    for (const file of ['scripts.mjs-inside.mjs', 'scripts.cjs-inside.cjs']) {
      const outcome = await started(file);
      expect(outcome.code, file).toBe(1);
      expect(outcome.stderr, file).toContain("a bundler put sortie's library into the bundle");
      expect(outcome.stderr, file).toContain('esbuild: --external:sortie');
    }
  });

  it("loads from CommonJS with require('sortie') (its own CommonJS entry, any Node), the same instance as import", async () => {
    writeFileSync(
      join(project, 'uses-require.cjs'),
      [
        "const { loadPlan, run, createJsonReporter, isSortieError, SortieError } = require('sortie');",
        "process.stdout.write([loadPlan, run, createJsonReporter, isSortieError].map((f) => typeof f).join(' '));",
        "import('sortie').then((esm) => process.stdout.write(' ' + (esm.run === run && esm.SortieError === SortieError)));",
        '',
      ].join('\n'),
    );
    const result = await exec(process.execPath, [join(project, 'uses-require.cjs')], { cwd: project });
    expect(result.stdout).toBe('function function function function true');
  });
});
