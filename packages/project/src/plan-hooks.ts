/**
 * The project hooks of a run plan (sortie.config.json `beforeAll` / `afterAll`): a scenario file
 * (relative to the project file) or steps written in the project file, validated like every scenario
 * before anything runs, and carried by the plan so an agent running the plan runs them too.
 */
import { relative, resolve } from 'node:path';
import { type LoadedFile, loadScenario } from '@sortie/config';
import { type Project, type RunHook, type RunHookName, type Scenario, ScenarioSchema } from '@sortie/core';

/** The hooks of a project: each as a loaded scenario, with beforeAll's exported names. */
export interface LoadedHook {
  name: RunHookName;
  scenario: LoadedFile<Scenario>;
  /** Where inline steps sit in the project file (`['beforeAll', 'steps']`); absent for a scenario file. */
  at?: (string | number)[];
  export?: string[];
}

export const RUN_HOOK_NAMES: readonly RunHookName[] = ['beforeAll', 'afterAll'];

/**
 * Loads the hooks a project declares. A hook file is loaded as a scenario (FILE_NOT_FOUND or
 * INVALID_INPUT as any scenario); inline steps become a scenario named after the hook, located in
 * the project file.
 */
export async function loadHooks(project: LoadedFile<Project>, cwd: string): Promise<LoadedHook[]> {
  const hooks: LoadedHook[] = [];
  for (const name of RUN_HOOK_NAMES) {
    const hook: RunHook | undefined = project.value[name];
    if (hook === undefined) continue;
    const spec = typeof hook === 'string' ? { file: hook } : hook;
    const loaded: LoadedHook =
      spec.file !== undefined
        ? { name, scenario: await loadScenario(relative(cwd, resolve(project.dir, spec.file)) || '.', { cwd }) }
        : { name, scenario: inlineHook(project, name, spec.steps ?? []), at: [name] };
    if (spec.export !== undefined) loaded.export = spec.export;
    hooks.push(loaded);
  }
  return hooks;
}

/** Inline steps as a scenario: named after the hook, its positions those of the project file under `hook`. */
export function inlineHook(
  project: Pick<LoadedFile<Project>, 'file' | 'dir' | 'text' | 'locate'>,
  name: RunHookName,
  steps: unknown[],
): LoadedFile<Scenario> {
  return {
    value: ScenarioSchema.parse({ name, steps }),
    file: project.file,
    dir: project.dir,
    text: project.text,
    locate: (path, target) => project.locate([name, ...path], target),
  };
}
