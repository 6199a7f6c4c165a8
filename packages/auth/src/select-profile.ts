/**
 * Which profile a request uses, looked up where `sortie auth login` looks (findAuthProfile / listAuthProfiles):
 * the scenario's profiles, then the environment's (the project's are merged into it).
 */
import { type AnyAuthProfile, type AuthChoice, type Environment, ErrorCode, type Scenario, SortieError } from '@sortie/core';
import type { RenderOptions, Variables } from '@sortie/template';
import { renderProfile } from './render-profile.js';
import { findAuthProfile, listAuthProfiles } from './resolve-profile.js';

/** A profile ready to apply: its name (for caches and events) and its values with templates rendered. */
export interface SelectedProfile {
  name: string;
  profile: AnyAuthProfile;
}

/** Where a request's profile is looked up, and how its templates are rendered. */
export interface AuthScope {
  scenario: Scenario;
  environment?: Environment;
  vars: Variables;
  render?: RenderOptions;
}

/** `choice`, else the environment's (or project's) `auth.use`; undefined for none or `"none"`. */
export function readAuthChoice(choice: AuthChoice | undefined, scope: AuthScope): Exclude<AuthChoice, 'none'> | undefined {
  const chosen = choice ?? scope.environment?.auth?.use;
  return chosen === 'none' ? undefined : chosen;
}

/**
 * The profile of `choice` (a request's own `auth`, else its group's or the scenario's), else of the environment's
 * `auth.use`; undefined for none or `"none"`. An unknown name is an AUTH_UNKNOWN_PROFILE error listing the known ones.
 */
export function selectAuthProfile(choice: AuthChoice | undefined, scope: AuthScope): SelectedProfile | undefined {
  const chosen = readAuthChoice(choice, scope);
  if (chosen === undefined) return undefined;
  if (typeof chosen !== 'string') return { name: `inline:${chosen.type}`, profile: renderProfile(chosen, scope.vars, scope.render) };
  const profile = (findAuthProfile(scope.scenario, chosen) ?? findAuthProfile(scope.environment, chosen)) as AnyAuthProfile | undefined;
  if (profile === undefined) {
    const known = new Set([...listAuthProfiles(scope.scenario), ...listAuthProfiles(scope.environment)]);
    throw new SortieError(ErrorCode.AUTH_UNKNOWN_PROFILE, 'Unknown auth profile', `auth profile "${chosen}" is not declared`, {
      hint:
        known.size > 0
          ? `declared profiles: ${[...known].join(', ')}`
          : 'declare it under auth.profiles in the scenario, the environment or sortie.config.json',
    });
  }
  return { name: chosen, profile: renderProfile(profile, scope.vars, scope.render) };
}
