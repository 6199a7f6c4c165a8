import { ErrorCode, SortieError } from '@sortie/core';
import { formatDate, toDate } from './format-date.js';
import { formatValue } from './format-value.js';
import { formatSuggestion } from './suggest.js';
import { TemplateSyntaxIssue } from './template-errors.js';

/** The filters a `{{… | filter}}` may use. */
export const FILTER_NAMES = ['upper', 'lower', 'json', 'number', 'format'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** One parsed `| name(args)`. */
export interface FilterCall {
  name: FilterName;
  args: unknown[];
}

/** Checks a filter's name and arguments while parsing; throws {@link TemplateSyntaxIssue}. */
export function checkFilter(name: string, args: unknown[]): FilterCall {
  if (!(FILTER_NAMES as readonly string[]).includes(name)) {
    throw new TemplateSyntaxIssue(`unknown filter "${name}"${formatSuggestion(name, FILTER_NAMES)}`, `filters: ${FILTER_NAMES.join(', ')}`);
  }
  const filter = name as FilterName;
  if (filter === 'format') {
    if (args.length !== 1 || typeof args[0] !== 'string') {
      throw new TemplateSyntaxIssue('filter "format" takes one string argument', 'e.g. {{$date.past | format("YYYY-MM-DD")}}');
    }
  } else if (args.length > 0) {
    throw new TemplateSyntaxIssue(`filter "${filter}" takes no arguments`);
  }
  return { name: filter, args };
}

/** Applies parsed filters, left to right. */
export function applyFilters(value: unknown, filters: readonly FilterCall[], source: string): unknown {
  let out = value;
  for (const filter of filters) {
    switch (filter.name) {
      case 'upper':
        out = formatValue(out).toUpperCase();
        break;
      case 'lower':
        out = formatValue(out).toLowerCase();
        break;
      case 'json':
        out = JSON.stringify(out instanceof Date ? out.toISOString() : out) ?? 'null';
        break;
      case 'number':
        out = toNumber(out, source);
        break;
      case 'format': {
        const date = toDate(out);
        if (date === undefined) {
          throw new SortieError(
            ErrorCode.TEMPLATE_SYNTAX,
            'Filter failed',
            `${source}: filter "format" needs a date, got ${describeType(out)}`,
            {
              hint: 'format applies to dates, epoch milliseconds and ISO 8601 strings',
            },
          );
        }
        out = formatDate(date, filter.args[0] as string);
        break;
      }
    }
  }
  return out;
}

/** `number`: a number as is, a numeric string (CSV cells, `--env-var` values) as the number it spells. */
function toNumber(value: unknown, source: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    if (Number.isFinite(number)) return number;
  }
  throw new SortieError(
    ErrorCode.TEMPLATE_SYNTAX,
    'Filter failed',
    `${source}: filter "number" needs a number, got ${describeType(value)}`,
    {
      hint: 'number applies to numbers and numeric strings such as "200" or "-1.5"',
    },
  );
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}
