import { getHeader, type PreparedRequest } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { canonicalizePath, signAwsV4 } from '../../src/signing/index.js';
import type { AwsV4Profile } from '../../src/signing/profiles.js';

function prepare(method: string, url: string, headers: Array<[string, string]> = [], body?: string): PreparedRequest {
  return { method, url, headers, body, timeout: 1000, followRedirects: false, maxRedirects: 0 };
}

/** The AWS SigV4 test suite (2015-08-30) credentials, as in smithy-typescript's suite.fixture.ts. */
const SUITE: AwsV4Profile = {
  type: 'awsv4',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  service: 'service',
};
const NOW = new Date('2015-08-30T12:36:00Z');

describe('AWS SigV4 test suite', () => {
  it('signs get-vanilla', () => {
    const signed = signAwsV4(prepare('GET', 'https://example.amazonaws.com/'), SUITE, { now: NOW });
    expect(getHeader(signed.headers, 'authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(getHeader(signed.headers, 'x-amz-date')).toBe('20150830T123600Z');
  });

  it('signs post-x-www-form-urlencoded', () => {
    const request = prepare(
      'POST',
      'https://example.amazonaws.com/',
      [['Content-Type', 'application/x-www-form-urlencoded']],
      'Param1=value1',
    );
    const signed = signAwsV4(request, SUITE, { now: NOW });
    expect(getHeader(signed.headers, 'authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    );
  });
});

describe('AWS SigV4 options', () => {
  it('signs the session token and sends the unsigned-payload marker', () => {
    const signed = signAwsV4(
      prepare('PUT', 'https://h.example/k', [], 'x'),
      { ...SUITE, sessionToken: 'tok3n', unsignedPayload: true },
      { now: NOW },
    );
    expect(getHeader(signed.headers, 'x-amz-security-token')).toBe('tok3n');
    expect(getHeader(signed.headers, 'x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
    expect(getHeader(signed.headers, 'authorization')).toContain(
      'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,',
    );
  });

  it('presigns a URL by appending the X-Amz-* parameters after the existing query', () => {
    const signed = signAwsV4(prepare('GET', 'https://h.example/a?z=1'), { ...SUITE, placement: 'query', expiresSeconds: 60 }, { now: NOW });
    const url = new URL(signed.url);
    expect(signed.url.startsWith('https://h.example/a?z=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&')).toBe(true);
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20150830/us-east-1/service/aws4_request');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(getHeader(signed.headers, 'authorization')).toBeUndefined();
  });

  it('double-encodes and normalises the path except for S3', () => {
    expect(canonicalizePath('/a/./b/../c//d%20e/', true)).toBe('/a/c/d%2520e/');
    expect(canonicalizePath('/my%20key/a+b', false)).toBe('/my%20key/a%2Bb');
  });
});
