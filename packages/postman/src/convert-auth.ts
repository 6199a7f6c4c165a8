/**
 * Postman auth → Sortie auth profiles. Every auth type Newman supports has a Sortie scheme; values
 * stay templates (`{{token}}`), rendered when the request is sent. OAuth 2.0 gets a real token from
 * the auth-state manager for the grants that run headlessly (client credentials, password, a
 * refresh token), Newman's behaviour (the saved access token sent as a bearer token) otherwise.
 * @see https://learning.postman.com/docs/sending-requests/authorization/authorization-types/
 */
import { type AnyAuthProfile, JWT_ALGORITHMS } from '@sortie/core';
import type { PmAuth } from './collection-types.js';

/** A converted profile, with the fields that hold secrets (for the importer, which never writes them). */
export interface ConvertedAuth {
  profile: AnyAuthProfile;
  /** Top-level profile fields holding a secret value (password, client secret, key, token…). */
  secretFields: string[];
}

/** Why an auth cannot be converted: the request that uses it is reported, not run. */
export class UnsupportedAuth extends Error {}

/**
 * An auth that lacks what it needs to sign (a bearer token, an API key's name, an OAuth 2.0 access
 * token): postman-runtime's authorizer then signs nothing and the request goes out without
 * credentials (lib/authorizer/bearer.js, apikey.js, oauth2.js: "Nothing to do if required parameters
 * are not present"), so its requests run with no auth.
 */
export class NoCredential extends Error {}

type Params = Record<string, unknown>;

/** Reads the parameters of an auth of either format version (v2.1 list of `{ key, value }`, v2.0 object). */
export function authParams(auth: PmAuth): Params {
  const raw = auth.type === undefined ? undefined : auth[auth.type];
  if (Array.isArray(raw)) {
    const params: Params = {};
    for (const entry of raw) if (typeof entry?.key === 'string') params[entry.key] = entry.value;
    return params;
  }
  return raw !== null && typeof raw === 'object' ? { ...(raw as Params) } : {};
}

/** A parameter as text: an object or list (written where Postman expects text) as its JSON. */
const text = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'string'
      ? value
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
const given = (value: unknown): boolean => text(value) !== '';
const flag = (value: unknown): boolean => value === true || value === 'true';

/**
 * Converts one Postman auth (not `inherit`, not `noauth`) into a Sortie profile.
 * @throws UnsupportedAuth for a type Sortie has no scheme for, or values it cannot use; NoCredential for an
 *   auth Newman sends nothing for.
 */
export function convertAuth(auth: PmAuth): ConvertedAuth {
  const p = authParams(auth);
  const type = auth.type ?? '';
  switch (type) {
    case 'basic':
      return { profile: { type: 'basic', username: text(p.username), password: text(p.password) }, secretFields: ['password'] };
    case 'bearer':
      if (!given(p.token)) throw new NoCredential('bearer auth without a token');
      return { profile: { type: 'bearer', token: text(p.token), prefix: 'Bearer' }, secretFields: ['token'] };
    case 'apikey':
      if (!given(p.key)) throw new NoCredential('API key auth without a key name');
      return {
        profile: { type: 'apiKey', name: text(p.key), value: text(p.value) || ' ', in: p.in === 'query' ? 'query' : 'header' },
        secretFields: ['value'],
      };
    case 'digest':
      return convertDigest(p);
    case 'oauth1':
      return convertOAuth1(p);
    case 'oauth2':
      return convertOAuth2(p);
    case 'hawk':
      return convertHawk(p);
    case 'awsv4':
      return convertAwsV4(p);
    case 'edgegrid':
      return convertEdgegrid(p);
    case 'ntlm':
      return {
        profile: {
          type: 'ntlm',
          username: text(p.username),
          password: text(p.password),
          ...(given(p.domain) ? { domain: text(p.domain) } : {}),
          ...(given(p.workstation) ? { workstation: text(p.workstation) } : {}),
        },
        secretFields: ['password'],
      };
    case 'jwt':
      return convertJwt(p);
    default:
      throw new UnsupportedAuth(`auth type "${type}" has no Sortie equivalent`);
  }
}

