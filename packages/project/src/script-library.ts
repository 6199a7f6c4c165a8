import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { formatJsonPath, type LoadedFile, loadScriptLibraryManifest } from '@sortie/config';
import {
  assertRegularFile,
  ErrorCode,
  fileReadReason,
  isSortieError,
  readRegularFile,
  type ScriptLibrary,
  SortieError,
  type SourceLocation,
  suggestClosest,
} from '@sortie/core';
import { compileParameters } from './check-arguments.js';

export const LIBRARY_MANIFEST = 'sortie-library.json';

/** A loaded library: its manifest, the folder its script files are relative to, and the sources read so far. */
export interface LoadedLibrary {
  manifest: ScriptLibrary;
  dir: string;
  /** Where it came from: a folder path or an npm package name. */
  source: string;
  /** Script name → source, for the scripts a run uses (filled by {@link readLibraryScript}). */
  scripts: Record<string, string>;
}

/** A library script ready to run. */
export interface LibraryScript {
  id: string;
  /** Its file, relative to the working directory when below it (shown in error locations). */
  file: string;
  source: string;
  parameters?: Record<string, unknown>;
  description?: string;
  library: LoadedLibrary;
}

/**
 * Loads script libraries: each entry is a folder holding `sortie-library.json`, or an npm package
 * name resolved from `baseDir` (the project folder) whose package root holds it.
 */
