import { type CompiledTemplate, compileTemplate, type ExpressionPart } from './compile-template.js';
import { DEFAULT_DYNAMIC_VALUES } from './dynamic/builtin-dynamic-values.js';
import type { DynamicValues } from './dynamic/dynamic-values.js';
import { applyFilters } from './filters.js';
import { formatValue, type ObjectText } from './format-value.js';
import { MISSING, resolvePath } from './resolve-path.js';
import { createUnresolvedError } from './template-errors.js';
import type { Variables } from './variables.js';

/** Options of {@link renderString} and {@link renderValue}. */
export interface RenderOptions {
  /** Unresolved {{name}} throws (default true); false leaves it as written. */
  strict?: boolean;
  /** The source of `{{$…}}` values. Default: the built-in one (`$guid`, `$timestamp`, … without faker). */
  dynamic?: DynamicValues;
  /**
   * How an object or array is written inside text (default `json`, its JSON text); `string` writes what String()
   * gives (`[object Object]`, `1,2`), as Postman does, also for a template that is exactly one `{{x}}` in
   * {@link renderValue} (numbers, booleans and null keep their type there).
   */
  objects?: ObjectText;
}

/** Marks an expression left unresolved by a non-strict render. */
const UNRESOLVED: unique symbol = Symbol('unresolved');

/**
 * Substitutes every `{{…}}` of a template. Strings without `{{` are returned at once; others are compiled once and
 * cached. Throws SortieError UNRESOLVED_VARIABLE (strict) or TEMPLATE_SYNTAX.
 */
export function renderString(template: string, vars: Variables, options?: RenderOptions): string {
  if (!template.includes('{{')) return template;
  return renderCompiled(compileTemplate(template), vars, options);
}

/**
 * Deep render of JSON-like values: strings (and object keys) anywhere inside arrays and plain objects. A string that
 * is exactly one `{{x}}` keeps the variable's type (number, object…); objects and arrays are copied, not shared.
 */
export function renderValue<T>(value: T, vars: Variables, options?: RenderOptions): T {
  return renderDeep(value, vars, options) as T;
}

/** Variable names a template refers to, as written (e.g. `user.address.city`), without `$dynamic` ones. */
export function listVariables(template: string): string[] {
  if (!template.includes('{{')) return [];
  return [...compileTemplate(template).variables];
}

function renderDeep(value: unknown, vars: Variables, options: RenderOptions | undefined): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const compiled = compileTemplate(value);
    if (compiled.single === undefined) return renderCompiled(compiled, vars, options);
    const result = evaluatePart(compiled.single, vars, options);
    if (result === UNRESOLVED) return compiled.single.source;
    if (options?.objects === 'string' && result !== null && typeof result === 'object' && !(result instanceof Date)) {
      return formatValue(result, 'string');
    }
    return copyValue(result);
  }
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, vars, options));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, renderString(key, vars, options), {
        value: renderDeep(item, vars, options),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function renderCompiled(compiled: CompiledTemplate, vars: Variables, options: RenderOptions | undefined): string {
  let out = '';
  for (const part of compiled.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = evaluatePart(part, vars, options);
    out += value === UNRESOLVED ? part.source : formatValue(value, options?.objects);
  }
  return out;
}

function evaluatePart(part: ExpressionPart, vars: Variables, options: RenderOptions | undefined): unknown {
  const { reference } = part;
  let value: unknown;
  if (reference.kind === 'dynamic') {
    value = (options?.dynamic ?? DEFAULT_DYNAMIC_VALUES).generate(reference.target);
  } else {
    value = MISSING;
    for (const candidate of reference.candidates) {
      if (!vars.has(candidate.name)) continue;
      const root = vars.get(candidate.name);
      value = candidate.path.length === 0 ? root : resolvePath(root, candidate.path);
      if (value !== MISSING) break;
    }
    if (value === MISSING || value === undefined) {
      if (options?.strict === false) return UNRESOLVED;
      throw createUnresolvedError(reference.name);
    }
  }
  return part.filters.length === 0 ? value : applyFilters(value, part.filters, part.source);
}

function copyValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
