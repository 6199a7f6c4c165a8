import { AuthProfileSchema, AuthReferenceSchema } from '@sortie/core';
import { describe, expect, it } from 'vitest';

function issuesOf(input: unknown): string[] {
  const result = AuthProfileSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('AuthProfileSchema', () => {
  it('applies the documented defaults', () => {
    expect(AuthProfileSchema.parse({ type: 'bearer', token: '{{TOKEN}}' })).toEqual({
      type: 'bearer',
      token: '{{TOKEN}}',
      prefix: 'Bearer',
    });
    expect(AuthProfileSchema.parse({ type: 'apiKey', name: 'X-Key', value: 'v' })).toMatchObject({ in: 'header' });
    expect(AuthProfileSchema.parse({ type: 'oauth2', grant: 'client_credentials', tokenUrl: 'https://t', clientId: 'c' })).toMatchObject({
      clientAuth: 'basic',
      tokenType: 'access_token',
      refreshSkewSeconds: 30,
      expiredStatuses: [401],
    });
  });

  it('names the fields each grant requires', () => {
    expect(issuesOf({ type: 'oauth2', grant: 'password', clientId: 'c' })).toEqual([
      'tokenUrl: "tokenUrl" is required for the password grant',
      'username: "username" is required for the password grant',
      'password: "password" is required for the password grant',
    ]);
    expect(issuesOf({ type: 'oauth2', grant: 'authorization_code', clientId: 'c', tokenUrl: 'https://t' })).toEqual([
      'authUrl: "authUrl" is required for the authorization_code grant',
    ]);
    expect(issuesOf({ type: 'oauth2', grant: 'device_code', clientId: 'c', tokenUrl: 'https://t' })).toEqual([
      'deviceAuthorizationUrl: "deviceAuthorizationUrl" is required for the device_code grant',
    ]);
    expect(issuesOf({ type: 'oauth2', grant: 'refresh_token', clientId: 'c', refreshUrl: 'https://r' })).toEqual([
      'refreshToken: "refreshToken" is required for the refresh_token grant',
    ]);
  });

  it('rejects authorization parameters outside the query, unknown fields and a bad body pattern', () => {
    const base = { type: 'oauth2', grant: 'implicit', clientId: 'c', authUrl: 'https://a' };
    expect(issuesOf({ ...base, params: { authorization: [{ name: 'x', value: 'y', in: 'header' }] } })).toEqual([
      'params.authorization.0.in: authorization parameters can only go in the query: the URL is opened in a browser',
    ]);
    expect(issuesOf({ ...base, expiredBodyPattern: '(' })).toEqual(['expiredBodyPattern: expected a valid regular expression']);
    expect(issuesOf({ ...base, clientSecert: 'typo' })).toHaveLength(1);
    expect(issuesOf({ ...base, pkce: 'S512' })).toHaveLength(1);
  });

  it('takes a PKCE code verifier from a template (a secret), and refuses a literal one RFC 7636 §4.1 forbids', () => {
    const profile = (codeVerifier: string) => ({
      type: 'oauth2',
      grant: 'authorization_code',
      authUrl: 'https://a',
      tokenUrl: 'https://t',
      clientId: 'c',
      codeVerifier,
    });
    // The verifier is registered as a secret: it has to be able to come from {{…}} like every other one.
    expect(issuesOf(profile('{{PKCE_VERIFIER}}'))).toEqual([]);
    expect(issuesOf(profile('dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk'))).toEqual([]);
    const rule =
      'codeVerifier: expected 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1), or a template such as {{PKCE_VERIFIER}}';
    expect(issuesOf(profile('short'))).toEqual([rule]);
    // 43 characters, but "+" and "/" are not unreserved: the S256 challenge a server computes would not match.
    expect(issuesOf(profile('dBjftJeZ4CVP+mJ92K27uhbUJU1p1r/wW1gFWFOEjXk'))).toEqual([rule]);
  });

  it('accepts a profile name, "none" or an inline profile as a reference', () => {
    expect(AuthReferenceSchema.parse('none')).toBe('none');
    expect(AuthReferenceSchema.parse('api')).toBe('api');
    expect(AuthReferenceSchema.parse({ type: 'basic', username: 'u' })).toEqual({ type: 'basic', username: 'u', password: '' });
  });
});
