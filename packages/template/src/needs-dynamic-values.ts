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
