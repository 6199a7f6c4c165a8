import {
  type AnyAuthProfile,
  type AuthChoice,
  type Environment,
  ErrorCode,
  type RequestSpec,
  type Scenario,
  SortieError,
} from '@sortie/core';
import { renderValue } from '@sortie/template';
import type { ScenarioContext } from '../context.js';

/** A profile ready to apply: its name (for caches and events) and its values with templates rendered. */
export interface ResolvedAuth {
  name: string;
  profile: AnyAuthProfile;
}

/** The scenario's default: `auth` as a choice, or the `use` of its `{ profiles, use }` section. */
export function scenarioAuthChoice(scenario: Scenario): AuthChoice | undefined {
  const auth = scenario.auth;
  if (auth === undefined || typeof auth === 'string' || 'type' in auth) return auth;
  return auth.use;
}

/**
 * Which auth a request uses: its own `auth`, else the one inherited from its group or the scenario,
 * else the environment's default; `"none"` means none. A name is looked up in the scenario's profiles, then the environment's.
 */
export function resolveAuth(spec: RequestSpec, inherited: AuthChoice | undefined, ctx: ScenarioContext): ResolvedAuth | undefined {
  // The request's own, else its group's or the scenario's, else the environment's (or project's) `auth.use`.
  const choice = spec.auth ?? inherited ?? ctx.environment?.auth?.use;
  if (choice === undefined || choice === 'none') return undefined;
  const render = { strict: ctx.options.strictVariables, dynamic: ctx.options.dynamic };
  if (typeof choice !== 'string') return { name: `inline:${choice.type}`, profile: renderValue(choice, ctx.vars, render) };
  const profile = findProfile(choice, ctx.scenario.value, ctx.environment);
  if (profile === undefined) {
    const known = [...profileNames(ctx.scenario.value), ...Object.keys(ctx.environment?.auth?.profiles ?? {})];
    throw new SortieError(ErrorCode.AUTH, 'Unknown auth profile', `auth profile "${choice}" is not declared`, {
      hint:
        known.length > 0
          ? `declared profiles: ${[...new Set(known)].join(', ')}`
          : 'declare it under auth.profiles in the scenario, the environment or sortie.config.json',
    });
  }
  return { name: choice, profile: renderValue(profile, ctx.vars, render) };
}

function findProfile(name: string, scenario: Scenario, environment: Environment | undefined): AnyAuthProfile | undefined {
  const own =
    scenario.auth !== undefined && typeof scenario.auth === 'object' && !('type' in scenario.auth) ? scenario.auth.profiles : undefined;
  return own?.[name] ?? environment?.auth?.profiles?.[name];
}

function profileNames(scenario: Scenario): string[] {
  const auth = scenario.auth;
  return auth !== undefined && typeof auth === 'object' && !('type' in auth) ? Object.keys(auth.profiles ?? {}) : [];
}
