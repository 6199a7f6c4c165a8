import { loadPlan, type PlanInputs, type RunPlan } from '@sortie/project';

/**
 * Validates every input without running anything and without looking up secret values (the names
 * are checked, not the values): `loadPlan` with `env` left out.
 * @returns the plan, whose files are all valid.
 * @throws SortieError with every problem of every input.
 */
export function validate(inputs: Omit<PlanInputs, 'env'>): Promise<RunPlan> {
  const { env: _ignored, ...rest } = inputs as PlanInputs;
  return loadPlan(rest);
}
