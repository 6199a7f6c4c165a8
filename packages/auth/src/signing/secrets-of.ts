/**
 * The secret values of a signing profile, for the engine to register with the redactor before
 * anything is sent or reported.
 */
import type { SigningProfile } from './profiles.js';

/**
 * Every secret of `profile` (passwords, keys, client secrets, tokens, private keys), empty values
 * left out. Identifiers that are not secret (user names, key ids, client tokens) are not listed.
 */
export function secretsOf(profile: SigningProfile): string[] {
  const values: Array<string | undefined> = (() => {
    switch (profile.type) {
      case 'digest':
      case 'ntlm':
        return [profile.password];
      case 'oauth1':
        return [profile.consumerSecret, profile.tokenSecret, profile.privateKey, profile.token];
      case 'hawk':
        return [profile.key];
      case 'awsv4':
        return [profile.secretAccessKey, profile.sessionToken];
      case 'akamaiEdgegrid':
        return [profile.clientSecret, profile.accessToken];
      case 'jwt':
        return [profile.secret, profile.privateKey];
      case 'negotiate':
        return []; // the Kerberos ticket stays in the credential cache
    }
  })();
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}
