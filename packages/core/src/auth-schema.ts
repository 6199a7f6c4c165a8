/**
 * Auth profiles (`auth.profiles.<name>` in a scenario, environment or project file; `auth: "<name>" | AuthProfile |
 * "none"` on a scenario, group or request). Zod schemas are the source of truth; the TypeScript types are inferred.
 * Every string value is a template, rendered by @sortie/template before the auth-state manager sees the profile.
 */
import * as z from 'zod';
import { deferred, once } from './deferred-schema.js';
import { FIELD_NAME } from './field-name.js';
import { described } from './schema-helpers.js';

export const API_KEY_PLACEMENTS = ['header', 'query'] as const;

// ---------------------------------------------------------------------------------------------
// OAuth 2.0

export const OAUTH2_GRANTS = [
  'client_credentials',
  'password',
  'authorization_code',
  'implicit',
  'refresh_token',
  'device_code',
  'jwt_bearer',
  'token_exchange',
] as const;
/** RFC 8693 §3: the token type of an OAuth 2.0 access token, the default subject (and actor) token type. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const PARAM_PLACEMENTS = ['body', 'query', 'header'] as const;
export const PKCE_METHODS = ['S256', 'plain'] as const;

export const JWT_BEARER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

export const AUTH_TYPES = ['bearer', 'basic', 'apiKey', 'oauth2', 'customToken'] as const;

/** The endpoint fields of an `oauth2` profile. */
const OAUTH2_ENDPOINT_FIELDS = ['authUrl', 'tokenUrl', 'refreshUrl', 'deviceAuthorizationUrl', 'callbackUrl'] as const;

/**
 * An endpoint written without a template must be an absolute http:// or https:// URL (RFC 3986 §4.3): the file
 * is wrong, whatever the variables. One with a template is checked once rendered (endpoint-urls.ts of @sortie/auth).
 */
function checkLiteralUrl(value: string | undefined, path: string[], ctx: z.RefinementCtx): void {
  if (value === undefined || value.includes('{{')) return;
  const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
  if (protocol === 'http:' || protocol === 'https:') return;
  ctx.addIssue({ code: 'custom', path, message: `expected an absolute http:// or https:// URL, got ${JSON.stringify(value)}` });
}

/** RFC 9110 §5.1: a header field name is a token. */

