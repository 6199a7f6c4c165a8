/** Assertions (one selector + operators), extractions, and conditions of `if`/`loop while`. */
import * as z from 'zod';
import { requireExactlyOne } from './schema-helpers.js';

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
  .check(requireExactlyOne(SELECTOR_NAMES, 'an assertion'));
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
    secret: z
      .boolean()
      .optional()
      .describe(
        'Redact the value everywhere (reports, logs, errors). Default: true when the variable name looks like a credential (token, secret, password, apiKey).',
      ),
  })
  .check(requireExactlyOne(SELECTOR_NAMES, 'an extraction'));
export type Extraction = z.infer<typeof ExtractionSchema>;

// ---------------------------------------------------------------------------------------------
// Conditions (if / loop while / break): an assertion on the last response or a variable, or an
// expression on variables such as `{{count}} < 3`.

export const ExpressionConditionSchema = z.strictObject({
  expression: z.string().min(1).describe('`<value> <op> <value>` with ==, !=, <, <=, >, >=, contains; or one value tested for truthiness.'),
});

export const ConditionSchema = z.union([ExpressionConditionSchema, AssertionSchema]);
export type Condition = z.infer<typeof ConditionSchema>;

/** Variable names that hold credentials unless an extraction says `secret: false`. */
export const SECRET_NAME_PATTERN = /token|secret|passw(or)?d|passwd|api[-_]?key|credential|private[-_]?key/i;
