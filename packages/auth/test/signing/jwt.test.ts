import { generateKeyPairSync } from 'node:crypto';
import { getHeader, type PreparedRequest } from '@sortie/core';
import { compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildJwtBearerAssertion, importJwtKey, signJwt } from '../../src/signing/index.js';
import type { JwtProfile } from '../../src/signing/profiles.js';

function prepare(url: string): PreparedRequest {
  return { method: 'GET', url, headers: [], timeout: 1000, followRedirects: false, maxRedirects: 0 };
}

/** RFC 7515 Appendix A.1: the HS256 JWS and its key (JWK `k`, base64url). */
const A1_JWS =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const A1_KEY = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';

describe('JWT per request', () => {
  it('decodes a base64url secret into the RFC 7515 A.1 key, which verifies the A.1 signature', async () => {
    const key = importJwtKey({ algorithm: 'HS256', secret: A1_KEY, secretBase64: true });
    const { payload } = await compactVerify(A1_JWS, key);
    expect(JSON.parse(Buffer.from(payload).toString('utf8'))).toMatchObject({ iss: 'joe', exp: 1300819380 });
    const signed = await signJwt(prepare('http://h/'), {
      type: 'jwt',
      algorithm: 'HS256',
      secret: A1_KEY,
      secretBase64: true,
      payload: { iss: 'joe' },
    });
    const token = getHeader(signed.headers, 'authorization')!.replace(/^Bearer /, '');
    expect((await jwtVerify(token, key)).payload.iss).toBe('joe');
  });

  it('generates iat and exp from the clock and keeps the templated claims and header fields', async () => {
    const profile: JwtProfile = {
      type: 'jwt',
      algorithm: 'HS512',
      secret: 's3cret-value',
      payload: { sub: 'u1', role: 'admin' },
      header: { kid: 'k1' },
      expiresInSeconds: 300,
    };
    const signed = await signJwt(prepare('http://h/'), profile, { now: 1_700_000_000_000 });
    const token = getHeader(signed.headers, 'authorization')!.split(' ')[1]!;
    const { payload } = await jwtVerify(token, new TextEncoder().encode('s3cret-value'), { currentDate: new Date(1_700_000_000_000) });
    expect(payload).toEqual({ sub: 'u1', role: 'admin', iat: 1_700_000_000, exp: 1_700_000_300 });
    expect(decodeProtectedHeader(token)).toEqual({ typ: 'JWT', kid: 'k1', alg: 'HS512' });
  });

  it('places the token in the query or in a header with a custom or empty prefix', async () => {
    const base: JwtProfile = { type: 'jwt', algorithm: 'HS256', secret: 'abcd' };
    const query = await signJwt(prepare('http://h/p?a=1'), { ...base, placement: 'query', queryParam: 'jwt' });
    expect(query.url).toMatch(/^http:\/\/h\/p\?a=1&jwt=eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const bare = await signJwt(prepare('http://h/'), { ...base, headerPrefix: '' });
    expect(getHeader(bare.headers, 'authorization')).toMatch(/^eyJ/);
    const custom = await signJwt(prepare('http://h/'), { ...base, headerPrefix: 'JWT' });
    expect(getHeader(custom.headers, 'authorization')).toMatch(/^JWT eyJ/);
  });

  it('refuses a key that does not fit the algorithm with an AUTH error', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(signJwt(prepare('http://h/'), { type: 'jwt', algorithm: 'ES256', privateKey: pem })).rejects.toMatchObject({
      code: 'SORTIE_AUTH',
    });
    await expect(signJwt(prepare('http://h/'), { type: 'jwt', algorithm: 'HS256' })).rejects.toMatchObject({ code: 'SORTIE_AUTH' });
  });
});

describe('RFC 7523 JWT-bearer assertion', () => {
  it('carries iss, sub, aud, scope, iat, exp, jti and kid, signed with the private key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const assertion = await buildJwtBearerAssertion({
      issuer: 'svc@project.iam.gserviceaccount.com',
      audience: 'https://oauth2.googleapis.com/token',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      keyId: 'key-1',
      now: 1_700_000_000_000,
    });
    const { payload, protectedHeader } = await jwtVerify(assertion, publicKey, {
      issuer: 'svc@project.iam.gserviceaccount.com',
      audience: 'https://oauth2.googleapis.com/token',
      currentDate: new Date(1_700_000_000_000),
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'key-1' });
    expect(payload).toMatchObject({
      sub: 'svc@project.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });
});
