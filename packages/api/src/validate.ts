import { ErrorCode, SortieError } from '@sortie/core';
import { loadPlanWithSecrets, type PlanInputs, type RunPlan, type SecretVariable } from '@sortie/project';

/** Options of {@link validate}. */
export interface ValidateOptions {
  /**
   * The plan will leave this process (`sortie run --remote`, a server taking a bundle): a Postman
   * collection variable typed `secret` that carries its value in the file is refused, since the plan
   * would carry that value to the server, through Redis and to the agents (where nothing redacts it).
   */
  travels?: boolean;
}

/**
 * Validates every input without running anything and without looking up secret values (the names
 * are checked, not the values): `loadPlan` with `env` left out.
 * @returns the plan, whose files are all valid.
 * @throws SortieError with every problem of every input.
 */
export async function validate(inputs: Omit<PlanInputs, 'env'>, options: ValidateOptions = {}): Promise<RunPlan> {
  const { env: _ignored, ...rest } = inputs as PlanInputs;
  const loaded = await loadPlanWithSecrets(rest);
  if (options.travels === true && loaded.secretVariables.length > 0) throw travellingSecrets(loaded.secretVariables);
  return loaded.plan;
}

function travellingSecrets(variables: readonly SecretVariable[]): SortieError {
  const errors = variables.map(
    ({ name, location }) =>
      new SortieError(
        ErrorCode.INVALID_INPUT,
        'Secret in a collection',
        `variable "${name}" is typed secret and has a value in ${location.file}: the plan would carry it to the server and the agents`,
        {
          hint: `secret values never travel: empty its value in the collection, declare "${name}" in the "secrets" of the project or the environment, and set it in the environment (or .env) of the agents`,
          location,
        },
      ),
  );
  if (errors.length === 1) return errors[0]!;
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid input', `${errors.length} collection variables typed secret have values`, {
    details: errors,
  });
}