export async function loadScriptLibraries(
  entries: readonly string[],
  baseDir: string,
  locate?: (entry: string) => SourceLocation | undefined,
): Promise<Map<string, LoadedLibrary>> {
  const libraries = new Map<string, LoadedLibrary>();
  for (const entry of entries) {
    const { file: manifestFile, packageProblem } = locateManifest(entry, baseDir);
    let loaded: LoadedFile<ScriptLibrary>;
    try {
      // Located like every input: every problem at its line and column, a syntax error too.
      loaded = await loadScriptLibraryManifest(displayPath(manifestFile));
    } catch (error) {
      if (!isSortieError(error) || error.code !== ErrorCode.FILE_NOT_FOUND) throw error;
      const cause = error.cause as NodeJS.ErrnoException | undefined;
      if (cause?.code !== 'ENOENT') {
        throw new SortieError(
          ErrorCode.FILE_NOT_FOUND,
          'Script library not found',
          `cannot read ${manifestFile} (script library "${entry}"): ${fileReadReason(cause)}`,
        );
      }
      // A package name that is not a folder either: what was wrong with the package is what the user needs.
      const message =
        packageProblem === undefined
          ? `no ${LIBRARY_MANIFEST} for script library "${entry}" (looked at ${manifestFile})`
          : `no ${LIBRARY_MANIFEST} for script library "${entry}": ${packageProblem}, and there is no folder ${dirname(manifestFile)}`;
      const hint =
        packageProblem?.includes('"exports"') === true
          ? `add "./${LIBRARY_MANIFEST}": "./${LIBRARY_MANIFEST}" to the "exports" of the package's package.json`
          : undefined;
      // Where the entry is written (the project's `scripts`), so the user finds what to fix.
      const location = locate?.(entry);
      throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'Script library not found', message, {
        ...(hint === undefined ? {} : { hint }),
        ...(location === undefined ? {} : { location }),
      });
    }
    const manifest = loaded.value;
    const problems: SortieError[] = [];
    const dir = dirname(manifestFile);
    for (const [scriptName, script] of Object.entries(manifest.scripts)) {
      // The file is checked (not read) when the library loads: a manifest naming a missing file is a
      // manifest problem, reported there, not only when a scenario happens to call that script.
      const fileProblem = await checkScriptFile(`${manifest.name}/${scriptName}`, script.file, dir);
      if (fileProblem !== undefined) {
        const path = ['scripts', scriptName, 'file'];
        const location = { ...loaded.locate(path), file: loaded.file, path: formatJsonPath(path) };
        problems.push(
          new SortieError(ErrorCode.INVALID_INPUT, fileProblem.title, fileProblem.message, { location, hint: fileProblem.hint }),
        );
      }
      if (script.parameters === undefined) continue;
      await compileParameters(script.parameters).catch((error: SortieError) => {
        const path = ['scripts', scriptName, 'parameters'];
        const location = { ...loaded.locate(path), file: loaded.file, path: formatJsonPath(path) };
        problems.push(new SortieError(ErrorCode.INVALID_INPUT, 'Invalid parameters', error.message, { location }));
      });
    }
    if (problems.length > 0) {
      const summary = `${loaded.file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid script library', summary, {
        location: { file: loaded.file },
        details: problems,
      });
    }
    const other = libraries.get(manifest.name);
    // Two libraries of one name: `use` could reach only one of them, silently.
    // The same folder reached twice (a package name resolves through node_modules symlinks) is one library.
    if (other !== undefined && (await realFolder(other.dir)) !== (await realFolder(dir))) {
      throw new SortieError(
        ErrorCode.INVALID_INPUT,
        'Script library name clash',
        `script libraries ${describeSource(other.source, other.dir)} and ${describeSource(entry, dir)} are both named "${manifest.name}"`,
        { hint: `"use" names a library by the "name" of its ${LIBRARY_MANIFEST}: list only one of them, or rename one` },
      );
    }
    if (other === undefined) libraries.set(manifest.name, { manifest, dir, source: entry, scripts: {} });
  }
  return libraries;
}

function realFolder(dir: string): Promise<string> {
  return realpath(dir).catch(() => resolve(dir));
}

/** A path relative to the working directory when it lies below it, else absolute. */
function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}

/** A library as listed: its folder, or the package name and the folder it resolved to. */
function describeSource(source: string, dir: string): string {
  return resolve(source) === resolve(dir) ? dir : `"${source}" (${dir})`;
}

/** Where the manifest of a library entry is; for a package name that does not resolve, why not. */
function locateManifest(entry: string, baseDir: string): { file: string; packageProblem?: string } {
  const looksLikePath = entry.startsWith('.') || entry.startsWith('/') || isAbsolute(entry);
  if (looksLikePath) return { file: join(resolve(baseDir, entry), LIBRARY_MANIFEST) };
  try {
    return { file: createRequire(join(baseDir, 'package.json')).resolve(`${entry}/${LIBRARY_MANIFEST}`) };
  } catch (error) {
    // A folder name without ./ is still allowed.
    const file = join(resolve(baseDir, entry), LIBRARY_MANIFEST);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      return { file, packageProblem: `the package is installed but its "exports" do not include ./${LIBRARY_MANIFEST}` };
    }
    return { file, packageProblem: `no npm package "${entry}" with a ${LIBRARY_MANIFEST} is installed for ${baseDir}` };
  }
}

/** Finds `<library>/<script>` and reads its source from disk (once: it is kept in `library.scripts`). */
export async function readLibraryScript(libraries: ReadonlyMap<string, LoadedLibrary>, id: string): Promise<LibraryScript> {
  const { library, scriptName } = findEntry(libraries, id);
  if (library.scripts[scriptName] === undefined) {
    const file = resolve(library.dir, library.manifest.scripts[scriptName]!.file);
    // Checked when the library loaded; again here, as the file may have changed since.
    const outside = await outsideLibrary(id, file, library.dir);
    if (outside !== undefined) throw new SortieError(ErrorCode.INVALID_INPUT, outside.title, outside.message, { hint: outside.hint });
    try {
      library.scripts[scriptName] = await readRegularFile(file, 'utf8');
    } catch (error) {
      throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'Script not found', unreadable(id, file, error));
    }
  }
  return findLibraryScript(libraries, id);
}

interface FileProblem {
  title: string;
  message: string;
  hint?: string;
}

function unreadable(id: string, file: string, error: unknown): string {
  return `script "${id}" points at ${displayPath(file)}, which cannot be read: ${fileReadReason(error)}`;
}

/** Why the `file` of a script cannot be run (outside its library, missing, not a regular file, unreadable), without reading it. */
async function checkScriptFile(id: string, name: string, dir: string): Promise<FileProblem | undefined> {
  const file = resolve(dir, name);
  const outside = await outsideLibrary(id, file, dir);
  if (outside !== undefined) return outside;
  try {
    await assertRegularFile(file);
    await access(file, constants.R_OK);
    return undefined;
  } catch (error) {
    return { title: 'Script not found', message: unreadable(id, file, error) };
  }
}

/**
 * A library's script file lies in its folder: a manifest cannot make a run read and execute another
 * file of the machine (`../../.env`, or a symlink to one), whose text would then show in errors.
 */
async function outsideLibrary(id: string, file: string, dir: string): Promise<FileProblem | undefined> {
  const real = async (path: string) => realpath(path).catch(() => resolve(path));
  const root = await real(dir);
  const target = await real(file);
  const inside = relative(root, target);
  if (inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside)) return undefined;
  const shown = target === resolve(file) ? displayPath(file) : `${displayPath(file)} (a link to ${target})`;
  // "file": "." or "" names the library folder itself: not outside it, and not a file.
  const where = inside === '' ? 'which is its library folder itself, not a script file' : `outside its library folder ${dir}`;
  return {
    title: 'Invalid script library',
    message: `script "${id}" points at ${shown}, ${where}`,
    hint: `the "file" of a script is a file inside the folder of ${LIBRARY_MANIFEST}`,
  };
}

/**
 * Finds `<library>/<script>` among libraries whose sources were read when the run was planned; never
 * touches the disk (an agent runs a plan from another machine).
 */
export function findLibraryScript(libraries: ReadonlyMap<string, LoadedLibrary>, id: string): LibraryScript {
  const { library, scriptName } = findEntry(libraries, id);
  const source = library.scripts[scriptName];
  if (source === undefined) {
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Script not in the plan', `script "${id}" was not loaded with the run plan`, {
      hint: 'load the scenarios with loadPlan, which reads every library script they use',
    });
  }
  const entry = library.manifest.scripts[scriptName]!;
  const script: LibraryScript = { id, file: displayPath(resolve(library.dir, entry.file)), source, library };
  if (entry.parameters !== undefined) script.parameters = entry.parameters;
  if (entry.description !== undefined) script.description = entry.description;
  return script;
}

function findEntry(libraries: ReadonlyMap<string, LoadedLibrary>, id: string): { library: LoadedLibrary; scriptName: string } {
  const [libraryName, scriptName] = splitId(id);
  const library = libraries.get(libraryName);
  if (library === undefined) {
    const known = [...libraries.keys()];
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Unknown script library', `no script library named "${libraryName}" (for "${id}")`, {
      hint:
        known.length > 0
          ? `libraries: ${known.join(', ')}${didYouMean(libraryName, known)}`
          : 'list library folders or npm packages under "scripts" in sortie.config.json, or give one with --scripts <dir or package>',
    });
  }
  if (library.manifest.scripts[scriptName] === undefined) {
    const known = Object.keys(library.manifest.scripts);
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Unknown library script', `library "${libraryName}" has no script "${scriptName}"`, {
      hint: `scripts: ${known.join(', ')}${didYouMean(scriptName, known, `${libraryName}/`)}`,
    });
  }
  return { library, scriptName };
}

/** `; did you mean "team/check"?` for a misspelt library or script name, else nothing. */
function didYouMean(word: string, known: readonly string[], prefix = ''): string {
  const closest = suggestClosest(word, known);
  return closest === undefined ? '' : `; did you mean "${prefix}${closest}"?`;
}

function splitId(id: string): [string, string] {
  const slash = id.lastIndexOf('/');
  return [id.slice(0, slash), id.slice(slash + 1)];
}
