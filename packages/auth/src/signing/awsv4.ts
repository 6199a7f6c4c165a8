/**
 * AWS Signature Version 4: header signing and presigned (query) URLs.
 *
 * Hand-written, not `aws4`: the engine signs the exact final bytes it sends (a PreparedRequest, not aws4's
 * request options). Tested against the published AWS SigV4 test suite (test/signing/awsv4.test.ts) and re-verified
 * with `aws4` as an independent oracle (fixtures/test/auth-verifiers-awsv4.test.ts).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { createHash, createHmac } from 'node:crypto';
import type { PreparedRequest } from '@sortie/core';
import type { AwsV4Profile } from './profiles.js';
import { appendQuery, encodeRfc3986, readBodyBytes, readRawQuery, setHeader } from './request-parts.js';

/** Values a test fixes instead of the clock. */
export interface AwsV4SignOptions {
  /** Signing time; default now. */
  now?: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED = 'UNSIGNED-PAYLOAD';
/** Headers never signed: hop-by-hop or changed by proxies and the HTTP client (as aws4 and smithy do). */
const UNSIGNABLE = new Set(['authorization', 'connection', 'expect', 'user-agent', 'x-amzn-trace-id', 'presigned-expires', 'range']);

/**
 * Signs `request` with SigV4: an `Authorization` header (with `X-Amz-Date`, and
 * `X-Amz-Security-Token` for temporary credentials), or presigned query parameters.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export function signAwsV4(request: PreparedRequest, profile: AwsV4Profile, options: AwsV4SignOptions = {}): PreparedRequest {
  const amzDate = formatAmzDate(options.now ?? new Date());
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${profile.region}/${profile.service}/aws4_request`;
  const url = new URL(request.url);
  const isS3 = profile.service === 's3';
  const presign = profile.placement === 'query';
  const payloadHash =
    profile.unsignedPayload || (presign && isS3) ? UNSIGNED : createHash('sha256').update(readBodyBytes(request)).digest('hex');

  let signed = request;
  const extraQuery: Array<[string, string]> = [];
  if (presign) {
    extraQuery.push(
      ['X-Amz-Algorithm', ALGORITHM],
      ['X-Amz-Credential', `${profile.accessKeyId}/${scope}`],
      ['X-Amz-Date', amzDate],
      ['X-Amz-Expires', String(profile.expiresSeconds ?? 3600)],
    );
    if (profile.sessionToken) extraQuery.push(['X-Amz-Security-Token', profile.sessionToken]);
  } else {
    signed = setHeader(signed, 'X-Amz-Date', amzDate);
    if (profile.sessionToken) signed = setHeader(signed, 'X-Amz-Security-Token', profile.sessionToken);
    if (isS3 || profile.unsignedPayload) signed = setHeader(signed, 'X-Amz-Content-Sha256', payloadHash);
  }

  // Step 1: canonical headers (host from the URL, as the HTTP client sends it) and signed headers.
  const headerMap = new Map<string, string[]>();
  if (!signed.headers.some(([n]) => n.toLowerCase() === 'host')) headerMap.set('host', [url.host]);
  if (!presign) {
    for (const [name, value] of signed.headers) {
      const lower = name.toLowerCase();
      if (UNSIGNABLE.has(lower)) continue;
      headerMap.set(lower, [...(headerMap.get(lower) ?? []), value.trim().replace(/\s+/g, ' ')]);
    }
  }
  const names = [...headerMap.keys()].sort();
  const signedHeaders = names.join(';');
  if (presign) extraQuery.push(['X-Amz-SignedHeaders', signedHeaders]);
  const canonicalHeaders = names.map((n) => `${n}:${headerMap.get(n)!.join(',')}\n`).join('');

  const encodedExtra = extraQuery.map(([n, v]) => `${encodeRfc3986(n)}=${encodeRfc3986(v)}`);
  const query = [readRawQuery(request.url), ...encodedExtra].filter((q) => q !== '').join('&');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalizePath(url.pathname, !isS3),
    canonicalizeQuery(query),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');

  // Step 2–4: string to sign, derived signing key, signature.
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', deriveSigningKey(profile.secretAccessKey, date, profile.region, profile.service))
    .update(stringToSign)
    .digest('hex');

  if (presign) return { ...signed, url: appendQuery(request.url, [...encodedExtra, `X-Amz-Signature=${signature}`]) };
  return setHeader(
    signed,
    'Authorization',
    `${ALGORITHM} Credential=${profile.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  );
}

/**
 * The canonical URI: for every service but S3, dot segments and empty segments are removed and
 * each segment is URI-encoded again (double encoding); S3 keys are encoded once, unnormalised.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 */
export function canonicalizePath(pathname: string, normalize: boolean): string {
  if (!normalize)
    return pathname
      .split('/')
      .map((segment) => encodeRfc3986(safeDecode(segment)))
      .join('/');
  const segments: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(encodeRfc3986(segment));
  }
  const trailing = segments.length > 0 && pathname.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

/** Canonical query: each name and value form-decoded then RFC 3986-encoded, sorted by name then value. */
function canonicalizeQuery(raw: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = at === -1 ? part : part.slice(0, at);
    const value = at === -1 ? '' : part.slice(at + 1);
    // A `+` in a query is a space, as AWS services and SDKs decode it.
    pairs.push([encodeRfc3986(safeDecode(name.replace(/\+/g, ' '))), encodeRfc3986(safeDecode(value.replace(/\+/g, ' ')))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  let key = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return key;
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
