import type { ValidateArgs } from '../args.js';
import { loadInputs } from '../load-inputs.js';
import { EXIT, type Terminal } from '../terminal.js';

/** `sortie validate`: checks files, prints one line per valid file. Errors are thrown to the CLI. */
export async function validateCommand(args: ValidateArgs, terminal: Terminal): Promise<number> {
  const inputs = await loadInputs(args.files, args.env);
  const files = [...(inputs.environment === undefined ? [] : [inputs.environment.file]), ...inputs.scenarios.map((s) => s.file)];
  for (const file of files) terminal.out(`✓ ${file}\n`);
  terminal.out(`${files.length} file${files.length === 1 ? '' : 's'} valid\n`);
  return EXIT.OK;
}
