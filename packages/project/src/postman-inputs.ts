/**
 * Postman files among a run's inputs, told apart by content: a collection is loaded as a scenario,
 * an environment export as the environment. The converter (and the Postman SDK) is loaded only when
 * such a file is met. Secret values found in them (environment values typed `secret`) are handed
 * back apart from the plan, which never holds one.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type LoadedFile, loadEnvironment } from '@sortie/config';
import { type Environment, readRegularFile, type Scenario, type SourceLocation } from '@sortie/core';
import { detectPostmanText, isV3CollectionDir, type PostmanFileKind } from '@sortie/postman/detect';

/** Something about a Postman input the user should know (an item that cannot run, a setting applied differently). */
export interface PlanNote {
  file: string;
  /** The item path inside the file. */
  path: string;
  message: string;
  level: 'error' | 'warning';
}

/** What a file is, as far as Postman is concerned (a folder laid out as a v3 collection is one; undefined for anything else, unreadable files included). */
export async function postmanKindOf(path: string): Promise<PostmanFileKind | undefined> {
  try {
    if ((await stat(path)).isDirectory()) return (await isV3CollectionDir(path)) ? 'collection' : undefined;
    return detectPostmanText(await readRegularFile(path, 'utf8'), path);
  } catch {
    return undefined;
  }
}

/** Loads a Postman collection as a scenario; notes and folder names that matched nothing are collected. */
export async function loadPostmanCollection(
  file: string,
  options: { cwd: string; workingDir?: string; folders?: readonly string[] },
  into: {
    notes: PlanNote[];
    foundFolders: Set<string>;
    redact: string[];
    secretVariables: SecretVariable[];
    /** Each collection's variables typed secret, by name (the plan's `secretDefaults`). */
    secretDefaults: Map<LoadedFile<Scenario>, string[]>;
  },
): Promise<LoadedFile<Scenario>> {
  const { loadCollectionFile } = await import('@sortie/postman');
  const loaded = await loadCollectionFile(file, options);
  for (const note of loaded.notes) into.notes.push({ file, ...note });
  for (const name of options.folders ?? []) if (!loaded.missingFolders.includes(name)) into.foundFolders.add(name);
  // Collection variables typed secret stay collection variables and are redacted like every secret.
  into.redact.push(...Object.values(loaded.secretVariables));
  for (const [name, value] of Object.entries(loaded.secretVariables))
    if (value !== '') into.secretVariables.push({ name, location: loaded.loaded.locate(['defaults', name]) });
  const names = Object.keys(loaded.secretVariables);
  if (names.length > 0) into.secretDefaults.set(loaded.loaded, names);
  return loaded.loaded;
}

/** A variable typed `secret` whose value is in a Postman file (a collection, an environment export): where it is written. */
export interface SecretVariable {
  name: string;
  location: SourceLocation;
}

/**
 * The environment loader of a run: a Postman environment export is converted (its secret values go
 * to `secrets`, unless the caller already has a value for that name; where they are written, to
 * `written`), anything else loads as usual.
 */
export function createEnvironmentLoader(
  secrets: Record<string, string>,
  written: SecretVariable[] = [],
): (file: string) => Promise<LoadedFile<Environment>> {
  return async (file) => {
    if ((await postmanKindOf(resolve(file))) === undefined) return loadEnvironment(file);
    const { loadEnvironmentFile } = await import('@sortie/postman');
    const converted = await loadEnvironmentFile(file);
    for (const [name, value] of Object.entries(converted.secrets)) if (!Object.hasOwn(secrets, name)) secrets[name] = value;
    written.push(...converted.writtenSecrets);
    return converted.loaded;
  };
}
