import { ErrorCode, SortieError } from '@sortie/core';

type Ajv2020Class = typeof import('ajv/dist/2020.js').Ajv2020;
type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
const compiled = new WeakMap<object, Validate>();

/**
 * Checks the `with` arguments of a library script against its declared parameters (a JSON
 * Schema, draft 2020-12 or 07). ajv loads only when a library script declares parameters.
 */
export async function checkScriptArguments(id: string, parameters: Record<string, unknown> | undefined, args: unknown): Promise<void> {
  if (parameters === undefined) return;
  let validate = compiled.get(parameters);
  if (validate === undefined) {
    // A CommonJS module: its class is on the namespace or on `default`, depending on the loader.
    const module = (await import('ajv/dist/2020.js')) as unknown as { Ajv2020?: Ajv2020Class; default?: { Ajv2020?: Ajv2020Class } };
    const Ajv2020 = module.Ajv2020 ?? module.default?.Ajv2020;
    if (Ajv2020 === undefined) throw new SortieError(ErrorCode.INTERNAL, 'JSON Schema support missing', 'ajv could not be loaded');
    // logger off: a library never prints (a `format` such as "email", unknown here, is ignored without Ajv's warning on stderr).
    validate = new Ajv2020({ allErrors: true, strict: false, logger: false }).compile(parameters) as Validate;
    compiled.set(parameters, validate);
  }
  if (validate(args ?? {})) return;
  const problems = (validate.errors ?? []).map(
    (e) => `${e.instancePath === '' ? 'with' : `with${e.instancePath.replaceAll('/', '.')}`} ${e.message ?? 'is invalid'}`,
  );
  throw new SortieError(
    ErrorCode.INVALID_INPUT,
    'Invalid script arguments',
    `arguments of "${id}" do not match its parameters: ${problems.join('; ')}`,
  );
}
