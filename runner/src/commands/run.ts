import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, Redactor, type RunEvent, SortieError } from '@sortie/core';
import { type RunOptions, runScenarios } from '@sortie/engine';
import { createCliReporter, createJsonReporter, createJunitReporter, type Reporter } from '@sortie/reporters';
import type { RunArgs } from '../args.js';
import { loadInputs } from '../load-inputs.js';
import { EXIT, type Terminal, useColor } from '../terminal.js';
import { VERSION } from '../version.js';

/** `sortie run`: validates every input, runs, reports. Returns the exit code. */
export async function runCommand(args: RunArgs, terminal: Terminal, signal?: AbortSignal): Promise<number> {
  const inputs = await loadInputs(args.files, args.env);
  const ca = await Promise.all(args.ca.map((file) => readCa(file)));
  const redactor = new Redactor();
  const reporters = createReporters(args, terminal, redactor);
  const options: RunOptions = {
    scenarios: inputs.scenarios,
    envVars: args.envVars,
    globals: args.globals,
    redactor,
    bail: args.bail,
    insecure: args.insecure,
    strictVariables: !args.allowUnresolved,
    onEvent: (event: RunEvent) => {
      for (const reporter of reporters) reporter.onEvent(event);
    },
  };
  if (inputs.environment !== undefined) options.environment = inputs.environment;
  if (ca.length > 0) options.ca = ca;
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.locale !== undefined) options.locale = args.locale;
  if (args.timeoutRequest !== undefined) options.timeoutRequest = args.timeoutRequest;
  if (signal !== undefined) options.signal = signal;
  const result = await runScenarios(options);
  await Promise.all(reporters.map((r) => r.close()));
  return result.status === 'passed' || result.status === 'skipped' ? EXIT.OK : EXIT.FAILED;
}

function createReporters(args: RunArgs, terminal: Terminal, redactor: Redactor): Reporter[] {
  const reporters: Reporter[] = [];
  for (const name of args.reporters) {
    if (name === 'cli') {
      reporters.push(
        createCliReporter({ write: (text) => terminal.out(text), color: useColor(terminal, args.color), verbose: args.verbose, redactor }),
      );
    } else if (name === 'json') {
      reporters.push(createJsonReporter({ file: join(args.outDir, 'report.json'), redactor, toolVersion: VERSION }));
    } else {
      reporters.push(createJunitReporter({ file: join(args.outDir, 'junit.xml'), redactor, toolVersion: VERSION }));
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
