/** The variable scopes of a run. */
export type ScopeName = 'local' | 'data' | 'scenario' | 'environment' | 'defaults' | 'global';

/**
 * Scopes, highest precedence first: local (set by extract/scripts, lives for the scenario run) → data (iteration row)
 * → scenario (its `variables`) → environment (file, secrets, --env-var) → defaults (the scenario's `defaults`, which
 * the environment overrides: Postman's collection variables) → global (project variables, --global-var).
 * Newman's order (local → data → environment → collection → globals) is this order without the scenario scope.
 *
 * @see https://learning.postman.com/docs/sending-requests/variables/variables/#variable-scopes
 */
export const SCOPE_ORDER: readonly ScopeName[] = Object.freeze(['local', 'data', 'scenario', 'environment', 'defaults', 'global'] as const);

/** Returns true when `value` names a scope. */
export function isScopeName(value: unknown): value is ScopeName {
  return typeof value === 'string' && (SCOPE_ORDER as readonly string[]).includes(value);
}
