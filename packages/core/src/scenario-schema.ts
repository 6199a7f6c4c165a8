/**
 * The scenario and environment formats — the single source of truth. TypeScript types are
 * inferred from these Zod schemas and `schemas/*.schema.json` is generated from them
 * (`pnpm schemas`); CI fails when the committed JSON Schemas drift.
 */
import * as z from 'zod';
import { DatabaseConnectionSchema, DbOperationSchema } from './db-schema.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Exactly one of `keys` must be present on the object. */
function exactlyOne<T extends Record<string, unknown>>(keys: readonly string[], what: string) {
  return (value: T, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `expected one of ${keys.map((k) => `"${k}"`).join(', ')} in ${what}`
            : `expected only one of ${keys.map((k) => `"${k}"`).join(', ')} in ${what}, found ${present.map((k) => `"${k}"`).join(' and ')}`,
      });
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Assertions

export const VALUE_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;

const numericOperators = z.strictObject({
  equals: z.number().optional(),
  notEquals: z.number().optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
});

/** The operators an assertion may use; every operator given must hold. */
export const OPERATOR_NAMES = [
  'equals',
  'notEquals',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'notContains',
  'matches',
  'exists',
  'isEmpty',
  'oneOf',
  'type',
  'length',
  'schema',
] as const;
export type OperatorName = (typeof OPERATOR_NAMES)[number];

const operatorShape = {
  equals: z.unknown().optional().describe('Deep equality with the selected value.'),
  notEquals: z.unknown().optional(),
  gt: z.union([z.number(), z.string()]).optional(),
  gte: z.union([z.number(), z.string()]).optional(),
  lt: z.union([z.number(), z.string()]).optional(),
  lte: z.union([z.number(), z.string()]).optional(),
  contains: z.unknown().optional().describe('Substring of a string, element of an array, or key of an object.'),
  notContains: z.unknown().optional(),
  matches: z.string().optional().describe('A regular expression the value (as text) must match.'),
  exists: z.boolean().optional(),
  isEmpty: z.boolean().optional(),
  oneOf: z.array(z.unknown()).optional(),
  type: z.enum(VALUE_TYPES).optional(),
  length: z.union([z.number().int().nonnegative(), numericOperators]).optional(),
  schema: z.record(z.string(), z.unknown()).optional().describe('A JSON Schema the value must satisfy.'),
};

