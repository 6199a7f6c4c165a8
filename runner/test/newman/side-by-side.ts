/**
 * Runs one collection with Newman 6 (its library API) and with Sortie (`loadPlanWithSecrets` + `run`,
 * what `sortie run` does, `-g` included), and lists every test of each as `<request> :: <test> :: passed|failed`.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { loadPlanWithSecrets, type PlanInputs, type RunResult, run } from '@sortie/api';
import { readGlobalsFile } from '@sortie/postman';
import { ROOT } from '@sortie/testkit';

export const POSTMAN_FIXTURES = join(ROOT, 'fixtures', 'postman');

export interface SideBySideRun {
  /** Relative to fixtures/postman, or absolute. */
  collection: string;
  environment?: string;
  /** A globals export (`-g`), given to both. */
  globals?: string;
  iterationData?: string;
  /** `-n`. */
  iterations?: number;
  folders?: string[];
  envVars?: Record<string, string>;
}

interface NewmanAssertionArgs {
  item: { name: string };
  assertion: string;
  /** pm.test.skip */
  skipped?: boolean;
}

interface NewmanRequestArgs {
  item: { name: string };
  response?: { code: number };
}

interface NewmanEmitter {
  on(event: 'assertion', listener: (error: Error | null, args: NewmanAssertionArgs) => void): NewmanEmitter;
  on(event: 'request', listener: (error: Error | null, args: NewmanRequestArgs) => void): NewmanEmitter;
}

type NewmanRun = (options: Record<string, unknown>, callback: (error: Error | null) => void) => NewmanEmitter;

const newman = createRequire(import.meta.url)('newman') as { run: NewmanRun };

/** Newman's tests, in the order they ran. */
export async function runNewman(spec: SideBySideRun): Promise<string[]> {
  return (await runNewmanWithRequests(spec)).tests;
}

/** Newman's tests and its requests (`<request> :: <status code>`, or `:: error`), in the order they ran. */
export function runNewmanWithRequests(spec: SideBySideRun): Promise<{ tests: string[]; requests: string[] }> {
  const tests: string[] = [];
  const requests: string[] = [];
  const options: Record<string, unknown> = {
    collection: resolve(POSTMAN_FIXTURES, spec.collection),
    workingDir: POSTMAN_FIXTURES,
    reporters: [],
    envVar: Object.entries(spec.envVars ?? {}).map(([key, value]) => ({ key, value })),
  };
  if (spec.environment !== undefined) options.environment = join(POSTMAN_FIXTURES, spec.environment);
  if (spec.globals !== undefined) options.globals = join(POSTMAN_FIXTURES, spec.globals);
  if (spec.iterationData !== undefined) options.iterationData = join(POSTMAN_FIXTURES, spec.iterationData);
  if (spec.folders !== undefined) options.folder = spec.folders;
  if (spec.iterations !== undefined) options.iterationCount = spec.iterations;
  return new Promise((done, reject) => {
    newman
      .run(options, (error) => (error ? reject(error) : done({ tests, requests })))
      .on('assertion', (error, args) =>
        tests.push(`${args.item.name} :: ${args.assertion} :: ${error ? 'failed' : args.skipped === true ? 'skipped' : 'passed'}`),
      )
      .on('request', (error, args) =>
        requests.push(`${args.item.name} :: ${error || args.response === undefined ? 'error' : args.response.code}`),
      );
  });
}

/** Sortie's tests (pm.test results of every request step) and requests, in the order they ran, and the run result. */
export async function runSortie(spec: SideBySideRun): Promise<{ tests: string[]; requests: string[]; result: RunResult }> {
  const inputs: PlanInputs = {
    paths: [resolve(POSTMAN_FIXTURES, spec.collection)],
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
  const requests: string[] = [];
  const result = await run(plan, {
    env: {},
    secrets,
    ...(globalsFile === undefined ? {} : { globals: { ...globalsFile.variables, ...globalsFile.secrets } }),
    envVars: spec.envVars ?? {},
    ...(spec.iterations === undefined ? {} : { options: { iterations: spec.iterations } }),
    onEvent: (event) => {
      if (event.type !== 'step:end' || event.result.kind !== 'request') return;
      requests.push(`${event.result.name} :: ${event.result.response?.status ?? 'error'}`);
      for (const assertion of event.result.assertions) {
        const outcome = assertion.skipped === true ? 'skipped' : assertion.passed ? 'passed' : 'failed';
        tests.push(`${event.result.name} :: ${assertion.name ?? assertion.selector} :: ${outcome}`);
      }
    },
  });
  return { tests, requests, result };
}
