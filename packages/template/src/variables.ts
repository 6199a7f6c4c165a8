import { ErrorCode, SortieError } from '@sortie/core';
import { isScopeName, SCOPE_ORDER, type ScopeName } from './scopes.js';

type ScopeMaps = Record<ScopeName, Map<string, unknown>>;

/**
 * The variables of one scenario run, in six scopes (see {@link SCOPE_ORDER}). Lookups walk the scopes from the
 * highest precedence down and return the first scope that has the name.
 */
export class Variables {
  #scopes: ScopeMaps = {
    local: new Map(),
    data: new Map(),
    scenario: new Map(),
    environment: new Map(),
    defaults: new Map(),
    global: new Map(),
  };
  /** Secret names are shared by every fork: a name marked secret in one branch is secret everywhere. */
  #secrets = new Set<string>();

  constructor(init?: Partial<Record<ScopeName, Record<string, unknown>>>) {
    if (init !== undefined) {
      for (const scope of SCOPE_ORDER) {
        const values = init[scope];
        if (values === undefined) continue;
        const map = this.#scopes[scope];
        for (const [name, value] of Object.entries(values)) map.set(name, value);
      }
    }
  }

  /** Returns the value from the highest scope that has `name`; undefined if none has it. */
  get(name: string): unknown {
    for (const scope of SCOPE_ORDER) {
      const map = this.#scopes[scope];
      if (map.has(name)) return map.get(name);
    }
    return undefined;
  }

  /** Returns true when any scope has `name` (even with the value `undefined`). */
  has(name: string): boolean {
    for (const scope of SCOPE_ORDER) if (this.#scopes[scope].has(name)) return true;
    return false;
  }

  /** Returns the value of `name` in one scope only. */
  getIn(scope: ScopeName, name: string): unknown {
    return this.#scope(scope).get(name);
  }

  /** Sets `name` in `scope`. */
  set(scope: ScopeName, name: string, value: unknown): void {
    this.#scope(scope).set(name, value);
  }

  /** Removes `name` from `scope` (lower scopes become visible again). */
  unset(scope: ScopeName, name: string): void {
    this.#scope(scope).delete(name);
  }

  /** Removes every variable of `scope`. */
  clear(scope: ScopeName): void {
    this.#scope(scope).clear();
  }

  /** Returns the variables of one scope, or the merged view (higher scopes win) when no scope is given. */
  toObject(scope?: ScopeName): Record<string, unknown> {
    // fromEntries defines own properties: a variable named `__proto__` is a name like any other, not the object's prototype.
    if (scope !== undefined) return Object.fromEntries(this.#scope(scope));
    const merged = new Map<string, unknown>();
    for (const name of [...SCOPE_ORDER].reverse()) for (const [key, value] of this.#scope(name)) merged.set(key, value);
    return Object.fromEntries(merged);
  }

  /**
   * A copy for an isolated run (parallel scenarios / iterations): `shared` scopes are shared by reference, others
   * copied (shallowly: the values themselves are not cloned). Secret names are always shared.
   */
  fork(shared: ScopeName[] = []): Variables {
    for (const scope of shared) this.#scope(scope);
    const scopes = {} as ScopeMaps;
    for (const scope of SCOPE_ORDER) {
      const map = this.#scopes[scope];
      scopes[scope] = shared.includes(scope) ? map : new Map(map);
    }
    const copy = new Variables();
    copy.#scopes = scopes;
    copy.#secrets = this.#secrets;
    return copy;
  }

  /** Marks a variable name as secret. The caller registers its values with the redactor. */
  markSecret(name: string): void {
    this.#secrets.add(name);
  }

  /** Returns true when `name` was marked secret. */
  isSecret(name: string): boolean {
    return this.#secrets.has(name);
  }

  #scope(scope: ScopeName): Map<string, unknown> {
    if (!isScopeName(scope)) {
      throw new SortieError(ErrorCode.USAGE, 'Unknown variable scope', `"${String(scope)}" is not a variable scope`, {
        hint: `use one of ${SCOPE_ORDER.join(', ')}`,
      });
    }
    return this.#scopes[scope];
  }
}
