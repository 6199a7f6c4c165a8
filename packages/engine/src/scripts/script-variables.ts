import { isCredentialValue, SECRET_NAME_PATTERN, splitAuthorization } from '@sortie/core';
import type { ScriptScope, ScriptVariables } from '@sortie/sandbox';
import { renderString, Variables } from '@sortie/template';
import type { ScenarioContext } from '../context.js';

/**
 * The run's variables as `pm.*` sees them. Scopes map one to one (Postman's collection variables
 * are the scenario scope, iteration data the data scope); a secret variable a script sets stays a
 * secret, and its new value is registered with the redactor.
 */
export function createScriptVariables(ctx: ScenarioContext): ScriptVariables {
  const vars: Variables = ctx.vars;
  return {
    get: (name, scope) => (scope === undefined ? vars.get(name) : vars.getIn(scope, name)),
    set: (scope: ScriptScope, name, value) => {
      vars.set(scope, name, value);
      // A credential a script stores (a secret variable, a name like token/password/apiKey, or a value
      // that is one: `Bearer …`, `Basic …`, a JWT, whatever the name) is redacted from now on.
      const credential = typeof value === 'string' && isCredentialValue(value);
      if (vars.isSecret(name) || SECRET_NAME_PATTERN.test(name) || credential) {
        vars.markSecret(name);
        if (typeof value === 'string' || typeof value === 'number') ctx.redactor.add(String(value));
        // The credentials alone too (`Basic dXNl…` written out as `dXNl…`).
        if (credential) ctx.redactor.add(splitAuthorization(value).credentials);
      }
    },
    unset: (scope, name) => vars.unset(scope, name),
    has: (name, scope) => (scope === undefined ? vars.has(name) : vars.getIn(scope, name) !== undefined),
    clear: (scope) => vars.clear(scope),
    toObject: (scope) => vars.toObject(scope),
    replaceIn: (template, scope) =>
      renderString(template, scope === undefined ? vars : new Variables({ [scope]: vars.toObject(scope) }), {
        ...ctx.options.render,
        strict: false,
      }),
  };
}
