import { compileTemplate } from './compile-template.js';
import { type ValuePath, walkStrings } from './walk-strings.js';

/**
 * Returns true when a value (a scenario: strings anywhere) uses a dynamic value that needs faker, so the engine
 * loads faker once up front (`createDynamicValues`) only when needed. `$guid`, `$timestamp`, `$isoTimestamp`,
 * `$randomUUID`, `$randomInt` and `$date.now` do not need it. Malformed templates are skipped (see validateTemplates), and
 * so are strings at paths `skip` accepts (script source).
 */
export function needsDynamicValues(value: unknown, skip?: (path: ValuePath) => boolean): boolean {
  return walkStrings(value, (text, path) => {
    if (!text.includes('{{') || skip?.(path) === true) return false;
    try {
      return compileTemplate(text).needsFaker;
    } catch {
      return false;
    }
  });
}

/** Every `{{$…}}` written in a text that is not itself a template (script source). */
const EMBEDDED_DYNAMIC = /\{\{\s*\$[^{}]*\}\}/g;

/**
 * Returns true when code (a script's source) writes a faker-backed `{{$…}}` inside it, as
 * `pm.variables.replaceIn('{{$randomFirstName}}')` does: the script renders it when it runs, so faker
 * must be loaded before (the script cannot wait for it). Code is not a template: only the `{{$…}}`
 * found in it are read, and those that are not valid templates are skipped.
 */
export function codeNeedsDynamicValues(code: string): boolean {
  for (const [found] of code.matchAll(EMBEDDED_DYNAMIC)) {
    try {
      if (compileTemplate(found).needsFaker) return true;
    } catch {
      // not a template: a script's own text
    }
  }
  return false;
}
