import type { Scenario } from '@sortie/core';
import { isScriptSourcePath, listScenarioSteps } from '@sortie/core';
import type { SelectorNeeds } from '@sortie/extract';
import { codeNeedsDynamicValues, needsDynamicValues, walkStrings } from '@sortie/template';
import type { ScriptHost } from './scripts/script-host.js';

export interface ScenarioNeeds extends Required<SelectorNeeds> {
  /** Some template uses a faker-backed {{$dynamic}} value. */
  faker: boolean;
  /** Some step or processor is a script (the sandbox is started early, see runScenarios). */
  scripts: boolean;
  /** Some scenario checks responses against an OpenAPI description (`openapi` assertions, `options.contract`). */
  contracts: boolean;
}

/**
 * Scans scenarios once before the run for what they use, so heavy modules (XML, JSON Schema,
 * faker, the script sandbox) are loaded only when needed and never on the hot path. An included
 * scenario is scanned when it is loaded.
 */
export function scanScenarioNeeds(scenarios: readonly Scenario[]): ScenarioNeeds {
  const needs: ScenarioNeeds = { xml: false, schema: false, faker: false, scripts: false, contracts: false };
  for (const scenario of scenarios) {
    for (const { steps } of listScenarioSteps(scenario)) visit(steps, needs);
    if (scenario.options?.contract !== undefined) needs.contracts = true;
    if (needs.contracts) needs.schema = true;
    if (!needs.faker && needsDynamicValues(scenario, isScriptSourcePath)) needs.faker = true;
    if (!needs.faker && needs.scripts && scriptsNeedDynamicValues(scenario)) needs.faker = true;
  }
  return needs;
}

/**
 * Whether a script written in a file (`script: { file }`) or taken from a script library renders a
 * faker-backed `{{$…}}`, as scanScenarioNeeds finds for inline scripts: the files are read here
 * through `readFile` (the run's script cache, which the run reads them from again). A file that
 * cannot be read is left to fail at its step.
 */
export async function scriptSourcesNeedDynamicValues(
  scenarios: readonly { value: Scenario; dir: string }[],
  scripts: Pick<ScriptHost, 'readFile' | 'libraries'>,
): Promise<boolean> {
  for (const library of scripts.libraries.values())
    if (Object.values(library.scripts).some((source) => source.includes('{{') && codeNeedsDynamicValues(source))) return true;
  for (const { value, dir } of scenarios) {
    const files: string[] = [];
    walkStrings(value, (text, path) => {
      if (path.at(-1) === 'file' && isScriptSourcePath([...path.slice(0, -1), 'source'])) files.push(text);
      return false;
    });
    for (const file of files) {
      const source = await scripts.readFile(dir, file).catch(() => '');
      if (source.includes('{{') && codeNeedsDynamicValues(source)) return true;
    }
  }
  return false;
}

/** A script that renders a faker-backed `{{$…}}` (`pm.variables.replaceIn('{{$randomFirstName}}')`). */
function scriptsNeedDynamicValues(scenario: Scenario): boolean {
  return walkStrings(scenario, (text, path) => text.includes('{{') && isScriptSourcePath(path) && codeNeedsDynamicValues(text));
}

function visit(value: unknown, needs: ScenarioNeeds): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, needs);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'request') continue; // bodies may hold any keys
    if (key === 'xpath') needs.xml = true;
    else if (key === 'schema') needs.schema = true;
    else if (key === 'script') needs.scripts = true;
    else if (key === 'openapi') needs.contracts = true;
    visit(child, needs);
  }
}
