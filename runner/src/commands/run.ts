import { readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { RunConfig } from '@sortie/config';
import { ErrorCode, Redactor, type RunEvent, SortieError } from '@sortie/core';
import { type RunOptions, runScenarios } from '@sortie/engine';
import {
  closeReporters,
  createCliReporter,
  createJsonReporter,
  createJunitReporter,
  dispatchEvent,
  type Reporter,
} from '@sortie/reporters';
import { Variables } from '@sortie/template';
import type { ReporterName, RunArgs } from '../args.js';
import { collectExportableVariables, writeVariablesFile } from '../export-variables.js';
import { loadInputs } from '../load-inputs.js';
import { EXIT, type Terminal, useColor } from '../terminal.js';
import { VERSION } from '../version.js';
import { resolveTokenCacheFile } from './auth.js';

const DEFAULT_OUT_DIR = 'sortie-reports';

/** `sortie run`: validates every input, runs, reports, exports variables. Returns the exit code. */
export async function runCommand(args: RunArgs, terminal: Terminal, signal?: AbortSignal): Promise<number> {
  const inputOptions: Parameters<typeof loadInputs>[1] = { cwd: terminal.cwd, env: terminal.env };
  if (args.env !== undefined) inputOptions.environment = args.env;
  if (args.iterationData !== undefined) inputOptions.iterationData = args.iterationData;
  inputOptions.scripts = args.scripts;
  const inputs = await loadInputs(args.files, inputOptions);
  const { config } = inputs;
  const ca = await Promise.all(args.ca.map((file) => readCa(file)));
  // Secrets are known to the redactor before anything runs or prints.
  const redactor = new Redactor();
  const shared = createSharedVariables(config, args, redactor);
  const reporters = createReporters(args, config, terminal, redactor);
  const options: RunOptions = {
    scenarios: inputs.scenarios,
    envVars: { ...config.secrets, ...args.envVars },
    globals: args.globals,
    sharedVariables: shared,
    redactor,
    bail: args.bail,
    insecure: args.insecure,
    strictVariables: !args.allowUnresolved,
    onEvent: (event: RunEvent) => dispatchEvent(reporters, event),
  };
  if (config.environment !== undefined) options.environment = config.environment;
  if (inputs.iterationData !== undefined) options.iterationData = inputs.iterationData;
  if (args.iterations !== undefined) options.iterations = args.iterations;
  if (args.parallel !== undefined) options.parallel = args.parallel;
  if (!args.cookies) options.cookies = false;
  if (ca.length > 0) options.ca = ca;
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.locale !== undefined) options.locale = args.locale;
  if (args.timeoutRequest !== undefined) options.timeoutRequest = args.timeoutRequest;
  if (signal !== undefined) options.signal = signal;
  options.scriptLibraries = inputs.libraries.scriptLibraries;
  options.projectDir = inputs.libraries.projectDir;
  options.tokenCache = tokenCacheOptions(args, terminal);
  options.interactive = terminal.isTTY && terminal.env.CI === undefined;
  const result = await runScenarios(options);
  await closeReporters(reporters);
  await exportVariables(args, config, shared, redactor);
  if (signal?.aborted) {
    terminal.err('Interrupted: the run did not finish, so it did not pass.\n');
    return EXIT.FAILED;
  }
  return result.status === 'passed' || result.status === 'skipped' ? EXIT.OK : EXIT.FAILED;
}

/**
 * OAuth tokens persist across runs in the encrypted token cache: always for profiles with
 * `cache: true`, for every profile with --token-cache. Without SORTIE_TOKEN_KEY nothing is written.
 */
function tokenCacheOptions(args: RunArgs, terminal: Terminal): NonNullable<RunOptions['tokenCache']> {
  const file = resolveTokenCacheFile({ command: 'auth', action: 'status', envVars: {}, noBrowser: false }, terminal);
  const key = terminal.env.SORTIE_TOKEN_KEY;
  return key === undefined || key === '' ? { file, all: args.tokenCache } : { file, key, all: args.tokenCache };
}

/**
 * The environment and global scopes the run shares: project variables as globals (the engine puts
 * --global-var over them), secret names marked secret and their values registered with the redactor
 * (also when --env-var overrides one).
 */
function createSharedVariables(config: RunConfig, args: RunArgs, redactor: Redactor): Variables {
  const shared = new Variables();
  for (const [name, value] of Object.entries(config.project?.value.variables ?? {})) shared.set('global', name, value);
  for (const [name, value] of Object.entries(config.secrets)) {
    shared.markSecret(name);
    redactor.add(value);
  }
  for (const [name, value] of Object.entries(args.envVars)) if (shared.isSecret(name)) redactor.add(value);
  return shared;
}

async function exportVariables(args: RunArgs, config: RunConfig, shared: Variables, redactor: Redactor): Promise<void> {
  if (args.exportEnvironment !== undefined) {
    const file = config.environmentFile;
    const name = file?.value.name ?? (file === undefined ? 'environment' : basename(file.file, extname(file.file)));
    await writeVariablesFile(args.exportEnvironment, { name, variables: collectExportableVariables(shared, 'environment', redactor) });
  }
  if (args.exportGlobals !== undefined) {
    await writeVariablesFile(args.exportGlobals, { name: 'globals', variables: collectExportableVariables(shared, 'global', redactor) });
  }
}

/** -r and --out-dir, else the project's reporters and outDir (relative to the project file), else cli and sortie-reports. */
function createReporters(args: RunArgs, config: RunConfig, terminal: Terminal, redactor: Redactor): Reporter[] {
  const project = config.project;
  const names: ReporterName[] = args.reporters ?? project?.value.reporters ?? ['cli'];
  const projectOutDir =
    project?.value.outDir === undefined ? undefined : relative(terminal.cwd, resolve(project.dir, project.value.outDir));
  const outDir = args.outDir ?? (projectOutDir === '' ? '.' : projectOutDir) ?? DEFAULT_OUT_DIR;
  const reporters: Reporter[] = [];
  for (const name of new Set(names)) {
    if (name === 'cli') {
      reporters.push(
        createCliReporter({ write: (text) => terminal.out(text), color: useColor(terminal, args.color), verbose: args.verbose, redactor }),
      );
    } else if (name === 'json') {
      reporters.push(createJsonReporter({ file: join(outDir, 'report.json'), redactor, toolVersion: VERSION }));
    } else {
      reporters.push(createJunitReporter({ file: join(outDir, 'junit.xml'), redactor, toolVersion: VERSION }));
    }
  }
  return reporters;
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read CA file ${file}`);
  }
}
