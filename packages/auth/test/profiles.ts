/** Builds validated profiles (defaults applied) for tests. */
import { type AuthProfileInput, AuthProfileSchema, type OAuth2Auth } from '@sortie/core';

/** Parses an OAuth 2.0 profile through the schema, so defaults are the real ones. */
export function createOAuth2Profile(input: Omit<Extract<AuthProfileInput, { type: 'oauth2' }>, 'type'>): OAuth2Auth {
  const profile = AuthProfileSchema.parse({ type: 'oauth2', ...input });
  if (profile.type !== 'oauth2') throw new Error('not oauth2');
  return profile;
}
