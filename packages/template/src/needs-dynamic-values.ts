import { compileTemplate } from './compile-template.js';
import { walkStrings } from './walk-strings.js';

/**
 * Returns true when a value (a scenario: strings anywhere) uses a dynamic value that needs faker, so the engine
 * loads faker once up front (`createDynamicValues`) only when needed. `$guid`, `$timestamp`, `$isoTimestamp`,
 * `$randomUUID`, `$randomInt` and `$date.now` do not need it. Malformed templates are skipped (see validateTemplates).
 */
export function needsDynamicValues(value: unknown): boolean {
  return walkStrings(value, (text) => {
    if (!text.includes('{{')) return false;
    try {
      return compileTemplate(text).needsFaker;
    } catch {
      return false;
    }
  });
}
