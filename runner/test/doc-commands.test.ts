/**
 * The command blocks of README.md and docs/ marked runnable, run as written, so they stay true.
 *
 * A block is runnable when the line before its opening fence is `<!-- runnable -->`, optionally
 * with options: `<!-- runnable: empty-folder exit=0,2 -->`.
 * - ```` ```sh ```` blocks are run line by line with bash (`set -e`): every line must succeed.
 * - Transcript blocks (a plain fence whose lines start with `$ `): each `$ command` is run and what
 *   it prints (stdout and stderr, as a terminal shows them) must be the lines below it, up to the
 *   next `$ `; times (`(33 ms)`, `Duration`) are not compared. `exit=` lists the exit code of each
 *   command (default: 0 for all).
 *
 * They run in a copy of the repository (its files, the built runner/dist and links to the installed
 * node_modules, as after `pnpm install && pnpm build`), with the fixture API
 * started on a free port standing for `127.0.0.1:8080`, `sortie` on the PATH (the built bundle; or
 * the package when a block installed it) and npm's global prefix in a scratch folder. `$TMPDIR` is
 * unset, as on most Linux machines: a block that needs it (`--pack-destination "$TMPDIR"`) fails here
 * as it does for those users.
 * `empty-folder` runs the block in a new empty folder instead of the copy.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, normaliseText, ROOT } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface RunnableBlock {
  file: string;
  line: number;
  kind: 'sh' | 'transcript';
  body: string;
  emptyFolder: boolean;
  exits: number[];
}

const MARKER = /^<!-- runnable(?::\s*(.*?))?\s*-->$/;

/** Every runnable block of a Markdown file. */
function runnableBlocks(file: string): RunnableBlock[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks: RunnableBlock[] = [];
  lines.forEach((text, index) => {
    const marker = MARKER.exec(text.trim());
    if (marker === null) return;
    const fence = lines[index + 1] ?? '';
    if (!/^```(sh)?$/.test(fence))
      throw new Error(`${file}:${index + 1}: a runnable marker must be followed by a \`\`\` or \`\`\`sh fence`);
    const end = lines.findIndex((candidate, at) => at > index + 1 && candidate === '```');
    if (end === -1) throw new Error(`${file}:${index + 2}: unclosed fence`);
    const options = (marker[1] ?? '').split(/\s+/).filter(Boolean);
    const exitOption = options.find((option) => option.startsWith('exit='));
    for (const option of options) {
      if (option !== 'empty-folder' && option !== exitOption) throw new Error(`${file}:${index + 1}: unknown runnable option "${option}"`);
    }
    blocks.push({
      file,
      line: index + 3,
      kind: fence === '```sh' ? 'sh' : 'transcript',
      body: lines.slice(index + 2, end).join('\n'),
      emptyFolder: options.includes('empty-folder'),
      exits: exitOption === undefined ? [] : exitOption.slice('exit='.length).split(',').map(Number),
    });
  });
  return blocks;
}

const markdownFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
  );
const BLOCKS = ['README.md', ...markdownFiles('docs')].flatMap(runnableBlocks);

let server: FixtureServer;
let copy: string;
let scratch: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  scratch = mkdtempSync(join(tmpdir(), 'sortie-doc-'));
  copy = join(scratch, 'sortie');
  // The repository's files as a clone has them (tracked and new, not ignored ones), and the build.
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(copy, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted in the work tree
    }
  }
  cpSync(join(ROOT, 'runner', 'dist'), join(copy, 'runner', 'dist'), { recursive: true });
  // What `pnpm install` put there (pnpm pack resolves workspace versions through it): the same links.
  for (const folder of ['', 'runner']) symlinkSync(join(ROOT, folder, 'node_modules'), join(copy, folder, 'node_modules'));
  const shims = join(scratch, 'bin');
  mkdirSync(shims);
  writeFileSync(
    join(shims, 'sortie'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(copy, 'runner', 'dist', 'sortie.cjs'))} "$@"\n`,
  );
  chmodSync(join(shims, 'sortie'), 0o755);
  const prefix = join(scratch, 'prefix');
  const { TMPDIR: _unset, ...inherited } = process.env;
  env = {
    ...inherited,
    PATH: `${join(prefix, 'bin')}:${shims}:${process.env.PATH ?? ''}`,
    npm_config_prefix: prefix,
    // The optional native modules are not compiled (see package.test.ts).
    npm_config_ignore_scripts: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    NO_COLOR: '1',
    FORCE_COLOR: '',
    CI: '',
  };
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** Runs a command line with bash; resolves with its exit code and what it printed (stderr merged). */
function bash(script: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', `exec 2>&1\n${script}`], { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: stdout });
    });
  });
}

const fixtureApi = (text: string): string => text.replaceAll('127.0.0.1:8080', `127.0.0.1:${server.port}`);
const comparable = (text: string): string => normaliseText(text.replaceAll(`127.0.0.1:${server.port}`, '127.0.0.1:8080'));

describe.each(BLOCKS.map((block) => [`${block.file}:${block.line}`, block] as const))('%s', (_place, block) => {
  it(`runs as written (${block.kind})`, async () => {
    const cwd = block.emptyFolder ? mkdtempSync(join(scratch, 'empty-')) : copy;
    if (block.kind === 'sh') {
      const result = await bash(`set -eo pipefail\n${fixtureApi(block.body)}`, cwd);
      expect(result.code, `${block.file}:${block.line} failed:\n${result.output}`).toBe(block.exits[0] ?? 0);
      return;
    }
    const commands = block.body.split(/^\$ /m).slice(1);
    expect(commands.length, 'a transcript starts with "$ "').toBeGreaterThan(0);
    for (const [index, entry] of commands.entries()) {
      const [command = '', ...expected] = entry.split('\n');
      const result = await bash(fixtureApi(command), cwd);
      const where = `${block.file}:${block.line} $ ${command} (in ${relative(scratch, cwd)})`;
      expect(comparable(result.output), where).toBe(comparable(expected.join('\n').replace(/\n*$/, '\n')));
      expect(result.code, where).toBe(block.exits[index] ?? 0);
    }
  }, 600_000);
});

it('finds the runnable blocks of README.md and docs/', () => {
  expect(BLOCKS.map((block) => block.file)).toEqual(expect.arrayContaining(['README.md', 'docs/cli.md']));
});
