/** The request of a request step: method, URL, headers, query, body, and per-request settings. */
import * as z from 'zod';
import { AuthChoiceSchema } from './auth-reference-schema.js';
import { requireExactlyOne, scalar } from './schema-helpers.js';

const multipartPart = z
  .strictObject({
    name: z.string().min(1),
    value: scalar.optional(),
    file: z.string().min(1).optional().describe('Path of a file, relative to the scenario file.'),
    filename: z.string().optional(),
    contentType: z.string().optional(),
  })
  .check(requireExactlyOne(['value', 'file'], 'a multipart part'));

export const GraphqlBodySchema = z.strictObject({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).optional(),
  operationName: z.string().optional(),
});

export const BODY_KINDS = ['json', 'text', 'form', 'multipart', 'file', 'xml', 'graphql'] as const;

export const BodySchema = z
  .strictObject({
    json: z.unknown().optional(),
    text: z.string().optional(),
    form: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
    multipart: z.array(multipartPart).optional(),
    file: z.string().min(1).optional().describe('Path of a file sent as the raw body, relative to the scenario file.'),
    xml: z.string().optional(),
    graphql: GraphqlBodySchema.optional().describe('Sent as JSON {query, variables, operationName}.'),
    contentType: z.string().optional().describe('Overrides the content type the body kind implies.'),
  })
  .check(requireExactlyOne(BODY_KINDS, 'a body'));
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
  auth: AuthChoiceSchema.optional().describe('Auth profile for this request: a name, an inline profile, or "none".'),
  http2: z.boolean().optional().describe('Negotiate HTTP/2 for this request (over TLS).'),
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
