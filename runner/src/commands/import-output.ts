/** The options every importer shares (--out, --format) and how its result is written and reported. */
import { join, relative, resolve } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import type { ImportFormat, ImportResult } from '@sortie/importers';
import { parseCommandOptions } from '../parse-options.js';
import { EXIT, type Terminal } from '../terminal.js';
import { displayPath, writeOutputFile } from '../write-output.js';

export interface ImportArgs {
  input: string;
  outDir: string;
  format: ImportFormat;
  name?: string;
}

/** Parses `<input> --out DIR [--format yaml|json] [--name NAME]`. */
export function parseImportArgs(format: string, argv: readonly string[], terminal: Terminal): ImportArgs {
  const { values, positionals } = parseCommandOptions(
    argv,
    { out: { type: 'string' }, format: { type: 'string' }, name: { type: 'string' } },
    IMPORT_HINT,
  );
  if (positionals.length !== 1) throw usage(`"sortie import ${format}" needs one input, got ${positionals.length}`);
  if (values.out === undefined) throw usage(`"sortie import ${format}" needs --out <dir>`);
  const outputFormat = values.format ?? 'yaml';
  if (outputFormat !== 'yaml' && outputFormat !== 'json') throw usage(`--format must be yaml or json, got "${outputFormat}"`);
  const args: ImportArgs = { input: positionals[0] as string, outDir: resolve(terminal.cwd, values.out), format: outputFormat };
  if (values.name !== undefined) args.name = values.name;
  return args;
}

const IMPORT_HINT = "run 'sortie import --help' for usage";

function usage(message: string): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint: IMPORT_HINT });
}

/** Writes the files and prints what was written, the secrets to set and the notes. */
export async function writeImport(result: ImportResult, args: ImportArgs, terminal: Terminal): Promise<number> {
  const { serializeImport } = await import('@sortie/importers');
  const files = serializeImport(result, args.format);
  const shown = relative(terminal.cwd, args.outDir) || '.';
  for (const file of files) {
    const path = join(args.outDir, file.path);
    await writeOutputFile(path, file.text, displayPath(terminal.cwd, path));
  }
  terminal.out(`Wrote ${files.length} file${files.length === 1 ? '' : 's'} to ${shown}/\n`);
  for (const [index, file] of files.entries()) {
    const imported = result.files[index];
    const steps =
      imported?.kind === 'scenario' && Array.isArray(imported.value.steps)
        ? ` (${imported.value.steps.length} ${imported.value.steps.length === 1 ? 'step' : 'steps'})`
        : '';
    terminal.out(`  ${file.path}${steps}\n`);
  }
  if (result.secrets.length > 0) {
    terminal.out('\nSecrets to set (process environment, or a .env file next to the project file):\n');
    const width = Math.max(...result.secrets.map((secret) => secret.name.length));
    for (const secret of result.secrets) terminal.out(`  ${secret.name.padEnd(width)}  ${secret.description}\n`);
  }
  if (result.notes.length > 0) {
    terminal.out('\nNotes:\n');
    for (const note of result.notes) terminal.out(`  - ${note}\n`);
  }
  terminal.out(`\nRun them: cd ${shown} && sortie run scenarios\n`);
  return EXIT.OK;
}
