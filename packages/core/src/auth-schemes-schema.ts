/**
 * Auth profiles of the schemes that sign the final request (issue 5): digest, oauth1, hawk, awsv4,
 * akamaiEdgegrid, ntlm, negotiate and jwt. Every string field is a template rendered by the engine before a
 * signer sees it. Optional fields keep their defaults in the signer (named in each description),
 * so the inferred types stay what the user wrote. The lead merges `SigningProfileSchema` into the
 * auth profile union.
 */
import * as z from 'zod';
import { deferred, once } from './deferred-schema.js';

export const DIGEST_ALGORITHMS = ['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'] as const;
export const DIGEST_QOPS = ['auth', 'auth-int'] as const;

export const OAUTH1_SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'PLAINTEXT'] as const;
export const OAUTH1_PLACEMENTS = ['header', 'body', 'query'] as const;

export const HAWK_ALGORITHMS = ['sha256', 'sha1'] as const;

export const AWSV4_PLACEMENTS = ['header', 'query'] as const;

export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
export const JWT_PLACEMENTS = ['header', 'query'] as const;

/** The schemas of this file, built on first use (see deferred-schema.ts). */
const signingSchemas = once(() => {
  const secret = (what: string) => z.string().describe(`${what} (a secret: registered with the redactor).`);

  /** HTTP Digest (RFC 7616 / RFC 2617): answers the server's 401 challenge. */
  const DigestProfileSchema = z.strictObject({
    type: z.literal('digest').describe('HTTP Digest (RFC 7616): answers the server’s 401 challenge.'),
    username: z.string().describe('User name.'),
    password: secret('Password'),
    algorithm: z.enum(DIGEST_ALGORITHMS).optional().describe("Force an algorithm; default: the challenge's (MD5 when it names none)."),
    qop: z.enum(DIGEST_QOPS).optional().describe('Preferred quality of protection when the challenge offers both; default "auth".'),
    clientNonce: z.string().optional().describe('Fixed cnonce (tests only); default: 16 random bytes, hex.'),
  });

  /** OAuth 1.0a (RFC 5849). */
  const OAuth1ProfileSchema = z.strictObject({
    type: z.literal('oauth1').describe('OAuth 1.0a request signing (RFC 5849).'),
    consumerKey: z.string().describe('oauth_consumer_key.'),
    consumerSecret: secret('Consumer secret').optional(),
    token: z.string().optional().describe('oauth_token (access or request token).'),
    tokenSecret: secret('Token secret').optional(),
    signatureMethod: z.enum(OAUTH1_SIGNATURE_METHODS).optional().describe('Default "HMAC-SHA1".'),
    privateKey: secret('PEM private key for RSA-SHA1/RSA-SHA256').optional(),
    placement: z
      .enum(OAUTH1_PLACEMENTS)
      .optional()
      .describe('Where the oauth_* parameters go: header (default), body (form bodies only) or query.'),
    realm: z.string().optional().describe('realm of the Authorization header (never signed).'),
    callback: z.string().optional().describe('oauth_callback (temporary-credentials requests).'),
    verifier: z.string().optional().describe('oauth_verifier (token requests).'),
    version: z.string().optional().describe('oauth_version; default "1.0"; an empty string omits it.'),
    timestamp: z.string().optional().describe('Fixed oauth_timestamp; default: now, in seconds.'),
    nonce: z.string().optional().describe('Fixed oauth_nonce; default: 16 random bytes, hex.'),
    includeBodyHash: z.boolean().optional().describe('Add oauth_body_hash for non-form bodies; default false.'),
    includeEmptyParams: z.boolean().optional().describe('Send (and sign) optional oauth_* parameters whose value is empty; default false.'),
  });

  /** Hawk (hueniverse/hawk). */
  const HawkProfileSchema = z.strictObject({
    type: z.literal('hawk').describe('Hawk request signing.'),
    id: z.string().describe('Hawk key identifier.'),
    key: secret('Hawk key'),
    algorithm: z.enum(HAWK_ALGORITHMS).optional().describe('Default "sha256".'),
    ext: z.string().optional().describe('Application-specific ext data.'),
    app: z.string().optional().describe('Oz application id.'),
    dlg: z.string().optional().describe('Oz delegated-by application id.'),
    includePayloadHash: z.boolean().optional().describe('Sign a hash of the body and content type; default false.'),
    timestamp: z.string().optional().describe('Fixed ts in seconds; default: now plus the learnt server offset.'),
    nonce: z.string().optional().describe('Fixed nonce; default: 6 random characters.'),
  });

  /** AWS Signature Version 4. */
  const AwsV4ProfileSchema = z.strictObject({
    type: z.literal('awsv4').describe('AWS Signature Version 4.'),
    accessKeyId: z.string().describe('Access key id.'),
    secretAccessKey: secret('Secret access key'),
    sessionToken: secret('Session token (temporary credentials)').optional(),
    region: z.string().describe('Region, e.g. us-east-1.'),
    service: z.string().describe('Service name, e.g. execute-api, s3.'),
    placement: z.enum(AWSV4_PLACEMENTS).optional().describe('header (default) or query (a presigned URL).'),
    unsignedPayload: z.boolean().optional().describe('Sign "UNSIGNED-PAYLOAD" instead of the body hash; default false.'),
    expiresSeconds: z.number().int().min(1).max(604800).optional().describe('X-Amz-Expires of a presigned URL; default 3600.'),
  });

  /** Akamai EdgeGrid (EG1-HMAC-SHA256). */
  const AkamaiEdgegridProfileSchema = z.strictObject({
    type: z.literal('akamaiEdgegrid').describe('Akamai EdgeGrid request signing.'),
    clientToken: z.string().describe('client_token.'),
    clientSecret: secret('client_secret'),
    accessToken: secret('access_token'),
    baseUrl: z
      .string()
      .optional()
      .describe('The host of the credential (https://akab-….luna.akamaiapis.net); relative request URLs resolve against it.'),
    headersToSign: z.array(z.string()).optional().describe('Names of request headers included in the signature, in order; default none.'),
    maxBody: z.number().int().positive().optional().describe('Bytes of a POST body that are hashed; default 131072.'),
    timestamp: z.string().optional().describe('Fixed timestamp (yyyyMMddTHH:mm:ss+0000); default: now.'),
    nonce: z.string().optional().describe('Fixed nonce; default: a random UUID.'),
  });

  /** NTLM (NTLMv2, MS-NLMP): a three-message handshake on one keep-alive connection. */
  const NtlmProfileSchema = z.strictObject({
    type: z.literal('ntlm').describe('NTLM (a challenge-response handshake on one connection).'),
    username: z.string().describe('User name.'),
    password: secret('Password'),
    domain: z.string().optional().describe('Domain; default: the one the server names.'),
    workstation: z.string().optional().describe('Workstation name sent in message 3; default empty.'),
  });

  /**
   * Negotiate (SPNEGO / Kerberos): the ticket comes from the credential cache (`kinit`, or
   * KRB5CCNAME), so the profile holds no secret.
   */
  const NegotiateProfileSchema = z.strictObject({
    type: z.literal('negotiate').describe('Negotiate / Kerberos (SPNEGO, RFC 4559).'),
    servicePrincipal: z.string().optional().describe('GSS service name; default "HTTP@<host of the request URL>".'),
    delegate: z.boolean().optional().describe('Ask for a forwardable, delegated ticket (GSS_C_DELEG_FLAG); default false.'),
  });

  /** A JWT signed for every request (Postman's "JWT Bearer"). */
  const JwtProfileSchema = z.strictObject({
    type: z.literal('jwt').describe('A JWT signed locally and sent as a bearer token.'),
    algorithm: z.enum(JWT_ALGORITHMS).describe('JWS algorithm.'),
    secret: secret('HMAC secret (HS*)').optional(),
    secretBase64: z.boolean().optional().describe('The HS* secret is base64(url) encoded; default false.'),
    privateKey: secret('PEM private key, PKCS#8 or SPKI-style PEM (RS*, PS*, ES*)').optional(),
    payload: z.record(z.string(), z.unknown()).optional().describe('Claims; default {}.'),
    header: z.record(z.string(), z.unknown()).optional().describe('Extra JOSE header fields (e.g. kid).'),
    issuedAt: z.boolean().optional().describe('Set iat to now; default true.'),
    expiresInSeconds: z.number().int().positive().optional().describe('Set exp to now plus this; default: no exp.'),
    placement: z.enum(JWT_PLACEMENTS).optional().describe('header (default) or query.'),
    headerPrefix: z.string().optional().describe('Prefix of the Authorization header value; default "Bearer"; empty sends the bare token.'),
    queryParam: z.string().optional().describe('Query parameter name when placement is query; default "token".'),
  });

  /** Every signing scheme profile, discriminated on `type`. */
  const SigningProfileSchema = z.discriminatedUnion('type', [
    DigestProfileSchema,
    OAuth1ProfileSchema,
    HawkProfileSchema,
    AwsV4ProfileSchema,
    AkamaiEdgegridProfileSchema,
    NtlmProfileSchema,
    NegotiateProfileSchema,
    JwtProfileSchema,
  ]);

  return {
    DigestProfileSchema,
    OAuth1ProfileSchema,
    HawkProfileSchema,
    AwsV4ProfileSchema,
    AkamaiEdgegridProfileSchema,
    NtlmProfileSchema,
    NegotiateProfileSchema,
    JwtProfileSchema,
    SigningProfileSchema,
  };
});

