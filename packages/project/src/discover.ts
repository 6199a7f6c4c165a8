import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { ErrorCode, fileReadReason, readRegularFile, SortieError } from '@sortie/core';
import { isV3CollectionDir } from '@sortie/postman/detect';

const SCENARIO_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);
const SKIPPED_DIRS = new Set(['node_modules', 'expected', 'environments', 'sortie-reports']);
const JSON_STEPS = /^\s*\{[\s\S]*"steps"\s*:/;
const YAML_STEPS = /^steps\s*:/m;

/**
 * Expands the paths given on the command line into scenario files, in order. A file is taken as
 * given; a folder contributes every JSON/YAML file below it (sorted) that has top-level `steps`,
 * skipping node_modules, dot-folders and folders named expected/environments. A folder given that is
 * laid out as a Postman Collection v3 is taken whole, as one collection (see expandFolder). Paths are named as
 * given (relative ones relative to `cwd`).
 */
export async function discoverScenarioFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(resolve(cwd, path)).catch(async (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT')
        throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${path}: ${fileReadReason(error)}`);
      const hint = await missingPathHint(path, cwd);
      throw new SortieError(
        ErrorCode.FILE_NOT_FOUND,
        'File not found',
        `no such file or folder: ${path}`,
        hint === undefined ? {} : { hint },
      );
    });
    if (info.isDirectory()) files.push(...(await expandFolder(path, cwd)));
    else files.push(path);
  }
  return [...new Set(files)];
}

/**
 * Why a path given on the command line may not exist when it looks like something else: a wildcard
 * pattern no shell expanded (quoted, or typed in cmd.exe or PowerShell, which pass `*` as written),
 * or a Windows path with `\` on a system where `/` separates folders, or `-` (standard input elsewhere).
 */
async function missingPathHint(path: string, cwd: string): Promise<string | undefined> {
  // `-` is standard input to many tools (and to `sortie import curl -`), not to run or validate.
  if (path === '-')
    return 'scenarios are read from files, not from standard input: save what you pipe to a file (… > s.json) and give that file';
  if (/[*?]/.test(path)) {
    const folder = path.slice(0, Math.max(0, path.search(/[*?]/))).replace(/[^/\\]*$/, '');
    const dir = folder === '' ? '.' : folder.replace(/[/\\]+$/, '');
    return `sortie does not expand wildcards (a shell does, unquoted; cmd.exe and PowerShell do not): give the files, or their folder to run every scenario in it (${dir})`;
  }
  if (sep === '/' && path.includes('\\')) {
    const slashed = path.replaceAll('\\', '/');
    const exists = await stat(resolve(cwd, slashed)).then(
      () => true,
      () => false,
    );
    if (exists) return `folders are separated by "/" here: ${slashed}`;
  }
  return undefined;
}

/**
 * A folder laid out as a Postman Collection v3 is one input (its YAML files are not scenarios): one with
 * a definition or request files of its own, or one with no scenario below it but request files.
 */
async function expandFolder(path: string, cwd: string): Promise<string[]> {
  const dir = resolve(cwd, path);
  if (await isV3CollectionDir(dir, { deep: false })) return [path];
  const found = await walk(path, cwd);
  return found.length === 0 && (await isV3CollectionDir(dir, { deep: true })) ? [path] : found;
}

async function walk(dir: string, cwd: string): Promise<string[]> {
  const entries = await readdir(resolve(cwd, dir), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) found.push(...(await walk(path, cwd)));
    } else if (SCENARIO_EXTENSIONS.has(extname(entry.name).toLowerCase()) && (await looksLikeScenario(resolve(cwd, path), path))) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Whether a file found in a folder has top-level `steps`. What is not a regular file (a named pipe, a
 * socket, a device: reading one could block for ever) is not a scenario; a file that cannot be read
 * (a dangling or looping symbolic link, no permission) is an error naming it.
 */
async function looksLikeScenario(path: string, shown: string): Promise<boolean> {
  let text: string;
  try {
    text = await readRegularFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTREGULAR' || code === 'EISDIR') return false;
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${shown}: ${fileReadReason(error)}`, {
      location: { file: shown },
      cause: error,
    });
  }
  return extname(path).toLowerCase() === '.json' ? JSON_STEPS.test(text) : YAML_STEPS.test(text);
}
