/**
 * An OAuth 2.0 collection runs headlessly: the client credentials grant set on the collection gets a
 * real token from a real authorization server (oidc-provider), once for every request, and the token
 * is sent as Postman would send the one it holds. Newman cannot do this: it only sends a saved token.
 */
import { type OAuthPlayground, startOAuthPlayground } from '@sortie/fixtures/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSortie } from './side-by-side.js';

let playground: OAuthPlayground;
beforeAll(async () => {
  playground = await startOAuthPlayground();
});
afterAll(() => playground.close());

describe('OAuth 2.0 collections', () => {
  it('get a token with the client credentials grant, one token request and one token for the whole collection', async () => {
    const { tests, result } = await runSortie({
      collection: 'oauth2.postman_collection.json',
      envVars: { issuer: playground.oidc.url, clientSecret: playground.secrets.OIDC_CLIENT_SECRET },
    });
    expect(tests).toEqual([
      'Who am I :: The token obtained for the collection is accepted :: passed',
      'Again, with the same token :: Still accepted :: passed',
    ]);
    expect(result.status).toBe('passed');
    expect(playground.oidc.tokenRequests).toBe(1);
    expect(playground.oidc.acceptedTokens).toHaveLength(1);
  });
});
