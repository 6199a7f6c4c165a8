/**
 * The profile types of the signing schemes. They live in @sortie/core
 * (packages/core/src/auth-schemes-schema.ts); this is the one place that imports them, so it
 * switches to `@sortie/core` in one line once core's index exports that file.
 */
export type {
  AkamaiEdgegridProfile,
  AwsV4Profile,
  DigestProfile,
  HawkProfile,
  JwtProfile,
  NegotiateProfile,
  NtlmProfile,
  OAuth1Profile,
  SigningProfile,
} from '@sortie/core';
