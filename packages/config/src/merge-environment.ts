/** The project file's auth, http and databases sections are defaults under the environment's own. */
import { isAbsolute, resolve } from 'node:path';
import type { Environment, HttpOptions, Project } from '@sortie/core';
import type { LoadedFile } from './load-file.js';

/**
 * Merges the project's `auth`, `http` and `databases` under the environment's: auth profiles and
 * databases by name, `auth.use` and each `http` setting as a whole — the environment wins every
 * time. File paths in the project's `http` (ca, client certificates) are made absolute, since they
 * are relative to the project file, not to the environment file.
 * @returns the environment to run with: the environment file itself when the project adds nothing;
 *   a file-less environment located at the project file when there is no environment; undefined with neither.
 */
export function mergeProjectEnvironment(
  project: LoadedFile<Project> | undefined,
  environment: LoadedFile<Environment> | undefined,
): LoadedFile<Environment> | undefined {
  const defaults = project === undefined ? undefined : readProjectDefaults(project);
  if (project === undefined || defaults === undefined) return environment;
  if (environment === undefined) return { ...project, value: defaults };
  const own = environment.value;
  const merged: Environment = { ...own };
  if (defaults.auth !== undefined || own.auth !== undefined) {
    const auth = { ...defaults.auth, ...own.auth };
    const profiles = { ...defaults.auth?.profiles, ...own.auth?.profiles };
    if (Object.keys(profiles).length > 0) auth.profiles = profiles;
    merged.auth = auth;
  }
  if (defaults.http !== undefined) merged.http = { ...defaults.http, ...own.http };
  if (defaults.databases !== undefined) merged.databases = { ...defaults.databases, ...own.databases };
  return { ...environment, value: merged, locate: locateMergedEnvironment(project, environment) };
}

/**
 * Locates a path of the merged environment in the file it came from: a profile or database only the project file
 * declares is in the project file (an error of its field points there), everything else in the environment file.
 */
export function locateMergedEnvironment(
  project: LoadedFile<Project>,
  environment: LoadedFile<Environment>,
): LoadedFile<Environment>['locate'] {
  return (path, target) => {
    const [section, group, name] = path;
    const own = environment.value;
    const fromProject =
      (section === 'auth' && group === 'profiles' && typeof name === 'string' && own.auth?.profiles?.[name] === undefined) ||
      (section === 'databases' && typeof group === 'string' && own.databases?.[group] === undefined);
    return fromProject ? project.locate(path, target) : environment.locate(path, target);
  };
}

/** The environment-like part of a project file, or undefined when it has none. */
function readProjectDefaults(project: LoadedFile<Project>): Environment | undefined {
  const { auth, http, databases } = project.value;
  if (auth === undefined && http === undefined && databases === undefined) return undefined;
  const defaults: Environment = {};
  if (auth !== undefined) defaults.auth = auth;
  if (http !== undefined) defaults.http = absolutiseHttpPaths(http, project.dir);
  if (databases !== undefined) defaults.databases = databases;
  return defaults;
}

function absolutiseHttpPaths(http: HttpOptions, dir: string): HttpOptions {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(dir, path));
  const out: HttpOptions = { ...http };
  if (http.ca !== undefined) out.ca = http.ca.map(at);
  if (http.clientCertificates !== undefined) {
    out.clientCertificates = http.clientCertificates.map((certificate) => {
      const copy = { ...certificate };
      if (copy.cert !== undefined) copy.cert = at(copy.cert);
      if (copy.key !== undefined) copy.key = at(copy.key);
      if (copy.pfx !== undefined) copy.pfx = at(copy.pfx);
      return copy;
    });
  }
  return out;
}
