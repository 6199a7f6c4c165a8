import { type Assertion, OPERATOR_NAMES } from '@sortie/core';
import { findSelector } from '@sortie/extract';
import { renderValue, walkStrings } from '@sortie/template';
import type { ScenarioContext } from './context.js';

/** Whether an assertion has a `{{` in an expected value, computed once per assertion object. */
const hasTemplates = new WeakMap<Assertion, boolean>();

/**
 * The assertion with its expected values (the value of every operator) rendered as templates, with
 * the scenario's variables at this moment (docs/variables.md). A value that is exactly one `{{…}}`
 * keeps the variable's type (`"{{n}}"` with n = 2 expects the number 2); text around it renders a
 * string. Selector arguments (`path`, `name`, `pattern`…) are not rendered. An assertion without
 * templates is returned as is, so the hot path allocates nothing.
 * @throws SortieError UNRESOLVED_VARIABLE (unless `--allow-unresolved`) or TEMPLATE_SYNTAX (a filter
 * that cannot apply), which makes the step an error.
 */
export function renderAssertion(assertion: Assertion, ctx: ScenarioContext): Assertion {
  let templated = hasTemplates.get(assertion);
  if (templated === undefined) {
    templated = findTemplates(assertion);
    hasTemplates.set(assertion, templated);
  }
  if (!templated) return assertion;
  const selector = findSelector(assertion);
  if (selector === undefined) return assertion;
  const spec = assertion[selector] as Record<string, unknown>;
  const rendered: Record<string, unknown> = { ...spec };
  const options = ctx.options.render;
  for (const operator of OPERATOR_NAMES) {
    if (spec[operator] !== undefined) rendered[operator] = renderValue(spec[operator], ctx.vars, options);
  }
  return { ...assertion, [selector]: rendered };
}

function findTemplates(assertion: Assertion): boolean {
  const selector = findSelector(assertion);
  if (selector === undefined) return false;
  const spec = assertion[selector] as Record<string, unknown>;
  return OPERATOR_NAMES.some((operator) => walkStrings(spec[operator], (text) => text.includes('{{')));
}
