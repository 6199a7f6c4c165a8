import { ErrorCode, SortieError } from '@sortie/core';

/** Longest template excerpt quoted in an error message. */
const MAX_TEMPLATE_EXCERPT = 120;

/** A syntax problem found while parsing; converted to a SortieError naming the template by the compiler. */
export class TemplateSyntaxIssue extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'TemplateSyntaxIssue';
    this.hint = hint;
  }
}

/** Quotes a template for an error message, shortened when long. */
export function quoteTemplate(template: string): string {
  const text = template.length > MAX_TEMPLATE_EXCERPT ? `${template.slice(0, MAX_TEMPLATE_EXCERPT)}…` : template;
  return JSON.stringify(text);
}

/** Creates the TEMPLATE_SYNTAX error for a malformed template. */
export function createSyntaxError(template: string, reason: string, hint?: string): SortieError {
  return new SortieError(ErrorCode.TEMPLATE_SYNTAX, 'Template syntax error', `template ${quoteTemplate(template)}: ${reason}`, {
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Creates the UNRESOLVED_VARIABLE error for a `{{name}}` that no scope defines. */
export function createUnresolvedError(name: string): SortieError {
  return new SortieError(ErrorCode.UNRESOLVED_VARIABLE, 'Unresolved variable', `variable "${name}" is not defined`, {
    hint: 'define it in the scenario variables, the environment, with --env-var/--global-var, or extract it in an earlier step',
  });
}
