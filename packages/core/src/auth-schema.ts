/**
 * Auth profiles (`auth.profiles.<name>` in a scenario, environment or project file; `auth: "<name>" | AuthProfile |
 * "none"` on a scenario, group or request). Zod schemas are the source of truth; the TypeScript types are inferred.
 * Every string value is a template, rendered by @sortie/template before the auth-state manager sees the profile.
 */
import * as z from 'zod';

// ---------------------------------------------------------------------------------------------
// Simple schemes

export const BearerAuthSchema = z.strictObject({
  type: z.literal('bearer'),
  token: z.string().min(1).describe('The token (a template such as "{{API_TOKEN}}").'),
  prefix: z.string().default('Bearer').describe('Written before the token in the Authorization header; "" sends the bare token.'),
});
export type BearerAuth = z.infer<typeof BearerAuthSchema>;

export const BasicAuthSchema = z.strictObject({
  type: z.literal('basic'),
  username: z.string(),
  password: z.string().default(''),
});
export type BasicAuth = z.infer<typeof BasicAuthSchema>;

export const API_KEY_PLACEMENTS = ['header', 'query'] as const;

export const ApiKeyAuthSchema = z.strictObject({
  type: z.literal('apiKey'),
  name: z.string().min(1).describe('Header or query parameter name, e.g. "X-API-Key".'),
  value: z.string().min(1),
  in: z.enum(API_KEY_PLACEMENTS).default('header'),
});
export type ApiKeyAuth = z.infer<typeof ApiKeyAuthSchema>;

// ---------------------------------------------------------------------------------------------
// OAuth 2.0

export const OAUTH2_GRANTS = ['client_credentials', 'password', 'authorization_code', 'implicit', 'refresh_token', 'device_code'] as const;
export type OAuth2Grant = (typeof OAUTH2_GRANTS)[number];

export const PARAM_PLACEMENTS = ['body', 'query', 'header'] as const;
export type ParamPlacement = (typeof PARAM_PLACEMENTS)[number];

export const OAuth2ParamSchema = z.strictObject({
  name: z.string().min(1),
  value: z.string(),
  in: z.enum(PARAM_PLACEMENTS).default('body').describe('Where the parameter goes: body (default), query or header.'),
});
export type OAuth2Param = z.infer<typeof OAuth2ParamSchema>;

export const OAuth2ExtraParamsSchema = z.strictObject({
  authorization: z.array(OAuth2ParamSchema).optional().describe('Added to the authorization URL (query only: it is opened in a browser).'),
  token: z.array(OAuth2ParamSchema).optional().describe('Added to token requests (every grant except refresh).'),
  refresh: z.array(OAuth2ParamSchema).optional().describe('Added to refresh_token requests.'),
});
export type OAuth2ExtraParams = z.infer<typeof OAuth2ExtraParamsSchema>;

export const TokenPlacementSchema = z.discriminatedUnion('in', [
  z.strictObject({
    in: z.literal('header'),
    name: z.string().min(1).default('Authorization'),
    prefix: z.string().optional().describe('Default: the token_type of the response, else "Bearer".'),
  }),
  z.strictObject({
    in: z.literal('query'),
    name: z.string().min(1).default('access_token'),
  }),
]);
export type TokenPlacement = z.infer<typeof TokenPlacementSchema>;

export const PKCE_METHODS = ['S256', 'plain'] as const;

