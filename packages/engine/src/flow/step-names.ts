import { type AuthChoice, ErrorCode, isSortieError, type Scenario, SortieError, STEP_KINDS, type Step, type StepKind } from '@sortie/core';
import { renderString } from '@sortie/template';
import type { ScenarioContext } from '../context.js';

/** Name used in reports: the step's name, else a short description of what it does. */
export function stepName(step: Step, index: number): string {
  if (step.name !== undefined && step.name !== '') return step.name;
  if ('request' in step) return `${step.request.method} ${step.request.url}`;
  if ('db' in step) return `db ${step.db.connection}`;
  if ('wait' in step) return typeof step.wait === 'number' ? `wait ${step.wait} ms` : `wait ${step.wait}`;
  if ('include' in step) return `include ${step.include.file}`;
  if ('script' in step) {
    if (typeof step.script === 'string') return 'script';
    return step.script.name ?? step.script.use ?? step.script.file ?? 'script';
  }
  return STEP_KINDS.find((kind) => kind in step) ?? `step ${index + 1}`;
}

/**
 * The name reports show for a step about to start: its `name` rendered as a template with the
 * variables of this moment (`login as {{user}}` → `login as ann` in each iteration), secrets redacted.
 * A name never makes a step fail: an unresolved `{{…}}` stays as written (as with
 * `--allow-unresolved`), and a filter that cannot apply gives the name as written. Default names
 * (`GET {{base}}/items`) are not rendered: they show the step as written.
 */
export function renderStepName(step: Step, index: number, ctx: ScenarioContext): string {
  const written = stepName(step, index);
  if (step.name === undefined || !step.name.includes('{{')) return written;
  try {
    return ctx.redactor.redact(renderString(step.name, ctx.vars, { ...ctx.options.render, strict: false }));
  } catch (error) {
    if (!isSortieError(error)) throw error;
    return written;
  }
}

/** The step type, as reports name it. */
export function stepKind(step: Step): StepKind {
  const kind = STEP_KINDS.find((key) => key in step);
  // Validation admits no step without one of the keys: this is a bug, reported as the scenario's error.
  if (kind === undefined)
    throw new SortieError(ErrorCode.INTERNAL, 'Unknown step type', `step "${stepName(step, 0)}" has none of the step keys`);
  return kind;
}

/** The auth a scenario gives its requests: its `auth` when it is a choice, or the `use` of its profiles section. */
export function readScenarioAuth(scenario: Scenario): AuthChoice | undefined {
  const auth = scenario.auth;
  if (auth === undefined || typeof auth === 'string' || 'type' in auth) return auth;
  return auth.use;
}
