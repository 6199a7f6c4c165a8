import { existsSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { PROJECT_FILE_NAMES } from '@sortie/config';
import { ErrorCode, fileReadReason, readRegularFile, SortieError } from '@sortie/core';
import { parseCommandOptions } from '../parse-options.js';
import { EXIT, type Terminal } from '../terminal.js';
import { cannotWrite, displayPath, writeOutputFile } from '../write-output.js';
import { type InitAnswers, type InitFile, initFiles, type ScenarioFormat } from './init-files.js';

const options = {
  yes: { type: 'boolean', short: 'y' },
  force: { type: 'boolean', short: 'f' },
} as const;

const INIT_HINT = "run 'sortie init --help' for usage";

function usage(message: string): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint: INIT_HINT });
}

/** The answers `--yes` takes, and the defaults the questions offer. */
export function defaultAnswers(): InitAnswers {
  return { base: 'http://localhost:8080', path: '/', format: 'yaml' };
}

/**
 * `sortie init [folder] [--yes] [--force]`: a project to start from — the project file, a `dev`
 * environment, a first scenario, `.env.example`, and `.env` in `.gitignore` (appended). Asks on a
 * terminal; `--yes` takes the defaults. Existing files are never overwritten without `--force`.
 */
export async function initCommand(argv: readonly string[], terminal: Terminal): Promise<number> {
  const parsed = parseCommandOptions(argv, options, INIT_HINT);
  if (parsed.positionals.length > 1) throw usage(`"sortie init" takes one folder, got ${parsed.positionals.length}`);
  const folder = resolve(terminal.cwd, parsed.positionals[0] ?? '.');
  // Else the first write failed with EEXIST at <file>/sortie.config.json, after the questions.
  if (statSync(folder, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new SortieError(
      ErrorCode.USAGE,
      'Usage error',
      `${parsed.positionals[0]} is a file, not a folder: sortie init writes a project into a folder`,
      { hint: 'give a folder (it is created when it does not exist), or none for the current one' },
    );
  }
  const interactive = parsed.values.yes !== true;
  if (interactive && !(terminal.isTTY && process.stdin.isTTY === true)) {
    throw usage('not a terminal, so no questions can be asked: pass --yes to take the defaults');
  }
  const defaults = defaultAnswers();
  const force = parsed.values.force === true;
  // On a terminal, the files whose names do not depend on the answers are checked before any question.
  if (!force && interactive) {
    refuseToOverwrite(
      terminal,
      folder,
      initFiles(defaults).filter((file) => file.role !== 'scenario'),
    );
  }
  const answers = interactive ? await ask(defaults) : defaults;
  if (answers === undefined) {
    terminal.err('sortie init: cancelled, nothing written\n');
    return EXIT.INVALID;
  }

  const files = initFiles(answers);
  if (!force) refuseToOverwrite(terminal, folder, files);
  const shown = (path: string): string => join(relative(terminal.cwd, folder), path);
  const named = (path: string): string => displayPath(terminal.cwd, join(folder, path));
  // .gitignore is read before anything is written: a folder or a named pipe there is refused first.
  const gitignore = join(folder, '.gitignore');
  const current = await readRegularFile(gitignore, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return '';
    throw new SortieError(ErrorCode.USAGE, 'Cannot read file', `cannot read ${named('.gitignore')}: ${fileReadReason(error)}`);
  });
  for (const file of files) await writeOutputFile(join(folder, file.path), file.content, named(file.path));
  const ignored = await addToGitignore(gitignore, current, ['.env', 'sortie-reports/'], named('.gitignore'));

  const scenario = files.find((file) => file.role === 'scenario')?.path as string;
  const into = relative(terminal.cwd, folder);
  const width = Math.max(...[...files.map((file) => file.path), '.gitignore'].map((path) => shown(path).length)) + 2;
  terminal.out(
    [
      `Created a Sortie project in ${into || '.'}:`,
      ...files.map((file) => `  ${shown(file.path).padEnd(width)} ${file.description}`),
      `  ${shown('.gitignore').padEnd(width)} ${ignored.length > 0 ? `${ignored.join(' and ')} added` : '.env and sortie-reports/ already listed'}`,
      '',
      'Next:',
      // The project file is looked for from the working folder up: run from elsewhere, the scenario
      // ran without it (no dev environment, "base" not defined). So the next commands start there.
      ...(into === '' ? [] : [`  cd ${quoteForShell(into)}`]),
      `  sortie validate ${scenario}`,
      `  sortie run ${scenario}${answers.base === defaults.base ? '   (set base in environments/dev.yaml, or --env-var base=<url>)' : ''}`,
      '',
    ].join('\n'),
  );
  return EXIT.OK;
}