export const DigestProfileSchema = deferred(() => signingSchemas().DigestProfileSchema);
export const OAuth1ProfileSchema = deferred(() => signingSchemas().OAuth1ProfileSchema);
export const HawkProfileSchema = deferred(() => signingSchemas().HawkProfileSchema);
export const AwsV4ProfileSchema = deferred(() => signingSchemas().AwsV4ProfileSchema);
export const AkamaiEdgegridProfileSchema = deferred(() => signingSchemas().AkamaiEdgegridProfileSchema);
export const NtlmProfileSchema = deferred(() => signingSchemas().NtlmProfileSchema);
export const NegotiateProfileSchema = deferred(() => signingSchemas().NegotiateProfileSchema);
export const JwtProfileSchema = deferred(() => signingSchemas().JwtProfileSchema);
export const SigningProfileSchema = deferred(() => signingSchemas().SigningProfileSchema);

export type DigestProfile = z.infer<typeof DigestProfileSchema>;
export type OAuth1Profile = z.infer<typeof OAuth1ProfileSchema>;
export type HawkProfile = z.infer<typeof HawkProfileSchema>;
export type AwsV4Profile = z.infer<typeof AwsV4ProfileSchema>;
export type AkamaiEdgegridProfile = z.infer<typeof AkamaiEdgegridProfileSchema>;
export type NtlmProfile = z.infer<typeof NtlmProfileSchema>;
export type NegotiateProfile = z.infer<typeof NegotiateProfileSchema>;
export type JwtProfile = z.infer<typeof JwtProfileSchema>;
export type SigningProfile = z.infer<typeof SigningProfileSchema>;
