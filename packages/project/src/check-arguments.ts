import { ErrorCode, SortieError } from '@sortie/core';

type Ajv2020Class = typeof import('ajv/dist/2020.js').Ajv2020;
interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
const compiled = new WeakMap<object, Validate>();

/**
 * Compiles a library script's declared parameters (a JSON Schema, draft 2020-12 or 07) once; ajv
 * loads only when a library script declares parameters.
 * @throws SortieError INVALID_INPUT when `parameters` is not a valid JSON Schema (an unknown
 *   `type`, a `$ref` to nothing…), with ajv's reason.
 */
export async function compileParameters(parameters: Record<string, unknown>): Promise<Validate> {
  const known = compiled.get(parameters);
  if (known !== undefined) return known;
  // A CommonJS module: its class is on the namespace or on `default`, depending on the loader.
  const module = (await import('ajv/dist/2020.js')) as unknown as { Ajv2020?: Ajv2020Class; default?: { Ajv2020?: Ajv2020Class } };
  const Ajv2020 = module.Ajv2020 ?? module.default?.Ajv2020;
  if (Ajv2020 === undefined) throw new SortieError(ErrorCode.INTERNAL, 'JSON Schema support missing', 'ajv could not be loaded');
  let validate: Validate;
  try {
    // logger off: a library never prints (a `format` such as "email", unknown here, is ignored without Ajv's warning on stderr).
    // useDefaults: a parameter with a `default` may be left out, even when listed in `required`
    // (validation runs on a copy: the script still receives `with` as written).
    validate = new Ajv2020({ allErrors: true, strict: false, logger: false, useDefaults: true }).compile(parameters) as unknown as Validate;
  } catch (error) {
    // ajv names the schema "data": "schema is invalid: data/type must be equal to one of the allowed values".
    const reason = (error as Error).message
      .replace(/^schema is invalid: /, '')
      .replace(/\bdata(\/|\b)/g, (_, slash) => (slash === '/' ? '' : 'it'));
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid script library', `not a valid JSON Schema: ${reason}`);
  }
  compiled.set(parameters, validate);
  return validate;
}

/**
 * A script that declares no `parameters` takes no `with`: arguments it never reads would be ignored
 * silently (a misspelt or misplaced one with them).
 * @throws SortieError INVALID_INPUT when `with` is given (`args` defined) for such a script.
 */
export function refuseArgumentsWithoutParameters(id: string, parameters: Record<string, unknown> | undefined, args: unknown): void {
  if (parameters !== undefined || args === undefined) return;
  const scriptName = id.slice(id.lastIndexOf('/') + 1);
  throw new SortieError(ErrorCode.INVALID_INPUT, 'Unexpected script arguments', `"${id}" declares no parameters, so it takes no "with"`, {
    hint: `declare them under "parameters" of "${scriptName}" in its sortie-library.json, or remove "with"`,
  });
}

/**
 * Checks the `with` arguments of a library script against its declared parameters.
 * @throws SortieError INVALID_INPUT naming every argument that does not match (never its value).
 */
export async function checkScriptArguments(id: string, parameters: Record<string, unknown> | undefined, args: unknown): Promise<void> {
  refuseArgumentsWithoutParameters(id, parameters, args);
  if (parameters === undefined) return;
  const validate = await compileParameters(parameters).catch((error: SortieError) => {
    throw new SortieError(error.code, error.title, `the parameters of "${id}" are ${error.message}`);
  });
  if (validate(structuredClone(args ?? {}))) return;
  const problems = (validate.errors ?? []).map(describeArgumentError);
  throw new SortieError(
    ErrorCode.INVALID_INPUT,
    'Invalid script arguments',
    `arguments of "${id}" do not match its parameters: ${problems.join('; ')}`,
  );
}

/** One ajv error as a user reads it: which argument, and what was expected (the name of an unknown one, the allowed values). */
function describeArgumentError(error: AjvError): string {
  const where = error.instancePath === '' ? 'with' : `with${error.instancePath.replaceAll('/', '.')}`;
  const { params } = error;
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `${where} has unknown property "${params.additionalProperty}"`;
  }
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${where} must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  if (error.keyword === 'const' && 'allowedValue' in params) return `${where} must be ${JSON.stringify(params.allowedValue)}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}
