import { createHash } from 'node:crypto';
import type { PreparedRequest } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import {
  answerDigestChallenge,
  createDigestResponse,
  createDigestSession,
  parseChallenges,
  selectDigestChallenge,
  signDigest,
} from '../../src/signing/index.js';
import type { DigestProfile } from '../../src/signing/profiles.js';

function prepare(method: string, url: string, body?: string): PreparedRequest {
  return { method, url, headers: [], body, timeout: 1000, followRedirects: false, maxRedirects: 0 };
}

function fieldsOf(header: string): Record<string, string> {
  return parseChallenges(header)[0]!.params;
}

const RFC7616_CHALLENGE = (algorithm: string) =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
const MUFASA = { username: 'Mufasa', password: 'Circle of Life', clientNonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' };

describe('Digest published vectors', () => {
  it('answers the RFC 7616 §3.9.1 MD5 challenge', () => {
    const challenge = parseChallenges(RFC7616_CHALLENGE('MD5'))[0]!;
    const header = createDigestResponse(challenge, prepare('GET', 'http://www.example.org/dir/index.html'), MUFASA, createDigestSession());
    const fields = fieldsOf(header);
    expect(fields.response).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(fields).toMatchObject({ nc: '00000001', qop: 'auth', uri: '/dir/index.html', opaque: challenge.params.opaque });
  });

  it('answers the RFC 7616 §3.9.1 SHA-256 challenge', () => {
    const challenge = parseChallenges(RFC7616_CHALLENGE('SHA-256'))[0]!;
    const header = createDigestResponse(challenge, prepare('GET', 'http://www.example.org/dir/index.html'), MUFASA, createDigestSession());
    expect(fieldsOf(header).response).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(fieldsOf(header).algorithm).toBe('SHA-256');
  });

  it('answers the RFC 2617 §3.5 challenge', () => {
    const challenge = parseChallenges(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    )[0]!;
    const credentials = { username: 'Mufasa', password: 'Circle Of Life', clientNonce: '0a4f113b' };
    const header = createDigestResponse(challenge, prepare('GET', 'http://host.com/dir/index.html'), credentials, createDigestSession());
    expect(fieldsOf(header).response).toBe('6629fae49393a05397450978507c4ef1');
  });

  // RFC 2069 §2.4 (response as corrected by erratum 749). http-auth 4 with `qop: 'none'` offers `qop=""`:
  // an empty qop is no qop, answered in the RFC 2069 form, as curl does.
  it.each([
    ['without qop', ''],
    ['with an empty qop, as http-auth sends it', ', qop="", stale="false"'],
  ])('answers the RFC 2069 §2.4 challenge %s', (_name, extra) => {
    const challenge = parseChallenges(
      `Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"${extra}`,
    )[0]!;
    const credentials = { username: 'Mufasa', password: 'CircleOfLife' };
    const header = createDigestResponse(challenge, prepare('GET', 'http://host.com/dir/index.html'), credentials, createDigestSession());
    const fields = fieldsOf(header);
    expect(fields.response).toBe('1949323746fe6a43ef61f9606e7febea');
    expect(fields).not.toHaveProperty('qop');
    expect(fields).not.toHaveProperty('nc');
  });
});

describe('Digest sessions', () => {
  const profile: DigestProfile = { type: 'digest', username: 'Mufasa', password: 'Circle of Life' };

  it('prefers SHA-256 over MD5 when the server offers both, unless the profile forces one', () => {
    const headers: Array<[string, string]> = [
      ['WWW-Authenticate', RFC7616_CHALLENGE('MD5')],
      ['WWW-Authenticate', RFC7616_CHALLENGE('SHA-256')],
    ];
    expect(selectDigestChallenge(headers)?.params.algorithm).toBe('SHA-256');
    expect(selectDigestChallenge(headers, 'MD5')?.params.algorithm).toBe('MD5');
  });

  it('increases the nonce count for each request with the same nonce and restarts it for a new nonce', () => {
    const session = createDigestSession();
    const request = prepare('GET', 'http://h/a');
    const first = answerDigestChallenge(request, [['www-authenticate', RFC7616_CHALLENGE('MD5')]], profile, session)!;
    const second = signDigest(request, profile, session);
    const third = signDigest(request, profile, session);
    const nc = (r: PreparedRequest) => fieldsOf(r.headers.find(([n]) => n === 'Authorization')![1]).nc;
    expect([nc(first), nc(second), nc(third)]).toEqual(['00000001', '00000002', '00000003']);
    const fresh = RFC7616_CHALLENGE('MD5').replace('7ypf', 'NEWN');
    const renewed = answerDigestChallenge(request, [['www-authenticate', `${fresh}, stale=true`]], profile, session)!;
    expect(nc(renewed)).toBe('00000001');
  });

  it('gives up on a second rejection of the same nonce unless the server says stale=true', () => {
    const session = createDigestSession();
    const request = prepare('GET', 'http://h/a');
    const challenge: Array<[string, string]> = [['www-authenticate', RFC7616_CHALLENGE('MD5')]];
    expect(answerDigestChallenge(request, challenge, profile, session)).toBeDefined();
    expect(answerDigestChallenge(request, challenge, profile, session)).toBeUndefined();
    const stale: Array<[string, string]> = [['www-authenticate', `${RFC7616_CHALLENGE('MD5')}, stale=TRUE`]];
    expect(answerDigestChallenge(request, stale, profile, session)).toBeDefined();
  });

  it('hashes the body into the response for qop=auth-int', () => {
    const challenge = parseChallenges(RFC7616_CHALLENGE('MD5'))[0]!;
    const withBody = (body: string) =>
      fieldsOf(createDigestResponse(challenge, prepare('POST', 'http://h/a', body), { ...MUFASA, qop: 'auth-int' }, createDigestSession()));
    expect(withBody('a').qop).toBe('auth-int');
    expect(withBody('a').response).not.toBe(withBody('b').response);
  });

  // RFC 7616 §3.4: a name a quoted string cannot carry goes as username*, RFC 8187 UTF-8 percent-encoding; a raw
  // "Jäsøn" in the header made the request fail before it was sent ("invalid Authorization header").
  it('sends a non-ASCII user name as username* (RFC 8187), and hashes it when the server asks for userhash', () => {
    const challenge = parseChallenges(RFC7616_CHALLENGE('SHA-256'))[0]!;
    const credentials = { username: 'Jäsøn Doe', password: 'Secret, or not?', clientNonce: 'c' };
    const header = createDigestResponse(challenge, prepare('GET', 'http://h/doe.json'), credentials, createDigestSession());
    expect(header).toMatch(/^[\x20-\x7e]*$/);
    expect(header).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ");
    expect(fieldsOf(header)).not.toHaveProperty('username');
    const hashed = parseChallenges(`${RFC7616_CHALLENGE('SHA-256')}, userhash=true`)[0]!;
    const hashedHeader = createDigestResponse(hashed, prepare('GET', 'http://h/doe.json'), credentials, createDigestSession());
    const expected = createHash('sha256').update('Jäsøn Doe:http-auth@example.org', 'utf8').digest('hex');
    expect(fieldsOf(hashedHeader)).toMatchObject({ username: expected, userhash: 'true' });
    expect(hashedHeader).not.toContain('username*');
    const ascii = createDigestResponse(
      challenge,
      prepare('GET', 'http://h/a'),
      { ...credentials, username: 'a "b"' },
      createDigestSession(),
    );
    expect(fieldsOf(ascii).username).toBe('a "b"');
  });

  it('leaves a request unsigned before the first challenge', () => {
    const request = prepare('GET', 'http://h/a');
    expect(signDigest(request, profile, createDigestSession())).toBe(request);
  });
});

describe('WWW-Authenticate parsing', () => {
  it('splits several challenges in one value and keeps token68 and escaped quotes', () => {
    const challenges = parseChallenges('Basic realm="a \\"b\\"", NTLM TlRMTVNTUAACAAAA==, Digest realm=x, nonce="n,1"');
    expect(challenges.map((c) => c.scheme)).toEqual(['Basic', 'NTLM', 'Digest']);
    expect(challenges[0]!.params.realm).toBe('a "b"');
    expect(challenges[1]!.token68).toBe('TlRMTVNTUAACAAAA==');
    expect(challenges[2]!.params).toEqual({ realm: 'x', nonce: 'n,1' });
  });
});