function convertDigest(p: Params): ConvertedAuth {
  const algorithm = text(p.algorithm).toUpperCase().replace('-SESS', '-sess');
  const profile: AnyAuthProfile = { type: 'digest', username: text(p.username), password: text(p.password) };
  if (algorithm === 'MD5' || algorithm === 'MD5-sess' || algorithm === 'SHA-256' || algorithm === 'SHA-256-sess') {
    // Postman always fills in MD5 by default; the server's challenge decides unless the user chose otherwise.
    if (algorithm !== 'MD5') profile.algorithm = algorithm;
  }
  if (p.qop === 'auth-int') profile.qop = 'auth-int';
  return { profile, secretFields: ['password'] };
}

const OAUTH1_METHODS = new Set(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'PLAINTEXT']);

function convertOAuth1(p: Params): ConvertedAuth {
  const method = text(p.signatureMethod) || 'HMAC-SHA1';
  if (!OAUTH1_METHODS.has(method)) throw new UnsupportedAuth(`OAuth 1.0 signature method "${method}" is not supported`);
  const profile: Record<string, unknown> = { type: 'oauth1', consumerKey: text(p.consumerKey), signatureMethod: method };
  const optional: Array<[string, string]> = [
    ['consumerSecret', 'consumerSecret'],
    ['token', 'token'],
    ['tokenSecret', 'tokenSecret'],
    ['privateKey', 'privateKey'],
    ['realm', 'realm'],
    ['callback', 'callback'],
    ['verifier', 'verifier'],
    ['timestamp', 'timestamp'],
    ['nonce', 'nonce'],
  ];
  for (const [from, to] of optional) if (given(p[from])) profile[to] = text(p[from]);
  if (p.version !== undefined) profile.version = text(p.version);
  // Postman: addParamsToHeader true → Authorization header, else body (form bodies) or query.
  if (!flag(p.addParamsToHeader) && p.addParamsToHeader !== undefined) profile.placement = 'query';
  if (flag(p.includeBodyHash)) profile.includeBodyHash = true;
  if (flag(p.addEmptyParamsToSign)) profile.includeEmptyParams = true;
  return { profile: profile as AnyAuthProfile, secretFields: ['consumerSecret', 'tokenSecret', 'privateKey', 'token'] };
}

const GRANTS: Record<string, 'client_credentials' | 'password' | 'authorization_code' | 'implicit'> = {
  client_credentials: 'client_credentials',
  password_credentials: 'password',
  authorization_code: 'authorization_code',
  authorization_code_with_pkce: 'authorization_code',
  implicit: 'implicit',
};

function convertOAuth2(p: Params): ConvertedAuth {
  const grant = GRANTS[text(p.grant_type)] ?? 'authorization_code';
  const tokenUrl = text(p.accessTokenUrl);
  const headless = (grant === 'client_credentials' || grant === 'password') && tokenUrl !== '' && given(p.clientId);
  const placement =
    p.addTokenTo === 'queryParams'
      ? ({ in: 'query', name: 'access_token' } as const)
      : ({ in: 'header', name: 'Authorization', ...(given(p.headerPrefix) ? { prefix: text(p.headerPrefix) } : {}) } as const);
  if (!headless && given(p.accessToken)) {
    // Newman's behaviour: the access token saved in the collection, sent as it says.
    if (placement.in === 'query') {
      return { profile: { type: 'apiKey', name: 'access_token', value: text(p.accessToken), in: 'query' }, secretFields: ['value'] };
    }
    const prefix = given(p.headerPrefix) ? text(p.headerPrefix) : 'Bearer';
    return { profile: { type: 'bearer', token: text(p.accessToken), prefix }, secretFields: ['token'] };
  }
  if (!given(p.clientId)) throw new NoCredential('OAuth 2.0 without an access token or a client ID');
  const profile: Record<string, unknown> = {
    type: 'oauth2',
    grant,
    clientId: text(p.clientId),
    clientAuth: p.client_authentication === 'body' ? 'body' : 'basic',
    placement,
  };
  const optional: Array<[string, string]> = [
    ['accessTokenUrl', 'tokenUrl'],
    ['authUrl', 'authUrl'],
    ['clientSecret', 'clientSecret'],
    ['scope', 'scope'],
    ['username', 'username'],
    ['password', 'password'],
    ['redirect_uri', 'callbackUrl'],
    ['state', 'state'],
    ['refreshTokenUrl', 'refreshUrl'],
    ['refreshToken', 'refreshToken'],
    ['code_verifier', 'codeVerifier'],
  ];
  for (const [from, to] of optional) if (given(p[from])) profile[to] = text(p[from]);
  if (typeof p.audience === 'string' && p.audience !== '') profile.audience = p.audience;
  if (typeof p.resource === 'string' && p.resource !== '') profile.resource = p.resource;
  if (grant === 'authorization_code')
    profile.pkce = p.grant_type === 'authorization_code_with_pkce' ? (p.challengeAlgorithm === 'plain' ? 'plain' : 'S256') : false;
  if (profile.grant === 'authorization_code' && profile.refreshToken !== undefined && profile.authUrl === undefined)
    profile.grant = 'refresh_token';
  return { profile: profile as AnyAuthProfile, secretFields: ['clientSecret', 'password', 'refreshToken', 'codeVerifier'] };
}

