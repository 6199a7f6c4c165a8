/** `sortie import postman <collection> [-e env] [-g globals] --out DIR [--format yaml|json]`. */
import { join, resolve } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { type ImportFormat, importPostman } from '@sortie/postman';
import { parseCommandOptions } from '../parse-options.js';
import { EXIT, type Terminal } from '../terminal.js';
import { displayPath, writeOutputFile } from '../write-output.js';

const options = {
  out: { type: 'string' },
  env: { type: 'string', short: 'e' },
  globals: { type: 'string', short: 'g' },
  format: { type: 'string' },
} as const;

const IMPORT_HINT = "run 'sortie import --help' for usage";

function usage(message: string): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint: IMPORT_HINT });
}

/** Converts the collection and writes the files; prints what was written, the secrets and the variables to set. */
export async function importPostmanCommand(argv: readonly string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseCommandOptions(argv, options, IMPORT_HINT);
  if (positionals.length !== 1) throw usage('sortie import postman needs one collection file');
  if (values.out === undefined) throw usage('sortie import postman needs --out <dir>');
  const format = values.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw usage(`--format expects yaml or json, got "${format}"`);
  const imported = await importPostman({
    collection: positionals[0]!,
    cwd: terminal.cwd,
    outDir: values.out,
    format: format as ImportFormat,
    ...(values.env === undefined ? {} : { environment: values.env }),
    ...(values.globals === undefined ? {} : { globals: values.globals }),
  });
  const outDir = resolve(terminal.cwd, values.out);
  for (const file of imported.files) {
    await writeOutputFile(join(outDir, file.path), file.text, displayPath(terminal.cwd, join(outDir, file.path)));
    terminal.out(`wrote ${join(values.out, file.path)}\n`);
  }
  for (const note of imported.notes) {
    const what = note.level === 'error' ? 'cannot run' : 'runs differently from Newman';
    terminal.err(`warning: "${note.path}" ${what}: ${note.message}\n`);
  }
  if (imported.secrets.length > 0) {
    terminal.out('\nSecrets are not written. Set them in the environment or in a .env file before running:\n');
    for (const secret of imported.secrets) terminal.out(`  ${secret.name}  (${secret.what})\n`);
  }
  if (imported.variables.length > 0) {
    terminal.out(
      '\nVariables the collection uses but does not define (sent as written until set): set them in an environment, with --env-var NAME=value or in a data file before running:\n',
    );
    for (const variable of imported.variables) terminal.out(`  ${variable.name}  (${variable.where})\n`);
  }
  return EXIT.OK;
}
