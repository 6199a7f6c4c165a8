/** `sortie import har <file> --out DIR [--format yaml|json] [--name NAME]`. */
import { importHar } from '@sortie/importers';
import type { Terminal } from '../terminal.js';
import { parseImportArgs, writeImport } from './import-output.js';

export async function importFormat(argv: readonly string[], terminal: Terminal): Promise<number> {
  const args = parseImportArgs('har', argv, terminal);
  const options: Parameters<typeof importHar>[1] = { cwd: terminal.cwd };
  if (args.name !== undefined) options.name = args.name;
  return writeImport(await importHar(args.input, options), args, terminal);
}
