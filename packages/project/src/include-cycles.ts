/** Include cycles: scenarios that include one another in a circle, which no run could finish. */
import { resolve } from 'node:path';
import type { LoadedFile } from '@sortie/config';
import { ErrorCode, listScenarioSteps, type Scenario, SortieError } from '@sortie/core';
import { collectIncludes } from './check-scenario.js';

/**
 * Every cycle of includes among `files` (the scenarios of a plan, its hooks and every file they
 * include, by their resolved paths): a file that includes itself, or one that includes another that
 * includes it back, directly or through others. An include inside a branch is followed as well: the
 * files are checked before anything runs, whatever a run would take. `files` is keyed by resolved
 * path, in the order the plan met them. One error per cycle, at the
 * `include` that closes it, naming the chain of includes from the first file of `files` that reaches it.
 */
export function findIncludeCycles(files: ReadonlyMap<string, LoadedFile<Scenario>>): SortieError[] {
  const problems: SortieError[] = [];
  const done = new Set<string>();
  const chain: string[] = [];
  const walk = (file: string) => {
    const loaded = files.get(file);
    if (loaded === undefined || done.has(file)) return;
    chain.push(file);
    for (const { path, file: named } of listScenarioSteps(loaded.value).flatMap(({ key, steps }) => collectIncludes(steps, [key]))) {
      const target = resolve(loaded.dir, named);
      const back = chain.indexOf(target);
      if (back !== -1) {
        const names = [...chain, target].map((link) => files.get(link)?.file ?? link);
        problems.push(includeCycleProblem(loaded, path, names));
      } else walk(target);
    }
    chain.pop();
    done.add(file);
  };
  for (const file of files.keys()) walk(file);
  return problems;
}

/** The error at the `include` that closes a cycle; `chain` runs from the file the search started from to the file included again. */
function includeCycleProblem(loaded: LoadedFile<Scenario>, path: (string | number)[], chain: string[]): SortieError {
  const [first, ...rest] = chain;
  const message =
    chain.length === 2 && first === rest[0]
      ? `${first} includes itself: the include would never end`
      : `${first} includes ${rest.join(', which includes ')} again: the includes would never end`;
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', `${loaded.file} closes a cycle of includes`, {
    details: [
      new SortieError(ErrorCode.INVALID_INPUT, 'Include cycle', message, {
        location: loaded.locate(path),
        hint: 'an included file cannot include the file that includes it; to repeat steps, use a loop',
      }),
    ],
  });
}
