/**
 * Auth profiles (`auth.profiles.<name>` in a scenario, environment or project file; `auth: "<name>" | AuthProfile |
 * "none"` on a scenario, group or request). Zod schemas are the source of truth; the TypeScript types are inferred.
 * Every string value is a template, rendered by @sortie/template before the auth-state manager sees the profile.
 */
import * as z from 'zod';
import { deferred, once } from './deferred-schema.js';

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
] as const;
export const PARAM_PLACEMENTS = ['body', 'query', 'header'] as const;
export const PKCE_METHODS = ['S256', 'plain'] as const;

export const JWT_BEARER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

export const AUTH_TYPES = ['bearer', 'basic', 'apiKey', 'oauth2', 'customToken'] as const;

/** The schemas of this file, built on first use (see deferred-schema.ts). */
const authSchemas = once(() => {
  // ---------------------------------------------------------------------------------------------
  // Simple schemes

  const BearerAuthSchema = z.strictObject({
    type: z.literal('bearer').describe('A bearer token sent in the Authorization header.'),
    token: z.string().min(1).describe('The token (a template such as "{{API_TOKEN}}").'),
    prefix: z.string().default('Bearer').describe('Written before the token in the Authorization header; "" sends the bare token.'),
  });
  const BasicAuthSchema = z.strictObject({
    type: z.literal('basic').describe('HTTP Basic authentication (RFC 7617).'),
    username: z.string().describe('User name.'),
    password: z.string().default('').describe('Password (use a secret variable); default "".'),
  });
  const ApiKeyAuthSchema = z.strictObject({
    type: z.literal('apiKey').describe('An API key sent in a header or a query parameter.'),
    name: z.string().min(1).describe('Header or query parameter name, e.g. "X-API-Key".'),
    value: z.string().min(1).describe('The key (a template such as "{{API_KEY}}").'),
    in: z.enum(API_KEY_PLACEMENTS).default('header').describe('Where the key goes: header (default) or query.'),
  });
  const OAuth2ParamSchema = z.strictObject({
    name: z.string().min(1).describe('Parameter name.'),
    value: z.string().describe('Parameter value (templates rendered).'),
    in: z.enum(PARAM_PLACEMENTS).default('body').describe('Where the parameter goes: body (default), query or header.'),
  });
  const OAuth2ExtraParamsSchema = z.strictObject({
    authorization: z
      .array(OAuth2ParamSchema)
      .optional()
      .describe('Added to the authorization URL (query only: it is opened in a browser).'),
    token: z.array(OAuth2ParamSchema).optional().describe('Added to token requests (every grant except refresh).'),
    refresh: z.array(OAuth2ParamSchema).optional().describe('Added to refresh_token requests.'),
  });
  const TokenPlacementSchema = z.discriminatedUnion('in', [
    z.strictObject({
      in: z.literal('header').describe('Send the token in a request header.'),
      name: z.string().min(1).default('Authorization').describe('Header name (default Authorization).'),
      prefix: z.string().optional().describe('Default: the token_type of the response, else "Bearer".'),
    }),
    z.strictObject({
      in: z.literal('query').describe('Send the token as a query parameter.'),
      name: z.string().min(1).default('access_token').describe('Query parameter name (default access_token).'),
    }),
  ]);
  /** The signed assertion of the jwt_bearer grant (RFC 7523 §2.1), e.g. a Google service account's. */
  const JwtBearerAssertionSchema = z.strictObject({
    privateKey: z.string().min(1).describe('PEM private key that signs the assertion (a secret: registered with the redactor).'),
    issuer: z.string().min(1).optional().describe('iss; default clientId (a service account e-mail).'),
    subject: z.string().min(1).optional().describe('sub: the user to act as (domain-wide delegation); default the issuer.'),
    audience: z.string().min(1).optional().describe('aud; default tokenUrl.'),
    algorithm: z.enum(JWT_BEARER_ALGORITHMS).default('RS256').describe('Signing algorithm of the assertion (default RS256).'),
    keyId: z.string().optional().describe('kid header (a service account private_key_id).'),
    expiresInSeconds: z.number().int().positive().max(86400).default(3600).describe('Assertion lifetime; Google allows at most 3600.'),
    claims: z.record(z.string(), z.unknown()).optional().describe('Further claims.'),
  });
  const OAuth2AuthSchema = z
    .strictObject({
      type: z.literal('oauth2').describe('OAuth 2.0 (RFC 6749): tokens obtained, cached and refreshed by the auth-state manager.'),
      grant: z.enum(OAUTH2_GRANTS).describe('The grant type used to obtain a token.'),
      authUrl: z.string().min(1).optional().describe('Authorization endpoint (authorization_code, implicit).'),
      tokenUrl: z.string().min(1).optional().describe('Token endpoint.'),
      refreshUrl: z.string().min(1).optional().describe('Endpoint for refresh_token requests; default tokenUrl.'),
      callbackUrl: z
        .string()
        .min(1)
        .optional()
        .describe('redirect_uri; default http://127.0.0.1:<free port>/callback for `sortie auth login`.'),
      deviceAuthorizationUrl: z.string().min(1).optional().describe('Device authorization endpoint (device_code, RFC 8628).'),
      clientId: z.string().min(1).describe('client_id.'),
      clientSecret: z.string().optional().describe('client_secret (use a secret variable).'),
      scope: z.string().optional().describe('Space-separated scopes requested.'),
      state: z.string().optional().describe('Authorization request state; default a random value.'),
      audience: z.string().optional().describe('audience parameter (Auth0 and others).'),
      resource: z.string().optional().describe('RFC 8707 resource indicator.'),
      username: z.string().optional().describe('Resource owner user name (password grant).'),
      password: z.string().optional().describe('Resource owner password (password grant; use a secret variable).'),
      refreshToken: z.string().optional().describe('Start from this refresh token (how CI runs an authorization_code profile headlessly).'),
      pkce: z
        .union([z.literal(false), z.enum(PKCE_METHODS)])
        .optional()
        .describe('authorization_code: code challenge method; default "S256", false disables PKCE.'),
      codeVerifier: z.string().min(43).max(128).optional().describe('PKCE code verifier; default a random one (RFC 7636 §4.1).'),
      clientAuth: z.enum(['basic', 'body']).default('basic').describe('Client authentication: HTTP Basic header (default) or body.'),
      assertion: JwtBearerAssertionSchema.optional().describe(
        'jwt_bearer: how the assertion is signed; the scope goes in its scope claim. A new one is signed for every token.',
      ),
      params: OAuth2ExtraParamsSchema.optional().describe('Custom parameters for the authorization, token and refresh requests.'),
      placement: TokenPlacementSchema.optional().describe('Where the token goes; default the Authorization header.'),
      tokenType: z.enum(['access_token', 'id_token']).default('access_token').describe('Which token of the response is sent.'),
      tokenPath: z.string().min(1).optional().describe('JSON path of the token in a non-standard response, e.g. "$.data.token".'),
      timeout: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Timeout of each token request in ms; default the request timeout of the step that needs the token.'),
      refreshSkewSeconds: z.number().nonnegative().default(30).describe('Refresh this many seconds before the token expires.'),
      expiredStatuses: z.array(z.number().int().min(100).max(599)).default([401]).describe('Statuses that mean "token rejected".'),
      expiredBodyPattern: z
        .string()
        .min(1)
        .optional()
        .describe('A regular expression; a response body matching it means "token rejected".'),
      cache: z.boolean().optional().describe('Persist the tokens in the encrypted token cache (needs SORTIE_TOKEN_KEY).'),
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
      }
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
      method: z
        .string()
        .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET or POST')
        .default('POST')
        .describe('HTTP method of the token request (default POST).'),
      url: z.string().min(1).describe('Absolute URL of the token (login) endpoint.'),
      headers: z.record(z.string(), z.string()).optional().describe('Request headers (templates rendered).'),
      json: z.unknown().optional().describe('A JSON body (templates rendered), sent as application/json.'),
      form: z.record(z.string(), z.string()).optional().describe('A form body, sent as application/x-www-form-urlencoded.'),
      body: z.string().optional().describe('A raw body; set its content-type in headers.'),
    })
    .superRefine((request, ctx) => {
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
      type: z.literal('customToken').describe('A token from a login call you describe, cached and renewed like an OAuth 2.0 token.'),
      request: CustomTokenRequestSchema.describe('The token request: method (default POST), url, headers and one body.'),
      tokenPath: z.string().min(1).optional().describe('JSON path of the token in the response body, e.g. "$.data.session".'),
      tokenRegex: z
        .string()
        .min(1)
        .optional()
        .describe('A regular expression over the response body (or tokenHeader) whose first group (else whole match) is the token.'),
      tokenHeader: z.string().min(1).optional().describe('Read the token from this response header instead of the body.'),
      expiresInPath: z.string().min(1).optional().describe('JSON path of the lifetime in seconds, e.g. "$.data.ttl".'),
      expiresAtPath: z.string().min(1).optional().describe('JSON path of the expiry: epoch seconds or an ISO 8601 date.'),
      expiresInSeconds: z
        .number()
        .positive()
        .optional()
        .describe('Lifetime when the response says nothing; default: the exp of a JWT token, else no expiry.'),
      placement: z
        .discriminatedUnion('in', [
          z.strictObject({
            in: z.literal('header').describe('Send the token in a request header.'),
            name: z.string().min(1).default('Authorization').describe('Header name (default Authorization).'),
            prefix: z.string().default('Bearer').describe('Written before the token; "" sends the bare token.'),
          }),
          z.strictObject({
            in: z.literal('query').describe('Send the token as a query parameter.'),
            name: z.string().min(1).default('access_token').describe('Query parameter name (default access_token).'),
          }),
        ])
        .default({ in: 'header', name: 'Authorization', prefix: 'Bearer' })
        .describe('Where the token goes; default the Authorization header with the prefix "Bearer".'),
      timeout: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Timeout of each token request in ms; default the request timeout of the step that needs the token.'),
      refreshSkewSeconds: z.number().nonnegative().default(30).describe('Get a new token this many seconds before it expires.'),
      expiredStatuses: z.array(z.number().int().min(100).max(599)).default([401]).describe('Statuses that mean "token rejected".'),
      expiredBodyPattern: z
        .string()
        .min(1)
        .optional()
        .describe('A regular expression; a response body matching it means "token rejected".'),
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
