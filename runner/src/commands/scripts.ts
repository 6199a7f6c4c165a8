import { join, relative, resolve } from 'node:path';
import { findProjectFile, loadProject, loadScriptLibraryManifest } from '@sortie/config';
import { ErrorCode, fileReadReason, isSortieError, type ScriptLibrary, SortieError, suggestClosest } from '@sortie/core';
import { LIBRARY_MANIFEST, loadScriptLibraries, resolveScriptLibraries } from '@sortie/project';
import { parseCliArgs, type RunArgs } from '../args.js';
import { parseCommandOptions } from '../parse-options.js';
import { EXIT, type Terminal } from '../terminal.js';
import { runCommand } from './run.js';

const SCRIPTS_HINT = 'sortie scripts list [--scripts <dir>]… | sortie scripts test <library dir> [run options]';

function usage(message: string, hint = SCRIPTS_HINT): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint });
}

/** `sortie scripts list|test …` (argv after `scripts`). */
export async function scriptsCommand(argv: readonly string[], terminal: Terminal, signal?: AbortSignal): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'list') return listScripts(rest, terminal);
  if (action === 'test') return testLibrary(rest, terminal, signal);
  const closest = action === undefined ? undefined : suggestClosest(action, ['list', 'test']);
  throw usage(
    action === undefined ? 'sortie scripts needs an action' : `unknown scripts action "${action}"`,
    closest === undefined ? SCRIPTS_HINT : `did you mean "sortie scripts ${closest}"?`,
  );
}

/** Lists the libraries of the project and of --scripts: every script with its description and parameters. */
async function listScripts(argv: readonly string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseCommandOptions(argv, { scripts: { type: 'string', multiple: true } } as const, SCRIPTS_HINT);
  if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}"`);
  const flags = values.scripts ?? [];
  // The project file only: listing libraries needs no environment (a broken defaultEnvironment must not stop it).
  const projectFile = await findProjectFile(terminal.cwd);
  const config = projectFile === undefined ? { secrets: {} } : { project: await loadProject(projectFile), secrets: {} };
  const { scriptLibraries, projectDir, locateEntry } = resolveScriptLibraries(flags, config, terminal.cwd);
  if (scriptLibraries.length === 0) {
    terminal.out('No script libraries: list folders or npm packages under "scripts" in sortie.config.json, or pass --scripts <dir>.\n');
    return EXIT.OK;
  }
  const libraries = await loadScriptLibraries(scriptLibraries, projectDir, locateEntry);
  for (const library of libraries.values()) {
    const { manifest } = library;
    terminal.out(`${manifest.name} ${manifest.version}  (${relative(terminal.cwd, library.dir) || '.'})\n`);
    if (manifest.description !== undefined) terminal.out(`  ${manifest.description}\n`);
    for (const [name, script] of Object.entries(manifest.scripts)) {
      terminal.out(`  ${manifest.name}/${name}${script.description === undefined ? '' : `  ${script.description}`}\n`);
      const parameters = describeParameters(script.parameters);
      if (parameters !== '') terminal.out(`      with: ${parameters}\n`);
    }
  }
  return EXIT.OK;
}

/**
 * `keyVar (string, required), mode ("strict" | "lax"), status (integer, default 200)` from a JSON
 * Schema of an object. A parameter with a default may be left out (it is validated with the default
 * applied), so it is never called required.
 */
function describeParameters(schema: Record<string, unknown> | undefined): string {
  const properties = (resolveLocalRef(schema, schema)?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties)
    .map(([name, property]) => {
      const defaultValue = property?.default ?? resolveLocalRef(schema, property)?.default;
      const notes = [describeType(schema, property)];
      if (defaultValue !== undefined) notes.push(`default ${JSON.stringify(defaultValue)}`);
      else if (required.has(name)) notes.push('required');
      return `${name} (${notes.join(', ')})`;
    })
    .join(', ');
}

/** What a parameter may be: its allowed values (`enum`, `const`), else its type(s), following a local `$ref`; `any` when unsaid. */
function describeType(root: Record<string, unknown> | undefined, property: Record<string, unknown> | undefined): string {
  const schema = resolveLocalRef(root, property);
  if (schema === undefined) return 'any';
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return typeof schema.type === 'string' ? schema.type : 'any';
}

/** `{ "$ref": "#/$defs/item" }` (or `#/definitions/…`) as the schema it points at, within the same parameters. */
function resolveLocalRef(
  root: Record<string, unknown> | undefined,
  schema: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    target = target !== null && typeof target === 'object' ? (target as Record<string, unknown>)[key] : undefined;
  }
  return target !== null && typeof target === 'object' && !Array.isArray(target) ? (target as Record<string, unknown>) : schema;
}

/**
 * Runs a library's example scenarios (the `examples` of its scripts) with the library loaded, the
 * way users will call its scripts: `sortie scripts test ./my-library -e local --env-var key=…`.
 */
async function testLibrary(argv: readonly string[], terminal: Terminal, signal?: AbortSignal): Promise<number> {
  const [dir, ...runOptions] = argv;
  if (dir === undefined || dir.startsWith('-')) throw usage('sortie scripts test needs the folder of a script library');
  const libraryDir = resolve(terminal.cwd, dir);
  let manifest: ScriptLibrary;
  try {
    // Every problem of the manifest at its line and column, as when a run loads the library.
    manifest = (await loadScriptLibraryManifest(join(dir, LIBRARY_MANIFEST), { cwd: terminal.cwd })).value;
  } catch (error) {
    if (!isSortieError(error) || error.code !== ErrorCode.FILE_NOT_FOUND) throw error;
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    const reason = cause?.code === 'ENOENT' ? '' : ` (${fileReadReason(cause)})`;
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'Script library not found', `no readable ${LIBRARY_MANIFEST} in ${dir}${reason}`);
  }
  const entries = Object.values(manifest.scripts);
  const listed = entries.flatMap((script) => script.examples ?? []);
  const examples = [...new Set(listed.filter((file): file is string => typeof file === 'string'))].map((file) =>
    relative(terminal.cwd, resolve(libraryDir, file)),
  );
  if (examples.length === 0) throw usage(`the scripts of ${dir} declare no "examples" to run`);
  const args = parseCliArgs(['run', ...examples, '--scripts', libraryDir, ...runOptions]);
  return runCommand(args as RunArgs, terminal, signal);
}