function convertHawk(p: Params): ConvertedAuth {
  const profile: Record<string, unknown> = { type: 'hawk', id: text(p.authId), key: text(p.authKey) };
  const algorithm = text(p.algorithm).toLowerCase();
  if (algorithm === 'sha1' || algorithm === 'sha256') profile.algorithm = algorithm;
  if (given(p.extraData)) profile.ext = text(p.extraData);
  if (given(p.app)) profile.app = text(p.app);
  if (given(p.delegation)) profile.dlg = text(p.delegation);
  if (given(p.timestamp)) profile.timestamp = text(p.timestamp);
  if (given(p.nonce)) profile.nonce = text(p.nonce);
  if (flag(p.includePayloadHash)) profile.includePayloadHash = true;
  return { profile: profile as AnyAuthProfile, secretFields: ['key'] };
}

function convertAwsV4(p: Params): ConvertedAuth {
  const profile: Record<string, unknown> = {
    type: 'awsv4',
    accessKeyId: text(p.accessKey),
    secretAccessKey: text(p.secretKey),
    region: text(p.region) || 'us-east-1',
    service: text(p.service) || 'execute-api',
  };
  if (given(p.sessionToken)) profile.sessionToken = text(p.sessionToken);
  if (flag(p.addAuthDataToQuery)) profile.placement = 'query';
  return { profile: profile as AnyAuthProfile, secretFields: ['secretAccessKey', 'sessionToken'] };
}

function convertEdgegrid(p: Params): ConvertedAuth {
  const profile: Record<string, unknown> = {
    type: 'akamaiEdgegrid',
    clientToken: text(p.clientToken),
    clientSecret: text(p.clientSecret),
    accessToken: text(p.accessToken),
  };
  if (given(p.baseURL)) profile.baseUrl = text(p.baseURL);
  if (given(p.headersToSign))
    profile.headersToSign = text(p.headersToSign)
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
  if (given(p.timestamp)) profile.timestamp = text(p.timestamp);
  if (given(p.nonce)) profile.nonce = text(p.nonce);
  return { profile: profile as AnyAuthProfile, secretFields: ['clientSecret', 'accessToken'] };
}

/** The algorithms Sortie's jwt profile signs with (its schema's list). */
const SIGNING_ALGORITHMS: ReadonlySet<string> = new Set(JWT_ALGORITHMS);

function convertJwt(p: Params): ConvertedAuth {
  const algorithm = text(p.algorithm) || 'HS256';
  if (!SIGNING_ALGORITHMS.has(algorithm)) throw new UnsupportedAuth(`JWT algorithm "${algorithm}" is not supported`);
  const profile: Record<string, unknown> = { type: 'jwt', algorithm };
  if (given(p.secret)) profile.secret = text(p.secret);
  if (given(p.privateKey)) profile.privateKey = text(p.privateKey);
  if (flag(p.isSecretBase64Encoded)) profile.secretBase64 = true;
  profile.payload = parseJsonObject(p.payload, 'payload');
  if (given(p.header)) profile.header = parseJsonObject(p.header, 'header');
  // Postman adds no iat of its own: the payload says what it holds.
  profile.issuedAt = false;
  if (p.addTokenTo === 'query') {
    profile.placement = 'query';
    if (given(p.queryParamKey)) profile.queryParam = text(p.queryParamKey);
  } else if (p.headerPrefix !== undefined) {
    profile.headerPrefix = text(p.headerPrefix);
  }
  return { profile: profile as AnyAuthProfile, secretFields: ['secret', 'privateKey'] };
}

function parseJsonObject(value: unknown, field: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (!given(value)) return {};
  try {
    const parsed: unknown = JSON.parse(text(value));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UnsupportedAuth(`JWT ${field} is not a JSON object`);
}
