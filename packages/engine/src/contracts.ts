/**
 * The run's contracts: each OpenAPI description the scenarios name (`openapi` assertions,
 * `options.contract`), loaded and compiled once per run, by absolute path. A run plan carries the
 * descriptions and the files their `$ref`s name; without a plan they are read from disk.
 */
import { join, normalize, resolve } from 'node:path';
import { parseSourceText } from '@sortie/config';
import { ErrorCode, findContractSpecs, readRegularFile, type Scenario, SortieError } from '@sortie/core';
import { type Contract, loadContract } from '@sortie/extract';
import type { SourceFile } from './run-options.js';

/** Absolute path of a description → its contract. */
export type Contracts = ReadonlyMap<string, Contract>;

/**
 * Loads every description the scenarios name. JSON Schema support must be loaded first.
 * @throws SortieError INVALID_INPUT for a description that cannot be read or is not valid (a plan made
 *   by loadPlan has checked them already).
 */
export async function loadContracts(
  scenarios: ReadonlyArray<SourceFile<Scenario>>,
  files: ReadonlyMap<string, Uint8Array> | undefined,
): Promise<Contracts> {
  const contracts = new Map<string, Contract>();
  const read = async (path: string): Promise<Uint8Array> => {
    if (files === undefined) return readRegularFile(path);
    const bytes = files.get(path);
    if (bytes === undefined) throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not in the plan', `${path} is not in the run plan`);
    return bytes;
  };
  for (const scenario of scenarios) {
    for (const use of findContractSpecs(scenario.value)) {
      const path = resolve(scenario.dir, use.spec);
      if (contracts.has(path)) continue;
      const shown = normalize(join(scenario.file, '..', use.spec));
      contracts.set(path, await loadContract(path, { read, parse: parseSourceText, display: (file) => (file === path ? shown : file) }));
    }
  }
  return contracts;
}

/** Whether any scenario names a description (then JSON Schema support is needed). */
export function needsContracts(scenarios: ReadonlyArray<SourceFile<Scenario>>): boolean {
  return scenarios.some((scenario) => findContractSpecs(scenario.value).length > 0);
}
