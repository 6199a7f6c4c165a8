import { getHeader, type PreparedRequest } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { formatEdgegridTimestamp, signEdgegrid } from '../../src/signing/index.js';
import type { AkamaiEdgegridProfile } from '../../src/signing/profiles.js';

function prepare(method: string, url: string, headers: Array<[string, string]> = [], body?: string): PreparedRequest {
  return { method, url, headers, body, timeout: 1000, followRedirects: false, maxRedirects: 0 };
}

/** Credentials and fixed values of akamai/AkamaiOPEN-edgegrid-node test/test_data.json. */
const PROFILE: AkamaiEdgegridProfile = {
  type: 'akamaiEdgegrid',
  clientToken: 'akab-client-token-xxx-xxxxxxxxxxxxxxxx',
  accessToken: 'akab-access-token-xxx-xxxxxxxxxxxxxxxx',
  clientSecret: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=',
  baseUrl: 'https://akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net/',
};
const FIXED = { timestamp: '20140321T19:34:21+0000', nonce: 'nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' };
const PREFIX =
  'EG1-HMAC-SHA256 client_token=akab-client-token-xxx-xxxxxxxxxxxxxxxx;access_token=akab-access-token-xxx-xxxxxxxxxxxxxxxx;' +
  'timestamp=20140321T19:34:21+0000;nonce=nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx;signature=';

function authorization(request: PreparedRequest, profile: AkamaiEdgegridProfile = PROFILE): string | undefined {
  return getHeader(signEdgegrid(request, profile, FIXED).headers, 'authorization');
}

describe('Akamai EdgeGrid test data', () => {
  it('signs GET /', () => {
    expect(authorization(prepare('GET', '/'))).toBe(`${PREFIX}tL+y4hxyHxgWVD30X3pWnGKHcPzmrIF+LThiAOhMxYU=`);
  });

  it('signs a GET with a query string', () => {
    expect(authorization(prepare('GET', '/testapi/v1/t1?p1=1&p2=2'))).toBe(`${PREFIX}hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA=`);
  });

  it('signs a POST with a body', () => {
    const request = prepare('POST', '/testapi/v1/t3', [], 'datadatadatadatadatadatadatadata');
    expect(authorization(request)).toBe(`${PREFIX}hXm4iCxtpN22m4cbZb4lVLW5rhX8Ca82vCFqXzSTPe4=`);
  });

  it('signs a POST of 2048 bytes', () => {
    expect(authorization(prepare('POST', '/testapi/v1/t3', [], 'd'.repeat(2048)))).toBe(
      `${PREFIX}6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY=`,
    );
  });

  it('signs the configured headers in the configured order, spaces collapsed, others ignored', () => {
    const profile = { ...PROFILE, headersToSign: ['X-Test1', 'X-Test2', 'X-Test3'] };
    const simple = prepare('GET', '/testapi/v1/t4', [['X-Test1', 'test-simple-header']]);
    expect(authorization(simple, profile)).toBe(`${PREFIX}8F9AybcRw+PLxnvT+H0JRkjROrrUgsxJTnRXMzqvcwY=`);
    const spaces = prepare('GET', '/testapi/v1/t4', [['X-Test1', '     first-thing      second-thing']]);
    expect(authorization(spaces, profile)).toBe(`${PREFIX}WtnneL539UadAAOJwnsXvPqT4Kt6z7HMgBEwAFpt3+c=`);
    const outOfOrder: Array<[string, string]> = [
      ['X-Test2', 't2'],
      ['X-Test1', 't1'],
      ['X-Test3', 't3'],
    ];
    expect(authorization(prepare('GET', '/testapi/v1/t4', outOfOrder), profile)).toBe(
      `${PREFIX}Wus73Nx8jOYM+kkBFF2q8D1EATRIMr0WLWwpLBgkBqY=`,
    );
    const extra = prepare('GET', '/testapi/v1/t5', [...outOfOrder, ['X-Extra', "this won't be included"]]);
    expect(authorization(extra, profile)).toBe(`${PREFIX}Knd/jc0A5Ghhizjayr0AUUvl2MZjBpS3FDSzvtq4Ixc=`);
  });
});

describe('Akamai EdgeGrid options', () => {
  it('hashes only the first maxBody bytes of a POST body', () => {
    const small = { ...PROFILE, maxBody: 4 };
    expect(authorization(prepare('POST', '/p', [], 'abcdXXXX'), small)).toBe(authorization(prepare('POST', '/p', [], 'abcdYYYY'), small));
    expect(authorization(prepare('POST', '/p', [], 'abcdXXXX'))).not.toBe(authorization(prepare('POST', '/p', [], 'abcdYYYY')));
  });

  it('refuses a relative URL without a base URL, and formats timestamps the EdgeGrid way', () => {
    const { baseUrl: _unused, ...noBase } = PROFILE;
    expect(() => signEdgegrid(prepare('GET', '/x'), noBase)).toThrow(expect.objectContaining({ code: 'SORTIE_AUTH' }));
    expect(formatEdgegridTimestamp(new Date('2014-03-21T19:34:21Z'))).toBe('20140321T19:34:21+0000');
  });
});
