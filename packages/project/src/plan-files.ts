/** The files a run reads besides its scenarios, read when the plan is made so the plan is self-contained. */
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import type { LoadedFile } from '@sortie/config';
import { type Environment, listScenarioSteps, readRegularFile, type Scenario } from '@sortie/core';
import { type PlanFile, type RunPlan, toPlanPath } from './run-plan.js';

/**
 * Reads the certificate files the environment's `http` section names (CA, per-host CA, client
 * certificates and keys, PFX; relative to the environment file), the script files the scenarios
 * name (`script: { file }`, relative to the scenario) and the files their request bodies send. A file that cannot be read is left out: the
 * run reports it where it is used, as an error of that step or of the run's HTTP settings.
 * @returns plan path → bytes.
 */
export async function readPlanFiles(
  root: string,
  environment: LoadedFile<Environment> | undefined,
  scenarios: ReadonlyArray<LoadedFile<Scenario>>,
): Promise<Record<string, PlanFile>> {
  const paths = new Set<string>();
  if (environment !== undefined) for (const file of certificateFiles(environment.value)) paths.add(resolve(environment.dir, file));
  for (const scenario of scenarios) {
    for (const { steps } of listScenarioSteps(scenario.value))
      for (const file of [...scriptFiles(steps), ...bodyFiles(steps)]) paths.add(resolve(scenario.dir, file));
  }
  const files: Record<string, PlanFile> = {};
  for (const path of [...paths].sort()) {
    const bytes = await readRegularFile(path).catch(() => undefined);
    if (bytes !== undefined) files[toPlanPath(root, path)] = { base64: bytes.toString('base64') };
  }
  return files;
}

function certificateFiles(environment: Environment): string[] {
  const http = environment.http ?? {};
  const files = [...(http.ca ?? []), ...(http.hostCa ?? []).flatMap((entry) => entry.ca)];
  for (const certificate of http.clientCertificates ?? []) {
    for (const file of [certificate.cert, certificate.key, certificate.pfx]) if (file !== undefined) files.push(file);
  }
  return files;
}

/**
 * The body files (`body.file`, multipart `file` parts; not those made from variables) of every
 * scenario, include and hook of a plan, as plan paths (`..`-prefixed or absolute when outside the
 * plan's root), whether or not they exist: a server checks that a bundle's plan sends nothing from
 * outside it.
 */
export function planBodyFiles(plan: RunPlan): string[] {
  const sources = [...plan.scenarios, ...Object.values(plan.includes), ...Object.values(plan.hooks ?? {}).map((hook) => hook.scenario)];
  const paths = new Set<string>();
  for (const source of sources) {
    const dir = dirname(source.file);
    for (const { steps } of listScenarioSteps(source.value)) {
      for (const file of bodyFiles(steps)) {
        paths.add(isAbsolute(file) ? file : normalize(join(dir, file)).split(sep).join('/'));
      }
    }
  }
  return [...paths];
}

/**
 * The files request bodies send (`body.file`, `body.multipart[].file`) at any depth, relative to the
 * scenario: they travel in the plan, so an agent sends the bytes the user's folder holds. Paths made
 * from variables (`{{…}}`) are known only at run time and are read from disk there.
 */
function bodyFiles(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) bodyFiles(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'body' && child !== null && typeof child === 'object') {
        const body = child as { file?: unknown; multipart?: unknown };
        const parts = Array.isArray(body.multipart) ? (body.multipart as Array<{ file?: unknown }>) : [];
        for (const file of [body.file, ...parts.map((part) => part?.file)]) {
          if (typeof file === 'string' && !file.includes('{{')) found.push(file);
        }
      } else bodyFiles(child, found);
    }
  }
  return found;
}

/** `file` of every script spec (step or processor) at any depth. */
function scriptFiles(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) scriptFiles(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'script' && child !== null && typeof child === 'object' && typeof (child as { file?: unknown }).file === 'string') {
        found.push((child as { file: string }).file);
      } else if (key !== 'request') scriptFiles(child, found);
    }
  }
  return found;
}
