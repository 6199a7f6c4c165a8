/** The request of a request step: method, URL, headers, query, body, and per-request settings. */
import * as z from 'zod';
import { AuthChoiceSchema } from './auth-reference-schema.js';
import { TOKEN_CHARACTERS } from './field-name.js';
import { described, requireExactlyOne, scalar } from './schema-helpers.js';

const multipartPart = z
  .strictObject({
    name: described(z.string().min(1), 'Field name.'),
    value: described(scalar.optional(), 'Field value (a string, number or boolean).'),
    file: described(z.string().min(1).optional(), 'Path of a file, relative to the scenario file.'),
    filename: described(z.string().optional(), 'File name sent for the part; file parts default to the file’s base name.'),
    contentType: described(z.string().optional(), 'Content type of the part; file parts default to a guess from the extension.'),
  })
  .check(requireExactlyOne(['value', 'file'], 'a multipart part'));

export const GraphqlBodySchema = z.strictObject({
  query: described(z.string().min(1), 'The GraphQL document (rendered as text).'),
  variables: described(z.record(z.string(), z.unknown()).optional(), 'GraphQL variables (templates keep their type).'),
  operationName: described(z.string().optional(), 'The operation to run when the document has several.'),
});

export const BODY_KINDS = ['json', 'text', 'form', 'multipart', 'file', 'xml', 'graphql'] as const;

export const BodySchema = z
  .strictObject({
    json: described(z.unknown().optional(), 'Any JSON value, sent as application/json (a "{{x}}" string keeps x’s type).'),
    text: described(z.string().optional(), 'Text, sent as text/plain;charset=utf-8.'),
    form: described(
      z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
      'Fields sent as application/x-www-form-urlencoded (an array repeats the name).',
    ),
    multipart: described(z.array(multipartPart).optional(), 'Parts sent as multipart/form-data.'),
    file: described(z.string().min(1).optional(), 'Path of a file sent as the raw body, relative to the scenario file.'),
    xml: described(z.string().optional(), 'XML text, sent byte for byte as application/xml.'),
    graphql: described(GraphqlBodySchema.optional(), 'Sent as JSON {query, variables, operationName}.'),
    contentType: described(z.string().optional(), 'Overrides the content type the body kind implies.'),
  })
  .check(requireExactlyOne(BODY_KINDS, 'a body'));
export type Body = z.infer<typeof BodySchema>;

/**
 * A request header's name as written: an RFC 9110 §5.6.2 token (§5.1: field names are tokens), or a
 * name with a template in it, which is checked once rendered, before the request is sent.
 */
const HeaderNameSchema = z
  .string()
  .regex(
    new RegExp(`^(?:[${TOKEN_CHARACTERS}]+|.*\\{\\{.*)$`, 's'),
    "expected a header name: only letters, digits and !#$%&'*+-.^_`|~ (RFC 9110 §5.1), or a {{template}}",
  );

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
  url: described(z.string().min(1), 'Absolute URL, or a path relative to `service`.'),
  service: described(z.string().optional(), 'Name of a service (base URL) of the environment.'),
  headers: described(z.record(HeaderNameSchema, scalar).optional(), 'Request headers: name → value (templates rendered).'),
  query: described(
    z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
    'Query parameters appended to the URL; an array repeats the name.',
  ),
  body: described(BodySchema.optional(), 'The request body: exactly one kind (json, text, form, multipart, file, xml, graphql).'),
  timeout: described(z.number().int().positive().optional(), 'Request timeout in ms.'),
  followRedirects: described(z.boolean().optional(), 'Follow redirects (default: the scenario’s option, else true).'),
  maxRedirects: described(z.number().int().nonnegative().optional(), 'Most redirects followed (default: the scenario’s option, else 10).'),
  auth: described(AuthChoiceSchema.optional(), 'Auth profile for this request: a name, an inline profile, or "none".'),
  http2: described(z.boolean().optional(), 'Negotiate HTTP/2 for this request (over TLS).'),
  maxResponseBytes: described(
    z.number().int().positive().optional(),
    'Most bytes of the response body, as received and once decompressed (default: the scenario’s option, else the run’s, else 104857600).',
  ),
});
export type RequestSpec = z.infer<typeof RequestSchema>;

export const BACKOFF_KINDS = ['fixed', 'exponential'] as const;

export const RetrySchema = z.strictObject({
  count: described(z.number().int().min(0).max(100), 'Retries after the first attempt.'),
  delay: described(z.number().int().nonnegative().optional(), 'Delay before the first retry in ms (default 500).'),
  backoff: described(z.enum(BACKOFF_KINDS).optional(), 'fixed (default) or exponential (delay × 2^attempt).'),
  maxDelay: described(z.number().int().positive().optional(), 'Upper bound of one delay in ms (default 30000).'),
  jitter: described(z.boolean().optional(), 'Randomise each delay between half and all of it (default false).'),
  statuses: described(z.array(z.number().int().min(100).max(599)).optional(), 'Statuses that are retried (default 429, 502, 503, 504).'),
  networkErrors: described(z.boolean().optional(), 'Retry refused/reset/timed-out requests (default true).'),
});
export type Retry = z.infer<typeof RetrySchema>;
