/**
 * Auth profiles of the schemes that sign the final request (issue 5): digest, oauth1, hawk, awsv4,
 * akamaiEdgegrid, ntlm, negotiate and jwt. Every string field is a template rendered by the engine before a
 * signer sees it. Optional fields keep their defaults in the signer (named in each description),
 * so the inferred types stay what the user wrote. The lead merges `SigningProfileSchema` into the
 * auth profile union.
 */
import * as z from 'zod';
import { deferred, once } from './deferred-schema.js';
import { described } from './schema-helpers.js';

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
  const secret = (what: string) => described(z.string(), `${what} (a secret: registered with the redactor).`);

  /** HTTP Digest (RFC 7616 / RFC 2617): answers the server's 401 challenge. */
  const DigestProfileSchema = z.strictObject({
    type: described(z.literal('digest'), 'HTTP Digest (RFC 7616): answers the server’s 401 challenge.'),
    username: described(z.string(), 'User name.'),
    password: secret('Password'),
    algorithm: described(z.enum(DIGEST_ALGORITHMS).optional(), "Force an algorithm; default: the challenge's (MD5 when it names none)."),
    qop: described(z.enum(DIGEST_QOPS).optional(), 'Preferred quality of protection when the challenge offers both; default "auth".'),
    clientNonce: described(z.string().optional(), 'Fixed cnonce (tests only); default: 16 random bytes, hex.'),
  });

  /** OAuth 1.0a (RFC 5849). */
  const OAuth1ProfileSchema = z.strictObject({
    type: described(z.literal('oauth1'), 'OAuth 1.0a request signing (RFC 5849).'),
    consumerKey: described(z.string(), 'oauth_consumer_key.'),
    consumerSecret: secret('Consumer secret').optional(),
    token: described(z.string().optional(), 'oauth_token (access or request token).'),
    tokenSecret: secret('Token secret').optional(),
    signatureMethod: described(z.enum(OAUTH1_SIGNATURE_METHODS).optional(), 'Default "HMAC-SHA1".'),
    privateKey: secret('PEM private key for RSA-SHA1/RSA-SHA256').optional(),
    placement: described(
      z.enum(OAUTH1_PLACEMENTS).optional(),
      'Where the oauth_* parameters go: header (default), body (form bodies only) or query.',
    ),
    realm: described(z.string().optional(), 'realm of the Authorization header (never signed).'),
    callback: described(z.string().optional(), 'oauth_callback (temporary-credentials requests).'),
    verifier: described(z.string().optional(), 'oauth_verifier (token requests).'),
    version: described(z.string().optional(), 'oauth_version; default "1.0"; an empty string omits it.'),
    timestamp: described(z.string().optional(), 'Fixed oauth_timestamp; default: now, in seconds.'),
    nonce: described(z.string().optional(), 'Fixed oauth_nonce; default: 16 random bytes, hex.'),
    includeBodyHash: described(z.boolean().optional(), 'Add oauth_body_hash for non-form bodies; default false.'),
    includeEmptyParams: described(
      z.boolean().optional(),
      'Send (and sign) optional oauth_* parameters whose value is empty; default false.',
    ),
  });

  /** Hawk (hueniverse/hawk). */
  const HawkProfileSchema = z.strictObject({
    type: described(z.literal('hawk'), 'Hawk request signing.'),
    id: described(z.string(), 'Hawk key identifier.'),
    key: secret('Hawk key'),
    algorithm: described(z.enum(HAWK_ALGORITHMS).optional(), 'Default "sha256".'),
    ext: described(z.string().optional(), 'Application-specific ext data.'),
    app: described(z.string().optional(), 'Oz application id.'),
    dlg: described(z.string().optional(), 'Oz delegated-by application id.'),
    includePayloadHash: described(z.boolean().optional(), 'Sign a hash of the body and content type; default false.'),
    timestamp: described(z.string().optional(), 'Fixed ts in seconds; default: now plus the learnt server offset.'),
    nonce: described(z.string().optional(), 'Fixed nonce; default: 6 random characters.'),
  });

  /** AWS Signature Version 4. */
  const AwsV4ProfileSchema = z.strictObject({
    type: described(z.literal('awsv4'), 'AWS Signature Version 4.'),
    accessKeyId: described(z.string(), 'Access key id.'),
    secretAccessKey: secret('Secret access key'),
    sessionToken: secret('Session token (temporary credentials)').optional(),
    region: described(z.string(), 'Region, e.g. us-east-1.'),
    service: described(z.string(), 'Service name, e.g. execute-api, s3.'),
    placement: described(z.enum(AWSV4_PLACEMENTS).optional(), 'header (default) or query (a presigned URL).'),
    unsignedPayload: described(z.boolean().optional(), 'Sign "UNSIGNED-PAYLOAD" instead of the body hash; default false.'),
    expiresSeconds: described(z.number().int().min(1).max(604800).optional(), 'X-Amz-Expires of a presigned URL; default 3600.'),
  });

  /** Akamai EdgeGrid (EG1-HMAC-SHA256). */
  const AkamaiEdgegridProfileSchema = z.strictObject({
    type: described(z.literal('akamaiEdgegrid'), 'Akamai EdgeGrid request signing.'),
    clientToken: described(z.string(), 'client_token.'),
    clientSecret: secret('client_secret'),
    accessToken: secret('access_token'),
    baseUrl: described(
      z.string().optional(),
      'The host of the credential (https://akab-….luna.akamaiapis.net); relative request URLs resolve against it.',
    ),
    headersToSign: described(z.array(z.string()).optional(), 'Names of request headers included in the signature, in order; default none.'),
    maxBody: described(z.number().int().positive().optional(), 'Bytes of a POST body that are hashed; default 131072.'),
    timestamp: described(z.string().optional(), 'Fixed timestamp (yyyyMMddTHH:mm:ss+0000); default: now.'),
    nonce: described(z.string().optional(), 'Fixed nonce; default: a random UUID.'),
  });

  /** NTLM (NTLMv2, MS-NLMP): a three-message handshake on one keep-alive connection. */
  const NtlmProfileSchema = z.strictObject({
    type: described(z.literal('ntlm'), 'NTLM (a challenge-response handshake on one connection).'),
    username: described(z.string(), 'User name.'),
    password: secret('Password'),
    domain: described(z.string().optional(), 'Domain; default: the one the server names.'),
    workstation: described(z.string().optional(), 'Workstation name sent in message 3; default empty.'),
  });

  /**
   * Negotiate (SPNEGO / Kerberos): the ticket comes from the credential cache (`kinit`, or
   * KRB5CCNAME), so the profile holds no secret.
   */
  const NegotiateProfileSchema = z.strictObject({
    type: described(z.literal('negotiate'), 'Negotiate / Kerberos (SPNEGO, RFC 4559).'),
    servicePrincipal: described(z.string().optional(), 'GSS service name; default "HTTP@<host of the request URL>".'),
    delegate: described(z.boolean().optional(), 'Ask for a forwardable, delegated ticket (GSS_C_DELEG_FLAG); default false.'),
  });

  /** A JWT signed for every request (Postman's "JWT Bearer"). */
  const JwtProfileSchema = z.strictObject({
    type: described(z.literal('jwt'), 'A JWT signed locally and sent as a bearer token.'),
    algorithm: described(z.enum(JWT_ALGORITHMS), 'JWS algorithm.'),
    secret: secret('HMAC secret (HS*)').optional(),
    secretBase64: described(z.boolean().optional(), 'The HS* secret is base64(url) encoded; default false.'),
    privateKey: secret('PEM private key, PKCS#8 or SPKI-style PEM (RS*, PS*, ES*)').optional(),
    payload: described(z.record(z.string(), z.unknown()).optional(), 'Claims; default {}.'),
    header: described(z.record(z.string(), z.unknown()).optional(), 'Extra JOSE header fields (e.g. kid).'),
    issuedAt: described(z.boolean().optional(), 'Set iat to now; default true.'),
    expiresInSeconds: described(z.number().int().positive().optional(), 'Set exp to now plus this; default: no exp.'),
    placement: described(z.enum(JWT_PLACEMENTS).optional(), 'header (default) or query.'),
    headerPrefix: described(
      z.string().optional(),
      'Prefix of the Authorization header value; default "Bearer"; empty sends the bare token.',
    ),
    queryParam: described(z.string().optional(), 'Query parameter name when placement is query; default "token".'),
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
