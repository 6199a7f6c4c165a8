/**
 * Where an auth profile's unusable field is written. A profile of the environment whose `tokenUrl` renders to
 * "not a url/token" was reported with the caret under the request's URL; the request is not at fault, the
 * profile is (in the scenario, the environment file, or the project file merged into it).
 */
import { ProfileFieldError } from '@sortie/auth/session';
import type { Scenario, SourceExcerpt } from '@sortie/core';
import type { ScenarioContext } from './context.js';
import type { SourceFile } from './run-options.js';
import { locatePath } from './source-locations.js';

/**
 * The place of the profile field `error` names, or undefined for another error or a profile written in no file.
 * `scenario` is the file whose profiles the request's auth name was looked up in (default the step's own).
 */
export function locateProfileField(
  error: unknown,
  ctx: ScenarioContext,
  scenario: SourceFile<Scenario> = ctx.scenario,
): SourceExcerpt | undefined {
  if (!(error instanceof ProfileFieldError)) return undefined;
  // Looked up as selectAuthProfile does: the scenario's profiles first, then the environment's.
  for (const source of [scenario, ctx.environmentFile]) {
    const auth = source?.value.auth;
    if (source === undefined || typeof auth !== 'object' || !('profiles' in auth) || auth.profiles?.[error.profile] === undefined) continue;
    return locatePath(source, ['auth', 'profiles', error.profile, ...error.field]);
  }
  return undefined;
}