export const OAuth2AuthSchema = z
  .strictObject({
    type: z.literal('oauth2'),
    grant: z.enum(OAUTH2_GRANTS),
    authUrl: z.string().min(1).optional().describe('Authorization endpoint (authorization_code, implicit).'),
    tokenUrl: z.string().min(1).optional().describe('Token endpoint.'),
    refreshUrl: z.string().min(1).optional().describe('Endpoint for refresh_token requests; default tokenUrl.'),
    callbackUrl: z
      .string()
      .min(1)
      .optional()
      .describe('redirect_uri; default http://127.0.0.1:<free port>/callback for `sortie auth login`.'),
    deviceAuthorizationUrl: z.string().min(1).optional().describe('Device authorization endpoint (device_code, RFC 8628).'),
    clientId: z.string().min(1),
    clientSecret: z.string().optional(),
    scope: z.string().optional(),
    state: z.string().optional().describe('Authorization request state; default a random value.'),
    audience: z.string().optional(),
    resource: z.string().optional().describe('RFC 8707 resource indicator.'),
    username: z.string().optional(),
    password: z.string().optional(),
    refreshToken: z.string().optional().describe('Start from this refresh token (how CI runs an authorization_code profile headlessly).'),
    pkce: z
      .union([z.literal(false), z.enum(PKCE_METHODS)])
      .optional()
      .describe('authorization_code: code challenge method; default "S256", false disables PKCE.'),
    codeVerifier: z.string().min(43).max(128).optional().describe('PKCE code verifier; default a random one (RFC 7636 §4.1).'),
    clientAuth: z.enum(['basic', 'body']).default('basic').describe('Client authentication: HTTP Basic header (default) or body.'),
    params: OAuth2ExtraParamsSchema.optional().describe('Custom parameters for the authorization, token and refresh requests.'),
    placement: TokenPlacementSchema.optional().describe('Where the token goes; default the Authorization header.'),
    tokenType: z.enum(['access_token', 'id_token']).default('access_token').describe('Which token of the response is sent.'),
    tokenPath: z.string().min(1).optional().describe('JSON path of the token in a non-standard response, e.g. "$.data.token".'),
    refreshSkewSeconds: z.number().nonnegative().default(30).describe('Refresh this many seconds before the token expires.'),
    expiredStatuses: z.array(z.number().int().min(100).max(599)).default([401]).describe('Statuses that mean "token rejected".'),
    expiredBodyPattern: z.string().min(1).optional().describe('A regular expression; a response body matching it means "token rejected".'),
    cache: z.boolean().optional().describe('Persist the tokens in the encrypted token cache (needs SORTIE_TOKEN_KEY).'),
  })
  .superRefine((profile, ctx) => {
    const require = (field: keyof typeof profile) => {
      if (profile[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `"${field}" is required for the ${profile.grant} grant` });
      }
    };
    switch (profile.grant) {
      case 'client_credentials':
        require('tokenUrl');
        break;
      case 'password':
        require('tokenUrl');
        require('username');
        require('password');
        break;
      case 'authorization_code':
        require('authUrl');
        require('tokenUrl');
        break;
      case 'implicit':
        require('authUrl');
        break;
      case 'refresh_token':
        if (profile.tokenUrl === undefined && profile.refreshUrl === undefined) require('tokenUrl');
        require('refreshToken');
        break;
      case 'device_code':
        require('deviceAuthorizationUrl');
        require('tokenUrl');
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
export type OAuth2Auth = z.infer<typeof OAuth2AuthSchema>;

// ---------------------------------------------------------------------------------------------
// Profiles and references

export const AuthProfileSchema = z.discriminatedUnion('type', [BearerAuthSchema, BasicAuthSchema, ApiKeyAuthSchema, OAuth2AuthSchema]);
/** A profile after validation (defaults applied). */
export type AuthProfile = z.infer<typeof AuthProfileSchema>;
/** A profile as written in a file. */
export type AuthProfileInput = z.input<typeof AuthProfileSchema>;
export const AUTH_TYPES = ['bearer', 'basic', 'apiKey', 'oauth2'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

/** `auth.profiles` of a scenario, environment or project file. */
export const AuthProfilesSchema = z.record(
  z.string().regex(/^[\w.-]+$/, 'expected a profile name of letters, digits, _ . -'),
  AuthProfileSchema,
);
export const AuthSectionSchema = z.strictObject({ profiles: AuthProfilesSchema.optional() });
export type AuthSection = z.infer<typeof AuthSectionSchema>;

/** `auth` on a scenario, group or request: a profile name, an inline profile, or "none". */
export const AuthReferenceSchema = z.union([z.literal('none'), z.string().min(1), AuthProfileSchema]);
export type AuthReference = z.infer<typeof AuthReferenceSchema>;
