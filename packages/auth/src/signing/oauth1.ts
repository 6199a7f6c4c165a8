/**
 * OAuth 1.0a request signing (RFC 5849 §3), with the oauth_body_hash extension.
 *
 * Hand-written, not `oauth-1.0a`: the engine signs the exact final bytes it sends (form body, raw query, body
 * hash). Tested against the RFC 5849 §3.1 example (test/signing/oauth1.test.ts) and re-verified with `oauth-1.0a`
 * as an independent oracle (fixtures/test/auth-verifiers-oauth1.test.ts).
 */
import { createHash, createHmac, createSign, randomBytes } from 'node:crypto';
import { ErrorCode, type PreparedRequest, SortieError } from '@sortie/core';
import type { OAuth1Profile } from './profiles.js';
import { appendQuery, encodeRfc3986, parseFormPairs, readBodyBytes, readMediaType, readRawQuery, setHeader } from './request-parts.js';

/** Values a test (or a replay) fixes instead of the clock and the random source. */
export interface OAuth1SignOptions {
  /** oauth_timestamp; default: the profile's, else now in seconds. */
  timestamp?: string;
  /** oauth_nonce; default: the profile's, else 16 random bytes, hex. */
  nonce?: string;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Signs `request` with OAuth 1.0a and returns it with the protocol parameters in the
 * Authorization header, the query or the form body (`profile.placement`, default header).
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3
 */
export function signOAuth1(request: PreparedRequest, profile: OAuth1Profile, options: OAuth1SignOptions = {}): PreparedRequest {
  const method = profile.signatureMethod ?? 'HMAC-SHA1';
  const placement = profile.placement ?? 'header';
  const isForm = readMediaType(request) === FORM;
  const body = readBodyBytes(request);
  if (placement === 'body' && !isForm && body.length > 0) {
    throw new SortieError(ErrorCode.AUTH, 'OAuth 1.0 placement', 'OAuth 1.0 parameters can go in the body only for form bodies', {
      hint: `Send the body as ${FORM}, or use placement "header" or "query".`,
    });
  }
  const oauth = collectProtocolParams(profile, method, options);
  if (profile.includeBodyHash && !isForm && method !== 'PLAINTEXT') {
    // oauth_body_hash extension §3.1: hash of the raw body with the signature's hash function.
    oauth.push(['oauth_body_hash', createHash(bodyHashAlgorithm(method)).update(body).digest('base64')]);
  }
  const baseString = buildOAuth1BaseString(request, oauth);
  oauth.push(['oauth_signature', computeSignature(method, baseString, profile)]);
  return placeParams(request, oauth, placement, profile.realm);
}

/** 3.1 steps 1–2: the protocol parameters to send, empty optional ones only when asked for. */
function collectProtocolParams(profile: OAuth1Profile, method: string, options: OAuth1SignOptions): Array<[string, string]> {
  const params: Array<[string, string]> = [['oauth_consumer_key', profile.consumerKey]];
  const optional = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    if (value !== '' || profile.includeEmptyParams) params.push([name, value]);
  };
  optional('oauth_token', profile.token);
  params.push(['oauth_signature_method', method]);
  params.push(['oauth_timestamp', options.timestamp ?? profile.timestamp ?? String(Math.floor(Date.now() / 1000))]);
  params.push(['oauth_nonce', options.nonce ?? profile.nonce ?? randomBytes(16).toString('hex')]);
  const version = profile.version ?? '1.0';
  if (version !== '') params.push(['oauth_version', version]);
  optional('oauth_callback', profile.callback);
  optional('oauth_verifier', profile.verifier);
  return params;
}

/**
 * The signature base string: method, base string URI and normalized parameters (query, form body
 * and protocol parameters), each percent-encoded and joined by `&`.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1
 */
