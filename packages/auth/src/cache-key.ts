/**
 * The key under which tokens of a profile are held: the profile name plus a hash of the parameters that change
 * which token the server issues (so an environment switch never reuses another environment's token).
 */
import { createHash } from 'node:crypto';
import type { OAuth2Auth } from '@sortie/core';

/** Returns `<name>#<16 hex digits>`; no secret goes into the hash input. */
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
  ];
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
  return `${name}#${hash}`;
}
