import { relative } from 'node:path';
import { loadScenario } from '@sortie/config';
import { ErrorCode, type Scenario, SortieError } from '@sortie/core';
import { loadSelectorSupport } from '@sortie/extract';
import type { SourceFile } from '../run-options.js';
import { scanScenarioNeeds } from '../scenario-needs.js';
import { lintScenario } from './lint-scenario.js';

/**
 * Creates the loader of included scenario files for one run: each file is read, validated and
 * linted once (a loop that includes a file 1,000 times reads it once), and the selector support it
 * needs (XPath, JSON Schema) is loaded. Files are named relative to the working directory in reports.
 */
export function createIncludeLoader(): (file: string) => Promise<SourceFile<Scenario>> {
  const cache = new Map<string, Promise<SourceFile<Scenario>>>();
  return (file) => {
    let loaded = cache.get(file);
    if (loaded === undefined) {
      loaded = loadIncluded(file);
      cache.set(file, loaded);
    }
    return loaded;
  };
}

async function loadIncluded(absolute: string): Promise<SourceFile<Scenario>> {
  const shown = relative(process.cwd(), absolute) || absolute;
  const loaded = await loadScenario(shown.startsWith('..') ? absolute : shown);
  const problems = lintScenario(loaded.value);
  if (problems.length > 0) {
    const details = problems.map(
      (p) => new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', p.message, { location: loaded.locate(p.path) }),
    );
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', `${loaded.file}: ${problems.map((p) => p.message).join('; ')}`, {
      location: loaded.locate(problems[0]!.path),
      details,
    });
  }
  const needs = scanScenarioNeeds([loaded.value]);
  await loadSelectorSupport({ xml: needs.xml, schema: needs.schema });
  return { value: loaded.value, file: loaded.file, dir: loaded.dir };
}
