/** The request of a request step: method, URL, headers, query, body, and per-request settings. */
import * as z from 'zod';
import { AuthChoiceSchema } from './auth-reference-schema.js';
import { requireExactlyOne, scalar } from './schema-helpers.js';

const multipartPart = z
  .strictObject({
    name: z.string().min(1).describe('Field name.'),
    value: scalar.optional().describe('Field value (a string, number or boolean).'),
    file: z.string().min(1).optional().describe('Path of a file, relative to the scenario file.'),
    filename: z.string().optional().describe('File name sent for the part; file parts default to the file’s base name.'),
    contentType: z.string().optional().describe('Content type of the part; file parts default to a guess from the extension.'),
  })
  .check(requireExactlyOne(['value', 'file'], 'a multipart part'));

export const GraphqlBodySchema = z.strictObject({
  query: z.string().min(1).describe('The GraphQL document (rendered as text).'),
  variables: z.record(z.string(), z.unknown()).optional().describe('GraphQL variables (templates keep their type).'),
  operationName: z.string().optional().describe('The operation to run when the document has several.'),
});

export const BODY_KINDS = ['json', 'text', 'form', 'multipart', 'file', 'xml', 'graphql'] as const;

export const BodySchema = z
  .strictObject({
    json: z.unknown().optional().describe('Any JSON value, sent as application/json (a "{{x}}" string keeps x’s type).'),
    text: z.string().optional().describe('Text, sent as text/plain;charset=utf-8.'),
    form: z
      .record(z.string(), z.union([scalar, z.array(scalar)]))
      .optional()
      .describe('Fields sent as application/x-www-form-urlencoded (an array repeats the name).'),
    multipart: z.array(multipartPart).optional().describe('Parts sent as multipart/form-data.'),
    file: z.string().min(1).optional().describe('Path of a file sent as the raw body, relative to the scenario file.'),
    xml: z.string().optional().describe('XML text, sent byte for byte as application/xml.'),
    graphql: GraphqlBodySchema.optional().describe('Sent as JSON {query, variables, operationName}.'),
    contentType: z.string().optional().describe('Overrides the content type the body kind implies.'),
  })
  .check(requireExactlyOne(BODY_KINDS, 'a body'));
export type Body = z.infer<typeof BodySchema>;

/** The usual HTTP methods (RFC 9110 §9.3, RFC 5789), suggested by editors; any other method of letters is accepted too. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT'] as const;

export const RequestSchema = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET or POST')
    .default('GET')
    .meta({
      description: 'HTTP method, default GET; sent in upper case. Custom methods (letters only) are allowed.',
      // Editors suggest the usual methods from the enum; the pattern keeps custom ones valid.
      anyOf: [{ enum: [...HTTP_METHODS] }, { type: 'string', pattern: '^[A-Za-z]+$' }],
    }),
  url: z.string().min(1).describe('Absolute URL, or a path relative to `service`.'),
  service: z.string().optional().describe('Name of a service (base URL) of the environment.'),
  headers: z.record(z.string(), scalar).optional().describe('Request headers: name → value (templates rendered).'),
  query: z
    .record(z.string(), z.union([scalar, z.array(scalar)]))
    .optional()
    .describe('Query parameters appended to the URL; an array repeats the name.'),
  body: BodySchema.optional().describe('The request body: exactly one kind (json, text, form, multipart, file, xml, graphql).'),
  timeout: z.number().int().positive().optional().describe('Request timeout in ms.'),
  followRedirects: z.boolean().optional().describe('Follow redirects (default: the scenario’s option, else true).'),
  maxRedirects: z.number().int().nonnegative().optional().describe('Most redirects followed (default: the scenario’s option, else 10).'),
  auth: AuthChoiceSchema.optional().describe('Auth profile for this request: a name, an inline profile, or "none".'),
  http2: z.boolean().optional().describe('Negotiate HTTP/2 for this request (over TLS).'),
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      'Most bytes of the response body, as received and once decompressed (default: the scenario’s option, else the run’s, else 104857600).',
    ),
});
export type RequestSpec = z.infer<typeof RequestSchema>;

export const BACKOFF_KINDS = ['fixed', 'exponential'] as const;

export const RetrySchema = z.strictObject({
  count: z.number().int().min(0).max(100).describe('Retries after the first attempt.'),
  delay: z.number().int().nonnegative().optional().describe('Delay before the first retry in ms (default 500).'),
  backoff: z.enum(BACKOFF_KINDS).optional().describe('fixed (default) or exponential (delay × 2^attempt).'),
  maxDelay: z.number().int().positive().optional().describe('Upper bound of one delay in ms (default 30000).'),
  jitter: z.boolean().optional().describe('Randomise each delay between half and all of it (default false).'),
  statuses: z.array(z.number().int().min(100).max(599)).optional().describe('Statuses that are retried (default 429, 502, 503, 504).'),
  networkErrors: z.boolean().optional().describe('Retry refused/reset/timed-out requests (default true).'),
});
export type Retry = z.infer<typeof RetrySchema>;
