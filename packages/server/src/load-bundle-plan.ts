import { lstat } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { ErrorCode, isSortieError, planBodyFiles, type RunPlan, SortieError, validate } from '@sortie/api';
import { readingOnlyUnder } from '@sortie/core';
import type { BundleManifest } from './plan-storage.js';

/**
 * The server's plan loader: `validate` (loadPlan without secret values) over the unpacked bundle,
 * then a check that every file the plan took lies inside the bundle. A scenario that includes
 * `/etc/passwd`, or an environment naming a certificate outside, is refused: a bundle must not make
 * the server read, and ship to agents, files of the machine it runs on. Secret values are refused
 * too: a Postman collection's, and a Postman environment export's (`sortie run --remote` empties those).
 */
export async function loadBundlePlan(dir: string, manifest: BundleManifest): Promise<RunPlan> {
  const inputs: Parameters<typeof validate>[0] = { paths: manifest.files, cwd: dir, scripts: manifest.scripts ?? [] };
  if (manifest.environment !== undefined) inputs.environment = manifest.environment;
  if (manifest.iterationData !== undefined) inputs.iterationData = manifest.iterationData;
  if (manifest.folders !== undefined && manifest.folders.length > 0) inputs.folders = manifest.folders;
  if (manifest.workingDir !== undefined) {
    const folder = normalize(manifest.workingDir).split(sep).join('/');
    if (isAbsolute(folder) || folder === '..' || folder.startsWith('../')) {
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid bundle', `the working folder ${manifest.workingDir} is outside the bundle`, {
        hint: 'workingDir in sortie-bundle.json is a folder of the bundle',
      });
    }
    inputs.workingDir = manifest.workingDir;
  }
  let plan: RunPlan;
  try {
    // Reads are confined to the bundle: an include of "/etc/x.json" is refused before it is opened.
    plan = await readingOnlyUnder(dir, 'the bundle', () => validate(inputs, { travels: true, bundle: true }));
  } catch (error) {
    // Its error (and any other naming a path outside) says nothing of the file: what it holds, its
    // lines, whether it exists.
    const outside = isSortieError(error) ? outsidePaths(error, dir) : [];
    if (outside.length > 0) throw outsideError(outside);
    if (!isSortieError(error)) throw error;
    const inBundle = inBundleTerms(error, dir);
    throw inBundle.code === ErrorCode.FILE_NOT_FOUND ? await missingFileError(inBundle, dir) : inBundle;
  }
  const outside = planPaths(plan).filter(isOutside);
  if (outside.length > 0) throw outsideError(outside);
  return plan;
}

/** The error with the server's folder of the bundle left out ("no environment \"x\" in environments"): a client has no use for it. */
function inBundleTerms(error: SortieError, dir: string): SortieError {
  const strip = (text: string) => text.replaceAll(`${dir}/`, '').replaceAll(dir, '.');
  const options: ConstructorParameters<typeof SortieError>[3] = { details: error.details.map((detail) => inBundleTerms(detail, dir)) };
  if (error.hint !== undefined) options.hint = strip(error.hint);
  if (error.location !== undefined) options.location = { ...error.location, file: strip(error.location.file) };
  return new SortieError(error.code, error.title, strip(error.message), options);
}

/**
 * A file the plan reads that the bundle does not have (named by the manifest, an include, the environment)
 * or a link of the bundle that reaches no file (a loop, a missing target): the upload is what is wrong, a
 * 400 "Invalid bundle" naming the path, not the 404 "File not found" the API gives an unknown URL.
 */
async function missingFileError(error: SortieError, dir: string): Promise<SortieError> {
  const path = error.location?.file ?? /^no such file or folder: (.+)$/.exec(error.message)?.[1];
  let message = `the plan reads a file the bundle does not have: ${error.message}`;
  if (path !== undefined && !isOutside(path)) {
    const link = await lstat(join(dir, path)).then(
      (stats) => stats.isSymbolicLink(),
      () => false,
    );
    message = link
      ? `${JSON.stringify(path)} is a link of the bundle that reaches no file (a loop, or a target the bundle does not have)`
      : `the bundle has no file ${JSON.stringify(path)} (${error.message})`;
  }
  const options: ConstructorParameters<typeof SortieError>[3] = {
    hint: 'every file sortie-bundle.json and the plan name must be in the bundle: make bundles with `sortie run --remote`',
  };
  if (error.location !== undefined) options.location = error.location;
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid bundle', message, options);
}

function outsideError(paths: string[]): SortieError {
  return new SortieError(
    ErrorCode.INVALID_INPUT,
    'Invalid bundle',
    `the plan reads files outside the bundle: ${[...new Set(paths)].join(', ')}`,
    {
      hint: 'every scenario, include, environment, data file, library and certificate must be inside the bundle',
    },
  );
}

function isOutside(path: string): boolean {
  return isAbsolute(path) || path === '..' || path.startsWith('../');
}

/** The paths outside the bundle folder `dir` that an error or its details name (as location or in the message). */
function outsidePaths(error: SortieError, dir: string): string[] {
  const paths: string[] = [];
  const file = error.location?.file;
  if (file !== undefined && isOutside(file) && !file.startsWith(`${dir}/`)) paths.push(file);
  for (const match of error.message.matchAll(/(?:^|[\s"'(])((?:\/|\.\.\/)[^\s"')]*)/g)) {
    // A path ends before the punctuation that follows it in a sentence ("cannot read /x.json: …").
    const path = (match[1] as string).replace(/[:;,.]+$/, '');
    if (path !== dir && !path.startsWith(`${dir}/`)) paths.push(path);
  }
  for (const detail of error.details) paths.push(...outsidePaths(detail, dir));
  return paths;
}

/** Every path a plan holds (plan paths are relative to its root, absolute when outside it). */
function planPaths(plan: RunPlan): string[] {
  const paths = [
    ...plan.scenarios.map((source) => source.file),
    ...Object.keys(plan.includes),
    ...Object.values(plan.includes).map((source) => source.file),
    ...plan.libraries.map((library) => library.dir),
    ...Object.keys(plan.files),
    // Body files that are not in the plan (missing here) would be read from the agent's disk.
    ...planBodyFiles(plan),
  ];
  for (const source of [plan.project, plan.environmentFile, plan.environment]) if (source !== undefined) paths.push(source.file);
  if (plan.iterationData !== undefined) paths.push(plan.iterationData.file);
  for (const hook of Object.values(plan.hooks ?? {})) paths.push(hook.scenario.file);
  return paths;
}
