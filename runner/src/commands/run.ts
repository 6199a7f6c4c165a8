import { existsSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import {
  createCliReporter,
  createHtmlReporter,
  createJsonReporter,
  createJunitReporter,
  ErrorCode,
  type LiveStatusOptions,
  loadPlanWithSecrets,
  type PlanInputs,
  type PlanNote,
  Redactor,
  type Reporter,
  type RunPlan,
  type RunSettings,
  resolvePlanSecrets,
  run,
  SortieError,
} from '@sortie/api';
import { fileReadReason, findDeselectedSteps, formatError, type RunEvent, readRegularFile, VERSION } from '@sortie/core';
import { Variables } from '@sortie/template';
import type { ReporterName, RunArgs } from '../args.js';
import { collectExportableVariables, writeVariablesFile } from '../export-variables.js';
import { plannedLeafSteps } from '../planned-steps.js';
import { readVariablesFiles, resolveFlagSettings } from '../run-flag-settings.js';
import { selectScenarios } from '../select-scenarios.js';
import { EXIT, type Terminal, useColor } from '../terminal.js';
import { resolveTokenCacheFile } from '../token-cache.js';
import { refuseUnwritablePath } from '../write-output.js';

/** Steps after which `run` tells the terminal the run is long (main.ts then tiers V8 up sooner: tiering.ts). */
const LONG_RUN_STEPS = 50;

const DEFAULT_OUT_DIR = 'sortie-reports';

/** `sortie run`: loads the run plan (every input validated), runs it with the reporters, exports variables. Returns the exit code. */
export async function runCommand(given: RunArgs, terminal: Terminal, signal?: AbortSignal): Promise<number> {
  // --variables-file: like --env-var for each line; --env-var / --variable win.
  const args: RunArgs = { ...given, envVars: { ...(await readVariablesFiles(given.variablesFiles, terminal.cwd)), ...given.envVars } };
  const exports = {
    '--export-environment': args.exportEnvironment,
    '--export-globals': args.exportGlobals,
    '--export-cookie-jar': args.exportCookieJar,
  };
  for (const [flag, file] of Object.entries(exports)) if (file !== undefined) refuseUnwritablePath(terminal.cwd, file, flag);
  const inputs: PlanInputs = {
    paths: args.files,
    cwd: terminal.cwd,
    env: terminal.env,
    scripts: args.scripts,
    secretOverrides: args.envVars,
  };
  if (args.env !== undefined) inputs.environment = args.env;
  if (args.iterationData !== undefined) inputs.iterationData = args.iterationData;
  if (args.folders.length > 0) inputs.folders = args.folders;
  if (args.workingDir !== undefined) inputs.workingDir = args.workingDir;
  // The Postman converter (and its SDK) loads only when a globals file is given.
  const globalsFile =
    args.globalsFile === undefined
      ? undefined
      : await (await import('@sortie/postman')).readGlobalsFile(args.globalsFile, { cwd: terminal.cwd });
  const loaded = await loadPlanWithSecrets(inputs);
  const plan = selectScenarios(loaded.plan, args);
  printNotes(loaded.notes, terminal);
  const ca = await Promise.all(args.ca.map((file) => readCa(resolve(terminal.cwd, file), file)));
  // Secret values of the input files (a Postman environment's values typed secret); --env-var wins.
  const secrets = await resolvePlanSecrets(plan, { env: terminal.env, overrides: { ...loaded.secrets, ...args.envVars } });
  // Secrets are known to the redactor before anything runs or prints.
  const redactor = new Redactor();
  for (const value of Object.values(secrets)) redactor.add(value);
  for (const value of [...Object.values(globalsFile?.secrets ?? {}), ...loaded.redact]) redactor.add(value);
  const flagOptions = await resolveFlagSettings(args, terminal.cwd, redactor);
  // Every input is read: from here an interrupt finishes the current step and writes the reports.
  terminal.stopsGracefully?.();
  const variables = new Variables();
  // --json: the JSON report goes to a private file first, then to stdout once complete.
  const jsonDir = args.json ? await mkdtemp(join(tmpdir(), 'sortie-json-')) : undefined;
  const jsonFile = jsonDir === undefined ? undefined : join(jsonDir, 'report.json');
  // --timeout: the whole run stops like an interrupt when its time is up.
  const deadline = args.timeoutRun === undefined ? undefined : AbortSignal.timeout(args.timeoutRun);
  const runSignal = deadline === undefined ? signal : signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
  let stepsRun = 0;
  /** A step met something the installation lacks (an optional native module, a file of the package). */
  let unavailable = false;
  const settings: RunSettings = {
    secrets,
    redactor,
    variables,
    reporters: createReporters(args, plan, terminal, redactor, jsonFile),
    onEvent: (event: RunEvent) => {
      if (event.type !== 'step:end') return;
      if (++stepsRun === LONG_RUN_STEPS) terminal.longRun?.();
      if (event.result.error?.code === ErrorCode.NOT_INSTALLED) unavailable = true;
    },
    envVars: args.envVars,
    // -g's values with their JSON types, as Newman keeps them (secret ones included, redacted like
    // every secret), then --global-var over them.
    globals: { ...globalsFile?.variables, ...globalsFile?.secrets, ...args.globals },
    ca,
    options: {
      bail: args.bail,
      // The reporters list every run themselves (from scenario:end, in planned order) and the summary
      // counts the others from omittedCounts: the run result keeps only the runs that did not simply pass.
      keepResults: 'problems',
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
      ...(args.maxResponseBytes === undefined ? {} : { maxResponseBytes: args.maxResponseBytes }),
      // --timeout / --timeout-run: the run stops as after an interrupt when its time is up (teardowns and
      // afterAll still run, within --teardown-grace).
      ...(runSignal === undefined ? {} : { signal: runSignal }),
      // …and no request of the test waits past it.
      ...(args.timeoutRun === undefined ? {} : { deadline: Date.now() + args.timeoutRun }),
      ...flagOptions,
      ...(args.retryFailed === undefined ? {} : { retryFailed: args.retryFailed }),
      ...(args.failOnFlaky ? { failOnFlaky: true } : {}),
      ...(args.teardownGrace === undefined ? {} : { teardownGrace: args.teardownGrace }),
      ...(terminal.sandboxLibrariesDir === undefined ? {} : { sandboxLibrariesDir: terminal.sandboxLibrariesDir }),
      // Ctrl-C / SIGTERM interrupt this run: a script that keeps the thread busy stops at once.
      scriptsStopOnSignals: true,
    },
  };
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run(plan, settings);
    // The report is renamed into place once complete: when one could not be written, it may be this one.
    if (jsonFile !== undefined && (result.reportErrors === undefined || existsSync(jsonFile)))
      terminal.out(await readFile(jsonFile, 'utf8'));
  } finally {
    if (jsonDir !== undefined) await rm(jsonDir, { recursive: true, force: true });
  }
  await exportVariables(args, plan, variables, redactor);
  // A report that could not be written: said after the run's own output (the summary, the other
  // reports, the exported variables all done), and exit code 2, as the run's outcome cannot reach CI.
  for (const error of result.reportErrors ?? []) terminal.err(formatError(error, { style: 'cli' }));
  if (result.reportErrors !== undefined) return EXIT.INVALID;
  // What the installation lacks is not the API's failure: exit code 2, as for invalid input, and said
  // once more at the end (the step's error in the report says what to install).
  if (unavailable || result.scenarios.some((scenario) => scenario.error?.code === ErrorCode.NOT_INSTALLED)) {
    terminal.err('error: the run needs something this installation of sortie lacks (see the errors above): nothing was tested there\n');
    return EXIT.INVALID;
  }
  let code: number = result.status === 'passed' || result.status === 'skipped' ? EXIT.OK : EXIT.FAILED;
  if (signal?.aborted) {
    terminal.err('Interrupted: the run did not finish, so it did not pass.\n');
    code = EXIT.FAILED;
  } else if (deadline?.aborted) {
    terminal.err(`Timed out: the run took longer than --timeout ${args.timeoutRun} ms, so it did not pass.\n`);
    code = EXIT.FAILED;
  }
  // -x / --suppress-exit-code: a failed run still exits 0 (invalid input still exits 2, before this).
  return args.suppressExitCode ? EXIT.OK : code;
}