/** The schemas of this file, built on first use (see deferred-schema.ts). */
const authSchemas = once(() => {
  // ---------------------------------------------------------------------------------------------
  // Simple schemes

  const BearerAuthSchema = z.strictObject({
    type: described(z.literal('bearer'), 'A bearer token sent in the Authorization header.'),
    token: described(z.string().min(1), 'The token (a template such as "{{API_TOKEN}}").'),
    prefix: described(z.string().default('Bearer'), 'Written before the token in the Authorization header; "" sends the bare token.'),
  });
  const BasicAuthSchema = z.strictObject({
    type: described(z.literal('basic'), 'HTTP Basic authentication (RFC 7617).'),
    username: described(z.string(), 'User name.'),
    password: described(z.string().default(''), 'Password (use a secret variable); default "".'),
  });
  const ApiKeyAuthSchema = z
    .strictObject({
      type: described(z.literal('apiKey'), 'An API key sent in a header or a query parameter.'),
      name: described(z.string().min(1), 'Header or query parameter name, e.g. "X-API-Key".'),
      value: described(z.string().min(1), 'The key (a template such as "{{API_KEY}}").'),
      in: described(z.enum(API_KEY_PLACEMENTS).default('header'), 'Where the key goes: header (default) or query.'),
    })
    .superRefine((profile, ctx) => {
      // Written without a template, a name no header can have is wrong whatever the variables (static-credential-check.ts of @sortie/auth checks it rendered).
      if (profile.in === 'header' && !profile.name.includes('{{') && !FIELD_NAME.test(profile.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['name'],
          message: `expected a header name (letters, digits and !#$%&'*+-.^_\`|~, RFC 9110 §5.1), got ${JSON.stringify(profile.name)}`,
        });
      }
    });
  const OAuth2ParamSchema = z.strictObject({
    name: described(z.string().min(1), 'Parameter name.'),
    value: described(z.string(), 'Parameter value (templates rendered).'),
    in: described(z.enum(PARAM_PLACEMENTS).default('body'), 'Where the parameter goes: body (default), query or header.'),
  });
  const OAuth2ExtraParamsSchema = z.strictObject({
    authorization: described(
      z.array(OAuth2ParamSchema).optional(),
      'Added to the authorization URL (query only: it is opened in a browser).',
    ),
    token: described(z.array(OAuth2ParamSchema).optional(), 'Added to token requests (every grant except refresh).'),
    refresh: described(z.array(OAuth2ParamSchema).optional(), 'Added to refresh_token requests.'),
  });
  const TokenPlacementSchema = z.discriminatedUnion('in', [
    z.strictObject({
      in: described(z.literal('header'), 'Send the token in a request header.'),
      name: described(z.string().min(1).default('Authorization'), 'Header name (default Authorization).'),
      prefix: described(z.string().optional(), 'Default: the token_type of the response, else "Bearer".'),
    }),
    z.strictObject({
      in: described(z.literal('query'), 'Send the token as a query parameter.'),
      name: described(z.string().min(1).default('access_token'), 'Query parameter name (default access_token).'),
    }),
  ]);
  /** The signed assertion of the jwt_bearer grant (RFC 7523 §2.1), e.g. a Google service account's. */
  const JwtBearerAssertionSchema = z.strictObject({
    privateKey: described(z.string().min(1), 'PEM private key that signs the assertion (a secret: registered with the redactor).'),
    issuer: described(z.string().min(1).optional(), 'iss; default clientId (a service account e-mail).'),
    subject: described(z.string().min(1).optional(), 'sub: the user to act as (domain-wide delegation); default the issuer.'),
    audience: described(z.string().min(1).optional(), 'aud; default tokenUrl.'),
    algorithm: described(z.enum(JWT_BEARER_ALGORITHMS).default('RS256'), 'Signing algorithm of the assertion (default RS256).'),
    keyId: described(z.string().optional(), 'kid header (a service account private_key_id).'),
    expiresInSeconds: described(z.number().int().positive().max(86400).default(3600), 'Assertion lifetime; Google allows at most 3600.'),
    claims: described(z.record(z.string(), z.unknown()).optional(), 'Further claims.'),
  });
  const OAuth2AuthSchema = z
    .strictObject({
      type: described(z.literal('oauth2'), 'OAuth 2.0 (RFC 6749): tokens obtained, cached and refreshed by the auth-state manager.'),
      grant: described(z.enum(OAUTH2_GRANTS), 'The grant type used to obtain a token.'),
      authUrl: described(z.string().min(1).optional(), 'Authorization endpoint (authorization_code, implicit).'),
      tokenUrl: described(z.string().min(1).optional(), 'Token endpoint.'),
      refreshUrl: described(z.string().min(1).optional(), 'Endpoint for refresh_token requests; default tokenUrl.'),
      callbackUrl: described(
        z.string().min(1).optional(),
        'redirect_uri; default http://127.0.0.1:<free port>/callback for `sortie auth login`.',
      ),
      deviceAuthorizationUrl: described(z.string().min(1).optional(), 'Device authorization endpoint (device_code, RFC 8628).'),
      clientId: described(z.string().min(1), 'client_id.'),
      clientSecret: described(z.string().optional(), 'client_secret (use a secret variable).'),
      scope: described(z.string().optional(), 'Space-separated scopes requested.'),
      state: described(z.string().optional(), 'Authorization request state; default a random value.'),
      audience: described(z.string().optional(), 'audience parameter (Auth0 and others).'),
      resource: described(z.string().optional(), 'RFC 8707 resource indicator.'),
      username: described(z.string().optional(), 'Resource owner user name (password grant).'),
      password: described(z.string().optional(), 'Resource owner password (password grant; use a secret variable).'),
      refreshToken: described(
        z.string().optional(),
        'Start from this refresh token (how CI runs an authorization_code profile headlessly).',
      ),
      pkce: described(
        z.union([z.literal(false), z.enum(PKCE_METHODS)]).optional(),
        'authorization_code: code challenge method; default "S256", false disables PKCE.',
      ),
      codeVerifier: described(
        z
          .string()
          // RFC 7636 §4.1: 43 to 128 unreserved characters. A template ({{PKCE_VERIFIER}}, a secret) is checked by
          // sortie auth login once rendered.
          .regex(/^(?:[A-Za-z0-9._~-]{43,128}|.*\{\{.*)$/, {
            message: 'expected 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1), or a template such as {{PKCE_VERIFIER}}',
          })
          .optional(),
        'PKCE code verifier (43 to 128 characters of A-Z a-z 0-9 - . _ ~) or a template; default a random one (RFC 7636 §4.1).',
      ),
      clientAuth: described(z.enum(['basic', 'body']).default('basic'), 'Client authentication: HTTP Basic header (default) or body.'),
      assertion: described(
        JwtBearerAssertionSchema.optional(),
        'jwt_bearer: how the assertion is signed; the scope goes in its scope claim. A new one is signed for every token.',
      ),
      subjectToken: described(
        z.string().optional(),
        'token_exchange (RFC 8693): the token to exchange, subject_token (a secret: registered with the redactor).',
      ),
      subjectTokenType: described(z.string().min(1).optional(), `token_exchange: subject_token_type; default ${ACCESS_TOKEN_TYPE}.`),
      actorToken: described(
        z.string().optional(),
        'token_exchange: actor_token, the party acting for the subject (delegation; a secret: registered with the redactor).',
      ),
      actorTokenType: described(
        z.string().min(1).optional(),
        `token_exchange: actor_token_type; default ${ACCESS_TOKEN_TYPE} with an actorToken.`,
      ),
      requestedTokenType: described(z.string().min(1).optional(), 'token_exchange: requested_token_type, the kind of token wanted.'),
      params: described(OAuth2ExtraParamsSchema.optional(), 'Custom parameters for the authorization, token and refresh requests.'),
      placement: described(TokenPlacementSchema.optional(), 'Where the token goes; default the Authorization header.'),
      tokenType: described(z.enum(['access_token', 'id_token']).default('access_token'), 'Which token of the response is sent.'),
      tokenPath: described(z.string().min(1).optional(), 'JSON path of the token in a non-standard response, e.g. "$.data.token".'),
      timeout: described(
        z.number().int().positive().optional(),
        'Timeout of each token request in ms; default the request timeout of the step that needs the token.',
      ),
      refreshSkewSeconds: described(z.number().nonnegative().default(30), 'Refresh this many seconds before the token expires.'),
      expiredStatuses: described(z.array(z.number().int().min(100).max(599)).default([401]), 'Statuses that mean "token rejected".'),
      expiredBodyPattern: described(
        z.string().min(1).optional(),
        'A regular expression; a response body matching it means "token rejected".',
      ),
      cache: described(z.boolean().optional(), 'Persist the tokens in the encrypted token cache (needs SORTIE_TOKEN_KEY).'),
    })
    .superRefine((profile, ctx) => {
      const requireField = (field: keyof typeof profile) => {
        if (profile[field] === undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `"${field}" is required for the ${profile.grant} grant` });
        }
      };
      switch (profile.grant) {
        case 'client_credentials':
          requireField('tokenUrl');
          break;
        case 'password':
          requireField('tokenUrl');
          requireField('username');
          requireField('password');
          break;
        case 'authorization_code':
          requireField('authUrl');
          requireField('tokenUrl');
          break;
        case 'implicit':
          requireField('authUrl');
          break;
        case 'refresh_token':
          if (profile.tokenUrl === undefined && profile.refreshUrl === undefined) requireField('tokenUrl');
          requireField('refreshToken');
          break;
        case 'device_code':
          requireField('deviceAuthorizationUrl');
          requireField('tokenUrl');
          break;
        case 'jwt_bearer':
          requireField('tokenUrl');
          requireField('assertion');
          break;
        case 'token_exchange':
          requireField('tokenUrl');
          requireField('subjectToken');
          break;
      }
      for (const field of OAUTH2_ENDPOINT_FIELDS) checkLiteralUrl(profile[field], [field], ctx);
      profile.params?.authorization?.forEach((param, index) => {
        if (param.in !== 'query') {
          ctx.addIssue({
            code: 'custom',
            path: ['params', 'authorization', index, 'in'],
            message: 'authorization parameters can only go in the query: the URL is opened in a browser',
          });
        }
      });
      if (profile.expiredBodyPattern !== undefined) {
        try {
          new RegExp(profile.expiredBodyPattern);
        } catch {
          ctx.addIssue({ code: 'custom', path: ['expiredBodyPattern'], message: 'expected a valid regular expression' });
        }
      }
    });
  // ---------------------------------------------------------------------------------------------
  // Custom token (a login call you describe: Bubble's "OAuth2 custom token", Capacity's OAuth configs)

  const CustomTokenRequestSchema = z
    .strictObject({
      method: described(
        z
          .string()
          .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET or POST')
          .default('POST'),
        'HTTP method of the token request (default POST).',
      ),
      url: described(z.string().min(1), 'Absolute URL of the token (login) endpoint.'),
      headers: described(z.record(z.string(), z.string()).optional(), 'Request headers (templates rendered).'),
      json: described(z.unknown().optional(), 'A JSON body (templates rendered), sent as application/json.'),
      form: described(z.record(z.string(), z.string()).optional(), 'A form body, sent as application/x-www-form-urlencoded.'),
      body: described(z.string().optional(), 'A raw body; set its content-type in headers.'),
    })
    .superRefine((request, ctx) => {
      checkLiteralUrl(request.url, ['url'], ctx);
      const given = (['json', 'form', 'body'] as const).filter((kind) => request[kind] !== undefined);
      if (given.length > 1)
        ctx.addIssue({ code: 'custom', path: [given[1]!], message: `give one of json, form or body, not ${given.join(' and ')}` });
    });
  const validRegex = (field: string) => (value: string | undefined, ctx: z.RefinementCtx) => {
    if (value === undefined) return;
    try {
      new RegExp(value);
    } catch {
      ctx.addIssue({ code: 'custom', path: [field], message: 'expected a valid regular expression' });
    }
  };

  const CustomTokenAuthSchema = z
    .strictObject({
      type: described(z.literal('customToken'), 'A token from a login call you describe, cached and renewed like an OAuth 2.0 token.'),
      request: CustomTokenRequestSchema.describe('The token request: method (default POST), url, headers and one body.'),
      tokenPath: described(z.string().min(1).optional(), 'JSON path of the token in the response body, e.g. "$.data.session".'),
      tokenRegex: described(
        z.string().min(1).optional(),
        'A regular expression over the response body (or tokenHeader) whose first group (else whole match) is the token.',
      ),
      tokenHeader: described(z.string().min(1).optional(), 'Read the token from this response header instead of the body.'),
      expiresInPath: described(z.string().min(1).optional(), 'JSON path of the lifetime in seconds, e.g. "$.data.ttl".'),
      expiresAtPath: described(z.string().min(1).optional(), 'JSON path of the expiry: epoch seconds or an ISO 8601 date.'),
      expiresInSeconds: described(
        z.number().positive().optional(),
        'Lifetime when the response says nothing; default: the exp of a JWT token, else no expiry.',
      ),
      placement: described(
        z
          .discriminatedUnion('in', [
            z.strictObject({
              in: described(z.literal('header'), 'Send the token in a request header.'),
              name: described(z.string().min(1).default('Authorization'), 'Header name (default Authorization).'),
              prefix: described(z.string().default('Bearer'), 'Written before the token; "" sends the bare token.'),
            }),
            z.strictObject({
              in: described(z.literal('query'), 'Send the token as a query parameter.'),
              name: described(z.string().min(1).default('access_token'), 'Query parameter name (default access_token).'),
            }),
          ])
          .default({ in: 'header', name: 'Authorization', prefix: 'Bearer' }),
        'Where the token goes; default the Authorization header with the prefix "Bearer".',
      ),
      timeout: described(
        z.number().int().positive().optional(),
        'Timeout of each token request in ms; default the request timeout of the step that needs the token.',
      ),
      refreshSkewSeconds: described(z.number().nonnegative().default(30), 'Get a new token this many seconds before it expires.'),
      expiredStatuses: described(z.array(z.number().int().min(100).max(599)).default([401]), 'Statuses that mean "token rejected".'),
      expiredBodyPattern: described(
        z.string().min(1).optional(),
        'A regular expression; a response body matching it means "token rejected".',
      ),
    })
    .superRefine((profile, ctx) => {
      if (profile.tokenPath === undefined && profile.tokenRegex === undefined && profile.tokenHeader === undefined) {
        ctx.addIssue({ code: 'custom', path: ['tokenPath'], message: 'give tokenPath, tokenRegex or tokenHeader: where the token is' });
      }
      if (profile.tokenPath !== undefined && profile.tokenRegex !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['tokenRegex'], message: 'give tokenPath or tokenRegex, not both' });
      }
      validRegex('tokenRegex')(profile.tokenRegex, ctx);
      validRegex('expiredBodyPattern')(profile.expiredBodyPattern, ctx);
    });
  // ---------------------------------------------------------------------------------------------
  // Profiles and references

  const AuthProfileSchema = z.discriminatedUnion('type', [
    BearerAuthSchema,
    BasicAuthSchema,
    ApiKeyAuthSchema,
    OAuth2AuthSchema,
    CustomTokenAuthSchema,
  ]);
  /** `auth.profiles` of a scenario, environment or project file. */
  const AuthProfilesSchema = z.record(
    z.string().regex(/^[\w.-]+$/, 'expected a profile name of letters, digits, _ . -'),
    AuthProfileSchema,
  );
  const AuthSectionSchema = z.strictObject({ profiles: AuthProfilesSchema.optional() });
  /** `auth` on a scenario, group or request: a profile name, an inline profile, or "none". */
  const AuthReferenceSchema = z.union([z.literal('none'), z.string().min(1), AuthProfileSchema]);
  return {
    BearerAuthSchema,
    BasicAuthSchema,
    ApiKeyAuthSchema,
    OAuth2ParamSchema,
    OAuth2ExtraParamsSchema,
    TokenPlacementSchema,
    JwtBearerAssertionSchema,
    OAuth2AuthSchema,
    CustomTokenRequestSchema,
    CustomTokenAuthSchema,
    AuthProfileSchema,
    AuthProfilesSchema,
    AuthSectionSchema,
    AuthReferenceSchema,
  };
});

