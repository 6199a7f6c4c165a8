import { type DynamicTarget, needsFaker } from './dynamic/dynamic-values.js';
import { resolveDynamicTarget } from './dynamic/resolve-dynamic.js';
import type { FilterCall } from './filters.js';
import { parseExpression, type VariableReference } from './parse-expression.js';
import { createSyntaxError, TemplateSyntaxIssue } from './template-errors.js';

/** One `{{…}}` of a compiled template. */
export interface ExpressionPart {
  /** The `{{…}}` exactly as written; a non-strict render leaves it in place when unresolved. */
  source: string;
  reference: VariableReference | { kind: 'dynamic'; target: DynamicTarget };
  filters: FilterCall[];
}

/** Literal text or an expression. */
export type TemplatePart = string | ExpressionPart;

/** A template split into parts once, rendered many times. */
export interface CompiledTemplate {
  parts: TemplatePart[];
  /** The expression when the whole template is exactly one `{{…}}` (its value keeps its type in renderValue). */
  single: ExpressionPart | undefined;
  /** Variable names referred to, as written, without duplicates. */
  variables: string[];
  /** True when a dynamic value needs faker. */
  needsFaker: boolean;
}

/** How many distinct templates are kept compiled; the oldest is dropped beyond that. */
export const MAX_CACHED_TEMPLATES = 10_000;

const cache = new Map<string, CompiledTemplate>();

/**
 * Compiles a template into parts, once per distinct string (cached, bounded). `\{{` is a literal `{{`.
 * Throws SortieError TEMPLATE_SYNTAX naming the template when it is malformed.
 */
export function compileTemplate(template: string): CompiledTemplate {
  const cached = cache.get(template);
  if (cached !== undefined) return cached;
  const compiled = splitTemplate(template);
  if (cache.size >= MAX_CACHED_TEMPLATES) cache.delete(cache.keys().next().value as string);
  cache.set(template, compiled);
  return compiled;
}

/** Returns how many templates are cached (for tests and diagnostics). */
export function countCachedTemplates(): number {
  return cache.size;
}

function splitTemplate(template: string): CompiledTemplate {
  const parts: TemplatePart[] = [];
  const variables = new Set<string>();
  let usesFaker = false;
  let text = '';
  let pos = 0;
  for (;;) {
    const open = template.indexOf('{{', pos);
    if (open === -1) break;
    if (open > 0 && template.charCodeAt(open - 1) === 92 /* \ */) {
      text += `${template.slice(pos, open - 1)}{{`;
      pos = open + 2;
      continue;
    }
    text += template.slice(pos, open);
    const close = findClose(template, open + 2);
    if (close === -1) {
      throw createSyntaxError(template, `"{{" at offset ${open} is never closed`, 'close it with "}}", or write \\{{ for a literal "{{"');
    }
    const part = compileExpression(template, template.slice(open, close + 2), open + 2);
    if (part.reference.kind === 'variable') variables.add(part.reference.name);
    else if (needsFaker(part.reference.target)) usesFaker = true;
    if (text !== '') parts.push(text);
    text = '';
    parts.push(part);
    pos = close + 2;
  }
  text += template.slice(pos);
  if (text !== '') parts.push(text);
  const only = parts.length === 1 ? parts[0] : undefined;
  return { parts, single: typeof only === 'object' ? only : undefined, variables: [...variables], needsFaker: usesFaker };
}

function compileExpression(template: string, source: string, base: number): ExpressionPart {
  try {
    const { reference, filters } = parseExpression(source.slice(2, -2), base);
    if (reference.kind === 'variable') return { source, reference, filters };
    return { source, reference: { kind: 'dynamic', target: resolveDynamicTarget(reference) }, filters };
  } catch (error) {
    if (error instanceof TemplateSyntaxIssue) {
      throw createSyntaxError(template, source === template ? error.message : `in ${source}: ${error.message}`, error.hint);
    }
    throw error;
  }
}

/**
 * Finds the `}}` closing an expression that starts at `start`. Inside a dynamic value (`{{$…}}`) quoted strings and
 * brackets are skipped, so `{{$helpers.arrayElement(["}}"])}}` works. Returns -1 when there is none.
 */
function findClose(template: string, start: number): number {
  let pos = start;
  while (pos < template.length && /\s/.test(template.charAt(pos))) pos++;
  if (template.charAt(pos) !== '$') return template.indexOf('}}', start);
  let depth = 0;
  let quote = '';
  for (; pos < template.length; pos++) {
    const char = template.charAt(pos);
    if (quote !== '') {
      if (char === '\\') pos++;
      else if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '(' || char === '[' || char === '{') {
      depth++;
    } else if (char === '}' && depth === 0) {
      return template.charAt(pos + 1) === '}' ? pos : -1;
    } else if ((char === ')' || char === ']' || char === '}') && depth > 0) {
      depth--;
    }
  }
  return -1;
}
