import { resolve } from 'node:path';
import type { RunConfig } from '@sortie/config';
import type { SourceLocation } from '@sortie/core';

/** Script libraries of a run and where package names resolve from. */
export interface ScriptLibraries {
  /** Folders (absolute) or npm package names. */
  scriptLibraries: string[];
  /** The project folder (or the working directory without a project). */
  projectDir: string;
  /** An entry of `scriptLibraries` that comes from the project file → its index in the project's `scripts`. */
  fromProject: Map<string, number>;
  /** Where an entry of `scriptLibraries` is written in the project file (undefined for a `--scripts` one): a library not found is reported there. */
  locateEntry: (entry: string) => SourceLocation | undefined;
}

/** `--scripts` entries (relative to the cwd) and the project's `scripts` (relative to the project file). */
export function resolveScriptLibraries(scripts: readonly string[], config: RunConfig, cwd: string): ScriptLibraries {
  const project = config.project;
  const fromProject = (project?.value.scripts ?? []).map((entry) => (isPath(entry) ? resolve(project!.dir, entry) : entry));
  const fromFlags = scripts.map((entry) => (isPath(entry) ? resolve(cwd, entry) : entry));
  const indexes = new Map<string, number>();
  for (const [index, entry] of fromProject.entries()) if (!fromFlags.includes(entry) && !indexes.has(entry)) indexes.set(entry, index);
  const locateEntry = (entry: string): SourceLocation | undefined => {
    const index = indexes.get(entry);
    if (index === undefined || project === undefined) return undefined;
    return { ...project.locate(['scripts', index]), file: project.file, path: `$.scripts[${index}]` };
  };
  return {
    scriptLibraries: [...new Set([...fromFlags, ...fromProject])],
    projectDir: project?.dir ?? cwd,
    fromProject: indexes,
    locateEntry,
  };
}

/** A folder is written with a slash or a leading dot; anything else is an npm package name (`acme-scripts`, `@acme/scripts`). */
function isPath(entry: string): boolean {
  return entry.startsWith('.') || entry.startsWith('/') || (entry.includes('/') && !entry.startsWith('@'));
}