export const BearerAuthSchema = deferred(() => authSchemas().BearerAuthSchema);
export const BasicAuthSchema = deferred(() => authSchemas().BasicAuthSchema);
export const ApiKeyAuthSchema = deferred(() => authSchemas().ApiKeyAuthSchema);
export const OAuth2ParamSchema = deferred(() => authSchemas().OAuth2ParamSchema);
export const OAuth2ExtraParamsSchema = deferred(() => authSchemas().OAuth2ExtraParamsSchema);
export const TokenPlacementSchema = deferred(() => authSchemas().TokenPlacementSchema);
export const JwtBearerAssertionSchema = deferred(() => authSchemas().JwtBearerAssertionSchema);
export const OAuth2AuthSchema = deferred(() => authSchemas().OAuth2AuthSchema);
export const CustomTokenRequestSchema = deferred(() => authSchemas().CustomTokenRequestSchema);
export const CustomTokenAuthSchema = deferred(() => authSchemas().CustomTokenAuthSchema);
export const AuthProfileSchema = deferred(() => authSchemas().AuthProfileSchema);
export const AuthProfilesSchema = deferred(() => authSchemas().AuthProfilesSchema);
export const AuthSectionSchema = deferred(() => authSchemas().AuthSectionSchema);
export const AuthReferenceSchema = deferred(() => authSchemas().AuthReferenceSchema);

