/**
 * Runs one collection with Newman 6 (its library API) and with Sortie (`loadPlanWithSecrets` + `run`,
 * what `sortie run` does, `-g` included), and lists every test of each as `<request> :: <test> :: passed|failed`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadPlanWithSecrets, type PlanInputs, type RunResult, run } from '@sortie/api';
import { ROOT } from '@sortie/testkit';
import { readGlobalsFile } from '../src/index.js';

export const POSTMAN_FIXTURES = join(ROOT, 'fixtures', 'postman');

export interface SideBySideRun {
  collection: string;
  environment?: string;
  /** A globals export (`-g`), given to both. */
  globals?: string;
  iterationData?: string;
  folders?: string[];
  envVars?: Record<string, string>;
}

interface NewmanAssertionArgs {
  item: { name: string };
  assertion: string;
}

interface NewmanEmitter {
  on(event: 'assertion', listener: (error: Error | null, args: NewmanAssertionArgs) => void): NewmanEmitter;
}

type NewmanRun = (options: Record<string, unknown>, callback: (error: Error | null) => void) => NewmanEmitter;

const newman = createRequire(import.meta.url)('newman') as { run: NewmanRun };

/** Newman's tests, in the order they ran. */
export function runNewman(spec: SideBySideRun): Promise<string[]> {
  const tests: string[] = [];
  const options: Record<string, unknown> = {
    collection: join(POSTMAN_FIXTURES, spec.collection),
    workingDir: POSTMAN_FIXTURES,
    reporters: [],
    envVar: Object.entries(spec.envVars ?? {}).map(([key, value]) => ({ key, value })),
  };
  if (spec.environment !== undefined) options.environment = join(POSTMAN_FIXTURES, spec.environment);
  if (spec.globals !== undefined) options.globals = join(POSTMAN_FIXTURES, spec.globals);
  if (spec.iterationData !== undefined) options.iterationData = join(POSTMAN_FIXTURES, spec.iterationData);
  if (spec.folders !== undefined) options.folder = spec.folders;
  return new Promise((resolve, reject) => {
    newman
      .run(options, (error) => (error ? reject(error) : resolve(tests)))
      .on('assertion', (error, args) => tests.push(`${args.item.name} :: ${args.assertion} :: ${error ? 'failed' : 'passed'}`));
  });
}

/** Sortie's tests (pm.test results of every request step), in the order they ran, and the run result. */
export async function runSortie(spec: SideBySideRun): Promise<{ tests: string[]; result: RunResult }> {
  const inputs: PlanInputs = {
    paths: [join('fixtures', 'postman', spec.collection)],
    cwd: ROOT,
    env: {},
    secretOverrides: spec.envVars ?? {},
  };
  if (spec.environment !== undefined) inputs.environment = join('fixtures', 'postman', spec.environment);
  if (spec.iterationData !== undefined) inputs.iterationData = join('fixtures', 'postman', spec.iterationData);
  if (spec.folders !== undefined) inputs.folders = spec.folders;
  const { plan, secrets } = await loadPlanWithSecrets(inputs);
  // -g as `sortie run` reads it: the file's variables and its secrets are global variables.
  const globalsFile = spec.globals === undefined ? undefined : await readGlobalsFile(join(POSTMAN_FIXTURES, spec.globals));
  const tests: string[] = [];
  const result = await run(plan, {
    env: {},
    secrets,
    ...(globalsFile === undefined ? {} : { globals: { ...stringValues(globalsFile.variables), ...globalsFile.secrets } }),
    envVars: spec.envVars ?? {},
    onEvent: (event) => {
      if (event.type !== 'step:end' || event.result.kind !== 'request') return;
      for (const assertion of event.result.assertions) {
        tests.push(`${event.result.name} :: ${assertion.name ?? assertion.selector} :: ${assertion.passed ? 'passed' : 'failed'}`);
      }
    },
  });
  return { tests, result };
}

function stringValues(variables: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}
