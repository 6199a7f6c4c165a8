/**
 * The key under which tokens of a profile are held: the profile name plus a hash of the parameters that change
 * which token the server issues (so an environment switch never reuses another environment's token).
 */
import { createHash } from 'node:crypto';
import type { OAuth2Auth } from '@sortie/core';

/**
 * Returns `<name>#<16 hex digits>`; no secret goes into the hash input. A token exchange's tokens belong to its
 * subject and actor tokens, so their SHA-256 digests (never the tokens) are part of it.
 */
export function computeCacheKey(name: string, profile: OAuth2Auth): string {
  const identity = [
    profile.grant,
    profile.tokenUrl,
    profile.authUrl,
    profile.deviceAuthorizationUrl,
    profile.clientId,
    profile.scope,
    profile.audience,
    profile.resource,
    profile.username,
    profile.tokenType,
    profile.tokenPath,
    ...(profile.grant === 'token_exchange'
      ? [
          digest(profile.subjectToken),
          profile.subjectTokenType,
          digest(profile.actorToken),
          profile.actorTokenType,
          profile.requestedTokenType,
        ]
      : []),
  ];
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
  return `${name}#${hash}`;
}

function digest(token: string | undefined): string | undefined {
  return token === undefined ? undefined : createHash('sha256').update(token).digest('hex');
}
