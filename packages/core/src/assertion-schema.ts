/** Assertions (one selector + operators), extractions, and conditions of `if`/`loop while`. */
import * as z from 'zod';
import { requireExactlyOne } from './schema-helpers.js';

// ---------------------------------------------------------------------------------------------
// Assertions

export const VALUE_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;

const numericOperators = z.strictObject({
  equals: z.number().optional().describe('The length equals this.'),
  notEquals: z.number().optional().describe('The length differs from this.'),
  gt: z.number().optional().describe('The length is greater than this.'),
  gte: z.number().optional().describe('The length is at least this.'),
  lt: z.number().optional().describe('The length is less than this.'),
  lte: z.number().optional().describe('The length is at most this.'),
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
  notEquals: z.unknown().optional().describe('The selected value does not deep-equal this.'),
  gt: z.union([z.number(), z.string()]).optional().describe('The value is greater than this (numbers, numeric strings, else text order).'),
  gte: z.union([z.number(), z.string()]).optional().describe('The value is greater than or equal to this.'),
  lt: z.union([z.number(), z.string()]).optional().describe('The value is less than this.'),
  lte: z.union([z.number(), z.string()]).optional().describe('The value is less than or equal to this.'),
  contains: z.unknown().optional().describe('Substring of a string, element of an array, or key of an object.'),
  notContains: z.unknown().optional().describe('The opposite of contains.'),
  matches: z.string().optional().describe('A regular expression the value (as text) must match.'),
  exists: z.boolean().optional().describe('true: the selector found something; false: it found nothing.'),
  isEmpty: z.boolean().optional().describe('true: the value is "", [], {} or null, or nothing was found.'),
  oneOf: z.array(z.unknown()).optional().describe('The value deep-equals one of these.'),
  type: z.enum(VALUE_TYPES).optional().describe('The JSON type of the value (integer: a whole number).'),
  length: z
    .union([z.number().int().nonnegative(), numericOperators])
    .optional()
    .describe('Length of a string or array, or key count: a number (equals) or comparisons.'),
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

/** A contract assertion: the response checked against an OpenAPI description (docs/contract-testing.md). */
export const OpenApiAssertionSchema = z.strictObject({
  spec: z.string().min(1).describe('The OpenAPI 3.0/3.1 or Swagger 2.0 description (JSON or YAML), relative to the scenario file.'),
  operation: z
    .string()
    .min(1)
    .optional()
    .describe('The operationId; default: the operation the request’s method and path match (servers and path templates included).'),
});
export type OpenApiAssertion = z.infer<typeof OpenApiAssertionSchema>;

/** What an assertion checks: one selector with operators, or a whole response against a contract. */
export const ASSERTION_KINDS = [...SELECTOR_NAMES, 'openapi'] as const;

export const AssertionSchema = z
  .strictObject({
    status: withOperators({}, 'status').optional().describe('The response status code.'),
    header: withOperators({ name: z.string().min(1).describe('Header name, any case.') }, 'header')
      .optional()
      .describe('A response header (several of one name joined with ", ").'),
    cookie: withOperators({ name: z.string().min(1).describe('Cookie name.') }, 'cookie')
      .optional()
      .describe('A cookie the run’s jar holds for the request URL.'),
    jsonpath: withOperators(
      {
        path: z.string().min(1).describe('JSONPath; a definite path gives its one match, any other the array of matches.'),
        from: z.string().min(1).optional().describe('Evaluate on this variable instead of the response body.'),
      },
      'jsonpath',
    )
      .optional()
      .describe('The body parsed as JSON (in a db step: the result), queried with JSONPath.'),
    xpath: withOperators({ path: z.string().min(1).describe('XPath 1.0 expression.'), namespaces: namespaces.optional() }, 'xpath')
      .optional()
      .describe('The body parsed as XML, queried with XPath 1.0.'),
    regex: withOperators(
      {
        pattern: z.string().min(1).describe('A JavaScript regular expression, without slashes.'),
        group: z.number().int().nonnegative().optional().describe('The capture group (default 1, or 0 without groups).'),
        flags: z.string().optional().describe('JavaScript flags (g and y are dropped).'),
      },
      'regex',
    )
      .optional()
      .describe('A capture group of the first match in the body text.'),
    body: withOperators({}, 'body').optional().describe('The whole body as UTF-8 text.'),
    responseTime: withOperators({}, 'responseTime').optional().describe('The total response time in ms.'),
    variable: withOperators({ name: z.string().min(1).describe('Variable name.') }, 'variable')
      .optional()
      .describe('A variable of any scope.'),
    openapi: OpenApiAssertionSchema.optional().describe(
      'The response against an OpenAPI description: status, content type, body schema and required headers documented.',
    ),
    name: z.string().optional().describe('A readable name for the assertion in reports.'),
  })
  .check(requireExactlyOne(ASSERTION_KINDS, 'an assertion'));
export type Assertion = z.infer<typeof AssertionSchema>;

// ---------------------------------------------------------------------------------------------
// Extraction

export const VARIABLE_SCOPES = ['local', 'scenario', 'environment', 'global'] as const;
export type VariableScope = (typeof VARIABLE_SCOPES)[number];

export const ExtractionSchema = z
  .strictObject({
    var: z.string().min(1).describe('The variable to set.'),
    scope: z.enum(VARIABLE_SCOPES).optional().describe('Where to set it; default "local" (visible for the rest of the scenario run).'),
    status: z.literal(true).optional().describe('Extract the status code.'),
    header: z.string().min(1).optional().describe('Extract this response header.'),
    cookie: z.string().min(1).optional().describe('Extract this cookie.'),
    jsonpath: z.string().min(1).optional().describe('Extract with this JSONPath from the JSON body (or the variable `from`).'),
    from: z.string().min(1).optional().describe('jsonpath: evaluate on this variable instead of the response body.'),
    all: z.boolean().optional().describe('jsonpath/xpath: keep every match as an array instead of the first.'),
    xpath: z.string().min(1).optional().describe('Extract with this XPath 1.0 expression from the XML body.'),
    namespaces: namespaces.optional(),
    regex: z.string().min(1).optional().describe('Extract a capture group of this regular expression over the body.'),
    group: z.number().int().nonnegative().optional().describe('regex: the capture group (default 1, or 0 without groups).'),
    flags: z.string().optional().describe('regex: JavaScript flags (g and y are dropped).'),
    body: z.literal(true).optional().describe('Extract the whole body as text.'),
    responseTime: z.literal(true).optional().describe('Extract the total response time in ms.'),
    variable: z.string().min(1).optional().describe('Copy this variable.'),
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
