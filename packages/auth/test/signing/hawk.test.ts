import { createHmac } from 'node:crypto';
import { getHeader, type PreparedRequest } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { computeHawkOffset, computeHawkPayloadHash, parseChallenges, signHawk } from '../../src/signing/index.js';
import type { HawkProfile } from '../../src/signing/profiles.js';

function prepare(method: string, url: string, headers: Array<[string, string]> = [], body?: string): PreparedRequest {
  return { method, url, headers, body, timeout: 1000, followRedirects: false, maxRedirects: 0 };
}

/** The credentials and fixed values of the Hawk README example. */
const README: HawkProfile = {
  type: 'hawk',
  id: 'dh37fgj492je',
  key: 'werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn',
  algorithm: 'sha256',
  ext: 'some-app-ext-data',
};
const FIXED = { timestamp: '1353832234', nonce: 'j4h3g2' };

function paramsOf(request: PreparedRequest): Record<string, string> {
  return parseChallenges(getHeader(request.headers, 'authorization')!)[0]!.params;
}

describe('Hawk README example', () => {
  it('computes the GET mac', () => {
    const signed = signHawk(prepare('GET', 'http://example.com:8000/resource/1?b=1&a=2'), README, FIXED);
    expect(getHeader(signed.headers, 'authorization')).toBe(
      'Hawk id="dh37fgj492je", ts="1353832234", nonce="j4h3g2", ext="some-app-ext-data", mac="6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE="',
    );
  });

  it('computes the POST payload hash and mac', () => {
    const request = prepare(
      'POST',
      'http://example.com:8000/resource/1?b=1&a=2',
      [['Content-Type', 'text/plain']],
      'Thank you for flying Hawk',
    );
    const params = paramsOf(signHawk(request, { ...README, includePayloadHash: true }, FIXED));
    expect(params.hash).toBe('Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY=');
    expect(params.mac).toBe('aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw=');
  });
});

describe('Hawk options', () => {
  it('hashes the payload with the media type only, lower case', () => {
    expect(computeHawkPayloadHash('Thank you for flying Hawk', 'Text/Plain; charset=utf-8')).toBe(
      'Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY=',
    );
  });

  it('signs app and dlg and sends them in the header', () => {
    const plain = paramsOf(signHawk(prepare('GET', 'https://h/x'), README, FIXED));
    const withApp = paramsOf(signHawk(prepare('GET', 'https://h/x'), { ...README, app: 'app-1', dlg: 'dlg-2' }, FIXED));
    expect(withApp).toMatchObject({ app: 'app-1', dlg: 'dlg-2' });
    expect(withApp.mac).not.toBe(plain.mac);
  });

  it('refuses an ext value a header attribute cannot carry (quotes, non-ASCII)', () => {
    expect(() => signHawk(prepare('GET', 'https://h/x'), { ...README, ext: 'say "hi"' })).toThrow(
      expect.objectContaining({ code: 'SORTIE_AUTH' }),
    );
  });

  it('learns the server clock offset from a verified WWW-Authenticate timestamp and uses it', () => {
    const tsm = createHmac('sha256', README.key).update('hawk.1.ts\n1353832234\n').digest('base64');
    const header = `Hawk ts="1353832234", tsm="${tsm}", error="Stale timestamp"`;
    const now = 1353832234000 - 90_000;
    const offset = computeHawkOffset(header, README, now);
    expect(offset).toBe(90_000);
    const signed = signHawk(prepare('GET', 'https://h/x'), README, { now, localtimeOffsetMs: offset!, nonce: 'n' });
    expect(paramsOf(signed).ts).toBe('1353832234');
  });

  it('refuses a server timestamp whose tsm does not verify, and ignores a challenge without one', () => {
    expect(() => computeHawkOffset('Hawk ts="1353832234", tsm="forged", error="Stale timestamp"', README)).toThrow(
      expect.objectContaining({ code: 'SORTIE_AUTH' }),
    );
    expect(computeHawkOffset('Hawk error="Unknown credentials"', README)).toBeUndefined();
  });
});
