import type { DynamicReference } from '../parse-expression.js';
import { formatSuggestion } from '../suggest.js';
import { TemplateSyntaxIssue } from '../template-errors.js';
import { BUILTIN_NAMES, type BuiltinName, type DynamicTarget } from './dynamic-values.js';
import { DEPRECATED_FAKER_METHODS, FAKER_MODULES, FUNCTION_FAKER_METHODS, isFakerMethod } from './faker-catalogue.js';
import { POSTMAN_NAMES } from './postman-names.js';
import { checkDynamicSizes } from './size-limits.js';

/** Every name without arguments that may follow `$` and has no dot: built-ins and Postman's names. */
const FLAT_NAMES = [...BUILTIN_NAMES.filter((name) => !name.includes('.')), ...Object.keys(POSTMAN_NAMES)];

/**
 * Decides what a parsed `{{$…}}` generates: a built-in, a Postman name or a faker call from the catalogue.
 * Throws {@link TemplateSyntaxIssue} for unknown names (with a "did you mean"), arguments where none are taken, or a
 * length or count above MAX_DYNAMIC_SIZE.
 */
export function resolveDynamicTarget(reference: DynamicReference): DynamicTarget {
  const { name } = reference;
  if ((BUILTIN_NAMES as readonly string[]).includes(name)) {
    rejectArguments(reference);
    return { kind: 'builtin', name: name as BuiltinName };
  }
  if (Object.hasOwn(POSTMAN_NAMES, name)) {
    rejectArguments(reference);
    const definition = POSTMAN_NAMES[name]!;
    if (typeof definition === 'function') return { kind: 'postman', name };
    const [module, method, args = []] = definition;
    return { kind: 'faker', module, method, args: [...args] };
  }
  const dot = name.indexOf('.');
  if (dot === -1) {
    throw new TemplateSyntaxIssue(`unknown dynamic value "$${name}"${formatSuggestion(name, FLAT_NAMES, '$')}`, describeForms());
  }
  const module = name.slice(0, dot);
  const method = name.slice(dot + 1);
  if (!Object.hasOwn(FAKER_MODULES, module)) {
    throw new TemplateSyntaxIssue(
      `unknown dynamic value module "${module}"${formatSuggestion(module, Object.keys(FAKER_MODULES))}`,
      describeForms(),
    );
  }
  if (Object.hasOwn(FUNCTION_FAKER_METHODS, name)) {
    throw new TemplateSyntaxIssue(`"$${name}" takes a function, which a template cannot pass`, `use ${FUNCTION_FAKER_METHODS[name]}`);
  }
  if (!isFakerMethod(module, method)) {
    const replacement = DEPRECATED_FAKER_METHODS[name];
    const message =
      replacement === undefined
        ? `unknown method "${method}" of "$${module}"${formatSuggestion(method, FAKER_MODULES[module]!)}`
        : `"$${name}" is deprecated in faker; use "$${replacement}"`;
    throw new TemplateSyntaxIssue(message, `methods of $${module}: ${FAKER_MODULES[module]!.join(', ')}`);
  }
  checkDynamicSizes(name, reference.args);
  return { kind: 'faker', module, method, args: reference.args };
}

function rejectArguments(reference: DynamicReference): void {
  if (reference.hasArgs) throw new TemplateSyntaxIssue(`dynamic value "$${reference.name}" takes no arguments`);
}

function describeForms(): string {
  return 'use a Postman name such as {{$randomEmail}} or a faker module and method such as {{$person.fullName}}';
}