/**
 * The files a run would read in place of `file`, or beside it: the project file is looked for as
 * `sortie.config.json`, `.yaml`, `.yml` (the first found wins), an environment by name as
 * `<name>.json`, `.yaml`, `.yml`. Writing `sortie.config.json` next to a `sortie.config.yaml` would
 * silently replace the user's project, and a `dev.yaml` next to a `dev.json` would never be read.
 */
function rivals(file: InitFile): readonly string[] {
  if (file.role === 'project') return PROJECT_FILE_NAMES;
  if (file.role === 'environment') {
    const stem = file.path.replace(/\.(json|ya?ml)$/, '');
    return [`${stem}.json`, `${stem}.yaml`, `${stem}.yml`];
  }
  return [file.path];
}

/** Throws (exit 2) when any of the files, or a file a run would read instead of it, exists: nothing is written then. */
function refuseToOverwrite(terminal: Terminal, folder: string, files: readonly InitFile[]): void {
  const shown = (path: string): string => join(relative(terminal.cwd, folder), path);
  const overwritten: string[] = [];
  const shadowed: string[] = [];
  for (const file of files) {
    for (const path of rivals(file)) {
      if (!existsSync(join(folder, path))) continue;
      if (path === file.path) overwritten.push(shown(path));
      else shadowed.push(`${shown(path)}, beside which ${shown(file.path)} would be written`);
    }
  }
  if (overwritten.length === 0 && shadowed.length === 0) return;
  const parts = [
    ...(overwritten.length > 0 ? [`would overwrite ${overwritten.join(', ')}`] : []),
    ...(shadowed.length > 0 ? [`found ${shadowed.join('; ')} (a run reads only one of them)`] : []),
  ];
  throw new SortieError(ErrorCode.USAGE, 'Files already exist', `sortie init ${parts.join('; ')}`, {
    hint: 'nothing was written; pass --force to overwrite them, or run it in another folder',
  });
}

/** The questions, on the terminal (@inquirer/prompts, loaded only here). Undefined when the user cancels (Ctrl-C). */
async function ask(defaults: InitAnswers): Promise<InitAnswers | undefined> {
  const { input, select } = await import('@inquirer/prompts');
  try {
    const base = await input({
      message: 'Base URL of the API',
      default: defaults.base,
      validate: (value) => (URL.canParse(value) ? true : 'a URL, e.g. http://localhost:8080'),
    });
    const path = await input({
      message: 'Path the first scenario checks (GET)',
      default: defaults.path,
      validate: (value) => (value.startsWith('/') ? true : 'a path starting with /'),
    });
    const format = await select<ScenarioFormat>({
      message: 'Format of the files',
      choices: [
        { name: 'YAML', value: 'yaml' },
        { name: 'JSON', value: 'json' },
      ],
      default: defaults.format,
    });
    return { base, path, format };
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') return undefined;
    throw error;
  }
}

/** Appends the lines `.gitignore` (`current`: its text, empty when absent) does not list yet; returns them. */
async function addToGitignore(file: string, current: string, lines: readonly string[], shown: string): Promise<string[]> {
  const listed = new Set(current.split(/\r?\n/).map((line) => line.trim()));
  const missing = lines.filter((line) => !listed.has(line) && !listed.has(`/${line}`));
  if (missing.length === 0) return [];
  // A .gitignore written on Windows keeps its CRLF line ends: no mixed endings.
  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const separator = current === '' || current.endsWith('\n') ? '' : eol;
  await appendFile(file, `${separator}${missing.join(eol)}${eol}`).catch((error: unknown) => {
    throw cannotWrite(shown, error);
  });
  return missing;
}

/** A folder as a POSIX shell word: as is when it is plain, else in single quotes (`it's` as `'it'\''s'`). */
function quoteForShell(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