export type BearerAuth = z.infer<typeof BearerAuthSchema>;

export type BasicAuth = z.infer<typeof BasicAuthSchema>;

export type ApiKeyAuth = z.infer<typeof ApiKeyAuthSchema>;

export type OAuth2Grant = (typeof OAUTH2_GRANTS)[number];

export type ParamPlacement = (typeof PARAM_PLACEMENTS)[number];

export type OAuth2Param = z.infer<typeof OAuth2ParamSchema>;

export type OAuth2ExtraParams = z.infer<typeof OAuth2ExtraParamsSchema>;

export type TokenPlacement = z.infer<typeof TokenPlacementSchema>;

export type JwtBearerAssertion = z.infer<typeof JwtBearerAssertionSchema>;

export type OAuth2Auth = z.infer<typeof OAuth2AuthSchema>;

export type CustomTokenRequest = z.infer<typeof CustomTokenRequestSchema>;

export type CustomTokenAuth = z.infer<typeof CustomTokenAuthSchema>;

/** A profile after validation (defaults applied). */
export type AuthProfile = z.infer<typeof AuthProfileSchema>;
/** A profile as written in a file. */
export type AuthProfileInput = z.input<typeof AuthProfileSchema>;
export type AuthType = (typeof AUTH_TYPES)[number];

export type AuthSection = z.infer<typeof AuthSectionSchema>;

export type AuthReference = z.infer<typeof AuthReferenceSchema>;
