import type { ValidateArgs } from '../args.js';
import { loadInputs } from '../load-inputs.js';
import { EXIT, type Terminal } from '../terminal.js';

/**
 * `sortie validate`: checks the project file, the environment (-e or the project's default) and the
 * scenarios — without looking up secret values — and prints one line per valid file. Errors are
 * thrown to the CLI.
 */
export async function validateCommand(args: ValidateArgs, terminal: Terminal): Promise<number> {
  const options: Parameters<typeof loadInputs>[1] = { cwd: terminal.cwd, env: terminal.env, resolveSecrets: false, scripts: args.scripts };
  if (args.env !== undefined) options.environment = args.env;
  const { config, scenarios } = await loadInputs(args.files, options);
  const files = [config.project?.file, config.environmentFile?.file, ...scenarios.map((s) => s.file)].filter(
    (file): file is string => file !== undefined,
  );
  for (const file of files) terminal.out(`✓ ${file}\n`);
  terminal.out(`${files.length} file${files.length === 1 ? '' : 's'} valid\n`);
  return EXIT.OK;
}
