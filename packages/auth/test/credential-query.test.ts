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
});
