/**
 * Secrets of a profile and of a token set, for the redactor.
 */
import type { AuthProfile, Redactor } from '@sortie/core';
import { encodeClientCredentials } from './token-request.js';
import type { TokenSet } from './token-set.js';

/** Registers every secret value of a (rendered) profile: tokens, passwords, client secrets, API keys, verifiers. */
export function registerProfileSecrets(profile: AuthProfile, redactor: Redactor): void {
  switch (profile.type) {
    case 'bearer':
      redactor.add(profile.token);
      return;
    case 'basic':
      redactor.add(profile.password);
      redactor.add(Buffer.from(`${profile.username}:${profile.password}`).toString('base64'));
      return;
    case 'apiKey':
      redactor.add(profile.value);
      return;
    case 'oauth2':
      redactor.add(profile.clientSecret);
      redactor.add(profile.password);
      redactor.add(profile.refreshToken);
      redactor.add(profile.codeVerifier);
      redactor.add(profile.assertion?.privateKey);
      redactor.add(profile.subjectToken);
      redactor.add(profile.actorToken);
      if (profile.clientSecret !== undefined) {
        redactor.add(`${profile.clientId}:${profile.clientSecret}`);
        // The Basic credentials of a token request form-urlencode both parts before base64 (RFC 6749 §2.3.1):
        // with "+", "/", "=" or a space in the secret, that text is not the base64 of the secret's own forms.
        redactor.add(encodeClientCredentials(profile.clientId, profile.clientSecret));
      }
      return;
  }
}

/** Registers every token of a token set. */
export function registerTokenSecrets(tokens: TokenSet, redactor: Redactor): void {
  redactor.add(tokens.accessToken);
  redactor.add(tokens.idToken);
  redactor.add(tokens.refreshToken);
}
