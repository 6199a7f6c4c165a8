/**
 * The OpenAPI descriptions a run's contract checks read (`openapi` assertions, `options.contract`),
 * loaded and checked when the plan is made, so a bad description or a `$ref` that cannot be resolved
 * stops the run before it starts. Every file read (the description and the files its `$ref`s name)
 * goes into the plan, so an agent runs the plan without the disk.
 */
import { resolve } from 'node:path';
import { type LoadedFile, parseSourceText } from '@sortie/config';
import { ErrorCode, findContractSpecs, isSortieError, readRegularFile, type Scenario, SortieError } from '@sortie/core';
import { indexOperations, loadOpenApiDocument } from '@sortie/extract';
import { type PlanFile, toPlanPath } from './run-plan.js';

export interface ContractFiles {
  /** Plan path → bytes of every file the descriptions consist of. */
  files: Record<string, PlanFile>;
  problems: SortieError[];
}

export async function readContractFiles(root: string, scenarios: ReadonlyArray<LoadedFile<Scenario>>): Promise<ContractFiles> {
  const files: Record<string, PlanFile> = {};
  const problems: SortieError[] = [];
  const byScenario = new Map<string, { kinds: Set<ProblemKind>; details: SortieError[] }>();
  const loaded = new Map<string, boolean>();
  // Description → its operationIds, to check the `operation` each assertion names before the run.
  const operationIds = new Map<string, Set<string>>();
  for (const scenario of scenarios) {
    for (const use of findContractSpecs(scenario.value)) {
      const path = resolve(scenario.dir, use.spec);
      if (!loaded.has(path)) await load(scenario, use, path);
      const ids = operationIds.get(path);
      // An operationId the description does not have is a mistake of the scenario (a typo, a renamed
      // operation): an error at its `operation` before the run, not a failed check of every response.
      if (ids !== undefined && use.operation !== undefined && !use.operation.id.includes('{{') && !ids.has(use.operation.id)) {
        report(
          scenario,
          'unknownOperation',
          new SortieError(
            ErrorCode.INVALID_INPUT,
            'Invalid contract',
            `${use.spec} has no operation with operationId "${use.operation.id}"`,
            {
              location: scenario.locate(use.operation.path),
              hint: nearest(use.operation.id, ids),
            },
          ),
        );
      }
    }
  }
  // One block per scenario file, however many of its assertions are wrong: the summary counts files.
  for (const [file, { kinds, details }] of byScenario) {
    problems.push(
      new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', describeScenarioProblems(file, kinds, details.length), { details }),
    );
  }
  return { files, problems };

  function report(scenario: LoadedFile<Scenario>, kind: ProblemKind, detail: SortieError): void {
    const entry = byScenario.get(scenario.file) ?? { kinds: new Set<ProblemKind>(), details: [] };
    entry.kinds.add(kind);
    entry.details.push(detail);
    byScenario.set(scenario.file, entry);
  }

  async function load(scenario: LoadedFile<Scenario>, use: ReturnType<typeof findContractSpecs>[number], path: string): Promise<void> {
    const bytes = await readRegularFile(path).catch(() => undefined);
    if (bytes === undefined) {
      loaded.set(path, false);
      report(
        scenario,
        'unreadableSpec',
        new SortieError(ErrorCode.INVALID_INPUT, 'Invalid contract', `cannot read the OpenAPI description ${use.spec}`, {
          location: scenario.locate(use.path),
        }),
      );
      return;
    }
    try {
      const document = await loadOpenApiDocument(path, {
        read: (file) => (file === path ? Promise.resolve(bytes) : readRegularFile(file)),
        parse: parseSourceText,
        display: (file) => toPlanPath(root, file),
      });
      for (const file of document.files) files[toPlanPath(root, file)] = { base64: (await readRegularFile(file)).toString('base64') };
      loaded.set(path, true);
      operationIds.set(path, new Set(indexOperations(document.document).flatMap((entry) => entry.operationId ?? [])));
    } catch (error) {
      if (!isSortieError(error)) throw error;
      loaded.set(path, false);
      problems.push(error);
    }
  }
}

type ProblemKind = 'unknownOperation' | 'unreadableSpec';

/** The headline of a scenario's contract problems. */
function describeScenarioProblems(file: string, kinds: ReadonlySet<ProblemKind>, count: number): string {
  if (kinds.size > 1) return `${file} has ${count} problems with its OpenAPI descriptions`;
  if (kinds.has('unreadableSpec')) {
    return count === 1
      ? `${file} names an OpenAPI description that cannot be read`
      : `${file} names ${count} OpenAPI descriptions that cannot be read`;
  }
  return count === 1
    ? `${file} names an operation its OpenAPI description does not have`
    : `${file} names ${count} operations its OpenAPI descriptions do not have`;
}

/** The hint for an unknown operationId: the closest one the description has, else how many it has. */
function nearest(id: string, ids: ReadonlySet<string>): string {
  const wanted = id.toLowerCase();
  const close = [...ids].find(
    (known) => known.toLowerCase() === wanted || known.toLowerCase().includes(wanted) || wanted.includes(known.toLowerCase()),
  );
  if (close !== undefined) return `did you mean "${close}"?`;
  return ids.size === 0
    ? 'the description has no operationId'
    : `its operationIds: ${[...ids].slice(0, 10).join(', ')}${ids.size > 10 ? ', …' : ''}`;
}
