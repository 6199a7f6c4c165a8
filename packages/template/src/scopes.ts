/** The variable scopes of a run. */
export type ScopeName = 'local' | 'data' | 'scenario' | 'environment' | 'global';

/**
 * Scopes, highest precedence first: local (set by extract/scripts, lives for the scenario run) → data (iteration row)
 * → scenario → environment → global (CLI --global-var).
 */
export const SCOPE_ORDER: readonly ScopeName[] = Object.freeze(['local', 'data', 'scenario', 'environment', 'global'] as const);

/** Returns true when `value` names a scope. */
export function isScopeName(value: unknown): value is ScopeName {
  return typeof value === 'string' && (SCOPE_ORDER as readonly string[]).includes(value);
}
