import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { getHeader, type PreparedRequest } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { buildOAuth1BaseString, signOAuth1 } from '../../src/signing/index.js';
import type { OAuth1Profile } from '../../src/signing/profiles.js';

function prepare(method: string, url: string, headers: Array<[string, string]> = [], body?: string): PreparedRequest {
  return { method, url, headers, body, timeout: 1000, followRedirects: false, maxRedirects: 0 };
}

/** Parses `OAuth a="b", …` into a map of decoded values. */
function parseAuthorization(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of (value ?? '').matchAll(/([\w-]+)="([^"]*)"/g)) out[match[1]!] = decodeURIComponent(match[2]!);
  return out;
}

describe('OAuth 1.0 published vectors', () => {
  it('signs the RFC 5849 §3.1 example (errata-corrected) with query, form body and realm', () => {
    const request = prepare(
      'POST',
      'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      [['Content-Type', 'application/x-www-form-urlencoded']],
      'c2&a3=2+q',
    );
    const profile: OAuth1Profile = {
      type: 'oauth1',
      consumerKey: '9djdj82h48djs9d2',
      consumerSecret: 'j49sk3j29djd',
      token: 'kkk9d7dh3k39sjv7',
      tokenSecret: 'dh893hdasih9',
      realm: 'Example',
      version: '',
    };
    const signed = signOAuth1(request, profile, { timestamp: '137131201', nonce: '7d8f3e4a' });
    const header = getHeader(signed.headers, 'authorization');
    expect(header).toMatch(/^OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2"/);
    expect(parseAuthorization(header).oauth_signature).toBe('r6/TJjbCOr97/+UU0NsvSne7s5g=');
  });

  it('builds the RFC 5849 §3.4.1.1 base string with every parameter decoded, re-encoded and sorted', () => {
    const request = prepare(
      'POST',
      'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      [['Content-Type', 'application/x-www-form-urlencoded']],
      'c2&a3=2+q',
    );
    const base = buildOAuth1BaseString(request, [
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
    ]);
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('signs the RFC 5849 §1.2 photos request', () => {
    const request = prepare('GET', 'http://photos.example.net/photos?file=vacation.jpg&size=original');
    const profile: OAuth1Profile = {
      type: 'oauth1',
      consumerKey: 'dpf43f3p2l4k3l03',
      consumerSecret: 'kd94hf93k423kf44',
      token: 'nnch734d00sl2jdk',
      tokenSecret: 'pfkkdhi9sl3r4s00',
      version: '',
    };
    const signed = signOAuth1(request, profile, { timestamp: '137131202', nonce: 'chapoH' });
    expect(parseAuthorization(getHeader(signed.headers, 'authorization')).oauth_signature).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });

  it("signs Twitter's documented status update example", () => {
    const request = prepare(
      'POST',
      'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
      [['content-type', 'application/x-www-form-urlencoded']],
      'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
    );
    const profile: OAuth1Profile = {
      type: 'oauth1',
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    };
    const signed = signOAuth1(request, profile, { timestamp: '1318622958', nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg' });
    const params = parseAuthorization(getHeader(signed.headers, 'authorization'));
    expect(params.oauth_version).toBe('1.0');
    expect(params.oauth_signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });
});

describe('OAuth 1.0 options', () => {
  const base: OAuth1Profile = { type: 'oauth1', consumerKey: 'ck', consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' };

  it('uses the encoded secrets joined by & as the PLAINTEXT signature (encoded again in the header)', () => {
    const signed = signOAuth1(prepare('GET', 'http://h/'), { ...base, consumerSecret: 'a b', signatureMethod: 'PLAINTEXT' });
    expect(parseAuthorization(getHeader(signed.headers, 'authorization')).oauth_signature).toBe('a%20b&ts');
  });

  it('appends the parameters to the query without re-encoding the existing query', () => {
    const signed = signOAuth1(prepare('GET', 'http://h/p?z=%7e&a=1#frag'), { ...base, placement: 'query' }, { timestamp: '1', nonce: 'n' });
    expect(signed.url).toMatch(/^http:\/\/h\/p\?z=%7e&a=1&oauth_consumer_key=ck&oauth_token=tk&.*oauth_signature=[^&#]+#frag$/);
    expect(getHeader(signed.headers, 'authorization')).toBeUndefined();
  });

  it('adds the parameters to a form body and refuses a JSON body', () => {
    const form = prepare('POST', 'http://h/', [['content-type', 'application/x-www-form-urlencoded']], 'x=1');
    const signed = signOAuth1(form, { ...base, placement: 'body' }, { timestamp: '1', nonce: 'n' });
    expect(String(signed.body)).toMatch(/^x=1&oauth_consumer_key=ck&.*&oauth_signature=/);
    const json = prepare('POST', 'http://h/', [['content-type', 'application/json']], '{}');
    expect(() => signOAuth1(json, { ...base, placement: 'body' })).toThrow(expect.objectContaining({ code: 'SORTIE_AUTH' }));
  });

  it('adds oauth_body_hash for a JSON body with the hash of the signature method', () => {
    const json = prepare('POST', 'http://h/', [['content-type', 'application/json']], 'Hello World!');
    const sha1 = parseAuthorization(getHeader(signOAuth1(json, { ...base, includeBodyHash: true }).headers, 'authorization'));
    expect(sha1.oauth_body_hash).toBe('Lve95gjOVATpfV8EL5X4nxwjKHE=');
    const sha256 = signOAuth1(json, { ...base, includeBodyHash: true, signatureMethod: 'HMAC-SHA256' });
    expect(parseAuthorization(getHeader(sha256.headers, 'authorization')).oauth_body_hash).toBe(
      'f4OxZX/x/FO5LcGBSKHWXfwtSx+j1ncoSt3SABJtkGk=',
    );
  });

  it('sends empty optional parameters only when includeEmptyParams is set', () => {
    const profile = { ...base, token: '', verifier: '' };
    const omitted = parseAuthorization(getHeader(signOAuth1(prepare('GET', 'http://h/'), profile).headers, 'authorization'));
    expect(Object.keys(omitted)).not.toContain('oauth_token');
    const kept = parseAuthorization(
      getHeader(signOAuth1(prepare('GET', 'http://h/'), { ...profile, includeEmptyParams: true }).headers, 'authorization'),
    );
    expect(kept.oauth_token).toBe('');
    expect(kept.oauth_verifier).toBe('');
  });

  it('signs with RSA-SHA256 so that the public key verifies the base string', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const request = prepare('GET', 'http://h/r?q=1');
    const signed = signOAuth1(request, { ...base, signatureMethod: 'RSA-SHA256', privateKey: pem }, { timestamp: '5', nonce: 'n' });
    const params = parseAuthorization(getHeader(signed.headers, 'authorization'));
    const oauth = Object.entries(params).filter(([k]) => k !== 'oauth_signature');
    const baseString = buildOAuth1BaseString(request, oauth);
    const key = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
    expect(verify('RSA-SHA256', Buffer.from(baseString), key, Buffer.from(params.oauth_signature!, 'base64'))).toBe(true);
  });
});
