import { isSortieError } from '@sortie/core';
import { compileTemplate } from './compile-template.js';
import { type ValuePath, walkStrings } from './walk-strings.js';

/** One problem found by {@link validateTemplates}. */
export interface TemplateIssue {
  /** Where the string is: object keys and array indexes from the root. */
  path: ValuePath;
  message: string;
}

/** Options of {@link validateTemplates}. */
export interface ValidateTemplatesOptions {
  /** Strings at these paths are not templates (e.g. script source, which is code) and are not checked. Default: none. */
  skip?: (path: ValuePath) => boolean;
}

/**
 * Load-time check of every template inside a value (a scenario, an environment): malformed `{{`, bad argument
 * syntax, unknown dynamic module/method (with a "did you mean"), unknown filter. Undefined variables are not
 * reported: they may be set while the scenario runs. Returns an empty array when every template is valid.
 */
export function validateTemplates(value: unknown, options?: ValidateTemplatesOptions): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  walkStrings(value, (text, path) => {
    if (!text.includes('{{') || options?.skip?.(path) === true) return false;
    try {
      compileTemplate(text);
    } catch (error) {
      if (!isSortieError(error)) throw error;
      issues.push({ path: [...path], message: error.hint === undefined ? error.message : `${error.message} (${error.hint})` });
    }
    return false;
  });
  return issues;
}
