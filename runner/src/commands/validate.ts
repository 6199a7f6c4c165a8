// From @sortie/project, not @sortie/api: the same function (api's `validate` is loadPlan without
// `env`), without loading the engine and reporters into a command that runs nothing.
import { loadPlan, type PlanInputs } from '@sortie/project';
import { sanitizeTerminalLine } from '@sortie/reporters';
import type { ValidateArgs } from '../args.js';
import { EXIT, type Terminal } from '../terminal.js';

/**
 * `sortie validate`: checks the project file, the environment (-e or the project's default) and the
 * scenarios — without looking up secret values — and prints one line per valid file. Errors are
 * thrown to the CLI.
 */
export async function validateCommand(args: ValidateArgs, terminal: Terminal): Promise<number> {
  const inputs: PlanInputs = { paths: args.files, cwd: terminal.cwd, scripts: args.scripts };
  if (args.env !== undefined) inputs.environment = args.env;
  if (args.iterationData !== undefined) inputs.iterationData = args.iterationData;
  if (args.folders.length > 0) inputs.folders = args.folders;
  const plan = await loadPlan(inputs);
  // A globals file is checked as `sortie run -g` reads it (the Postman converter loads only then).
  if (args.globalsFile !== undefined) await (await import('@sortie/postman')).readGlobalsFile(args.globalsFile, { cwd: terminal.cwd });
  const files = [
    plan.project?.file,
    plan.environmentFile?.file,
    ...plan.scenarios.map((s) => s.file),
    ...(args.iterationData === undefined ? [] : [args.iterationData]),
    ...(args.globalsFile === undefined ? [] : [args.globalsFile]),
  ].filter((file): file is string => file !== undefined);
  // A file name is printed as the CLI reporter prints it: no terminal escape, one line.
  for (const file of files) terminal.out(`✓ ${sanitizeTerminalLine(file)}\n`);
  terminal.out(`${files.length} file${files.length === 1 ? '' : 's'} valid\n`);
  return EXIT.OK;
}
