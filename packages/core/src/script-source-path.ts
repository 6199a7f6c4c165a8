/** A location inside a scenario: object keys and array indexes from the root. */
type ScenarioPath = readonly (string | number)[];

/** The keys under which a step holds a list of steps: `group.steps`, `if.then`, `if.else`, `loop.steps`, `forEach.steps`, and the containers' `teardown`. */
const STEP_LISTS: Readonly<Record<string, readonly string[]>> = {
  group: ['steps', 'teardown'],
  if: ['then', 'else'],
  loop: ['steps', 'teardown'],
  forEach: ['steps', 'teardown'],
};

/** The keys under which a scenario holds steps. */
const SCENARIO_LISTS: readonly unknown[] = ['setup', 'steps', 'teardown'];

/**
 * Whether a path inside a scenario is the source of an inline script: a `script` step or processor
 * written as a string, or the `source` of a script object, at any depth of groups, branches and loops.
 * Script source is JavaScript, not a template: `{{#each tags}}` (Postman's visualizer example) is
 * neither checked at load time nor rendered (`pm.variables.replaceIn` renders on request).
 * Other strings of a script object (`file`, `use`, `with`, `name`) are not source.
 */
export function isScriptSourcePath(path: ScenarioPath): boolean {
  if (!SCENARIO_LISTS.includes(path[0])) return false;
  let at = 1;
  for (;;) {
    if (typeof path[at] !== 'number') return false;
    const key = path[at + 1];
    at += 2;
    if (key === 'pre' || key === 'post') {
      if (typeof path[at] !== 'number' || path[at + 1] !== 'script') return false;
      return isSourceEnd(path, at + 2);
    }
    if (key === 'script') return isSourceEnd(path, at);
    const lists = typeof key === 'string' ? STEP_LISTS[key] : undefined;
    if (lists === undefined || !lists.includes(path[at] as string)) return false;
    at += 1;
  }
}

/** The script value itself (a string) or its `source`. */
function isSourceEnd(path: ScenarioPath, at: number): boolean {
  return path.length === at || (path.length === at + 1 && path[at] === 'source');
}
