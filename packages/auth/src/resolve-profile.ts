/**
 * Turning a profile as written (templates, defaults missing) into the profile the manager uses: validated with
 * AnyAuthProfileSchema (token profiles and signing schemes), then every string rendered by @sortie/template (the one template implementation).
 */
import { type AnyAuthProfile, AnyAuthProfileSchema, ErrorCode, SortieError } from '@sortie/core';
import type { Variables } from '@sortie/template';
import { renderProfile } from './render-profile.js';

/** The raw `auth.profiles.<name>` of a parsed scenario, environment or project document, if it has one. */
export function findAuthProfile(document: unknown, name: string): unknown {
  if (document === null || typeof document !== 'object') return undefined;
  const auth = (document as { auth?: unknown }).auth;
  if (auth === null || typeof auth !== 'object') return undefined;
  const profiles = (auth as { profiles?: unknown }).profiles;
  if (profiles === null || typeof profiles !== 'object') return undefined;
  return Object.hasOwn(profiles, name) ? (profiles as Record<string, unknown>)[name] : undefined;
}

/** Names of the profiles of a parsed document. */
export function listAuthProfiles(document: unknown): string[] {
  const profiles = (document as { auth?: { profiles?: unknown } } | null)?.auth?.profiles;
  return profiles !== null && typeof profiles === 'object' ? Object.keys(profiles) : [];
}

/**
 * Validates and renders a profile. Throws SortieError INVALID_INPUT (listing every problem) or the template's
 * UNRESOLVED_VARIABLE error.
 */
export function resolveAuthProfile(name: string, raw: unknown, variables: Variables): AnyAuthProfile {
  const parsed = AnyAuthProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${['auth', 'profiles', name, ...issue.path].join('.')}: ${issue.message}`);
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid auth profile', `profile "${name}" is invalid: ${problems.join('; ')}`);
  }
  return renderProfile(parsed.data, variables);
}
