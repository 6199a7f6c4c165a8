import { type PreparedRequest, Redactor } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { queryCredentialNames, registerQueryCredentials } from '../src/credential-headers.js';
import { signJwt } from '../src/signing/jwt.js';

function get(url: string): PreparedRequest {
  return { method: 'GET', url, headers: [], timeout: 1_000, followRedirects: false, maxRedirects: 0 };
}

describe('credentials a scheme puts in the query', () => {
  it('registers a JWT signed into the query, so a report shows the URL redacted', async () => {
    const redactor = new Redactor();
    const request = get('http://api.test/reports?page=2');
    const profile = { type: 'jwt', algorithm: 'HS256', secret: 'k3y', placement: 'query', payload: { sub: 'ann' } } as const;
    const signed = await signJwt(request, profile);
    const token = new URL(signed.url).searchParams.get('token') as string;
    expect(token.split('.')).toHaveLength(3);
    registerQueryCredentials(signed, queryCredentialNames(profile), redactor);
    expect(redactor.redact(signed.url)).toBe('http://api.test/reports?page=2&token=[REDACTED]');
  });

  it('registers an API key sent in the query, and nothing a scheme adds that is not a credential', () => {
    const redactor = new Redactor();
    const url = 'http://s3.test/b?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host&api_key=k-123456';
    registerQueryCredentials(get(url), queryCredentialNames({ type: 'awsv4', placement: 'query' }), redactor);
    expect(redactor.redact(url)).toBe(url);
    registerQueryCredentials(get(url), queryCredentialNames({ type: 'apiKey', in: 'query', name: 'api_key' }), redactor);
    expect(redactor.redact(url)).toBe('http://s3.test/b?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host&api_key=[REDACTED]');
  });

  it('registers the signature of an AWS presigned URL, a bearer credential until it expires, and no other parameter', async () => {
    // Anyone holding a presigned URL can send its request until X-Amz-Expires: in a CI log or a report it is as
    // good as the Authorization header that header signing sends, which is redacted.
    const { signAwsV4 } = await import('../src/signing/awsv4.js');
    const profile = {
      type: 'awsv4',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      region: 'us-east-1',
      service: 's3',
      placement: 'query',
    } as const;
    const signed = signAwsV4(get('http://s3.test/bucket/key?list-type=2'), profile, { now: new Date('2026-01-02T03:04:05Z') });
    const signature = new URL(signed.url).searchParams.get('X-Amz-Signature') as string;
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    const redactor = new Redactor();
    registerQueryCredentials(signed, queryCredentialNames(profile), redactor);
    const shown = redactor.redact(signed.url);
    expect(shown).not.toContain(signature);
    expect(shown).toContain('X-Amz-Signature=[REDACTED]');
    expect(shown).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(shown).toContain('list-type=2');
  });
});
