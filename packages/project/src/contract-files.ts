/**
 * The OpenAPI descriptions a run's contract checks read (`openapi` assertions, `options.contract`),
 * loaded and checked when the plan is made, so a bad description or a `$ref` that cannot be resolved
 * stops the run before it starts. Every file read (the description and the files its `$ref`s name)
 * goes into the plan, so an agent runs the plan without the disk.
 */
import { resolve } from 'node:path';
import { type LoadedFile, parseSourceText } from '@sortie/config';
import { ErrorCode, findContractSpecs, isSortieError, readRegularFile, type Scenario, SortieError } from '@sortie/core';
import { loadOpenApiDocument } from '@sortie/extract';
import { type PlanFile, toPlanPath } from './run-plan.js';

export interface ContractFiles {
  /** Plan path → bytes of every file the descriptions consist of. */
  files: Record<string, PlanFile>;
  problems: SortieError[];
}

export async function readContractFiles(root: string, scenarios: ReadonlyArray<LoadedFile<Scenario>>): Promise<ContractFiles> {
  const files: Record<string, PlanFile> = {};
  const problems: SortieError[] = [];
  const loaded = new Map<string, boolean>();
  for (const scenario of scenarios) {
    for (const use of findContractSpecs(scenario.value)) {
      const path = resolve(scenario.dir, use.spec);
      if (loaded.has(path)) continue;
      const bytes = await readRegularFile(path).catch(() => undefined);
      if (bytes === undefined) {
        loaded.set(path, false);
        problems.push(
          new SortieError(
            ErrorCode.INVALID_INPUT,
            'Invalid scenario',
            `${scenario.file} names an OpenAPI description that cannot be read`,
            {
              details: [
                new SortieError(ErrorCode.INVALID_INPUT, 'Invalid contract', `cannot read the OpenAPI description ${use.spec}`, {
                  location: scenario.locate(use.path),
                }),
              ],
            },
          ),
        );
        continue;
      }
      try {
        const document = await loadOpenApiDocument(path, {
          read: (file) => (file === path ? Promise.resolve(bytes) : readRegularFile(file)),
          parse: parseSourceText,
          display: (file) => toPlanPath(root, file),
        });
        for (const file of document.files) files[toPlanPath(root, file)] = { base64: (await readRegularFile(file)).toString('base64') };
        loaded.set(path, true);
      } catch (error) {
        if (!isSortieError(error)) throw error;
        loaded.set(path, false);
        problems.push(error);
      }
    }
  }
  return { files, problems };
}
