/** Assertions (one selector + operators), extractions, and conditions of `if`/`loop while`. */
import * as z from 'zod';
import { described, requireExactlyOne } from './schema-helpers.js';

// ---------------------------------------------------------------------------------------------
// Assertions

export const VALUE_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;

const numericOperators = z.strictObject({
  equals: described(z.number().optional(), 'The length equals this.'),
  notEquals: described(z.number().optional(), 'The length differs from this.'),
  gt: described(z.number().optional(), 'The length is greater than this.'),
  gte: described(z.number().optional(), 'The length is at least this.'),
  lt: described(z.number().optional(), 'The length is less than this.'),
  lte: described(z.number().optional(), 'The length is at most this.'),
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
  equals: described(z.unknown().optional(), 'Deep equality with the selected value.'),
  notEquals: described(z.unknown().optional(), 'The selected value does not deep-equal this.'),
  gt: described(
    z.union([z.number(), z.string()]).optional(),
    'The value is greater than this (numbers, numeric strings, else text order).',
  ),
  gte: described(z.union([z.number(), z.string()]).optional(), 'The value is greater than or equal to this.'),
  lt: described(z.union([z.number(), z.string()]).optional(), 'The value is less than this.'),
  lte: described(z.union([z.number(), z.string()]).optional(), 'The value is less than or equal to this.'),
  contains: described(z.unknown().optional(), 'Substring of a string, element of an array, or key of an object.'),
  notContains: described(z.unknown().optional(), 'The opposite of contains.'),
  matches: described(z.string().optional(), 'A regular expression the value (as text) must match.'),
  exists: described(z.boolean().optional(), 'true: the selector found something; false: it found nothing.'),
  isEmpty: described(z.boolean().optional(), 'true: the value is "", [], {} or null, or nothing was found.'),
  oneOf: described(z.array(z.unknown()).optional(), 'The value deep-equals one of these.'),
  type: described(z.enum(VALUE_TYPES).optional(), 'The JSON type of the value (integer: a whole number).'),
  length: described(
    z.union([z.number().int().nonnegative(), numericOperators]).optional(),
    'Length of a string or array, or key count: a number (equals) or comparisons.',
  ),
  schema: described(z.record(z.string(), z.unknown()).optional(), 'A JSON Schema the value must satisfy.'),
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

const namespaces = described(z.record(z.string(), z.string()), 'Prefix → namespace URI map for XPath.');

/** A contract assertion: the response checked against an OpenAPI description (docs/contract-testing.md). */
export const OpenApiAssertionSchema = z.strictObject({
  spec: described(z.string().min(1), 'The OpenAPI 3.0/3.1 or Swagger 2.0 description (JSON or YAML), relative to the scenario file.'),
  operation: described(
    z.string().min(1).optional(),
    'The operationId; default: the operation the request’s method and path match (servers and path templates included).',
  ),
});
export type OpenApiAssertion = z.infer<typeof OpenApiAssertionSchema>;

/** What an assertion checks: one selector with operators, or a whole response against a contract. */
export const ASSERTION_KINDS = [...SELECTOR_NAMES, 'openapi'] as const;

export const AssertionSchema = z
  .strictObject({
    status: described(withOperators({}, 'status').optional(), 'The response status code.'),
    header: described(
      withOperators({ name: described(z.string().min(1), 'Header name, any case.') }, 'header').optional(),
      'A response header (several of one name joined with ", ").',
    ),
    cookie: described(
      withOperators({ name: described(z.string().min(1), 'Cookie name.') }, 'cookie').optional(),
      'A cookie the response sets, else one the run’s jar holds for the request URL.',
    ),
    jsonpath: described(
      withOperators(
        {
          path: described(z.string().min(1), 'JSONPath; a definite path gives its one match, any other the array of matches.'),
          from: described(z.string().min(1).optional(), 'Evaluate on this variable instead of the response body.'),
        },
        'jsonpath',
      ).optional(),
      'The body parsed as JSON (in a db step: the result), queried with JSONPath.',
    ),
    xpath: described(
      withOperators({ path: described(z.string().min(1), 'XPath 1.0 expression.'), namespaces: namespaces.optional() }, 'xpath').optional(),
      'The body parsed as XML, queried with XPath 1.0.',
    ),
    regex: described(
      withOperators(
        {
          pattern: described(z.string().min(1), 'A JavaScript regular expression, without slashes.'),
          group: described(z.number().int().nonnegative().optional(), 'The capture group (default 1, or 0 without groups).'),
          flags: described(z.string().optional(), 'JavaScript flags (g and y are dropped).'),
        },
        'regex',
      ).optional(),
      'A capture group of the first match in the body text.',
    ),
    body: described(withOperators({}, 'body').optional(), 'The whole body as UTF-8 text.'),
    responseTime: described(withOperators({}, 'responseTime').optional(), 'The total response time in ms.'),
    variable: described(
      withOperators({ name: described(z.string().min(1), 'Variable name.') }, 'variable').optional(),
      'A variable of any scope.',
    ),
    openapi: described(
      OpenApiAssertionSchema.optional(),
      'The response against an OpenAPI description: status, content type, body schema and required headers documented.',
    ),
    name: described(z.string().optional(), 'A readable name for the assertion in reports.'),
  })
  .check(requireExactlyOne(ASSERTION_KINDS, 'an assertion'));
export type Assertion = z.infer<typeof AssertionSchema>;

// ---------------------------------------------------------------------------------------------
// Extraction

export const VARIABLE_SCOPES = ['local', 'scenario', 'environment', 'global'] as const;
export type VariableScope = (typeof VARIABLE_SCOPES)[number];

export const ExtractionSchema = z
  .strictObject({
    var: described(z.string().min(1), 'The variable to set.'),
    scope: described(z.enum(VARIABLE_SCOPES).optional(), 'Where to set it; default "local" (visible for the rest of the scenario run).'),
    status: described(z.literal(true).optional(), 'Extract the status code.'),
    header: described(z.string().min(1).optional(), 'Extract this response header.'),
    cookie: described(z.string().min(1).optional(), 'Extract this cookie.'),
    jsonpath: described(z.string().min(1).optional(), 'Extract with this JSONPath from the JSON body (or the variable `from`).'),
    from: described(z.string().min(1).optional(), 'jsonpath: evaluate on this variable instead of the response body.'),
    all: described(z.boolean().optional(), 'jsonpath/xpath: keep every match as an array instead of the first.'),
    xpath: described(z.string().min(1).optional(), 'Extract with this XPath 1.0 expression from the XML body.'),
    namespaces: namespaces.optional(),
    regex: described(z.string().min(1).optional(), 'Extract a capture group of this regular expression over the body.'),
    group: described(z.number().int().nonnegative().optional(), 'regex: the capture group (default 1, or 0 without groups).'),
    flags: described(z.string().optional(), 'regex: JavaScript flags (g and y are dropped).'),
    body: described(z.literal(true).optional(), 'Extract the whole body as text.'),
    responseTime: described(z.literal(true).optional(), 'Extract the total response time in ms.'),
    variable: described(z.string().min(1).optional(), 'Copy this variable.'),
    default: described(z.unknown().optional(), 'Value to use when the selector finds nothing; without it, nothing found is an error.'),
    secret: described(
      z.boolean().optional(),
      'Redact the value everywhere (reports, logs, errors). Default: true when the variable name looks like a credential (token, secret, password, apiKey).',
    ),
  })
  .check(requireExactlyOne(SELECTOR_NAMES, 'an extraction'));
export type Extraction = z.infer<typeof ExtractionSchema>;

// ---------------------------------------------------------------------------------------------
// Conditions (if / loop while / break): an assertion on the last response or a variable, or an
// expression on variables such as `{{count}} < 3`.

export const ExpressionConditionSchema = z.strictObject({
  expression: described(
    z.string().min(1),
    '`<value> <op> <value>` with ==, !=, <, <=, >, >=, contains; or one value tested for truthiness.',
  ),
});

export const ConditionSchema = z.union([ExpressionConditionSchema, AssertionSchema]);
export type Condition = z.infer<typeof ConditionSchema>;

/** Variable names that hold credentials unless an extraction says `secret: false`. */
export const SECRET_NAME_PATTERN = /token|secret|passw(or)?d|passwd|api[-_]?key|credential|private[-_]?key/i;