function withOperators<S extends z.ZodRawShape>(shape: S, selector: string) {
  return z.strictObject({ ...shape, ...operatorShape }).superRefine((value, ctx) => {
    if (!OPERATOR_NAMES.some((op) => (value as Record<string, unknown>)[op] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected at least one operator (${OPERATOR_NAMES.join(', ')}) in the "${selector}" assertion`,
      });
    }
  });
}

export const SELECTOR_NAMES = ['status', 'header', 'cookie', 'jsonpath', 'xpath', 'regex', 'body', 'responseTime', 'variable'] as const;
export type SelectorName = (typeof SELECTOR_NAMES)[number];

const namespaces = z.record(z.string(), z.string()).describe('Prefix → namespace URI map for XPath.');

export const AssertionSchema = z
  .strictObject({
    status: withOperators({}, 'status').optional(),
    header: withOperators({ name: z.string().min(1) }, 'header').optional(),
    cookie: withOperators({ name: z.string().min(1) }, 'cookie').optional(),
    jsonpath: withOperators(
      { path: z.string().min(1), from: z.string().min(1).optional().describe('Evaluate on this variable instead of the response body.') },
      'jsonpath',
    ).optional(),
    xpath: withOperators({ path: z.string().min(1), namespaces: namespaces.optional() }, 'xpath').optional(),
    regex: withOperators(
      { pattern: z.string().min(1), group: z.number().int().nonnegative().optional(), flags: z.string().optional() },
      'regex',
    ).optional(),
    body: withOperators({}, 'body').optional(),
    responseTime: withOperators({}, 'responseTime').optional(),
    variable: withOperators({ name: z.string().min(1) }, 'variable').optional(),
    name: z.string().optional().describe('A readable name for the assertion in reports.'),
  })
  .superRefine(exactlyOne(SELECTOR_NAMES, 'an assertion'));
export type Assertion = z.infer<typeof AssertionSchema>;

// ---------------------------------------------------------------------------------------------
// Extraction

export const VARIABLE_SCOPES = ['local', 'scenario', 'environment', 'global'] as const;
export type VariableScope = (typeof VARIABLE_SCOPES)[number];

export const ExtractionSchema = z
  .strictObject({
    var: z.string().min(1).describe('The variable to set.'),
    scope: z.enum(VARIABLE_SCOPES).optional().describe('Where to set it; default "local" (visible for the rest of the scenario run).'),
    status: z.literal(true).optional(),
    header: z.string().min(1).optional(),
    cookie: z.string().min(1).optional(),
    jsonpath: z.string().min(1).optional(),
    from: z.string().min(1).optional().describe('jsonpath: evaluate on this variable instead of the response body.'),
    all: z.boolean().optional().describe('jsonpath/xpath: keep every match as an array instead of the first.'),
    xpath: z.string().min(1).optional(),
    namespaces: namespaces.optional(),
    regex: z.string().min(1).optional(),
    group: z.number().int().nonnegative().optional().describe('regex: the capture group (default 1, or 0 without groups).'),
    flags: z.string().optional(),
    body: z.literal(true).optional(),
    responseTime: z.literal(true).optional(),
    variable: z.string().min(1).optional(),
    default: z.unknown().optional().describe('Value to use when the selector finds nothing; without it, nothing found is an error.'),
  })
  .superRefine(exactlyOne(SELECTOR_NAMES, 'an extraction'));
export type Extraction = z.infer<typeof ExtractionSchema>;

// ---------------------------------------------------------------------------------------------
// Processors

export const ProcessorSchema = z
  .strictObject({
    assert: AssertionSchema.optional(),
    extract: ExtractionSchema.optional(),
    wait: z.number().int().nonnegative().optional().describe('Milliseconds to wait.'),
    db: DbOperationSchema.optional().describe('A database operation; its result goes to the variable named by `as`.'),
  })
  .superRefine(exactlyOne(['assert', 'extract', 'wait', 'db'], 'a processor'));
export type Processor = z.infer<typeof ProcessorSchema>;

// ---------------------------------------------------------------------------------------------
// Requests

const multipartPart = z
  .strictObject({
    name: z.string().min(1),
    value: scalar.optional(),
    file: z.string().min(1).optional().describe('Path of a file, relative to the scenario file.'),
    filename: z.string().optional(),
    contentType: z.string().optional(),
  })
  .superRefine(exactlyOne(['value', 'file'], 'a multipart part'));

export const BODY_KINDS = ['json', 'text', 'form', 'multipart', 'file', 'xml'] as const;

export const BodySchema = z
  .strictObject({
    json: z.unknown().optional(),
    text: z.string().optional(),
    form: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
    multipart: z.array(multipartPart).optional(),
    file: z.string().min(1).optional().describe('Path of a file sent as the raw body, relative to the scenario file.'),
    xml: z.string().optional(),
    contentType: z.string().optional().describe('Overrides the content type the body kind implies.'),
  })
  .superRefine(exactlyOne(BODY_KINDS, 'a body'));
export type Body = z.infer<typeof BodySchema>;

export const RequestSchema = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET or POST')
    .default('GET'),
  url: z.string().min(1).describe('Absolute URL, or a path relative to `service`.'),
  service: z.string().optional().describe('Name of a service (base URL) of the environment.'),
  headers: z.record(z.string(), scalar).optional(),
  query: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
  body: BodySchema.optional(),
  timeout: z.number().int().positive().optional().describe('Request timeout in ms.'),
  followRedirects: z.boolean().optional(),
  maxRedirects: z.number().int().nonnegative().optional(),
});
export type RequestSpec = z.infer<typeof RequestSchema>;

export const ON_ERROR_POLICIES = ['end', 'continue', 'ignore'] as const;
export type OnErrorPolicy = (typeof ON_ERROR_POLICIES)[number];

const stepCommon = {
  name: z.string().optional(),
  description: z.string().optional(),
  pre: z.array(ProcessorSchema).optional(),
  post: z.array(ProcessorSchema).optional(),
  onError: z.enum(ON_ERROR_POLICIES).optional(),
};

export const RequestStepSchema = z.strictObject({
  ...stepCommon,
  request: RequestSchema,
});
export type RequestStep = z.infer<typeof RequestStepSchema>;

export const DbStepSchema = z.strictObject({
  ...stepCommon,
  db: DbOperationSchema.describe('A database operation; post-processors read its result like a response body.'),
});
export type DbStep = z.infer<typeof DbStepSchema>;

export const StepSchema = z.union([RequestStepSchema, DbStepSchema]);
export type Step = z.infer<typeof StepSchema>;

// ---------------------------------------------------------------------------------------------
// Scenario

export const ScenarioOptionsSchema = z.strictObject({
  onError: z.enum(ON_ERROR_POLICIES).optional().describe('What a failed or errored step does to the run: end (default), continue, ignore.'),
  timeoutRequest: z.number().int().positive().optional().describe('Default request timeout in ms (30000).'),
  followRedirects: z.boolean().optional().describe('Follow redirects (default true).'),
  maxRedirects: z.number().int().nonnegative().optional().describe('Maximum redirects followed (default 10).'),
  maxBodyInReport: z.number().int().nonnegative().optional().describe('Bytes of each body kept in reports (default 10240).'),
});
export type ScenarioOptions = z.infer<typeof ScenarioOptionsSchema>;

export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  options: ScenarioOptionsSchema.optional(),
  steps: z.array(StepSchema),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

// ---------------------------------------------------------------------------------------------
// Environment

export const ServiceSchema = z.union([z.string().min(1), z.strictObject({ url: z.string().min(1), default: z.boolean().optional() })]);

export const EnvironmentSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  services: z.record(z.string(), ServiceSchema).optional(),
  databases: z
    .record(z.string(), DatabaseConnectionSchema)
    .optional()
    .describe('Named database connections for `db` steps and processors.'),
});
export type Environment = z.infer<typeof EnvironmentSchema>;