/** Notes about Postman inputs, on stderr before the run: items that cannot run, settings applied differently. */
function printNotes(notes: readonly PlanNote[], terminal: Terminal): void {
  for (const note of notes) {
    const what = note.level === 'error' ? 'cannot run' : 'runs differently from Newman';
    terminal.err(`warning: ${note.file}: "${note.path}" ${what}: ${note.message}\n`);
  }
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
 * --report-html, --report-junit and --report-json add their reporter, writing to their file. The cli reporter
 * prints nothing with --silent and --json (which puts the JSON report on stdout, see `jsonFile`), only problems with -q.
 */
function createReporters(args: RunArgs, plan: RunPlan, terminal: Terminal, redactor: Redactor, jsonFile: string | undefined): Reporter[] {
  const project = plan.project;
  const names: ReporterName[] = [
    ...(args.reporters ?? project?.value.reporters ?? ['cli']),
    ...(args.reportHtml === undefined ? [] : ['html' as const]),
    ...(args.reportJunit === undefined ? [] : ['junit' as const]),
    ...(args.reportJson === undefined ? [] : ['json' as const]),
  ];
  const projectDir = project === undefined ? undefined : resolve(plan.root, project.file, '..');
  const projectOutDir =
    projectDir === undefined || project?.value.outDir === undefined
      ? undefined
      : relative(terminal.cwd, resolve(projectDir, project.value.outDir));
  const outDir = args.outDir ?? (projectOutDir === '' ? '.' : projectOutDir) ?? DEFAULT_OUT_DIR;
  const reporters: Reporter[] = [];
  if (jsonFile !== undefined) reporters.push(createJsonReporter({ file: jsonFile, redactor, toolVersion: VERSION }));
  // A report written into the out dir is named by what chose that folder (`--out-dir afile` is what to fix), else by its -r.
  const outDirFlag = (name: string) =>
    args.outDir !== undefined
      ? `--out-dir (-r ${name})`
      : projectOutDir !== undefined
        ? `outDir of ${project?.file} (-r ${name})`
        : `-r ${name}`;
  const files = {
    html: {
      file: args.reportHtml ?? join(outDir, 'report.html'),
      flag: args.reportHtml === undefined ? outDirFlag('html') : '--report-html',
    },
    json: {
      file: args.reportJson ?? join(outDir, 'report.json'),
      flag: args.reportJson === undefined ? outDirFlag('json') : '--report-json',
    },
    junit: {
      file: args.reportJunit ?? join(outDir, 'junit.xml'),
      flag: args.reportJunit === undefined ? outDirFlag('junit') : '--report-junit',
    },
  };
  const reportFiles = [...new Set(names)].flatMap((name) => (name === 'cli' ? [] : [files[name]]));
  refuseSharedReportFiles(
    [
      ...reportFiles,
      ...(args.exportEnvironment === undefined ? [] : [{ file: args.exportEnvironment, flag: '--export-environment' }]),
      ...(args.exportGlobals === undefined ? [] : [{ file: args.exportGlobals, flag: '--export-globals' }]),
      ...(args.exportCookieJar === undefined ? [] : [{ file: args.exportCookieJar, flag: '--export-cookie-jar' }]),
    ],
    terminal.cwd,
  );
  for (const { file, flag } of reportFiles) refuseUnwritablePath(terminal.cwd, file, flag);
  for (const name of new Set(names)) {
    if (name === 'cli') {
      if (args.output === 'silent') continue;
      reporters.push(
        createCliReporter({
          write: (text) => terminal.out(text),
          color: useColor(terminal, args.color),
          verbose: args.verbose,
          redactor,
          quiet: args.output === 'quiet',
          ...(watched(terminal) ? { live: liveOptions(args, plan, terminal) } : {}),
        }),
      );
    } else if (name === 'html') {
      const file = plan.environmentFile;
      const environment = file?.value.name ?? (file === undefined ? undefined : basename(file.file, extname(file.file)));
      const options = { file: files.html.file, redactor, toolVersion: VERSION };
      reporters.push(createHtmlReporter(environment === undefined ? options : { ...options, environment }));
    } else if (name === 'json') {
      reporters.push(createJsonReporter({ file: files.json.file, redactor, toolVersion: VERSION }));
    } else {
      reporters.push(createJunitReporter({ file: files.junit.file, redactor, toolVersion: VERSION }));
    }
  }
  return reporters;
}

/**
 * Two reports or exports given one file (`--report-json r.out --report-junit r.out`, `-r json
 * --export-environment sortie-reports/report.json`) would overwrite each other at the end of the
 * run: refused before it starts (exit 2). A device or a pipe (`/dev/null`) may take several. Paths
 * are compared as the file system resolves them: through a symbolic link to the out-dir, the JSON
 * report was replaced by the JUnit XML (both wrote `report.json.partial`) and its own rename failed.
 */
function refuseSharedReportFiles(reports: ReadonlyArray<{ file: string; flag: string }>, cwd: string): void {
  const seen = new Map<string, string>();
  for (const { file, flag } of reports) {
    const path = realPathOf(resolve(cwd, file));
    const other = seen.get(path);
    const stats = other === undefined ? undefined : statSync(path, { throwIfNoEntry: false });
    if (other !== undefined && (stats === undefined || stats.isFile() || stats.isDirectory()))
      throw new SortieError(ErrorCode.USAGE, 'Usage error', `${other} and ${flag} both write ${file}`, {
        hint: 'give each report and export a file of its own',
      });
    seen.set(path, flag);
  }
}

/** `path` with its nearest existing ancestor's symbolic links resolved (the file and its folders may not exist yet). */
function realPathOf(path: string): string {
  let rest = '';
  let at = path;
  for (;;) {
    try {
      return join(realpathSync.native(at), rest);
    } catch {
      const parent = dirname(at);
      if (parent === at) return path;
      rest = join(basename(at), rest);
      at = parent;
    }
  }
}

/** A person watches the output: a terminal, not CI, not TERM=dumb. */
function watched(terminal: Terminal): boolean {
  return terminal.isTTY && terminal.env.CI === undefined && terminal.env.TERM !== 'dumb';
}

/**
 * The live status area: the terminal's width and the steps the run will run, for the progress bar: every
 * leaf step when each scenario's size is known in advance (loops with a count, forEach over an array;
 * see plannedLeafSteps), else the top-level steps.
 */
function liveOptions(args: RunArgs, plan: RunPlan, terminal: Terminal): LiveStatusOptions {
  const runs = Math.max(1, args.iterations ?? plan.iterationData?.rows ?? 1);
  const leaves = plan.scenarios.map(({ value }) => plannedLeafSteps(value, args.tags));
  let options: LiveStatusOptions;
  if (leaves.every((count) => count !== undefined)) {
    options = { plannedSteps: leaves.reduce((total, count) => total + count, 0) * runs, countLeafSteps: true };
  } else {
    let steps = 0;
    for (const { value } of plan.scenarios) {
      const deselected = findDeselectedSteps(value, args.tags);
      steps += value.steps.filter((step) => !deselected.has(step)).length;
    }
    options = { plannedSteps: steps * runs };
  }
  if (terminal.columns !== undefined) options.columns = terminal.columns;
  return options;
}

async function readCa(path: string, file: string): Promise<string> {
  try {
    return await readRegularFile(path, 'utf8');
  } catch (error) {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read CA file ${file}: ${fileReadReason(error)}`);
  }
}
