/** Where a scenario names OpenAPI descriptions: `openapi` assertions and `options.contract`. */
import type { Scenario } from './scenario-schema.js';

export interface ContractSpecUse {
  /** The description as written (relative to the scenario file). */
  spec: string;
  /** JSON path of the `spec` value in the scenario. */
  path: Array<string | number>;
  /** The `operation` (operationId) an `openapi` assertion names, and its JSON path. */
  operation?: { id: string; path: Array<string | number> };
}

/** Every description a scenario names, in the order written (the same file may appear more than once). */
export function findContractSpecs(scenario: Scenario): ContractSpecUse[] {
  const found: ContractSpecUse[] = [];
  const contract = scenario.options?.contract;
  if (contract !== undefined) found.push({ spec: contract.spec, path: ['options', 'contract', 'spec'] });
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index]);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'request') continue; // bodies may hold any keys
      if (key === 'openapi' && child !== null && typeof child === 'object' && typeof (child as { spec?: unknown }).spec === 'string') {
        const { spec, operation } = child as { spec: string; operation?: unknown };
        found.push({
          spec,
          path: [...path, key, 'spec'],
          ...(typeof operation === 'string' ? { operation: { id: operation, path: [...path, key, 'operation'] } } : {}),
        });
      } else visit(child, [...path, key]);
    }
  };
  visit(scenario.steps, ['steps']);
  return found;
}
