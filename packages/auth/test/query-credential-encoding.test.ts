import type { PreparedRequest } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { attachStaticCredential, attachToken, setQueryParam } from '../src/attach-credential.js';

function get(url: string): PreparedRequest {
  return { method: 'GET', url, headers: [], timeout: 1_000, followRedirects: false, maxRedirects: 0 };
}

describe('a credential put in the query', () => {
  it('leaves the rest of the URL byte for byte and adds the parameter last, as Newman 6 sends it', () => {
    // Newman 6.2.2 sent, for this URL and an apikey auth { key: "api key=1", value: "a,b c/d?e&f=h%20é#x'y", in: query }:
    // /echo?q=a%20b,c/d*~!$%27()&api%20key=1&x=1+2&y=%41&api%20key%3D1=a,b%20c/d?e%26f=h%20%C3%A9%23x%27y
    const request = get('http://api.test/echo?q=a%20b,c/d*~!$%27()&api%20key=1&x=1+2&y=%41#frag');
    const signed = attachStaticCredential({ type: 'apiKey', in: 'query', name: 'api key=1', value: "a,b c/d?e&f=h%20é#x'y" }, request);
    expect(signed.url).toBe(
      'http://api.test/echo?q=a%20b,c/d*~!$%27()&api%20key=1&x=1+2&y=%41&api%20key%3D1=a,b%20c/d?e%26f=h%20%C3%A9%23x%27y#frag',
    );
  });

  it('replaces a parameter of the same name wherever it is, and encodes + (a space to servers) and a bare %', () => {
    const token = attachToken(
      {
        type: 'oauth2',
        grant: 'client_credentials',
        tokenUrl: 'http://t',
        clientId: 'c',
        placement: { in: 'query', name: 'access_token' },
      } as never,
      't+k/=100%',
      undefined,
      get('http://api.test/x?access_token=old&q=a%20b,c&access_token=older'),
    );
    expect(token.url).toBe('http://api.test/x?q=a%20b,c&access_token=t%2Bk/=100%25');
    expect(setQueryParam(get('http://api.test/x'), 'k', 'v\u00e9\ud800').url).toBe('http://api.test/x?k=v%C3%A9%EF%BF%BD');
  });
});
