import { readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import {
  createCliReporter,
  createHtmlReporter,
  createJsonReporter,
  createJunitReporter,
  ErrorCode,
  loadPlan,
  type PlanInputs,
  Redactor,
  type Reporter,
  type RunPlan,
  type RunSettings,
  resolvePlanSecrets,
  run,
  SortieError,
} from '@sortie/api';
import { Variables } from '@sortie/template';
import type { ReporterName, RunArgs } from '../args.js';
import { collectExportableVariables, writeVariablesFile } from '../export-variables.js';
import { EXIT, type Terminal, useColor } from '../terminal.js';
import { resolveTokenCacheFile } from '../token-cache.js';
import { VERSION } from '../version.js';

const DEFAULT_OUT_DIR = 'sortie-reports';

/** `sortie run`: loads the run plan (every input validated), runs it with the reporters, exports variables. Returns the exit code. */
export async function runCommand(args: RunArgs, terminal: Terminal, signal?: AbortSignal): Promise<number> {
  const inputs: PlanInputs = {
    paths: args.files,
    cwd: terminal.cwd,
    env: terminal.env,
    scripts: args.scripts,
    secretOverrides: args.envVars,
  };
  if (args.env !== undefined) inputs.environment = args.env;
  if (args.iterationData !== undefined) inputs.iterationData = args.iterationData;
  const plan = await loadPlan(inputs);
  const ca = await Promise.all(args.ca.map((file) => readCa(resolve(terminal.cwd, file), file)));
  const secrets = await resolvePlanSecrets(plan, { env: terminal.env, overrides: args.envVars });
  // Secrets are known to the redactor before anything runs or prints.
  const redactor = new Redactor();
  for (const value of Object.values(secrets)) redactor.add(value);
  const variables = new Variables();
  const settings: RunSettings = {
    secrets,
    redactor,
    variables,
    reporters: createReporters(args, plan, terminal, redactor),
    envVars: args.envVars,
    globals: args.globals,
    ca,
    options: {
      bail: args.bail,
      insecure: args.insecure,
      strictVariables: !args.allowUnresolved,
      tokenCache: tokenCacheOptions(args, terminal),
      interactive: terminal.isTTY && terminal.env.CI === undefined,
      ...(args.iterations === undefined ? {} : { iterations: args.iterations }),
      ...(args.parallel === undefined ? {} : { parallel: args.parallel }),
      ...(args.cookies ? {} : { cookies: false }),
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      ...(args.locale === undefined ? {} : { locale: args.locale }),
      ...(args.timeoutRequest === undefined ? {} : { timeoutRequest: args.timeoutRequest }),
      ...(args.retryFailed === undefined ? {} : { retryFailed: args.retryFailed }),
      ...(args.failOnFlaky ? { failOnFlaky: true } : {}),
      ...(args.teardownGrace === undefined ? {} : { teardownGrace: args.teardownGrace }),
      ...(args.timeoutRun === undefined ? {} : { timeoutRun: args.timeoutRun }),
      ...(signal === undefined ? {} : { signal }),
      ...(terminal.sandboxLibrariesDir === undefined ? {} : { sandboxLibrariesDir: terminal.sandboxLibrariesDir }),
    },
  };
  const result = await run(plan, settings);
  await exportVariables(args, plan, variables, redactor);
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
function tokenCacheOptions(args: RunArgs, terminal: Terminal): { file: string; key?: string; all?: boolean } {
  const file = resolveTokenCacheFile(terminal);
  const key = terminal.env.SORTIE_TOKEN_KEY;
  return key === undefined || key === '' ? { file, all: args.tokenCache } : { file, key, all: args.tokenCache };
}

async function exportVariables(args: RunArgs, plan: RunPlan, shared: Variables, redactor: Redactor): Promise<void> {
  if (args.exportEnvironment !== undefined) {
    const file = plan.environmentFile;
    const name = file?.value.name ?? (file === undefined ? 'environment' : basename(file.file, extname(file.file)));
    await writeVariablesFile(args.exportEnvironment, { name, variables: collectExportableVariables(shared, 'environment', redactor) });
  }
  if (args.exportGlobals !== undefined) {
    await writeVariablesFile(args.exportGlobals, { name: 'globals', variables: collectExportableVariables(shared, 'global', redactor) });
  }
}

/**
 * -r and --out-dir, else the project's reporters and outDir (relative to the project file), else cli and sortie-reports.
 * --report-html adds the html reporter, writing to its file.
 */
function createReporters(args: RunArgs, plan: RunPlan, terminal: Terminal, redactor: Redactor): Reporter[] {
  const project = plan.project;
  const names: ReporterName[] = [
    ...(args.reporters ?? project?.value.reporters ?? ['cli']),
    ...(args.reportHtml === undefined ? [] : ['html' as const]),
  ];
  const projectDir = project === undefined ? undefined : resolve(plan.root, project.file, '..');
  const projectOutDir =
    projectDir === undefined || project?.value.outDir === undefined
      ? undefined
      : relative(terminal.cwd, resolve(projectDir, project.value.outDir));
  const outDir = args.outDir ?? (projectOutDir === '' ? '.' : projectOutDir) ?? DEFAULT_OUT_DIR;
  const reporters: Reporter[] = [];
  for (const name of new Set(names)) {
    if (name === 'cli') {
      reporters.push(
        createCliReporter({ write: (text) => terminal.out(text), color: useColor(terminal, args.color), verbose: args.verbose, redactor }),
      );
    } else if (name === 'html') {
      const file = plan.environmentFile;
      const environment = file?.value.name ?? (file === undefined ? undefined : basename(file.file, extname(file.file)));
      const options = { file: args.reportHtml ?? join(outDir, 'report.html'), redactor, toolVersion: VERSION };
      reporters.push(createHtmlReporter(environment === undefined ? options : { ...options, environment }));
    } else if (name === 'json') {
      reporters.push(createJsonReporter({ file: join(outDir, 'report.json'), redactor, toolVersion: VERSION }));
    } else {
      reporters.push(createJunitReporter({ file: join(outDir, 'junit.xml'), redactor, toolVersion: VERSION }));
    }
  }
  return reporters;
}

async function readCa(path: string, file: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read CA file ${file}`);
  }
}