export function buildOAuth1BaseString(request: PreparedRequest, oauthParams: Array<[string, string]>): string {
  const url = new URL(request.url);
  // 3.4.1.2: scheme and host in lower case, default port omitted (URL does both), path as sent.
  const baseUri = `${url.protocol}//${url.host}${url.pathname}`;
  const params: Array<[string, string]> = [...parseFormPairs(readRawQuery(request.url))];
  // 3.4.1.3.1: a single-part form body is part of the signature.
  if (readMediaType(request) === FORM) params.push(...parseFormPairs(readBodyBytes(request).toString('utf8')));
  params.push(...oauthParams.filter(([name]) => name !== 'oauth_signature' && name !== 'realm'));
  return [request.method.toUpperCase(), encodeRfc3986(baseUri), encodeRfc3986(normalizeParams(params))].join('&');
}

/** 3.4.1.3.2: encode names and values, sort by name then value, join. */
function normalizeParams(params: Array<[string, string]>): string {
  const encoded = params.map(([n, v]) => [encodeRfc3986(n), encodeRfc3986(v)] as const);
  encoded.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return encoded.map(([n, v]) => `${n}=${v}`).join('&');
}

/** 3.4.2–3.4.4: HMAC over the base string, RSA signature, or the plain key. */
function computeSignature(method: string, baseString: string, profile: OAuth1Profile): string {
  const key = `${encodeRfc3986(profile.consumerSecret ?? '')}&${encodeRfc3986(profile.tokenSecret ?? '')}`;
  switch (method) {
    case 'HMAC-SHA1':
      return createHmac('sha1', key).update(baseString).digest('base64');
    case 'HMAC-SHA256':
      return createHmac('sha256', key).update(baseString).digest('base64');
    case 'HMAC-SHA512':
      return createHmac('sha512', key).update(baseString).digest('base64');
    case 'RSA-SHA1':
    case 'RSA-SHA256':
      return signRsa(method === 'RSA-SHA1' ? 'RSA-SHA1' : 'RSA-SHA256', baseString, profile.privateKey);
    case 'PLAINTEXT':
      return key;
    default:
      throw new SortieError(ErrorCode.AUTH, 'OAuth 1.0 signature method', `unsupported OAuth 1.0 signature method "${method}"`);
  }
}

function signRsa(algorithm: string, baseString: string, privateKey: string | undefined): string {
  if (!privateKey) {
    throw new SortieError(ErrorCode.AUTH, 'OAuth 1.0 private key', `signature method ${algorithm} needs privateKey (a PEM private key)`);
  }
  try {
    return createSign(algorithm).update(baseString).sign(privateKey, 'base64');
  } catch (error) {
    throw new SortieError(ErrorCode.AUTH, 'OAuth 1.0 private key', 'privateKey is not a usable PEM private key', { cause: error });
  }
}

function bodyHashAlgorithm(method: string): string {
  if (method.endsWith('SHA512')) return 'sha512';
  if (method.endsWith('SHA256')) return 'sha256';
  return 'sha1';
}

/** 3.5: Authorization header (3.5.1), form body (3.5.2) or query (3.5.3). */
function placeParams(request: PreparedRequest, oauth: Array<[string, string]>, placement: string, realm?: string): PreparedRequest {
  const pairs = oauth.map(([n, v]) => `${encodeRfc3986(n)}=${encodeRfc3986(v)}`);
  if (placement === 'query') return { ...request, url: appendQuery(request.url, pairs) };
  if (placement === 'body') {
    const existing = readBodyBytes(request).toString('utf8');
    const body = existing === '' ? pairs.join('&') : `${existing}&${pairs.join('&')}`;
    const withType = readMediaType(request) === FORM ? request : setHeader(request, 'Content-Type', FORM);
    return { ...withType, body };
  }
  const fields = oauth.map(([n, v]) => `${encodeRfc3986(n)}="${encodeRfc3986(v)}"`);
  if (realm !== undefined) fields.unshift(`realm="${realm.replace(/["\\]/g, '\\$&')}"`);
  return setHeader(request, 'Authorization', `OAuth ${fields.join(', ')}`);
}
