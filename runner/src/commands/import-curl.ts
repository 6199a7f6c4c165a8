/** `sortie import curl '<command>' --out DIR [--format yaml|json] [--name NAME]`; `-` reads the command from standard input. */
import { text } from 'node:stream/consumers';
import { importCurl } from '@sortie/importers';
import type { Terminal } from '../terminal.js';
import { parseImportArgs, writeImport } from './import-output.js';

export async function importFormat(argv: readonly string[], terminal: Terminal): Promise<number> {
  const args = parseImportArgs('curl', argv, terminal);
  // A command pasted across lines ends them with a backslash: Bash's line continuation.
  const command = args.input === '-' ? await text(process.stdin) : args.input;
  const options: Parameters<typeof importCurl>[1] = { cwd: terminal.cwd, outDir: args.outDir };
  if (args.name !== undefined) options.name = args.name;
  return writeImport(await importCurl(command, options), args, terminal);
}
