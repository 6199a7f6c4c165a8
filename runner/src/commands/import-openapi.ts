/** `sortie import openapi <spec> --out DIR [--format yaml|json]`. */
import { importOpenApi } from '@sortie/importers';
import type { Terminal } from '../terminal.js';
import { parseImportArgs, writeImport } from './import-output.js';

export async function importFormat(argv: readonly string[], terminal: Terminal): Promise<number> {
  const args = parseImportArgs('openapi', argv, terminal);
  const result = await importOpenApi(args.input, { outDir: args.outDir, cwd: terminal.cwd });
  return writeImport(result, args, terminal);
}
