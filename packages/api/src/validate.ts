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
  /**
   * The inputs are an unpacked bundle a client sent (a server taking it): a Postman environment export
   * whose variables typed `secret` carry their values is refused too. `sortie run --remote` empties those
   * values as it makes the bundle (it validates the user's files, values and all, without this option);
   * a bundle sent otherwise must not leave them on the server while the agents' values are used instead.
   */
  bundle?: boolean;
}

/**
 * Validates every input without running anything and without looking up secret values (the names
 * are checked, not the values): `loadPlan` with `env` left out.
 * @returns the plan, whose files are all valid.
 * @throws SortieError with every problem of every input.
 */
export async function validate(inputs: Omit<PlanInputs, 'env'>, options: ValidateOptions = {}): Promise<RunPlan> {
  const { env: _ignored, ...rest } = (inputs ?? {}) as PlanInputs;
  const loaded = await loadPlanWithSecrets(rest);
  const collection = options.travels === true ? loaded.secretVariables : [];
  const environment = options.bundle === true ? loaded.environmentSecrets : [];
  if (collection.length + environment.length > 0) throw travellingSecrets(collection, environment);
  return loaded.plan;
}

/** One error for the secret values found (never the values themselves): each where it is written. */
function travellingSecrets(collection: readonly SecretVariable[], environment: readonly SecretVariable[]): SortieError {
  const errors = [
    ...collection.map(
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
    ),
    ...environment.map(
      ({ name, location }) =>
        new SortieError(
          ErrorCode.INVALID_INPUT,
          'Secret in an environment',
          `variable "${name}" is typed secret and has a value in ${location.file}: the bundle would carry it to the server, and the agents would use their own value instead`,
          {
            hint: `secret values never travel: empty its value in the environment (\`sortie run --remote\` does so in the bundle it makes), and set "${name}" in the environment (or .env) of the agents`,
            location,
          },
        ),
    ),
  ];
  if (errors.length === 1) return errors[0]!;
  const what = environment.length === 0 ? 'collection variables' : collection.length === 0 ? 'environment variables' : 'variables';
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid input', `${errors.length} ${what} typed secret have values`, {
    details: errors,
  });
}
