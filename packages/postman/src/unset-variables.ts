/**
 * The variables an imported collection uses (`{{token}}` in a bearer auth, `{{baseUrl}}` in a URL) that
 * nothing it imports defines: no collection variable, environment or globals value, declared secret, and
 * no script that sets it by name. A run sends them as written (`Bearer {{token}}`, as Newman does), so the
 * user is told to set them before running.
 */
import type { Scenario } from '@sortie/core';

/** A variable to set before running the imported files. */
export interface ImportedVariable {
  name: string;
  /** Where it is first used, e.g. `auth "Users"`, `request "Users/List"`. */
  where: string;
}

/** A Postman variable reference (`{{name}}`): the name is everything up to the closing braces. */
const REFERENCE = /\{\{([^{}]+)\}\}/g;

/**
 * A variable a script sets by a literal name: `pm.environment.set('token', …)`, `pm.variables.set("id", …)`,
 * `pm.collectionVariables.set(…)`, `pm.globals.set(…)`, and the legacy `postman.setEnvironmentVariable(…)` /
 * `postman.setGlobalVariable(…)`.
 */
const SCRIPT_SET = /\b(?:set|setEnvironmentVariable|setGlobalVariable)\s*\(\s*(['"`])([^'"`\\\n]+)\1/g;

/**
 * The variables `scenario` uses but neither `defined` (collection, environment and globals variables,
 * declared secrets) nor its scripts set, each once, in the order first used. Dynamic variables (`{{$guid}}`)
 * are Postman's own.
 */
export function unsetVariables(scenario: Scenario, defined: Iterable<string>): ImportedVariable[] {
  const known = new Set(defined);
  const used = new Map<string, string>();
  const setByScripts = new Set<string>();
  /** `folder` is the path of the folder the value is in (`Users/Admin/`), `where` the label of the nearest step. */
  const visit = (value: unknown, where: string, folder = ''): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(REFERENCE)) {
        const name = (match[1] ?? '').trim();
        if (name !== '' && !name.startsWith('$') && !used.has(name)) used.set(name, where);
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, where, folder);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const script = record.script as { source?: unknown } | undefined;
    if (script !== null && typeof script === 'object' && typeof script.source === 'string') {
      for (const match of script.source.matchAll(SCRIPT_SET)) setByScripts.add(match[2] ?? '');
      return;
    }
    const step = typeof record.name === 'string' && ('request' in record || 'group' in record) ? record.name : undefined;
    if (step === undefined) {
      for (const item of Object.values(record)) visit(item, where, folder);
      return;
    }
    const label = `${'group' in record ? 'folder' : 'request'} "${folder}${step}"`;
    for (const [key, item] of Object.entries(record)) {
      if (key === 'group') visit(item, label, `${folder}${step}/`);
      else if (key !== 'name') visit(item, label, folder);
    }
  };
  for (const [name, value] of Object.entries(scenario.defaults ?? {})) visit(value, `collection variable "${name}"`);
  const profiles = typeof scenario.auth === 'object' && 'profiles' in scenario.auth ? (scenario.auth.profiles ?? {}) : {};
  for (const [name, profile] of Object.entries(profiles)) visit(profile, `auth "${name}"`);
  visit(scenario.steps, 'the collection');
  return [...used].filter(([name]) => !known.has(name) && !setByScripts.has(name)).map(([name, where]) => ({ name, where }));
}
